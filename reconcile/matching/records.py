"""The engine's plain input and output records."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from ..currency import amount_text
from ..model import Transaction
from .messages import Message

Status = Literal["matched", "suggested", "unmatched", "ignored", "duplicate"]
STATUSES: tuple[Status, ...] = ("matched", "suggested", "unmatched", "ignored", "duplicate")


def money(value: Decimal) -> str:
    """Format an amount the way the CLI contract wants it: ``"1234.50"`` (``"40.125"`` when the
    amount has a third decimal, a dinar's fils)."""
    return amount_text(value, None)


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
    """One criterion's verdict: its score in ``[0, 1]``, what it found as coded ``parts`` (for
    the reader's language) and the same in English (``text``, for the CLI and logs)."""

    criterion: str
    score: float
    text: str
    parts: tuple[Message, ...] = ()

    @classmethod
    def of(cls, criterion: str, score: float, *parts: Message) -> Reason:
        """Return the reason made of ``parts``; its English text joins theirs with ``"; "``."""
        return cls(criterion, score, "; ".join(p.text for p in parts), parts)

    @classmethod
    def coded(cls, criterion: str, score: float, code: str, /, **params: object) -> Reason:
        """Return the reason of one message ``code`` with ``params``."""
        return cls.of(criterion, score, Message.of(code, **params))

    def to_json(self, *, structured: bool = False) -> dict[str, Any]:
        """Return ``{"criterion", "score", "text"}`` (the CLI contract's shape); ``structured``
        adds ``parts``, every ``{"code", "params"}``, for a reader in another language."""
        out: dict[str, Any] = {
            "criterion": self.criterion,
            "score": round(self.score, 3),
            "text": self.text,
        }
        if structured and self.parts:
            out["parts"] = [p.to_json() for p in self.parts]
        return out


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A candidate application offered to a person, with its confidence and reasons."""

    customer: str | None
    allocations: tuple[ProposedAllocation, ...]
    confidence: float
    reasons: tuple[Reason, ...]
    write_off: Decimal | None = None

    def to_json(self, *, structured: bool = False) -> dict[str, Any]:
        """Return the suggestion in the CLI contract's shape (see ``Reason.to_json``)."""
        return {
            "customer": self.customer,
            "allocations": [a.to_json() for a in self.allocations],
            "confidence": round(self.confidence, 3),
            "reasons": [r.to_json(structured=structured) for r in self.reasons],
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

    def to_json(self, *, structured: bool = False) -> dict[str, Any]:
        """Return the transaction and its decision in the CLI contract's shape (see
        ``Reason.to_json``)."""
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
            "reasons": [r.to_json(structured=structured) for r in self.reasons],
            "suggestions": [s.to_json(structured=structured) for s in self.suggestions],
        }
