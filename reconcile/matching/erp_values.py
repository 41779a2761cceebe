"""Read the values of an ERP export's cells: dates, amounts and currencies as ERPs write them.

Chinese ERPs (Kingdee 金蝶, Yonyou 用友) and Excel saves of their exports write a date
``2026-11-20``, ``2026/11/20``, ``2026-11-20 00:00:00``, ``2026年11月20日`` or ``20261120``, an
amount ``5000``, ``5,000.00``, ``¥5,000.00`` or in full-width digits (``５，０００．００``), a
currency ``CNY``, ``RMB`` or ``人民币``. These readers take all of them and refuse what would be
a guess:

* a date must put the year first: ``03/11/2026`` is 3 November or 11 March depending on the
  ERP's locale, and an ERP file does not say which;
* an amount's decimal separator is the point: ``5.000,00`` and ``1,5`` (decimal commas) are
  refused rather than read one way or the other, a comma only groups thousands (``5,000``);
* a currency sign or name written with the amount must agree with the row's currency (``¥``
  is the yuan's and the yen's sign, ``$`` every dollar's).

The figures go through :mod:`reconcile.normalize`, the bank parsers' readers; currency names
through the tabular readers' table (:data:`reconcile.parsers.tabular_words.CURRENCY_NAMES`).
Errors carry a ``code`` and ``params`` so that a caller can say them in its reader's language.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal

from ..normalize import AmountError, DateError, parse_amount, parse_date
from ..parsers.tabular_words import CURRENCY_NAMES

__all__ = ["ErpValueError", "read_erp_amount", "read_erp_currency", "read_erp_date"]


class ErpValueError(ValueError):
    """A cell is not a value of its column. ``code`` says why, ``params`` with what:

    ``not_date``, ``day_month_order``, ``no_such_day`` (``value``); ``not_amount``,
    ``decimal_comma`` (``value``), ``other_currency`` (``value``, ``found``, ``currency``);
    ``not_currency`` (``value``); ``bad_values`` (several of a row, from the CSV reader).
    """

    def __init__(self, code: str, reason: str, **params: str) -> None:
        super().__init__(reason)
        self.code = code
        self.params = params


# --- dates -----------------------------------------------------------------------------------

# day and month first, in either order: 03/11/2026, 11-20-2026, 3.11.26
_DAY_MONTH_FIRST = re.compile(r"^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\b")
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_YEAR_FIRST = re.compile(r"^(?:\d{4}(?!\d)|\d{8})")


def read_erp_date(text: str) -> dt.date:
    """Return the date of an ERP cell written year first (a time of day after it is ignored).

    :raises ErpValueError: ``day_month_order`` for ``03/11/2026``, ``no_such_day`` for
        ``2026-02-30``, else ``not_date``.
    """
    if _ISO_DATE.match(text):  # nearly every cell: the documented form, read at once
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ErpValueError("no_such_day", f"{text!r}: no such day", value=text) from None
    s = unicodedata.normalize("NFKC", text).strip()
    if any(ch.isdigit() and not ch.isascii() for ch in s):
        # NFKC made full-width digits ASCII; other scripts' digits (٢٠٢٦) are no ERP's dates
        raise ErpValueError("not_date", f"{text!r} is not a date (YYYY-MM-DD)", value=text)
    if _DAY_MONTH_FIRST.match(s):
        raise ErpValueError(
            "day_month_order", f"{text!r}: write the year first, e.g. 2026-11-20", value=text
        )
    if not _YEAR_FIRST.match(s):
        raise ErpValueError("not_date", f"{text!r} is not a date (YYYY-MM-DD)", value=text)
    try:
        return parse_date(s)
    except DateError as exc:
        problem = exc.problem
        if problem is not None and problem.code == "not_date_because":
            raise ErpValueError("no_such_day", f"{text!r}: no such day", value=text) from None
        raise ErpValueError(
            "not_date", f"{text!r} is not a date (YYYY-MM-DD)", value=text
        ) from None


# --- amounts ---------------------------------------------------------------------------------

#: signs written with an amount and the currencies each may stand for
_SIGNS: dict[str, frozenset[str]] = {
    "¥": frozenset({"CNY", "JPY"}),
    "$": frozenset({"USD", "HKD", "SGD", "AUD", "CAD", "NZD", "TWD", "MOP"}),
    "US$": frozenset({"USD"}),
    "HK$": frozenset({"HKD"}),
    "S$": frozenset({"SGD"}),
    "A$": frozenset({"AUD"}),
    "C$": frozenset({"CAD"}),
    "NT$": frozenset({"TWD"}),
}
# ASCII digits only: Python's \d also matches other scripts' digits
_PLAIN_AMOUNT = re.compile(r"^-?[0-9]{1,16}(\.[0-9]{1,4})?$")
# what is not the figure itself: a sign, a code or a name before or after it
_MARKS = re.compile(r"[^0-9.,'\s()+\-]+")
# a comma followed by one or two digits at the end: a decimal comma (5.000,00, 1,5)
_DECIMAL_COMMA = re.compile(r",\d{1,2}\)?-?$")
_MAX_WHOLE_DIGITS = 16
_MAX_DECIMALS = 4


def _named_currencies(mark: str) -> frozenset[str] | None:
    """The currencies a sign, code or name written with an amount may be (None: not one)."""
    if mark in _SIGNS:
        return _SIGNS[mark]
    code = CURRENCY_NAMES.get(mark.lower())
    if code is not None:
        return frozenset({code})
    if re.fullmatch(r"[A-Za-z]{3}", mark):
        return frozenset({mark.upper()})
    return None


def read_erp_amount(text: str, currency: str | None) -> Decimal:
    """Return the amount of an ERP cell: at most 16 digits before the point and 4 after it.

    :param currency: the row's currency; a sign or name in ``text`` must agree with it (None:
        not checked).
    :raises ErpValueError: ``decimal_comma``, ``other_currency`` or ``not_amount``.
    """
    if _PLAIN_AMOUNT.match(text):  # nearly every cell: the documented form, read at once
        return Decimal(text)
    s = unicodedata.normalize("NFKC", text).strip()
    if not any(ch.isdigit() for ch in s):
        raise ErpValueError("not_amount", f"{text!r} is not an amount", value=text)
    marks = _MARKS.findall(s)
    if len(marks) > 1:
        raise ErpValueError("not_amount", f"{text!r} is not an amount", value=text)
    figure = s
    if marks:
        named = _named_currencies(marks[0])
        if named is None:
            raise ErpValueError("not_amount", f"{text!r} is not an amount", value=text)
        if currency is not None and currency not in named:
            found = "/".join(sorted(named))
            raise ErpValueError(
                "other_currency",
                f"{text!r} names {found}, but the row's currency is {currency}",
                value=text,
                found=found,
                currency=currency,
            )
        figure = s.replace(marks[0], "", 1)
    figure = figure.strip()
    if _DECIMAL_COMMA.search(figure):
        raise ErpValueError(
            "decimal_comma", f"{text!r}: a decimal comma is not read (write 1234.56)", value=text
        )
    try:
        value = parse_amount(figure, decimal_comma=False)
    except AmountError:
        raise ErpValueError("not_amount", f"{text!r} is not an amount", value=text) from None
    _sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # parse_amount builds finite numbers only
    if -exponent > _MAX_DECIMALS or len(digits) + min(exponent, 0) > _MAX_WHOLE_DIGITS:
        raise ErpValueError("not_amount", f"{text!r} is not an amount", value=text)
    return value


# --- currencies ------------------------------------------------------------------------------


def read_erp_currency(text: str) -> str:
    """Return the ISO 4217 code of an ERP's currency cell: a code (``cny``, ``ＵＳＤ``) or a
    name (``人民币``, ``RMB``, ``美元``, ``港币``, ``欧元`` ...).

    :raises ErpValueError: ``not_currency``.
    """
    s = unicodedata.normalize("NFKC", text).strip()
    code = CURRENCY_NAMES.get(s.lower())
    if code is not None:
        return code
    if re.fullmatch(r"[A-Za-z]{3}", s):
        return s.upper()
    raise ErpValueError("not_currency", f"{text!r} is not a currency", value=text)
