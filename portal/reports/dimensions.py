"""Receivables by a dimension: aging, overdue, DSO, collections and CEI for one currency.

Every figure is computed by grouped SQL (a handful of queries whatever the number of
customers or invoices) for one currency at a time: currencies are never added together.

What was open on a past day ``D`` is rebuilt from today's open amount and the ledger: an
invoice issued by ``D`` had ``open_amount`` plus what the ledger took off it after ``D``
(payments by their bank booking date, credit notes by their issue date, write-offs without a
receipt by the day they were recorded), capped at its amount. Records that were reversed count
as never made. ERP-side settlements without a Concord record carry no date: they count as of
the day Concord learned them, which is how today's aging sees them.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, case, func, literal, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from ..errors import ConcordError
from ..models import (
    INVOICE_KINDS,
    Allocation,
    AllocationKind,
    BankTransaction,
    CreditNote,
    Customer,
    Invoice,
    InvoiceStatus,
    User,
)
from ..models.base import exact_amount

ZERO = Decimal("0.00")
TENTH = Decimal("0.1")

#: a query of any shape (SQLAlchemy 2.1's Select is generic over its columns)
if TYPE_CHECKING:
    AnySelect = Select[*tuple[Any, ...]]
_Query = TypeVar("_Query", bound="AnySelect")
_T = TypeVar("_T")


def tenth(value: Decimal) -> Decimal:
    """A ratio to one decimal, halves rounded up (54.25 days is 54.3, as people round)."""
    return value.quantize(TENTH, rounding=ROUND_HALF_UP)


BUCKETS = ("current", "1-30", "31-60", "61-90", "90+")
#: the dimensions a report can be grouped by (the URL's ``dimension``)
DIMENSIONS = ("customer", "region", "product_line", "segment", "account_manager")
#: the longest period a report sums over (ten years)
MAX_PERIOD_DAYS = 3660


class ReportError(ConcordError):
    """A report asked for with parameters that make no sense; the message says which."""


@dataclass(frozen=True)
class Period:
    """The days a report sums over, both ends included."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ReportError(
                _(
                    "The period starts (%(start)s) after it ends (%(end)s).",
                    start=self.start.isoformat(),
                    end=self.end.isoformat(),
                )
            )
        if (self.end - self.start).days >= MAX_PERIOD_DAYS:
            raise ReportError(_("A period can be at most ten years long."))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def before(self) -> dt.date:
        """The last day before the period (its opening balance is what was open then)."""
        return self.start - dt.timedelta(days=1)


@dataclass(frozen=True)
class Scope:
    """Which customers a report covers: all of them, or one account manager's."""

    #: only customers with this account manager (sales see their own customers)
    manager_id: int | None = None

    def restrict(self, query: _Query) -> _Query:
        """Limit ``query`` (which joins Customer) to the customers in scope."""
        if self.manager_id is not None:
            query = query.where(Customer.account_manager_id == self.manager_id)
        return query


@dataclass
class DimensionRow:
    """One value of the dimension (or one customer) and its figures in one currency."""

    #: what identifies the value in a drill-down URL ("" for "none given")
    key: str
    label: str
    customer_id: int | None = None
    customers: int = 0
    #: what was open at the period's end, by days overdue then
    buckets: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(BUCKETS, ZERO))
    opening: Decimal = ZERO
    sales: Decimal = ZERO
    collected: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return sum(self.buckets.values(), ZERO)

    @property
    def current(self) -> Decimal:
        return self.buckets["current"]

    @property
    def overdue(self) -> Decimal:
        return self.total - self.current

    def dso(self, days: int) -> Decimal | None:
        """Receivables at the end ÷ credit sales of the period × its days (None without sales)."""
        if self.sales <= 0:
            return None
        return tenth(self.total / self.sales * days)

    @property
    def cei(self) -> Decimal | None:
        """Collection effectiveness: (B + S - E) / (B + S - E current) × 100."""
        return cei(self.opening, self.sales, self.total, self.current)


