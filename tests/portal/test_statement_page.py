"""The HTML statement shows what the PDF shows: the balance brought forward and the open items."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from portal.disputes import service as disputes
from portal.models import CreditNote, Customer, Statement, User
from portal.statements import loop, routes
from portal.statements.service import confirm_statement, issue_statement
from tests.factories import make_customer, make_invoice, make_user
from tests.portal.customer_helpers import login

OCT_START, OCT_END = dt.date(2026, 10, 1), dt.date(2026, 10, 31)


@pytest.fixture(autouse=True)
def _instance_pki(app: Flask, pki_template: Path) -> None:
    shutil.copytree(pki_template, Path(app.instance_path) / "pki")
    routes._DOCUMENTS.clear()  # rendered documents are kept per process


@pytest.fixture
def customer(session: Session) -> Customer:
    """1,000.00 open from September (brought forward, overdue) and 500.00 invoiced in October."""
    c = make_customer(session, code="C00077", name="Page Test Ltd", language="en")
    make_invoice(
        session,
        c,
        number="INV-SEP-1",
        issue_date=dt.date(2026, 9, 1),
        due_date=dt.date(2026, 9, 30),
        amount="1000.00",
    )
    make_invoice(
        session,
        c,
        number="INV-OCT-1",
        issue_date=dt.date(2026, 10, 12),
        due_date=dt.date(2026, 11, 11),
        amount="500.00",
    )
    return c


@pytest.fixture
def buyer(session: Session, customer: Customer) -> User:
    return make_user(session, customer=customer, language="en", email="pat@page.test")


def _pdf_text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages)


def _open_items_part(page: str) -> str:
    start = page.index("Open items at period end")
    return page[start : page.index("</table>", start)]


def _cells(row_html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>.*?</td>", row_html)]


def test_page_shows_brought_forward_and_the_open_items_of_the_pdf(
    client: FlaskClient, session: Session, customer: Customer, buyer: User
) -> None:
    statement = issue_statement(session, customer, OCT_START, OCT_END)
    session.commit()
    login(client, buyer)
    page = client.get(f"/statements/{statement.id}").get_data(as_text=True)

    brought = re.search(r'<tr class="brought-forward">(.*?)</tr>', page, re.S)
    assert brought is not None
    assert _cells(brought.group(1))[2] == "Balance brought forward"
    assert _cells(brought.group(1))[-1] == "1,000.00"

    part = _open_items_part(page).split("<tbody>")[1]
    rows = {
        cells[0]: cells for cells in (_cells(r) for r in re.findall(r"<tr>(.*?)</tr>", part, re.S))
    }
    # document, date, due, days overdue, invoice amount, open amount, disputed
    assert rows["INV-SEP-1"][3] == "31" and rows["INV-SEP-1"][5] == "1,000.00"
    assert rows["INV-OCT-1"][3] == "" and rows["INV-OCT-1"][5] == "500.00"
    assert set(rows) == {"INV-SEP-1", "INV-OCT-1"}

    pdf = _pdf_text(statement.issued_pdf)
    pdf_items = pdf[pdf.index("Open items at period end") :]
    for number in rows:
        assert number in pdf_items  # the same open items as the PDF
    assert "Balance brought forward" in pdf

    confirm = client.get(f"/statements/{statement.id}/confirm").get_data(as_text=True)
    assert "INV-SEP-1" in _open_items_part(confirm)  # the customer confirms what they see


def test_statement_issued_before_open_items_were_kept_rebuilds_them(
    client: FlaskClient, session: Session, customer: Customer, buyer: User
) -> None:
    statement = issue_statement(session, customer, OCT_START, OCT_END)
    assert statement.stored_open_items() is not None
    statement.currency_sections = [
        {k: v for k, v in row.items() if k != "open_items"}
        for row in statement.currency_sections or []
    ]
    session.commit()
    assert statement.stored_open_items() is None
    login(client, buyer)
    part = _open_items_part(client.get(f"/statements/{statement.id}").get_data(as_text=True))
    assert "INV-SEP-1" in part and "1,000.00" in part


def test_no_open_items_says_so(client: FlaskClient, session: Session) -> None:
    other = make_customer(session, code="C00078", language="en")
    invoice = make_invoice(session, other, issue_date=dt.date(2026, 10, 5), amount="10.00")
    session.add(
        CreditNote(
            number="CN-PAGE-1",
            customer_id=other.id,
            invoice_id=invoice.id,
            issue_date=dt.date(2026, 10, 20),
            currency="CNY",
            amount=Decimal("10.00"),
            reason="returned",
        )
    )
    session.flush()
    statement = issue_statement(session, other, OCT_START, OCT_END)
    assert isinstance(statement, Statement)
    session.commit()
    login(client, make_user(session, customer=other, language="en", email="z@page.test"))
    page = client.get(f"/statements/{statement.id}").get_data(as_text=True)
    assert "No open items." in page


def test_the_page_shows_each_change_of_state_at_once(
    client: FlaskClient, session: Session, customer: Customer, buyer: User
) -> None:
    """The page is kept per process and statement state: an answer, a dispute or a corrected
    version shows on the next view, in the reader's language."""
    finance = make_user(session, "finance", language="en", email="fin@page.test")
    statement = issue_statement(session, customer, OCT_START, OCT_END)
    session.commit()
    login(client, buyer)
    url = f"/statements/{statement.id}"
    page = client.get(url).get_data(as_text=True)
    assert "Awaiting confirmation" in page and "Review and confirm" in page
    assert client.get(url).get_data(as_text=True).count("Review and confirm") == 1

    (dispute,) = disputes.open_disputes(
        session,
        statement,
        buyer,
        [disputes.LineClaim(statement.lines[0], disputes.DisputeReason.PRICE, Decimal("100.00"))],
        max_bytes=1000,
    )
    session.commit()
    page = client.get(url).get_data(as_text=True)
    assert "You disputed lines of this statement" in page
    assert "Review and confirm" not in page and "Dispute lines" not in page

    disputes.accept(session, dispute, finance, Decimal("100.00"), "Agreed")
    new = loop.reissue(session, statement, finance, "Price corrected")
    session.commit()
    page = client.get(url).get_data(as_text=True)
    assert "This statement has been replaced by a newer version." in page
    assert f'href="/statements/{new.id}"' in page and new.number in page
    new_page = client.get(f"/statements/{new.id}").get_data(as_text=True)
    assert f"This corrected version replaces {statement.number}." in new_page
    assert "Review and confirm" in new_page

    with client.session_transaction() as sess:
        sess["lang"] = "zh"
    zh_page = client.get(f"/statements/{new.id}").get_data(as_text=True)
    assert "Review and confirm" not in zh_page and "对账单" in zh_page
    with client.session_transaction() as sess:
        sess["lang"] = "en"

    confirm_statement(
        session,
        new,
        buyer,
        full_name="Pat Buyer",
        ip=None,
        user_agent=None,
        auth_method="test",
        consent_text="ok",
    )
    session.commit()
    page = client.get(f"/statements/{new.id}").get_data(as_text=True)
    assert "Confirmed and electronically signed" in page and "Signed by Pat Buyer" in page
    assert "Review and confirm" not in page and "Download signed PDF" in page
