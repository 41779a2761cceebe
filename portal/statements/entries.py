"""A customer's ledger as statement entries: invoices, credit notes, payments, allocations.

What a statement is built from (:func:`load_ledger`); :mod:`.service` issues and confirms it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import ColumnElement, case, func, or_, select
from sqlalchemy.orm import Session, aliased

from statements.model import (
    AdjustmentEntry,
    AllocationEntry,
    CreditNoteEntry,
    ErpReopenedEntry,
    ErpSettlementEntry,
    InvoiceEntry,
    LedgerEntry,
    PaymentEntry,
    UnallocationEntry,
    WriteOffEntry,
)

from ..models import (
    WRITE_OFF_KINDS,
    Allocation,
    AllocationKind,
    BankTransaction,
    CreditNote,
    Customer,
    Direction,
    Dispute,
    DisputeStatus,
    ErpSettlement,
    Invoice,
    InvoiceStatus,
    Statement,
)
from .late import Closings

#: the records whose reversal is a line of the day it was reversed
TAKEN_BACK_KINDS = (AllocationKind.CREDIT_NOTE, AllocationKind.PAYMENT, *WRITE_OFF_KINDS)
#: bank receipts that count as the customer's payments on a statement
OPEN_DISPUTES = (DisputeStatus.OPEN, DisputeStatus.UNDER_REVIEW)


@dataclass(frozen=True)
class _Scope:
    """What each kind of entry is read with: the customer's records up to ``until``, placed by
    ``closings``; its invoices (not cancelled, issued by ``until``) known by id."""

    session: Session
    customer: Customer
    until: dt.date
    closings: Closings
    #: each invoice's number and currency, by its id
    numbers: dict[int, str]
    invoice_currency: dict[int, str]


@dataclass(frozen=True)
class Ledger:
    """A customer's ledger entries up to a day, and the invoice ids by number."""

    entries: list[LedgerEntry]
    invoice_ids: dict[str, int]


def load_ledger(
    session: Session, customer: Customer, until: dt.date, closings: Closings | None = None
) -> Ledger:
    """Load every invoice, credit note, payment and allocation of ``customer`` up to ``until``.

    Payments are the bank receipts matched to the customer (or booked as its advance);
    allocations of those receipts to invoices are listed for information and write-offs
    reduce the balance. What the ERP settled (or reopened) on an invoice by itself counts on
    its day, so balances and open items agree with the invoices' open amounts.

    Each entry counts on its own date unless it was booked after a statement covering that
    date was issued: then on the day ``closings`` gives (see :mod:`.late`), its own date kept.
    Entries are loaded by their own dates up to ``until``; the statement takes those that
    count in its period.
    """
    closings = closings or Closings()
    invoices = session.scalars(
        select(Invoice)
        .where(
            Invoice.customer_id == customer.id,
            Invoice.issue_date <= until,
            Invoice.status != InvoiceStatus.CANCELLED,
        )
        .order_by(Invoice.issue_date, Invoice.number)
    ).all()
    disputed: dict[int, Decimal] = defaultdict(lambda: Decimal("0"))
    for invoice_id, amount in session.execute(
        select(Dispute.invoice_id, Dispute.amount).where(
            Dispute.customer_id == customer.id,
            Dispute.invoice_id.is_not(None),
            Dispute.status.in_(OPEN_DISPUTES),
        )
    ):
        if invoice_id is not None:
            disputed[invoice_id] += amount

    entries: list[LedgerEntry] = []
    numbers: dict[int, str] = {}
    invoice_currency: dict[int, str] = {}
    for inv in invoices:
        numbers[inv.id] = inv.number
        invoice_currency[inv.id] = inv.currency
        invoice = InvoiceEntry(
            date=inv.issue_date,
            number=inv.number,
            amount=inv.amount,
            due_date=inv.due_date,
            disputed_amount=min(disputed[inv.id], inv.amount),
            description=inv.po_number or "",
            source_id=inv.id,
            currency=inv.currency,
        )
        entries.append(closings.place(invoice, inv.created_at))
    scope = _Scope(session, customer, until, closings, numbers, invoice_currency)
    for read in (_credit_notes, _payments, _settlements, _adjustments, _erp_settlements):
        entries.extend(read(scope))
    return Ledger(entries=entries, invoice_ids={v: k for k, v in numbers.items()})


