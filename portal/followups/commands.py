"""``flask --app portal followups run``: create today's follow-up tasks (cron or a timer)."""

from __future__ import annotations

import datetime as dt

import click
from flask.cli import with_appcontext

from ..extensions import db
from . import service


@click.group("followups")
def cli() -> None:
    """Follow-up tasks and dunning."""


@cli.command("run")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Run as if it were this date (YYYY-MM-DD).",
)
@with_appcontext
def run(today: dt.datetime | None) -> None:
    """Create the tasks due (idempotent: a second run creates nothing new)."""
    session = db.session()
    report = service.run(session, today=today.date() if today else None)
    session.commit()
    parts = ", ".join(f"{kind} {n}" for kind, n in sorted(report.created.items())) or "nothing new"
    click.echo(
        f"follow-ups created: {report.total} ({parts}); skipped disputed invoices "
        f"{report.skipped_disputed}, customers on hold {report.skipped_on_hold}"
    )
