"""Many ledger records at once: the payments and bank-fee write-offs of a bank import."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..audit.service import PendingEvent, record_many
from ..models import (
    Allocation,
    AllocationKind,
    AllocationMethod,
    BankTransaction,
    ErpStatus,
    Invoice,
)
from .records import (
    WRITE_OFF_KINDS,
    ZERO,
    Actor,
    check_available,
    check_fits,
    check_receipt,
    money,
    who,
)
from .service import check_write_off_limit, write_off_limits


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

    def _entry(self, invoice: Invoice, receipt: BankTransaction, **fields: Any) -> Allocation:
        user, label = who(self.actor)
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
    ) -> None:
        """Queue a payment of ``amount`` of the (new) receipt to the (locked) invoice, with the
        confidence and reasons the receipt was matched with.

        :raises LedgerError: as :func:`apply` (nothing is queued).
        """
        amount = money(amount, currency=receipt.currency)
        check_receipt(receipt)
        check_fits(invoice, amount, receipt.currency)
        check_available(receipt, amount, receipt.unapplied_amount)
        self._entry(
            invoice,
            receipt,
            kind=AllocationKind.PAYMENT,
            amount=amount,
            method=method,
            confidence=receipt.confidence,
            explanation=list(receipt.reasons or []),
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
        amount = money(amount, currency=invoice.currency)
        if self._limits is None:
            self._limits = write_off_limits(self.session)
        check_write_off_limit(self._limits, invoice, amount)
        check_fits(invoice, amount, receipt.currency)
        entry_kind, default_reason = WRITE_OFF_KINDS[kind]
        self._entry(
            invoice,
            receipt,
            kind=entry_kind,
            amount=amount,
            method=method,
            explanation=[],
            reason=reason or default_reason,
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
        user, label = who(self.actor)
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
