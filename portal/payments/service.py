"""Queries behind the customer's payments page and its download (always scoped to one customer).

A receipt is the customer's when the ledger made it theirs (``BankTransaction.customer_id``,
set by applying it or holding it on account). Of its ledger records only those of the same
customer are read, so another company's invoice never shows, whatever a receipt holds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import Session, joinedload

from ..banking.exports import ARCHIVE_COLUMNS
from ..models import (
    WRITE_OFF_KINDS,
    Allocation,
    AllocationKind,
    BankTransaction,
)
from ..models.base import exact_amount
from ..reports.export import Columns

ZERO = Decimal("0.00")
#: most receipts one download holds
MAX_ROWS = 50_000


@dataclass(frozen=True)
class Dates:
    """The page's date range (booking dates, both ends included; ``None``: open)."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def args(self) -> dict[str, str]:
        """The range as query-string arguments (for the pager and the download links)."""
        return {k: v.isoformat() for k, v in self.__dict__.items() if v is not None}


@dataclass(frozen=True)
class Paid:
    """Money of a receipt on one invoice (its payments summed)."""

    number: str
    invoice_id: int
    amount: Decimal


@dataclass
class PaymentRow:
    """One receipt as the customer reads it: what it paid, what is held, what waits."""

    transaction: BankTransaction
    paid: list[Paid] = field(default_factory=list)
    written_off: Decimal = ZERO
    on_account: Decimal = ZERO

    @property
    def unapplied(self) -> Decimal:
        """Received, not yet applied by finance."""
        return self.transaction.unapplied_amount

    @property
    def paid_total(self) -> Decimal:
        return sum((p.amount for p in self.paid), ZERO)


def payments_query(customer_id: int, dates: Dates) -> Select[BankTransaction]:
    """The customer's receipts in the date range, newest first (paginate it)."""
    query = select(BankTransaction).where(BankTransaction.confirmed_of(customer_id))
    if dates.date_from is not None:
        query = query.where(BankTransaction.booking_date >= dates.date_from)
    if dates.date_to is not None:
        query = query.where(BankTransaction.booking_date <= dates.date_to)
    return query.order_by(BankTransaction.booking_date.desc(), BankTransaction.id.desc())


def payment_rows(
    session: Session, customer_id: int, transactions: Sequence[BankTransaction]
) -> list[PaymentRow]:
    """The receipts with the customer's standing ledger records on them (one query)."""
    rows = {t.id: PaymentRow(t) for t in transactions}
    if not rows:
        return []
    records = session.scalars(
        select(Allocation)
        .where(
            Allocation.transaction_id.in_(list(rows)),
            Allocation.customer_id == customer_id,
            Allocation.reverses_id.is_(None),
            Allocation.reversed_by_id.is_(None),
        )
        .options(joinedload(Allocation.invoice))
        .order_by(Allocation.id)
    )
    paid: dict[int, dict[int, Paid]] = {t: {} for t in rows}
    for a in records:
        assert a.transaction_id is not None  # selected by it
        row = rows[a.transaction_id]
        if a.kind is AllocationKind.PAYMENT and a.invoice is not None:
            before = paid[a.transaction_id].get(a.invoice.id)
            total = a.amount + (before.amount if before else ZERO)
            paid[a.transaction_id][a.invoice.id] = Paid(a.invoice.number, a.invoice.id, total)
        elif a.kind in WRITE_OFF_KINDS:
            row.written_off += a.amount
        elif a.kind is AllocationKind.ON_ACCOUNT:
            row.on_account += a.amount
    for tx_id, row in rows.items():
        row.paid = list(paid[tx_id].values())
    return [rows[t.id] for t in transactions]


def export_rows(session: Session, customer_id: int, dates: Dates) -> list[PaymentRow]:
    """Every receipt of the page's range (not only the page shown), for the download."""
    found = list(session.scalars(payments_query(customer_id, dates).limit(MAX_ROWS)))
    return payment_rows(session, customer_id, found)


def _receipt(row: PaymentRow) -> BankTransaction:
    return row.transaction


def _paid_text(row: PaymentRow) -> str:
    return "; ".join(f"{p.number} {exact_amount(p.amount):f}" for p in row.paid)


#: the download's columns: the CSV key, what people read in the XLSX header, the row's value;
#: the receipt's own columns are the receipt archive's
COLUMNS = Columns[PaymentRow](
    *ARCHIVE_COLUMNS.read_through(
        _receipt, "booking_date", "voucher", "bank_ref", "amount", "currency"
    ),
    ("paid_invoices", _l("Invoices paid"), _paid_text),
    ("paid_total", _l("Applied to invoices"), lambda r: r.paid_total),
    ("written_off", _l("Bank charge / difference written off"), lambda r: r.written_off),
    ("on_account", _l("Held on account"), lambda r: r.on_account),
    ("unapplied", _l("Not yet applied"), lambda r: r.unapplied),
)
