"""Judge one bank credit: who paid, which invoices it may pay, matched or suggested.

:class:`Matcher` gathers the candidates (what the reference names, the typos of it, the amount
among the payer's invoices), scores and ranks them, and decides. Running it over a batch is
:mod:`reconcile.matching.run`; identifying the payer is :mod:`~reconcile.matching.payers`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from ..classify import category_from_text, says_partial
from ..model import Transaction
from ..own import OwnParty
from .amounts import AmountMixin
from .book import Book, fmt, units
from .messages import Message
from .named import face_value
from .names import name_key
from .other_numbers import Numbering, Written, offer_notes, reference_notes, written_numbers
from .payers import PayerMixin
from .records import (
    InvoiceRecord,
    MatchDecision,
    ProposedAllocation,
    Reason,
    Suggestion,
)
from .references import ReferenceHit
from .settings import MatchSettings
from .short_names import ShortNames
from .spellings import SpellingIndex
from .strategies import (
    BehalfDoubt,
    Candidate,
    CaseFacts,
    combine,
)

ZERO = Decimal("0")


class Matcher(PayerMixin, AmountMixin):
    """Judges single transactions against a ``Book`` with given settings."""

    def __init__(self, book: Book, settings: MatchSettings) -> None:
        self.book = book
        self.settings = settings
        self.own = OwnParty.of(settings.own_accounts, settings.own_names)
        self.own_names = {name_key(n) for n in settings.own_names if name_key(n)}
        self._hits: dict[str, list[ReferenceHit]] = {}
        self._spellings: SpellingIndex | None = None
        self._short_names: ShortNames | None = None
        self._numbering: Numbering | None = None

    def candidates(
        self,
        tx: Transaction,
        facts: CaseFacts,
        notes: list[Reason],
        conflicts: list[InvoiceRecord] | None = None,
    ) -> list[Candidate]:
        """Return every plausible candidate for the credit ``tx``, scored.

        :param notes: receives remarks on the reference that no candidate carries.
        :param conflicts: receives the invoices the reference clearly names that cannot take
            the payment (in another currency, or already paid).
        """
        found = Found(facts)
        named = self.reference_hits(tx, facts, notes, [] if conflicts is None else conflicts)
        for customer, (hits, pos) in named.items():
            numbers = set(hits) | set(pos)
            invoices = [self.book.invoices[n] for n in numbers]
            strong = [self.book.invoices[n] for n in numbers if n in pos or hits[n].kind != "bare"]
            found.add(self._from_invoices(tx, customer, strong or invoices, hits, pos))
            if strong and len(strong) < len(invoices):
                found.add(self._from_invoices(tx, customer, invoices, hits, pos))
        # the amount confirms a named invoice of the payer's own (or of an unknown payer):
        # no need to look for typos. A named invoice of *another* customer than the one the
        # payer is known to be may be a typo that spells an existing number: look anyway
        amount_agrees = any(
            c.amount_kind in ("exact", "fee", "subset")
            and (facts.strong_payer is None or c.customer == facts.strong_payer)
            for c in found.values()
        )
        if tx.reference and not amount_agrees:
            self._typos(tx, facts, found)
        payer_codes = sorted(facts.payers, key=lambda code: -facts.payers[code].similarity)[:4]
        for code in payer_codes:
            found.add(self._by_amount(tx, code))
        if not any(c.confidence >= self.settings.auto_threshold for c in found.values()):
            self._same_amount_hints(tx, found)
        return _ranked(list(found.values()), facts)

    def _typos(self, tx: Transaction, facts: CaseFacts, found: Found) -> None:
        """Add the invoices one typo away from a number in the reference, where they fit."""
        book = self.book
        # a payer we do not know at all (a third party) may have mistyped the number too: an
        # exact amount on the neighbour is then worth offering (the typo alone never posts
        # without the payer's agreement)
        unknown_payer = not facts.payers
        # a payer naming several of their own open invoices copied the numbers from their
        # ledger: none of them is a typo of a sibling that happens to have the amount
        named = {
            (c.customer, number)
            for c in found.values()
            for number, hit in c.ref_hits.items()
            if hit.kind in ("exact", "sequence")
        }
        listed = {customer for customer, _ in named if sum(k == customer for k, _ in named) > 1}
        for hit in book.numbers.typo_hits(tx.reference or ""):
            inv = hit.invoice
            if inv.currency != tx.currency or not (unknown_payer or inv.customer in facts.payers):
                continue
            if inv.customer in listed:
                continue
            fit = self._amount_fit(book.open_amount(inv), tx.amount, tx.currency)
            if fit is None or (unknown_payer and fit[0] != "exact"):
                continue
            typos = self._from_invoices(tx, inv.customer, [inv], {inv.number: hit}, {})
            found.add(typos)
            if fit[0] == "exact":
                confidence = max((found[t.key].confidence for t in typos), default=0.0)
                _prefer_exact_typo(tx, facts, found, inv, confidence)

    def _same_amount_hints(self, tx: Transaction, found: Found) -> None:
        """Nothing certain: an invoice with exactly this open amount is a hint (and a rival to
        a weak candidate built on a vaguely similar name)."""
        book = self.book
        # a payer whose invoices of this amount the same-amount policy has read: its other
        # invoices of the amount are no rivals of the one the policy chose
        settled = {c.customer for c in found.values() if c.amount_kind == "same_amount"}
        same = [
            i
            for i in book.by_amount.get((tx.currency, units(tx.amount)), ())
            if book.open_amount(i) == tx.amount and i.customer not in settled
        ]
        if 0 < len(same) <= 3:
            for inv in same:
                # a hint never overrides what the payer's own candidates say (a policy)
                found.add(self._from_invoices(tx, inv.customer, [inv], {}, {}), replace=False)

    # ------------------------------------------------------------------ decision

    def decide(self, tx: Transaction) -> MatchDecision:
        """Return the decision for one transaction (duplicates are handled by the caller)."""
        settings = self.settings
        marked = _marked_no_payment(tx)
        if marked is not None:
            return marked
        if self.own.is_own_account(tx.payer_account):
            tx.category = "own_transfer"
            return _ignored(tx, "own_account", "own_account")
        if tx.payer_name and (
            self.own.is_own_name(tx.payer_name) or name_key(tx.payer_name) in self.own_names
        ):
            tx.category = "own_transfer"
            return _ignored(tx, "own_account", "own_company")
        payers, strong, doubt = self.payers(tx)
        facts = CaseFacts(settings, payers, strong, tx.currency, tx.booking_date, doubt)
        notes: list[Reason] = []
        conflicts: list[InvoiceRecord] = []
        cands = self.candidates(tx, facts, notes, conflicts)
        good = [c for c in cands if c.confidence >= settings.suggest_threshold]
        self._note_other_numbers(tx, good)
        if not good:
            category = "" if strong else category_from_text(tx.reference)
            if category:
                # interest, a refund or a reversal the bank wrote in words: not a customer's
                return _not_a_customer_payment(tx, category, "text")
            reasons = list(notes)
            customer = strong
            oldest = self._oldest_first(tx, strong) if strong else None
            if oldest is not None:
                return self._offer_noted(tx, oldest)
            if strong:
                reasons.append(Reason.of("payer", 1.0, payers[strong].message))
                reasons.append(
                    Reason.coded(
                        "amount",
                        0.0,
                        "no_fit",
                        currency=tx.currency,
                        customer=strong,
                        amount=fmt(tx.amount),
                    )
                )
            elif doubt is not None:
                reasons.append(Reason.of("payer", 0.0, doubt.message))
                offers = self.behalf_split(tx, doubt) or self.behalf_offers(tx, doubt)
                if offers:
                    return MatchDecision(
                        tx, "suggested", confidence=offers[0].confidence, reasons=reasons,
                        suggestions=offers,
                    )  # fmt: skip
            elif not reasons:
                reasons.append(
                    Reason.coded(
                        "payer",
                        0.0,
                        "payer_unknown",
                    )
                )
            return MatchDecision(tx, "unmatched", customer=customer, reasons=reasons)
        best = good[0]
        runner_up = next((c for c in good[1:] if c.key != best.key), None)
        margin = best.confidence - (runner_up.confidence if runner_up else 0.0)
        # the payer named an invoice of this very customer that cannot take the payment (another
        # currency, already paid): applying it elsewhere unseen, even to a number one typo away,
        # would contradict what the payer wrote. (A named invoice of another customer is the
        # typo that spells an existing number, which amount and payer settle.)
        blocking = [i.number for i in conflicts if i.customer == best.customer]
        contradicted = bool(blocking) and not best.referenced
        rival = _own_rival(best, good, facts)
        paid_for = _paid_for_another(best, facts)
        unsure = _unsure_for_whom(best, facts) or _ambiguous_number(best, facts)
        if (
            best.confidence >= settings.auto_threshold
            and margin >= settings.min_margin
            and not contradicted
            and rival is None
            and paid_for is None
            and unsure is None
        ):
            allocations = [ProposedAllocation(i.number, a) for i, a in best.allocations]
            reasons = best.reasons + notes
            if runner_up is not None:
                reasons.append(
                    Reason.coded(
                        "margin",
                        margin,
                        "runner_up",
                        customer=runner_up.customer,
                        invoices=", ".join(i.number for i, _ in runner_up.allocations),
                        score=f"{runner_up.confidence:.2f}",
                    )
                )
            return MatchDecision(
                tx,
                "matched",
                customer=best.customer,
                allocations=allocations,
                write_off=best.write_off,
                confidence=best.confidence,
                reasons=reasons,
            )
        suggestions = [
            Suggestion(
                c.customer,
                tuple(ProposedAllocation(i.number, a) for i, a in c.allocations),
                c.confidence,
                tuple(c.reasons),
                c.write_off,
            )
            for c in good[: settings.max_suggestions]
        ]
        suggestions = self._named_for_too(tx, doubt, suggestions)
        close = runner_up is not None and margin < settings.min_margin
        why = (
            Reason.of("decision", best.confidence, unsure)
            if unsure is not None
            else _why_suggested(
                best, settings, close, len(good), blocking if contradicted else [], rival, paid_for
            )
        )
        customers = {s.customer for s in suggestions}
        return MatchDecision(
            tx,
            "suggested",
            customer=best.customer if len(customers) == 1 else None,
            confidence=max(best.confidence, suggestions[0].confidence),
            reasons=[*notes, why],
            suggestions=suggestions,
        )

    def _note_other_numbers(self, tx: Transaction, good: list[Candidate]) -> None:
        """Add to the reasons of the candidates to be shown that nothing of the reference
        names what the reference's invoice numbers say of them (``other_numbers``)."""
        if not good:
            return
        numbers = self._reference_numbers(tx)
        for c in good[: max(self.settings.max_suggestions, 1)]:
            c.reasons.extend(reference_notes(self.book, self._numbering_of_book(), numbers, c))

    def _numbering_of_book(self) -> Numbering:
        if self._numbering is None:
            self._numbering = Numbering(list(self.book.invoices.values()))
        return self._numbering

    def _reference_numbers(self, tx: Transaction) -> list[Written]:
        """The invoice-like numbers the reference writes (``other_numbers.written_numbers``)."""
        if not tx.reference:
            return []
        return written_numbers(self.book, self._numbering_of_book(), tx.reference)

    def _offer_noted(self, tx: Transaction, offer: MatchDecision) -> MatchDecision:
        """``offer`` (of a customer's oldest open items) with what the reference's invoice
        numbers say of it: one typo from an invoice paid already, or no invoice at all."""
        numbers = self._reference_numbers(tx)
        if not numbers or not offer.suggestions:
            return offer
        first = offer.suggestions[0]
        paid = [self.book.invoices[a.invoice] for a in first.allocations]
        notes = offer_notes(
            self.book, self._numbering_of_book(), numbers, str(first.customer), paid
        )
        if notes:
            offer.suggestions[0] = dataclasses.replace(first, reasons=(*first.reasons, *notes))
            offer.reasons.extend(notes)
        return offer

    def _named_for_too(
        self, tx: Transaction, doubt: BehalfDoubt | None, suggestions: list[Suggestion]
    ) -> list[Suggestion]:
        """``suggestions``, and when a text pays on behalf of several customers it names, what
        it may pay of each of them that no suggestion is for (no invoice of theirs fits the
        amount; or an invoice of another customer has it): first the split of the amount over
        their invoices, when no invoice or combination of one of them is the amount."""
        if doubt is None:
            return suggestions
        fits = any(
            s.customer in doubt.among and sum(a.amount for a in s.allocations) == tx.amount
            for s in suggestions
        )
        split = [] if fits else self.behalf_split(tx, doubt)
        if split:
            others = [s for s in suggestions if s.customer not in doubt.among]
            return (split + others)[: max(self.settings.max_suggestions, len(split))]
        offered = {s.customer for s in suggestions if s.customer is not None}
        return suggestions + self.behalf_offers(tx, doubt, offered)


