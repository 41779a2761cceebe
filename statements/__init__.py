"""Statements of account: build, render, sign and verify (plain library; no Flask, no portal).

Modules: :mod:`.model` (data), :mod:`.build` (balances and aging), :mod:`.render` (PDF),
:mod:`.pki` (Concord's own CA), :mod:`.sign` (pyHanko signatures), :mod:`.verify` (offline
verification; also ``python -m statements verify``).
"""

from .errors import (
    LedgerError,
    PKIError,
    RenderError,
    SigningError,
    StatementError,
    VerificationError,
)

__all__ = [
    "LedgerError",
    "PKIError",
    "RenderError",
    "SigningError",
    "StatementError",
    "VerificationError",
]
