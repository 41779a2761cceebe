"""US account statements printed in sections (Chase, Bank of America), drawn with reportlab:
one table per direction under its heading, positive amounts (or, at Bank of America, money out
with a minus), a total under each table, checks in a table of their own and a table of daily
balances to leave out. See :mod:`.statements_pdf_world` for the layouts.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from reportlab.lib.pagesizes import A4

from .statements_pdf import Expected
from .statements_pdf_draw import EN, Column, Sheet, Table, wrap
from .statements_pdf_flow import Flow, Item, items, usd


@dataclass(frozen=True, slots=True)
class UsStyle:
    """How a US bank prints its sections: headings, check table, dates, signs and totals."""

    deposits: str
    checks: str
    card: str
    electronic: str
    fees: str
    period: Callable[[dt.date, dt.date], str]
    date: Callable[[dt.date], str]
    check_columns: tuple[tuple[str, float, str], ...]
    """(header, width, what the column holds: number, text, date, amount)."""
    negative_out: bool
    """Money-out sections print their amounts with a minus (Bank of America)."""
    summary: bool
    """A CHECKING SUMMARY above the tables naming each section with a count and a total."""
    caps_total: bool


CHASE = UsStyle(
    "DEPOSITS AND ADDITIONS",
    "CHECKS PAID",
    "ATM & DEBIT CARD WITHDRAWALS",
    "ELECTRONIC WITHDRAWALS",
    "FEES",
    lambda a, b: f"{a:%B %d, %Y} through {b:%B %d, %Y}",
    lambda d: f"{d:%m/%d}",
    (
        ("CHECK NO.", 70, "number"),
        ("DESCRIPTION", 230, "text"),
        ("DATE PAID", 90, "date"),
        ("AMOUNT", 90, "amount"),
    ),
    negative_out=False,
    summary=True,
    caps_total=False,
)
BOA = UsStyle(
    "Deposits and other additions",
    "Checks",
    "Withdrawals and other subtractions",
    "Other subtractions",
    "Service fees",
    lambda a, b: f"for {a:%B} {a.day}, {a.year} to {b:%B} {b.day}, {b.year}",
    lambda d: f"{d:%m/%d/%y}",
    (("Date", 60, "date"), ("Check #", 90, "number"), ("Amount", 90, "amount")),
    negative_out=True,
    summary=False,
    caps_total=True,
)


def us_items(style: UsStyle, count: int, start: dt.date, end: dt.date) -> list[Item]:
    out: list[Item] = []
    for k, item in enumerate(items(count, start, end)):
        if item.incoming:
            section = style.deposits
        elif k % 7 == 1:
            out.append(dataclasses.replace(item, section=style.checks, check=str(1001 + k)))
            continue
        elif k % 13 == 2:
            section = style.fees
        else:
            section = style.card if k % 2 else style.electronic
        text = "Monthly Service Fee" if section == style.fees else item.text
        out.append(dataclasses.replace(item, section=section, text=text))
    return out


def draw_us(
    style: UsStyle,
    entries: Sequence[Item],
    filename: str,
    period: tuple[dt.date, dt.date] | None,
) -> tuple[bytes, list[Expected], int]:
    sheet = Sheet(A4)
    text_cols = [
        Column(("DATE",) if style.summary else ("Date",), 60, font=EN),
        Column(("DESCRIPTION",) if style.summary else ("Description",), 330, font=EN),
        Column(("AMOUNT",) if style.summary else ("Amount",), 90, "right", EN),
    ]
    check_kinds = [kind for _, _, kind in style.check_columns]
    check_cols = [
        Column((name,), width, "right" if kind == "amount" else "left", EN)
        for name, width, kind in style.check_columns
    ]
    sections = (style.deposits, style.checks, style.card, style.electronic, style.fees)

    def head(page: int) -> float:
        sheet.text(40, 40, "CHASE" if style.summary else "Bank of America", 14, EN)
        if period is not None and page == 1:
            sheet.text(300, 40, style.period(*period), 9, EN)
        sheet.text(300, 54, "Primary Account: 000000123456789", 9, EN)
        sheet.text(500, 800, f"Page {page}", 7, EN)
        if page == 1 and style.summary:
            # Chase's CHECKING SUMMARY: each section with its count and total, no dates
            sheet.text(40, 80, "CHECKING SUMMARY", 10, "Helvetica-Bold")
            sheet.text(40, 96, "Beginning Balance", 8.5, EN)
            sheet.text(420, 96, "$50,000.00", 8.5, EN)
            for k, title in enumerate(sections, start=1):
                rows = [e for e in entries if e.section == title]
                total = sum((e.amount for e in rows), Decimal(0))
                sign = "" if title == style.deposits else "-"
                sheet.text(40, 96 + 12 * k, title.title(), 8.5, EN)
                sheet.text(330, 96 + 12 * k, str(len(rows)), 8.5, EN)
                sheet.text(420, 96 + 12 * k, f"{sign}{usd(total)}", 8.5, EN)
            return 190.0
        return 90.0

    flow = Flow(sheet, Table(sheet, text_cols, 40, ruled=False, size=8.5), filename, head)
    flow.start()
    expected: list[Expected] = []
    for title in sections:
        rows = [e for e in entries if e.section == title]
        if not rows:
            continue
        incoming = title == style.deposits
        checks = title == style.checks
        flow.table = Table(sheet, check_cols if checks else text_cols, 40, ruled=False, size=8.5)

        def repeat(title: str = title) -> None:
            flow.text(f"{title} - continued" if not style.summary else f"{title} (continued)")
            flow.header()

        flow.repeat = None
        flow.text(title)
        flow.header()
        flow.repeat = repeat
        minus = "-" if style.negative_out and not incoming else ""
        for e in rows:
            date = style.date(e.date)
            if checks:
                by_kind = {
                    "number": [e.check],
                    "text": ["^"],
                    "date": [date],
                    "amount": [f"{minus}{usd(e.amount)}"],
                }
                cells = [by_kind[kind] for kind in check_kinds]
                reference = "^" if "text" in check_kinds else ""
            else:
                lines = wrap(f"{e.text}", 330, EN, 8.5)
                cells = [[date], lines, [f"{minus}{usd(e.amount)}"]]
                reference = " ".join(lines)
            source = flow.row(cells)
            direction = "credit" if incoming else "debit"
            expected.append(
                Expected(
                    e.date,
                    e.amount,
                    direction,
                    "USD",
                    None,
                    None,
                    reference,
                    None,
                    source,
                    e.check or None,
                )
            )
        total = f"{minus}${usd(sum((e.amount for e in rows), Decimal(0)))}"
        label = f"Total {title.lower() if style.caps_total else title.title()}"
        cells = (
            [
                [label] if kind == check_kinds[0] else [total] if kind == "amount" else []
                for kind in check_kinds
            ]
            if checks
            else [[], [label], [total]]
        )
        if checks and check_kinds[0] != "number":
            cells = [[] for _ in check_kinds]
            cells[1], cells[-1] = [label], [total]
        flow.row(cells)
        flow.repeat = None
        flow.top += 14
    flow.table = Table(sheet, [text_cols[0], text_cols[2]], 40, ruled=False, size=8.5)
    flow.text("DAILY ENDING BALANCE" if style.summary else "Daily ledger balances")
    flow.header()
    for e in entries[:3]:
        flow.row([[style.date(e.date)], [usd(e.amount * 3)]])
    return sheet.done(), expected, flow.page
