"""Blueprint "payments": the customer's receipts, paginated and downloadable."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import pgettext
from flask_login import current_user

from ..auth.decorators import customer_required
from ..auth.scope import Page
from ..extensions import db
from ..reports.export import columns_response
from ..views import list_page
from . import service
from .forms import DatesForm

bp = Blueprint("payments", __name__, url_prefix="/payments")

PER_PAGE = 25


def _dates() -> tuple[DatesForm, service.Dates]:
    """The date range asked for; a date that cannot be read is left out (and says so)."""
    form = DatesForm(request.args)
    form.validate()
    return form, service.Dates(
        date_from=None if form.date_from.errors else form.date_from.data,
        date_to=None if form.date_to.errors else form.date_to.data,
    )


@bp.get("/")
@customer_required
def index() -> Any:
    """List the company's receipts with what each paid or holds, newest first."""
    form, dates = _dates()
    page = list_page(service.payments_query(current_user.customer_id, dates), PER_PAGE)
    rows = service.payment_rows(db.session(), current_user.customer_id, page.items)
    return render_template(
        "payments/index.html",
        form=form,
        page=Page(rows, page.number, page.per_page, page.total),
        args=dates.args(),
    )


@bp.get("/export.<any(csv,xlsx):fmt>")
@customer_required
def export(fmt: str) -> ResponseReturnValue:
    """The receipts of the page's date range (every page) as CSV or XLSX."""
    _form, dates = _dates()
    rows = service.export_rows(db.session(), current_user.customer_id, dates)
    return columns_response(
        fmt,
        "payments",
        service.COLUMNS.header,
        service.COLUMNS.rows(rows),
        title=pgettext("payment history", "Payments"),
    )
