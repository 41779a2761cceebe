"""A payment naming some of the invoices it pays completes the combination with invoices that
no other payment of the run names: of two open invoices of one amount, it takes the one left
unnamed, even when the named one is older (found by ``bench/match_stress.py --seed 7``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from reconcile.matching import CustomerRecord, match_transactions
from tests.reconcile.test_matching_cases import inv, tx

D = Decimal
JINJIA = CustomerRecord("K00318", "深圳金嘉化工有限公司", (), ("6222000011117777",), "CNY")
PAYS = {"name": "深圳金嘉化工有限公司", "account": "6222000011117777"}
OPEN = [
    inv("INV-2026-00404", "K00318", "42571.29", issued=dt.date(2026, 3, 2)),
    inv("INV-2026-01514", "K00318", "31454.67", issued=dt.date(2026, 5, 4)),
    # two invoices of one amount: the older one is named by the second payment below
    inv("INV-2026-02317", "K00318", "61704.16", issued=dt.date(2026, 6, 1)),
    inv("INV-2026-02481", "K00318", "61704.16", issued=dt.date(2026, 7, 9)),
    inv("INV-2026-02482", "K00318", "24200.00", issued=dt.date(2026, 7, 10)),
    inv("INV-2026-03059", "K00318", "59909.71", issued=dt.date(2026, 9, 1)),
]


def test_a_combination_leaves_the_invoice_another_payment_names() -> None:
    """The first payment names two invoices and pays three (the third is one of the two of
    61 704,16); the second names INV-2026-02317 and pays it with INV-2026-03059. Before, the
    first took the older INV-2026-02317 for its third invoice, so the second found the invoice
    it names already paid and went to a person."""
    first = tx("135730.12", "INV INV-2026-00404,INV-2026-01514", **PAYS)
    second = tx("121613.87", "INV INV-2026-02317", **PAYS)
    d1, d2 = match_transactions([first, second], [JINJIA], OPEN)
    assert d1.status == "matched"
    assert {a.invoice for a in d1.allocations} == {
        "INV-2026-00404",
        "INV-2026-01514",
        "INV-2026-02481",
    }
    assert d2.status == "matched", [r.text for r in d2.reasons]
    assert {a.invoice: a.amount for a in d2.allocations} == {
        "INV-2026-02317": D("61704.16"),
        "INV-2026-03059": D("59909.71"),
    }
