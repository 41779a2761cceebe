"""Figures for a customer's overview: balance, overdue, credit, aging, recent payments."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..models import (
    Allocation,
    BankTransaction,
    Customer,
    Invoice,
    InvoiceStatus,
    Statement,
    StatementStatus,
)

ZERO = Decimal("0.00")

#: aging buckets: (key, first day overdue, last day overdue or None)
AGING_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("current", -(10**6), 0),
    ("1_30", 1, 30),
    ("31_60", 31, 60),
    ("61_90", 61, 90),
    ("90_plus", 91, None),
)


@dataclass
class AgingBucket:
    key: str
    amount: Decimal = ZERO
    count: int = 0


@dataclass
class Payment:
    transaction: BankTransaction
    allocations: list[Allocation]
    unapplied: Decimal


@dataclass
class Overview:
    currency: str
    balance: Decimal
    overdue: Decimal
    overdue_count: int
    credit_limit: Decimal | None
    available_credit: Decimal | None
    aging: list[AgingBucket]
    pending_statement: Statement | None
    payments: list[Payment] = field(default_factory=list)

    @property
    def credit_used_ratio(self) -> float:
        """Share of the credit limit in use (0..1), for the meter."""
        if not self.credit_limit:
            return 0.0
        return float(min(Decimal(1), max(ZERO, self.balance / self.credit_limit)))


def open_invoices(db: Session, customer_id: int, currency: str | None = None) -> list[Invoice]:
    """Return the customer's open and partly paid invoices (in one currency), earliest due first."""
    query = select(Invoice).where(
        Invoice.customer_id == customer_id,
        Invoice.status.in_([InvoiceStatus.OPEN, InvoiceStatus.PARTIALLY_PAID]),
    )
    if currency is not None:
        query = query.where(Invoice.currency == currency)
    return list(db.scalars(query.order_by(Invoice.due_date)))


def aging(invoices: list[Invoice], today: dt.date) -> list[AgingBucket]:
    """Sum open amounts by days overdue."""
    buckets = [AgingBucket(key) for key, _lo, _hi in AGING_BUCKETS]
    for inv in invoices:
        days = (today - inv.due_date).days
        for bucket, (_key, lo, hi) in zip(buckets, AGING_BUCKETS, strict=True):
            if days >= lo and (hi is None or days <= hi):
                bucket.amount += inv.open_amount
                bucket.count += 1
                break
    return buckets


def recent_payments(db: Session, customer_id: int, limit: int = 5) -> list[Payment]:
    """The customer's latest incoming payments with their active allocations."""
    txs = db.scalars(
        select(BankTransaction)
        .where(BankTransaction.confirmed_of(customer_id))
        .options(selectinload(BankTransaction.allocations).selectinload(Allocation.invoice))
        .order_by(BankTransaction.booking_date.desc(), BankTransaction.id.desc())
        .limit(limit)
    )
    payments = []
    for tx in txs:
        active = [a for a in tx.allocations if a.is_active]
        # the ledger's own figure: money held on account or written off is not "not applied"
        payments.append(Payment(tx, active, tx.unapplied_amount))
    return payments


def pending_statement(db: Session, customer_id: int) -> Statement | None:
    """The latest statement still waiting for the customer's answer."""
    return db.scalar(
        select(Statement)
        .where(Statement.customer_id == customer_id, Statement.status == StatementStatus.ISSUED)
        .order_by(Statement.period_end.desc(), Statement.version.desc())
        .limit(1)
    )


def overview(db: Session, customer: Customer, today: dt.date) -> Overview:
    """Compute the overview of ``customer`` as of ``today``, in the customer's own currency.

    Amounts in other currencies are never added in: the page lists them per currency.
    """
    invoices = open_invoices(db, customer.id, customer.currency)
    balance = sum((i.open_amount for i in invoices), ZERO)
    overdue_invoices = [i for i in invoices if i.due_date < today]
    overdue = sum((i.open_amount for i in overdue_invoices), ZERO)
    limit = customer.credit_limit
    return Overview(
        currency=customer.currency,
        balance=balance,
        overdue=overdue,
        overdue_count=len(overdue_invoices),
        credit_limit=limit,
        available_credit=None if limit is None else limit - balance,
        aging=aging(invoices, today),
        pending_statement=pending_statement(db, customer.id),
        payments=recent_payments(db, customer.id),
    )
