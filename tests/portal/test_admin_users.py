"""Settings › Staff users: admins invite, change roles, disable, enable and re-invite staff."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import AuditEvent, Role, User
from portal.users.service import user_status
from tests.factories import make_user
from tests.portal.customer_helpers import mail_body, outbox, read_mail
from tests.portal.finance_helpers import login

LINK = re.compile(r"http://localhost(/invitation/[A-Za-z0-9_-]+)")


def _events(session: Session, user: User) -> list[AuditEvent]:
    return list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity_type == "user", AuditEvent.entity_id == str(user.id))
            .order_by(AuditEvent.id)
        )
    )


@pytest.fixture
def admin(session: Session, client: FlaskClient) -> User:
    user = make_user(session, "admin", name="Ada Admin")
    login(client, user)
    return user


def test_admin_invites_a_colleague_who_accepts_and_signs_in(
    app: Flask, client: FlaskClient, session: Session, admin: User
) -> None:
    page = client.get("/admin/users")
    assert page.status_code == 200
    assert admin.email in page.get_data(as_text=True)
    resp = client.post(
        "/admin/users",
        data={"email": "New.Clerk@Example.com", "name": "New Clerk", "role": "finance"},
    )
    assert resp.status_code == 302
    clerk = session.scalar(select(User).where(User.email == "new.clerk@example.com"))
    assert clerk is not None and clerk.role is Role.FINANCE and clerk.password_hash is None
    event = _events(session, clerk)[0]
    assert (event.action, event.actor_id) == ("users.created", admin.id)

    mail = outbox(app)[-1]
    assert read_mail(mail)["To"] == "new.clerk@example.com"
    body = mail_body(mail)
    assert "Ada Admin" in body
    path = LINK.search(body).group(1)  # type: ignore[union-attr]
    newcomer = app.test_client()
    resp = newcomer.post(
        path,
        data={"name": "New Clerk", "password": "clerk-password-1", "confirm": "clerk-password-1"},
    )
    assert resp.status_code == 302
    assert newcomer.get("/banking/queue").status_code == 200
    session.refresh(clerk)
    assert user_status(clerk) == "active" and clerk.name == "New Clerk"


def test_invite_errors_are_shown_on_the_page(
    client: FlaskClient, session: Session, admin: User
) -> None:
    taken = make_user(session, "sales")
    resp = client.post("/admin/users", data={"email": taken.email, "role": "finance"})
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    assert "already has an account" in html
    resp = client.post("/admin/users", data={"email": "x@example.com", "role": "customer"})
    assert resp.status_code == 400
    assert session.scalar(select(User).where(User.email == "x@example.com")) is None


def test_admin_changes_role_disables_and_enables_with_reasons(
    app: Flask, client: FlaskClient, session: Session, admin: User
) -> None:
    clerk = make_user(session, "finance", language="en")
    clerk_browser = app.test_client()
    login(clerk_browser, clerk)
    assert clerk_browser.get("/banking/queue").status_code == 200

    resp = client.post(f"/admin/users/{clerk.id}/role", data={"role": "auditor", "reason": "audit"})
    assert resp.status_code == 302
    session.refresh(clerk)
    assert clerk.role is Role.AUDITOR

    client.post(f"/admin/users/{clerk.id}/disable", data={"reason": "left the company"})
    session.refresh(clerk)
    assert not clerk.is_active
    resp = clerk_browser.get("/audit/statements")
    assert resp.status_code == 302 and resp.headers["Location"].startswith("/login")

    client.post(f"/admin/users/{clerk.id}/enable", data={})
    session.refresh(clerk)
    assert clerk.is_active
    events = [(e.action, e.actor_id, e.reason) for e in _events(session, clerk)]
    assert events[-3:] == [
        ("users.role_changed", admin.id, "audit"),
        ("users.disabled", admin.id, "left the company"),
        ("users.enabled", admin.id, None),
    ]


def test_admin_cannot_disable_themselves_nor_demote_the_last_admin(
    client: FlaskClient, session: Session, admin: User
) -> None:
    resp = client.post(f"/admin/users/{admin.id}/disable", data={}, follow_redirects=True)
    assert "cannot disable your own account" in resp.get_data(as_text=True)
    resp = client.post(
        f"/admin/users/{admin.id}/role", data={"role": "finance"}, follow_redirects=True
    )
    assert "last active administrator" in resp.get_data(as_text=True)
    session.refresh(admin)
    assert admin.is_active and admin.role is Role.ADMIN


def test_resend_invitation_sends_a_new_link(
    app: Flask, client: FlaskClient, session: Session, admin: User
) -> None:
    client.post("/admin/users", data={"email": "late@example.com", "role": "sales"})
    late = session.scalar(select(User).where(User.email == "late@example.com"))
    assert late is not None
    first = LINK.search(mail_body(outbox(app)[-1])).group(1)  # type: ignore[union-attr]
    assert client.post(f"/admin/users/{late.id}/resend", data={}).status_code == 302
    second = LINK.search(mail_body(outbox(app)[-1])).group(1)  # type: ignore[union-attr]
    assert first != second
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    assert _events(session, late)[-1].action == "users.invitation_resent"


@pytest.mark.parametrize("role", ["finance", "sales", "auditor"])
def test_only_admins_manage_staff_users(client: FlaskClient, session: Session, role: str) -> None:
    other = make_user(session, "sales")
    login(client, make_user(session, role))
    assert client.get("/admin/users").status_code == 403
    assert (
        client.post("/admin/users", data={"email": "a@b.test", "role": "admin"}).status_code == 403
    )
    assert client.post(f"/admin/users/{other.id}/disable", data={}).status_code == 403
    assert client.post(f"/admin/users/{other.id}/role", data={"role": "admin"}).status_code == 403
    session.refresh(other)
    assert other.is_active and other.role is Role.SALES


def test_customer_users_are_not_managed_here(
    client: FlaskClient, session: Session, admin: User
) -> None:
    customer_user = make_user(session)
    assert client.post(f"/admin/users/{customer_user.id}/disable", data={}).status_code == 404
