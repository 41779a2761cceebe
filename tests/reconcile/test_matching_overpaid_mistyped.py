"""A payer whose name the bank prints one character off (the character in the trade word:
苏州隆中华工 for 苏州隆中化工) paying a little more than one of the customer's invoices and
naming nothing: that invoice is offered in full, the rest to stay on account; never applied
unseen."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from reconcile.matching import CustomerRecord, MatchDecision, match_transactions
from reconcile.matching.names import one_character_off
from tests.reconcile.test_matching_cases import inv, tx

D = Decimal
LONGZHONG = CustomerRecord("C00735", "苏州隆中化工有限公司", (), (), "CNY")
YINHUA = CustomerRecord("C01201", "苏州隆银化工有限公司", (), (), "CNY")
ACME = CustomerRecord("C00020", "Acme Industrial Supply LLC", (), (), "CNY")
CUSTOMERS = [LONGZHONG, YINHUA, ACME]
OPEN = [
    inv("INV-2026-03538", "C00735", "30547.85", issued=dt.date(2026, 7, 23)),
    inv("INV-2026-03540", "C00735", "72849.85", issued=dt.date(2026, 4, 9)),
    inv("INV-2026-03541", "C00735", "2500.00", issued=dt.date(2026, 9, 22)),
    inv("INV-2026-03548", "C00735", "191690.11", issued=dt.date(2026, 10, 10)),
    inv("INV-2026-03600", "C01201", "12000.00"),
    inv("INV-2026-00150", "C00020", "2488.40"),
]


def _decide(amount: str, reference: str, payer: str) -> MatchDecision:
    (d,) = match_transactions([tx(amount, reference, name=payer)], CUSTOMERS, OPEN)
    return d


@pytest.mark.parametrize(
    ("payer", "reference", "amount", "customer", "invoice", "open_amount"),
    [
        (
            "苏州隆中华工有限公司",
            "汇入汇款 合同款",
            "73038.80",
            "C00735",
            "INV-2026-03540",
            "72849.85",
        ),
        ("苏州隆中化工有线公司", "货款", "73038.80", "C00735", "INV-2026-03540", "72849.85"),
        ("ACME INDUSTRIAL SUPLY LLC", "PAYMENT", "2500.00", "C00020", "INV-2026-00150", "2488.40"),
    ],
)
def test_an_overpayment_from_a_name_one_character_off_offers_the_invoice(
    payer: str, reference: str, amount: str, customer: str, invoice: str, open_amount: str
) -> None:
    """Before, the name counted as barely similar and the overpayment was left unmatched with
    nothing offered (the name spelt right offers it)."""
    d = _decide(amount, reference, payer)
    assert d.status == "suggested", [r.text for r in d.reasons]
    top = d.suggestions[0]
    assert top.customer == customer
    assert {a.invoice: a.amount for a in top.allocations} == {invoice: D(open_amount)}
    assert any("overpayment?" in r.text for r in top.reasons)


def test_an_overpayment_of_round_invoices_from_a_mistyped_name_offers_nothing_sure() -> None:
    """12000.00 is a round figure many payments come near: the mistyped name is not helped."""
    d = _decide("12100.00", "货款", "苏州隆银华工有限公司")
    assert d.status != "matched"


def test_the_exact_amount_from_a_name_with_its_trade_word_mistyped_is_applied() -> None:
    d = _decide("72849.85", "汇入汇款 合同款", "苏州隆中华工有限公司")
    assert d.status == "matched", [r.text for r in d.reasons]
    assert {a.invoice for a in d.allocations} == {"INV-2026-03540"}


@pytest.mark.parametrize(
    ("payer", "customer", "off"),
    [
        ("苏州隆中华工有限公司", "苏州隆中化工有限公司", True),  # 华 for 化 in the trade word
        ("上海华美贸有限公司", "上海华美贸易有限公司", True),  # the trade word cut short
        ("上海华美电器有限公司", "上海华美电子有限公司", False),  # another trade
        ("苏州华美贸易有限公司", "上海华美贸易有限公司", False),  # another place
    ],
)
def test_one_character_off_in_the_trade_word(payer: str, customer: str, off: bool) -> None:
    assert one_character_off(payer, customer) is off
