"""Issue 14, items 6 and 8: token scopes and roles; batch and body limits of the ERP API."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.api.auth import TokenRefused, create_token
from portal.models import ApiToken, Customer, Role
from tests.factories import make_user

ROW = {"code": "S1", "name": "Scoped Co", "aliases": [], "bank_accounts": "", "currency": "CNY"}


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"API_MAX_ROWS": 3, "API_MAX_BYTES": 2000}


def _token(session: Session, role: str, scope: str | None = None) -> str:
    _row, secret = create_token(session, f"erp-{role}", make_user(session, role=role), scope)
    session.commit()
    return secret


def _post(client: FlaskClient, token: str, body: Any) -> Any:
    return client.post("/api/v1/customers", json=body, headers={"Authorization": f"Bearer {token}"})


def test_only_finance_and_admin_write(client: FlaskClient, session: Session) -> None:
    for role in ("finance", "admin"):
        resp = _post(client, _token(session, role, "write"), [ROW])
        assert resp.status_code == 200, resp.json
    for role in ("sales", "auditor"):
        with pytest.raises(TokenRefused):
            create_token(session, "w", make_user(session, role=role), "write")
        read = _token(session, role)  # their default scope is read
        resp = _post(client, read, [ROW | {"code": f"X-{role}"}])
        assert resp.status_code == 403 and "read-only" in resp.json["error"]
    assert session.scalar(select(func.count(Customer.id))) == 1


def test_a_write_token_stops_writing_when_its_user_loses_the_role(
    client: FlaskClient, session: Session
) -> None:
    secret = _token(session, "finance", "write")
    row = session.scalars(select(ApiToken)).one()
    row.user.role = Role.AUDITOR
    session.commit()
    resp = _post(client, secret, [ROW])
    assert resp.status_code == 403 and "auditor" in resp.json["error"]


def test_read_scope_cannot_write_even_for_finance(client: FlaskClient, session: Session) -> None:
    resp = _post(client, _token(session, "finance", "read"), [ROW])
    assert resp.status_code == 403


def test_cli_scopes(runner: FlaskCliRunner, session: Session) -> None:
    make_user(session, role="finance", email="fin@example.test")
    make_user(session, role="auditor", email="aud@example.test")
    session.commit()
    default = runner.invoke(args=["api-token", "create", "erp", "--user", "fin@example.test"])
    assert default.exit_code == 0 and "scope write" in default.output
    read = runner.invoke(
        args=["api-token", "create", "bi", "--user", "fin@example.test", "--scope", "read"]
    )
    assert read.exit_code == 0 and "scope read" in read.output
    refused = runner.invoke(
        args=["api-token", "create", "x", "--user", "aud@example.test", "--scope", "write"]
    )
    assert refused.exit_code != 0 and "finance or admin" in refused.output
    assert (
        runner.invoke(args=["api-token", "create", "y", "--user", "aud@example.test"]).exit_code
        == 0
    )
    scopes = {row.name: row.scope for row in session.scalars(select(ApiToken))}
    assert scopes == {"erp": "write", "bi": "read", "y": "read"}
    listing = runner.invoke(args=["api-token", "list"]).output
    assert "\tactive\tread" in listing and "\tactive\twrite" in listing


def test_batch_and_body_limits(client: FlaskClient, session: Session) -> None:
    token = _token(session, "admin", "write")
    rows = [ROW | {"code": f"B{n}"} for n in range(4)]
    too_many = _post(client, token, rows)
    assert too_many.status_code == 413
    assert too_many.json["max_rows"] == 3 and "batches" in too_many.json["error"]
    too_big = _post(client, token, [ROW | {"name": "x" * 3000}])
    assert too_big.status_code == 413 and too_big.is_json
    assert session.scalar(select(func.count(Customer.id))) == 0
    assert _post(client, token, rows[:3]).status_code == 200


def test_deeply_nested_json_is_a_400(client: FlaskClient, session: Session) -> None:
    token = _token(session, "admin", "write")
    client.application.config["API_MAX_BYTES"] = 10**6
    body = "[" * 100_000 + "]" * 100_000
    resp = client.post(
        "/api/v1/invoices",
        data=body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert resp.status_code == 400 and resp.is_json
