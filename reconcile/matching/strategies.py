"""Matching criteria as small strategy objects in a registry.

A candidate (one customer, the invoices to pay and how much of each) is judged by every
registered criterion; each returns a ``Reason``: a score in ``[0, 1]`` and a sentence a finance
clerk understands. The engine combines the weighted scores (noisy-OR: independent pieces of
evidence each remove part of the remaining doubt).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal, Protocol

from .messages import Message
from .records import InvoiceRecord, Reason
from .references import ReferenceHit
from .settings import MatchSettings

CHANCE_LIMIT = 0.002
"""Expected coincidental combinations above which a subset-sum match is not posted unseen."""

AmountKind = Literal["exact", "fee", "partial", "over", "subset", "same_amount"]
PayerKind = Literal[
    "account",
    "learned_account",
    "name",
    "alias",
    "learned_name",
    "fuzzy",
    "mistyped",
    "spelling",
    "in_reference",
    "on_behalf",
    "on_behalf_unsure",
]


@dataclass(frozen=True, slots=True)
class PayerEvidence:
    """Why the payer is thought to be ``customer``."""

    customer: str
    kind: PayerKind
    similarity: float
    message: Message

    @property
    def text(self) -> str:
        """The English sentence of the evidence."""
        return self.message.text

    @property
    def strong(self) -> bool:
        """True for an account or an exact name: enough to say who paid."""
        if self.kind == "on_behalf_unsure":
            return False
        return self.kind not in ("fuzzy", "mistyped") or self.similarity >= 0.999


@dataclass(frozen=True, slots=True)
class BehalfDoubt:
    """A text that pays on behalf of someone it names by a short name several customers share
    (``among``), or by a name no customer has (``among`` empty)."""

    message: Message
    among: frozenset[str] = frozenset()
    several: bool = False
    """The text names every one of ``among`` in full: it pays on behalf of them all."""


@dataclass(frozen=True, slots=True)
class AmbiguousNumber:
    """A number written short ("发票号123", "INV 1234") that fits several open invoices of one
    customer (``numbers``), or open invoices of several customers none of whom the payer is
    known to be (``customer`` None): which of them it names is for a person to say."""

    customer: str | None
    numbers: frozenset[str]
    message: Message


@dataclass(slots=True)
class Candidate:
    """One way to apply a payment: a customer, allocations and the evidence for them."""

    customer: str
    allocations: list[tuple[InvoiceRecord, Decimal]]
    amount_kind: AmountKind
    amount_parts: list[Message]
    write_off: Decimal | None = None
    ref_hits: dict[str, ReferenceHit] = field(default_factory=dict)
    po_hits: dict[str, str] = field(default_factory=dict)
    alternatives: int = 0
    """Other combinations that fit the amount as well (subset-sum ties)."""
    plausibility: float = 1.0
    """Factor below 1 for shapes that are rarely right (an overpayment of several times)."""
    chance: float = 0.0
    """Expected number of other invoice combinations with the same total (subset-sum)."""
    confidence: float = 0.0
    reasons: list[Reason] = field(default_factory=list)
    rank: int = 0
    """Its place among the combinations of one search that fit the amount, best first."""

    @property
    def amount_text(self) -> str:
        """What the amount says, in English."""
        return "; ".join(p.text for p in self.amount_parts)

    @property
    def key(self) -> tuple[str, frozenset[str]]:
        """Identity: the customer and the set of invoices."""
        return self.customer, frozenset(inv.number for inv, _ in self.allocations)

    @property
    def referenced(self) -> bool:
        """True when the reference names at least one allocated invoice or its PO."""
        return any(h.kind in ("exact", "sequence") for h in self.ref_hits.values()) or bool(
            self.po_hits
        )


@dataclass(slots=True)
class CaseFacts:
    """What the criteria may look at besides the candidate."""

    settings: MatchSettings
    payers: dict[str, PayerEvidence]
    strong_payer: str | None
    """The one customer the payer's account or exact name points at, if any."""
    currency: str
    booking_date: dt.date | None = None
    """When the bank booked the credit (an invoice issued well after it is hardly its)."""
    behalf_doubt: BehalfDoubt | None = None
    """Whom the text pays on behalf of, when it cannot be told for sure."""
    ambiguous: list[AmbiguousNumber] = field(default_factory=list)
    """The short numbers of the text that fit several open invoices of a customer."""


class Criterion(Protocol):
    """A matching criterion: judges a candidate, returns a reason or None (not applicable)."""

    name: str
    weight: float

    def evaluate(self, candidate: Candidate, facts: CaseFacts) -> Reason | None: ...


_REGISTRY: dict[str, Criterion] = {}


def register(criterion: Criterion) -> Criterion:
    """Add ``criterion`` to the registry (replacing one of the same name)."""
    _REGISTRY[criterion.name] = criterion
    return criterion


def criteria() -> list[Criterion]:
    """Return the registered criteria in registration order."""
    return list(_REGISTRY.values())


