"""Collections never tell a customer a wrong amount: what a waiting proposal sends once the
items changed (paid, credited, written off, changed by the ERP), the legal case file, promises
judged on money applied in time, and totals kept apart per currency."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import ledger
from portal.erp.service import import_invoices_csv
from portal.followups import cases
from portal.models import (
    ActionStatus,
    AuditEvent,
    CaseStatus,
    CollectionCase,
    Customer,
    Invoice,
    User,
)
from tests.factories import make_customer, make_invoice, make_user
from tests.portal.customer_helpers import make_payment
from tests.portal.finance_helpers import login
from tests.portal.test_followups import TODAY, approve_all, outbox, proposals, run
from tests.portal.test_followups_collections import standard_ladder_only  # noqa: F401 (autouse)


@pytest.fixture
def finance(session: Session) -> User:
    return make_user(session, "finance", name="Fiona Finance", language="en")


@pytest.fixture
def buyer(session: Session) -> Customer:
    return make_customer(
        session, code="BUY01", phone="13800000000", language="en", email="ap@buyer.test"
    )


def day(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def due_on(session: Session, customer: Customer, due: dt.date, amount: str, **kw: object) -> Invoice:
    return make_invoice(
        session,
        customer,
        issue_date=due - dt.timedelta(days=30),
        due_date=due,
        amount=amount,
        **kw,
    )


def the_case(session: Session, currency: str = "CNY") -> CollectionCase:
    return session.scalars(select(CollectionCase).where(CollectionCase.currency == currency)).one()


def sms_texts(app: Flask) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in outbox(app, ".sms.txt")]


# --- 1. a proposal approved later sends what is owed then ------------------------------------


def test_a_payment_before_approval_sends_the_rest_only(
    app: Flask, session: Session, buyer: Customer, finance: User
) -> None:
    first = due_on(session, buyer, day(-12), "300.00")
    second = due_on(session, buyer, day(-5), "200.00")
    run(session)
    (sms,) = proposals(session)
    assert sms.amount == Decimal("500.00") and "CNY 500.00" in sms.body
    make_payment(session, buyer, [(first, "300.00")], booking_date=TODAY)
    approve_all(session, finance, day(1))
    assert sms.status is ActionStatus.SENT
    (text,) = sms_texts(app)
    assert "CNY 200.00" in text and "CNY 500.00" not in text
    assert sms.amount == Decimal("200.00") and sms.invoice_ids  # named items kept
    sent = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "collections.sent")
    ).one()
    assert sent.data["items"] == [second.id]


def erp_export(
    session: Session, customer: Customer, rows: list[tuple[Invoice, str]], amount: str = ""
) -> None:
    """The ERP's open-items export with these invoices at these open amounts (and ``amount``
    for an invoice the ERP corrected)."""
    lines = ["number,customer,issue_date,due_date,currency,amount,open_amount,po_number"]
    lines += [
        f"{i.number},{customer.code},{i.issue_date},{i.due_date},{i.currency},"
        f"{amount or i.amount},{o},"
        for i, o in rows
    ]
    import_invoices_csv(session, ("\n".join(lines) + "\n").encode(), filename="open-items.csv")


@pytest.mark.parametrize("change", ["credit_note", "write_off", "erp_part_paid", "erp_amount"])
def test_a_change_before_approval_is_what_the_message_says(
    app: Flask, session: Session, buyer: Customer, finance: User, change: str
) -> None:
    first = due_on(session, buyer, day(-12), "300.00")
    due_on(session, buyer, day(-5), "200.00")
    run(session)
    (sms,) = proposals(session)
    if change == "credit_note":
        ledger.credit_note(session, first, Decimal("120.00"), "goods returned", actor=finance)
    elif change == "write_off":
        ledger.write_off(session, first, Decimal("20.00"), kind="difference", actor=finance)
    elif change == "erp_part_paid":
        erp_export(session, buyer, [(first, "180.00")])
    else:  # the ERP corrects the invoice's amount down
        erp_export(session, buyer, [(first, "180.00")], amount="180.00")
    expected = {"credit_note": "380.00", "write_off": "480.00"}.get(change, "380.00")
    approve_all(session, finance, day(1))
    (text,) = sms_texts(app)
    assert f"CNY {expected}" in text and "CNY 500.00" not in text
    assert sms.status is ActionStatus.SENT and sms.amount == Decimal(expected)


@pytest.mark.parametrize("change", ["payment", "credit_note", "erp_closed", "erp_cancelled"])
def test_nothing_owed_any_more_withdraws_the_proposal_with_its_reason(
    app: Flask, client: FlaskClient, session: Session, buyer: Customer, finance: User, change: str
) -> None:
    paid = due_on(session, buyer, day(-12), "300.00")
    run(session)
    (sms,) = proposals(session)
    # something else falls overdue meanwhile: the case stays open, the proposal does not name it
    due_on(session, buyer, day(-1), "50.00")
    if change == "payment":
        make_payment(session, buyer, [(paid, "300.00")], booking_date=TODAY)
    elif change == "credit_note":
        ledger.credit_note(session, paid, Decimal("300.00"), "goods returned", actor=finance)
    elif change == "erp_closed":
        erp_export(session, buyer, [(paid, "0.00")])
    else:
        from portal.models import InvoiceStatus

        paid.status = InvoiceStatus.CANCELLED  # the ERP cancelled it
        session.flush()
    assert approve_all(session, finance, day(1)) == (1, 0, 0, 1)
    assert sms_texts(app) == []
    assert sms.status is ActionStatus.CANCELLED and sms.note == "settled before it was sent"
    assert session.scalar(
        select(AuditEvent).where(
            AuditEvent.action == "collections.action_cancelled",
            AuditEvent.entity_id == str(sms.id),
            AuditEvent.reason == "settled before it was sent",
        )
    )
    case = the_case(session)
    assert case.status is CaseStatus.OPEN
    login(client, finance)
    page = client.get(f"/followups/cases/{case.id}").get_data(as_text=True)
    assert "Settled before it was sent" in page


def test_the_proposals_page_shows_the_figures_of_now_and_says_they_changed(
    client: FlaskClient, session: Session, buyer: Customer, finance: User
) -> None:
    first = due_on(session, buyer, day(-12), "300.00")
    due_on(session, buyer, day(-5), "200.00")
    other = make_customer(session, phone="13700000000", language="en", name="Paid Up Ltd")
    settled = due_on(session, other, day(-9), "80.00")
    steady = make_customer(session, phone="13600000000", language="en", name="Steady Ltd")
    due_on(session, steady, day(-9), "65.00")
    run(session)
    login(client, finance)
    page = client.get("/followups/proposals").get_data(as_text=True)
    assert "figures-changed" not in page  # nothing changed yet
    make_payment(session, buyer, [(first, "300.00")], booking_date=TODAY)
    make_payment(session, other, [(settled, "80.00")], booking_date=TODAY)
    table = client.get("/followups/proposals").get_data(as_text=True).split('id="proposals"')[1]
    rows = {
        a.case.customer.name: table.split(f'id="proposal-{a.id}"')[1].split("</tr>")[0]
        for a in proposals(session)
    }
    # what sending would say now, and that it is not what the run proposed
    assert "CN¥200.00" in rows[buyer.name] and "then CN¥500.00" in rows[buyer.name]
    assert "<td>1</td>" in rows[buyer.name]
    assert "CN¥0.00" in rows["Paid Up Ltd"]
    assert "Nothing is owed on its items any more" in rows["Paid Up Ltd"]
    assert "CN¥65.00" in rows["Steady Ltd"] and "figures-changed" not in rows["Steady Ltd"]
    # in the reader's language
    finance.language = "zh"
    session.flush()
    table = client.get("/followups/proposals").get_data(as_text=True).split('id="proposals"')[1]
    assert "Nothing is owed" not in table and "Changed since" not in table
