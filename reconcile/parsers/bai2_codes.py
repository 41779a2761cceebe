"""The BAI2 type-code table: what a code means and which way the money moves.

The BAI Cash Management Balance Reporting Specification (version 2) splits its three-digit
type codes into ranges: ``001``-``099`` account status (balances, float), ``100``-``399``
credit activity, ``400``-``699`` debit activity, ``700``-``799`` loan detail, ``890``
non-monetary information, ``900``-``999`` codes each bank defines for itself. Within the credit
and debit ranges a code is either a summary ("Total ...", reported on ``03`` records) or a
detail (reported on ``16`` records); some banks also send summary codes on ``16``. The names
in ``bai2_codes.json`` are the specification's for the codes seen most in practice; every code
of the credit and debit ranges is read by its range whether it is named there or not.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Literal

CodeKind = Literal["status", "credit", "debit", "loan", "non_monetary", "custom", "invalid"]

#: the specification's name of each code, from ``bai2_codes.json`` beside this module
NAMES: dict[str, str] = json.loads(
    resources.files(__package__).joinpath("bai2_codes.json").read_text(encoding="utf-8")
)

# interest, refunds and reversals: credits that are not a customer paying an invoice
INTEREST_CODES = frozenset({"346", "354", "355", "359"})
REVERSAL_CODES = frozenset({"252", "254", "258", "395", "552", "554", "558", "694"})
REFUND_CODES = frozenset({"398"})
# sweeps and zero-balance transfers only: a book transfer (206/506) is any payment between two
# accounts of one bank, a customer's at that bank included
OWN_TRANSFER_CODES = frozenset({"201", "275", "277", "501", "575", "577"})


def kind(code: str) -> CodeKind:
    """Return the range ``code`` falls in (``invalid`` for anything but three digits)."""
    if len(code) != 3 or not code.isdigit():
        return "invalid"
    value = int(code)
    if value < 100:
        return "status"
    if value < 400:
        return "credit"
    if value < 700:
        return "debit"
    if value < 800:
        return "loan"
    if value == 890:
        return "non_monetary"
    if value >= 900:
        return "custom"
    return "invalid"


def name(code: str) -> str | None:
    """Return the specification's name of ``code`` when this table has it."""
    return NAMES.get(code)


def category(code: str) -> str:
    """Return what a credit or debit of ``code`` is when it is no customer payment, else ``""``.

    ``interest``, ``reversal``, ``refund`` or ``own_transfer`` (see :data:`CATEGORIES` in
    :mod:`reconcile.model`).
    """
    if code in INTEREST_CODES:
        return "interest"
    if code in REVERSAL_CODES:
        return "reversal"
    if code in REFUND_CODES:
        return "refund"
    if code in OWN_TRANSFER_CODES:
        return "own_transfer"
    return ""
