"""Blueprint "reports": AR aging, DSO, cash application, disputes, follow-up backlog."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
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
from ..models import Role, User
from . import charts, dimensions, effectiveness, forecast, service
from .dimensions import ZERO, DimensionReport, Period, ReportError, Scope
from .export import columns_response, table_response
from .labels import LABELS, TITLES, columns

bp = Blueprint("reports", __name__, url_prefix="/reports")
#: a report page's table to download: the file name, the columns (key, label), the rows
Download = tuple[str, Sequence[tuple[str, object]], Sequence[Sequence[object]]]
#: customer rows of the aging table shown on the page (the largest balances)
PAGE_ROWS = 50


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
        bars = [(label, value or 0.0) for label, value in points]
        if name == "dso":
            chart = charts.line_chart(points, title=title)
        elif series:
            chart = charts.bar_chart(bars, title=title, series=series)
        else:
            chart = charts.bar_chart(bars, title=title)
        rendered.append((name, title, chart, _screenful(table)))
    return render_template("reports/index.html", reports=rendered, cell=_cell, heading=_text)


def _screenful(table: service.Table) -> service.Table:
    """The table as the page shows it: the aging of the largest customers and the totals.

    A company's aging has a row per customer (20,000 of them); the page shows the
    :data:`PAGE_ROWS` largest balances and the total rows, the CSV/XLSX export every row.
    """
    if table.name != "aging":
        return table
    # a total row reads "Total" (合计) in the reader's language; the export keeps "TOTAL"
    totals = [(_("Total"), *row[1:]) for row in table.rows if row[0] == "TOTAL"]
    customers = [row for row in table.rows if row[0] != "TOTAL"]
    if len(customers) <= PAGE_ROWS:
        return dataclasses.replace(table, rows=customers + totals)
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


#: columns holding a percentage (one decimal, shown with a per-cent sign)
PERCENT_KEYS = frozenset({"cei", "promise_kept_rate", "confirmation_rate"})
#: columns holding a ratio or a number of days (one decimal, not an amount)
RATIO_KEYS = PERCENT_KEYS | {"dso_days"}


def figure(value: object, key: str) -> str:
    """Display a cell of the column ``key``: ratios with one decimal, amounts grouped."""
    if key in RATIO_KEYS and isinstance(value, Decimal):
        return f"{value} %" if key in PERCENT_KEYS else str(value)
    return _cell(value)


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

#: the dimensions in the order the page offers them, with their words
DIMENSION_LABELS = {dimension: LABELS[dimension] for dimension in dimensions.DIMENSIONS}
#: the table's columns: key (CSV header) and what people read (page and XLSX)
DIMENSION_COLUMNS = columns(
    "currency",
    "customers",
    *dimensions.BUCKETS,
    "total",
    "overdue",
    "opening",
    "sales",
    "collected",
    "dso_days",
    "cei",
    total=LABELS["ending"],
)


def _report_cache() -> dict[object, object]:
    """This app's cache of the dimension, effectiveness and forecast reports."""
    cache: dict[object, object] = current_app.extensions.setdefault("concord.dimension_reports", {})
    return cache


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
    offered = dimensions.cached(
        db.session(),
        _report_cache(),
        ("currencies", scope),
        lambda: dimensions.currencies(db.session(), scope),
    )
    currency = request.args.get("currency", "").strip().upper()
    if not currency:
        return (offered[0] if offered else "CNY"), offered
    if len(currency) != 3 or not currency.isalpha():
        raise ReportError(_("%(value)s is not a currency code", value=currency[:10]))
    return currency, offered


