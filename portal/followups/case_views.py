"""What collection pages show: one case brought up to date, a customer's cases and history."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ..audit.service import record, record_many
from ..models import (
    CaseEvent,
    CaseStatus,
    CollectionAction,
    CollectionCase,
    LadderStep,
    User,
    utcnow,
)
from .case_items import (
    Item,
    case_items,
    close_settled_tasks,
    withdraw_pending,
)
from .ladders import (
    active_steps,
    upcoming_step,
)


@dataclass
class CaseView:
    """Everything a page shows about one case."""

    case: CollectionCase
    items: list[Item]
    events: list[CaseEvent]
    actions: list[CollectionAction]
    promises: list[Any]
    open_promise: Any | None
    next_step: LadderStep | None
    #: what open disputes hold out of the items (not dunned until they are decided)
    disputed: Decimal = Decimal("0")


def refresh_case(
    session: Session,
    case: CollectionCase,
    *,
    today: dt.date,
    actor: User | None = None,
) -> None:
    """Bring one case up to date with its items on ``today`` (a page looks: settled cases close)."""
    if case.status is CaseStatus.CLOSED:
        return
    lead = (
        max(0, -min((s.offset_days for s in case.ladder.steps if s.active), default=0))
        if case.ladder
        else 0
    )
    items = case_items(session, case, horizon=today + dt.timedelta(days=lead))
    overdue = [i for i in items if i.due_date < today]
    step = case.step
    past_pre_due = case.status is CaseStatus.LEGAL or (step is not None and step.offset_days >= 0)
    if not items or (not overdue and past_pre_due):
        case.move_to(CaseStatus.CLOSED)
        case.closed_at = utcnow()
        case.overdue_amount, case.oldest_due_date, case.item_count = Decimal("0"), None, 0
        case.paused_until = None
        session.add(CaseEvent(case_id=case.id, channel="system", kind="closed", outcome="settled"))
        session.flush()
        record(session, actor, "collections.case_closed", case, data={"why": "settled"})
        withdrawn = withdraw_pending(session, [case.id], "the case is closed", utcnow())
        record_many(session, events=withdrawn, actor=actor)
        close_settled_tasks(session, now=utcnow())
        return
    case.overdue_amount = sum((i.open_amount for i in items), Decimal("0"))
    case.oldest_due_date = min(i.due_date for i in items)
    case.item_count = len(items)
    session.flush()


def case_view(session: Session, case: CollectionCase, *, today: dt.date | None = None) -> CaseView:
    """The case with its items, history, proposals and promises (refreshed first)."""
    from ..models import Promise

    today = today or dt.date.today()
    refresh_case(session, case, today=today)
    lead = (
        max(0, -min((s.offset_days for s in case.ladder.steps if s.active), default=0))
        if case.ladder
        else 0
    )
    items = (
        case_items(session, case, horizon=today + dt.timedelta(days=lead))
        if case.status is not CaseStatus.CLOSED
        else []
    )
    events = list(
        session.scalars(
            select(CaseEvent)
            .where(CaseEvent.case_id == case.id)
            .options(joinedload(CaseEvent.actor))
            .order_by(CaseEvent.at.desc(), CaseEvent.id.desc())
        )
    )
    actions = list(
        session.scalars(
            select(CollectionAction)
            .where(CollectionAction.case_id == case.id)
            .options(joinedload(CollectionAction.step))
            .order_by(CollectionAction.id.desc())
        )
    )
    promises_ = list(
        session.scalars(
            select(Promise).where(Promise.case_id == case.id).order_by(Promise.id.desc())
        )
    )
    open_promise = next((p for p in promises_ if p.status.value == "open"), None)
    nxt = None
    if case.ladder is not None and case.status is CaseStatus.OPEN and items:
        # what the daily run will propose (now or when due), with its passing-over rules
        nxt = upcoming_step(
            active_steps(case.ladder),
            current_position=case.step.position if case.step else None,
            days=(today - min(i.due_date for i in items)).days,
        )
    disputed = sum((i.disputed for i in items), Decimal("0"))
    return CaseView(case, items, events, actions, promises_, open_promise, nxt, disputed)


def customer_cases(session: Session, customer_id: int) -> list[CollectionCase]:
    """A customer's cases (open first), for a customer page."""
    return list(
        session.scalars(
            select(CollectionCase)
            .where(CollectionCase.customer_id == customer_id)
            .options(joinedload(CollectionCase.owner), joinedload(CollectionCase.step))
            .order_by(CollectionCase.status, CollectionCase.currency)
        )
    )


@dataclass
class CustomerCollections:
    """What a customer page shows of collections: cases, their recent history, promises."""

    cases: list[CollectionCase]
    #: the latest history lines of each case (newest first), by case id
    recent: dict[int, list[CaseEvent]]
    #: the open promise of each case that has one, by case id
    open_promises: dict[int, Any]
    #: this customer's kept, broken and open promises
    promise_stats: Any


def customer_collections(
    session: Session, customer_id: int, *, events_per_case: int = 10
) -> CustomerCollections:
    """Cases (open first), recent history and promises of one customer, in four queries."""
    from ..models import Promise, PromiseStatus
    from . import promises

    own = customer_cases(session, customer_id)
    ids = [c.id for c in own]
    recent: dict[int, list[CaseEvent]] = defaultdict(list)
    open_promises: dict[int, Any] = {}
    if ids:
        for event in session.scalars(
            select(CaseEvent)
            .where(CaseEvent.case_id.in_(ids))
            .options(joinedload(CaseEvent.actor))
            .order_by(CaseEvent.at.desc(), CaseEvent.id.desc())
        ):
            if len(recent[event.case_id]) < events_per_case:
                recent[event.case_id].append(event)
        for promise in session.scalars(
            select(Promise).where(Promise.case_id.in_(ids), Promise.status == PromiseStatus.OPEN)
        ):
            open_promises[promise.case_id] = promise
    return CustomerCollections(
        cases=own,
        recent=dict(recent),
        open_promises=open_promises,
        promise_stats=promises.stats(session, customer_ids=[customer_id]),
    )
