"""Blueprint "credit": scores and grades, the warning list, credit limits."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import Select, select
from wtforms import DateField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # types-WTForms lacks 3.2\'s SelectChoice
from wtforms.validators import DataRequired, Length, Regexp

from ..auth.decorators import permission_required, staff_required
from ..auth.scope import Page
from ..extensions import db
from ..fields import amount_field, set_currency
from ..models import AuditEvent, CreditLimitRequest, Customer, Role
from ..permissions import Action
from ..reports.export import table_response
from ..views import (
    ReasonForm,
    attempt,
    flash_form_errors,
    get_or_404,
    page_of,
    per_page,
    section_url,
    with_reason,
)
from . import limits, service

bp = Blueprint("credit", __name__, url_prefix="/credit")
PER_PAGE = 50
#: requests for a higher limit and history events on a customer's credit page: 20 a page
SECTION_ROWS = 20


class LimitForm(FlaskForm):
    #: in the customer's currency: the view sets ``limit.currency``
    limit = amount_field(_l("Credit limit"), minimum=0)


class RequestForm(FlaskForm):
    currency = StringField(
        _l("Currency"), validators=[DataRequired(), Regexp(r"^[A-Z]{3}$", message=_l("e.g. CNY"))]
    )
    amount = amount_field(
        _l("Higher limit"), required=True, minimum=Decimal("0.01"), currency_field="currency"
    )
    valid_until = DateField(_l("Valid until"), validators=[DataRequired()])
    reason = TextAreaField(_l("Why"), validators=[DataRequired(), Length(max=500)])


class DecideForm(FlaskForm):
    decision = RadioField(
        _l("Decision"),
        choices=[SelectChoice("approve", _l("Approve")), SelectChoice("reject", _l("Reject"))],
        validators=[DataRequired()],
    )
    note = TextAreaField(_l("Note"), validators=[Length(max=500)])


@bp.get("/")
@staff_required()
def index() -> ResponseReturnValue:
    """Every customer's grade; ``?warnings=1`` shows only the early-warning list."""
    cache = current_app.extensions.setdefault("concord.credit_scores", {})
    scores = service.cached_scores(db.session(), cache, today=dt.date.today())
    warnings_only = request.args.get("warnings") == "1"
    shown = [s for s in scores if s.warning] if warnings_only else scores
    # grades need every customer; the page shows 20, 50 or 100 of them (the export has all)
    size = per_page(PER_PAGE)
    pages = max(1, math.ceil(len(shown) / size))
    number = min(max(1, request.args.get("page", 1, type=int)), pages)
    page = Page(shown[(number - 1) * size : number * size], number, size, len(shown), PER_PAGE)
    filters: dict[str, Any] = {"warnings": 1} if warnings_only else {}
    keep: dict[str, Any] = {"per_page": size} if size != PER_PAGE else {}
    return render_template(
        "credit/index.html",
        scores=page.items,
        page=page,
        filters=filters,
        keep=keep,
        args={**filters, **keep},
        warnings_only=warnings_only,
        warning_count=sum(1 for s in scores if s.warning),
        form=LimitForm(formdata=None),
        can_edit=current_user.role in (Role.FINANCE, Role.ADMIN),
    )


#: the export's column keys (the CSV header) and what people read for them (the XLSX header)
SCORE_COLUMNS = (
    ("customer", _l("Customer")),
    ("name", _l("Customer name")),
    ("grade", _l("Grade")),
    ("avg_days_late", _l("Average days late")),
    ("share_late", _l("Share paid late")),
    ("dispute_rate", _l("Dispute rate")),
    ("trend_days", _l("Trend (days)")),
    ("exposure", _l("Exposure")),
    ("credit_limit", _l("Credit limit")),
    ("reasons", _l("Reasons")),
)


@bp.get("/scores.<fmt>")
@staff_required()
def export(fmt: str) -> ResponseReturnValue:
    """The scores as CSV or XLSX."""
    if fmt not in ("csv", "xlsx"):
        abort(404)
    rows = (
        (
            s.customer.code,
            s.customer.name,
            s.grade,
            round(s.avg_days_late, 1),
            round(s.share_late, 3),
            round(s.dispute_rate, 3),
            None if s.trend is None else round(s.trend, 1),
            s.exposure,
            s.customer.credit_limit,
            "; ".join(str(r) for r in s.reasons),
        )
        for s in service.score_customers(db.session())
    )
    header = tuple(key for key, _label in SCORE_COLUMNS)
    labels = [label for _key, label in SCORE_COLUMNS]
    return table_response(
        fmt, "credit-scores", header, rows, labels=labels, title=_("Credit grades")
    )


@bp.post("/customers/<int:customer_id>/limit")
@staff_required(Role.FINANCE, Role.ADMIN)
def set_limit(customer_id: int) -> ResponseReturnValue:
    """Change a customer's credit limit (empty = no limit)."""
    customer = get_or_404(Customer, customer_id)
    form = LimitForm()
    set_currency(form, customer.currency)
    if not form.validate_on_submit():
        flash(_("A credit limit is an amount of zero or more."), "error")
        flash_form_errors(form)
    else:
        service.set_credit_limit(db.session(), customer, form.limit.data, user=current_user)
        flash(_("Credit limit of %(code)s saved.", code=customer.code), "success")
    return redirect(url_for(".index"))


