"""The built-in scheduled tasks: monthly statements, statement reminders, daily follow-ups."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from ..followups import service as followups
from ..statements import loop
from ..statements.period import issue_period
from .registry import daily, monthly_on, scheduled_task


def previous_month(today: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the month before ``today``'s."""
    end = today.replace(day=1) - dt.timedelta(days=1)
    return end.replace(day=1), end


@scheduled_task(
    "monthly-statements",
    due=monthly_on("STATEMENT_DAY"),
    description="issue last month's statements (from STATEMENT_DAY of each month)",
)
def monthly_statements(session: Session, today: dt.date) -> dict[str, Any]:
    """Issue and certify the previous month's statements and tell each customer's contacts.

    Committed after each batch of customers, as ``statements issue`` does: at company size the
    run takes many minutes, and on SQLite one transaction would keep every other writer out
    that long. Customers whose statement failed are listed; the scheduler runs the task again
    on the following days, which issues only what is missing (see :mod:`.registry`).
    """
    start, end = previous_month(today)
    announcer = loop.Announcer(session, today=today)
    run = issue_period(session, start, end, after_issue=announcer, after_batch=session.commit)
    result: dict[str, Any] = {
        "period": start.strftime("%Y-%m"),
        "issued": len(run.issued),
        **announcer.totals,
    }
    if run.failed:
        # the others are issued; these are tried again on the following days (and by
        # `statements issue`) until they are fixed
        result["failed"] = [{"customer": f.customer, "reason": f.reason} for f in run.failed]
    return result


@scheduled_task(
    "statement-reminders",
    due=daily,
    description="remind customers of statements not confirmed after the configured days",
)
def statement_reminders(session: Session, today: dt.date) -> dict[str, Any]:
    """Email and text the billing contacts of statements still waiting for an answer."""
    return loop.send_reminders(session, today)


@scheduled_task(
    "daily-followups",
    due=daily,
    description="the day's follow-up run: tasks, collection cases, proposed actions",
)
def daily_followups(session: Session, today: dt.date) -> dict[str, Any]:
    """Run ``followups run`` for ``today`` (proposals still wait for approval)."""
    return followups.run(session, today=today).as_json()
