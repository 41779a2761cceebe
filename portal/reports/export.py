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

from ..downloads import content_disposition, xml_text

#: a cell starting with one of these is a formula to Excel/LibreOffice
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
    header: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str = "Data"
) -> bytes:
    """Render a table as an XLSX workbook; amounts stay numeric, dates stay dates."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31])
    ws.append([_xlsx(neutralise(h)) for h in header])
    for row in rows:
        ws.append([_xlsx(_cell(v)) for v in row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def table_response(
    fmt: str, filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> Response:
    """A download of the table as ``csv`` or ``xlsx`` (anything else is CSV)."""
    if fmt == "xlsx":
        body, mime, ext = xlsx_bytes(header, rows, title=filename), XLSX_MIME, "xlsx"
    else:
        body, mime, ext = csv_bytes(header, rows), "text/csv; charset=utf-8", "csv"
    response = Response(body, mimetype=mime)
    response.headers["Content-Disposition"] = content_disposition(f"{filename}.{ext}")
    return response
