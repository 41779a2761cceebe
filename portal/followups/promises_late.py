"""Broken promises judged again when money that came in time is applied after the break.

A promise is judged on the day the money came (the bank's booking date, the ERP's settlement
day), however late it was applied; but the nightly run can only count what is applied by then.
When the bank file of the day the customer paid arrives after the run judged the promise
broken, the verdict was wrong, and the customer is reminded (sooner, by escalation) of money
they paid in time.

What is done about it (decided here, for every broken promise):

- Each run, before judging the open promises, looks again at the promises broken in the last
  :data:`LOOK_BACK_DAYS` days on whose items money was recorded since the break that came by
  the last instalment's date plus the grace. With that money the promise is judged again by
  the same rule (:func:`~.promises.judge`): **kept** when what came in time reaches what it
  asked for; **open again** when it is an instalment plan still running and every instalment
  due so far was paid in time (the case is paused again until the last date plus the grace);
  otherwise it stays broken (also a plan whose case has a newer open promise: one open
  promise per case).
- The change is audited (``collections.promise_kept`` / ``collections.promise_reopened``, by
  the run, with the reason ``kept: payment of <day> applied later``) and said on the case.
- What the break set off is taken back where it has not happened yet: the case is no longer
  escalated nor counted as having broken a promise, the "call again" task is closed, and the
  steps proposed or approved since the break (not yet sent) are withdrawn on the record. The
  same run then proposes, at the ladder's own pace (no escalation), whatever is still due, so
  a step that was due anyway comes back with today's figures and one that only the break
  brought forward waits for its gap. A message already sent cannot be taken back.
- Money older than the look-back (a promise broken months ago) does not reopen the verdict:
  bank files arrive days late, not months, and the case has moved on since.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..audit.service import PendingEvent, record, record_many
from ..localtime import local_day
from ..models import (
    CaseEvent,
    CollectionAction,
    CollectionCase,
    FollowUp,
    Promise,
    PromiseStatus,
)
from .case_items import OPEN_TASKS, PENDING, cancel_action, close_task
from .promises import Money, Verdict, figures_text, judge, load_cases, on_their_items

#: broken promises are judged again for money applied this many days after the break
LOOK_BACK_DAYS = 60

#: why the steps proposed since the break are withdrawn (reason codes, see ``forms``)
KEPT_LATE = "the promise was kept: payment applied later"
PAUSED = "paused by a promise to pay"


def rejudge_broken(session: Session, *, today: dt.date, now: dt.datetime) -> tuple[int, int]:
    """Judge again the recently broken promises that money applied since proves wrong.

    :return: how many are kept now, and how many are open again.
    """
    broken = list(
        session.scalars(
            select(Promise)
            .where(
                Promise.status == PromiseStatus.BROKEN,
                Promise.resolved_at >= now - dt.timedelta(days=LOOK_BACK_DAYS),
            )
            .options(selectinload(Promise.instalments))
        )
    )
    if not broken:
        return 0, 0
    # a case has one open promise: a plan replaced by a newer promise is not opened again
    promised = set(
        session.scalars(select(Promise.case_id).where(Promise.status == PromiseStatus.OPEN))
    )
    again: list[tuple[Promise, Verdict, dt.date]] = []
    for promise, money, still_open in on_their_items(session, broken):
        late = _applied_since_the_break(promise, money)
        if late is None:
            continue
        verdict = judge(promise, money, still_open, today)
        if verdict.status is PromiseStatus.KEPT or (
            verdict.status is PromiseStatus.OPEN and promise.case_id not in promised
        ):
            again.append((promise, verdict, late))
            promised.add(promise.case_id)
    load_cases(session, {promise.case_id for promise, _v, _d in again})
    for promise, verdict, late in again:
        _take_back(session, promise, verdict, late, now=now)
    kept = sum(verdict.status is PromiseStatus.KEPT for _p, verdict, _d in again)
    return kept, len(again) - kept


def _applied_since_the_break(promise: Promise, money: Sequence[Money]) -> dt.date | None:
    """The day of the latest money recorded after the break that came in time (``None``:
    nothing the verdict missed)."""
    assert promise.resolved_at is not None  # a broken promise was resolved
    last = promise.instalments[-1].due_date + dt.timedelta(days=promise.grace_days)
    days = [
        m.day
        for m in money
        if m.currency == promise.currency
        and m.recorded_at > promise.resolved_at
        and m.day <= last
        and m.amount > 0
    ]
    return max(days) if days else None


def _take_back(
    session: Session, promise: Promise, verdict: Verdict, late: dt.date, *, now: dt.datetime
) -> None:
    """Move a broken promise to ``verdict`` and take back what its break set off."""
    case = session.get_one(CollectionCase, promise.case_id)
    broken_at = promise.resolved_at
    assert broken_at is not None
    kept = verdict.status is PromiseStatus.KEPT
    promise.move_to(verdict.status)
    promise.resolved_at = now if kept else None
    case.broken_promises = max(0, case.broken_promises - 1)
    case.escalate = False
    if not kept:  # an instalment plan running again pauses its case again
        last = promise.instalments[-1].due_date
        case.paused_until = last + dt.timedelta(days=promise.grace_days)
    why = f"{'kept' if kept else 'open again'}: payment of {late.isoformat()} applied later"
    session.add(
        CaseEvent(
            case_id=case.id,
            at=now,
            channel="system",
            kind="promise_kept" if kept else "promise_reopened",
            outcome="kept_applied_later" if kept else "reopened_applied_later",
            body=f"{figures_text(verdict, promise.currency)} ({late.isoformat()})",
        )
    )
    session.flush()
    record(
        session,
        None,
        "collections.promise_kept" if kept else "collections.promise_reopened",
        promise,
        reason=why,
        data={
            "case": case.id,
            "was": PromiseStatus.BROKEN.value,
            "broken_at": broken_at.isoformat(),
            "payment_day": late.isoformat(),
            "paid": str(verdict.paid),
            "asked": str(verdict.asked),
        },
    )
    events = _withdraw_since(session, case, broken_at, KEPT_LATE if kept else PAUSED, now)
    events += _close_call_task(session, promise, why, now)
    record_many(session, events=events, actor=None)


def _withdraw_since(
    session: Session, case: CollectionCase, since: dt.datetime, why: str, now: dt.datetime
) -> list[PendingEvent]:
    """Withdraw the case's steps proposed since ``since`` and not sent yet (an approved one held
    by quiet hours or the cap included)."""
    events: list[PendingEvent] = []
    for action in session.scalars(
        select(CollectionAction)
        .where(
            CollectionAction.case_id == case.id,
            CollectionAction.status.in_(PENDING),
            CollectionAction.proposed_on >= local_day(since),
        )
        .order_by(CollectionAction.id)
    ):
        cancel_action(action, why)
        action.decided_at = now
        events.append(
            PendingEvent("collections.action_cancelled", "collection_action", action.id, reason=why)
        )
    session.flush()
    return events


def _close_call_task(
    session: Session, promise: Promise, why: str, now: dt.datetime
) -> list[PendingEvent]:
    """Close the "promise broken: call again" task the break gave the case's owner."""
    task = session.scalar(
        select(FollowUp).where(
            FollowUp.dedupe_key == f"promise:{promise.id}:broken",
            FollowUp.status.in_(OPEN_TASKS),
        )
    )
    if task is None:
        return []
    close_task(task, at=now)
    session.flush()
    return [PendingEvent("followup.status", "followup", task.id, {"to": "done"}, reason=why)]
