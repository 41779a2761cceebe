"""Bearer tokens for the ERP API: stored hashed in ``api_tokens`` or listed in ``API_TOKENS``."""

from __future__ import annotations

import dataclasses

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.audit import record
from portal.models import ApiToken, TokenScope, User, utcnow
from portal.permissions import Action, allows, principal_of
from portal.security import hash_token, new_token, tokens_equal


@dataclasses.dataclass(frozen=True)
class ApiClient:
    """Who is calling: a database token (with its user and scope) or a configured token."""

    name: str
    user: User | None
    scope: TokenScope = TokenScope.WRITE

    def refusal(self, action: Action) -> str | None:
        """Return why this client may not take ``action`` (``None`` when it may).

        A token's scope must cover the action (write for changes) and its user's role must
        allow it in the permission table (writing needs finance or admin).
        """
        if action.writes and self.scope is not TokenScope.WRITE:
            return "this token is read-only (scope read); a write token is needed"
        if self.user is None:  # a token from the configuration: the operator's own
            return None
        if not allows(principal_of(self.user), action):
            return (
                f"the token's user ({self.user.role.value}) may not {action.value}; "
                "writing needs a finance or admin user"
            )
        return None


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
    return ApiClient(name=row.name, user=row.user, scope=TokenScope(row.scope))


class TokenRefused(ValueError):
    """A token cannot be created as asked (e.g. a write token for an auditor)."""


def default_scope(user: User) -> TokenScope:
    """The scope a token gets when none is asked: write if the user may write, else read."""
    return TokenScope.WRITE if allows(principal_of(user), Action.API_WRITE) else TokenScope.READ


def create_token(
    session: Session, name: str, user: User, scope: TokenScope | str | None = None
) -> tuple[ApiToken, str]:
    """Create a token for ``user``; return the row and the secret (shown once, never stored).

    :param scope: ``read`` or ``write``; default: :func:`default_scope`.
    :raises TokenRefused: the user is not staff, or may not have a token of that scope.
    """
    if not user.is_staff:
        raise TokenRefused("API tokens act as staff; a customer user cannot own one")
    scope = TokenScope(scope) if scope is not None else default_scope(user)
    needed = Action.API_WRITE if scope is TokenScope.WRITE else Action.API_READ
    if not allows(principal_of(user), needed):
        raise TokenRefused(
            f"a {scope.value} token needs a user who may {needed.value} "
            f"({user.email} is {user.role.value}); write tokens need finance or admin"
        )
    secret = "concord_" + new_token(32)
    row = ApiToken(name=name, token_hash=hash_token(secret), user=user, scope=scope.value)
    session.add(row)
    session.flush()
    record(
        session,
        None,
        "api_token.created",
        row,
        data={"name": name, "user": user.email, "scope": scope.value},
    )
    return row, secret


def revoke_token(session: Session, row: ApiToken) -> None:
    """Revoke a token (kept for the record)."""
    row.revoked_at = utcnow()
    session.flush()
    record(session, None, "api_token.revoked", row, data={"name": row.name})
