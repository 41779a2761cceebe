"""The ledger's API: what the ERP connector and the sales system ask Concord.

``GET /api/v1/allocations`` and ``POST /api/v1/allocations/ack``: the cash application export.
``GET /api/v1/customers/CODE/credit-check``: may a sales order be confirmed on credit.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request
from sqlalchemy import select

from ..api.auth import ApiClient
from ..api.routes import authorize
from ..credit import limits
from ..extensions import csrf, db
from ..hardening import MAX_ID
from ..models import Allocation, Customer, ErpStatus
from ..permissions import Action
from . import export
from .booking import mark_booked

bp = Blueprint("ledger", __name__, url_prefix="/api/v1")
# machine clients authenticate with a bearer token, not a session cookie: no CSRF risk
csrf.exempt(bp)

#: ids one acknowledgement may carry
MAX_ACK = 10_000


def error(status: int, message: str, **extra: Any) -> tuple[Response, int]:
    """A JSON error; 401 also names the scheme."""
    response = jsonify({"error": message, **extra})
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="concord"'
    return response, status


@bp.get("/allocations")
def allocations() -> tuple[Response, int]:
    """The ledger records after ``?after=CURSOR`` (``limit`` per page, at most 5000)."""
    client = authorize(Action.API_READ)
    if not isinstance(client, ApiClient):
        return client
    try:
        after = export.parse_cursor(request.args.get("after"))
    except export.BadCursor as exc:
        return error(400, str(exc))
    raw_limit = request.args.get("limit", "").strip()
    limit = export.PAGE_SIZE
    if raw_limit:
        if not raw_limit.isascii() or not raw_limit.isdigit() or int(raw_limit) < 1:
            return error(400, f"limit must be a whole number from 1 to {export.MAX_PAGE_SIZE}")
        limit = min(int(raw_limit), export.MAX_PAGE_SIZE)
    # only a client that may write (the ERP's connector) takes the records over; a read-only
    # token (reports, auditors) reads them and changes nothing
    hand_out = client.refusal(Action.API_WRITE) is None
    batch = export.take(db.session(), after=after, limit=limit, hand_out=hand_out)
    return jsonify({**batch.as_json(), "has_more": batch.has_more}), 200


@bp.post("/allocations/ack")
def ack() -> tuple[Response, int]:
    """Mark the records ``{"ids": [...]}`` as booked in the ERP (all or nothing)."""
    client = authorize(Action.API_WRITE)
    if not isinstance(client, ApiClient):
        return client
    payload = request.get_json(silent=True)
    ids = payload.get("ids") if isinstance(payload, dict) else None
    if (
        not isinstance(ids, list)
        or not ids
        or not all(isinstance(i, int) and not isinstance(i, bool) and i > 0 for i in ids)
    ):
        return error(400, 'the body must be {"ids": [record ids the ERP booked]}')
    if len(ids) > MAX_ACK:
        return error(400, f"at most {MAX_ACK} ids per acknowledgement")
    session = db.session()
    wanted = sorted(set(ids))
    found: dict[int, Allocation] = {}
    # ids beyond the integer column cannot exist (and PostgreSQL would refuse to compare them)
    possible = [i for i in wanted if i <= MAX_ID]
    for start in range(0, len(possible), 500):
        chunk = possible[start : start + 500]
        found.update(
            (a.id, a) for a in session.scalars(select(Allocation).where(Allocation.id.in_(chunk)))
        )
    unknown = [i for i in wanted if i not in found]
    if unknown:
        return error(422, "unknown record ids; nothing was marked booked", unknown=unknown[:100])
    already = sum(1 for a in found.values() if a.erp_status is ErpStatus.BOOKED)
    actor = client.user if client.user is not None else f"api:{client.name}"
    booked = mark_booked(session, list(found.values()), actor=actor)
    return jsonify({"booked": len(booked), "already_booked": already}), 200


@bp.get("/customers/<code>/credit-check")
def credit_check(code: str) -> tuple[Response, int]:
    """``?amount=X&currency=CNY``: allow, warn or block an order, with exposure and reasons."""
    client = authorize(Action.API_READ)
    if not isinstance(client, ApiClient):
        return client
    try:
        currency = limits.parse_currency(request.args.get("currency"))
        amount = limits.parse_amount(request.args.get("amount"), what="amount", currency=currency)
    except limits.CreditError as exc:
        return error(400, str(exc))
    session = db.session()
    customer = session.scalar(select(Customer).where(Customer.code == code))
    if customer is None:
        return error(404, f"no customer with code {code!r}")
    answer = limits.check(session, customer, amount, currency)
    return jsonify(answer.as_dict()), 200
