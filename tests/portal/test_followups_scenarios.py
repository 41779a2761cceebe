"""Dunning scenarios of other products' tests, ported to Concord's collections.

Sources (read for their scenarios, not copied):

* Odoo ``account_followup/tests/test_account_followup.py`` (8.0 community and 17/18
  enterprise): levels by days overdue, several invoices of one partner followed up together,
  the first or last invoice paid between levels, litigation (``blocked``) lines, a cron that acts
  once and only once, paying the invoice ends the follow-up.
* OCA ``credit-control`` ``account_credit_control/tests/test_credit_control_run.py`` and
  ``test_credit_control_line.py``: one line per run and level, several runs at later dates
  climbing the policy's levels, ``apply_max_policy_level`` (all invoices of a partner at the
  highest level reached).
* ERPNext ``erpnext/accounts/doctype/dunning/test_dunning.py``: dunning without and with fees
  and interest, resolved by a payment entry or a credit note against the invoice, a partly paid
  invoice.

Where Concord deliberately differs the test asserts Concord's behaviour and says why.
The built-in standard ladder is used throughout: a reminder 3 days before the due date, then
SMS (day 1), email (day 8, 5 days after the previous step), call (15, 5), letter (30, 10) and
legal (60, 14).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import ledger
from portal.credit.limits import set_hold
from portal.followups import cases, ladders, promises
from portal.models import (
    ActionStatus,
    AuditEvent,
    CaseStatus,
    CollectionAction,
    CollectionCase,
    Customer,
    User,
)
from tests.factories import make_customer, make_invoice, make_user
from tests.portal.customer_helpers import make_payment
from tests.portal.finance_helpers import login
from tests.portal.test_followups import (
    TODAY,
    approve_all,
    at,
    dispute,
    outbox,
    proposals,
    run,
)
from tests.portal.test_followups_collections import standard_ladder_only  # noqa: F401 (autouse)


@pytest.fixture
def finance(session: Session) -> User:
    return make_user(session, "finance", name="Fiona Finance")


@pytest.fixture
def buyer(session: Session) -> Customer:
    return make_customer(session, phone="13800000000", language="en", email="ap@buyer.test")


def due_on(session: Session, customer: Customer, due: dt.date, amount: str = "500.00", **kw):  # type: ignore[no-untyped-def]
    return make_invoice(
        session,
        customer,
        issue_date=due - dt.timedelta(days=30),
        due_date=due,
        amount=amount,
        **kw,
    )


def day(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def channels(session: Session) -> list[str]:
    return [a.channel for a in proposals(session)]


def the_case(session: Session, currency: str = "CNY") -> CollectionCase:
    return session.scalars(select(CollectionCase).where(CollectionCase.currency == currency)).one()


# --- which step after how many days (Odoo test_00/test_01, test_followup_line_and_status) ----


@pytest.mark.parametrize(
    ("days_overdue", "expected"),
    [
        (-4, []),  # due in 4 days: before the reminder's 3 days of lead
        (-3, ["email"]),  # the reminder before the due date (Odoo's negative delay)
        (0, []),  # due today: not overdue, too late for the reminder before it
        (1, ["sms"]),  # first contact step
        (14, ["sms"]),  # old debt starts at the first contact, whatever its age
        (400, ["sms"]),  # never straight to a letter or to legal
    ],
)
def test_the_step_proposed_by_days_overdue(
    session: Session, buyer: Customer, days_overdue: int, expected: list[str]
) -> None:
    due_on(session, buyer, day(-days_overdue))
    run(session)
    # Odoo (test_followup_line_and_status) proposes the level whose delay the oldest item has
    # passed; Concord also starts old debt at the first contact step and climbs one step per
    # run after each step's gap, so a 400-day debt is not handed to legal unannounced
    assert channels(session) == expected


def test_a_reminder_before_the_due_date_not_sent_in_time_gives_way_to_the_first_contact(
    app: Flask, session: Session, buyer: Customer, finance: User
) -> None:
    # Odoo test_followup_line_and_status keeps a level whose delay is passed but that was not
    # processed as the one in need of action. Concord's reminder before the due date makes no
    # sense once the item is due: left unapproved until then, it is withdrawn (audited) and
    # the first contact step follows, rather than "due on ..." reaching an overdue customer
    due_on(session, buyer, day(3))
    run(session)
    (reminder,) = proposals(session)
    assert reminder.channel == "email" and reminder.step.offset_days == -3
    run(session, day(2))
    assert proposals(session) == [reminder]
    run(session, day(3))  # the due date
    assert reminder.status is ActionStatus.CANCELLED and reminder.note == "the due date has passed"
    assert session.scalar(
        select(AuditEvent).where(
            AuditEvent.action == "collections.action_cancelled",
            AuditEvent.entity_id == str(reminder.id),
            AuditEvent.reason == "the due date has passed",
        )
    )
    assert proposals(session) == []
    run(session, day(4))
    assert channels(session) == ["sms"]
    assert approve_all(session, finance, day(4)) == (1, 1, 0, 0)
    assert outbox(app, ".eml") == []  # the late reminder was never sent


# --- several invoices, one action; climbing after each delay (Odoo multiple_invoices) --------


def test_several_invoices_make_one_action_that_climbs_after_each_delay(
    session: Session, buyer: Customer, finance: User
) -> None:
    first = due_on(session, buyer, day(-1))
    second = due_on(session, buyer, day(0))
    run(session)
    (sms,) = proposals(session)
    # one action per customer and currency with both items (not one per invoice)
    assert sms.channel == "sms" and sorted(sms.invoice_ids) == sorted([first.id, second.id])
    assert sms.amount == Decimal("1000.00")
    approve_all(session, finance)
    # the email step starts at day 8 of the oldest item and 5 days after the SMS
    for n in range(1, 7):
        run(session, day(n))
        assert proposals(session) == [], n
    run(session, day(7))
    assert channels(session) == ["email"]
    approve_all(session, finance, day(7))
    # the call: day 15 of the oldest item (TODAY + 14), more than 5 days after the email
    run(session, day(13))
    assert proposals(session) == []
    run(session, day(14))
    assert channels(session) == ["call"]


def test_a_step_is_not_repeated_and_the_next_waits_until_the_previous_is_sent(
    session: Session, buyer: Customer, finance: User
) -> None:
    due_on(session, buyer, day(-20))
    # a daily run for a fortnight while nobody approves: still the one SMS proposal (Odoo's
    # cron "acts once and only once"; OCA: one credit line per level), the customer is not
    # flooded and the email step is not proposed over the unsent SMS
    for n in range(15):
        run(session, day(n))
    actions = session.scalars(select(CollectionAction)).all()
    assert [(a.channel, a.status) for a in actions] == [("sms", ActionStatus.PROPOSED)]
    # approved at night: held by quiet hours, still not sent; the next step still waits
    cases.approve(
        session,
        [actions[0].id],
        user=finance,
        settings=ladders.load_settings(session),
        now=at(day(14), 14),
    )
    assert actions[0].status is ActionStatus.APPROVED
    assert the_case(session).step_id is None
    # the next morning's run sends it; the email comes 5 days later, once
    assert run(session, day(15)).sent == 1
    for n in range(16, 20):
        run(session, day(n))
        assert proposals(session) == [], n
    run(session, day(20))
    run(session, day(20))
    assert channels(session) == ["email"]


def test_the_last_step_is_not_repeated(session: Session, buyer: Customer, finance: User) -> None:
    # Odoo repeats its last level every delay; Concord's last step is the hand-over to legal,
    # which a named approver takes once (cases.hand_to_legal), so nothing is proposed after it
    due_on(session, buyer, day(-400))
    seen: list[str] = []
    n = 0
    while n < 120:
        run(session, day(n))
        pending = proposals(session)
        if pending:
            seen.append(pending[0].channel)
            if pending[0].channel == "legal":
                break
            approve_all(session, finance, day(n))
        n += 1
    assert seen == ["sms", "email", "call", "letter", "legal"]
    legal = proposals(session)[0]
    cases.exclude(session, legal, user=finance, reason="talking to them first", now=at(day(n)))
    for later in range(n + 1, n + 30):
        run(session, day(later))
        assert channels(session) in ([], ["legal"])  # the same step again, never another
    assert (
        session.scalar(
            select(CollectionAction.id).where(CollectionAction.channel == "legal").offset(1)
        )
        is None
    )


# --- a payment or a credit note ends the step (ERPNext, Odoo test_06) ------------------------


def test_paying_the_invoice_cancels_the_proposal_and_closes_the_case(
    session: Session, buyer: Customer, finance: User
) -> None:
    invoice = due_on(session, buyer, day(-15))
    run(session)
    (sms,) = proposals(session)
    make_payment(session, buyer, [(invoice, "500.00")], booking_date=TODAY)
    result = run(session, day(1))
    case = the_case(session)
    assert result.cases_closed == 1 and case.status is CaseStatus.CLOSED
    # the SMS asking for what was paid is not left on the proposals page to approve: it is
    # withdrawn with the case, and the audit log says why
    assert case.overdue_amount == 0 and proposals(session) == []
    assert sms.status is ActionStatus.CANCELLED and sms.note == "the case is closed"
    closed = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "collections.case_closed")
    ).one()
    assert closed.data == {"why": "settled"}
    withdrawn = session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "collections.action_cancelled",
            AuditEvent.entity_id == str(sms.id),
        )
    ).one()
    assert withdrawn.reason == "the case is closed" and withdrawn.actor_id is None
    assert approve_all(session, finance, day(1)) == (0, 0, 0, 0)


def test_a_page_that_closes_a_paid_case_withdraws_its_proposal(
    session: Session, buyer: Customer, finance: User
) -> None:
    invoice = due_on(session, buyer, day(-15))
    run(session)
    (sms,) = proposals(session)
    make_payment(session, buyer, [(invoice, "500.00")], booking_date=TODAY)
    cases.refresh_case(session, the_case(session), today=day(1), actor=finance)
    assert the_case(session).status is CaseStatus.CLOSED
    assert proposals(session) == [] and sms.status is ActionStatus.CANCELLED
    withdrawn = session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "collections.action_cancelled",
            AuditEvent.entity_id == str(sms.id),
        )
    ).one()
    assert withdrawn.actor_id == finance.id and withdrawn.reason == "the case is closed"


def test_a_credit_note_on_the_invoice_settles_it_like_a_payment(
    session: Session, buyer: Customer, finance: User
) -> None:
    invoice = due_on(session, buyer, day(-10), amount="100.00")
    run(session)
    (sms,) = proposals(session)
    approve_all(session, finance, day(0))
    assert sms.status is ActionStatus.SENT
    # ERPNext test_dunning_resolution_from_credit_note: a return against the invoice resolves
    ledger.credit_note(session, invoice, Decimal("100.00"), "goods returned", actor=finance)
    run(session, day(6))
    assert the_case(session).status is CaseStatus.CLOSED and proposals(session) == []


def test_a_credit_note_on_account_does_not_settle_the_invoice(
    session: Session, buyer: Customer, finance: User
) -> None:
    # ERPNext test_dunning_not_affected_by_standalone_credit_note: a credit not against the
    # invoice leaves it overdue; in Concord a credit on the customer's account is applied by
    # finance, it does not reduce the dunned items by itself
    due_on(session, buyer, day(-10), amount="100.00")
    run(session)
    ledger.credit_note(session, buyer, Decimal("100.00"), "goodwill", actor=finance)
    run(session, day(1))
    case = the_case(session)
    assert case.status is CaseStatus.OPEN and case.overdue_amount == Decimal("100.00")
    assert channels(session) == ["sms"]


def test_a_partial_payment_leaves_the_rest_dunned_at_its_open_amount(
    session: Session, buyer: Customer, finance: User
) -> None:
    invoice = due_on(session, buyer, day(-6), amount="100.00")
    run(session)
    (sms,) = proposals(session)
    make_payment(session, buyer, [(invoice, "50.00")], booking_date=TODAY)
    run(session, day(1))
    case = the_case(session)
    assert case.status is CaseStatus.OPEN and case.overdue_amount == Decimal("50.00")
    approve_all(session, finance, day(1))
    # the message goes out for what is open when it is sent, not what was open when proposed
    assert sms.status is ActionStatus.SENT and sms.amount == Decimal("50.00")
    assert "CNY 50.00" in sms.body


def test_the_older_invoice_paid_between_steps_does_not_restart_the_ladder(
    session: Session, buyer: Customer, finance: User
) -> None:
    # Odoo test_followup_multiple_invoices_with_first_payment: the partner's level falls back to
    # the one of the remaining (younger) invoice. Concord keeps the case's step (the customer
    # had the SMS; sending it again would be a second first reminder) and times the next step
    # from the oldest item still open.
    older = due_on(session, buyer, day(-10))
    due_on(session, buyer, day(-1))
    run(session)
    approve_all(session, finance)
    make_payment(session, buyer, [(older, "500.00")], booking_date=TODAY)
    run(session, day(1))
    case = the_case(session)
    assert case.status is CaseStatus.OPEN and case.oldest_due_date == day(-1)
    assert case.step is not None and case.step.channel == "sms"
    # email: day 8 of the younger item (TODAY + 7), not day 8 of the paid one (TODAY - 2)
    run(session, day(6))
    assert proposals(session) == []
    run(session, day(7))
    (email,) = proposals(session)
    assert email.channel == "email" and email.amount == Decimal("500.00")


def test_a_proposal_counts_only_what_is_due_by_its_step(
    session: Session, buyer: Customer, finance: User
) -> None:
    overdue_item = due_on(session, buyer, day(-2), amount="100.00")
    due_on(session, buyer, day(2), amount="40.00")  # within the reminder's lead, not yet due
    run(session)
    (sms,) = proposals(session)
    # the overdue SMS asks for what is overdue (or due today), as it will when it is sent:
    # the invoice due in 2 days is not in it, nor in the amount finance approves
    assert sms.invoice_ids == [overdue_item.id]
    assert sms.amount == Decimal("100.00") and "CNY 100.00" in sms.body
    approve_all(session, finance)
    assert sms.status is ActionStatus.SENT and sms.amount == Decimal("100.00")


# --- promise, dispute, hold: nothing is sent (Odoo litigation, "no follow-up") ----------------


def test_a_promise_to_pay_pauses_and_a_broken_one_brings_the_step_back(
    session: Session, buyer: Customer, finance: User
) -> None:
    due_on(session, buyer, day(-20), amount="800.00")
    run(session)
    (sms,) = proposals(session)
    case = the_case(session)
    promises.make_promise(
        session,
        case,
        instalments=[(day(5), Decimal("800.00"))],
        source="call",
        user=finance,
        grace_days=3,
        today=TODAY,
    )
    # the pending SMS is withdrawn, audited with who and why
    assert sms.status is ActionStatus.CANCELLED and sms.note == "paused by a promise to pay"
    cancelled = session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "collections.action_cancelled",
            AuditEvent.entity_id == str(sms.id),
        )
    ).one()
    assert cancelled.actor_id == finance.id and cancelled.reason == "paused by a promise to pay"
    for n in range(1, 9):
        run(session, day(n))
        assert proposals(session) == [], n
    # not paid by the date plus grace: broken, and the step the promise withdrew comes back
    result = run(session, day(9))
    assert result.promises_broken == 1
    (again,) = proposals(session)
    assert again.channel == "sms" and again.case_id == case.id
    approve_all(session, finance, day(9))
    assert again.status is ActionStatus.SENT and case.step is not None
    assert case.step.channel == "sms"


def test_a_step_withdrawn_because_its_items_were_paid_is_proposed_for_the_new_ones(
    session: Session, buyer: Customer, finance: User
) -> None:
    first = due_on(session, buyer, day(-3))
    run(session)
    (sms,) = proposals(session)
    # before it is approved, the invoice is paid and another one falls overdue: the case
    # stays open, the approved SMS is cancelled as settled before it was sent
    make_payment(session, buyer, [(first, "500.00")], booking_date=TODAY)
    later = due_on(session, buyer, day(-1))
    approve_all(session, finance)
    assert sms.status is ActionStatus.CANCELLED and sms.note == "settled before it was sent"
    assert the_case(session).status is CaseStatus.OPEN
    # the next run proposes the first contact for what is overdue now, not nothing forever
    run(session, day(1))
    (again,) = proposals(session)
    assert again.channel == "sms" and again.invoice_ids == [later.id]


def test_a_disputed_invoice_is_not_dunned_and_the_others_are(
    session: Session, buyer: Customer, finance: User
) -> None:
    # Odoo test_05_litigation: a blocked (litigation) line gets no follow-up
    disputed = due_on(session, buyer, day(-40), amount="300.00")
    dispute(session, buyer, disputed, finance, Decimal("300.00"))
    run(session)
    assert proposals(session) == [] and session.scalars(select(CollectionCase)).all() == []
    plain = due_on(session, buyer, day(-5), amount="200.00")
    run(session, day(1))
    (sms,) = proposals(session)
    assert sms.invoice_ids == [plain.id] and sms.amount == Decimal("200.00")
    # the case is timed from the undisputed item, not the 40-day disputed one
    assert the_case(session).oldest_due_date == plain.due_date


def test_a_customer_on_hold_gets_nothing_until_the_hold_is_lifted(
    session: Session, buyer: Customer, finance: User
) -> None:
    # Odoo's "no follow-up" / OCA's partner without a policy: Concord has no such flag on the
    # customer; the run passes over customers on (credit) hold, so that is what is ported here
    due_on(session, buyer, day(-20))
    set_hold(session, buyer, hold=True, reason="talks with their CFO", user=finance)
    for n in range(10):
        run(session, day(n))
    assert session.scalars(select(CollectionAction)).all() == []
    set_hold(session, buyer, hold=False, reason="agreed to pay", user=finance)
    run(session, day(10))
    assert channels(session) == ["sms"]


def test_a_proposal_made_before_the_hold_is_not_sent_during_it(
    app: Flask, session: Session, buyer: Customer, finance: User
) -> None:
    due_on(session, buyer, day(-20))
    run(session)
    (sms,) = proposals(session)
    set_hold(session, buyer, hold=True, reason="talks with their CFO", user=finance)
    # withdrawn as the hold is set: finance is not asked to approve it, nothing is sent
    assert proposals(session) == [] and approve_all(session, finance) == (0, 0, 0, 0)
    assert outbox(app, ".sms.txt") == []
    assert sms.status is ActionStatus.CANCELLED and sms.note == "the customer is on hold"
    assert session.scalar(
        select(AuditEvent).where(
            AuditEvent.action == "collections.action_cancelled",
            AuditEvent.entity_id == str(sms.id),
            AuditEvent.reason == "the customer is on hold",
        )
    )
    set_hold(session, buyer, hold=False, reason="agreed to pay", user=finance)
    run(session, day(1))
    assert proposals(session) == [sms]  # the same step, proposed again


def test_a_message_approved_but_held_is_withdrawn_when_the_hold_is_set(
    app: Flask, session: Session, buyer: Customer, finance: User
) -> None:
    due_on(session, buyer, day(-20))
    run(session)
    (sms,) = proposals(session)
    # approved at night: held by quiet hours until the next run
    cases.approve(
        session, [sms.id], user=finance, settings=ladders.load_settings(session), now=at(TODAY, 14)
    )
    assert sms.status is ActionStatus.APPROVED
    set_hold(session, buyer, hold=True, reason="talks with their CFO", user=finance)
    assert sms.status is ActionStatus.CANCELLED and sms.note == "the customer is on hold"
    run(session, day(1))
    assert outbox(app, ".sms.txt") == []


def test_handing_over_to_legal_withdraws_the_waiting_reminder_on_the_record(
    session: Session, buyer: Customer, finance: User
) -> None:
    # ERPNext's and Odoo's last level is a final notice; Concord's is the hand-over to legal by
    # a named approver, which may come before a proposed reminder was approved
    due_on(session, buyer, day(-200))
    run(session)
    (sms,) = proposals(session)
    cases.hand_over_to_legal(
        session, the_case(session), approver=finance, reason="insolvent", user=finance, today=TODAY
    )
    assert sms.status is ActionStatus.CANCELLED and sms.note == "the case went to legal"
    withdrawn = session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "collections.action_cancelled",
            AuditEvent.entity_id == str(sms.id),
        )
    ).one()
    assert withdrawn.actor_id == finance.id and withdrawn.reason == "the case went to legal"
    run(session, day(30))
    assert proposals(session) == []  # with legal, the ladder proposes nothing more


def test_the_case_page_says_why_a_step_was_withdrawn_in_the_readers_language(
    client: FlaskClient, session: Session, buyer: Customer
) -> None:
    chinese = make_user(session, "finance", language="zh")
    due_on(session, buyer, day(-20))
    run(session)
    promises.make_promise(
        session,
        the_case(session),
        instalments=[(dt.date.today() + dt.timedelta(days=5), Decimal("100.00"))],
        source="call",
        user=chinese,
        grace_days=3,
        today=TODAY,
    )
    login(client, chinese)
    page = client.get(f"/followups/cases/{the_case(session).id}").get_data(as_text=True)
    assert "因付款承诺暂停" in page and "paused by a promise to pay" not in page


# --- currencies, amounts, fees ----------------------------------------------------------------


def test_each_currency_is_its_own_case_and_amounts_are_never_added(
    session: Session, buyer: Customer
) -> None:
    due_on(session, buyer, day(-10), amount="100.00")
    due_on(session, buyer, day(-12), amount="200.00")
    due_on(session, buyer, day(-3), amount="70.00", currency="USD")
    run(session)
    found = {a.case.currency: a for a in proposals(session)}
    assert set(found) == {"CNY", "USD"}
    assert found["CNY"].amount == Decimal("300.00") and "CNY 300.00" in found["CNY"].body
    assert found["USD"].amount == Decimal("70.00") and "USD 70.00" in found["USD"].body
    assert the_case(session, "USD").overdue_amount == Decimal("70.00")


def test_several_due_dates_are_dunned_at_the_step_of_the_case(
    session: Session, buyer: Customer, finance: User
) -> None:
    # OCA test_generate_credit_lines_with_max_level: with apply_max_policy_level every line of
    # the partner is raised to the highest level reached. Concord has one step per case, so an
    # invoice falling due later joins the case's next message rather than starting a ladder
    due_on(session, buyer, day(-10))
    run(session)
    approve_all(session, finance)
    newer = due_on(session, buyer, day(3))
    run(session, day(5))
    (email,) = proposals(session)
    assert email.channel == "email" and newer.id in email.invoice_ids
    assert email.amount == Decimal("1000.00")


def test_no_dunning_fee_or_interest_is_added(
    session: Session, buyer: Customer, finance: User
) -> None:
    # ERPNext test_dunning_with_fees_and_interest charges a fee (10.00) and interest on the
    # outstanding amount. Concord's ladders have neither: what a message asks for is the open
    # amount of the items (ERPNext test_dunning_without_fees: grand total = outstanding)
    due_on(session, buyer, day(-15), amount="100.00")
    run(session)
    (sms,) = proposals(session)
    approve_all(session, finance)
    assert sms.amount == Decimal("100.00") and "CNY 100.00" in sms.body


def test_a_run_dated_before_the_last_one_changes_nothing(
    session: Session, buyer: Customer, finance: User
) -> None:
    # OCA test_check_run_date refuses a run dated before the last one. Concord's run may be
    # given any day (``followups run --today``); one dated back finds every step already taken
    # or not yet due, so it proposes, opens and closes nothing
    due_on(session, buyer, day(-20))
    run(session)
    approve_all(session, finance)
    run(session, day(10))
    approve_all(session, finance, day(10))
    case = the_case(session)
    assert case.step is not None and (case.step.channel, case.step_on) == ("email", day(10))
    result = run(session, day(2))
    assert sum(result.proposed.values()) == 0 and result.cases_opened == result.cases_closed == 0
    assert proposals(session) == [] and (case.step.channel, case.step_on) == ("email", day(10))
