"""Read the ERP's customer and invoice exports (the foundation issue's CSV columns).

customers: ``code,name,aliases,bank_accounts,currency`` (aliases and bank_accounts are
``;``-separated); invoices: ``number,customer,issue_date,due_date,currency,amount,open_amount,
po_number`` (dates ``YYYY-MM-DD``). UTF-8 with or without BOM, or GB18030; extra columns are
ignored. The Chinese names of the columns (:mod:`.erp_headers`) and the dates, amounts and
currency names Chinese ERPs write (:mod:`.erp_values`) are read too.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from ..currency import amount_text
from ..errors import MatchError
from ..parsers.codepages import decode_single_byte, reads_as_single_byte
from .erp_headers import canonical_names
from .erp_values import ErpValueError, read_erp_amount, read_erp_currency, read_erp_date
from .records import CustomerRecord, InvoiceRecord

T = TypeVar("T")

CUSTOMER_COLUMNS = ("code", "name", "aliases", "bank_accounts", "currency")
INVOICE_COLUMNS = (
    "number",
    "customer",
    "issue_date",
    "due_date",
    "currency",
    "amount",
    "open_amount",
    "po_number",
)


class ErpFileError(MatchError):
    """An ERP export is unreadable or has bad rows; the message lists every problem."""

    def __init__(self, file: str, problems: list[str]) -> None:
        shown = problems[:20]
        more = f" (and {len(problems) - 20} more)" if len(problems) > 20 else ""
        super().__init__(f"{file}: " + "; ".join(shown) + more)
        self.file = file
        self.problems = problems


class CsvLayoutError(ErpFileError):
    """An export that cannot be read as CSV rows at all; ``line`` and ``reason`` say why.

    ``code`` and ``params`` say the same for a reader in another language: ``not_text``
    (``byte``), ``nul``, ``no_header``, ``bad_header`` (``detail``), ``missing_column``
    (``columns``), ``same_column`` (``column``, ``headers``: two header cells, e.g. ``金额`` and
    ``价税合计``, name one column) or ``bad_csv`` (``detail``).
    """

    def __init__(self, file: str, line: int, reason: str, code: str, **params: str) -> None:
        super().__init__(file, [f"line {line}: {reason}"])
        self.line = line
        self.reason = reason
        self.code = code
        self.params = params


def decode(data: bytes, *, file: str = "export.csv") -> str:
    """Decode an export: UTF-8 (with or without BOM), else GB18030 (Chinese Windows Excel).

    An export whose other bytes are accented letters inside Latin words (a European ERP's
    Windows-1252 or Windows-1250 export: ``Spółka``, ``Müller``) is read in the single-byte code
    page that reads best, as bank CSV files are (:mod:`reconcile.parsers.codepages`).

    :raises CsvLayoutError: the bytes are none of these.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if reads_as_single_byte(data):
        return decode_single_byte(data)[0]
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise CsvLayoutError(
            file,
            1,
            f"the file is neither UTF-8 nor GB18030 (byte {exc.start})",
            "not_text",
            byte=str(exc.start),
        ) from exc


def read_rows(
    data: bytes,
    required: Sequence[str],
    *,
    file: str = "export.csv",
    vocabulary: str | None = None,
) -> list[tuple[int, dict[str, str]]]:
    """Return the data rows of an ERP export keyed by (lower-case) header name.

    The one reader of the ERP's CSV layout, shared by ``reconcile match`` and the portal's
    import. Each row comes with the line it starts on (a quoted field may span lines); rows
    with only blanks are skipped; a short row lacks its last columns (absent, not empty).

    :param vocabulary: the kind of file (``customers``, ``invoices``, ``contacts``,
        ``contracts``): its columns' Chinese names are read as the English ones
        (:mod:`.erp_headers`).
    :raises CsvLayoutError: undecodable, a NUL character, no header, a column named twice, a
        required column missing from the header, or unreadable CSV.
    """
    text = decode(data, file=file)
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise CsvLayoutError(file, line, "the file contains a NUL character", "nul")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header, twice = canonical_names(next(reader), vocabulary)
    except StopIteration:
        raise CsvLayoutError(file, 1, "the file is empty (no header row)", "no_header") from None
    except csv.Error as exc:
        raise CsvLayoutError(
            file, 1, f"unreadable CSV header: {exc}", "bad_header", detail=str(exc)
        ) from None
    for column, cells in twice.items():
        headers = ", ".join(cells)
        raise CsvLayoutError(
            file,
            1,
            f"columns {headers} all name the column {column}: keep one",
            "same_column",
            column=column,
            headers=headers,
        )
    missing = [name for name in required if name not in header]
    if missing:
        columns = ", ".join(missing)
        raise CsvLayoutError(
            file, 1, f"missing column: {columns}", "missing_column", columns=columns
        )
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        start = reader.line_num + 1
        for values in reader:
            line, start = start, reader.line_num + 1
            if not any(value.strip() for value in values):
                continue
            rows.append((line, {name: value for name, value in zip(header, values, strict=False)}))
    except csv.Error as exc:
        raise CsvLayoutError(
            file, reader.line_num, f"unreadable CSV: {exc}", "bad_csv", detail=str(exc)
        ) from None
    return rows


