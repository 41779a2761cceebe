"""The code page of a bank file that is no UTF-8: Central European exports (Polish, Czech, Slovak,
Hungarian) in CP1250, ISO 8859-2 or CP852 read as their letters, by the MT940 and CSV readers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from reconcile.api import parse_bytes
from reconcile.model import ParseSettings
from reconcile.parsers.codepages import decode_single_byte, reads_as_single_byte
from reconcile.parsers.tabular_io import decode

# short texts as banks write them: a header and a line or two
TEXTS = {
    "polish": "Data księgowania;Tytuł;Kwota\n2026-08-05;Zapłata za fakturę, Łódź, ŻABKA;-1 234,56",
    "polish_two_letters": "Tytuł;Kwota\nZapłata;1,00",
    "czech": (
        "Datum zaúčtování;Protiúčet;Částka;Poznámka\n01.08.2026;Platba nájemného, Říčany;-1 234,56"
    ),
    "slovak": "Dátum;Suma;Poznámka\nPlatba ľudovít, Žilina, Ďurčo;12,00",
    "hungarian": "Könyvelés dátuma;Összeg;Közlemény\nÁtutalás, számla, Győr, Pécs;-1 000",
    "german": "Buchungstag;Verwendungszweck;Betrag\nÜberweisung Müller Straße;12,00",
    "french": "Libellé;Montant\nVirement reçu, échéance, Café;12,00 €",
    "british": "Date,Details,Amount\n2026-11-02,CORNER BAKERY,£4.20",
    # two languages' accents in one file: every letter is Cyrillic in Windows-1251 (Gebьhr),
    # inside Latin words
    "swiss": "Buchung;Text;Betrag\nGebühr Crédit Agricole, Zürich, Genève, Lörrach;-12,50",
    "russian": "Дата операции;Описание;Сумма\n31.05.2017;Оплата по счёту, ООО «Ромашка»;-1 234,56",
    "ukrainian": "Дата;Призначення платежу;Сума\n01.08.2026;Оплата за рахунком, Київ, ґанок;12,00",
}
CODE_PAGES = ("cp1250", "iso8859_2", "cp852", "cp1252", "cp850", "cp1251", "latin-1")


def _encodable() -> list[tuple[str, str]]:
    out = []
    for name, text in sorted(TEXTS.items()):
        for code_page in CODE_PAGES:
            try:
                text.encode(code_page)
            except UnicodeEncodeError:
                continue
            out.append((name, code_page))
    return out


@pytest.mark.parametrize(("name", "code_page"), _encodable())
def test_short_texts_read_back_in_every_code_page_that_holds_them(
    name: str, code_page: str
) -> None:
    text = TEXTS[name]
    data = text.encode(code_page)
    assert decode_single_byte(data)[0] == text
    assert decode(data, None)[0] == text  # the CSV reader's decoding


def test_accented_letters_are_no_chinese_or_japanese() -> None:
    """``Opłata`` in CP1250 (``Op\\xb3ata``) decodes as Big5 and GB18030 too; a Slovak line in
    ISO 8859-2 did (``Platba 短dov癃``): the bytes stand inside Latin words."""
    for text, code_page in (
        ("Opłata", "cp1250"),
        ("Dátum;Suma;Poznámka\nPlatba ľudovít, Žilina, Ďurčo;12,00", "iso8859_2"),
    ):
        data = text.encode(code_page)
        assert reads_as_single_byte(data)
        assert decode(data, None)[0] == text
    for text, code_page in (
        ("交易日期,摘要,金额\n2026-01-01,POS消费,12.00", "gb18030"),
        ("日付,お取引内容,金額\n2026/01/01,ATM引出,1000", "cp932"),
    ):
        data = text.encode(code_page)
        assert not reads_as_single_byte(data)
        assert decode(data, None) == (text, code_page)


def test_a_polish_mt940_in_cp1250_reads_its_letters() -> None:
    """CP1250's ``Ą`` (0xA5) is ISO 8859-2's ``Ľ``: the Polish reading wins on its alphabet."""
    text = (
        ":20:ST261104CYC/1\n:25:PL61109010140000071219812874\n:28C:12/1\n"
        ":60F:C261104PLN1500,00\n"
        ":61:2611041104CN250,00NTRFNONREF//EL261104-000001\n"
        ":86:770 PRZELEW PRZYCHODZĄCY; TYT.: ZAPŁATA ZA FAKTURĘ, RATA DRUGA, KWOTA GŁÓWNA\n"
        ":62F:C261104PLN1750,00\n-\n"
    )
    (result,) = parse_bytes(text.encode("cp1250"), "pl.sta", ParseSettings())
    assert result.error is None
    assert result.statements[0].raw["encoding"] == "cp1250"
    (tx,) = result.transactions
    assert tx.amount == Decimal("250.00")
    assert tx.reference == (
        "770 PRZELEW PRZYCHODZĄCY; TYT.: ZAPŁATA ZA FAKTURĘ, RATA DRUGA, KWOTA GŁÓWNA"
    )