def _credit_notes(scope: _Scope) -> list[LedgerEntry]:
    """The customer's credit notes, each on its day. One that settles a dispute about a
    statement corrects that statement's period: it counts at the period's end, so the
    corrected version and every later statement agree, unless a later statement was issued
    before the note was booked (then it is booked late like any record)."""
    entries: list[LedgerEntry] = []
    for note, dispute_number, disputed_period_end in scope.session.execute(
        select(CreditNote, Dispute.number, Statement.period_end)
        .outerjoin(Dispute, Dispute.id == CreditNote.dispute_id)
        .outerjoin(Statement, Statement.id == Dispute.statement_id)
        .where(
            CreditNote.customer_id == scope.customer.id,
            or_(CreditNote.issue_date <= scope.until, Statement.period_end <= scope.until),
        )
        .order_by(CreditNote.issue_date, CreditNote.number)
    ):
        day = note.issue_date
        description = note.reason
        if (
            disputed_period_end is not None
            and disputed_period_end < day
            and scope.closings.counts_on(disputed_period_end, note.created_at)
            == disputed_period_end
        ):
            day = disputed_period_end
            description = f"{note.reason} ({dispute_number}, {note.issue_date.isoformat()})"
        entry = CreditNoteEntry(
            date=day,
            number=note.number,
            amount=note.amount,
            invoice=scope.numbers.get(note.invoice_id) if note.invoice_id else None,
            description=description[:500],
            source_id=note.id,
            currency=note.currency,
        )
        entries.append(scope.closings.place(entry, note.created_at))
    return entries


def _payments(scope: _Scope) -> list[LedgerEntry]:
    """The customer's receipts, and those taken back from it since (every record of the
    customer's on them reversed): such a receipt stays on its own day and comes back as an
    adjustment on the day it was taken back, so earlier statements keep their balances."""
    held = BankTransaction.confirmed_of(scope.customer.id)
    once = (
        select(Allocation.id)
        .where(
            Allocation.transaction_id == BankTransaction.id,
            Allocation.customer_id == scope.customer.id,
            Allocation.reverses_id.is_(None),
        )
        .exists()
    )
    # a receipt is booked to the customer when it arrived and was first made theirs
    made_theirs = _per_receipt(
        scope, func.min(Allocation.created_at), Allocation.reverses_id.is_(None)
    )
    taken_back = _per_receipt(
        scope, func.max(Allocation.created_at), Allocation.kind == AllocationKind.REVERSAL
    )
    entries: list[LedgerEntry] = []
    for txn, still_held in scope.session.execute(
        select(BankTransaction, case((held, 1), else_=0))
        .where(
            BankTransaction.direction == Direction.CREDIT,
            BankTransaction.duplicate_of_id.is_(None),
            # implied by the next condition, but indexed: without it every customer's
            # statement read every receipt of the company (a period run: customers x receipts)
            or_(
                BankTransaction.customer_id == scope.customer.id,
                BankTransaction.id.in_(
                    select(Allocation.transaction_id).where(
                        Allocation.customer_id == scope.customer.id
                    )
                ),
            ),
            or_(held, once),
            BankTransaction.booking_date <= scope.until,
        )
        .order_by(BankTransaction.booking_date, BankTransaction.voucher_number)
    ):
        when = None if still_held else taken_back.get(txn.id)
        if not still_held and when is None:
            continue
        payment = PaymentEntry(
            date=txn.booking_date,
            reference=txn.voucher_number,
            amount=txn.amount,
            description=txn.payer_name or "",
            source_id=txn.id,
            currency=txn.currency,
        )
        booked = max(txn.created_at, made_theirs.get(txn.id, txn.created_at))
        entries.append(scope.closings.place(payment, booked))
        if when is not None and when.date() <= scope.until:
            adjustment = AdjustmentEntry(
                date=when.date(),
                reference=txn.voucher_number,
                amount=txn.amount,
                source_id=txn.id,
                currency=txn.currency,
            )
            entries.append(scope.closings.place(adjustment, when))
    return entries


def _per_receipt(
    scope: _Scope, when: ColumnElement[dt.datetime], condition: ColumnElement[bool]
) -> dict[int, dt.datetime]:
    """``when`` (the first or last time) of the customer's records on each receipt that meet
    ``condition``, by the receipt's id."""
    rows = scope.session.execute(
        select(Allocation.transaction_id, when)
        .where(
            Allocation.customer_id == scope.customer.id,
            Allocation.transaction_id.is_not(None),
            condition,
        )
        .group_by(Allocation.transaction_id)
    )
    return {txn_id: at for txn_id, at in rows if txn_id is not None}


