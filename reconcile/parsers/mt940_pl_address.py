"""The other party's address inside its name, as Polish banks write it in MT940.

Polish banks (Millennium, Pekao, PKO BP, Santander, cmxl-style exports) fill ``?32``/``?33``
with the name and, where room is left, the address: ``JAN KOWALSKI UL. DŁUGA 5 00-001
WARSZAWA``; mBank's ``OD:``/``DLA:`` carry the same, often with a line break after the name.
An address is split off only when it is clearly one: a street marker (``UL.``, ``AL.``,
``PL.``, ``OS.`` or the words in full; payers type ``UL . WIEJSKA 23.`` too) followed by a
house number or postal code, or a postal code (``NN-NNN``) followed by a town. A legal form
(``SP. Z O.O.``, ``S.A.``, ``SP.J.``...) belongs to the name, so an address never starts
before it.
"""

from __future__ import annotations

import re

_STREET = re.compile(
    r"(?:^|(?<=\s))(?:UL|AL|PL|OS) ?\.|(?:^|(?<=\s))(?:ULICA|ALEJA|ALEJE|PLAC|OSIEDLE)(?=\s)",
    re.IGNORECASE,
)
_POSTAL_TOWN = re.compile(r"(?:^|(?<=\s))\d{2}-\d{3}\s+[^\W\d_]", re.IGNORECASE)
# the legal forms of Polish companies (and their spellings with or without spaces)
_LEGAL_FORM = re.compile(
    r"(?:^|(?<=\s))(?:SP\.?\s?Z\s?O\.\s?O\.?|SP\.\s?J\.|SP\.\s?K\.|SP\.\s?P\.|S\.\s?K\.\s?A\.?"
    r"|S\.\s?A\.?|S\.\s?C\.?|SPÓŁKA\s+(?:Z\s+OGRANICZONĄ|AKCYJNA|JAWNA|KOMANDYTOWA|CYWILNA)"
    r"(?:\s+ODPOWIEDZIALNOŚCIĄ)?)(?=\s|$|,)",
    re.IGNORECASE,
)
# a house or flat number before the postal code: "5", "12A", "5/7", "1 M 2", "LOK. 3"
_HOUSE = re.compile(r"\d+[A-Z]?(?:/\d+[A-Z]?)?\.?|M\.?|LOK\.?|M\d+", re.IGNORECASE)


def split_address(text: str) -> tuple[str, str | None]:
    """Split ``NAME ADDRESS`` into the name and the address, when the address is clear.

    :returns: the name (the whole text, spaces normalised, when there is no clear address)
        and the address or None.
    """
    text = " ".join(text.split())
    floor = max((m.end() for m in _LEGAL_FORM.finditer(text)), default=0)
    start = _street_start(text, floor)
    if start is None:
        start = _postal_start(text, floor)
    if start is None:
        return text, None
    name, address = text[:start].strip(" ,;"), text[start:].strip(" ,;")
    # a name that is no name: nothing but the start of the address ("UL. DŁUGA 5 00-001 ...")
    if not re.search(r"[^\W\d_]", name) or _STREET.search(name) or not address:
        return text, None
    return name, address


def _street_start(text: str, floor: int) -> int | None:
    """Where a street marker followed by a number starts the address, after ``floor``."""
    for m in _STREET.finditer(text):
        if m.start() >= floor and m.start() > 0 and re.search(r"\d", text[m.end() :]):
            return m.start()
    return None


def _postal_start(text: str, floor: int) -> int | None:
    """Where an address ending in ``NN-NNN TOWN`` starts: at the street before a house number
    right before the postal code, else at the postal code itself."""
    m = next((p for p in _POSTAL_TOWN.finditer(text) if p.start() >= floor), None)
    if m is None or m.start() == 0:
        return None
    words = text[: m.start()].split()
    i = len(words)
    while i > 0 and _HOUSE.fullmatch(words[i - 1]):
        i -= 1
    if i < len(words) and i > 1 and re.search(r"[^\W\d_]", words[i - 1]):
        start = len(" ".join(words[: i - 1])) + 1  # the street name before the number
        if start >= floor:
            return start
    return m.start()
