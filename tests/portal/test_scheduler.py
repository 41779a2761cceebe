"""The scheduler: each due task runs once per day, failures are retried, months catch up."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.config import DEFAULTS
from portal.models import AppSetting, ScheduledRun, ScheduledRunStatus, Statement, utcnow
from portal.scheduler import monthly_on, run_due, scheduled_task
from portal.scheduler import registry as scheduler_registry
from portal.scheduler.tasks import previous_month
from statements.pki import ConcordPKI
from tests.factories import make_customer, make_invoice

CALLS: list[dt.date] = []
FAIL_NEXT: list[bool] = []


@pytest.fixture(autouse=True)
def _test_tasks() -> Iterator[None]:
    """Register two test tasks for this module only."""
    CALLS.clear()
    FAIL_NEXT.clear()

    @scheduled_task("test-counter", description="counts its runs")
    def counter(session: Session, today: dt.date) -> dict[str, Any]:
        CALLS.append(today)
        session.add(AppSetting(key=f"counter-{today.isoformat()}", value={"n": len(CALLS)}))
        if FAIL_NEXT and FAIL_NEXT.pop():
            raise RuntimeError("the mail server is down")
        return {"calls": len(CALLS)}

    @scheduled_task("test-monthly", due=monthly_on("STATEMENT_DAY"))
    def monthly(session: Session, today: dt.date) -> None:
        CALLS.append(today)

    yield
    scheduler_registry._TASKS.pop("test-counter")
    scheduler_registry._TASKS.pop("test-monthly")


DAY = dt.date(2026, 12, 7)


def test_a_task_runs_once_per_day(session: Session) -> None:
    (first,) = run_due(session, today=DAY, only=("test-counter",))
    assert (first.state, first.result) == ("done", {"calls": 1})
    (second,) = run_due(session, today=DAY, only=("test-counter",))
    assert second.state == "already done"
    assert CALLS == [DAY]
    (next_day,) = run_due(session, today=DAY + dt.timedelta(days=1), only=("test-counter",))
    assert next_day.state == "done" and len(CALLS) == 2
    run = session.scalars(select(ScheduledRun).where(ScheduledRun.day == DAY)).one()
    assert (run.status, run.attempts, run.result) == (ScheduledRunStatus.DONE, 1, {"calls": 1})


def test_a_failed_run_is_recorded_rolled_back_and_retried_the_same_day(
    session: Session, runner: FlaskCliRunner
) -> None:
    FAIL_NEXT.append(True)
    failed = runner.invoke(
        args=["scheduler", "run-due", "--today", "2026-12-07", "--task", "test-counter"]
    )
    assert failed.exit_code == 1
    assert "test-counter: failed (RuntimeError: the mail server is down)" in failed.output
    # its work was rolled back with it
    assert session.get(AppSetting, "counter-2026-12-07") is None
    again = runner.invoke(
        args=["scheduler", "run-due", "--today", "2026-12-07", "--task", "test-counter"]
    )
    assert again.exit_code == 0 and 'test-counter: done {"calls": 2}' in again.output
    run = session.scalars(select(ScheduledRun).where(ScheduledRun.task == "test-counter")).one()
    assert (run.status, run.attempts, run.error) == (ScheduledRunStatus.DONE, 2, None)
    assert session.get(AppSetting, "counter-2026-12-07") is not None
    listed = runner.invoke(args=["scheduler", "list"])
    assert "test-counter: counts its runs" in listed.output
    assert "2026-12-07  done    attempts 2" in listed.output
    assert "monthly-statements:" in listed.output and "daily-followups:" in listed.output


def test_an_interrupted_run_is_taken_up_once_stale(app: Flask, session: Session) -> None:
    session.add(
        ScheduledRun(
            task="test-counter",
            day=DAY,
            status=ScheduledRunStatus.RUNNING,
            started_at=utcnow() - dt.timedelta(hours=2),
        )
    )
    session.commit()
    app.config["SCHEDULER_STALE_SECONDS"] = 10**9  # not stale yet: someone may be at it
    assert [o.state for o in run_due(session, today=DAY, only=("test-counter",))] == ["busy"]
    app.config["SCHEDULER_STALE_SECONDS"] = 3600
    assert [o.state for o in run_due(session, today=DAY, only=("test-counter",))] == ["done"]


def test_monthly_task_runs_from_its_day_and_catches_up(app: Flask, session: Session) -> None:
    app.config["STATEMENT_DAY"] = 5

    def states(day: dt.date) -> str:
        (outcome,) = run_due(session, today=day, only=("test-monthly",))
        return outcome.state

    assert states(dt.date(2026, 12, 4)) == "not due"
    assert states(dt.date(2026, 12, 5)) == "done"
    assert states(dt.date(2026, 12, 6)) == "not due"  # done this month
    assert states(dt.date(2027, 1, 9)) == "done"  # the timer missed the 5th: catch up
    assert states(dt.date(2027, 1, 10)) == "not due"
    app.config["STATEMENT_DAY"] = 31
    assert states(dt.date(2027, 2, 28)) == "done"  # the month's last day
    assert CALLS == [dt.date(2026, 12, 5), dt.date(2027, 1, 9), dt.date(2027, 2, 28)]


def test_previous_month() -> None:
    assert previous_month(dt.date(2026, 12, 1)) == (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert previous_month(dt.date(2027, 1, 15)) == (dt.date(2026, 12, 1), dt.date(2026, 12, 31))


@pytest.mark.slow
def test_monthly_statements_issue_last_month_once(
    app: Flask, session: Session, runner: FlaskCliRunner, tmp_path_factory: pytest.TempPathFactory
) -> None:
    pki = tmp_path_factory.mktemp("pki") / "pki"
    ConcordPKI(pki, "test-passphrase", company_name=DEFAULTS["COMPANY_NAME"]).ensure()
    shutil.copytree(pki, Path(app.instance_path) / "pki")
    customer = make_customer(session, code="C00777")
    make_invoice(session, customer, number="INV-NOV-1", issue_date=dt.date(2026, 11, 10))
    session.commit()
    args = ["scheduler", "run-due", "--today", "2026-12-01", "--task", "monthly-statements"]
    first = runner.invoke(args=args)
    assert first.exit_code == 0, first.output
    assert (
        'monthly-statements: done {"announced": 1, "emails": 1, "issued": 1, "period": "2026-11", '
        '"sms": 0}' in first.output
    )
    second = runner.invoke(args=args)
    assert "monthly-statements: already done" in second.output
    statements = session.scalars(select(Statement).where(Statement.customer_id == customer.id))
    assert [(s.period_start, s.period_end) for s in statements] == [
        (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    ]


def test_daily_followups_run_through_the_scheduler(session: Session) -> None:
    (outcome,) = run_due(session, today=DAY, only=("daily-followups",))
    assert outcome.state == "done"
    assert outcome.result is not None and set(outcome.result) == {
        "proposed",
        "sent",
        "cases_opened",
        "cases_closed",
    }
    assert outcome.result["sent"] == 0 and not any(outcome.result["proposed"].values())
    (again,) = run_due(session, today=DAY, only=("daily-followups",))
    assert again.state == "already done"
