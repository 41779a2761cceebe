"""Matching bullets of issue 15: other spellings of a payer, payer inside the remittance text,
oldest invoices first, near-namesakes, learned accounts, subset search among many open items."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from reconcile.matching import CustomerRecord, LearnedPayer, match_transactions
from reconcile.matching.spellings import SpellingIndex, same_person
from tests.reconcile.test_matching_cases import inv, tx

D = Decimal
TAIFENG = CustomerRecord("C1", "宁波泰丰纺织有限公司", (), (), "CNY")
TAIFENG_CHEM = CustomerRecord("C2", "宁波泰丰化工有限公司", (), (), "CNY")
ZHANG = CustomerRecord("C3", "张伟", (), (), "CNY")
SMITH = CustomerRecord("C4", "John Albert Smith", (), (), "CNY")


def _decide(t, customers, invoices, **kw):  # type: ignore[no-untyped-def]
    (d,) = match_transactions([t], customers, invoices, **kw)
    return d


def test_pinyin_and_person_spellings() -> None:
    index = SpellingIndex([(c.code, c.name) for c in (TAIFENG, TAIFENG_CHEM, ZHANG, SMITH)])
    assert index.lookup("NINGBO TAIFENG TEXTILE CO LTD") == {"C1"}
    assert index.lookup("NINGBO TAIFENG CO LTD") == {"C1", "C2"}  # which one is not known
    assert index.lookup("WEI ZHANG") == {"C3"}
    assert index.lookup("Smith, John A.") == {"C4"}
    assert same_person("J. SMITH", "John Albert Smith")
    assert not same_person("Jane Smith", "John Smith")


def test_pinyin_payer_is_applied_and_an_ambiguous_one_is_not() -> None:
    invoices = [inv("INV-T1", "C1", "12000.00"), inv("INV-T2", "C2", "9000.00")]
    customers = [TAIFENG, TAIFENG_CHEM, ZHANG, SMITH]
    d = _decide(
        tx("12000.00", "TT PAYMENT", name="NINGBO TAIFENG TEXTILE CO LTD"), customers, invoices
    )
    assert d.status == "matched" and d.customer == "C1"
    # the amount fits the textile company, but the payer could be either of them
    d = _decide(tx("9000.00", "TT PAYMENT", name="NINGBO TAIFENG CO LTD"), customers, invoices)
    assert d.status != "matched"


def test_names_in_another_order_with_initials() -> None:
    invoices = [inv("INV-S1", "C4", "777.70")]
    d = _decide(tx("777.70", "payment", name="SMITH, J. A."), [SMITH, ZHANG], invoices)
    assert d.customer == "C4" and d.status == "matched"


def test_payer_only_inside_the_remittance_text_via_the_parser_step() -> None:
    from reconcile.remittance import payer_from_text

    assert payer_from_text("汇款人：宁波泰丰纺织有限公司 附言：货款") == "宁波泰丰纺织有限公司"


def test_oldest_invoices_in_full_then_the_next_in_part() -> None:
    customer = CustomerRecord("C9", "杭州远景贸易有限公司", (), ("6222000011110000",), "CNY")
    invoices = [
        inv("INV-O1", "C9", "1000.00", issued=dt.date(2026, 7, 1)),
        inv("INV-O2", "C9", "2000.00", issued=dt.date(2026, 8, 1)),
        inv("INV-O3", "C9", "3000.00", issued=dt.date(2026, 9, 1)),
    ]
    # no combination of invoices makes 3500: the two oldest in full, the next in part
    t = tx("3500.00", "payment on account", name="杭州远景贸易有限公司", account="6222000011110000")
    d = _decide(t, [customer], invoices)
    got = {a.invoice: a.amount for a in (d.allocations or d.suggestions[0].allocations)}
    assert got == {"INV-O1": D("1000.00"), "INV-O2": D("2000.00"), "INV-O3": D("500.00")}


def test_near_namesake_with_an_equal_open_amount_is_never_auto_applied() -> None:
    a = CustomerRecord("CA", "上海华美贸易有限公司", (), (), "CNY")
    b = CustomerRecord("CB", "上海华美商贸有限公司", (), (), "CNY")
    invoices = [inv("INV-A", "CA", "5000.00"), inv("INV-B", "CB", "5000.00")]
    d = _decide(tx("5000.00", "货款", name="上海华美有限公司"), [a, b], invoices)
    assert d.status != "matched"


def test_learned_account_beats_a_look_alike_name() -> None:
    a = CustomerRecord("CA", "上海华美贸易有限公司", (), (), "CNY")
    b = CustomerRecord("CB", "北京远景科技有限公司", (), (), "CNY")
    invoices = [inv("INV-A", "CA", "880.00"), inv("INV-B", "CB", "880.00")]
    learned = [LearnedPayer(customer="CB", payer_account="6222999900001111", payer_name=None)]
    t = tx("880.00", "货款", name="上海华美贸易有限公司", account="6222999900001111")
    d = _decide(t, [a, b], invoices, learned=learned)
    assert d.customer == "CB"


def test_subset_of_six_among_a_hundred_and_twenty_open_items() -> None:
    customer = CustomerRecord("CS", "深圳前海科技有限公司", (), ("6222000077778888",), "CNY")
    rng = random.Random(5)
    small = {3, 17, 42, 66, 90, 111}  # a customer's small orders among big ones
    invoices = [
        inv(
            f"INV-S{i:03d}",
            "CS",
            f"{rng.randint(800, 2_999) if i in small else rng.randint(900, 99_999)}"
            f".{rng.randint(0, 99):02d}",
        )
        for i in range(120)
    ]
    chosen = [invoices[i] for i in sorted(small)]
    total = sum((i.open_amount for i in chosen), D("0"))
    t = tx(str(total), "货款", name="深圳前海科技有限公司", account="6222000077778888")
    d = _decide(t, [customer], invoices)
    # found and offered first (six invoices named by nothing but their total: a person confirms)
    best = d.allocations or d.suggestions[0].allocations
    assert {a.invoice for a in best} == {i.number for i in chosen}
