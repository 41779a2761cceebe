"""Amounts show their currency's own decimals: none for JPY and KRW, three for BHD, KWD, TND.

A bank file in yen read into ``Numeric`` columns comes back as ``Decimal("1000.00")``; it is
shown ``¥1,000``, never ``¥1,000.00``, and a dinar amount keeps its third decimal. Values from
Babel's CLDR data (ISO 4217 minor units), in English and Chinese.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from flask import Flask
from flask_babel import force_locale

from portal.filters import amount, money

CASES = [
    # currency, stored value, English, Chinese
    ("JPY", "1000.00", "¥1,000", "JP¥1,000"),
    ("KRW", "1500000", "₩1,500,000", "₩1,500,000"),
    ("BHD", "12.345", "BHD12.345", "BHD12.345"),
    ("KWD", "1250.5", "KWD1,250.500", "KWD1,250.500"),
    ("TND", "-7.2", "-TND7.200", "-TND7.200"),
    ("CNY", "1234.5", "CN¥1,234.50", "¥1,234.50"),
    ("USD", "-20", "-$20.00", "-US$20.00"),
]


@pytest.mark.parametrize(("currency", "value", "english", "chinese"), CASES)
def test_money_shows_the_currencys_decimals(
    app: Flask, currency: str, value: str, english: str, chinese: str
) -> None:
    with app.test_request_context():
        with force_locale("en"):
            assert money(Decimal(value), currency) == english
        with force_locale("zh"):
            assert money(Decimal(value), currency) == chinese


def test_a_figure_finer_than_the_currency_is_not_rounded_away(app: Flask) -> None:
    # a yen amount with a fraction, a yuan amount with a third decimal: what the bank wrote
    with app.test_request_context(), force_locale("en"):
        assert money(Decimal("1000.50"), "JPY") == "¥1,000.5"
        assert money(Decimal("12.345"), "CNY") == "CN¥12.345"


def test_amount_without_sign_uses_the_currency_when_given(app: Flask) -> None:
    with app.test_request_context():
        with force_locale("en"):
            assert amount(Decimal("1000.00"), "JPY") == "1,000"
            assert amount(Decimal("12.3"), "KWD") == "12.300"
            assert amount(Decimal("12.3")) == "12.30"
            assert amount(None, "JPY") == "—"
        with force_locale("zh"):
            assert amount(Decimal("2500000.00"), "KRW") == "2,500,000"
            assert amount(Decimal("1.5"), "BHD") == "1.500"


def test_without_a_currency_a_stored_third_decimal_is_kept(app: Flask) -> None:
    """Report tables format their cells without the row's currency: a dinar's 40.375 must not
    read 40.38 there, while a computed figure (a forecast's share) still shows cents."""
    with app.test_request_context(), force_locale("en"):
        assert amount(Decimal("40.375")) == "40.375"
        assert amount(Decimal("1330.8750")) == "1,330.875"
        assert amount(Decimal("40.38")) == "40.38"
        assert amount(Decimal("100")) == "100.00"
        assert amount(Decimal(1) / Decimal(3)) == "0.33"
