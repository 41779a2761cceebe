"""A payer naming one of the invoices it pays and "the others" ("付 INV-2026-0603 等",
"INV-2026-0603 and others") settles a batch of its ledger, the oldest first: of the
combinations of its open invoices that include the named one and add up to the amount, the one
of the oldest invoices is offered first (a person still decides: the amount fits several)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from reconcile.matching import CustomerRecord, MatchDecision, match_transactions
from tests.reconcile.test_matching_cases import inv, tx

D = Decimal
LIWAN = CustomerRecord("C02615", "深圳力万贸易有限公司", (), ("3205102360099476785",), "CNY")
CUSTOMERS = [LIWAN]
OPEN = [
    inv("INV-2026-0601", "C02615", "5000.00", issued=dt.date(2026, 1, 1)),
    inv("INV-2026-0602", "C02615", "11816.77", issued=dt.date(2026, 1, 29)),
    inv("INV-2026-0603", "C02615", "1200.00", issued=dt.date(2026, 2, 4)),
    inv("INV-2026-0604", "C02615", "15000.00", issued=dt.date(2026, 7, 14)),
    inv("INV-2026-0605", "C02615", "20000.00", issued=dt.date(2026, 8, 16)),  # 5000 + 15000
    inv("INV-2026-0606", "C02615", "12801.06", issued=dt.date(2026, 8, 21)),
]
OLDEST = {"INV-2026-0601", "INV-2026-0602", "INV-2026-0603", "INV-2026-0604"}
FEWEST = {"INV-2026-0602", "INV-2026-0603", "INV-2026-0605"}
PAYER = {"name": "深圳力万贸易有限公司", "account": "3205102360099476785"}


def _decide(reference: str) -> MatchDecision:
    (d,) = match_transactions([tx("33016.77", reference, **PAYER)], CUSTOMERS, OPEN)
    return d


def _offered(d: MatchDecision) -> list[set[str]]:
    return [{a.invoice for a in s.allocations} for s in d.suggestions]


@pytest.mark.parametrize(
    "reference",
    [
        "汇入汇款 付 INV-2026-0603 等",
        "支付INV-2026-0603等货款",
        "INV-2026-0603 and others",
        "PAYMENT INV-2026-0603 ETC",
    ],
)
def test_one_invoice_named_and_others_offers_the_oldest_batch_first(reference: str) -> None:
    """Before, the combination of the fewest invoices came first (INV-2026-0605's 20000 for
    the older 5000 and 15000)."""
    d = _decide(reference)
    assert d.status == "suggested", [r.text for r in d.reasons]
    assert _offered(d)[:2] == [OLDEST, FEWEST]


def test_nothing_named_still_offers_the_fewest_invoices_first() -> None:
    d = _decide("汇入汇款 货款")
    assert d.status == "suggested"
    assert _offered(d)[:2] == [FEWEST, OLDEST]
