"""Czech, Slovak and Hungarian banks' CSV exports: Fio banka, ČSOB, a Slovak bank, Erste
Hungary and OTP.

Two files hold real rows: ``csv_cz_csob_2018.csv`` (ČSOB) and ``csv_hu_otp_2021.csv`` (OTP),
each quoted from a real download in a public importer's source (see their tests). No whole
real export of the other banks was found in a public repository (the importers found, such as
the ofxstatement plugins for Raiffeisenbank CZ, Air Bank and mBank CZ/SK, ship no sample
file), so the other files are written by us in each layout as documented (the column names,
the amounts ``12 100,00``, ``-1 234,56``, ``1.250.000 Ft``, the dates ``05.11.2026``,
``3.11.2026`` and ``2026.11.05.``), with CRLF line ends:

- ``csv_cz_fio.csv``: Fio banka's CSV, in UTF-8 with a BOM: ``ID operace;Datum;Objem;Měna;
  Protiúčet;Název protiúčtu;Kód banky;KS;VS;SS;Uživatelská identifikace;Zpráva pro příjemce;
  Typ;Provedl;Upřesnění;Komentář;BIC;ID pokynu`` (the column names of Fio's API).
- ``csv_cz_airbank.csv``: Air Bank's CSV in UTF-8, comma-separated and quoted, its 42 columns
  in the order an importer (ofxstatement-airbankcz) lists them: ``Datum provedení,Směr platby,
  Typ platby,...,Částka v měně účtu,...,Původní měna platby,Původní částka platby,Název
  protistrany,Číslo účtu protistrany,...,Variabilní symbol,...,Datum zaúčtování,Referenční
  číslo,...``, dates ``05/11/2026``.
- ``csv_cz_kb.csv``: Komerční banka's CSV in Windows-1250: ``Číslo účtu``, ``Výpis za období``
  (the end date on the next line) and the balances above the table, then ``Datum splatnosti;...;
  Protiúčet a kód banky;Název protiúčtu;Částka;...;Identifikace transakce;Systémový popis;Popis
  příkazce;Popis pro příjemce;AV pole 1;...`` (the names an importer, ofxstatement-cz-komercni,
  reads; the others as the bank's help lists them).
- ``csv_sk_tatra.csv``: the Slovak banks' column names (``Dátum zaúčtovania;Suma;Mena;Názov
  protistrany;IBAN protistrany;Variabilný symbol;...;Správa pre prijímateľa;Popis
  transakcie``), in Windows-1250, the variable symbol padded with zeros as some banks write it.
- ``csv_hu_erste.csv``: Erste Hungary's columns (``Könyvelés dátuma;Értéknap;Összeg;Pénznem;
  Partner neve;Partner számlaszáma;Közlemény;...``) in Windows-1250, amounts with and without
  ``Ft``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from reconcile.api import ParseResult, parse_bytes
from reconcile.model import ParseSettings
from reconcile.normalize import parse_amount, parse_date
from tests.reconcile.samples import DATA, read_sample
from tests.reconcile.test_tabular_polish import _moves, _party


def _read(name: str) -> ParseResult:
    return read_sample(name, "tabular")


def test_fio_export_with_the_variable_symbol_in_the_reference() -> None:
    data = (DATA / "csv_cz_fio.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    result = _read("csv_cz_fio.csv")
    assert _moves(result) == [
        (dt.date(2026, 11, 5), "credit", Decimal("12100.00"), "CZK"),
        (dt.date(2026, 11, 12), "debit", Decimal("1234.56"), "CZK"),
        (dt.date(2026, 11, 28), "credit", Decimal("48400.00"), "CZK"),
    ]
    first, power, last = result.transactions
    assert first.bank_ref == "26512345671"  # ID operace
    # the account with its bank code (Kód banky), as Czech accounts are written
    assert _party(first) == ("Strojírny Kovář s.r.o.", "19-2000145399/0800")
    assert first.payer_bank == "GIBACZPX"  # the BIC names the bank
    # no message: the invoice is named by the variable symbol alone
    assert first.reference == "VS 2026117"
    assert _party(power) == ("Pražská energetika, a.s.", "2800123456/2010")
    assert power.raw["payee_bank"] == "2010"  # no BIC: the code names it
    assert power.reference == "VS 7001234"
    # the message names the invoice already: the symbol is not repeated
    assert last.reference == "FA 2026121 listopad"
    assert _party(last) == ("Účetní služby Šťastný", "123-4567890217/0100")


def test_slovak_export_in_cp1250_with_a_padded_variable_symbol() -> None:
    (DATA / "csv_sk_tatra.csv").read_bytes().decode("cp1250")
    result = _read("csv_sk_tatra.csv")
    assert result.statements[0].raw["encoding"] == "cp1250"
    assert _moves(result) == [
        (dt.date(2026, 11, 3), "credit", Decimal("2450.00"), "EUR"),
        (dt.date(2026, 11, 14), "debit", Decimal("318.40"), "EUR"),
        (dt.date(2026, 11, 27), "credit", Decimal("12000.00"), "EUR"),
    ]
    first, power, last = result.transactions
    assert _party(first) == ("Ľubomír Šťastný - STAVMONT", "SK3111000000002612345678")
    assert first.reference == "Prijatá platba SEPA VS 260117"  # 0000260117
    assert power.reference == "Záloha elektrina 11/2026 Platba SEPA VS 7712004"
    assert _party(last) == ("Žilinská teplárenská, a.s.", "SK6102000000001234567890")
    assert last.reference == "FA 260121 Prijatá platba SEPA"


def test_hungarian_export_with_forint_amounts_and_dotted_dates() -> None:
    (DATA / "csv_hu_erste.csv").read_bytes().decode("cp1250")
    result = _read("csv_hu_erste.csv")
    assert _moves(result) == [
        (dt.date(2026, 11, 5), "credit", Decimal("381000"), "HUF"),
        (dt.date(2026, 11, 12), "debit", Decimal("1234.56"), "HUF"),  # -1.234,56 Ft
        (dt.date(2026, 11, 28), "credit", Decimal("1250000"), "HUF"),  # 1.250.000 Ft
    ]
    first, power, last = result.transactions
    assert first.bank_ref == "HU26110500012"
    assert _party(first) == ("Kovács és Társa Kft.", "11773016-01234567-00000000")
    assert first.reference == "Számla 2026/0117 kiegyenlítése"
    assert power.payee_name == "MVM Next Energiakereskedelmi Zrt."
    assert power.raw["balance"] == Decimal("1879765.44")
    assert _party(last)[0] == "Őrségi Fűrészüzem Bt."
    assert last.value_date == dt.date(2026, 11, 29)  # Értéknap
    assert last.raw["balance"] == Decimal("3129765.44")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2026.11.05.", dt.date(2026, 11, 5)), ("2026. 11. 05.", dt.date(2026, 11, 5))],
)
def test_hungarian_dates(text: str, expected: dt.date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.234,56 Ft", Decimal("1234.56")),
        ("-1 234 567 Ft", Decimal("-1234567")),
        ("1 234,56 Kč", Decimal("1234.56")),
        ("-250 HUF", Decimal("-250")),
    ],
)
def test_forint_and_koruna_amounts(text: str, expected: Decimal) -> None:
    assert parse_amount(text, decimal_comma=True) == expected


def test_real_csob_rows_with_the_title_line_and_the_variable_symbol() -> None:
    """ČSOB's "Pohyby na účtu" export, its title line, header and two rows as quoted from a
    real download (19.02.2018) in a public importer's comments (found in the code index),
    written back in Windows-1250 as that importer reads them."""
    (DATA / "csv_cz_csob_2018.csv").read_bytes().decode("cp1250")
    result = _read("csv_cz_csob_2018.csv")
    (info,) = result.statements
    assert (info.account, info.currency) == ("277150116/0300", "CZK")
    assert _moves(result) == [
        (dt.date(2018, 2, 19), "debit", Decimal("123.7"), "CZK"),
        (dt.date(2018, 2, 19), "debit", Decimal("150"), "CZK"),
    ]
    first, last = result.transactions
    assert first.bank_ref == "6924891286"  # ID transakce
    assert first.reference == (
        "Částka: 123,7 CZK 17.02.2018, Místo: ALBERT 0624, PRAHA 5 VS 205000049"
    )
    assert first.raw["balance"] == Decimal("5753.78")
    assert last.bank_ref == "6924626436"
    assert last.reference.endswith("Místo: TIGER, PRAHA VS 205000048")


def test_real_otp_rows_with_a_spaced_minus() -> None:
    """OTP Bank's transaction export (``Tranzakció dátuma,Könyvelés dátuma,Típus,Bejövő/Kimenő,
    Partner neve,Partner számlaszáma/azonosítója,...,Összeg,Pénznem``), the header and three rows
    as a public importer's test quotes them (found in the code index): amounts ``100 000``,
    ``- 370`` and ``-1 675``."""
    result = _read("csv_hu_otp_2021.csv")
    assert _moves(result) == [
        (dt.date(2021, 11, 2), "credit", Decimal("100000"), "HUF"),
        (dt.date(2021, 11, 2), "debit", Decimal("370"), "HUF"),
        (dt.date(2021, 11, 3), "debit", Decimal("1675"), "HUF"),  # booked the next day
    ]
    salary, fee, card = result.transactions
    assert _party(salary) == ("FIZETÉS", "1234567890")
    assert salary.reference == "Bér 2021/10"
    assert fee.payee_name == "OTPDIREKT ÜZENETDÍJ"
    assert card.payee_name == "SZAMICUKI KFT"
    assert card.reference == "VÁSÁRLÁS KÁRTYÁVAL SZAMICUKI KFT -APPLE"


def test_the_variable_symbol_alone_matches_the_invoice() -> None:
    """Fio's first entry carries no message: of the payer's two invoices of that amount, the one
    its variable symbol names is paid."""
    from reconcile.matching import CustomerRecord, MatchSettings, match_transactions
    from tests.reconcile.test_matching_cases import inv

    customers = [
        CustomerRecord("C1", "Strojírny Kovář s.r.o.", (), (), "CZK"),
        CustomerRecord("C2", "Účetní služby Šťastný", (), (), "CZK"),
    ]
    invoices = [
        inv("2026109", "C1", "12100.00", currency="CZK"),
        inv("2026117", "C1", "12100.00", currency="CZK"),
        inv("2026118", "C2", "12100.00", currency="CZK"),
    ]
    first = _read("csv_cz_fio.csv").transactions[0]
    (decision,) = match_transactions([first], customers, invoices, settings=MatchSettings())
    assert [a.invoice for a in decision.allocations] == ["2026117"]


def test_the_account_with_its_bank_code_names_the_customer() -> None:
    """The customer's account is kept as Czech accounts are written, with the bank code
    (``19-2000145399/0800``): the Fio entry's Protiúčet and Kód banky together name it, where
    neither the payer's name nor the variable symbol does."""
    from reconcile.matching import CustomerRecord, MatchSettings, match_transactions
    from tests.reconcile.test_matching_cases import inv

    customers = [
        CustomerRecord("C1", "KH Invest a.s.", (), ("19-2000145399/0800",), "CZK"),
        CustomerRecord("C2", "Moravská obchodní a.s.", (), ("2800123456/2010",), "CZK"),
    ]
    invoices = [
        inv("FA-0042", "C1", "12100.00", currency="CZK"),
        inv("FA-0043", "C2", "12100.00", currency="CZK"),
    ]
    first = _read("csv_cz_fio.csv").transactions[0]
    (decision,) = match_transactions([first], customers, invoices, settings=MatchSettings())
    assert [a.invoice for a in decision.allocations] == ["FA-0042"]


