"""The receipt archive as a download: each receipt with the invoices it was applied to.

The CSV has one row per receipt and its column keys (scripts read it by name); the
``applied_to`` column lists the invoices the receipt pays (``INV-1 1000.00; INV-2 500.00``).
The XLSX file has the same table with the reader's words for the columns, and a second sheet
with one row per application (receipt, invoice, kind, amount), for summing and filtering.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session, selectinload

from ..models import Allocation, AllocationKind, BankTransaction
from ..models.base import exact_amount
from ..reports.export import Columns, Sheet
from .labels import flabel
from .queries import Filters, transactions_query

#: most rows one export holds
MAX_ROWS = 200_000

APPLICATION_COLUMNS: tuple[Any, ...] = (
    _l("Voucher"),
    _l("Booking date"),
    _l("Customer"),
    _l("Invoice"),
    _l("Kind"),
    _l("Amount"),
    _l("Currency"),
    _l("Applied on"),
    _l("By"),
)


def archive_transactions(session: Session, filters: Filters) -> list[BankTransaction]:
    """The archive's search with each receipt's ledger records and their invoices loaded."""
    query = transactions_query(filters).options(
        selectinload(BankTransaction.allocations).selectinload(Allocation.invoice)
    )
    return list(session.scalars(query.limit(MAX_ROWS)).unique())


def _applications(txn: BankTransaction) -> list[Allocation]:
    """The records that stand (neither reversals nor reversed), in the order they were made."""
    return sorted((a for a in txn.allocations if a.is_active), key=lambda a: a.id)


def applied_to(txn: BankTransaction) -> str:
    """The invoices the receipt pays and how much of each, as ``INV-1 1000.00; INV-2 500.00``.

    Two payments of one receipt to the same invoice are one entry (their sum); the XLSX
    file's second sheet lists each record.
    """
    paid: dict[str, Decimal] = {}
    for a in _applications(txn):
        if a.kind == AllocationKind.PAYMENT and a.invoice is not None:
            paid[a.invoice.number] = paid.get(a.invoice.number, Decimal("0")) + a.amount
    return "; ".join(f"{number} {exact_amount(amount):f}" for number, amount in paid.items())


def _customer_code(txn: BankTransaction) -> str:
    return txn.customer.code if txn.customer else ""


#: the archive's columns: the CSV key, what people read in the XLSX header, the receipt's value
ARCHIVE_COLUMNS = Columns[BankTransaction](
    ("voucher", _l("Voucher"), lambda t: t.voucher_number),
    ("booking_date", _l("Booking date"), lambda t: t.booking_date),
    ("amount", _l("Amount"), lambda t: t.amount),
    ("currency", _l("Currency"), lambda t: t.currency),
    ("direction", _l("Direction"), lambda t: t.direction.value),
    ("status", _l("Status"), lambda t: t.match_status.value),
    ("customer", _l("Customer"), _customer_code),
    ("payer_name", _l("Payer"), lambda t: t.payer_name),
    ("payer_account", _l("Payer account"), lambda t: t.payer_account),
    ("bank_ref", _l("Bank reference"), lambda t: t.bank_ref),
    ("reference", _l("Reference"), lambda t: t.reference),
    ("unapplied", _l("Unapplied"), lambda t: t.unapplied_amount),
    ("file", _l("File"), lambda t: t.file.original_name),
    ("applied_to", _l("Applied to invoices"), applied_to),
)


def applications_sheet(transactions: Sequence[BankTransaction]) -> Sheet:
    """The XLSX sheet with one row per application of a receipt (money on account included)."""
    rows = (
        (
            t.voucher_number,
            t.booking_date,
            _customer_code(t),
            a.invoice.number if a.invoice is not None else "",
            str(flabel(a.kind)),
            a.amount,
            a.currency,
            a.created_at,
            a.actor_label,
        )
        for t in transactions
        for a in _applications(t)
    )
    return Sheet(str(_l("Applied to invoices")), APPLICATION_COLUMNS, rows)
