"""Candidates from what the reference names: invoices, their totals, subsets and fees.

A mixin of :class:`~reconcile.matching.engine.Matcher`, kept apart because reading the invoices a
payer named is its own question, asked once the payer is (or is not) known.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from decimal import Decimal

from ..model import Transaction
from .book import UNITS_PER_CENT, Book, fmt, units
from .identifiers import code_key, rf_bodies
from .messages import Message
from .records import InvoiceRecord, Reason
from .references import Mention, ReferenceHit
from .settings import MatchSettings
from .strategies import CHANCE_LIMIT, AmbiguousNumber, AmountKind, Candidate, CaseFacts
from .subset import find_subsets

ZERO = Decimal("0")


class NamedMixin:
    """Invoices named by the reference, as candidates (needs ``book``, ``settings``)."""

    book: Book
    settings: MatchSettings
    _hits: dict[str, list[ReferenceHit]]

    def _overpayment_meant(
        self,
        tx: Transaction,
        customer: str,
        invoices: Sequence[InvoiceRecord],
        total_open: Decimal,
    ) -> bool:
        """True when paying more than the ``total_open`` of the named invoices is likely what
        the payer meant: a little more (up to a fifth), or any amount when creditor references whose
        check digits verify name every invoice (no typo, then); never when another open
        invoice of the customer is exactly the amount paid (which the payer may have meant,
        quoting the wrong reference)."""
        book = self.book
        if any(
            i.customer == customer and i not in invoices and book.open_amount(i) == tx.amount
            for i in book.by_amount.get((tx.currency, units(tx.amount)), ())
        ):
            return False
        if tx.amount - total_open <= total_open * Decimal("0.2"):
            return True
        bodies = set(rf_bodies(tx.reference or ""))
        return bool(bodies) and all(code_key(i.number) in bodies for i in invoices)

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
            allocs = cash(invoices, book, write_off)
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
            in_units = [units(book.open_amount(i)) for i in invoices]
            result = find_subsets(
                in_units,
                units(amount),
                units(amount),
                min_size=1,
                max_size=min(len(invoices), self.settings.max_subset_size),
                node_budget=self.settings.subset_node_budget,
            )
            solutions = result.solutions
            written = [
                hits[i.number].mention.text if i.number in hits else pos.get(i.number, "")
                for i in invoices
            ]
            if self.settings.same_amount_policy == "oldest_first" and len(set(written)) == len(
                written
            ):
                # invoices of equal amounts, each named on its own, are interchangeable: the
                # policy pays the oldest (two invoices of 200.00 named, 200.00 paid). One
                # reference that fits several invoices says nothing of which.
                by_age = sorted(
                    solutions, key=lambda sol: sorted(invoices[j].issue_date for j in sol)
                )
                solutions = first_of_equal_amounts(by_age, in_units)
            for sol in solutions[:3]:
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
            face = face_value(invoices)
            if face == amount:
                text.append(Message.of("face_value", amount=fmt(amount)))
            over = make(allocs, "over", text)
            # paying far more than the invoice is more often a typo in the number, unless the
            # payer paid the invoice's face value after an earlier part payment
            meant = face == amount or self._overpayment_meant(tx, customer, invoices, total_open)
            over.plausibility = 1.0 if meant else 0.8
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
        in_units = [units(book.open_amount(i)) for i in items]
        target = units(tx.amount)
        # exact to the cent: with a fee window, some combination of many invoices fits by chance
        result = find_subsets(
            in_units,
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
            total = sum(in_units[j] for j in sol)
            return (
                total - target,
                -len(mentioned.intersection(sol)),
                len(sol),
                sum(1 for j in sol if j not in mentioned and items[j].number in book.claimed),
                sorted(items[j].issue_date for j in sol),
            )

        def order(
            sol: tuple[int, ...],
        ) -> tuple[int, int, int, list[dt.date], int, int, list[dt.date]]:
            # a payer naming some of the invoices it pays ("付 INV-2026-00123 等", "INV-123
            # and others") settles a batch of its ledger, the oldest first: the combination of
            # the oldest invoices before the one of the fewest, but an invoice another payment
            # of the run names is that payment's, however old (of two invoices of one amount,
            # the batch takes the one nobody names)
            diff, named, size, claimed, dates = preference(sol)
            return diff, named, claimed if req else 0, dates if req else [], size, claimed, dates

        ranked = sorted(result.solutions, key=order)
        if self.settings.same_amount_policy == "oldest_first":
            # combinations that differ only by invoices of equal amount are one choice: the
            # policy takes the oldest of those (the first in preference order)
            ranked = first_of_equal_amounts(ranked, in_units, keep=mentioned)
        best = preference(ranked[0])
        ties = sum(1 for s in ranked if preference(s)[:3] == best[:3]) - 1
        out: list[Candidate] = []
        for rank, sol in enumerate(ranked[:3]):
            chosen = [items[j] for j in sol]
            total = sum((book.open_amount(i) for i in chosen), ZERO)
            numbers = ", ".join(i.number for i in chosen)
            write_off = total - tx.amount if total != tx.amount else None
            whole = len(sol) == len(items)
            text = [
                Message.of(
                    "amount_whole_balance" if whole else "amount_total",
                    count=len(chosen),
                    invoices=numbers,
                )
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
            # the customer's whole open balance is what a statement asks for, not a coincidence
            chance = (
                0.0
                if whole and write_off is None
                else coincidences(
                    len(items) - len(req), len(sol) - len(req), [in_units[j] for j in sol]
                )
            )
            if chance >= CHANCE_LIMIT:
                text.append(Message.of("by_chance", count=len(items)))
            chosen_numbers = {i.number for i in chosen}
            out.append(
                Candidate(
                    customer,
                    cash(chosen, book, write_off),
                    "subset",
                    text,
                    write_off,
                    {n: h for n, h in (hits or {}).items() if n in chosen_numbers},
                    {n: p for n, p in (pos or {}).items() if n in chosen_numbers},
                    alternatives=ties,
                    chance=chance,
                    rank=rank,
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

    def reference_hits(
        self, tx: Transaction, facts: CaseFacts, notes: list[Reason], conflicts: list[InvoiceRecord]
    ) -> dict[str, tuple[dict[str, ReferenceHit], dict[str, str]]]:
        """The open invoices the reference names, by customer: ``(number hits, PO numbers)``.

        Named invoices that cannot take the payment (another currency, already paid, closed)
        go to ``conflicts`` and ``notes`` instead.
        """
        book = self.book
        text = tx.reference or ""
        hits_by_customer: dict[str, dict[str, ReferenceHit]] = defaultdict(dict)
        pos_by_customer: dict[str, dict[str, str]] = defaultdict(dict)
        if not text:
            return {}
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
                    Reason.coded("invoice_reference", 0.0, "already_paid", invoice=inv.number)
                )
                continue
            hits_by_customer[inv.customer][inv.number] = hit
        _reply_numbers(hits_by_customer, facts)
        _short_numbers(hits_by_customer, facts)
        for inv, written in book.numbers.po_hits(text):
            if inv.currency == tx.currency and book.open_amount(inv) > 0:
                pos_by_customer[inv.customer][inv.number] = written
        if not hits_by_customer and not pos_by_customer:
            for hit in book.closed_numbers.hits(text):
                if hit.kind == "exact" and hit.invoice.open_amount <= 0:
                    conflicts.append(hit.invoice)
                    notes.append(
                        Reason.coded(
                            "invoice_reference", 0.0, "not_open", invoice=hit.invoice.number
                        )
                    )
        return {
            customer: (hits_by_customer.get(customer, {}), pos_by_customer.get(customer, {}))
            for customer in set(hits_by_customer) | set(pos_by_customer)
            if hits_by_customer.get(customer) or pos_by_customer.get(customer)
        }

    def claim(self, transactions: Iterable[Transaction]) -> None:
        """Note every invoice the credits' references name, so that a payment naming nothing
        takes, among invoices of equal amount, one that no other payment asks for."""
        for tx in transactions:
            if tx.direction == "credit" and tx.reference:
                self.book.claimed.update(h.invoice.number for h in self.hits(tx.reference))


def _reply_numbers(hits_by_customer: dict[str, dict[str, ReferenceHit]], facts: CaseFacts) -> None:
    """Read a number after "Re:" alone ("Re: 1234", "RE: 55/56") as the known payer's: it is
    a reply's word, the payer's order, ticket or letter as often as an invoice, so it names no
    other customer's invoice when the payer is known (the payer's own amount decides then)."""
    payer = facts.strong_payer
    if payer is None:
        return
    for customer, hits in hits_by_customer.items():
        if customer != payer:
            for number in [n for n, h in hits.items() if h.mention.reply]:
                del hits[number]


def _short_numbers(hits_by_customer: dict[str, dict[str, ReferenceHit]], facts: CaseFacts) -> None:
    """Read the numbers written short ("发票号123", "INV 1234", "VS 2026117") as the payer's: of
    the open invoices a short number fits, drop other customers' when the payer is known and
    has one; note in ``facts`` the customers it fits several open invoices of, and the numbers
    that fit invoices of several customers (none of them the payer known)."""
    by_mention: dict[Mention, list[ReferenceHit]] = defaultdict(list)
    for hits in hits_by_customer.values():
        for hit in hits.values():
            if hit.kind == "sequence" and not hit.mention.listed:
                by_mention[hit.mention].append(hit)
    payer = facts.strong_payer
    for mention, found in by_mention.items():
        if payer is not None and any(h.invoice.customer == payer for h in found):
            for h in found:
                if h.invoice.customer != payer:
                    del hits_by_customer[h.invoice.customer][h.invoice.number]
            found = [h for h in found if h.invoice.customer == payer]
        per_customer: dict[str, list[str]] = defaultdict(list)
        for h in found:
            per_customer[h.invoice.customer].append(h.invoice.number)
        for customer, numbers in per_customer.items():
            if len(numbers) > 1:
                message = Message.of(
                    "ref_ambiguous",
                    written=mention.text.strip(),
                    count=str(len(numbers)),
                    customer=customer,
                    invoices=", ".join(sorted(numbers)),
                )
                facts.ambiguous.append(AmbiguousNumber(customer, frozenset(numbers), message))
        if len(per_customer) > 1:
            # no known payer among them: the amount fitting one customer's is no answer
            # (INV-2026-1234 of one, INV-2025-1234 of another), a person says whose it is
            facts.ambiguous.append(_across_customers(mention, per_customer))


def _across_customers(mention: Mention, per_customer: dict[str, list[str]]) -> AmbiguousNumber:
    """The doubt about a short number that fits open invoices of several customers."""
    numbers = sorted(
        (number, customer) for customer, found in per_customer.items() for number in found
    )
    message = Message.of(
        "ref_ambiguous_customers",
        written=mention.text.strip(),
        count=str(len(per_customer)),
        invoices=", ".join(f"{number} ({customer})" for number, customer in numbers),
    )
    return AmbiguousNumber(None, frozenset(n for n, _ in numbers), message)


def face_value(invoices: Iterable[InvoiceRecord]) -> Decimal:
    """Return the total invoiced (not what is still open) on ``invoices``."""
    return sum((i.amount for i in invoices), ZERO)


def first_of_equal_amounts(
    ranked: Iterable[tuple[int, ...]], in_units: Sequence[int], *, keep: Collection[int] = ()
) -> list[tuple[int, ...]]:
    """Of the solutions (index tuples, best first) that pay the same amounts, the first.

    Solutions that differ only by invoices of equal amount are one choice; an index in ``keep``
    (an invoice the payer named) tells solutions apart and does not count in the amounts.
    """
    distinct: dict[tuple[int, ...], tuple[int, ...]] = {}
    for sol in ranked:
        distinct.setdefault(tuple(sorted(in_units[j] for j in sol if j not in keep)), sol)
    return list(distinct.values())


def coincidences(n_free: int, k_free: int, amounts: Sequence[int]) -> float:
    """Return about how many combinations of ``k_free`` among ``n_free`` open invoices would add
    up to the same total by coincidence.

    Totals of k invoices spread over roughly ``total / step`` values, where ``step`` is the
    roundness of the amounts (fils, cents, whole yuan, hundreds); C(n, k) combinations share them.
    """
    if k_free <= 0:
        return 0.0
    total = sum(amounts)
    step = 1
    for unit in (UNITS_PER_CENT, UNITS_PER_CENT * 100, UNITS_PER_CENT * 10_000):
        if all(a % unit == 0 for a in amounts):
            step = unit
    spread = max(total // step, 1)
    return math.comb(n_free, k_free) / spread


def cash(
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