def test_air_bank_export_with_an_original_amount_in_another_currency() -> None:
    result = _read("csv_cz_airbank.csv")
    assert _moves(result) == [
        (dt.date(2026, 11, 5), "credit", Decimal("24200.00"), "CZK"),  # Datum zaúčtování
        (dt.date(2026, 11, 10), "debit", Decimal("3630.00"), "CZK"),
        (dt.date(2026, 11, 20), "credit", Decimal("25172.50"), "CZK"),
    ]
    first, rent, euro = result.transactions
    assert first.bank_ref == "148203117"  # Referenční číslo
    assert _party(first) == ("Zahradnictví Dvořák s.r.o.", "2400112233/2010")
    assert first.reference == "VS 2026131"
    assert _party(rent) == ("Nájemní dům Vinohrady", "107-9876543210/0100")
    assert rent.reference == "Nájem 11/2026 VS 1102026"
    # a decimal-comma export's original amount (1 000,00 EUR) is read once, not re-read
    assert (euro.raw["original_amount"], euro.raw["original_currency"]) == (
        Decimal("1000.00"),
        "EUR",
    )
    assert _party(euro) == ("Holzbau Huber GmbH", "AT611904300234573201")
    assert euro.reference == "Invoice 2026140"


def test_komercni_banka_export_under_its_account_and_period() -> None:
    (DATA / "csv_cz_kb.csv").read_bytes().decode("cp1250")
    result = _read("csv_cz_kb.csv")
    (info,) = result.statements
    assert info.account == "123-4567890217/0100"  # Číslo účtu above the table
    assert [(tx.booking_date, tx.direction, tx.amount) for tx in result.transactions] == [
        (dt.date(2026, 11, 6), "credit", Decimal("24200.00")),
        (dt.date(2026, 11, 16), "debit", Decimal("1260.50")),
        (dt.date(2026, 11, 27), "credit", Decimal("15330.00")),
    ]
    first, repair, euro = result.transactions
    assert first.bank_ref == "000-06112026 005-005-001234567"
    assert _party(first) == ("Zahradnictví Dvořák s.r.o.", "2400112233/2010")
    assert first.reference == "Dvořák faktura listopad VS 2026131"  # 0002026131
    assert _party(repair) == ("Strojírny Kovář s.r.o.", "19-2000145399/0800")
    assert repair.reference == "Oprava lisu VS 5512"
    assert (euro.raw["original_amount"], euro.raw["original_currency"]) == (
        Decimal("600.00"),
        "EUR",
    )
    assert euro.reference == "INV 2026135 HUBER"
    # the export names no currency of the account: none is assumed
    assert all("the export states no currency" in tx.warnings for tx in result.transactions)


