"""Dutch banks' MT940 files and a FinTS MT942 from other projects' test suites, checked against
what those projects assert.

Fixtures in ``data/bankfiles`` are byte copies from zilverline/mt940 (MIT licence):

- ``mt940_zilverline_knab_domestic_rek.txt``: ``spec/fixtures/knab/knab_two_blocks.txt``
  (``spec/mt940_knab_spec.rb``, "parse a file with multiple blocks in it").
- ``mt940_zilverline_rabo_cdtrref.txt``: ``spec/fixtures/rabobank_mt940_structured_dutch_tax.txt``
  (``spec/mt940_rabobank_spec.rb``, "structured betalingskenmerk").
- ``mt940_zilverline_rabo_twice_remi.txt``: ``spec/fixtures/rabobank/fix_rabo_twice_remi.txt``
  (``spec/mt940_rabobank_spec.rb``, "handle duplicate occurrence of REMI").
- ``mt940_zilverline_ing_incasso_spaced.txt``:
  ``spec/fixtures/ing/eu_incasso_with_spaces_in_sepa.txt`` (``spec/mt940_ing_spec.rb``,
  "europese incasso with spaces in regex keyword").

and from railslove/cmxl (MIT licence):

- ``mt940_cmxl_abnamro_old_layout.txt``: ``spec/fixtures/mt940-abnamro.txt``, ABN AMRO's layout
  before SEPA; the contra accounts are those that jejik-mt940's ``AbnAmroTest``, zilverline's
  ``mt940_abnamro_spec.rb`` and dovadi/mt940's ``test_mt940_abnamro.rb`` assert for the same
  statement (428428 and 528939882).

and from my-flow/mt940 (MIT licence):

- ``mt942_myflow_at_at_breaks.sta``: ``test/fixtures/pending.sta``, an MT942 as FinTS (HBCI)
  hands it over, "@@" for every line break; its ``pending.json`` expects one debit of 0.02 EUR
  to Florian Joerg Breunig, DE29200411111234567890, booked 2016-04-21.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from reconcile.api import ParseResult
from tests.reconcile.samples import read_sample


def _read(name: str) -> ParseResult:
    return read_sample(name, "mt940")


def test_knab_party_with_a_domestic_account_number() -> None:
    """Knab's free text ends ``REK: <account>/NAAM: <name>``; before SEPA the account is a
    Dutch domestic number (zilverline: contra account 90000014, owner KNAB)."""
    first, second, third = _read("mt940_zilverline_knab_domestic_rek.txt").transactions
    assert (first.direction, first.amount, first.booking_date) == (
        "credit",
        Decimal("50.00"),
        dt.date(2014, 10, 22),
    )
    assert (first.payer_name, first.payer_account) == ("KNAB", "90000014")
    assert first.reference.startswith("AAAAA BDBDNDKDKASDF, BETALINGSKENMERK: 00111111111")
    assert (second.payer_name, second.payer_account) == ("BEDRIJF VOF", "NL26ABNA0888888888")
    assert (third.amount, third.payer_name) == (Decimal("10.00"), "NAAM REKENINGHOUDER")


def test_rabobank_structured_creditor_reference() -> None:
    """``/REMI//CDTRREFTP//CD/SCOR/ISSR/CUR/CDTRREF/<ref>``: the remittance is the creditor's
    structured reference (zilverline: "BETALINGSKENMERK 1234567899874563")."""
    (tx,) = _read("mt940_zilverline_rabo_cdtrref.txt").transactions
    assert (tx.direction, tx.amount, tx.booking_date) == (
        "debit",
        Decimal("2000.00"),
        dt.date(2013, 12, 27),
    )
    assert (tx.payee_name, tx.payee_account) == ("Belastingdienst", "NL86INGB0002445588")
    assert tx.reference == "1234567899874563"
    assert tx.raw["end_to_end_ref"] == "123456789"


def test_rabobank_empty_remi_then_remi_again() -> None:
    """``/REMI//REMI/AFR`` + ``EK. BETAALAUTOMAAT ...``: the empty first REMI gives way."""
    (tx,) = _read("mt940_zilverline_rabo_twice_remi.txt").transactions
    assert (tx.direction, tx.amount) == ("credit", Decimal("1000.00"))
    assert tx.payer_name == "STG. KLANTGELDEN SEPAY"
    assert tx.reference.startswith(
        "AFREK. BETAALAUTOMAAT MaestroREFNR. H6MJV5DAT. 20170601 AANT. 11"
    )
    assert tx.raw["end_to_end_ref"] == "201700101-2222222"


def test_ing_incasso_with_a_space_inside_sepa() -> None:
    """ING's old Dutch direct-debit text with ``S EPA``: the creditor is still read
    (zilverline: IBAN NL58INGB0000003000, owner "JAAPJAAP FIETS PAPIER QWDFDFGGASDFGDSFGS NV")."""
    (tx,) = _read("mt940_zilverline_ing_incasso_spaced.txt").transactions
    assert (tx.direction, tx.amount, tx.booking_date) == (
        "debit",
        Decimal("50.00"),
        dt.date(2013, 12, 31),
    )
    assert tx.payee_account == "NL58INGB0000003000"
    assert tx.payee_name == "JAAPJAAP FIETS PAPIER QWDFDFGGASDFGDSFGS NV"


def test_abn_amro_old_layout_names_the_giro_or_bank_account_first() -> None:
    """ABN AMRO before SEPA: ``GIRO   428428 KPN - DIGITENNE    BETALINGSKENM. ...`` and
    ``52.89.39.882 MYCOM DEN HAAG  S-GRAVEN,PAS999`` start with the other party's account (a
    Postbank giro number, or a bank account written with dots) and its name."""
    txs = _read("mt940_cmxl_abnamro_old_layout.txt").transactions
    assert len(txs) == 10
    kpn, mycom = txs[0], txs[-1]
    assert (kpn.direction, kpn.amount) == ("debit", Decimal("9.00"))
    assert (kpn.payee_name, kpn.payee_account) == ("KPN - DIGITENNE", "428428")
    assert "BETALINGSKENM. 000000042188659" in kpn.reference
    assert (mycom.amount, mycom.booking_date) == (Decimal("15.00"), dt.date(2011, 5, 24))
    assert (mycom.payee_name, mycom.payee_account) == ("MYCOM DEN HAAG", "528939882")
    # a card payment ("BEA   NR:XXX1234 ...") names no account
    assert all(tx.payee_account is None for tx in txs[1:-1])


def test_fints_at_at_stands_for_each_line_break() -> None:
    """FinTS writes MT940/MT942 with ``@@`` in place of CR LF, also inside a field
    (``...IBAN@@?23: DE29...``): the file is MT942, not a CSV, and reads as its lines."""
    result = _read("mt942_myflow_at_at_breaks.sta")
    (tx,) = result.transactions
    assert (tx.direction, tx.amount, tx.currency) == ("debit", Decimal("0.02"), "EUR")
    assert tx.booking_date == dt.date(2016, 4, 21)
    assert tx.our_account == "72090900/9876543219"
    assert (tx.payee_name, tx.payee_account) == (
        "Florian Joerg Breunig",
        "DE29200411111234567890",
    )
    assert tx.reference.startswith("Black TAN1:113040 IBAN: DE29200411111234567890")
