"""What the proposals page reads: pending proposals filtered and paged, and their summary.

The counts and totals per step are worked out in SQL over every pending proposal, so they are
the same whichever page is shown; "approve all" takes every proposal matching the page's
filters (:func:`approvable_ids`), not only those on the page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, joinedload

from ..models import (
    ActionStatus,
    CollectionAction,
    CollectionCase,
    Customer,
    Invoice,
    LadderStep,
)
from ..models.base import exact_amount
from ..search import contains_any
from .case_items import Item, dunned_now

#: sample messages shown per step
SAMPLES = 2


@dataclass(frozen=True)
class ProposalFilters:
    """Which pending proposals the page shows: one step's, a customer's (code or name)."""

    step: int | None = None
    q: str | None = None

    def args(self) -> dict[str, Any]:
        """The filters as query-string arguments (pager, approve form, redirects)."""
        return {k: v for k, v in self.__dict__.items() if v not in (None, "")}


@dataclass
class StepSummary:
    """One step's pending proposals: how many, and their amounts per currency."""

    step: LadderStep
    count: int = 0
    totals: list[tuple[str, Decimal]] = field(default_factory=list)
    samples: list[CollectionAction] = field(default_factory=list)


def _matching(filters: ProposalFilters) -> Select[Any]:
    query = (
        select(CollectionAction)
        .join(CollectionCase, CollectionAction.case_id == CollectionCase.id)
        .where(CollectionAction.status == ActionStatus.PROPOSED)
    )
    if filters.step is not None:
        query = query.where(CollectionAction.step_id == filters.step)
    if filters.q:
        customers = select(Customer.id).where(contains_any(filters.q, Customer.code, Customer.name))
        query = query.where(CollectionCase.customer_id.in_(customers))
    return query


def proposals_query(filters: ProposalFilters) -> Select[Any]:
    """The pending proposals matching ``filters``, by channel, step, then oldest first."""
    return (
        _matching(filters)
        .options(
            joinedload(CollectionAction.case).joinedload(CollectionCase.customer),
            joinedload(CollectionAction.step).joinedload(LadderStep.ladder),
        )
        .order_by(CollectionAction.channel, CollectionAction.step_id, CollectionAction.id)
    )


def approvable_ids(session: Session, filters: ProposalFilters) -> list[int]:
    """Every pending proposal matching ``filters`` that approving sends (legal ones need a
    named approver on the case instead)."""
    query = _matching(filters).where(CollectionAction.channel != "legal")
    return list(session.scalars(query.with_only_columns(CollectionAction.id)))


def count_approvable(session: Session, filters: ProposalFilters) -> int:
    """How many proposals "approve all" would approve now."""
    query = _matching(filters).where(CollectionAction.channel != "legal")
    return int(session.scalar(query.with_only_columns(func.count(CollectionAction.id))) or 0)


def step_summary(session: Session) -> list[StepSummary]:
    """Every step with pending proposals: count, totals per currency and a few samples."""
    rows = session.execute(
        select(
            CollectionAction.step_id,
            CollectionCase.currency,
            func.count(CollectionAction.id),
            func.sum(CollectionAction.amount),
        )
        .join(CollectionCase, CollectionAction.case_id == CollectionCase.id)
        .where(CollectionAction.status == ActionStatus.PROPOSED)
        .group_by(CollectionAction.step_id, CollectionCase.currency)
        .order_by(CollectionAction.step_id, CollectionCase.currency)
    ).all()
    if not rows:
        return []
    steps = {
        s.id: StepSummary(s)
        for s in session.scalars(
            select(LadderStep)
            .where(LadderStep.id.in_({r[0] for r in rows}))
            .options(joinedload(LadderStep.ladder))
        )
    }
    for step_id, currency, count, total in rows:
        steps[step_id].count += int(count)
        steps[step_id].totals.append((currency, exact_amount(total or 0)))
    for action in _samples(session, list(steps)):
        steps[action.step_id].samples.append(action)
    return sorted(steps.values(), key=lambda s: (s.step.channel, s.step.id))


def _samples(session: Session, step_ids: list[int]) -> list[CollectionAction]:
    """The first :data:`SAMPLES` pending proposals of each step (one query)."""
    ranked = (
        select(
            CollectionAction.id,
            func.row_number()
            .over(partition_by=CollectionAction.step_id, order_by=CollectionAction.id)
            .label("n"),
        )
        .where(
            CollectionAction.status == ActionStatus.PROPOSED,
            CollectionAction.step_id.in_(step_ids),
        )
        .subquery()
    )
    return list(
        session.scalars(
            select(CollectionAction)
            .join(ranked, ranked.c.id == CollectionAction.id)
            .where(ranked.c.n <= SAMPLES)
            .options(joinedload(CollectionAction.case).joinedload(CollectionCase.customer))
            .order_by(CollectionAction.id)
        )
    )


def invoice_numbers(session: Session, actions: list[CollectionAction]) -> dict[int, str]:
    """The numbers of the invoices the proposals name, by id (for the leave-out checkboxes)."""
    ids = sorted({i for a in actions for i in a.invoice_ids})
    found: dict[int, str] = {}
    for start in range(0, len(ids), 900):
        found.update(
            session.execute(
                select(Invoice.id, Invoice.number).where(Invoice.id.in_(ids[start : start + 900]))
            ).all()
        )
    return found


@dataclass(frozen=True)
class Figures:
    """What a proposal would ask for if it were sent now, beside what it said when proposed.

    Payments, credit notes, write-offs, the ERP import and disputes change the items after the
    run proposed; sending re-reads them, and these are worked out from what sending would send
    (:func:`~.case_items.dunned_now`), so finance approves these figures, not the stored ones.
    """

    #: what it duns now: the named items still open and due, less their disputed parts
    due: Decimal
    #: what open disputes hold out of those items
    held: Decimal
    #: how many of the named items are still dunned
    items: int
    #: the figures differ from the proposal's (beyond what a dispute holds out)
    changed: bool

    @property
    def settled(self) -> bool:
        """Nothing is owed on the named items any more: approving withdraws it, unsent."""
        return self.items == 0


def current_figures(
    session: Session, actions: list[CollectionAction], *, today: dt.date
) -> dict[int, Figures]:
    """The figures of ``actions`` (a page of proposals) now, by id: what sending would send
    (:func:`~.case_items.dunned_now`, the function sending uses), in a few queries whatever
    the number."""
    by_id = {a.id: a for a in actions}
    dunned = dunned_now(session, list(by_id.values()), today=today)
    return {action_id: _figures(by_id[action_id], items) for action_id, items in dunned.items()}


def _figures(action: CollectionAction, items: list[Item]) -> Figures:
    due = sum((i.open_amount for i in items), Decimal("0"))
    held = sum((i.disputed for i in items), Decimal("0"))
    named = [i for i in action.invoice_ids if i not in set(action.excluded_invoice_ids)]
    # a dispute moves part of the amount to "held out", said on its own line; items finance
    # left out are no change (leaving them out took their part off the amount)
    changed = action.amount not in (due, due + held) or len(items) != len(named)
    return Figures(due, held, len(items), changed)
