"""Cash forecast by week for one currency: due dates, promises to pay, each customer's habits.

The method (the page shows it too):

1. Every open item is expected on its due date plus its customer's usual delay: the
   amount-weighted average of the days its payments in this currency arrived after the due
   date over the last :data:`HISTORY_DAYS` days (paying early counts as 0 days; a customer
   without such history is expected on the due date).
2. An open promise to pay replaces the due dates of the items it covers: what is still
   promised arrives on the instalments' dates (an instalment already due and still within its
   grace period is expected this week). The part of the covered items the promise does not
   cover stays on their own dates (oldest items are taken as promised first).
3. The disputed part of an item (open disputes, up to what the item has open) is not
   expected until the dispute is resolved: it is shown apart, not in the weeks.
4. Items whose expected day has already passed are shown apart ("late beyond the usual
   delay"), not spread over the weeks: when they will arrive is not known. Items expected
   after the last week are summed as "later".

Grouped SQL: one query sums open items by due date and customer delay, one reads the open
promises, one (per 900 items) reads the items promises cover.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session, selectinload

from ..models import (
    Allocation,
    AllocationKind,
    BankTransaction,
    Customer,
    Dispute,
    DisputeStatus,
    Invoice,
    InvoiceStatus,
    Promise,
    PromiseStatus,
)
from .dimensions import ZERO, Scope, money

#: weeks forecast (a quarter)
WEEKS = 13
#: how far back a customer's payments tell its usual delay
HISTORY_DAYS = 365


@dataclass
class Week:
    """One week of the forecast (Monday to Sunday)."""

    start: dt.date
    from_due_dates: Decimal = ZERO
    from_promises: Decimal = ZERO

    @property
    def end(self) -> dt.date:
        return self.start + dt.timedelta(days=6)

    @property
    def total(self) -> Decimal:
        return self.from_due_dates + self.from_promises


@dataclass
class Forecast:
    """The weeks of one currency's forecast and what falls outside them."""

    currency: str
    today: dt.date
    weeks: list[Week]
    #: open items whose expected day (due date + usual delay) has passed
    late: Decimal = ZERO
    #: expected after the last week
    later: Decimal = ZERO
    #: under open disputes: not expected until they are resolved
    disputed: Decimal = ZERO
    #: customers whose usual delay is known from their payments, and their average delay
    customers_with_history: int = 0
    promises: int = 0
    delays: dict[int, int] = field(default_factory=dict)

    @property
    def total(self) -> Decimal:
        weeks = sum((w.total for w in self.weeks), ZERO)
        return weeks + self.late + self.later + self.disputed


def days_between(later: Any, earlier: Any, dialect: str) -> ColumnElement[Any]:
    """``later - earlier`` in days, as SQL for ``dialect`` (dates)."""
    if dialect == "sqlite":
        return func.julianday(later) - func.julianday(earlier)
    return later - earlier  # type: ignore[no-any-return]


def delay_by_customer(session: Session, *, currency: str, today: dt.date) -> Any:
    """Subquery: each customer's usual delay in days (``customer_id``, ``delay``)."""
    dialect = session.get_bind().dialect.name
    days = days_between(BankTransaction.booking_date, Invoice.due_date, dialect)
    late = case((days > 0, days), else_=0)
    return (
        select(
            Allocation.customer_id.label("customer_id"),
            func.round(func.sum(Allocation.amount * late) / func.sum(Allocation.amount)).label(
                "delay"
            ),
        )
        .join(BankTransaction, BankTransaction.id == Allocation.transaction_id)
        .join(Invoice, Invoice.id == Allocation.invoice_id)
        .where(
            Allocation.kind == AllocationKind.PAYMENT,
            Allocation.reversed_by_id.is_(None),
            Allocation.currency == currency,
            BankTransaction.booking_date >= today - dt.timedelta(days=HISTORY_DAYS),
            BankTransaction.booking_date <= today,
        )
        .group_by(Allocation.customer_id)
        .subquery("delays")
    )


def cash_forecast(
    session: Session, *, currency: str, today: dt.date, scope: Scope = Scope()
) -> Forecast:
    """The expected receipts of ``currency`` per week, from ``today``'s week on."""
    monday = today - dt.timedelta(days=today.weekday())
    forecast = Forecast(
        currency=currency,
        today=today,
        weeks=[Week(monday + dt.timedelta(weeks=i)) for i in range(WEEKS)],
    )
    delays = delay_by_customer(session, currency=currency, today=today)
    delay = func.coalesce(delays.c.delay, 0)
    open_items = (
        Invoice.currency == currency,
        Invoice.status.in_((InvoiceStatus.OPEN, InvoiceStatus.PARTIALLY_PAID)),
        Invoice.open_amount > 0,
    )
    query = (
        select(Invoice.due_date, delay, func.sum(Invoice.open_amount))
        .join(Customer, Customer.id == Invoice.customer_id)
        .outerjoin(delays, delays.c.customer_id == Invoice.customer_id)
        .where(*open_items)
        .group_by(Invoice.due_date, delay)
    )
    expected: dict[tuple[dt.date, int], Decimal] = defaultdict(lambda: ZERO)
    for due, days, amount in session.execute(scope.restrict(query)):
        expected[(due, int(days or 0))] += money(amount)
    history = select(func.count()).select_from(delays)
    forecast.customers_with_history = int(session.scalar(history) or 0)
    promised, forecast.promises, covered = _promises(session, currency, scope, delays, expected)
    forecast.disputed = _take_disputed(session, currency, scope, delays, expected, covered)
    for (due, days), amount in expected.items():
        _place(forecast, due + dt.timedelta(days=days), amount, promise=False)
    for day, amount in promised:
        _place(forecast, max(day, today), amount, promise=True)
    return forecast


