"""The transaction table of a PDF account statement, as rows of cell texts for the tabular reader.

Works from the words ``pdf.py`` extracts once per page (no table finder): words on one baseline
form a line (pdfplumber's ``cluster_objects``), and a wide gap between words starts a new cell.
The header is the line naming a date and an amount column (the tabular reader's synonyms, in
any language); a header printed over two lines (记账日期 over Date) is one header. Each cell of
a line below it goes to the header column it overlaps, or to the column between the table's
vertical rules it stands in.

A row of the table is read from one or several lines:

* in a ruled grid, everything between two horizontal rules is one row (a cell's text may
  wrap while the other cells are centred in the row);
* otherwise a line with a date starts a row; a line without a date but with an amount
  completes a row that has none yet (the details over several lines, the amount on the last)
  or starts one booked on the date above (UK statements print the date on a day's first entry
  only); a line of text only continues the row above (a wrapped description), unless it stands
  apart from it.

Page headers and footers ("第 1 页 共 3 页", "Page 1 of 3"), the lines above the header and
the header repeated on every page are left out.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pdfplumber.utils.clustering import cluster_objects

from ..normalize import DateError, parse_date
from ._common import reads_as_amount
from .pdf_lines import PrintedLine
from .pdf_sections import without_mark, yearless
from .tabular_io import Row
from .tabular_layouts import header_role
from .tabular_locate import names_date_and_amount
from .tabular_values import is_footer, unless_placeholder

Word = dict[str, Any]

_DATE_ROLES = ("booking_date", "value_date")
_MONEY_ROLES = ("amount", "credit", "debit")
_PAGE_FOOTER = re.compile(
    r"^(?:第\s*\d+\s*页.*|共\s*\d+\s*页.*|(?:page|seite|blatt|pagina)\s*\d+"
    r"(?:\s*(?:of|/|von|sur|van)\s*\d+)?|\d+\s*/\s*\d+"
    r"|-\s*\d+\s*-)$",
    re.IGNORECASE,
)
_INVOICE_TITLE = re.compile(
    r"\b(?:(?:tax\s+|commercial\s+|proforma\s+|pro\s+forma\s+)?invoice|rechnung|facture"
    r"|factura|fattura|faktura|nota\s+fiscal)\b|增值税(?:专用|普通)?发票|电子发票|发票号码|發票",
    re.IGNORECASE,
)
_CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef]")
#: columns a bank's transaction table never has: an invoice's line items (quantity, unit price,
#: tax), the open items of a statement a seller sends its customer (due date, days overdue) or
#: the invoices a customer's remittance advice lists as paid
_DOCUMENT_COLUMN = re.compile(
    r"^(?:(?:payment\s+)?due(?:\s+date|\s+on)?|days\s+(?:overdue|late)|qty|quantity"
    r"|unit\s+(?:price|cost)|price|vat(?:\s+rate)?|tax(?:\s+rate|\s+amount)?|gst"
    r"|(?:应收|应付|付款)?到期日(?:期)?|逾期天数|数量|单价|税率|税额|fällig(?:keit|am)?"
    r"|fälligkeitsdatum|menge|einzelpreis|mwst\.?|ust\.?|échéance|quantité|prix\s+unitaire"
    r"|tva|vencimiento|cantidad|precio\s+unitario|iva|scadenza|quantità"
    r"|invoice(?:\s*(?:no\.?|number|#|date|amount|total))?|发票(?:号码?|代码|日期|金额)?"
    r"|rechnungs(?:nummer|nr\.?|datum|betrag)|(?:n°|numéro)\s+de\s+facture)$",
    re.IGNORECASE,
)


@dataclass(slots=True)
class Cell:
    """Words of one line close enough together to be one cell."""

    words: list[Word]

    @property
    def x0(self) -> float:
        """The left edge of the first word."""
        return float(self.words[0]["x0"])

    @property
    def x1(self) -> float:
        """The right edge of the last word."""
        return float(self.words[-1]["x1"])

    @property
    def text(self) -> str:
        """The words joined with spaces."""
        return " ".join(str(w["text"]) for w in self.words)


@dataclass(slots=True)
class TextLine(PrintedLine):
    """One printed line: its vertical extent and its cells, left to right."""

    cells: list[Cell]

    @property
    def text(self) -> str:
        """The cells joined with spaces."""
        return " ".join(c.text for c in self.cells)


@dataclass(slots=True)
class PageText:
    """What the table reader needs of one page: its lines and the rules drawn on it."""

    number: int
    lines: list[TextLine]
    hrules: list[tuple[float, float, float]] = field(default_factory=list)
    """Horizontal rules as (top, x0, x1)."""
    vrules: list[tuple[float, float, float]] = field(default_factory=list)
    """Vertical rules as (x, top, bottom)."""


def page_text(number: int, words: Sequence[Word], edges: Sequence[Mapping[str, Any]]) -> PageText:
    """Group a page's upright words into lines of cells and keep its long rules."""
    upright = [w for w in words if w.get("upright", True)]
    lines: list[TextLine] = []
    for group in cluster_objects(upright, "top", 2):
        group.sort(key=lambda w: float(w["x0"]))
        lines.append(
            TextLine(
                min(float(w["top"]) for w in group),
                max(float(w["bottom"]) for w in group),
                _cells(group),
            )
        )
    lines.sort(key=lambda line: line.top)
    hrules = [
        (float(e["top"]), float(e["x0"]), float(e["x1"]))
        for e in edges
        if e.get("orientation") == "h" and float(e["x1"]) - float(e["x0"]) > 20
    ]
    vrules = [
        (float(e["x0"]), float(e["top"]), float(e["bottom"]))
        for e in edges
        if e.get("orientation") == "v" and float(e["bottom"]) - float(e["top"]) > 5
    ]
    return PageText(number, lines, sorted(hrules), sorted(vrules))


