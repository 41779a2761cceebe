"""Real MT940 files from other projects' test suites, checked against what those projects assert.

Fixtures in ``data/bankfiles`` (all from permissively licensed projects):

- ``mt940_jejik_olb_bad_forward_balance.sta``: sandermarechal/jejik-mt940 (MIT),
  ``tests/.../Fixture/document/K4262927_20200905-080000-952.txt`` (Oldenburgische Landesbank).
- ``mt940_php_rabo_sepa_accounts.swi``, ``mt940_php_rabo_pref.swi``: fruitl00p/php-mt940 (MIT),
  ``test/Parser/Banking/Mt940/Engine/Rabo/sample3`` and ``sample4``.
- ``mt940_php_rabo_old_format.swi``: the same project's ``Rabo/sample`` (Rabobank's pre-SEPA
  layout), a few empty repeated statements left out.
- ``mt940_wolph_asnb_free_text.sta``: WoLpH/mt940 (BSD-3-Clause), ``mt940_tests/ASNB/mt940.txt``,
  five of its 31 daily statements.
- The others are named in their test's docstring. Files were copied with LF line ends (the
  jejik-mt940 one keeps its CRLF).
"""

from __future__ import annotations

from decimal import Decimal

from reconcile.api import ParseResult, parse_bytes
from reconcile.model import ParseSettings, Transaction
from tests.reconcile.samples import read_sample


def _read(name: str) -> ParseResult:
    return read_sample(name, "mt940")


def _party(tx: Transaction) -> tuple[str | None, str | None]:
    if tx.direction == "credit":
        return tx.payer_name, tx.payer_account
    return tx.payee_name, tx.payee_account


def test_an_unreadable_forward_balance_costs_a_warning_not_the_statement() -> None:
    """``:65F:Dnullnull7414,3`` is no balance; jejik-mt940 still reads the entry."""
    result = _read("mt940_jejik_olb_bad_forward_balance.sta")
    (info,) = result.statements
    assert info.sequence == "172/1" and info.account == "28020050/1426292700"
    assert (info.opening_balance, str(info.opening_date), info.currency) == (
        Decimal("0"),
        "2020-09-04",
        "EUR",
    )
    assert "65F" in info.raw["warnings"][0] and "Dnullnull7414,3" in info.raw["warnings"][0]
    (tx,) = result.transactions
    assert (tx.amount, tx.direction, str(tx.value_date), str(tx.booking_date)) == (
        Decimal("230.00"),
        "credit",
        "2020-09-04",
        "2020-09-04",
    )
    assert (tx.raw["gvc"], tx.raw["posting_text"], tx.raw["prima_nota"]) == (
        "166",
        "GUTSCHRIFT",
        "0004772",
    )
    assert tx.raw["end_to_end_ref"] == "SCP 100 / 0082002528"
    assert (tx.payer_name, tx.payer_account, tx.payer_bank) == (
        "EWE VERTRIEB GmbH",
        "DE59280200501000000000",
        "OLBODEH2XXX",
    )
    assert tx.reference.startswith("D 803020001000145464 +1000145463 XXXXXXX,XXXXXX")


def test_rabobank_sepa_line_two_is_the_other_partys_domestic_account() -> None:
    """php-mt940 reads the account from the :61: line 2 and these remittance texts."""
    result = _read("mt940_php_rabo_sepa_accounts.swi")
    txs = result.transactions
    assert len(txs) == 12
    assert txs[0].reference.startswith("674725433 1120000153447185 14144467636004962")
    assert _party(txs[0]) == ("Nespresso Nederland B.V.", "NL96RBOS0523149468")
    assert _party(txs[1]) == ("Bedrijf B.V.", "0663616476")
    assert txs[2].reference == "861835-574631143"
    assert txs[3].reference.endswith("1001680-P796142 KINDEROPVANG")
    assert _party(txs[4]) == ("DIVV afd parkeergebouwewn", "P004500018")
    assert txs[4].reference == "Factuur 307472"
    assert _party(txs[7]) == (None, None)  # bank costs: no line 2


def test_rabobank_batch_payment_id_is_the_reference_and_zeros_are_no_account() -> None:
    """php-mt940 asserts the description ``PmtInfId-20151208-987`` for a /PREF/ entry."""
    txs = _read("mt940_php_rabo_pref.swi").transactions
    assert txs[0].reference.startswith(
        "20151208123123987 0030001100999991 Rabobank.nl - Order 347347"
    )
    assert txs[1].reference == "PmtInfId-20151208-987"
    # line 2 is "0000000000": a placeholder, neither the other party's name nor its account
    assert _party(txs[1]) == (None, None)
    assert txs[1].amount == Decimal("840.20") and txs[1].direction == "debit"


