"""Promises to pay: made on a call or in the portal, they pause a case's ladder.

A promise covers the case's open items when it is made and records what was open on them
(``baseline_open``). It is judged on money: the payments applied to those items since the
promise (a reversed one is not money) and what the ERP booked as paid on them, each dated by
the day the money came (the receipt's booking date, the ERP's settlement day), in the
promise's currency only. Money counts for an instalment when it came by the instalment's date
plus the grace period, however late it was applied.

Credit notes, write-offs and corrections are not money, but what they take off the items is
not asked for either: the promise asks for its amount, or for what the items still call for
(open now plus the money paid since) when that is less. A promise is kept once the money in
time reaches that; it is broken when an instalment's date plus the grace has passed and less
than the instalments due by then came in time (said with what was paid: partly kept, or not
at all); it is void (cancelled, neither kept nor broken) when nothing is left to pay on its
items without any money paid. A broken promise resumes the ladder at once (the next step need
not wait for its minimum gap), is counted on the case, and gives the case's owner a task.
While a promise is open its case gets no step, even one closed and opened again meanwhile.

A promise judged broken before the money that came in time was applied (a late bank file) is
judged again by :mod:`.promises_late`, which takes back what the break set off.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from ..audit.service import record
from ..errors import ConcordError
from ..models import (
    Allocation,
    AllocationKind,
    BankTransaction,
    CaseEvent,
    CaseStatus,
    CollectionCase,
    ErpSettlement,
    Invoice,
    Promise,
    PromiseInstalment,
    PromiseStatus,
    User,
    locked,
    utcnow,
)
from ..models.base import typed_amount_problem
from .case_items import call_task, cancel_action, pending_actions_of
from .ladders import money_text

SOURCES = ("call", "portal", "staff")


class PromiseError(ConcordError):
    """A promise that cannot be recorded; the message says why."""


@dataclass(frozen=True)
class PromiseStats:
    """Kept and broken promises; ``rate`` is kept / (kept + broken), ``None`` without any."""

    kept: int
    broken: int
    open: int

    @property
    def rate(self) -> Decimal | None:
        judged = self.kept + self.broken
        if not judged:
            return None
        return (Decimal(self.kept) / Decimal(judged)).quantize(Decimal("0.0001"))


def make_promise(
    session: Session,
    case: CollectionCase,
    *,
    instalments: Sequence[tuple[dt.date, Decimal]],
    source: str,
    user: User | None,
    grace_days: int,
    today: dt.date,
    note: str = "",
) -> Promise:
    """Record a promise (one date and amount, or several instalments) and pause the case.

    :raises PromiseError: no instalment, a date in the past, an amount not positive or more
        than the case's open balance, or a closed case.
    """
    from .case_items import case_items

    if source not in SOURCES:
        raise PromiseError(_("unknown source %(source)s", source=repr(source)))
    # the case locked: two promises taken at the same moment (two users of the customer, or
    # the customer and a collector) must not leave two open ones; the second replaces the first
    locked(session, case)
    if case.status is not CaseStatus.OPEN:
        raise PromiseError(_("promises are taken on open cases only"))
    plan = sorted((d, Decimal(a)) for d, a in instalments)
    if not plan:
        raise PromiseError(_("give a date and an amount"))
    for day, amount in plan:
        if day < today:
            raise PromiseError(
                _("the date %(isoformat)s is in the past", isoformat=day.isoformat())
            )
        if amount <= 0:
            raise PromiseError(_("an amount must be more than zero"))
        if problem := typed_amount_problem(amount, case.currency):
            raise PromiseError(f"{amount}: {problem}")
    if len({d for d, _ in plan}) != len(plan):
        raise PromiseError(_("two instalments on the same date: add them together"))
    horizon = max(today, *(d for d, _ in plan))
    items = case_items(session, case, horizon=horizon)
    # a promise is for what is dunned: the part under open dispute is not asked for; payments
    # are counted against everything open on the items, so the baseline holds that
    owed = sum((i.open_amount for i in items), Decimal("0"))
    baseline = sum((i.open_amount + i.disputed for i in items), Decimal("0"))
    total = sum((a for _, a in plan), Decimal("0"))
    if total > owed:
        raise PromiseError(
            _(
                "%(total)s is more than the open %(open)s",
                total=money_text(total, case.currency),
                open=money_text(owed, case.currency),
            )
        )
    for old in session.scalars(
        select(Promise).where(Promise.case_id == case.id, Promise.status == PromiseStatus.OPEN)
    ):
        old.move_to(PromiseStatus.CANCELLED)
        old.resolved_at = utcnow()
        record(session, user, "collections.promise_replaced", old)
    promise = Promise(
        case_id=case.id,
        customer_id=case.customer_id,
        currency=case.currency,
        status=PromiseStatus.OPEN,
        source=source,
        amount=total,
        invoice_ids=[i.id for i in items],
        baseline_open=baseline,
        grace_days=grace_days,
        note=note.strip(),
        created_by_id=user.id if user else None,
    )
    promise.instalments = [PromiseInstalment(due_date=d, amount=a) for d, a in plan]
    session.add(promise)
    case.paused_until = plan[-1][0] + dt.timedelta(days=grace_days)
    # nothing more is sent while the customer keeps their word
    withdrawn = pending_actions_of(session, case)
    for action in withdrawn:
        cancel_action(action, "paused by a promise to pay")
        action.decided_at = action.decided_at or utcnow()
    session.flush()
    for action in withdrawn:
        record(
            session,
            user,
            "collections.action_cancelled",
            action,
            reason="paused by a promise to pay",
        )
    text = "; ".join(f"{d.isoformat()} {money_text(a, case.currency)}" for d, a in plan)
    session.add(
        CaseEvent(
            case_id=case.id,
            channel="portal" if source == "portal" else ("call" if source == "call" else "note"),
            kind="promise",
            body=f"{text}. {note.strip()}".strip(),
            invoice_ids=promise.invoice_ids,
            actor_id=user.id if user else None,
        )
    )
    session.flush()
    record(
        session,
        user,
        "collections.promise_made",
        promise,
        data={
            "case": case.id,
            "source": source,
            "instalments": [[d.isoformat(), str(a)] for d, a in plan],
            "paused_until": case.paused_until.isoformat(),
        },
    )
    return promise


@dataclass(frozen=True)
class Money:
    """Money paid on an invoice: when it came, how much, in what currency, recorded when."""

    invoice_id: int
    day: dt.date
    amount: Decimal
    currency: str
    recorded_at: dt.datetime


def money_on(session: Session, invoice_ids: Sequence[int]) -> list[Money]:
    """The payments (not reversed) and the ERP's settlements on these invoices."""
    found: list[Money] = []
    ids = sorted(set(invoice_ids))
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        payments = (
            select(
                Allocation.invoice_id,
                BankTransaction.booking_date,
                Allocation.amount,
                Allocation.currency,
                Allocation.created_at,
            )
            .join(BankTransaction, BankTransaction.id == Allocation.transaction_id)
            .where(
                Allocation.invoice_id.in_(chunk),
                Allocation.kind == AllocationKind.PAYMENT,
                Allocation.reversed_by_id.is_(None),
            )
        )
        erp = select(
            ErpSettlement.invoice_id,
            ErpSettlement.day,
            ErpSettlement.amount,
            ErpSettlement.currency,
            ErpSettlement.created_at,
        ).where(ErpSettlement.invoice_id.in_(chunk))
        for query in (payments, erp):
            found += [
                Money(invoice_id, day, amount, currency, at)
                for invoice_id, day, amount, currency, at in session.execute(query)
                if invoice_id is not None  # (the query takes an invoice's records only)
            ]
    return found


