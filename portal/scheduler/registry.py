"""Scheduled tasks: a registry, due rules, and ``run_due``, which runs each due task once a day.

A timer (systemd, cron) calls ``flask --app portal scheduler run-due`` every few minutes. Each
task that is due today is *claimed* by inserting its ``scheduled_runs`` row, unique on
(task, day), and committing; a second run-due the same day (or a concurrent one on another
machine) finds the row and skips the task. The task's work and its ``done`` mark are committed
in one transaction, so a crash in the middle leaves nothing half done: the run stays
``running`` and is taken up again once it is older than ``SCHEDULER_STALE_SECONDS``. A task
that raised is ``failed`` with its error and is tried again by the next run-due that day.

A task whose work is long and can be taken up where it stopped (the monthly statements: a
second run issues only the missing ones) may commit as it goes, so that it does not hold the
database's write lock for minutes; an interruption then keeps what was done. Such a task says
what it could not do in its result's ``failed`` list: the run is ``done`` but *partly*, and the
task is due again on each following day (whatever its rule says) until a run leaves nothing
failed, so the items fixed meanwhile are done without anyone remembering to.

Register a task where its domain lives::

    from portal.scheduler.registry import daily, scheduled_task

    @scheduled_task("statement-reminders", due=daily, description="...")
    def remind(session: Session, today: dt.date) -> dict[str, Any]:
        ...  # flush, never commit; return a small summary for ``scheduler list``
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..localtime import local_today
from ..models import ScheduledRun, ScheduledRunStatus, utcnow

log = logging.getLogger(__name__)

#: (today, the last day the task ran successfully or None) -> is it due today?
DueRule = Callable[[dt.date, dt.date | None], bool]
TaskFn = Callable[[Session, dt.date], dict[str, Any] | None]


def daily(today: dt.date, last_done: dt.date | None) -> bool:
    """Due every day (once: the (task, day) key sees to that)."""
    return True


def monthly_on(day: int | str) -> DueRule:
    """Due once a month from ``day`` on (a setting name like ``"STATEMENT_DAY"`` or a number).

    A month whose day was missed (the timer was down) catches up on the next run; a day past
    the month's end means its last day.
    """

    def rule(today: dt.date, last_done: dt.date | None) -> bool:
        wanted = int(current_app.config[day]) if isinstance(day, str) else day
        wanted = min(max(wanted, 1), calendar.monthrange(today.year, today.month)[1])
        if today.day < wanted:
            return False
        return last_done is None or (last_done.year, last_done.month) != (today.year, today.month)

    rule.__doc__ = f"monthly, from day {day}"
    return rule


@dataclass(frozen=True)
class ScheduledTask:
    """A named piece of periodic work and when it is due."""

    name: str
    fn: TaskFn
    due: DueRule
    description: str


_TASKS: dict[str, ScheduledTask] = {}


def scheduled_task(
    name: str, *, due: DueRule = daily, description: str = ""
) -> Callable[[TaskFn], TaskFn]:
    """Register ``fn(session, today)`` as the scheduled task ``name``."""

    def register(fn: TaskFn) -> TaskFn:
        summary = description or (fn.__doc__ or "").strip().splitlines()[0:1]
        text = summary if isinstance(summary, str) else (summary[0] if summary else name)
        _TASKS[name] = ScheduledTask(name=name, fn=fn, due=due, description=text)
        return fn

    return register


def tasks() -> list[ScheduledTask]:
    """Every registered task, by name."""
    return [_TASKS[name] for name in sorted(_TASKS)]


@dataclass(frozen=True)
class Outcome:
    """What run-due did with one task."""

    task: str
    state: str  # "not due", "already done", "busy", "done", "partly done", "failed"
    result: dict[str, Any] | None = None
    error: str | None = None


def last_done(session: Session, task: str) -> dt.date | None:
    """The last day ``task`` ran successfully."""
    return session.scalar(
        select(func.max(ScheduledRun.day)).where(
            ScheduledRun.task == task, ScheduledRun.status == ScheduledRunStatus.DONE
        )
    )


def left_failures(session: Session, task: str) -> bool:
    """Whether ``task``'s last successful run was partial: its result lists ``failed`` items
    (then the task is due again on the following days until a run leaves none)."""
    result = session.scalar(
        select(ScheduledRun.result)
        .where(ScheduledRun.task == task, ScheduledRun.status == ScheduledRunStatus.DONE)
        .order_by(ScheduledRun.day.desc())
        .limit(1)
    )
    return bool(result and result.get("failed"))


def _claim(session: Session, task: str, today: dt.date, owner: str) -> ScheduledRun | None:
    """Insert (or take over a failed or stale) run of ``task`` today and commit; None: taken."""
    try:
        with session.begin_nested():
            run = ScheduledRun(
                task=task, day=today, status=ScheduledRunStatus.RUNNING, locked_by=owner
            )
            session.add(run)
        session.commit()
        return run
    except IntegrityError:
        session.rollback()
    stale = utcnow() - dt.timedelta(seconds=int(current_app.config["SCHEDULER_STALE_SECONDS"]))
    taken = session.execute(
        update(ScheduledRun)
        .where(
            ScheduledRun.task == task,
            ScheduledRun.day == today,
            or_(
                ScheduledRun.status == ScheduledRunStatus.FAILED,
                (ScheduledRun.status == ScheduledRunStatus.RUNNING)
                & (ScheduledRun.started_at < stale),
            ),
        )
        .values(
            status=ScheduledRunStatus.RUNNING,
            attempts=ScheduledRun.attempts + 1,
            locked_by=owner,
            started_at=utcnow(),
            finished_at=None,
        )
        .execution_options(synchronize_session=False)
    )
    session.commit()
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        return None
    return session.scalar(
        select(ScheduledRun)
        .where(ScheduledRun.task == task, ScheduledRun.day == today)
        .execution_options(populate_existing=True)
    )


def run_due(
    session: Session,
    *,
    today: dt.date | None = None,
    only: tuple[str, ...] = (),
    owner: str = "scheduler",
) -> list[Outcome]:
    """Run every task due ``today`` that has not run today; commits per task.

    :param only: restrict to these task names (all when empty).
    """
    day = today or local_today()
    outcomes = []
    for task in tasks():
        if only and task.name not in only:
            continue
        done_today = session.scalar(
            select(ScheduledRun.id).where(
                ScheduledRun.task == task.name,
                ScheduledRun.day == day,
                ScheduledRun.status == ScheduledRunStatus.DONE,
            )
        )
        if done_today is not None:
            session.rollback()
            outcomes.append(Outcome(task.name, "already done"))
            continue
        if not (task.due(day, last_done(session, task.name)) or left_failures(session, task.name)):
            session.rollback()
            outcomes.append(Outcome(task.name, "not due"))
            continue
        run = _claim(session, task.name, day, owner)
        if run is None:
            existing = session.scalar(
                select(ScheduledRun.status).where(
                    ScheduledRun.task == task.name, ScheduledRun.day == day
                )
            )
            session.rollback()
            state = "already done" if existing is ScheduledRunStatus.DONE else "busy"
            outcomes.append(Outcome(task.name, state))
            continue
        outcomes.append(_run(session, task, run, day))
    return outcomes


def _run(session: Session, task: ScheduledTask, run: ScheduledRun, day: dt.date) -> Outcome:
    run_id = run.id
    try:
        result = task.fn(session, day) or {}
        session.flush()
        run.status = ScheduledRunStatus.DONE
        run.result = result
        run.error = None
        run.finished_at = utcnow()
        session.commit()  # the task's work and its done mark land together
        return Outcome(task.name, "partly done" if result.get("failed") else "done", result=result)
    except Exception as exc:  # record the failure; the next run-due today tries again
        log.exception("scheduled task %s failed", task.name)
        session.rollback()
        error = f"{type(exc).__name__}: {exc}"[:2000]
        session.execute(
            update(ScheduledRun)
            .where(ScheduledRun.id == run_id)
            .values(status=ScheduledRunStatus.FAILED, error=error, finished_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        session.commit()
        return Outcome(task.name, "failed", error=error)
