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
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, Literal

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..audit.service import PendingEvent, record, record_many
from ..models import (
    RECEIPT_KINDS,
    Allocation,
    AllocationKind,
    AllocationMethod,
    AppSetting,
    BankTransaction,
    CreditNote,
    Customer,
    Direction,
    Dispute,
    ErpStatus,
    Invoice,
    InvoiceStatus,
    User,
    utcnow,
)
from .errors import (
    AlreadyReversed,
    CurrencyMismatch,
    ExceedsOpen,
    InvalidAmount,
    LedgerError,
    OverApplied,
    OverLimit,
    WrongCustomer,
)

Actor = User | str
ZERO = Decimal("0")
CENT = Decimal("0.01")

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


# --- helpers ---------------------------------------------------------------------------------


def _who(actor: Actor) -> tuple[User | None, str]:
    if isinstance(actor, User):
        return actor, actor.email
    label = str(actor).strip()
    if not label:
        raise LedgerError(_("every ledger record names who made it"))
    return None, label[:254]


def _money(amount: Decimal, what: str = "amount") -> Decimal:
    if not isinstance(amount, Decimal):
        raise InvalidAmount(
            _("the %(what)s must be a Decimal, not %(type)s", what=what, type=type(amount).__name__)
        )
    if not amount.is_finite() or amount <= 0:
        raise InvalidAmount(
            _("the %(what)s must be more than zero (%(amount)s given)", what=what, amount=amount)
        )
    if amount != amount.quantize(CENT):
        raise InvalidAmount(
            _(
                "the %(what)s has more than two decimals (%(amount)s given)",
                what=what,
                amount=amount,
            )
        )
    return amount.quantize(CENT)


