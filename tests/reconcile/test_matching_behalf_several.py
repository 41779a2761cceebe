"""A text paying on behalf of two customers it names in full ("代华联贸易有限公司及美达商行付款",
"on behalf of ACME Ltd and Beta GmbH"): whose invoices it pays is a person's to say, with both
customers offered and a reason that names them (``payer_on_behalf_several``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from reconcile.matching import CustomerRecord, MatchDecision, match_transactions
from reconcile.matching.behalf import parties
from tests.reconcile.test_matching_cases import inv, tx

D = Decimal
HUALIAN = CustomerRecord("C1", "华联贸易有限公司", (), (), "CNY")
MEIDA = CustomerRecord("C2", "美达商行", (), (), "CNY")
ACME = CustomerRecord("C3", "ACME Ltd", (), (), "CNY")
BETA = CustomerRecord("C4", "Beta GmbH", (), (), "CNY")
KANGDA = CustomerRecord("C5", "上海康达贸易有限公司", (), (), "CNY")
CUSTOMERS = [HUALIAN, MEIDA, ACME, BETA, KANGDA]
OPEN = [
    inv("INV-2026-0101", "C1", "5000.00"),
    inv("INV-2026-0102", "C2", "2000.00"),
    inv("INV-2026-0103", "C3", "3000.00"),
    inv("INV-2026-0104", "C4", "4000.00"),
    inv("INV-2026-0105", "C5", "1800.00"),
]
CHINESE = ["代华联贸易有限公司及美达商行付款", "代华联贸易有限公司、美达商行支付货款"]
ENGLISH = [
    "on behalf of ACME Ltd and Beta GmbH",
    "PAYMENT OBO ACME LTD & BETA GMBH",
    "FOR ACCOUNT OF ACME LTD AND BETA GMBH INVOICES",
]


def _decide(reference: str, amount: str, payer: str) -> MatchDecision:
    (d,) = match_transactions([tx(amount, reference, name=payer)], CUSTOMERS, OPEN)
    return d


def _several(d: MatchDecision) -> list[dict[str, str]]:
    return [
        dict(p.params) for r in d.reasons for p in r.parts if p.code == "payer_on_behalf_several"
    ]


@pytest.mark.parametrize(
    ("reference", "amount", "payer", "fits", "other", "named"),
    [
        *[
            (r, "5000.00", "张伟", "C1", "C2", "华联贸易有限公司 (C1), 美达商行 (C2)")
            for r in CHINESE
        ],
        *[
            (r, "3000.00", "JOHN SMITH", "C3", "C4", "ACME Ltd (C3), Beta GmbH (C4)")
            for r in ENGLISH
        ],
    ],
)
def test_two_customers_named_in_full_go_to_a_person_naming_both(
    reference: str, amount: str, payer: str, fits: str, other: str, named: str
) -> None:
    """Before, the Chinese text was read as paying C1 alone (美达商行, no 公司, was not seen) and
    applied unseen; the English one as a short name several customers share."""
    d = _decide(reference, amount, payer)
    assert d.status == "suggested", [r.text for r in d.reasons]
    (params,) = _several(d)
    assert params == {"count": "2", "customers": named}
    assert d.suggestions[0].customer == fits  # its invoice is the amount
    assert [s.customer for s in d.suggestions] == [fits, other]
    assert d.customer is None


def test_the_customers_named_are_offered_beside_another_customers_invoice_of_the_amount() -> None:
    """KANGDA's INV-2026-0105 is 1800.00, the amount; neither customer named has an invoice of
    it: theirs are offered too."""
    d = _decide(ENGLISH[0], "1800.00", "JOHN SMITH")
    assert d.status == "suggested"
    assert _several(d)
    assert [s.customer for s in d.suggestions] == ["C5", "C3", "C4"]


@pytest.mark.parametrize(
    ("reference", "amount", "offered"),
    [
        (CHINESE[0], "7000.00", {("C1", "INV-2026-0101"), ("C2", "INV-2026-0102")}),
        (ENGLISH[0], "7000.00", {("C3", "INV-2026-0103"), ("C4", "INV-2026-0104")}),
    ],
)
def test_both_customers_are_offered_when_no_invoice_fits_the_amount(
    reference: str, amount: str, offered: set[tuple[str, str]]
) -> None:
    """The money pays both customers' invoices together (5000 + 2000): no candidate of one
    customer fits, and each customer's open invoices are offered instead of nothing."""
    d = _decide(reference, amount, "张伟")
    assert d.status == "suggested", [r.text for r in d.reasons]
    assert d.customer is None
    assert _several(d)
    assert {(s.customer, a.invoice) for s in d.suggestions for a in s.allocations} == offered