def test_rabobank_old_layout_account_in_the_customer_reference() -> None:
    """php-mt940 asserts these descriptions (statements 4, 14, 15 of its ``sample``)."""
    txs = _read("mt940_php_rabo_old_format.swi").transactions
    by_ref = {tx.reference: tx for tx in txs}
    assert {"Contante storting Overige", "INVOICE 38", "VOLGENS AFSPRAAK", "FAKTUUR 3549"} <= set(
        by_ref
    )
    # the account without a name after it is still the other party's account
    assert _party(txs[0]) == (None, "170059286")
    assert _party(by_ref["VOLGENS AFSPRAAK"]) == ("P.D.VAN BINSBERGEN", "P1901950")
    assert (by_ref["INVOICE 38"].amount, by_ref["INVOICE 38"].currency) == (
        Decimal("121189.65"),
        "USD",
    )
    yen = [tx for tx in txs if tx.currency == "JPY"]
    assert [tx.amount for tx in yen] == [
        Decimal("1560395"),
        Decimal("348000"),
        Decimal("79734"),
        Decimal("138619"),
    ]


def test_free_text_lines_cut_at_the_field_width_join_without_a_gap() -> None:
    """ASN pads short lines with spaces and cuts long ones at 65 characters, mid-word."""
    txs = _read("mt940_wolph_asnb_free_text.sta").transactions
    assert [(tx.amount, tx.direction) for tx in txs] == [
        (Decimal("65.00"), "debit"),
        (Decimal("1.65"), "debit"),
        (Decimal("1000.18"), "credit"),
        (Decimal("903.76"), "debit"),
    ]
    assert txs[0].reference.endswith("Betaling sieraden")
    assert "Betaling aan ICS 99999999999 ICS Referentie: 2020-01-31 21:27" in txs[3].reference
    assert _party(txs[3]) == ("international card services", "NL08ABNA9999999999")


def test_subfields_separated_by_plus_are_read_like_question_marks() -> None:
    """BRD (Romania) writes the GVC subfields with ``+`` (``000+20...+31<IBAN>+32<name>``).

    ``mt940_plus_separated_subfields.sta`` is our own file with the structure of OCA's
    ``account_bank_statement_import_mt940_ro_brd/test_files/test-brd.940`` (AGPL, not copied):
    ``+30`` a bank transaction number, ``+31`` the other party's IBAN, ``+32`` its name, ``+33``
    an empty tax id written as ``/``, ``+23``... the message, a statement-level ``:86:`` at the
    end. OCA's module reads the partner account and name from ``+31`` and ``+32``.
    """
    result = _read("mt940_plus_separated_subfields.sta")
    (info,) = result.statements
    assert (info.opening_balance, info.closing_balance) == (
        Decimal("15000.00"),
        Decimal("14729.60"),
    )
    paid, received = result.transactions
    assert (paid.amount, paid.direction, paid.currency) == (Decimal("1250.40"), "debit", "RON")
    assert _party(paid) == ("CONSTRUCT DEMO SRL", "RO09BCYP0000001234567890")
    assert "PLATA FACT 2025-0117" in paid.reference
    assert _party(received) == ("BETA TRADING SRL", "RO66BACX0000001234567890")
    assert "INCASARE FACT 88" in received.reference


def test_business_code_999_is_unstructured_text_and_penta_names_the_party_after_it() -> None:
    """DK code 999 means "unstructured purpose": the text follows the code.

    ``mt940_php_penta_colon_fields.sta`` is php-mt940's ``Engine/Penta/sample`` (MIT; a few of its
    entries), ``mt940_jejik_raiffeisen_999.sta`` jejik-mt940's ``raiffeisen-kaernten.txt`` (MIT).
    php-mt940 asserts the first entry's date (02-09-2020), mark D and the last's date.
    """
    txs = _read("mt940_php_penta_colon_fields.sta").transactions
    assert len(txs) == 12
    first, last = txs[0], txs[-1]
    assert (str(first.booking_date), first.direction, first.amount) == (
        "2020-09-02",
        "debit",
        Decimal("20.00"),
    )
    assert str(last.booking_date) == "2020-09-30"
    assert first.reference.startswith("SEPA_STANDING_ORDER:Unkostenbeitrag Starterkitchen")
    assert first.raw["gvc"] == "999"
    assert _party(first) == ("Campus Business Box e.V.", "DE85213581701400076509")
    hoppa = txs[2]  # a note after the IBAN, colons inside the purpose
    assert _party(hoppa) == ("HOPPA Inc", "GB29DEUT40333124517700")
    card = txs[3]  # a card payment: the "XX" account is the card scheme's, not the merchant's
    assert _party(card) == ("AWS EMEA", None)
    (tx,) = _read("mt940_jejik_raiffeisen_999.sta").transactions
    assert tx.reference == "foo Test Überweisung"
    assert tx.our_account == "AT39364/12345678912"


