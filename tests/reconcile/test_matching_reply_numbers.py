"""A number after "Re:" alone ("Re: 1234", as an e-mail reply's subject is copied into the
remittance text) is a reply's word: the payer's order, ticket or letter as often as an invoice.
It names the known payer's own invoice of that number, never another customer's; "RE: Invoice
1234" and "Re: INV-2026-1234" say "invoice" and name whoever's invoice it is."""

from __future__ import annotations

from decimal import Decimal

import pytest

from reconcile.matching import CustomerRecord, MatchDecision, match_transactions
from reconcile.matching.references import extract_mentions
from tests.reconcile.test_matching_cases import inv, tx

D = Decimal
KANGDA = CustomerRecord(
    "C1", "上海康达贸易有限公司", ("Kangda Trading Ltd",), ("6222000011112222",), "CNY"
)
YUANFENG = CustomerRecord("C2", "北京远丰物流有限公司", (), (), "CNY")
MILLER = CustomerRecord("C3", "Miller Tools Ltd", (), ("GB29NWBK60161331926819",), "CNY")
CUSTOMERS = [KANGDA, YUANFENG, MILLER]
KANGDA_PAYS = {"name": "上海康达贸易有限公司", "account": "6222000011112222"}
MILLER_PAYS = {"name": "MILLER TOOLS LTD", "account": "GB29NWBK60161331926819"}
OPEN = [
    inv("INV-2026-0055", "C1", "800.00"),
    inv("INV-2026-0056", "C1", "1250.00"),
    inv("INV-2026-0070", "C3", "2980.00"),
    inv("INV-2026-1234", "C2", "4321.00"),  # another customer's invoice of the amount paid
    inv("INV-2026-5678", "C2", "100.00"),
]


def _decide(reference: str, amount: str, payer: dict[str, str]) -> MatchDecision:
    (d,) = match_transactions([tx(amount, reference, **payer)], CUSTOMERS, OPEN)
    return d


def _applied(d: MatchDecision) -> dict[str, Decimal]:
    return {a.invoice: a.amount for a in d.allocations}


@pytest.mark.parametrize(
    ("reference", "payer"),
    [
        ("Re: 1234", MILLER_PAYS),
        ("RE: 1234 payment", MILLER_PAYS),
        ("Re: 1234/5678", MILLER_PAYS),
        ("RE:1234 货款", KANGDA_PAYS),
        ("回复 RE：1234 付款", KANGDA_PAYS),
    ],
)
def test_a_known_payers_reply_number_names_no_other_customers_invoice(
    reference: str, payer: dict[str, str]
) -> None:
    """Before, "Re:" was read as an invoice keyword for any customer: a known customer quoting
    its own order 1234 in a reply paid C2's INV-2026-1234 unseen, as a third party."""
    amount = "4421.00" if "5678" in reference else "4321.00"
    d = _decide(reference, amount, payer)
    assert d.status != "matched", [r.text for r in d.reasons]
    assert not any(n.startswith("INV-2026-1234") for n in _applied(d))


def test_a_known_payers_reply_number_names_its_own_invoice() -> None:
    d = _decide("Re: 55 payment", "800.00", KANGDA_PAYS)
    assert d.status == "matched"
    assert _applied(d) == {"INV-2026-0055": D("800.00")}
    assert any("reference contains 55" in r.text for r in d.reasons)


def test_a_reply_about_an_order_pays_by_the_payers_amount() -> None:
    """ "Re: order 55" (an e-mail subject): no invoice named; the payer's own invoice of the
    amount is paid."""
    d = _decide("Re: order 55", "1250.00", KANGDA_PAYS)
    assert d.status == "matched"
    assert _applied(d) == {"INV-2026-0056": D("1250.00")}


@pytest.mark.parametrize(
    "reference", ["RE: Invoice 1234", "Re: INV-2026-1234", "RE: INVOICE NO. 1234", "Re: 发票1234"]
)
def test_a_reply_that_says_invoice_names_whoever_s_invoice_it_is(reference: str) -> None:
    """The word "invoice" (or the number written whole) after "Re:" names the invoice as it
    always did: a known customer paying another's invoice is a third party."""
    d = _decide(reference, "4321.00", MILLER_PAYS)
    assert d.status == "matched", [r.text for r in d.reasons]
    assert _applied(d) == {"INV-2026-1234": D("4321.00")}


@pytest.mark.parametrize(
    ("text", "reply"),
    [("Re: 1234", True), ("RE:1234/5678", True), ("RE: Invoice 1234", False), ("发票1234", False)],
)
def test_a_number_after_re_alone_is_marked_as_a_reply(text: str, reply: bool) -> None:
    mentions = [m for m in extract_mentions(text) if m.kind == "sequence"]
    assert mentions
    assert all(m.reply is reply for m in mentions)


def test_an_unknown_payers_reply_list_still_pays_the_invoices_it_names() -> None:
    """No payer from the bank: "Re: 1234/5678" names one customer's two invoices and the
    amount is their total, as before."""
    d = _decide("Re: 1234/5678", "4421.00", {"name": "张伟"})
    assert d.status == "matched"
    assert _applied(d) == {"INV-2026-1234": D("4321.00"), "INV-2026-5678": D("100.00")}


@pytest.mark.parametrize("payer", [{"name": "张伟"}, {"name": "SOME STRANGER LTD"}, {}])
@pytest.mark.parametrize("reference", ["Re: 1234", "RE: 1234 payment", "Re:1234"])
def test_an_unknown_payers_lone_reply_number_is_offered_not_applied(
    reference: str, payer: dict[str, str]
) -> None:
    """A payer we do not know writes "Re: 1234" and pays 4 321,00, the open amount of C2's
    INV-2026-1234. The number is a reply's (an order, a ticket as often as an invoice) and a
    four-digit tail; the amount is the only other sign. Before, it was applied unseen (0.93);
    now it is the first suggestion, for a person to confirm."""
    d = _decide(reference, "4321.00", payer)
    assert d.status == "suggested", [r.text for r in d.reasons]
    first = d.suggestions[0]
    assert (first.customer, [a.invoice for a in first.allocations]) == ("C2", ["INV-2026-1234"])


@pytest.mark.parametrize("reference", ["INV 1234", "发票号1234", "RE: Invoice 1234"])
def test_an_unknown_payer_saying_invoice_with_the_amount_is_applied(reference: str) -> None:
    """The word for invoice before the short number is the second sign beside the amount: the
    payer says which invoice it pays."""
    d = _decide(reference, "4321.00", {"name": "张伟"})
    assert d.status == "matched", [r.text for r in d.reasons]
    assert _applied(d) == {"INV-2026-1234": D("4321.00")}
