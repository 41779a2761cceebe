"""CSRF protection on every POST, and the security headers of every page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.factories import DEFAULT_PASSWORD, make_user


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"WTF_CSRF_ENABLED": True}


def _token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    assert match, "no CSRF token in the page"
    return match.group(1)


def test_sign_in_without_token_fails_and_with_token_works(client: FlaskClient, session: Session):
    user = make_user(session)
    resp = client.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert resp.status_code == 400
    assert client.get("/").status_code == 302
    token = _token(client.get("/login").get_data(as_text=True))
    resp = client.post(
        "/login", data={"email": user.email, "password": DEFAULT_PASSWORD, "csrf_token": token}
    )
    assert resp.status_code == 302 and resp.headers["Location"] == "/"
    assert client.get("/").status_code == 200


def test_every_post_route_refuses_a_missing_token(
    app: Flask, client: FlaskClient, session: Session
):
    customer_user = make_user(session)
    client.post(
        "/login",
        data={
            "email": customer_user.email,
            "password": DEFAULT_PASSWORD,
            "csrf_token": _token(client.get("/login").get_data(as_text=True)),
        },
    )
    post_rules = [r for r in app.url_map.iter_rules() if "POST" in (r.methods or ())]
    assert len(post_rules) >= 10
    checked = 0
    for rule in post_rules:
        if rule.endpoint.startswith("api.") or rule.rule.startswith("/api/"):
            continue  # token-authenticated ERP API, no browser session
        path = app.url_map.bind("localhost").build(rule.endpoint, {a: 1 for a in rule.arguments})
        resp = client.post(path, data={"anything": "x"})
        assert resp.status_code == 400, (rule.endpoint, resp.status_code)
        checked += 1
    assert checked >= 10


def test_logout_needs_the_token(client: FlaskClient, session: Session):
    user = make_user(session)
    client.post(
        "/login",
        data={
            "email": user.email,
            "password": DEFAULT_PASSWORD,
            "csrf_token": _token(client.get("/login").get_data(as_text=True)),
        },
    )
    assert client.post("/logout").status_code == 400
    assert client.get("/").status_code == 200  # still signed in


def test_security_headers(client: FlaskClient):
    resp = client.get("/login")
    csp = resp.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in resp.headers  # development: plain http
    assert "<script>" not in resp.get_data(as_text=True)  # no inline scripts
    assert re.search(r"\sstyle=", resp.get_data(as_text=True)) is None  # no inline styles


def test_hsts_in_production(tmp_path):  # type: ignore[no-untyped-def]
    from portal import create_app

    app = create_app(
        {
            "ENV_NAME": "production",
            "SECRET_KEY": "s" * 40,
            "KEY_PASSPHRASE": "k" * 20,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
            "INSTANCE_PATH": str(tmp_path),
        }
    )
    resp = app.test_client().get("/static/concord.css")
    resp.close()  # a static file is streamed: the test client leaves closing it to us
    assert resp.headers["Strict-Transport-Security"].startswith("max-age=")
