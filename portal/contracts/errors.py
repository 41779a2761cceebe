"""The root of the contract register's errors."""

from __future__ import annotations

from ..errors import ConcordError


class ContractError(ConcordError):
    """A contract action was refused; the message says why."""
