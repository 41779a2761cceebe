"""Differences between the ERP's open items and Concord's ledger, listed for finance."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select
from sqlalchemy.orm import Session

from portal.findings import Closing, listed
from portal.models import ConflictStatus, ImportConflict, User

from ..errors import ConcordError


class ConflictError(ConcordError):
    """A resolution was refused; the message says why."""


def conflicts(*, status: ConflictStatus = ConflictStatus.OPEN) -> Select[Any]:
    """The conflicts with this status, newest first (paginate it)."""
    return listed(status, ImportConflict.resolved_by, (ImportConflict.id.desc(),))


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
