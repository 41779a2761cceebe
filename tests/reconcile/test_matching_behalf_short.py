"""A payment on behalf of a customer the text names by a short name (代华联付款, "o/b/o ACME"):
applied to the one customer of that short name; several customers of that short name, or a
name no customer has, are left to a person with a reason saying so."""

from __future__ import annotations

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
HUAMEI = CustomerRecord("C00104", "上海华美贸易有限公司", (), ("6222000011113333",), "CNY")
HUALIAN = CustomerRecord(
    "C00301", "上海华联贸易有限公司", ("Shanghai Hualian Trading Co., Ltd.",), (), "CNY"
)
JINHAI_SH = CustomerRecord("C00401", "上海金海电子有限公司", (), (), "CNY")
JINHAI_BJ = CustomerRecord("C00402", "北京金海机械有限公司", (), (), "CNY")
ACME = CustomerRecord("C00501", "ACME TRADING LTD", (), (), "CNY")
CUSTOMERS = [HUAMEI, HUALIAN, JINHAI_SH, JINHAI_BJ, ACME]
OWED = [
    inv("INV-2026-00820", "C00104", "8000.00"),  # the payer owes the very amount itself
    inv("INV-2026-00830", "C00301", "8000.00"),
    inv("INV-2026-00840", "C00401", "8000.00"),
    inv("INV-2026-00850", "C00402", "6000.00"),
    inv("INV-2026-00860", "C00501", "8000.00"),
]
HUAMEI_PAYS = {"name": "上海华美贸易有限公司", "account": "6222000011113333"}


def _decide(t: Transaction, invoices: list[InvoiceRecord] = OWED) -> MatchDecision:
    (d,) = match_transactions([t], CUSTOMERS, invoices, settings=MatchSettings())
    return d


def _codes(d: MatchDecision) -> set[str]:
    return {p.code for r in d.reasons for p in r.parts}


def _applied(d: MatchDecision) -> dict[str, Decimal]:
    return {a.invoice: a.amount for a in d.allocations}


@pytest.mark.parametrize(
    "ref",
    ["代华联付款", "代 华联 付", "代付华联货款", "受华联委托付款", "on behalf of Hualian",
     "PAYMENT O/B/O HUALIAN"],
)  # fmt: skip
def test_a_short_name_of_one_customer_names_the_customer_paid_for(ref: str) -> None:
    """上海华美 owes 8,000.00 itself and pays 8,000.00 "代华联付款": before, the short name
    named nobody and 华美's own invoice was applied against what the text says."""
    d = _decide(tx("8000.00", ref, **HUAMEI_PAYS))
    assert d.status == "matched", (ref, [r.text for r in d.reasons])
    assert d.customer == "C00301"
    assert _applied(d) == {"INV-2026-00830": D("8000.00")}
    assert "payer_on_behalf_short" in _codes(d)


def test_obo_a_distinctive_latin_word() -> None:
    d = _decide(tx("8000.00", "o/b/o ACME", name="JOHN SMITH"))
    assert d.status == "matched" and _applied(d) == {"INV-2026-00860": D("8000.00")}


@pytest.mark.parametrize("payer", [{"name": "王伟"}, HUAMEI_PAYS])
def test_a_short_name_two_customers_share_goes_to_a_person(payer: dict[str, str]) -> None:
    """金海 is 上海金海电子 and 北京金海机械: only 上海金海 owes 8,000.00, but which one the
    payer meant is not for the amount alone to say (nor for the payer's own invoice)."""
    d = _decide(tx("8000.00", "代金海付款", **payer))
    assert d.status == "suggested", [r.text for r in d.reasons]
    assert "payer_on_behalf_unsure" in _codes(d)
    offered = [{a.invoice for a in s.allocations} for s in d.suggestions]
    if "account" not in payer:
        assert offered[0] == {"INV-2026-00840"}
    assert {"INV-2026-00840"} in offered
    (why,) = [r for r in d.reasons if r.criterion == "decision"]
    assert "C00401, C00402" in why.text


def test_the_place_tells_namesakes_apart() -> None:
    d = _decide(tx("8000.00", "代上海金海付款", name="王伟"))
    assert d.status == "matched" and _applied(d) == {"INV-2026-00840": D("8000.00")}


def test_an_invoice_named_settles_a_shared_short_name() -> None:
    d = _decide(tx("6000.00", "代金海付款 INV-2026-00850", name="王伟"))
    assert d.status == "matched" and _applied(d) == {"INV-2026-00850": D("6000.00")}


def test_a_name_no_customer_has_is_not_taken_for_the_payers_own_payment() -> None:
    """ "代宏达付款": 宏达 is none of our customers. Before, 上海华美's own invoice of the
    amount was applied although the text says the money is someone else's."""
    d = _decide(tx("8000.00", "代宏达付款", **HUAMEI_PAYS))
    assert d.status == "suggested"
    assert "payer_on_behalf_unknown" in _codes(d)
    # nothing fits and nobody is known: the reason says why
    d = _decide(tx("7777.00", "on behalf of Zenith", name="JOHN SMITH"))
    assert d.status == "unmatched" and "payer_on_behalf_unknown" in _codes(d)


@pytest.mark.parametrize(
    "ref",
    ["代付货款", "代付款", "代付 INV 款", "代扣代缴社保", "代垫运费付款", "代付运费",
     "on behalf of our client"],
)  # fmt: skip
def test_wording_without_a_name_changes_nothing(ref: str) -> None:
    d = _decide(tx("8000.00", ref, **HUAMEI_PAYS))
    assert d.status == "matched" and d.customer == "C00104", [r.text for r in d.reasons]


@pytest.mark.parametrize("ref", ["foraccount of HUALIAN", "onbehalf of Hualian"])
def test_wording_wrapped_without_its_space(ref: str) -> None:
    """A statement line wrapped inside "for account of" joins as "foraccount of" (the bench,
    seed 42): the wording is still read."""
    d = _decide(tx("8000.00", ref, name="JOHN SMITH"))
    assert d.status == "matched" and _applied(d) == {"INV-2026-00830": D("8000.00")}
