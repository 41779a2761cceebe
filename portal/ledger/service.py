"""The ledger's operations: each checks its rules, appends records, audits, flushes, never commits.

Records (:class:`~portal.models.Allocation`) are only ever appended. What they add up to is
kept on two rows, recomputed from the records after every operation:

* ``Invoice.open_amount`` = ``erp_open_amount`` less the invoice's records the ERP has not
  booked yet (payments, write-offs, credit notes and reversals, which are negative), clamped to
  ``0..amount``. ``erp_open_amount`` is what the ERP last reported, written by the ERP import.
* ``BankTransaction.unapplied_amount`` = ``amount`` less its payments and money on account that
  are not reversed. Write-offs do not use money of the receipt: they close the gap beside it.

Concurrency: the receipt and the invoice rows are locked (``SELECT ... FOR UPDATE`` on
PostgreSQL) and re-read before the checks, so two clerks applying the same money at once cannot
both succeed: the second one waits, sees the first one's result, and gets :class:`OverApplied`
or :class:`ExceedsOpen`.

:data:`Actor` is the user who acted or the name of the rule that did (e.g. ``"auto-match"``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import required_reason
from ..models import (
    RECEIPT_KINDS,
    Allocation,
    AllocationKind,
    AllocationMethod,
    AppSetting,
    BankTransaction,
    CreditNote,
    Customer,
    Dispute,
    Invoice,
    InvoiceStatus,
    locked,
)
from .errors import (
    AlreadyReversed,
    LedgerError,
    OverLimit,
    WrongCustomer,
)
from .records import (
    WRITE_OFF_KINDS,
    ZERO,
    Actor,
    add_record,
    check_available,
    check_currency,
    check_receipt,
    lock_invoice,
    lock_receipt,
    money,
    receipt_used,
    recompute_open,
    recompute_unapplied,
    take_from_invoice,
    who,
)

#: AppSetting key holding the write-off limits per currency (editable under Settings)
WRITE_OFF_LIMITS_KEY = "banking.write_off_limits"
DEFAULT_WRITE_OFF_LIMITS = {
    "CNY": Decimal("100.00"),
    "USD": Decimal("35.00"),
    "EUR": Decimal("35.00"),
}


def write_off_limits(session: Session) -> dict[str, Decimal]:
    """The largest write-off that may be recorded per currency (no entry = none allowed)."""
    limits = dict(DEFAULT_WRITE_OFF_LIMITS)
    row = session.get(AppSetting, WRITE_OFF_LIMITS_KEY)
    if row is not None and row.value:
        limits.update({k: Decimal(str(v)) for k, v in row.value.items()})
    return limits


def check_write_off_limit(limits: dict[str, Decimal], invoice: Invoice, amount: Decimal) -> None:
    """:raises OverLimit: ``amount`` is over the write-off limit of the invoice's currency."""
    limit = limits.get(invoice.currency, ZERO)
    if amount > limit:
        raise OverLimit(
            _(
                "a write-off of %(amount)s %(currency)s is over the limit of %(limit)s",
                amount=amount,
                currency=invoice.currency,
                limit=limit,
            )
        )


# --- operations ------------------------------------------------------------------------------


def apply(
    session: Session,
    receipt: BankTransaction,
    invoice: Invoice,
    amount: Decimal,
    *,
    actor: Actor,
    method: AllocationMethod = AllocationMethod.MANUAL,
    confidence: Decimal | None = None,
    explanation: list[Any] | None = None,
    reason: str | None = None,
) -> Allocation:
    """Apply ``amount`` of the receipt to the invoice (a ``payment`` record).

    :raises CurrencyMismatch: the receipt and the invoice are in different currencies.
    :raises OverApplied: more than the receipt has unapplied.
    :raises ExceedsOpen: more than the invoice has open, or the invoice is cancelled.
    :raises WrongCustomer: the receipt is already another customer's.
    """
    amount = money(amount, currency=receipt.currency)
    receipt = lock_receipt(session, receipt)
    check_receipt(receipt)
    invoice = take_from_invoice(session, invoice, amount, receipt.currency)
    used = receipt_used(session, receipt)
    if used and receipt.customer_id is not None and receipt.customer_id != invoice.customer_id:
        raise WrongCustomer(
            _("%(voucher)s is already applied for another customer", voucher=receipt.voucher_number)
        )
    available = max(receipt.amount - used, ZERO)
    check_available(receipt, amount, available)
    receipt.customer_id = invoice.customer_id
    receipt.unapplied_amount = available - amount
    return _off_invoice(
        session,
        invoice,
        receipt,
        AllocationKind.PAYMENT,
        amount,
        actor,
        method=method,
        confidence=confidence,
        explanation=explanation,
        reason=reason,
    )


