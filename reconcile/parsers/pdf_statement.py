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

import dataclasses
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..model import ParseSettings, StatementInfo, Transaction
from ..problems import Problem, problem
from . import tabular
from .pdf_table import (
    Columns,
    PageText,
    RowReader,
    TextLine,
    fill_dates,
    find_header,
    is_page_footer,
    same_header,
)
from .tabular_io import Row, RowNames

_PREAMBLE_LINES = 40
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
    """The rows of a PDF statement's table, every page's under the first page's header."""

    rows: list[Row] = field(default_factory=list)
    names: PageRows = field(default_factory=PageRows)
    preamble: list[str] = field(default_factory=list)
    dated_rows: int = 0
    most_on_a_page: int = 0
    """The most dated rows under one header: a receipt has one, a statement several."""


def find_statement(pages: Sequence[PageText]) -> StatementTable | None:
    """Return the statement table of a PDF, or None when no page has a transaction header."""
    table = StatementTable()
    first: Columns | None = None
    columns: Columns | None = None
    mapping: list[int | None] = []
    last_date = ""
    for page in pages:
        found = find_header(page)
        if found is not None:
            start, end, columns = found
            body = page.lines[end + 1 :]
            if first is None:
                first = columns
                preamble = page.lines[:start][-_PREAMBLE_LINES:]
                table.rows += [_preamble_cells(line) for line in preamble]
                table.preamble = [line.text for line in preamble]
                table.rows.append(list(first.texts))
            mapping = same_header(columns.texts, first.texts)
        elif columns is not None:
            body = page.lines  # a page that does not repeat the header
        else:
            continue
        assert first is not None
        reader = RowReader(columns)
        lines = [line for line in body if not is_page_footer(line)]
        rows_from = columns.bottom if found is not None else 0.0
        records = reader.ruled(page, lines, rows_from) or reader.flowing(lines)
        last_date = fill_dates(records, reader.dates[0] if reader.dates else None, last_date)
        dated = 0
        for k, record in enumerate(records, start=1):
            row = [""] * len(first.texts)
            for index, text in enumerate(record.cells(len(columns.texts))):
                target = mapping[index] if index < len(mapping) else None
                if target is not None and text:
                    row[target] = text
            table.rows.append(row)
            table.names.places[len(table.rows)] = (page.number, k)
            dated += record.dated
        table.dated_rows += dated
        table.most_on_a_page = max(table.most_on_a_page, dated)
    return table if first is not None else None


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

    :raises ParseError: when no row, or fewer rows than fail, can be read (the first reason).
    """
    if settings.default_currency is None and (currency := _symbol_currency(table.preamble)):
        # the lowest rank: a currency column, the preamble's 币种 or a header unit come first
        settings = dataclasses.replace(settings, default_currency=currency)
    meta: dict[str, Any] = {"kind": "pdf_statement", "pages": pages}
    transactions, infos = tabular.parse_rows(
        table.rows, filename, settings, meta, names=table.names
    )
    found = list(warnings)
    if settings.default_currency is None and _chinese(table) and _assume_cny(transactions):
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
