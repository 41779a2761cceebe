"""One customer as staff see it: balances, open items, money held, statements, collections.

Each part is one query (or a few), whatever the number of rows, and money is kept per
currency: amounts in different currencies are never added together.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, case, func, literal, select, union_all, update
from sqlalchemy.orm import Session, joinedload, selectinload

from ..auth.scope import Page
from ..errors import ConcordError
from ..home.service import AGING_BUCKETS, AgingBucket
from ..mentions import mentioned_staff, notify_mentioned
from ..models import (
    Allocation,
    AllocationKind,
    BankTransaction,
    Customer,
    CustomerNote,
    CustomerNoteMention,
    Direction,
    Dispute,
    DisputeStatus,
    Invoice,
    InvoiceStatus,
    Promise,
    Statement,
    User,
    utcnow,
)
from ..permissions import Action
from ..search import contains_any

ZERO = Decimal("0.00")
OPEN_STATUSES = (InvoiceStatus.OPEN, InvoiceStatus.PARTIALLY_PAID)
#: on-account kinds: money held on the customer's account, not on an invoice
HELD_KINDS = (AllocationKind.ON_ACCOUNT, AllocationKind.CREDIT_NOTE)


class NoteError(ConcordError):
    """The note cannot be saved (empty or too long)."""


@dataclass
class CurrencyPosition:
    """What the customer owes in one currency: balance, overdue and aging."""

    currency: str
    balance: Decimal = ZERO
    overdue: Decimal = ZERO
    open_count: int = 0
    overdue_count: int = 0
    aging: list[AgingBucket] = field(
        default_factory=lambda: [AgingBucket(key) for key, _lo, _hi in AGING_BUCKETS]
    )
    #: receipts identified to the customer but not yet applied
    unapplied: Decimal = ZERO
    #: money held on account (advance payments) and credit notes not on an invoice
    on_account: Decimal = ZERO
    credits: Decimal = ZERO

    @property
    def net(self) -> Decimal:
        """Balance less the money already received or credited but not applied."""
        return self.balance - self.unapplied - self.on_account - self.credits


def _bucket(days_overdue: int) -> int:
    for index, (_key, lo, hi) in enumerate(AGING_BUCKETS):
        if days_overdue >= lo and (hi is None or days_overdue <= hi):
            return index
    return len(AGING_BUCKETS) - 1


def _receipts(customer_id: int, guessed: bool) -> ColumnElement[bool]:
    """The customer's receipts: as the ledger holds them (what the customer sees), or with the
    matcher's guesses (``guessed``: finance's view of the account)."""
    if guessed:
        return BankTransaction.guessed_of(customer_id)
    return BankTransaction.confirmed_of(customer_id)


def positions(
    session: Session, customer_id: int, today: dt.date, *, guessed: bool = False
) -> list[CurrencyPosition]:
    """Balance, aging, unapplied and on-account money per currency, in three queries."""
    by_currency: dict[str, CurrencyPosition] = {}

    def pos(currency: str) -> CurrencyPosition:
        return by_currency.setdefault(currency, CurrencyPosition(currency))

    # open items grouped by currency and due date: rows grow with distinct due dates only
    for currency, due, amount, count in session.execute(
        select(Invoice.currency, Invoice.due_date, func.sum(Invoice.open_amount), func.count())
        .where(
            Invoice.customer_id == customer_id,
            Invoice.status.in_(OPEN_STATUSES),
            Invoice.open_amount > 0,
        )
        .group_by(Invoice.currency, Invoice.due_date)
    ):
        p = pos(currency)
        amount = Decimal(amount)
        p.balance += amount
        p.open_count += count
        days = (today - due).days
        if days > 0:
            p.overdue += amount
            p.overdue_count += count
        bucket = p.aging[_bucket(days)]
        bucket.amount += amount
        bucket.count += count
    for currency, amount in session.execute(
        select(BankTransaction.currency, func.sum(BankTransaction.unapplied_amount))
        .where(_receipts(customer_id, guessed), BankTransaction.unapplied_amount > 0)
        .group_by(BankTransaction.currency)
    ):
        pos(currency).unapplied += Decimal(amount)
    for currency, kind, amount in session.execute(
        select(Allocation.currency, Allocation.kind, func.sum(Allocation.amount))
        .where(
            Allocation.customer_id == customer_id,
            Allocation.invoice_id.is_(None),
            Allocation.kind.in_(HELD_KINDS),
            Allocation.reversed_by_id.is_(None),
        )
        .group_by(Allocation.currency, Allocation.kind)
    ):
        if kind is AllocationKind.ON_ACCOUNT:
            pos(currency).on_account += Decimal(amount)
        else:
            pos(currency).credits += Decimal(amount)
    return [by_currency[c] for c in sorted(by_currency)]


def held_query(customer_id: int, *, guessed: bool = False) -> Select[Any]:
    """The receipts not yet applied and the money held on account, newest first, as
    ``(rank, id)`` rows (rank 0: a receipt's id, rank 1: a ledger record's id); page through it
    with ``paginate(..., rows=True)`` and load the page with :func:`held_page`."""
    receipts = select(
        literal(0).label("rank"),
        BankTransaction.id.label("id"),
        BankTransaction.booking_date.label("day"),
    ).where(_receipts(customer_id, guessed), BankTransaction.unapplied_amount > 0)
    entries = select(
        literal(1).label("rank"),
        Allocation.id.label("id"),
        func.date(Allocation.created_at).label("day"),
    ).where(
        Allocation.customer_id == customer_id,
        Allocation.invoice_id.is_(None),
        Allocation.kind.in_(HELD_KINDS),
        Allocation.reversed_by_id.is_(None),
    )
    held = union_all(receipts, entries).subquery()
    # the same day: receipts before ledger records, each newest (highest id) first
    return select(held.c.rank, held.c.id).order_by(held.c.day.desc(), held.c.rank, held.c.id.desc())


def held_page(session: Session, page: Page[Any]) -> Page[dict[str, Any]]:
    """One page of :func:`held_query` with its receipts and records loaded (two queries at
    most), in the query's order."""
    tx_ids = [row.id for row in page.items if row.rank == 0]
    entry_ids = [row.id for row in page.items if row.rank == 1]
    txs = (
        {
            tx.id: tx
            for tx in session.scalars(select(BankTransaction).where(BankTransaction.id.in_(tx_ids)))
        }
        if tx_ids
        else {}
    )
    entries = (
        {
            entry.id: entry
            for entry in session.scalars(
                select(Allocation)
                .where(Allocation.id.in_(entry_ids))
                .options(joinedload(Allocation.transaction), joinedload(Allocation.credit_note))
            )
        }
        if entry_ids
        else {}
    )
    rows: list[dict[str, Any]] = []
    for row in page.items:
        if row.rank == 0:
            tx = txs[row.id]
            rows.append(
                {
                    "kind": "unapplied",
                    "date": tx.booking_date,
                    "reference": tx.voucher_number,
                    "detail": tx.reference or tx.payer_name or "",
                    "currency": tx.currency,
                    "amount": tx.unapplied_amount,
                    "transaction_id": tx.id,
                }
            )
            continue
        entry = entries[row.id]
        if entry.kind is AllocationKind.ON_ACCOUNT:
            reference = entry.transaction.voucher_number if entry.transaction else ""
            kind = "on_account"
        else:
            reference = entry.credit_note.number if entry.credit_note else ""
            kind = "credit"
        rows.append(
            {
                "kind": kind,
                "date": entry.created_at.date(),
                "reference": reference,
                "detail": entry.reason or "",
                "currency": entry.currency,
                "amount": entry.amount,
                "transaction_id": entry.transaction_id,
            }
        )
    return Page(rows, page.number, page.per_page, page.total)


