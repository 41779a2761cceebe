"""``flask --app portal statements issue --period 2026-10 [--export DIR]``."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from statements.build import month_period
from statements.errors import StatementError

from ..cli import ensure_schema
from ..extensions import db
from ..models import Statement, StatementStatus
from . import loop
from .service import issue_period, statement_pdf


@click.group("statements")
def cli() -> None:
    """Statements of account."""


@cli.command("issue")
@click.option("--period", required=True, help="The month to issue, as YYYY-MM.")
@click.option(
    "--export",
    "export_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also write the period's current statement PDFs (issued now or before) to this folder.",
)
@click.option(
    "--notify/--no-notify",
    default=True,
    show_default=True,
    help="Email (and text) each customer's billing contacts a link to its new statement.",
)
@with_appcontext
def issue(period: str, export_dir: Path | None, notify: bool) -> None:
    """Issue and certify the month's statements (customers with activity or a balance)."""
    try:
        start, end = month_period(period)
    except StatementError as exc:
        raise click.BadParameter(str(exc), param_hint="--period") from exc
    ensure_schema()
    session = db.session()
    try:
        issued = issue_period(session, start, end)
        told = loop.announce_all(session, issued) if notify else None
        session.commit()
    except Exception:
        session.rollback()
        raise
    exported = 0
    if export_dir is not None:
        export_dir.mkdir(parents=True, exist_ok=True)
        current = session.scalars(
            select(Statement).where(
                Statement.period_start == start,
                Statement.period_end == end,
                Statement.status != StatementStatus.SUPERSEDED,
            )
        )
        for statement in current:
            (export_dir / f"{statement.number}.pdf").write_bytes(statement_pdf(statement))
            exported += 1
    click.echo(f"issued {len(issued)} statement(s) for {start.isoformat()} – {end.isoformat()}")
    for statement in issued:
        balances = "; ".join(f"{b.closing_balance} {b.currency}" for b in statement.balances)
        click.echo(f"  {statement.number}  {balances}")
    if told is not None:
        click.echo(
            f"told {told['announced']} customer(s): {told['emails']} email(s), {told['sms']} SMS"
        )
    if export_dir is not None:
        # a second run issues nothing but still exports: say what the folder holds now
        click.echo(f"exported {exported} statement PDF(s) to {export_dir}")
