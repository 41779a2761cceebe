"""``flask demo [--password PW] [--if-empty]``: load the demo business."""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path
from typing import Any

import click
from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.extensions import db
from portal.jobs import JobContext, enqueue, handler
from portal.models import Customer, User
from portal.statements.period import issue_period

from ..cli import ensure_schema, flag, upgrade_database
from ..users.commands import hint_if_no_staff
from .data import USERS
from .service import seed_demo

PASSWORD_FILE = "demo_password"  # noqa: S105 (a file name)


def _password_file() -> Path:
    return Path(current_app.instance_path) / PASSWORD_FILE


def _store_password(password: str) -> None:
    path = _password_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(password + "\n")


def _stored_password() -> str | None:
    path = _password_file()
    return path.read_text().strip() if path.exists() else None


def _print_logins(password: str | None) -> None:
    click.echo("Demo logins (" + current_app.config["BASE_URL"] + "):")
    for email, role, _name, code, _admin, _lang in USERS:
        suffix = f" of customer {code}" if code else ""
        click.echo(f"  {email:<22} {role}{suffix}")
    if password:
        click.echo(f"  password: {password}   (kept in {_password_file()})")
    else:
        click.echo("  password: the one given to `flask demo --password` when the demo was loaded")


@click.command("demo")
@click.option("--password", help="Password of every demo user (default: generate one).")
@flag("--if-empty", help="Do nothing when customers exist already.")
@flag(
    "--migrate", help="First bring the database to the current schema (as `alembic upgrade head`)."
)
@flag(
    "--statements-in-background",
    help="Leave issuing last month's statements to the background worker (`make run` has one).",
)
def cli(
    password: str | None, if_empty: bool, migrate: bool, statements_in_background: bool
) -> None:
    """Load demo customers, invoices, payments and users (running it again adds nothing)."""
    if migrate:
        # in this process: `make run` saves starting Python and the app once more (seconds)
        upgrade_database()
    else:
        ensure_schema()  # `flask demo` on a fresh instance folder: its database has no tables
    session = db.session()
    if if_empty and session.scalar(select(func.count(Customer.id))):
        click.echo("The database has customers already: no demo data loaded.")
        _print_logins(_stored_password())
        hint_if_no_staff()  # `make run` asks only this command (no users yet: say how)
        return
    if password is None:
        password = _stored_password() or secrets.token_urlsafe(9)
    summary = seed_demo(session, password=password, own_account=_own_account())
    session.commit()
    if statements_in_background:
        # signing 30 PDFs takes seconds: the server answers first, its worker issues them
        enqueue(session, ISSUE_STATEMENTS_JOB)
        session.commit()
        click.echo("Last month's statements are being issued by the background worker.")
    else:
        statements = _issue_last_month(session)
        session.commit()
        if statements:
            click.echo(f"Issued {statements} statements of account for last month.")
    if summary.created_anything:
        _store_password(password)
        click.echo(
            f"Demo loaded: {summary['customers']} customers, {summary['invoices']} invoices, "
            f"{summary['transactions']} bank transactions, {summary['allocations']} allocations, "
            f"{summary['users']} users, {summary['dunning_steps']} dunning steps."
        )
        _print_logins(password)
    else:
        click.echo("Demo data is complete already: nothing added.")
        _print_logins(_stored_password())


ISSUE_STATEMENTS_JOB = "demo.issue_statements"


@handler(ISSUE_STATEMENTS_JOB)
def _issue_statements_job(ctx: JobContext) -> dict[str, Any]:
    """Issue last month's demo statements (``flask demo --statements-in-background``)."""
    return {"issued": _issue_last_month(ctx.session)}


def _issue_last_month(session: Session) -> int:
    """Issue last month's statements so customers have one to confirm (idempotent)."""
    first_of_month = dt.date.today().replace(day=1)
    end = first_of_month - dt.timedelta(days=1)
    issuer = session.scalar(select(User).where(User.email == "finance@demo.test"))
    return len(issue_period(session, end.replace(day=1), end, issued_by=issuer).issued)


def _own_account() -> str | None:
    accounts = current_app.config.get("OWN_ACCOUNTS") or []
    return str(accounts[0]) if accounts else None
