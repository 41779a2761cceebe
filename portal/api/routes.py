"""``POST /api/v1/customers`` and ``/api/v1/invoices``: the ERP pushes rows as JSON."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, jsonify, request

from portal.erp.service import (
    ErpImportError,
    ImportSummary,
    import_contacts,
    import_customers,
    import_invoices,
)
from portal.extensions import csrf, db

from .auth import authenticate

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# machine clients authenticate with a bearer token, not a session cookie: no CSRF risk
csrf.exempt(bp)

Importer = Callable[..., ImportSummary]


def _error(status: int, message: str, **extra: Any) -> tuple[Response, int]:
    response = jsonify({"error": message, **extra})
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="concord"'
    return response, status


def _import(importer: Importer) -> tuple[Response, int]:
    session = db.session()
    client = authenticate(session, request.headers.get("Authorization"))
    if client is None:
        return _error(401, "a valid bearer token is required")
    payload = request.get_json(silent=True)
    if not isinstance(payload, list):
        return _error(400, "the body must be a JSON list of rows")
    rows = [(index, row) for index, row in enumerate(payload, start=1)]
    try:
        summary = importer(session, rows, actor=client.user, source=f"api:{client.name}")
    except ErpImportError as exc:
        session.rollback()
        return _error(
            422,
            f"{len(exc.errors)} bad row(s); nothing was imported",
            errors=[error.as_dict() for error in exc.errors],
        )
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
