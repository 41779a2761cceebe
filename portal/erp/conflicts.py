"""Differences between the ERP's open items and Concord's ledger, listed for finance."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from portal.audit import record
from portal.models import ConflictStatus, ImportConflict, Invoice, User, utcnow

from ..errors import ConcordError, required_reason


class ConflictError(ConcordError):
    """A resolution was refused; the message says why."""


def conflicts(
    session: Session, *, status: ConflictStatus = ConflictStatus.OPEN, limit: int = 200
) -> list[ImportConflict]:
    """The conflicts with this status, newest first."""
    return list(
        session.scalars(
            select(ImportConflict)
            .where(ImportConflict.status == status)
            .options(
                selectinload(ImportConflict.invoice).selectinload(Invoice.customer),
                selectinload(ImportConflict.resolved_by),
            )
            .order_by(ImportConflict.id.desc())
            .limit(limit)
        )
    )


def resolve(session: Session, conflict: ImportConflict, *, actor: User, reason: str) -> None:
    """Close a conflict with the reason finance gives (audited; flushes, never commits).

    The ERP's and Concord's figures stay as they are: finance settles the difference in the
    ERP or in Concord's ledger, and an import reporting the same figures lists it no more.

    :raises ConflictError: no reason, or the conflict is resolved already.
    """
    reason = required_reason(reason, ConflictError(_("a reason is required")))
    if conflict.status is not ConflictStatus.OPEN:
        raise ConflictError(_("this conflict is resolved already"))
    conflict.move_to(ConflictStatus.RESOLVED)
    conflict.reason = reason
    conflict.resolved_by_id = actor.id
    conflict.resolved_at = utcnow()
    session.flush()
    record(
        session,
        actor,
        "erp.conflict_resolved",
        conflict.invoice,
        reason=reason,
        data={"kind": conflict.kind.value, "erp": conflict.erp, "concord": conflict.concord},
    )
