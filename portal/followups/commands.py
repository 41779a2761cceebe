"""``flask --app portal followups run [--json]``: today's follow-up run (cron or the scheduler)."""

from __future__ import annotations

import datetime as dt
import json

import click
from flask.cli import with_appcontext

from ..cli import flag, today_option
from ..extensions import db
from . import service


@click.group("followups")
def cli() -> None:
    """Follow-up tasks and collections."""


@cli.command("run")
@today_option("Run as if it were this date (YYYY-MM-DD).")
@flag("--json", "as_json", help="End with one JSON line of what the run did.")
@with_appcontext
def run(today: dt.date | None, as_json: bool) -> None:
    """Open and close cases, propose steps, send what is approved (idempotent per day)."""
    session = db.session()
    try:
        result = service.run(session, today=today)
        session.commit()
    except Exception:
        session.rollback()
        raise
    proposed = ", ".join(f"{c} {n}" for c, n in result.proposed.items() if n) or "nothing"
    tasks = ", ".join(f"{k} {n}" for k, n in sorted(result.tasks_created.items())) or "none"
    click.echo(
        f"proposed: {proposed}; sent {result.sent}, held {result.held}; cases opened "
        f"{result.cases_opened}, closed {result.cases_closed}; promises kept "
        f"{result.promises_kept}, broken {result.promises_broken}; tasks created: {tasks}, "
        f"closed {result.tasks_closed}"
    )
    if as_json:
        click.echo(json.dumps(result.as_json(), sort_keys=False))
