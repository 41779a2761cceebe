"""Blueprint "followups": task queues and pages (collections: collection_views, ladder_views)."""

from __future__ import annotations

import datetime as dt

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from ..auth.decorators import staff_required, writer_required
from ..extensions import db
from ..models import (
    BankTransaction,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    Invoice,
    Statement,
    User,
)
from ..views import list_page
from . import collection_views, ladder_views, proposal_views, service, titles
from .blueprint import acts_on, assign_chosen, assign_form, attempt, bp
from .forms import STATUS_LABELS, CommentForm, RunForm, StatusForm

__all__ = ["bp", "collection_views", "ladder_views", "proposal_views"]

OPEN_STATES = (FollowUpStatus.OPEN, FollowUpStatus.IN_PROGRESS)


@bp.app_context_processor
def _title_helper() -> dict[str, object]:
    # templates show a task's title in the viewer's language: ``{{ task_title(task) }}``
    return {"task_title": titles.task_title}


def _task_or_404(task_id: int) -> FollowUp:
    task = db.session.get(
        FollowUp, task_id, options=[joinedload(FollowUp.owner), joinedload(FollowUp.customer)]
    )
    if task is None:
        abort(404)
    return task


def _queue(view: str, status: str, kind: str) -> Select[FollowUp]:
    """The tasks of ``view`` (``mine`` or the team's) in ``status`` (``open``: open or in
    progress) and of ``kind`` (an unknown status or kind: any), by due date."""
    query = select(FollowUp).options(joinedload(FollowUp.owner), joinedload(FollowUp.customer))
    if view == "mine":
        query = query.where(FollowUp.owner_id == current_user.id)
    if status == "open":
        query = query.where(FollowUp.status.in_(OPEN_STATES))
    elif status in {s.value for s in FollowUpStatus}:
        query = query.where(FollowUp.status == FollowUpStatus(status))
    if kind in {k.value for k in FollowUpKind}:
        query = query.where(FollowUp.kind == FollowUpKind(kind))
    return query.order_by(FollowUp.due_date, FollowUp.id)


@bp.get("/")
@staff_required()
def index() -> ResponseReturnValue:
    """My queue (default) or the team's, open tasks first by due date."""
    service.close_settled(db.session())  # tasks of invoices paid since the last run close now
    args = {
        "view": request.args.get("view", "mine"),
        "status": request.args.get("status", "open"),
        "kind": request.args.get("kind", ""),
    }
    page = list_page(_queue(**args), 50)
    titles.preload(db.session(), page.items)
    backlog = dict(
        db.session.execute(
            select(FollowUp.kind, func.count())
            .where(FollowUp.status.in_(OPEN_STATES))
            .group_by(FollowUp.kind)
        ).all()
    )
    return render_template(
        "followups/index.html",
        page=page,
        args=args,
        kinds=list(FollowUpKind),
        backlog=backlog,
        run_form=RunForm(),
        today=dt.date.today(),
        labels=STATUS_LABELS,
    )


@bp.post("/run")
@writer_required
def run_now() -> ResponseReturnValue:
    """Run follow-ups now (also daily from the scheduler: ``flask followups run``)."""
    if not RunForm().validate_on_submit():
        abort(400)
    result = service.run(db.session(), actor=current_user)
    proposed = sum(result.proposed.values())
    flash(
        _(
            "%(proposed)d step(s) proposed for approval, %(opened)d case(s) opened, "
            "%(closed)d closed, %(sent)d message(s) sent.",
            proposed=proposed,
            opened=result.cases_opened,
            closed=result.cases_closed,
            sent=result.sent,
        ),
        "success" if proposed or result.cases_opened else "info",
    )
    return redirect(url_for(".proposals"))


@bp.get("/<int:task_id>")
@staff_required()
def detail(task_id: int) -> ResponseReturnValue:
    """A task with its links, comments and actions."""
    task = _task_or_404(task_id)
    if task.case_id is not None:
        service.close_settled(db.session())
    status_form = StatusForm(formdata=None, status=task.status.value)
    authors = {
        u.id: u
        for u in db.session.scalars(
            select(User).where(User.id.in_([c.author_id for c in task.comments if c.author_id]))
        )
    }
    return render_template(
        "followups/detail.html",
        task=task,
        status_form=status_form,
        comment_form=CommentForm(formdata=None),
        assign_form=assign_form(task.owner_id),
        authors=authors,
        invoice=db.session.get(Invoice, task.invoice_id) if task.invoice_id else None,
        statement=db.session.get(Statement, task.statement_id) if task.statement_id else None,
        receipt=db.session.get(BankTransaction, task.transaction_id)
        if task.transaction_id
        else None,
        dispute_url=url_for("disputes.staff_detail", dispute_id=task.dispute_id)
        if task.dispute_id and "disputes.staff_detail" in current_app.view_functions
        else None,
        labels=STATUS_LABELS,
    )


@acts_on("/<int:task_id>/status", _task_or_404, ".detail")
def set_status(task: FollowUp) -> None:
    """Move the task to another status."""
    form = StatusForm()
    if form.validate_on_submit():
        attempt(
            lambda: service.change_status(
                db.session(), task, FollowUpStatus(form.status.data), user=current_user
            ),
            _("Status changed."),
            service.FollowUpError,
        )


@acts_on("/<int:task_id>/assign", _task_or_404, ".detail")
def assign(task: FollowUp) -> None:
    """Give the task to a colleague."""
    assign_chosen(service.assign, task, _("Task assigned."), service.FollowUpError)


@acts_on("/<int:task_id>/comment", _task_or_404, ".detail")
def comment(task: FollowUp) -> str:
    """Comment on the task; @mentions notify colleagues."""
    form = CommentForm()
    if form.validate_on_submit():
        service.add_comment(db.session(), task, form.body.data or "", user=current_user)
        flash(_("Comment added."), "success")
    else:
        flash(_("Write a comment first."), "error")
    return "#comments"
