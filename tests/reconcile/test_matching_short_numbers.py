"""An invoice number written shorter than the ERP writes it: without its prefix or year
("发票号123" for INV-2026-00123, "INV 1234" for INV-2026-01234), or with the year glued to the
sequence after a label the ERP does not print (a Czech variable symbol "VS 2026117", "FV2026117"
for invoice 2026117). It names the one open invoice of the payer it fits; it is left to a person,
saying why, when it fits several of them; and it never names another customer's invoice when the
payer is known and has an invoice of that number."""

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
HUAMEI = CustomerRecord("C00104", "上海华美贸易有限公司", (), ("6222000011113333",), "CNY")
JINHAI = CustomerRecord("C00402", "北京金海机械有限公司", (), (), "CNY")
BRNO = CustomerRecord("C00710", "Strojírny Brno s.r.o.", (), ("2001234567/2010",), "CZK")
CUSTOMERS = [HUAMEI, JINHAI, BRNO]
HUAMEI_PAYS = {"name": "上海华美贸易有限公司", "account": "6222000011113333"}
BRNO_PAYS = {"name": "Strojírny Brno s.r.o.", "account": "2001234567/2010", "currency": "CZK"}


def _decide(t: Transaction, invoices: list[InvoiceRecord]) -> MatchDecision:
    (d,) = match_transactions([t], CUSTOMERS, invoices, settings=MatchSettings())
    return d


def _applied(d: MatchDecision) -> dict[str, Decimal]:
    return {a.invoice: a.amount for a in d.allocations}


def _czk(number: str, amount: str, issued: dt.date) -> InvoiceRecord:
    return inv(number, "C00710", amount, currency="CZK", issued=issued)


@pytest.mark.parametrize(
    ("reference", "numbers"),
    [
        # the ERP prints FV/2026/117; the payer's bank, the variable symbol
        ("VS 2026117", ("FV/2026/117", "FV/2026/118")),
        ("VS:2026117 Strojírny Brno", ("FV/2026/117", "FV/2026/118")),
        ("Faktura FV2026117", ("FV/2026/117", "FV/2026/118")),
        ("Variabilní symbol 2026117", ("FV/2026/117", "FV/2026/118")),
        # the ERP prints the bare symbol; the payer adds the invoice prefix
        ("FV2026117", ("2026117", "2026118")),
        ("VS 2026117", ("FV2026117", "FV2026118")),
    ],
)
def test_a_variable_symbol_names_its_invoice_among_two_of_the_same_amount(
    reference: str, numbers: tuple[str, str]
) -> None:
    """Strojírny Brno owes two invoices of 12 100,00 Kč and pays 12 100,00 Kč quoting the later
    one's variable symbol. Before, "VS 2026117" named nothing (the symbol glues year and
    sequence, and VS is no prefix of ours), so the same-amount policy applied the older
    invoice, FV/2026/118 here: the one the payer did not pay."""
    named, other = numbers
    invoices = [
        _czk(named, "12100.00", dt.date(2026, 9, 20)),
        _czk(other, "12100.00", dt.date(2026, 9, 3)),
    ]
    d = _decide(tx("12100.00", reference, **BRNO_PAYS), invoices)
    assert d.status == "matched"
    assert _applied(d) == {named: D("12100.00")}
    assert any(r.criterion == "invoice_reference" and r.score > 0 for r in d.reasons)


@pytest.mark.parametrize("reference", ["VS 20260117", "VS:20260117", "FV20260117"])
def test_a_symbol_that_looks_like_a_date_names_its_invoice(reference: str) -> None:
    """FV/2026/0117 as a variable symbol is 20260117, which reads as 17 January 2026 too: a
    label or letters before it make it a number (before, it was taken for a date and the
    older invoice of the same amount was applied)."""
    invoices = [
        _czk("FV/2026/0117", "12100.00", dt.date(2026, 9, 20)),
        _czk("FV/2026/0118", "12100.00", dt.date(2026, 9, 3)),
    ]
    d = _decide(tx("12100.00", reference, **BRNO_PAYS), invoices)
    assert d.status == "matched"
    assert _applied(d) == {"FV/2026/0117": D("12100.00")}


def test_an_unlabelled_symbol_names_the_payers_invoice_when_the_amount_agrees() -> None:
    """A symbol without label, "2026117", is a bare number: it counts for the payer's own
    invoice the amount fits."""
    invoices = [
        _czk("FV/2026/117", "12100.00", dt.date(2026, 9, 20)),
        _czk("FV/2026/118", "12100.00", dt.date(2026, 9, 3)),
    ]
    d = _decide(tx("12100.00", "2026117", **BRNO_PAYS), invoices)
    assert d.status == "matched"
    assert _applied(d) == {"FV/2026/117": D("12100.00")}


