"""The ledger's errors: each names the rule an operation would break."""

from __future__ import annotations

from ..errors import ConcordError


class LedgerError(ConcordError):
    """Root of the errors the ledger raises on purpose; the message is for the user."""


class InvalidAmount(LedgerError):
    """An amount that is zero, negative or has more than two decimals."""


class CurrencyMismatch(LedgerError):
    """Money in one currency applied to something in another: currencies never mix."""


class OverApplied(LedgerError):
    """More than the receipt has left unapplied."""


class ExceedsOpen(LedgerError):
    """More than the invoice has open (or the invoice is cancelled)."""


class OverLimit(LedgerError):
    """A write-off over the configured limit for its currency."""


class WrongCustomer(LedgerError):
    """The receipt already belongs to another customer than the invoice."""


class AlreadyReversed(LedgerError):
    """The record is a reversal itself or has been reversed already."""
