"""Locale selection: the user's choice, then the browser's preference; Chinese or English."""

from __future__ import annotations

from flask import has_request_context, request, session

LANGUAGES = ("zh", "en")


def select_locale() -> str | None:
    """Return the locale for this request (``None``, the default, outside a request: a CLI
    command or a job renders in the configured default language)."""
    if not has_request_context():
        return None
    if request.path.startswith("/api/"):
        # a program that does not ask for a language gets the API's documented English
        return request.accept_languages.best_match(LANGUAGES, default="en")
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return str(chosen)
    return request.accept_languages.best_match(LANGUAGES, default="zh")
