"""Uploaded bank files, their transactions and allocations to invoices."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    CheckConstraint,
    ColumnElement,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    and_,
    or_,
    select,
    text,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from .base import Model, Money4, StatusEnum, TimestampMixin, enum_type, status_column, utcnow

if TYPE_CHECKING:
    from .customers import Customer
    from .invoices import CreditNote, Invoice
    from .users import User


class BankFileStatus(enum.StrEnum):
    PENDING = "pending"
    PROCESSING = "processing"
    DONE = "done"
    FAILED = "failed"


class BankFile(TimestampMixin, Model):
    """A bank file as uploaded, byte for byte; the same bytes are stored once (sha256)."""

    __tablename__ = "bank_files"

    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    original_name: Mapped[str] = mapped_column(String(255))
    detected_format: Mapped[str | None] = mapped_column(String(32))
    size: Mapped[int]
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    status: Mapped[BankFileStatus] = status_column("bank_file_status", BankFileStatus.PENDING)
    error: Mapped[str | None] = mapped_column(Text)
    """The problems in English, ``; ``-joined (what the audit trail records)."""
    problems: Mapped[list[Any] | None] = mapped_column(default=None)
    """The same problems as codes with parameters (``reconcile.problems.describe``), so a page
    names them in its reader's language; None for files imported before they were kept."""
    transaction_count: Mapped[int] = mapped_column(default=0)

    uploaded_by: Mapped[User | None] = relationship()
    transactions: Mapped[list[BankTransaction]] = relationship(back_populates="file")


class Direction(enum.StrEnum):
    CREDIT = "credit"
    DEBIT = "debit"


class MatchStatus(StatusEnum, entity="bank transaction"):
    #: reversing an applied match sends it back to the queue
    MATCHED = "matched", "unmatched", "suggested"
    SUGGESTED = "suggested", "matched", "unmatched", "advance", "ignored"
    UNMATCHED = "unmatched", "matched", "advance", "suggested", "ignored"
    IGNORED = "ignored", "unmatched"
    DUPLICATE = "duplicate"
    #: booked by finance as an advance payment on a customer
    ADVANCE = "advance", "unmatched", "matched"


@dataclasses.dataclass(frozen=True)
class ForeignAmount:
    """An entry's amount in another currency than the account's, as its bank file gives it."""

    amount: Decimal | None
    currency: str
    rate: str | None


#: where each reader keeps the other currency's amount, currency and rate in ``raw``
_FOREIGN_KEYS: tuple[tuple[str | None, str, str | None], ...] = (
    ("foreign_amount", "foreign_currency", "exchange_rate"),  # CAMT
    ("original_amount", "original_currency", None),  # CSV/XLS exports
    (None, "original_currency", "original_currency_rate"),  # OFX ORIGCURRENCY
)


def _decimal_or_none(value: object) -> Decimal | None:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except ArithmeticError:
        return None


#: the statuses of a receipt the ledger made a customer's (see :meth:`BankTransaction.confirmed_of`)
CONFIRMED_RECEIPT_STATUSES = (MatchStatus.MATCHED, MatchStatus.ADVANCE)


