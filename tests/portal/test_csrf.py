"""CSRF protection on every POST, and the security headers of every page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask, g
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


def _page_token(client: FlaskClient, path: str = "/") -> str:
    g.pop("csrf_token", None)  # the tests share one app context: a server's ``g`` is new
    resp = client.get(path)
    assert resp.status_code == 200
    return _token(resp.get_data(as_text=True))


def _sign_in(client: FlaskClient, email: str) -> None:
    token = _page_token(client, "/login")
    resp = client.post(
        "/login", data={"email": email, "password": DEFAULT_PASSWORD, "csrf_token": token}
    )
    assert resp.status_code == 302


def test_a_page_token_is_signed_once_a_minute_and_stays_valid(
    client: FlaskClient, session: Session, monkeypatch: pytest.MonkeyPatch
):
    from portal import csrf_tokens

    signed: list[str] = []
    real = csrf_tokens.generate_csrf

    def counting() -> str:
        signed.append(real())
        return signed[-1]

    user = make_user(session)
    _sign_in(client, user.email)
    monkeypatch.setattr(csrf_tokens, "generate_csrf", counting)
    g.pop("csrf_token", None)
    first = client.get("/")
    # the sign-in's cookie carries the forms' secret: the first page does not send it again
    assert first.status_code == 200 and "Set-Cookie" not in first.headers
    token = _token(first.get_data(as_text=True))
    assert signed == [token]
    assert _page_token(client) == token
    assert len(signed) == 1  # put on the second page again, not signed again

    later = csrf_tokens.time.time() + csrf_tokens.REUSE_SECONDS + 1
    monkeypatch.setattr(csrf_tokens.time, "time", lambda: later)
    fresh = _page_token(client)
    assert len(signed) == 2 and signed[-1] == fresh  # a minute later: signed again
    monkeypatch.undo()

    # another session never gets this token
    other = client.application.test_client()
    _sign_in(other, make_user(session, email="other@csrf.test").email)
    assert _page_token(other) not in (token, fresh)
    # the reused token is the one the forms check: signing out with it works
    g.pop("csrf_token", None)
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/").status_code == 302


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
