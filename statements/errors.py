"""The statements package's errors: everything raised here derives from :class:`StatementError`."""

from __future__ import annotations


class StatementError(Exception):
    """Root of every error raised by the statements package."""


class LedgerError(StatementError, ValueError):
    """Ledger entries or a period that cannot make a consistent statement."""


class RenderError(StatementError):
    """The statement could not be rendered to PDF."""


class PKIError(StatementError):
    """The signing keys or certificates cannot be created or loaded (e.g. wrong passphrase)."""


class SigningError(StatementError):
    """A signature could not be applied to the PDF."""


class VerificationError(StatementError):
    """The PDF could not be read for verification at all (not merely an invalid signature)."""
