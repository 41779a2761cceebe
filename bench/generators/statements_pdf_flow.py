"""What the world statements of :mod:`.statements_pdf_world` and :mod:`.statements_pdf_us`
share: their transactions and a table drawn down the pages, breaking to a new page when full."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from .statements_pdf_draw import Sheet, Table

_NAMES = (
    "AMAZON MKTPL*2K4L19 AMZN.COM/BILL WA",
    "ORIG CO NAME:GLOBEX INDUSTRIAL SUPPLIES LTD ORIG ID:1234567890 DESC DATE:261003 CO ENTRY "
    "DESCR:PAYROLL",
    "NORTHWIND TRADERS",
    "ACME INSURANCE SERVICES LIMITED PREMIUM 2026-0042",
    "ZELLE PAYMENT TO JOHN SMITH JPM99A1B2C3",
)
_PAGE_BOTTOM = 760.0


@dataclass(frozen=True, slots=True)
class Item:
    """One transaction: its date, unsigned amount, direction, text and check number."""

    date: dt.date
    amount: Decimal
    incoming: bool
    text: str
    section: str = ""
    check: str = ""


def items(count: int, start: dt.date, end: dt.date) -> list[Item]:
    """``count`` items spread over ``start``..``end``, one in three money in."""
    span = (end - start).days
    out: list[Item] = []
    for k in range(count):
        day = start + dt.timedelta(days=(k * span) // max(count - 1, 1))
        amount = Decimal((k * 7919) % 250000 + 1) / 100
        if k % 11 == 5:
            amount += Decimal("12345")
        out.append(Item(day, amount, k % 3 == 0, _NAMES[k % len(_NAMES)]))
    return out


@dataclass(slots=True)
class Flow:
    """Draws table rows down the pages, breaking to a new page (with its head) when full."""

    sheet: Sheet
    table: Table
    filename: str
    head: Callable[[int], float]
    """Draws a page's head; returns where the table starts."""
    page: int = 1
    top: float = 0.0
    row_on_page: int = 0
    repeat: Callable[[], None] | None = None
    """Draws what a table continued on a new page prints first (heading, header)."""
    pages: list[int] = field(default_factory=list)

    def start(self) -> None:
        self.top = self.head(self.page)

    def need(self, lines: int) -> None:
        if self.top + lines * self.table.leading + 4 > _PAGE_BOTTOM:
            self.sheet.page_break()
            self.page += 1
            self.row_on_page = 0
            self.top = self.head(self.page)
            if self.repeat is not None:
                self.repeat()

    def text(self, text: str, size: float = 10) -> None:
        self.need(2)
        self.sheet.text(self.table.x, self.top + 6, text, size, "Helvetica-Bold")
        self.top += size + 12

    def header(self) -> None:
        self.need(3)
        self.top = self.table.header(self.top)

    def row(self, cells: Sequence[Sequence[str]]) -> str:
        """Draw one row; return its ``source``."""
        self.need(max(len(c) for c in cells))
        self.top = self.table.row(self.top, cells)
        self.row_on_page += 1
        return f"{self.filename}#page={self.page}/row={self.row_on_page}"


def usd(value: Decimal) -> str:
    return f"{value:,.2f}"


def eu(value: Decimal) -> str:
    return f"{value:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
