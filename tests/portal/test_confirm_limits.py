"""Issue 14, item 3: one-time codes are limited per statement and per user and hour."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.auth import service as auth
from portal.models import StatementStatus, TokenPurpose, UserToken
from tests.factories import make_customer, make_user
from tests.portal.customer_helpers import last_code, login, make_statement, outbox


@pytest.fixture
def pending(client: FlaskClient, session: Session):  # type: ignore[no-untyped-def]
    customer = make_customer(session, language="en")
    user = make_user(session, customer=customer, language="en")
    statement = make_statement(session, customer)
    login(client, user)
    resp = client.post(
        f"/statements/{statement.id}/confirm", data={"consent": "y", "full_name": "Alice"}
    )
    assert resp.status_code == 302
    return user, statement


def test_at_most_five_codes_per_statement_and_hour(
    client: FlaskClient, app: Flask, session: Session, pending
):  # type: ignore[no-untyped-def]
    _user, statement = pending
    sent = len(outbox(app))
    for _ in range(auth.CODES_PER_SUBJECT_HOUR - 1):
        assert client.post(f"/statements/{statement.id}/confirm/resend").status_code == 302
    refused = client.post(f"/statements/{statement.id}/confirm/resend")
    assert refused.status_code == 429
    assert "Too many codes were sent in the last hour" in refused.get_data(as_text=True)
    assert len(outbox(app)) == sent + auth.CODES_PER_SUBJECT_HOUR - 1
    # an hour later codes can be sent again
    for token in session.scalars(select(UserToken)):
        token.created_at -= dt.timedelta(minutes=61)
    session.flush()
    assert client.post(f"/statements/{statement.id}/confirm/resend").status_code == 302


def test_wrong_codes_lock_the_confirmation_across_resends(
    client: FlaskClient, app: Flask, session: Session, pending
):  # type: ignore[no-untyped-def]
    _user, statement = pending
    url = f"/statements/{statement.id}/confirm/code"
    wrong = 0
    last = None
    while wrong < auth.WRONG_CODES_PER_SUBJECT_HOUR:
        code = last_code(app)
        bad = f"{(int(code) + 1) % 1_000_000:06d}"
        for _ in range(2):
            last = client.post(url, data={"code": bad})
            wrong += 1
        client.post(f"/statements/{statement.id}/confirm/resend")
    assert last is not None and last.status_code == 429
    assert "confirming this statement is locked until" in last.get_data(as_text=True)
    # neither the right code nor a fresh one works now
    right = client.post(url, data={"code": last_code(app)})
    assert right.status_code == 429
    resend = client.post(f"/statements/{statement.id}/confirm/resend")
    assert resend.status_code == 429
    session.refresh(statement)
    assert statement.status is StatementStatus.ISSUED


def test_per_user_limit_covers_all_statements(session: Session, app: Flask) -> None:
    user = make_user(session)
    for n in range(auth.CODES_PER_USER_HOUR):
        auth.issue_code(session, user, f"statement:{1000 + n // 4}")
    with pytest.raises(auth.CodeLimited) as exc:
        auth.issue_code(session, user, "statement:2000")
    assert exc.value.reason == "sent"
    tokens = session.scalars(
        select(UserToken).where(
            UserToken.user_id == user.id, UserToken.purpose == TokenPurpose.CONFIRM_CODE
        )
    ).all()
    assert len(tokens) == auth.CODES_PER_USER_HOUR
