"""``flask backup DIR``: copy the database (SQLite) and the instance secrets, with a manifest."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import URL

from ..extensions import db
from .service import MANIFEST, BackupError, verify_backup, write_backup


@click.command("backup")
@click.argument("target", metavar="DIR", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--check",
    is_flag=True,
    help="Do not write: check an existing backup's files against its manifest.",
)
@with_appcontext
def cli(target: Path, check: bool) -> None:
    """Back up the SQLite database and the instance secrets into DIR (new or empty)."""
    if check:
        problems = verify_backup(target)
        for problem in problems:
            click.echo(f"  {problem}", err=True)
        if problems:
            raise click.ClickException(f"{target}: {len(problems)} problem(s)")
        click.echo(f"{target}: every file matches {MANIFEST}.")
        return
    try:
        report = write_backup(target, bind=db.engine, instance_path=Path(current_app.instance_path))
    except (BackupError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    size = sum(s for s, _d in report.files.values())
    click.echo(f"Backup written to {target} ({len(report.files)} files, {size:,} bytes).")
    if report.backend == "sqlite":
        click.echo(f"  database: concord.sqlite3 (revision {report.alembic_revision})")
    else:
        click.echo(
            f"  database: {report.backend} is NOT in this backup. Back it up with pg_dump, e.g.\n"
            f"    pg_dump --format=custom --file {target}/concord.dump '{_libpq_url()}'\n"
            "  and keep this folder (keys, certificates, secrets) beside the dump."
        )
    secrets = [p for p in report.files if p.startswith("instance/")]
    click.echo(f"  instance secrets: {len(secrets)} files (signing keys, certificates, secrets)")
    if not any(p.startswith("instance/pki/") for p in secrets):
        click.echo("  note: no signing keys yet (instance/pki does not exist: nothing was signed)")
    for variable in report.env_secrets:
        click.echo(
            f"  note: {variable} comes from the environment and is not in the backup: "
            "keep it in your secret store, a restore needs it."
        )
    click.echo(f"  manifest: {target / MANIFEST} (SHA-256 of every file)")


def _libpq_url() -> str:
    """The database URL as pg_dump reads it: no SQLAlchemy driver, no password."""
    url = db.engine.engine.url
    # not url.set(password=None): set() takes None as "leave unchanged"
    bare = URL.create("postgresql", url.username, None, url.host, url.port, url.database, url.query)
    return bare.render_as_string(hide_password=False)
