"""How many decimals a currency's amounts have (ISO 4217's minor unit), and amounts as text.

Most currencies count cents (2 decimals); the yen and the won have none, the Bahraini, Kuwaiti
and Jordanian dinars, the Omani rial and the Tunisian dinar count thousandths.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

#: ISO 4217 currencies whose minor unit is not 2 decimals (every other one has 2)
MINOR_DIGITS: dict[str, int] = {
    # no minor unit
    "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0, "PYG": 0,
    "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
    # thousandths
    "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
    # ten-thousandths (units of account)
    "CLF": 4, "UYW": 4,
}  # fmt: skip


def minor_digits(currency: str | None) -> int:
    """The decimals of ``currency``'s amounts: 0 for JPY, 3 for KWD, 2 for most (and unknown)."""
    return MINOR_DIGITS.get((currency or "").upper(), 2)


def amount_text(amount: Decimal, currency: str | None, *, grouped: bool = False) -> str:
    """``amount`` with its currency's decimals: ``1000`` JPY, ``12.50`` EUR, ``1.234`` KWD.

    An amount with more decimals than the currency has keeps them (``1000.5`` JPY): a figure
    the file wrote is never rounded away.

    :param grouped: group the thousands with commas (``1,234.50``).
    """
    digits = minor_digits(currency)
    try:
        exact = amount.quantize(Decimal(1).scaleb(-digits))
    except InvalidOperation:  # more digits than the decimal context holds
        exact = amount
    shown = exact if exact == amount else amount.normalize()
    places = max(digits, -int(shown.as_tuple().exponent))
    return f"{shown:,.{places}f}" if grouped else f"{shown:.{places}f}"
