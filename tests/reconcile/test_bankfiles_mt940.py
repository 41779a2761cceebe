"""MT940 families beyond the corpus: German GVC, Dutch/SWIFT subfields, DOS code pages.

The fixtures in ``data/bankfiles`` are written from the banks' format descriptions (DK
"Mehrzweckfeld" ``?nn`` subfields, ABN AMRO/ING ``/TRTP/`` subfields, SWIFT :61: field rules);
the expected values below were worked out by hand from those texts.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from reconcile.api import parse_bytes
from reconcile.model import ParseSettings, Transaction
from reconcile.parsers.mt940_details import counterparty_fields

DATA = Path(__file__).parent / "data" / "bankfiles"


def _parse(name: str) -> tuple[list[Transaction], list[dict[str, object]]]:
    (result,) = parse_bytes((DATA / name).read_bytes(), name, ParseSettings())
    assert result.error is None, result.error
    assert result.format == "mt940"
    return result.transactions, [s.raw for s in result.statements]


def test_gvc_values_continued_across_lines_and_name_subfields_back_to_back() -> None:
    (credit, debit), (raw,) = _parse("mt940_gvc_sparkasse.sta")
    assert credit.direction == "credit" and credit.amount == Decimal("1500.00")
    assert credit.payer_name == "MUSTER BAU GMBH & CO. KG NIEDERLASSUNG SUED"
    assert credit.payer_account == "DE02700202700123456789"
    assert credit.payer_bank == "BYLADEM1001"
    assert credit.reference == "Rechnung RE-2026-0417 und RE-2026-0418"
    assert credit.raw["end_to_end_ref"] == "RE-2026-0417"
    assert credit.raw["gvc"] == "166"
    assert debit.payee_name == "Versicherung AG"
    assert debit.payee_account == "DE12500105170648489890"
    assert debit.raw["creditor_id"] == "DE98ZZZ09999999999"
    # the statement-level :86: after :62F: is the statement's, not the last entry's
    assert "Kontoauszug" not in debit.reference
    assert "Kontoauszug" not in str(debit.raw["details"])
    assert raw["information"] == ["Kontoauszug Nr. 12 vom 04.11.2026"]


def test_dutch_subfields_in_any_order_starting_with_trtp() -> None:
    (first, second, third), _ = _parse("mt940_abnamro_trtp.sta")
    assert first.payer_name == "JANSEN EN ZONEN BV"
    assert first.payer_account == "NL44RABO0123456789"
    assert first.payer_bank == "RABONL2U"
    assert first.reference == "FACTUUR 2026-0042 KLANT 7781"
    assert first.raw["transaction_type"] == "SEPA OVERBOEKING"
    assert second.payer_name == "Acme Ltd"
    assert second.payer_account == "GB29NWBK60161331926819"  # IBAN continued on the next line
    assert second.reference.startswith("Invoice INV-88")
    assert second.raw["end_to_end_ref"] == "E2E-778"
    assert third.direction == "debit"
    assert third.payee_name == "Energie BV"  # the code itself is cut by the line break
    assert third.payee_account == "NL91ABNA0417164300"
    assert third.raw["mandate_ref"] == "M-1"
    assert third.raw["creditor_id"] == "NL98ZZZ999999999999"


def test_dos_code_page_and_tolerant_statement_lines() -> None:
    (credit, debit), (raw,) = _parse("mt940_cp850_long_refs.sta")
    assert raw["encoding"] in ("cp850", "cp852")  # identical for German letters
    assert credit.reference == "Zahlung Müller Straße Überweisung Größe RE-77"
    assert credit.amount == Decimal("100.50")  # a decimal point instead of the comma
    assert debit.amount == Decimal("1250.00")  # thousands separator and a space after :61:
    assert debit.raw["customer_reference"] == "1234567890123456789012"  # longer than 16
    assert debit.bank_ref == "BANKREF-OVER-THE-23-CHARS-X"  # longer than 23


def test_swift_subfields_with_leading_free_text_and_ordering_party() -> None:
    fields = counterparty_fields("Incoming /ORDP//NAME/Zhang Wei Trading/ID/778/REMI/INV 5512/")
    assert fields["name"] == "Zhang Wei Trading"
    assert fields["reference"] == "INV 5512"


def test_free_text_is_not_mistaken_for_subfields() -> None:
    fields = counterparty_fields("Payment for order 12/ID/55 thanks")
    assert fields["reference"] == "Payment for order 12/ID/55 thanks"
    assert "name" not in fields


def test_entries_without_type_code_long_references_and_loose_header_fields() -> None:
    """Zenith-style ``CN250,00//ref`` and Penta-style ``D12,50NONREF`` lines have no type code;
    ASN writes the other party's IBAN (18 characters) as the customer reference."""
    (rent, parking, fee, jansen, vries), (raw,) = _parse("mt940_no_type_code_long_refs.sta")
    # each :61: is its own entry (the library used to fold type-less lines into one)
    assert [t.amount for t in (rent, parking, fee, jansen, vries)] == [
        Decimal("250.00"),
        Decimal("40.00"),
        Decimal("12.50"),
        Decimal("300.00"),
        Decimal("80.00"),
    ]
    assert rent.direction == "credit" and rent.bank_ref == "TRF-778812"
    assert rent.raw["funds_code"] == "N" and rent.raw["type_code"] is None
    assert parking.direction == "debit" and parking.reference == "Parking permit 2026"
    assert fee.raw["type_code"] is None and fee.raw["customer_reference"] == "NONREF"
    assert jansen.raw["customer_reference"] == "NL91ABNA0417164300"
    assert jansen.payer_account == "NL91ABNA0417164300"
    assert jansen.payer_name == "Jansen Consultancy"
    # an empty /REMI/ at the end is no part of the name
    assert vries.payer_name == "K. de Vries" and vries.payer_account == "NL02RABO0123456789"
    assert raw["statement_number_unread"] == "/1"
    assert raw["account_identification"] == "//AT61190/43002345732/EUR"


