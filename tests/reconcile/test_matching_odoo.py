"""Scenarios of Odoo 15/16's ``addons/account/tests/test_reconciliation_matching_rules.py``,
turned into credits on our own ledger and judged by our matcher.

Odoo's rules are configured per model (``match_partner``, ``payment_tolerance_param``,
``auto_reconcile``); ours are one engine with settings. An Odoo rule without
``auto_reconcile`` *proposes* what it finds: where ours applies the same invoices on its own,
or offers them to a person, the test says which and why. Odoo's fixtures: ``partner_1`` owes
100, 200 and 300 (``invoice_line_1..3``), ``partner_3`` 600 twice and 200 (two of them carrying
the payment reference ``RF12 3456``); an Odoo payment reference (``ref``/``payment_reference``)
is what our ERP export calls the invoice's PO / payment reference (``po_number``).

Not ported, having nothing to match in our engine: ``match_journal_ids``, ``match_nature``,
``match_amount`` and ``match_label`` (filters on which rule applies; we have one engine),
``match_partner_category_ids``, write-off suggestion models with taxes and fiscal positions
(we write off a bank charge, not a booked counter-entry), ``test_mixin_rules`` (the order of
several models), ``test_reverted_move_matching`` and vendor bills (payables: we match
customers' credits), ``test_match_multi_currencies`` (conversion at a bank's own rate).
"""

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
P1_ACCOUNT = "BE68539007547034"
PARTNER_1 = CustomerRecord("P1", "partner_1", (), (P1_ACCOUNT,), "EUR")
PARTNER_2 = CustomerRecord("P2", "partner_2", (), (), "EUR")
PARTNER_3 = CustomerRecord("P3", "partner_3", (), (), "EUR")
PARTNER_A = CustomerRecord("PA", "partner_a", (), (), "EUR")
GAGNANT = CustomerRecord("BG", "Bernard Gagnant", (), (), "EUR")
HADDOCK = CustomerRecord("AH", "Archibald Haddock", (), (), "EUR")
CUSTOMERS = [PARTNER_1, PARTNER_2, PARTNER_3, PARTNER_A, GAGNANT, HADDOCK]
SEPT = dt.date(2019, 9, 1)
JAN = dt.date(2019, 1, 1)


def _inv(
    number: str, customer: str, amount: str, *, ref: str | None = None, issued: dt.date = SEPT
) -> InvoiceRecord:
    return inv(number, customer, amount, po=ref, issued=issued, currency="EUR")


INVOICE_1 = _inv("INV/2019/00001", "P1", "100.00")
INVOICE_2 = _inv("INV/2019/00002", "P1", "200.00")
INVOICE_3 = _inv("RBILL/2019/09/0013", "P1", "300.00")
INVOICE_5 = _inv("INV/2019/00003", "P3", "600.00")
INVOICE_6 = _inv("INV/2019/00004", "P3", "600.00", ref="RF12 3456")
INVOICE_7 = _inv("INV/2019/00005", "P3", "200.00", ref="RF12 3456")
LEDGER = [INVOICE_1, INVOICE_2, INVOICE_3, INVOICE_5, INVOICE_6, INVOICE_7]


def _credit(amount: str, text: str, **payer: str) -> Transaction:
    return tx(amount, text, currency="EUR", **payer)


def _decide(
    t: Transaction,
    invoices: list[InvoiceRecord] = LEDGER,
    customers: list[CustomerRecord] = CUSTOMERS,
    settings: MatchSettings | None = None,
) -> MatchDecision:
    (d,) = match_transactions([t], customers, invoices, settings=settings or MatchSettings())
    return d


def _applied(d: MatchDecision) -> dict[str, Decimal]:
    return {a.invoice: a.amount for a in d.allocations}


def _offered(d: MatchDecision) -> list[set[str]]:
    return [{a.invoice for a in s.allocations} for s in d.suggestions]


# ------------------------------------------------------------------------ test_matching_fields


def test_invoice_number_written_in_other_words() -> None:
    """``bank_line_1``: "invoice 2019-00001" from partner_1, 100 -> invoice_line_1."""
    d = _decide(_credit("100.00", "invoice 2019-00001", name="partner_1"))
    assert d.status == "matched"
    assert _applied(d) == {"INV/2019/00001": D("100.00")}


