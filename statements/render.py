"""Render a built statement as a PDF business document (reportlab platypus)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from .errors import RenderError
from .fonts import FontChoice, statement_font
from .labels import BUCKET_LABELS, LABELS, line_description, long_date, money
from .model import (
    AgingBucket,
    CurrencySection,
    Language,
    StatementData,
    StatementLine,
)

__all__ = [
    "SIGNATURE_BOX_SIZE",
    "RenderedStatement",
    "SignatureBox",
    "line_description",
    "money",
    "render_statement",
]

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 15 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
#: size of the customer's signature field (the approval stamp is drawn to fit it)
SIGNATURE_BOX_SIZE = (270.0, 78.0)
ACCENT = colors.HexColor("#1f3a5f")
RULE = colors.HexColor("#b8c2cc")
ZEBRA = colors.HexColor("#f3f5f8")


@dataclass(frozen=True)
class SignatureBox:
    """Where the customer's signature field goes: 0-based page index and a PDF-unit box."""

    page: int
    x1: float
    y1: float
    x2: float
    y2: float

    @property
    def box(self) -> tuple[int, int, int, int]:
        """The box as pyHanko wants it: whole PDF units ``(x1, y1, x2, y2)``."""
        return round(self.x1), round(self.y1), round(self.x2), round(self.y2)


@dataclass(frozen=True)
class RenderedStatement:
    """The PDF bytes of a statement and where its signature field belongs."""

    pdf: bytes
    page_count: int
    signature_box: SignatureBox
    font: FontChoice


class _SignaturePlaceholder(Flowable):  # type: ignore[misc]
    """An outlined box whose position on the page becomes the signature field's rectangle."""

    def __init__(self, caption: str, font: str) -> None:
        super().__init__()
        self.width, self.height = SIGNATURE_BOX_SIZE
        self.caption = caption
        self.font = font
        self.position: SignatureBox | None = None

    def draw(self) -> None:
        canv: Canvas = self.canv
        canv.saveState()
        canv.setStrokeColor(RULE)
        canv.setDash(3, 2)
        canv.rect(0, 0, self.width, self.height)
        canv.setFillColor(colors.grey)
        canv.setFont(self.font, 7)
        canv.drawString(4, 4, self.caption)
        canv.restoreState()
        x, y = canv.absolutePosition(0, 0)
        self.position = SignatureBox(
            page=canv.getPageNumber() - 1, x1=x, y1=y, x2=x + self.width, y2=y + self.height
        )


def _numbered_canvas(footer: str, font: str, header: str, page_label: str) -> type[Canvas]:
    """A canvas class that prints "page N of M" once every page is known."""

    class NumberedCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._saved_pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._saved_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            pages = len(self._saved_pages)
            for state in self._saved_pages:
                self.__dict__.update(state)
                self._draw_furniture(pages)
                super().showPage()
            super().save()

        def _draw_furniture(self, pages: int) -> None:
            page = self.getPageNumber()
            self.saveState()
            self.setFont(font, 7.5)
            self.setFillColor(colors.grey)
            self.setStrokeColor(RULE)
            self.line(MARGIN, 12 * mm, PAGE_WIDTH - MARGIN, 12 * mm)
            self.drawString(MARGIN, 8 * mm, footer)
            self.drawRightString(
                PAGE_WIDTH - MARGIN, 8 * mm, page_label.format(page=page, pages=pages)
            )
            if page > 1:
                self.drawString(MARGIN, PAGE_HEIGHT - 10 * mm, header)
            self.restoreState()

    return NumberedCanvas


