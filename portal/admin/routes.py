"""Blueprint "admin": the dunning ladder and the write-off limits."""

from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.decorators import staff_required
from ..banking.context import write_off_limits
from ..extensions import db
from ..followups.service import ensure_default_ladder
from ..models import Role
from . import service
from .forms import LadderForm, LimitsForm

bp = Blueprint("admin", __name__, url_prefix="/admin")

settings_writer = staff_required(Role.FINANCE, Role.ADMIN)


@bp.get("/dunning")
@staff_required()
def dunning() -> ResponseReturnValue:
    """The dunning ladder and the write-off limits, editable by finance."""
    steps = ensure_default_ladder(db.session)
    ladder = LadderForm(formdata=None, data={"steps": [_row(s) for s in steps] + [_blank()]})
    limits = write_off_limits(db.session)
    limits_form = LimitsForm(
        formdata=None,
        data={k.lower(): limits.get(k) for k in ("CNY", "USD", "EUR")},
    )
    return render_template("admin/dunning.html", ladder=ladder, limits_form=limits_form)


def _row(step: object) -> dict[str, object]:
    return {
        k: getattr(step, k)
        for k in ("id", "min_days", "max_days", "action", "active", "description")
    }


def _blank() -> dict[str, object]:
    return {"id": "", "min_days": None, "max_days": None, "action": "call", "active": False}


@bp.post("/dunning")
@settings_writer
def save_dunning() -> ResponseReturnValue:
    """Save the ladder (rows without a start day are ignored)."""
    form = LadderForm()
    if not form.validate_on_submit():
        flash(_("Check the ladder: %(errors)s", errors=form.errors), "error")
        return redirect(url_for(".dunning"))
    steps = [
        service.StepInput(
            id=int(row.id.data) if (row.id.data or "").isdigit() else None,
            min_days=row.min_days.data,
            max_days=row.max_days.data,
            action=row.action.data or "",
            active=bool(row.active.data),
            description=(row.description.data or "").strip(),
        )
        for row in (entry.form for entry in form.steps)
        if row.min_days.data
    ]
    try:
        with db.session.begin_nested():
            service.save_ladder(db.session, steps, user=current_user)
    except service.SettingsError as exc:
        flash(str(exc), "error")
    else:
        flash(_("Dunning ladder saved."), "success")
    return redirect(url_for(".dunning"))


@bp.post("/write-off-limits")
@settings_writer
def save_limits() -> ResponseReturnValue:
    """Save the write-off limits per currency."""
    form = LimitsForm()
    if not form.validate_on_submit():
        abort(400)
    limits = {
        code: getattr(form, code.lower()).data
        for code in ("CNY", "USD", "EUR")
        if getattr(form, code.lower()).data is not None
    }
    service.save_write_off_limits(
        db.session, {k: Decimal(v) for k, v in limits.items()}, user=current_user
    )
    flash(_("Write-off limits saved."), "success")
    return redirect(url_for(".dunning"))
