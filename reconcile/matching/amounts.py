"""Candidates from the amount alone, among one identified customer's open invoices.

A mixin of :class:`~reconcile.matching.engine.Matcher`: a fee short of an invoice, several
invoices of the same amount, a combination of invoices, a small overpayment.
"""

from __future__ import annotations

from decimal import Decimal

from ..model import Transaction
from .book import Book, fmt, units
from .messages import Message
from .named import NamedMixin
from .records import InvoiceRecord
from .strategies import Candidate

OVER = Decimal("1.1")  # an unnamed overpayment is considered up to 10% above the invoice


class AmountMixin(NamedMixin):
    """Readings of the amount for a known payer (builds on the named-invoice readings)."""

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
            chance = len(items) * units(tolerance) / max(units(tx.amount), 1)
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
                chance = len(items) * units(tolerance) / max(units(tx.amount), 1)
                for c in out:
                    c.chance = chance if chance >= 0.05 else 0.0
                    c.amount_parts.append(self._oldest_note(customer, fee, oldest))
                return out + self._subsets(tx, customer)
        # several invoices a bank charge away, of different amounts: a person chooses
        out = []
        for rank, inv in enumerate(sorted(fee, key=lambda i: _charge_order(i, tx, book))):
            for c in self._from_invoices(tx, customer, [inv], {}, {}):
                c.alternatives = len(fee) - 1
                c.plausibility = 1.0 - 0.01 * rank  # the likeliest charge first
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


def _charge_order(inv: InvoiceRecord, tx: Transaction, book: Book) -> tuple[bool, Decimal]:
    """Sort key of an invoice a bank charge above the amount: a charge as a bank's tariff sets
    it, in whole tens of cents (50.00, 15.00, 35.50), before one with odd cents (34.29: an
    invoice that merely happens to lie that close), then the smallest."""
    charge = book.open_amount(inv) - tx.amount
    return (charge * 10) % 1 != 0, charge
