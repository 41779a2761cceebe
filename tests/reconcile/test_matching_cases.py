"""The cases of issue 4, one test each, on a small hand-written ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from reconcile.matching import (
    CustomerRecord,
    InvoiceRecord,
    LearnedPayer,
    MatchDecision,
    MatchSettings,
    match_transactions,
)
from reconcile.model import Transaction

D = Decimal
HUAMEI = CustomerRecord(
    "C00017",
    "上海华美贸易有限公司",
    ("Shanghai Huamei Trading Co., Ltd.",),
    ("6222 0202 0011 2233 445",),
    "CNY",
)
HUAMEI_ELEC = CustomerRecord("C00018", "上海华美电子科技有限公司", (), ("6228480011223344",), "CNY")
SUZHOU_HUAMEI = CustomerRecord("C00019", "苏州华美贸易有限公司", (), (), "CNY")
ACME = CustomerRecord("C00020", "Acme Industrial Supply LLC", (), (), "USD")
CUSTOMERS = [HUAMEI, HUAMEI_ELEC, SUZHOU_HUAMEI, ACME]


def inv(
    number: str,
    customer: str,
    amount: str,
    *,
    issued: dt.date = dt.date(2026, 9, 1),
    currency: str = "CNY",
    po: str | None = None,
    open_amount: str | None = None,
) -> InvoiceRecord:
    return InvoiceRecord(
        number,
        customer,
        issued,
        issued + dt.timedelta(days=30),
        currency,
        D(amount),
        D(open_amount if open_amount is not None else amount),
        po,
    )


INVOICES = [
    inv("INV-2026-00123", "C00017", "5000.00", po="PO-88123"),
    inv("INV-2026-00124", "C00017", "1200.00", issued=dt.date(2026, 9, 5)),
    inv("INV-2026-00125", "C00017", "800.50", issued=dt.date(2026, 9, 6)),
    inv("INV-2026-00126", "C00017", "333.33", issued=dt.date(2026, 9, 7)),
    inv("INV-2026-00132", "C00018", "7000.00"),
    inv("INV-2026-00140", "C00019", "6400.00"),
    inv("INV-2026-00150", "C00020", "2500.00", currency="USD"),
]

_counter = iter(range(1, 10_000))


def tx(
    amount: str,
    reference: str = "",
    *,
    name: str | None = None,
    account: str | None = None,
    currency: str = "CNY",
    direction: str = "credit",
    bank_ref: str | None = None,
    our_account: str = "31050161393600000123",
) -> Transaction:
    return Transaction(
        bank_ref=bank_ref or f"REF{next(_counter):06d}",
        booking_date=dt.date(2026, 11, 3),
        amount=D(amount),
        direction=direction,  # type: ignore[arg-type]
        currency=currency,
        payer_name=name,
        payer_account=account,
        reference=reference,
        our_account=our_account,
    )


def one(
    t: Transaction,
    *,
    invoices: list[InvoiceRecord] | None = None,
    customers: list[CustomerRecord] | None = None,
    **kwargs: object,
) -> MatchDecision:
    decisions = match_transactions(
        [t],
        customers if customers is not None else CUSTOMERS,
        invoices if invoices is not None else INVOICES,
        **kwargs,  # type: ignore[arg-type]
    )
    assert len(decisions) == 1
    return decisions[0]


def allocations(d: MatchDecision) -> dict[str, Decimal]:
    return {a.invoice: a.amount for a in d.allocations}


@pytest.mark.parametrize(
    "reference",
    [
        "INV-2026-00123",
        "INV2026-00123",
        "inv 2026 123",
        "发票号INV-2026-00123",
        "支付INV-2026-00123货款",
        "ＩＮＶ－２０２６－００１２３",
        "INV-2026-123",
    ],
)
def test_case1_invoice_number_any_spelling(reference: str) -> None:
    d = one(tx("5000.00", reference))
    assert d.status == "matched"
    assert d.customer == "C00017"
    assert allocations(d) == {"INV-2026-00123": D("5000.00")}
    assert any(r.criterion == "invoice_reference" and r.score == 1.0 for r in d.reasons)


def test_case1_sequence_only_with_known_payer() -> None:
    d = one(tx("5000.00", "发票号：123", name="上海华美贸易有限公司"))
    assert d.status == "matched"
    assert allocations(d) == {"INV-2026-00123": D("5000.00")}


def test_case1_typo_accepted_when_amount_and_payer_agree() -> None:
    # 00213 does not exist; the payer and the amount say 00123 (two digits swapped)
    d = one(tx("5000.00", "INV-2026-00213", account="6222020200112233445"))
    assert d.status == "matched"
    assert allocations(d) == {"INV-2026-00123": D("5000.00")}
    text = " ".join(r.text for r in d.reasons)
    assert "typo of INV-2026-00123" in text


def test_case1_typo_not_accepted_without_payer() -> None:
    d = one(tx("5000.00", "INV-2026-00213", name="张伟"))
    assert d.status != "matched"


def test_case1_typo_spelling_another_existing_invoice() -> None:
    # 00132 exists (another customer, 7,000.00) but payer and amount point at 00123
    d = one(tx("5000.00", "支付INV-2026-00132货款", name="上海华美贸易有限公司"))
    assert d.status == "matched"
    assert allocations(d) == {"INV-2026-00123": D("5000.00")}
    assert "INV-2026-00132" not in allocations(d)


def test_case2_po_number() -> None:
    d = one(tx("5000.00", "采购订单 PO-88123"))
    assert d.status == "matched"
    assert allocations(d) == {"INV-2026-00123": D("5000.00")}
    assert any(r.criterion == "po_number" for r in d.reasons)


def test_case3_payer_account_without_reference() -> None:
    d = one(tx("800.50", "货款", account="6222020200112233445"))
    assert d.status == "matched"
    assert d.customer == "C00017"
    assert allocations(d) == {"INV-2026-00125": D("800.50")}
    assert any("6222…3445 belongs to C00017" in r.text for r in d.reasons)


@pytest.mark.parametrize(
    "payer",
    [
        "上海华美贸易有限公司",
        "上海华美贸易",
        "上海华美贸易股份有限公司",
        "上海 华美 贸易 有限公司",
        "上海华美贸易有限公司北京分公司",
        "SHANGHAI HUAMEI TRADING CO LTD",
        "Shanghai Huamei Trading Co.,Ltd.",
    ],
)
def test_case3_payer_name_spellings(payer: str) -> None:
    d = one(tx("800.50", "", name=payer))
    assert d.status == "matched", d.suggestions
    assert allocations(d) == {"INV-2026-00125": D("800.50")}


def test_case3_mistyped_name_is_found_but_not_auto_applied_blindly() -> None:
    d = one(tx("800.50", "", name="上海华每贸易有限公司"))
    assert d.status in ("matched", "suggested")
    best = d.allocations if d.status == "matched" else list(d.suggestions[0].allocations)
    assert [a.invoice for a in best] == ["INV-2026-00125"]
    assert any(
        "% similar to 上海华美贸易有限公司" in r.text
        for r in [*d.reasons] + [r for s in d.suggestions for r in s.reasons]
    )


def test_case3_name_cut_at_35_characters() -> None:
    long = CustomerRecord(
        "C00030",
        "Guangzhou Everbright Precision Instruments Manufacturing Co., Ltd.",
        (),
        (),
        "CNY",
    )
    invoices = [inv("INV-2026-00300", "C00030", "4321.09")]
    name = "GUANGZHOU EVERBRIGHT PRECISION INSTRUMENTS MANUFACTURING"[:35]
    d = one(tx("4321.09", "", name=name), invoices=invoices, customers=[*CUSTOMERS, long])
    assert d.status == "matched"
    assert d.customer == "C00030"


def test_near_namesakes_are_told_apart() -> None:
    invoices = [
        inv("INV-2026-00201", "C00017", "6400.00"),
        inv("INV-2026-00202", "C00018", "6400.00"),
        inv("INV-2026-00140", "C00019", "6400.00"),
    ]
    for payer, code in (
        ("上海华美贸易有限公司", "C00017"),
        ("上海华美电子科技有限公司", "C00018"),
        ("苏州华美贸易有限公司", "C00019"),
    ):
        d = one(tx("6400.00", "", name=payer), invoices=invoices)
        assert d.status == "matched", (payer, d.suggestions)
        assert d.customer == code


def test_case4_several_invoices_none_named() -> None:
    d = one(tx("2000.50", "货款", name="上海华美贸易有限公司"))
    assert d.status == "matched"
    assert allocations(d) == {"INV-2026-00124": D("1200.00"), "INV-2026-00125": D("800.50")}
    assert any("amount equals the total of 2 open invoices" in r.text for r in d.reasons)


def test_case4_several_invoices_some_named() -> None:
    d = one(tx("7000.50", "付 INV-2026-00123 等", name="上海华美贸易有限公司"))
    assert d.status == "matched"
    assert allocations(d) == {
        "INV-2026-00123": D("5000.00"),
        "INV-2026-00124": D("1200.00"),
        "INV-2026-00125": D("800.50"),
    }


def test_case4_several_invoices_all_named() -> None:
    d = one(tx("6200.00", "支付INV-2026-00123、00124货款"))
    assert d.status == "matched"
    assert allocations(d) == {"INV-2026-00123": D("5000.00"), "INV-2026-00124": D("1200.00")}


def test_case5_partial_payment_of_named_invoice() -> None:
    d = one(tx("2000.00", "INV-2026-00123 部分付款", name="上海华美贸易有限公司"))
    assert d.status == "matched"
    assert allocations(d) == {"INV-2026-00123": D("2000.00")}
    assert d.write_off is None


def test_case5_overpayment_leaves_rest_unapplied() -> None:
    d = one(tx("5100.00", "INV-2026-00123", name="上海华美贸易有限公司"))
    assert d.status == "matched"
    assert allocations(d) == {"INV-2026-00123": D("5000.00")}
    assert d.unapplied == D("100.00")
    assert d.customer == "C00017"


def test_case5_short_by_bank_fee_is_written_off() -> None:
    d = one(tx("4975.00", "INV-2026-00123", name="上海华美贸易有限公司"))
    assert d.status == "matched"
    # the money received is allocated; the bank charge settles the rest of the invoice
    assert allocations(d) == {"INV-2026-00123": D("4975.00")}
    assert d.write_off == D("25.00")
    assert d.settled() == {"INV-2026-00123": D("5000.00")}
    assert d.to_json()["write_off"] == "25.00"


def test_case5_short_beyond_tolerance_is_a_partial_payment() -> None:
    d = one(tx("4900.00", "INV-2026-00123", name="上海华美贸易有限公司"))
    assert allocations(d) == {"INV-2026-00123": D("4900.00")}
    assert d.write_off is None


def test_case5_fee_tolerance_is_per_currency() -> None:
    settings = MatchSettings(fee_tolerance={"CNY": D("10"), "USD": D("35")})
    d = one(tx("4975.00", "INV-2026-00123", name="上海华美贸易有限公司"), settings=settings)
    assert d.write_off is None
    d = one(tx("2470.00", "INV-2026-00150", currency="USD"), settings=settings)
    assert d.status == "matched"
    assert d.write_off == D("30.00")


@pytest.mark.parametrize("payer", ["中信保理有限公司", "上海华美集团有限公司", "王伟"])
def test_case6_third_party_with_invoice_number(payer: str) -> None:
    d = one(tx("5000.00", "代上海华美付款 INV-2026-00123", name=payer, account="6217000011112222"))
    assert d.status == "matched"
    assert d.customer == "C00017"
    assert allocations(d) == {"INV-2026-00123": D("5000.00")}


SAME = [
    inv("INV-2026-00401", "C00017", "3000.00", issued=dt.date(2026, 8, 1)),
    inv("INV-2026-00402", "C00017", "3000.00", issued=dt.date(2026, 7, 1)),
    inv("INV-2026-00403", "C00017", "3000.00", issued=dt.date(2026, 9, 1)),
]


def test_case7_same_amount_oldest_first() -> None:
    d = one(tx("3000.00", "", name="上海华美贸易有限公司"), invoices=SAME)
    assert d.status == "matched"
    assert allocations(d) == {"INV-2026-00402": D("3000.00")}
    assert any("policy oldest_first" in r.text for r in d.reasons)


def test_case7_same_amount_policy_suggest() -> None:
    settings = MatchSettings(same_amount_policy="suggest")
    d = one(tx("3000.00", "", name="上海华美贸易有限公司"), invoices=SAME, settings=settings)
    assert d.status == "suggested"
    assert len(d.suggestions) == 3
    assert d.suggestions[0].allocations[0].invoice == "INV-2026-00402"
    assert any("policy suggest" in r.text for s in d.suggestions for r in s.reasons)


def test_case7_two_payments_take_the_two_oldest() -> None:
    txs = [tx("3000.00", "", name="上海华美贸易有限公司") for _ in range(2)]
    decisions = match_transactions(txs, CUSTOMERS, SAME)
    assert [d.status for d in decisions] == ["matched", "matched"]
    assert sorted(a.invoice for d in decisions for a in d.allocations) == [
        "INV-2026-00401",
        "INV-2026-00402",
    ]


def test_case8_currency_must_match() -> None:
    # a CNY payment naming the USD invoice is not applied to it
    d = one(tx("2500.00", "INV-2026-00150", currency="CNY"))
    assert d.status != "matched"
    assert any("USD" in r.text for r in d.reasons)
    d = one(tx("2500.00", "INV-2026-00150", currency="USD"))
    assert d.status == "matched"
    assert allocations(d) == {"INV-2026-00150": D("2500.00")}


def test_close_candidates_give_a_suggestion_not_an_automatic_match() -> None:
    # no location in the payer's name: 上海华美贸易 and 苏州华美贸易 fit equally well
    invoices = [
        inv("INV-2026-00201", "C00017", "6400.00"),
        inv("INV-2026-00140", "C00019", "6400.00"),
    ]
    d = one(tx("6400.00", "", name="华美贸易有限公司"), invoices=invoices)
    assert d.status == "suggested"
    assert {s.customer for s in d.suggestions} == {"C00017", "C00019"}


def test_unmatched_noise() -> None:
    interest = one(tx("123.45", "结息", name="中国工商银行"))
    assert interest.status == "ignored" and interest.transaction.category == "interest"
    advance = one(tx("99999.00", "预付款", account="6222020200112233445"))
    assert advance.status == "unmatched"
    assert advance.customer == "C00017"


def test_credits_that_are_no_customer_payments_are_classified() -> None:
    refund = one(tx("300.00", "退款 订单 778", name="京东商城"))
    assert refund.status == "ignored" and refund.transaction.category == "refund"
    reversal = one(tx("300.00", "REVERSAL OF PAYMENT 55"))
    assert reversal.transaction.category == "reversal"
    coded = tx("10.00", "whatever")
    coded.category = "interest"  # a BAI2 354 Interest Credit
    assert one(coded).status == "ignored"
    # a customer's payment that mentions a refund still matches its invoice
    paid = one(tx("5000.00", "INV-2026-00123 incl. refund of fee"))
    assert paid.status != "ignored"


def test_debits_and_own_transfers_are_ignored() -> None:
    settings = MatchSettings(own_accounts=("1001 2345 0900 0456 789",))
    assert one(tx("5000.00", "INV-2026-00123", direction="debit")).status == "ignored"
    d = one(tx("5000.00", "INV-2026-00123", account="1001234509000456789"), settings=settings)
    assert d.status == "ignored"


def test_duplicates_against_seen_refs_and_within_the_run() -> None:
    first = tx("5000.00", "INV-2026-00123", bank_ref="B1")
    again = tx("5000.00", "INV-2026-00123", bank_ref="B1")
    other_account = tx("1200.00", "INV-2026-00124", bank_ref="B1", our_account="999")
    decisions = match_transactions([first, again, other_account], CUSTOMERS, INVOICES)
    assert [d.status for d in decisions] == ["matched", "duplicate", "matched"]
    seen = {("31050161393600000123", "B1")}
    d = match_transactions([first], CUSTOMERS, INVOICES, seen_refs=seen)[0]
    assert d.status == "duplicate"


def test_learning_improves_a_second_run() -> None:
    payer = tx("800.50", "", name="王建国", account="6217999988887777")
    before = one(payer)
    # an unknown payer: at best a hint from the amount, never an automatic match
    assert before.status in ("suggested", "unmatched")
    learned = [LearnedPayer("C00017", "王建国", "6217999988887777")]
    after = one(payer, learned=learned)
    assert after.status == "matched"
    assert allocations(after) == {"INV-2026-00125": D("800.50")}
    assert any("confirmed for C00017" in r.text for r in after.reasons)


def test_no_invoice_receives_more_than_its_open_amount_across_a_run() -> None:
    txs = [tx("5000.00", "INV-2026-00123") for _ in range(3)]
    decisions = match_transactions(txs, CUSTOMERS, INVOICES)
    applied = [d for d in decisions if d.status == "matched"]
    assert len(applied) == 1
    assert sum(d.allocated for d in applied) == D("5000.00")


def test_decision_json_shape() -> None:
    d = one(tx("4975.00", "INV-2026-00123", name="上海华美贸易有限公司"))
    data = d.to_json()
    assert set(data) == {
        "bank_ref", "date", "amount", "currency", "direction", "payer_name", "payer_account",
        "reference", "source", "status", "customer", "allocations", "write_off", "confidence",
        "reasons", "suggestions",
    }  # fmt: skip
    assert data["amount"] == "4975.00"
    assert data["date"] == "2026-11-03"
    assert data["allocations"] == [{"invoice": "INV-2026-00123", "amount": "4975.00"}]
    assert 0.0 <= data["confidence"] <= 1.0
    assert all(set(r) == {"criterion", "score", "text"} for r in data["reasons"])


def test_case5_overpayment_without_reference_is_only_suggested() -> None:
    d = one(tx("5100.00", "货款", name="上海华美贸易有限公司"))
    assert d.status == "suggested"
    assert d.suggestions[0].allocations[0].invoice == "INV-2026-00123"
    assert "overpayment" in " ".join(r.text for r in d.suggestions[0].reasons)


def test_case5_part_payment_without_reference_is_offered_against_the_oldest_invoice() -> None:
    """The payer is known, names no invoice and pays less than the oldest one: a part of it is
    offered (never applied); what the payer calls an advance or a deposit is not."""
    d = one(tx("1500.00", "货款", account="6222020200112233445"))
    assert (d.status, d.customer, d.allocations) == ("suggested", "C00017", [])
    (suggestion,) = d.suggestions
    assert [(a.invoice, a.amount) for a in suggestion.allocations] == [
        ("INV-2026-00123", D("1500.00"))
    ]
    assert [r.text for r in d.reasons] == [
        "1,500.00 pays part of INV-2026-00123, the oldest open invoice of C00017 (5,000.00 open)"
    ]
    for words in ("预付款", "订金 合同 88", "Advance payment order 7", "Anzahlung Auftrag 7"):
        advance = one(tx("1500.00", words, account="6222020200112233445"))
        assert (advance.status, advance.customer, advance.suggestions) == (
            "unmatched",
            "C00017",
            [],
        ), words


def test_case5_two_invoices_a_bank_charge_away_are_left_to_a_person() -> None:
    invoices = [
        inv("INV-2026-00501", "C00017", "1020.00"),
        inv("INV-2026-00502", "C00017", "1040.00"),
    ]
    d = one(tx("1000.00", "", name="上海华美贸易有限公司"), invoices=invoices)
    assert d.status == "suggested"
    assert [s.allocations[0].invoice for s in d.suggestions] == ["INV-2026-00501", "INV-2026-00502"]
    assert d.suggestions[0].write_off == D("20.00")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"auto_threshold": 1.5},
        {"suggest_threshold": 0.95, "auto_threshold": 0.9},
        {"same_amount_policy": "newest_first"},
        {"max_subset_size": 1},
        {"fee_tolerance": {"CNY": D("-1")}},
        {"subset_node_budget": 0},
    ],
)
def test_settings_validate_themselves(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        MatchSettings(**kwargs)  # type: ignore[arg-type]


def test_settings_are_frozen_and_keyword_only() -> None:
    settings = MatchSettings(fee_tolerance={"usd": D("10")})
    assert settings.tolerance_for("USD") == D("10")
    assert settings.tolerance_for("EUR") == D("0")
    with pytest.raises(AttributeError):
        settings.auto_threshold = 0.5  # type: ignore[misc]
    with pytest.raises(TypeError):
        MatchSettings(0.9)  # type: ignore[misc]


def test_duplicate_from_a_file_that_does_not_state_our_account() -> None:
    first = tx("5000.00", "INV-2026-00123", bank_ref="B7")
    again = tx("5000.00", "INV-2026-00123", bank_ref="B7", our_account="")
    decisions = match_transactions([first, again], CUSTOMERS, INVOICES)
    assert [d.status for d in decisions] == ["matched", "duplicate"]
    # no account to name (it used to say "on account ?")
    assert [r.text for r in decisions[1].reasons] == ["bank reference B7 was already recorded"]


def test_typo_spelling_another_customers_invoice_of_the_same_amount_is_not_auto_applied() -> None:
    # INV-2026-00601 (C00019, 2,500.00) exists; the payer is C00017, whose INV-2026-00610 has the
    # same amount one swap away: either reading is possible, so a person decides
    invoices = [
        inv("INV-2026-00601", "C00019", "2500.00"),
        inv("INV-2026-00610", "C00017", "2500.00"),
    ]
    d = one(tx("2500.00", "INV-2026-00601", account="6222020200112233445"), invoices=invoices)
    assert d.status == "suggested"
    assert d.suggestions[0].allocations[0].invoice == "INV-2026-00610"
    assert {s.allocations[0].invoice for s in d.suggestions} == {"INV-2026-00601", "INV-2026-00610"}


@pytest.mark.parametrize(
    ("paid", "written_open"),
    [("8800.00", "12000.00"), ("7176.72", "9000.00"), ("7176.72", "5000.00")],
)
def test_third_party_typo_with_the_exact_amount_comes_before_a_part_payment(
    paid: str, written_open: str
) -> None:
    # a person nobody knows pays with a reference naming INV-2026-01348 (C00019), which the
    # amount fits only in part (or over); its neighbour INV-2026-01384 (C00017, two digits
    # swapped) is open for exactly the amount: the typo is the better reading, and with nothing
    # known of the payer a person decides between the two
    invoices = [
        inv("INV-2026-01348", "C00019", written_open),
        inv("INV-2026-01384", "C00017", paid),
    ]
    d = one(
        tx(paid, "支付INV-2026-01348货款", name="周勇", account="6217462241030437259"),
        invoices=invoices,
    )
    assert d.status == "suggested"
    assert [s.allocations[0].invoice for s in d.suggestions[:2]] == [
        "INV-2026-01384",
        "INV-2026-01348",
    ]
    assert d.suggestions[0].confidence > d.suggestions[1].confidence
