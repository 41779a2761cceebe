"""The ladder editor: a ladder's customers, its steps, and each step's message per language."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.decorators import staff_required
from ..extensions import db
from ..models import Ladder, LadderStep
from . import ladders
from .blueprint import bp
from .collection_views import finance_required
from .forms import LadderForm


def _step_row(s: LadderStep) -> dict[str, object]:
    tpl = s.templates or {}
    return {
        **ladders.step_settings(s),
        "zh_subject": tpl.get("zh", {}).get("subject", ""),
        "zh_body": tpl.get("zh", {}).get("body", ""),
        "en_subject": tpl.get("en", {}).get("subject", ""),
        "en_body": tpl.get("en", {}).get("body", ""),
    }


BLANK_STEP = {"id": "", "channel": "email", "offset_days": None, "min_gap_days": 0, "active": False}


@bp.get("/ladders/new")
@staff_required()
def ladder_new() -> ResponseReturnValue:
    """A form for a new ladder."""
    return _ladder_page(None)


@bp.get("/ladders/<int:ladder_id>")
@staff_required()
def ladder_edit(ladder_id: int) -> ResponseReturnValue:
    """Edit a ladder: who it is for, its steps and their messages per language."""
    return _ladder_page(db.session.get(Ladder, ladder_id) or abort(404))


def _ladder_page(ladder: Ladder | None) -> ResponseReturnValue:
    data: dict[str, object] = {"priority": 50, "active": True, "steps": [BLANK_STEP]}
    if ladder is not None:
        data = {
            **ladders.ladder_settings(ladder),
            "steps": [_step_row(s) for s in ladder.steps] + [BLANK_STEP],
        }
    form = LadderForm(formdata=None, data=data)
    defaults = {
        ch: {lang: ladders.DEFAULT_TEMPLATES[ch][lang] for lang in ladders.LANGUAGES}
        for ch in ladders.DEFAULT_TEMPLATES
    }
    return render_template(
        "followups/ladder_edit.html",
        ladder=ladder,
        form=form,
        placeholders=ladders.PLACEHOLDERS,
        defaults=defaults,
    )


@bp.post("/ladders/new")
@finance_required
def ladder_create() -> ResponseReturnValue:
    """Create a ladder."""
    return _ladder_save(None)


@bp.post("/ladders/<int:ladder_id>")
@finance_required
def ladder_save(ladder_id: int) -> ResponseReturnValue:
    """Save a ladder (rows without a start day are ignored)."""
    return _ladder_save(db.session.get(Ladder, ladder_id) or abort(404))


def _ladder_save(ladder: Ladder | None) -> ResponseReturnValue:
    form = LadderForm()
    if not form.validate_on_submit():
        flash(_("Check the ladder: %(errors)s", errors=form.errors), "error")
        return redirect(request.url)
    steps = [
        ladders.StepInput(
            id=int(row.id.data) if row.id.data and row.id.data.isdigit() else None,
            name=row.name.data or "",
            channel=row.channel.data or "",
            offset_days=row.offset_days.data,
            min_gap_days=row.min_gap_days.data or 0,
            auto_approve=bool(row.auto_approve.data),
            skippable=bool(row.skippable.data),
            notify_manager=bool(row.notify_manager.data),
            active=bool(row.active.data),
            templates={
                lang: {
                    "subject": (getattr(row, f"{lang}_subject").data or "").strip(),
                    "body": (getattr(row, f"{lang}_body").data or "").strip(),
                }
                for lang in ladders.LANGUAGES
            },
        )
        for row in (entry.form for entry in form.steps)
        if row.offset_days.data is not None
    ]
    try:
        with db.session.begin_nested():
            saved = ladders.save_ladder(
                db.session(),
                ladder,
                name=form.name.data or "",
                segment=form.segment.data,
                credit_grades=form.credit_grades.data,
                priority=form.priority.data if form.priority.data is not None else 50,
                active=bool(form.active.data),
                is_default=bool(form.is_default.data),
                steps=steps,
                user=current_user,
            )
    except ladders.SettingsError as exc:
        flash(str(exc), "error")
        return redirect(request.url)
    flash(_("Ladder saved."), "success")
    return redirect(url_for(".ladder_edit", ladder_id=saved.id))


@bp.get("/ladders/steps/<int:step_id>/preview")
@staff_required()
def step_preview(step_id: int) -> ResponseReturnValue:
    """A step's message in a language, filled with sample values."""
    step = db.session.get(LadderStep, step_id) or abort(404)
    language = request.args.get("lang", "zh")
    if language not in ladders.LANGUAGES:
        abort(400)
    return render_template(
        "followups/preview.html",
        step=step,
        language=language,
        message=ladders.preview(step, language),
    )
