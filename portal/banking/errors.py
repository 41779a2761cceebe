"""The banking domain's errors; views turn them into flash messages."""

from __future__ import annotations

from ..errors import ConcordError


class BankingError(ConcordError):
    """Root of the errors the banking services raise on purpose."""


class ConcurrentChange(BankingError):
    """Someone else changed the transaction since this page was loaded."""

    status = 409


class ActionRefused(BankingError):
    """The action does not fit the transaction (wrong status, amounts, limits...)."""
