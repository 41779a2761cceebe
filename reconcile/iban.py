"""IBANs: told from other numbers that only start like one by their country's registered length."""

from __future__ import annotations

import re

__all__ = ["check_digits_fit", "is_iban"]

_SHAPE = re.compile(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}")
# IBAN lengths by country (SWIFT's IBAN registry), to tell an IBAN from a reference that only
# starts like one (Knab's 16-character "NL66RABO01295689", ING's "EV41411REP170112")
IBAN_LENGTHS = {
    **dict.fromkeys(("NO",), 15),
    **dict.fromkeys(("BE",), 16),
    **dict.fromkeys(("DK", "FI", "FK", "FO", "GL", "NL", "SD"), 18),
    **dict.fromkeys(("MK", "SI"), 19),
    **dict.fromkeys(("AT", "BA", "EE", "KZ", "LT", "LU", "MN", "XK"), 20),
    **dict.fromkeys(("CH", "HR", "LI", "LV"), 21),
    **dict.fromkeys(("BG", "BH", "CR", "DE", "GB", "GE", "IE", "ME", "RS", "VA"), 22),
    **dict.fromkeys(("AE", "GI", "IL", "IQ", "OM", "SO", "TL"), 23),
    **dict.fromkeys(("AD", "CZ", "ES", "MD", "PK", "RO", "SA", "SE", "SK", "TN", "VG"), 24),
    **dict.fromkeys(("LY", "PT", "ST"), 25),
    **dict.fromkeys(("IS", "TR"), 26),
    **dict.fromkeys(("BI", "DJ", "FR", "GR", "IT", "MC", "MR", "SM"), 27),
    **dict.fromkeys(("AL", "AZ", "BY", "CY", "DO", "GT", "HN", "HU", "LB", "NI", "PL", "SV"), 28),
    **dict.fromkeys(("BR", "EG", "PS", "QA", "UA"), 29),
    **dict.fromkeys(("JO", "KW", "MU", "YE"), 30),
    **dict.fromkeys(("MT", "SC"), 31),
    **dict.fromkeys(("LC",), 32),
    **dict.fromkeys(("RU",), 33),
}


def is_iban(text: str) -> bool:
    """True when ``text`` (compact, upper case) has an IBAN's shape, a registered country and
    that country's length."""
    return bool(_SHAPE.fullmatch(text)) and len(text) == IBAN_LENGTHS.get(text[:2])


def check_digits_fit(text: str) -> bool:
    """True when ``text`` is an IBAN (:func:`is_iban`) whose check digits fit the rest (ISO
    13616 MOD 97-10): a stronger sign than the shape alone that a cut token is one."""
    if not is_iban(text):
        return False
    digits = "".join(str(int(ch, 36)) for ch in text[4:] + text[:4])
    return int(digits) % 97 == 1
