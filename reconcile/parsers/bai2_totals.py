"""The control totals and record counts of a BAI2 file's trailers, as the format defines them.

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

from ..balances import control_total_problem, record_count_problem
from ..problems import Problem, problem

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


class RecordCounts:
    """Counts the records of one file as they are read and checks each trailer's record count.

    BAI2 counts records, not lines: an 88 continuation is a record of its own, a text wrapped
    onto the next physical line is not. A 49 account trailer's count covers the account's 03,
    16 and 88 records and the 49 itself; a 98 group trailer's, the 02 and everything up to and
    including the 98; a 99 file trailer's, every record of the file, the 01 and the 99
    included. A count of 0 or none is taken as not filled in, as for the control totals.

    An account whose 49 counts one record less than it holds is accepted (Silicon Valley
    Bank's ``eod.bai2`` counts 12 of its 13), and each such account makes its group's and the
    file's counts one less too: a record lost is still caught, one record repeated is not.

    The 98 group trailer also states its group's number of accounts (03 records) and the 99
    file trailer the file's number of groups (02 records); a whole account or group lost
    shows there even where its records' count was left out. A 98 of two numbers whose second
    is the group's record count (zeptofs/bai2's ``98,25001,6/``) gives that count, not the
    number of accounts.
    """

    def __init__(self) -> None:
        self._account = 0
        self._group = 0
        self._file = 0
        self._short_in_group = 0
        self._short_in_file = 0
        self._accounts = 0
        self._groups = 0

    def add(self, code: str, records: int) -> None:
        """Count a record with its 88 continuations (``records`` physical records in all)."""
        if code == "02":
            self._group = self._short_in_group = self._accounts = 0
            self._groups += 1
        elif code == "03":
            self._account = 0
            self._accounts += 1
        self._account += records
        self._group += records
        self._file += records

    def account(self, written: str, where: str) -> Problem | None:
        """Check the 49 account trailer just counted, whose record count is ``written``."""
        stated = _stated(written)
        if stated is None or stated == self._account:
            return None
        if stated == self._account - 1:
            self._short_in_group += 1
            self._short_in_file += 1
            return None
        return record_count_problem("49", stated, self._account, where)

    def group(self, written: str, where: str) -> Problem | None:
        """Check the 98 group trailer just counted, whose record count is ``written``."""
        return _count("98", written, self._group, self._short_in_group, where)

    def file(self, written: str, where: str) -> Problem | None:
        """Check the 99 file trailer just counted, whose record count is ``written``."""
        return _count("99", written, self._file, self._short_in_file, where)

    def is_group_records(self, written: str) -> bool:
        """True when ``written`` is the group's record count and not its number of accounts."""
        stated = _stated(written)
        return stated != self._accounts and stated in (
            self._group,
            self._group - self._short_in_group,
        )

    def accounts(self, written: str, where: str) -> Problem | None:
        """Check the 98 group trailer just counted, whose number of accounts is ``written``."""
        return _sections("bai2_accounts_mismatch", written, self._accounts, where)

    def groups(self, written: str, where: str) -> Problem | None:
        """Check the 99 file trailer just counted, whose number of groups is ``written``."""
        return _sections("bai2_groups_mismatch", written, self._groups, where)


def _count(record: str, written: str, counted: int, short: int, where: str) -> Problem | None:
    stated = _stated(written)
    if stated is None or stated in (counted, counted - short):
        return None
    return record_count_problem(record, stated, counted, where)


def _sections(code: str, written: str, counted: int, where: str) -> Problem | None:
    """The warning ``code`` when a trailer's number of accounts or groups is not ``counted``
    (none when it is left out or 0, as for the record counts)."""
    stated = _stated(written)
    if stated is None or stated == counted:
        return None
    return problem(code, stated=stated, counted=counted, difference=f"{stated - counted:+d}").at(
        location=where
    )