def test_party_account_and_name_written_as_lines_after_benm_and_ordp() -> None:
    """Komercijalna Banka writes ``/BENM/<account>`` ``/<name>`` ``/<codes>`` ``/<text>``.

    ``mt940_php_kbs_party_lines.sta`` is php-mt940's ``Engine/Kbs/sample2`` (MIT), which asserts one
    statement of 09-10-2020, a balance change of 22755 (its "delta" is opening minus closing),
    entries booked 09-10-2020 and the first one a debit.
    """
    result = _read("mt940_php_kbs_party_lines.sta")
    (info,) = result.statements
    assert info.opening_balance is not None and info.closing_balance is not None
    assert info.closing_balance - info.opening_balance == Decimal("22755")
    assert (str(info.opening_date), str(info.closing_date)) == ("2020-10-09", "2020-10-09")
    txs = result.transactions
    assert {str(tx.booking_date) for tx in txs} == {"2020-10-09"}
    assert sum(tx.amount if tx.direction == "credit" else -tx.amount for tx in txs) == 22755
    first, last = txs[0], txs[-1]
    assert first.direction == "debit" and first.currency == "MKD"
    assert _party(first) == ("MAKEDONSKI TELEKOM AD - SKOPJE", "300000003998473")
    assert "Pl.po osnov na izvr.uslugi" in first.reference
    assert _party(last) == ("HRISTO JANKOV Dane Krapcev br.20 S", "530500003804588")
    assert last.reference.endswith("dadena pozajmica na pravno lice")


def test_knab_free_text_names_the_party_with_or_without_its_account() -> None:
    """php-mt940's ``Engine/Knab/sample`` (MIT), with the values its ``testUnStructuredMt940``,
    ``testCorrectHandlingOfVariousStatementPricing`` and debit/credit tests assert."""
    result = _read("mt940_php_knab_free_text.sta")
    (info,) = result.statements
    assert (info.opening_balance, info.closing_balance) == (Decimal("1000.21"), Decimal("945.21"))
    assert str(info.opening_date) == "2015-12-03"
    txs = result.transactions
    assert txs[0].direction == "debit"
    assert _party(txs[1]) == ("SOME NAME", "NL52RABO0326203011")
    # the first line fills the 65 characters and goes on in the second
    assert txs[1].reference.startswith(
        "61385002542767281000000000000000000 6676341986995664 TEST PURCHAS567890"
    )
    assert _party(txs[3]) == ("POS", None)
    assert txs[3].reference.startswith("03-12-2015 16:04 PAS: 1122")


def test_sepa_purpose_code_keyword_is_split_from_the_remittance_text() -> None:
    """jejik-mt940's ``volksbankenraiffeisenbanken.txt`` (MIT): ``PURP+RINP`` before ``SVWZ+``.

    jejik-mt940 asserts the second statement's entry (80.00 on 2020-02-21, BIC, IBAN, holder,
    business code 166, posting text, prima nota and the SVWZ text).
    """
    result = _read("mt940_jejik_volksbank_purp.sta")
    assert result.statements[0].opening_balance == Decimal("3085.00")
    txs = result.transactions
    assert len(txs) == 12
    emilio = txs[2]
    assert (emilio.amount, str(emilio.value_date)) == (Decimal("80.00"), "2020-02-21")
    assert (emilio.raw["gvc"], emilio.raw["posting_text"], emilio.raw["prima_nota"]) == (
        "166",
        "UEBERWEISUNG",
        "931",
    )
    assert (emilio.payer_name, emilio.payer_account, emilio.payer_bank) == (
        "Antonio Sueto",
        "DE83500105179219844142",
        "SBCRDE66",
    )
    # jejik-mt940 joins the subfields as written ("CDIBAN:"); ?20 ends short of its 27
    # characters before "IBAN:", a word of its own, while the IBAN cut at ?21's end goes on
    assert emilio.reference == "Musical Emilio CD IBAN: DE83500105179219844142 BIC: SBCRDE66"
    standing_order = txs[9]
    assert standing_order.raw["purpose_code"] == "RINP Dauerauftrag/Rate"
    assert standing_order.reference.startswith("Spende IBAN: DE31500105174278239442")
    assert standing_order.payer_name == "Edeltraud Meyer"