class Found(dict[tuple[str, frozenset[str]], Candidate]):
    """The candidates of one credit by identity, each scored when it is added."""

    def __init__(self, facts: CaseFacts) -> None:
        super().__init__()
        self.facts = facts

    def add(self, cands: Iterable[Candidate], *, replace: bool = True) -> None:
        """Score ``cands``; keep each unless one as confident or more is already there."""
        for c in cands:
            combine(c, self.facts)
            old = self.get(c.key)
            if old is None or (replace and c.confidence > old.confidence):
                self[c.key] = c


def _prefer_exact_typo(
    tx: Transaction, facts: CaseFacts, found: Found, typo: InvoiceRecord, confidence: float
) -> None:
    """Rank an exact amount on the number one typo away above a part or overpayment of the
    number as written (``confidence``: the typo's candidate), unless the text says it pays a
    part: then the number as written is meant."""
    if says_partial(tx.reference):
        _prefer_named_partial(facts, found, typo)
        return
    # a round amount may well be a partial payment, so then both stay open for a person
    factor = 0.75 if tx.amount % 100 != 0 else 0.97
    unknown_payer = not facts.payers
    ceiling = confidence - 0.01
    for c in found.values():
        if (
            (c.customer == typo.customer or unknown_payer)
            and c.amount_kind in ("partial", "over")
            # the face value of the invoice as written is as exact as the typo
            and face_value([i for i, _ in c.allocations]) != tx.amount
        ):
            c.plausibility *= factor
            combine(c, facts)
            if unknown_payer and c.customer != typo.customer and c.confidence > ceiling > 0:
                # nothing tells whose payment it is: the exact amount on the typo comes first,
                # both within reach of each other for a person
                c.plausibility *= ceiling / c.confidence
                combine(c, facts)