@bp.get("/customers/<int:customer_id>")
@permission_required(Action.CREDIT_VIEW)
def customer(customer_id: int) -> ResponseReturnValue:
    """One customer's credit: limit and exposure per currency, hold, the requests for a
    higher limit and the history (each 20 a page)."""
    row = get_or_404(Customer, customer_id)
    today = dt.date.today()
    score = service.score_customers(db.session(), today=today, customer_ids=[row.id])[0]
    owed = limits.exposures(db.session(), row)
    of_customer = CreditLimitRequest.customer_id == row.id
    requests = page_of(
        select(CreditLimitRequest).where(of_customer).order_by(CreditLimitRequest.id.desc()),
        "requests",
        SECTION_ROWS,
    )
    asked = db.session.scalars(select(CreditLimitRequest.currency).where(of_customer).distinct())
    currencies = sorted({row.currency, *owed, *asked})
    lines = []
    for currency in currencies:
        limit = limits.limit_for(db.session(), row, currency, grade=score.grade, today=today)
        exposure = owed.get(currency, limits.ZERO)
        available = None if limit.amount is None else limit.amount - exposure
        lines.append((currency, limit, exposure, available))
    request_form = RequestForm(formdata=None, currency=row.currency)
    return render_template(
        "credit/customer.html",
        customer=row,
        score=score,
        lines=lines,
        requests=requests,
        history=_history(limits.history(row)),
        section_url=section_url(".customer", ("requests", "history"), customer_id=row.id),
        today=today,
        request_form=request_form,
        decide_form=DecideForm(formdata=None),
        reason_form=ReasonForm(formdata=None),
        status_labels=STATUS_LABELS,
        can_decide=current_user.role in limits.APPROVER_ROLES,
        can_request=current_user.role in limits.REQUESTER_ROLES,
    )


STATUS_LABELS = {
    "requested": _l("Waiting for a decision"),
    "approved": _l("Approved"),
    "rejected": _l("Rejected"),
    "withdrawn": _l("Withdrawn"),
}

HISTORY_LABELS = {
    "customer.credit_limit": _l("Credit limit changed"),
    "customer.hold": _l("Put on credit hold"),
    "customer.hold_lifted": _l("Credit hold lifted"),
    "credit_limit.requested": _l("Higher limit requested"),
    "credit_limit.approved": _l("Higher limit approved"),
    "credit_limit.rejected": _l("Higher limit rejected"),
    "credit_limit.withdrawn": _l("Higher limit withdrawn"),
}


def _history(query: Select[Any]) -> Page[dict[str, Any]]:
    """Page ``?history=N`` of the credit history, each event as the page shows it."""
    page = page_of(query, "history", SECTION_ROWS)
    return dataclasses.replace(page, items=[_history_row(e) for e in page.items])


def _history_row(event: AuditEvent) -> dict[str, Any]:
    data = event.data or {}
    if "request" in data:
        detail = f"{data.get('currency')} {data.get('amount')} → {data.get('valid_until')}"
    elif "to" in data:
        detail = f"{data.get('from') or '—'} → {data.get('to') or '—'}"
    else:
        detail = ""
    return {
        "when": event.occurred_at,
        "who": event.actor_label,
        "what": HISTORY_LABELS.get(event.action, event.action),
        "reason": event.reason or "",
        "detail": detail,
    }


def _back(customer_id: int) -> ResponseReturnValue:
    return redirect(url_for(".customer", customer_id=customer_id))


def _submit(
    form: FlaskForm, customer_id: int, change: Callable[[], object], done: str
) -> ResponseReturnValue:
    """Check the form, ``change()`` and flash ``done`` (or the form's or the credit error)."""
    if not form.validate_on_submit():
        flash_form_errors(form)
    else:
        attempt(change, done, limits.CreditError)
    return _back(customer_id)


@bp.post("/customers/<int:customer_id>/requests")
@permission_required(Action.CREDIT_REQUEST)
def request_limit(customer_id: int) -> ResponseReturnValue:
    """Sales asks for a higher limit until a date; a finance admin decides."""
    row = get_or_404(Customer, customer_id)
    form = RequestForm()

    def change() -> None:
        amount, valid_until = form.amount.data, form.valid_until.data
        assert amount is not None and valid_until is not None  # both DataRequired
        limits.request_limit(
            db.session(),
            row,
            currency=form.currency.data or "",
            amount=amount,
            valid_until=valid_until,
            reason=form.reason.data or "",
            user=current_user,
        )

    return _submit(form, row.id, change, _("The higher limit was requested; finance decides."))


@bp.post("/requests/<int:request_id>/decide")
@permission_required(Action.CREDIT_SET_LIMIT)
def decide_limit(request_id: int) -> ResponseReturnValue:
    """A finance admin other than the requester approves or rejects a higher limit."""
    row = get_or_404(CreditLimitRequest, request_id)
    form = DecideForm()
    return _submit(
        form,
        row.customer_id,
        lambda: limits.decide(
            db.session(),
            row,
            approve=form.decision.data == "approve",
            user=current_user,
            note=form.note.data or "",
        ),
        _("Decision saved."),
    )


@bp.post("/requests/<int:request_id>/withdraw")
@permission_required(Action.CREDIT_REQUEST)
def withdraw_limit(request_id: int) -> ResponseReturnValue:
    """The requester (or finance) withdraws a request or an approved higher limit."""
    row = get_or_404(CreditLimitRequest, request_id)
    with_reason(
        lambda reason: limits.withdraw(db.session(), row, user=current_user, reason=reason),
        _("The limit was withdrawn."),
        limits.CreditError,
    )
    return _back(row.customer_id)


@bp.post("/customers/<int:customer_id>/hold")
@permission_required(Action.CREDIT_SET_LIMIT)
def hold(customer_id: int) -> ResponseReturnValue:
    """Put the customer on credit hold, or lift it, with a reason."""
    row = get_or_404(Customer, customer_id)
    with_reason(
        lambda reason: limits.set_hold(
            db.session(), row, hold=not row.on_hold, reason=reason, user=current_user
        ),
        _("Credit hold saved."),
        limits.CreditError,
    )
    return _back(row.id)