def _settlements(scope: _Scope) -> list[LedgerEntry]:
    """Payments applied to the customer's invoices and write-offs, reversed ones too: the
    reversal is a line of its own day (see :func:`_adjustments`), so a statement issued before
    it keeps its lines and open items."""
    rows = scope.session.execute(
        select(Allocation, BankTransaction)
        .outerjoin(BankTransaction, Allocation.transaction_id == BankTransaction.id)
        .where(
            or_(
                Allocation.customer_id == scope.customer.id,
                Allocation.invoice_id.in_(scope.numbers.keys()),
            ),
            Allocation.kind.in_((AllocationKind.PAYMENT, *WRITE_OFF_KINDS)),
            Allocation.reverses_id.is_(None),
        )
        .order_by(Allocation.id)
    ).all()
    entries: list[LedgerEntry] = []
    for allocation, txn in rows:
        # a write-off without a receipt is dated by when it was recorded
        day = txn.booking_date if txn is not None else allocation.created_at.date()
        if day > scope.until:
            continue
        invoice_number = scope.numbers.get(allocation.invoice_id) if allocation.invoice_id else None
        # an allocation or write-off is in the invoice's currency (else the receipt's)
        currency = (
            scope.invoice_currency.get(allocation.invoice_id, "") if allocation.invoice_id else ""
        ) or (txn.currency if txn is not None else "")
        entry: LedgerEntry | None
        if allocation.kind is AllocationKind.PAYMENT:
            entry = _application(
                AllocationEntry, day, txn, invoice_number, allocation.amount, currency
            )
        else:
            entry = WriteOffEntry(
                date=day,
                reference=_write_off_reference(allocation, txn),
                amount=allocation.amount,
                invoice=invoice_number,
                reason=allocation.reason or "",
                source_id=txn.id if txn is not None else None,
                currency=currency,
            )
        if entry is not None:
            entries.append(scope.closings.place(entry, allocation.created_at))
    return entries


def _application(
    line: type[AllocationEntry | UnallocationEntry],
    day: dt.date,
    txn: BankTransaction | None,
    invoice: str | None,
    amount: Decimal,
    currency: str,
) -> AllocationEntry | UnallocationEntry | None:
    """Part of a receipt applied to an invoice (or taken off it again) as a ``line`` of
    ``day``; none when the receipt or the invoice is not on this ledger."""
    if invoice is None or txn is None:
        return None
    return line(
        date=day,
        payment=txn.voucher_number,
        invoice=invoice,
        amount=amount,
        source_id=txn.id,
        currency=currency,
    )


def _write_off_reference(allocation: Allocation, txn: BankTransaction | None) -> str:
    return txn.voucher_number if txn is not None else f"WO-{allocation.id}"


def _adjustments(scope: _Scope) -> list[LedgerEntry]:
    """Credit notes and write-offs taken back: each reversal a charge on the day it was
    recorded, so what an earlier statement showed stays as it was; a payment taken off an
    invoice again: a line of that day that opens the invoice again (the balance unchanged)."""
    original = aliased(Allocation)
    rows = scope.session.execute(
        select(Allocation, original, BankTransaction, CreditNote)
        .join(original, original.id == Allocation.reverses_id)
        .outerjoin(BankTransaction, BankTransaction.id == original.transaction_id)
        .outerjoin(CreditNote, CreditNote.id == original.credit_note_id)
        .where(
            Allocation.customer_id == scope.customer.id,
            Allocation.kind == AllocationKind.REVERSAL,
            original.kind.in_(TAKEN_BACK_KINDS),
        )
        .order_by(Allocation.id)
    ).all()
    entries: list[LedgerEntry] = []
    for reversal, taken_back, txn, note in rows:
        day = reversal.created_at.date()
        if day > scope.until:
            continue
        invoice = scope.numbers.get(taken_back.invoice_id) if taken_back.invoice_id else None
        entry: LedgerEntry | None
        if taken_back.kind is AllocationKind.PAYMENT:
            entry = _application(
                UnallocationEntry, day, txn, invoice, -reversal.amount, reversal.currency
            )
        else:
            reference = note.number if note is not None else _write_off_reference(taken_back, txn)
            entry = AdjustmentEntry(
                date=day,
                reference=reference,
                amount=-reversal.amount,
                invoice=invoice,
                reason=reversal.reason or "",
                source_id=reversal.id,
                currency=reversal.currency,
            )
        if entry is not None:
            entries.append(scope.closings.place(entry, reversal.created_at))
    return entries


def _erp_settlements(scope: _Scope) -> list[LedgerEntry]:
    """What the ERP settled by itself on the customer's invoices, each on its day (never before
    the invoice's issue date); what it reopened is a charge of its own day."""
    rows = scope.session.execute(
        select(ErpSettlement, Invoice.issue_date)
        .join(Invoice, Invoice.id == ErpSettlement.invoice_id)
        .where(Invoice.customer_id == scope.customer.id, ErpSettlement.day <= scope.until)
        .order_by(ErpSettlement.id)
    ).all()
    entries: list[LedgerEntry] = []
    for settlement, issue_date in rows:
        number = scope.numbers.get(settlement.invoice_id)
        if number is None:  # cancelled, or issued after the period
            continue
        day = max(settlement.day, issue_date)
        currency = scope.invoice_currency[settlement.invoice_id]
        entry: LedgerEntry
        if settlement.amount > 0:
            entry = ErpSettlementEntry(
                date=day,
                invoice=number,
                amount=settlement.amount,
                source_id=settlement.id,
                currency=currency,
            )
        else:
            entry = ErpReopenedEntry(
                date=day,
                invoice=number,
                amount=-settlement.amount,
                source_id=settlement.id,
                currency=currency,
            )
        entries.append(scope.closings.place(entry, settlement.created_at))
    return entries
