"""A number written short ("发票号1234", "INV 1234") that fits open invoices of several customers
(INV-2026-1234 of one, INV-2025-1234 of another), from a payer known as none of them: the
amount fitting one of them does not say whose invoice is paid, so it goes to a person with
both invoices offered and the reason why."""

from __future__ import annotations

from decimal import Decimal

import pytest

from reconcile.matching import CustomerRecord, MatchDecision, match_transactions
from tests.reconcile.test_matching_cases import inv, tx

D = Decimal
KANGDA = CustomerRecord("C1", "上海康达贸易有限公司", (), ("6222000011112222",), "CNY")
YUANFENG = CustomerRecord("C2", "北京远丰物流有限公司", (), (), "CNY")
HARTMANN = CustomerRecord("C4", "Hartmann Maschinenbau GmbH", (), (), "CNY")
CUSTOMERS = [KANGDA, YUANFENG, HARTMANN]
OPEN = [
    inv("INV-2026-0055", "C1", "800.00"),
    inv("INV-2026-1234", "C2", "4321.00"),
    inv("INV-2025-1234", "C4", "5000.00"),  # another customer's invoice of the same number
]


def _decide(reference: str, amount: str = "4321.00", **payer: str) -> MatchDecision:
    (d,) = match_transactions([tx(amount, reference, **payer)], CUSTOMERS, OPEN)
    return d


def _codes(d: MatchDecision) -> set[str]:
    return {part.code for r in d.reasons for part in r.parts}


@pytest.mark.parametrize(
    ("reference", "payer"),
    [
        ("发票号1234货款", "张伟"),
        ("付发票1234", "李娜"),
        ("INV 1234", "JOHN SMITH"),
        ("Invoice no. 1234 thank you", "SMITH J"),
        ("Rechnung 1234", "Müller, Hans"),
        ("Payment for invoice #1234", "Petr Novák"),
    ],
)
def test_an_unknown_payers_short_number_of_two_customers_goes_to_a_person(
    reference: str, payer: str
) -> None:
    """Before, the amount decided: INV-2026-1234 of C2 was paid unseen, though INV-2025-1234
    of C4 is as much "1234" and the payer is nobody known."""
    d = _decide(reference, name=payer)
    assert d.status == "suggested", [r.text for r in d.reasons]
    assert "ref_ambiguous_customers" in _codes(d)
    offered = {(s.customer, a.invoice) for s in d.suggestions for a in s.allocations}
    assert ("C2", "INV-2026-1234") in offered
    assert ("C4", "INV-2025-1234") in offered
    assert d.suggestions[0].allocations[0].invoice == "INV-2026-1234"  # the amount fits it
    (reason,) = [r for r in d.reasons if "ref_ambiguous_customers" in {p.code for p in r.parts}]
    assert "INV-2025-1234 (C4), INV-2026-1234 (C2)" in reason.text
    assert d.customer is None


def test_a_known_payer_with_none_of_them_leaves_it_to_a_person_too() -> None:
    d = _decide("发票号1234货款", name="上海康达贸易有限公司", account="6222000011112222")
    assert d.status == "suggested"
    assert "ref_ambiguous_customers" in _codes(d)


def test_a_known_payer_owning_one_of_them_pays_its_own() -> None:
    d = _decide("发票号1234货款", "5000.00", name="Hartmann Maschinenbau GmbH")
    assert d.status == "matched", [r.text for r in d.reasons]
    assert {a.invoice for a in d.allocations} == {"INV-2025-1234"}


def test_a_short_number_of_one_customer_is_still_paid() -> None:
    invoices = [i for i in OPEN if i.number != "INV-2025-1234"]
    (d,) = match_transactions([tx("4321.00", "INV 1234", name="JOHN SMITH")], CUSTOMERS, invoices)
    assert d.status == "matched"
    assert {a.invoice: a.amount for a in d.allocations} == {"INV-2026-1234": D("4321.00")}


def test_the_number_written_whole_names_its_invoice() -> None:
    d = _decide("INV-2026-1234", name="JOHN SMITH")
    assert d.status == "matched"
    assert {a.invoice for a in d.allocations} == {"INV-2026-1234"}
