"""``flask users ...``: create staff users, invite customer users, disable, change roles.

Each command runs one transaction: the services flush, the command commits once (or rolls
back and exits with status 1 and a one-line reason).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.orm import Session

from ..auth.passwords import password_problems
from ..auth.service import INVITATION_DAYS
from ..cli import ensure_schema, flag, table
from ..config import DEFAULTS, demo_settings_left
from ..extensions import db
from ..models import User
from . import service
from .service import AccountError, Invitation

ROLE_NAMES = "|".join(r.value for r in service.STAFF_ROLES)


@click.group("users", cls=AppGroup)
def cli() -> None:
    """Create staff users, invite customer users, disable users, change roles."""


@contextmanager
def _transaction() -> Iterator[Session]:
    """Yield the session; commit at the end, or roll back and exit 1 on an account error."""
    ensure_schema()  # the first administrator may be created before anything else ran
    session = db.session()
    try:
        yield session
    except AccountError as exc:
        session.rollback()
        raise click.ClickException(str(exc)) from exc
    session.commit()


def _change(
    email: str, change: Callable[[Session, User], bool], *, done: str, unchanged: str
) -> None:
    """Find the user by email and ``change`` it in one transaction, then say what happened.

    ``done`` (said when ``change`` changed the user) and ``unchanged`` are ``str.format``
    templates of ``user``.
    """
    with _transaction() as session:
        user = service.get_user(session, email)
        changed = change(session, user)
    click.echo((done if changed else unchanged).format(user=user))


def _changes_a_user(command: Callable[..., None]) -> Callable[..., None]:
    """Give ``command`` the EMAIL argument and the --reason option (kept in the audit log)."""
    command = click.option("--reason", default="", help="Why (kept in the audit log).")(command)
    return click.argument("email")(command)


def _echo_invitation(invitation: Invitation, what: str) -> None:
    click.echo(
        f"{what} link for {invitation.user.email} "
        f"(single use, valid {INVITATION_DAYS} days):\n  {invitation.link}"
    )
    if current_app.config["JOBS_INLINE"]:
        click.echo(f"Emailed to {invitation.user.email}.")
    else:
        click.echo(
            f"An email with the link to {invitation.user.email} is queued; the worker that "
            "`make serve` and `make run` start sends it."
        )


@cli.command("create")
@click.argument("email")
@click.option("--role", required=True, metavar=ROLE_NAMES, help="The staff role.")
@click.option("--name", default="", help="Full name shown in the portal and the audit log.")
@flag(
    "--password-stdin",
    help="Read the password from the first line of standard input instead of emailing a link.",
)
def create(email: str, role: str, name: str, password_stdin: bool) -> None:
    """Create a member of staff; without --password-stdin print and email a set-password link."""
    password = None
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        problems = password_problems(password, email=email)
        if problems:
            raise click.ClickException(" ".join(problems))
    with _transaction() as session:
        user, invitation = service.create_staff_user(
            session, email, service.parse_role(role), name=name, password=password
        )
        if invitation is not None:
            service.send_invitation(invitation)
    click.echo(f"Created {user.role.value} user {user.email}.")
    if invitation is not None:
        _echo_invitation(invitation, "Set-password")


@cli.command("list")
@flag("--staff", help="Only members of staff.")
def list_(staff: bool) -> None:
    """List users: email, role, customer, status (active, invited, disabled), last sign-in."""
    users = service.list_users(db.session(), staff_only=staff)
    if not users:
        click.echo("No users yet.")
    else:
        for line in table([_HEADER, *(_row(u) for u in users)]):
            click.echo(line)
    hint_if_no_staff()


_HEADER = ("EMAIL", "ROLE", "CUSTOMER", "STATUS", "LAST SIGN-IN (UTC)", "NAME")


def _row(user: User) -> tuple[str, ...]:
    role = user.role.value + (" (admin)" if user.is_customer_admin else "")
    last = user.last_login_at.strftime("%Y-%m-%d %H:%M") if user.last_login_at else "-"
    customer = user.customer.code if user.customer else "-"
    return (user.email, role, customer, service.user_status(user), last, user.name or "-")


def _switch_command(
    name: str, help_text: str, switch: Callable[..., bool], done: str, unchanged: str
) -> click.Command:
    """A command that switches one user off or on through the service call ``switch``."""

    @click.command(name, help=help_text)
    @_changes_a_user
    def command(email: str, reason: str) -> None:
        _change(email, lambda s, u: switch(s, u, reason=reason), done=done, unchanged=unchanged)

    return command


#: (command, help, service call, said when it changed the user, said when it was so already)
_SWITCHES = (
    (
        "disable",
        "Disable a user and end all of their sessions at once.",
        service.disable_user,
        "Disabled {user.email}; their sessions have ended.",
        "{user.email} is disabled already.",
    ),
    (
        "enable",
        "Enable a disabled user again.",
        service.enable_user,
        "Enabled {user.email}.",
        "{user.email} is active already.",
    ),
)
for _switch in _SWITCHES:
    cli.add_command(_switch_command(*_switch))


@cli.command("set-role")
@_changes_a_user
@click.argument("role", metavar=ROLE_NAMES)
def set_role(email: str, role: str, reason: str) -> None:
    """Change a member of staff's role."""
    _change(
        email,
        lambda s, u: service.set_role(s, u, service.parse_role(role), reason=reason),
        done="{user.email} is now {user.role.value}.",
        unchanged="{user.email} is {user.role.value} already.",
    )


