"""Tables as CSV or XLSX downloads, with spreadsheet formula injection neutralised.

Every XLSX file Concord writes comes from :func:`xlsx_workbook`: a bold header row that stays
in view (frozen) with a filter, money as ``#,##0.00``, dates as dates, columns wide enough for
what they hold. CSV files keep their column keys (scripts and ERP imports read them by name);
an XLSX file is for people and gets the reader's words for the columns.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Generic, TypeVar

from flask import Response
from flask_babel import get_timezone

from ..downloads import content_disposition, xml_text

#: a cell starting with one of these is a formula to Excel/LibreOffice
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Item = TypeVar("Item")
Row = TypeVar("Row")

#: number formats of the XLSX cells, by the value's type
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
#: column widths (in characters) are measured on this many rows, kept between these bounds
_WIDTH_SAMPLE = 500
_MIN_WIDTH = 6
_MAX_WIDTH = 60


def money_format(value: Decimal) -> str:
    """``#,##0.00``, or with the three or four decimals the amount has (``KWD 1,250.375``)."""
    places = -int(value.as_tuple().exponent) if value.is_finite() else 2
    return MONEY_FORMAT if places <= 2 else "#,##0." + "0" * min(places, 4)


def neutralise(value: Any) -> Any:
    """Return ``value`` safe for a spreadsheet: text starting with ``= + - @`` gets a ``'``.

    Numbers stay numbers (a negative amount is not a formula); only text is touched.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, Decimal | int | float | dt.date):
        return value
    return neutralise(str(value))


def _xlsx(value: Any) -> Any:
    # any stored text: characters XML cannot hold would make openpyxl refuse the whole file
    if isinstance(value, str):
        return xml_text(value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        # Excel has no time zones: the time as people here read it (the configured zone)
        return value.astimezone(get_timezone() or dt.UTC).replace(tzinfo=None)
    return value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """Render a table as UTF-8 CSV with a BOM (so Excel reads Chinese correctly)."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([v.isoformat() if isinstance(v, dt.date) else _cell(v) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


@dataclass(frozen=True)
class Sheet:
    """One worksheet: its title, the header row people read, and the rows."""

    title: str
    header: Sequence[Any]
    rows: Iterable[Sequence[Any]] = field(default=())


def _text_width(text: str) -> int:
    # Chinese characters take two columns' room
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _shown_width(value: Any) -> int:
    if isinstance(value, Decimal):
        return len(f"{value:,.2f}")
    if isinstance(value, dt.datetime):
        return 16
    if isinstance(value, dt.date):
        return 10
    if value is None:
        return 0
    return max((_text_width(line) for line in str(value).splitlines()), default=0)


def _sheet_title(title: str) -> str:
    """A worksheet name Excel accepts: at most 31 characters, none of ``[]:*?/\\``."""
    clean = re.sub(r"[\[\]:*?/\\]", " ", xml_text(title))
    return re.sub(r" {2,}", " ", clean).strip(" '")[:31].strip() or "Data"


def _write_sheet(wb: Any, sheet: Sheet) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title=_sheet_title(sheet.title))
    header = [xml_text(str(neutralise(str(h)))) for h in sheet.header]
    rows = iter(sheet.rows)
    # widths come from the header and the first rows (an export may hold 200,000 rows)
    sample = [[_xlsx(_cell(v)) for v in row] for row in itertools.islice(rows, _WIDTH_SAMPLE)]
    for i, name in enumerate(header):
        widest = max([_text_width(name) + 2, *(_shown_width(r[i]) for r in sample if i < len(r))])
        ws.column_dimensions[get_column_letter(i + 1)].width = min(
            max(widest + 2, _MIN_WIDTH), _MAX_WIDTH
        )
    ws.freeze_panes = "A2"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="E3F0EC")
    wrap = Alignment(vertical="top", wrap_text=True)
    cells = []
    for name in header:
        cell = WriteOnlyCell(ws, value=name)
        cell.font, cell.fill, cell.alignment = bold, fill, wrap
        cells.append(cell)
    ws.append(cells)

    def styled(value: Any) -> Any:
        if isinstance(value, Decimal | dt.date):
            cell = WriteOnlyCell(ws, value=value)
            if isinstance(value, Decimal):
                cell.number_format = money_format(value)
            elif isinstance(value, dt.datetime):
                cell.number_format = DATETIME_FORMAT
            else:
                cell.number_format = DATE_FORMAT
            return cell
        return value

    count = 0
    for row in itertools.chain(sample, ([_xlsx(_cell(v)) for v in row] for row in rows)):
        ws.append([styled(v) for v in row])
        count += 1
    if header:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{count + 1}"


