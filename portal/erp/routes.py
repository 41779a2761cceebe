"""Blueprint "erp": the conflicts an ERP import found, for finance to resolve."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..models import ConflictStatus, ImportConflict
from ..views import Findings
from . import conflicts as service

bp = Blueprint("erp", __name__, url_prefix="/erp")

#: the kinds of conflict in the reader's language
CONFLICT_KINDS = {
    "amount_changed": _l("The ERP changed the amount"),
    "dropped_with_allocations": _l("The ERP dropped an invoice Concord applied money to"),
    "open_amount_differs": _l("The ERP's open amount moved by something else"),
}


#: open conflicts between the ERP and Concord, until finance resolves each with a reason
CONFLICTS = Findings(
    listing=service.conflicts,
    closed=ConflictStatus.RESOLVED,
    model=ImportConflict,
    close=service.resolve,
    closed_message=lambda conflict: _(
        "Conflict on invoice %(number)s resolved.", number=conflict.invoice.number
    ),
    refusals=service.ConflictError,
    context={"conflict_kinds": CONFLICT_KINDS},
)
CONFLICTS.add_views(bp, "/conflicts", page="conflicts", decide="resolve", id_arg="conflict_id")
