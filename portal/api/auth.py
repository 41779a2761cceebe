"""Bearer tokens for the ERP API: stored hashed in ``api_tokens`` or listed in ``API_TOKENS``."""

from __future__ import annotations

import dataclasses

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.audit import record
from portal.models import ApiToken, User, utcnow
from portal.security import hash_token, new_token, tokens_equal


@dataclasses.dataclass(frozen=True)
class ApiClient:
    """Who is calling: a database token (with its user) or a configured token."""

    name: str
    user: User | None


def authenticate(session: Session, header: str | None) -> ApiClient | None:
    """Return the client an ``Authorization: Bearer ...`` header identifies, or ``None``."""
    if not header or not header.startswith("Bearer "):
        return None
    token = header.removeprefix("Bearer ").strip()
    if not token:
        return None
    for configured in current_app.config.get("API_TOKENS") or []:
        if configured and tokens_equal(configured, token):
            return ApiClient(name="config", user=None)
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
    if row is None or row.revoked_at is not None or not row.user.is_active:
        return None
    row.last_used_at = utcnow()
    return ApiClient(name=row.name, user=row.user)


def create_token(session: Session, name: str, user: User) -> tuple[ApiToken, str]:
    """Create a token for ``user``; return the row and the secret (shown once, never stored)."""
    secret = "concord_" + new_token(32)
    row = ApiToken(name=name, token_hash=hash_token(secret), user=user)
    session.add(row)
    session.flush()
    record(
        session,
        actor=None,
        action="api_token.created",
        entity_type="api_token",
        entity_id=row.id,
        data={"name": name, "user": user.email},
    )
    return row, secret


def revoke_token(session: Session, row: ApiToken) -> None:
    """Revoke a token (kept for the record)."""
    row.revoked_at = utcnow()
    session.flush()
    record(
        session,
        actor=None,
        action="api_token.revoked",
        entity_type="api_token",
        entity_id=row.id,
        data={"name": row.name},
    )
