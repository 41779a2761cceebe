"""Which currency an export's amounts are in, where no currency column says: the unit in an
amount column's header (``Bedrag (EUR)``, 新臺幣金額, ``Debit CHF``), a sign or code beside the
amounts (``¥``, ``CNY 123.18``, ``12,00 zł``), and the currency written beside an original
(foreign) amount (``271.82(USD)``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from ..normalize import parse_amount
from .tabular_layouts import currency_last, currency_prefix, normalise_header
from .tabular_values import currency_of

__all__ = ["currency_from_header", "currency_from_symbols", "original_amount"]


def currency_from_header(header: Sequence[str], columns: Mapping[str, Sequence[int]]) -> str | None:
    """Return the currency an amount column's header names as its unit (``Bedrag (EUR)``)."""
    for role in ("amount", "credit", "debit"):
        for index in columns.get(role, []):
            cell = unicodedata.normalize("NFKC", header[index]) if index < len(header) else ""
            unit = _HEADER_UNIT.search(cell.strip())
            # Alipay's 收入金额（+元）, 支出金额（-元）
            currency = currency_of(unit.group(1).strip("+-")) if unit else None
            if currency := currency or currency_prefix(normalise_header(cell)):
                return currency
            if named := currency_last(cell):
                return named[0]
    return None


_HEADER_UNIT = re.compile(r"\(\s*([^()]+?)\s*\)$")


# an amount counted in yuan: "1,520,000.00元"
_YUAN_AFTER = re.compile(r"\d\s*元$")


def currency_from_symbols(rows: Iterable[Mapping[str, str]]) -> str | None:
    """Return the currency a sign or code beside the amounts names (``¥``, ``€``, ``CNY 12.00``)."""
    for fields in rows:
        for role in ("amount", "credit", "debit"):
            value = unicodedata.normalize("NFKC", fields.get(role, ""))
            if (
                "¥" in value
                or "人民币" in value
                or "RMB" in value.upper()
                or _YUAN_AFTER.search(value)
            ):
                return "CNY"
            if "€" in value:
                return "EUR"
            if "£" in value:
                return "GBP"
            # BOCOM's 交易币种/金额 column: "CNY 123.18"
            code = _CODE_BESIDE_AMOUNT.match(value.strip())
            if code and (currency := currency_of(code.group(1) or code.group(2))):
                return currency
    return None


# "CNY 123.18", "-1 234,56 PLN", and the Central European abbreviations after an amount: "1.234,56
# Ft", "1 234,56 Kč", "12,00 zł" (a word of two letters names a currency only when it is one)
_CODE_BESIDE_AMOUNT = re.compile(
    r"^(?:([^\W\d_]{2,3})\s*[-+(]?\d.*|[-+(]?\d.*?\s*([^\W\d_]{2,3}))$"
)


#: a currency written beside an original amount: "271.82(USD)", "USD 271.82", "271.82 美元"
_ORIGINAL_CURRENCY = re.compile(
    r"[(（]\s*([^()（）\d]+?)\s*[)）]|\b([A-Za-z]{3})\b|([\u4e00-\u9fff]{2,4})"
)


def original_amount(text: str, decimal_comma: bool | None) -> tuple[Decimal, str | None]:
    """Read an original (foreign) amount cell: the amount and the currency written beside it.

    Card exports write ``271.82(USD)`` (SPDB's 原始交易金额&币种), ``USD 271.82`` or
    ``271.82 美元``; a currency in parentheses is no negative sign.

    :raises ParseError: when no amount can be read.
    """
    value = unicodedata.normalize("NFKC", text).strip()
    for match in _ORIGINAL_CURRENCY.finditer(value):
        written = next(g for g in match.groups() if g)
        code = currency_of(written)
        if code is not None:
            rest = (value[: match.start()] + " " + value[match.end() :]).strip()
            return parse_amount(rest, decimal_comma=decimal_comma), code
    return parse_amount(value, decimal_comma=decimal_comma), None
