"""The proposals page shows what sending would send, worked out by the same function.

A proposal waits for approval while its items change: one is partly paid, one partly credited,
one partly disputed, one left out by finance, one moved to another currency by the ERP. The
figure the page shows is what the message sent on approval says, item for item; and an invoice
disputed, on hold or under a promise to pay is never reminded of.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import ledger
from portal.erp.service import import_invoices_csv
from portal.followups import cases, ladders, promises
from portal.followups.proposals import current_figures
from portal.models import (
    ActionStatus,
    AuditEvent,
    CaseStatus,
    CollectionAction,
    Customer,
    DisputeStatus,
    Invoice,
    PromiseStatus,
    User,
)
from tests.portal.customer_helpers import make_payment
from tests.portal.finance_helpers import login
from tests.portal.test_followups import TODAY, approve_all, proposals, run
from tests.portal.test_followups_amounts import (
    day,
    due_on,
    open_item_dispute,
    sms_texts,
    the_case,
)
from tests.portal.test_followups_collections import standard_ladder_only  # noqa: F401


def erp_moves_to_usd(session: Session, customer: Customer, invoice: Invoice) -> None:
    """The ERP's open-items export books ``invoice`` in dollars now (no Concord record on it,
    so Concord follows the ERP)."""
    csv = (
        "number,customer,issue_date,due_date,currency,amount,open_amount,po_number\n"
        f"{invoice.number},{customer.code},{invoice.issue_date},{invoice.due_date},USD,"
        f"{invoice.amount},{invoice.open_amount},\n"
    )
    import_invoices_csv(session, csv.encode(), filename="open-items.csv")


def test_the_page_figure_is_what_approving_sends(
    app: Flask, client: FlaskClient, session: Session, buyer: Customer, finance: User
) -> None:
    paid = due_on(session, buyer, day(-14), "300.00")
    credited = due_on(session, buyer, day(-12), "200.00")
    disputed = due_on(session, buyer, day(-10), "400.00")
    left_out = due_on(session, buyer, day(-8), "250.00")
    dollars = due_on(session, buyer, day(-6), "120.00")
    run(session)
    (sms,) = proposals(session)
    assert sms.amount == Decimal("1270.00")
    cases.exclude_items(session, sms, [left_out.id], user=finance)
    make_payment(session, buyer, [(paid, "100.00")], booking_date=TODAY)
    ledger.credit_note(session, credited, Decimal("50.00"), "goods returned", actor=finance)
    open_item_dispute(session, disputed, finance, "100.00")
    erp_moves_to_usd(session, buyer, dollars)
    session.refresh(dollars)
    assert dollars.currency == "USD"

    # what the page shows: 200.00 + 150.00 + 300.00 (100.00 held out), three items
    figures = current_figures(session, [sms], today=TODAY)[sms.id]
    assert (figures.due, figures.held, figures.items) == (
        Decimal("650.00"),
        Decimal("100.00"),
        3,
    )
    login(client, finance)
    row = client.get("/followups/proposals").get_data(as_text=True)
    row = row.split(f'id="proposal-{sms.id}"')[1].split("</tr>")[0]
    assert "CN¥650.00" in row and "CN¥100.00 under dispute" in row and "<td>3</td>" in row

    # what approving sends: the same figure, the same items
    assert approve_all(session, finance, TODAY) == (1, 1, 0, 0)
    assert sms.status is ActionStatus.SENT and sms.amount == figures.due
    sent = session.scalars(select(AuditEvent).where(AuditEvent.action == "collections.sent")).one()
    assert sent.data["items"] == [paid.id, credited.id, disputed.id]
    (text,) = sms_texts(app)
    assert "CNY 650.00" in text and "CNY 100.00 under dispute" in text


def test_items_disputed_in_full_after_approval_are_withdrawn_from_the_message(
    app: Flask, session: Session, buyer: Customer, finance: User
) -> None:
    first = due_on(session, buyer, day(-14), "300.00")
    second = due_on(session, buyer, day(-10), "200.00")
    run(session)
    (sms,) = proposals(session)
    # approved during quiet hours (22:00 in Shanghai): held until the next run sends it
    cases.approve(
        session,
        [sms.id],
        user=finance,
        settings=ladders.load_settings(session),
        now=dt.datetime.combine(TODAY, dt.time(14), dt.UTC),
    )
    assert sms.status is ActionStatus.APPROVED
    open_item_dispute(session, first, finance, "300.00")
    run(session, day(1))
    assert sms.status is ActionStatus.SENT and sms.amount == Decimal("200.00")
    (text,) = sms_texts(app)
    assert first.number not in text and second.number in text


def test_a_case_that_closed_and_opened_again_under_an_open_promise_is_not_reminded(
    session: Session, buyer: Customer, finance: User
) -> None:
    """The promised invoice is disputed in full (the case closes), the dispute is rejected the
    next day (the case opens again): the promise still runs, so no step is proposed."""
    invoice = due_on(session, buyer, day(-20), "1000.00")
    run(session)
    promise = promises.make_promise(
        session,
        the_case(session),
        instalments=[(day(10), Decimal("1000.00"))],
        source="call",
        user=finance,
        grace_days=3,
        today=TODAY,
    )
    complaint = open_item_dispute(session, invoice, finance, "1000.00")
    run(session, day(1))
    assert the_case(session).status is CaseStatus.CLOSED
    complaint.status = DisputeStatus.REJECTED
    session.flush()
    run(session, day(2))
    assert the_case(session).status is CaseStatus.OPEN
    assert promise.status is PromiseStatus.OPEN
    assert proposals(session) == []
    assert (
        session.scalars(
            select(CollectionAction).where(CollectionAction.status == ActionStatus.APPROVED)
        ).all()
        == []
    )
    # once the promise is broken (date plus grace passed unpaid) the ladder resumes
    run(session, day(14))
    assert promise.status is PromiseStatus.BROKEN
    assert len(proposals(session)) == 1