@cli.command("resend-invitation")
@click.argument("email")
def resend_invitation(email: str) -> None:
    """Email a fresh invitation link to a user who has not chosen a password yet."""
    with _transaction() as session:
        user = service.get_user(session, email)
        invitation = service.resend_invitation(session, user)
        service.send_invitation(invitation)
    _echo_invitation(invitation, "Invitation")


@cli.command("invite-customer")
@click.argument("customer_code", required=False)
@click.argument("email", required=False)
@click.option("--name", default="", help="The person's full name.")
@flag("--admin", help="Make them the customer's admin (invites colleagues).")
@flag(
    "--all-without-users",
    help="Invite the billing contact of every customer that has no portal user yet.",
)
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=500,
    show_default=True,
    help="With --all-without-users: customers per transaction.",
)
def invite_customer(
    customer_code: str | None,
    email: str | None,
    name: str,
    admin: bool,
    all_without_users: bool,
    batch_size: int,
) -> None:
    """Invite a customer's user (CUSTOMER_CODE EMAIL), or --all-without-users."""
    if all_without_users:
        if customer_code or email or name or admin:
            raise click.UsageError("--all-without-users takes no CUSTOMER_CODE, EMAIL or options")
        _invite_all(batch_size)
        return
    if not customer_code or not email:
        raise click.UsageError("give CUSTOMER_CODE and EMAIL, or --all-without-users")
    with _transaction() as session:
        customer = service.get_customer(session, customer_code)
        invitation = service.invite_customer_user(session, customer, email, name=name, admin=admin)
        service.send_invitation(invitation)
    role = "admin user" if admin else "user"
    click.echo(f"Invited {invitation.user.email} as {role} of {customer.code} {customer.name}.")
    _echo_invitation(invitation, "Invitation")


_SKIP_REASONS = {
    "no_email": "no contact email",
    "email_taken": "the email has an account already",
    "bad_email": "the contact email is not valid",
}


def _invite_all(batch_size: int) -> None:
    # one transaction per batch: on SQLite a single one would hold the write lock (and keep
    # the portal from saving anything) for minutes at 20,000 customers; a run that stops
    # half-way is simply run again, as customers invited already have a portal user
    total = service.BulkInviteSummary()
    after: str | None = None
    while True:
        with _transaction() as session:
            batch = service.invite_billing_contacts(session, after_code=after, limit=batch_size)
            for _customer, invitation in batch.invited:
                service.send_invitation(invitation)
        if after is None:
            total.with_users = batch.with_users
        total.invited += batch.invited
        total.skipped += batch.skipped
        for customer, invitation in batch.invited:
            click.echo(f"invited  {customer.code}  {invitation.user.email}")
        for customer, reason in batch.skipped:
            click.echo(f"skipped  {customer.code}  {_SKIP_REASONS[reason]}")
        if batch.last_code is None:
            break
        after = batch.last_code
    click.echo(
        f"Summary: {len(total.invited)} invited, {len(total.skipped)} skipped "
        f"({_count(total, 'no_email')} without a contact email, "
        f"{_count(total, 'email_taken')} with an email already in use, "
        f"{_count(total, 'bad_email')} with an invalid email), "
        f"{total.with_users} already have portal users."
    )


def _count(summary: service.BulkInviteSummary, reason: str) -> int:
    return sum(1 for _c, r in summary.skipped if r == reason)


@cli.command("first-admin-hint")
def first_admin_hint() -> None:
    """Say how to create the first admin when the database has no staff user (else nothing).

    Also warns when a production instance still prints the demo company's name or address.
    """
    hint_if_no_staff()
    warn_demo_settings()


def warn_demo_settings() -> None:
    left = demo_settings_left(current_app.config)
    if left:
        names = ", ".join(f"CONCORD_{key}" for key in left)
        click.echo(
            f"Warning: {names} still at the demo business's value "
            f"({current_app.config[left[0]]!r}): statements, letters and emails would print it. "
            "Set your company's in the env file and restart.",
            err=True,
        )


def hint_if_no_staff() -> None:
    if service.staff_user_count(db.session()) == 0:
        # `make run/serve PORT=N` derives BASE_URL for the server alone: a command typed in
        # another shell must be given it, or the link it prints and emails points elsewhere
        base_url = str(current_app.config["BASE_URL"])
        prefix = f"BASE_URL={base_url} " if base_url != DEFAULTS["BASE_URL"] else ""
        click.echo(
            "No staff user exists yet. Create the first admin with (in the checkout, with the "
            "same CONCORD_* settings as the server):\n"
            f"  {prefix}.venv/bin/{service.FIRST_ADMIN_COMMAND}\n"
            "then open the set-password link it prints (it is emailed as well)."
        )
