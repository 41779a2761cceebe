"""The contract register: contracts, their billing schedules, signed PDFs and invoice checks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from .base import Finding, Model, StatusEnum, TimestampMixin, status_column, utcnow

if TYPE_CHECKING:
    from .customers import Customer
    from .invoices import Invoice
    from .users import User


class Contract(TimestampMixin, Model):
    """A signed sales contract: what may be invoiced to a customer, how much and when."""

    __tablename__ = "contracts"
    __audit_key__ = "number"
    __table_args__ = (
        CheckConstraint("total > 0", name="total_positive"),
        CheckConstraint(
            "payment_terms_days IS NULL OR payment_terms_days >= 0", name="terms_not_negative"
        ),
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="valid_range"),
    )

    number: Mapped[str] = mapped_column(String(64), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    currency: Mapped[str] = mapped_column(String(3))
    total: Mapped[Decimal]
    payment_terms_days: Mapped[int | None]
    valid_from: Mapped[dt.date]
    valid_to: Mapped[dt.date | None]
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    customer: Mapped[Customer] = relationship()
    schedule: Mapped[list[ContractScheduleLine]] = relationship(
        back_populates="contract",
        cascade="all, delete-orphan",
        order_by="ContractScheduleLine.position",
    )
    documents: Mapped[list[ContractDocument]] = relationship(
        back_populates="contract", order_by="ContractDocument.id"
    )

    def __repr__(self) -> str:
        return f"<Contract {self.number} {self.currency} {self.total}>"


class ContractScheduleLine(Model):
    """One line of a billing schedule: a date or a milestone, and the amount to invoice."""

    __tablename__ = "contract_schedule_lines"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("due_date IS NOT NULL OR milestone IS NOT NULL", name="date_or_milestone"),
    )

    contract_id: Mapped[int] = mapped_column(
        ForeignKey("contracts.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    due_date: Mapped[dt.date | None]
    milestone: Mapped[str | None] = mapped_column(String(200))
    amount: Mapped[Decimal]

    contract: Mapped[Contract] = relationship(back_populates="schedule")


class ContractDocument(TimestampMixin, Model):
    """A signed contract PDF, byte for byte, with what the text extraction proposed."""

    __tablename__ = "contract_documents"
    __table_args__ = (CheckConstraint("size > 0", name="size_positive"),)

    #: empty until finance confirms the proposal (or attaches it to a contract)
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contracts.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    #: fields proposed from the PDF's text (number, parties, total, currency, terms, dates)
    proposal: Mapped[dict[str, Any]] = mapped_column(default=dict)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[dt.datetime | None]

    contract: Mapped[Contract | None] = relationship(back_populates="documents")
    uploaded_by: Mapped[User | None] = relationship(foreign_keys=[uploaded_by_id])


class CheckStatus(StatusEnum, entity="invoice_contract_check"):
    #: differences found: the invoice waits for finance
    HELD = "held", "confirmed", "cleared"
    #: finance confirmed the invoice despite the differences (with a reason); held again when
    #: the ERP changes it and the new version differs again
    CONFIRMED = "confirmed", "held", "cleared"
    #: a later import corrected the invoice: no difference left
    CLEARED = "cleared", "held"


class InvoiceContractCheck(TimestampMixin, Finding[CheckStatus], Model):
    """The latest contract check of an imported invoice that differed from its contract."""

    __tablename__ = "invoice_contract_checks"

    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), unique=True)
    status: Mapped[CheckStatus] = status_column(
        "contract_check_status", CheckStatus.HELD, index=True
    )
    #: ``[{"code": ..., "params": {...}}]``; the message is rendered in the reader's language
    differences: Mapped[list[Any]] = mapped_column(default=list)
    reason: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime | None]
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    invoice: Mapped[Invoice] = relationship()
    decided_by: Mapped[User | None] = relationship()

    def _closed(self, by_id: int, at: dt.datetime) -> None:
        self.decided_by_id, self.decided_at = by_id, at
