"""``flask --app portal statements issue --period 2026-10 [--export DIR]``."""

from __future__ import annotations

import time
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
from .period import issue_period
from .service import statement_pdf


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
    announcer = loop.Announcer(session) if notify else None
    try:
        # committed after each batch of customers: a second run issues only what is missing
        run = issue_period(
            session,
            start,
            end,
            after_issue=announcer,
            progress=Progress(),
            after_batch=session.commit,
        )
        session.commit()
    except Exception:
        session.rollback()
        raise
    exported = 0
    if export_dir is not None:
        export_dir.mkdir(parents=True, exist_ok=True)
        current = session.scalars(
            select(Statement)
            .where(
                Statement.period_start == start,
                Statement.period_end == end,
                Statement.status != StatementStatus.SUPERSEDED,
            )
            # a company's month is tens of thousands of PDFs: a hundred in memory at a time
            .execution_options(yield_per=100)
        )
        for statement in current:
            (export_dir / f"{statement.number}.pdf").write_bytes(statement_pdf(statement))
            exported += 1
    click.echo(f"issued {len(run.issued)} statement(s) for {start.isoformat()} – {end.isoformat()}")
    for issued in run.issued:
        balances = "; ".join(f"{amount} {currency}" for amount, currency in issued.balances)
        click.echo(f"  {issued.number}  {balances}")
    if announcer is not None:
        told = announcer.totals
        click.echo(
            f"told {told['announced']} customer(s): {told['emails']} email(s), {told['sms']} SMS"
        )
    if export_dir is not None:
        # a second run issues nothing but still exports: say what the folder holds now
        click.echo(f"exported {exported} statement PDF(s) to {export_dir}")
    if run.failed:
        click.echo(
            f"failed for {len(run.failed)} customer(s), nothing issued for them "
            "(the others are issued; run the command again once fixed):",
            err=True,
        )
        for failure in run.failed:
            click.echo(f"  {failure.customer}  {failure.reason}", err=True)
        raise SystemExit(1)


class Progress:
    """Print how far a run is, every 5% of the customers (at most every 500) and at the end."""

    def __init__(self) -> None:
        self.began = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        """Report ``done`` of ``total`` customers when a step is reached."""
        step = max(1, min(500, total // 20))
        if done % step and done != total:
            return
        elapsed = time.monotonic() - self.began
        left = elapsed / done * (total - done)
        click.echo(
            f"  {done}/{total} customers ({done / total:.0%}), {elapsed:.0f} s, "
            f"about {left:.0f} s left",
            err=True,
        )
