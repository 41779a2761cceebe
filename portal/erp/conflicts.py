"""Differences between the ERP's open items and Concord's ledger, listed for finance."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from portal.findings import Closing, listed
from portal.models import ConflictStatus, ImportConflict, User

from ..errors import ConcordError


class ConflictError(ConcordError):
    """A resolution was refused; the message says why."""


def conflicts(
    session: Session, *, status: ConflictStatus = ConflictStatus.OPEN, limit: int = 200
) -> list[ImportConflict]:
    """The conflicts with this status, newest first."""
    return listed(
        session, status, ImportConflict.resolved_by, (ImportConflict.id.desc(),), limit=limit
    )


_RESOLVE = Closing(ConflictStatus.RESOLVED, ConflictError, _l("this conflict is resolved already"))


def resolve(session: Session, conflict: ImportConflict, *, actor: User, reason: str) -> None:
    """Close a conflict with the reason finance gives (audited; flushes, never commits).

    The ERP's and Concord's figures stay as they are: finance settles the difference in the
    ERP or in Concord's ledger, and an import reporting the same figures lists it no more.

    :raises ConflictError: no reason, or the conflict is resolved already.
    """
    data = {"kind": conflict.kind.value, "erp": conflict.erp, "concord": conflict.concord}
    _RESOLVE.close(
        session, conflict, "erp.conflict_resolved", actor=actor, reason=reason, data=data
    )
