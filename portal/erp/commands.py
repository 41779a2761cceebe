"""``flask import customers FILE`` and ``flask import invoices FILE``: load ERP exports."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

import click
from sqlalchemy.orm import Session

from portal.cli import ensure_schema
from portal.contracts.service import import_contracts_csv
from portal.extensions import db

from .service import (
    ErpImportError,
    ImportSummary,
    import_contacts_csv,
    import_customers_csv,
    import_invoices_csv,
)

Importer = Callable[..., ImportSummary]


@click.group(
    "import", help="Import customers, contacts, invoices and contracts from the ERP (CSV)."
)
def cli() -> None:
    """Import customers, contacts, invoices and contracts from the ERP (CSV)."""


def _run(importer: Importer, path: Path) -> None:
    ensure_schema()
    session: Session = db.session()
    try:
        summary = importer(session, path.read_bytes(), actor=None, filename=path.name)
    except ErpImportError as exc:
        session.rollback()
        for error in exc.errors:
            click.echo(f"{path.name}: {error}", err=True)
        click.echo(f"{path.name}: {exc}", err=True)
        raise SystemExit(1) from None
    except BaseException:
        session.rollback()
        raise
    session.commit()
    click.echo(str(summary))


_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


def _file_command(name: str) -> Callable[[Callable[..., None]], click.Command]:
    """Declare ``flask import NAME FILE``: a command of the group that reads one existing file."""

    def declare(callback: Callable[..., None]) -> click.Command:
        return cli.command(name)(click.argument("file", type=_FILE)(callback))

    return declare


@_file_command("customers")
def customers(file: Path) -> None:
    """Create or update customers from FILE (code,name,aliases,bank_accounts,currency,...)."""
    _run(import_customers_csv, file)


@_file_command("invoices")
@click.option(
    "--full",
    is_flag=True,
    help="FILE is the complete list of open items: invoices missing from it are paid in the ERP.",
)
def invoices(file: Path, full: bool) -> None:
    """Create or update invoices from FILE (number,customer,issue_date,due_date,...)."""
    _run(functools.partial(import_invoices_csv, full=full), file)


@_file_command("contacts")
def contacts(file: Path) -> None:
    """Replace the contacts of the customers FILE names (customer,name,email,mobile,...)."""
    _run(import_contacts_csv, file)


@_file_command("contracts")
def contracts(file: Path) -> None:
    """Create or update contracts from FILE (number,customer,currency,total,valid_from,...)."""
    _run(import_contracts_csv, file)
