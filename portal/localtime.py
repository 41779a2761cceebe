"""The company's clock: times are stored in UTC and read in the configured ``TIMEZONE``.

One place for "which day (or hour) is it here": the daily runs, the statements' dates, the
ERP import's day and the quiet hours of reminders all ask the same question.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import current_app


def company_zone() -> ZoneInfo:
    """The configured time zone (UTC when none is set)."""
    return ZoneInfo(str(current_app.config.get("TIMEZONE") or "UTC"))


def local_time(moment: dt.datetime) -> dt.datetime:
    """``moment`` on the company's clock (a naive time is taken as UTC, as stored)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(company_zone())


def local_day(moment: dt.datetime) -> dt.date:
    """The company's day ``moment`` falls on."""
    return local_time(moment).date()


def local_today() -> dt.date:
    """Today on the company's clock: a day starts at local midnight."""
    return local_day(dt.datetime.now(dt.UTC))
