"""The values of OFX and OFC leaves: amounts as banks write them, dates, currency codes.

Shared by the OFX and OFC readers (an OFC file writes its amounts and dates the OFX way).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from ..currency import minor_digits
from ..errors import ParseError
from ..problems import problem
from ._common import finite_decimal

__all__ = ["currency_code", "ofx_amount", "ofx_date"]


def currency_code(text: str | None) -> str | None:
    """The ISO 4217 code ``text`` (a ``CURSYM``) gives, or None when it gives none."""
    code = (text or "").strip().upper()
    return code if len(code) == 3 and code.isalpha() else None


# an amount with digit grouping: "-1.006,60", "1,000.00" (never with one separator only, which
# OFX reads as the decimal symbol)
_GROUPED_AMOUNT = re.compile(
    r"(?P<sign>[+-]?)(?P<whole>\d{1,3}(?:(?P<group>[.,])\d{3})+)(?P<point>[.,])(?P<frac>\d+)"
)
_WHOLE_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+|[+-]?\d{1,3}(?:\.\d{3})+")


def ofx_amount(text: str, filename: str, where: str, currency: str | None = None) -> Decimal:
    """Read an amount leaf (``TRNAMT``, ``BALAMT``).

    :param currency: the amount's currency, when known: one without minor units (JPY) has no
        decimals to read.
    :raises ParseError: when ``text`` is no finite number.
    """
    cleaned = text.strip().replace(" ", "")
    if minor_digits(currency) == 0 and _WHOLE_GROUPED.fullmatch(cleaned):
        # a currency without decimals (JPY, KRW) has nothing after a separator: "1,000" and
        # "1.000.000" are grouped thousands, not 1.000 yen
        return finite_decimal(re.sub(r"[.,]", "", cleaned), filename, where, written=text)
    # OFX allows a comma as the decimal separator ("-200,00"); thousands separators are not
    # OFX, but banks write them: only grouping in threes with the other symbol is taken
    grouped = _GROUPED_AMOUNT.fullmatch(cleaned)
    if grouped and grouped["group"] != grouped["point"]:
        whole = grouped["whole"].replace(grouped["group"], "")
        cleaned = f"{grouped['sign']}{whole}.{grouped['frac']}"
    elif "," in cleaned and "." not in cleaned and cleaned.count(",") == 1:
        cleaned = cleaned.replace(",", ".")
    return finite_decimal(cleaned, filename, where, written=text)


_DATE_RE = re.compile(
    # some generators write the time the ISO 8601 basic way: 20241201T000000Z
    r"^(\d{4})(\d{2})(\d{2})(?:T?(\d{2})(\d{2})(?:(\d{2}))?)?(?:[.:]\d{1,6})?Z?"
    r"(?:\s*\[\s*[+-]?\d{1,2}(?:[.:]\d{1,2})?(?::[A-Za-z]{1,8})?\s*\])?$"
)


def ofx_date(text: str, filename: str, where: str) -> dt.date:
    """Read a date leaf (``DTPOSTED``, ``DTASOF``...): the bank's own calendar day as written.

    :raises ParseError: when ``text`` is no OFX date, or names a day that does not exist.
    """
    match = _DATE_RE.match(text.strip())
    if not match:
        raise ParseError(problem("ofx_bad_date", value=text), file=filename, location=where)
    try:
        # the bank's own calendar day as written; the [offset:TZ] suffix is not applied
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        raise ParseError(
            problem("date_does_not_exist", value=text), file=filename, location=where
        ) from None
