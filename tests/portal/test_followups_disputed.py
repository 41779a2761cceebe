"""Collections with partly disputed invoices: the disputed part is held out of dunning.

A customer who disputes 300.00 of a 1,000.00 invoice is reminded of the undisputed 700.00 (the
case's amount, the step's timing, the message and the letter), told that 300.00 is held out
while the dispute is open; an invoice disputed in full is left alone; once the dispute is
rejected the whole open amount is due again, once it is accepted the credit note reduces it.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.disputes import service as disputes
from portal.extensions import db
from portal.followups import cases, ladders
from portal.models import (
    ActionStatus,
    CaseEvent,
    CollectionAction,
    CollectionCase,
    Customer,
    Dispute,
    DisputeReason,
    Invoice,
    User,
)
from tests.conftest import worker_app
from tests.factories import make_customer, make_invoice, make_user
from tests.portal.finance_helpers import login
from tests.portal.test_followups import TODAY, approve_all, at, outbox, proposals, run
from tests.portal.test_followups_collections import (  # noqa: F401 (autouse fixture)
    pdf_text,
    standard_ladder_only,
)

MAX_BYTES = 1_000_000


@pytest.fixture
def finance(session: Session) -> User:
    return make_user(session, "finance", name="Fiona Finance", language="en")


@pytest.fixture
def buyer(session: Session) -> Customer:
    return make_customer(
        session, phone="13800000000", language="en", email="ap@buyer.test", name="Buyer Ltd"
    )


def overdue(session: Session, customer: Customer, days: int, amount: str = "1000.00") -> Invoice:
    due = TODAY - dt.timedelta(days=days)
    return make_invoice(
        session, customer, issue_date=due - dt.timedelta(days=30), due_date=due, amount=amount
    )


def dispute(
    session: Session, customer: Customer, invoice: Invoice, by: User, amount: Decimal
) -> Dispute:
    """An open dispute of ``amount`` on ``invoice`` (an open item, no statement needed)."""
    found = Dispute(
        number=f"D-{uuid.uuid4().hex[:6]}",
        customer_id=customer.id,
        invoice_id=invoice.id,
        reason=DisputeReason.PRICE,
        amount=amount,
        created_by_id=by.id,
    )
    session.add(found)
    session.flush()
    return found


def day(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def the_case(session: Session) -> CollectionCase:
    return session.scalars(select(CollectionCase)).one()


def test_the_undisputed_part_of_a_partly_disputed_invoice_is_dunned(
    session: Session, buyer: Customer, finance: User
) -> None:
    inv = overdue(session, buyer, 20)
    dispute(session, buyer, inv, finance, Decimal("300.00"))
    run(session)
    case = the_case(session)
    # the case owes the undisputed 700.00, timed from the invoice's own due date
    assert case.overdue_amount == Decimal("700.00") and case.item_count == 1
    assert case.oldest_due_date == inv.due_date
    (sms,) = proposals(session)
    assert sms.invoice_ids == [inv.id] and sms.amount == Decimal("700.00")
    assert "CNY 700.00" in sms.body and "CNY 1,000.00" not in sms.body
    # the reader is told what is held out and why
    assert f"CNY 300.00 under dispute on {inv.number}" in sms.body


def test_an_invoice_disputed_in_full_is_not_dunned_while_the_dispute_is_open(
    session: Session, buyer: Customer, finance: User
) -> None:
    inv = overdue(session, buyer, 20, amount="500.00")
    dispute(session, buyer, inv, finance, Decimal("500.00"))
    run(session)
    assert proposals(session) == [] and session.scalars(select(CollectionCase)).all() == []


def test_a_partly_paid_invoice_is_dunned_on_what_is_open_less_the_dispute(
    session: Session, buyer: Customer, finance: User
) -> None:
    inv = make_invoice(
        session,
        buyer,
        issue_date=TODAY - dt.timedelta(days=50),
        due_date=TODAY - dt.timedelta(days=20),
        amount="1000.00",
        open_amount="400.00",
    )
    dispute(session, buyer, inv, finance, Decimal("300.00"))
    run(session)
    (sms,) = proposals(session)
    assert sms.amount == Decimal("100.00") and the_case(session).overdue_amount == Decimal("100.00")
    # disputing more than is open holds the whole invoice out
    dispute(session, buyer, overdue(session, buyer, 30, amount="200.00"), finance, Decimal("200"))
    run(session, day(1))
    assert the_case(session).overdue_amount == Decimal("100.00")


def test_a_rejected_dispute_makes_the_whole_amount_due_again(
    session: Session, buyer: Customer, finance: User
) -> None:
    inv = overdue(session, buyer, 20)
    d = dispute(session, buyer, inv, finance, Decimal("300.00"))
    run(session)
    approve_all(session, finance)
    disputes.reject(session, d, finance, "the price is the contract's")
    run(session, day(5))
    assert the_case(session).overdue_amount == Decimal("1000.00")
    (email,) = proposals(session)
    assert email.channel == "email" and email.amount == Decimal("1000.00")
    assert "under dispute" not in email.body


def test_an_accepted_dispute_credits_the_invoice_and_the_rest_is_dunned(
    session: Session, buyer: Customer, finance: User
) -> None:
    inv = overdue(session, buyer, 20)
    d = dispute(session, buyer, inv, finance, Decimal("300.00"))
    run(session)
    approve_all(session, finance)
    # accepted for 200.00 of the 300.00: the credit note takes 200.00 off through the ledger,
    # the 100.00 not accepted is owed again with the rest
    disputes.accept(session, d, finance, Decimal("200.00"), "agreed discount", today=day(5))
    assert inv.open_amount == Decimal("800.00")
    run(session, day(5))
    assert the_case(session).overdue_amount == Decimal("800.00")
    (email,) = proposals(session)
    assert email.amount == Decimal("800.00") and "under dispute" not in email.body


def test_a_dispute_raised_after_the_proposal_holds_its_part_out_of_the_message_sent(
    app: Flask, session: Session, buyer: Customer, finance: User
) -> None:
    inv = overdue(session, buyer, 20)
    other = overdue(session, buyer, 10, amount="250.00")
    run(session)
    (sms,) = proposals(session)
    assert sms.amount == Decimal("1250.00")
    dispute(session, buyer, inv, finance, Decimal("1000.00"))
    dispute(session, buyer, other, finance, Decimal("50.00"))
    approve_all(session, finance)
    session.refresh(sms)
    assert sms.amount == Decimal("200.00")
    event = session.scalars(select(CaseEvent).where(CaseEvent.kind == "sent")).one()
    assert event.invoice_ids == [other.id]
    (text,) = outbox(app, ".sms.txt")
    body = text.read_text(encoding="utf-8")
    assert "CNY 200.00" in body and "CNY 50.00 under dispute" in body
    assert inv.number not in body.split("under dispute")[0]


def test_a_reminder_whose_invoices_were_disputed_in_full_is_cancelled_as_disputed(
    app: Flask, session: Session, buyer: Customer, finance: User
) -> None:
    inv = overdue(session, buyer, 20)
    run(session)
    (sms,) = proposals(session)
    dispute(session, buyer, inv, finance, Decimal("1000.00"))
    approve_all(session, finance)
    assert sms.note == "disputed before it was sent" and outbox(app, ".sms.txt") == []


def test_the_reminder_says_what_is_held_out_in_chinese(session: Session, finance: User) -> None:
    buyer = make_customer(session, phone="13800000001", language="zh", name="华美贸易")
    inv = overdue(session, buyer, 20)
    dispute(session, buyer, inv, finance, Decimal("300.00"))
    run(session)
    (sms,) = proposals(session)
    assert "CNY 700.00" in sms.body
    assert f"争议中的CNY 300.00（发票{inv.number}）不在本次催收之列" in sms.body


def test_the_letter_lists_the_undisputed_part_and_the_held_out_amount(
    app: Flask, session: Session, buyer: Customer, finance: User
) -> None:
    from portal.followups import documents
    from portal.followups.case_items import case_items

    inv = overdue(session, buyer, 40)
    dispute(session, buyer, inv, finance, Decimal("300.00"))
    run(session)
    (item,) = case_items(session, the_case(session), horizon=TODAY)
    assert (item.open_amount, item.disputed) == (Decimal("700.00"), Decimal("300.00"))
    pdf = documents.render_letter(
        the_case(session), [item], language="en", today=TODAY, body="b", title="t"
    )
    text = pdf_text(pdf)
    assert "CNY 700.00" in text and "Under dispute, not included" in text and "CNY 300.00" in text


def test_case_and_proposal_pages_show_the_amount_held_out(
    app: Flask, client: FlaskClient, session: Session, buyer: Customer, finance: User
) -> None:
    inv = overdue(session, buyer, 20)
    dispute(session, buyer, inv, finance, Decimal("300.00"))
    run(session)
    case = the_case(session)
    login(client, finance)
    page = client.get(f"/followups/cases/{case.id}").get_data(as_text=True)
    assert "Under dispute, held out" in page and "300.00" in page and "700.00" in page
    page = client.get("/followups/proposals").get_data(as_text=True)
    assert "held out: CN¥300.00 under dispute" in page
    theirs = app.test_client()
    login(theirs, make_user(session, customer=buyer, language="en"))
    page = theirs.get(f"/followups/my/{case.id}").get_data(as_text=True)
    assert "CN¥700.00" in page
    assert "Not included: CN¥300.00 under dispute" in page


# --- PostgreSQL: a dispute raised while a reminder is being sent ------------------------------


def _seed(app: Flask) -> tuple[int, int, int, int]:
    with app.app_context():
        session = db.session()
        for ladder in ladders.ensure_default_ladders(session):
            ladder.active = ladder.is_default
        buyer = make_customer(session, phone="13800000000", language="en", name="Buyer Ltd")
        inv = overdue(session, buyer, 20)
        finance = make_user(session, "finance", language="en")
        portal_user = make_user(session, customer=buyer, language="en")
        run(session)
        ids = [a.id for a in proposals(session)]
        session.commit()
        return inv.id, finance.id, portal_user.id, ids[0]


@pytest.mark.slow
def test_a_dispute_filed_while_the_reminder_is_sent_is_held_out_on_postgresql(
    scratch_pg: Any, tmp_path: Path
) -> None:
    """The customer files a dispute (not yet committed) while finance approves the reminder:
    the sending waits for the dispute and holds its part out, instead of reminding the whole
    invoice a moment after it was disputed."""
    url = scratch_pg.url.render_as_string(hide_password=False)
    customer_app = worker_app(url, tmp_path / "customer", JOBS_INLINE=True)
    finance_app = worker_app(url, tmp_path / "finance", JOBS_INLINE=True)
    invoice_id, finance_id, user_id, action_id = _seed(customer_app)
    errors: list[BaseException] = []
    started = threading.Event()

    def approve() -> None:
        try:
            with finance_app.app_context():
                session = db.session()
                started.set()
                cases.approve(
                    session,
                    [action_id],
                    user=session.get(User, finance_id),  # type: ignore[arg-type]
                    settings=ladders.load_settings(session),
                    now=at(TODAY),
                )
                session.commit()
        except BaseException as exc:
            errors.append(exc)

    with customer_app.app_context():
        session = db.session()
        invoice = session.get(Invoice, invoice_id)
        assert invoice is not None
        disputes.open_item_dispute(
            session,
            invoice,
            session.get(User, user_id),  # type: ignore[arg-type]
            reason=DisputeReason.QUANTITY,
            amount=Decimal("300.00"),
            max_bytes=MAX_BYTES,
            today=TODAY,
        )
        worker = threading.Thread(target=approve)
        worker.start()
        started.wait(10)
        time.sleep(1.0)  # the approval reaches the invoice while the dispute is not committed
        session.commit()
    worker.join(60)
    assert errors == []
    with customer_app.app_context():
        action = db.session().get(CollectionAction, action_id)
        assert action is not None
        assert action.amount == Decimal("700.00"), action.body
        assert "CNY 300.00 under dispute" in action.body
    for a in (customer_app, finance_app):
        a.extensions["concord.db"]["engine"].dispose()


def test_a_promise_covers_the_undisputed_part_and_is_kept_when_it_is_paid(
    session: Session, buyer: Customer, finance: User
) -> None:
    from portal.followups import promises
    from portal.models import PromiseStatus
    from tests.portal.customer_helpers import make_payment

    inv = overdue(session, buyer, 20)
    dispute(session, buyer, inv, finance, Decimal("300.00"))
    run(session)
    case = the_case(session)
    with pytest.raises(promises.PromiseError, match=r"CNY 700\.00"):
        promises.make_promise(
            session,
            case,
            instalments=[(day(5), Decimal("1000.00"))],
            source="call",
            user=finance,
            grace_days=3,
            today=TODAY,
        )
    promise = promises.make_promise(
        session,
        case,
        instalments=[(day(5), Decimal("700.00"))],
        source="call",
        user=finance,
        grace_days=3,
        today=TODAY,
    )
    make_payment(session, buyer, [(inv, "700.00")], booking_date=day(2))
    result = run(session, day(3))
    assert result.promises_kept == 1 and promise.status is PromiseStatus.KEPT


def test_a_dispute_filed_or_rejected_updates_the_reminder_waiting_for_approval(
    client: FlaskClient, session: Session, buyer: Customer, finance: User
) -> None:
    inv = overdue(session, buyer, 20)
    run(session)
    (sms,) = proposals(session)
    assert sms.amount == Decimal("1000.00")
    d = disputes.open_item_dispute(
        session,
        inv,
        make_user(session, customer=buyer, language="en"),
        reason=DisputeReason.QUANTITY,
        amount=Decimal("300.00"),
        max_bytes=MAX_BYTES,
        today=TODAY,
    )
    # finance approves what will be sent: 700.00, saying what is held out
    assert sms.amount == Decimal("700.00") and "CNY 300.00 under dispute" in sms.body
    disputes.reject(session, d, finance, "delivered in full")
    assert sms.amount == Decimal("1000.00") and "under dispute" not in sms.body


def test_the_proposals_page_holds_out_a_dispute_filed_while_the_run_proposed(
    client: FlaskClient, session: Session, buyer: Customer, finance: User
) -> None:
    inv = overdue(session, buyer, 20)
    run(session)
    # filed as the run was writing its proposals: the proposal's stored amount is the whole
    dispute(session, buyer, inv, finance, Decimal("300.00"))
    login(client, finance)
    page = client.get("/followups/proposals").get_data(as_text=True)
    assert "CN¥700.00" in page and "held out: CN¥300.00 under dispute" in page
    assert "CN¥1,000.00" not in page.split('id="proposals"')[1]


@pytest.mark.slow
def test_a_dispute_filed_while_finance_approves_neither_waits_for_nor_deadlocks_it(
    scratch_pg: Any, tmp_path: Path
) -> None:
    """Finance has approved the reminder (its row locked) and is about to send it when the
    customer files a dispute: the filing does not wait for the approval (which would deadlock
    once the sending waits for the disputed invoice), and the sending holds the part out."""
    url = scratch_pg.url.render_as_string(hide_password=False)
    customer_app = worker_app(url, tmp_path / "customer", JOBS_INLINE=True)
    finance_app = worker_app(url, tmp_path / "finance", JOBS_INLINE=True)
    invoice_id, _finance_id, user_id, action_id = _seed(customer_app)
    approved, filed = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def approve_then_send() -> None:
        try:
            with finance_app.app_context():
                session = db.session()
                action = session.get(CollectionAction, action_id, with_for_update=True)
                assert action is not None
                action.move_to(ActionStatus.APPROVED)
                session.flush()
                approved.set()
                filed.wait(10)
                cases.dispatch_approved(
                    session,
                    today=TODAY,
                    now=at(TODAY),
                    settings=ladders.load_settings(session),
                    action_ids=[action_id],
                )
                session.commit()
        except BaseException as exc:
            errors.append(exc)

    finance = threading.Thread(target=approve_then_send)
    finance.start()
    approved.wait(10)
    with customer_app.app_context():
        session = db.session()
        invoice = session.get(Invoice, invoice_id)
        assert invoice is not None
        started = time.monotonic()
        disputes.open_item_dispute(
            session,
            invoice,
            session.get(User, user_id),  # type: ignore[arg-type]
            reason=DisputeReason.QUANTITY,
            amount=Decimal("300.00"),
            max_bytes=MAX_BYTES,
            today=TODAY,
        )
        assert time.monotonic() - started < 5
        filed.set()
        time.sleep(0.5)  # the sending reaches the invoice while the dispute is not committed
        session.commit()
    finance.join(60)
    assert errors == []
    with customer_app.app_context():
        action = db.session().get(CollectionAction, action_id)
        assert action is not None and action.status is ActionStatus.SENT
        assert action.amount == Decimal("700.00") and "CNY 300.00 under dispute" in action.body
    for a in (customer_app, finance_app):
        a.extensions["concord.db"]["engine"].dispose()
