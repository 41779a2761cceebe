"""Real MT940 files a tester ran through ``python -m reconcile parse`` (sweep 38), one per defect.

The files in ``data/bankfiles`` are the bytes those projects keep, or whole statements cut out
of them (named below):

- ``mt940_wolph_betterplace_eref_cut_on_space.sta``: WoLpH/mt940 (the betterplace folder is
  Apache-2.0, see ``test_mt940_sepa``), ``mt940_tests/betterplace/sepa_mt9401.sta``, its
  5th and 14th statements whole. ``?20EREF+TFNR 21005 EndToEndId `` is a full subfield whose
  27th character is a space; the reference goes on in ``?2100001``. The library reads
  ``TFNR 21005 EndToEndId 00001`` and the purpose ``Verwend CTSc-01 eBB TFNr 21005``.
- ``mt940_wolph_jejik_sns_domestic_account.sta``: WoLpH/mt940 (BSD-3-Clause),
  ``mt940_tests/jejik/sns.sta``, from sandermarechal/jejik-mt940 (MIT), whose ``SnsTest``
  reads the other party's account ``987654321`` (it drops leading zeros, of the statement's
  own account too), dates, amounts and the description. SNS before IBAN: the other party's
  Dutch account number as the ``:61:`` customer reference, its name on the line after.
- ``mt940_jejik_landesbankhessen_short_subfields.txt``: sandermarechal/jejik-mt940 (MIT),
  ``tests/Jejik/Tests/MT940/Fixture/document/landesbankhessen.txt``, whose
  ``LandesBankHessenTest`` reads the statement, the balance, the entry's dates, codes and raw
  description. ``?20 RECHNUNGSABSCHLUSS P`` / ``ER?2131.12.2020``: a line wrapped inside a
  short ``?20``, then ``?21`` starting with a digit after a letter.
- ``mt940_brd_shape_short_subfield.sta``: our own file in the shape of OCA's
  ``account_bank_statement_import_mt940_ro_brd/test_files/test-brd.940`` (AGPL, not copied):
  BRD's ``+``-separated subfields, a commission ``000+20Comision`` / ``+2318-Comision MULTIX``.
- ``mt942_myflow_multicash_cut_at_64.sta``: my-flow/mt940 (MIT), ``test/fixtures/mt942.sta``, a
  Polish MultiCash MT942 whose ``:86:`` lines are cut at 64 characters, inside numbers
  (``2100 0`` / ``000``); the project's ``mt942.json`` reads the text joined as written.
- ``mt940_sns_shape_line_of_66.940``: our own file in the shape of OCA's
  ``account_bank_statement_import_mt940_base/test_files/test-sns.940`` (AGPL, not copied): SNS
  pads its ``:86:`` lines to 65 characters and cuts its text there, one line of that file is
  66 characters long and cut inside the creditor id (``NL84ZZZ0`` / ``50695810000``).
- ``mt940_wolph_multiline_entry_after_end.sta``: WoLpH/mt940 (BSD-3-Clause),
  ``mt940_tests/self-provided/multiline.sta``: after the statement's closing balance, its
  information and the ``-`` that ends it, one more ``:61:`` (line 38). The project's
  ``multiline.yml`` reads both entries (its one object merges everything a file holds) and the
  balances 16.40, 11.40 and 11.40, which the first entry alone adds up to.
- ``mt940_cmxl_headers_impossible_dates.txt``: railslove/cmxl (MIT),
  ``spec/fixtures/mt940-headers.txt``, whose ``mt940_parsing_spec.rb`` reads one statement with
  one entry. The entry's value date ``362268`` has no month 22, its entry date ``7806`` no
  month 78, the closing balance's ``141387`` no month 13.
- ``mt940_cmxl_deutsche_bank_balance_date.txt``: railslove/cmxl (MIT),
  ``spec/fixtures/mt940-deutsche_bank.txt`` (three statements, as its spec reads them); the
  second statement's closing balance is dated ``021131``, 31 November.
- ``mt940_jejik_lbbw2_party_in_33.txt``: sandermarechal/jejik-mt940 (MIT),
  ``tests/Jejik/Tests/MT940/Fixture/document/lbbw2.txt``, whose ``LbbwTest`` reads its opening
  balance 0 (in ``EURO``, a fourth letter after the currency) and closing balance 1. No ``?32``:
  the ultimate party ``?21ABWA+J.W.ZANDER GMBH   CO. KG F`` goes on in ``?33REIBURG I.BR.``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from reconcile.api import ParseResult
from reconcile.model import Transaction
from reconcile.parsers.mt940_details import counterparty_fields
from reconcile.parsers.mt940_text import FULL_LINE, wrap_width
from reconcile.problems import Problem

from .samples import read_sample

D = dt.date


def _read(name: str) -> ParseResult:
    return read_sample(name, "mt940")


def _by_amount(txs: list[Transaction], amount: str) -> Transaction:
    (tx,) = [tx for tx in txs if tx.amount == Decimal(amount)]
    return tx


def test_a_full_subfield_cut_on_a_space_goes_on_in_the_next() -> None:
    txs = _read("mt940_wolph_betterplace_eref_cut_on_space.sta").transactions
    transfer = _by_amount(txs, "50990.05")
    assert transfer.raw["end_to_end_ref"] == "TFNR 21005 EndToEndId 00001"
    assert transfer.reference == "Verwend CTSc-01 eBB TFNr 21005 | EREF TFNR 21005 EndToEndId 00001"
    assert transfer.raw["customer_ref"] == "TFNR 21005 Instruction Id 00001"
    assert (transfer.payee_name, transfer.payee_account) == (
        "Empfaenger Florian Frech UK 01",
        "DE76508800500194780101",
    )
    # ?20KREF+PayId CTSc-01  BC PPP (27 characters, a space the 27th) + ?21TFNr 05006
    batch = _by_amount(txs, "342104")
    assert batch.raw["customer_ref"] == "PayId CTSc-01 BC PPP TFNr 05006"
    assert batch.reference == "MTLG:SEPA-Ueberweisungsauftrag Datei mit 0000004 Zahlungen"


def test_sns_before_iban_names_the_other_partys_domestic_account() -> None:
    result = _read("mt940_wolph_jejik_sns_domestic_account.sta")
    first, second = result.statements
    assert (first.sequence, first.account) == ("160/1", "0123456789")
    assert (first.opening_balance, first.closing_balance) == (
        Decimal("1234.56"),
        Decimal("1209.56"),
    )
    assert (first.opening_date, first.closing_date) == (D(2012, 6, 8), D(2012, 6, 8))
    assert second.transaction_count == 0
    test, test2 = result.transactions
    assert (test.value_date, test.booking_date, test.direction, test.amount) == (
        D(2012, 6, 7),
        D(2012, 6, 8),
        "debit",
        Decimal("20.00"),
    )
    # the account as written: the leading zero is part of it, as of the statement's own
    assert (test.payee_name, test.payee_account) == ("marechal s", "0987654321")
    assert test.reference == "dit is een test"
    assert (test2.payee_name, test2.payee_account, test2.reference) == (
        "marechal s",
        "0987654321",
        "dit is test 2",
    )


def test_a_short_subfield_ends_its_item_before_a_digit() -> None:
    (tx,) = _read("mt940_jejik_landesbankhessen_short_subfields.txt").transactions
    # the line wrap inside ?20 joins as written (PER), ?21 starts the next item
    assert tx.reference.startswith("RECHNUNGSABSCHLUSS PER 31.12.2020 GEM. 355 HGB ")
    assert (tx.value_date, tx.booking_date, tx.amount, tx.direction) == (
        D(2020, 12, 31),
        D(2020, 12, 31),
        Decimal("0.00"),
        "debit",
    )
    assert (tx.raw["gvc"], tx.raw["posting_text"], tx.raw["prima_nota"]) == (
        "835",
        "SONSTIGE NICHT DEF.GV-ARTEN",
        "59777",
    )
    assert (tx.raw["type_code"], tx.raw["customer_reference"], tx.raw["bank_reference"]) == (
        "NMSC",
        "NONREF",
        None,
    )
    assert tx.raw["details"].startswith("835?00SONSTIGE NICHT DEF.GV-ARTEN?1059777?20 RECHN")
    assert tx.counterparty_name is None and tx.counterparty_account is None
    assert tx.raw.get("end_to_end_ref") is None and tx.raw.get("customer_ref") is None
    brd = _read("mt940_brd_shape_short_subfield.sta").transactions
    assert [tx.reference for tx in brd] == [
        "Plata PLATA FACT 2025-0311",
        "Comision 18-Comision MULTIX",
    ]


def test_lines_cut_at_the_width_the_file_cuts_at() -> None:
    result = _read("mt942_myflow_multicash_cut_at_64.sta")
    (info,) = result.statements
    assert (info.statement_id, info.account, info.sequence) == (
        "TECHMIX",
        "PL89106000760000321000006053",
        "00001/001",
    )
    assert info.raw["sum_debit_entries"] == {"count": 2, "amount": Decimal("-186.33")}
    first, second = result.transactions
    text = (
        "Przelew MultiCash+ Nr rach org pod 69 1010 1270 0004 5922 2100 0000 Nazwa org.podat "
        "URZAD SKARBOWY KRAKOW STARE MIASTO GRODZKA 65 Typ identyf. N Id.uzup 1230819862 Okres "
        "platnosci 02M10 Symbolformul. PIT Ident. zobow DECYZJA RYCZALT"
    )
    assert (first.reference, second.reference) == (text, text)
    assert [(t.value_date, t.booking_date, t.direction, t.amount) for t in (first, second)] == [
        (D(2005, 6, 10), D(2005, 6, 10), "debit", Decimal("93.17")),
        (D(2005, 6, 10), D(2005, 6, 10), "debit", Decimal("93.16")),
    ]
    assert (first.raw["type_code"], first.raw["customer_reference"]) == ("FMSC", "NONREF")
    assert (first.bank_ref, first.raw["extra_details"]) == (
        "6127001795151001",
        "6006127001795151001",
    )
    # a line one past the width is cut there too: 65 (Klant + nr) and 66 (NL39ZZZ3 + 0231...)
    (sns,) = _read("mt940_sns_shape_line_of_66.940").transactions
    assert (sns.payee_name, sns.payee_account) == ("energie bv", "NL94INGB0001234567")
    assert sns.reference == (
        "Europese incasso door:ENERGIE BV NL-Factuurnr 2025030100417 Klantnr 00000417 BTW 7,31 "
        "Termijn maart, 120 kWh-Incassant ID: NL39ZZZ302317620000-Kenmerk Machtiging: 00417"
    )


def test_a_narrower_width_is_taken_only_where_the_lines_show_it() -> None:
    cut = ":86:" + "A" * 63 + "1\n" + "2" * 63 + "B\nC"
    assert wrap_width(f":20:X\n{cut}\n:61:x\n{cut}\n") == 64
    # one line of 64 shows no width; nor do lines of 40 (a narrow column is no cut)
    assert wrap_width(":86:" + "A" * 64 + "\nB\n") == FULL_LINE
    assert wrap_width(":86:" + "A" * 40 + "\n" + "B" * 40 + "\nC\n") == FULL_LINE
    # a field of a writer that wraps at words (a line left at 53 characters because the next
    # word, of 20, would not fit into 64) keeps the file at SWIFT's width
    words = "\n".join([":86:" + "A" * 64, "B" * 50 + " CC", "D" * 20 + " EEEEEEEEEEEE", "F"])
    assert wrap_width(f"{cut}\n{words}\n") == FULL_LINE


def test_an_entry_after_the_end_of_a_statement_lies_outside_it() -> None:
    result = _read("mt940_wolph_multiline_entry_after_end.sta")
    (info,) = result.statements
    assert (info.statement_id, info.sequence) == ("BILMT940", "00115/001")
    assert [(b.type, b.amount) for b in info.balances] == [
        ("60F", Decimal("16.40")),
        ("62F", Decimal("11.40")),
        ("64", Decimal("11.40")),
    ]
    assert info.transaction_count == 1
    inside, outside = result.transactions
    assert (inside.direction, inside.amount, inside.bank_ref) == (
        "debit",
        Decimal("5.00"),
        "MUL0408041114005",
    )
    assert (inside.raw["customer_reference"], inside.raw["extra_details"]) == (
        "REFERENCE DO 111",
        "/OCMT/EUR4,5//IACC/D3/",
    )
    assert inside.warnings == []
    # read (money moved), with the statement's currency, but named as lying outside it
    assert (outside.direction, outside.amount, outside.currency) == (
        "credit",
        Decimal("119.00"),
        "EUR",
    )
    assert (outside.value_date, outside.booking_date) == (D(2022, 12, 19), D(2022, 12, 20))
    assert (outside.bank_ref, outside.raw["customer_reference"]) == (
        "O/341241774",
        "341241773/1XXXXX",
    )
    assert (outside.raw["type_code"], outside.raw["extra_details"]) == ("NMSC", "Paiement")
    assert outside.source.endswith("#line=38")
    assert [getattr(w, "code", None) for w in outside.warnings] == ["mt940_outside_statement"]
    # the statement's balances add up without it: its only warning is the entry's
    (warning,) = result.warnings
    assert getattr(warning, "code", None) == "mt940_outside_statement"
    assert warning.startswith("line 38: an entry after the end of statement 1 ")


def test_an_entry_whose_dates_are_no_dates_is_read_on_the_statements_date() -> None:
    result = _read("mt940_cmxl_headers_impossible_dates.txt")
    (info,) = result.statements
    assert (info.statement_id, info.currency, info.opening_date) == (
        "MT940/78374",
        "INR",
        D(2016, 2, 1),
    )
    (tx,) = result.transactions
    assert (tx.direction, tx.amount, tx.currency) == ("credit", Decimal("1368378.92"), "INR")
    assert (tx.value_date, tx.booking_date) == (D(2016, 2, 1), D(2016, 2, 1))
    assert tx.reference == "-TX TRN-REF NO.1156ADS5601187 EUR 13456/TSV"
    assert [getattr(w, "code", None) for w in tx.warnings] == [
        "mt940_date_of_balance",
        "mt940_entry_date_left_out",
    ]
    closing, value_date, entry_date = result.warnings
    assert closing == "statement 1: unreadable MT940 field :62F: 'C141387INR1127421,94'"
    assert value_date == (
        "statement 1, entry 1: value date 362268 is not a date; read as 2016-02-01, the date of "
        "the balance :60F:"
    )
    assert entry_date == (
        "statement 1, entry 1: entry date 7806 is not a calendar date; read as the value date "
        "2016-02-01"
    )


def test_a_balance_date_past_its_months_end_names_the_statement_and_the_balance() -> None:
    result = _read("mt940_cmxl_deutsche_bank_balance_date.txt")
    assert [s.statement_id for s in result.statements] == ["131110", "1234567", "TELEWIZORY S.A."]
    second = result.statements[1]
    assert (second.closing_balance, second.closing_date) == (Decimal("4387.95"), D(2002, 11, 30))
    (warning,) = result.warnings
    assert warning == (
        "statement 2, closing balance (:62F:): balance date 021131 is not a calendar date; read "
        "as 2002-11-30"
    )
    assert isinstance(warning, Problem)
    assert warning.to_json()["location"]["params"] == {
        "statement": "2",
        "kind": "closing balance",
        "tag": "62F",
    }
    assert len(result.transactions) == 16


def test_a_33_without_32_is_no_name_of_its_own() -> None:
    result = _read("mt940_jejik_lbbw2_party_in_33.txt")
    (info,) = result.statements
    assert (info.opening_balance, info.closing_balance, info.currency) == (
        Decimal("0.00"),
        Decimal("1.00"),
        "EUR",
    )
    (tx,) = result.transactions
    assert (tx.direction, tx.amount, tx.reference) == ("credit", Decimal("1.00"), "UEBERTRAG")
    assert tx.payer_name == "J.W.ZANDER GMBH CO. KG FREIBURG I.BR."
    assert tx.raw["ultimate_party"] == "J.W.ZANDER GMBH CO. KG FREIBURG I.BR."
    # without an ultimate party to go on with, a ?33 alone names nobody
    assert counterparty_fields("166?00GUTSCHRIFT?20SVWZ+MIETE MAI?33REIBURG I.BR.")["name"] is None
    assert counterparty_fields("166?00GUTSCHRIFT?20MIETE?32MUSTER GMBH?33FREIBURG")["name"] == (
        "MUSTER GMBH FREIBURG"
    )
