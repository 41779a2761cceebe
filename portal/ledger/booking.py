"""The ERP's side of the ledger: records handed to the ERP, booked by it, and its open amounts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit.service import record
from ..models import (
    Allocation,
    ErpStatus,
    Invoice,
    utcnow,
)
from .errors import (
    InvalidAmount,
)
from .records import ZERO, Actor, lock_invoice, recompute_open, who


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
    user, label = who(actor)
    record(
        session,
        user,
        "ledger.booked",
        entries[0],
        actor_label=label,
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
        user, label = who(actor)
        record(
            session,
            user,
            "invoice.erp_open_amount",
            invoice,
            actor_label=label,
            data={"from": old, "to": erp_open_amount, "open_amount": open_amount},
        )
    return open_amount


def settle_in_erp(
    session: Session, invoice: Invoice, *, actor: Actor, reason: str | None = None
) -> None:
    """Close the invoice as "settled in the ERP": the ERP reports it paid (ERP open = 0)."""
    invoice = lock_invoice(session, invoice)
    old_open = invoice.open_amount
    invoice.erp_open_amount = ZERO
    recompute_open(session, invoice)
    invoice.settled_in_erp = True
    session.flush()
    user, label = who(actor)
    record(
        session,
        user,
        "invoice.settled_in_erp",
        invoice,
        actor_label=label,
        reason=reason,
        data={"open_amount_before": old_open},
    )
