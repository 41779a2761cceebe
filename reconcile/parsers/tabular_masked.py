"""Masked card and account numbers in bank exports (``6222****1234``, ``6222 **** **** 1234``,
``***1234``, BOC's ``X100******999N``).

Chinese banks hide the middle of card numbers, ours and the other party's. A masked number
names no account by itself: it is ours only when its visible digits agree with the statement's
own account number, and it is never kept as the other party's account (two customers' cards
can share the visible digits, and the matcher trusts a payer account as proof of who paid).
The whole row, masked number included, stays in the transaction's ``raw``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from decimal import Decimal

from ..model import ParseSettings

__all__ = [
    "agrees",
    "is_masked",
    "other_party_accounts",
    "own_account",
    "own_account_column",
    "row_accounts",
    "stated_value",
]

_MASKS = "*＊•●"
_VISIBLE = re.compile(r"[0-9A-Za-z]+")
_MIN_VISIBLE = 4


def _compact(number: str) -> str:
    return "".join(unicodedata.normalize("NFKC", number).split())


def is_masked(number: str | None) -> bool:
    """True when ``number`` hides some of its digits behind ``*`` (or ``＊``, ``•``)."""
    return bool(number) and any(ch in _MASKS for ch in number or "")


def _ends(number: str) -> tuple[str, str]:
    """The visible head and tail of a number (the whole number twice when none is hidden)."""
    text = _compact(number)
    first = min(text.index(ch) for ch in _MASKS if ch in text)
    last = max(text.rindex(ch) for ch in _MASKS if ch in text)
    head = "".join(_VISIBLE.findall(text[:first])).upper()
    tail = "".join(_VISIBLE.findall(text[last + 1 :])).upper()
    return head, tail


def _plain(number: str) -> str:
    return "".join(_VISIBLE.findall(number)).upper()


def agrees(number: str | None, account: str | None) -> bool:
    """True when a masked ``number`` can be ``account``: the same visible digits at both ends.

    ``6222****1234`` agrees with ``6222021001121234`` and with ``6222 **** **** 1234``; a mask
    showing fewer than four digits agrees with nothing. Two unmasked numbers agree only when
    equal (ignoring spaces and dashes).
    """
    if not number or not account:
        return False
    if not is_masked(number) and not is_masked(account):
        return (
            "".join(_VISIBLE.findall(number)).upper() == "".join(_VISIBLE.findall(account)).upper()
        )
    ends = []
    for text in (number, account):
        if is_masked(text):
            head, tail = _ends(text)
            if len(head) + len(tail) < _MIN_VISIBLE:
                return False
        else:
            head = tail = _plain(text)
        ends.append((head, tail))
    (h1, t1), (h2, t2) = ends
    return (h1.startswith(h2) or h2.startswith(h1)) and (t1.endswith(t2) or t2.endswith(t1))


def own_account(number: str | None, statement: str | None, settings: ParseSettings) -> bool:
    """True when ``number`` is our account: one of ours in the settings, or the statement's own
    account (a masked number agreeing with it)."""
    if not number:
        return False
    if not is_masked(number) and settings.is_own_account(number):
        return True
    return agrees(number, statement)


def row_accounts(
    column: str | None, side: str | None, other: str | None, statement: str | None
) -> tuple[str | None, str | None]:
    """Return our account and the other party's for one row.

    :param column: the row's own-account column (本方账号, 卡号): ours as printed, unless it is
        masked and a statement account is known: then the statement's account is ours (a masked
        number that disagrees with it is not ours, one that agrees says no more than it).
    :param side: our side's account from payer/payee columns, when nothing else names ours: a
        masked one is not taken (only a statement's account could show it is ours).
    :param other: the other party's account: dropped when masked.
    :param statement: the account stated above the table (or in the layout), maybe masked.
    """
    ours: str | None = None
    if column and (not is_masked(column) or statement is None):
        ours = column
    ours = ours or statement  # one export covers one account: the one it states
    if ours is None and side and not is_masked(side):
        ours = side
    return ours, (None if not other or is_masked(other) else other)


_EXCEL_TEXT = re.compile(r'^="(.*)"$')
_ACCOUNT_KIND = re.compile(r"\s+/\s+\D+$")


def stated_value(cell: str) -> str:
    """Return a fact stated above a table as the bank meant it.

    PostFinance forces its facts to text the Excel way (``Konto:;="CH93 0076 ..."``,
    ``Währung:;="CHF"``); DKB names the kind of account after the number
    (``Kontonummer:;DE99 ... / Girokonto``).
    """
    value = unicodedata.normalize("NFKC", cell).strip()
    if m := _EXCEL_TEXT.match(value):
        value = m.group(1).strip()
    return _ACCOUNT_KIND.sub("", value)


def other_party_accounts(
    rows: Sequence[dict[str, str]], settings: ParseSettings, stated: str | None = None
) -> None:
    """Move an "account number" column's values to the other party when they are not ours.

    One export covers one account, so a column named like our account (N26's ``Account
    number``, ``Kontonummer``) that is blank on some entries, or holds a different account on
    most of them, none of them ours, is the other party's: N26 writes the payee's IBAN there.
    So is one that never holds the account stated above the table: DKB states
    ``Kontonummer:;DE.. / Girokonto`` and then heads the other party's IBAN ``Kontonummer``.
    """
    values = [_compact(f.get("our_account", "")) for f in rows]
    filled = [v for v in values if v]
    if not filled or any(f.get("counterparty_account") for f in rows):
        return
    distinct = set(filled)
    varies = len(distinct) >= 2 and len(distinct) * 2 > len(filled)
    other = stated is not None and _compact(stated) not in distinct
    if not (varies or other or len(filled) < len(values)):
        return
    if any(settings.is_own_account(v) for v in distinct):
        return
    for f in rows:
        if "our_account" in f:
            f["counterparty_account"] = f.pop("our_account")


#: headers that name an account without saying whose
PLAIN_ACCOUNT_HEADERS = frozenset({"account", "iban", "bankaccount"})


def own_account_column(
    rows: Sequence[dict[str, str]], amounts: Sequence[Decimal], header: str
) -> None:
    """Move a column headed only ``Account`` or ``IBAN`` to our side when it never changes.

    Barclays repeats our sort code and account in its ``Account`` column, Raiffeisen
    Switzerland our IBAN in ``IBAN``: one account on every row, money going both in and out, is
    the account the export is of (one other party that both paid us and was paid by us on every
    row would be a strange statement). A column named for the other party (``Tegenrekening``,
    ``Counterparty account``) is left as it is.
    """
    if header not in PLAIN_ACCOUNT_HEADERS or len(rows) < 2:
        return
    if any(f.get("our_account") for f in rows):
        return
    values = {_compact(f.get("counterparty_account", "")) for f in rows}
    if len(values) != 1 or "" in values:
        return
    if not (any(a > 0 for a in amounts) and any(a < 0 for a in amounts)):
        return
    for f in rows:
        f["our_account"] = f.pop("counterparty_account")
