"""PDF account statements of US, European and Asian banks, drawn with reportlab, with what
they record. Like :mod:`.statements_pdf`, each layout imitates a family, not one bank:

``us``        sectioned (Chase, Bank of America, Citi, US Bank): one table per direction under
              a heading (DEPOSITS AND ADDITIONS, CHECKS PAID with Check No. | Date Paid |
              Amount, ATM & DEBIT CARD WITHDRAWALS, ELECTRONIC WITHDRAWALS, FEES), positive
              amounts everywhere, MM/DD dates with the year from "October 01, 2026 through
              October 31, 2026", a total under each table, a section continued on the next page
              under "(continued)" and its header again, a DAILY ENDING BALANCE table to leave out
              and a CHECKING SUMMARY above the tables (each section's count and total)
``us_newyear`` the same over December to January: the year crosses
``us_boa``    Bank of America's sections (Deposits and other additions, Checks with Date |
              Check # | Amount, Withdrawals and other subtractions printed with a minus,
              Service fees), MM/DD/YY dates and "for October 1, 2026 to October 31, 2026"
``us_noyear`` the same without any period or date above the tables: refused, not guessed
``de``        Sparkasse/Deutsche Bank Kontoauszug: Buchungstag | Wert | Verwendungszweck |
              Betrag with "03.11." dates, "1.234,56-" amounts, "Kontoauszug 11/2026",
              alter/neuer Kontostand rows
``de_sh``     the same with "1.234,56 S"/"H" amounts and "vom 01.11.2026 bis 30.11.2026"
``de_newyear`` "Kontoauszug 01/2027" whose first entry is valued 31.12. (the year before)
``de_sollhaben`` Buchungstag | Wert | Verwendungszweck | Soll | Haben
``fr``        relevé de compte: Date | Libellé | Débit | Crédit, Solde précédent, Total des
              opérations, "Du 01/11/2026 au 30/11/2026"
``nl``        rekeningafschrift: Datum | Omschrijving | Af | Bij with "03-11" dates, the period
              printed only at the foot of the first page
``sg``        DBS/OCBC/UOB/HSBC HK: Date | Description | Withdrawal | Deposit | Balance with
              "03 Nov" dates, BALANCE B/F and Balance Carried Forward, the year from "Statement
              Date 30 Nov 2026"
``sg_newyear`` the same dated December to January, the statement dated in January
``sg_ocbc``   OCBC: Transaction Date | Value Date | Description | Withdrawal | Deposit | Balance
              with "03 NOV" dates in capitals and "01 NOV 2026 TO 30 NOV 2026", BALANCE C/F
``my``        Maybank: ENTRY DATE | VALUE DATE | TRANSACTION DESCRIPTION | TRANSACTION AMOUNT
              | STATEMENT BALANCE with "1,234.56+"/"1,234.56-" amounts, dd/mm/yy dates and
              "結單日期 STATEMENT DATE : 30/11/26", BEGINNING/ENDING BALANCE
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from reportlab.lib.pagesizes import A4

from .statements_pdf import SETTINGS, Expected, StatementPdf
from .statements_pdf_draw import CN, EN, Column, Sheet, Table, wrap

WORLD_LAYOUTS = (
    "us",
    "us_newyear",
    "us_boa",
    "de",
    "de_sh",
    "de_sollhaben",
    "de_newyear",
    "fr",
    "nl",
    "sg",
    "sg_newyear",
    "sg_ocbc",
    "my",
)
"""Layouts read fully; ``us_noyear`` is refused (see the module docstring)."""

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
class _Flow:
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


def _usd(value: Decimal) -> str:
    return f"{value:,.2f}"


def _eu(value: Decimal) -> str:
    return f"{value:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")


# --------------------------------------------------------------------------------------------
# US: one table per section


@dataclass(frozen=True, slots=True)
class _UsStyle:
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


_CHASE = _UsStyle(
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
_BOA = _UsStyle(
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


def _us_items(style: _UsStyle, count: int, start: dt.date, end: dt.date) -> list[Item]:
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


def _draw_us(
    style: _UsStyle,
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
                sheet.text(420, 96 + 12 * k, f"{sign}{_usd(total)}", 8.5, EN)
            return 190.0
        return 90.0

    flow = _Flow(sheet, Table(sheet, text_cols, 40, ruled=False, size=8.5), filename, head)
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
                    "amount": [f"{minus}{_usd(e.amount)}"],
                }
                cells = [by_kind[kind] for kind in check_kinds]
                reference = "^" if "text" in check_kinds else ""
            else:
                lines = wrap(f"{e.text}", 330, EN, 8.5)
                cells = [[date], lines, [f"{minus}{_usd(e.amount)}"]]
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
        total = f"{minus}${_usd(sum((e.amount for e in rows), Decimal(0)))}"
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
        flow.row([[style.date(e.date)], [_usd(e.amount * 3)]])
    return sheet.done(), expected, flow.page


# --------------------------------------------------------------------------------------------
# Europe: one table, dates without a year


@dataclass(frozen=True, slots=True)
class _European:
    columns: tuple[tuple[str, float, str], ...]
    """(header, width, what the column holds: date, value, text, amount, debit, credit)."""
    title: str
    period: Callable[[dt.date, dt.date], str]
    date: Callable[[dt.date], str]
    amount: Callable[[Decimal, bool], str]
    opening: str
    closing: str
    currency: str = "EUR"
    period_at_foot: bool = False
    """The period printed at the foot of the first page, not above the table."""


def _eu_signed(value: Decimal, incoming: bool) -> str:
    return _eu(value) if incoming else f"{_eu(value)}-"


_EUROPEAN: dict[str, _European] = {
    "de": _European(
        (
            ("Buchungstag", 62, "date"),
            ("Wert", 50, "value"),
            ("Verwendungszweck", 290, "text"),
            ("Betrag", 90, "amount"),
        ),
        "Kontoauszug",
        lambda a, b: f"Kontoauszug {a:%m/%Y}   Blatt 1   IBAN DE89 3704 0044 0532 0130 00",
        lambda d: f"{d:%d.%m.}",
        _eu_signed,
        "alter Kontostand",
        "neuer Kontostand",
    ),
    "de_sh": _European(
        (
            ("Buchungstag", 62, "date"),
            ("Wert", 50, "value"),
            ("Verwendungszweck", 290, "text"),
            ("Betrag", 90, "amount"),
        ),
        "Kontoauszug",
        lambda a, b: f"Kontoauszug vom {a:%d.%m.%Y} bis {b:%d.%m.%Y}",
        lambda d: f"{d:%d.%m.}",
        lambda v, incoming: f"{_eu(v)} {'H' if incoming else 'S'}",
        "alter Kontostand",
        "neuer Kontostand",
    ),
    "de_sollhaben": _European(
        (
            ("Buchungstag", 62, "date"),
            ("Wert", 50, "value"),
            ("Verwendungszweck", 230, "text"),
            ("Soll", 75, "debit"),
            ("Haben", 75, "credit"),
        ),
        "Kontoauszug",
        lambda a, b: f"Kontoauszug {a:%m/%Y}",
        lambda d: f"{d:%d.%m.}",
        lambda v, incoming: _eu(v),
        "alter Kontostand",
        "neuer Kontostand",
    ),
    "fr": _European(
        (
            ("Date", 55, "date"),
            ("Libellé", 300, "text"),
            ("Débit", 80, "debit"),
            ("Crédit", 80, "credit"),
        ),
        "Relevé de compte",
        lambda a, b: f"Du {a:%d/%m/%Y} au {b:%d/%m/%Y}",
        lambda d: f"{d:%d/%m}",
        lambda v, incoming: _eu(v),
        "Solde précédent",
        "Total des opérations",
    ),
    "nl": _European(
        (
            ("Datum", 55, "date"),
            ("Omschrijving", 300, "text"),
            ("Af", 80, "debit"),
            ("Bij", 80, "credit"),
        ),
        "Rekeningafschrift",
        lambda a, b: f"Periode {a:%d-%m-%Y} t/m {b:%d-%m-%Y}",
        lambda d: f"{d:%d-%m}",
        lambda v, incoming: _eu(v),
        "Saldo vorig afschrift",
        "Nieuw saldo",
        period_at_foot=True,
    ),
}
_EUROPEAN["de_newyear"] = _EUROPEAN["de"]


def _draw_european(
    layout: str, entries: Sequence[Item], filename: str, period: tuple[dt.date, dt.date]
) -> tuple[bytes, list[Expected], int]:
    spec = _EUROPEAN[layout]
    sheet = Sheet(A4)
    cols = [
        Column((name,), width, "right" if kind in ("amount", "debit", "credit") else "left", EN)
        for name, width, kind in spec.columns
    ]
    table = Table(sheet, cols, 40, ruled=False, size=8.5)

    def head(page: int) -> float:
        sheet.text(40, 30, spec.title, 13, EN)
        if page == 1:
            sheet.text(40, 785 if spec.period_at_foot else 52, spec.period(*period), 9, EN)
            sheet.text(40, 66, "Concord Trading GmbH", 9, EN)
            sheet.text(300, 66, "EUR (\u20ac)", 9, EN)
        sheet.text(500, 800, f"Seite {page} von 2", 7, EN)
        return 90.0

    flow = _Flow(sheet, table, filename, head)
    flow.start()
    flow.header()
    flow.repeat = flow.header
    kinds = [kind for _, _, kind in spec.columns]

    def cells(
        date: str, value: str, text: list[str], amount: Decimal | None, incoming: bool
    ) -> list[list[str]]:
        out: list[list[str]] = []
        for kind in kinds:
            if kind in ("date", "value"):
                out.append([date if kind == "date" else value] if date else [])
            elif kind == "text":
                out.append(text)
            elif amount is None:
                out.append([])
            elif kind == "amount":
                out.append([spec.amount(amount, incoming)])
            else:
                out.append([_eu(amount)] if (kind == "credit") == incoming else [])
        return out

    flow.row(cells("", "", [spec.opening], Decimal("10000"), True))
    expected: list[Expected] = []
    valued = "value" in kinds
    for k, e in enumerate(entries):
        lines = wrap(e.text, 290, EN, 8.5)
        # every fourth entry is valued the day before it is booked (on New Year's Day: the
        # year before)
        value = e.date - dt.timedelta(days=1 if k % 4 == 0 else 0)
        source = flow.row(cells(spec.date(e.date), spec.date(value), lines, e.amount, e.incoming))
        direction = "credit" if e.incoming else "debit"
        expected.append(
            Expected(
                e.date,
                e.amount,
                direction,
                spec.currency,
                None,
                None,
                " ".join(lines),
                None,
                source,
                value_date=value if valued else None,
            )
        )
    flow.row(cells("", "", [spec.closing], Decimal("10000"), True))
    return sheet.done(), expected, flow.page


# --------------------------------------------------------------------------------------------
# Singapore, Hong Kong, Malaysia


@dataclass(frozen=True, slots=True)
class _Asian:
    """How a bank in Singapore, Hong Kong or Malaysia prints its statement."""

    title: str
    statement: Callable[[dt.date, dt.date], str]
    columns: tuple[tuple[str, float, str], ...]
    """(header, width, what the column holds: date, value, text, out, in, amount, balance)."""
    date: Callable[[dt.date], str]
    opening: str
    closing: str
    currency: str


_ASIAN = {
    # DBS, UOB, Citibank SG: the statement date only, "03 Nov"
    "sg": _Asian(
        "DBS Bank Ltd   Consolidated Statement",
        lambda a, b: f"Statement Date {b:%d %b %Y}",
        (
            ("Date", 50, "date"),
            ("Description", 250, "text"),
            ("Withdrawal", 75, "out"),
            ("Deposit", 75, "in"),
            ("Balance", 75, "balance"),
        ),
        lambda d: f"{d:%d %b}",
        "BALANCE B/F",
        "Balance Carried Forward",
        "SGD",
    ),
    # OCBC: transaction and value dates in capitals, "01 NOV 2026 TO 30 NOV 2026"
    "sg_ocbc": _Asian(
        "OCBC Bank   STATEMENT OF ACCOUNT",
        lambda a, b: f"{a:%d %b %Y} TO {b:%d %b %Y}".upper(),
        (
            ("Transaction Date", 75, "date"),
            ("Value Date", 55, "value"),
            ("Description", 185, "text"),
            ("Withdrawal", 70, "out"),
            ("Deposit", 70, "in"),
            ("Balance", 70, "balance"),
        ),
        lambda d: f"{d:%d %b}".upper(),
        "BALANCE B/F",
        "BALANCE C/F",
        "SGD",
    ),
    # Maybank: one amount with a trailing + or -, full dd/mm/yy dates, 結單日期 : 30/11/26
    "my": _Asian(
        "Maybank Islamic Berhad",
        lambda a, b: f"結單日期 STATEMENT DATE : {b:%d/%m/%y}",
        (
            ("ENTRY DATE", 60, "date"),
            ("VALUE DATE", 60, "value"),
            ("TRANSACTION DESCRIPTION", 190, "text"),
            ("TRANSACTION AMOUNT", 100, "amount"),
            ("STATEMENT BALANCE", 100, "balance"),
        ),
        lambda d: f"{d:%d/%m/%y}",
        "BEGINNING BALANCE",
        "ENDING BALANCE",
        "MYR",
    ),
}
_ASIAN["sg_newyear"] = _ASIAN["sg"]


def _draw_asian(
    layout: str, entries: Sequence[Item], filename: str, period: tuple[dt.date, dt.date]
) -> tuple[bytes, list[Expected], int]:
    spec = _ASIAN[layout]
    sheet = Sheet(A4)
    right = ("out", "in", "amount", "balance")
    cols = [
        Column((name,), width, "right" if kind in right else "left", EN)
        for name, width, kind in spec.columns
    ]
    kinds = [kind for _, _, kind in spec.columns]
    table = Table(sheet, cols, 40, ruled=False, size=8.5)

    def head(page: int) -> float:
        sheet.text(40, 30, spec.title, 12, EN)
        if page == 1:
            line = spec.statement(*period)
            sheet.text(40, 52, line, 9, EN if line.isascii() else CN)
            sheet.text(300, 66, f"Account No. 123-456789-0   Currency: {spec.currency}", 9, EN)
        sheet.text(500, 800, f"Page {page}", 7, EN)
        return 90.0

    def cells(
        date: str, text: list[str], amount: Decimal | None, incoming: bool, balance: Decimal
    ) -> list[list[str]]:
        by_kind = {
            "date": [date] if date else [],
            "value": [date] if date else [],
            "text": text,
            "out": [_usd(amount)] if amount is not None and not incoming else [],
            "in": [_usd(amount)] if amount is not None and incoming else [],
            "amount": [f"{_usd(amount)}{'+' if incoming else '-'}"] if amount is not None else [],
            "balance": [_usd(balance)],
        }
        return [by_kind[kind] for kind in kinds]

    flow = _Flow(sheet, table, filename, head)
    flow.start()
    flow.header()
    flow.repeat = flow.header
    balance = Decimal("50000.00")
    flow.row(cells("", [spec.opening], None, True, balance))
    expected: list[Expected] = []
    for e in entries:
        balance += e.amount if e.incoming else -e.amount
        lines = wrap(e.text, next(w for _, w, k in spec.columns if k == "text"), EN, 8.5)
        source = flow.row(cells(spec.date(e.date), lines, e.amount, e.incoming, balance))
        direction = "credit" if e.incoming else "debit"
        value = e.date if "value" in kinds else None
        expected.append(
            Expected(
                e.date,
                e.amount,
                direction,
                spec.currency,
                None,
                None,
                " ".join(lines),
                balance,
                source,
                value_date=value,
            )
        )
    flow.row(cells("", [spec.closing], None, True, balance))
    return sheet.done(), expected, flow.page


def generate_world(layout: str, count: int = 40) -> StatementPdf:
    """Draw a statement of ``count`` entries in ``layout`` (see the module docstring)."""
    filename = f"{layout}.pdf"
    oct_ = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    nov = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    newyear = (dt.date(2026, 12, 12), dt.date(2027, 1, 11))
    settings = SETTINGS
    if layout.startswith("us"):
        period = newyear if layout == "us_newyear" else oct_
        style = _BOA if layout == "us_boa" else _CHASE
        data, expected, pages = _draw_us(
            style,
            _us_items(style, count, *period),
            filename,
            None if layout == "us_noyear" else period,
        )
        settings = dataclasses.replace(SETTINGS, default_currency="USD")
    elif layout in _ASIAN:
        period = newyear if layout == "sg_newyear" else nov
        data, expected, pages = _draw_asian(layout, items(count, *period), filename, period)
    else:
        period = (dt.date(2027, 1, 1), dt.date(2027, 1, 31)) if layout == "de_newyear" else nov
        data, expected, pages = _draw_european(layout, items(count, *period), filename, period)
    return StatementPdf(data, layout, filename, expected, pages, settings)
