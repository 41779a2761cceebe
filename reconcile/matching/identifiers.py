"""Customer identifiers a remittance text may carry: the customer's code in the ERP (alone or
inside an ISO 11649 creditor reference, ``RF92CUST001``) and the payer's bank account number.

Used only when the bank names no payer: the text then stands in for the payer field.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping

from ..own import account_key

_TOKEN_RE = re.compile(r"[A-Z0-9]+(?:[-_/.][A-Z0-9]+)*")
_RF_RE = re.compile(r"(?<![A-Z0-9])RF(\d{2})")
_RF_WORDS_RE = re.compile(r" ?([A-Z0-9]+(?: [A-Z0-9]+){0,5})")
# digit groups a bank prints an account number in ("6222 0202 0011 2233 445")
_DIGIT_RUN_RE = re.compile(r"(?<![\d.,])\d+(?:[ -]\d+)*(?![\d.,])")
_MIN_ACCOUNT_DIGITS = 8
"""Shorter digit runs are amounts, dates and sequence numbers far more often than accounts."""


def code_key(code: str) -> str:
    """Return ``code`` compared as banks write it: letters and digits only, upper case."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", code).upper() if ch.isalnum())


def is_distinctive_code(key: str) -> bool:
    """True when a customer code (as :func:`code_key`) is unlike ordinary words and numbers:
    five characters or more, letters and digits both."""
    return len(key) >= 5 and any(ch.isdigit() for ch in key) and any(ch.isalpha() for ch in key)


def rf_bodies(text: str) -> Iterator[str]:
    """Yield the bodies of the creditor references (``RF`` + check digits + up to 21 letters
    and digits, written whole or in groups) in ``text`` whose check digits verify."""
    upper = unicodedata.normalize("NFKC", text).upper()
    for start in _RF_RE.finditer(upper):
        words = _RF_WORDS_RE.match(upper, start.end())
        if words is None:
            continue
        parts = words.group(1).split()
        # the longest run of the following words that verifies (groups of four, or one word)
        for size in range(len(parts), 0, -1):
            body = "".join(parts[:size])
            if len(body) <= 21 and _rf_valid(start.group(1), body):
                yield body
                break


def _rf_valid(check: str, body: str) -> bool:
    digits = "".join(str(int(ch, 36)) for ch in body + "RF" + check)
    return int(digits) % 97 == 1


def codes_in_text(text: str, codes: Mapping[str, str]) -> dict[str, str]:
    """Return ``{customer: as written}`` for every customer whose code (``codes``: key to
    customer) the text holds as a whole word or as a creditor reference's body."""
    upper = unicodedata.normalize("NFKC", text).upper()
    found: dict[str, str] = {}
    for written in [*_TOKEN_RE.findall(upper), *rf_bodies(upper)]:
        customer = codes.get(code_key(written))
        if customer is not None:
            found.setdefault(customer, written)
    return found


def accounts_in_text(text: str) -> Iterator[str]:
    """Yield the account numbers a text may hold (as :func:`~reconcile.own.account_key`): each
    run of digit groups of eight digits or more, joined and group by group, and each word
    shaped like an IBAN."""
    normal = unicodedata.normalize("NFKC", text).upper()
    for run in _DIGIT_RUN_RE.findall(normal):
        for part in {run, *run.replace("-", " ").split()}:
            key = account_key(part)
            if len(key) >= _MIN_ACCOUNT_DIGITS:
                yield key
    for word in _TOKEN_RE.findall(normal):
        if word[:2].isalpha() and len(word) >= 15:
            yield account_key(word)
