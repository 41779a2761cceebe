"""Plain data of a statement of account: the ledger going in, the built statement coming out."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field, fields
from decimal import Decimal
from pathlib import Path
from string import Formatter
from typing import ClassVar, Literal

from .errors import LedgerError

ZERO = Decimal("0.00")
Language = Literal["zh", "en"]


def _check_amount(what: str, value: Decimal, *, allow_zero: bool = False) -> None:
    if not isinstance(value, Decimal):
        raise LedgerError(f"{what}: amount must be a Decimal, got {type(value).__name__}")
    if not value.is_finite() or value < 0 or (value == 0 and not allow_zero):
        raise LedgerError(f"{what}: amount must be {'>= 0' if allow_zero else '> 0'}, got {value}")


@dataclass(frozen=True, kw_only=True)
class CompanyInfo:
    """The issuing company, as printed in the letterhead."""

    name: str
    address: str = ""
    #: PNG or JPEG shown at the top left of the first page
    logo_path: Path | None = None
    #: where customers confirm or dispute (printed in the notice)
    portal_url: str = ""


@dataclass(frozen=True, kw_only=True)
class CustomerInfo:
    """The customer the statement is addressed to."""

    code: str
    name: str
    currency: str = "CNY"
    language: Language = "zh"
    address: str = ""
    email: str | None = None

    def __post_init__(self) -> None:
        if self.language not in ("zh", "en"):
            raise LedgerError(f"unknown statement language {self.language!r}")


class EntryKind(enum.StrEnum):
    """What a statement line is; values match the ``statement_lines.kind`` column."""

    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"
    PAYMENT = "payment"
    ALLOCATION = "allocation"
    WRITE_OFF = "write_off"
    #: a credit note, write-off or payment taken back later (its ledger records reversed)
    ADJUSTMENT = "adjustment"
    #: money the ERP (the system of record) settled on an invoice by itself
    ERP_SETTLEMENT = "erp_settlement"
    #: an invoice the ERP shows open again after settling it
    ERP_REOPENED = "erp_reopened"
    #: a payment taken off an invoice again (its application reversed)
    UNALLOCATION = "unallocation"


#: order of kinds on the same day: charges first, then what reduces them
KIND_ORDER = {
    EntryKind.INVOICE: 0,
    EntryKind.CREDIT_NOTE: 1,
    EntryKind.PAYMENT: 2,
    EntryKind.ALLOCATION: 3,
    EntryKind.WRITE_OFF: 4,
    EntryKind.ADJUSTMENT: 5,
    EntryKind.ERP_SETTLEMENT: 6,
    EntryKind.ERP_REOPENED: 7,
    EntryKind.UNALLOCATION: 8,
}


@dataclass(frozen=True, kw_only=True)
class _Entry:
    """What every ledger entry has: a date, a positive amount, its source row and currency.

    A subclass names its kind and how error messages name it (``label``, filled from its
    fields). The label's first field holds the document number printed on the statement line.
    """

    kind: ClassVar[EntryKind]
    label_format: ClassVar[str]
    document_field: ClassVar[str]

    date: dt.date
    amount: Decimal
    #: the caller's id of the source row (e.g. ``invoices.id``), carried to the statement line
    source_id: int | None = None
    #: ISO currency of the entry; empty: the customer's currency
    currency: str = ""
    #: the record's own date when it counts later than that (``date``): it was booked after
    #: the statement covering its own date had been issued (``None``: it counts on its date)
    value_date: dt.date | None = None

    def __init_subclass__(cls, *, kind: EntryKind | None = None, label: str = "") -> None:
        super().__init_subclass__()
        if kind is not None:  # a class between _Entry and the kinds names none
            cls.kind, cls.label_format = kind, label
            cls.document_field = next(name for _, name, _, _ in Formatter().parse(label) if name)

    def __post_init__(self) -> None:
        _check_amount(self.label, self.amount)
        if self.value_date is not None and self.value_date >= self.date:
            raise LedgerError(f"{self.label}: counts on {self.date}, not after {self.value_date}")

    @property
    def own_date(self) -> dt.date:
        """The record's own date (its value date), whatever day it counts on."""
        return self.value_date or self.date

    @property
    def document(self) -> str:
        """The document number printed on the statement line."""
        number: str = getattr(self, self.document_field)
        return number

    @property
    def label(self) -> str:
        """How error messages name the entry, e.g. ``invoice INV-1``."""
        return self.label_format.format_map(vars(self))