def _cells(words: Sequence[Word]) -> list[Cell]:
    cells: list[Cell] = []
    for word in words:
        height = float(word["bottom"]) - float(word["top"])
        if cells and float(word["x0"]) - cells[-1].x1 <= max(3.0, 0.6 * height):
            cells[-1].words.append(word)
        else:
            cells.append(Cell([word]))
    return cells


# --------------------------------------------------------------------------------------------
# the header and its columns


@dataclass(slots=True)
class Columns:
    """The columns a page's header defines: texts, roles, extents, and rule bounds if ruled."""

    texts: list[str]
    roles: list[str | None]
    spans: list[tuple[float, float]]
    bounds: list[tuple[float, float] | None]
    """Per column the vertical rules around it, in a ruled grid."""
    top: float
    bottom: float
    left: float
    right: float

    def column_of(self, x0: float, x1: float) -> int | None:
        """Return the column a cell spanning ``x0``..``x1`` belongs to."""
        middle = (x0 + x1) / 2
        for index, bound in enumerate(self.bounds):
            if bound is not None and bound[0] <= middle < bound[1]:
                return index
        if any(b is not None for b in self.bounds):
            return None  # outside the grid
        overlaps = [min(x1, s1) - max(x0, s0) for s0, s1 in self.spans]
        best = max(range(len(overlaps)), key=overlaps.__getitem__)
        if overlaps[best] > 0:
            return best
        distances = [s0 - x1 if x1 < s0 else x0 - s1 for s0, s1 in self.spans]
        return min(range(len(distances)), key=distances.__getitem__)

    def assign(self, line: TextLine) -> dict[int, list[str]]:
        """Return the texts of ``line`` by column; a cell across two headers is split by word."""
        out: dict[int, list[str]] = {}
        for cell in line.cells:
            overlapped = sum(1 for s0, s1 in self.spans if min(cell.x1, s1) - max(cell.x0, s0) > 1)
            pieces = (
                [Cell([w]) for w in cell.words]
                if overlapped > 1 and len(cell.words) > 1 and not any(self.bounds)
                else [cell]
            )
            for piece in pieces:
                index = self.column_of(piece.x0, piece.x1)
                if index is not None:
                    out.setdefault(index, []).append(piece.text)
        return out

    def of_role(self, roles: Sequence[str]) -> list[int]:
        return [i for i, role in enumerate(self.roles) if role in roles]


def find_header(page: PageText, begin: int = 0) -> tuple[int, int, Columns] | None:
    """Return the indexes of the first and last line of the page's first header from line
    ``begin`` on, and its columns, or None."""
    for index, line in enumerate(page.lines[begin:], start=begin):
        texts = [c.text for c in line.cells]
        if len(texts) < 2 or not names_date_and_amount(texts):
            continue
        spans = [(c.x0, c.x1) for c in line.cells]
        last = index
        below = page.lines[index + 1] if index + 1 < len(page.lines) else None
        if below is not None and _continues_header(line, below, spans):
            # a second header line (Date under 记账日期, "(GBP)" under Balance)
            for cell in below.cells:
                k = _overlapping(spans, cell.x0, cell.x1)
                joined = f"{texts[k]}\n{cell.text}"
                if header_role(joined) == header_role(texts[k]):
                    texts[k] = joined
            last = index + 1
        roles = [found[0] if (found := header_role(t)) else None for t in texts]
        bottom = page.lines[last].bottom
        bounds = _rule_bounds(page, spans, line.top, bottom)
        return (
            index,
            last,
            Columns(texts, roles, spans, bounds, line.top, bottom, spans[0][0], spans[-1][1]),
        )
    return None


