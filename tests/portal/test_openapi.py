"""The ERP API's OpenAPI document: complete, and fuzzed with schemathesis (no 500, conforms)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy.orm import Session

from portal import create_app
from portal.api.auth import create_token
from portal.api.openapi import openapi_document
from tests.conftest import base_config
from tests.factories import make_customer, make_user

#: examples per operation: enough to find a 500, few enough for the suite
MAX_EXAMPLES = 20


def _document() -> dict[str, Any]:
    """The served document, from an app of its own (the schema is needed at collection)."""
    with tempfile.TemporaryDirectory() as instance:
        doc_app = create_app(base_config(Path(instance), INSTANCE_PATH=instance))
        with doc_app.app_context():
            return openapi_document()


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"RATELIMIT_API": "100000 per minute"}


@pytest.fixture
def bearer(session: Session) -> str:
    make_customer(session, code="C1001", currency="CNY")
    _row, secret = create_token(session, "fuzz", make_user(session, role="admin"), "write")
    session.commit()
    return secret


def test_every_api_route_is_described(app: Flask, client: Any) -> None:
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"].startswith("3.1")
    described = {
        (method.upper(), "/api/v1" + path)
        for path, item in document["paths"].items()
        for method in item
    }
    missing = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        path = rule.rule.replace("<code>", "{code}")
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}:
            if (method, path) not in described:
                missing.append(f"{method} {rule.rule}")
    assert not missing, f"describe these in portal/api/openapi.py: {missing}"


schema = schemathesis.openapi.from_dict(_document())


@pytest.mark.slow
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_fuzz(case: Any, app: Flask, bearer: str) -> None:
    response = case.call(app=app, headers={"Authorization": f"Bearer {bearer}"})
    case.validate_response(
        response,
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )
