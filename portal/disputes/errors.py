"""What the dispute services refuse, with a message for the user."""

from __future__ import annotations

from ..errors import ConcordError


class DisputeError(ConcordError):
    """Root of the dispute errors (messages are shown to the user)."""


class NotDisputable(DisputeError):
    """The statement or line cannot be disputed (confirmed, superseded, already disputed)."""


class InvalidClaim(DisputeError):
    """A line claim is not acceptable (amount out of range, line of another statement)."""


class AttachmentRejected(DisputeError):
    """An uploaded file is too large, empty or not a PDF, PNG or JPEG."""


class NumberUnavailable(DisputeError):
    """Concurrent transactions kept taking the next dispute or credit-note number."""
