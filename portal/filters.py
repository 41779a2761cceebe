"""Jinja filters that format money, dates and times in the user's locale (Babel)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from babel.numbers import format_currency, format_decimal, get_currency_precision
from flask import Flask
from flask_babel import format_date as babel_format_date
from flask_babel import format_datetime as babel_format_datetime
from flask_babel import get_locale

from reconcile.currency import minor_digits
from reconcile.problems import source_place

from .banking.problems import problem_text
from .banking.reasons import criterion_label, match_reason
from .system_texts import system_text


def _locale() -> str:
    return str(get_locale() or "zh")


def _plain_pattern(amount: Decimal) -> str:
    """Two decimals, or the three or four a stored amount has (a dinar's ``40.375``); a computed
    figure with more decimals than any amount is shown to the cent."""
    places = -int(amount.normalize().as_tuple().exponent) if amount.is_finite() else 2
    return "#,##0." + "0" * (places if 2 < places <= 4 else 2)


def money(value: Decimal | int | str | None, currency: str | None = "CNY") -> str:
    """Format an amount with its currency, e.g. ``¥1,234.50`` (zh) or ``CN¥1,234.50`` (en).

    The currency's own decimals are shown (``¥1,000`` for JPY, ``BHD1.250`` for BHD), and an
    amount with more decimals than its currency has keeps them rather than being rounded.
    """
    if value is None or value == "":
        return "—"
    amount = value if isinstance(value, Decimal) else Decimal(str(value))
    if not currency:
        return str(format_decimal(amount, format=_plain_pattern(amount), locale=_locale()))
    return str(format_currency(amount, currency, locale=_locale(), decimal_quantization=False))


def amount(value: Decimal | int | str | None, currency: str | None = None) -> str:
    """Format an amount without currency sign, grouped for the locale.

    :param currency: the amount's currency, whose decimals are shown (``1,000`` JPY,
        ``1.250`` KWD); two decimals without one.
    """
    if not currency or value is None or value == "":
        return money(value, None)
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    digits = get_currency_precision(currency)
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return str(format_decimal(number, format=pattern, locale=_locale(), decimal_quantization=False))


def date(value: dt.date | dt.datetime | None, format: str = "medium") -> str:
    """Format a date for the locale (``2026年11月3日`` / ``Nov 3, 2026``)."""
    if value is None:
        return "—"
    return str(babel_format_date(value, format))


def datetime(value: dt.datetime | None, format: str = "medium") -> str:
    """Format a timestamp in the configured time zone for the locale."""
    if value is None:
        return "—"
    return str(babel_format_datetime(value, format))


def amount_step(currency: str | None) -> str:
    """The ``step`` of an amount input in ``currency``: ``1`` JPY, ``0.01`` EUR, ``0.001`` KWD.

    The browser then refuses what the server would (see :class:`portal.fields.AmountField`).
    """
    places = minor_digits(currency)
    return "1" if places == 0 else f"0.{'0' * (places - 1)}1"


def place(source: str | None) -> str:
    """A transaction's place in its bank file (``export.csv#row=3``) in the user's language:
    "第 3 行" / "row 3"."""
    return problem_text(source_place(source))


FILTERS: dict[str, Any] = {
    "place": place,
    "amount_step": amount_step,
    "money": money,
    "amount": amount,
    "date": date,
    "datetime": datetime,
    "match_reason": match_reason,
    "problem_text": problem_text,
    "criterion_label": criterion_label,
    "system_text": system_text,
}


def register(app: Flask) -> None:
    """Install the filters on ``app``'s Jinja environment."""
    app.jinja_env.filters.update(FILTERS)
