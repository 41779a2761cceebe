"""How well collection works, month by month: CEI, promise-kept rate, statement confirmation rate.

* **CEI** (collection effectiveness index), per currency: (receivables at the start + credit
  sales - receivables at the end) ÷ (receivables at the start + credit sales - receivables
  not yet due at the end) × 100. Receivables on past days are rebuilt from the ledger as in
  :mod:`portal.reports.dimensions`.
* **Promise-kept rate**, per currency: kept ÷ (kept + broken) of the promises whose last
  instalment fell due in the period (promises still open or cancelled are not judged).
* **Statement confirmation rate**: confirmed ÷ issued of the statements for periods ending in
  the period (a superseded version is replaced by its newer one; statements hold every
  currency of a customer, so this rate is not per currency).

A handful of grouped queries whatever the size of the books.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from ..models import (
    Allocation,
    BankTransaction,
    Customer,
    Invoice,
    Promise,
    PromiseInstalment,
    PromiseStatus,
    Statement,
    StatementStatus,
)
from .dimensions import (
    ZERO,
    Period,
    Scope,
    cei,
    counted_invoices,
    later_sums,
    money,
    open_at,
    received,
    tenth,
)

#: at most this many months are listed (a longer period still has its total row)
MAX_MONTHS = 24


@dataclass
class Effectiveness:
    """The figures of one period (a month, or the whole period asked for)."""

    period: Period
    opening: Decimal = ZERO
    sales: Decimal = ZERO
    ending: Decimal = ZERO
    ending_current: Decimal = ZERO
    collected: Decimal = ZERO
    promises_kept: int = 0
    promises_broken: int = 0
    statements_issued: int = 0
    statements_confirmed: int = 0

    @property
    def cei(self) -> Decimal | None:
        return cei(self.opening, self.sales, self.ending, self.ending_current)

    @property
    def promise_kept_rate(self) -> Decimal | None:
        """Kept ÷ (kept + broken) in percent, None when no promise was judged."""
        judged = self.promises_kept + self.promises_broken
        if not judged:
            return None
        return tenth(Decimal(self.promises_kept) / judged * 100)

    @property
    def confirmation_rate(self) -> Decimal | None:
        """Confirmed ÷ issued statements in percent, None when none was issued."""
        if not self.statements_issued:
            return None
        return tenth(Decimal(self.statements_confirmed) / self.statements_issued * 100)


@dataclass
class EffectivenessReport:
    currency: str
    period: Period
    months: list[Effectiveness]
    total: Effectiveness
    #: months before the listed ones were left out (the total still covers them)
    truncated: bool = field(default=False)


def months_of(period: Period) -> list[Period]:
    """The calendar months the period touches, cut to the period (oldest first)."""
    out = []
    start = period.start
    while start <= period.end:
        next_month = (start.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        out.append(Period(start, min(period.end, next_month - dt.timedelta(days=1))))
        start = next_month
    return out


def effectiveness(
    session: Session, *, currency: str, period: Period, scope: Scope = Scope()
) -> EffectivenessReport:
    """CEI, collections, promise-kept and confirmation rates per month of ``period``."""
    months = months_of(period)
    truncated = len(months) > MAX_MONTHS
    months = months[-MAX_MONTHS:]
    periods = [*months, period]
    rows = [Effectiveness(p) for p in periods]
    _receivables(session, currency, periods, rows, scope)
    _collected(session, currency, period, rows, scope)
    _promises(session, currency, period, rows, scope)
    _statements(session, period, rows, scope)
    return EffectivenessReport(currency, period, rows[:-1], rows[-1], truncated)


def _receivables(
    session: Session,
    currency: str,
    periods: list[Period],
    rows: list[Effectiveness],
    scope: Scope,
) -> None:
    """Opening, ending, ending not yet due and credit sales of every period, in one query."""
    days = [p.before for p in periods] + [p.end for p in periods]
    earliest = min(p.start for p in periods)
    later = later_sums(earliest, days)
    n = len(periods)
    columns = []
    for i, p in enumerate(periods):
        at_end = open_at(later, n + i, p.end)
        issued = and_(Invoice.issue_date >= p.start, Invoice.issue_date <= p.end)
        columns += [
            func.sum(open_at(later, i, p.before)),
            func.sum(at_end),
            func.sum(case((Invoice.due_date >= p.end, at_end), else_=0)),
            func.sum(case((issued, Invoice.amount), else_=0)),
        ]
    latest = max(p.end for p in periods)
    query = (
        select(*columns)
        .select_from(Invoice)
        .join(Customer, Customer.id == Invoice.customer_id)
        .outerjoin(later, later.c.invoice_id == Invoice.id)
        .where(*counted_invoices(later, currency, Period(earliest, latest)))
    )
    figures = session.execute(scope.restrict(query)).one()
    for i, row in enumerate(rows):
        row.opening, row.ending, row.ending_current, row.sales = (
            money(v) for v in figures[4 * i : 4 * i + 4]
        )


def _collected(
    session: Session, currency: str, period: Period, rows: list[Effectiveness], scope: Scope
) -> None:
    """Money received (applied or held on account) per booking day, summed into the months."""
    query = (
        select(BankTransaction.booking_date, func.sum(Allocation.amount))
        .join(BankTransaction, BankTransaction.id == Allocation.transaction_id)
        .join(Customer, Customer.id == Allocation.customer_id)
        .where(*received(currency, period))
        .group_by(BankTransaction.booking_date)
    )
    for day, amount in session.execute(scope.restrict(query)):
        for row in _rows_of(rows, day):
            row.collected += money(amount)


def _rows_of(rows: list[Effectiveness], day: dt.date) -> list[Effectiveness]:
    return [r for r in rows if r.period.start <= day <= r.period.end]


def _promises(
    session: Session, currency: str, period: Period, rows: list[Effectiveness], scope: Scope
) -> None:
    """Kept and broken promises by the day their last instalment fell due."""
    due = (
        select(
            PromiseInstalment.promise_id.label("promise_id"),
            func.max(PromiseInstalment.due_date).label("due"),
        )
        .group_by(PromiseInstalment.promise_id)
        .subquery("promise_due")
    )
    query = (
        select(due.c.due, Promise.status, func.count())
        .join(due, due.c.promise_id == Promise.id)
        .join(Customer, Customer.id == Promise.customer_id)
        .where(
            Promise.currency == currency,
            Promise.status.in_((PromiseStatus.KEPT, PromiseStatus.BROKEN)),
            due.c.due >= period.start,
            due.c.due <= period.end,
        )
        .group_by(due.c.due, Promise.status)
    )
    for day, status, count in session.execute(scope.restrict(query)):
        for row in _rows_of(rows, day):
            if status is PromiseStatus.KEPT:
                row.promises_kept += int(count)
            else:
                row.promises_broken += int(count)


def _statements(session: Session, period: Period, rows: list[Effectiveness], scope: Scope) -> None:
    """Statements issued and confirmed by the end of the period they cover."""
    confirmed = case((Statement.status == StatementStatus.CONFIRMED, 1), else_=0)
    query = (
        select(Statement.period_end, func.count(), func.sum(confirmed))
        .join(Customer, Customer.id == Statement.customer_id)
        .where(
            Statement.status != StatementStatus.SUPERSEDED,
            Statement.period_end >= period.start,
            Statement.period_end <= period.end,
        )
        .group_by(Statement.period_end)
    )
    for day, issued, confirmed_count in session.execute(scope.restrict(query)):
        for row in _rows_of(rows, day):
            row.statements_issued += int(issued)
            row.statements_confirmed += int(confirmed_count or 0)
