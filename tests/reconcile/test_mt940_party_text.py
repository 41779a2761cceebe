"""The other party in ``:86:`` texts that do not label it the usual way.

- Polish (ZBP) statements: the title is ``?20``-``?29``; the other party's address is in
  ``?62``/``?63`` (and ``?60``/``?61`` where used) and never part of the remittance text, nor
  is a 26-digit account in ``?29``; the name is ``?32``/``?33``; PKO BP fills empty
  subfields with the byte 0xFF. The files are our own, in the layouts of PKO BP's
  export (a public parser's test of it: ``~`` subfields one per line, 0xFF fillers, ``~60``
  document date, ``~63`` empty) and of the AuroParser example (``~29`` the other party's
  26-digit account, ``~62``/``~63`` its street and town).
- ING's Dutch free text of 2013-2014: ``<IBAN> <BIC> <name> NOTPROVIDED <text>``.
  ``mt940_zilverline_ing_structured.txt`` is zilverline/mt940's (MIT)
  ``spec/fixtures/ing_structured.txt``; the values are those of its ``mt940_ing_spec.rb``
  ("new mt940": the owner is read where NOTPROVIDED ends the name, not otherwise).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from reconcile.model import Transaction
from reconcile.parsers.mt940_details import counterparty_fields
from reconcile.parsers.mt940_pl_address import split_address
from tests.reconcile.test_bankfiles_mt940_more import _parse

DATA = Path(__file__).parent / "data" / "bankfiles"


def _party(tx: Transaction) -> tuple[str | None, str | None]:
    return (tx.counterparty_name, tx.counterparty_account)


# --------------------------------------------------------------------------------------------
# Polish banks

PKO_BP = (
    ":20:MT940\n:25:/PL44102055610000380209739045\n:28C:1\n:60F:D260526PLN2671,79\n"
    ":61:2605260526D25,00N152NONREF//6460500500000513\n152 0\n"
    ":86:020~00152\n~20PRZELEW SRODKOW\n~21\xff\n~22\xff\n~23\xff\n~24\xff\n~25\xff\n"
    "~3010205561\n~319000361245650140\n~32JAN KOWALSKI\n~33\xff\n"
    "~38PL50102055619000361245650240\n~60\xff\n~63\xff\n"
    ":61:2605260526D434,00N210NONREF//6460502100001611\n210 0\n"
    ":86:020~00210\n~20P 85100158550 0 PI\n~21T-23\n~22\xff\n~23\xff\n~24\xff\n~25\xff\n"
    "~3010100071\n~312223147244000000\n~32\x8cL\xa5SKI URZ\xa5D SKAR\n~33BOWY KATOWICE\n"
    "~38PL32101000712223147254000000\n~602026-05-26\n~63\xff\n"
    ":62F:D260531PLN3130,79\n"
)


def test_pko_bp_fillers_are_no_text_and_no_name() -> None:
    result = _parse(PKO_BP.encode("latin-1"), "pko.sta")  # bytes as written: CP1250
    assert result.statements[0].raw["encoding"] == "cp1250"
    transfer, tax = result.transactions
    assert (transfer.amount, transfer.reference) == (Decimal("25.00"), "PRZELEW SRODKOW")
    assert _party(transfer) == ("JAN KOWALSKI", "PL50102055619000361245650240")
    # the title cut inside a word, as written; the document date in ~60 is no address
    assert (tax.amount, tax.reference) == (Decimal("434.00"), "P 85100158550 0 PIT-23")
    assert _party(tax) == ("ŚLĄSKI URZĄD SKARBOWY KATOWICE", tax.payee_account)
    assert tax.payee_account == "PL32101000712223147254000000"
    assert "address" not in transfer.raw and "address" not in tax.raw


PEKAO = (
    ":20:MT940\n:25:/PL80224030990000400208955593\n:28C:180521\n:60F:C260522PLN1000,00\n"
    ":61:2605220522C241,08S15000000029217\n:86:150\n"
    ":86:150~00B150PRZELEW ZEWNETRZNY PRZY\n~20faktura 12/2026\n~21\n~22\n~23\n~24\n~25\n"
    "~26\n~27\n~28\n~2911109010140000071219812874\n~3011109010\n~312222222222222222\n"
    "~32HURTOWNIA ZIELONA SP. Z O.O. \n~33\n~34150\n~38PL11109010140000071219812874\n"
    "~62UL. POLNA 3\n~63        22-222 WARSZAWA\n"
    ":61:2605220522C100,00S15000000029218\n:86:150\n"
    ":86:150~00B150PRZELEW ZEWNETRZNY PRZY\n~20zaliczka\n~2911109010140000071219812874\n"
    "~32ANNA NOWAK\n~6222-222 WARSZAWA\n~63\n"
    ":62F:C260522PLN1341,08\n"
)


def test_polish_address_subfields_are_the_address_not_the_title() -> None:
    result = _parse(PEKAO.encode(), "pekao.sta")
    invoice, advance = result.transactions
    assert invoice.reference == "faktura 12/2026"
    assert _party(invoice) == ("HURTOWNIA ZIELONA SP. Z O.O.", "PL11109010140000071219812874")
    assert invoice.raw["address"] == "UL. POLNA 3 22-222 WARSZAWA"
    assert advance.reference == "zaliczka"
    # no ?38: the 26-digit number in ?29 is the other party's account
    assert _party(advance) == ("ANNA NOWAK", "11109010140000071219812874")
    assert advance.raw["address"] == "22-222 WARSZAWA"


def test_polish_27_to_29_stay_title_unless_29_is_an_account() -> None:
    """The cmxl gem's Polish fixture (WoLpH/mt940's ``cmxl/mt940.sta``) continues the title in
    ``?26``-``?28`` and has no ``?32`` on one entry: those are no name."""
    fields = counterparty_fields(
        "020?00Wyplata?24ZAPLATA ZA FABRYKATY DO TUB?25 - 200 S ZTUK?26300 SZT GR544?2700 SZT "
        "FAKTURA 333/?28003.?29ZA LISTOPAD?3010600076?38PL081060007600007777777\n77777"
    )
    assert fields["reference"] == (
        "ZAPLATA ZA FABRYKATY DO TUB - 200 S ZTUK300 SZT GR54400 SZT FAKTURA 333/003.ZA LISTOPAD"
    )
    assert fields["name"] is None and fields["address"] is None
    assert fields["account"] == "PL08106000760000777777777777"


def test_german_subfields_60_to_63_stay_purpose() -> None:
    """In the German GVC ``?60``-``?63`` continue the purpose (Verwendungszweck 11-14)."""
    fields = counterparty_fields(
        "166?00GUTSCHRIFT?20RECHNUNG 1?21TEIL 2?60TEIL 11?61TEIL 12?32MUELLER GMBH"
    )
    # each subfield ends short of its 27 characters: its last word ends there, in capitals too
    assert fields["reference"] == "RECHNUNG 1 TEIL 2 TEIL 11 TEIL 12"
    assert fields["name"] == "MUELLER GMBH"
    assert "address" not in fields


@pytest.mark.parametrize(
    ("text", "name", "address"),
    [
        ("JAN KOWALSKI UL. DŁUGA 5 00-001 WARSZAWA", "JAN KOWALSKI", "UL. DŁUGA 5 00-001 WARSZAWA"),
        (
            "Jan Kowalski ul.Długa 5/7 00-001 Warszawa",
            "Jan Kowalski",
            "ul.Długa 5/7 00-001 Warszawa",
        ),
        (
            "ORANGE POLSKA S.A. AL. JEROZOLIMSKIE 160 02-326 WARSZAWA",
            "ORANGE POLSKA S.A.",
            "AL. JEROZOLIMSKIE 160 02-326 WARSZAWA",
        ),
        (
            "JAN NOWAK OS. TYSIĄCLECIA 12 M 4 40-001 KATOWICE",
            "JAN NOWAK",
            "OS. TYSIĄCLECIA 12 M 4 40-001 KATOWICE",
        ),
        ("ANNA NOWAK PL. WOLNOŚCI 1 61-739 POZNAŃ", "ANNA NOWAK", "PL. WOLNOŚCI 1 61-739 POZNAŃ"),
        # no street marker: a house number, then a postal code and a town
        ("JAN KOWALSKI DŁUGA 5 00-001 WARSZAWA", "JAN KOWALSKI", "DŁUGA 5 00-001 WARSZAWA"),
        ("ANNA NOWAK 00-001 WARSZAWA", "ANNA NOWAK", "00-001 WARSZAWA"),
        ("PHU 3 BRACIA 00-001 WARSZAWA", "PHU 3 BRACIA", "00-001 WARSZAWA"),
        # legal forms are the name's, and nothing that is not clearly an address is cut off
        (
            "ALLEGRO.PL SP. Z O.O. UL. GRUNWALDZKA 182 60-166 POZNAŃ",
            "ALLEGRO.PL SP. Z O.O.",
            "UL. GRUNWALDZKA 182 60-166 POZNAŃ",
        ),
        ("ŻÓŁTA ŁÓDŹ SP. Z O.O.", "ŻÓŁTA ŁÓDŹ SP. Z O.O.", None),
        ("PLAC ZABAW SP. Z O.O.", "PLAC ZABAW SP. Z O.O.", None),
        ("FIRMA AL. SP.J.", "FIRMA AL. SP.J.", None),
        ("ŚLĄSKI URZĄD SKARBOWY KATOWICE", "ŚLĄSKI URZĄD SKARBOWY KATOWICE", None),
        ("UL. DŁUGA 5 00-001 WARSZAWA", "UL. DŁUGA 5 00-001 WARSZAWA", None),
        ("JAN KOWALSKI UL. DŁUGA", "JAN KOWALSKI UL. DŁUGA", None),
    ],
)
def test_polish_name_and_address_are_split_only_where_clear(
    text: str, name: str, address: str | None
) -> None:
    assert split_address(text) == (name, address)


MILLENNIUM = (
    ":20:MT940\n:25:/PL27116022020000000123456789\n:28C:1\n:60F:C260601PLN100,00\n"
    ":61:2606010601C50,00N240NONREF//1\n"
    ":86:240?00PRZELEW PRZYCHODZACY?20FV 7/2026?3011602202?31PL\n"
    "?32JAN KOWALSKI UL. DŁUGA 5 00-00?331 WARSZAWA?38PL61109010140000071219812874\n"
    ":61:2606010601C70,00N240NONREF//2\n"
    ":86:240?00PRZELEW PRZYCHODZACY?20FV 8/2026?3011602202?31PL\n"
    "?32PRZEDSIEBIORSTWO ALFA SP. Z O?33.O.?38PL61109010140000071219812874\n"
    "?62UL. POLNA 3 ?6322-222 WARSZAWA\n"
    ":62F:C260601PLN220,00\n"
)


def test_polish_name_subfields_give_the_address_after_the_name() -> None:
    """Our own file in the layout of Millennium's and Pekao's exports: ``?32``/``?33`` hold the
    sender's name and address together, cut wherever 27 characters end; a company's name
    (legal form cut across ``?32``/``?33``) stays whole, its address in ``?62``/``?63``."""
    person, company = _parse(MILLENNIUM.encode("cp1250"), "millennium.sta").transactions
    assert (person.payer_name, person.raw["address"]) == (
        "JAN KOWALSKI",
        "UL. DŁUGA 5 00-001 WARSZAWA",
    )
    assert person.payer_account == "PL61109010140000071219812874"
    assert (company.payer_name, company.raw["address"]) == (
        "PRZEDSIEBIORSTWO ALFA SP. Z O.O.",
        "UL. POLNA 3 22-222 WARSZAWA",
    )


def test_mbank_names_the_sender_then_its_address() -> None:
    """mBank (WoLpH/mt940's ``mBank/mt942.sta``, in the shared corpus): ``OD: JAN NOWAK`` and
    the address on the next line, up to the ``;``."""
    fields = counterparty_fields(
        "911 TRANSAKCJA COLLECT; ID IPH: XX000000000001; Z RACH.:\n"
        "56114010810000267002001001; OD: JAN NOWAK\n"
        "UL. NIJAKA 1 M 2 31-234 KRAKOW; TYT.: PRZELEW SRODKOW   ;\n"
        "TNR: 179171073864111.010001"
    )
    assert (fields["name"], fields["address"], fields["account"]) == (
        "JAN NOWAK",
        "UL. NIJAKA 1 M 2 31-234 KRAKOW",
        "56114010810000267002001001",
    )
    # the name alone, or with text after two spaces that is no address: the name as before
    fields = counterparty_fields("Z RACH.: 56114010810000267002001001; OD: ANNA NOWAK  PRYWATNY;")
    assert (fields["name"], fields["address"]) == ("ANNA NOWAK", None)


# --------------------------------------------------------------------------------------------
# ING's Dutch free text


def test_ing_free_text_names_the_party_before_notprovided() -> None:
    name = "mt940_zilverline_ing_structured.txt"
    result = _parse((DATA / name).read_bytes(), name)
    txs = result.transactions
    assert len(txs) == 7
    # "IBAN transaction"
    assert (txs[2].amount, txs[2].direction) == (Decimal("400.00"), "debit")
    assert _party(txs[2]) == ("J AAP", "NL57ABNA0987654321")
    assert txs[2].raw["bank"] == "ABNANL2A"
    # "IBAN transaction with EREF NOTPROVIDED"
    assert _party(txs[3]) == ("J AAP / FOO B.V.", "NL57ABNA0987654321")
    # "IBAN transaction from tax", "IBAN transaction with EREF": no NOTPROVIDED, so where the
    # name ends is unknown; the account still is
    assert _party(txs[4]) == (None, "NL86INGB0002445588")
    assert _party(txs[6]) == (None, "NL57ABNA0987654321")
    assert txs[6].reference.startswith("NL57ABNA0987654321 ABNANL2A J AAP kilometervergoeding")
    # the old domestic form names no party
    assert _party(txs[1]) == (None, None)


def test_ing_free_text_needs_a_real_iban_and_bic() -> None:
    # 17 characters: no Dutch IBAN (18)
    assert "name" not in counterparty_fields("NL57ABNA098765432 ABNANL2A X NOTPROVIDED y")
    assert "name" not in counterparty_fields("FACTUUR 2026 BETAALD NOTPROVIDED")
    fields = counterparty_fields("BE68539007547034 GKCCBEBB DUPONT SA NOTPROVIDED FACTUUR 9")
    assert (fields["name"], fields["account"], fields["bank"]) == (
        "DUPONT SA",
        "BE68539007547034",
        "GKCCBEBB",
    )