def _prefer_named_partial(facts: CaseFacts, found: Found, typo: InvoiceRecord) -> None:
    """Rank the part payment of the invoice the text names above the exact amount on the
    number one typo away (``typo``), both within reach of each other for a person: a text
    saying "部分付款" or "partial payment" pays part of what it names, not another invoice in
    full."""
    named = [
        c.confidence
        for c in found.values()
        if c.customer == typo.customer and c.amount_kind == "partial" and c.referenced
    ]
    exact = found.get((typo.customer, frozenset({typo.number})))
    if not named or exact is None or exact.confidence <= 0:
        return
    ceiling = max(named) - 0.015
    if exact.confidence > ceiling > 0:
        exact.plausibility *= ceiling / exact.confidence
        combine(exact, facts)


def _why_suggested(
    best: Candidate,
    settings: MatchSettings,
    close: bool,
    count: int,
    blocking: list[str],
    rival: Candidate | None,
    paid_for: str | None = None,
) -> Reason:
    """Say why ``best`` is offered, not applied: what the payer named cannot take it, the
    text pays on behalf of another customer, the payer owes the amount itself, a rival is too
    close, or it is not sure enough."""
    sure = best.confidence >= settings.auto_threshold
    if blocking and sure:
        return Reason.coded(
            "decision", best.confidence, "named_cannot_take", invoices=", ".join(blocking)
        )
    if paid_for is not None and sure:
        return Reason.coded(
            "decision",
            best.confidence,
            "paid_for_another",
            customer=paid_for,
            invoices=", ".join(i.number for i, _ in best.allocations),
        )
    if rival is not None and sure:
        return Reason.coded(
            "decision",
            best.confidence,
            "payer_own_fits",
            customer=rival.customer,
            invoices=", ".join(i.number for i, _ in rival.allocations),
        )
    if close:
        return Reason.coded(
            "decision",
            best.confidence,
            "too_close",
            count=str(count),
            margin=f"{settings.min_margin:.2f}",
        )
    return Reason.coded(
        "decision",
        best.confidence,
        "below_threshold",
        confidence=f"{best.confidence:.2f}",
        threshold=f"{settings.auto_threshold:.2f}",
    )


