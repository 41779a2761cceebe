"""Locale selection: the user's choice, then the browser's preference; Chinese or English."""

from __future__ import annotations

from flask import request, session

LANGUAGES = ("zh", "en")


def select_locale() -> str | None:
    """Return the locale for this request."""
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return str(chosen)
    return request.accept_languages.best_match(LANGUAGES, default="zh")
