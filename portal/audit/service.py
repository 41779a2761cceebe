"""Append events to the audit chain and verify that nobody changed it afterwards.

Each row stores ``prev_hash`` (the ``hash`` of the row before it, by id) and ``hash``: the
SHA-256 of a canonical JSON document of its own fields plus ``prev_hash``. Changing, inserting
or deleting a row therefore breaks the chain at that row or the one after it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from contextlib import closing
from decimal import Decimal
from typing import Any

from flask import has_request_context, request
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from portal.bulk import insert_rows
from portal.models import AuditEvent, Base, User, utcnow

#: ``prev_hash`` of the first row
GENESIS_HASH = "0" * 64
#: key of the PostgreSQL advisory lock that serialises appends ("concord" in ASCII)
_APPEND_LOCK_KEY = 0x636F6E636F7264


@dataclasses.dataclass(frozen=True)
class ChainReport:
    """Result of :func:`verify_chain`."""

    ok: bool
    #: rows checked (up to and including the first broken one)
    checked: int
    #: id of the first row whose link is broken, when not ``ok``
    first_broken_id: int | None = None
    #: why that row is broken
    reason: str | None = None


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return sorted(value) if isinstance(value, set | frozenset) else list(value)
    return str(value)


def _plain(data: dict[str, Any] | None) -> dict[str, Any]:
    """Return ``data`` as plain JSON types, so what is stored is exactly what is hashed."""
    if not data:
        return {}
    plain: dict[str, Any] = json.loads(json.dumps(data, default=_json_default))
    return plain


def _timestamp(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


_HASHED = (
    "actor_id",
    "actor_label",
    "action",
    "entity_type",
    "entity_id",
    "reason",
    "ip_address",
    "prev_hash",
)


def compute_hash(event: AuditEvent) -> str:
    """Return the SHA-256 (hex) of the event's canonical JSON, ``prev_hash`` included."""
    return _hash_fields({name: getattr(event, name) for name in (*_HASHED, "occurred_at", "data")})


def _hash_fields(fields: dict[str, Any]) -> str:
    document = {name: fields[name] for name in _HASHED}
    document["occurred_at"] = _timestamp(fields["occurred_at"])
    document["data"] = fields["data"] or {}
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _last_hash(session: Session) -> str:
    if session.get_bind().dialect.name == "postgresql":
        # held until the transaction ends: concurrent appends queue here instead of forking
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _APPEND_LOCK_KEY})
    last = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
    return last or GENESIS_HASH


def entity_ref(entity: Base) -> tuple[str, str]:
    """Return the ``entity_type`` and ``entity_id`` the audit trail records for a model row.

    The type is the model's ``__audit_type__``, else its class name in snake case
    (``BankTransaction`` is ``bank_transaction``); the id is its ``__audit_key__`` attribute
    (``id`` unless the model says otherwise, as an invoice's ``number``).
    """
    # not type(): a proxy such as flask_login's current_user answers __class__ with the user's
    model = entity.__class__
    entity_type = model.__audit_type__ or re.sub(r"(?<!^)(?=[A-Z])", "_", model.__name__).lower()
    return entity_type, str(getattr(entity, model.__audit_key__))


