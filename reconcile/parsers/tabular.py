"""CSV and XLSX bank exports: any bank, found by the column names, or a layout mapping file.

The reader detects the encoding (UTF-8, UTF-8 with BOM, UTF-16 with BOM, GB18030, else
Windows-1252) and the delimiter, skips preamble lines before the header row (the row naming the
most known columns, see :mod:`.tabular_layouts`) and totals after the data, reads one signed
amount column or separate debit and credit columns (deciding the sign convention from the
running balance when there is one), and gives rows without a bank reference a stable synthetic
one so that uploading the same export twice is recognised. HTML tables saved as ``.xls``
(common in Chinese online banking) are read like CSV; binary ``.xls`` (BIFF8) workbooks with
``xlrd``. The other party comes from counterparty columns, one combined cell (CMB's 对手信息) or
payer and payee columns (BOC), where our own account (settings) decides which side is us.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from ..errors import LimitExceeded, ParseError
from ..layouts import builtin_layouts
from ..model import Direction, ParseSettings, StatementInfo, Transaction
from ..normalize import infer_dayfirst, parse_amount
from ..problems import problem
from ._common import LeftOut, set_counterparty
from .pdf_sections import find_period, yearless
from .tabular_io import (
    HEADER_SEARCH_ROWS,
    OLE2_MAGIC,
    SPREADSHEET_NS,
    Row,
    RowNames,
    csv_rows,
    decode,
    detect_delimiter,
    html_rows,
    spreadsheetml_rows,
    xls_rows,
    xlsx_rows,
)
from .tabular_layouts import normalise_header
from .tabular_locate import (
    PREVIEW_ROWS,
    Table,
    add_unnamed_mark_column,
    locate,
    names_date_and_amount,
)
from .tabular_masked import row_accounts
from .tabular_sign import Line, apply_sign, settle_our_side
from .tabular_values import (
    counterparty,
    currency_from_header,
    currency_from_symbols,
    currency_of,
    dayfirst_by_span,
    decimal_comma_of,
    direction_of_mark,
    has_amount,
    holder_name,
    is_card_statement,
    is_footer,
    is_neutral,
    is_summary,
    other_party_accounts,
    own_form,
    preamble_facts,
    read_date,
    signed_amount,
    unmarked_side,
)
from .tabular_words import DEFAULT_SKIP_STATES, NOT_PAID_STATES

__all__ = [
    "FORMAT",
    "PREVIEW_ROWS",
    "direction_of_mark",
    "parse",
    "parse_rows",
    "parse_with_statements",
    "read_rows",
    "sniff",
]

FORMAT = "tabular"

_DASHES = re.compile(r"^(?:[-\u2013\u2014]+|/)$")
# HDFC draws a row of asterisks under its header
_RULE = re.compile(r"^[*=_\-\u2013\u2014]+$")

# Chinese online banking often saves "Excel" downloads as an HTML table named .xls
_T = TypeVar("_T")
_HTML_TABLE = re.compile(r"<table[\s>]", re.IGNORECASE)

# --------------------------------------------------------------------------------------------
# detection


def sniff(data: bytes, filename: str) -> bool:
    """Return True for an XLSX workbook or delimited text with at least two columns.

    Binary data (NUL bytes without a UTF-16 BOM, undecodable bytes, control characters) is
    refused, since this parser is the catch-all.
    """
    if data.startswith(b"PK\x03\x04"):
        return _is_xlsx(data)
    if data.startswith(OLE2_MAGIC):
        return True  # a binary .xls workbook (or another Office file, refused clearly)
    head = data[:65536]
    try:
        text, _ = decode(head, None, partial=True)
    except ParseError:
        return False
    sample = text[:20000]
    if not sample.strip():
        return False
    if _HTML_TABLE.search(sample):
        return True
    controls = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\r\n\t")
    if controls > len(sample) // 1000:
        return False
    lines = [line for line in sample.splitlines() if line.strip()][:50]
    if len(lines) < 2 and not (len(lines) == 1 and len(data) < 65536):
        return False
    delimiter = detect_delimiter(lines)
    rows = list(csv.reader(lines, delimiter=delimiter))
    if sum(1 for r in rows if len(r) >= 2) >= max(1, len(rows) // 2):
        return True
    # Alipay and WeChat Pay put twenty lines of notes above the table: a header row naming a
    # date and an amount column still says what the file is
    return any(names_date_and_amount(r) for r in rows if len(r) >= 2)


def _is_xlsx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False
    return "xl/workbook.xml" in names


# --------------------------------------------------------------------------------------------
# entry points


def parse(data: bytes, filename: str, settings: ParseSettings) -> list[Transaction]:
    """Return the transactions of a CSV or XLSX bank export.

    :raises ParseError: for an unknown layout (the message lists the columns found), an
        unreadable row, or a workbook that breaks the size limits.
    """
    return parse_with_statements(data, filename, settings)[0]


def parse_with_statements(
    data: bytes, filename: str, settings: ParseSettings
) -> tuple[list[Transaction], list[StatementInfo]]:
    """Like :func:`parse`, plus one :class:`StatementInfo` (balances from a balance column).

    :raises ParseError: as :func:`parse`.
    """
    if len(data) > settings.max_bytes:
        raise LimitExceeded(problem("file_larger_than", limit=settings.max_bytes), file=filename)
    layouts = tuple(settings.layouts) + builtin_layouts()
    sheet = _sheet_rows(data, filename, settings)
    if sheet is not None:
        return parse_rows(sheet[0], filename, settings, sheet[1])
    text, encoding = decode(data, None)
    rows, delimiter = csv_rows(text, None)
    table = locate(rows, layouts, filename)
    layout = table.layout
    if layout is not None and (
        (layout.encoding and layout.encoding.lower() != encoding)
        or (layout.delimiter and layout.delimiter != delimiter)
    ):
        text, encoding = decode(data, layout.encoding)
        rows, delimiter = csv_rows(text, layout.delimiter)
        table = locate(rows, (layout,), filename)
    meta = {"kind": "csv", "encoding": encoding, "delimiter": delimiter}
    return _read_table(rows, table, filename, settings, meta, RowNames())


def parse_rows(
    rows: list[Row],
    filename: str,
    settings: ParseSettings,
    meta: dict[str, Any],
    *,
    names: RowNames | None = None,
) -> tuple[list[Transaction], list[StatementInfo]]:
    """Read rows of cell texts as an export: find the header, then read every row below it.

    For readers that find the rows themselves (workbooks, HTML tables, a PDF statement's table).

    :param rows: every row, preamble and header included, as cell texts.
    :param meta: facts about the file kept in the statement's ``raw`` (``{"kind": "xlsx"}``).
    :param names: how sources and messages name a row (default ``#row=N`` and ``row N``).
    :raises ParseError: as :func:`parse`.
    """
    table = locate(rows, tuple(settings.layouts) + builtin_layouts(), filename)
    return _read_table(rows, table, filename, settings, meta, names or RowNames())


def read_rows(data: bytes, filename: str, settings: ParseSettings) -> list[Row]:
    """Return the rows of a CSV, HTML-table, XLS or XLSX file as cell texts, nothing decided.

    For a person mapping an unknown layout (see :class:`~reconcile.errors.UnknownLayout`).

    :raises ParseError: when the bytes are no readable table.
    """
    sheet = _sheet_rows(data, filename, settings)
    if sheet is not None:
        return sheet[0]
    return csv_rows(decode(data, None)[0], None)[0]


def _sheet_rows(
    data: bytes, filename: str, settings: ParseSettings
) -> tuple[list[Row], dict[str, Any]] | None:
    """The rows of a workbook or an HTML table and what kind it is, or None for delimited text."""
    if data.startswith(OLE2_MAGIC):
        return xls_rows(data, filename, settings), {"kind": "xls"}
    if data.startswith(b"PK\x03\x04"):
        return xlsx_rows(data, filename, settings), {"kind": "xlsx"}
    head, _ = decode(data[:65536], None, partial=True)
    if SPREADSHEET_NS in head[:20000]:
        return spreadsheetml_rows(data, filename, settings), {"kind": "spreadsheetml"}
    if _HTML_TABLE.search(head[:20000]):
        text, encoding = decode(data, None)
        return html_rows(text, filename, settings), {"kind": "html", "encoding": encoding}
    return None


# --------------------------------------------------------------------------------------------
# rows to transactions (finding the table: tabular_locate; signs: tabular_sign)


def _read_table(
    rows: list[Row],
    table: Table,
    filename: str,
    settings: ParseSettings,
    meta: dict[str, Any],
    names: RowNames,
) -> tuple[list[Transaction], list[StatementInfo]]:
    if len(rows) > settings.max_entries + HEADER_SEARCH_ROWS:
        raise LimitExceeded(
            problem("too_many_rows_of", count=len(rows), limit=settings.max_entries),
            file=filename,
        )
    layout = table.layout
    preamble = rows[: max(table.header_index, 0)]
    body = rows[table.header_index + 1 :]
    if layout is not None and layout.footer_rows:
        body = body[: len(body) - layout.footer_rows]
    first_row_number = table.header_index + 2  # 1-based physical row of body[0]
    candidates = [
        (first_row_number + offset, cells) for offset, cells in enumerate(body) if any(cells)
    ]
    add_unnamed_mark_column(table, [cells for _, cells in candidates])
    reader = _RowReader(table, filename, settings, candidates, names, preamble)
    lines = reader.lines(candidates)
    # the catch-all reader of any text: a file most of whose dated rows fail is not an export
    reader.left_out.check(lines, most_read=True)
    if layout is None:
        other_party_accounts([line.fields for line in lines], settings)
    account, currency_hint = preamble_facts(preamble)
    if layout is not None and not account and layout.extra.get("account"):
        account = str(layout.extra["account"])  # a layout saved for one of our accounts
    settled = settle_our_side(lines, settings, account)
    order = apply_sign(
        lines, layout, settled, card=is_card_statement([*preamble, table.header], filename)
    )
    default_currency = (
        (layout.currency if layout is not None else None)
        or currency_hint
        or currency_from_header(table.header, table.columns)
        or currency_from_symbols(line.fields for line in lines)
        or settings.default_currency
    )
    transactions = _transactions(
        lines, table, filename, account, default_currency, reader.decimal_comma, settings, names
    )
    info = _statement(lines, transactions, order, account, meta, table, reader.skipped)
    if reader.left_out.warnings:
        info.raw["warnings"] = reader.left_out.warnings
    return transactions, [info]


class _RowReader:
    """Reads the data rows of one located table into :class:`Line` objects."""

    def __init__(
        self,
        table: Table,
        filename: str,
        settings: ParseSettings,
        candidates: Sequence[tuple[int, Row]],
        names: RowNames,
        preamble: Sequence[Row] = (),
    ) -> None:
        self.table = table
        self.period = find_period([" ".join(row) for row in preamble])
        self.filename = filename
        self.names = names
        layout = table.layout
        # without a layout, pending and failed card entries (a Status column) are no bookings;
        # payment-bill rows where no money moved never are
        self.skip_states = (
            {s.upper() for s in layout.skip_states} if layout else set(DEFAULT_SKIP_STATES)
        )
        self.skip_states |= NOT_PAID_STATES
        self.unmarked = unmarked_side(self.text(c, "direction") for _, c in candidates)
        self.date_format = layout.date_format if layout is not None else None
        self.skipped: list[str] = []
        self.left_out = LeftOut()
        self.header_key = [normalise_header(c) for c in table.header]
        dayfirst = settings.dayfirst
        if dayfirst is None and layout is not None:
            dayfirst = layout.dayfirst
        if dayfirst is None:
            dates = [self.text(c, r) for _, c in candidates for r in ("booking_date", "value_date")]
            dayfirst = infer_dayfirst(dates)
            if dayfirst is None:
                dayfirst = dayfirst_by_span(dates)
        self.dayfirst = dayfirst
        decimal_comma = layout.decimal_comma if layout is not None else None
        if decimal_comma is None:
            decimal_comma = decimal_comma_of(
                self.text(c, r)
                for _, c in candidates
                for r in ("amount", "credit", "debit", "balance")
            )
        self.decimal_comma = decimal_comma

    def date(self, text: str) -> dt.date:
        """Read a date cell; one printed without a year (``12/29``) takes the year of the
        statement period named above the table (招商银行信用卡对账单（… 2024年01月）)."""
        try:
            return read_date(text, self.dayfirst, self.date_format)
        except ParseError:
            choices = yearless(text)
            placed = self.period.place(choices) if choices and self.period else None
            if placed is None:
                raise
            return placed

    def text(self, cells: Row, role: str) -> str:
        indexes = self.table.columns.get(role, [])
        parts = [cells[i].strip() for i in indexes if i < len(cells)]
        width = len(self.table.header)
        if width and len(cells) > width and width - 1 in indexes:
            # Livebank writes a long text over several cells past the header's last column
            parts += [cell.strip() for cell in cells[width:]]
        if role == "direction":
            return " ".join(p for p in parts if p)  # WeChat Pay's "/" there means neutral
        # BOC and ABC fill empty text cells with a run of dashes ("----------", "--"),
        # WeChat Pay with a slash
        return " ".join(p for p in parts if p and not _DASHES.match(p))

    def lines(self, candidates: Sequence[tuple[int, Row]]) -> list[Line]:
        out: list[Line] = []
        skipping: str | None = None
        for number, cells in candidates:
            section = _section(cells)
            if section is not None:
                # Schwab lists "Pending Transactions" above "Posted Transactions": pending
                # card payments may still change or vanish, so they are not booked entries;
                # HDFC ends with a "STATEMENT SUMMARY :-" block of totals under a heading
                skipping = section if section in ("pending", "summary") else None
                note = _SECTION_NOTES.get(section, f"{section} transactions follow")
                self.skipped.append(f"{self.names.location(number)}: {note}")
                continue
            if skipping:
                self.skipped.append(f"{self.names.location(number)}: {skipping}")
                continue
            try:
                line = self.line(number, cells)
            except ParseError as exc:
                self.left_out.entry(exc)
                continue
            if line is not None:
                out.append(line)
        return out

    def _optional(
        self, code: str, where: str, read: Callable[[], _T], written: str | None
    ) -> _T | None:
        """A value an entry can do without: one that cannot be read is left out with a warning."""
        return self.left_out.optional(code, read, location=where) if written else None

    def _repeated_header(self, cells: Row) -> bool:
        header = self.table.header
        return bool(
            self.header_key
            and cells[:1] == header[:1]  # cheap test first: this runs for every row
            and [normalise_header(c) for c in cells] == self.header_key
        )

    def line(self, number: int, cells: Row) -> Line | None:
        """Return the row as a line, or None (noted in ``skipped``) for a row that is none."""
        if all(_RULE.match(c.strip()) for c in cells if c.strip()):
            self.skipped.append(f"{self.names.location(number)}: a rule")
            return None
        if self._repeated_header(cells):
            # multi-page exports (ICBC's XLSX, HTML downloads) repeat the header on every page
            self.skipped.append(f"{self.names.location(number)}: the header again")
            return None
        fields = {role: self.text(cells, role) for role in self.table.columns}
        if fields.get("state", "").strip().upper() in self.skip_states:
            self.skipped.append(f"{self.names.location(number)}: state {fields['state']}")
            return None
        if is_summary(fields):
            self.skipped.append(f"{self.names.location(number)}: {fields['description']}")
            return None
        if is_neutral(fields):
            self.skipped.append(f"{self.names.location(number)}: neither income nor expense")
            return None
        if self.unmarked and not fields.get("direction"):
            fields["direction"] = self.unmarked
        where = self.names.location(number)
        try:
            booking = self.date(fields.get("booking_date") or fields.get("other_date", ""))
        except ParseError:
            if is_footer(cells) or not has_amount(fields):
                shown = " ".join(c for c in cells if c)[:60]
                self.skipped.append(f"{where}: not a transaction ({shown})")
                return None
            raise ParseError(
                problem("date_unreadable", value=fields.get("booking_date", "")),
                file=self.filename,
                location=where,
            ) from None
        try:
            amount = signed_amount(fields, self.decimal_comma)
        except ParseError as exc:
            raise ParseError(exc.reason, file=self.filename, location=where) from exc
        balance = self._optional(
            "balance_left_out",
            where,
            lambda: parse_amount(fields["balance"], decimal_comma=self.decimal_comma),
            fields.get("balance"),
        )
        value_date = self._optional(
            "value_date_left_out",
            where,
            lambda: self.date(fields["value_date"]),
            fields.get("value_date"),
        )
        if amount is None:
            self.skipped.append(f"{where}: no amount")
            return None
        return Line(number, cells, booking, value_date, amount, balance, fields, [])


_SECTIONS = {
    "pending transactions": "pending",
    "pending": "pending",
    "posted transactions": "posted",
    "statement summary": "summary",
    "account summary": "summary",
    "posted": "posted",
}


_SECTION_NOTES = {"summary": "the summary follows"}


def _section(cells: Row) -> str | None:
    """Return "pending", "posted" or "summary" for a row that only names the section below it."""
    filled = [c for c in cells if c.strip()]
    if len(filled) != 1:
        return None
    return _SECTIONS.get(" ".join(filled[0].lower().split()).rstrip(" :-"))


def _transactions(
    lines: Sequence[Line],
    table: Table,
    filename: str,
    account: str | None,
    default_currency: str | None,
    decimal_comma: bool | None,
    settings: ParseSettings,
    names: RowNames,
) -> list[Transaction]:
    header = table.header
    holder = holder_name([line.fields for line in lines])
    ordinals: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    out: list[Transaction] = []
    for line in lines:
        f = line.fields
        warnings_ = list(line.warnings)
        currency = currency_of(f["currency"]) if f.get("currency") else None
        if f.get("currency") and currency is None:
            currency = f["currency"].strip().upper()
        currency = currency or default_currency or ""
        if not currency:
            warnings_.append(problem("export_no_currency"))
        direction: Direction = "credit" if line.amount >= 0 else "debit"
        name, other, bank, side = counterparty(f, direction, holder)
        ours, acct = row_accounts(f.get("our_account"), side, other, account)
        raw: dict[str, Any] = {
            (header[i] if i < len(header) and header[i] else f"column {i + 1}"): cell
            for i, cell in enumerate(line.cells)
        }
        raw["row"] = line.number
        if f.get("original_amount"):
            raw["original_amount"] = parse_amount(f["original_amount"], decimal_comma=decimal_comma)
            raw["original_currency"] = currency_of(f.get("original_currency", "")) or f.get(
                "original_currency"
            )
        if line.balance is not None:
            raw["balance"] = line.balance
        bank_ref = f.get("bank_ref", "").strip()
        if not bank_ref:
            key = "|".join(
                str(x)
                for x in (
                    line.booking_date,
                    line.amount,
                    currency,
                    name,
                    acct,
                    f.get("description", ""),
                    line.balance,
                )
            )
            ordinals[key] += 1
            digest = hashlib.sha256(f"{key}|{ordinals[key]}".encode()).hexdigest()
            bank_ref = names.ref_prefix + digest[:16]
            raw["ref_from"] = "synthetic"
        seen[bank_ref] += 1
        if seen[bank_ref] > 1:
            bank_ref = f"{bank_ref}/{seen[bank_ref]}"
        tx = Transaction(
            bank_ref=bank_ref,
            booking_date=line.booking_date,
            value_date=line.value_date,
            amount=abs(line.amount),
            direction=direction,
            currency=currency,
            reference=" ".join(f.get("description", "").split()),
            our_account=own_form(ours or "", settings),
            source=f"{filename}#{names.source(line.number)}",
            raw=raw,
            warnings=warnings_,
        )
        set_counterparty(tx, name, acct, bank)
        out.append(tx)
    return out


def _statement(
    lines: Sequence[Line],
    transactions: Sequence[Transaction],
    order: tuple[int, str],
    account: str | None,
    meta: dict[str, Any],
    table: Table,
    skipped: list[str],
) -> StatementInfo:
    currencies = {tx.currency for tx in transactions if tx.currency}
    info = StatementInfo(
        account=account or (transactions[0].our_account if transactions else None) or None,
        currency=currencies.pop() if len(currencies) == 1 else None,
        transaction_count=len(transactions),
        raw={
            **meta,
            "layout": (
                table.layout.name
                if table.layout is not None
                else ("guessed" if table.guessed else "auto")
            ),
            "columns": {role: list(idx) for role, idx in table.columns.items()},
            "header_row": table.header_index + 1 if table.header else None,
            "skipped": skipped,
            "order": order[1],
            "header": list(table.header),
        },
    )
    chronological = list(lines) if order[1] == "oldest_first" else list(lines)[::-1]
    with_balance = [k for k, line in enumerate(chronological) if line.balance is not None]
    if with_balance:
        # rows without a balance before the first one that prints it (UK statements print it on
        # a day's last entry only) moved the money too: the opening balance is before them all
        first, last = with_balance[0], with_balance[-1]
        first_balance, last_balance = chronological[first].balance, chronological[last].balance
        assert first_balance is not None and last_balance is not None
        info.opening_balance = first_balance - sum(
            (line.amount for line in chronological[: first + 1]), Decimal(0)
        )
        info.opening_date = chronological[0].booking_date
        info.closing_balance = last_balance + sum(
            (line.amount for line in chronological[last + 1 :]), Decimal(0)
        )
        info.closing_date = chronological[-1].booking_date
    return info
