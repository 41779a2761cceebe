"""Hypothesis: whatever the payments, no invoice is over-allocated and no payment over-spent."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from reconcile.matching import CustomerRecord, InvoiceRecord, MatchSettings, match_transactions
from reconcile.model import Transaction

CUSTOMERS = [
    CustomerRecord("C1", "上海华美贸易有限公司", (), ("6222000011112222",), "CNY"),
    CustomerRecord("C2", "苏州华美贸易有限公司", ("Suzhou Huamei Trading Co., Ltd.",), (), "CNY"),
    CustomerRecord("C3", "Acme Tools LLC", (), ("9999000011112222",), "USD"),
]
PAYERS = [None, "上海华美贸易有限公司", "苏州华美贸易", "SUZHOU HUAMEI TRADING CO LTD", "张伟"]
ACCOUNTS = [None, "6222000011112222", "9999000011112222", "1234567890"]
# few distinct amounts, so that equal amounts, sums and fee shortfalls collide often
AMOUNTS = [Decimal(v) for v in ("100.00", "250.00", "350.00", "500.00", "1000.00", "1234.56")]

invoices_st = st.lists(
    st.tuples(
        st.sampled_from(["C1", "C2", "C3"]),
        st.sampled_from(AMOUNTS),
        st.sampled_from([1.0, 0.5, 0.0]),
        st.integers(0, 200),
    ),
    min_size=1,
    max_size=12,
)


@st.composite
def scenario(draw: st.DrawFn) -> tuple[list[InvoiceRecord], list[Transaction]]:
    rows = draw(invoices_st)
    invoices = []
    for n, (customer, amount, open_share, age) in enumerate(rows, start=1):
        currency = "USD" if customer == "C3" else "CNY"
        issued = dt.date(2026, 10, 1) - dt.timedelta(days=age)
        open_amount = (amount * Decimal(str(open_share))).quantize(Decimal("0.01"))
        invoices.append(
            InvoiceRecord(
                f"INV-2026-{n:05d}", customer, issued, issued, currency, amount, open_amount
            )
        )
    numbers = [i.number for i in invoices]
    payer_of = {"C1": "上海华美贸易有限公司", "C2": "苏州华美贸易", "C3": "Acme Tools LLC"}
    txs = []
    for _ in range(draw(st.integers(1, 10))):
        # most payments aim at an invoice (often the same one twice), some at nothing
        target = draw(st.sampled_from(invoices))
        if draw(st.booleans()):
            base = target.open_amount if target.open_amount > 0 else target.amount
            currency = target.currency
            payer = draw(st.sampled_from([payer_of[target.customer], None]))
        else:
            base = draw(st.sampled_from([a + b for a in AMOUNTS[:3] for b in AMOUNTS[:3]]))
            currency = draw(st.sampled_from(["CNY", "USD"]))
            payer = draw(st.sampled_from(PAYERS))
        delta = draw(st.sampled_from([Decimal(0), Decimal(0), Decimal("-20"), Decimal("15")]))
        amount = max(base + delta, Decimal("0.01"))
        named = draw(st.lists(st.sampled_from(numbers), max_size=2))
        if draw(st.booleans()):
            named.append(target.number)
        txs.append(
            Transaction(
                bank_ref=f"R{draw(st.integers(0, 12))}",
                booking_date=dt.date(2026, 11, 1),
                amount=amount,
                direction=draw(st.sampled_from(["credit", "credit", "credit", "debit"])),
                currency=currency,
                payer_name=payer,
                payer_account=draw(st.sampled_from(ACCOUNTS)),
                reference=" ".join(named) + draw(st.sampled_from(["", " 货款", " 预付款"])),
                our_account="OUR1",
            )
        )
    return invoices, txs


@settings(max_examples=150, deadline=None)
@given(scenario(), st.sampled_from(["oldest_first", "suggest"]))
def test_no_invoice_over_allocated_and_no_payment_over_spent(
    case: tuple[list[InvoiceRecord], list[Transaction]], policy: str
) -> None:
    invoices, txs = case
    decisions = match_transactions(
        txs,
        CUSTOMERS,
        invoices,
        settings=MatchSettings(same_amount_policy=policy),  # type: ignore[arg-type]
    )
    assert [d.transaction for d in decisions] == txs
    by_number = {i.number: i for i in invoices}
    received: dict[str, Decimal] = defaultdict(Decimal)
    refs = set()
    for d in decisions:
        key = (d.transaction.our_account, d.transaction.bank_ref)
        assert (d.status == "duplicate") == (key in refs)
        refs.add(key)
        if d.status != "matched":
            assert d.allocations == []
            continue
        assert d.transaction.direction == "credit"
        assert d.allocated <= d.transaction.amount
        assert all(a.amount > 0 for a in d.allocations)
        assert 0.0 <= d.confidence <= 1.0
        for number, amount in d.settled().items():
            inv = by_number[number]
            assert inv.customer == d.customer
            assert inv.currency == d.transaction.currency
            received[number] += amount
    for number, total in received.items():
        assert total <= by_number[number].open_amount