@pytest.mark.parametrize("payer", [{"name": "partner_1"}, {"account": P1_ACCOUNT}])
def test_several_invoices_summing_to_the_amount(payer: dict[str, str]) -> None:
    """``bank_line_2``: "xxxxx" from partner_1, 600 -> invoice_line_1 + 2 + 3. Odoo proposes
    them; ours applies them: 600 is partner_1's whole open balance, which no coincidence
    explains."""
    d = _decide(_credit("600.00", "xxxxx", **payer))
    assert d.status == "matched"
    assert _applied(d) == {
        "INV/2019/00001": D("100.00"),
        "INV/2019/00002": D("200.00"),
        "RBILL/2019/09/0013": D("300.00"),
    }


def test_money_paid_out_is_not_matched() -> None:
    """``cash_line_1``: -1000 to partner_2 matches a vendor bill in Odoo. We match customers'
    credits only: a debit is ignored."""
    d = _decide(_credit("1000.00", "yyyyy", name="partner_2", direction="debit"))
    assert d.status == "ignored"


@pytest.mark.parametrize("text", ["RF12 3456", "nawak Communication: RF12 3456"])
def test_payment_reference_shared_by_two_invoices_the_amount_decides(text: str) -> None:
    """``bank_line_3/4``: partner_3 pays 600 quoting "RF12 3456", the payment reference of
    invoice_line_6 (600) and invoice_line_7 (200): the amount picks invoice_line_6 (not
    invoice_line_5, of 600 as well but with no such reference)."""
    d = _decide(_credit("600.00", text, name="partner_3"))
    assert d.status == "matched"
    assert _applied(d) == {"INV/2019/00004": D("600.00")}


# ------------------------------------------------------- test_matching_fields_match_text_location

TEXT_LOCATION = [
    _inv("INV/2019/00011", "PA", "1000.00", ref="bernard 1111 gagnant"),
    _inv("INV/2019/00012", "PA", "1000.00", ref="2222 turlututu 3333"),
    _inv("INV/2019/00013", "PA", "1000.00", ref="4444 tsoin 5555 tsoin 6666"),
]


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1111", "INV/2019/00011"),
        ("2222 3333", "INV/2019/00012"),
        ("4444 5555 6666", "INV/2019/00013"),
    ],
)
def test_the_numbers_of_a_payment_reference_name_its_invoice(text: str, number: str) -> None:
    """Three invoices of 1000 whose payment references hold "1111", "2222 … 3333" and
    "4444 … 5555 … 6666". Odoo reads the label, the reference or the note by the rule's
    options; our statement line has one remittance text, so each is tried there.

    "4444 5555 6666" was a bug: only one or two tokens together were read as a reference, so
    nothing was named and the same-amount policy applied the oldest invoice, INV/2019/00011,
    which the text does not name at all."""
    d = _decide(_credit("1000.00", text, name="partner_a"), TEXT_LOCATION)
    assert d.status == "matched", [r.text for r in d.reasons]
    assert _applied(d) == {number: D("1000.00")}


# -------------------------------------------- test_matching_fields_match_text_location_no_partner

NO_PARTNER = [_inv("INV/2019/00001", "BG", "100.00"), _inv("INV/2019/00002", "BG", "200.00")]


@pytest.mark.parametrize("text", ["INV/2019/00001", "Bernard Gagnant"])
def test_no_partner_the_invoice_reference_or_the_partners_name(text: str) -> None:
    """No partner on the line: the invoice's reference, or the partner's name, in the text
    matches invoice_line_1 (the amount picks it among the partner's)."""
    d = _decide(_credit("100.00", text), NO_PARTNER)
    assert d.status == "matched"
    assert _applied(d) == {"INV/2019/00001": D("100.00")}


def test_no_partner_and_nothing_named_is_not_applied() -> None:
    """ "nothing", no partner: nothing matches in Odoo. Ours offers the one invoice of exactly
    the amount as a hint to a person, never applies it."""
    d = _decide(_credit("100.00", "nothing"), NO_PARTNER)
    assert d.status == "suggested"
    assert not d.allocations


# ---------------------------------------------------------------------------- payment tolerance

