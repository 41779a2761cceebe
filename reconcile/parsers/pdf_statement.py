"""PDF account statements (交易明细, 对账单, Statement of account): the pages' tables read as one
bank export.

:mod:`.pdf_table` turns each page into rows of cell texts under the first page's header; the
tabular reader (:func:`.tabular.parse_rows`) then reads them as it reads a CSV export: the
columns by their names, signs, balances, summary and pending rows, our account and currency
from the lines above the table. A transaction's ``source`` is ``file#page=P/row=K``, the K-th
row of the table on page P (its wrapped lines included); warnings name the place as
"page P, row K".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import ParseError
from ..model import ParseSettings, StatementInfo, Transaction
from ..problems import Problem, problem
from . import tabular
from .pdf_sections import Direction, Period, find_period, section_direction, signed, yearless
from .pdf_table import (
    Columns,
    PageText,
    RowReader,
    TextLine,
    fill_dates,
    find_header,
    is_page_footer,
)
from .tabular_io import Row, RowNames
from .tabular_layouts import normalise_header
from .tabular_values import is_footer

_PREAMBLE_LINES = 40
_DATE_ROLES = ("booking_date", "value_date")
# a title that says the PDF is a statement (the table may still be unreadable)
_TITLE = re.compile(
    r"交易明细|账户明细|帐户明细|对账单|交易流水(?!号)|历史明细|活期明细|statement of account|"
    r"account statement|bank statement|your statement|transaction history|kontoauszug|"
    r"relevé de compte|rekeningafschrift",
    re.IGNORECASE,
)
_CJK = re.compile(r"[\u3400-\u9fff]")
_SYMBOLS = (("£", "GBP"), ("€", "EUR"), ("¥", "CNY"), ("人民币", "CNY"))
# "Account Number 31926819" in one cell (HSBC UK): label and value become two cells, as the
# tabular reader's preamble expects them without a colon
_LABEL_VALUE = re.compile(
    r"^(?P<label>sort\s*code|account\s*(?:number|no\.?)|iban|currency)\s+(?P<value>[\w\-]+)$",
    re.IGNORECASE,
)

# several "label: value" pairs printed in one run of text ("户名：甲公司 账号：6214… 币种：人民币",
# "Account number: 12345678 Sort code: 30-00-00"): each pair becomes a cell of its own
_NEXT_LABEL = re.compile(
    r"\s+(?=(?:[\u3400-\u9fff]{1,8}|sort\s*code|account\s*(?:number|no\.?)|iban|bic|swift"
    r"|currency)\s*[:：])",
    re.IGNORECASE,
)


class PageRows(RowNames):
    """Names a row of the combined table by its page and its place in that page's table."""

    ref_prefix = "PDF-"

    def __init__(self) -> None:
        self.places: dict[int, tuple[int, int]] = {}

    def source(self, number: int) -> str:
        """``page=P/row=K``."""
        if number not in self.places:
            return super().source(number)
        page, row = self.places[number]
        return f"page={page}/row={row}"

    def location(self, number: int) -> Problem:
        """ "page P, row K"."""
        if number not in self.places:
            return super().location(number)
        page, row = self.places[number]
        return problem("at_page_row", page=page, row=row)


@dataclass(slots=True)
class StatementTable:
    """The rows of a PDF statement's tables, every one's under the first page's header."""

    rows: list[Row] = field(default_factory=list)
    names: PageRows = field(default_factory=PageRows)
    preamble: list[str] = field(default_factory=list)
    dated_rows: int = 0
    most_on_a_page: int = 0
    """The most dated rows under one header: a receipt has one, a statement several."""
    no_year: str | None = None
    """A date printed without a year that nothing above the table completes."""


def find_statement(pages: Sequence[PageText]) -> StatementTable | None:
    """Return the statement table of a PDF, or None when no page has a transaction header."""
    builder = _Builder()
    for page in pages:
        builder.read_page(page)
    return builder.finish()


@dataclass(slots=True)
class _Segment:
    """The lines under one header (or a page that does not repeat it) and their section."""

    columns: Columns
    lines: list[TextLine]
    rows_from: float
    direction: Direction | None