@dataclass(frozen=True)
class Verdict:
    """A promise judged: its status now, the money that came in time, what it asked for."""

    status: PromiseStatus
    paid: Decimal
    asked: Decimal


def judge(promise: Promise, money: Sequence[Money], open_now: Decimal, today: dt.date) -> Verdict:
    """Kept, broken, void (cancelled) or still open on ``today``.

    :param money: the money paid on the promise's items (any; this takes what counts).
    :param open_now: what is open on the promise's items now.
    """
    items = set(promise.invoice_ids)
    since = [
        m
        for m in money
        if m.invoice_id in items
        and m.currency == promise.currency
        and m.recorded_at >= promise.created_at
    ]
    asked = min(promise.amount, open_now + sum((m.amount for m in since), Decimal("0")))

    def came_by(day: dt.date) -> Decimal:
        return sum((m.amount for m in since if m.day <= day), Decimal("0"))

    grace = dt.timedelta(days=promise.grace_days)
    last = promise.instalments[-1].due_date + grace
    in_time = came_by(min(today, last))
    if asked <= 0:
        return Verdict(PromiseStatus.CANCELLED, in_time, asked)
    if in_time >= asked:
        return Verdict(PromiseStatus.KEPT, in_time, asked)
    due = Decimal("0")
    for instalment in promise.instalments:
        due += instalment.amount
        deadline = instalment.due_date + grace
        if today > deadline and came_by(deadline) < min(due, asked):
            return Verdict(PromiseStatus.BROKEN, in_time, asked)
    return Verdict(PromiseStatus.OPEN, in_time, asked)


