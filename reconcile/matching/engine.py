"""Decide, for every bank transaction, whether it pays open invoices and which.

``match_transactions`` works in two passes. The first judges every credit against the open
amounts as given; the second applies the automatic matches in order of confidence, tracking what
is still open on each invoice, and re-judges any transaction whose invoices were consumed in the
meantime. So no invoice ever receives more than its open amount across the run.
"""

from __future__ import annotations

import datetime as dt
import gc
import math
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from decimal import Decimal

from ..classify import category_from_text
from ..model import Transaction
from ..own import OwnParty, account_key
from .book import Book, cents, fmt
from .messages import Message
from .names import name_key
from .payers import PayerMixin
from .records import (
    CustomerRecord,
    InvoiceRecord,
    LearnedPayer,
    MatchDecision,
    ProposedAllocation,
    Reason,
    Suggestion,
)
from .references import ReferenceHit
from .settings import MatchSettings
from .spellings import SpellingIndex
from .strategies import (
    CHANCE_LIMIT,
    AmountKind,
    Candidate,
    CaseFacts,
    combine,
)
from .subset import find_subsets

ZERO = Decimal("0")
OVER = Decimal("1.1")  # an unnamed overpayment is considered up to 10% above the invoice


class Matcher(PayerMixin):
    """Judges single transactions against a ``Book`` with given settings."""

    def __init__(self, book: Book, settings: MatchSettings) -> None:
        self.book = book
        self.settings = settings
        self.own = OwnParty.of(settings.own_accounts, settings.own_names)
        self.own_names = {name_key(n) for n in settings.own_names if name_key(n)}
        self._hits: dict[str, list[ReferenceHit]] = {}
        self._spellings: SpellingIndex | None = None

    # ------------------------------------------------------------------ who paid

    def _amount_fit(
        self, total_open: Decimal, amount: Decimal, currency: str
    ) -> tuple[AmountKind, Decimal | None] | None:
        if amount == total_open:
            return "exact", None
        tolerance = self.settings.tolerance_for(currency)
        if total_open - tolerance <= amount < total_open:
            return "fee", total_open - amount
        return None

    def _from_invoices(
        self,
        tx: Transaction,
        customer: str,
        invoices: list[InvoiceRecord],
        hits: dict[str, ReferenceHit],
        pos: dict[str, str],
    ) -> list[Candidate]:
        """Candidates paying invoices the reference names (one customer's)."""
        book = self.book
        amount = tx.amount
        out: list[Candidate] = []
        invoices = sorted(invoices, key=lambda i: (i.issue_date, i.number))
        total_open = sum((book.open_amount(i) for i in invoices), ZERO)
        names = ", ".join(i.number for i in invoices)

        def make(
            allocs: list[tuple[InvoiceRecord, Decimal]],
            kind: AmountKind,
            text: list[Message],
            write_off: Decimal | None = None,
        ) -> Candidate:
            numbers = {i.number for i, _ in allocs}
            return Candidate(
                customer,
                allocs,
                kind,
                text,
                write_off,
                {n: h for n, h in hits.items() if n in numbers},
                {n: p for n, p in pos.items() if n in numbers},
            )

        fit = self._amount_fit(total_open, amount, tx.currency)
        if fit is not None and fit[1] is not None and fit[1] >= book.open_amount(invoices[-1]):
            fit = None  # the "bank charge" would swallow a whole invoice: not a fee
        if fit is not None:
            kind, write_off = fit
            allocs = _cash(invoices, book, write_off)
            if kind == "exact":
                text = [
                    Message.of("amount_exact", invoices=names)
                    if len(invoices) == 1
                    else Message.of("amount_total", count=len(invoices), invoices=names)
                ]
            else:
                assert write_off is not None
                text = [
                    Message.of(
                        "amount_fee",
                        charge=fmt(write_off),
                        open=fmt(total_open),
                        invoices=names,
                        currency=tx.currency,
                        tolerance=fmt(self.settings.tolerance_for(tx.currency)),
                    )
                ]
            out.append(make(allocs, kind, text, write_off))
            return out
        if len(invoices) > 1:
            # the reference names more invoices than were paid: which of them add up?
            in_cents = [cents(book.open_amount(i)) for i in invoices]
            result = find_subsets(
                in_cents,
                cents(amount),
                cents(amount),
                min_size=1,
                max_size=min(len(invoices), self.settings.max_subset_size),
                node_budget=self.settings.subset_node_budget,
            )
            for sol in result.solutions[:3]:
                chosen = [invoices[j] for j in sol]
                out += self._from_invoices(tx, customer, chosen, hits, pos)
            if out:
                for c in out:
                    c.alternatives = len(out) - 1
                return out
        if amount > total_open:
            # mentioned invoices plus others of the customer (case 4 with some numbers named)
            out += self._subsets(tx, customer, required=invoices, hits=hits, pos=pos)
            if out:
                return out
            rest = amount - total_open
            allocs = [(i, book.open_amount(i)) for i in invoices]
            text = [
                Message.of(
                    "overpayment",
                    invoices=names,
                    open=fmt(total_open),
                    rest=fmt(rest),
                    customer=customer,
                )
            ]
            face = _face_value(invoices)
            if face == amount:
                text.append(Message.of("face_value", amount=fmt(amount)))
            over = make(allocs, "over", text)
            # paying far more than the invoice is more often a typo in the number, unless the
            # payer paid the invoice's face value after an earlier part payment
            over.plausibility = (
                1.0 if rest <= total_open * Decimal("0.2") or face == amount else 0.8
            )
            out.append(over)
            return out
        # partial payment: the named invoices, oldest first, until the money runs out
        allocs = []
        left = amount
        for inv in invoices:
            if left <= 0:
                break
            part = min(left, book.open_amount(inv))
            allocs.append((inv, part))
            left -= part
        text = [Message.of("partial", amount=fmt(amount), open=fmt(total_open), invoices=names)]
        out.append(make(allocs, "partial", text))
        return out

    def _subsets(
        self,
        tx: Transaction,
        customer: str,
        *,
        required: Sequence[InvoiceRecord] = (),
        hits: dict[str, ReferenceHit] | None = None,
        pos: dict[str, str] | None = None,
    ) -> list[Candidate]:
        """Candidates paying 2..N open invoices of ``customer`` whose total is the amount."""
        book = self.book
        items = book.open_items(customer, tx.currency)
        if len(items) < 2:
            return []
        index = {inv.number: j for j, inv in enumerate(items)}
        req = [index[i.number] for i in required if i.number in index]
        mentioned = set(req)
        for number in hits or {}:
            if number in index:
                mentioned.add(index[number])
        in_cents = [cents(book.open_amount(i)) for i in items]
        target = cents(tx.amount)
        # exact to the cent: with a fee window, some combination of many invoices fits by chance
        result = find_subsets(
            in_cents,
            target,
            target,
            required=req,
            min_size=self.settings.min_subset_size,
            max_size=self.settings.max_subset_size,
            node_budget=self.settings.subset_node_budget,
            meet_in_the_middle=True,
        )
        if not result.solutions:
            return []

        def preference(sol: tuple[int, ...]) -> tuple[int, int, int, int, list[dt.date]]:
            # exact before a fee shortfall, most mentioned numbers, fewest invoices, fewest that
            # another payment of the run names, then oldest
            total = sum(in_cents[j] for j in sol)
            return (
                total - target,
                -len(mentioned.intersection(sol)),
                len(sol),
                sum(1 for j in sol if j not in mentioned and items[j].number in book.claimed),
                sorted(items[j].issue_date for j in sol),
            )

        ranked = sorted(result.solutions, key=preference)
        if self.settings.same_amount_policy == "oldest_first":
            # combinations that differ only by invoices of equal amount are one choice: the
            # policy takes the oldest of those (the first in preference order)
            distinct: dict[tuple[int, ...], tuple[int, ...]] = {}
            for sol in ranked:
                signature = tuple(sorted(in_cents[j] for j in sol if j not in mentioned))
                distinct.setdefault(signature, sol)
            ranked = sorted(distinct.values(), key=preference)
        best = preference(ranked[0])
        ties = sum(1 for s in ranked if preference(s)[:3] == best[:3]) - 1
        out: list[Candidate] = []
        for sol in ranked[:3]:
            chosen = [items[j] for j in sol]
            total = sum((book.open_amount(i) for i in chosen), ZERO)
            numbers = ", ".join(i.number for i in chosen)
            write_off = total - tx.amount if total != tx.amount else None
            text = [
                Message.of("amount_total", count=len(chosen), invoices=numbers)
                if write_off is None
                else Message.of(
                    "amount_total_less_charge",
                    count=len(chosen),
                    invoices=numbers,
                    charge=fmt(write_off),
                )
            ]
            if ties:
                text.append(Message.of("ties", count=ties))
            chance = _chance(len(items) - len(req), len(sol) - len(req), [in_cents[j] for j in sol])
            if chance >= CHANCE_LIMIT:
                text.append(Message.of("by_chance", count=len(items)))
            chosen_numbers = {i.number for i in chosen}
            out.append(
                Candidate(
                    customer,
                    _cash(chosen, book, write_off),
                    "subset",
                    text,
                    write_off,
                    {n: h for n, h in (hits or {}).items() if n in chosen_numbers},
                    {n: p for n, p in (pos or {}).items() if n in chosen_numbers},
                    alternatives=ties,
                    chance=chance,
                )
            )
        return out

    def _oldest(self, invoices: Sequence[InvoiceRecord]) -> InvoiceRecord:
        """Return the oldest of interchangeable invoices (oldest first) that no other payment
        of the run names, or the oldest of all when every one is named somewhere."""
        return next((i for i in invoices if i.number not in self.book.claimed), invoices[0])

    def _oldest_note(
        self, customer: str, invoices: Sequence[InvoiceRecord], chosen: InvoiceRecord
    ) -> Message:
        """Why the oldest of several invoices of the same amount is taken."""
        return Message.of(
            "same_amount_oldest_unclaimed" if chosen is not invoices[0] else "same_amount_oldest",
            count=len(invoices),
            customer=customer,
            invoices=", ".join(i.number for i in invoices),
            invoice=chosen.number,
            date=chosen.issue_date.isoformat(),
        )

    def hits(self, text: str) -> list[ReferenceHit]:
        """Return the open invoices ``text`` names (memoised: the index does not change)."""
        found = self._hits.get(text)
        if found is None:
            found = self._hits[text] = self.book.numbers.hits(text)
        return found

    def claim(self, transactions: Iterable[Transaction]) -> None:
        """Note every invoice the credits' references name, so that a payment naming nothing
        takes, among invoices of equal amount, one that no other payment asks for."""
        for tx in transactions:
            if tx.direction == "credit" and tx.reference:
                self.book.claimed.update(h.invoice.number for h in self.hits(tx.reference))

    def _by_amount(self, tx: Transaction, customer: str) -> list[Candidate]:
        """Candidates among one identified customer's open invoices, by amount alone."""
        book = self.book
        items = book.open_items(customer, tx.currency)
        exact = [i for i in items if book.open_amount(i) == tx.amount]
        tolerance = self.settings.tolerance_for(tx.currency)
        if not exact:
            fee = [
                i
                for i in items
                if book.open_amount(i) - tolerance <= tx.amount < book.open_amount(i)
            ]
            if fee:
                return self._by_fee(tx, customer, items, fee, tolerance)
        if len(exact) == 1:
            return self._from_invoices(tx, customer, exact, {}, {})
        if len(exact) > 1:
            return self._same_amount(tx, customer, exact)
        found = self._subsets(tx, customer)
        if found:
            return found
        return self._overpayments(tx, customer, items)

    def _by_fee(
        self,
        tx: Transaction,
        customer: str,
        items: list[InvoiceRecord],
        fee: list[InvoiceRecord],
        tolerance: Decimal,
    ) -> list[Candidate]:
        """Candidates among invoices a bank charge above the amount."""
        book = self.book
        if len(fee) == 1:
            out = self._from_invoices(tx, customer, fee, {}, {})
            # among many open invoices one lies within the tolerance by chance more often
            chance = len(items) * cents(tolerance) / max(cents(tx.amount), 1)
            for c in out:
                c.chance = chance if chance >= 0.05 else 0.0
            # an exact combination of several invoices is a rival reading
            return out + self._subsets(tx, customer)
        if self.settings.same_amount_policy == "oldest_first":
            if len({book.open_amount(i) for i in fee}) == 1:
                # several invoices of one amount, all a bank charge away: the same-amount
                # policy picks the oldest, as it does for an exact amount
                oldest = self._oldest(fee)
                out = self._from_invoices(tx, customer, [oldest], {}, {})
                chance = len(items) * cents(tolerance) / max(cents(tx.amount), 1)
                for c in out:
                    c.chance = chance if chance >= 0.05 else 0.0
                    c.amount_parts.append(self._oldest_note(customer, fee, oldest))
                return out + self._subsets(tx, customer)
        # several invoices a bank charge away, of different amounts: a person chooses
        out = []
        for rank, inv in enumerate(sorted(fee, key=lambda i: book.open_amount(i))):
            for c in self._from_invoices(tx, customer, [inv], {}, {}):
                c.alternatives = len(fee) - 1
                c.plausibility = 1.0 - 0.01 * rank  # the smallest charge first
                out.append(c)
        return out

    def _same_amount(
        self, tx: Transaction, customer: str, exact: list[InvoiceRecord]
    ) -> list[Candidate]:
        """Candidates when several open invoices have exactly the amount."""
        numbers = ", ".join(i.number for i in exact)
        if self.settings.same_amount_policy == "oldest_first":
            oldest = self._oldest(exact)
            out = self._from_invoices(tx, customer, [oldest], {}, {})
            for c in out:
                c.amount_kind = "same_amount"
                c.amount_parts = [self._oldest_note(customer, exact, oldest)]
            return out
        out = []
        for inv in exact:
            for c in self._from_invoices(tx, customer, [inv], {}, {}):
                c.amount_kind = "same_amount"
                c.alternatives = len(exact) - 1
                c.amount_parts = [
                    Message.of(
                        "same_amount_choose", count=len(exact), customer=customer, invoices=numbers
                    )
                ]
                out.append(c)
        return out

    def _overpayments(
        self, tx: Transaction, customer: str, items: list[InvoiceRecord]
    ) -> list[Candidate]:
        """A little more than one open invoice and nothing named: overpayments, for a person."""
        book = self.book
        over = [i for i in items if book.open_amount(i) < tx.amount <= book.open_amount(i) * OVER]
        over.sort(key=lambda i: tx.amount - book.open_amount(i))
        out: list[Candidate] = []
        for inv in over[:3]:
            rest = tx.amount - book.open_amount(inv)
            text = [
                Message.of(
                    "over_one",
                    open=fmt(book.open_amount(inv)),
                    invoice=inv.number,
                    rest=fmt(rest),
                    customer=customer,
                )
            ]
            out.append(
                Candidate(
                    customer,
                    [(inv, book.open_amount(inv))],
                    "over",
                    text,
                    alternatives=len(over) - 1,
                    plausibility=1.0 - 0.01 * len(out),  # the smallest excess first
                )
            )
        return out

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
        if conflicts is None:
            conflicts = []
        book = self.book
        found: dict[tuple[str, frozenset[str]], Candidate] = {}

        def add(cands: Iterable[Candidate], *, replace: bool = True) -> None:
            for c in cands:
                combine(c, facts)
                old = found.get(c.key)
                if old is None or (replace and c.confidence > old.confidence):
                    found[c.key] = c

        text = tx.reference or ""
        hits_by_customer: dict[str, dict[str, ReferenceHit]] = defaultdict(dict)
        pos_by_customer: dict[str, dict[str, str]] = defaultdict(dict)
        if text:
            for hit in self.hits(text):
                inv = hit.invoice
                if hit.kind == "bare" and inv.customer not in facts.payers:
                    continue  # a bare number only counts for the payer's own invoices
                if inv.currency != tx.currency:
                    if hit.kind != "bare":
                        conflicts.append(inv)
                    notes.append(
                        Reason.coded(
                            "currency",
                            0.0,
                            "currency_mismatch",
                            invoice=inv.number,
                            invoice_currency=inv.currency,
                            currency=tx.currency,
                        )
                    )
                    continue
                if book.open_amount(inv) <= 0:
                    if hit.kind != "bare" or tx.amount == inv.open_amount:
                        # named (or its number and amount given) but paid by another entry of
                        # this run: a double payment or a mix-up, for a person to look at
                        conflicts.append(inv)
                    notes.append(
                        Reason.coded(
                            "invoice_reference",
                            0.0,
                            "already_paid",
                            invoice=inv.number,
                        )
                    )
                    continue
                hits_by_customer[inv.customer][inv.number] = hit
            for inv, written in book.numbers.po_hits(text):
                if inv.currency == tx.currency and book.open_amount(inv) > 0:
                    pos_by_customer[inv.customer][inv.number] = written
            if not hits_by_customer and not pos_by_customer:
                for hit in book.closed_numbers.hits(text):
                    if hit.kind == "exact" and hit.invoice.open_amount <= 0:
                        conflicts.append(hit.invoice)
                        notes.append(
                            Reason.coded(
                                "invoice_reference",
                                0.0,
                                "not_open",
                                invoice=hit.invoice.number,
                            )
                        )
        for customer in set(hits_by_customer) | set(pos_by_customer):
            hits = hits_by_customer.get(customer, {})
            pos = pos_by_customer.get(customer, {})
            numbers = set(hits) | set(pos)
            invoices = [book.invoices[n] for n in numbers]
            strong = [book.invoices[n] for n in numbers if n in pos or hits[n].kind != "bare"]
            add(self._from_invoices(tx, customer, strong or invoices, hits, pos))
            if strong and len(strong) < len(invoices):
                add(self._from_invoices(tx, customer, invoices, hits, pos))
        # the amount confirms a named invoice of the payer's own (or of an unknown payer):
        # no need to look for typos. A named invoice of *another* customer than the one the
        # payer is known to be may be a typo that spells an existing number: look anyway
        amount_agrees = any(
            c.amount_kind in ("exact", "fee", "subset")
            and (facts.strong_payer is None or c.customer == facts.strong_payer)
            for c in found.values()
        )
        if text and not amount_agrees:
            # a typo may even spell another existing invoice's number: look at the neighbours
            for hit in book.numbers.typo_hits(text):
                inv = hit.invoice
                # a payer we do not know at all (a third party) may have mistyped the number
                # too: an exact amount on the neighbour is then worth offering (the typo alone
                # never posts without the payer's agreement)
                unknown_payer = not facts.payers
                if inv.currency != tx.currency or not (
                    unknown_payer or inv.customer in facts.payers
                ):
                    continue
                fit = self._amount_fit(book.open_amount(inv), tx.amount, tx.currency)
                if fit is None or (unknown_payer and fit[0] != "exact"):
                    continue
                typos = self._from_invoices(tx, inv.customer, [inv], {inv.number: hit}, {})
                add(typos)
                if fit[0] != "exact":
                    continue
                # an amount exact to the cent on the neighbouring number is stronger than a
                # partial or overpayment of the number as written; a round amount may well be
                # a partial payment, so then both stay open for a person (typo ranked first)
                factor = 0.75 if tx.amount % 100 != 0 else 0.97
                typo_confidence = max((found[t.key].confidence for t in typos), default=0.0)
                for c in found.values():
                    if (
                        (c.customer == inv.customer or unknown_payer)
                        and c.amount_kind in ("partial", "over")
                        # the face value of the invoice as written is as exact as the typo
                        and _face_value([i for i, _ in c.allocations]) != tx.amount
                    ):
                        c.plausibility *= factor
                        combine(c, facts)
                        ceiling = typo_confidence - 0.01
                        if (
                            unknown_payer
                            and c.customer != inv.customer
                            and c.confidence > ceiling > 0
                        ):
                            # nothing tells whose payment it is: the exact amount on the typo
                            # comes first, both within reach of each other for a person
                            c.plausibility *= ceiling / c.confidence
                            combine(c, facts)
        payer_codes = sorted(facts.payers, key=lambda code: -facts.payers[code].similarity)[:4]
        for code in payer_codes:
            add(self._by_amount(tx, code))
        threshold = self.settings.auto_threshold
        if not any(c.confidence >= threshold for c in found.values()):
            # nothing certain: an invoice with exactly this open amount is a hint (and a rival
            # to a weak candidate built on a vaguely similar name)
            same = [
                i
                for i in book.by_amount.get((tx.currency, cents(tx.amount)), ())
                if book.open_amount(i) == tx.amount
            ]
            if 0 < len(same) <= 3:
                for inv in same:
                    # a hint never overrides what the payer's own candidates say (a policy)
                    add(self._from_invoices(tx, inv.customer, [inv], {}, {}), replace=False)
        cands = list(found.values())
        if any(c.referenced or _confirmed_bare(c, facts) for c in cands):
            # the payer named invoices: a candidate ignoring what they named is far less likely
            # (a bare sequence such as "02596" names one when amount and payer confirm it)
            for c in cands:
                if not c.referenced and not c.ref_hits:
                    c.confidence *= 0.8
        # equally confident: the amount fits, the payer is known, fewest invoices, the oldest
        cands.sort(
            key=lambda c: (
                -round(c.confidence, 2),
                c.amount_kind in ("partial", "over"),
                c.customer not in facts.payers,
                len(c.allocations),
                min((i.issue_date for i, _ in c.allocations), default=dt.date.max),
            )
        )
        return cands

    # ------------------------------------------------------------------ decision

    def decide(self, tx: Transaction) -> MatchDecision:
        """Return the decision for one transaction (duplicates are handled by the caller)."""
        settings = self.settings
        if tx.direction != "credit":
            return MatchDecision(
                tx,
                "ignored",
                confidence=1.0,
                reasons=[
                    Reason.coded(
                        "direction",
                        1.0,
                        "debit",
                    )
                ],
            )
        if tx.reversal:
            return MatchDecision(
                tx,
                "ignored",
                confidence=1.0,
                reasons=[
                    Reason.coded(
                        "direction",
                        1.0,
                        "reversal",
                    )
                ],
            )
        if tx.category and tx.category != "own_transfer":
            return _not_a_customer_payment(tx, tx.category, "bank_code")
        if self.own.is_own_account(tx.payer_account):
            tx.category = "own_transfer"
            return MatchDecision(
                tx,
                "ignored",
                confidence=1.0,
                reasons=[
                    Reason.coded(
                        "own_account",
                        1.0,
                        "own_account",
                    )
                ],
            )
        if tx.payer_name and (
            self.own.is_own_name(tx.payer_name) or name_key(tx.payer_name) in self.own_names
        ):
            tx.category = "own_transfer"
            return MatchDecision(
                tx,
                "ignored",
                confidence=1.0,
                reasons=[
                    Reason.coded(
                        "own_account",
                        1.0,
                        "own_company",
                    )
                ],
            )
        payers, strong = self.payers(tx)
        facts = CaseFacts(settings, payers, strong, tx.currency)
        notes: list[Reason] = []
        conflicts: list[InvoiceRecord] = []
        cands = self.candidates(tx, facts, notes, conflicts)
        good = [c for c in cands if c.confidence >= settings.suggest_threshold]
        if not good:
            category = "" if strong else category_from_text(tx.reference)
            if category:
                # interest, a refund or a reversal the bank wrote in words: not a customer's
                return _not_a_customer_payment(tx, category, "text")
            reasons = list(notes)
            customer = strong
            oldest = self._oldest_first(tx, strong) if strong else None
            if oldest is not None:
                return oldest
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
        if (
            best.confidence >= settings.auto_threshold
            and margin >= settings.min_margin
            and not contradicted
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
        if contradicted and best.confidence >= settings.auto_threshold:
            why = Reason.coded(
                "decision",
                best.confidence,
                "named_cannot_take",
                invoices=", ".join(blocking),
            )
        elif runner_up is not None and margin < settings.min_margin:
            why = Reason.coded(
                "decision",
                best.confidence,
                "too_close",
                count=str(len(good)),
                margin=f"{settings.min_margin:.2f}",
            )
        else:
            why = Reason.coded(
                "decision",
                best.confidence,
                "below_threshold",
                confidence=f"{best.confidence:.2f}",
                threshold=f"{settings.auto_threshold:.2f}",
            )
        customers = {s.customer for s in suggestions}
        return MatchDecision(
            tx,
            "suggested",
            customer=best.customer if len(customers) == 1 else None,
            confidence=best.confidence,
            reasons=[*notes, why],
            suggestions=suggestions,
        )


def _confirmed_bare(candidate: Candidate, facts: CaseFacts) -> bool:
    """True when a bare number in the reference names the candidate's invoice and both the
    amount and the payer confirm it."""
    return (
        any(h.kind == "bare" for h in candidate.ref_hits.values())
        and candidate.amount_kind in ("exact", "fee", "subset")
        and candidate.customer in facts.payers
    )


def _face_value(invoices: Iterable[InvoiceRecord]) -> Decimal:
    """Return the total invoiced (not what is still open) on ``invoices``."""
    return sum((i.amount for i in invoices), ZERO)


def _chance(n_free: int, k_free: int, amounts: Sequence[int]) -> float:
    """Return about how many combinations of ``k_free`` among ``n_free`` open invoices would add
    up to the same total by coincidence.

    Totals of k invoices spread over roughly ``total / step`` values, where ``step`` is the
    roundness of the amounts (cents, whole yuan, hundreds); C(n, k) combinations share them.
    """
    if k_free <= 0:
        return 0.0
    total = sum(amounts)
    step = 1
    for unit in (100, 10_000):
        if all(a % unit == 0 for a in amounts):
            step = unit
    spread = max(total // step, 1)
    return math.comb(n_free, k_free) / spread


def _cash(
    invoices: Sequence[InvoiceRecord], book: Book, write_off: Decimal | None
) -> list[tuple[InvoiceRecord, Decimal]]:
    """Allocate the open amounts, the last invoice short by the written-off bank charge.

    The allocations are the money received, so they never exceed the payment; the write-off
    settles the rest of the last invoice.
    """
    allocs = [(i, book.open_amount(i)) for i in invoices]
    if write_off and allocs:
        last, amount = allocs[-1]
        allocs[-1] = (last, amount - write_off)
    return allocs


def _feasible(decision: MatchDecision, book: Book) -> bool:
    return all(amount <= book.remaining.get(n, ZERO) for n, amount in decision.settled().items())


def _apply(decision: MatchDecision, book: Book, touched: set[str]) -> None:
    for number, amount in decision.settled().items():
        book.remaining[number] -= amount
        touched.add(number)


def _touches(decision: MatchDecision, touched: set[str]) -> bool:
    numbers = {a.invoice for a in decision.allocations}
    for s in decision.suggestions:
        numbers.update(a.invoice for a in s.allocations)
    return not numbers.isdisjoint(touched)


def match_transactions(
    transactions: Sequence[Transaction],
    customers: Sequence[CustomerRecord],
    invoices: Sequence[InvoiceRecord],
    *,
    settings: MatchSettings = MatchSettings(),
    seen_refs: Collection[tuple[str, str]] = (),
    learned: Sequence[LearnedPayer] = (),
) -> list[MatchDecision]:
    """Decide for every transaction: matched, suggested, unmatched, ignored or duplicate.

    :param transactions: parsed bank entries, in any order; decisions come back in the same order.
    :param customers: the ERP's customers.
    :param invoices: the ERP's invoices (only those with an open amount can be paid).
    :param settings: thresholds, tolerances and policies.
    :param seen_refs: ``(our_account, bank_ref)`` pairs already stored: such entries are
        duplicates, as is a second entry with the same pair within ``transactions``.
    :param learned: payer names and accounts finance confirmed for customers.
    :raises MatchError: when an invoice belongs to a customer not in ``customers``.
    """
    # building the indexes allocates millions of small acyclic objects; the cyclic garbage
    # collector would walk the growing heap again and again (half the run time at 100,000
    # invoices), so it pauses for the run
    paused = gc.isenabled()
    gc.disable()
    try:
        return _match(transactions, customers, invoices, settings, seen_refs, learned)
    finally:
        if paused:
            gc.enable()


def _match(
    transactions: Sequence[Transaction],
    customers: Sequence[CustomerRecord],
    invoices: Sequence[InvoiceRecord],
    settings: MatchSettings,
    seen_refs: Collection[tuple[str, str]],
    learned: Sequence[LearnedPayer],
) -> list[MatchDecision]:
    book = Book(customers, invoices, learned)
    matcher = Matcher(book, settings)
    seen = {(account_key(a), r) for a, r in seen_refs}
    # within the run a file may not state our account (a CSV export without preamble): the same
    # bank reference, amount, date and direction then identify the entry
    loose: dict[tuple[str, Decimal, dt.date, str], set[str]] = defaultdict(set)
    decisions: list[MatchDecision | None] = [None] * len(transactions)
    pending: list[int] = []
    for n, tx in enumerate(transactions):
        account = account_key(tx.our_account)
        ref_key = (account, tx.bank_ref)
        loose_key = (tx.bank_ref, tx.amount, tx.booking_date, tx.direction)
        accounts = loose.get(loose_key, set())
        if tx.bank_ref and (ref_key in seen or (accounts and (not account or "" in accounts))):
            decisions[n] = MatchDecision(
                tx,
                "duplicate",
                confidence=1.0,
                reasons=[
                    Reason.coded(
                        "duplicate",
                        1.0,
                        "duplicate",
                        bank_ref=tx.bank_ref,
                        account=tx.our_account or "?",
                    )
                ],
            )
            continue
        if tx.bank_ref:
            seen.add(ref_key)
            loose[loose_key].add(account)
        pending.append(n)

    matcher.claim(transactions[n] for n in pending)
    # first pass: judge every entry against the open amounts as given
    for n in pending:
        decisions[n] = matcher.decide(transactions[n])

    # second pass: post automatic matches, most certain first; re-judge what they consumed
    order = sorted(
        (n for n in pending if decisions[n] is not None and decisions[n].status == "matched"),  # type: ignore[union-attr]
        key=lambda n: -decisions[n].confidence,  # type: ignore[union-attr]
    )
    touched: set[str] = set()
    redo: list[int] = []
    for n in order:
        decision = decisions[n]
        assert decision is not None
        if _feasible(decision, book):
            _apply(decision, book, touched)
        else:
            redo.append(n)
    applied = set(order) - set(redo)
    others = [n for n in pending if n not in applied and n not in redo]
    redo += [n for n in others if _touches(decisions[n], touched)]  # type: ignore[arg-type]
    for n in sorted(redo):
        decision = matcher.decide(transactions[n])
        if decision.status == "matched":
            if _feasible(decision, book):
                _apply(decision, book, touched)
            else:
                decision = _demote(decision)
        decisions[n] = decision
    return [d for d in decisions if d is not None]


def _demote(decision: MatchDecision) -> MatchDecision:
    """Turn an automatic match that no longer fits into a suggestion."""
    suggestion = Suggestion(
        decision.customer,
        tuple(decision.allocations),
        decision.confidence,
        tuple(decision.reasons),
        decision.write_off,
    )
    return MatchDecision(
        decision.transaction,
        "suggested",
        customer=decision.customer,
        confidence=decision.confidence,
        reasons=[
            Reason.coded(
                "decision",
                0.0,
                "paid_by_another_entry",
            )
        ],
        suggestions=[suggestion],
    )


def _not_a_customer_payment(tx: Transaction, category: str, source: str) -> MatchDecision:
    """Ignore a credit that is interest, a refund, a reversal or an own transfer."""
    tx.category = category
    tx.raw["category"] = category
    return MatchDecision(
        tx,
        "ignored",
        confidence=1.0,
        reasons=[
            Reason.coded(
                "category",
                1.0,
                "not_customer_payment",
                category=category,
                source=source,
            )
        ],
    )
