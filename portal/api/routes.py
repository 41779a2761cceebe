"""``POST /api/v1/customers`` and ``/api/v1/invoices``: the ERP pushes rows as JSON.

``GET /api/v1/openapi.json`` describes the API (OpenAPI 3.1).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request
from werkzeug.exceptions import BadRequest, HTTPException

from portal.contracts.review import check_draft, parse_draft
from portal.contracts.service import import_contracts
from portal.erp.parsing import BadValue
from portal.erp.service import (
    ErpImportError,
    ImportSummary,
    import_contacts,
    import_customers,
    import_invoices,
)
from portal.extensions import csrf, db
from portal.permissions import Action
from portal.ratelimit import limit_of, limiter, token_key

from .auth import ApiClient, authenticate
from .openapi import openapi_document

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# machine clients authenticate with a bearer token, not a session cookie: no CSRF risk
csrf.exempt(bp)
limiter.limit(lambda: limit_of("RATELIMIT_API"), key_func=token_key)(bp)

Importer = Callable[..., ImportSummary]


def _error(status: int, message: str, **extra: Any) -> tuple[Response, int]:
    response = jsonify({"error": message, **extra})
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="concord"'
    return response, status


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> tuple[Response, int]:
    """Machine clients get JSON errors, never the HTML error page."""
    code = exc.code or 500
    return _error(code, exc.description or exc.name)


def authorize(action: Action) -> ApiClient | tuple[Response, int]:
    """Return the calling client if its token may take ``action``, else the error response."""
    client = authenticate(db.session(), request.headers.get("Authorization"))
    if client is None:
        return _error(401, "a valid bearer token is required")
    refusal = client.refusal(action)
    if refusal is not None:
        return _error(403, refusal)
    return client


def _rows() -> list[Any] | tuple[Response, int]:
    """The request's JSON list of rows, within the size and batch limits."""
    max_bytes = int(current_app.config["API_MAX_BYTES"])
    if (request.content_length or 0) > max_bytes:
        return _error(413, f"the body is larger than {max_bytes} bytes; send smaller batches")
    try:
        payload = request.get_json(silent=False)
    except BadRequest as exc:  # not JSON, nested too deeply, NUL or surrogate characters
        return _error(400, f"the body must be a JSON list of rows ({exc.description})")
    if not isinstance(payload, list):
        return _error(400, "the body must be a JSON list of rows")
    max_rows = int(current_app.config["API_MAX_ROWS"])
    if len(payload) > max_rows:
        return _error(
            413,
            f"{len(payload)} rows in one request; at most {max_rows}: send them in batches",
            max_rows=max_rows,
        )
    return payload


def _import(importer: Importer) -> tuple[Response, int]:
    client = authorize(Action.API_WRITE)
    if not isinstance(client, ApiClient):
        return client
    payload = _rows()
    if not isinstance(payload, list):
        return payload
    session = db.session()
    rows = [(index, row) for index, row in enumerate(payload, start=1)]
    try:
        summary = importer(session, rows, actor=client.user, source=f"api:{client.name}")
    except ErpImportError as exc:
        session.rollback()
        # the message is the catalogue's, in the language the request asks for (as the reasons)
        return _error(422, str(exc), errors=[error.as_dict() for error in exc.errors])
    return jsonify(summary.as_dict()), 200


@bp.post("/customers")
def customers() -> tuple[Response, int]:
    """Create or update customers from a JSON list of rows (all or nothing)."""
    return _import(import_customers)


@bp.post("/invoices")
def invoices() -> tuple[Response, int]:
    """Create or update invoices from a JSON list of rows (all or nothing)."""
    return _import(import_invoices)


@bp.post("/contacts")
def contacts() -> tuple[Response, int]:
    """Set the contacts of the customers the rows name (all or nothing)."""
    return _import(import_contacts)


@bp.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3.1 description of this API."""
    return jsonify(openapi_document())


@bp.post("/contracts")
def contracts() -> tuple[Response, int]:
    """Create or update contracts (with their billing schedules) from a JSON list of rows."""
    return _import(import_contracts)


@bp.post("/invoices/check")
def check_invoice() -> tuple[Response, int]:
    """Check a draft invoice against its contract before the ERP issues it (changes nothing)."""
    client = authorize(Action.API_WRITE)
    if not isinstance(client, ApiClient):
        return client
    session = db.session()
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        return _error(400, "the body must be a JSON object: one draft invoice")
    try:
        draft = parse_draft(payload)
    except BadValue as exc:
        return _error(422, str(exc), errors=[{"line": 1, "reason": str(exc)}])
    differences = check_draft(session, draft)
    if not differences:
        return jsonify({"result": "ok"}), 200
    return jsonify(
        {
            "result": "differences",
            "differences": [
                {"code": d.code, "message": d.message(), "params": d.params} for d in differences
            ],
        }
    ), 200
