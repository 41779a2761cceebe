"""The control totals of a BAI2 file's trailers, summed the way the format defines them.

A 49 account trailer's control total is the sum of the amounts of its 03 account record and of
its 16 detail records; a 98 group trailer's is the sum of its accounts' control totals, and the
99 file trailer's the sum of its groups'. All are in minor units, signed, as written (``12500``
for 125.00 USD): a sum of the figures, whatever their currencies. A total that disagrees means
records were lost or damaged on the way (a truncated transfer, a line dropped).

Some banks (Silicon Valley Bank among them) leave the 03 record's summary amounts out of the
account total: a total that is the sum of the 16 records alone is accepted too. A total of 0
or none is taken as not filled in (hand-made files and some writers leave it so), not checked.
"""

from __future__ import annotations

import re

from ..balances import control_total_problem
from ..problems import Problem

_WHOLE = re.compile(r"[+-]?\d+")


class ControlTotals:
    """Sums the amounts of one file as its records are read and checks each trailer's total.

    An amount that is not a whole number (a bank that writes the decimal point) makes the
    totals it is part of unknown: those are not checked.
    """

    def __init__(self) -> None:
        self._summaries: int | None = 0
        self._details: int | None = 0
        self._accounts: int | None = 0
        self._groups: int | None = 0

    def summary(self, written: str) -> None:
        """Count an amount of the open account's 03 record."""
        self._summaries = _add(self._summaries, written)

    def detail(self, written: str) -> None:
        """Count the amount of one of the open account's 16 records."""
        self._details = _add(self._details, written)

    def account(self, written: str, where: str) -> Problem | None:
        """Close the account at its 49 trailer, whose control total is ``written``."""
        summaries, details = self._summaries, self._details
        self._summaries = self._details = 0
        self._accounts = _add(self._accounts, written)
        stated = _stated(written)
        if stated is None or summaries is None or details is None:
            return None
        if stated == details:
            return None
        return control_total_problem("49", stated, summaries + details, where)

    def group(self, written: str, where: str) -> Problem | None:
        """Close the group at its 98 trailer, whose control total is ``written``."""
        accounts, self._accounts = self._accounts, 0
        self._groups = _add(self._groups, written)
        return _check("98", written, accounts, where)

    def file(self, written: str, where: str) -> Problem | None:
        """Close the file at its 99 trailer, whose control total is ``written``."""
        return _check("99", written, self._groups, where)


def _whole(written: str) -> int | None:
    text = written.strip()
    return int(text) if _WHOLE.fullmatch(text) else None


def _stated(written: str) -> int | None:
    """A trailer's control total, None when it is not filled in (empty or 0)."""
    return _whole(written) or None


def _add(total: int | None, written: str) -> int | None:
    value = _whole(written) if written.strip() else 0
    return None if total is None or value is None else total + value


def _check(record: str, written: str, computed: int | None, where: str) -> Problem | None:
    stated = _stated(written)
    if stated is None or computed is None:
        return None
    return control_total_problem(record, stated, computed, where)
