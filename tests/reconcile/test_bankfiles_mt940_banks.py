"""MT940 of banks the other tests do not cover, checked against what their source project asserts.

All from sandermarechal/jejik-mt940 (MIT), ``tests/Jejik/Tests/MT940/Fixture/document/``, the
values of the matching ``Parser/*Test.php``:

- ``mt940_jejik_bnp_paribas.sta``: ``paribas.txt`` (BNP Paribas Germany, two statements).
- ``mt940_jejik_bil.sta``: ``bil.txt`` (Banque Internationale à Luxembourg): ``:25:`` is the
  bank's BIC and the account's IBAN; ``DR`` is a debit with funds code R.
- ``mt940_jejik_commerzbank.sta``: ``commerzbank.txt`` (a returned SEPA direct debit whose
  ``:61:`` names the original amount and the charges: ``/OCMT/EUR11,85//CHGS/EUR0,50/``).
- ``mt940_jejik_bayernlb.sta``: ``bayerischelandesbank.txt`` (a subfield mark cut after its
  ``?``: ``DDC?`` + ``23VORMERKREF``).
"""

from __future__ import annotations

from decimal import Decimal

from reconcile.api import ParseResult
from tests.reconcile.samples import read_sample


def _read(name: str) -> ParseResult:
    return read_sample(name, "mt940")


def test_bnp_paribas_fees() -> None:
    result = _read("mt940_jejik_bnp_paribas.sta")
    assert len(result.statements) == 2
    info = result.statements[0]
    assert (info.sequence, info.account) == ("00001/00001", "12345678/0123456789")
    assert (info.opening_balance, str(info.opening_date), info.currency) == (
        Decimal("0.00"),
        "2024-07-31",
        "EUR",
    )
    assert (info.closing_balance, str(info.closing_date)) == (Decimal("-10.00"), "2024-08-01")
    tx = result.transactions[0]
    assert (tx.direction, tx.amount, str(tx.value_date), str(tx.booking_date)) == (
        "debit",
        Decimal("10.00"),
        "2024-08-01",
        "2024-08-01",
    )
    assert (tx.raw["gvc"], tx.raw["posting_text"], tx.payee_name) == (
        "808",
        "ENTGELTE / FEES",
        "INVOICE",
    )
    assert tx.reference == "BNPP Fees - 202408DE12345672 - 07/2024/"  # jejik's raw subfields
    assert tx.payee_account is None


def test_bil_names_its_bic_and_the_iban_in_the_account_field() -> None:
    result = _read("mt940_jejik_bil.sta")
    (info,) = result.statements
    assert (info.sequence, info.account) == ("00001/001", "LU540026121160200600")
    assert info.raw["account_bic"] == "BILLLULLXXX"
    assert info.raw["account_identification"] == "BILLLULLXXX/LU540026121160200600"
    assert (info.opening_balance, str(info.opening_date)) == (Decimal("0"), "2021-12-06")
    assert (info.closing_balance, str(info.closing_date)) == (Decimal("-4"), "2022-01-18")
    (tx,) = result.transactions
    assert (tx.direction, tx.amount, str(tx.value_date), tx.reversal) == (
        "debit",
        Decimal("4"),
        "2022-01-17",
        False,
    )
    assert (tx.raw["gvc"], tx.raw["posting_text"]) == ("808", "FORFAIT MENSUEL ENVOI DE COURRIER")
    assert tx.reference == "COMPTE . IBAN LU54 0026 1211 6020 0600"
    assert tx.payee_name is None and tx.payee_account is None


def test_commerzbank_return_names_the_original_amount_and_the_charges() -> None:
    (tx,) = _read("mt940_jejik_commerzbank.sta").transactions
    assert (tx.direction, tx.amount, tx.raw["type_code"]) == ("debit", Decimal("12.35"), "NRTI")
    assert (tx.raw["original_amount"], tx.raw["original_currency"]) == ("11.85", "EUR")
    assert (tx.raw["charges"], tx.raw["charges_currency"]) == ("0.50", "EUR")
    # ?32TESTER ends short of its 27 characters: ?33EL starts a word of its own
    assert (tx.payee_name, tx.payee_account, tx.raw["bank"]) == (
        "TESTER EL",
        "DE50712345600200691329",
        "CSDBDE71XXX",
    )
    # "MR" + "EF+2" + "?23" + "0852HW...": keyword and value cut across lines and subfields
    assert tx.raw["mandate_ref"] == "20852HW2723821"
    assert tx.raw["creditor_id"] == "DE41EON00000129793"


def test_bayernlb_subfield_mark_cut_after_its_question_mark() -> None:
    result = _read("mt940_jejik_bayernlb.sta")
    (info,) = result.statements
    assert (info.sequence, info.account, info.opening_balance) == (
        "39/1",
        "70050000/4213299",
        Decimal("11657017.94"),
    )
    (tx,) = result.transactions
    assert (tx.direction, tx.amount, str(tx.value_date), str(tx.booking_date)) == (
        "credit",
        Decimal("0.71"),
        "2021-02-25",
        "2021-02-25",
    )
    assert (tx.raw["gvc"], tx.raw["posting_text"], tx.raw["prima_nota"]) == (
        "192",
        "SEPA-LASTSCHRIFT-CORE AUSG",
        "0000001706",
    )
    assert tx.raw["end_to_end_ref"] == "A17022021.392492.376552.391933"
    # ?20 ends short of its 27 characters: the count and "REF." are two words; the full ?21 goes
    # on inside the reference as written
    assert tx.reference.startswith("ANZ. SEPA COR 0000001 REF. SEPA-20210217210008-40133200-P1")
    assert "DDCVORMERKREF. 4340-02-23-13.47.01.140931" in tx.reference
    assert tx.payer_name is None and tx.payer_account is None
