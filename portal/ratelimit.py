"""Rate limits (Flask-Limiter) by client address and by account.

Storage is ``RATELIMIT_STORAGE_URI``: ``memory://`` (the default, one process) or any storage
the ``limits`` package knows (``redis://...``, ``memcached://...``) when several processes
serve. Sign-in failures are throttled in the database as well (:mod:`portal.auth.service`),
with delays that grow per account and address instead of a lock, so the real owner is never
locked out.
"""

from __future__ import annotations

import math
import time

from flask import Flask, Response, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

# no X-RateLimit-* headers on every answer (their Retry-After would be the window's end even
# when nothing was refused); a refused request gets its own Retry-After below
limiter = Limiter(key_func=get_remote_address, headers_enabled=False)


def limit_of(key: str) -> str:
    """The limit configured under ``key`` (e.g. ``"10 per hour; 3 per minute"``)."""
    return str(current_app.config[key])


def account_key() -> str:
    """Key a limit by the account named in the form (``email``), whatever it is."""
    email = (request.form.get("email") or "").strip().lower()
    return f"account:{email}"


def token_key() -> str:
    """Key an API limit by bearer token (else by address)."""
    header = request.headers.get("Authorization") or ""
    if header.startswith("Bearer ") and len(header) > 7:
        import hashlib

        return "token:" + hashlib.sha256(header.encode()).hexdigest()[:32]
    return get_remote_address()


def _retry_after(response: Response) -> Response:
    """A request refused by a limit says when to come back."""
    if response.status_code == 429 and "Retry-After" not in response.headers:
        current = limiter.current_limit
        if current is not None:
            response.headers["Retry-After"] = str(max(1, math.ceil(current.reset_at - time.time())))
    return response


def init_app(app: Flask) -> None:
    """Bind the limiter to ``app`` with the configured storage."""
    limiter.init_app(app)
    app.after_request(_retry_after)