def open_items_query(customer_id: int) -> Select[Invoice]:
    """The customer's open invoices, oldest due first (paginate it)."""
    return (
        select(Invoice)
        .where(
            Invoice.customer_id == customer_id,
            Invoice.status.in_(OPEN_STATUSES),
            Invoice.open_amount > 0,
        )
        .order_by(Invoice.due_date, Invoice.id)
    )


def disputed_invoice_ids(session: Session, invoice_ids: list[int]) -> set[int]:
    """Which of these invoices have an open or in-review dispute (one query)."""
    if not invoice_ids:
        return set()
    return set(
        session.scalars(
            select(Dispute.invoice_id).where(
                Dispute.invoice_id.in_(invoice_ids),
                Dispute.status.in_((DisputeStatus.OPEN, DisputeStatus.UNDER_REVIEW)),
            )
        )
    )


def statements_query(customer_id: int) -> Select[Statement]:
    """The customer's statements (every version), newest period first (paginate it)."""
    return (
        select(Statement)
        .where(Statement.customer_id == customer_id)
        .order_by(
            Statement.period_end.desc(), Statement.currency, Statement.version.desc(), Statement.id
        )
    )


def disputes_query(customer_id: int) -> Select[Dispute]:
    """The customer's disputes: open and in review first, then the latest decided (paginate it)."""
    undecided = Dispute.status.in_((DisputeStatus.OPEN, DisputeStatus.UNDER_REVIEW))
    return (
        select(Dispute)
        .where(Dispute.customer_id == customer_id)
        .options(
            joinedload(Dispute.invoice),
            joinedload(Dispute.assigned_to),
            joinedload(Dispute.statement),
            joinedload(Dispute.line),
        )
        .order_by(undecided.desc(), Dispute.id.desc())
    )


