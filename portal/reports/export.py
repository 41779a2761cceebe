"""Tables as CSV or XLSX downloads, with spreadsheet formula injection neutralised."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from flask import Response
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ..downloads import content_disposition, xml_text

#: a cell starting with one of these is a formula to Excel/LibreOffice
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: how amounts look in a spreadsheet: grouped thousands, two decimals, negatives with a minus
MONEY_FORMAT = "#,##0.00"


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
    return xml_text(value) if isinstance(value, str) else value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """Render a table as UTF-8 CSV with a BOM (so Excel reads Chinese correctly)."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([v.isoformat() if isinstance(v, dt.date) else _cell(v) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def xlsx_bytes(
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    title: str = "Data",
    formatted: bool = False,
) -> bytes:
    """Render a table as an XLSX workbook; amounts stay numeric, dates stay dates.

    With ``formatted`` the header row is bold and frozen, amounts (``Decimal``) show with
    thousands separators and two decimals, and the columns are wide enough to read.
    """
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=xml_text(title)[:31] or "Data")
    if not formatted:
        ws.append([_xlsx(neutralise(h)) for h in header])
        for row in rows:
            ws.append([_xlsx(_cell(v)) for v in row])
    else:
        ws.freeze_panes = "A2"
        for i, h in enumerate(header):
            width = max(12, min(48, len(str(h)) * 2 + 2))
            ws.column_dimensions[get_column_letter(i + 1)].width = width
        bold = Font(bold=True)
        cells = []
        for h in header:
            cell = WriteOnlyCell(ws, value=_xlsx(neutralise(str(h))))
            cell.font = bold
            cells.append(cell)
        ws.append(cells)
        for row in rows:
            out: list[Any] = []
            for v in row:
                value = _xlsx(_cell(v))
                if isinstance(v, Decimal):
                    cell = WriteOnlyCell(ws, value=value)
                    cell.number_format = MONEY_FORMAT
                    out.append(cell)
                else:
                    out.append(value)
            ws.append(out)
    out_file = io.BytesIO()
    wb.save(out_file)
    return out_file.getvalue()


def table_response(
    fmt: str,
    filename: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    xlsx_header: Sequence[str] | None = None,
) -> Response:
    """A download of the table as ``csv`` or ``xlsx`` (anything else is CSV).

    ``xlsx_header`` (the column names people read) makes a formatted workbook: bold frozen
    header, amounts with thousands separators; the CSV keeps ``header`` (stable keys).
    """
    if fmt == "xlsx":
        body = (
            xlsx_bytes(xlsx_header, rows, title=filename, formatted=True)
            if xlsx_header is not None
            else xlsx_bytes(header, rows, title=filename)
        )
        mime, ext = XLSX_MIME, "xlsx"
    else:
        body, mime, ext = csv_bytes(header, rows), "text/csv; charset=utf-8", "csv"
    response = Response(body, mimetype=mime)
    response.headers["Content-Disposition"] = content_disposition(f"{filename}.{ext}")
    return response
