"""Currencies counted in thousandths (KWD, BHD, OMR…): the matcher adds and compares amounts
exactly to the fils, and its reasons print the third decimal. It used to count in cents: two
invoices of 10.121 and 20.121 (1012 + 2012 cents, rounded) "added up" to a payment of 30.240."""

from __future__ import annotations

from decimal import Decimal

from reconcile.matching import CustomerRecord, match_transactions
from reconcile.matching.erp_csv import read_invoices, write_invoices
from reconcile.matching.records import MatchDecision
from tests.reconcile.test_matching_cases import inv, tx

D = Decimal
GULF = CustomerRecord("KW01", "Gulf Pipes Trading Co", (), (), "KWD")
INVOICES = [
    inv("KW-2026-0011", "KW01", "10.121", currency="KWD"),
    inv("KW-2026-0012", "KW01", "20.121", currency="KWD"),
    inv("KW-2026-0013", "KW01", "95.500", currency="KWD"),
]


def _decide(amount: str, reference: str = "") -> MatchDecision:
    payment = tx(amount, reference, name="Gulf Pipes Trading Co", currency="KWD")
    (decision,) = match_transactions([payment], [GULF], INVOICES)
    return decision


def _applied(decision: MatchDecision) -> dict[str, Decimal]:
    return {a.invoice: a.amount for a in decision.allocations}


def test_two_invoices_are_paid_by_their_exact_total_only() -> None:
    assert _applied(_decide("30.242")) == {"KW-2026-0011": D("10.121"), "KW-2026-0012": D("20.121")}
    # two fils short is not their total: at most a suggestion for a person (a charge?), never
    # applied as if it were (it was, when the matcher counted in cents)
    off = _decide("30.240")
    assert off.status != "matched" and not off.allocations


def test_one_fils_apart_is_another_amount() -> None:
    assert _applied(_decide("95.500")) == {"KW-2026-0013": D("95.500")}
    off = _decide("95.501")
    assert off.status != "matched" and not off.allocations


def test_the_reasons_and_the_erp_file_print_the_fils() -> None:
    decision = _decide("40.125", "part payment KW-2026-0013")
    assert _applied(decision) == {"KW-2026-0013": D("40.125")}
    texts = " ".join(str(r) for r in decision.reasons)
    assert "40.125" in texts and "95.50" in texts
    again = read_invoices(write_invoices(INVOICES))
    assert [i.open_amount for i in again] == [D("10.121"), D("20.121"), D("95.50")]
