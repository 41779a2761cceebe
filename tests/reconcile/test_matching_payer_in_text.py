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
