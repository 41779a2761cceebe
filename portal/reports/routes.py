"""Blueprint "reports": AR aging, DSO, cash application, disputes, follow-up backlog."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from flask import Blueprint, abort, current_app, render_template
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from ..auth.decorators import staff_required
from ..banking.labels import LABELS as FINANCE_LABELS
from ..extensions import db
from ..filters import amount
from . import charts, service
from .export import table_response

bp = Blueprint("reports", __name__, url_prefix="/reports")
#: customer rows of the aging table shown on the page (the largest balances)
PAGE_ROWS = 50

TITLES = {
    "aging": _l("Receivables aging"),
    "dso": _l("Days sales outstanding"),
    "cash-application": _l("Cash application: automatic and manual"),
    "disputes": _l("Disputes opened and resolution time"),
    "followup-backlog": _l("Follow-up backlog"),
    "dimensions": _l("Receivables by region, segment, product line and account manager"),
}

#: what people read for the tables' column keys and coded values (exports keep the keys)
LABELS = {
    "customer": _l("Customer"),
    "name": _l("Name"),
    "currency": _l("Currency"),
    "current": _l("Not yet due"),
    "1-30": _l("1-30 days"),
    "31-60": _l("31-60 days"),
    "61-90": _l("61-90 days"),
    "90+": _l("Over 90 days"),
    "total": _l("Total"),
    "month_end": _l("Month end"),
    "receivables": _l("Receivables"),
    "sales_90_days": _l("Sales, last 90 days"),
    "dso_days": _l("DSO (days)"),
    "month": _l("Month"),
    "automatic": _l("Automatic"),
    "manual": _l("Manual"),
    "automatic_rate": _l("Automatic share"),
    "opened": _l("Opened"),
    "resolved": _l("Resolved"),
    "avg_days_to_resolve": _l("Average days to resolve"),
    "kind": _l("Kind"),
    "owner": _l("Owner"),
    "open": _l("Open"),
    "past_due": _l("Past due"),
    "dimension": _l("Dimension"),
    "value": _l("Value"),
    "invoices": _l("Invoices"),
    "overdue": _l("Overdue"),
    "region": _l("Region"),
    "segment": _l("Segment"),
    "product_line": _l("Product line"),
    "account_manager": _l("Account manager"),
}


@bp.get("/")
@staff_required()
def index() -> ResponseReturnValue:
    """Every report with its chart and table."""
    cache = current_app.extensions.setdefault("concord.report_tables", {})
    tables = service.cached_tables(db.session(), cache, today=dt.date.today())
    rendered = []
    for name, table in tables.items():
        title = str(TITLES[name])
        points = [(_text(label), value) for label, value in table.chart]
        series = [(_text(label), values) for label, values in table.chart_series]
        if name == "dso":
            chart = charts.line_chart(points, title=title)
        elif series:
            chart = charts.bar_chart(points, title=title, series=series)
        else:
            chart = charts.bar_chart(points, title=title)
        rendered.append((name, title, chart, _screenful(table)))
    return render_template("reports/index.html", reports=rendered, cell=_cell, heading=_text)


def _screenful(table: service.Table) -> service.Table:
    """The table as the page shows it: the aging of the largest customers and the totals.

    A company's aging has a row per customer (20,000 of them); the page shows the
    :data:`PAGE_ROWS` largest balances and the total rows, the CSV/XLSX export every row.
    """
    if table.name != "aging" or len(table.rows) <= PAGE_ROWS:
        return table
    totals = [row for row in table.rows if row[0] == "TOTAL"]
    customers = [row for row in table.rows if row[0] != "TOTAL"]
    largest = sorted(customers, key=lambda row: row[-1], reverse=True)[:PAGE_ROWS]
    return dataclasses.replace(table, rows=largest + totals, hidden=len(customers) - PAGE_ROWS)


def _text(key: str) -> str:
    """The reader's words for a column key or coded value (follow-up kinds included)."""
    if key in LABELS:
        return str(LABELS[key])
    if key in FINANCE_LABELS:
        return str(FINANCE_LABELS[key])
    return key


def _cell(value: object) -> str:
    """Display a table cell: amounts grouped for the locale, ratios as given, empty as a dash."""
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return amount(value)
    if isinstance(value, str):
        return _text(value)
    return str(value)


@bp.get("/<name>.<fmt>")
@staff_required()
def export(name: str, fmt: str) -> ResponseReturnValue:
    """One report's table as CSV or XLSX."""
    if name not in TITLES or fmt not in ("csv", "xlsx"):
        abort(404)
    table = service.all_tables(db.session(), today=dt.date.today())[name]
    return table_response(fmt, name, table.header, table.rows)