class BankTransaction(TimestampMixin, Model):
    """One entry of a bank file, normalised by the reconciliation engine."""

    __tablename__ = "bank_transactions"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint(
            "unapplied_amount >= 0 AND unapplied_amount <= amount", name="unapplied_in_range"
        ),
        # the same bank entry is stored once; later sightings are kept as duplicates of it
        Index(
            "uq_bank_transactions_account_ref",
            "our_account",
            "bank_ref",
            unique=True,
            sqlite_where=text("duplicate_of_id IS NULL"),
            postgresql_where=text("duplicate_of_id IS NULL"),
        ),
        Index("ix_bank_transactions_status_date", "match_status", "booking_date"),
    )

    file_id: Mapped[int] = mapped_column(ForeignKey("bank_files.id"), index=True)
    voucher_number: Mapped[str] = mapped_column(String(32), unique=True)
    our_account: Mapped[str] = mapped_column(String(64), default="")
    bank_ref: Mapped[str] = mapped_column(String(128))
    booking_date: Mapped[dt.date]
    value_date: Mapped[dt.date | None]
    amount: Mapped[Decimal]
    direction: Mapped[Direction] = mapped_column(enum_type(Direction, "direction"))
    currency: Mapped[str] = mapped_column(String(3))
    payer_name: Mapped[str | None] = mapped_column(String(255))
    payer_account: Mapped[str | None] = mapped_column(String(64))
    payer_bank: Mapped[str | None] = mapped_column(String(255))
    payee_name: Mapped[str | None] = mapped_column(String(255))
    payee_account: Mapped[str | None] = mapped_column(String(64))
    reference: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(300), default="")
    raw: Mapped[dict[str, Any]] = mapped_column(default=dict)
    warnings: Mapped[list[Any]] = mapped_column(default=list)
    """What the parser noted on the entry (``reconcile.problems.describe``: coded, with the
    English ``text``; plain strings in rows imported before warnings were coded)."""
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("bank_transactions.id"))
    match_status: Mapped[MatchStatus] = status_column("match_status", MatchStatus.UNMATCHED)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    confidence: Mapped[Decimal | None] = mapped_column(type_=Money4)
    reasons: Mapped[list[Any]] = mapped_column(default=list)
    suggestions: Mapped[list[Any]] = mapped_column(default=list)
    #: money received but not (yet) applied to an invoice
    unapplied_amount: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    #: bumped by every change, so two clerks acting at once cannot both win
    version: Mapped[int] = mapped_column(default=1)

    file: Mapped[BankFile] = relationship(back_populates="transactions")
    customer: Mapped[Customer | None] = relationship()
    allocations: Mapped[list[Allocation]] = relationship(
        back_populates="transaction", order_by="Allocation.id"
    )

    @classmethod
    def guessed_of(cls, customer_id: int) -> ColumnElement[bool]:
        """The credits Concord ties to the customer, a matcher's guess included (staff views)."""
        return and_(
            cls.customer_id == customer_id,
            cls.direction == Direction.CREDIT,
            cls.duplicate_of_id.is_(None),
        )

    @classmethod
    def confirmed_of(cls, customer_id: int) -> ColumnElement[bool]:
        """The customer's receipts as the ledger holds them: applied to its invoices, booked as
        its advance, or with a ledger record of its own on them. A receipt the matcher only
        guessed to be theirs (a suggestion, a payer's name alike) is not: what a customer sees
        must never be another company's payment."""
        return and_(cls.guessed_of(customer_id), cls._held_by(customer_id))

    @classmethod
    def confirmed(cls) -> ColumnElement[bool]:
        """Every customer's receipts as the ledger holds them (:meth:`confirmed_of` of the
        customer each is tied to), for reports over all customers."""
        return and_(
            cls.customer_id.is_not(None),
            cls.direction == Direction.CREDIT,
            cls.duplicate_of_id.is_(None),
            cls._held_by(cls.customer_id),
        )

    @classmethod
    def _held_by(cls, customer_id: Any) -> ColumnElement[bool]:
        """Confirmed as the customer's (id or column): by its match status, or by a ledger
        record of the customer's on it that is neither reversed nor a reversal."""
        recorded = (
            select(Allocation.id)
            .where(
                Allocation.transaction_id == cls.id,
                Allocation.customer_id == customer_id,
                Allocation.reverses_id.is_(None),
                Allocation.reversed_by_id.is_(None),
            )
            .exists()
        )
        return or_(cls.match_status.in_(CONFIRMED_RECEIPT_STATUSES), recorded)

    @property
    def foreign_amount(self) -> ForeignAmount | None:
        """The amount in the currency it was sent or spent in, when the bank file gives it.

        CAMT's instructed amount (``foreign_amount``), a card export's original amount (原币金额,
        ``271.82(USD)``), or OFX's ORIGCURRENCY, which gives the currency and rate only.
        """
        raw = self.raw or {}
        for amount_key, currency_key, rate_key in _FOREIGN_KEYS:
            currency = str(raw.get(currency_key) or "").strip().upper()
            if not currency or currency == self.currency:
                continue
            rate = (str(raw.get(rate_key) or "").strip() or None) if rate_key else None
            amount = _decimal_or_none(raw.get(amount_key)) if amount_key else None
            if amount is not None or (amount_key is None and rate):
                return ForeignAmount(abs(amount) if amount is not None else None, currency, rate)
        return None


