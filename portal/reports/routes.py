"""Blueprint "reports": AR aging, DSO, cash application, disputes, follow-up backlog."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from flask import Blueprint, abort, current_app, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..auth.decorators import staff_required
from ..banking.labels import LABELS as FINANCE_LABELS
from ..extensions import db
from ..filters import amount
from ..models import Role
from . import charts, dimensions, service
from .dimensions import DimensionReport, Period, ReportError, Scope
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

#: what people read for the tables' column keys and coded values (the page and the XLSX
#: header; the CSV keeps the keys)
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
    labels = [_text(key) for key in table.header]
    return table_response(fmt, name, table.header, table.rows, labels=labels, title=TITLES[name])


# --- receivables by a dimension -------------------------------------------------------------

#: rows of the dimension table per page
DIMENSION_ROWS = 50
#: the default period: the last 90 days (the DSO's usual window)
DEFAULT_DAYS = 90

DIMENSION_LABELS = {
    "customer": _l("Customer"),
    "region": _l("Region"),
    "product_line": _l("Product line"),
    "segment": _l("Segment"),
    "account_manager": _l("Account manager"),
}
#: the table's columns: key (CSV header) and what people read (page and XLSX)
DIMENSION_COLUMNS = (
    ("currency", _l("Currency")),
    ("customers", _l("Customers with open items")),
    ("current", _l("Not yet due")),
    ("1-30", _l("1-30 days")),
    ("31-60", _l("31-60 days")),
    ("61-90", _l("61-90 days")),
    ("90+", _l("Over 90 days")),
    ("total", _l("Open at period end")),
    ("overdue", _l("Overdue")),
    ("opening", _l("Open at period start")),
    ("sales", _l("Invoiced in period")),
    ("collected", _l("Collected in period")),
    ("dso_days", _l("DSO (days)")),
    ("cei", _l("CEI (%)")),
)


def report_scope() -> Scope:
    """Sales see their own customers (they are the account manager); other staff see all."""
    if current_user.role is Role.SALES:
        return Scope(manager_id=current_user.id)
    return Scope()


def _date_arg(name: str, default: dt.date) -> dt.date:
    raw = request.args.get(name, "").strip()
    if not raw:
        return default
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ReportError(
            _("%(name)s: %(value)s is not a date (use YYYY-MM-DD)", name=name, value=raw[:20])
        ) from None


def report_period() -> Period:
    """The ``from``/``to`` of the request (default: the last 90 days up to today)."""
    end = _date_arg("to", dt.date.today())
    start = _date_arg("from", end - dt.timedelta(days=DEFAULT_DAYS - 1))
    return Period(start, end)


def report_currency(scope: Scope) -> tuple[str, list[str]]:
    """The ``currency`` asked for (default: the most invoiced) and the currencies to offer."""
    offered = dimensions.currencies(db.session(), scope)
    currency = request.args.get("currency", "").strip().upper()
    if not currency:
        return (offered[0] if offered else "CNY"), offered
    if len(currency) != 3 or not currency.isalpha():
        raise ReportError(_("%(value)s is not a currency code", value=currency[:10]))
    return currency, offered


def _dimension_request() -> tuple[DimensionReport, list[str], Scope]:
    dimension = request.args.get("dimension", "customer")
    if dimension not in dimensions.DIMENSIONS:
        raise ReportError(
            _(
                "Unknown dimension %(value)s: choose customer, region, product_line, "
                "segment or account_manager",
                value=dimension[:40],
            )
        )
    scope = report_scope()
    currency, offered = report_currency(scope)
    value = request.args.get("value")
    if dimension == "customer":
        value = None  # a customer's own page is the drill-down
    report = dimensions.cached_report(
        db.session(),
        current_app.extensions.setdefault("concord.dimension_reports", {}),
        dimension=dimension,
        currency=currency,
        period=report_period(),
        scope=scope,
        value=value,
    )
    return report, offered, scope


def dimension_cells(report: DimensionReport, row: dimensions.DimensionRow) -> list[object]:
    """One row of the table as shown and exported (after the dimension's label)."""
    return [
        report.currency,
        row.customers,
        *(row.buckets[b] for b in dimensions.BUCKETS),
        row.total,
        row.overdue,
        row.opening,
        row.sales,
        row.collected,
        row.dso(report.period.days),
        row.cei,
    ]


def _dimension_heading(report: DimensionReport) -> str:
    return "customer" if report.value is not None else report.dimension


@bp.get("/by-dimension")
@staff_required()
def dimensions_page() -> ResponseReturnValue:
    """Aging, overdue, DSO, collections and CEI by a dimension, one currency at a time."""
    report, offered, scope = _dimension_request()
    page = max(1, request.args.get("page", 1, type=int) or 1)
    pages = max(1, -(-len(report.rows) // DIMENSION_ROWS))
    page = min(page, pages)
    shown = report.rows[(page - 1) * DIMENSION_ROWS : page * DIMENSION_ROWS]
    top = report.rows[:12]
    chart = charts.bar_chart(
        [(row.label[:14] or "—", float(row.total)) for row in top],
        title=str(_l("Open at period end")),
        series=[
            (str(_l("Not yet due")), [float(row.current) for row in top]),
            (str(_l("Overdue")), [float(row.overdue) for row in top]),
        ],
    )
    args = {
        "dimension": report.dimension,
        "currency": report.currency,
        "from": report.period.start.isoformat(),
        "to": report.period.end.isoformat(),
    }
    if report.value is not None:
        args["value"] = report.value
    return render_template(
        "reports/dimensions.html",
        report=report,
        rows=shown,
        page=page,
        pages=pages,
        args=args,
        offered=offered,
        own_only=scope.manager_id is not None,
        chart=chart if top else None,
        columns=DIMENSION_COLUMNS,
        dimension_labels=DIMENSION_LABELS,
        heading=_dimension_heading(report),
        cells=dimension_cells,
        cell=_cell,
        value_label=_value_label(report),
    )


def _value_label(report: DimensionReport) -> str | None:
    """What the drill-down is into, as people read it (a manager's name, "none given")."""
    if report.value is None:
        return None
    if report.value == "":
        return _("none given")
    if report.dimension == "account_manager":
        manager = db.session.get(service.User, int(report.value))
        return (manager.name or manager.email) if manager else report.value
    return report.value


@bp.get("/by-dimension.<fmt>")
@staff_required()
def dimensions_export(fmt: str) -> ResponseReturnValue:
    """The dimension table as shown on the page (every page of it) as CSV or XLSX."""
    if fmt not in ("csv", "xlsx"):
        abort(404)
    report, _offered, _scope = _dimension_request()
    heading = _dimension_heading(report)
    rows = [(row.label, *dimension_cells(report, row)) for row in [*report.rows, report.totals]]
    rows[-1] = (str(_l("Total")), *rows[-1][1:])
    name = f"receivables-by-{report.dimension.replace('_', '-')}-{report.currency}"
    return table_response(
        fmt,
        name,
        (heading, *(key for key, _label in DIMENSION_COLUMNS)),
        rows,
        labels=(
            str(DIMENSION_LABELS[heading]),
            *(str(label) for _key, label in DIMENSION_COLUMNS),
        ),
    )