OWED_1000 = [_inv("INV/2019/00021", "PA", "1000.00", ref="123456", issued=JAN)]
NO_TOLERANCE = MatchSettings(fee_tolerance={})


def test_zero_tolerance_exact_amount() -> None:
    d = _decide(_credit("1000.00", "turlututu", name="partner_a"), OWED_1000, settings=NO_TOLERANCE)
    assert d.status == "matched" and _applied(d) == {"INV/2019/00021": D("1000.00")}


def test_zero_tolerance_short_payment_is_not_written_off() -> None:
    """990 of 1000 without tolerance: Odoo matches nothing; ours offers it to a person as a
    part of the oldest invoice, writing nothing off."""
    d = _decide(_credit("990.00", "turlututu", name="partner_a"), OWED_1000, settings=NO_TOLERANCE)
    assert d.status == "suggested" and d.write_off is None
    assert d.suggestions[0].allocations[0].amount == D("990.00")


def test_overpayment_nothing_named_is_offered() -> None:
    """1010 for 1000, nothing named: Odoo's rule (no auto_reconcile) proposes the invoice; ours
    offers it too (an overpayment is not applied unseen)."""
    d = _decide(_credit("1010.00", "turlututu", name="partner_a"), OWED_1000, settings=NO_TOLERANCE)
    assert d.status == "suggested"
    assert _offered(d)[0] == {"INV/2019/00021"}


def test_overpayment_naming_the_reference_is_applied() -> None:
    """``test_zero_payment_tolerance_auto_reconcile``: 1010 quoting "123456" is reconciled
    automatically; ours applies 1000 and leaves 10 unapplied on the customer."""
    d = _decide(_credit("1010.00", "123456", name="partner_a"), OWED_1000, settings=NO_TOLERANCE)
    assert d.status == "matched"
    assert _applied(d) == {"INV/2019/00021": D("1000.00")}
    assert d.unapplied == D("10.00")


@pytest.mark.parametrize("text", ["turlututu", "123456"])
def test_enough_tolerance_writes_the_difference_off(text: str) -> None:
    """``test_enough_payment_tolerance`` (1%: 10 of 1000): 990 matches with a write-off. Our
    tolerance is an amount per currency (a bank charge), not a percentage; 10 EUR here. Odoo
    proposes it unless the rule auto-reconciles; ours applies it."""
    settings = MatchSettings(fee_tolerance={"EUR": D("10")})
    d = _decide(_credit("990.00", text, name="partner_a"), OWED_1000, settings=settings)
    assert d.status == "matched"
    assert _applied(d) == {"INV/2019/00021": D("990.00")}
    assert d.write_off == D("10.00")


def test_not_enough_tolerance() -> None:
    """``test_not_enough_payment_tolerance`` (0.5%: 5 of 1000): 990 is not written off."""
    settings = MatchSettings(fee_tolerance={"EUR": D("5")})
    d = _decide(_credit("990.00", "turlututu", name="partner_a"), OWED_1000, settings=settings)
    assert d.status != "matched" and d.write_off is None


def test_payment_above_a_smaller_invoice() -> None:
    """``test_allow_payment_tolerance_lower_amount``: 1000 paid, 990 invoiced: Odoo proposes the
    invoice; ours offers it (the 10 over would stay unapplied)."""
    invoices = [_inv("INV/2019/00022", "PA", "990.00")]
    d = _decide(_credit("1000.00", "turlututu", name="partner_a"), invoices)
    assert d.status == "suggested"
    assert _offered(d)[0] == {"INV/2019/00022"}


def test_auto_reconcile_a_little_overpaid_named_invoice() -> None:
    """``test_auto_reconcile``: 105 for invoice_line_1 (100) named, tolerance 10%: reconciled
    automatically; ours applies 100, 5 left unapplied."""
    d = _decide(_credit("105.00", "invoice 2019-00001", name="partner_1"))
    assert d.status == "matched"
    assert _applied(d) == {"INV/2019/00001": D("100.00")}
    assert d.unapplied == D("5.00")


def test_larger_invoice_paid_in_part() -> None:
    """``test_larger_invoice_auto_reconcile``: 40 quoting invoice_line_1 (100): a part
    payment, reconciled automatically in both."""
    d = _decide(_credit("40.00", "invoice 2019-00001", name="partner_1"))
    assert d.status == "matched"
    assert _applied(d) == {"INV/2019/00001": D("40.00")}


