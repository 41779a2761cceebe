"""Disputes raised by customers on statement lines, their threads and attachments."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from .base import Model, StatusEnum, StatusMachine, TimestampMixin, enum_type, status_column

if TYPE_CHECKING:
    from .customers import Customer
    from .invoices import CreditNote, Invoice
    from .statements import Statement, StatementLine
    from .users import User


class DisputeStatus(StatusEnum, entity="dispute"):
    OPEN = "open", "under_review", "accepted", "rejected"
    UNDER_REVIEW = "under_review", "accepted", "rejected"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class DisputeReason(enum.StrEnum):
    PRICE = "price"
    QUANTITY = "quantity"
    NOT_RECEIVED = "not_received"
    ALREADY_PAID = "already_paid"
    DUPLICATE = "duplicate"
    OTHER = "other"


class Dispute(TimestampMixin, StatusMachine[DisputeStatus], Model):
    """A customer's objection to a statement line or an open item, with the amount in question."""

    __tablename__ = "disputes"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        # a line of a statement, or an open item disputed from the overview (no statement)
        CheckConstraint(
            "(statement_line_id IS NOT NULL AND statement_id IS NOT NULL) "
            "OR (statement_line_id IS NULL AND statement_id IS NULL AND invoice_id IS NOT NULL)",
            name="line_or_open_item",
        ),
    )

    number: Mapped[str] = mapped_column(String(32), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    #: the statement and line disputed; both None for an open item disputed on its own
    statement_id: Mapped[int | None] = mapped_column(ForeignKey("statements.id"), index=True)
    statement_line_id: Mapped[int | None] = mapped_column(ForeignKey("statement_lines.id"))
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"), index=True)
    reason: Mapped[DisputeReason] = mapped_column(enum_type(DisputeReason, "dispute_reason"))
    amount: Mapped[Decimal]
    comment: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[DisputeStatus] = status_column("dispute_status", DisputeStatus.OPEN)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolution: Mapped[str | None] = mapped_column(Text)
    resolved_at: Mapped[dt.datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    credit_note_id: Mapped[int | None] = mapped_column(
        ForeignKey("credit_notes.id", use_alter=True)
    )

    customer: Mapped[Customer] = relationship()
    statement: Mapped[Statement | None] = relationship()
    line: Mapped[StatementLine | None] = relationship()
    invoice: Mapped[Invoice | None] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    assigned_to: Mapped[User | None] = relationship(foreign_keys=[assigned_to_id])
    credit_note: Mapped[CreditNote | None] = relationship(foreign_keys=[credit_note_id])
    messages: Mapped[list[DisputeMessage]] = relationship(
        back_populates="dispute", order_by="DisputeMessage.id"
    )
    attachments: Mapped[list[DisputeAttachment]] = relationship(
        back_populates="dispute", order_by="DisputeAttachment.id"
    )

    @property
    def currency(self) -> str:
        """The currency of the disputed amount: the line's, else the invoice's."""
        if self.line is not None:
            return self.line.line_currency
        if self.invoice is not None:
            return self.invoice.currency
        return self.customer.currency

    @property
    def document(self) -> str:
        """The disputed document's number: the line's document, else the invoice's."""
        if self.line is not None:
            return self.line.document
        return self.invoice.number if self.invoice is not None else ""

    @property
    def is_resolved(self) -> bool:
        return self.status in (DisputeStatus.ACCEPTED, DisputeStatus.REJECTED)


class DisputeMessage(TimestampMixin, Model):
    """One message in a dispute's thread, from the customer or from staff."""

    __tablename__ = "dispute_messages"

    dispute_id: Mapped[int] = mapped_column(ForeignKey("disputes.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    #: staff-only notes are never shown to the customer
    internal: Mapped[bool] = mapped_column(default=False)

    dispute: Mapped[Dispute] = relationship(back_populates="messages")
    author: Mapped[User | None] = relationship()


class DisputeAttachment(TimestampMixin, Model):
    """A file attached to a dispute (PDF or image, type checked from its content)."""

    __tablename__ = "dispute_attachments"
    __table_args__ = (CheckConstraint("size > 0", name="size_positive"),)

    dispute_id: Mapped[int] = mapped_column(ForeignKey("disputes.id"), index=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("dispute_messages.id"))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    dispute: Mapped[Dispute] = relationship(back_populates="attachments")