def xlsx_workbook(sheets: Sequence[Sheet]) -> bytes:
    """Render sheets as one XLSX workbook (the one writer of every XLSX export).

    Amounts stay numbers formatted ``#,##0.00``, dates stay dates; the header row is bold,
    frozen and filtered; text is neutralised against formulas and cleaned for XML.
    """
    # imported here: openpyxl takes half a second to import, and most requests never need it
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for sheet in sheets:
        _write_sheet(wb, sheet)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def xlsx_bytes(
    header: Sequence[Any], rows: Iterable[Sequence[Any]], *, title: str = "Data"
) -> bytes:
    """Render one table as an XLSX workbook (see :func:`xlsx_workbook`)."""
    return xlsx_workbook([Sheet(title, header, rows)])


def table_response(
    fmt: str,
    filename: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    labels: Sequence[Any] | None = None,
    title: Any = None,
    more_sheets: Sequence[Sheet] = (),
) -> Response:
    """A download of the table as ``csv`` or ``xlsx`` (anything else is CSV).

    :param header: the column keys (the CSV header).
    :param labels: what people read for each column (the XLSX header; default the keys).
    :param title: the first worksheet's name (default ``filename``).
    :param more_sheets: further worksheets of the XLSX file (the CSV has the table only).
    """
    if fmt == "xlsx":
        first = Sheet(str(title or filename), list(labels or header), rows)
        body, mime, ext = xlsx_workbook([first, *more_sheets]), XLSX_MIME, "xlsx"
    else:
        body, mime, ext = csv_bytes(header, rows), "text/csv", "csv"  # Werkzeug adds the charset
    response = Response(body, mimetype=mime)
    response.headers["Content-Disposition"] = content_disposition(f"{filename}.{ext}")
    return response


class Columns(Generic[Item]):
    """A download's columns, each ``(key, label, value)``: the CSV key, what people read in the
    XLSX header, and how the column's value is read from one ``Item`` (one row)."""

    def __init__(self, *columns: tuple[str, Any, Callable[[Item], Any]]) -> None:
        self.columns = columns

    @property
    def header(self) -> tuple[tuple[str, Any], ...]:
        """``(key, label)`` of each column, as :func:`columns_response` takes them."""
        return tuple((key, label) for key, label, _value in self.columns)

    def rows(self, items: Iterable[Item]) -> Iterator[tuple[Any, ...]]:
        """One row per item, its values in the columns' order."""
        for item in items:
            yield tuple(value(item) for _key, _label, value in self.columns)

    def read_through(
        self, part: Callable[[Row], Item], *keys: str
    ) -> tuple[tuple[str, Any, Callable[[Row], Any]], ...]:
        """The columns ``keys``, read from the ``Item`` that ``part`` finds in another row: a
        download of rows that each hold an ``Item`` shows it as the ``Item``'s own does."""
        by_key = {column[0]: column for column in self.columns}
        return tuple(_through(part, *by_key[key]) for key in keys)


def _through(
    part: Callable[[Row], Item], key: str, label: Any, value: Callable[[Item], Any]
) -> tuple[str, Any, Callable[[Row], Any]]:
    return key, label, lambda row: value(part(row))


def columns_response(
    fmt: str,
    filename: str,
    columns: Sequence[tuple[str, Any]],
    rows: Iterable[Sequence[Any]],
    *,
    title: Any = None,
    more_sheets: Sequence[Sheet] = (),
) -> Response:
    """A download of ``rows`` under ``columns``: their keys head the CSV, their labels the XLSX.

    :param columns: ``(key, label)`` of each column, in the rows' order.
    """
    return table_response(
        fmt,
        filename,
        [key for key, _label in columns],
        rows,
        labels=[str(label) for _key, label in columns],
        title=title,
        more_sheets=more_sheets,
    )
