"""``flask audit verify``: check the audit chain from the first row to the last."""

from __future__ import annotations

import click

from portal.extensions import db

from .service import verify_chain


@click.group("audit", help="Audit trail tools.")
def cli() -> None:
    """Audit trail tools."""


@cli.command("verify")
def verify() -> None:
    """Verify the whole audit chain; exit 1 and name the first broken row when it is broken."""
    report = verify_chain(db.session())
    if report.ok:
        click.echo(f"audit chain OK: {report.checked} events verified")
        return
    click.echo(
        f"audit chain BROKEN at event id {report.first_broken_id}: {report.reason}", err=True
    )
    raise SystemExit(1)