def _own_rival(best: Candidate, good: list[Candidate], facts: CaseFacts) -> Candidate | None:
    """The candidate the amount fits of a customer the payer may be, when the best pays a
    customer the payer is not: a known customer paying someone else's invoice while owing that
    very amount itself."""
    payers = _likely_payers(facts)
    if not payers or best.customer in payers:
        return None
    return next(
        (c for c in good if c.customer in payers and c.amount_kind in ("exact", "fee", "subset")),
        None,
    )


def _paid_for_another(best: Candidate, facts: CaseFacts) -> str | None:
    """The customer the text says the payment is made on behalf of, when ``best`` pays
    another customer's invoices (the payer's own, or a third's the text quotes): the text
    contradicts itself, or the payer pays for both."""
    payer = facts.strong_payer
    if payer is None or best.customer == payer or facts.payers[payer].kind != "on_behalf":
        return None
    return payer


def _unsure_for_whom(best: Candidate, facts: CaseFacts) -> Message | None:
    """The doubt about whom the text pays on behalf of, unless the payer named an invoice of
    the candidate's customer and that customer is one the short name may mean (or the name is
    no customer's at all): what the payer named settles it."""
    doubt = facts.behalf_doubt
    if doubt is None:
        return None
    if best.referenced and (not doubt.among or best.customer in doubt.among):
        return None
    return doubt.message


