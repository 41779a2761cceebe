"""``flask --app portal scheduler run-due|list``: periodic work, called by a timer."""

from __future__ import annotations

import datetime as dt
import json

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from ..cli import first_line, today_option
from ..extensions import db
from ..jobs import new_worker_id
from ..models import ScheduledRun
from .registry import run_due as run_due_tasks
from .registry import tasks


@click.group("scheduler")
def cli() -> None:
    """Scheduled tasks (monthly statements, daily follow-ups, reminders)."""


@cli.command("run-due")
@today_option("Run as if it were this day (YYYY-MM-DD; default: today in TIMEZONE).")
@click.option("--task", "only", multiple=True, help="Only this task (repeatable).")
@with_appcontext
def run_due(today: dt.date | None, only: tuple[str, ...]) -> None:
    """Run each task that is due today and has not run today (safe to call every minute)."""
    known = {t.name for t in tasks()}
    unknown = sorted(set(only) - known)
    if unknown:
        raise click.BadParameter(f"unknown task(s): {', '.join(unknown)}", param_hint="--task")
    outcomes = run_due_tasks(db.session(), today=today, only=only, owner=new_worker_id())
    for outcome in outcomes:
        line = f"{outcome.task}: {outcome.state}"
        if outcome.result:
            line += " " + json.dumps(outcome.result, ensure_ascii=False, sort_keys=True)
        if outcome.error:
            line += f" ({outcome.error})"
        click.echo(line)
    if any(o.state in ("failed", "partly done") for o in outcomes):  # someone has to look
        raise SystemExit(1)


@cli.command("list")
@with_appcontext
def list_tasks() -> None:
    """Show each task, when it is due and its last runs."""
    session = db.session()
    for task in tasks():
        click.echo(f"{task.name}: {task.description}")
        runs = session.scalars(
            select(ScheduledRun)
            .where(ScheduledRun.task == task.name)
            .order_by(ScheduledRun.day.desc())
            .limit(3)
        ).all()
        if not runs:
            click.echo("    never ran")
        for run in runs:
            line = f"    {run.day.isoformat()}  {run.status.value:<7} attempts {run.attempts}"
            if run.finished_at:
                line += f"  finished {run.finished_at:%Y-%m-%d %H:%M:%S} UTC"
            if run.result:
                line += "  " + json.dumps(run.result, ensure_ascii=False, sort_keys=True)
            if run.error:
                line += f"  error: {first_line(run.error)}"
            click.echo(line)
