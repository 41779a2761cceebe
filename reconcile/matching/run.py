"""Run the matcher over a batch: duplicates, two passes, nothing paid twice.

``match_transactions`` works in two passes. The first judges every credit against the open
amounts as given; the second applies the automatic matches in order of confidence, tracking what
is still open on each invoice, and re-judges any transaction whose invoices were consumed in the
meantime. So no invoice ever receives more than its open amount across the run.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections import defaultdict
from collections.abc import Collection, Sequence
from decimal import Decimal

from ..model import Transaction
from ..own import account_key
from .book import Book
from .engine import Matcher
from .records import (
    CustomerRecord,
    InvoiceRecord,
    LearnedPayer,
    MatchDecision,
    Reason,
    Suggestion,
)
from .settings import MatchSettings

ZERO = Decimal("0")


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
                        "duplicate", 1.0, "duplicate", bank_ref=tx.bank_ref, account=tx.our_account
                    )
                    if tx.our_account
                    else Reason.coded("duplicate", 1.0, "duplicate_ref", bank_ref=tx.bank_ref)
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
