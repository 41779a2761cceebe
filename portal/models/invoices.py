"""Invoices and credit notes (imported from the ERP or created by dispute resolution)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Model, StatusEnum, TimestampMixin, status_column, utcnow

if TYPE_CHECKING:
    from .customers import Customer


class InvoiceStatus(StatusEnum, entity="invoice"):
    OPEN = "open", "partially_paid", "paid", "cancelled"
    PARTIALLY_PAID = "partially_paid", "open", "paid", "cancelled"
    #: a reversed allocation re-opens a paid invoice
    PAID = "paid", "open", "partially_paid"
    CANCELLED = "cancelled", "open"


def status_for_open_amount(amount: Decimal, open_amount: Decimal) -> InvoiceStatus:
    """Return the status an invoice has with the given open amount."""
    if open_amount == 0:
        return InvoiceStatus.PAID
    if open_amount < amount:
        return InvoiceStatus.PARTIALLY_PAID
    return InvoiceStatus.OPEN


def _open_amount_default(context: Any) -> Any:
    """A new invoice's ERP open amount is its open amount unless given."""
    return context.get_current_parameters()["open_amount"]


class Invoice(TimestampMixin, Model):
    """An invoice issued to a customer; ``open_amount`` is what is still to be paid."""

    __tablename__ = "invoices"
    __audit_key__ = "number"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("open_amount >= 0 AND open_amount <= amount", name="open_amount_in_range"),
        CheckConstraint(
            "erp_open_amount >= 0 AND erp_open_amount <= amount", name="erp_open_amount_in_range"
        ),
        CheckConstraint("due_date >= issue_date", name="due_after_issue"),
        Index("ix_invoices_customer_status", "customer_id", "status"),
    )

    number: Mapped[str] = mapped_column(String(64), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    issue_date: Mapped[dt.date]
    due_date: Mapped[dt.date] = mapped_column(index=True)
    currency: Mapped[str] = mapped_column(String(3))
    amount: Mapped[Decimal]
    #: open as Concord knows it: the ERP's open amount less Concord's entries not yet booked
    #: there; written by ``portal.ledger`` only
    open_amount: Mapped[Decimal]
    #: open as the ERP last reported it; written by the ERP import (and by ``ledger.mark_booked``)
    erp_open_amount: Mapped[Decimal] = mapped_column(default=_open_amount_default)
    #: closed because the ERP reports it paid without Concord having a receipt for it
    settled_in_erp: Mapped[bool] = mapped_column(default=False)
    po_number: Mapped[str | None] = mapped_column(String(64), index=True)
    sales_order_number: Mapped[str | None] = mapped_column(String(64), index=True)
    contract_number: Mapped[str | None] = mapped_column(String(64), index=True)
    product_line: Mapped[str | None] = mapped_column(String(80), index=True)
    status: Mapped[InvoiceStatus] = status_column("invoice_status", InvoiceStatus.OPEN)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    customer: Mapped[Customer] = relationship(back_populates="invoices")

    def set_open_amount(self, open_amount: Decimal) -> None:
        """Change the open amount and move the status along with it (does not commit).

        Only ``portal.ledger`` calls this; everything else goes through the ledger.
        """
        if open_amount < 0 or open_amount > self.amount:
            raise ValueError(
                f"open amount {open_amount} outside 0..{self.amount} for {self.number}"
            )
        new = status_for_open_amount(self.amount, open_amount)
        current = self.status or InvoiceStatus.OPEN
        if new != current:
            current.check_move(new)
            self.status = new
        self.open_amount = open_amount

    def days_overdue(self, today: dt.date) -> int:
        """Days past the due date on ``today`` (0 when not yet due)."""
        return max(0, (today - self.due_date).days)

    def __repr__(self) -> str:
        return f"<Invoice {self.number} {self.amount} open {self.open_amount}>"


class CreditNote(TimestampMixin, Model):
    """A credit to a customer, e.g. from an accepted dispute; later statements show it."""

    __tablename__ = "credit_notes"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    number: Mapped[str] = mapped_column(String(64), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"))
    dispute_id: Mapped[int | None] = mapped_column(ForeignKey("disputes.id", use_alter=True))
    issue_date: Mapped[dt.date]
    currency: Mapped[str] = mapped_column(String(3))
    amount: Mapped[Decimal]
    reason: Mapped[str] = mapped_column(String(500), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    customer: Mapped[Customer] = relationship()
    invoice: Mapped[Invoice | None] = relationship()