@dataclass(frozen=True, kw_only=True)
class InvoiceEntry(_Entry, kind=EntryKind.INVOICE, label="invoice {number}"):
    """An invoice: a charge to the customer, due on ``due_date``."""

    number: str
    due_date: dt.date
    #: part of the invoice the customer disputes (open disputes only)
    disputed_amount: Decimal = ZERO
    description: str = ""

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_amount(f"{self.label} disputed", self.disputed_amount, allow_zero=True)
        if self.disputed_amount > self.amount:
            raise LedgerError(f"{self.label}: disputed amount exceeds the invoice")
        if self.due_date < self.own_date:
            raise LedgerError(f"{self.label}: due before it was issued")


@dataclass(frozen=True, kw_only=True)
class _Reduction(_Entry):
    """An entry that reduces the balance and may name the one invoice it reduces."""

    invoice: str | None = None


@dataclass(frozen=True, kw_only=True)
class CreditNoteEntry(_Reduction, kind=EntryKind.CREDIT_NOTE, label="credit note {number}"):
    """A credit note: reduces the balance of the whole account or of ``invoice``."""

    number: str
    description: str = ""


@dataclass(frozen=True, kw_only=True)
class WriteOffEntry(_Reduction, kind=EntryKind.WRITE_OFF, label="write-off {reference}"):
    """An amount written off (e.g. bank charges deducted by the payer): reduces the balance."""

    reference: str
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class PaymentEntry(_Entry, kind=EntryKind.PAYMENT, label="payment {reference}"):
    """Money received from the customer (a bank transaction), applied or not."""

    reference: str
    description: str = ""


@dataclass(frozen=True, kw_only=True)
class _Application(_Entry):
    """Part of ``payment`` applied to ``invoice``, or taken off it: the balance is unchanged."""

    payment: str
    invoice: str


@dataclass(frozen=True, kw_only=True)
class AllocationEntry(
    _Application, kind=EntryKind.ALLOCATION, label="allocation {payment} -> {invoice}"
):
    """Part of a payment applied to an invoice: shown for information, the balance is unchanged."""


@dataclass(frozen=True, kw_only=True)
class UnallocationEntry(
    _Application, kind=EntryKind.UNALLOCATION, label="allocation reversed {payment} -> {invoice}"
):
    """Part of a payment taken off an invoice again on ``date`` (its application reversed):
    opens that much of the invoice again, the balance is unchanged. The allocation keeps its
    own line on its own date, so a statement issued before lists the open items it did."""


@dataclass(frozen=True, kw_only=True)
class AdjustmentEntry(_Entry, kind=EntryKind.ADJUSTMENT, label="adjustment {reference}"):
    """A credit note, write-off or payment taken back on ``date``: adds ``amount`` to the
    balance again and, when it named an invoice, opens that much of the invoice again.

    What is taken back keeps its own line on its own date, so a statement issued before the
    reversal still adds up, and the next one opens at its closing balance.
    """

    #: the credit note's number, the write-off's or the payment's reference taken back
    reference: str
    invoice: str | None = None
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class ErpSettlementEntry(
    _Entry, kind=EntryKind.ERP_SETTLEMENT, label="settled in the ERP {invoice}"
):
    """Money the ERP settled on ``invoice`` by itself (a cheque or cash booked there, a part
    paid before the invoice came to the statement's system): reduces the balance and the
    invoice, like a payment applied to it."""

    invoice: str


@dataclass(frozen=True, kw_only=True)
class ErpReopenedEntry(_Entry, kind=EntryKind.ERP_REOPENED, label="reopened in the ERP {invoice}"):
    """The ERP shows ``amount`` of ``invoice`` open again after settling it: a charge that
    opens that much of the invoice again."""

    invoice: str


LedgerEntry = (
    InvoiceEntry
    | CreditNoteEntry
    | PaymentEntry
    | AllocationEntry
    | UnallocationEntry
    | WriteOffEntry
    | AdjustmentEntry
    | ErpSettlementEntry
    | ErpReopenedEntry
)


@dataclass(frozen=True, kw_only=True)
class StatementLine:
    """One row of the activity table, with the balance after it."""

    line_no: int
    date: dt.date
    kind: EntryKind
    document: str
    #: the invoice an allocation, credit note or write-off refers to
    reference: str | None
    due_date: dt.date | None
    debit: Decimal
    credit: Decimal
    balance: Decimal
    #: for an allocation line: the amount applied to ``reference`` (no effect on the balance);
    #: for an unallocation line: the amount taken off it again
    applied: Decimal = ZERO
    source_id: int | None = None
    #: the record's own date when it was booked after the statement covering that date had
    #: been issued; ``date`` is then the day it counts on (the first period not yet issued)
    value_date: dt.date | None = None

    @property
    def booked_late(self) -> bool:
        """True when the line counts later than its own date (see ``value_date``)."""
        return self.value_date is not None

    @property
    def own_date(self) -> dt.date:
        """The date the statement prints: the record's own date."""
        return self.value_date or self.date


