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
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from reconcile.api import ParseResult
from reconcile.model import Transaction

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