def test_erste_hungary_short_layout() -> None:
    """Erste Hungary's short export as a public importer's bank list names it (``Dátum;Összeg;
    Deviza;Megbízó/Kedvezményezett;Közlemény``, dates ``2026.11.05.``, UTF-8): rows written by
    us in that layout."""
    data = (
        "Dátum;Összeg;Deviza;Megbízó/Kedvezményezett;Közlemény\r\n"
        "2026.11.05.;381 000;HUF;Kovács és Társa Kft.;SZLA-2026-0117\r\n"
        "2026.11.06.;-12 700;HUF;Magyar Telekom Nyrt.;Számla 2026/11\r\n"
    ).encode()
    (result,) = parse_bytes(data, "erste.csv", ParseSettings())
    assert result.error is None, result.error
    assert _moves(result) == [
        (dt.date(2026, 11, 5), "credit", Decimal("381000"), "HUF"),
        (dt.date(2026, 11, 6), "debit", Decimal("12700"), "HUF"),
    ]
    first, phone = result.transactions
    assert (first.payer_name, first.reference) == ("Kovács és Társa Kft.", "SZLA-2026-0117")
    assert phone.payee_name == "Magyar Telekom Nyrt."


@pytest.mark.parametrize(
    ("rows", "currency"),
    [
        ("2026.11.05.;381 000 Ft;Kovács Kft.\r\n2026.11.06.;-1.234,56 Ft;MVM\r\n", "HUF"),
        ("05.11.2026;1 234,56 Kč;Dvořák\r\n06.11.2026;-500,00 Kč;Novák\r\n", "CZK"),
        # two letters after an amount that name no currency are no currency
        ("05.11.2026;100,00 CR;Dvořák\r\n06.11.2026;50,00 DR;Novák\r\n", ""),
    ],
)
def test_the_currency_written_after_the_amounts(rows: str, currency: str) -> None:
    data = ("Dátum;Összeg;Partner neve\r\n" + rows).encode()
    (result,) = parse_bytes(data, "export.csv", ParseSettings())
    assert result.error is None, result.error
    assert [tx.currency for tx in result.transactions] == [currency, currency]


