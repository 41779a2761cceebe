"""A customer named only by the remittance text (its code, one of its accounts, its full
name) is treated as one the bank names: the same-amount policy decides between its invoices
of one amount, and a text paying *on behalf of* a customer names the customer paid for."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from reconcile.matching import (
    CustomerRecord,
    InvoiceRecord,
    MatchDecision,
    MatchSettings,
    match_transactions,
)
from reconcile.model import Transaction
from tests.reconcile.test_matching_cases import inv, tx

D = Decimal
KANGDA = CustomerRecord("C00103", "上海康达贸易有限公司", (), ("6222000011114444",), "CNY")
HUAMEI = CustomerRecord("C00104", "上海华美贸易有限公司", (), ("6222000011113333",), "CNY")
ACME = CustomerRecord("C00201", "ACME TRADING LTD", (), ("6217000055556666",), "CNY")
BETA = CustomerRecord("C00202", "BETA SUPPLIES LLC", (), (), "CNY")
CUSTOMERS = [KANGDA, HUAMEI, ACME, BETA]


def _decide(
    t: Transaction, invoices: list[InvoiceRecord], settings: MatchSettings | None = None
) -> MatchDecision:
    (d,) = match_transactions([t], CUSTOMERS, invoices, settings=settings or MatchSettings())
    return d


def _applied(d: MatchDecision) -> dict[str, Decimal]:
    return {a.invoice: a.amount for a in d.allocations}


def _offered(d: MatchDecision) -> list[dict[str, Decimal]]:
    return [{a.invoice: a.amount for a in s.allocations} for s in d.suggestions]


# ----------------------------------------------------------------------------- same amount


def _ids(t: Transaction) -> str:
    return f"{t.reference}|{t.payer_name or t.payer_account or ''}"


TWINS = [
    inv("INV-2026-00711", "C00103", "5000.00", issued=dt.date(2026, 8, 3)),
    inv("INV-2026-00712", "C00103", "5000.00", issued=dt.date(2026, 9, 4)),
]
NAMED_IN_TEXT = [
    tx("5000.00", "Party: C00103"),
    tx("5000.00", "客户编号C00103 货款"),
    tx("5000.00", "RF73 C001 03"),
    tx("5000.00", "付款账号6222 0000 1111 4444", account="6228480012345678"),
    tx("5000.00", "上海康达贸易有限公司货款"),
]
NAMED_BY_THE_BANK = [
    tx("5000.00", "货款", name="上海康达贸易有限公司"),
    tx("5000.00", "货款", account="6222000011114444"),
]


@pytest.mark.parametrize("t", NAMED_IN_TEXT + NAMED_BY_THE_BANK, ids=_ids)
def test_same_amount_policy_oldest_first_whoever_names_the_customer(t: Transaction) -> None:
    """Two open invoices of 5,000.00 and a customer named only by the text: the bench saw it
    left to a person as "2 candidates too close" (the younger invoice came back as a hint and
    outranked the policy's pick), where the payer named by the bank had the oldest applied.
    Which of identical invoices is paid is the policy's to say, however the payer is known."""
    d = _decide(t, TWINS)
    assert d.status == "matched", [r.text for r in d.reasons]
    assert _applied(d) == {"INV-2026-00711": D("5000.00")}
    assert any("policy oldest_first" in r.text for r in d.reasons)


@pytest.mark.parametrize("t", NAMED_IN_TEXT + NAMED_BY_THE_BANK, ids=_ids)
def test_same_amount_policy_suggest_whoever_names_the_customer(t: Transaction) -> None:
    """Under the ``suggest`` policy both invoices are offered, in both paths alike."""
    d = _decide(t, TWINS, MatchSettings(same_amount_policy="suggest"))
    assert d.status == "suggested"
    assert d.customer == "C00103"
    assert sorted(_offered(d), key=str) == [
        {"INV-2026-00711": D("5000.00")},
        {"INV-2026-00712": D("5000.00")},
    ]


def test_same_amount_of_a_customer_named_in_text_that_names_two_customers() -> None:
    """Two customers' codes in the text name nobody: nothing is applied on the amount."""
    d = _decide(tx("5000.00", "C00103 C00104"), TWINS)
    assert d.status != "matched"


def test_same_amount_hint_does_not_outrank_the_policys_pick_for_a_payer_not_sure() -> None:
    """A payer name one character off (上海康大 for 上海康达) is not sure enough to apply;
    the same-amount policy's pick, the oldest invoice, is offered first, not the younger twin
    the amount alone hinted at."""
    d = _decide(tx("5000.00", "货款", name="上海康大贸易有限公司"), TWINS)
    assert d.status == "suggested"
    assert _offered(d)[0] == {"INV-2026-00711": D("5000.00")}


# ----------------------------------------------------------------------------- on behalf of

OWED = [
    inv("INV-2026-00810", "C00103", "8000.00"),
    inv("INV-2026-00820", "C00104", "8000.00"),
    inv("INV-2026-00930", "C00201", "7000.00"),
    inv("INV-2026-00940", "C00202", "7000.00"),
]
HUAMEI_PAYS = {"name": "上海华美贸易有限公司", "account": "6222000011113333"}
ACME_PAYS = {"name": "ACME TRADING LTD", "account": "6217000055556666"}
FOR_KANGDA = [
    "代上海康达贸易有限公司付款",
    "代为支付上海康达贸易有限公司货款",
    "代付上海康达贸易有限公司货款",
    "受上海康达贸易有限公司委托付款",
    "上海康达贸易有限公司委托付款",
    "代付 C00103 货款",
    "代上海康达贸易付款",
]
FOR_BETA = [
    "on behalf of BETA SUPPLIES LLC",
    "PAYMENT O/B/O BETA SUPPLIES LLC",
    "OBO BETA SUPPLIES LLC",
    "for account of BETA SUPPLIES LLC",
    "For the account of C00202",
    "Zahlung im Auftrag von BETA SUPPLIES LLC",
]


@pytest.mark.parametrize("ref", FOR_KANGDA)
def test_on_behalf_of_a_customer_pays_its_invoice_not_the_payers_own(ref: str) -> None:
    """上海华美 (a known customer, by name and account) pays 8,000.00 "代上海康达…付款" and owes
    8,000.00 itself: the bench-style probe saw HUAMEI's own invoice applied, against what the
    text says. The customer paid for is KANGDA: its invoice of the amount is applied, as a
    customer named in the text would be."""
    for fields in ({"name": HUAMEI_PAYS["name"]}, {"account": HUAMEI_PAYS["account"]}):
        d = _decide(tx("8000.00", ref, **fields), OWED)
        assert d.status == "matched", (ref, fields, [r.text for r in d.reasons])
        assert d.customer == "C00103"
        assert _applied(d) == {"INV-2026-00810": D("8000.00")}
        assert any("on behalf of" in r.text for r in d.reasons)


@pytest.mark.parametrize("ref", FOR_BETA)
def test_on_behalf_of_in_english_and_german(ref: str) -> None:
    d = _decide(tx("7000.00", ref, name=ACME_PAYS["name"]), OWED)
    assert d.status == "matched", (ref, [r.text for r in d.reasons])
    assert _applied(d) == {"INV-2026-00940": D("7000.00")}


def test_on_behalf_with_the_beneficiarys_invoice_named_overrides_rule_c() -> None:
    """Rule (c) leaves to a person a known customer paying another's named invoice while
    owing the amount itself. Saying on whose behalf it pays settles the doubt: applied."""
    ref = "代上海康达贸易有限公司付款 INV-2026-00810"
    d = _decide(tx("8000.00", ref, **HUAMEI_PAYS), OWED)
    assert d.status == "matched"
    assert _applied(d) == {"INV-2026-00810": D("8000.00")}
    # the invoice named alone, without the wording: rule (c) as before
    d = _decide(tx("8000.00", "INV-2026-00810", **HUAMEI_PAYS), OWED)
    assert d.status == "suggested"


def test_payer_and_beneficiary_both_named_in_the_text() -> None:
    """No payer from the bank; the text names both companies: the one paid for is the one."""
    for ref in (
        "上海华美贸易有限公司代上海康达贸易有限公司付款",
        "ACME TRADING LTD O/B/O BETA SUPPLIES LLC",
    ):
        d = _decide(tx("8000.00" if "上海" in ref else "7000.00", ref), OWED)
        assert d.status == "matched", ref
        assert d.customer == ("C00103" if "上海" in ref else "C00202")


def test_on_behalf_of_one_customer_quoting_anothers_invoice_goes_to_a_person() -> None:
    """上海华美 writes "代上海康达…付款 INV-2026-00820": the invoice quoted is the payer's
    own, not KANGDA's. The text contradicts itself: offered, never applied, whether KANGDA
    owes the amount or nothing at all."""
    ref = "代上海康达贸易有限公司付款 INV-2026-00820"
    for invoices in (OWED, OWED[1:]):
        d = _decide(tx("8000.00", ref, **HUAMEI_PAYS), invoices)
        assert d.status == "suggested"
        assert any(p.code == "paid_for_another" for r in d.reasons for p in r.parts)
        assert {"INV-2026-00820": D("8000.00")} in _offered(d)


def test_on_behalf_of_a_customer_owing_no_such_amount_is_not_applied() -> None:
    """The customer paid for owes 9,000.00 or 8,010.00, not the 8,000.00 paid; the payer owes
    8,000.00 itself: nothing is applied (neither the payer's own invoice, as before, nor a
    part of the beneficiary's on a weaker basis than a customer named in the text gets)."""
    for amount in ("9000.00", "8010.00"):
        invoices = [inv("INV-2026-00811", "C00103", amount), *OWED[1:]]
        d = _decide(tx("8000.00", "代上海康达贸易有限公司付款", **HUAMEI_PAYS), invoices)
        assert d.status == "suggested", amount


@pytest.mark.parametrize(
    "ref",
    [
        "代上海康达贸易有限公司、上海华美贸易有限公司付款",  # two customers: names nobody
        "代发工资",
        "客户代码：C00104 付款",
        "代付",
    ],
)
def test_wording_that_names_no_one_customer_paid_for_changes_nothing(ref: str) -> None:
    d = _decide(tx("8000.00", ref, **HUAMEI_PAYS), OWED)
    assert d.status == "matched" and d.customer == "C00104", [r.text for r in d.reasons]
