"""Issue 14, item 7: rate limits, growing sign-in delays instead of a lock, no enumeration."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.auth.service import ACCOUNT_DELAY_CAP_SECONDS, FIRST_DELAY_SECONDS
from portal.jobs import run_inline
from portal.models import Job, LoginAttempt
from portal.outbox import deliver_due
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.portal.customer_helpers import outbox


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {
        "JOBS_INLINE": False,
        "LOGIN_MAX_FAILURES_PER_ACCOUNT": 5,
        "LOGIN_MAX_FAILURES_PER_IP": 50,
        "RATELIMIT_LOGIN": "100 per minute",
    }


def _login(client: FlaskClient, email: str, password: str, ip: str) -> Any:
    return client.post(
        "/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": ip},
    )


def _strip(html: str) -> str:
    return re.sub(r'name="csrf_token"[^>]*|value="[^"]*"', "", html)


def test_forgot_password_does_the_same_for_known_and_unknown(
    client: FlaskClient, session: Session, app: Flask
) -> None:
    user = make_user(session, language="en")
    known = client.post("/password/forgot", data={"email": user.email})
    unknown = client.post("/password/forgot", data={"email": "ghost@example.test"})
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    # neither answer sent anything itself: both queued one identical job
    assert outbox(app) == []
    jobs = session.scalars(select(Job).where(Job.kind == "auth.password_reset")).all()
    assert [j.payload["email"] for j in jobs] == [user.email, "ghost@example.test"]
    for job in jobs:
        run_inline(session, job)
    assert [j.result for j in jobs] == [{}, {}]
    session.commit()
    # the mail is a row of the outbox table until the worker delivers it after the commit
    assert outbox(app) == []
    assert deliver_due(session, "test-worker") == 1
    sent = outbox(app)
    assert len(sent) == 1 and user.email in sent[0].read_text(errors="replace")


def test_forgot_password_is_rate_limited_per_address_asked_for(client: FlaskClient) -> None:
    for email in ("ghost@example.test", "GHOST@example.test", "ghost@example.test"):
        assert client.post("/password/forgot", data={"email": email}).status_code == 302
    limited = client.post("/password/forgot", data={"email": "ghost@example.test"})
    assert limited.status_code == 429 and "Retry-After" in limited.headers
    assert client.post("/password/forgot", data={"email": "other@example.test"}).status_code == 302


def test_an_attacker_cannot_lock_the_owner_out(client: FlaskClient, session: Session) -> None:
    user = make_user(session, language="en")
    for _ in range(5):
        assert _login(client, user.email, "wrong-guess-123", "203.0.113.9").status_code == 200
    slowed = _login(client, user.email, DEFAULT_PASSWORD, "203.0.113.9")
    assert slowed.status_code == 429
    assert 1 <= int(slowed.headers["Retry-After"]) <= FIRST_DELAY_SECONDS
    assert re.search(r"wait 1?\d seconds|等待 1?\d 秒", slowed.get_data(as_text=True))
    # the owner, elsewhere, signs in at once
    assert _login(client, user.email, DEFAULT_PASSWORD, "198.51.100.7").status_code == 302


def test_delays_grow_with_each_failure(client: FlaskClient, session: Session) -> None:
    user = make_user(session, language="en")
    now = dt.datetime.now(dt.UTC)
    waits = []
    for failures in range(1, 9):
        session.add(LoginAttempt(email=user.email, ip="203.0.113.9", at=now))
        session.flush()
        resp = _login(client, user.email, DEFAULT_PASSWORD, "203.0.113.9")
        if failures < 5:
            assert resp.status_code == 200 or resp.status_code == 302
            client.post("/logout")
            continue
        assert resp.status_code == 429
        waits.append(int(resp.headers["Retry-After"]))
    # 15 s doubling with each failure (less the seconds this slow test took)
    for wait, expected in zip(waits, [15, 30, 60, 120], strict=True):
        assert expected - 10 <= wait <= expected


def test_failures_from_everywhere_delay_the_owner_at_most_a_minute(
    client: FlaskClient, session: Session
) -> None:
    user = make_user(session, language="en")
    now = dt.datetime.now(dt.UTC)
    for n in range(40):
        session.add(LoginAttempt(email=user.email, ip=f"10.0.{n}.1", at=now))
    session.flush()
    resp = _login(client, user.email, DEFAULT_PASSWORD, "198.51.100.7")
    assert resp.status_code == 429
    assert int(resp.headers["Retry-After"]) <= ACCOUNT_DELAY_CAP_SECONDS
    for attempt in session.scalars(select(LoginAttempt)):
        attempt.at = now - dt.timedelta(seconds=ACCOUNT_DELAY_CAP_SECONDS + 1)
    session.flush()
    assert _login(client, user.email, DEFAULT_PASSWORD, "198.51.100.7").status_code == 302


def test_sign_in_posts_are_rate_limited_per_address(
    client: FlaskClient, session: Session, app: Flask
) -> None:
    app.config["RATELIMIT_LOGIN"] = "3 per minute"
    for n in range(3):
        assert _login(client, f"p{n}@example.test", "guess-guess-1", "192.0.2.1").status_code == 200
    assert _login(client, "p9@example.test", "guess-guess-1", "192.0.2.1").status_code == 429
    assert _login(client, "p9@example.test", "guess-guess-1", "192.0.2.2").status_code == 200