def write_off(
    session: Session,
    invoice: Invoice,
    amount: Decimal,
    *,
    kind: Literal["fee", "difference"],
    actor: Actor,
    receipt: BankTransaction | None = None,
    reason: str | None = None,
    method: AllocationMethod = AllocationMethod.MANUAL,
) -> Allocation:
    """Write off a bank fee or a small difference on the invoice, within the configured limit.

    ``receipt`` is the payment the difference belongs to (kept for the export), if any.

    :raises OverLimit: over the write-off limit of the invoice's currency.
    :raises ExceedsOpen: more than the invoice has open.
    :raises CurrencyMismatch: the receipt is in another currency than the invoice.
    """
    amount = money(amount, currency=invoice.currency)
    if kind not in WRITE_OFF_KINDS:
        raise LedgerError(_("unknown write-off kind “%(kind)s” (fee or difference)", kind=kind))
    entry_kind, default_reason = WRITE_OFF_KINDS[kind]
    check_write_off_limit(write_off_limits(session), invoice, amount)
    if receipt is not None:
        check_currency(invoice, receipt.currency)
        receipt = lock_receipt(session, receipt)
    invoice = take_from_invoice(session, invoice, amount, invoice.currency)
    return _off_invoice(
        session,
        invoice,
        receipt,
        entry_kind,
        amount,
        actor,
        method=method,
        reason=reason,
        default_reason=default_reason,
    )


def _off_invoice(
    session: Session,
    invoice: Invoice,
    receipt: BankTransaction | None,
    kind: AllocationKind,
    amount: Decimal,
    actor: Actor,
    *,
    method: AllocationMethod,
    reason: str | None,
    default_reason: str | None = None,
    confidence: Decimal | None = None,
    explanation: list[Any] | None = None,
) -> Allocation:
    """Record ``amount`` off the (locked, checked) invoice, beside the receipt if any, and
    recompute what the invoice has open: a payment or a write-off."""
    entry = add_record(
        session,
        kind,
        amount,
        invoice.currency,
        invoice.customer_id,
        actor,
        invoice=invoice,
        receipt=receipt,
        method=method,
        confidence=confidence,
        explanation=explanation,
        reason=reason,
        default_reason=default_reason,
    )
    recompute_open(session, invoice)
    session.flush()
    return entry


def on_account(
    session: Session,
    receipt: BankTransaction,
    customer: Customer,
    amount: Decimal,
    *,
    actor: Actor,
    reason: str | None = None,
) -> Allocation:
    """Hold ``amount`` of the receipt on the customer's account (advance payment, overpayment).

    :raises OverApplied: more than the receipt has unapplied.
    :raises WrongCustomer: the receipt is already applied for another customer.
    """
    amount = money(amount, currency=receipt.currency)
    receipt = lock_receipt(session, receipt)
    check_receipt(receipt)
    if receipt.customer_id is not None and receipt.customer_id != customer.id:
        held = session.scalar(
            select(func.count()).where(
                Allocation.transaction_id == receipt.id,
                Allocation.kind.in_(RECEIPT_KINDS),
                Allocation.reversed_by_id.is_(None),
            )
        )
        if held:
            raise WrongCustomer(
                _(
                    "%(voucher)s is already applied for another customer",
                    voucher=receipt.voucher_number,
                )
            )
    recompute_unapplied(session, receipt)
    check_available(receipt, amount, receipt.unapplied_amount)
    entry = add_record(
        session,
        AllocationKind.ON_ACCOUNT,
        amount,
        receipt.currency,
        customer.id,
        actor,
        receipt=receipt,
        reason=reason,
        default_reason="advance payment",
    )
    receipt.customer_id = customer.id
    recompute_unapplied(session, receipt)
    session.flush()
    return entry