def document_column(texts: Sequence[str]) -> str | None:
    """The first header cell that makes a table an invoice's or a customer statement's, or None.

    A due date, a quantity, a unit price or a tax rate is no column of a bank's transaction
    table; a PDF whose table has one is a document about money owed, not money that moved.
    """
    for text in texts:
        if _DOCUMENT_COLUMN.match(unicodedata.normalize("NFKC", text).strip(" :：")):
            return text
    return None


def document_mark(page: PageText) -> str | None:
    """What makes the page an invoice's or a customer statement's rather than a bank's, or None.

    Above the first transaction header: a title such as "Invoice", 发票, Rechnung or Facture;
    in a header naming a date and an amount: a column no bank table has (see
    :func:`document_column`).
    """
    for line in page.lines:
        texts = [c.text for c in line.cells]
        if len(texts) >= 2 and names_date_and_amount(texts):
            return document_column(texts)
        for text in texts:
            if found := _INVOICE_TITLE.search(unicodedata.normalize("NFKC", text)):
                return found.group()
    return None


def _continues_header(line: TextLine, below: TextLine, spans: list[tuple[float, float]]) -> bool:
    if line.gap_to(below) > line.height:
        return False
    if any(_looks_like_value(c.text) for c in below.cells):
        return False
    return all(_overlapping(spans, c.x0, c.x1) >= 0 for c in below.cells)


def _overlapping(spans: Sequence[tuple[float, float]], x0: float, x1: float) -> int:
    overlaps = [min(x1, s1) - max(x0, s0) for s0, s1 in spans]
    best = max(range(len(overlaps)), key=overlaps.__getitem__)
    return best if overlaps[best] > 0 else -1


def _looks_like_value(text: str) -> bool:
    return _is_date(text) or _is_amount(text)


def _rule_bounds(
    page: PageText, spans: Sequence[tuple[float, float]], top: float, bottom: float
) -> list[tuple[float, float] | None]:
    """The vertical rules left and right of each header cell, when rules cross the header."""
    xs = sorted({round(x, 1) for x, t, b in page.vrules if t <= top + 2 and b >= bottom - 2})
    if len(xs) < 3:
        return [None] * len(spans)
    out: list[tuple[float, float] | None] = []
    for s0, s1 in spans:
        middle = (s0 + s1) / 2
        left = max((x for x in xs if x <= middle), default=None)
        right = min((x for x in xs if x > middle), default=None)
        out.append((left, right) if left is not None and right is not None else None)
    return out


def _is_date(text: str) -> bool:
    text = text.strip()
    if not text or not any(ch.isdigit() for ch in text):
        return False
    if yearless(text) is not None:
        return True  # 10/03, 03.11., 03 Nov: the year comes from the statement's period
    for dayfirst in (True, False):
        try:
            parse_date(text, dayfirst=dayfirst)
            return True
        except DateError:
            continue
    return False


def _is_amount(text: str) -> bool:
    return reads_as_amount(unless_placeholder(without_mark(text), zero=False))


def is_page_footer(line: TextLine) -> bool:
    """True for a page number line ("第 1 页 共 3 页", "Page 1 of 3", "1/3")."""
    text = unicodedata.normalize("NFKC", " ".join(line.text.split()))
    return bool(_PAGE_FOOTER.match(text))


# --------------------------------------------------------------------------------------------
# rows


@dataclass(slots=True)
class Record:
    """One table row being read: the texts of each column and the lines it came from."""

    texts: dict[int, list[str]]
    top: float
    bottom: float
    height: float
    dated: bool
    money: bool
    balance: bool

    def join(self, texts: Mapping[int, list[str]], line: TextLine) -> None:
        for index, parts in texts.items():
            self.texts.setdefault(index, []).extend(parts)
        self.bottom = line.bottom

    def cells(self, width: int) -> Row:
        return [_join_lines(self.texts.get(i, [])) for i in range(width)]


def _join_lines(parts: Sequence[str]) -> str:
    """Join a cell's lines: Chinese text wraps anywhere (no space), Latin text at a space."""
    if not parts:
        return ""
    if any(_CJK.search(p) for p in parts):
        return "".join(parts)
    return " ".join(parts)


