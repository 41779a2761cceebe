"""The forms' CSRF token on a page: Flask-WTF's, signed once a minute per session.

Flask-WTF signs the session's CSRF secret with a timestamp for every page (a key derivation
and an HMAC), although any token signed within ``WTF_CSRF_TIME_LIMIT`` is accepted. A token
signed for the same secret less than ``REUSE_SECONDS`` ago is therefore put on the page again:
it is the same token Flask-WTF would check, only up to a minute older (it expires up to a
minute sooner, out of an hour). Tokens of different sessions never mix: the session's secret
is the key.
"""

from __future__ import annotations

import time

from flask import Flask, current_app, g, session
from flask_wtf.csrf import generate_csrf

from .lru import BoundedCache

#: a signed token is put on pages again for this long (at most a sixtieth of the time limit)
REUSE_SECONDS = 60
#: signed tokens kept per app (the least recently used go first)
KEPT_MAX = 4096

_EXTENSION = "concord.csrf_tokens"


#: signed tokens by (signing key, session secret): when each was signed and the token
_Signed = BoundedCache[tuple[object, str], tuple[float, str]]


def init_app(app: Flask) -> None:
    """Let templates' ``csrf_token()`` reuse a recent token (call after ``csrf.init_app``)."""
    app.extensions[_EXTENSION] = _Signed(KEPT_MAX)
    app.jinja_env.globals["csrf_token"] = csrf_token
    # Flask-WTF names its own function in a context processor too; this one runs after it
    app.context_processor(_template_context)


def _template_context() -> dict[str, object]:
    return {"csrf_token": csrf_token}


def _reuse_seconds() -> float:
    limit = current_app.config.get("WTF_CSRF_TIME_LIMIT", 3600)
    return REUSE_SECONDS if limit is None else min(REUSE_SECONDS, float(limit) / 60)


def csrf_token() -> str:
    """The CSRF token for this request's forms (the one every form on the page carries)."""
    field = str(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
    cached = g.get(field)
    if cached is not None:
        return str(cached)
    secret = session.get(field)
    if not isinstance(secret, str):
        return str(generate_csrf())  # a new session secret: Flask-WTF makes and signs it
    signed: _Signed = current_app.extensions[_EXTENSION]
    key = (current_app.config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key, secret)
    now = time.time()
    known = signed.get(key)
    if known is not None and 0 <= now - known[0] < _reuse_seconds():
        token = known[1]
        setattr(g, field, token)  # forms on this page (Flask-WTF reads it from ``g``) agree
        return token
    token = str(generate_csrf())
    signed.put(key, (now, token))
    return token
