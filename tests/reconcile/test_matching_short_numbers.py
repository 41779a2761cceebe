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


def test_an_unlabelled_symbol_names_the_payers_invoice_when_the_amount_agrees() -> None:
    """ "2026117" alone is a bare number: it counts for the payer's own invoice the amount fits."""
    invoices = [
        _czk("FV/2026/117", "12100.00", dt.date(2026, 9, 20)),
        _czk("FV/2026/118", "12100.00", dt.date(2026, 9, 3)),
    ]
    d = _decide(tx("12100.00", "2026117", **BRNO_PAYS), invoices)
    assert d.status == "matched"
    assert _applied(d) == {"FV/2026/117": D("12100.00")}


def test_a_symbol_of_another_year_names_nothing() -> None:
    """ "VS 2025117" is not FV/2026/117: the year read from the symbol must agree."""
    invoices = [
        _czk("FV/2026/117", "12100.00", dt.date(2026, 9, 20)),
        _czk("FV/2026/118", "12100.00", dt.date(2026, 9, 3)),
    ]
    d = _decide(tx("12100.00", "VS 2025117", **BRNO_PAYS), invoices)
    assert not any(r.criterion == "invoice_reference" for r in d.reasons)