def test_statement_id_over_16_characters_and_account_after_slashes() -> None:
    (result,) = parse_bytes(
        (DATA / "mt940_no_type_code_long_refs.sta").read_bytes(), "x.sta", ParseSettings()
    )
    (info,) = result.statements
    assert info.statement_id == "STMT-2026-11-000123456"
    assert info.account == "AT61190/43002345732"
    assert info.sequence is None
    assert info.closing_balance == Decimal("1577.50")


def test_balance_without_currency_and_past_the_end_of_its_month() -> None:
    """``:62M:C2611031750,00`` has no currency (the library took "175" for one and read 0);
    ``:62F:C261131...`` names 31 November (read as the 30th with a warning, not refused);
    ``:60F:C261105EURO1.500,00`` and ``:62FC261105EUR 1520,00`` bend the balance syntax."""
    (result,) = parse_bytes(
        (DATA / "mt940_balance_quirks.sta").read_bytes(), "b.sta", ParseSettings()
    )
    assert result.error is None, result.error
    first, second, third = result.statements
    assert first.closing_balance == Decimal("1750.00")
    (intermediate,) = [b for b in first.balances if b.type == "62M"]
    assert intermediate.currency == "EUR"
    assert second.opening_balance == Decimal("1750.00")
    assert second.closing_balance == Decimal("1500.00")
    assert str(second.closing_date) == "2026-11-30"
    assert "261131" in second.raw["warnings"][0]
    # LBBW: a fourth letter after the currency, no colon after :62F, a space before the amount
    assert third.opening_balance == Decimal("1500.00")
    assert third.closing_balance == Decimal("1520.00")
    assert [b.currency for b in third.balances] == ["EUR", "EUR"]
    assert [t.amount for t in result.transactions] == [
        Decimal("1250.00"),
        Decimal("250.00"),
        Decimal("20.00"),
    ]


def test_polish_labelled_fields_give_the_other_party() -> None:
    """mBank's ``:86:`` is ``LABEL: value;`` pairs; the name ends at two spaces or the line."""
    credit = counterparty_fields(
        "911 PRZELEW ZEWNETRZNY; Z RACH.: \n12109024020000000611223344; OD: ANNA KOWALSKA"
        "  \nUL. LIPOWA 4 00-950 WARSZAWA; TYT.: FAKTURA 12/2026   ; \nTNR: 1234.5"
    )
    assert credit["account"] == "12109024020000000611223344"
    assert credit["name"] == "ANNA KOWALSKA"
    assert credit["reference"].startswith("911 PRZELEW ZEWNETRZNY")  # the text stays whole
    debit = counterparty_fields(
        "912 PRZELEW; NA RACH.: 00000000000000000000000000; DLA: HURT-POL SP Z O O  "
        "UL.POLNA 7 31-000 KRAKOW; TYT.: ZAMOWIENIE 88; TNR: 99.1"
    )
    assert debit["name"] == "HURT-POL SP Z O O"
    assert debit["account"] is None  # all zeros: the bank did not give it
    # an ordinary sentence with "od:" is no labelled field
    assert "name" not in counterparty_fields("Zwrot od: klienta za towar")