def receipts_query(customer_id: int) -> Select[BankTransaction]:
    """The customer's incoming payments, newest first (paginate it)."""
    return (
        select(BankTransaction)
        .where(
            BankTransaction.customer_id == customer_id,
            BankTransaction.direction == Direction.CREDIT,
            BankTransaction.duplicate_of_id.is_(None),
        )
        .order_by(BankTransaction.booking_date.desc(), BankTransaction.id.desc())
    )


def promises(session: Session, customer_id: int, *, limit: int = 10) -> list[Promise]:
    """The customer's latest promises to pay, kept, broken or open, with their instalments."""
    return list(
        session.scalars(
            select(Promise)
            .where(Promise.customer_id == customer_id)
            .options(selectinload(Promise.instalments), joinedload(Promise.created_by))
            .order_by(Promise.id.desc())
            .limit(limit)
        )
    )


# --- notes with @mentions ----------------------------------------------------------------------


def notes_query(customer_id: int) -> Select[CustomerNote]:
    """The customer's notes with their authors, newest first (paginate it)."""
    return (
        select(CustomerNote)
        .where(CustomerNote.customer_id == customer_id)
        .options(joinedload(CustomerNote.author))
        .order_by(CustomerNote.id.desc())
    )


def add_note(session: Session, customer: Customer, body: str, *, author: User) -> CustomerNote:
    """Add a note to the customer; mentioned colleagues see it in their mentions and get an
    email with a link (through the outbox, sent after the commit). Audited.

    :raises NoteError: the note is empty or longer than 5,000 characters.
    """
    body = body.strip()
    if not body:
        raise NoteError(_("an empty note says nothing"))
    if len(body) > 5000:
        raise NoteError(_("a note is at most 5,000 characters"))
    # those who work on customers' pages; auditors read them but are not asked to act
    mentioned = [
        u for u in mentioned_staff(session, body, may=Action.CUSTOMERS_NOTE) if u.id != author.id
    ]
    note = CustomerNote(
        customer_id=customer.id,
        author_id=author.id,
        body=body,
        mentions=[CustomerNoteMention(user_id=u.id) for u in mentioned],
    )
    session.add(note)
    session.flush()
    link = f"{current_app.config['BASE_URL'].rstrip('/')}/staff/customers/{customer.id}#notes"
    who = author.name or author.email
    notify_mentioned(
        session,
        author,
        mentioned,
        body=body,
        link=link,
        heading=lambda: (
            _(
                "[Concord] %(who)s mentioned you on %(customer)s",
                who=who,
                customer=f"{customer.code} {customer.name}",
            ),
            _("%(who)s wrote on the page of %(customer)s:", who=who, customer=customer.name),
        ),
        action="customer.note_added",
        entity=customer,
        data={"note": note.id},
    )
    return note


