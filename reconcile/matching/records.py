"""The engine's plain input and output records."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from ..model import Transaction

Status = Literal["matched", "suggested", "unmatched", "ignored", "duplicate"]
STATUSES: tuple[Status, ...] = ("matched", "suggested", "unmatched", "ignored", "duplicate")


def money(value: Decimal) -> str:
    """Format an amount the way the CLI contract wants it: ``"1234.50"``."""
    return f"{value:.2f}"


@dataclass(frozen=True, slots=True)
class CustomerRecord:
    """A customer as the ERP exports it."""

    code: str
    name: str
    aliases: tuple[str, ...] = ()
    bank_accounts: tuple[str, ...] = ()
    currency: str = "CNY"


@dataclass(frozen=True, slots=True)
class InvoiceRecord:
    """An invoice as the ERP exports it; ``open_amount`` is what is still unpaid."""

    number: str
    customer: str
    issue_date: dt.date
    due_date: dt.date
    currency: str
    amount: Decimal
    open_amount: Decimal
    po_number: str | None = None


@dataclass(frozen=True, slots=True)
class LearnedPayer:
    """A payer name and/or account that finance confirmed as paying for ``customer``."""

    customer: str
    payer_name: str | None = None
    payer_account: str | None = None


@dataclass(frozen=True, slots=True)
class ProposedAllocation:
    """``amount`` of a payment applied to invoice ``invoice``."""

    invoice: str
    amount: Decimal

    def to_json(self) -> dict[str, Any]:
        """Return ``{"invoice", "amount"}`` with the amount as a string."""
        return {"invoice": self.invoice, "amount": money(self.amount)}


@dataclass(frozen=True, slots=True)
class Reason:
    """One criterion's verdict: its score in ``[0, 1]`` and a sentence a clerk understands."""

    criterion: str
    score: float
    text: str

    def to_json(self) -> dict[str, Any]:
        """Return ``{"criterion", "score", "text"}``."""
        return {"criterion": self.criterion, "score": round(self.score, 3), "text": self.text}


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A candidate application offered to a person, with its confidence and reasons."""

    customer: str | None
    allocations: tuple[ProposedAllocation, ...]
    confidence: float
    reasons: tuple[Reason, ...]
    write_off: Decimal | None = None

    def to_json(self) -> dict[str, Any]:
        """Return the suggestion in the CLI contract's shape."""
        return {
            "customer": self.customer,
            "allocations": [a.to_json() for a in self.allocations],
            "confidence": round(self.confidence, 3),
            "reasons": [r.to_json() for r in self.reasons],
        }


@dataclass(slots=True)
class MatchDecision:
    """What the engine decided for one transaction."""

    transaction: Transaction
    status: Status
    customer: str | None = None
    allocations: list[ProposedAllocation] = field(default_factory=list)
    write_off: Decimal | None = None
    confidence: float = 0.0
    reasons: list[Reason] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)

    @property
    def allocated(self) -> Decimal:
        """Total of the allocations."""
        return sum((a.amount for a in self.allocations), Decimal("0"))

    def settled(self) -> dict[str, Decimal]:
        """Return what each invoice is relieved of: its allocation, plus the write-off (a bank
        charge) on the last allocated invoice."""
        out: dict[str, Decimal] = {}
        for a in self.allocations:
            out[a.invoice] = out.get(a.invoice, Decimal("0")) + a.amount
        if self.write_off and self.allocations:
            last = self.allocations[-1].invoice
            out[last] += self.write_off
        return out

    @property
    def unapplied(self) -> Decimal:
        """Part of a matched payment left on the customer's account (an overpayment)."""
        if self.status != "matched":
            return Decimal("0")
        return self.transaction.amount - self.allocated

    def to_json(self) -> dict[str, Any]:
        """Return the transaction and its decision in the CLI contract's shape."""
        t = self.transaction
        return {
            "bank_ref": t.bank_ref,
            "date": t.booking_date.isoformat(),
            "amount": money(t.amount),
            "currency": t.currency,
            "direction": t.direction,
            "payer_name": t.payer_name,
            "payer_account": t.payer_account,
            "reference": t.reference,
            "source": t.source,
            "status": self.status,
            "customer": self.customer,
            "allocations": [a.to_json() for a in self.allocations],
            "write_off": money(self.write_off) if self.write_off is not None else None,
            "confidence": round(min(max(self.confidence, 0.0), 1.0), 3),
            "reasons": [r.to_json() for r in self.reasons],
            "suggestions": [s.to_json() for s in self.suggestions],
        }