def record(
    session: Session,
    actor: User | None,
    action: str,
    entity: Base | None = None,
    *,
    reason: str | None = None,
    data: dict[str, Any] | None = None,
    ip: str | None = None,
    actor_label: str | None = None,
    entity_type: str | None = None,
    entity_id: str | int | None = None,
) -> AuditEvent:
    """Append one event about ``entity`` to the chain and flush (never commits).

    :param actor: who did it; ``None`` for the system (imports, schedulers).
    :param entity: the row the event is about; its type and id are :func:`entity_ref`'s.
    :param actor_label: the rule or job that acted when ``actor`` is ``None`` (else "system").
    :param ip: the client's address; taken from the current request when omitted.
    :param entity_type: with ``entity_id``, instead of ``entity``: for what is no row
        (an import, a demo seed) or a row the caller knows only by its id.
    :raises TypeError: neither or both of ``entity`` and ``entity_type``/``entity_id`` given.
    """
    if entity is not None:
        if entity_type is not None or entity_id is not None:
            raise TypeError("record() takes an entity or entity_type and entity_id, not both")
    elif entity_type is None or entity_id is None:
        raise TypeError("record() needs an entity, or entity_type and entity_id")
    if ip is None and has_request_context():
        ip = request.remote_addr
    session.flush()
    if entity is not None:
        # after the flush: a new row has its id by now
        entity_type, entity_id = entity_ref(entity)
    event = AuditEvent(
        occurred_at=utcnow(),
        actor_id=actor.id if actor is not None else None,
        actor_label=actor.email if actor is not None else (actor_label or "system")[:254],
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        reason=reason,
        data=_plain(data),
        ip_address=ip,
        prev_hash=_last_hash(session),
    )
    event.hash = compute_hash(event)
    session.add(event)
    session.flush()
    return event


@dataclasses.dataclass(frozen=True)
class PendingEvent:
    """One event of a batch for :func:`record_many`."""

    action: str
    entity_type: str
    entity_id: str | int
    data: dict[str, Any] | None = None
    reason: str | None = None


def record_many(
    session: Session,
    *,
    actor: User | None,
    events: Sequence[PendingEvent],
    actor_label: str | None = None,
) -> int:
    """Append a batch of events to the chain with one multi-row INSERT (flushes, never commits).

    For imports of many thousand rows, where :func:`record` (one query per event) is too slow.
    The chain is the same as appending the events one by one in the given order. Each event's
    ``data`` must already be plain JSON (str, int, float, bool, None, lists and dicts).

    :returns: the number of events appended.
    """
    if not events:
        return 0
    ip = request.remote_addr if has_request_context() else None
    session.flush()
    prev_hash = _last_hash(session)
    occurred_at = utcnow()
    rows: list[dict[str, Any]] = []
    for pending in events:
        fields: dict[str, Any] = {
            "occurred_at": occurred_at,
            "actor_id": actor.id if actor is not None else None,
            "actor_label": actor.email if actor is not None else (actor_label or "system")[:254],
            "action": pending.action,
            "entity_type": pending.entity_type,
            "entity_id": str(pending.entity_id),
            "reason": pending.reason,
            "data": pending.data or {},
            "ip_address": ip,
            "prev_hash": prev_hash,
        }
        fields["hash"] = prev_hash = _hash_fields(fields)
        rows.append(fields)
    # one statement, rows in order: ids grow with the chain, as verify_chain reads it
    insert_rows(session, AuditEvent, rows)
    return len(rows)


def verify_chain(session: Session) -> ChainReport:
    """Check every row's link and hash, in id order; report the first broken row."""
    query = (
        select(AuditEvent)
        .order_by(AuditEvent.id)
        # reread rows the session already holds: the check is about what the database says
        .execution_options(yield_per=500, populate_existing=True)
    )
    # close the (server-side) cursor even when we stop at the first broken row
    with closing(session.scalars(query)) as rows:
        return _check(rows)


def _check(rows: Iterable[AuditEvent]) -> ChainReport:
    expected_prev = GENESIS_HASH
    checked = 0
    for event in rows:
        checked += 1
        if event.prev_hash != expected_prev:
            return ChainReport(
                ok=False,
                checked=checked,
                first_broken_id=event.id,
                reason="prev_hash does not match the previous row's hash "
                "(a row before it was changed, removed or inserted)",
            )
        if compute_hash(event) != event.hash:
            return ChainReport(
                ok=False,
                checked=checked,
                first_broken_id=event.id,
                reason="the row's content does not match its hash (the row was changed)",
            )
        expected_prev = event.hash
    return ChainReport(ok=True, checked=checked)
