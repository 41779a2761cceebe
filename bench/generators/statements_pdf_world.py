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
from dataclasses import dataclass
from decimal import Decimal

from reportlab.lib.pagesizes import A4

from .statements_pdf import SETTINGS, Expected, StatementPdf
from .statements_pdf_draw import CN, EN, Column, Sheet, Table, wrap
from .statements_pdf_flow import Flow, Item, eu, items, usd
from .statements_pdf_us import BOA, CHASE, draw_us, us_items

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
    return eu(value) if incoming else f"{eu(value)}-"


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
        lambda v, incoming: f"{eu(v)} {'H' if incoming else 'S'}",
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
        lambda v, incoming: eu(v),
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
        lambda v, incoming: eu(v),
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
        lambda v, incoming: eu(v),
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

    flow = Flow(sheet, table, filename, head)
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
                out.append([eu(amount)] if (kind == "credit") == incoming else [])
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
            "out": [usd(amount)] if amount is not None and not incoming else [],
            "in": [usd(amount)] if amount is not None and incoming else [],
            "amount": [f"{usd(amount)}{'+' if incoming else '-'}"] if amount is not None else [],
            "balance": [usd(balance)],
        }
        return [by_kind[kind] for kind in kinds]

    flow = Flow(sheet, table, filename, head)
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
        style = BOA if layout == "us_boa" else CHASE
        data, expected, pages = draw_us(
            style,
            us_items(style, count, *period),
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
