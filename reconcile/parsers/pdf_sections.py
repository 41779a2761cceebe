"""What a PDF statement prints around its tables: the period its dates fall in, and the section
headings that say which way the money of the table below went.

US statements (Chase, Bank of America, Citi, US Bank) print one table per direction under a
heading ("DEPOSITS AND ADDITIONS", "CHECKS PAID", "ATM & DEBIT CARD WITHDRAWALS", "Service
fees") with positive amounts in every table, and dates as ``10/03`` without a year; German,
French and Asian statements print ``03.11.`` or ``03 Nov``. The year comes from the statement's
period or date printed above the table ("October 01, 2026 through October 31, 2026", "vom
01.11.2026 bis 30.11.2026", "Kontoauszug 11/2026", "Statement Date 30 Nov 2026"), a December to
January statement crossing the year. Nothing here guesses from today's date.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from ..normalize import DateError, month_number, parse_date

Direction = Literal["in", "out", "skip"]

# a day and a month without a year: 10/03 (US: month first), 03.11. (Europe: day first),
# 03 Nov, Nov 03
_NUMERIC = re.compile(r"^(\d{1,2})([./-])(\d{1,2})\.?$")
_DAY_MONTH = re.compile(r"^(\d{1,2})\.?\s*([^\W\d_]{3,9})\.?$")
_MONTH_DAY = re.compile(r"^([^\W\d_]{3,9})\.?\s*(\d{1,2})$")
# full dates printed above the table
_FULL_DATE = re.compile(
    r"\b\d{1,2}[./-]\d{1,2}[./-]\d{4}\b|\b\d{4}-\d{2}-\d{2}\b"
    r"|\b[^\W\d_]{3,9}\.?\s+\d{1,2},?\s+\d{4}\b|\b\d{1,2}\.?\s+[^\W\d_]{3,9}\.?,?\s+\d{4}\b"
)
# the forms a month takes above a statement, in order of preference: "Kontoauszug 11/2026",
# "信用卡对账单（… 2024年01月）" (a full 2024年01月05日 is no month), and the year first:
# "2026/02信用卡對帳單" (Cathay United Bank's card statement)
_MONTH_FORMS = tuple(
    re.compile(form)
    for form in (
        r"(?<![\d./-])(?P<m>\d{1,2})\s*/\s*(?P<y>\d{4})(?![\d./-])",
        r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月(?!\s*\d)",
        r"(?<![\d./-])(?P<y>\d{4})\s*[/.-]\s*(?P<m>\d{1,2})(?![\d./-])",
    )
)
# how far outside its period a booking may fall (a value date, a late posting)
_SLACK = timedelta(days=31)

_SKIP = re.compile(
    r"daily\s+(?:ending\s+|ledger\s+)?balances?|balance\s+summary|account\s+summary|checking\s+summary"
    r"|saldenübersicht|soldes?\s+quotidiens?|余额汇总",
    re.IGNORECASE,
)
_OUT = re.compile(
    r"\b(?:withdrawals?|debits?|subtractions|checks?(?:\s+paid)?|cheques?(?:\s+paid)?|fees?"
    r"|service\s+charges?|charges|purchases?|card\s+payments?|payments?\s+(?:made|sent)"
    r"|transfers?\s+out"
    # German, French, Dutch, Spanish, Italian
    r"|lastschriften|belastungen|abbuchungen|sollumsätze|zahlungsausgänge|ausgänge|entgelte"
    r"|gebühren|débits?|opérations\s+au\s+débit|prélèvements|retraits|frais|afschrijvingen"
    r"|cargos|adeudos|comisiones|addebiti|commissioni)\b"
    # Chinese: 支出, 借方发生, 转出 (no word boundaries in Chinese text)
    r"|^(?:支出|借方|借方发生|转出)(?:明细)?$",
    re.IGNORECASE,
)
_IN = re.compile(
    r"\b(?:deposits?|additions|credits?|interest\s+(?:paid|earned)|transfers?\s+in"
    r"|payments?\s+received|refunds?"
    r"|gutschriften|habenumsätze|zahlungseingänge|eingänge|crédits?|opérations\s+au\s+crédit"
    r"|versements|remises|bijschrijvingen|ontvangsten|abonos|ingresos|accrediti)\b"
    r"|^(?:收入|贷方|贷方发生|转入|存入)(?:明细)?$",
    re.IGNORECASE,
)
# a title ("Debit Card Statement", "Credit account") is no section heading
_TITLE = re.compile(r"statement|account|konto|relevé|rekening|card\s+number", re.IGNORECASE)
_CONTINUED = re.compile(r"\(?\s*(?:continued|cont'?d\.?|fortsetzung|suite)\s*\)?", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Period:
    """The dates a statement covers (or, from a statement date alone, the year before it)."""

    start: date
    end: date

    def place(self, choices: Iterable[tuple[int, int]]) -> date | None:
        """Return the first (month, day) that falls in the period with one of its years, else
        the first that falls within a month of it (a late posting, a value date), else the
        first in the two months before it: a card's statement for February lists a purchase of
        25 December that was posted late."""
        choices = list(choices)
        for earliest, latest in (
            (self.start, self.end),
            (self.start - _SLACK, self.end + _SLACK),
            (self.start - 2 * _SLACK, self.end),
        ):
            for month, day in choices:
                for year in range(self.end.year + 1, self.start.year - 2, -1):
                    try:
                        found = date(year, month, day)
                    except ValueError:
                        continue
                    if earliest <= found <= latest:
                        return found
        return None


def yearless(text: str) -> list[tuple[int, int]] | None:
    """The (month, day) readings of a date printed without a year, likeliest first, or None."""
    text = unicodedata.normalize("NFKC", text).strip()
    if m := _NUMERIC.match(text):
        a, sep, b = int(m.group(1)), m.group(2), int(m.group(3))
        # US statements write month/day; Europe writes day.month.
        readings = [(a, b), (b, a)] if sep == "/" else [(b, a), (a, b)]
        return [(mo, d) for mo, d in readings if 1 <= mo <= 12 and 1 <= d <= 31] or None
    if m := _DAY_MONTH.match(text):
        month = month_number(m.group(2))
        return [(month, int(m.group(1)))] if month else None
    if m := _MONTH_DAY.match(text):
        month = month_number(m.group(1))
        return [(month, int(m.group(2)))] if month else None
    return None


def find_period(lines: Sequence[str]) -> Period | None:
    """The statement's period from the lines above its table, or None when they print no date.

    Two or more dates: from the first to the last; a month ("Kontoauszug 11/2026"): that month;
    one date (the statement date): the year up to it.
    """
    text = unicodedata.normalize("NFKC", " ".join(lines))
    tokens = _FULL_DATE.findall(text)
    best: list[date] = []
    for dayfirst in (True, False):
        found = [d for token in tokens if (d := _full_date(token, dayfirst=dayfirst))]
        if len(found) > len(best) or (
            len(found) == len(best) and found and max(found) - min(found) < max(best) - min(best)
        ):
            best = found
    if len(best) >= 2:
        return Period(min(best), max(best))
    rest = _FULL_DATE.sub(" ", text)
    if m := _month_named(rest):
        month, year = int(m.group("m")), int(m.group("y"))
        if 1 <= month <= 12:
            last = calendar.monthrange(year, month)[1]
            return Period(date(year, month, 1), date(year, month, last))
    if best:
        return Period(best[0] - timedelta(days=365) + _SLACK, best[0])
    return None


def _month_named(text: str) -> re.Match[str] | None:
    """The first month of :data:`_MONTH_FORMS` that ``text`` names."""
    for form in _MONTH_FORMS:
        if found := form.search(text):
            return found
    return None


def _full_date(token: str, *, dayfirst: bool) -> date | None:
    try:
        return parse_date(token, dayfirst=dayfirst)
    except DateError:
        return None


def section_direction(text: str) -> Direction | None:
    """Which way the money of the table under the heading ``text`` goes, or None if no heading.

    "DEPOSITS AND ADDITIONS", "Deposits and other credits": in; "CHECKS PAID", "ELECTRONIC
    WITHDRAWALS", "Withdrawals and other debits", "Service fees": out; "DAILY ENDING BALANCE":
    skip (balances, not transactions). A heading naming both directions, a total or a line
    with figures is none.
    """
    text = _CONTINUED.sub(" ", unicodedata.normalize("NFKC", text)).strip(" :-")
    if not text or len(text) > 60 or any(ch.isdigit() for ch in text):
        return None
    if text.lower().startswith(("total", "subtotal", "summe", "gesamt")) or _TITLE.search(text):
        return None
    if _SKIP.search(text):
        return "skip"
    into, out = bool(_IN.search(text)), bool(_OUT.search(text))
    if into == out:
        # "Withdrawals and other debits" names out twice, "Deposits and other credits" in
        # twice; "Deposits and withdrawals" both
        return None
    return "in" if into else "out"


def without_mark(text: str) -> str:
    """The figure of an amount marked S (Soll) or H (Haben), signed; other text unchanged."""
    return signed(text, None)


def signed(text: str, direction: Direction | None) -> str:
    """The amount ``text`` with the sign its section heading or an S/H mark gives it.

    ``1.234,56 S`` (Soll) is money out, ``1.234,56 H`` (Haben) money in; a figure already
    signed (``-12.00``, ``1.234,56-``) keeps its sign.
    """
    value = text.strip()
    if not value or not any(ch.isdigit() for ch in value):
        return text
    if m := re.fullmatch(r"(.*\d)\s*([SH])", value):
        figure = m.group(1)
        return figure if m.group(2) == "H" else f"-{figure}"
    if direction == "out" and not value.startswith(("-", "(")) and not value.endswith("-"):
        return f"-{value}"
    return text
