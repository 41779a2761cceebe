"""Lists of invoice numbers in a remittance text whose later numbers lack the prefix
("invoices 1234 & 5678", "发票1234、5678"): every number of the list names an invoice of the
customer's, so a payment of their total pays them all."""

from __future__ import annotations

from decimal import Decimal

import pytest

from reconcile.matching import CustomerRecord, InvoiceRecord, MatchDecision, match_transactions
from reconcile.matching.references import extract_mentions
from reconcile.model import Transaction
from tests.reconcile.test_matching_cases import inv, tx

D = Decimal
KANGDA = CustomerRecord("C1", "上海康达贸易有限公司", (), (), "CNY")
YUANFENG = CustomerRecord("C2", "北京远丰物流有限公司", (), (), "CNY")
CUSTOMERS = [KANGDA, YUANFENG]
OPEN = [
    inv("INV-2026-1234", "C1", "1000.00"),
    inv("INV-2026-5678", "C1", "2345.60"),
    inv("INV-2026-5679", "C1", "700.00"),
    inv("INV-2026-1111", "C1", "3345.60"),  # the total of 1234 and 5678 on its own
    inv("INV-2026-9999", "C2", "3345.60"),
]


def _decide(t: Transaction, invoices: list[InvoiceRecord] = OPEN) -> MatchDecision:
    (d,) = match_transactions([t], CUSTOMERS, invoices)
    return d


def _applied(d: MatchDecision) -> dict[str, Decimal]:
    return {a.invoice: a.amount for a in d.allocations}


BOTH = {"INV-2026-1234": D("1000.00"), "INV-2026-5678": D("2345.60")}


@pytest.mark.parametrize(
    "ref",
    [
        "invoices 1234 & 5678",
        "Invoice 1234 and 5678",
        "Rechnungen 1234 und 5678",
        "Rechnung Nr. 1234, 5678",
        "发票1234、5678",
        "发票号 1234，5678 货款",
        "Re: 1234/5678",
        "INV 1234, 5678",
    ],
)
def test_a_list_pays_every_invoice_it_names(ref: str) -> None:
    """No payer from the bank; the total of the two invoices listed. Before, only the first
    number counted as an invoice's ("5678" was a bare number, which needs a known payer), and
    an invoice of another customer of that total was offered instead."""
    d = _decide(tx("3345.60", ref))
    assert d.status == "matched", (ref, [r.text for r in d.reasons])
    assert _applied(d) == BOTH


def test_a_list_of_three_with_and() -> None:
    d = _decide(tx("4045.60", "INV 1234, 5678 and 5679"))
    assert d.status == "matched"
    assert _applied(d) == {**BOTH, "INV-2026-5679": D("700.00")}


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("invoices 1234 & 5678", [1234, 5678]),
        ("Rechnungen 1234 und 5678", [1234, 5678]),
        ("发票1234、5678、5679", [1234, 5678, 5679]),
        ("Re: 1234/5678", [1234, 5678]),
    ],
)
def test_every_number_of_a_list_is_an_invoice_number(text: str, numbers: list[int]) -> None:
    mentions = extract_mentions(text)
    assert [(m.seq, m.kind) for m in mentions] == [(n, "sequence") for n in numbers]


@pytest.mark.parametrize("text", ["发票1234，5000元", "发票1234, 5000.00", "INV 1234, 5000 RMB"])
def test_an_amount_after_the_number_is_no_number_of_the_list(text: str) -> None:
    assert [m.seq for m in extract_mentions(text) if m.kind == "sequence"] == [1234]


def test_a_number_two_of_the_customers_invoices_share_names_neither() -> None:
    """ "5678" is INV-2025-5678 or INV-2026-5678, both open at one amount: the list does not
    say which, so nothing is applied to either on its strength."""
    invoices = [*OPEN, inv("INV-2025-5678", "C1", "2345.60")]
    d = _decide(tx("3345.60", "发票1234、5678"), invoices)
    assert d.status != "matched", [r.text for r in d.reasons]


def test_a_later_number_is_the_customers_whose_invoices_the_list_names() -> None:
    """ "发票1234、7777": 1234 is C1's, 7777 only C2's. The list is one payer's: 7777 is no
    invoice of C1's, so it does not pull C2's invoice into the payment."""
    invoices = [*OPEN, inv("INV-2026-7777", "C2", "2345.60")]
    d = _decide(tx("3345.60", "发票1234、7777"), invoices)
    assert "INV-2026-7777" not in _applied(d)
    assert all("INV-2026-7777" not in {a.invoice for a in s.allocations} for s in d.suggestions)
