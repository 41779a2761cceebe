"""The same payment seen in two files: a PDF receipt and the account's statement, any formats.

Bank references differ between a receipt and a statement (and between formats), so two entries
are one payment when the money is the same (direction, amount, currency), the dates are at most
:data:`DATE_WINDOW_DAYS` apart (a receipt is dated when the payment was made, the statement
when it was booked), our account is the same or unknown on one side, and the other party agrees
(the same account, else the same name); with no party on either side, the same remittance text.
Two entries of the same kind (two statements, or two receipts) that both carry a reference of
the bank's own are one payment only when the references agree (handled by the caller).
Each earlier entry stands for at most one new entry, so two equal payments in one statement
still find one receipt each, never both the same.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from .own import account_key, own_name_key

__all__ = ["DATE_WINDOW_DAYS", "Sighting", "pair_duplicates", "same_payment", "sighting_kind"]

DATE_WINDOW_DAYS = 3
_LEGAL = re.compile(
    r"(股份有限公司|有限责任公司|有限公司|公司|co\.?,?\s*ltd\.?|limited|ltd\.?|inc\.?|gmbh|llc|b\.?v\.?)$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Sighting:
    """What identifies one bank entry for this comparison (built from any stored form)."""

    direction: str
    amount: Decimal
    currency: str
    booking_date: dt.date
    our_account: str = ""
    party_account: str | None = None
    party_name: str | None = None
    reference: str | None = None
    value_date: dt.date | None = None
    kind: str = "statement"
    """``receipt`` (a PDF advice) or ``statement`` (any statement or export line)."""
    bank_ref: str | None = None
    """The bank's own reference; None when the parser had to make one up."""


def _name(name: str | None) -> str:
    text = unicodedata.normalize("NFKC", name or "").strip()
    return own_name_key(_LEGAL.sub("", text))


def _text(reference: str | None) -> str:
    return "".join(
        ch for ch in unicodedata.normalize("NFKC", reference or "").upper() if ch.isalnum()
    )


def _close(a: Sighting, b: Sighting) -> bool:
    days = [
        abs((x - y).days)
        for x in (a.booking_date, a.value_date)
        for y in (b.booking_date, b.value_date)
        if x is not None and y is not None
    ]
    return min(days) <= DATE_WINDOW_DAYS


def same_payment(a: Sighting, b: Sighting) -> bool:
    """True when ``a`` and ``b`` are two sightings of one payment (see the module docstring)."""
    if (a.direction, a.amount, a.currency.upper()) != (b.direction, b.amount, b.currency.upper()):
        return False
    if not _close(a, b):
        return False
    if a.kind == b.kind and a.bank_ref and b.bank_ref and a.bank_ref != b.bank_ref:
        return False  # two documents of one kind with their own, different references
    ours_a, ours_b = account_key(a.our_account), account_key(b.our_account)
    if ours_a and ours_b and ours_a != ours_b:
        return False
    acct_a, acct_b = account_key(a.party_account), account_key(b.party_account)
    if acct_a and acct_b:
        return acct_a == acct_b or (len(acct_b) >= 8 and acct_a.endswith(acct_b[-8:]))
    name_a, name_b = _name(a.party_name), _name(b.party_name)
    if name_a and name_b:
        return name_a == name_b or (
            min(len(name_a), len(name_b)) >= 4 and (name_a in name_b or name_b in name_a)
        )
    text_a, text_b = _text(a.reference), _text(b.reference)
    return bool(text_a) and (
        text_a == text_b or (len(text_a) >= 6 and (text_a in text_b or text_b in text_a))
    )


def pair_duplicates(new: Sequence[Sighting], known: Sequence[Sighting]) -> dict[int, int]:
    """Return ``{index in new: index in known}`` for each new entry that is a known payment.

    Pairs are made closest date first; each known entry is used once.
    """
    options: list[tuple[int, int, int]] = []
    for i, a in enumerate(new):
        for j, b in enumerate(known):
            if same_payment(a, b):
                options.append((abs((a.booking_date - b.booking_date).days), i, j))
    options.sort()
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for _, i, j in options:
        if i in pairs or j in used:
            continue
        pairs[i] = j
        used.add(j)
    return pairs


def sighting_kind(source: str) -> str:
    """``receipt`` for a receipt read from a PDF page (``file#page=N/k``), ``statement`` for
    anything else, a row of a PDF statement's table (``file#page=N/row=K``) included."""
    return "receipt" if "#page=" in source and "/row=" not in source else "statement"