def credit_note(
    session: Session,
    target: Invoice | Customer,
    amount: Decimal,
    reason: str,
    *,
    actor: Actor,
    dispute: Dispute | None = None,
    currency: str | None = None,
    issue_date: dt.date | None = None,
) -> CreditNote:
    """Issue a credit note on an invoice (up to what it has open) or on a customer's account.

    On an invoice, what exceeds its open amount stays a credit on the customer's account (a
    second record without invoice). ``currency`` is needed for a customer (default: the
    customer's currency) and must match the invoice's when given with one.

    :raises CurrencyMismatch: ``currency`` differs from the invoice's.
    """
    from ..disputes.numbering import insert_numbered

    reason = required_reason(reason, LedgerError(_("a credit note needs a reason")))
    invoice = target if isinstance(target, Invoice) else None
    if invoice is not None:
        invoice = lock_invoice(session, invoice)
        if currency is not None:
            check_currency(invoice, currency)
        currency = invoice.currency
        customer_id = invoice.customer_id
    else:
        assert isinstance(target, Customer)
        currency = currency or target.currency
        customer_id = target.id
    amount = money(amount, currency=currency)
    user, _label = who(actor)
    day = issue_date or dt.date.today()
    note = CreditNote(
        customer_id=customer_id,
        invoice_id=invoice.id if invoice is not None else None,
        dispute_id=dispute.id if dispute is not None else None,
        issue_date=day,
        currency=currency,
        amount=amount,
        reason=reason[:500],
        created_by_id=user.id if user is not None else None,
    )
    insert_numbered(session, note, f"CN-{day.year}-")
    on_invoice = ZERO
    if invoice is not None and invoice.status is not InvoiceStatus.CANCELLED:
        on_invoice = min(amount, invoice.open_amount)
    parts = [(invoice, on_invoice), (None, amount - on_invoice)]
    for part_invoice, part in parts:
        if part <= 0:
            continue
        add_record(
            session,
            AllocationKind.CREDIT_NOTE,
            part,
            currency,
            customer_id,
            actor,
            invoice=part_invoice,
            note=note,
            reason=reason,
            audit={"credit_note": note.number, "dispute_id": dispute.id if dispute else None},
        )
    if invoice is not None:
        recompute_open(session, invoice)
    session.flush()
    return note


def reverse(session: Session, entry: Allocation, reason: str, *, actor: Actor) -> Allocation:
    """Undo a record with a new one: kind ``reversal``, the negative amount, same links.

    The invoice gets its money back and the receipt its unapplied amount.

    :raises AlreadyReversed: the record is a reversal or has been reversed already.
    """
    reason = required_reason(reason, LedgerError(_("give a reason for the reversal")))
    entry = locked(session, entry)
    if entry.kind is AllocationKind.REVERSAL:
        raise AlreadyReversed(_("record %(id)s is a reversal; it cannot be reversed", id=entry.id))
    if entry.reversed_by_id is not None:
        raise AlreadyReversed(_("record %(id)s has been reversed already", id=entry.id))
    receipt = lock_receipt(session, entry.transaction) if entry.transaction else None
    invoice = lock_invoice(session, entry.invoice) if entry.invoice else None
    reversal = add_record(
        session,
        AllocationKind.REVERSAL,
        -entry.amount,
        entry.currency,
        entry.customer_id,
        actor,
        invoice=invoice,
        receipt=receipt,
        note=entry.credit_note,
        reason=reason,
        reverses=entry,
        audit={"reversed_kind": entry.kind.value},
    )
    entry.reversed_by_id = reversal.id
    session.flush()
    if receipt is not None:
        recompute_unapplied(session, receipt)
    if invoice is not None:
        recompute_open(session, invoice)
    session.flush()
    return reversal