def _report_page(
    template: str, report: object, offered: list[str], scope: Scope, **context: object
) -> str:
    """Render a report page with what every report page shows: the report, the currencies
    offered, whether only the user's own customers count, and how cells are written."""
    return render_template(
        template,
        report=report,
        offered=offered,
        own_only=scope.manager_id is not None,
        figure=figure,
        **context,
    )


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
    period = report_period()
    report = dimensions.cached(
        db.session(),
        _report_cache(),
        ("dimension", dimension, currency, period, scope, value),
        lambda: dimensions.dimension_report(
            db.session(),
            dimension=dimension,
            currency=currency,
            period=period,
            scope=scope,
            value=value,
        ),
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
        [(_chart_label(report, row), float(row.total)) for row in top],
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
    return _report_page(
        "reports/dimensions.html",
        report,
        offered,
        scope,
        rows=shown,
        page=page,
        pages=pages,
        args=args,
        chart=chart if top else None,
        columns=DIMENSION_COLUMNS,
        dimension_labels=DIMENSION_LABELS,
        heading=_dimension_heading(report),
        cells=dimension_cells,
        value_label=_value_label(report),
    )


def _chart_label(report: DimensionReport, row: dimensions.DimensionRow) -> str:
    """A bar's label: a customer's code, else the value (short: twelve bars share the width)."""
    if row.key == "":
        return _("none given")[:8]
    if row.customer_id is not None:
        return row.label.split(" ", 1)[0][:8]
    return row.label[:8]


def _value_label(report: DimensionReport) -> str | None:
    """What the drill-down is into, as people read it (a manager's name, "none given")."""
    if report.value is None:
        return None
    if report.value == "":
        return _("none given")
    if report.dimension == "account_manager":
        manager = db.session.get(User, int(report.value))
        return (manager.name or manager.email) if manager else report.value
    return report.value


def _dimension_download() -> Download:
    """The dimension table as shown on the page (every page of it)."""
    report, _offered, _scope = _dimension_request()
    heading = _dimension_heading(report)
    rows = [(row.label, *dimension_cells(report, row)) for row in [*report.rows, report.totals]]
    rows[-1] = (str(_l("Total")), *rows[-1][1:])
    return (
        f"receivables-by-{report.dimension.replace('_', '-')}-{report.currency}",
        ((heading, DIMENSION_LABELS[heading]), *DIMENSION_COLUMNS),
        rows,
    )


# --- collection effectiveness: CEI, promises kept, statements confirmed ------------------------

EFFECTIVENESS_COLUMNS = columns(
    "period",
    "currency",
    "opening",
    "sales",
    "ending",
    "ending_current",
    "cei",
    "collected",
    "promises_kept",
    "promises_broken",
    "promise_kept_rate",
    "statements_issued",
    "statements_confirmed",
    "confirmation_rate",
)


def _period_label(period: Period) -> str:
    first = period.start.day == 1
    last = (period.end + dt.timedelta(days=1)).day == 1
    if first and last and period.start.month == period.end.month:
        return period.start.strftime("%Y-%m")
    return f"{period.start.isoformat()} – {period.end.isoformat()}"


def effectiveness_cells(row: effectiveness.Effectiveness, currency: str) -> list[object]:
    """One row of the effectiveness table (label first) as shown and exported."""
    return [
        _period_label(row.period),
        currency,
        row.opening,
        row.sales,
        row.ending,
        row.ending_current,
        row.cei,
        row.collected,
        row.promises_kept,
        row.promises_broken,
        row.promise_kept_rate,
        row.statements_issued,
        row.statements_confirmed,
        row.confirmation_rate,
    ]


def _effectiveness_request() -> tuple[effectiveness.EffectivenessReport, list[str], Scope]:
    scope = report_scope()
    currency, offered = report_currency(scope)
    end = _date_arg("to", dt.date.today())
    six_months_back = (end.replace(day=1) - dt.timedelta(days=150)).replace(day=1)
    period = Period(_date_arg("from", six_months_back), end)
    report = dimensions.cached(
        db.session(),
        _report_cache(),
        ("effectiveness", currency, period, scope),
        lambda: effectiveness.effectiveness(
            db.session(), currency=currency, period=period, scope=scope
        ),
    )
    return report, offered, scope


@bp.get("/effectiveness")
@staff_required()
def effectiveness_page() -> ResponseReturnValue:
    """CEI, collections, promise-kept and statement confirmation rates per month."""
    report, offered, scope = _effectiveness_request()
    points = [(m.period.start.strftime("%Y-%m"), float(m.cei or 0)) for m in report.months]
    args = {
        "currency": report.currency,
        "from": report.period.start.isoformat(),
        "to": report.period.end.isoformat(),
    }
    rows = [effectiveness_cells(m, report.currency) for m in report.months]
    return _report_page(
        "reports/effectiveness.html",
        report,
        offered,
        scope,
        rows=rows,
        total=effectiveness_cells(report.total, report.currency),
        columns=EFFECTIVENESS_COLUMNS,
        args=args,
        chart=charts.line_chart(points, title=str(_l("CEI"))) if points else None,
    )


def _effectiveness_download() -> Download:
    """The effectiveness table as shown: the months, then the whole period."""
    report, _offered, _scope = _effectiveness_request()
    rows = [effectiveness_cells(m, report.currency) for m in [*report.months, report.total]]
    return f"collection-effectiveness-{report.currency}", EFFECTIVENESS_COLUMNS, rows


# --- cash forecast by week -----------------------------------------------------------------

FORECAST_COLUMNS = columns(
    "week",
    "week_end",
    "currency",
    "from_due_dates",
    "from_promises",
    "total",
    total=_l("Expected"),
)


def forecast_rows(report: forecast.Forecast) -> list[list[object]]:
    """The forecast table as shown and exported: late items, the weeks, then later."""
    c = report.currency
    rows: list[list[object]] = [
        [str(_l("Late beyond the usual delay")), "", c, report.late, ZERO, report.late]
    ]
    for week in report.weeks:
        rows.append(
            [
                week.start.isoformat(),
                week.end.isoformat(),
                c,
                week.from_due_dates,
                week.from_promises,
                week.total,
            ]
        )
    rows.append([str(_l("Later")), "", c, report.later, ZERO, report.later])
    rows.append([str(_l("Under open dispute")), "", c, report.disputed, ZERO, report.disputed])
    return rows


def _forecast_request() -> tuple[forecast.Forecast, list[str], Scope]:
    scope = report_scope()
    currency, offered = report_currency(scope)
    today = dt.date.today()
    report = dimensions.cached(
        db.session(),
        _report_cache(),
        ("forecast", currency, today, scope),
        lambda: forecast.cash_forecast(db.session(), currency=currency, today=today, scope=scope),
    )
    return report, offered, scope


@bp.get("/forecast")
@staff_required()
def forecast_page() -> ResponseReturnValue:
    """Expected receipts per week for the next 13 weeks, with the method used."""
    report, offered, scope = _forecast_request()
    labels = [w.start.strftime("%m-%d") for w in report.weeks]
    chart = charts.bar_chart(
        [(label, float(w.total)) for label, w in zip(labels, report.weeks, strict=True)],
        title=str(_l("Cash forecast by week")),
        series=[
            (str(_l("Due dates")), [float(w.from_due_dates) for w in report.weeks]),
            (str(_l("Promises")), [float(w.from_promises) for w in report.weeks]),
        ],
    )
    return _report_page(
        "reports/forecast.html",
        report,
        offered,
        scope,
        rows=forecast_rows(report),
        columns=FORECAST_COLUMNS,
        chart=chart,
        history_days=forecast.HISTORY_DAYS,
    )


def _forecast_download() -> Download:
    """The forecast table as shown."""
    report, _offered, _scope = _forecast_request()
    return f"cash-forecast-{report.currency}", FORECAST_COLUMNS, forecast_rows(report)


#: the reports whose page table downloads as it is shown: what builds each download
DOWNLOADS: dict[str, Callable[[], Download]] = {
    "by-dimension": _dimension_download,
    "effectiveness": _effectiveness_download,
    "forecast": _forecast_download,
}


@bp.get(
    "/by-dimension.<any(csv,xlsx):fmt>",
    endpoint="dimensions_export",
    defaults={"page": "by-dimension"},
)
@bp.get(
    "/effectiveness.<any(csv,xlsx):fmt>",
    endpoint="effectiveness_export",
    defaults={"page": "effectiveness"},
)
@bp.get("/forecast.<any(csv,xlsx):fmt>", endpoint="forecast_export", defaults={"page": "forecast"})
@staff_required()
def page_export(page: str, fmt: str) -> ResponseReturnValue:
    """The table of a report's page, as shown (every page of it), as CSV or XLSX."""
    filename, columns, rows = DOWNLOADS[page]()
    return columns_response(fmt, filename, columns, rows)
