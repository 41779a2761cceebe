"""Blueprint "reports": AR aging, DSO, cash application, disputes, follow-up backlog."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask import Blueprint, abort, render_template
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from ..auth.decorators import staff_required
from ..extensions import db
from ..filters import amount
from . import charts, service
from .export import table_response

bp = Blueprint("reports", __name__, url_prefix="/reports")

TITLES = {
    "aging": _l("Receivables aging"),
    "dso": _l("Days sales outstanding"),
    "cash-application": _l("Cash application: automatic and manual"),
    "disputes": _l("Disputes opened and resolution time"),
    "followup-backlog": _l("Follow-up backlog"),
}


@bp.get("/")
@staff_required()
def index() -> ResponseReturnValue:
    """Every report with its chart and table."""
    tables = service.all_tables(db.session, today=dt.date.today())
    rendered = []
    for name, table in tables.items():
        title = str(TITLES[name])
        if name == "dso":
            chart = charts.line_chart(table.chart, title=title)
        elif table.chart_series:
            chart = charts.bar_chart(table.chart, title=title, series=table.chart_series)
        else:
            chart = charts.bar_chart(table.chart, title=title)
        rendered.append((name, title, chart, table))
    return render_template("reports/index.html", reports=rendered, cell=_cell)


def _cell(value: object) -> str:
    """Display a table cell: amounts grouped for the locale, ratios as given, empty as a dash."""
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return amount(value)
    return str(value)


@bp.get("/<name>.<fmt>")
@staff_required()
def export(name: str, fmt: str) -> ResponseReturnValue:
    """One report's table as CSV or XLSX."""
    if name not in TITLES or fmt not in ("csv", "xlsx"):
        abort(404)
    table = service.all_tables(db.session, today=dt.date.today())[name]
    return table_response(fmt, name, table.header, table.rows)
