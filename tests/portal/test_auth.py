"""Sign-in, throttling, sessions, timeouts, password reset and invitations."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import AuditEvent, LoginAttempt, Role, TokenPurpose, User, UserToken
from portal.security import verify_password
from tests.factories import make_customer, make_user
from tests.portal.customer_helpers import login, mail_body, outbox


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"LOGIN_MAX_FAILURES_PER_ACCOUNT": 3, "LOGIN_MAX_FAILURES_PER_IP": 6}


def test_sign_in_lands_on_overview_and_records_the_event(client: FlaskClient, session: Session):
    user = make_user(session)
    resp = login(client, user)
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert user.customer.name in home.get_data(as_text=True)
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.entity_id == str(user.id)))
    assert "auth.login" in list(actions)


def test_unknown_email_and_wrong_password_get_the_same_answer(
    client: FlaskClient, session: Session
):
    user = make_user(session)
    wrong = client.post("/login", data={"email": user.email, "password": "not-the-password"})
    unknown = client.post("/login", data={"email": "nobody@example.test", "password": "x" * 12})
    assert wrong.status_code == unknown.status_code == 200
    strip = lambda r: re.sub(r'name="csrf_token"[^>]*|value="[^"]*"', "", r.get_data(as_text=True))  # noqa: E731
    assert strip(wrong) == strip(unknown)
    assert "not correct" in wrong.get_data(as_text=True) or "不正确" in wrong.get_data(as_text=True)
    assert client.get("/").status_code == 302  # still signed out


def test_account_is_throttled_after_too_many_failures(client: FlaskClient, session: Session):
    user = make_user(session)
    for _ in range(3):
        assert (
            client.post("/login", data={"email": user.email, "password": "bad-guess-1"}).status_code
            == 200
        )
    # even the right password is refused while throttled
    resp = login(client, user)
    assert resp.status_code == 429
    assert client.get("/").status_code == 302
    failures = session.scalars(select(LoginAttempt).where(LoginAttempt.email == user.email)).all()
    assert [a.success for a in failures] == [False, False, False]


def test_address_is_throttled_across_accounts(client: FlaskClient, session: Session):
    for i in range(6):
        resp = client.post(
            "/login", data={"email": f"probe{i}@example.test", "password": "guess-guess"}
        )
        assert resp.status_code == 200
    other = make_user(session)
    assert login(client, other).status_code == 429


def test_old_failures_outside_the_window_do_not_count(client: FlaskClient, session: Session):
    user = make_user(session)
    old = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    for _ in range(5):
        session.add(LoginAttempt(email=user.email, ip="127.0.0.1", at=old, success=False))
    session.flush()
    assert login(client, user).status_code == 302


def test_session_is_regenerated_at_login(client: FlaskClient, session: Session):
    user = make_user(session)
    with client.session_transaction() as sess:
        sess["planted"] = "attacker-value"
        sess["lang"] = "en"
    login(client, user)
    with client.session_transaction() as sess:
        assert "planted" not in sess
        assert sess["lang"] == "en"
        first_sid = sess["sid"]
    client.post("/logout")
    login(client, user)
    with client.session_transaction() as sess:
        assert sess["sid"] != first_sid


def test_logout_kills_copies_of_the_session_cookie(
    client: FlaskClient, session: Session, app: Flask
):
    user = make_user(session)
    login(client, user)
    stolen = client.get_cookie("session")
    assert stolen is not None and stolen.http_only
    assert client.post("/logout").status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", stolen.value)
    resp = thief.get("/invoices/")
    assert resp.status_code == 302
    assert resp.headers["Location"].startswith("/login")


def test_password_reset_link_is_single_use_and_ends_old_sessions(
    client: FlaskClient, session: Session, app: Flask
):
    user = make_user(session, language="en")
    other_device = app.test_client()
    login(other_device, user)
    assert other_device.get("/").status_code == 200

    resp = client.post("/password/forgot", data={"email": user.email.upper()})
    assert resp.status_code == 302
    mails = outbox(app)
    assert len(mails) == 1
    link = re.search(r"http://localhost(/password/reset/\S+)", mail_body(mails[0]))
    assert link, mail_body(mails[0])
    path = link.group(1)
    token = session.scalar(select(UserToken).where(UserToken.user_id == user.id))
    assert token is not None and token.purpose is TokenPurpose.PASSWORD_RESET
    assert path.rsplit("/", 1)[1] not in token.token_hash  # only a hash is stored
    assert (
        dt.timedelta(minutes=25)
        < token.expires_at - dt.datetime.now(dt.UTC)
        <= dt.timedelta(minutes=30)
    )

    assert client.get(path).status_code == 200
    resp = client.post(
        path, data={"password": "a-new-long-password", "confirm": "a-new-long-password"}
    )
    assert resp.status_code == 302
    session.refresh(user)
    assert verify_password(user.password_hash or "", "a-new-long-password")
    assert client.get(path).status_code == 404  # used once
    assert other_device.get("/").status_code == 302  # the other session died
    assert login(client, user, "a-new-long-password").status_code == 302


def test_forgot_password_answers_the_same_for_unknown_addresses(client: FlaskClient, app: Flask):
    resp = client.post(
        "/password/forgot", data={"email": "ghost@example.test"}, follow_redirects=True
    )
    assert resp.status_code == 200
    assert outbox(app) == []


def test_expired_reset_link_is_refused(client: FlaskClient, session: Session, app: Flask):
    user = make_user(session)
    client.post("/password/forgot", data={"email": user.email})
    path = re.search(r"http://localhost(/password/reset/\S+)", mail_body(outbox(app)[0])).group(1)  # type: ignore[union-attr]
    token = session.scalar(select(UserToken).where(UserToken.user_id == user.id))
    assert token is not None
    token.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    session.flush()
    assert client.get(path).status_code == 404


def test_customer_admin_invites_a_colleague_who_accepts(
    client: FlaskClient, session: Session, app: Flask
):
    admin = make_user(session, is_customer_admin=True, language="zh")
    login(client, admin)
    resp = client.post("/team", data={"name": "Li Lei", "email": "li.lei@customer.test"})
    assert resp.status_code == 302
    invited = session.scalar(select(User).where(User.email == "li.lei@customer.test"))
    assert invited is not None
    assert invited.customer_id == admin.customer_id and invited.role is Role.CUSTOMER
    assert invited.password_hash is None
    body = mail_body(outbox(app)[-1])
    assert "邀请" in body  # in the customer's language
    path = re.search(r"http://localhost(/invitation/\S+)", body).group(1)  # type: ignore[union-attr]

    client.post("/logout")
    guest = app.test_client()
    resp = guest.post(
        path,
        data={"name": "李雷", "password": "colleague-password", "confirm": "colleague-password"},
    )
    assert resp.status_code == 302
    assert guest.get("/").status_code == 200
    session.refresh(invited)
    assert invited.name == "李雷"
    assert (
        guest.post(
            path, data={"name": "x", "password": "another-password", "confirm": "another-password"}
        ).status_code
        == 404
    )


def test_inviting_an_existing_email_is_refused(client: FlaskClient, session: Session):
    admin = make_user(session, is_customer_admin=True)
    taken = make_user(session)
    login(client, admin)
    resp = client.post("/team", data={"name": "X", "email": taken.email})
    assert resp.status_code == 200
    assert (
        session.scalar(select(User).where(User.email == taken.email)).customer_id
        == taken.customer_id
    )  # type: ignore[union-attr]


def test_team_page_needs_a_customer_admin(client: FlaskClient, session: Session):
    user = make_user(session)
    login(client, user)
    assert client.get("/team").status_code == 403


@pytest.mark.parametrize(
    "target,expected",
    [
        ("/invoices/?filter=open", "/invoices/?filter=open"),
        ("//evil.example/steal", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_next_only_goes_to_our_own_paths(
    client: FlaskClient, session: Session, target: str, expected: str
):
    user = make_user(session)
    resp = client.post(
        "/login",
        data={"email": user.email, "password": "correct-horse-battery-staple", "next": target},
    )
    assert resp.status_code == 302
    assert resp.headers["Location"] == expected


def test_idle_and_absolute_timeouts(client: FlaskClient, session: Session, app: Flask):
    user = make_user(session)
    login(client, user)
    assert client.get("/").status_code == 200
    with client.session_transaction() as sess:
        sess["seen_at"] = sess["seen_at"] - (app.config["SESSION_IDLE_MINUTES"] * 60 + 5)
    resp = client.get("/invoices/")
    assert resp.status_code == 302 and resp.headers["Location"].startswith("/login")

    login(client, user)
    with client.session_transaction() as sess:
        sess["login_at"] = sess["login_at"] - (app.config["SESSION_ABSOLUTE_HOURS"] * 3600 + 5)
    resp = client.get("/")
    assert resp.status_code == 302 and resp.headers["Location"].startswith("/login")


def test_inactive_users_cannot_sign_in(client: FlaskClient, session: Session):
    user = make_user(session, is_active=False)
    assert login(client, user).status_code == 200
    assert client.get("/").status_code == 302


def test_staff_and_customers_are_kept_apart(client: FlaskClient, session: Session):
    staff = make_user(session, role="finance")
    login(client, staff)
    assert client.get("/invoices/").status_code == 403
    client.post("/logout")
    customer = make_user(session, customer=make_customer(session))
    login(client, customer)
    assert client.get("/staff/disputes/").status_code == 403


def test_production_cookies_are_secure(tmp_path):
    from portal import create_app

    app = create_app(
        {
            "ENV_NAME": "production",
            "SECRET_KEY": "p" * 40,
            "KEY_PASSPHRASE": "k" * 20,
            "DATABASE_URL": "sqlite://",
            "INSTANCE_PATH": str(tmp_path),
        }
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


@pytest.mark.parametrize("role", ["finance", "sales", "auditor", "admin"])
def test_every_staff_role_lands_on_a_page_it_may_see(
    client: FlaskClient, session: Session, role: str
):
    staff = make_user(session, role=role)
    login(client, staff)
    resp = client.get("/", follow_redirects=True)
    assert resp.status_code == 200, (role, resp.request.path)
