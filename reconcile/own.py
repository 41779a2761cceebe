"""The one definition of "our own account" and "our own company", for parsers and matcher alike.

An account number is compared by its letters and digits only: banks print ``6222 0212-3456``,
``6222.0212.3456`` and ``62220212 3456`` for one account (dots are common in Belgian, Swiss and
Dutch numbers). A company name is compared after NFKC, case folding and dropping spaces and
punctuation; a printed name that contains one of our names of four or more characters is ours
(banks append the branch or cut the legal form).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["OwnParty", "account_key", "own_name_key"]

_ACCOUNT_JUNK = re.compile(r"[^0-9A-Za-z]+")
_NAME_JUNK = re.compile(r"[\s.,()（）·\-_/&'\"，。、]+")


def account_key(account: str | None) -> str:
    """Return ``account`` as letters and digits only, upper-cased (``""`` for none)."""
    if not account:
        return ""
    return _ACCOUNT_JUNK.sub("", account).upper()


def own_name_key(name: str | None) -> str:
    """Return the comparable form of a company name (NFKC, case-folded, no punctuation)."""
    if not name:
        return ""
    return _NAME_JUNK.sub("", unicodedata.normalize("NFKC", name)).casefold()


@dataclass(frozen=True, slots=True)
class OwnParty:
    """Who "we" are: our account numbers and our company names as banks print them."""

    accounts: frozenset[str]
    """Account keys (see :func:`account_key`)."""
    names: frozenset[str]
    """Name keys (see :func:`own_name_key`)."""

    @classmethod
    def of(cls, accounts: Iterable[str] = (), names: Iterable[str] = ()) -> OwnParty:
        """Build from account numbers and names as written."""
        return cls(
            frozenset(k for k in map(account_key, accounts) if k),
            frozenset(k for k in map(own_name_key, names) if k),
        )

    def is_own_account(self, account: str | None) -> bool:
        """True when ``account`` is one of ours, however it is punctuated."""
        key = account_key(account)
        return bool(key) and key in self.accounts

    def is_own_name(self, name: str | None) -> bool:
        """True when ``name`` is our company (equal, or containing one of our longer names)."""
        printed = own_name_key(name)
        if not printed:
            return False
        return any(printed == own or (len(own) >= 4 and own in printed) for own in self.names)

    def is_own(self, account: str | None, name: str | None) -> bool:
        """True when the account or the name is ours."""
        return self.is_own_account(account) or self.is_own_name(name)