def test_no_partner_reference_and_write_off() -> None:
    """``test_inv_matching_rule_auto_rec_no_partner_with_writeoff``: no partner, "doudlidou3555"
    (invoice_line_1's reference), 95 for 100 with a 10% tolerance: reconciled with 5 written
    off."""
    invoices = [_inv("INV/2019/00001", "P1", "100.00", ref="doudlidou3555"), *LEDGER[1:]]
    settings = MatchSettings(fee_tolerance={"EUR": D("10")})
    d = _decide(_credit("95.00", "doudlidou3555"), invoices, settings=settings)
    assert d.status == "matched"
    assert _applied(d) == {"INV/2019/00001": D("95.00")}
    assert d.write_off == D("5.00")


# ----------------------------------------------------------------------------------- currencies


def test_another_currency_is_never_applied() -> None:
    """``test_match_different_currencies``: an EUR invoice of 100, a JPY line carrying 100 EUR
    as its foreign amount: Odoo matches on the foreign amount. Ours compares a credit with
    invoices in its own currency only: 100 JPY fits no EUR invoice, nothing is applied."""
    invoices = [_inv("INV/2019/00031", "BG", "100.00")]
    d = _decide(tx("100.00", "test", name="Bernard Gagnant", currency="JPY"), invoices)
    assert d.status == "unmatched"


# ------------------------------------------------------------------------- the partner's name


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("Archibald Haddock", "1234//HADDOCK-Archibald"),
        ("Archibald + Haddock", "1234//HADDOCK+Archibald"),
    ],
)
def test_partner_name_in_the_communication(name: str, text: str) -> None:
    """``test_partner_name_in_communication`` and ``…_with_regexp_chars``: no partner; the text
    holds the partner's name, its words in the other order: invoice_line_1 matches."""
    haddock = CustomerRecord("AH", name, (), (), "EUR")
    invoices = [_inv("INV/2019/00001", "AH", "100.00"), *LEDGER[1:]]
    d = _decide(_credit("100.00", text), invoices, [PARTNER_1, PARTNER_3, haddock])
    assert d.status == "matched"
    assert _applied(d) == {"INV/2019/00001": D("100.00")}


def test_no_partner_and_no_name_matches_nothing() -> None:
    """The same ledger, 600 "xxxxx" without partner: nothing in Odoo. Ours offers partner_3's
    two invoices of 600 to a person, applies neither."""
    invoices = [_inv("INV/2019/00001", "AH", "100.00"), *LEDGER[1:]]
    d = _decide(_credit("600.00", "xxxxx"), invoices)
    assert d.status == "suggested" and not d.allocations


# ---------------------------------------------------------------------- several candidates


def test_similar_communications_pay_every_invoice_quoting_them() -> None:
    """``test_payment_similar_communications``: two items of 500 with memo "a1b2c3", one with
    "d1e2f3"; 1000 quoting "a1b2c3" pays the two it names."""
    invoices = [
        _inv("INV/2019/00051", "BG", "500.00", ref="a1b2c3"),
        _inv("INV/2019/00052", "BG", "500.00", ref="a1b2c3"),
        _inv("INV/2019/00053", "BG", "500.00", ref="d1e2f3"),
    ]
    d = _decide(_credit("1000.00", "a1b2c3", name="Bernard Gagnant"), invoices)
    assert d.status == "matched"
    assert _applied(d) == {"INV/2019/00051": D("500.00"), "INV/2019/00052": D("500.00")}


def test_no_combination_fits_oldest_first_without_a_write_off() -> None:
    """``test_no_amount_check_keep_first``: 250 from partner_1 (100, 200, 300 open): Odoo
    proposes 100 and 200, writing 50 off. Ours offers 100 in full and 150 of the 200: what the
    customer still owes stays open rather than being written off."""
    d = _decide(_credit("250.00", "xxxxx", name="partner_1"))
    assert d.status == "suggested"
    (offer,) = d.suggestions
    assert {a.invoice: a.amount for a in offer.allocations} == {
        "INV/2019/00001": D("100.00"),
        "INV/2019/00002": D("150.00"),
    }
    assert offer.write_off is None


