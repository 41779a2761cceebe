"""Password policy (OWASP ASVS 5.0, V6.2): length and a list of breached or common passwords.

No composition rules (no "one digit, one capital"): length and the blocklist only. Any
character may be used, spaces included; length counts Unicode characters.
"""

from __future__ import annotations

import functools
import gzip
import re
import unicodedata
from importlib import resources

from flask import has_request_context
from flask_babel import gettext

MIN_LENGTH = 12
MAX_LENGTH = 128
#: digits, punctuation and spaces people wrap around a common word
_DECORATION = re.compile(r"^[\d\W_]+|[\d\W_]+$")
_SEQUENCES = (
    "0123456789" * 3,
    "9876543210" * 3,
    "abcdefghijklmnopqrstuvwxyz" * 2,
    "zyxwvutsrqponmlkjihgfedcba" * 2,
    "qwertyuiopasdfghjklzxcvbnm" * 2,
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
    "1234567890qwertyuiopasdfghjklzxcvbnm",
)


def _(message: str, **values: object) -> str:
    # in a request: the reader's language; elsewhere (CLI, jobs): English
    if has_request_context():
        return gettext(message, **values)
    return message % values if values else message


@functools.cache
def common_passwords() -> frozenset[str]:
    """The shipped list of breached and common passwords (lower case)."""
    data = resources.files("portal.auth").joinpath("data/common-passwords.txt.gz").read_bytes()
    return frozenset(gzip.decompress(data).decode("utf-8").split())


def _normal(password: str) -> str:
    return unicodedata.normalize("NFKC", password).casefold()


def _is_trivial(text: str) -> bool:
    """One short chunk repeated (``abcabcabcabc``) or a run of a keyboard or alphabet."""
    for size in range(1, len(text) // 2 + 1):
        if len(text) % size == 0 and text[:size] * (len(text) // size) == text:
            return True
    return len(text) >= 6 and any(text in sequence for sequence in _SEQUENCES)


def is_common(password: str) -> bool:
    """Return whether ``password`` is common: listed, a listed word with digits or symbols
    around it, or a trivial repetition or sequence."""
    text = _normal(password)
    listed = common_passwords()
    if text in listed or _is_trivial(text):
        return True
    core = _DECORATION.sub("", text)
    compact = re.sub(r"\s+", "", text)
    return (
        (core != text and (len(core) < 4 or core in listed or _is_trivial(core)))
        or compact in listed
        or _is_trivial(compact)
    )


def password_problems(password: str, *, email: str | None = None) -> list[str]:
    """Return why ``password`` cannot be used (empty list: it is acceptable).

    :param email: the account's address; a password containing it (or its local part) is refused.
    """
    problems: list[str] = []
    length = len(password)
    if length < MIN_LENGTH:
        problems.append(
            _("Use at least %(min)d characters (this has %(n)d).", min=MIN_LENGTH, n=length)
        )
    if length > MAX_LENGTH:
        problems.append(_("Use at most %(max)d characters.", max=MAX_LENGTH))
    if length <= MAX_LENGTH and is_common(password):
        problems.append(
            _("This password is too common or has appeared in data breaches; choose another.")
        )
    if email:
        text = _normal(password)
        local = _normal(email).split("@", 1)[0]
        if _normal(email) in text:
            problems.append(_("Do not use your email address in the password."))
        elif len(local) >= 4 and local in text:
            problems.append(
                _(
                    "Do not use the name of your email address (“%(name)s”) in the password.",
                    name=local,
                )
            )
    return problems
