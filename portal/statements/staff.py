"""Blueprint "confirmations": staff follow the statements of a period and reissue corrections."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import Select, select
from werkzeug.wrappers import Response as BaseResponse
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from statements.build import month_period
from statements.errors import StatementError

from ..auth.decorators import staff_required
from ..auth.scope import paginate
from ..downloads import content_disposition
from ..extensions import db
from ..localtime import local_day, local_today
from ..models import Customer, Role, SignatureEvidence, Statement, StatementStatus
from ..reports.export import columns_response
from ..ui.routes import label
from ..views import list_page
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


@dataclass(frozen=True)
class PeriodView:
    """What the period page shows: the period, the state filter and whose customers."""

    start: dt.date
    end: dt.date
    state: str
    scope: str
    today: dt.date

    @property
    def manager_id(self) -> int | None:
        return current_user.id if self.scope == "mine" else None

    def rows(self) -> Select[Any]:
        """The statements shown, by customer (paginate it, or export it)."""
        query = loop.period_rows(self.start, self.end, self.state, self.today)
        if self.manager_id is not None:
            query = query.where(Customer.account_manager_id == self.manager_id)
        return query

    @property
    def args(self) -> dict[str, str]:
        return {
            "period": period_key(self.start, self.end),
            "state": self.state,
            "scope": self.scope,
        }


def _period_view(known: list[tuple[dt.date, dt.date]]) -> PeriodView | None:
    """The period, state and scope asked for (400 if not understood); ``None``: no period yet."""
    text = request.args.get("period", "").strip()
    if text:
        try:
            start, end = parse_period(text)
        except ValueError:
            abort(400, description=_("Not a period: %(text)s (use YYYY-MM).", text=text[:40]))
    elif known:
        start, end = known[0]
    else:
        return None
    state = request.args.get("state", "all")
    if state not in loop.STATES:
        abort(400, description=_("Unknown state: %(state)s.", state=state[:40]))
    # sales look after their own customers: theirs first, everyone's on request
    default_scope = "mine" if current_user.role is Role.SALES else "all"
    scope = request.args.get("scope", default_scope)
    return PeriodView(start, end, state, scope, local_today())


@bp.get("/")
@staff_required()
def period() -> Any:
    """One period's statements: issued, viewed, confirmed, disputed, overdue; per customer."""
    session = db.session()
    known = loop.periods(session)
    shown = _period_view(known)
    if shown is None:
        return render_template("statements/staff_period.html", summary=None, periods=[])
    start, end, today = shown.start, shown.end, shown.today
    summary = loop.period_summary(session, start, end, today, manager_id=shown.manager_id)
    page = list_page(shown.rows(), PER_PAGE)
    notices = loop.notices_of(session, [s.id for s in page.items])
    return render_template(
        "statements/staff_period.html",
        summary=summary,
        page=page,
        notices=notices,
        state=shown.state,
        states=loop.STATES,
        scope=shown.scope,
        today=today,
        period_key=period_key(start, end),
        period_text=loop.period_label(start, end),
        periods=[(period_key(s, e), loop.period_label(s, e)) for s, e in known],
        args=shown.args,
    )


#: the export's columns: the CSV keys and what people read in the XLSX header
PERIOD_COLUMNS: tuple[tuple[str, Any], ...] = (
    ("customer_code", _l("Customer code")),
    ("customer_name", _l("Customer")),
    ("statement", _l("Statement")),
    ("version", _l("Version")),
    ("currency", _l("Currency")),
    ("closing_balance", _l("Closing balance")),
    ("issued", _l("Issued")),
    ("sent", _l("Sent")),
    ("viewed", _l("Viewed")),
    ("reminders", _l("Reminders")),
    ("last_reminder", _l("Last reminder")),
    ("respond_by", _l("Answer by")),
    ("overdue", _l("Overdue for confirmation")),
    ("status", _l("Status")),
    ("confirmed", _l("Confirmed")),
)
#: statements loaded (with their notices) at a time while an export is written
EXPORT_BATCH = 500


def _local_day(value: dt.datetime | None) -> dt.date | None:
    """The day of a stored time as people here read it (the configured time zone)."""
    return local_day(value) if value is not None else None


def _period_export_rows(shown: PeriodView) -> Iterator[list[Any]]:
    """One row per statement and currency, every statement of the view (not one page)."""
    session = db.session()
    yes, no = _("yes"), _("no")
    number = 1
    while True:
        batch = paginate(shown.rows(), number, EXPORT_BATCH)
        notices = loop.notices_of(session, [s.id for s in batch.items])
        for s in batch.items:
            sent = [n for n in notices[s.id] if n.kind == "reminder"]
            overdue = (
                s.status is StatementStatus.ISSUED
                and s.respond_by is not None
                and s.respond_by < shown.today
            )
            for bal in s.balances:
                yield [
                    s.customer.code,
                    s.customer.name,
                    s.number,
                    s.version,
                    bal.currency,
                    bal.closing_balance,
                    _local_day(s.issued_at),
                    yes if notices[s.id] else no,
                    _local_day(s.viewed_at),
                    len(sent),
                    sent[-1].sent_on if sent else None,
                    s.respond_by,
                    yes if overdue else no,
                    label(s.status),
                    _local_day(s.confirmed_at),
                ]
        if batch.number >= batch.pages:
            return
        number += 1


@bp.get("/export.<any(csv,xlsx):fmt>")
@staff_required()
def period_export(fmt: str) -> Response:
    """The period page's statements as CSV or XLSX: every row of the view, not one page."""
    shown = _period_view(loop.periods(db.session()))
    if shown is None:
        abort(404)
    name = f"statements-{period_key(shown.start, shown.end).replace('..', '_')}"
    return columns_response(
        fmt,
        name if shown.state == "all" else f"{name}-{shown.state}",
        PERIOD_COLUMNS,
        _period_export_rows(shown),
        title=_("Statements %(period)s", period=loop.period_label(shown.start, shown.end)),
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
