"""A payer's name one character off two customers' names (天津明大电器 for 天津明达电器 or
天津明银电器): nothing is applied unseen, and the reading the amount fits to the cent comes first,
before an overpayment of the other customer's invoice (found by ``bench.match_bench --seed 41``)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from reconcile.matching import CustomerRecord, MatchDecision, match_transactions
from tests.reconcile.test_matching_cases import inv, tx

D = Decimal
MINGDA = CustomerRecord("C01858", "天津明达电器有限责任公司", (), ("6217349763643080411",), "CNY")
MINGYIN = CustomerRecord("C00403", "天津明银电器有限责任公司", (), ("3100794246260775522",), "CNY")
LANDE = CustomerRecord("C02527", "宁波蓝德机械有限公司", (), (), "CNY")
LANYOU = CustomerRecord("C00977", "宁波蓝优机械股份有限公司", (), (), "CNY")
CUSTOMERS = [MINGDA, MINGYIN, LANDE, LANYOU]
OPEN = [
    inv("INV-2026-09408", "C01858", "50725.35"),
    inv("INV-2026-09410", "C01858", "64156.70"),
    inv("INV-2026-01965", "C00403", "50000.00"),
    inv("INV-2026-01964", "C00403", "41434.96"),
    inv("INV-2026-12706", "C02527", "24241.43"),
    inv("INV-2026-12705", "C02527", "24241.43"),
    inv("INV-2026-04850", "C00977", "22601.57"),
    inv("INV-2026-04842", "C00977", "44717.00"),
]


def _decide(amount: str, reference: str, payer: str) -> MatchDecision:
    (d,) = match_transactions([tx(amount, reference, name=payer)], CUSTOMERS, OPEN)
    return d


@pytest.mark.parametrize(
    ("payer", "amount", "reference", "want"),
    [
        # 50 725,35 is Mingda's invoice to the cent; it is 725,35 above Mingyin's 50 000,00
        ("天津明大电器有限责任公司", "50725.35", "订单 1102 货款", ("C01858", "INV-2026-09408")),
        # Lande owes 24 241,43 twice (the oldest is taken); Lanyou's 22 601,57 is 1 639,86 less
        ("宁波蓝得机械有限公司", "24241.43", "payment", ("C02527", "INV-2026-12705")),
    ],
)
def test_the_amount_to_the_cent_comes_before_another_lookalikes_overpayment(
    payer: str, amount: str, reference: str, want: tuple[str, str]
) -> None:
    """Before, the overpayment of the other customer's invoice was ranked first (0.80 against
    0.79 and 0.71): an overpayment took the score of a name one character off as if the name
    were like nobody else's."""
    d = _decide(amount, reference, payer)
    assert d.status == "suggested"
    first = d.suggestions[0]
    assert (first.customer, [a.invoice for a in first.allocations]) == (want[0], [want[1]])
    assert d.suggestions[1].confidence < first.confidence
