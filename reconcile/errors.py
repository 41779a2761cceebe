"""One error hierarchy for the reconciliation engine."""

from __future__ import annotations

from .problems import Problem


class ReconcileError(Exception):
    """Root of every error the engine raises on purpose."""


class ParseError(ReconcileError):
    """A file could not be read; the message names the file, page or row and the reason.

    ``message`` is a :class:`~reconcile.problems.Problem` (a coded English sentence) for every
    error the parsers raise; a problem that already names its file and location keeps them
    unless ``file`` or ``location`` are given. :attr:`problem` is the whole message, coded.
    """

    def __init__(self, message: str, *, file: str | None = None, location: str | None = None):
        if isinstance(message, Problem):
            file, location = file or message.file, location or message.location
            reason: str = Problem(message.code, message.params)
            self.problem: Problem | None = Problem(message.code, message.params, file, location)
        else:
            reason, self.problem = message, None
        where = ", ".join(p for p in (file, location) if p)
        super().__init__(f"{where}: {reason}" if where else reason)
        self.reason = reason
        self.file = file
        self.location = location

    @property
    def text(self) -> str:
        """The whole message: :attr:`problem` when coded, else the plain text."""
        return self.problem if self.problem is not None else str(self)


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
