"""Issued statements of account, their lines and the evidence of each signature."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from .base import Base, TimestampMixin, check_transition, enum_type

if TYPE_CHECKING:
    from .customers import Customer
    from .users import User


class StatementStatus(enum.StrEnum):
    ISSUED = "issued"
    CONFIRMED = "confirmed"
    DISPUTED = "disputed"
    SUPERSEDED = "superseded"


STATEMENT_TRANSITIONS: dict[StatementStatus, frozenset[StatementStatus]] = {
    StatementStatus.ISSUED: frozenset(
        {StatementStatus.CONFIRMED, StatementStatus.DISPUTED, StatementStatus.SUPERSEDED}
    ),
    StatementStatus.DISPUTED: frozenset({StatementStatus.SUPERSEDED}),
    StatementStatus.CONFIRMED: frozenset(),
    StatementStatus.SUPERSEDED: frozenset(),
}


class Statement(TimestampMixin, Base):
    """A statement of account for one customer and period, frozen once issued."""

    __tablename__ = "statements"
    __table_args__ = (
        UniqueConstraint("customer_id", "period_start", "period_end", "version"),
        CheckConstraint("period_end >= period_start", name="period_ordered"),
        CheckConstraint("disputed_amount >= 0", name="disputed_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    period_start: Mapped[dt.date]
    period_end: Mapped[dt.date]
    version: Mapped[int] = mapped_column(default=1)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("statements.id"))
    currency: Mapped[str] = mapped_column(String(3))
    language: Mapped[str] = mapped_column(String(2), default="zh")
    opening_balance: Mapped[Decimal]
    total_charges: Mapped[Decimal]
    total_payments: Mapped[Decimal]
    total_credits: Mapped[Decimal]
    closing_balance: Mapped[Decimal]
    disputed_amount: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    status: Mapped[StatementStatus] = mapped_column(
        enum_type(StatementStatus, "statement_status"), default=StatementStatus.ISSUED
    )
    issued_at: Mapped[dt.datetime]
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    respond_by: Mapped[dt.date | None]
    #: the certified PDF as issued, never changed
    issued_pdf: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    issued_sha256: Mapped[str] = mapped_column(String(64))
    #: the PDF with the customer's approval signature added (incremental update)
    signed_pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    signed_sha256: Mapped[str | None] = mapped_column(String(64))
    confirmed_at: Mapped[dt.datetime | None]
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    customer: Mapped[Customer] = relationship()
    lines: Mapped[list[StatementLine]] = relationship(
        back_populates="statement", order_by="StatementLine.line_no", cascade="all, delete-orphan"
    )
    confirmed_by: Mapped[User | None] = relationship(foreign_keys=[confirmed_by_id])
    supersedes: Mapped[Statement | None] = relationship(remote_side=[id])

    def move_to(self, new: StatementStatus) -> None:
        """Change status along the allowed transitions (does not commit)."""
        check_transition("statement", STATEMENT_TRANSITIONS, self.status, new)
        self.status = new


class StatementLine(Base):
    """One row of a statement: an invoice, credit note, payment or allocation."""

    __tablename__ = "statement_lines"
    __table_args__ = (
        UniqueConstraint("statement_id", "line_no"),
        CheckConstraint("debit >= 0 AND credit >= 0", name="amounts_not_negative"),
        CheckConstraint(
            "kind IN ('invoice', 'credit_note', 'payment', 'allocation', 'write_off', "
            "'adjustment')",
            name="kind_known",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(
        ForeignKey("statements.id", ondelete="CASCADE"), index=True
    )
    line_no: Mapped[int]
    date: Mapped[dt.date]
    kind: Mapped[str] = mapped_column(String(16))
    document: Mapped[str] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(String(500), default="")
    due_date: Mapped[dt.date | None]
    debit: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    credit: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    balance: Mapped[Decimal]
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"))
    credit_note_id: Mapped[int | None] = mapped_column(ForeignKey("credit_notes.id"))
    transaction_id: Mapped[int | None] = mapped_column(ForeignKey("bank_transactions.id"))

    statement: Mapped[Statement] = relationship(back_populates="lines")

    @property
    def amount(self) -> Decimal:
        return self.debit if self.debit else self.credit


class SignatureEvidence(TimestampMixin, Base):
    """What was signed, by whom, when and how: kept beside each PDF signature."""

    __tablename__ = "signature_evidence"
    __table_args__ = (CheckConstraint("kind IN ('certification', 'approval')", name="kind_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    signer_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    signer_name: Mapped[str] = mapped_column(String(200))
    signer_email: Mapped[str | None] = mapped_column(String(254))
    signer_company: Mapped[str] = mapped_column(String(200))
    certificate_subject: Mapped[str] = mapped_column(String(500), default="")
    signed_at: Mapped[dt.datetime]
    ip_address: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(500))
    auth_method: Mapped[str | None] = mapped_column(String(200))
    consent_text: Mapped[str | None] = mapped_column(Text)
    statement_version: Mapped[int]
    hash_before: Mapped[str] = mapped_column(String(64))
    hash_after: Mapped[str] = mapped_column(String(64))