def cei(
    opening: Decimal, sales: Decimal, ending: Decimal, ending_current: Decimal
) -> Decimal | None:
    """The collection effectiveness index in percent (None when nothing was collectible).

    ``(beginning receivables + credit sales - ending total receivables)
    / (beginning receivables + credit sales - ending current receivables) × 100``.
    """
    collectible = opening + sales - ending_current
    if collectible <= 0:
        return None
    return tenth((opening + sales - ending) / collectible * 100)


@dataclass
class DimensionReport:
    """The rows of one dimension for one currency and period, with their totals."""

    dimension: str
    currency: str
    period: Period
    rows: list[DimensionRow]
    totals: DimensionRow
    #: the value drilled into (its customers are the rows), if any
    value: str | None = None


def money(value: Any) -> Decimal:
    """A sum from the database with its decimals (SQLite sums numerics as floats)."""
    if value is None:
        return ZERO
    return exact_amount(value)


def effective_date() -> ColumnElement[Any]:
    """The day a ledger record changed what was owed (needs the receipt and note joined)."""
    return func.coalesce(
        BankTransaction.booking_date, CreditNote.issue_date, func.date(Allocation.created_at)
    )


def later_records(since: dt.date) -> Any:
    """Per invoice: what the standing ledger records dated on or after ``since`` took off it."""
    day = effective_date()
    return (
        select(Allocation.invoice_id.label("invoice_id"), day.label("day"), Allocation.amount)
        .outerjoin(BankTransaction, BankTransaction.id == Allocation.transaction_id)
        .outerjoin(CreditNote, CreditNote.id == Allocation.credit_note_id)
        .where(
            Allocation.invoice_id.is_not(None),
            Allocation.kind.in_(INVOICE_KINDS),
            Allocation.reversed_by_id.is_(None),
            day >= since,
        )
        .subquery("later_records")
    )


def later_sums(since: dt.date, days: Sequence[dt.date]) -> Any:
    """Per invoice: what was taken off it after each of ``days`` (columns ``after_<i>``)."""
    records = later_records(since)
    return (
        select(
            records.c.invoice_id,
            *(
                func.sum(case((records.c.day > d, records.c.amount), else_=0)).label(f"after_{i}")
                for i, d in enumerate(days)
            ),
        )
        .group_by(records.c.invoice_id)
        .subquery("later")
    )


def open_at(later: Any, index: int, day: dt.date) -> ColumnElement[Any]:
    """An invoice's open amount at the end of ``day`` (``later`` from :func:`later_sums`)."""
    rebuilt = Invoice.open_amount + func.coalesce(getattr(later.c, f"after_{index}"), 0)
    return case(
        (Invoice.issue_date > day, literal(0)),
        (rebuilt > Invoice.amount, Invoice.amount),
        else_=rebuilt,
    )


def counted_invoices(later: Any, currency: str, period: Period) -> tuple[ColumnElement[bool], ...]:
    """The invoices in ``currency`` that can count in ``period`` (``later`` joined).

    Issued by the period's end and not cancelled; an invoice settled before the period and
    untouched since adds nothing, so it is left out.
    """
    return (
        Invoice.currency == currency,
        Invoice.status != InvoiceStatus.CANCELLED,
        Invoice.issue_date <= period.end,
        or_(
            Invoice.open_amount > 0,
            later.c.invoice_id.is_not(None),
            Invoice.issue_date >= period.start,
        ),
    )


def received(currency: str, period: Period) -> tuple[ColumnElement[bool], ...]:
    """Allocations (with their receipt joined) of money received in ``period`` in ``currency``.

    Applied to invoices or held on account; reversed ones are left out.
    """
    return (
        Allocation.kind.in_((AllocationKind.PAYMENT, AllocationKind.ON_ACCOUNT)),
        Allocation.reversed_by_id.is_(None),
        Allocation.currency == currency,
        BankTransaction.booking_date >= period.start,
        BankTransaction.booking_date <= period.end,
    )


def bucket_of(day: dt.date) -> ColumnElement[str]:
    """The aging bucket of an invoice on ``day`` (due that day or later is current)."""
    return case(
        (Invoice.due_date >= day, "current"),
        (Invoice.due_date >= day - dt.timedelta(days=30), "1-30"),
        (Invoice.due_date >= day - dt.timedelta(days=60), "31-60"),
        (Invoice.due_date >= day - dt.timedelta(days=90), "61-90"),
        else_="90+",
    )