class _Builder:
    """Gathers the rows of every table of a statement under one header.

    A later table's columns go to the first header's column of the same name, else of the same
    role (``Date Paid`` under ``Date``), else to a column added at the end.
    """

    def __init__(self) -> None:
        self.table = StatementTable()
        self.header: list[str] = []
        self.roles: list[str | None] = []
        self.header_row = -1
        self.columns: Columns | None = None
        self.direction: Direction | None = None
        self.period: Period | None = None
        self.last_date = ""
        self.row_on_page = 0
        self.pending: list[tuple[Row, int, list[tuple[int, int]], str]] = []
        """Date cells printed without a year: the row, the column, the readings, the text."""
        self.texts: list[str] = []
        """Every line of the file, for a period printed elsewhere than above the table."""

    def finish(self) -> StatementTable | None:
        if self.header_row < 0:
            return None
        width = len(self.header)
        rows = self.table.rows
        rows[self.header_row] = list(self.header)
        for k in range(self.header_row + 1, len(rows)):
            rows[k] += [""] * (width - len(rows[k]))
        self._complete_years()
        return self.table

    def _complete_years(self) -> None:
        """Give the dates printed without a year the year of the statement's period: the one
        printed above the table, else any printed in the file (a page's foot)."""
        if not self.pending:
            return
        period = self.period or find_period(self.texts)
        for row, column, choices, text in self.pending:
            placed = period.place(choices) if period is not None else None
            if placed is None:
                self.table.no_year = self.table.no_year or text
            else:
                row[column] = placed.isoformat()

    def read_page(self, page: PageText) -> None:
        self.row_on_page = 0
        self.texts += [line.text for line in page.lines]
        dated = sum(self._read(page, segment) for segment in self._segments(page))
        self.table.dated_rows += dated
        self.table.most_on_a_page = max(self.table.most_on_a_page, dated)

    def _segments(self, page: PageText) -> list[_Segment]:
        headers: list[tuple[int, int, Columns]] = []
        begin = 0
        while (found := find_header(page, begin)) is not None:
            headers.append(found)
            begin = found[1] + 1
        if not headers:
            if self.columns is None:
                return []  # a page that does not repeat the header
            return [_Segment(self.columns, page.lines, 0.0, self.direction)]
        if self.header_row < 0:
            self._begin(page, headers[0])
        segments: list[_Segment] = []
        for k, (start, end, columns) in enumerate(headers):
            stop = len(page.lines)
            if k + 1 < len(headers):
                stop = headers[k + 1][0]
                stop -= _heading_lines(page.lines, stop, end + 1)
            heading = _heading(page.lines, start, headers[k - 1][1] + 1 if k else 0)
            if heading is not None:
                self.direction = heading
            self.columns = columns
            segments.append(
                _Segment(columns, page.lines[end + 1 : stop], columns.bottom, self.direction)
            )
        return segments

    def _begin(self, page: PageText, found: tuple[int, int, Columns]) -> None:
        start, _, columns = found
        preamble = page.lines[:start][-_PREAMBLE_LINES:]
        self.table.rows += [_preamble_cells(line) for line in preamble]
        self.table.preamble = [line.text for line in preamble]
        self.period = find_period(self.table.preamble)
        self.header, self.roles = list(columns.texts), list(columns.roles)
        self.table.rows.append(list(columns.texts))
        self.header_row = len(self.table.rows) - 1

    def _merge(self, columns: Columns) -> list[int]:
        """Where each of ``columns`` goes in the combined header."""
        keys = [normalise_header(t) for t in self.header]
        out: list[int] = []
        for text, role in zip(columns.texts, columns.roles, strict=True):
            key = normalise_header(text)
            index = next((i for i, k in enumerate(keys) if k == key and i not in out), None)
            if index is None and role is not None:
                index = next(
                    (i for i, r in enumerate(self.roles) if r == role and i not in out), None
                )
            if index is None:
                self.header.append(text)
                self.roles.append(role)
                keys.append(key)
                index = len(self.header) - 1
            out.append(index)
        return out

    def _read(self, page: PageText, segment: _Segment) -> int:
        """Append the segment's rows; return how many are dated."""
        columns = segment.columns
        mapping = self._merge(columns)
        reader = RowReader(columns)
        lines = [line for line in segment.lines if not is_page_footer(line)]
        records = reader.ruled(page, lines, segment.rows_from) or reader.flowing(lines)
        self.last_date = fill_dates(
            records, reader.dates[0] if reader.dates else None, self.last_date
        )
        if segment.direction == "skip":
            return 0  # a table of daily balances, not of transactions
        for record in records:
            self.row_on_page += 1
            cells = record.cells(len(columns.texts))
            row = [""] * len(self.header)
            for index, text in enumerate(cells):
                if text:
                    row[mapping[index]] = self._value(columns.roles[index], text, segment)
            if is_footer(cells) and not is_footer(row):
                continue  # "Total Checks Paid" under Check No., a column the first header lacks
            for index, text in enumerate(cells):
                if columns.roles[index] in _DATE_ROLES and (choices := yearless(text)):
                    self.pending.append((row, mapping[index], choices, text))
            self.table.rows.append(row)
            self.table.names.places[len(self.table.rows)] = (page.number, self.row_on_page)
        return sum(record.dated for record in records)

    @staticmethod
    def _value(role: str | None, text: str, segment: _Segment) -> str:
        return signed(text, segment.direction) if role == "amount" else text


