"""Tuning knobs of the matching engine, as one frozen, self-validating dataclass."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import Literal

SameAmountPolicy = Literal["oldest_first", "suggest"]


def _default_fee_tolerance() -> Mapping[str, Decimal]:
    return MappingProxyType({"CNY": Decimal("50"), "USD": Decimal("35")})


@dataclass(frozen=True, kw_only=True)
class MatchSettings:
    """How sure the engine must be before it posts, suggests or gives up.

    Confidences are in ``[0, 1]``. A decision is ``matched`` (posted without a person) only when
    its confidence reaches ``auto_threshold`` and the runner-up trails it by at least
    ``min_margin``; otherwise candidates above ``suggest_threshold`` become suggestions.
    """

    auto_threshold: float = 0.93
    """Minimum confidence for an automatic application."""
    suggest_threshold: float = 0.35
    """Minimum confidence for a candidate to be offered as a suggestion."""
    min_margin: float = 0.15
    """Minimum lead of the best candidate over the runner-up for an automatic application."""
    fee_tolerance: Mapping[str, Decimal] = field(default_factory=_default_fee_tolerance)
    """Largest shortfall per currency treated as a bank charge (applied in full, written off)."""
    same_amount_policy: SameAmountPolicy = "oldest_first"
    """Several open invoices of one customer with the paid amount and no reference: apply to the
    oldest (``oldest_first``) or leave it to a person (``suggest``)."""
    own_accounts: tuple[str, ...] = ()
    """Our own bank accounts: credits from them are transfers, not customer payments."""
    own_names: tuple[str, ...] = ()
    """Our own company names as banks print them (transfers between our accounts)."""
    max_subset_size: int = 6
    """Most invoices one payment may settle when no reference names them."""
    min_subset_size: int = 2
    subset_node_budget: int = 20_000
    """Search nodes allowed per subset-sum search (keeps one payment's search bounded)."""
    max_suggestions: int = 3
    future_invoice_days: int = 7
    """An invoice issued more than this many days after a credit was booked is not applied to
    it on the amount alone (an advance, or a payment of something else); named, it is."""
    name_min_similarity: float = 0.80
    """Payer-name similarity (0..1) below which a customer is not considered at all."""

    def __post_init__(self) -> None:
        for name in ("auto_threshold", "suggest_threshold", "min_margin", "name_min_similarity"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, got {value}")
        if self.suggest_threshold > self.auto_threshold:
            raise ValueError("suggest_threshold must not exceed auto_threshold")
        if self.same_amount_policy not in ("oldest_first", "suggest"):
            raise ValueError(
                f"same_amount_policy must be 'oldest_first' or 'suggest', "
                f"got {self.same_amount_policy!r}"
            )
        if not 2 <= self.min_subset_size <= self.max_subset_size <= 12:
            raise ValueError(
                "subset sizes must satisfy 2 <= min_subset_size <= max_subset_size <= 12"
            )
        if self.future_invoice_days < 0:
            raise ValueError("future_invoice_days must not be negative")
        if self.subset_node_budget <= 0 or self.max_suggestions <= 0:
            raise ValueError("subset_node_budget and max_suggestions must be positive")
        tolerance: dict[str, Decimal] = {}
        for currency, value in self.fee_tolerance.items():
            amount = Decimal(value)
            if amount < 0:
                raise ValueError(f"fee tolerance for {currency} must not be negative")
            tolerance[currency.upper()] = amount
        object.__setattr__(self, "fee_tolerance", MappingProxyType(tolerance))
        object.__setattr__(self, "own_accounts", tuple(self.own_accounts))
        object.__setattr__(self, "own_names", tuple(self.own_names))

    def tolerance_for(self, currency: str) -> Decimal:
        """Return the bank-fee tolerance of ``currency`` (zero when none is configured)."""
        return self.fee_tolerance.get(currency.upper(), Decimal("0"))
