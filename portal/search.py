"""Text search in lists: what a user types, matched as a substring of any of some columns."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, or_


def like_pattern(text: str) -> str:
    """``%text%`` for LIKE, with ``\\``, ``%`` and ``_`` in ``text`` matched literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def contains_any(text: str, *columns: Any) -> ColumnElement[bool]:
    """Any of ``columns`` contains ``text``, whatever the case (ILIKE)."""
    pattern = like_pattern(text)
    return or_(*(column.ilike(pattern, escape="\\") for column in columns))
