"""What each page view does no more than once: catalogue look-ups, the session cookie, the menu.

These are the shortcuts that make the statement page cheap (``bench/company_bench.py``); each
test checks that a shortcut never gives a wrong answer.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask, render_template_string
from flask.testing import FlaskClient
from flask_babel import force_locale, gettext, refresh
from sqlalchemy.orm import Session

from portal.auth.service import SEEN_AT_RESOLUTION
from portal.models import utcnow
from tests.factories import make_customer, make_user
from tests.portal.customer_helpers import login


def test_translations_follow_force_locale_and_refresh_within_one_request(app: Flask) -> None:
    page = "{{ _('Statements') }}"
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert gettext("Statements") == "Statements"
        assert render_template_string(page) == "Statements"
        with force_locale("zh"):
            assert gettext("Statements") == "对账单"
            assert render_template_string(page) == "对账单"
        assert gettext("Statements") == "Statements"
        assert render_template_string(page) == "Statements"
    with app.test_request_context("/", headers={"Accept-Language": "en"}) as ctx:
        assert gettext("Statements") == "Statements"
        ctx.session["lang"] = "zh"
        refresh()
        assert gettext("Statements") == "对账单"
        assert render_template_string(page) == "对账单"


def test_the_session_cookie_is_sent_again_only_when_it_changes(
    session: Session, client: FlaskClient
) -> None:
    user = make_user(session, "customer", language="en")
    assert "Set-Cookie" in login(client, user).headers
    assert client.get("/").status_code == 200  # the first page adds the CSRF token
    again = client.get("/")
    assert again.status_code == 200
    assert "Set-Cookie" not in again.headers  # nothing in it changed
    with client.session_transaction() as sess:
        sess["seen_at"] = sess["seen_at"] - SEEN_AT_RESOLUTION - 1
    moved = client.get("/")
    assert moved.status_code == 200 and "Set-Cookie" in moved.headers
    with client.session_transaction() as sess:
        assert abs(sess["seen_at"] - utcnow().timestamp()) < 5
    # the cookie expires with the absolute timeout, not later
    assert "Expires=" in moved.headers["Set-Cookie"]


def test_the_menu_is_worked_out_per_principal(session: Session, app: Flask) -> None:
    customer = make_customer(session, language="en")
    admin = make_user(session, "customer", customer=customer, is_customer_admin=True)
    member = make_user(session, "customer", customer=customer, language="en")
    finance = make_user(session, "finance", language="en")
    clients = {}
    for user in (admin, member, finance):
        clients[user.email] = app.test_client()
        login(clients[user.email], user)
    answers: dict[str, set[tuple[bool, bool]]] = {}
    for user in (admin, member, finance, admin, member):  # the menu of one never leaks to another
        html = clients[user.email].get("/", follow_redirects=True).get_data(as_text=True)
        answers.setdefault(user.email, set()).add(
            ('href="/team"' in html, 'href="/banking/queue"' in html)
        )
    assert answers[admin.email] == {(True, False)}
    assert answers[member.email] == {(False, False)}
    assert answers[finance.email] == {(False, True)}


def test_a_checked_session_cookie_is_remembered_but_still_expires_and_is_never_shared(
    app: Flask, session: Session, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from portal import hardening

    user = make_user(session, "customer", language="en")
    login(client, user)
    cookie = client.get_cookie("session")
    assert cookie is not None
    interface = app.session_interface
    assert isinstance(interface, hardening.SignedCookieSessions)

    def open_with(value: str) -> dict[str, Any]:
        with app.test_request_context("/", headers={"Cookie": f"session={value}"}) as ctx:
            opened = interface.open_session(app, ctx.request)
            assert opened is not None
            return opened

    first = open_with(cookie.value)
    assert first["_user_id"].startswith(f"{user.id}:")
    assert (app.secret_key, cookie.value) in interface._verified
    first["confirm"] = {"statement_id": 1}
    first["lang"] = "zh"
    again = open_with(cookie.value)  # remembered: a request's changes never reach it
    assert "confirm" not in again and again["lang"] == "en"
    assert open_with(cookie.value[:-2] + "xx") == {}  # a forged signature is still refused

    # a remembered cookie still expires with the session's absolute lifetime
    lifetime = app.permanent_session_lifetime.total_seconds()
    later = hardening.time.time() + lifetime + 5
    monkeypatch.setattr(hardening.time, "time", lambda: later)
    assert open_with(cookie.value) == {}


def test_the_frame_links_follow_the_mount_point(session: Session, client: FlaskClient) -> None:
    user = make_user(session, "customer", language="en")
    login(client, user)
    plain = client.get("/").get_data(as_text=True)
    assert 'href="/static/concord.css?v=' in plain and 'href="/statements/"' in plain
    # the same app mounted under /ar (a reverse proxy's prefix): the kept URLs are not reused
    mounted = client.get("/", base_url="http://localhost/ar/").get_data(as_text=True)
    assert 'href="/ar/static/concord.css?v=' in mounted and 'href="/ar/statements/"' in mounted
    assert 'action="/ar/logout"' in mounted and 'href="/static/' not in mounted
    assert 'href="/static/concord.css?v=' in client.get("/").get_data(as_text=True)