def test_another_documents_prefix_glued_to_the_number_names_no_invoice() -> None:
    """Reference "SO2026117" is sales order 2026117, not invoice FV/2026/117: the letters
    glued to the number are a prefix, and they are not the invoice's."""
    invoices = [
        _czk("FV/2026/117", "12100.00", dt.date(2026, 9, 20)),
        _czk("FV/2026/118", "12100.00", dt.date(2026, 9, 3)),
    ]
    d = _decide(tx("12100.00", "SO2026117", **BRNO_PAYS), invoices)
    assert not any(r.criterion == "invoice_reference" for r in d.reasons)


def test_a_symbol_of_another_year_names_nothing() -> None:
    """A symbol "VS 2025117" is not FV/2026/117: the year read from the symbol must agree."""
    invoices = [
        _czk("FV/2026/117", "12100.00", dt.date(2026, 9, 20)),
        _czk("FV/2026/118", "12100.00", dt.date(2026, 9, 3)),
    ]
    d = _decide(tx("12100.00", "VS 2025117", **BRNO_PAYS), invoices)
    assert not any(r.criterion == "invoice_reference" for r in d.reasons)


def _codes(d: MatchDecision) -> set[str]:
    return {p.code for r in d.reasons for p in r.parts}


def _suggested(d: MatchDecision) -> set[str]:
    return {a.invoice for s in d.suggestions for a in s.allocations}


@pytest.mark.parametrize(
    ("reference", "amounts"),
    [
        # the amount fits only this year's invoice: before, the amount chose it unseen
        ("发票号123", ("5000.00", "3000.00")),
        ("付发票号：123货款", ("5000.00", "3000.00")),
        # both fit: before, "2 candidates within 0.15 of each other", which says nothing of why
        ("发票号123", ("5000.00", "5000.00")),
    ],
)
def test_a_short_number_that_fits_two_invoices_of_the_payer_is_left_to_a_person(
    reference: str, amounts: tuple[str, str]
) -> None:
    """上海华美 has INV-2026-00123 and last year's INV-2025-00123 open and pays 5,000.00
    "发票号123": the number is either invoice's, so a person decides, told why."""
    invoices = [
        inv("INV-2026-00123", "C00104", amounts[0]),
        inv("INV-2025-00123", "C00104", amounts[1], issued=dt.date(2025, 11, 28)),
    ]
    d = _decide(tx("5000.00", reference, **HUAMEI_PAYS), invoices)
    assert d.status == "suggested"
    assert "ref_ambiguous" in _codes(d)
    assert "INV-2026-00123" in _suggested(d)
    text = " ".join(r.text for r in d.reasons)
    assert "fits 2 open invoices of C00104 (INV-2025-00123, INV-2026-00123)" in text


def test_a_european_short_number_that_fits_two_invoices_is_left_to_a_person() -> None:
    """Payment "INV 1234" for INV-2026-01234, while INV-2025-01234 of the same customer is
    open too."""
    invoices = [
        inv("INV-2026-01234", "C00710", "4840.00", currency="CZK"),
        inv("INV-2025-01234", "C00710", "2420.00", currency="CZK", issued=dt.date(2025, 12, 1)),
    ]
    d = _decide(tx("4840.00", "Payment INV 1234", **BRNO_PAYS), invoices)
    assert d.status == "suggested"
    assert "ref_ambiguous" in _codes(d)


@pytest.mark.parametrize("reference", ["Payment INV 1234", "Rechnung 1234", "Faktura č. 1234"])
def test_a_short_number_of_one_open_invoice_of_the_payer_names_it(reference: str) -> None:
    """One open invoice of the payer ends in 1234 (another customer's INV-2025-01234 does too,
    with the same amount): the short number names the payer's, and the other customer's is not
    even a runner-up."""
    invoices = [
        inv("INV-2026-01234", "C00710", "4840.00", currency="CZK"),
        inv("INV-2026-01240", "C00710", "4840.00", currency="CZK", issued=dt.date(2026, 8, 1)),
        inv("INV-2025-01234", "C00402", "4840.00", currency="CZK", issued=dt.date(2025, 12, 1)),
    ]
    d = _decide(tx("4840.00", reference, **BRNO_PAYS), invoices)
    assert d.status == "matched"
    assert _applied(d) == {"INV-2026-01234": D("4840.00")}
    assert "C00402" not in " ".join(r.text for r in d.reasons)


def test_a_short_number_never_names_another_customers_invoice_when_the_payer_has_one() -> None:
    """上海华美 pays 5,000.00 "发票号123": its own INV-2026-00123 is the one, not 北京金海's
    INV-2025-00123 of the same amount (before, 金海's invoice was named too and came second)."""
    invoices = [
        inv("INV-2026-00123", "C00104", "5000.00"),
        inv("INV-2025-00123", "C00402", "5000.00", issued=dt.date(2025, 11, 28)),
    ]
    d = _decide(tx("5000.00", "发票号123", **HUAMEI_PAYS), invoices)
    assert d.status == "matched"
    assert _applied(d) == {"INV-2026-00123": D("5000.00")}
    assert "C00402" not in " ".join(r.text for r in d.reasons)