def _heading(lines: Sequence[TextLine], start: int, floor: int) -> Direction | None:
    """The direction named by a section heading in the two lines above line ``start``."""
    for index in range(start - 1, max(floor, start - 2) - 1, -1):
        found = _section(lines[index])
        if found is not None:
            return found
    return None


def _section(line: TextLine) -> Direction | None:
    return section_direction(line.text) if len(line.cells) <= 2 else None


def _heading_lines(lines: Sequence[TextLine], start: int, floor: int) -> int:
    """How many of the lines just above line ``start`` are its section heading."""
    for count, index in enumerate(range(start - 1, max(floor, start - 2) - 1, -1), start=1):
        if _section(lines[index]) is not None:
            return count
    return 0


def looks_like_statement(pages: Sequence[PageText]) -> str | None:
    """Return the columns of the widest line when a page is titled like a statement, else None.

    For a PDF whose title says it is a statement but whose table names no date and amount
    column: it is then refused as an unreadable statement, not as "no receipt".
    """
    titled = any(
        _TITLE.search(cell.text) and len(cell.text) <= 60
        for page in pages[:2]
        for line in page.lines[:15]
        for cell in line.cells
    )
    if not titled:
        return None
    widest = max(
        (line for page in pages for line in page.lines),
        key=lambda line: len(line.cells),
        default=None,
    )
    if widest is None:
        return ""
    return ", ".join(repr(c.text) for c in widest.cells[:40])


def read_statement(
    table: StatementTable,
    filename: str,
    settings: ParseSettings,
    *,
    pages: int,
    warnings: Sequence[str],
) -> tuple[list[Transaction], list[StatementInfo]]:
    """Read the table with the tabular reader; ``warnings`` are the pages left out before.

    :raises ParseError: when no row, or fewer rows than fail, can be read (the first reason),
        or when a date is printed without a year and no period or statement date above the
        table gives it (``pdf_statement_date_no_year``).
    """
    if table.no_year is not None:
        raise ParseError(problem("pdf_statement_date_no_year", date=table.no_year), file=filename)
    # the lowest rank: a currency column, the preamble's 币种 or a header unit come first
    symbol = _symbol_currency(table.preamble)
    meta: dict[str, Any] = {"kind": "pdf_statement", "pages": pages}
    transactions, infos = tabular.parse_rows(
        table.rows, filename, settings, meta, names=table.names, found_currency=symbol
    )
    found = list(warnings)
    if (
        settings.default_currency is None
        and symbol is None
        and _chinese(table)
        and _assume_cny(transactions)
    ):
        found.append(problem("pdf_statement_assumed_cny"))
        infos[0].currency = infos[0].currency or "CNY"
    if found:
        infos[0].raw["warnings"] = [*found, *infos[0].raw.get("warnings", [])]
    return transactions, infos


def _chinese(table: StatementTable) -> bool:
    header = table.rows[len(table.preamble)] if len(table.rows) > len(table.preamble) else []
    return any(_CJK.search(text) for text in [*header, *table.preamble])


def _assume_cny(transactions: Sequence[Transaction]) -> bool:
    """Give CNY to the transactions of a Chinese statement that names no currency (Alipay's and
    WeChat Pay's PDFs write amounts in 元 without saying so); True when any needed it."""
    missing = [tx for tx in transactions if not tx.currency]
    for tx in missing:
        tx.currency = "CNY"
        tx.warnings = [w for w in tx.warnings if getattr(w, "code", None) != "export_no_currency"]
    return bool(missing)


def _preamble_cells(line: TextLine) -> Row:
    cells: Row = []
    for cell in line.cells:
        for text in _NEXT_LABEL.split(cell.text):
            pair = _LABEL_VALUE.match(text)
            cells += [pair.group("label"), pair.group("value")] if pair else [text]
    return cells


def _symbol_currency(lines: Sequence[str]) -> str | None:
    text = unicodedata.normalize("NFKC", " ".join(lines))
    found = {code for symbol, code in _SYMBOLS if symbol in text}
    return found.pop() if len(found) == 1 else None
