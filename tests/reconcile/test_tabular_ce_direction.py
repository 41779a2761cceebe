"""Central European exports whose amounts are unsigned and whose side a direction column says.

The column names are the banks' own, as their help pages and public importers list them (see
:mod:`reconcile.parsers.tabular_layouts_cz_sk_hu` and :mod:`.tabular_layouts_pl`); the rows are
written by us in each layout (amounts ``24 200,00``, dates ``05.11.2026``), since no public
export with unsigned amounts was found:

- Air Bank's ``Směr platby`` (Příchozí/Odchozí) beside ``Částka v měně účtu``;
- OTP's ``Bejövő/Kimenő`` (and ``Irány``) beside ``Összeg``;
- Erste Hungary's ``Terhelés vagy jóváírás`` (T or J);
- the Slovak banks' ``Typ pohybu`` (Kredit/Debet) and ``Smer`` (Príjem/Výdaj);
- PKO BP's ``Typ transakcji`` holding Uznanie/Obciążenie, and a ``Rodzaj`` of Wpływ/Wydatek.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from reconcile.api import ParseResult, parse_bytes
from reconcile.model import ParseSettings


def _read(text: str, name: str = "export.csv") -> ParseResult:
    (result,) = parse_bytes(text.replace("\n", "\r\n").encode("utf-8"), name, ParseSettings())
    assert result.error is None, result.error
    assert result.format == "tabular"
    return result


def _csv(*lines: str) -> str:
    return "".join(f"{line}\n" for line in lines)


def _sides(result: ParseResult) -> list[tuple[str, Decimal]]:
    return [(tx.direction, tx.amount) for tx in result.transactions]


AIR_BANK = _csv(
    (
        '"Datum provedení","Směr platby","Typ platby","Měna účtu","Částka v měně účtu",'
        '"Název protistrany","Číslo účtu protistrany","Variabilní symbol",'
        '"Zpráva pro příjemce"'
    ),
    (
        '"04/11/2026","Příchozí","Příchozí úhrada","CZK","24 200,00",'
        '"Zahradnictví Dvořák s.r.o.","2400112233/2010","2026131",""'
    ),
    (
        '"10/11/2026","Odchozí","Odchozí úhrada","CZK","3 630,00",'
        '"Nájemní dům Vinohrady","107-9876543210/0100","1102026","Nájem 11/2026"'
    ),
)

OTP = _csv(
    (
        "Tranzakció dátuma,Könyvelés dátuma,Típus,{column},Partner neve,"
        "Partner számlaszáma/azonosítója,Közlemény,Összeg,Pénznem"
    ),
    (
        "2026-11-02 08:05:00,2026-11-02,NAPKÖZBENI ÁTUTALÁS,Bejövő,KOVÁCS ÉS TÁRSA KFT,"
        "11773016-11111018,SZLA 2026/117,1 250 000,HUF"
    ),
    (
        "2026-11-02 09:54:28,2026-11-02,OTPDIREKT ÜZENETDÍJ,Kimenő,OTPDIREKT ÜZENETDÍJ,,"
        "OTPDIREKT ÜZENETDÍJ,370,HUF"
    ),
)

ERSTE_HU = _csv(
    (
        "Könyvelés dátuma;Értéknap;Terhelés vagy jóváírás;Összeg;Pénznem;Partner neve;"
        "Partner számlaszáma;Közlemény"
    ),
    ("2026.11.05.;2026.11.05.;J;480 000;HUF;Nagy Bt.;11600006-00000000-12345678;2026-0117 számla"),
    ("2026.11.06.;2026.11.06.;T;12 500;HUF;MVM Next;10918001-00000068-64440019;áram 10/2026"),
)

SLOVAK = _csv(
    (
        "Dátum zaúčtovania;{column};Suma;Mena;Názov protistrany;IBAN protistrany;"
        "Variabilný symbol;Správa pre prijímateľa"
    ),
    ("05.11.2026;{credit};1 815,00;EUR;Stavebniny Horák s.r.o.;SK3111000000002612345678;2026117;"),
    (
        "07.11.2026;{debit};96,40;EUR;Slovenský plynárenský priemysel;"
        "SK8975000000000012345671;;záloha 11/2026"
    ),
)

PKO = _csv(
    ("Data operacji;Data waluty;{column};Kwota;Waluta;Saldo po transakcji;Opis transakcji"),
    (
        "2026-11-05;2026-11-05;{credit};12 300,00;PLN;58 120,45;"
        "Tytuł: FV 2026/11/017 Nazwa nadawcy: PIEKARNIA ZIARNO SP Z O O"
    ),
    (
        "2026-11-06;2026-11-06;{debit};1 845,00;PLN;56 275,45;"
        "Tytuł: czynsz 11/2026 Nazwa odbiorcy: BIURO RACHUNKOWE"
    ),
)


def test_air_bank_direction_says_the_side_of_unsigned_amounts() -> None:
    result = _read(AIR_BANK)
    assert _sides(result) == [("credit", Decimal("24200.00")), ("debit", Decimal("3630.00"))]
    received, rent = result.transactions
    assert received.payer_name == "Zahradnictví Dvořák s.r.o."
    assert rent.payee_name == "Nájemní dům Vinohrady"
    assert not received.warnings and not rent.warnings


@pytest.mark.parametrize("column", ["Bejövő/Kimenő", "Irány"])
def test_otp_incoming_and_outgoing(column: str) -> None:
    result = _read(OTP.format(column=column))
    assert _sides(result) == [("credit", Decimal("1250000")), ("debit", Decimal("370"))]
    assert result.transactions[0].payer_name == "KOVÁCS ÉS TÁRSA KFT"


def test_erste_hungary_t_and_j() -> None:
    result = _read(ERSTE_HU)
    assert _sides(result) == [("credit", Decimal("480000")), ("debit", Decimal("12500"))]
    assert result.transactions[1].payee_name == "MVM Next"


@pytest.mark.parametrize(
    ("column", "credit", "debit"),
    [("Typ pohybu", "Kredit", "Debet"), ("Smer", "Príjem", "Výdaj")],
)
def test_slovak_direction_words(column: str, credit: str, debit: str) -> None:
    result = _read(SLOVAK.format(column=column, credit=credit, debit=debit))
    assert _sides(result) == [("credit", Decimal("1815.00")), ("debit", Decimal("96.40"))]


@pytest.mark.parametrize(
    ("column", "credit", "debit"),
    [("Typ transakcji", "Uznanie", "Obciążenie"), ("Rodzaj", "Wpływ", "Wydatek")],
)
def test_polish_direction_in_the_type_column(column: str, credit: str, debit: str) -> None:
    result = _read(PKO.format(column=column, credit=credit, debit=debit))
    assert _sides(result) == [("credit", Decimal("12300.00")), ("debit", Decimal("1845.00"))]


def test_a_sign_that_agrees_with_the_mark_is_no_conflict() -> None:
    text = AIR_BANK.replace('"3 630,00"', '"-3 630,00"')
    result = _read(text)
    assert _sides(result) == [("credit", Decimal("24200.00")), ("debit", Decimal("3630.00"))]
    assert all(not tx.warnings for tx in result.transactions)


def test_a_sign_against_the_mark_is_kept_with_a_warning() -> None:
    """A Kredit row printed ``-96,40`` (a reversal, or a mislabelled row) is not silently
    turned into money in: the sign stands and the row says why it needs a look."""
    text = SLOVAK.format(column="Typ pohybu", credit="Kredit", debit="Kredit").replace(
        ";96,40;", ";-96,40;"
    )
    result = _read(text)
    assert _sides(result) == [("credit", Decimal("1815.00")), ("debit", Decimal("96.40"))]
    first, reversed_ = result.transactions
    assert not first.warnings
    (warning,) = reversed_.warnings
    assert warning.code == "direction_mark_conflict"
    assert "signed against its debit/credit mark 'Kredit'" in warning
