"""``flask api-token create NAME --user EMAIL [--scope read|write]``: tokens of the ERP API."""

from __future__ import annotations

import click
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import ApiToken, TokenScope, User

from .auth import TokenRefused, create_token, revoke_token


@click.group("api-token", help="Manage the bearer tokens of the ERP API.")
def cli() -> None:
    """Manage the bearer tokens of the ERP API."""


@cli.command("create")
@click.argument("name")
@click.option("--user", "email", required=True, help="E-mail of the user the token acts as.")
@click.option(
    "--scope",
    type=click.Choice([s.value for s in TokenScope]),
    default=None,
    help="read, or write (needs a finance or admin user); default: write if the user may.",
)
def create(name: str, email: str, scope: str | None) -> None:
    """Create a token called NAME acting as the user; print it once."""
    session = db.session()
    user = session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"no user with e-mail {email}")
    try:
        row, secret = create_token(session, name, user, scope)
    except TokenRefused as exc:
        raise click.ClickException(str(exc)) from None
    session.commit()
    click.echo(
        f"token {row.id} ({name}, acting as {user.email}, scope {row.scope}); "
        "shown once, store it now:"
    )
    click.echo(secret)


@cli.command("revoke")
@click.argument("token_id", type=int)
def revoke(token_id: int) -> None:
    """Revoke the token with id TOKEN_ID."""
    session = db.session()
    row = session.get(ApiToken, token_id)
    if row is None:
        raise click.ClickException(f"no API token {token_id}")
    revoke_token(session, row)
    session.commit()
    click.echo(f"token {token_id} ({row.name}) revoked")


@cli.command("list")
def list_tokens() -> None:
    """List tokens (never their secrets)."""
    for row in db.session().scalars(select(ApiToken).order_by(ApiToken.id)):
        state = "revoked" if row.revoked_at else "active"
        click.echo(f"{row.id}\t{row.name}\t{row.user.email}\t{state}\t{row.scope}")
