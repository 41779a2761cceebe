"""One test per matching-engine bug found by ``bench/match_stress.py``."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from reconcile.matching import (
    CustomerRecord,
    InvoiceRecord,
    MatchDecision,
    MatchSettings,
    match_transactions,
)
from reconcile.matching.references import extract_mentions
from reconcile.model import Transaction

from .test_matching_cases import inv

D = Decimal

HUAMEI = CustomerRecord("C1", "上海华美贸易有限公司", (), ("6222020200112233445",), "CNY")
HUAMEI_BJ = CustomerRecord("C2", "上海华美贸易有限公司北京分公司", (), ("6228480099887766",), "CNY")
KESSLER = CustomerRecord("C3", "Kessler Maschinenbau GmbH", (), ("6217000011112222",), "USD")
OTHER = CustomerRecord("C4", "深圳瑞丰物流有限公司", (), (), "CNY")


def credit(
    amount: str,
    *,
    name: str | None = None,
    account: str | None = None,
    reference: str = "",
    currency: str = "CNY",
    ref: str = "R1",
) -> Transaction:
    return Transaction(
        bank_ref=ref,
        booking_date=dt.date(2026, 11, 20),
        amount=D(amount),
        direction="credit",
        currency=currency,
        payer_name=name,
        payer_account=account,
        reference=reference,
        our_account="31050161393600000123",
    )


def run(
    txs: list[Transaction], customers: list[CustomerRecord], invoices: list[InvoiceRecord]
) -> list[MatchDecision]:
    return match_transactions(txs, customers, invoices, settings=MatchSettings())


def test_branch_customer_paying_under_its_own_name_is_not_confused_with_its_parent() -> None:
    # the name key drops the branch suffix, so parent and branch used to tie as payers and a
    # made-up overpayment of the parent's invoice came within the margin
    invoices = [
        inv("INV-2026-00101", "C1", "19597.12"),
        inv("INV-2026-00102", "C2", "20400.00"),
    ]
    (d,) = run(
        [credit("20400.00", name="上海华美贸易有限公司北京分公司")], [HUAMEI, HUAMEI_BJ], invoices
    )
    assert d.status == "matched"
    assert d.customer == "C2"
    assert [(a.invoice, a.amount) for a in d.allocations] == [("INV-2026-00102", D("20400.00"))]


def test_parent_paying_from_an_unknown_branch_is_the_parent() -> None:
    invoices = [inv("INV-2026-00101", "C1", "5000.00"), inv("INV-2026-00102", "C2", "7000.00")]
    (d,) = run(
        [credit("5000.00", name="上海华美贸易有限公司苏州分公司")], [HUAMEI, HUAMEI_BJ], invoices
    )
    assert d.status == "matched"
    assert d.customer == "C1"


def test_fee_short_payment_of_same_amount_invoices_follows_the_oldest_first_policy() -> None:
    invoices = [
        inv("INV-2026-00201", "C1", "76636.83", issued=dt.date(2026, 10, 9)),
        inv("INV-2026-00202", "C1", "76636.83", issued=dt.date(2026, 6, 11)),
    ]
    (d,) = run([credit("76626.33", name="上海华美贸易有限公司")], [HUAMEI], invoices)
    assert d.status == "matched"
    assert [(a.invoice, a.amount) for a in d.allocations] == [("INV-2026-00202", D("76626.33"))]
    assert d.write_off == D("10.50")
    assert any("oldest_first" in r.text for r in d.reasons)


def test_reference_to_a_paid_invoice_is_not_applied_to_its_same_amount_sibling() -> None:
    invoices = [
        inv("INV-2026-00301", "C1", "13338.75", open_amount="0"),
        inv("INV-2026-00302", "C1", "13338.75", issued=dt.date(2026, 10, 1)),
    ]
    (d,) = run(
        [credit("13338.75", name="上海华美贸易有限公司", reference="RE: INVOICE INV-2026-00301")],
        [HUAMEI],
        invoices,
    )
    assert d.status == "suggested"
    assert d.suggestions[0].allocations[0].invoice == "INV-2026-00302"
    assert any("INV-2026-00301" in r.text for r in d.reasons)


def test_reference_to_an_invoice_in_another_currency_blocks_an_automatic_match() -> None:
    invoices = [
        inv("INV-2026-00420", "C3", "47025.09", currency="CNY"),
        inv("INV-2026-00421", "C3", "47025.09", currency="USD"),
    ]
    (d,) = run(
        [
            credit(
                "47025.09", account="6217000011112222", reference="INV 2026/00420", currency="USD"
            )
        ],
        [KESSLER],
        invoices,
    )
    assert d.status == "suggested"
    assert d.suggestions[0].allocations[0].invoice == "INV-2026-00421"


def test_double_payment_of_an_invoice_is_not_moved_to_another_one() -> None:
    # the second entry names the invoice the first one already paid; the engine used to
    # re-judge it and post it unseen on a sibling of the same amount
    invoices = [
        inv("INV-2026-00501", "C1", "8800.00", issued=dt.date(2026, 8, 1)),
        inv("INV-2026-00502", "C1", "8800.00", issued=dt.date(2026, 9, 1)),
    ]
    txs = [
        credit("8800.00", name="上海华美贸易有限公司", reference="INV-2026-00501", ref="R1"),
        credit("8800.00", name="上海华美贸易有限公司", reference="INV-2026-00501", ref="R2"),
    ]
    first, second = run(txs, [HUAMEI], invoices)
    assert first.status == "matched"
    assert [a.invoice for a in first.allocations] == ["INV-2026-00501"]
    assert second.status != "matched"


def test_another_documents_number_is_not_read_as_an_invoice_number() -> None:
    assert all(m.kind == "bare" for m in extract_mentions("合同HT-2026-0456货款"))
    assert [m.seq for m in extract_mentions("发票号2026-00456") if m.kind == "full"] == [456]
    invoices = [
        inv("INV-2026-00456", "C4", "99.00"),
        inv("INV-2026-00457", "C1", "53152.74"),
    ]
    (d,) = run(
        [credit("53152.74", name="上海华美贸易有限公司", reference="合同HT-2026-0456货款")],
        [HUAMEI, OTHER],
        invoices,
    )
    assert d.status == "matched"
    assert [a.invoice for a in d.allocations] == ["INV-2026-00457"]


def test_several_invoices_of_a_customer_with_many_open_items_are_found() -> None:
    # 45 open items: the depth-first subset search ran out of steps and gave "unmatched"
    rng = random.Random(4)
    invoices = [
        inv(f"INV-2026-{600 + k:05d}", "C1", str(D(rng.randint(30_000, 9_000_000)) / 100))
        for k in range(45)
    ]
    paid = [invoices[3], invoices[11], invoices[19], invoices[27], invoices[35], invoices[44]]
    total = sum((i.amount for i in paid), D(0))
    (d,) = run(
        [credit(str(total), name="上海华美贸易有限公司", reference="货款")], [HUAMEI], invoices
    )
    assert d.status in ("matched", "suggested")
    offered = d.allocations if d.status == "matched" else list(d.suggestions[0].allocations)
    assert {a.invoice for a in offered} == {i.number for i in paid}
    assert sum((a.amount for a in offered), D(0)) == total


def test_name_one_character_off_with_an_exact_amount_is_applied() -> None:
    invoices = [inv("INV-2026-00701", "C1", "35163.05"), inv("INV-2026-00702", "C1", "900.00")]
    (d,) = run([credit("35163.05", name="上海华每贸易有限公司")], [HUAMEI], invoices)
    assert d.status == "matched"
    assert [a.invoice for a in d.allocations] == ["INV-2026-00701"]
    assert any("one character off" in r.text for r in d.reasons)
    # a round amount is paid by many: the mistyped name then only suggests
    (d,) = run([credit("900.00", name="上海华每贸易有限公司")], [HUAMEI], invoices)
    assert d.status == "suggested"


def test_name_one_character_off_two_customers_is_not_applied() -> None:
    huamei_2 = CustomerRecord("C5", "上海华梅贸易有限公司", (), (), "CNY")
    invoices = [inv("INV-2026-00701", "C1", "35163.05"), inv("INV-2026-00702", "C5", "1.00")]
    (d,) = run([credit("35163.05", name="上海华每贸易有限公司")], [HUAMEI, huamei_2], invoices)
    assert d.status != "matched"


def test_face_value_paid_after_a_part_payment_is_not_read_as_a_typo() -> None:
    # INV-…01835 was half paid; the customer pays its full face value again. Its neighbour
    # INV-…01834 happens to be open for exactly that amount: the engine used to post the
    # payment there as a "typo", although the number as written explains the amount too
    invoices = [
        inv("INV-2026-01834", "C1", "80284.83"),
        inv("INV-2026-01835", "C1", "80284.83", open_amount="32113.93"),
    ]
    (d,) = run(
        [credit("80284.83", name="上海华美贸易有限公司", reference="INV202601835")],
        [HUAMEI],
        invoices,
    )
    assert d.status == "suggested"
    offered = {s.allocations[0].invoice for s in d.suggestions}
    assert offered == {"INV-2026-01834", "INV-2026-01835"}


def test_unknown_payers_typo_with_an_exact_amount_ranks_above_a_partial_payment() -> None:
    invoices = [
        inv("INV-2026-01471", "C4", "32960.56"),
        inv("INV-2026-01417", "C1", "76867.40"),
    ]
    (d,) = run(
        [
            credit(
                "76867.40",
                name="朱伟",
                account="4420052766775085007",
                reference="支付INV-2026-01471货款",
            )
        ],
        [HUAMEI, OTHER],
        invoices,
    )
    assert d.status == "suggested"
    top = d.suggestions[0]
    assert [a.invoice for a in top.allocations] == ["INV-2026-01417"]
    assert any("typo of INV-2026-01417" in r.text for r in top.reasons)


def test_equal_amount_invoice_named_by_another_payment_is_left_to_it() -> None:
    # three invoices of one amount; the second payment names the oldest by its bare sequence.
    # The first (naming none) used to take the oldest and push the second onto another one
    invoices = [
        inv("INV-2026-00366", "C1", "26096.24", issued=dt.date(2026, 6, 1)),
        inv("INV-2026-00367", "C1", "26096.24", issued=dt.date(2026, 7, 1)),
        inv("INV-2026-00368", "C1", "26096.24", issued=dt.date(2026, 8, 1)),
    ]
    txs = [
        credit("26096.24", name="上海华美贸易有限公司", reference="货款", ref="R1"),
        credit("26096.24", name="上海华美贸易有限公司", reference="INV 2026-00366", ref="R2"),
    ]
    first, second = run(txs, [HUAMEI], invoices)
    assert [a.invoice for a in first.allocations] == ["INV-2026-00367"]
    assert any("not named by another payment" in r.text for r in first.reasons)
    assert second.status == "matched"
    assert [a.invoice for a in second.allocations] == ["INV-2026-00366"]


def test_bare_sequence_confirmed_by_amount_and_payer_beats_a_same_amount_sibling() -> None:
    # "02596" alone names INV-2026-02596; its sibling of equal amount, named by nobody, used to
    # tie with it and send a well-referenced payment to a person
    invoices = [
        inv("INV-2026-02590", "C1", "48493.62", issued=dt.date(2026, 5, 1)),
        inv("INV-2026-02596", "C1", "48493.62", issued=dt.date(2026, 9, 1)),
    ]
    (d,) = run(
        [credit("48493.62", name="上海华美贸易有限公司", reference="02596")], [HUAMEI], invoices
    )
    assert d.status == "matched"
    assert [a.invoice for a in d.allocations] == ["INV-2026-02596"]
