"""Blueprint "erp": the conflicts an ERP import found, for finance to resolve."""

from __future__ import annotations

from flask import Blueprint, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .. import permissions
from ..auth.decorators import permission_required
from ..extensions import db
from ..models import ConflictStatus, ImportConflict
from ..views import findings_page, get_or_404, with_reason
from . import conflicts as service

bp = Blueprint("erp", __name__, url_prefix="/erp")

#: the kinds of conflict in the reader's language
CONFLICT_KINDS = {
    "amount_changed": _l("The ERP changed the amount"),
    "dropped_with_allocations": _l("The ERP dropped an invoice Concord applied money to"),
    "open_amount_differs": _l("The ERP's open amount moved by something else"),
}


@bp.get("/conflicts")
@permission_required(permissions.Action.ERP_CONFLICTS_VIEW)
def conflicts() -> ResponseReturnValue:
    """Open conflicts between the ERP and Concord, and the recently resolved ones."""
    return findings_page(
        "erp/conflicts.html",
        service.conflicts,
        ConflictStatus.RESOLVED,
        permissions.can(permissions.Action.ERP_CONFLICTS_RESOLVE),
        conflict_kinds=CONFLICT_KINDS,
    )


@bp.post("/conflicts/<int:conflict_id>/resolve")
@permission_required(permissions.Action.ERP_CONFLICTS_RESOLVE)
def resolve(conflict_id: int) -> ResponseReturnValue:
    """Close a conflict with a reason (recorded in the audit log)."""
    conflict = get_or_404(ImportConflict, conflict_id)
    with_reason(
        lambda reason: service.resolve(db.session(), conflict, actor=current_user, reason=reason),
        _("Conflict on invoice %(number)s resolved.", number=conflict.invoice.number),
        service.ConflictError,
    )
    return redirect(url_for(".conflicts"))
