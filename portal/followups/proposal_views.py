"""The proposals page: pending steps paged and filtered, approved ticked or all, left out.

"Approve the ticked" approves what is ticked on the page shown; "approve all" approves every
proposal matching the page's filters, on every page, after a confirmation naming how many.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from ..auth.decorators import staff_required
from ..extensions import db
from ..localtime import local_day
from ..models import (
    ActionStatus,
    CollectionAction,
    CollectionRun,
    Job,
    LadderStep,
    Role,
    utcnow,
)
from ..views import list_page
from . import approve_all, cases, ladders
from .blueprint import attempt, bp
from .forms import ApproveForm, ExcludeForm, RunForm
from .proposals import (
    ProposalFilters,
    approvable_ids,
    count_approvable,
    current_figures,
    invoice_numbers,
    proposals_query,
    step_summary,
)

finance_required = staff_required(Role.FINANCE, Role.ADMIN)

PER_PAGE = 50


def _filters() -> ProposalFilters:
    """The page's filters from the query string (the approve and leave-out forms post to
    addresses that carry them)."""
    q = (request.args.get("q") or "").strip()[:200]
    return ProposalFilters(step=request.args.get("step", type=int), q=q or None)


def _back(filters: ProposalFilters, **more: Any) -> ResponseReturnValue:
    return redirect(url_for(".proposals", **filters.args(), **more))


@bp.get("/proposals")
@staff_required()
def proposals() -> ResponseReturnValue:
    """Proposed steps waiting for approval: counts per step, sample messages, a page of them."""
    filters = _filters()
    session = db.session()
    page = list_page(proposals_query(filters), PER_PAGE)
    summary = step_summary(session)
    held = session.scalar(
        select(func.count())
        .select_from(CollectionAction)
        .where(CollectionAction.status == ActionStatus.APPROVED)
    )
    last_run = session.scalar(select(CollectionRun).order_by(CollectionRun.id.desc()).limit(1))
    job_id = request.args.get("job", type=int)
    job = session.get(Job, job_id) if job_id is not None else approve_all.running_job(session)
    return render_template(
        "followups/proposals.html",
        summary=summary,
        total=sum(s.count for s in summary),
        page=page,
        filters=filters,
        matching=count_approvable(session, filters),
        held=held,
        last_run=last_run,
        approve_form=ApproveForm(formdata=None),
        exclude_form=ExcludeForm(formdata=None),
        run_form=RunForm(),
        numbers=invoice_numbers(session, page.items),
        figures=current_figures(
            session,
            [*page.items, *(a for s in summary for a in s.samples)],
            today=local_day(utcnow()),
        ),
        job=job if job is not None and job.kind == approve_all.APPROVE_ALL_JOB else None,
        job_summary=approve_all.summary,
    )


@bp.get("/proposals/jobs/<int:job_id>.json")
@staff_required()
def approve_all_status(job_id: int) -> ResponseReturnValue:
    """Progress of an "approve all" job, polled by the proposals page."""
    job = db.session.get(Job, job_id)
    if job is None or job.kind != approve_all.APPROVE_ALL_JOB:
        abort(404)
    return jsonify(approve_all.status(job))


@bp.post("/proposals/approve")
@finance_required
def approve() -> ResponseReturnValue:
    """Approve the ticked proposals now, or all matching the filters once their count is
    confirmed (in the background: see :mod:`.approve_all`); only then are messages queued."""
    form, filters = ApproveForm(), _filters()
    if not form.validate_on_submit():
        flash(_("Tick the proposals to approve."), "error")
        return _back(filters)
    if form.scope.data == "all":
        return _approve_all(form, filters)
    ids = form.action_ids.data or []
    if not ids:
        flash(_("Tick the proposals to approve."), "error")
        return _back(filters, page=request.args.get("page", 1, type=int))
    done = cases.approve(
        db.session(), ids, user=current_user, settings=ladders.load_settings(db.session())
    )
    flash(approve_all.approval_text(done), "success")
    # what is left of the page the user was on
    return _back(filters, page=request.args.get("page", 1, type=int))


def _approve_all(form: ApproveForm, filters: ProposalFilters) -> ResponseReturnValue:
    """Queue approving every proposal matching ``filters`` once their number is confirmed; a
    press while such a job is under way shows that job instead of starting another."""
    session = db.session()
    under_way = approve_all.running_job(session)
    if under_way is not None:
        flash(_("Approving all proposals is already under way: its progress is shown."), "info")
        return _back(filters, job=under_way.id)
    ids = approvable_ids(session, filters)
    if not ids:
        flash(_("No proposal matches the filters."), "error")
        return _back(filters)
    if form.confirmed.data != len(ids):
        return _confirm_all(form, filters, len(ids))
    job, _new = approve_all.start(session, ids, user=current_user)
    return _back(filters, job=job.id)


def _confirm_all(form: ApproveForm, filters: ProposalFilters, count: int) -> ResponseReturnValue:
    """Ask to confirm approving ``count`` proposals (again, with the new count, when the
    proposals changed since the count the user confirmed)."""
    step = db.session.get(LadderStep, filters.step) if filters.step is not None else None
    return render_template(
        "followups/approve_all.html",
        form=ApproveForm(formdata=None),
        filters=filters,
        step=step,
        count=count,
        changed=form.confirmed.data is not None,
    )


@bp.post("/proposals/<int:action_id>/exclude")
@finance_required
def exclude(action_id: int) -> ResponseReturnValue:
    """Leave a customer out of this run's proposals, or only some of their items."""
    action = db.session.get(CollectionAction, action_id) or abort(404)
    form = ExcludeForm()
    if not form.validate_on_submit():
        abort(400)

    def leave_out() -> None:
        if form.invoice_ids.data:
            cases.exclude_items(db.session(), action, form.invoice_ids.data, user=current_user)
        else:
            cases.exclude(db.session(), action, user=current_user, reason=form.reason.data or "")

    attempt(leave_out, _("Left out."), cases.CollectionError)
    page = request.args.get("page", 1, type=int)
    return redirect(url_for(".proposals", **_filters().args(), page=page, _anchor="exclude"))