def test_constant_and_specific_symbols_are_read_but_stay_out_of_the_reference() -> None:
    """ČSOB's real rows (``csv_cz_csob_2018.csv``: konstantní symbol 1178, specifický symbol
    6114181856, the card's number) and Komerční banka's KS 0308 (``csv_cz_kb.csv``)."""
    card, *_ = _read("csv_cz_csob_2018.csv").transactions
    assert (card.raw["constant_symbol"], card.raw["specific_symbol"]) == ("1178", "6114181856")
    assert "6114181856" not in card.reference  # a payer's number is no invoice's
    assert "VS 205000049" in card.reference
    first, repair, _ = _read("csv_cz_kb.csv").transactions
    assert first.raw["constant_symbol"] == "0308"
    assert "specific_symbol" not in first.raw and "constant_symbol" not in repair.raw


def test_komercni_banka_without_a_currency_column_takes_the_accounts_or_the_default() -> None:
    """Komerční banka's export (``csv_cz_kb.csv``) has no currency column and its lines above
    the table name none: the default currency is used and said once. Where those lines state
    the account's currency (a ``Měna účtu`` line, or the code after the account number as
    Czech statements print it), that currency is read, and no warning is needed."""
    data = (DATA / "csv_cz_kb.csv").read_bytes()
    (assumed,) = parse_bytes(data, "kb.csv", ParseSettings(default_currency="CZK"))
    assert {t.currency for t in assumed.transactions} == {"CZK"}
    assert [getattr(w, "code", "") for w in assumed.warnings] == ["currency_assumed"]
    for stated in (
        data.replace(b"V\xfdpis za obdob\xed", "Měna účtu;EUR\r\nVýpis za období".encode("cp1250")),
        data.replace(b"0217/0100", b"0217/0100;EUR"),
        data.replace(b"0217/0100", b"0217/0100 EUR"),
    ):
        (result,) = parse_bytes(stated, "kb.csv", ParseSettings(default_currency="CZK"))
        assert result.error is None, result.error
        assert {t.currency for t in result.transactions} == {"EUR"}
        assert result.statements[0].account == "123-4567890217/0100"
        assert not result.warnings
