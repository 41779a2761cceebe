"""The parties a BAI2 entry's tagged 88 items name (Goldman Sachs Transaction Banking).

Goldman Sachs writes one item per ``88`` record after a ``16`` record's narrative, each a
four-letter tag, a colon and the value, which the reader joins with commas::

    16,195,3797999624,,GI2323300007089,2023...,Incoming Wire,From: TEST AND COMPANY, ...
    88,EREF: 20230821J1Q5040C000707
    88,CRNM: SAMPLE INC
    88,DBNM: TEST AND COMPANY
    88,DACT: 000001000600427

``DBNM``/``DACT``/``DABA``/``DBIC`` are the debtor's name, account, routing number and BIC,
``CRNM``/``CACT``/``CABA``/``CBIC`` the creditor's; ``EREF`` is the end-to-end reference and
``REMI`` the remittance text. The other party is the debtor of a credit and the creditor of a
debit, unless the item says otherwise: a return can keep the roles of the payment it undoes
(an ``FPS Return`` credit whose ``DACT`` is our own account), so the side holding our account
is ours, and the side the narrative names (``From: X``, ``Return To: X``) is the other; a return
that says neither names nobody. A side without a name (an ACH batch's control account) names
nobody either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..own import account_key

# one tagged item: a comma (or the text's start), four upper-case letters, a colon
_ITEM = re.compile(r"(?:^|,)\s*([A-Z]{4}):[ ]?")
_NARRATED = re.compile(r"\b(?:From|To):\s*([^,]*)", re.IGNORECASE)
_RETURNED = re.compile(r"\b(?:return|reject)", re.IGNORECASE)


@dataclass(frozen=True)
class Side:
    """One party of the payment as the tags name it."""

    name: str
    account: str | None
    bank: str | None


def tagged_items(text: str) -> dict[str, str]:
    """The tagged 88 items of ``text`` by tag (the first of each), empty values left out."""
    marks = list(_ITEM.finditer(text))
    items: dict[str, str] = {}
    for index, mark in enumerate(marks):
        after = marks[index + 1] if index + 1 < len(marks) else None
        value = " ".join(text[mark.end() : after.start() if after else len(text)].split())
        if value:
            items.setdefault(mark.group(1), value)
    return items


def other_party(items: dict[str, str], text: str, *, credit: bool, our_account: str) -> Side | None:
    """The other party of the entry: the debtor of a credit, the creditor of a debit, unless
    our account or the narrative's ``From:``/``To:`` tells the roles the other way round."""
    debtor, creditor = _side(items, "D"), _side(items, "C")
    if debtor is None or creditor is None:
        other = debtor if credit else creditor
        return other if other is not None and not _ours(other, our_account) else None
    if _ours(debtor, our_account) != _ours(creditor, our_account):
        return creditor if _ours(debtor, our_account) else debtor
    first = _ITEM.search(text)
    narrative = text[: first.start()] if first else text
    named = _NARRATED.search(narrative)
    if named is not None:
        for side in (debtor, creditor):
            if _same_name(side.name, named.group(1)):
                return side
    if _RETURNED.search(narrative):
        return None  # whose roles a return keeps, nothing here says
    return debtor if credit else creditor


def _side(items: dict[str, str], letter: str) -> Side | None:
    name = items.get(f"{letter}BNM" if letter == "D" else f"{letter}RNM")
    if not name:
        return None
    bank = items.get(f"{letter}BIC") or items.get(f"{letter}ABA")
    return Side(name=name, account=items.get(f"{letter}ACT"), bank=bank)


def _ours(side: Side, our_account: str) -> bool:
    """True when the side's account is the statement's, however punctuated or zero-padded
    (Goldman Sachs pads ``DACT`` to 15 digits)."""
    ours = account_key(our_account).lstrip("0")
    return bool(ours) and account_key(side.account).lstrip("0") == ours


def _same_name(name: str, narrated: str) -> bool:
    """True when one name is the other or its first words (``Test`` and ``TEST INC``)."""
    a, b = name.casefold().split(), narrated.casefold().split()
    shorter, longer = sorted((a, b), key=len)
    return bool(shorter) and longer[: len(shorter)] == shorter
