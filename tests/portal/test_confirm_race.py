"""Two users of one customer confirm the same statement at once: the second gets an answer."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from portal.models import StatementStatus
from portal.statements import service
from tests.factories import make_customer, make_user
from tests.portal.customer_helpers import last_code, login, make_statement


def test_losing_the_race_to_confirm_is_answered_not_a_500(
    app: Flask, client: FlaskClient, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    customer = make_customer(session, language="en")
    user = make_user(session, customer=customer, language="en", name="Bob Buyer")
    statement = make_statement(session, customer)
    login(client, user)
    client.post(f"/statements/{statement.id}/confirm", data={"consent": "y", "full_name": "Bob"})
    code = last_code(app)
    real = service.confirm_statement

    def colleague_was_faster(db_session: Session, stmt: Any, *args: Any, **kwargs: Any) -> Any:
        # another user of the customer confirmed it between our check and our row lock
        stmt.status = StatementStatus.CONFIRMED
        db_session.flush()
        return real(db_session, stmt, *args, **kwargs)

    monkeypatch.setattr(service, "confirm_statement", colleague_was_faster)
    response = client.post(f"/statements/{statement.id}/confirm/code", data={"code": code})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/statements/{statement.id}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "already been confirmed" in page
    assert statement.confirmed_by_id is None  # nothing signed on our behalf
