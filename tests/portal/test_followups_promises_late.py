"""A promise judged broken is judged again when money that came in time is applied later.

The bank file of the day the customer paid arrives after the nightly run judged the promise
broken: once the payment is applied, the promise is kept after all (or, for an instalment plan
still running, open again), on the record with who, when and why, and what the break set off
is taken back: the step it brought forward, the call task, the count on the case.
"""

from __future__ import annotations

from decimal import Decimal

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.followups import promises
from portal.models import (
    ActionStatus,
    AuditEvent,
    CaseEvent,
    Customer,
    FollowUp,
    FollowUpStatus,
    Invoice,
    Promise,
    PromiseStatus,
    User,
)
from tests.portal.customer_helpers import make_payment
from tests.portal.finance_helpers import login
from tests.portal.test_followups import TODAY, approve_all, proposals, run
from tests.portal.test_followups_amounts import day, due_on, the_case
from tests.portal.test_followups_collections import standard_ladder_only  # noqa: F401


def broken_promise(
    session: Session, buyer: Customer, finance: User, *plan: tuple[int, str]
) -> tuple[Promise, Invoice, Invoice]:
    """A customer sent the SMS today promises to pay (by day 1, 1,000.00 of the 1,500.00
    overdue); the nightly run of day 4 finds no money and judges the promise broken."""
    promised = due_on(session, buyer, day(-10), "1000.00")
    other = due_on(session, buyer, day(-10), "500.00")
    run(session)
    approve_all(session, finance, TODAY)  # the SMS goes out today
    made = promises.make_promise(
        session,
        the_case(session),
        instalments=[(day(n), Decimal(a)) for n, a in plan] or [(day(1), Decimal("1000.00"))],
        source="call",
        user=finance,
        grace_days=2,
        today=TODAY,
    )
    assert run(session, day(4)).promises_broken == 1
    assert made.status is PromiseStatus.BROKEN
    return made, promised, other


def call_tasks(session: Session) -> list[FollowUp]:
    return list(session.scalars(select(FollowUp).where(FollowUp.case_id.is_not(None))))


def test_money_paid_in_time_but_applied_after_the_break_keeps_the_promise(
    client: FlaskClient, session: Session, buyer: Customer, finance: User
) -> None:
    promise, promised, _other = broken_promise(session, buyer, finance)
    case = the_case(session)
    # the break brought the email forward (its 5-day gap waived) and asked for a call
    (email,) = proposals(session)
    assert email.channel == "email" and case.escalate and case.broken_promises == 1
    (task,) = call_tasks(session)
    assert task.status is FollowUpStatus.OPEN
    # the bank file of day 2 is uploaded on day 4, after the run: the money came in time
    make_payment(session, buyer, [(promised, "1000.00")], booking_date=day(2))
    result = run(session, day(4))
    assert promise.status is PromiseStatus.KEPT and result.promises_kept == 1
    assert promise.resolved_at is not None
    # on the record: who (the run), when, why
    audit = session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "collections.promise_kept",
            AuditEvent.entity_id == str(promise.id),
        )
    ).one()
    assert audit.actor_id is None
    assert audit.reason == f"kept: payment of {day(2).isoformat()} applied later"
    assert audit.data["was"] == "broken"
    # what the break set off is taken back
    assert email.status is ActionStatus.CANCELLED
    assert email.note == "the promise was kept: payment applied later"
    assert session.scalar(
        select(AuditEvent).where(
            AuditEvent.action == "collections.action_cancelled",
            AuditEvent.entity_id == str(email.id),
            AuditEvent.reason == "the promise was kept: payment applied later",
        )
    )
    assert not case.escalate and case.broken_promises == 0
    assert task.status is FollowUpStatus.DONE
    stats = promises.stats(session)
    assert (stats.kept, stats.broken) == (1, 0)
    # the ladder goes on at its own pace for the 500.00 still owed: the email after its gap
    assert proposals(session) == []
    run(session, day(5))
    (again,) = proposals(session)
    assert again.channel == "email" and again.amount == Decimal("500.00")
    # the case's history says it in the reader's language
    event = session.scalars(
        select(CaseEvent).where(
            CaseEvent.case_id == case.id, CaseEvent.outcome == "kept_applied_later"
        )
    ).one()
    assert event.kind == "promise_kept" and day(2).isoformat() in event.body
    login(client, finance)
    page = client.get(f"/followups/cases/{case.id}").get_data(as_text=True)
    assert "Kept: money paid in time was applied after the promise was judged broken" in page
    with client.session_transaction() as browser:
        browser["lang"] = "zh"
    page = client.get(f"/followups/cases/{case.id}").get_data(as_text=True)
    assert "applied after the promise" not in page


def test_money_that_came_late_and_was_applied_late_leaves_the_promise_broken(
    session: Session, buyer: Customer, finance: User
) -> None:
    promise, promised, _other = broken_promise(session, buyer, finance)
    make_payment(session, buyer, [(promised, "1000.00")], booking_date=day(4))
    run(session, day(5))
    assert promise.status is PromiseStatus.BROKEN
    assert the_case(session).broken_promises == 1


def test_an_instalment_plan_paid_in_time_is_open_again_until_its_last_date(
    session: Session, buyer: Customer, finance: User
) -> None:
    promise, promised, _other = broken_promise(
        session, buyer, finance, (1, "400.00"), (20, "600.00")
    )
    (email,) = proposals(session)
    make_payment(session, buyer, [(promised, "400.00")], booking_date=day(1))
    run(session, day(4))
    assert promise.status is PromiseStatus.OPEN and promise.resolved_at is None
    case = the_case(session)
    assert case.paused_until == day(22) and case.broken_promises == 0 and not case.escalate
    assert email.status is ActionStatus.CANCELLED and email.note == "paused by a promise to pay"
    audit = session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "collections.promise_reopened",
            AuditEvent.entity_id == str(promise.id),
        )
    ).one()
    assert audit.reason == f"open again: payment of {day(1).isoformat()} applied later"
    # paused again: nothing is proposed until the plan is judged
    for n in (5, 12, 22):
        run(session, day(n))
        assert proposals(session) == [], n
    make_payment(session, buyer, [(promised, "600.00")], booking_date=day(19))
    run(session, day(23))
    assert promise.status is PromiseStatus.KEPT


def test_a_plan_replaced_by_a_newer_promise_is_not_opened_again(
    session: Session, buyer: Customer, finance: User
) -> None:
    promise, promised, _other = broken_promise(
        session, buyer, finance, (1, "400.00"), (20, "600.00")
    )
    newer = promises.make_promise(
        session,
        the_case(session),
        instalments=[(day(10), Decimal("1500.00"))],
        source="call",
        user=finance,
        grace_days=2,
        today=day(4),
    )
    make_payment(session, buyer, [(promised, "400.00")], booking_date=day(1))
    run(session, day(5))
    # one open promise per case: the newer one, which the payment counts for
    assert promise.status is PromiseStatus.BROKEN and newer.status is PromiseStatus.OPEN