def test_reversal_marks_unusual_type_codes_and_a_missing_entry_date() -> None:
    """tryton/mt940's ``MT940.txt`` (BSD), with the values its ``test_transaction`` asserts."""
    result = _read("mt940_tryton_abnamro_marks.sta")
    (info,) = result.statements
    assert (info.account, info.sequence) == ("123456789", "13501/1")
    assert (info.opening_balance, str(info.opening_date)) == (Decimal("5138.61"), "2012-05-11")
    assert (info.closing_balance, str(info.closing_date)) == (Decimal("5638.62"), "2012-05-14")
    sepa, reversal, plain = result.transactions
    assert (str(sepa.value_date), str(sepa.booking_date), sepa.amount) == (
        "2012-05-12",
        "2012-05-14",
        Decimal("500.01"),
    )
    assert (sepa.raw["type_code"], sepa.raw["extra_details"]) == ("N654", "987654321")
    # RC: a credit reversed, money leaving the account (tryton: -15.67)
    assert (reversal.direction, reversal.reversal, reversal.amount) == (
        "debit",
        True,
        Decimal("15.67"),
    )
    assert (reversal.raw["type_code"], reversal.raw["customer_reference"]) == ("IDXX", "REF")
    assert reversal.raw["extra_details"] == "DATA"
    assert (plain.direction, plain.amount, str(plain.value_date)) == (
        "credit",
        Decimal("15.67"),
        "2017-12-14",
    )
    assert (plain.raw["type_code"], plain.raw["customer_reference"], plain.bank_ref) == (
        "TIDX",
        "TEST",
        "REFERENCE",
    )


def test_a_reference_shaped_like_an_iban_of_no_country_is_not_the_other_partys_account() -> None:
    """ING's old layout puts its own references in the :61: customer reference
    (``NOV EV41411REP170112``, as in dovadi/mt940's ``ing_sepa.txt``); ASN puts the other
    party's IBAN there. Only a registered country with its IBAN length is an IBAN. Our own
    lines, in the layout of those files."""
    text = (
        b":20:MPBZ\n:25:0654321789\n:28C:000\n:60F:C120810EUR68,20\n"
        b":61:120810C1,41NOV EV41411REP170112\n"
        b":86:0654321789 J. Janssen Factuurnr 123456 klantnr 00123\n"
        b":61:2001050105C1000,00NIOBNL56ASNB0123456789\npaulissen g j l m\n"
        b":86:NL56ASNB0123456789 paulissen g j l m\n"
        b":62F:C120811EUR1069,61\n-\n"
    )
    (result,) = parse_bytes(text, "ing-old.sta", ParseSettings())
    ing, asn = result.transactions
    assert _party(ing) == (None, None)
    assert ing.raw["customer_reference"] == "EV41411REP170112"
    assert _party(asn) == ("paulissen g j l m", "NL56ASNB0123456789")


def test_a_party_code_holding_only_an_account_gives_the_account_not_a_name() -> None:
    """``/ORDP/<account>`` with no name line after it (our own line, KBS layout)."""
    text = (
        b":20:X\n:25:300000002778989\n:28C:1/1\n:60F:C201201MKD0,\n"
        b":61:2012011201CD50,NMSCNONREF//1\n:86:/ORDP/300000000460495\n:62F:C201201MKD50,\n-\n"
    )
    (result,) = parse_bytes(text, "kbs.sta", ParseSettings())
    (tx,) = result.transactions
    assert _party(tx) == (None, "300000000460495")


def test_structured_lines_longer_than_the_field_width_end_where_the_text_does() -> None:
    """Bunq does not cut ``:86:`` at 65 characters: its line breaks are the payer's own.

    ``mt940_php_bunq_long_lines.sta`` is php-mt940's ``Engine/Bunq/sample`` (MIT; some of its
    entries). The ``/`` inside a name (``en/of``) stays in the name.
    """
    txs = _read("mt940_php_bunq_long_lines.sta").transactions
    card = next(tx for tx in txs if "1.00 NZD" in tx.reference)
    assert card.reference == "WWW.ROUTERHOSTING.COM TAURANGA SOUT, NZ 1.00 NZD, 1 NZD = 0.61000 EUR"
    assert (card.amount, card.direction, card.payee_name) == (
        Decimal("0.61"),
        "debit",
        "WWW.ROUTERHOSTING.COM",
    )
    couple = next(tx for tx in txs if tx.amount == Decimal("26.66"))
    assert _party(couple) == ("Hr J F M Wacki en/of Mw K Wacki-Blokland", "NL54INGB0006214323")
    # php-mt940's Engine/Ing/sampleDescription (MIT) cuts at 66 characters, inside a word
    totals = [tx.reference for tx in _read("mt940_php_ing_cut_at_66.sta").transactions]
    assert totals == ["TOTAAL 345 POSTEN", "TOTAAL 1 POST"]
