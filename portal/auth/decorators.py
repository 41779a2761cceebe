"""Access decorators (contract 4): customer users, staff (optionally by role), writers."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user, login_required

from ..models import Role

F = TypeVar("F", bound=Callable[..., Any])

#: staff roles that may change things (auditors are read-only)
WRITER_ROLES = frozenset({Role.FINANCE, Role.SALES, Role.ADMIN})


def customer_required(view: F) -> F:
    """Allow signed-in customer users only (staff get 403); scope by ``customer_id``."""

    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if current_user.is_staff or current_user.customer_id is None:
            abort(403)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def staff_required(*roles: Role | str) -> Callable[[F], F]:
    """Allow staff whose role is in ``roles`` (any staff when none given); 403 otherwise."""
    allowed = frozenset(Role(r) for r in roles)

    def decorator(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_staff:
                abort(403)
            if allowed and current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def writer_required(view: F) -> F:
    """Allow staff who may change things (finance, sales, admin); auditors get 403."""
    return staff_required(*WRITER_ROLES)(view)