def mentions_query(user_id: int) -> Select[CustomerNoteMention]:
    """The notes that mention ``user_id``, unread first, then newest first (paginate it)."""
    return (
        select(CustomerNoteMention)
        .where(CustomerNoteMention.user_id == user_id)
        .options(
            joinedload(CustomerNoteMention.note).joinedload(CustomerNote.author),
            joinedload(CustomerNoteMention.note).joinedload(CustomerNote.customer),
        )
        .order_by(CustomerNoteMention.read_at.is_not(None), CustomerNoteMention.id.desc())
    )


def unread_mentions(session: Session, user_id: int) -> int:
    """How many notes mention ``user_id`` that they have not read yet (one query)."""
    return (
        session.scalar(
            select(func.count())
            .select_from(CustomerNoteMention)
            .where(CustomerNoteMention.user_id == user_id, CustomerNoteMention.read_at.is_(None))
        )
        or 0
    )


def _unread_mentions(user_id: int, customer_id: int | None) -> list[ColumnElement[bool]]:
    """The conditions of ``user_id``'s unread mentions (on one customer's notes, if given)."""
    where = [CustomerNoteMention.user_id == user_id, CustomerNoteMention.read_at.is_(None)]
    if customer_id is not None:
        where.append(
            CustomerNoteMention.note_id.in_(
                select(CustomerNote.id).where(CustomerNote.customer_id == customer_id)
            )
        )
    return where


def has_unread_mentions(session: Session, user_id: int, *, customer_id: int | None = None) -> bool:
    """Whether ``user_id`` has unread mentions (on one customer's notes, if given)."""
    found = session.scalar(
        select(CustomerNoteMention.id).where(*_unread_mentions(user_id, customer_id)).limit(1)
    )
    return found is not None


def mark_mentions_read(session: Session, user_id: int, *, customer_id: int | None = None) -> int:
    """Mark ``user_id``'s unread mentions read (only those on one customer, if given).

    Returns how many were unread.
    """
    result = session.execute(
        update(CustomerNoteMention)
        .where(*_unread_mentions(user_id, customer_id))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    session.flush()
    return int(getattr(result, "rowcount", 0) or 0)


# --- invoice search and "my customers" ----------------------------------------------------------


def invoice_search_query(q: str, *, manager_id: int | None = None) -> Select[Invoice]:
    """Invoices whose number, PO, sales order, contract or customer code/name match every word.

    :param manager_id: only invoices of customers this account manager looks after.
    """
    query = (
        select(Invoice)
        .join(Customer, Customer.id == Invoice.customer_id)
        .options(joinedload(Invoice.customer))
        .order_by(Invoice.issue_date.desc(), Invoice.id.desc())
    )
    for term in q.split():
        query = query.where(
            contains_any(
                term,
                Invoice.number,
                Invoice.po_number,
                Invoice.sales_order_number,
                Invoice.contract_number,
                Customer.code,
                Customer.name,
            )
        )
    if manager_id is not None:
        query = query.where(Customer.account_manager_id == manager_id)
    return query


def positions_for(
    session: Session, customer_ids: list[int], today: dt.date
) -> dict[int, list[tuple[str, Decimal, Decimal]]]:
    """(currency, balance, overdue) per customer id for a page of customers, in one query."""
    out: dict[int, dict[str, list[Decimal]]] = defaultdict(dict)
    if not customer_ids:
        return {}
    overdue = func.sum(case((Invoice.due_date < today, Invoice.open_amount), else_=0))
    for cid, currency, amount, late in session.execute(
        select(Invoice.customer_id, Invoice.currency, func.sum(Invoice.open_amount), overdue)
        .where(
            Invoice.customer_id.in_(customer_ids),
            Invoice.status.in_(OPEN_STATUSES),
            Invoice.open_amount > 0,
        )
        .group_by(Invoice.customer_id, Invoice.currency)
    ):
        out[cid][currency] = [Decimal(amount), Decimal(late or 0)]
    return {
        cid: [(c, v[0], v[1]) for c, v in sorted(currencies.items())]
        for cid, currencies in out.items()
    }