def _rows(
    data: bytes, file: str, required: tuple[str, ...], vocabulary: str
) -> Iterator[tuple[int, dict[str, str]]]:
    for line, row in read_rows(data, required, file=file, vocabulary=vocabulary):
        yield line, {**dict.fromkeys(required, ""), **{k: v.strip() for k, v in row.items()}}


def _split(value: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in value.split(";") if p.strip())


def read_customers(data: bytes, *, file: str = "customers.csv") -> list[CustomerRecord]:
    """Return the customers of an ERP export.

    :raises ErpFileError: listing every bad row (missing code or name, duplicate code).
    """
    out: list[CustomerRecord] = []
    problems: list[str] = []
    seen: set[str] = set()
    for line, row in _rows(data, file, ("code", "name"), "customers"):
        code, name = row.get("code", ""), row.get("name", "")
        if not code or not name:
            problems.append(f"line {line}: code and name are required")
            continue
        try:
            currency = read_erp_currency(row.get("currency") or "CNY")
        except ErpValueError as exc:
            problems.append(f"line {line}: {exc}")
            continue
        if code in seen:
            problems.append(f"line {line}: duplicate code {code}")
            continue
        seen.add(code)
        out.append(
            CustomerRecord(
                code,
                name,
                _split(row.get("aliases", "")),
                _split(row.get("bank_accounts", "")),
                currency,
            )
        )
    if problems:
        raise ErpFileError(file, problems)
    return out


def _values(row: dict[str, str]) -> tuple[dt.date, dt.date, str, Decimal, Decimal]:
    """The dates, currency and amounts of an invoice row (:mod:`.erp_values`).

    :raises ErpValueError: naming every cell that is not readable (``; ``-joined).
    """
    problems: list[str] = []

    def read(reader: Callable[..., T], *args: Any) -> T | None:
        try:
            return reader(*args)
        except ErpValueError as exc:
            problems.append(str(exc))
            return None

    issue, due = read(read_erp_date, row["issue_date"]), read(read_erp_date, row["due_date"])
    currency = read(read_erp_currency, row["currency"] or "CNY")
    amount = read(read_erp_amount, row["amount"], currency)
    open_amount = read(read_erp_amount, row["open_amount"], currency)
    if problems:
        raise ErpValueError("bad_values", "; ".join(problems))
    assert issue is not None and due is not None and currency is not None
    assert amount is not None and open_amount is not None
    return issue, due, currency, amount, open_amount


def read_invoices(
    data: bytes, *, file: str = "invoices.csv", customers: set[str] | None = None
) -> list[InvoiceRecord]:
    """Return the invoices of an ERP export.

    :param customers: known customer codes; an invoice of another customer is a bad row.
    :raises ErpFileError: listing every bad row (bad date or amount, negative amount, open amount
        above amount, duplicate number, unknown customer).
    """
    out: list[InvoiceRecord] = []
    problems: list[str] = []
    seen: set[str] = set()
    for line, row in _rows(data, file, INVOICE_COLUMNS[:7], "invoices"):
        number = row["number"]
        try:
            issue, due, currency, amount, open_amount = _values(row)
        except ErpValueError as exc:
            problems.append(f"line {line}: {exc}")
            continue
        if not number:
            problems.append(f"line {line}: number is required")
        elif number in seen:
            problems.append(f"line {line}: duplicate number {number}")
        elif amount < 0 or open_amount < 0:
            problems.append(f"line {line}: negative amount")
        elif open_amount > amount:
            problems.append(f"line {line}: open amount above amount")
        elif customers is not None and row["customer"] not in customers:
            problems.append(f"line {line}: unknown customer {row['customer']}")
        else:
            seen.add(number)
            out.append(
                InvoiceRecord(
                    number,
                    row["customer"],
                    issue,
                    due,
                    currency,
                    amount,
                    open_amount,
                    row.get("po_number") or None,
                )
            )
    if problems:
        raise ErpFileError(file, problems)
    return out


def load_customers(path: str | Path) -> list[CustomerRecord]:
    """Read ``customers.csv`` from ``path`` (see ``read_customers``)."""
    p = Path(path)
    return read_customers(p.read_bytes(), file=str(p))


def load_invoices(path: str | Path, *, customers: set[str] | None = None) -> list[InvoiceRecord]:
    """Read ``invoices.csv`` from ``path`` (see ``read_invoices``)."""
    p = Path(path)
    return read_invoices(p.read_bytes(), file=str(p), customers=customers)


def write_customers(customers: list[CustomerRecord]) -> bytes:
    """Return ``customers`` as an ERP export (UTF-8 with BOM), the inverse of ``read_customers``."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CUSTOMER_COLUMNS)
    for c in customers:
        w.writerow([c.code, c.name, ";".join(c.aliases), ";".join(c.bank_accounts), c.currency])
    return buf.getvalue().encode("utf-8-sig")


def write_invoices(invoices: list[InvoiceRecord]) -> bytes:
    """Return ``invoices`` as an ERP export (UTF-8 with BOM), the inverse of ``read_invoices``."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(INVOICE_COLUMNS)
    for i in invoices:
        w.writerow(
            [
                i.number,
                i.customer,
                i.issue_date.isoformat(),
                i.due_date.isoformat(),
                i.currency,
                amount_text(i.amount, None),
                amount_text(i.open_amount, None),
                i.po_number or "",
            ]
        )
    return buf.getvalue().encode("utf-8-sig")
