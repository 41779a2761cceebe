"""Blueprint "credit": scores and grades, the warning list, credit limits."""

from __future__ import annotations

import math

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DecimalField
from wtforms.validators import NumberRange, Optional

from ..auth.decorators import staff_required
from ..auth.scope import Page
from ..extensions import db
from ..models import Customer, Role
from ..reports.export import table_response
from . import service

bp = Blueprint("credit", __name__, url_prefix="/credit")
PER_PAGE = 50


class LimitForm(FlaskForm):
    limit = DecimalField(_l("Credit limit"), places=2, validators=[Optional(), NumberRange(min=0)])


@bp.get("/")
@staff_required()
def index() -> ResponseReturnValue:
    """Every customer's grade; ``?warnings=1`` shows only the early-warning list."""
    scores = service.score_customers(db.session)
    warnings_only = request.args.get("warnings") == "1"
    shown = [s for s in scores if s.warning] if warnings_only else scores
    # grades need every customer; the page shows one screenful of them (the export has all)
    pages = max(1, math.ceil(len(shown) / PER_PAGE))
    number = min(max(1, request.args.get("page", 1, type=int)), pages)
    page = Page(shown[(number - 1) * PER_PAGE : number * PER_PAGE], number, PER_PAGE, len(shown))
    return render_template(
        "credit/index.html",
        scores=page.items,
        page=page,
        args={"warnings": 1} if warnings_only else {},
        warnings_only=warnings_only,
        warning_count=sum(1 for s in scores if s.warning),
        form=LimitForm(formdata=None),
        can_edit=current_user.role in (Role.FINANCE, Role.ADMIN),
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
            "; ".join(s.reasons),
        )
        for s in service.score_customers(db.session)
    )
    header = (
        "customer",
        "name",
        "grade",
        "avg_days_late",
        "share_late",
        "dispute_rate",
        "trend_days",
        "exposure",
        "credit_limit",
        "reasons",
    )
    return table_response(fmt, "credit-scores", header, rows)


@bp.post("/customers/<int:customer_id>/limit")
@staff_required(Role.FINANCE, Role.ADMIN)
def set_limit(customer_id: int) -> ResponseReturnValue:
    """Change a customer's credit limit (empty = no limit)."""
    customer = db.session.get(Customer, customer_id) or abort(404)
    form = LimitForm()
    if not form.validate_on_submit():
        flash(_("A credit limit is an amount of zero or more."), "error")
    else:
        service.set_credit_limit(db.session, customer, form.limit.data, user=current_user)
        flash(_("Credit limit of %(code)s saved.", code=customer.code), "success")
    return redirect(url_for(".index"))