def test_polish_gvc_iban_in_subfield_38() -> None:
    """Polish banks write the other party's IBAN in ``?38``, a bank-local number in ``?31``."""
    fields = counterparty_fields(
        "020?00Przelew?20FAKTURA 7/2026?3010900012?310000123456789012"
        "?32HURTOWNIA ZIELONA?38PL6110\n9010140000071219812874"
    )
    assert fields["account"] == "PL61109010140000071219812874"
    assert fields["bank"] == "10900012"
    # a German ?31 IBAN is kept when ?38 holds no IBAN
    assert counterparty_fields("166?00GUTSCHRIFT?31DE02120300000000202051?38x")["account"] == (
        "DE02120300000000202051"
    )


def test_triodos_iban_form_bic_and_iban_in_20_and_21() -> None:
    fields = counterparty_fields(
        "000>100000000000\n>20INGBNL2A\n>21NL20INGB0001234567\n>22HUUR GARAGE NOVEMBER>2326"
        "\n>310390123456"
    )
    assert fields["account"] == "NL20INGB0001234567" and fields["bank"] == "INGBNL2A"
    assert fields["reference"] == "HUUR GARAGE NOVEMBER26"
    card = counterparty_fields("000>100000000000\n>20BETAALAUTOMAAT 12-11>310390123456")
    assert card["account"] is None  # >10 all zeros, >31 is our own account


def test_abn_amro_sepa_free_text_labels() -> None:
    fields = counterparty_fields(
        "SEPA OVERBOEKING                 IBAN: NL44RABO0123456789\n"
        "BIC: RABONL2U                    NAAM: DE VRIES INSTALLATIE\n"
        "OMSCHRIJVING: FACTUUR 2026-311"
    )
    assert fields["account"] == "NL44RABO0123456789"
    assert fields["name"] == "DE VRIES INSTALLATIE"
    assert fields["reference"].startswith("SEPA OVERBOEKING IBAN:")  # the text stays whole


def test_type_code_outside_n_s_f_is_still_a_type_code() -> None:
    """Only N, S and F start a SWIFT type code, but banks write others (``TIDX``); a line
    with one and a bank reference keeps it apart from the customer reference."""
    text = (
        b":20:TC1\n:25:NL20INGB0001234567\n:28C:1/1\n:60F:C261101EUR10,00\n"
        b":61:2611021102C15,67TIDXTEST-77//BANKREF-9\n:86:Test entry\n"
        b":62F:C261102EUR25,67\n-\n"
    )
    (result,) = parse_bytes(text, "tc.sta", ParseSettings())
    (tx,) = result.transactions
    assert tx.raw["type_code"] == "TIDX"
    assert tx.raw["customer_reference"] == "TEST-77"
    assert tx.bank_ref == "BANKREF-9"


def test_iso_8859_2_polish_letters() -> None:
    """mBank exports in ISO 8859-2: Ł is 0xA3 (£ in CP1252), Ś 0xA6, Ż 0xAF."""
    (credit, fee), (raw,) = _parse("mt940_iso8859_2_polish.sta")
    assert raw["encoding"] in ("iso8859_2", "cp1250")
    assert credit.payer_name == "ŻÓŁTA ŁÓDŹ SP. Z O.O."
    assert "ZAPŁATA ZA FAKTURĘ 14/2026" in credit.reference
    assert fee.reference == "794 OPŁATA ZA PRZELEW ŚWIĘTOKRZYSKI; TNR: 261104000002.000001"


def test_knab_bban_and_a_customer_reference_too_short_for_an_iban() -> None:
    text = (
        b":20:K1\n:25:NL95KNAB0011223344\n:28C:1/1\n:60F:C261101EUR0,\n"
        b":61:2611021102C75,N110NL02RABO01234567//KB-1\n"
        b":86:/TRTP/SEPA OVERBOEKING/BBAN/90000014/BIC/KNABNL2HXXX/NAME/KNAB/REMI/RENTE\n"
        b":62F:C261102EUR75,\n-\n"
    )
    (result,) = parse_bytes(text, "k.sta", ParseSettings())
    (tx,) = result.transactions
    # 16 characters cannot be a Dutch IBAN (18): the reference is no account
    assert tx.raw["customer_reference"] == "NL02RABO01234567"
    assert tx.payer_account == "90000014" and tx.payer_bank == "KNABNL2HXXX"


def test_free_text_after_an_original_amount_subfield() -> None:
    """``/OCMT/`` holds one amount; HSBC writes the payment details after its closing slash."""
    fields = counterparty_fields("/OCMT/EUR1250,00/\nSETTLEMENT OF INVOICE 2026-4471")
    assert fields["reference"] == "SETTLEMENT OF INVOICE 2026-4471"
    assert counterparty_fields("/OCMT/EUR10,00//REMI/INV 9")["reference"] == "INV 9"