def on_their_items(
    session: Session, promises: Sequence[Promise]
) -> list[tuple[Promise, list[Money], Decimal]]:
    """Each promise with the money paid on its items and what is open on them now (a few
    queries for all: each promise is judged on its own items' money, not on every promise's)."""
    ids = sorted({i for p in promises for i in p.invoice_ids})
    open_now: dict[int, Decimal] = {}
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        open_now.update(
            session.execute(
                select(Invoice.id, Invoice.open_amount).where(Invoice.id.in_(chunk))
            ).all()
        )
    money: dict[int, list[Money]] = defaultdict(list)
    for m in money_on(session, ids):
        money[m.invoice_id].append(m)
    found = []
    for promise in promises:
        items = set(promise.invoice_ids)
        still_open = sum((open_now.get(i, Decimal("0")) for i in items), Decimal("0"))
        found.append((promise, [m for i in items for m in money.get(i, ())], still_open))
    return found


def evaluate(session: Session, *, today: dt.date, now: dt.datetime) -> tuple[int, int]:
    """Judge every open promise; returns (kept, broken)."""
    promises = list(
        session.scalars(
            select(Promise)
            .where(Promise.status == PromiseStatus.OPEN)
            .options(selectinload(Promise.instalments))
        )
    )
    if not promises:
        return 0, 0
    kept = broken = 0
    judged: list[tuple[Promise, Verdict]] = []
    for promise, mine, still_open in on_their_items(session, promises):
        verdict = judge(promise, mine, still_open, today)
        if verdict.status is not PromiseStatus.OPEN:
            judged.append((promise, verdict))
    load_cases(session, {promise.case_id for promise, _verdict in judged})
    for promise, verdict in judged:
        _resolve(session, promise, verdict, today=today, now=now)
        kept += verdict.status is PromiseStatus.KEPT
        broken += verdict.status is PromiseStatus.BROKEN
    return kept, broken


def load_cases(session: Session, case_ids: set[int]) -> None:
    """Load the cases (and their customers) of the promises judged, in one query per 900:
    :func:`_resolve` then finds each in the session."""
    ordered = sorted(case_ids)
    for start in range(0, len(ordered), 900):
        session.scalars(
            select(CollectionCase)
            .where(CollectionCase.id.in_(ordered[start : start + 900]))
            .options(joinedload(CollectionCase.customer))
        ).all()


def figures_text(verdict: Verdict, currency: str) -> str:
    """A judged promise's figures, the same in every language: paid in time / asked for."""
    return f"{money_text(verdict.paid, currency)} / {money_text(verdict.asked, currency)}"


def _resolve(
    session: Session, promise: Promise, verdict: Verdict, *, today: dt.date, now: dt.datetime
) -> None:
    """Close a judged promise on its case's record (a broken one escalates the case)."""
    case = session.get(CollectionCase, promise.case_id)
    assert case is not None
    promise.move_to(verdict.status)
    promise.resolved_at = now
    outcome = {PromiseStatus.KEPT: "paid_in_time", PromiseStatus.CANCELLED: None}.get(
        verdict.status, "partly_kept" if verdict.paid > 0 else "nothing_paid"
    )
    if verdict.status is PromiseStatus.BROKEN:
        case.paused_until = None
        case.escalate = True
        case.broken_promises += 1
        if case.status is CaseStatus.OPEN:
            session.add(
                call_task(
                    case,
                    key=f"promise:{promise.id}:broken",
                    title=f"Promise to pay broken by {case.customer.name}: call again",
                    today=today,
                )
            )
    figures = figures_text(verdict, promise.currency)
    session.add(
        CaseEvent(
            case_id=case.id,
            at=now,
            channel="system",
            kind=f"promise_{verdict.status.value}",
            outcome=outcome,
            body=figures if verdict.status is not PromiseStatus.CANCELLED else "",
        )
    )
    session.flush()
    record(
        session,
        None,
        f"collections.promise_{verdict.status.value}",
        promise,
        data={"case": case.id, "paid": str(verdict.paid), "asked": str(verdict.asked)},
    )


def stats(
    session: Session,
    *,
    since: dt.date | None = None,
    customer_ids: Iterable[int] | None = None,
    currency: str | None = None,
) -> PromiseStats:
    """Kept, broken and open promises (made since ``since``), for reports."""
    query = select(Promise.status, func.count()).group_by(Promise.status)
    if since is not None:
        query = query.where(Promise.created_at >= dt.datetime.combine(since, dt.time(), dt.UTC))
    if customer_ids is not None:
        query = query.where(Promise.customer_id.in_(list(customer_ids)))
    if currency is not None:
        query = query.where(Promise.currency == currency)
    counts = dict(session.execute(query).all())
    return PromiseStats(
        kept=counts.get(PromiseStatus.KEPT, 0),
        broken=counts.get(PromiseStatus.BROKEN, 0),
        open=counts.get(PromiseStatus.OPEN, 0),
    )


def promises_of_customer(session: Session, customer_id: int) -> list[Promise]:
    """A customer's promises, newest first (for a customer page)."""
    return list(
        session.scalars(
            select(Promise)
            .where(Promise.customer_id == customer_id)
            .options(selectinload(Promise.instalments))
            .order_by(Promise.id.desc())
        )
    )
