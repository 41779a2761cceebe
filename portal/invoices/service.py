"""Queries behind the customer's invoice pages (always scoped to one customer)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from ..models import (
    Allocation,
    BankTransaction,
    CreditNote,
    Dispute,
    DisputeStatus,
    Invoice,
    InvoiceStatus,
)

FILTERS = ("all", "open", "overdue", "paid", "disputed")
OPEN_STATES = (InvoiceStatus.OPEN, InvoiceStatus.PARTIALLY_PAID)
ACTIVE_DISPUTES = (DisputeStatus.OPEN, DisputeStatus.UNDER_REVIEW)


def invoice_query(customer_id: int, filter_: str, today: dt.date) -> Select[Any]:
    """Select the customer's invoices for a list filter, newest first."""
    q = select(Invoice).where(Invoice.customer_id == customer_id)
    if filter_ == "open":
        q = q.where(Invoice.status.in_(OPEN_STATES))
    elif filter_ == "overdue":
        q = q.where(Invoice.status.in_(OPEN_STATES), Invoice.due_date < today)
    elif filter_ == "paid":
        q = q.where(Invoice.status == InvoiceStatus.PAID)
    elif filter_ == "disputed":
        q = q.where(Invoice.id.in_(disputed_invoice_ids(customer_id)))
    return q.order_by(Invoice.issue_date.desc(), Invoice.id.desc())


def disputed_invoice_ids(customer_id: int) -> Select[Any]:
    """Return a query of the customer's invoice ids with an open or under-review dispute."""
    return select(Dispute.invoice_id).where(
        Dispute.customer_id == customer_id,
        Dispute.status.in_(ACTIVE_DISPUTES),
        Dispute.invoice_id.is_not(None),
    )


def disputed_set(db: Session, customer_id: int) -> set[int]:
    """Return the ids of the customer's invoices with an active dispute."""
    return {i for i in db.scalars(disputed_invoice_ids(customer_id)) if i is not None}


def allocations_for(db: Session, invoice: Invoice) -> list[Allocation]:
    """Every allocation touching the invoice, including reversals (history is shown)."""
    return list(
        db.scalars(
            select(Allocation)
            .join(BankTransaction, Allocation.transaction_id == BankTransaction.id)
            .where(Allocation.invoice_id == invoice.id)
            .order_by(BankTransaction.booking_date, Allocation.id)
        )
    )


def credit_notes_for(db: Session, invoice: Invoice) -> list[CreditNote]:
    """Return the credit notes issued against the invoice, oldest first."""
    return list(
        db.scalars(
            select(CreditNote)
            .where(
                CreditNote.invoice_id == invoice.id, CreditNote.customer_id == invoice.customer_id
            )
            .order_by(CreditNote.issue_date)
        )
    )


def disputes_for(db: Session, invoice: Invoice) -> list[Dispute]:
    """Return the disputes raised on the invoice, oldest first."""
    return list(
        db.scalars(
            select(Dispute)
            .where(Dispute.invoice_id == invoice.id, Dispute.customer_id == invoice.customer_id)
            .order_by(Dispute.id)
        )
    )