def _dimension_column(dimension: str) -> ColumnElement[Any]:
    columns: dict[str, ColumnElement[Any]] = {
        "customer": Customer.id.expression,
        "region": Customer.region.expression,
        "segment": Customer.segment.expression,
        "product_line": Invoice.product_line.expression,
        "account_manager": Customer.account_manager_id.expression,
    }
    if dimension not in columns:
        raise ReportError(
            _(
                "Unknown dimension %(value)s: choose customer, region, product_line, "
                "segment or account_manager",
                value=dimension[:40],
            )
        )
    return columns[dimension]


def _restrict(
    query: AnySelect, *, scope: Scope, dimension: str | None, value: str | None
) -> AnySelect:
    """Limit ``query`` (which joins Customer and, for product lines, Invoice) as asked."""
    query = scope.restrict(query)
    if dimension is not None and value is not None:
        column = _dimension_column(dimension)
        if value == "":
            query = query.where(column.is_(None))
        elif dimension in ("customer", "account_manager"):
            if not value.isdigit():
                raise ReportError(_("%(value)s is not a valid id", value=value[:40]))
            query = query.where(column == int(value))
        else:
            query = query.where(column == value)
    return query


def _key(value: Any) -> str:
    return "" if value is None else str(value)


def dimension_report(
    session: Session,
    *,
    dimension: str,
    currency: str,
    period: Period,
    scope: Scope = Scope(),
    value: str | None = None,
) -> DimensionReport:
    """Aging at the period's end, overdue, DSO, collections and CEI by ``dimension``.

    With ``value`` the rows are the customers of that value of the dimension (the drill-down);
    for ``product_line`` their figures then cover that product line's invoices only.
    """
    group_by = "customer" if value is not None else dimension
    column = _dimension_column(group_by)
    _dimension_column(dimension)
    later = later_sums(period.start, (period.end, period.before))
    at_end = open_at(later, 0, period.end)
    at_start = open_at(later, 1, period.before)
    bucket = bucket_of(period.end)
    in_period = and_(Invoice.issue_date >= period.start, Invoice.issue_date <= period.end)
    sums = (
        select(
            column.label("key"),
            func.count(case((at_end > 0, Invoice.customer_id)).distinct()),
            *(func.sum(case((bucket == b, at_end), else_=0)) for b in BUCKETS),
            func.sum(at_start),
            func.sum(case((in_period, Invoice.amount), else_=0)),
        )
        .select_from(Invoice)
        .join(Customer, Customer.id == Invoice.customer_id)
        .outerjoin(later, later.c.invoice_id == Invoice.id)
        .where(*counted_invoices(later, currency, period))
        .group_by(column)
    )
    sums = _restrict(sums, scope=scope, dimension=dimension, value=value)
    rows: dict[str, DimensionRow] = {}
    for key, customers, *figures in session.execute(sums):
        row = rows.setdefault(_key(key), DimensionRow(key=_key(key), label=_key(key)))
        row.customers = int(customers or 0)
        for b, figure in zip(BUCKETS, figures[: len(BUCKETS)], strict=True):
            row.buckets[b] = money(figure)
        row.opening = money(figures[len(BUCKETS)])
        row.sales = money(figures[len(BUCKETS) + 1])
    for key, collected in session.execute(
        _collections_query(column, currency, period, scope, dimension, value)
    ):
        row = rows.setdefault(_key(key), DimensionRow(key=_key(key), label=_key(key)))
        row.collected = money(collected)
    _label(session, group_by, rows)
    ordered = sorted(rows.values(), key=lambda r: (-r.total, -r.collected, r.label))
    totals = DimensionRow(key="TOTAL", label="TOTAL")
    for row in ordered:
        for b in BUCKETS:
            totals.buckets[b] += row.buckets[b]
        totals.opening += row.opening
        totals.sales += row.sales
        totals.collected += row.collected
        totals.customers += row.customers
    if group_by != "customer":
        # a customer can count under several product lines: the total counts it once
        totals.customers = _customer_count(session, currency, period, scope, dimension, value)
    return DimensionReport(
        dimension=dimension,
        currency=currency,
        period=period,
        rows=ordered,
        totals=totals,
        value=value,
    )