def _listing(items: Iterable[Message], limit: int = 3) -> tuple[Message, ...]:
    items = list(items)
    if len(items) <= limit:
        return tuple(items)
    return (*items[:limit], Message.of("and_more", count=len(items) - limit))


_HIT_STRENGTH = {"exact": 1.0, "sequence": 0.85, "bare": 0.5, "typo": 0.6}


_REPLY_STRENGTH = 0.5
"""What one number after "Re:" alone says of an invoice of a customer the payer is not known as."""


def _lone_reply(hit: ReferenceHit, candidate: Candidate) -> bool:
    """True when ``hit`` is a number written short after "Re:" alone and the only number the
    reference names of the candidate (several such numbers of one customer's invoices, adding
    up to the amount, agree with each other)."""
    return hit.kind == "sequence" and hit.mention.reply and len(candidate.ref_hits) == 1


class _NamedInvoicesCriterion:
    """A criterion on the numbers the reference names: not applicable when it names none,
    else the share of the allocated invoices it names, each counted by how surely it names
    it (``strength``), with what it found listed."""

    name: str
    weight: float

    def evaluate(self, candidate: Candidate, facts: CaseFacts) -> Reason | None:
        found = self.found(candidate)
        if not found:
            return None
        total = sum(self.strength(inv, candidate, facts) for inv, _ in candidate.allocations)
        score = total / max(len(candidate.allocations), 1)
        return Reason.of(self.name, score, *_listing(found))

    def found(self, candidate: Candidate) -> list[Message]:
        """What the reference names, one message each (empty: the criterion does not apply)."""
        raise NotImplementedError

    def strength(self, invoice: InvoiceRecord, candidate: Candidate, facts: CaseFacts) -> float:
        """How surely the reference names ``invoice``: 0 when it does not."""
        raise NotImplementedError


class InvoiceReferenceCriterion(_NamedInvoicesCriterion):
    """The reference names the invoices (exactly, by sequence, or with a typo)."""

    name = "invoice_reference"
    weight = 0.92

    def found(self, candidate: Candidate) -> list[Message]:
        return [h.describe() for h in candidate.ref_hits.values()]

    def strength(self, invoice: InvoiceRecord, candidate: Candidate, facts: CaseFacts) -> float:
        hit = candidate.ref_hits.get(invoice.number)
        if hit is None:
            return 0.0
        payer_agrees = candidate.customer in facts.payers
        amount_agrees = candidate.amount_kind in ("exact", "fee", "subset", "same_amount")
        # a typo or a bare number counts only when amount and payer confirm it
        if hit.kind in ("typo", "bare") and not (amount_agrees and payer_agrees):
            return 0.1
        if _lone_reply(hit, candidate) and not payer_agrees:
            # "Re: 1234" from a payer we do not know: a reply's number (an order, a
            # ticket) fits some invoice's tail by chance too often to post on the amount
            # alone; it is offered
            return _REPLY_STRENGTH
        return _HIT_STRENGTH[hit.kind]


class PoReferenceCriterion(_NamedInvoicesCriterion):
    """The reference carries the customer's purchase-order number."""

    name = "po_number"
    weight = 0.88

    def found(self, candidate: Candidate) -> list[Message]:
        return [
            Message.of("ref_po", written=written, invoice=number)
            for number, written in candidate.po_hits.items()
        ]

    def strength(self, invoice: InvoiceRecord, candidate: Candidate, facts: CaseFacts) -> float:
        return 1.0 if invoice.number in candidate.po_hits else 0.0


#: the score of a payer known by name, alias or learned name, and of any kind not below
_NAME_WEIGHT = 0.85
# an account (given or learned) is surer than a name; a spelling (pinyin of a Chinese name, or
# a person's name in another order or with initials) or a name inside the remittance text less
_PAYER_WEIGHT: dict[str, float] = {
    "account": 0.9,
    "learned_account": 0.9,
    "spelling": 0.8,
    "in_reference": 0.8,
    "on_behalf": 0.8,
    # one of several customers whose short name the text gives: a hint, never enough alone
    "on_behalf_unsure": 0.5,
}


_OVER_AMONG_LOOKALIKES = 0.6
"""The payer score of an overpayment of a customer whose name is one character off the
payer's, when the payer's name is like another customer's too (a name one character off one
customer and like another's besides is never posted unseen on its strength)."""


def _pins_down(candidate: Candidate) -> bool:
    """True when the amount alone singles out one invoice, with no rival reading: exactly its
    open amount, of an invoice with cents or odd yuan (a round figure is paid by many); or a
    little more than it and no other, of any invoice (an overpayment is only ever offered, so
    a round invoice is no risk: 525.00 for 500.00)."""
    if candidate.amount_kind not in ("exact", "over") or candidate.alternatives:
        return False
    if candidate.chance:
        return False
    if len(candidate.allocations) != 1:
        return False
    return candidate.amount_kind == "over" or candidate.allocations[0][1] % 100 != 0


