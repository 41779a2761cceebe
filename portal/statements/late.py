"""The day a record counts on a customer's statements: its own date, unless it came late.

Once a period's statement is issued, the period is closed for that customer, as a closed
period is in accounting software: a record booked afterwards but dated inside it (a bank file
uploaded on 3 December with a receipt of 28 November, an invoice the ERP sends dated back, a
credit note dated back, a payment applied or a write-off made later, what the ERP settled in
November reported in December, a reversal on the day a statement was issued) counts on the day
after the last period closed when it was booked, so on the first statement not yet issued,
with its own date shown and marked as booked late. An issued statement, built again, is the
statement that was issued, and each statement opens at the closing balance of the one before.

A correction (a new version of the same period) reopens its period for what was booked since
the version before, as long as no statement of a later period has been issued: once one has,
the later statement holds those records, and the period stays closed at its first version's
time.

This is one rule for every kind of record (:func:`counts_on`); :mod:`.entries` applies it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from statements.model import LedgerEntry

from ..models import Customer, Statement

ONE_DAY = dt.timedelta(days=1)
Entry = TypeVar("Entry", bound=LedgerEntry)


@dataclass(frozen=True)
class Closing:
    """A closed period of a customer: what is dated up to ``end`` and booked at or after
    ``since`` counts after ``end``."""

    end: dt.date
    since: dt.datetime


@dataclass(frozen=True)
class Closings:
    """The customer's closed periods (empty: every record counts on its own date)."""

    periods: tuple[Closing, ...] = ()

    def counts_on(self, day: dt.date, booked_at: dt.datetime) -> dt.date:
        """The day a record of ``day`` booked at ``booked_at`` counts on a statement: its own
        day, or the day after the last period that was closed when it was booked and covers
        that day."""
        counted = day
        for closing in self.periods:
            if day <= closing.end and booked_at >= closing.since:
                counted = max(counted, closing.end + ONE_DAY)
        return counted

    def place(self, entry: Entry, booked_at: dt.datetime) -> Entry:
        """The entry on the day it counts; booked late, it keeps its own date as its value
        date."""
        day = self.counts_on(entry.date, booked_at)
        if day == entry.date:
            return entry
        return dataclasses.replace(entry, date=day, value_date=entry.date)


def closings(
    session: Session,
    customer: Customer,
    *,
    issuing: tuple[dt.date, dt.date, dt.datetime] | None = None,
) -> Closings:
    """The customer's closed periods, from the statements issued for it.

    :param issuing: ``(period_start, period_end, now)`` of a statement being issued now (a
        correction of its period counts what was booked before it, see the module's notes).
    """
    times: dict[tuple[dt.date, dt.date], list[dt.datetime]] = defaultdict(list)
    for start, end, issued_at in session.execute(
        select(Statement.period_start, Statement.period_end, Statement.issued_at).where(
            Statement.customer_id == customer.id
        )
    ):
        times[(start, end)].append(issued_at)
    if issuing is not None and (issuing[0], issuing[1]) in times:
        times[(issuing[0], issuing[1])].append(issuing[2])
    first = {period: min(issued) for period, issued in times.items()}
    periods = []
    for (start, end), issued in times.items():
        # the period is closed since its last version issued before any later period's first
        later = [when for (_s, e), when in first.items() if e > end]
        until = min(later) if later else None
        before = [when for when in issued if until is None or when <= until]
        since = max(before or [first[(start, end)]])
        periods.append(Closing(end=end, since=since))
    return Closings(tuple(sorted(periods, key=lambda c: (c.end, c.since))))
