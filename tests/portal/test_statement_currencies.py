"""A customer invoiced in CNY and USD: the statement keeps each currency apart (issue 14 #5)."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from decimal import Decimal as D
from pathlib import Path

import pdfplumber
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import (
    AuditEvent,
    CreditNote,
    Customer,
    SignatureEvidence,
    Statement,
    StatementStatus,
    User,
)
from portal.statements.service import issue_statement, verify_pdf
from tests.factories import make_customer, make_invoice, make_user
from tests.portal.customer_helpers import last_code, login

OCT_START, OCT_END = dt.date(2026, 10, 1), dt.date(2026, 10, 31)


@pytest.fixture(autouse=True)
def _instance_pki(app: Flask, pki_template: Path) -> None:
    shutil.copytree(pki_template, Path(app.instance_path) / "pki")


@pytest.fixture
def customer(session: Session) -> Customer:
    """CNY closes at 6,000.00 and USD at 2,400.00; mixing them would give 8,400.00."""
    c = make_customer(session, code="C00042", name="Acme Trading Ltd", language="en")
    make_invoice(
        session,
        c,
        number="INV-CNY-1",
        issue_date=dt.date(2026, 10, 2),
        due_date=dt.date(2026, 11, 1),
        amount="6000.00",
    )
    make_invoice(
        session,
        c,
        number="INV-USD-1",
        issue_date=dt.date(2026, 10, 3),
        due_date=dt.date(2026, 11, 2),
        amount="2500.00",
        currency="USD",
    )
    session.add(
        CreditNote(
            number="CN-USD-1",
            customer_id=c.id,
            invoice_id=None,
            issue_date=dt.date(2026, 10, 20),
            currency="USD",
            amount=D("100.00"),
            reason="rebate",
        )
    )
    session.flush()
    return c


@pytest.fixture
def buyer(session: Session, customer: Customer) -> User:
    return make_user(
        session, customer=customer, language="en", name="Alice Buyer", email="alice@acme.test"
    )


def text_of(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages)


def test_issued_statement_has_a_section_and_balance_per_currency(
    session: Session, customer: Customer
) -> None:
    statement = issue_statement(session, customer, OCT_START, OCT_END)

    assert [(b.currency, b.closing_balance) for b in statement.balances] == [
        ("CNY", D("6000.00")),
        ("USD", D("2400.00")),
    ]
    for b in statement.balances:
        assert b.opening_balance + b.total_charges - b.total_payments - b.total_credits == (
            b.closing_balance
        )
    # the columns hold the main currency's section, never a sum
    assert (statement.currency, statement.closing_balance) == ("CNY", D("6000.00"))
    assert [(line.document, line.currency) for line in statement.lines] == [
        ("INV-CNY-1", "CNY"),
        ("INV-USD-1", "USD"),
        ("CN-USD-1", "USD"),
    ]
    assert [line.document for line in statement.lines_in("USD")] == ["INV-USD-1", "CN-USD-1"]

    text = text_of(statement.issued_pdf)
    usd_at = text.index("USD account")
    cny_part, usd_part = text[text.index("CNY account") : usd_at], text[usd_at:]
    assert re.search(r"Closing balance .*6,000\.00", cny_part)
    assert re.search(r"Closing balance .*2,400\.00", usd_part)
    assert "8,400.00" not in text
    report = verify_pdf(statement.issued_pdf)
    assert report.ok, report.all_problems

    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "statement.issued")).one()
    assert event.data["closing_balances"] == {"CNY": "6000.00", "USD": "2400.00"}


def test_page_and_confirmation_show_and_confirm_every_currency(
    client: FlaskClient, session: Session, app: Flask, customer: Customer, buyer: User
) -> None:
    statement = issue_statement(session, customer, OCT_START, OCT_END)
    login(client, buyer)

    page = client.get(f"/statements/{statement.id}").get_data(as_text=True)
    assert "CNY account" in page and "USD account" in page
    usd_part = page[page.index("<h3>USD account") :]
    assert "INV-USD-1" in usd_part and "INV-CNY-1" not in usd_part
    assert "8,400.00" not in page
    listing = client.get("/statements/").get_data(as_text=True)
    assert "8,400.00" not in listing

    consent = client.get(f"/statements/{statement.id}/confirm").get_data(as_text=True)
    assert "closing balances of 6,000.00 CNY; 2,400.00 USD" in consent
    client.post(
        f"/statements/{statement.id}/confirm", data={"consent": "y", "full_name": "Alice Buyer"}
    )
    client.post(f"/statements/{statement.id}/confirm/code", data={"code": last_code(app)})

    session.refresh(statement)
    assert statement.status is StatementStatus.CONFIRMED
    evidence = session.scalars(
        select(SignatureEvidence).where(
            SignatureEvidence.statement_id == statement.id, SignatureEvidence.kind == "approval"
        )
    ).one()
    assert evidence.consent_text is not None
    assert "6,000.00 CNY" in evidence.consent_text and "2,400.00 USD" in evidence.consent_text
    assert statement.signed_pdf is not None
    report = verify_pdf(statement.signed_pdf, require_approval=True)
    assert report.ok, report.all_problems


def test_single_currency_statement_is_unchanged(session: Session) -> None:
    c = make_customer(session, code="C00043", language="en")
    make_invoice(session, c, issue_date=dt.date(2026, 10, 5), amount="1750.75")
    statement = issue_statement(session, c, OCT_START, OCT_END)
    assert [b.currency for b in statement.balances] == ["CNY"]
    assert not statement.is_multi_currency
    assert "CNY account" not in text_of(statement.issued_pdf)


def test_statements_issued_before_sections_still_read(session: Session) -> None:
    c = make_customer(session, code="C00044")
    make_invoice(session, c, issue_date=dt.date(2026, 10, 5), amount="10.00")
    statement = issue_statement(session, c, OCT_START, OCT_END)
    statement.currency_sections = None
    for line in statement.lines:
        line.currency = None
    session.flush()
    assert [(b.currency, b.closing_balance) for b in statement.balances] == [("CNY", D("10.00"))]
    assert [line.line_currency for line in statement.lines] == ["CNY"]
    assert isinstance(statement, Statement)