class AllocationKind(enum.StrEnum):
    """What a ledger record does to what a customer owes (the export's ``kind``)."""

    #: money of a receipt applied to an invoice
    PAYMENT = "payment"
    #: a bank charge the customer's bank deducted, written off on the invoice
    FEE_WRITEOFF = "fee_writeoff"
    #: a small difference written off on the invoice
    DIFFERENCE_WRITEOFF = "difference_writeoff"
    #: money of a receipt held on the customer's account (advance payment, overpayment)
    ON_ACCOUNT = "on_account"
    #: a credit note (e.g. an accepted dispute) on an invoice or on the customer's account
    CREDIT_NOTE = "credit_note"
    #: the negative twin of an earlier record
    REVERSAL = "reversal"


#: kinds that lower an invoice's open amount
INVOICE_KINDS = frozenset(
    {
        AllocationKind.PAYMENT,
        AllocationKind.FEE_WRITEOFF,
        AllocationKind.DIFFERENCE_WRITEOFF,
        AllocationKind.CREDIT_NOTE,
    }
)
#: kinds that use up money of a receipt
RECEIPT_KINDS = frozenset({AllocationKind.PAYMENT, AllocationKind.ON_ACCOUNT})
WRITE_OFF_KINDS = frozenset({AllocationKind.FEE_WRITEOFF, AllocationKind.DIFFERENCE_WRITEOFF})


class AllocationMethod(enum.StrEnum):
    AUTO = "auto"
    MANUAL = "manual"


class ErpStatus(enum.StrEnum):
    """Where a ledger record stands with the ERP."""

    PENDING = "pending"
    EXPORTED = "exported"
    BOOKED = "booked"


class Allocation(TimestampMixin, Model):
    """One ledger record: a change to what a customer owes, written by ``portal.ledger`` only.

    Never edited or deleted: a reversal is a new record (kind ``reversal``, negative amount)
    pointing at the original (``reverses_id``); the original records ``reversed_by_id``.
    ``id`` increases in commit order and is the export cursor.
    """

    __tablename__ = "allocations"
    __table_args__ = (
        CheckConstraint(
            "(kind = 'reversal' AND amount < 0 AND reverses_id IS NOT NULL) OR "
            "(kind != 'reversal' AND amount > 0 AND reverses_id IS NULL)",
            name="amount_sign",
        ),
        CheckConstraint(
            "kind NOT IN ('payment', 'fee_writeoff', 'difference_writeoff') "
            "OR invoice_id IS NOT NULL",
            name="invoice_entry_has_invoice",
        ),
        CheckConstraint(
            "kind NOT IN ('payment', 'on_account') OR transaction_id IS NOT NULL",
            name="receipt_entry_has_receipt",
        ),
        CheckConstraint(
            "kind != 'credit_note' OR credit_note_id IS NOT NULL", name="credit_entry_has_note"
        ),
    )

    transaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("bank_transactions.id"), index=True
    )
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    credit_note_id: Mapped[int | None] = mapped_column(ForeignKey("credit_notes.id"), index=True)
    kind: Mapped[AllocationKind] = mapped_column(enum_type(AllocationKind, "allocation_kind"))
    amount: Mapped[Decimal]
    currency: Mapped[str] = mapped_column(String(3))
    method: Mapped[AllocationMethod] = mapped_column(
        enum_type(AllocationMethod, "allocation_method")
    )
    confidence: Mapped[Decimal | None] = mapped_column(type_=Money4)
    explanation: Mapped[list[Any]] = mapped_column(default=list)
    reason: Mapped[str | None] = mapped_column(String(500))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: who did it: the user's email or the rule's name (the export's ``by``)
    actor_label: Mapped[str] = mapped_column(String(254), default="system")
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("allocations.id"))
    reversed_by_id: Mapped[int | None] = mapped_column(ForeignKey("allocations.id"))
    erp_status: Mapped[ErpStatus] = status_column("erp_status", ErpStatus.PENDING, index=True)
    exported_at: Mapped[dt.datetime | None]
    booked_at: Mapped[dt.datetime | None]

    transaction: Mapped[BankTransaction | None] = relationship(back_populates="allocations")
    invoice: Mapped[Invoice | None] = relationship()
    customer: Mapped[Customer] = relationship()
    credit_note: Mapped[CreditNote | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    reverses: Mapped[Allocation | None] = relationship(
        remote_side="Allocation.id", foreign_keys=[reverses_id]
    )

    @property
    def is_active(self) -> bool:
        """An allocation counts unless it is a reversal record or has been reversed."""
        return self.reverses_id is None and self.reversed_by_id is None