def test_one_customer_named_in_full_is_still_paid_for() -> None:
    d = _decide("on behalf of ACME Ltd", "3000.00", "JOHN SMITH")
    assert d.status == "matched"
    assert {a.invoice for a in d.allocations} == {"INV-2026-0103"}


def test_an_advance_for_two_customers_offers_nothing() -> None:
    d = _decide("代华联贸易有限公司及美达商行支付预付款", "9000.00", "张伟")
    assert d.status == "unmatched"
    assert _several(d)


@pytest.mark.parametrize(
    ("whom", "names"),
    [
        ("华联贸易有限公司及美达商行", ["华联贸易有限公司", "美达商行"]),
        ("ACME LTD AND BETA GMBH", ["ACME LTD", "BETA GMBH"]),
        ("Müller und Schmidt GmbH", ["MÜLLER", "SCHMIDT GMBH"]),
        ("ANDERSON LTD", ["ANDERSON LTD"]),
    ],
)
def test_the_names_joined_by_and(whom: str, names: list[str]) -> None:
    assert parties(whom) == names


SPLIT_OPEN = [
    inv("INV-2026-0111", "C1", "1300.00", issued=dt.date(2026, 7, 1)),
    inv("INV-2026-0101", "C1", "5000.00", issued=dt.date(2026, 8, 1)),
    inv("INV-2026-0112", "C2", "900.00", issued=dt.date(2026, 6, 2)),
    inv("INV-2026-0102", "C2", "2000.00", issued=dt.date(2026, 8, 2)),
    inv("INV-2026-0106", "C5", "7000.00"),  # a customer the text does not name has the amount
]


@pytest.mark.parametrize(
    ("reference", "amount", "first", "second"),
    [
        (CHINESE[0], "7000.00", ("C1", "INV-2026-0101", "5000.00"), ("C2", "INV-2026-0102")),
        (CHINESE[1], "5900.00", ("C1", "INV-2026-0101", "5000.00"), ("C2", "INV-2026-0112")),
        (CHINESE[0], "3300.00", ("C2", "INV-2026-0102", "2000.00"), ("C1", "INV-2026-0111")),
    ],
)
def test_the_split_over_both_customers_named_is_offered_first(
    reference: str, amount: str, first: tuple[str, str, str], second: tuple[str, str]
) -> None:
    """代华联贸易有限公司及美达商行付款 and the amount is one open invoice of each. A payment is
    applied to one customer's invoices (the portal refuses a split across customers), so the
    split comes as its two halves, the larger first, each saying which invoices make up the
    amount. Before, C5's invoice of 7 000,00 (a customer the text does not name) came first and
    each named customer was offered every open invoice of theirs, the wrong ones included."""
    d = match_transactions([tx(amount, reference, name="张伟")], CUSTOMERS, SPLIT_OPEN)[0]
    assert d.status == "suggested"
    assert d.customer is None
    assert _several(d)
    one, two = d.suggestions[:2]
    customer, number, part = first
    assert (one.customer, [(a.invoice, a.amount) for a in one.allocations]) == (
        customer,
        [(number, D(part))],
    )
    assert (two.customer, [a.invoice for a in two.allocations]) == (second[0], [second[1]])
    assert number in one.reasons[0].text and second[1] in one.reasons[0].text
    assert all(one.confidence >= s.confidence for s in d.suggestions)