def test_one_invoice_of_the_exact_amount_beats_a_combination() -> None:
    """``test_no_amount_check_exact_match``: 300 from partner_1: 100 + 200 is 300 too, but
    the one invoice of exactly 300 is the match (Odoo proposes it; ours applies it)."""
    d = _decide(_credit("300.00", "xxxxx", name="partner_1"))
    assert d.status == "matched"
    assert _applied(d) == {"RBILL/2019/09/0013": D("300.00")}


# ------------------------------------------------ test_matching_fields_match_text_location (all)


def test_a_text_holding_three_payment_references_pays_by_the_same_amount_policy() -> None:
    """``test_matching_fields_match_text_location``: the label holds "1111", the reference
    "2222 3333", the note "4444 5555 6666"; Odoo picks inv1, inv2 or inv3 by which locations
    the rule reads. Our line has one remittance text, so all three invoices of 1000 are named
    and the amount fits each: they are interchangeable, and the same-amount policy decides
    (``oldest_first`` applies the first; ``suggest`` offers all three to a person)."""
    text = "1111 2222 3333 4444 5555 6666"
    d = _decide(_credit("1000.00", text, name="partner_a"), TEXT_LOCATION)
    assert d.status == "matched"
    assert _applied(d) == {"INV/2019/00011": D("1000.00")}
    suggest = MatchSettings(same_amount_policy="suggest")
    d = _decide(_credit("1000.00", text, name="partner_a"), TEXT_LOCATION, settings=suggest)
    assert d.status == "suggested"
    assert _offered(d) == [{"INV/2019/00011"}, {"INV/2019/00012"}, {"INV/2019/00013"}]
    # two of the three paid: the two oldest, named, in full
    d = _decide(_credit("2000.00", text, name="partner_a"), TEXT_LOCATION)
    assert _applied(d) == {"INV/2019/00011": D("1000.00"), "INV/2019/00012": D("1000.00")}


# --------------------------------------------------------------------- test_partner_mapping_rule


def test_a_text_no_customer_is_known_by_is_no_payer() -> None:
    """``test_partner_mapping_rule``: Odoo maps "toto42" to partner_1 by a regex configured on
    the rule, and proposes its invoice. We keep no regexes: payers are known by account, name,
    alias or what finance confirmed before. Without any, partner_1's one invoice of exactly the
    amount is a hint for a person, never applied; from partner_1 itself it is applied."""
    d = _decide(_credit("100.00", "toto42"))
    assert d.status == "suggested"
    assert _offered(d)[0] == {"INV/2019/00001"}
    d = _decide(_credit("100.00", "toto42", name="partner_1"))
    assert d.status == "matched"
    assert _applied(d) == {"INV/2019/00001": D("100.00")}


# ----------------------------------------------------------- test_invoice_matching_rule_no_partner


def test_no_partner_part_of_the_invoice_its_reference_names_is_offered() -> None:
    """``test_invoice_matching_rule_no_partner``: 95 without partner quoting "Tournicoti66",
    the payment reference of invoice_line_1 (100), no tolerance. Odoo's test leaves it open
    ("invoice_line_1 has no reason to match"). Ours offers the part payment of the invoice the
    text names, first, for a person: the unknown payer and the 5 missing say it may be
    something else."""
    ledger = [
        _inv("INV/2019/00001", "P1", "100.00", ref="Tournicoti66"),
        _inv("INV/2019/00002", "P1", "200.00"),
    ]
    d = _decide(_credit("95.00", "Tournicoti66"), ledger, settings=NO_TOLERANCE)
    assert d.status == "suggested"
    first = d.suggestions[0]
    assert [(a.invoice, a.amount) for a in first.allocations] == [("INV/2019/00001", D("95.00"))]
    assert first.write_off is None  # no tolerance: nothing is written off


# ------------------------------------------------- test_matching_with_write_off_foreign_currency


def test_nothing_owed_is_never_written_off_against_an_account() -> None:
    """``test_matching_with_write_off_foreign_currency``: a write-off model books 100 quoting
    "123456" to a revenue account on its own. We write off only a bank charge on an invoice
    paid; a credit that pays nothing we know of stays unmatched for a person."""
    d = _decide(_credit("100.00", "123456"), [])
    assert d.status == "unmatched"
    assert not d.allocations and d.write_off is None