def _lock_invoice(session: Session, invoice: Invoice) -> Invoice:
    """The invoice re-read from the database and locked until the transaction ends."""
    session.flush()
    locked = session.scalars(
        select(Invoice)
        .where(Invoice.id == invoice.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    return locked


def _lock_receipt(session: Session, receipt: BankTransaction) -> BankTransaction:
    session.flush()
    locked = session.scalars(
        select(BankTransaction)
        .where(BankTransaction.id == receipt.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    return locked


def _check_receipt(receipt: BankTransaction) -> None:
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


def _add(
    session: Session,
    *,
    kind: AllocationKind,
    amount: Decimal,
    currency: str,
    customer_id: int,
    actor: Actor,
    invoice: Invoice | None = None,
    receipt: BankTransaction | None = None,
    note: CreditNote | None = None,
    method: AllocationMethod = AllocationMethod.MANUAL,
    confidence: Decimal | None = None,
    explanation: list[Any] | None = None,
    reason: str | None = None,
    reverses: Allocation | None = None,
) -> Allocation:
    user, label = _who(actor)
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
        reason=(reason or None) and reason[:500],
        created_by_id=user.id if user is not None else None,
        actor_label=label,
        reverses_id=reverses.id if reverses is not None else None,
        erp_status=ErpStatus.PENDING,
    )
    session.add(entry)
    session.flush()
    return entry


def _audit(
    session: Session,
    entry: Allocation,
    actor: Actor,
    *,
    action: str | None = None,
    reason: str | None = None,
    extra: dict[str, Any] | None = None,
) -> None:
    user, label = _who(actor)
    record(
        session,
        actor=user,
        actor_label=label,
        action=action or f"ledger.{entry.kind.value}",
        entity_type="allocation",
        entity_id=entry.id,
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
            **(extra or {}),
        },
    )


def _take_from_invoice(
    session: Session, invoice: Invoice, amount: Decimal, currency: str
) -> Invoice:
    """Lock the invoice and check that ``amount`` in ``currency`` fits what it has open."""
    invoice = _lock_invoice(session, invoice)
    if invoice.currency != currency:
        raise CurrencyMismatch(
            _(
                "%(invoice)s is in %(currency)s; %(given)s cannot be applied to it",
                invoice=invoice.number,
                currency=invoice.currency,
                given=currency,
            )
        )
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
    return invoice


# --- what the records add up to --------------------------------------------------------------


def pending_total(session: Session, invoice: Invoice) -> Decimal:
    """What Concord's records took off the invoice that the ERP has not booked yet."""
    total = session.scalar(
        select(func.coalesce(func.sum(Allocation.amount), 0)).where(
            Allocation.invoice_id == invoice.id, Allocation.erp_status != ErpStatus.BOOKED
        )
    )
    return Decimal(total or 0).quantize(CENT)


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


def _receipt_used(session: Session, receipt: BankTransaction) -> Decimal:
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
    used = _receipt_used(session, receipt)
    if receipt.direction is not Direction.CREDIT:
        receipt.unapplied_amount = ZERO
    else:
        receipt.unapplied_amount = max(receipt.amount - used, ZERO)
    return receipt.unapplied_amount


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
    amount = _money(amount)
    receipt = _lock_receipt(session, receipt)
    _check_receipt(receipt)
    if receipt.currency != invoice.currency:
        raise CurrencyMismatch(
            _(
                "%(voucher)s is in %(currency)s; %(invoice)s is in %(invoice_currency)s",
                voucher=receipt.voucher_number,
                currency=receipt.currency,
                invoice=invoice.number,
                invoice_currency=invoice.currency,
            )
        )
    invoice = _take_from_invoice(session, invoice, amount, receipt.currency)
    used = _receipt_used(session, receipt)
    if used and receipt.customer_id is not None and receipt.customer_id != invoice.customer_id:
        raise WrongCustomer(
            _("%(voucher)s is already applied for another customer", voucher=receipt.voucher_number)
        )
    available = max(receipt.amount - used, ZERO)
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
    entry = _add(
        session,
        kind=AllocationKind.PAYMENT,
        amount=amount,
        currency=receipt.currency,
        customer_id=invoice.customer_id,
        actor=actor,
        invoice=invoice,
        receipt=receipt,
        method=method,
        confidence=confidence,
        explanation=explanation,
        reason=reason,
    )
    receipt.customer_id = invoice.customer_id
    receipt.unapplied_amount = available - amount
    recompute_open(session, invoice)
    _audit(session, entry, actor, reason=reason)
    return entry


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
    amount = _money(amount)
    entry_kind = {
        "fee": AllocationKind.FEE_WRITEOFF,
        "difference": AllocationKind.DIFFERENCE_WRITEOFF,
    }.get(kind)
    if entry_kind is None:
        raise LedgerError(_("unknown write-off kind “%(kind)s” (fee or difference)", kind=kind))
    limit = write_off_limits(session).get(invoice.currency, ZERO)
    if amount > limit:
        raise OverLimit(
            _(
                "a write-off of %(amount)s %(currency)s is over the limit of %(limit)s",
                amount=amount,
                currency=invoice.currency,
                limit=limit,
            )
        )
    if receipt is not None:
        if receipt.currency != invoice.currency:
            raise CurrencyMismatch(
                _(
                    "%(voucher)s is in %(currency)s; %(invoice)s is in %(invoice_currency)s",
                    voucher=receipt.voucher_number,
                    currency=receipt.currency,
                    invoice=invoice.number,
                    invoice_currency=invoice.currency,
                )
            )
        receipt = _lock_receipt(session, receipt)
    invoice = _take_from_invoice(session, invoice, amount, invoice.currency)
    default_reason = "bank charge" if entry_kind is AllocationKind.FEE_WRITEOFF else "difference"
    entry = _add(
        session,
        kind=entry_kind,
        amount=amount,
        currency=invoice.currency,
        customer_id=invoice.customer_id,
        actor=actor,
        invoice=invoice,
        receipt=receipt,
        method=method,
        reason=reason or default_reason,
    )
    recompute_open(session, invoice)
    _audit(session, entry, actor, reason=reason)
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
    amount = _money(amount)
    receipt = _lock_receipt(session, receipt)
    _check_receipt(receipt)
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
    if amount > receipt.unapplied_amount:
        raise OverApplied(
            _(
                "%(voucher)s has only %(left)s %(currency)s left to apply (%(amount)s given)",
                voucher=receipt.voucher_number,
                left=receipt.unapplied_amount,
                currency=receipt.currency,
                amount=amount,
            )
        )
    entry = _add(
        session,
        kind=AllocationKind.ON_ACCOUNT,
        amount=amount,
        currency=receipt.currency,
        customer_id=customer.id,
        actor=actor,
        receipt=receipt,
        reason=reason or "advance payment",
    )
    receipt.customer_id = customer.id
    recompute_unapplied(session, receipt)
    _audit(session, entry, actor, reason=reason)
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
    from ..disputes.service import insert_numbered

    amount = _money(amount)
    reason = (reason or "").strip()
    if not reason:
        raise LedgerError(_("a credit note needs a reason"))
    invoice = target if isinstance(target, Invoice) else None
    if invoice is not None:
        invoice = _lock_invoice(session, invoice)
        if currency is not None and currency != invoice.currency:
            raise CurrencyMismatch(
                _(
                    "%(invoice)s is in %(currency)s; a credit in %(given)s cannot be applied to it",
                    invoice=invoice.number,
                    currency=invoice.currency,
                    given=currency,
                )
            )
        currency = invoice.currency
        customer_id = invoice.customer_id
    else:
        assert isinstance(target, Customer)
        currency = currency or target.currency
        customer_id = target.id
    user, _label = _who(actor)
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
        entry = _add(
            session,
            kind=AllocationKind.CREDIT_NOTE,
            amount=part,
            currency=currency,
            customer_id=customer_id,
            actor=actor,
            invoice=part_invoice,
            note=note,
            reason=reason,
        )
        _audit(
            session,
            entry,
            actor,
            reason=reason,
            extra={"credit_note": note.number, "dispute_id": dispute.id if dispute else None},
        )
    if invoice is not None:
        recompute_open(session, invoice)
    return note


def reverse(session: Session, entry: Allocation, reason: str, *, actor: Actor) -> Allocation:
    """Undo a record with a new one: kind ``reversal``, the negative amount, same links.

    The invoice gets its money back and the receipt its unapplied amount.

    :raises AlreadyReversed: the record is a reversal or has been reversed already.
    """
    reason = (reason or "").strip()
    if not reason:
        raise LedgerError(_("give a reason for the reversal"))
    session.flush()
    entry = session.scalars(
        select(Allocation)
        .where(Allocation.id == entry.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    if entry.kind is AllocationKind.REVERSAL:
        raise AlreadyReversed(_("record %(id)s is a reversal; it cannot be reversed", id=entry.id))
    if entry.reversed_by_id is not None:
        raise AlreadyReversed(_("record %(id)s has been reversed already", id=entry.id))
    receipt = _lock_receipt(session, entry.transaction) if entry.transaction else None
    invoice = _lock_invoice(session, entry.invoice) if entry.invoice else None
    reversal = _add(
        session,
        kind=AllocationKind.REVERSAL,
        amount=-entry.amount,
        currency=entry.currency,
        customer_id=entry.customer_id,
        actor=actor,
        invoice=invoice,
        receipt=receipt,
        note=entry.credit_note,
        reason=reason,
        reverses=entry,
    )
    entry.reversed_by_id = reversal.id
    session.flush()
    if receipt is not None:
        recompute_unapplied(session, receipt)
    if invoice is not None:
        recompute_open(session, invoice)
    _audit(session, reversal, actor, reason=reason, extra={"reversed_kind": entry.kind.value})
    return reversal


# --- many at once (the bank import) ----------------------------------------------------------


class ImportBatch:
    """Payments and bank-fee write-offs of a bank import, checked one by one, written at once.

    The import creates the receipts and holds the row locks of the invoices it pays (fresh from
    the database), so the checks run on the rows in memory: the same rules as :func:`apply` and
    :func:`write_off`. :meth:`finish` flushes once, recomputes the invoices' open amounts from
    the ledger and appends one audit event per record with a single insert.
    """

    def __init__(self, session: Session, *, actor: Actor) -> None:
        self.session = session
        self.actor = actor
        self.entries: list[Allocation] = []
        self.invoices: dict[int, Invoice] = {}
        self._limits: dict[str, Decimal] | None = None

    def _check_invoice(self, invoice: Invoice, amount: Decimal, currency: str) -> None:
        if invoice.currency != currency:
            raise CurrencyMismatch(
                _(
                    "%(invoice)s is in %(currency)s; %(given)s cannot be applied to it",
                    invoice=invoice.number,
                    currency=invoice.currency,
                    given=currency,
                )
            )
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

    def _entry(self, invoice: Invoice, receipt: BankTransaction, **fields: Any) -> Allocation:
        user, label = _who(self.actor)
        entry = Allocation(
            currency=invoice.currency,
            customer_id=invoice.customer_id,
            invoice_id=invoice.id,
            transaction=receipt,
            created_by_id=user.id if user is not None else None,
            actor_label=label,
            erp_status=ErpStatus.PENDING,
            **fields,
        )
        self.session.add(entry)
        self.entries.append(entry)
        self.invoices[invoice.id] = invoice
        invoice.set_open_amount(invoice.open_amount - entry.amount)
        return entry

    def apply(
        self,
        receipt: BankTransaction,
        invoice: Invoice,
        amount: Decimal,
        *,
        method: AllocationMethod = AllocationMethod.AUTO,
        confidence: Decimal | None = None,
        explanation: list[Any] | None = None,
    ) -> None:
        """Queue a payment of ``amount`` of the (new) receipt to the (locked) invoice.

        :raises LedgerError: as :func:`apply` (nothing is queued).
        """
        amount = _money(amount)
        _check_receipt(receipt)
        if receipt.currency != invoice.currency:
            raise CurrencyMismatch(
                _(
                    "%(voucher)s is in %(currency)s; %(invoice)s is in %(invoice_currency)s",
                    voucher=receipt.voucher_number,
                    currency=receipt.currency,
                    invoice=invoice.number,
                    invoice_currency=invoice.currency,
                )
            )
        self._check_invoice(invoice, amount, receipt.currency)
        if amount > receipt.unapplied_amount:
            raise OverApplied(
                _(
                    "%(voucher)s has only %(left)s %(currency)s left to apply (%(amount)s given)",
                    voucher=receipt.voucher_number,
                    left=receipt.unapplied_amount,
                    currency=receipt.currency,
                    amount=amount,
                )
            )
        self._entry(
            invoice,
            receipt,
            kind=AllocationKind.PAYMENT,
            amount=amount,
            method=method,
            confidence=confidence,
            explanation=list(explanation or []),
        )
        receipt.unapplied_amount -= amount
        receipt.customer_id = invoice.customer_id

    def write_off(
        self,
        receipt: BankTransaction,
        invoice: Invoice,
        amount: Decimal,
        *,
        kind: Literal["fee", "difference"] = "fee",
        method: AllocationMethod = AllocationMethod.AUTO,
        reason: str | None = None,
    ) -> None:
        """Queue a write-off on the invoice beside the receipt, within the limit.

        :raises LedgerError: as :func:`write_off` (nothing is queued).
        """
        amount = _money(amount)
        if self._limits is None:
            self._limits = write_off_limits(self.session)
        limit = self._limits.get(invoice.currency, ZERO)
        if amount > limit:
            raise OverLimit(
                _(
                    "a write-off of %(amount)s %(currency)s is over the limit of %(limit)s",
                    amount=amount,
                    currency=invoice.currency,
                    limit=limit,
                )
            )
        self._check_invoice(invoice, amount, receipt.currency)
        fee = kind == "fee"
        self._entry(
            invoice,
            receipt,
            kind=AllocationKind.FEE_WRITEOFF if fee else AllocationKind.DIFFERENCE_WRITEOFF,
            amount=amount,
            method=method,
            explanation=[],
            reason=reason or ("bank charge" if fee else "difference"),
        )

    def finish(self) -> list[Allocation]:
        """Write the queued records, recompute the invoices from the ledger, audit them."""
        session = self.session
        if not self.entries:
            return []
        session.flush()
        ids = sorted(self.invoices)
        pending: dict[int, Decimal] = {}
        for start in range(0, len(ids), 500):
            rows = session.execute(
                select(Allocation.invoice_id, func.sum(Allocation.amount))
                .where(
                    Allocation.invoice_id.in_(ids[start : start + 500]),
                    Allocation.erp_status != ErpStatus.BOOKED,
                )
                .group_by(Allocation.invoice_id)
            ).all()
            pending.update({i: Decimal(total or 0) for i, total in rows if i is not None})
        for invoice_id, invoice in self.invoices.items():
            open_amount = invoice.erp_open_amount - pending.get(invoice_id, ZERO)
            invoice.set_open_amount(min(max(open_amount, ZERO), invoice.amount))
        user, label = _who(self.actor)
        events = [
            PendingEvent(
                action=f"ledger.{e.kind.value}",
                entity_type="allocation",
                entity_id=e.id,
                reason=e.reason,
                data={
                    "kind": e.kind.value,
                    "amount": str(e.amount),
                    "currency": e.currency,
                    "customer_id": e.customer_id,
                    "invoice_id": e.invoice_id,
                    "transaction_id": e.transaction_id,
                    "credit_note_id": None,
                    "reverses_id": None,
                },
            )
            for e in self.entries
        ]
        record_many(session, actor=user, actor_label=label, events=events)
        done, self.entries, self.invoices = self.entries, [], {}
        return done


# --- the ERP's side ----------------------------------------------------------------------------


def _entries(session: Session, what: Invoice | Iterable[Allocation]) -> list[Allocation]:
    if isinstance(what, Invoice):
        session.flush()
        return list(
            session.scalars(
                select(Allocation)
                .where(Allocation.invoice_id == what.id, Allocation.erp_status != ErpStatus.BOOKED)
                .order_by(Allocation.id)
            )
        )
    return sorted(what, key=lambda e: e.id)


def mark_exported(session: Session, entries: Sequence[Allocation]) -> int:
    """Mark records as handed to the ERP (pending -> exported); returns how many changed."""
    now = utcnow()
    changed = 0
    for entry in entries:
        if entry.erp_status is ErpStatus.PENDING:
            entry.erp_status = ErpStatus.EXPORTED
            entry.exported_at = now
            changed += 1
    session.flush()
    return changed


def mark_booked(
    session: Session,
    what: Invoice | Iterable[Allocation],
    *,
    actor: Actor,
    adjust_erp_open: bool = True,
) -> list[Allocation]:
    """Record that the ERP booked these records (or every unbooked record of an invoice).

    With ``adjust_erp_open`` the invoice's ERP open amount is lowered by what the ERP booked,
    so Concord's open amount stays as it was. An import that reads the ERP's new open amount
    passes ``adjust_erp_open=False`` and then sets that figure with :func:`set_erp_open`.
    Returns the records that changed.
    """
    entries = [e for e in _entries(session, what) if e.erp_status is not ErpStatus.BOOKED]
    if not entries:
        return []
    now = utcnow()
    touched: dict[int, Invoice] = {}
    for entry in entries:
        entry.erp_status = ErpStatus.BOOKED
        entry.booked_at = now
        entry.exported_at = entry.exported_at or now
        if entry.invoice_id is not None and entry.invoice is not None:
            invoice = touched.setdefault(entry.invoice_id, entry.invoice)
            if adjust_erp_open:
                invoice.erp_open_amount = min(
                    max(invoice.erp_open_amount - entry.amount, ZERO), invoice.amount
                )
    session.flush()
    for invoice in touched.values():
        recompute_open(session, invoice)
    user, label = _who(actor)
    record(
        session,
        actor=user,
        actor_label=label,
        action="ledger.booked",
        entity_type="allocation",
        entity_id=entries[0].id,
        data={"ids": [e.id for e in entries]},
    )
    return entries


def set_erp_open(
    session: Session, invoice: Invoice, erp_open_amount: Decimal, *, actor: Actor | None = None
) -> Decimal:
    """Store the open amount the ERP reports and recompute Concord's; returns the new open amount.

    Audited only when ``actor`` is given (an import audits its own changes).

    :raises InvalidAmount: outside ``0..amount``.
    """
    if not 0 <= erp_open_amount <= invoice.amount:
        raise InvalidAmount(
            _(
                "an open amount of %(open)s is outside 0..%(amount)s for %(invoice)s",
                open=erp_open_amount,
                amount=invoice.amount,
                invoice=invoice.number,
            )
        )
    old = invoice.erp_open_amount
    invoice.erp_open_amount = erp_open_amount
    open_amount = recompute_open(session, invoice)
    if actor is not None and old != erp_open_amount:
        user, label = _who(actor)
        record(
            session,
            actor=user,
            actor_label=label,
            action="invoice.erp_open_amount",
            entity_type="invoice",
            entity_id=invoice.number,
            data={"from": old, "to": erp_open_amount, "open_amount": open_amount},
        )
    return open_amount


def settle_in_erp(
    session: Session, invoice: Invoice, *, actor: Actor, reason: str | None = None
) -> None:
    """Close the invoice as "settled in the ERP": the ERP reports it paid (ERP open = 0)."""
    invoice = _lock_invoice(session, invoice)
    old_open = invoice.open_amount
    invoice.erp_open_amount = ZERO
    recompute_open(session, invoice)
    invoice.settled_in_erp = True
    session.flush()
    user, label = _who(actor)
    record(
        session,
        actor=user,
        actor_label=label,
        action="invoice.settled_in_erp",
        entity_type="invoice",
        entity_id=invoice.number,
        reason=reason,
        data={"open_amount_before": old_open},
    )
