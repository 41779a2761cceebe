"""Access decorators: each asks the permission table (:mod:`portal.permissions`).

The table decides; the roles a decorator names may only narrow it further (both must agree,
and ``tests/portal/test_permissions.py`` checks every route's real answers against the table).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, request
from flask_login import current_user, login_required

from .. import permissions
from ..models import Role

F = TypeVar("F", bound=Callable[..., Any])

#: staff roles that may change things (auditors are read-only); the table refines this
WRITER_ROLES = frozenset({Role.FINANCE, Role.SALES, Role.ADMIN})


def _table_allows() -> bool:
    endpoint = request.endpoint or ""
    try:
        rule = permissions.rule_for(endpoint, request.method)
    except permissions.UnlistedRoute:
        return False
    if isinstance(rule, permissions.Action):
        return permissions.can(rule)
    return rule in (permissions.PUBLIC, permissions.SIGNED_IN)


def permission_required(action: permissions.Action) -> Callable[[F], F]:
    """Allow signed-in users whose principal may take ``action`` (403 otherwise)."""

    def decorator(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not permissions.can(action) or not _table_allows():
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def customer_required(view: F) -> F:
    """Allow customer users the table lets in (staff get 403); scope by ``customer_id``."""

    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        user = current_user._get_current_object()
        if user.is_staff or user.customer_id is None or not _table_allows():
            abort(403)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def staff_required(*roles: Role | str) -> Callable[[F], F]:
    """Allow staff the table lets in (and whose role is in ``roles`` when given); 403 otherwise."""
    allowed = frozenset(Role(r) for r in roles)

    def decorator(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_staff or not _table_allows():
                abort(403)
            if allowed and current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def writer_required(view: F) -> F:
    """Allow staff who may change things as the table says; auditors always get 403."""
    return staff_required(*WRITER_ROLES)(view)
