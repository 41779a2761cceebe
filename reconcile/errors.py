"""One error hierarchy for the reconciliation engine."""

from __future__ import annotations


class ReconcileError(Exception):
    """Root of every error the engine raises on purpose."""


class ParseError(ReconcileError):
    """A file could not be read; the message names the file, page or row and the reason."""

    def __init__(self, message: str, *, file: str | None = None, location: str | None = None):
        where = ", ".join(p for p in (file, location) if p)
        super().__init__(f"{where}: {message}" if where else message)
        self.reason = message
        self.file = file
        self.location = location


class UnsupportedFormat(ParseError):
    """The content is none of the formats the engine reads."""


class UnknownLayout(ParseError):
    """A CSV/XLS export whose columns cannot be told apart: a layout mapping is needed.

    ``preview`` holds the first rows as read (cell texts), for a person to map the columns.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        location: str | None = None,
        preview: tuple[tuple[str, ...], ...] = (),
    ):
        super().__init__(message, file=file, location=location)
        self.preview = preview


class LimitExceeded(ParseError):
    """A file broke a safety limit (size, pages, entries, time or memory)."""


class MatchError(ReconcileError):
    """Matching was given inconsistent input (e.g. an invoice of an unknown customer)."""
