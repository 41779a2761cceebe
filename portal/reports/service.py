"""The figures behind the reports: each returns a ``Table`` (header + rows) ready to show or export.

Amounts are summed per currency only where currencies mix; the reports assume the books'
currency (``CNY`` by default) and show other currencies as separate rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, select, union_all
from sqlalchemy.orm import Session

from ..caching import cached_until_changed
from ..ledger.records import settling_records
from ..models import (
    Allocation,
    AllocationKind,
    AllocationMethod,
    BankTransaction,
    CreditNote,
    Customer,
    Dispute,
    FollowUp,
    FollowUpStatus,
    Invoice,
    InvoiceStatus,
    User,
)

ZERO = Decimal("0")
BUCKETS = ("current", "1-30", "31-60", "61-90", "90+")
#: the aging's amount columns: the buckets, then the money received or credited not applied
COLUMNS = (*BUCKETS, "unapplied")


@dataclass
class Table:
    """A report table: column names, rows, and (optionally) a chart series."""

    name: str
    header: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    chart: Sequence[tuple[str, float | None]] = field(default_factory=list)
    chart_series: list[tuple[str, list[float]]] = field(default_factory=list)
    #: rows left out of the page (they are in the export)
    hidden: int = 0


def _open_by_bucket(session: Session, today: dt.date) -> list[tuple[str, str, str, str, Any]]:
    """``(code, name, currency, bucket, open)``: open invoices summed per customer and bucket."""
    # the database sums per customer and bucket: 100,000 open invoices become a few rows each
    bucket = case(
        (Invoice.due_date >= today, "current"),
        (Invoice.due_date >= today - dt.timedelta(days=30), "1-30"),
        (Invoice.due_date >= today - dt.timedelta(days=60), "31-60"),
        (Invoice.due_date >= today - dt.timedelta(days=90), "61-90"),
        else_="90+",
    ).label("bucket")
    query = (
        select(
            Customer.code, Customer.name, Invoice.currency, bucket, func.sum(Invoice.open_amount)
        )
        .join(Customer, Customer.id == Invoice.customer_id)
        .where(
            Invoice.open_amount > 0,
            Invoice.status.in_((InvoiceStatus.OPEN, InvoiceStatus.PARTIALLY_PAID)),
        )
        .group_by(Customer.code, Customer.name, Invoice.currency, bucket)
    )
    return [tuple(row) for row in session.execute(query)]


def _held(session: Session) -> list[tuple[str, str, str, Any]]:
    """``(code, name, currency, amount)``: money received or credited and not set against an
    invoice, per customer and currency, as the customer page counts it: receipts' unapplied
    rest, money held on account and credit notes on the account."""
    receipts = select(
        BankTransaction.customer_id.label("customer_id"),
        BankTransaction.currency.label("currency"),
        BankTransaction.unapplied_amount.label("amount"),
    ).where(BankTransaction.confirmed(), BankTransaction.unapplied_amount > 0)
    records = select(
        Allocation.customer_id.label("customer_id"),
        Allocation.currency.label("currency"),
        Allocation.amount.label("amount"),
    ).where(
        Allocation.invoice_id.is_(None),
        Allocation.kind.in_((AllocationKind.ON_ACCOUNT, AllocationKind.CREDIT_NOTE)),
        Allocation.reversed_by_id.is_(None),
    )
    held = union_all(receipts, records).subquery()
    query = (
        select(Customer.code, Customer.name, held.c.currency, func.sum(held.c.amount))
        .join(Customer, Customer.id == held.c.customer_id)
        .group_by(Customer.code, Customer.name, held.c.currency)
    )
    return [tuple(row) for row in session.execute(query)]


def aging(session: Session, *, today: dt.date) -> Table:
    """Open amounts by customer and by days overdue, the money not yet applied, and a total
    row per currency.

    The "unapplied" column (negative) holds what the customer paid or was credited that is not
    set against an invoice yet, so a row's total is what the customer owes in that currency,
    the balance the customer page shows after money held.
    """
    rows: dict[tuple[str, str, str], dict[str, Decimal]] = {}
    totals: dict[str, dict[str, Decimal]] = defaultdict(lambda: dict.fromkeys(COLUMNS, ZERO))

    def add(code: str, name: str, currency: str, column: str, amount: Decimal) -> None:
        cells = rows.setdefault((code, name, currency), dict.fromkeys(COLUMNS, ZERO))
        cells[column] += amount
        totals[currency][column] += amount

    for code, name, currency, bucket, open_amount in _open_by_bucket(session, today):
        add(code, name, currency, bucket, Decimal(open_amount))
    for code, name, currency, held in _held(session):
        add(code, name, currency, "unapplied", -Decimal(held))
    out = [
        (code, name, currency, *(b[k] for k in COLUMNS), sum(b.values(), ZERO))
        for (code, name, currency), b in sorted(rows.items())
    ]
    for currency, sums in sorted(totals.items()):
        out.append(("TOTAL", "", currency, *(sums[k] for k in COLUMNS), sum(sums.values(), ZERO)))
    chart_totals = totals.get("CNY") or (next(iter(totals.values())) if totals else {})
    return Table(
        "aging",
        ("customer", "name", "currency", *COLUMNS, "total"),
        out,
        chart=[(k, float(chart_totals.get(k, ZERO))) for k in BUCKETS],
    )


def _month_ends(today: dt.date, months: int) -> list[dt.date]:
    """Today and the ends of the months before it, oldest first (``months`` points)."""
    ends = [today]
    first = today.replace(day=1)
    while len(ends) < months:
        previous_end = first - dt.timedelta(days=1)
        ends.append(previous_end)
        first = previous_end.replace(day=1)
    return ends[::-1]


def dso(session: Session, *, today: dt.date, months: int = 12) -> Table:
    """Days sales outstanding at each month end, per currency: receivables ÷ 90 days' sales × 90.

    Currencies are never added together: each month end has one row per currency; the chart
    follows the currency with the most sales.
    """
    # sums per day and currency from the database (a few hundred rows however many invoices)
    invoices = session.execute(
        select(Invoice.issue_date, Invoice.currency, func.sum(Invoice.amount))
        .where(Invoice.status != InvoiceStatus.CANCELLED)
        .group_by(Invoice.issue_date, Invoice.currency)
    ).all()
    paid = session.execute(
        select(BankTransaction.booking_date, BankTransaction.currency, func.sum(Allocation.amount))
        .join(BankTransaction, BankTransaction.id == Allocation.transaction_id)
        .where(settling_records())
        .group_by(BankTransaction.booking_date, BankTransaction.currency)
    ).all()
    # a credit note counts as far as its ledger records stand (a reversed one owes again)
    credits = session.execute(
        select(CreditNote.issue_date, Allocation.currency, func.sum(Allocation.amount))
        .join(CreditNote, CreditNote.id == Allocation.credit_note_id)
        .where(
            Allocation.kind == AllocationKind.CREDIT_NOTE,
            Allocation.reversed_by_id.is_(None),
        )
        .group_by(CreditNote.issue_date, Allocation.currency)
    ).all()
    currencies = sorted({c for _d, c, _a in invoices} | {c for _d, c, _a in paid})
    volume = {c: sum((Decimal(a) for _d, cur, a in invoices if cur == c), ZERO) for c in currencies}
    main = max(currencies, key=lambda c: (volume[c], c == "CNY")) if currencies else None
    rows = []
    for end in _month_ends(today, months):
        for currency in currencies:

            def total(sums: Any, currency: str = currency, end: dt.date = end) -> Decimal:
                return sum((Decimal(a) for d, c, a in sums if c == currency and d <= end), ZERO)

            receivable = total(invoices) - total(paid) - total(credits)
            sales = sum(
                (
                    Decimal(a)
                    for d, c, a in invoices
                    if c == currency and end - dt.timedelta(days=90) < d <= end
                ),
                ZERO,
            )
            days = round(float(receivable / sales * 90), 1) if sales else None
            rows.append((end.isoformat(), currency, receivable, sales, days))
    return Table(
        "dso",
        ("month_end", "currency", "receivables", "sales_90_days", "dso_days"),
        rows,
        chart=[(r[0][:7], r[4]) for r in rows if r[1] == main],
    )


def cash_application(session: Session, *, months: int = 12) -> Table:
    """Receipts applied automatically and by hand, by month of application."""
    first_alloc = (
        select(
            Allocation.transaction_id,
            func.min(Allocation.id).label("first_id"),
        )
        .where(
            Allocation.kind == AllocationKind.PAYMENT,
            Allocation.reverses_id.is_(None),
        )
        .group_by(Allocation.transaction_id)
        .subquery()
    )
    rows = session.execute(
        select(Allocation.created_at, Allocation.method).join(
            first_alloc, first_alloc.c.first_id == Allocation.id
        )
    ).all()
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"auto": 0, "manual": 0})
    for created, method in rows:
        key = created.strftime("%Y-%m")
        counts[key]["auto" if method is AllocationMethod.AUTO else "manual"] += 1
    out = []
    for month in sorted(counts)[-months:]:
        c = counts[month]
        total = c["auto"] + c["manual"]
        out.append((month, c["auto"], c["manual"], round(c["auto"] / total, 3) if total else None))
    return Table(
        "cash-application",
        ("month", "automatic", "manual", "automatic_rate"),
        out,
        chart_series=[
            ("automatic", [float(r[1]) for r in out]),
            ("manual", [float(r[2]) for r in out]),
        ],
        chart=[(r[0], float(r[1] + r[2])) for r in out],
    )


def disputes(session: Session) -> Table:
    """Disputes opened per month and the average days to resolve them."""
    data: dict[str, dict[str, Any]] = defaultdict(lambda: {"opened": 0, "resolved": 0, "days": []})
    for created, resolved in session.execute(select(Dispute.created_at, Dispute.resolved_at)):
        month = created.strftime("%Y-%m")
        data[month]["opened"] += 1
        if resolved is not None:
            data[month]["resolved"] += 1
            data[month]["days"].append((resolved - created).total_seconds() / 86400)
    rows = [
        (
            m,
            d["opened"],
            d["resolved"],
            round(sum(d["days"]) / len(d["days"]), 1) if d["days"] else None,
        )
        for m, d in sorted(data.items())
    ]
    return Table(
        "disputes",
        ("month", "opened", "resolved", "avg_days_to_resolve"),
        rows,
        chart=[(r[0], float(r[1])) for r in rows],
    )


def followup_backlog(session: Session, *, today: dt.date) -> Table:
    """Open follow-up tasks by kind and owner, and how many are past due."""
    past_due = case((FollowUp.due_date < today, 1), else_=0)
    query = (
        select(FollowUp.kind, User.email, func.count(), func.sum(past_due))
        .outerjoin(User, User.id == FollowUp.owner_id)
        .where(FollowUp.status.in_((FollowUpStatus.OPEN, FollowUpStatus.IN_PROGRESS)))
        .group_by(FollowUp.kind, User.email)
    )
    data: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for kind, email, count, late in session.execute(query):
        key = (kind.value, email or "-")
        data[key][0] += int(count)
        data[key][1] += int(late or 0)
    rows = [(k, o, n, late) for (k, o), (n, late) in sorted(data.items())]
    by_kind: dict[str, float] = defaultdict(float)
    for kind, _owner, n, _late in rows:
        by_kind[kind] += n
    return Table(
        "followup-backlog",
        ("kind", "owner", "open", "past_due"),
        rows,
        chart=sorted(by_kind.items()),
    )


#: the master-data dimensions receivables are summed by: (key, column)
DIMENSIONS = (
    ("region", Customer.region),
    ("segment", Customer.segment),
    ("product_line", Invoice.product_line),
    ("account_manager", User.email),
)


def by_dimension(session: Session, *, today: dt.date) -> Table:
    """Open receivables and the overdue part by region, segment, product line, account manager.

    One row per dimension, value and currency (currencies are never added together).
    """
    overdue = case((Invoice.due_date < today, Invoice.open_amount), else_=0)
    rows: list[tuple[Any, ...]] = []
    chart: dict[str, float] = defaultdict(float)
    for key, column in DIMENSIONS:
        query = (
            select(
                column,
                Invoice.currency,
                func.count(Invoice.id),
                func.sum(Invoice.open_amount),
                func.sum(overdue),
            )
            .join(Customer, Customer.id == Invoice.customer_id)
            .where(
                Invoice.open_amount > 0,
                Invoice.status.in_((InvoiceStatus.OPEN, InvoiceStatus.PARTIALLY_PAID)),
            )
            .group_by(column, Invoice.currency)
        )
        if key == "account_manager":
            query = query.outerjoin(User, User.id == Customer.account_manager_id)
        found = sorted(
            (
                (value or "-", currency, int(count), Decimal(total), Decimal(late or 0))
                for value, currency, count, total, late in session.execute(query)
            ),
            key=lambda r: (r[1], -r[3], r[0]),
        )
        for value, currency, count, total, late in found:
            rows.append((key, value, currency, count, total, late))
            if key == "region" and currency == "CNY":
                chart[value] += float(total)
    return Table(
        "dimensions",
        ("dimension", "value", "currency", "invoices", "open", "overdue"),
        rows,
        chart=sorted(chart.items(), key=lambda item: -item[1])[:12],
    )


def all_tables(session: Session, *, today: dt.date) -> dict[str, Table]:
    """Every report, by name."""
    return {
        t.name: t
        for t in (
            aging(session, today=today),
            dso(session, today=today),
            cash_application(session),
            disputes(session),
            followup_backlog(session, today=today),
            by_dimension(session, today=today),
        )
    }


def cached_tables(session: Session, cache: dict[str, Any], *, today: dt.date) -> dict[str, Table]:
    """``all_tables()`` kept in ``cache`` (one app's) until the data they sum may have changed.

    The mark is the credit page's (invoices, ledger, disputes, customers, audit trail) plus
    follow-ups and credit notes: at 100,000 invoices the reports take seconds to sum.
    """
    from ..credit.service import change_mark

    mark = (
        *change_mark(session, today),
        session.scalar(select(func.max(FollowUp.id))),
        session.scalar(select(func.max(CreditNote.id))),
    )
    return cached_until_changed(cache, mark, lambda: all_tables(session, today=today))