def _place(forecast: Forecast, day: dt.date, amount: Decimal, *, promise: bool) -> None:
    if amount <= 0:
        return
    if day < forecast.today:
        forecast.late += amount
        return
    index = (day - forecast.weeks[0].start).days // 7
    if index >= len(forecast.weeks):
        forecast.later += amount
        return
    week = forecast.weeks[index]
    if promise:
        week.from_promises += amount
    else:
        week.from_due_dates += amount


def _promises(
    session: Session,
    currency: str,
    scope: Scope,
    delays: Any,
    expected: dict[tuple[dt.date, int], Decimal],
) -> tuple[list[tuple[dt.date, Decimal]], int, set[int]]:
    """The instalments still expected of open promises, how many promises, the items covered.

    The items the promises cover leave ``expected`` as far as the promises cover them.
    """
    query = (
        select(Promise)
        .join(Customer, Customer.id == Promise.customer_id)
        .where(Promise.status == PromiseStatus.OPEN, Promise.currency == currency)
        .options(selectinload(Promise.instalments))
        .order_by(Promise.id)
    )
    promises = list(session.scalars(scope.restrict(query)))
    ids = sorted({int(i) for p in promises for i in p.invoice_ids})
    items: dict[int, tuple[dt.date, int, Decimal, bool]] = {}
    delay = func.coalesce(delays.c.delay, 0)
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        for iid, due, days, open_amount, status, cur in session.execute(
            select(
                Invoice.id,
                Invoice.due_date,
                delay,
                Invoice.open_amount,
                Invoice.status,
                Invoice.currency,
            )
            .outerjoin(delays, delays.c.customer_id == Invoice.customer_id)
            .where(Invoice.id.in_(chunk))
        ):
            counted = (
                cur == currency
                and status in (InvoiceStatus.OPEN, InvoiceStatus.PARTIALLY_PAID)
                and open_amount > 0
            )
            items[iid] = (due, int(days or 0), money(open_amount), counted)
    out: list[tuple[dt.date, Decimal]] = []
    taken: set[int] = set()
    for promise in promises:
        covered = [i for i in dict.fromkeys(int(x) for x in promise.invoice_ids) if i in items]
        still_open = sum((items[i][2] for i in covered), ZERO)
        paid = max(ZERO, promise.baseline_open - still_open)
        # instalments are paid in date order; what is left of each is still expected
        remaining: list[tuple[dt.date, Decimal]] = []
        for instalment in promise.instalments:
            part = min(instalment.amount, max(ZERO, instalment.amount - paid))
            paid = max(ZERO, paid - instalment.amount)
            if part > 0:
                remaining.append((instalment.due_date, part))
        # never more than the covered items still have open (nor items another promise took)
        available = [i for i in covered if items[i][3] and i not in taken]
        cap = sum((items[i][2] for i in available), ZERO)
        promised = ZERO
        for day, part in remaining:
            part = min(part, cap - promised)
            if part > 0:
                out.append((day, part))
                promised += part
        for i in sorted(available, key=lambda i: items[i][0]):
            due, days, open_amount, _counted = items[i]
            taken.add(i)
            expected[(due, days)] -= open_amount
            kept = min(open_amount, promised)
            promised -= kept
            expected[(due, days)] += open_amount - kept
    return out, len(promises), taken


def _take_disputed(
    session: Session,
    currency: str,
    scope: Scope,
    delays: Any,
    expected: dict[tuple[dt.date, int], Decimal],
    covered: set[int],
) -> Decimal:
    """Move what open disputes hold of items (not promised ones) out of ``expected``."""
    disputes = (
        select(Dispute.invoice_id.label("invoice_id"), func.sum(Dispute.amount).label("held"))
        .where(
            Dispute.invoice_id.is_not(None),
            Dispute.status.in_((DisputeStatus.OPEN, DisputeStatus.UNDER_REVIEW)),
        )
        .group_by(Dispute.invoice_id)
        .subquery("open_disputes")
    )
    delay = func.coalesce(delays.c.delay, 0)
    query = (
        select(Invoice.id, Invoice.due_date, delay, Invoice.open_amount, disputes.c.held)
        .join(disputes, disputes.c.invoice_id == Invoice.id)
        .join(Customer, Customer.id == Invoice.customer_id)
        .outerjoin(delays, delays.c.customer_id == Invoice.customer_id)
        .where(
            Invoice.currency == currency,
            Invoice.status.in_((InvoiceStatus.OPEN, InvoiceStatus.PARTIALLY_PAID)),
            Invoice.open_amount > 0,
        )
    )
    total = ZERO
    for iid, due, days, open_amount, held in session.execute(scope.restrict(query)):
        if iid in covered:
            continue  # the promise says what the customer will pay of it
        part = min(money(open_amount), money(held))
        expected[(due, int(days or 0))] -= part
        total += part
    return total
