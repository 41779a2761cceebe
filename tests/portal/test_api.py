"""The ERP JSON API: bearer tokens, all-or-nothing imports, 422 with every bad row."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.api.auth import create_token, revoke_token
from portal.models import ApiToken, AuditEvent, Customer, Invoice, InvoiceStatus
from portal.security import hash_token
from tests.factories import make_user

CONFIG_TOKEN = "configured-token-for-the-erp-0123456789"

CUSTOMER = {
    "code": "API1",
    "name": "杭州云栖科技有限公司",
    "aliases": ["Yunqi Tech"],
    "bank_accounts": "6222 1111 2222;6222 3333 4444",
    "currency": "CNY",
    "credit_limit": 80000,
}
INVOICE = {
    "number": "INV-API-1",
    "customer": "API1",
    "issue_date": "2026-10-01",
    "due_date": "2026-10-31",
    "currency": "CNY",
    "amount": "1200.00",
    "open_amount": 200,
    "po_number": "PO-77",
}


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"API_TOKENS": [CONFIG_TOKEN]}


@pytest.fixture
def token(session: Session) -> str:
    _row, secret = create_token(session, "erp", make_user(session, role="admin"))
    session.commit()
    return secret


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_token_is_stored_hashed(session: Session, token: str) -> None:
    row = session.scalars(select(ApiToken)).one()
    assert row.token_hash == hash_token(token)
    assert token not in row.token_hash


def test_requires_a_valid_token(client: FlaskClient, session: Session, token: str) -> None:
    for headers in ({}, {"Authorization": "Basic abc"}, _auth("wrong"), _auth("")):
        response = client.post("/api/v1/customers", json=[CUSTOMER], headers=headers)
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert session.scalar(select(func.count(Customer.id))) == 0


def test_revoked_token_is_refused(client: FlaskClient, session: Session, token: str) -> None:
    revoke_token(session, session.scalars(select(ApiToken)).one())
    session.commit()
    response = client.post("/api/v1/customers", json=[CUSTOMER], headers=_auth(token))
    assert response.status_code == 401


def test_push_customers_then_invoices(client: FlaskClient, session: Session, token: str) -> None:
    response = client.post("/api/v1/customers", json=[CUSTOMER], headers=_auth(token))
    assert response.status_code == 200, response.json
    assert response.json == {
        "kind": "customers",
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "closed": 0,
        "conflicts": 0,
    }
    response = client.post("/api/v1/invoices", json=[INVOICE], headers=_auth(token))
    assert response.json == {
        "kind": "invoices",
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "closed": 0,
        "conflicts": 0,
    }

    customer = session.scalars(select(Customer).where(Customer.code == "API1")).one()
    assert [a.account_number for a in customer.bank_accounts] == ["622211112222", "622233334444"]
    invoice = session.scalars(select(Invoice).where(Invoice.number == "INV-API-1")).one()
    assert invoice.status is InvoiceStatus.PARTIALLY_PAID
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "invoice.created")).one()
    assert event.actor_id is not None
    assert event.data["source"] == "api:erp"
    assert session.scalars(select(ApiToken)).one().last_used_at is not None

    again = client.post("/api/v1/invoices", json=[INVOICE], headers=_auth(token))
    assert again.json == {
        "kind": "invoices",
        "created": 0,
        "updated": 0,
        "unchanged": 1,
        "closed": 0,
        "conflicts": 0,
    }


def test_configured_token_works(client: FlaskClient, session: Session) -> None:
    response = client.post("/api/v1/customers", json=[CUSTOMER], headers=_auth(CONFIG_TOKEN))
    assert response.status_code == 200
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "customer.created")).one()
    assert (event.actor_id, event.data["source"]) == (None, "api:config")


def test_bad_rows_give_422_and_import_nothing(
    client: FlaskClient, session: Session, token: str
) -> None:
    client.post("/api/v1/customers", json=[CUSTOMER], headers=_auth(token))
    rows = [
        INVOICE,
        {**INVOICE, "number": "INV-API-2", "customer": "NOPE"},
        {**INVOICE, "number": "INV-API-3", "open_amount": "1300"},
        {**INVOICE, "number": "INV-API-4", "due_date": "31/10/2026"},
        {k: v for k, v in INVOICE.items() if k != "currency"} | {"number": "INV-API-5"},
        "not an object",
        {**INVOICE, "amount": True},
    ]
    response = client.post("/api/v1/invoices", json=rows, headers=_auth(token))
    assert response.status_code == 422
    errors = {e["line"]: e["reason"] for e in response.json["errors"]}
    assert sorted(errors) == [2, 3, 4, 5, 6, 7]
    assert errors[2] == "unknown customer: NOPE"
    assert "above the amount" in errors[3]
    assert "bad date in due_date" in errors[4]
    assert errors[5] == "missing column: currency"
    assert "object" in errors[6]
    assert "bad amount" in errors[7]
    assert session.scalar(select(func.count(Invoice.id))) == 0


def test_body_must_be_a_list(client: FlaskClient, token: str) -> None:
    response = client.post("/api/v1/customers", json={"rows": []}, headers=_auth(token))
    assert response.status_code == 400
    response = client.post(
        "/api/v1/customers", data="code,name", headers=_auth(token), content_type="text/csv"
    )
    assert response.status_code == 400


def test_csrf_does_not_block_token_clients(session: Session, token: str) -> None:
    from flask import current_app

    current_app.config["WTF_CSRF_ENABLED"] = True
    client = current_app.test_client()
    response = client.post("/api/v1/customers", json=[CUSTOMER], headers=_auth(token))
    assert response.status_code == 200


def test_cli_creates_a_token(runner: FlaskCliRunner, session: Session) -> None:
    user = make_user(session, role="finance", email="Erp.Robot@example.test")
    customer_user = make_user(session, role="customer")
    session.commit()
    result = runner.invoke(args=["api-token", "create", "sap", "--user", "erp.robot@example.test"])
    assert result.exit_code == 0, result.output
    secret = result.output.strip().splitlines()[-1]
    row = session.scalars(select(ApiToken).where(ApiToken.name == "sap")).one()
    assert row.token_hash == hash_token(secret)
    assert row.user_id == user.id
    refused = runner.invoke(args=["api-token", "create", "x", "--user", customer_user.email])
    assert refused.exit_code != 0
    unknown = runner.invoke(args=["api-token", "create", "x", "--user", "nobody@example.test"])
    assert unknown.exit_code != 0
    assert "no user" in unknown.output