class PayerCriterion:
    """The payer's account or name belongs to the candidate's customer."""

    name = "payer"
    weight = 1.0

    def evaluate(self, candidate: Candidate, facts: CaseFacts) -> Reason | None:
        evidence = facts.payers.get(candidate.customer)
        if evidence is None:
            if facts.strong_payer and facts.strong_payer != candidate.customer:
                other = facts.payers[facts.strong_payer]
                return Reason.of(self.name, 0.0, other.message, Message.of("third_party"))
            return Reason.coded(self.name, 0.0, "payer_not_known")
        if evidence.kind == "mistyped" and _pins_down(candidate):
            if len(facts.payers) == 1:
                # one character off the customer's name, and the amount is the open amount of
                # one invoice to the cent (or a little more than it alone): together as good
                # as the name spelt right
                return Reason.of(self.name, 0.8, evidence.message)
            if candidate.amount_kind == "over":
                # the name is like another customer's too: an overpayment is still offered,
                # but below a reading of the other's that the amount fits to the cent
                return Reason.of(self.name, _OVER_AMONG_LOOKALIKES, evidence.message)
        if evidence.kind in ("fuzzy", "mistyped") and evidence.similarity < 0.999:
            # 0.75 similar is barely a hint, 1.0 is as good as an exact name
            score = _NAME_WEIGHT * max(0.0, (evidence.similarity - 0.75) / 0.25)
        else:
            score = _PAYER_WEIGHT.get(evidence.kind, _NAME_WEIGHT)
        return Reason.of(self.name, score, evidence.message)


_AMOUNT_SCORE: dict[str, float] = {
    "exact": 1.0,
    "fee": 0.9,
    "subset": 0.85,
    "same_amount": 0.85,
    "partial": 0.0,
    "over": 0.0,
}


def _settled_by_policy(candidate: Candidate, facts: CaseFacts) -> bool:
    """True when the same-amount policy picked the invoice (the oldest, no alternatives
    offered) of the customer the payer surely is: which of identical invoices it pays is the
    policy's to say, so the amount fits as exactly as on a single invoice, however the payer
    was identified (a name from the bank, or a code or account in the text)."""
    return not candidate.alternatives and candidate.customer == facts.strong_payer


class AmountCriterion:
    """The amount equals the open amount of the invoices (or falls short by a bank fee)."""

    name = "amount"
    weight = 0.7

    def evaluate(self, candidate: Candidate, facts: CaseFacts) -> Reason | None:
        score = _AMOUNT_SCORE[candidate.amount_kind]
        if candidate.amount_kind == "same_amount" and _settled_by_policy(candidate, facts):
            score = _AMOUNT_SCORE["exact"]
        if candidate.alternatives:
            score *= 0.5
        if candidate.chance >= CHANCE_LIMIT:
            # so many open invoices that some combination hits the total by coincidence
            score *= 0.5 if candidate.chance < 0.05 else 0.2
        return Reason.of(self.name, score, *candidate.amount_parts)


for _criterion in (
    InvoiceReferenceCriterion(),
    PoReferenceCriterion(),
    PayerCriterion(),
    AmountCriterion(),
):
    register(_criterion)


def combine(candidate: Candidate, facts: CaseFacts) -> float:
    """Score ``candidate`` with every criterion; fill its reasons; return its confidence."""
    doubt = 1.0
    reasons: list[Reason] = []
    for criterion in criteria():
        reason = criterion.evaluate(candidate, facts)
        if reason is None:
            continue
        reasons.append(reason)
        doubt *= 1.0 - criterion.weight * max(0.0, min(1.0, reason.score))
    confidence = (1.0 - doubt) * candidate.plausibility
    # a payer known to be someone else, with an amount that does not fit, is a warning sign
    if (
        facts.strong_payer
        and facts.strong_payer != candidate.customer
        and (
            candidate.amount_kind in ("partial", "over")
            or any(h.kind in ("typo", "bare") for h in candidate.ref_hits.values())
        )
    ):
        confidence *= 0.7
    late = _issued_after_payment(candidate, facts)
    if late:
        # an invoice issued after the money came is paid by it only if the payer says so
        confidence *= 0.7
        reasons.append(
            Reason.coded(
                "date",
                0.0,
                "issued_after_payment",
                invoices=", ".join(late),
                date=str(facts.booking_date),
            )
        )
    candidate.reasons = reasons
    candidate.confidence = confidence
    return confidence


def _issued_after_payment(candidate: Candidate, facts: CaseFacts) -> list[str]:
    """The candidate's invoices, when nothing names them and every one was issued more than
    ``future_invoice_days`` after the credit was booked; else ``[]``."""
    if facts.booking_date is None or candidate.ref_hits or candidate.po_hits:
        return []
    grace = dt.timedelta(days=facts.settings.future_invoice_days)
    if all(inv.issue_date > facts.booking_date + grace for inv, _ in candidate.allocations):
        return [inv.number for inv, _ in candidate.allocations]
    return []
