"""``flask users ...``: the command-line contracts, invitations by the emailed link, sessions."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import cli
from portal.models import AuditEvent, CustomerContact, Role, User, UserToken
from portal.security import verify_password
from tests.factories import make_customer, make_user
from tests.portal.customer_helpers import login, mail_body, outbox, read_mail

LINK = re.compile(r"http://localhost(/invitation/[A-Za-z0-9_-]+)")


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"BASE_URL": "http://localhost"}


def users(runner: FlaskCliRunner, *args: str, input: str | None = None) -> Any:
    return runner.invoke(args=["users", *args], input=input)


def _user(session: Session, email: str) -> User:
    user = session.scalar(select(User).where(User.email == email))
    assert user is not None, email
    return user


def _audit(session: Session, user: User) -> list[AuditEvent]:
    return list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity_type == "user", AuditEvent.entity_id == str(user.id))
            .order_by(AuditEvent.id)
        )
    )


def _mail_to(app: Flask, address: str) -> str:
    bodies = [mail_body(p) for p in outbox(app) if read_mail(p)["To"] == address]
    assert bodies, f"no mail to {address}"
    return bodies[-1]


def test_create_prints_and_emails_a_set_password_link_that_works_once(
    app: Flask, runner: FlaskCliRunner, client: FlaskClient, session: Session
) -> None:
    result = users(runner, "create", "Boss@Example.com", "--role", "admin", "--name", "Wang Fang")
    assert result.exit_code == 0, result.output
    user = _user(session, "boss@example.com")
    assert user.role is Role.ADMIN and user.password_hash is None and user.name == "Wang Fang"
    printed = LINK.search(result.output)
    assert printed, result.output
    emailed = LINK.search(_mail_to(app, "boss@example.com"))
    assert emailed and emailed.group(1) == printed.group(1)

    page = client.get(printed.group(1))
    assert page.status_code == 200
    assert "boss@example.com" in page.get_data(as_text=True)
    data = {
        "name": "Wang Fang",
        "password": "the-admins-password",
        "confirm": "the-admins-password",
    }
    resp = client.post(printed.group(1), data=data)
    assert resp.status_code == 302
    assert client.get("/banking/queue").status_code == 200  # signed in
    session.refresh(user)
    assert verify_password(user.password_hash or "", "the-admins-password")
    assert app.test_client().post(printed.group(1), data=data).status_code == 404  # used once
    actions = [e.action for e in _audit(session, user)]
    assert actions[:1] == ["users.created"] and "auth.invitation_accepted" in actions
    created = _audit(session, user)[0]
    assert created.actor_id is None and created.data["via"] == "cli"
    assert created.data["role"] == "admin" and created.data["os_user"]


def test_create_with_password_from_stdin_signs_in_without_email(
    app: Flask, runner: FlaskCliRunner, client: FlaskClient, session: Session
) -> None:
    result = users(
        runner,
        "create",
        "clerk@example.com",
        "--role",
        "finance",
        "--password-stdin",
        input="a-long-bookkeeping-secret\n",
    )
    assert result.exit_code == 0, result.output
    assert "invitation" not in result.output and outbox(app) == []
    user = _user(session, "clerk@example.com")
    assert login(client, user, "a-long-bookkeeping-secret").status_code == 302


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["create", "x@example.com", "--role", "root"], "unknown role 'root'"),
        (["create", "x@example.com", "--role", "customer"], "unknown role 'customer'"),
        (["create", "not-an-email", "--role", "sales"], "not a valid email"),
        (["set-role", "nobody@example.com", "sales"], "no user has the email"),
        (["disable", "nobody@example.com"], "no user has the email"),
        (["invite-customer", "NOPE", "a@example.com"], "no customer has the code 'NOPE'"),
    ],
)
def test_bad_input_exits_1_with_a_clear_error(
    runner: FlaskCliRunner, session: Session, args: list[str], message: str
) -> None:
    before = session.scalar(select(User.id).order_by(User.id.desc()).limit(1))
    result = users(runner, *args)
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert session.scalar(select(User.id).order_by(User.id.desc()).limit(1)) == before


def test_duplicate_email_is_refused_whatever_the_case(
    runner: FlaskCliRunner, session: Session
) -> None:
    existing = make_user(session, "finance", email="dup@example.com")
    session.commit()  # the command rolls back its own failed transaction only
    result = users(runner, "create", "DUP@example.com", "--role", "sales")
    assert result.exit_code == 1
    assert "dup@example.com exists already" in result.output
    session.refresh(existing)
    assert existing.role is Role.FINANCE


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short", "Use at least 12 characters"),
        ("password1234", "too common"),
        ("sandra.sales-2026", "email address"),
    ],
)
def test_password_from_stdin_follows_the_policy(
    runner: FlaskCliRunner, session: Session, password: str, problem: str
) -> None:
    args = ["create", "sandra.sales@example.com", "--role", "sales", "--password-stdin"]
    result = users(runner, *args, input=password + "\n")
    assert result.exit_code == 1 and problem in result.output
    assert session.scalar(select(User).where(User.role == Role.SALES)) is None


def test_the_invitation_page_refuses_a_breached_password(
    app: Flask, runner: FlaskCliRunner, client: FlaskClient, session: Session
) -> None:
    users(runner, "create", "weak@example.com", "--role", "finance")
    path = LINK.search(_mail_to(app, "weak@example.com")).group(1)  # type: ignore[union-attr]
    page = client.get(path, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "At least 12 characters" in page
    weak = {"name": "Weak", "password": "Password123!", "confirm": "Password123!"}
    resp = client.post(path, data=weak, headers={"Accept-Language": "en"})
    assert resp.status_code == 200
    assert "too common" in resp.get_data(as_text=True)
    assert _user(session, "weak@example.com").password_hash is None
    strong = {"name": "Weak", "password": "lantern-orchard-42", "confirm": "lantern-orchard-42"}
    assert client.post(path, data=strong).status_code == 302


def test_list_shows_role_customer_and_status(runner: FlaskCliRunner, session: Session) -> None:
    customer = make_customer(session, code="LST01")
    make_user(session, "auditor", email="audit@example.com")
    make_user(session, "sales", email="gone@example.com", is_active=False)
    make_user(session, customer=customer, email="buyer@lst.test", password=None)
    result = users(runner, "list")
    assert result.exit_code == 0
    lines = {line.split()[0]: line.split() for line in result.output.splitlines()[1:] if line}
    assert lines["audit@example.com"][1:4] == ["auditor", "-", "active"]
    assert lines["gone@example.com"][1:4] == ["sales", "-", "disabled"]
    assert lines["buyer@lst.test"][1:4] == ["customer", "LST01", "invited"]
    assert "No staff user" not in result.output


def test_list_lines_up_with_chinese_names(runner: FlaskCliRunner, session: Session) -> None:
    make_user(session, "finance", email="李雷@example.com", name="李雷")
    make_user(session, "sales", email="a@example.com", name="Ann")
    out = [line for line in users(runner, "list").output.splitlines() if "@" in line]
    # a Chinese character takes two columns on screen: the name column starts in one place
    starts = {cli.width(line[: line.rindex(" ") + 1]) for line in out}
    assert len(starts) == 1 and cli.width("李雷") == 4


def test_disable_ends_the_users_sessions_at_once(
    app: Flask, runner: FlaskCliRunner, client: FlaskClient, session: Session
) -> None:
    clerk = make_user(session, "finance", language="en")
    make_user(session, "admin")
    login(client, clerk)
    assert client.get("/banking/queue").status_code == 200
    result = users(runner, "disable", clerk.email.upper(), "--reason", "left the company")
    assert result.exit_code == 0, result.output
    resp = client.get("/banking/queue")
    assert resp.status_code == 302 and resp.headers["Location"].startswith("/login")
    assert login(client, clerk).status_code == 200  # cannot sign in again
    event = _audit(session, clerk)[-1]
    assert event.action == "users.disabled" and event.reason == "left the company"
    again = users(runner, "disable", clerk.email)
    assert again.exit_code == 0 and "disabled already" in again.output

    assert users(runner, "enable", clerk.email).exit_code == 0
    assert login(client, clerk).status_code == 302


def test_the_last_active_admin_cannot_be_disabled_or_demoted(
    runner: FlaskCliRunner, session: Session
) -> None:
    admin = make_user(session, "admin")
    session.commit()  # the command rolls back its own failed transaction only
    for args in (["disable", admin.email], ["set-role", admin.email, "finance"]):
        result = users(runner, *args)
        assert result.exit_code == 1 and "last active admin" in result.output
    session.refresh(admin)
    assert admin.is_active and admin.role is Role.ADMIN
    make_user(session, "admin")
    assert users(runner, "set-role", admin.email, "finance").exit_code == 0


def test_set_role_changes_the_role_and_audits_from_and_to(
    runner: FlaskCliRunner, session: Session
) -> None:
    user = make_user(session, "sales")
    customer_user = make_user(session)
    session.commit()  # the command rolls back its own failed transaction only
    result = users(runner, "set-role", user.email, "auditor", "--reason", "moved to audit")
    assert result.exit_code == 0 and "now auditor" in result.output
    session.refresh(user)
    assert user.role is Role.AUDITOR
    event = _audit(session, user)[-1]
    assert (event.action, event.data["from"], event.data["to"], event.reason) == (
        "users.role_changed",
        "sales",
        "auditor",
        "moved to audit",
    )
    bad = users(runner, "set-role", user.email, "boss")
    assert bad.exit_code == 1 and "unknown role" in bad.output
    refused = users(runner, "set-role", customer_user.email, "finance")
    assert refused.exit_code == 1 and "customer's user" in refused.output


def test_invite_customer_user_accepts_by_the_emailed_link(
    app: Flask, runner: FlaskCliRunner, client: FlaskClient, session: Session
) -> None:
    customer = make_customer(session, code="ACME", name="Acme Trading", language="en")
    session.commit()  # the command rolls back its own failed transaction only
    result = users(
        runner, "invite-customer", "acme", "Buyer@Acme.test", "--name", "Ann Buyer", "--admin"
    )
    assert result.exit_code == 0, result.output
    user = _user(session, "buyer@acme.test")
    assert user.customer_id == customer.id and user.is_customer_admin
    body = _mail_to(app, "buyer@acme.test")
    assert "Acme Trading" in body and "7 days" in body  # in the customer's language
    path = LINK.search(body).group(1)  # type: ignore[union-attr]
    resp = client.post(
        path, data={"name": "Ann Buyer", "password": "ann-s-password", "confirm": "ann-s-password"}
    )
    assert resp.status_code == 302
    home = client.get("/")
    assert home.status_code == 200 and "Acme Trading" in home.get_data(as_text=True)
    assert client.get("/team").status_code == 200  # the customer admin manages colleagues
    event = _audit(session, user)[0]
    assert event.action == "users.customer_invited" and event.data["customer"] == "ACME"

    dup = users(runner, "invite-customer", "ACME", "buyer@acme.test")
    assert dup.exit_code == 1 and "exists already" in dup.output


def test_invite_customer_needs_code_and_email_or_all(runner: FlaskCliRunner) -> None:
    assert users(runner, "invite-customer").exit_code == 2
    assert users(runner, "invite-customer", "ACME").exit_code == 2
    assert (
        users(runner, "invite-customer", "ACME", "a@b.test", "--all-without-users").exit_code == 2
    )


@pytest.mark.parametrize("batch_size", ["1", "2", "500"])
def test_invite_all_without_users_invites_each_billing_contact_once(
    app: Flask, runner: FlaskCliRunner, session: Session, batch_size: str
) -> None:
    billing = make_customer(session, code="B1", email="general@b1.test")
    billing.contacts.append(CustomerContact(name="Sales guy", email="sales@b1.test"))
    billing.contacts.append(
        CustomerContact(name="Bill Payer", email="ap@b1.test", is_billing=True, language="en")
    )
    fallback = make_customer(session, code="B2", email="ap@b2.test")
    no_email = make_customer(session, code="B3", email=None)
    served = make_customer(session, code="B4", email="ap@b4.test")
    make_user(session, customer=served)
    taken = make_customer(session, code="B5", email="shared@group.test")
    make_user(session, "finance", email="shared@group.test")
    session.flush()

    session.commit()  # batches commit on their own
    result = users(runner, "invite-customer", "--all-without-users", "--batch-size", batch_size)
    assert result.exit_code == 0, result.output
    assert "invited  B1  ap@b1.test" in result.output
    assert "invited  B2  ap@b2.test" in result.output
    assert "skipped  B3  no contact email" in result.output
    assert "skipped  B5  the email has an account already" in result.output
    assert (
        "Summary: 2 invited, 2 skipped (1 without a contact email, 1 with an email already in "
        "use, 0 with an invalid email), 1 already have portal users." in result.output
    )
    b1 = _user(session, "ap@b1.test")
    assert b1.customer_id == billing.id and b1.is_customer_admin and b1.name == "Bill Payer"
    assert b1.language == "en" and "Bill Payer" in _mail_to(app, "ap@b1.test")
    assert _user(session, "ap@b2.test").customer_id == fallback.id
    assert session.scalar(select(User).where(User.customer_id == no_email.id)) is None
    assert session.scalar(select(User).where(User.customer_id == taken.id)) is None

    again = users(runner, "invite-customer", "--all-without-users")
    assert again.exit_code == 0
    assert "invited  B1" not in again.output and "invited  B2" not in again.output
    assert len([p for p in outbox(app) if read_mail(p)["To"] == "ap@b1.test"]) == 1


def test_resend_invitation_voids_the_old_link(
    app: Flask, runner: FlaskCliRunner, client: FlaskClient, session: Session
) -> None:
    users(runner, "create", "late@example.com", "--role", "sales")
    first = LINK.search(_mail_to(app, "late@example.com")).group(1)  # type: ignore[union-attr]
    result = users(runner, "resend-invitation", "late@example.com")
    assert result.exit_code == 0, result.output
    second = LINK.search(result.output).group(1)  # type: ignore[union-attr]
    assert second != first
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


def test_fresh_installation_says_how_to_create_the_first_admin(
    runner: FlaskCliRunner, client: FlaskClient, session: Session
) -> None:
    make_user(session)  # a customer's user is not staff
    command = "flask --app portal users create you@example.com --role admin"
    assert command in client.get("/login").get_data(as_text=True)
    assert command in users(runner, "first-admin-hint").output
    make_user(session, "admin")
    assert command not in client.get("/login").get_data(as_text=True)
    assert users(runner, "first-admin-hint").output == ""


def test_first_admin_hint_carries_the_served_base_url(app: Flask, runner: FlaskCliRunner) -> None:
    # `make serve PORT=5071` derives BASE_URL from the port for the server only: the command
    # typed in another shell would otherwise email links to the default :5000
    app.config["BASE_URL"] = "http://127.0.0.1:5071"
    hint = users(runner, "first-admin-hint").output
    assert (
        "BASE_URL=http://127.0.0.1:5071 .venv/bin/flask --app portal users create "
        "you@example.com --role admin" in hint
    )
    app.config["BASE_URL"] = "http://127.0.0.1:5000"
    assert "  .venv/bin/flask --app portal users create" in users(runner, "first-admin-hint").output


def test_an_expired_invitation_is_renewed_through_forgot_password(
    app: Flask, runner: FlaskCliRunner, client: FlaskClient, session: Session
) -> None:
    users(runner, "create", "slow@example.com", "--role", "auditor")
    user = _user(session, "slow@example.com")
    old = LINK.search(_mail_to(app, "slow@example.com")).group(1)  # type: ignore[union-attr]
    for token in session.scalars(select(UserToken).where(UserToken.user_id == user.id)):
        token.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    session.flush()
    expired = client.get(old)
    assert expired.status_code == 404
    assert "新的邀请" in expired.get_data(as_text=True)  # Chinese unless the browser asks

    assert client.post("/password/forgot", data={"email": "SLOW@example.com"}).status_code == 302
    new = LINK.search(_mail_to(app, "slow@example.com")).group(1)  # type: ignore[union-attr]
    assert new != old
    secret = "auditor-password-1"
    resp = client.post(new, data={"name": "Slow", "password": secret, "confirm": secret})
    assert resp.status_code == 302
    assert login(client, user, secret).status_code == 302
    assert _audit(session, user)[1].actor_id == user.id  # the user asked for it


@pytest.mark.parametrize(
    ("target", "loads_demo"), [("run", True), ("run DEMO=0", False), ("serve", False)]
)
def test_make_targets_give_the_first_admin_hint(target: str, loads_demo: bool) -> None:
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    root = Path(__file__).resolve().parents[2]
    dry = subprocess.run(
        [make, "-n", "-C", str(root), *target.split()],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    # the demo brings its own admin: only an instance without demo data needs the hint
    assert ("flask --app portal users first-admin-hint" in dry) is not loads_demo
    assert ("flask --app portal demo" in dry) is loads_demo