class _Renderer:
    def __init__(self, data: StatementData, font: FontChoice) -> None:
        self.data = data
        self.choice = font
        self.font = font.name
        self.lang: Language = data.language
        self.t = LABELS[self.lang]
        wrap = "CJK" if self.lang == "zh" else "LTR"
        self.body = ParagraphStyle("body", fontName=self.font, fontSize=9, leading=12.5)
        self.body.wordWrap = wrap
        self.small = ParagraphStyle("small", parent=self.body, fontSize=7.5, leading=10)
        self.h1 = ParagraphStyle(
            "h1", parent=self.body, fontSize=17, leading=21, textColor=ACCENT, alignment=TA_RIGHT
        )
        self.h2 = ParagraphStyle(
            "h2", parent=self.body, fontSize=11, leading=15, textColor=ACCENT, spaceBefore=8
        )
        self.section_heading = ParagraphStyle(
            "section",
            parent=self.body,
            fontSize=13,
            leading=17,
            textColor=colors.white,
            backColor=ACCENT,
            borderPadding=(3, 4, 3, 4),
            spaceBefore=6,
            spaceAfter=2,
        )
        self.company = ParagraphStyle(
            "company", parent=self.body, fontSize=12.5, leading=16, textColor=ACCENT
        )
        self.notice = ParagraphStyle(
            "notice",
            parent=self.body,
            fontSize=9.5,
            leading=13,
            borderColor=ACCENT,
            borderWidth=0.8,
            borderPadding=6,
            backColor=ZEBRA,
        )

    def p(self, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(escape(text), style or self.body)

    def table_style(self, header_rows: int = 1, *, numeric_from: int) -> TableStyle:
        return TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), self.font, 8),
                ("FONT", (0, 0), (-1, header_rows - 1), self.font, 8),
                ("BACKGROUND", (0, 0), (-1, header_rows - 1), ACCENT),
                ("TEXTCOLOR", (0, 0), (-1, header_rows - 1), colors.white),
                ("ALIGN", (numeric_from, 0), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LINEBELOW", (0, header_rows), (-1, -1), 0.25, RULE),
                ("ROWBACKGROUNDS", (0, header_rows), (-1, -1), [colors.white, ZEBRA]),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ]
        )

    def letterhead(self) -> list[Flowable]:
        d, t = self.data, self.t
        left: list[Flowable] = []
        logo = d.company.logo_path
        if logo is not None and logo.is_file():
            try:
                image = Image(str(logo))
            except OSError as exc:
                raise RenderError(f"cannot read the company logo {logo}: {exc}") from exc
            scale = min(1.0, (16 * mm) / image.drawHeight, (60 * mm) / image.drawWidth)
            image.drawHeight *= scale
            image.drawWidth *= scale
            image.hAlign = "LEFT"
            left.append(image)
        left.append(self.p(d.company.name, self.company))
        for line in d.company.address.splitlines():
            left.append(self.p(line, self.small))
        period = f"{d.period_start.isoformat()} – {d.period_end.isoformat()}"
        facts = Table(
            [
                [t["number"], d.number],
                [t["issued"], d.issued_on.isoformat()],
                [t["period"], period],
                [t["currency"], " / ".join(d.currencies)],
            ],
            colWidths=[28 * mm, 52 * mm],
            style=[
                ("FONT", (0, 0), (-1, -1), self.font, 8.5),
                ("TEXTCOLOR", (0, 0), (0, -1), colors.grey),
                ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ],
        )
        right = [self.p(t["title"], self.h1), Spacer(1, 4), facts]
        head = Table(
            [[left, right]],
            colWidths=[CONTENT_WIDTH - 82 * mm, 82 * mm],
            style=[
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 1.2, ACCENT),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
                ("LEFTPADDING", (0, 0), (0, 0), 0),
                ("RIGHTPADDING", (-1, 0), (-1, 0), 0),
            ],
        )
        return [head, Spacer(1, 8)]

    def customer_and_summary(self) -> list[Flowable]:
        d, t = self.data, self.t
        customer: list[Flowable] = [
            self.p(t["customer"], self.small),
            self.p(d.customer.name, self.company),
            self.p(f"{t['account']}: {d.customer.code}", self.small),
        ]
        for line in d.customer.address.splitlines():
            customer.append(self.p(line, self.small))
        if d.customer.email:
            customer.append(self.p(d.customer.email, self.small))
        sections = self.data.sections
        rows = [
            [t["summary"], *(s.currency for s in sections)],
            [t["opening"], *(money(s.opening_balance) for s in sections)],
            [t["charges"], *(money(s.total_charges) for s in sections)],
            [t["payments"], *(money(-s.total_payments) for s in sections)],
            [t["credits"], *(money(-s.total_credits) for s in sections)],
            [t["closing"], *(money(s.closing_balance) for s in sections)],
            [t["disputed"], *(money(s.disputed_amount) for s in sections)],
        ]
        multi = len(sections) > 1
        amount_width = (CONTENT_WIDTH - 52 * mm) / len(sections) if multi else 30 * mm
        summary = Table(
            rows,
            colWidths=[52 * mm] + [amount_width] * len(sections),
            style=[
                *self.table_style(numeric_from=1).getCommands(),
                ("FONT", (0, 5), (-1, 5), self.font, 9.5),
                ("LINEABOVE", (0, 5), (-1, 5), 1, ACCENT),
                ("TEXTCOLOR", (0, 6), (-1, 6), colors.HexColor("#9a3412")),
            ],
        )
        out: list[Flowable]
        if multi:
            # one column per currency, across the page: never a total over currencies
            out = [*customer, Spacer(1, 6), summary, Spacer(1, 3)]
            out += [self.p(t["sections_note"], self.small), Spacer(1, 6)]
        else:
            block = Table(
                [[customer, summary]],
                colWidths=[CONTENT_WIDTH - 84 * mm, 84 * mm],
                style=[
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (0, 0), 0),
                    ("RIGHTPADDING", (-1, 0), (-1, 0), 0),
                ],
            )
            out = [block, Spacer(1, 6)]
        if d.supersedes:
            out.append(self.p(t["supersedes"].format(number=d.supersedes), self.notice))
            out.append(Spacer(1, 6))
        return out

    def describe(self, line: StatementLine) -> str:
        # the note on a line booked late goes on a line of its own: the column is narrow
        return line_description(line, self.lang, late_sep="\n")

    def activity(self, d: CurrencySection) -> list[Flowable]:
        t = self.t
        columns = ("date", "document", "description", "due", "debit", "credit", "balance")
        rows: list[list[str]] = [[t[column] for column in columns]]
        rows.append(["", "", t["brought_forward"], "", "", "", money(d.opening_balance)])
        for line in d.lines:
            rows.append(
                [
                    # a line booked late shows its own date; the note says why it is here
                    line.own_date.isoformat(),
                    line.document,
                    self.describe(line),
                    line.due_date.isoformat() if line.due_date else "",
                    money(line.debit) if line.debit else "",
                    money(line.credit) if line.credit else "",
                    money(line.balance),
                ]
            )
        rows.append(
            [
                "",
                "",
                t["carried_forward"],
                "",
                money(d.total_charges),
                money(d.total_payments + d.total_credits),
                money(d.closing_balance),
            ]
        )
        widths = [17 * mm, 33 * mm, 46 * mm, 17 * mm, 22 * mm, 22 * mm]
        widths.append(CONTENT_WIDTH - sum(widths))
        style = self.table_style(numeric_from=4)
        style.add("LINEABOVE", (0, -1), (-1, -1), 1, ACCENT)
        style.add("FONT", (0, -1), (-1, -1), self.font, 8.5)
        out: list[Flowable] = [
            self.p(t["activity"], self.h2),
            Table(rows, colWidths=widths, repeatRows=1, style=style),
        ]
        if not d.lines:
            out.append(self.p(t["no_activity"], self.small))
        return out

    def open_items(self, d: CurrencySection) -> list[Flowable]:
        t = self.t
        columns = (
            "document",
            "date",
            "due",
            "days_overdue",
            "invoice_amount",
            "open_amount",
            "disputed_col",
        )
        rows: list[list[str]] = [[t[column] for column in columns]]
        for item in d.open_items:
            rows.append(
                [
                    item.document,
                    item.date.isoformat(),
                    item.due_date.isoformat(),
                    str(item.days_overdue) if item.days_overdue else "",
                    money(item.amount),
                    money(item.open_amount),
                    money(item.disputed_amount) if item.disputed_amount else "",
                ]
            )
        widths = [36 * mm, 20 * mm, 20 * mm, 20 * mm, 27 * mm, 27 * mm]
        widths.append(CONTENT_WIDTH - sum(widths))
        out: list[Flowable] = [self.p(t["open_items"], self.h2)]
        if d.open_items:
            style = self.table_style(numeric_from=3)
            out.append(Table(rows, colWidths=widths, repeatRows=1, style=style))
        else:
            out.append(self.p(t["no_open_items"], self.small))
        return out

    def aging(self, d: CurrencySection) -> list[Flowable]:
        t = self.t
        labels = BUCKET_LABELS[self.lang]
        header = [labels[b] for b in AgingBucket] + [t["unapplied"], t["total"]]
        values = [money(d.aging.buckets[b]) for b in AgingBucket]
        values += [money(-d.aging.unapplied), money(d.aging.total)]
        width = CONTENT_WIDTH / len(header)
        style = self.table_style(numeric_from=0)
        style.add("FONT", (-1, 1), (-1, 1), self.font, 9)
        table = Table([header, values], colWidths=[width] * len(header), style=style)
        return [KeepTogether([self.p(t["aging"], self.h2), table])]

    def closing(self) -> tuple[list[Flowable], _SignaturePlaceholder]:
        d, t = self.data, self.t
        link = d.company.portal_url or "—"
        notice = t["notice"].format(date=long_date(d.respond_by, self.lang), link=link)
        placeholder = _SignaturePlaceholder(t["confirmation_help"], self.font)
        block = KeepTogether(
            [
                Spacer(1, 10),
                self.p(notice, self.notice),
                Spacer(1, 12),
                self.p(t["confirmation"], self.h2),
                placeholder,
            ]
        )
        return [block], placeholder

    def build(self) -> RenderedStatement:
        story: list[Flowable] = []
        story += self.letterhead()
        story += self.customer_and_summary()
        multi = len(self.data.sections) > 1
        for section in self.data.sections:
            if multi:
                heading = self.t["section"].format(currency=section.currency)
                story += [Spacer(1, 6), self.p(heading, self.section_heading)]
            story += self.activity(section)
            story += self.open_items(section)
            story += self.aging(section)
        closing, placeholder = self.closing()
        story += closing

        buffer = io.BytesIO()
        d = self.data
        doc = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=16 * mm,
            title=f"{self.t['title']} {d.number}",
            author=d.company.name,
            subject=f"{d.customer.name} {d.period_start.isoformat()} – {d.period_end.isoformat()}",
            creator="Concord",
        )
        footer = f"{d.company.name} · {d.number}"
        canvas_class = _numbered_canvas(footer, self.font, footer, self.t["page"])
        doc.build(story, canvasmaker=canvas_class)
        if placeholder.position is None:  # pragma: no cover - reportlab always draws it
            raise RenderError("the signature placeholder was not laid out")
        pdf = buffer.getvalue()
        return RenderedStatement(
            pdf=pdf,
            page_count=doc.page,
            signature_box=placeholder.position,
            font=self.choice,
        )


def render_statement(data: StatementData, *, font: FontChoice | None = None) -> RenderedStatement:
    """Render ``data`` as a PDF in the customer's language.

    :param font: the font to use; default :func:`statements.fonts.statement_font`.
    :raises RenderError: when the logo cannot be read or layout fails.
    """
    chosen = font or statement_font()
    try:
        return _Renderer(data, chosen).build()
    except RenderError:
        raise
    except Exception as exc:  # reportlab raises bare LayoutError/ValueError on bad layouts
        raise RenderError(f"cannot render statement {data.number}: {exc}") from exc