class RowReader:
    """Reads the rows of one page's table into :class:`Record` objects."""

    def __init__(self, columns: Columns) -> None:
        self.columns = columns
        self.dates = columns.of_role(_DATE_ROLES)
        self.money = columns.of_role(_MONEY_ROLES)
        self.balances = columns.of_role(("balance",))
        self.text_only = set(range(len(columns.texts))) - set(self.money) - set(self.balances)

    def record(self, texts: dict[int, list[str]], line: TextLine) -> Record:
        """A row begun with ``line`` (whose texts by column are ``texts``)."""
        record = Record(texts, line.top, line.bottom, line.height, False, False, False)
        self.settle(record)
        return record

    def settle(self, record: Record) -> None:
        """Decide from the row's texts whether it has a date, an amount and a balance."""

        def has(indexes: Sequence[int], test: Callable[[str], bool]) -> bool:
            return any(test(" ".join(record.texts.get(i, []))) for i in indexes)

        record.dated = has(self.dates[:1], _is_date)
        record.money = has(self.money, _is_amount)
        record.balance = has(self.balances, _is_amount)

    def ruled(self, page: PageText, lines: Sequence[TextLine], start: float) -> list[Record] | None:
        """Rows between the horizontal rules of a grid, or None when the table has none.

        :param start: where the table's rows begin: the header's bottom, or the top of a page
            that does not repeat the header. Below the last rule only dated lines are rows
            (each its own); the rest there is the page's foot.
        """
        c = self.columns
        width = c.right - c.left
        tops = sorted(
            {round(t, 1) for t, x0, x1 in page.hrules if t >= start - 2 and x1 - x0 > width / 2}
        )
        if len(tops) < 2:
            return None
        if tops[0] - start > 2:
            tops.insert(0, start)  # rules under each row, none under the header
        records: dict[int, Record] = {}
        for k, line in enumerate(lines):
            band = sum(1 for t in tops if t <= (line.top + line.bottom) / 2)
            texts = c.assign(line)
            if band >= len(tops):
                band = len(tops) + k  # below the grid
                if not self.record(texts, line).dated:
                    continue
            if band in records:
                records[band].join(texts, line)
            elif band:
                records[band] = self.record(texts, line)
        rows = [records[k] for k in sorted(records)]
        for row in rows:
            self.settle(row)  # a wrapped cell's first line may stand above the row's date
        return rows

    def flowing(self, lines: Sequence[TextLine]) -> list[Record]:
        """Rows of a table without rules: a date, an amount or a wrapped text decides."""
        read = [
            (line, texts, self.record(texts, line))
            for line in lines
            for texts in [self.columns.assign(line)]
        ]
        # for each line, whether the next line with a date or an amount has an amount
        amount_ahead = [False] * len(read)
        ahead = False
        for index in range(len(read) - 1, -1, -1):
            amount_ahead[index] = ahead
            later = read[index][2]
            if (later.dated or later.money or later.balance) and not _is_total(read[index][1]):
                # a total ("Total Deposits and Additions $12,345.67") is no entry's amount line
                ahead = not later.dated
        records: list[Record] = []
        for index, (line, texts, new) in enumerate(read):
            current = records[-1] if records else None
            near = current is not None and line.top - current.bottom < current.height
            if current is None or new.dated:
                records.append(new)
            elif new.money or new.balance:
                if near and not (current.money or current.balance):
                    current.join(texts, line)  # the details above, the amount on this line
                    current.money, current.balance = new.money, new.balance
                else:
                    records.append(new)
            elif (
                near
                and set(texts) <= self.text_only
                and not (amount_ahead[index] and (current.money or current.balance))
            ):
                # a wrapped description; but after a complete row, text followed by an amount
                # before any date begins the next entry (HSBC UK prints the amount on the last
                # line of an entry's details)
                current.join(texts, line)
            else:
                records.append(new)
        return records


def _is_total(texts: Mapping[int, list[str]]) -> bool:
    return is_footer([" ".join(parts) for _, parts in sorted(texts.items())])


def fill_dates(records: Sequence[Record], date_column: int | None, last: str) -> str:
    """Give an undated row with an amount the date of the row above (one date per day).

    :returns: the last date seen, for the next page.
    """
    if date_column is None:
        return last
    for record in records:
        written = " ".join(record.texts.get(date_column, []))
        if record.dated:
            last = written
        elif record.money and last and not written:
            cells = [" ".join(parts) for _, parts in sorted(record.texts.items())]
            if not is_footer(cells):
                record.texts[date_column] = [last]
    return last
