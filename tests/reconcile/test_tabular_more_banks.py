"""Exports of banks first seen in other projects' tests; the files are our own, in each bank's
layout, checked against the values those projects assert.

- Handelsbanken (Sweden), gurkodil/ofxstatement-handelsbanken: an XLSX whose sheet declares its
  size as ``A1:A1`` (the plugin calls ``reset_dimensions()`` for it), the account in A4, the
  header in row 9: Reskontradatum, Transaktionsdatum, Text, Belopp, Saldo; its test reads two
  lines, "blipp" -238 and "blupp" -228 on 2025-01-02, in SEK (which the file never names).
- ING Germany's Umsatzanzeige CSV, fabolhak/ofxstatement-de-ing: a preamble (IBAN, Saldo),
  ``Saldo;Währung;Betrag;Währung`` (two currency columns), newest first.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal

import openpyxl

from reconcile.model import ParseSettings
from tests.reconcile.test_tabular_banks import _parse


def _handelsbanken_xlsx() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    rows: list[list[object]] = [
        ["Kontoutdrag"],
        [],
        ["Period: 2025-01-01 - 2025-01-31"],
        ["Allkonto 123 123 123"],
        [],
        [],
        [],
        [],
        ["Reskontradatum", "Transaktionsdatum", "Text", "Belopp", "Saldo"],
        ["2025-01-03", "2025-01-02", "blipp", -238, 1000],
        ["2025-01-03", "2025-01-02", "blupp", -228, 772],
    ]
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    # rewrite the sheet's declared size as Handelsbanken's files have it
    source = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:A1"/>', content)
            target.writestr(info, content)
    return out.getvalue()


def test_handelsbanken_xlsx_with_a_wrong_declared_size() -> None:
    data = _handelsbanken_xlsx()
    assert b'<dimension ref="A1:A1"/>' in zipfile.ZipFile(io.BytesIO(data)).read(
        "xl/worksheets/sheet1.xml"
    )
    txs, info = _parse(data, "transactions.xlsx", ParseSettings(default_currency="SEK"))
    assert [(t.booking_date, t.direction, t.amount, t.currency, t.reference) for t in txs] == [
        (dt.date(2025, 1, 3), "debit", Decimal("238"), "SEK", "blipp"),
        (dt.date(2025, 1, 3), "debit", Decimal("228"), "SEK", "blupp"),
    ]
    assert info.raw["header_row"] == 9
    assert (info.opening_balance, info.closing_balance) == (Decimal("1238"), Decimal("772"))
    assert [w.code for w in info.raw["warnings"]] == ["currency_assumed"]


ING_DE = (
    "Umsatzanzeige;Datei erstellt am: 28.12.2018 16:57\n\n"
    "IBAN;DE12 3456 7890 1234 5678 90\nKontoname;Girokonto\nBank;ING\nKunde;Max Mustermann\n"
    "Zeitraum;28.12.2017 - 28.12.2018\nSaldo;97,10;EUR\n\nSortierung;Datum absteigend\n\n"
    "In der CSV-Datei finden Sie alle bereits gebuchten Umsätze.\n\n"
    "Buchung;Valuta;Auftraggeber/Empfänger;Buchungstext;Verwendungszweck;Saldo;Währung;Betrag;"
    "Währung\n"
    "28.12.2018;28.12.2018;Beispiel Versand GmbH;Lastschrift;Bestellung 4711;97,10;EUR;-5,50;EUR\n"
    "28.12.2018;28.12.2018;Erika Muster;Gutschrift;Rechnung 2018-12;102,6;EUR;50,00;EUR\n"
    "21.12.2018;27.12.2018;Stadtwerke Beispiel;Lastschrift;Abschlag Dezember;52,60;EUR;-47,40;EUR\n"
)


def test_ing_germany_umsatzanzeige() -> None:
    txs, info = _parse(ING_DE.encode("cp1252"), "Umsatzanzeige.csv", ParseSettings())
    assert [(t.booking_date, t.value_date, t.direction, t.amount, t.currency) for t in txs] == [
        (dt.date(2018, 12, 28), dt.date(2018, 12, 28), "debit", Decimal("5.50"), "EUR"),
        (dt.date(2018, 12, 28), dt.date(2018, 12, 28), "credit", Decimal("50.00"), "EUR"),
        (dt.date(2018, 12, 21), dt.date(2018, 12, 27), "debit", Decimal("47.40"), "EUR"),
    ]
    assert [(t.counterparty_name, t.reference) for t in txs] == [
        ("Beispiel Versand GmbH", "Bestellung 4711"),
        ("Erika Muster", "Rechnung 2018-12"),
        ("Stadtwerke Beispiel", "Abschlag Dezember"),
    ]
    assert info.account == "DE12345678901234567890"
    assert (info.opening_balance, info.closing_balance) == (Decimal("100.00"), Decimal("97.10"))
    assert "warnings" not in info.raw