def _ambiguous_number(best: Candidate, facts: CaseFacts) -> Message | None:
    """Why ``best`` is not sure, when it pays an invoice that a short number of the text names
    only as one of several open invoices of the customer ("发票号123": INV-2025-00123 or
    INV-2026-00123?), or of several customers when the payer is none of them known, whichever
    the amount fits."""
    paid = {inv.number for inv, _ in best.allocations}
    for vague in facts.ambiguous:
        if vague.customer in (None, best.customer) and vague.numbers & paid:
            return vague.message
    return None


def _likely_payers(facts: CaseFacts) -> set[str]:
    """The customers the payer likely is: the one its account or exact name points at, else
    every customer whose name the payer's resembles (a slip of the keyboard or a bank cutting a
    name short more often than another company of nearly that name; which of several it is,
    only a person can tell)."""
    if facts.strong_payer is not None:
        return {facts.strong_payer}
    return {code for code, e in facts.payers.items() if e.kind in ("mistyped", "fuzzy")}


def _ranked(cands: list[Candidate], facts: CaseFacts) -> list[Candidate]:
    """Order candidates best first (ignoring what the payer named costs confidence)."""
    if any(c.referenced or _confirmed_bare(c, facts) for c in cands):
        # the payer named invoices: a candidate ignoring what they named is far less likely
        # (a bare sequence such as "02596" names one when amount and payer confirm it)
        for c in cands:
            if not c.referenced and not c.ref_hits:
                c.confidence *= 0.8
    # equally confident: the amount fits, the payer is known (surely, then by a name one
    # character off, then by a similar one), the combination preferred by its search, fewest
    # invoices, the oldest
    cands.sort(
        key=lambda c: (
            -round(c.confidence, 2),
            c.amount_kind in ("partial", "over"),
            _payer_order(c, facts),
            c.rank,
            len(c.allocations),
            min((i.issue_date for i, _ in c.allocations), default=dt.date.max),
        )
    )
    return cands


def _payer_order(candidate: Candidate, facts: CaseFacts) -> int:
    """How surely the payer is the candidate's customer, surest first: an account or exact
    name (0), a name one character off (1), a similar name or another hint (2), nothing (3)."""
    evidence = facts.payers.get(candidate.customer)
    if evidence is None:
        return 3
    if evidence.strong:
        return 0
    return 1 if evidence.kind == "mistyped" else 2


def _confirmed_bare(candidate: Candidate, facts: CaseFacts) -> bool:
    """True when a bare number in the reference names the candidate's invoice and both the
    amount and the payer confirm it."""
    return (
        any(h.kind == "bare" for h in candidate.ref_hits.values())
        and candidate.amount_kind in ("exact", "fee", "subset")
        and candidate.customer in facts.payers
    )


def _marked_no_payment(tx: Transaction) -> MatchDecision | None:
    """The decision for an entry its reader marked as no customer paying (a debit, a
    reversal, an own transfer, interest...), else None."""
    if tx.direction != "credit":
        if "returned_payment" in tx.raw:  # a customer's payment taken back: finance acts
            return _ignored(tx, "category", "returned_payment", mark=tx.raw["returned_payment"])
        return _ignored(tx, "direction", "debit")
    if tx.reversal:
        return _ignored(tx, "direction", "reversal")
    if tx.category == "own_transfer":
        # the reader found our own account on the other side (one the file reports on, or the
        # bank's code for a sweep): the shared definition of ours, not a customer
        return _ignored(tx, "own_account", "own_account")
    if tx.category:
        return _not_a_customer_payment(tx, tx.category, "bank_code")
    return None


def _not_a_customer_payment(tx: Transaction, category: str, source: str) -> MatchDecision:
    """Ignore a credit that is interest, a refund, a reversal or an own transfer."""
    tx.category = category
    tx.raw["category"] = category
    return _ignored(tx, "category", "not_customer_payment", category=category, source=source)


def _ignored(tx: Transaction, criterion: str, code: str, /, **params: object) -> MatchDecision:
    """Ignore ``tx`` for certain, for the reason ``code`` (with ``params``) under ``criterion``."""
    return MatchDecision(
        tx, "ignored", confidence=1.0, reasons=[Reason.coded(criterion, 1.0, code, **params)]
    )
