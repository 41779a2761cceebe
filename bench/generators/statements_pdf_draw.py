"""Drawing helpers for :mod:`bench.generators.statements_pdf`: pages addressed from the top,
tables of cells that may hold several lines, ruled (a grid) or not."""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from dataclasses import dataclass, field

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

_TTF_PATH = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
EN = "Helvetica"


def _register_cn_font() -> str:
    if os.path.exists(_TTF_PATH):
        pdfmetrics.registerFont(TTFont("WQYZenHeiStmt", _TTF_PATH, subfontIndex=0))
        return "WQYZenHeiStmt"
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


CN = _register_cn_font()


# --------------------------------------------------------------------------------------------
# drawing: a page addressed from its top, columns of cells that may hold several lines


@dataclass(slots=True)
class Column:
    """One table column: its header lines, width, alignment and font."""

    header: tuple[str, ...]
    width: float
    align: str = "left"
    font: str = CN
    valign: str = "top"
    """Where a cell's lines sit in a taller row: top, bottom or middle."""


@dataclass(slots=True)
class Sheet:
    """A multi-page canvas; ``y`` counts down from the top of the current page."""

    pagesize: tuple[float, float]
    buffer: io.BytesIO = field(default_factory=io.BytesIO)
    canvas: Canvas | None = None

    def __post_init__(self) -> None:
        self.canvas = Canvas(self.buffer, pagesize=self.pagesize, invariant=True)

    @property
    def c(self) -> Canvas:
        assert self.canvas is not None
        return self.canvas

    def text(self, x: float, top: float, text: str, size: float = 8, font: str = CN) -> None:
        self.c.setFont(font, size)
        self.c.drawString(x, self.pagesize[1] - top - size, text)

    def aligned(
        self, x0: float, width: float, top: float, text: str, column: Column, size: float
    ) -> None:
        self.c.setFont(column.font, size)
        y = self.pagesize[1] - top - size
        if column.align == "right":
            self.c.drawRightString(x0 + width - 3, y, text)
        elif column.align == "center":
            self.c.drawCentredString(x0 + width / 2, y, text)
        else:
            self.c.drawString(x0 + 3, y, text)

    def hline(self, x0: float, x1: float, top: float) -> None:
        self.c.line(x0, self.pagesize[1] - top, x1, self.pagesize[1] - top)

    def vline(self, x: float, top: float, bottom: float) -> None:
        self.c.line(x, self.pagesize[1] - top, x, self.pagesize[1] - bottom)

    def page_break(self) -> None:
        self.c.showPage()

    def done(self) -> bytes:
        self.c.showPage()
        self.c.save()
        return self.buffer.getvalue()


@dataclass(slots=True)
class Table:
    """Draws rows of cells (each a list of lines) under a header, ruled or not."""

    sheet: Sheet
    columns: Sequence[Column]
    x: float
    ruled: bool
    size: float = 8
    leading: float = 11

    @property
    def right(self) -> float:
        return self.x + sum(c.width for c in self.columns)

    def header(self, top: float) -> float:
        rows = max(len(c.header) for c in self.columns)
        return self.row(top, [list(c.header) for c in self.columns], header=True, lines=rows)

    def row(
        self, top: float, cells: Sequence[Sequence[str]], *, header: bool = False, lines: int = 0
    ) -> float:
        """Draw one row at ``top``; return the top of the next."""
        count = lines or max(1, max(len(c) for c in cells))
        pad = 3 if self.ruled else 1
        height = count * self.leading + 2 * pad
        x = self.x
        for column, cell in zip(self.columns, cells, strict=True):
            offset = 0.0
            valign = "top" if header else column.valign
            if self.ruled and not header:
                valign = "middle"  # grid statements centre every cell in its row
            if valign == "bottom":
                offset = (count - len(cell)) * self.leading
            elif valign == "middle":
                offset = (count - len(cell)) * self.leading / 2
            for k, text in enumerate(cell):
                top_k = top + pad + offset + k * self.leading
                self.sheet.aligned(x, column.width, top_k, text, column, self.size)
            x += column.width
        if self.ruled:
            self.sheet.hline(self.x, self.right, top)
            self.sheet.hline(self.x, self.right, top + height)
            x = self.x
            for column in self.columns:
                self.sheet.vline(x, top, top + height)
                x += column.width
            self.sheet.vline(x, top, top + height)
        return top + height


def wrap(text: str, width: float, font: str, size: float) -> list[str]:
    """Break ``text`` into lines that fit ``width`` (at spaces, or anywhere in CJK text)."""
    lines: list[str] = []
    current = ""
    pieces = text.split(" ") if " " in text and font == EN else list(text)
    joiner = " " if font == EN and " " in text else ""
    for piece in pieces:
        candidate = f"{current}{joiner}{piece}" if current else piece
        if pdfmetrics.stringWidth(candidate, font, size) > width - 6 and current:
            lines.append(current)
            current = piece
        else:
            current = candidate
    return [*lines, current] if current else lines
