"""The ledger's records: appending one, auditing it, and what the records add up to.

The building blocks of :mod:`.service` (one operation at a time), :mod:`.batch` (a bank import's
many) and :mod:`.booking` (the ERP's side); nothing outside the ledger package calls them,
except :func:`pending_total`, :func:`recompute_open` and :func:`recompute_unapplied`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from ..audit.service import record
from ..models import (
    RECEIPT_KINDS,
    Allocation,
    AllocationKind,
    AllocationMethod,
    BankTransaction,
    CreditNote,
    Direction,
    ErpStatus,
    Invoice,
    InvoiceStatus,
    User,
)
from ..models.base import exact_amount, locked, money_places, too_fine
from .errors import (
    CurrencyMismatch,
    ExceedsOpen,
    InvalidAmount,
    LedgerError,
    OverApplied,
)

if TYPE_CHECKING:
    from ..models import Customer

Actor = User | str
"""The user who acted, or the name of the rule that did (e.g. ``"auto-match"``)."""
ZERO = Decimal("0")


def who(actor: Actor) -> tuple[User | None, str]:
    if isinstance(actor, User):
        return actor, actor.email
    label = str(actor).strip()
    if not label:
        raise LedgerError(_("every ledger record names who made it"))
    return None, label[:254]


def money(amount: Decimal, what: str = "amount", *, currency: str | None = None) -> Decimal:
    """``amount`` checked for a record: a Decimal above zero with ``currency``'s decimals.

    Two decimals (``12.50``) for most currencies, none for the yen (``1000`` JPY), three for
    the dinars (``1.234`` KWD); more is refused, never rounded.
    """
    if not isinstance(amount, Decimal):
        raise InvalidAmount(
            _("the %(what)s must be a Decimal, not %(type)s", what=what, type=type(amount).__name__)
        )
    if not amount.is_finite() or amount <= 0:
        raise InvalidAmount(
            _("the %(what)s must be more than zero (%(amount)s given)", what=what, amount=amount)
        )
    if too_fine(amount, currency):
        places = money_places(currency)
        if places == 0:
            raise InvalidAmount(
                _(
                    "the %(what)s has decimals, but %(currency)s amounts have none "
                    "(%(amount)s given)",
                    what=what,
                    currency=currency,
                    amount=amount,
                )
            )
        if places == 2:
            raise InvalidAmount(
                _(
                    "the %(what)s has more than two decimals (%(amount)s given)",
                    what=what,
                    amount=amount,
                )
            )
        raise InvalidAmount(
            _(
                "the %(what)s has more than %(places)d decimals, as %(currency)s amounts have "
                "(%(amount)s given)",
                what=what,
                places=places,
                currency=currency,
                amount=amount,
            )
        )
    return exact_amount(amount)


def lock_invoice(session: Session, invoice: Invoice) -> Invoice:
    """The invoice re-read from the database and locked until the transaction ends."""
    return locked(session, invoice)


def lock_receipt(session: Session, receipt: BankTransaction) -> BankTransaction:
    """The receipt re-read from the database and locked until the transaction ends."""
    return locked(session, receipt)


def check_receipt(receipt: BankTransaction) -> None:
    if receipt.direction is not Direction.CREDIT:
        raise LedgerError(
            _(
                "%(voucher)s is a payment out; only receipts are applied",
                voucher=receipt.voucher_number,
            )
        )
    if receipt.duplicate_of_id is not None:
        raise LedgerError(
            _("%(voucher)s is a duplicate of another bank entry", voucher=receipt.voucher_number)
        )


#: what a write-off of each kind records: its record kind and the reason when none is given
WRITE_OFF_KINDS: dict[str, tuple[AllocationKind, str]] = {
    "fee": (AllocationKind.FEE_WRITEOFF, "bank charge"),
    "difference": (AllocationKind.DIFFERENCE_WRITEOFF, "difference"),
}


def add_record(
    session: Session,
    kind: AllocationKind,
    amount: Decimal,
    currency: str,
    customer_id: int,
    actor: Actor,
    *,
    invoice: Invoice | None = None,
    receipt: BankTransaction | None = None,
    note: CreditNote | None = None,
    method: AllocationMethod = AllocationMethod.MANUAL,
    confidence: Decimal | None = None,
    explanation: list[Any] | None = None,
    reason: str | None = None,
    default_reason: str | None = None,
    reverses: Allocation | None = None,
    audit: dict[str, Any] | None = None,
) -> Allocation:
    """Append a record of ``amount`` in ``currency`` for the customer, made by ``actor``, and
    its audit event (with ``audit`` added to the event's data).

    The record keeps ``reason``, or ``default_reason`` when none is given; the audit event keeps
    the reason as given.
    """
    user, label = who(actor)
    stored_reason = reason or default_reason
    entry = Allocation(
        kind=kind,
        amount=amount,
        currency=currency,
        customer_id=customer_id,
        invoice_id=invoice.id if invoice is not None else None,
        transaction_id=receipt.id if receipt is not None else None,
        credit_note_id=note.id if note is not None else None,
        method=method,
        confidence=confidence,
        explanation=list(explanation or []),
        reason=(stored_reason or None) and stored_reason[:500],
        created_by_id=user.id if user is not None else None,
        actor_label=label,
        reverses_id=reverses.id if reverses is not None else None,
        erp_status=ErpStatus.PENDING,
    )
    session.add(entry)
    session.flush()
    record(
        session,
        user,
        f"ledger.{entry.kind.value}",
        entry,
        actor_label=label,
        reason=reason,
        data={
            "kind": entry.kind.value,
            "amount": entry.amount,
            "currency": entry.currency,
            "customer_id": entry.customer_id,
            "invoice_id": entry.invoice_id,
            "transaction_id": entry.transaction_id,
            "credit_note_id": entry.credit_note_id,
            "reverses_id": entry.reverses_id,
            **(audit or {}),
        },
    )
    return entry


def take_from_invoice(
    session: Session, invoice: Invoice, amount: Decimal, currency: str
) -> Invoice:
    """Lock the invoice and check that ``amount`` in ``currency`` fits what it has open."""
    invoice = lock_invoice(session, invoice)
    check_fits(invoice, amount, currency)
    return invoice


def check_fits(invoice: Invoice, amount: Decimal, currency: str) -> None:
    """Check that ``amount`` in ``currency`` may come off the invoice as it is now.

    :raises CurrencyMismatch: the invoice is in another currency.
    :raises ExceedsOpen: the invoice is cancelled or has less than ``amount`` open.
    """
    check_currency(invoice, currency)
    if invoice.status is InvoiceStatus.CANCELLED:
        raise ExceedsOpen(_("%(invoice)s is cancelled", invoice=invoice.number))
    if amount > invoice.open_amount:
        raise ExceedsOpen(
            _(
                "%(invoice)s has only %(open)s %(currency)s open (%(amount)s given)",
                invoice=invoice.number,
                open=invoice.open_amount,
                currency=invoice.currency,
                amount=amount,
            )
        )


def check_currency(target: Invoice | Customer, currency: str) -> None:
    """Check that money in ``currency`` may go to the invoice, or to the customer's account.

    A customer takes money in its billing currency; the operations that require that (an
    advance payment) ask this, the ledger itself keeps a customer's money in any currency.

    :raises CurrencyMismatch: ``target`` is billed in another currency.
    """
    if target.currency != currency:
        raise CurrencyMismatch(
            _(
                "%(code)s is billed in %(currency)s, not %(currency2)s",
                code=target.number if isinstance(target, Invoice) else target.code,
                currency=target.currency,
                currency2=currency,
            )
        )


def check_available(receipt: BankTransaction, amount: Decimal, available: Decimal) -> None:
    """:raises OverApplied: ``amount`` is more than the ``available`` money of the receipt."""
    if amount > available:
        raise OverApplied(
            _(
                "%(voucher)s has only %(left)s %(currency)s left to apply (%(amount)s given)",
                voucher=receipt.voucher_number,
                left=available,
                currency=receipt.currency,
                amount=amount,
            )
        )


def settling_records() -> ColumnElement[bool]:
    """Records by which money received settles invoices: payments and the write-offs beside
    them (bank fees, small differences), neither reversed nor reversals, for queries."""
    return and_(
        Allocation.kind.in_(
            (
                AllocationKind.PAYMENT,
                AllocationKind.FEE_WRITEOFF,
                AllocationKind.DIFFERENCE_WRITEOFF,
            )
        ),
        Allocation.reverses_id.is_(None),
        Allocation.reversed_by_id.is_(None),
    )


# --- what the records add up to --------------------------------------------------------------


def pending_total(session: Session, invoice: Invoice) -> Decimal:
    """What Concord's records took off the invoice that the ERP has not booked yet."""
    total = session.scalar(
        select(func.coalesce(func.sum(Allocation.amount), 0)).where(
            Allocation.invoice_id == invoice.id, Allocation.erp_status != ErpStatus.BOOKED
        )
    )
    return exact_amount(total or 0)


def recompute_open(session: Session, invoice: Invoice) -> Decimal:
    """Set the invoice's open amount from the ledger: ERP open less pending, never negative.

    The status follows (open, partially paid, paid); a cancelled invoice keeps its status.
    Returns the new open amount.
    """
    open_amount = invoice.erp_open_amount - pending_total(session, invoice)
    open_amount = min(max(open_amount, ZERO), invoice.amount)
    if invoice.status is InvoiceStatus.CANCELLED:
        invoice.open_amount = open_amount
    else:
        invoice.set_open_amount(open_amount)
    if open_amount > 0:
        invoice.settled_in_erp = False
    return open_amount


def receipt_used(session: Session, receipt: BankTransaction) -> Decimal:
    """The receipt's money in payments and on account that is not reversed."""
    if receipt.id is None:
        session.flush()
    used = session.scalar(
        select(func.coalesce(func.sum(Allocation.amount), 0)).where(
            Allocation.transaction_id == receipt.id,
            Allocation.kind.in_(RECEIPT_KINDS),
            Allocation.reversed_by_id.is_(None),
        )
    )
    return Decimal(used or 0)


def recompute_unapplied(session: Session, receipt: BankTransaction) -> Decimal:
    """Set what is left of the receipt from its payments and money on account (not reversed)."""
    used = receipt_used(session, receipt)
    if receipt.direction is not Direction.CREDIT:
        receipt.unapplied_amount = ZERO
    else:
        receipt.unapplied_amount = max(receipt.amount - used, ZERO)
    return receipt.unapplied_amount