def _collections_query(
    column: ColumnElement[Any],
    currency: str,
    period: Period,
    scope: Scope,
    dimension: str,
    value: str | None,
) -> Select[Any]:
    """Money received in the period (applied to invoices or held on account), by ``column``."""
    query = (
        select(column.label("key"), func.sum(Allocation.amount))
        .select_from(Allocation)
        .join(BankTransaction, BankTransaction.id == Allocation.transaction_id)
        .join(Customer, Customer.id == Allocation.customer_id)
        .outerjoin(Invoice, Invoice.id == Allocation.invoice_id)
        .where(*received(currency, period))
        .group_by(column)
    )
    return _restrict(query, scope=scope, dimension=dimension, value=value)


def _customer_count(
    session: Session,
    currency: str,
    period: Period,
    scope: Scope,
    dimension: str,
    value: str | None,
) -> int:
    """Customers with something open at the period's end (each counted once)."""
    later = later_sums(period.start, (period.end,))
    query = (
        select(func.count(Invoice.customer_id.distinct()))
        .select_from(Invoice)
        .join(Customer, Customer.id == Invoice.customer_id)
        .outerjoin(later, later.c.invoice_id == Invoice.id)
        .where(
            Invoice.currency == currency,
            Invoice.status != InvoiceStatus.CANCELLED,
            open_at(later, 0, period.end) > 0,
        )
    )
    return int(session.scalar(_restrict(query, scope=scope, dimension=dimension, value=value)) or 0)


def _label(session: Session, group_by: str, rows: dict[str, DimensionRow]) -> None:
    """Give customer and account-manager rows readable labels (one query for all rows)."""
    if group_by not in ("customer", "account_manager"):
        return
    ids = [int(k) for k in rows if k]
    if group_by == "customer" and ids:
        for start in range(0, len(ids), 900):
            chunk = ids[start : start + 900]
            for cid, code, name in session.execute(
                select(Customer.id, Customer.code, Customer.name).where(Customer.id.in_(chunk))
            ):
                row = rows[str(cid)]
                row.label = f"{code} {name}"
                row.customer_id = cid
    elif group_by == "account_manager" and ids:
        for uid, name, email in session.execute(
            select(User.id, User.name, User.email).where(User.id.in_(ids))
        ):
            rows[str(uid)].label = name or email


def currencies(session: Session, scope: Scope = Scope()) -> list[str]:
    """The currencies invoiced, the one with the most invoiced first (CNY on a tie)."""
    query: AnySelect = (
        select(Invoice.currency, func.count())
        .join(Customer, Customer.id == Invoice.customer_id)
        .group_by(Invoice.currency)
    )
    query = _restrict(query, scope=scope, dimension=None, value=None)
    found: list[tuple[str, int]] = [(row[0], row[1]) for row in session.execute(query)]
    return [c for c, _n in sorted(found, key=lambda r: (-r[1], r[0] != "CNY", r[0]))]


#: reports kept per app (each a few hundred kilobytes at most)
CACHE_SIZE = 32
_CACHE_LOCK = threading.Lock()


def cached(
    session: Session, cache: dict[Any, Any], key: tuple[Any, ...], compute: Callable[[], _T]
) -> _T:
    """``compute()`` kept in ``cache`` (one app's) until the data reports sum may have changed.

    The mark is the credit page's (invoices, ledger, disputes, customers, audit trail): every
    change of an open amount, a dimension, an account manager, a promise or a statement moves
    it. At 100,000 invoices a report takes most of a second to sum; paging through it,
    switching back to it or exporting it then costs a few small queries.
    """
    from ..credit.service import change_mark

    full = (change_mark(session, dt.date.today()), *key)
    with _CACHE_LOCK:
        if full in cache:
            hit: _T = cache[full]
            return hit
    value = compute()
    with _CACHE_LOCK:
        while len(cache) >= CACHE_SIZE:
            cache.pop(next(iter(cache)))
        cache[full] = value
    return value