class AgingBucket(enum.StrEnum):
    """Days past due at the end of the period."""

    CURRENT = "current"
    DAYS_1_30 = "1-30"
    DAYS_31_60 = "31-60"
    DAYS_61_90 = "61-90"
    OVER_90 = "over-90"

    @classmethod
    def for_days(cls, days_overdue: int) -> AgingBucket:
        """Return the bucket for a number of days past due (0 or less: not yet due)."""
        if days_overdue <= 0:
            return cls.CURRENT
        if days_overdue <= 30:
            return cls.DAYS_1_30
        if days_overdue <= 60:
            return cls.DAYS_31_60
        if days_overdue <= 90:
            return cls.DAYS_61_90
        return cls.OVER_90


@dataclass(frozen=True, kw_only=True)
class OpenItem:
    """An invoice still (partly) unpaid at the end of the period."""

    document: str
    date: dt.date
    due_date: dt.date
    amount: Decimal
    open_amount: Decimal
    days_overdue: int
    bucket: AgingBucket
    disputed_amount: Decimal


@dataclass(frozen=True, kw_only=True)
class Aging:
    """Open invoice amounts per bucket; ``unapplied`` holds credits not yet set against invoices."""

    buckets: dict[AgingBucket, Decimal]
    unapplied: Decimal

    @property
    def total(self) -> Decimal:
        """What the customer owes: the open invoices less the unapplied credits."""
        return sum(self.buckets.values(), ZERO) - self.unapplied


@dataclass(frozen=True, kw_only=True)
class CurrencySection:
    """The statement of one currency: its own lines, balances, open items and aging.

    Amounts of different currencies are never added: a statement holds one section per
    currency and each balances on its own (opening + charges - payments - credits = closing).
    """

    currency: str
    opening_balance: Decimal
    lines: tuple[StatementLine, ...]
    total_charges: Decimal
    total_payments: Decimal
    total_credits: Decimal
    closing_balance: Decimal
    open_items: tuple[OpenItem, ...]
    aging: Aging
    disputed_amount: Decimal

    @property
    def is_empty(self) -> bool:
        """True when the section has no activity, no balance and no open item."""
        return not self.lines and self.closing_balance == 0 and not self.open_items


@dataclass(frozen=True, kw_only=True)
class StatementData:
    """A built statement: everything the PDF shows, computed and checked.

    The opening balance, lines, totals, open items, aging and disputed amount are the main
    section's, copied from it, never a sum over currencies.

    :raises LedgerError: when the statement has no currency section.
    """

    number: str
    version: int
    company: CompanyInfo
    customer: CustomerInfo
    period_start: dt.date
    period_end: dt.date
    issued_on: dt.date
    respond_by: dt.date
    #: one section per currency, the main one first
    sections: tuple[CurrencySection, ...]
    #: number of the statement this one corrects, printed on the PDF
    supersedes: str | None = None
    opening_balance: Decimal = field(init=False)
    lines: tuple[StatementLine, ...] = field(init=False)
    total_charges: Decimal = field(init=False)
    total_payments: Decimal = field(init=False)
    total_credits: Decimal = field(init=False)
    closing_balance: Decimal = field(init=False)
    open_items: tuple[OpenItem, ...] = field(init=False)
    aging: Aging = field(init=False)
    disputed_amount: Decimal = field(init=False)

    def __post_init__(self) -> None:
        if not self.sections:
            raise LedgerError(f"statement {self.number}: no currency section")
        main = self.sections[0]
        # the fields __init__ does not take are the main section's figures
        for figure in fields(self):
            if not figure.init:
                object.__setattr__(self, figure.name, getattr(main, figure.name))

    @property
    def currency(self) -> str:
        """The main section's currency (the customer's own when it has activity in it)."""
        return self.sections[0].currency

    @property
    def currencies(self) -> tuple[str, ...]:
        """The currencies of the statement's sections, the main one first."""
        return tuple(section.currency for section in self.sections)

    @property
    def is_empty(self) -> bool:
        """True when no section has activity, a balance or an open item."""
        return all(section.is_empty for section in self.sections)

    @property
    def language(self) -> Language:
        return self.customer.language
