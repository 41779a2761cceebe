"""Blueprint "confirmations": staff follow the statements of a period and reissue corrections."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from statements.build import month_period
from statements.errors import StatementError

from ..auth.decorators import staff_required
from ..auth.scope import paginate
from ..downloads import content_disposition
from ..extensions import db
from ..models import Customer, Role, SignatureEvidence, Statement
from ..scheduler.registry import local_today
from ..ui.routes import label
from . import loop
from .service import statement_pdf

bp = Blueprint("confirmations", __name__, url_prefix="/staff/statements")

PER_PAGE = 50


class ReissueForm(FlaskForm):
    reason = TextAreaField(
        _l("Why is it reissued? (shown to the customer)"),
        validators=[DataRequired(_l("Say why the statement is reissued.")), Length(max=1000)],
    )


def blocker_text(error: loop.NotReissuable | None) -> str | None:
    """Why a statement cannot be reissued, in the reader's language."""
    if error is None:
        return None
    if error.code == "open_disputes":
        return _("Decide the open disputes first: %(numbers)s.", **error.params)
    if error.code == "answered":
        return _(
            "Statement %(number)s is %(status)s: only a statement waiting for an answer or "
            "disputed can be reissued.",
            number=error.params["number"],
            status=label(error.params["status"]),
        )
    return _("Say why the statement is reissued.")


def parse_period(text: str) -> tuple[dt.date, dt.date]:
    """``2026-10`` (a month) or ``2026-10-01..2026-10-15``; raises ``ValueError``."""
    if ".." in text:
        first, _sep, last = text.partition("..")
        start, end = dt.date.fromisoformat(first.strip()), dt.date.fromisoformat(last.strip())
        if end < start:
            raise ValueError("the period ends before it starts")
        return start, end
    try:
        return month_period(text)
    except StatementError as exc:
        raise ValueError(str(exc)) from exc


def period_key(start: dt.date, end: dt.date) -> str:
    """The ``period`` argument of a period (see :func:`parse_period`)."""
    label = loop.period_label(start, end)
    return label if "–" not in label else f"{start.isoformat()}..{end.isoformat()}"


@bp.get("/")
@staff_required()
def period() -> Any:
    """One period's statements: issued, viewed, confirmed, disputed, overdue; per customer."""
    session = db.session()
    known = loop.periods(session)
    text = request.args.get("period", "").strip()
    if text:
        try:
            start, end = parse_period(text)
        except ValueError:
            abort(400, description=_("Not a period: %(text)s (use YYYY-MM).", text=text[:40]))
    elif known:
        start, end = known[0]
    else:
        return render_template("statements/staff_period.html", summary=None, periods=[])
    state = request.args.get("state", "all")
    if state not in loop.STATES:
        abort(400, description=_("Unknown state: %(state)s.", state=state[:40]))
    # sales look after their own customers: theirs first, everyone's on request
    default_scope = "mine" if current_user.role is Role.SALES else "all"
    scope = request.args.get("scope", default_scope)
    manager_id = current_user.id if scope == "mine" else None
    today = local_today()
    query = loop.period_rows(start, end, state, today)
    summary = loop.period_summary(session, start, end, today, manager_id=manager_id)
    if manager_id is not None:
        query = query.where(Customer.account_manager_id == manager_id)
    page = paginate(query, request.args.get("page", 1, type=int), PER_PAGE)
    notices = loop.notices_of(session, [s.id for s in page.items])
    key = period_key(start, end)
    return render_template(
        "statements/staff_period.html",
        summary=summary,
        page=page,
        notices=notices,
        state=state,
        states=loop.STATES,
        scope=scope,
        today=today,
        period_key=key,
        period_text=loop.period_label(start, end),
        periods=[(period_key(s, e), loop.period_label(s, e)) for s, e in known],
        args={"period": key, "state": state, "scope": scope},
    )


def _statement_or_404(statement_id: int) -> Statement:
    statement = db.session.get(Statement, statement_id)
    if statement is None:
        abort(404)
    return statement


def _render_detail(statement: Statement, form: ReissueForm, status: int = 200) -> Any:
    session = db.session()
    chain = loop.versions(session, statement)
    approval = session.scalar(
        select(SignatureEvidence)
        .where(SignatureEvidence.statement_id == statement.id, SignatureEvidence.kind == "approval")
        .order_by(SignatureEvidence.id.desc())
        .limit(1)
    )
    return render_template(
        "statements/staff_detail.html",
        statement=statement,
        versions=chain,
        notices=loop.notices_of(session, [statement.id])[statement.id],
        disputes=loop.decided_disputes(session, statement),
        approval=approval,
        blocker=blocker_text(loop.reissue_blocker(session, statement)),
        form=form,
        link=loop.statement_link(statement),
        period_key=period_key(statement.period_start, statement.period_end),
    ), status


@bp.get("/<int:statement_id>")
@staff_required()
def statement(statement_id: int) -> Any:
    """A statement as staff see it: its versions, messages sent, disputes, and reissuing."""
    return _render_detail(_statement_or_404(statement_id), ReissueForm())


@bp.get("/<int:statement_id>/pdf")
@staff_required()
def pdf(statement_id: int) -> Response:
    """Download the statement's PDF (the customer-signed one once confirmed)."""
    statement = _statement_or_404(statement_id)
    signed = statement.signed_sha256 is not None
    return Response(
        statement_pdf(statement),
        mimetype="application/pdf",
        headers={
            "Content-Disposition": content_disposition(
                f"{statement.number}{'-signed' if signed else ''}.pdf"
            )
        },
    )


@bp.post("/<int:statement_id>/reissue")
@staff_required(Role.FINANCE, Role.ADMIN)
def reissue(statement_id: int) -> BaseResponse | Any:
    """Issue a corrected version that supersedes this statement; the customer is told."""
    statement = _statement_or_404(statement_id)
    form = ReissueForm()
    if not form.validate_on_submit():
        return _render_detail(statement, form, 400)
    try:
        new = loop.reissue(db.session(), statement, current_user, form.reason.data or "")
    except loop.NotReissuable as exc:
        flash(blocker_text(exc) or "", "error")
        return _render_detail(statement, form, 409)
    flash(
        _(
            "Statement %(number)s is reissued as %(new)s; the customer has been told.",
            number=statement.number,
            new=new.number,
        ),
        "success",
    )
    return redirect(url_for("confirmations.statement", statement_id=new.id))
