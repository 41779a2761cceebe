"""``flask export allocations``: the ledger's records as a file for the ERP."""

from __future__ import annotations

from pathlib import Path

import click
from sqlalchemy.orm import Session

from portal.extensions import db

from . import export


@click.group("export", help="Export Concord's records for the ERP.")
def cli() -> None:
    """Export Concord's records for the ERP."""


@cli.command("allocations")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(export.FORMATS),
    required=True,
    help="csv, xlsx or json",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    required=True,
    help="file to write",
)
@click.option("--since", default="", help="cursor printed by the previous export")
def allocations(fmt: str, output: Path, since: str) -> None:
    """Write every ledger record after CURSOR (all of them without --since) to OUTPUT.

    Prints how many records were written and the cursor to pass next time; the records are
    marked exported. Columns: id, voucher, bank_ref, value_date, customer, invoice, amount,
    currency, kind, by, our_account, our_bank (the account the money came into and its bank).
    """
    try:
        after = export.parse_cursor(since)
    except export.BadCursor as exc:
        raise click.BadParameter(str(exc), param_hint="--since") from None
    session: Session = db.session()
    try:
        batch = export.take(session, after=after)
        body = export.render(batch, fmt)
        output.write_bytes(body)
    except OSError as exc:
        session.rollback()
        raise click.ClickException(f"cannot write {output}: {exc.strerror or exc}") from None
    except BaseException:
        session.rollback()
        raise
    session.commit()
    click.echo(f"{len(batch.records)} records written to {output}")
    click.echo(f"cursor: {batch.cursor}")
    click.echo(f"next time: --since {batch.cursor}")
