"""CSV exports of European, American and Pacific banks and money apps, every field checked.

Written by hand after the layouts other projects test with (Wise, N26 in three languages,
Sparda-Bank, Swedbank Estonia, John Lewis Partnership and Woolworths Money cards); names,
accounts and figures are invented.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from reconcile.model import ParseSettings, Transaction
from reconcile.parsers import tabular
from reconcile.remittance import payer_from_text

from .test_tabular_banks import _parse

D = dt.date


def _money(txs: list[Transaction]) -> list[tuple[object, ...]]:
    """Each entry's reference, booking and value dates, direction, amount and currency."""
    return [
        (t.bank_ref, t.booking_date, t.value_date, t.direction, t.amount, t.currency) for t in txs
    ]


def _parties(txs: list[Transaction]) -> list[tuple[str | None, ...]]:
    """Each entry's payer name and account, payee name and account."""
    return [(t.payer_name, t.payer_account, t.payee_name, t.payee_account) for t in txs]


def _texts(txs: list[Transaction]) -> list[tuple[str, str, str]]:
    """Each entry's remittance text, our account and its place in the file."""
    return [(t.reference, t.our_account, t.source) for t in txs]


# --------------------------------------------------------------------------------------------
# Wise: the transfer's id, Payer Name on money in and Payee Name (with its account) on money
# out, the merchant of a card payment, the fee as its own row under the same id

WISE = (
    '"TransferWise ID",Date,"Date Time",Amount,Currency,Description,"Payment Reference",'
    '"Running Balance","Exchange From","Exchange To","Exchange Rate","Payer Name","Payee Name",'
    '"Payee Account Number",Merchant,"Card Last Four Digits","Card Holder Full Name",Attachment,'
    'Note,"Total fees","Exchange To Amount","Transaction Type","Transaction Details Type"\n'
    'TRANSFER-20001,03-11-2026,"03-11-2026 10:15:02.120",-420.00,EUR,"Sent money to Keller '
    'Bau GmbH",,1580.00,,,,,"Keller Bau GmbH","DE02 1203 0000 0000 2020 51",,,,,,0.00,,'
    "DEBIT,TRANSFER\n"
    'FEE-TRANSFER-20001,03-11-2026,"03-11-2026 10:15:02.119",-1.20,EUR,"Wise Charges for: '
    'TRANSFER-20001",,2000.00,,,,,,,,,,,,0,,DEBIT,TRANSFER\n'
    'CARD-30002,02-11-2026,"02-11-2026 18:40:11.500",-19.90,EUR,"Card transaction of EUR '
    'issued by Buchladen",,2001.20,,,,,,,"Buchladen am Markt",4321,"Eva Muster",,,0.00,,'
    "DEBIT,CARD\n"
    'TRANSFER-20000,01-11-2026,"01-11-2026 08:00:00.000",2021.10,EUR,"Received money from '
    'Nordlicht AG with reference INV 2026-77","INV 2026-77",2021.10,,,,"Nordlicht AG",,,,,,,,'
    "0.00,,CREDIT,DEPOSIT\n"
)


def test_wise_statement_ids_parties_and_fee_rows() -> None:
    txs, info = _parse(WISE.encode(), "statement_EUR.csv", ParseSettings())
    assert [tx.bank_ref for tx in txs] == [
        "TRANSFER-20001",
        "FEE-TRANSFER-20001",
        "CARD-30002",
        "TRANSFER-20000",
    ]
    assert _money(txs) == [
        ("TRANSFER-20001", D(2026, 11, 3), None, "debit", Decimal("420.00"), "EUR"),
        ("FEE-TRANSFER-20001", D(2026, 11, 3), None, "debit", Decimal("1.20"), "EUR"),
        ("CARD-30002", D(2026, 11, 2), None, "debit", Decimal("19.90"), "EUR"),
        ("TRANSFER-20000", D(2026, 11, 1), None, "credit", Decimal("2021.10"), "EUR"),
    ]
    assert _parties(txs) == [
        (None, None, "Keller Bau GmbH", "DE02120300000000202051"),
        (None, None, None, None),
        (None, None, "Buchladen am Markt", None),
        ("Nordlicht AG", None, None, None),
    ]
    assert _texts(txs) == [
        ("Sent money to Keller Bau GmbH", "", "statement_EUR.csv#row=2"),
        ("Wise Charges for: TRANSFER-20001", "", "statement_EUR.csv#row=3"),
        ("Card transaction of EUR issued by Buchladen", "", "statement_EUR.csv#row=4"),
        (
            "Received money from Nordlicht AG with reference INV 2026-77 INV 2026-77",
            "",
            "statement_EUR.csv#row=5",
        ),
    ]
    # newest first, the running balance after each entry: opened with 0.00, closed with 1580.00
    assert info.raw["order"] == "newest_first"
    assert (info.opening_balance, info.closing_balance) == (Decimal("0.00"), Decimal("1580.00"))


# --------------------------------------------------------------------------------------------
# N26: the same columns in English, German and French; the amount's unit names the currency

N26_HEADERS = {
    "en": "Date,Payee,Account number,Transaction type,Payment reference,Category,Amount (EUR),"
    "Amount (Foreign Currency),Type Foreign Currency,Exchange Rate",
    "de": "Datum,Empfänger,Kontonummer,Transaktionstyp,Verwendungszweck,Kategorie,Betrag (EUR),"
    "Betrag (Fremdwährung),Fremdwährung,Wechselkurs",
    "fr": "Date,Bénéficiaire,Numéro de compte,Type de transaction,Référence de paiement,"
    "Catégorie,Montant (EUR),Montant (Devise étrangère),Sélectionnez la devise étrangère,"
    "Taux de conversion",
}


def test_n26_in_three_languages() -> None:
    for language, header in N26_HEADERS.items():
        data = (
            header + "\n"
            '"2026-10-05","Stadtwerke Musterstadt","","Direct Debit","Abschlag Strom 10/2026",'
            '"Utilities","-64.00","","",""\n'
            '"2026-10-07","Anna Beispiel","","Income","Miete Oktober","Income","750.00","","",""\n'
        ).encode()
        name = f"n26-{language}.csv"
        txs, _ = _parse(data, name, ParseSettings())
        assert len(txs) == 2, language
        assert _money(txs) == [
            (txs[0].bank_ref, D(2026, 10, 5), None, "debit", Decimal("64.00"), "EUR"),
            (txs[1].bank_ref, D(2026, 10, 7), None, "credit", Decimal("750.00"), "EUR"),
        ]
        assert _parties(txs) == [
            (None, None, "Stadtwerke Musterstadt", None),
            ("Anna Beispiel", None, None, None),
        ]
        assert _texts(txs) == [
            ("Abschlag Strom 10/2026", "", f"{name}#row=2"),
            ("Miete Oktober", "", f"{name}#row=3"),
        ]


# --------------------------------------------------------------------------------------------
# Sparda-Bank: a preamble with a small table of its own (our account under Kontonummer),
# "Umsatz" for the signed amount, "Wertstellungstag" for the value date, a note about pending
# entries under the table

SPARDA = (
    '"Kontoumsätze SpardaGiro Online"\n'
    "\n"
    '"Kontoinhaber:";"Erika Muster"\n'
    '"Kundennummer:";"7654321"\n'
    "\n"
    '"Umsätze ab";"Enddatum";"Kontonummer";"Saldo";"Währung"\n'
    '"01.10.2026";"31.10.2026";"7654321";"3.210,00";"EUR"\n'
    "\n"
    '"Buchungstag";"Wertstellungstag";"Verwendungszweck";"Umsatz";"Währung"\n'
    '"02.10.2026";"01.10.2026";"Stadtwerke SEPA-BASISLASTSCHRIFT SVWZ+ Abschlag";"-58,00";"EUR"\n'
    '"15.10.2026";"15.10.2026";"Beispiel GmbH SEPA-LOHN/GEHALT SVWZ+ Gehalt 10/2026";'
    '"2.875,40";"EUR"\n'
    '"* noch nicht ausgeführte Umsätze"\n'
)


def test_sparda_bank_umsatz_and_wertstellungstag() -> None:
    data = SPARDA.encode("cp1252")
    txs, _ = _parse(data, "umsaetze-7654321.csv", ParseSettings())
    assert len(txs) == 2
    assert _money(txs) == [
        (txs[0].bank_ref, D(2026, 10, 2), D(2026, 10, 1), "debit", Decimal("58.00"), "EUR"),
        (txs[1].bank_ref, D(2026, 10, 15), D(2026, 10, 15), "credit", Decimal("2875.40"), "EUR"),
    ]
    assert _parties(txs) == [
        (None, None, None, None),
        (None, None, None, None),
    ]
    assert _texts(txs) == [
        (
            "Stadtwerke SEPA-BASISLASTSCHRIFT SVWZ+ Abschlag",
            "7654321",
            "umsaetze-7654321.csv#row=10",
        ),
        (
            "Beispiel GmbH SEPA-LOHN/GEHALT SVWZ+ Gehalt 10/2026",
            "7654321",
            "umsaetze-7654321.csv#row=11",
        ),
    ]


# --------------------------------------------------------------------------------------------
# Swedbank Estonia: Estonian headers, D/K in its own column, the archive id as the reference,
# the opening balance, turnover and closing balance as dated rows of their own

SWEDBANK_EE = (
    '"Kliendi konto";"Reatüüp";"Kuupäev";"Saaja/Maksja";"Selgitus";"Summa";"Valuuta";'
    '"Deebet/Kreedit";"Arhiveerimistunnus";"Tehingu tüüp";"Viitenumber";"Dokumendi number";\n'
    '"EE012200221012345678";"10";"01.11.2026";"";"Algsaldo";"500,00";"EUR";"K";"";"AS";"";"";\n'
    '"EE012200221012345678";"20";"03.11.2026";"Pagar OÜ";"Arve 118";"12,40";"EUR";"D";'
    '"2026110300012345";"MK";"";"7";\n'
    '"EE012200221012345678";"20";"04.11.2026";"Mets ja Põld AS";"Arve 2026-31";"1 250,00";'
    '"EUR";"K";"2026110400067890";"MK";"1234561";"";\n'
    '"EE012200221012345678";"82";"30.11.2026";"";"Käive";"1 262,40";"EUR";"D";"";"K2";"";"";\n'
    '"EE012200221012345678";"86";"30.11.2026";"";"lõppsaldo";"1 737,60";"EUR";"K";"";"LS";"";"";\n'
)


def test_swedbank_estonia() -> None:
    settings = ParseSettings(own_accounts=("EE012200221012345678",))
    txs, info = _parse(SWEDBANK_EE.encode(), "statement.csv", settings)
    assert len(txs) == 2
    assert _money(txs) == [
        ("2026110300012345", D(2026, 11, 3), None, "debit", Decimal("12.40"), "EUR"),
        ("2026110400067890", D(2026, 11, 4), None, "credit", Decimal("1250.00"), "EUR"),
    ]
    assert _parties(txs) == [
        (None, None, "Pagar OÜ", None),
        ("Mets ja Põld AS", None, None, None),
    ]
    assert _texts(txs) == [
        ("Arve 118", "EE012200221012345678", "statement.csv#row=3"),
        # the creditor's reference number (Viitenumber) is read with the text
        ("Arve 2026-31 1234561", "EE012200221012345678", "statement.csv#row=4"),
    ]
    assert info.raw["skipped"] == ["row 2: Algsaldo", "row 5: Käive", "row 6: lõppsaldo"]


def test_payer_and_payee_name_columns_without_our_account_pick_the_other_party() -> None:
    """Payer Name / Payee Name (Wise) are the two parties' columns, not one counterparty."""
    data = (
        b"Date,Amount,Currency,Description,Payer Name,Payee Name\n"
        b"2026-11-02,-10.00,GBP,Sent,,Harbour Ltd\n"
        b"2026-11-03,25.00,GBP,Received,Quay Traders,\n"
    )
    txs = tabular.parse(data, "wise.csv", ParseSettings())
    assert [(tx.direction, tx.payer_name, tx.payee_name) for tx in txs] == [
        ("debit", None, "Harbour Ltd"),
        ("credit", "Quay Traders", None),
    ]


# --------------------------------------------------------------------------------------------
# Card exports: John Lewis Partnership prints unsigned pound amounts and CR in an unnamed last
# column on credits; Woolworths Money lists pending entries (no date yet) with a Status column

JLP_CARD = (
    "Date Processed,Description,Amount,\n"
    "02-Nov-2026,CORNER BAKERY          LONDON        GBR,£4.20,\n"
    '05-Nov-2026,DIRECT DEBIT PAYMENT,"+ £1,050.00",CR\n'
    '07-Nov-2026,RAIL TICKETS ONLINE    LONDON        GBR,"£1,120.35",\n'
)


def test_card_export_with_cr_in_an_unnamed_column() -> None:
    txs, _ = _parse(JLP_CARD.encode("latin-1"), "jlp.csv", ParseSettings())
    assert [(tx.booking_date, tx.direction, tx.amount, tx.currency) for tx in txs] == [
        (D(2026, 11, 2), "debit", Decimal("4.20"), "GBP"),
        (D(2026, 11, 5), "credit", Decimal("1050.00"), "GBP"),
        (D(2026, 11, 7), "debit", Decimal("1120.35"), "GBP"),
    ]
    assert [tx.reference for tx in txs] == [
        "CORNER BAKERY LONDON GBR",
        "DIRECT DEBIT PAYMENT",
        "RAIL TICKETS ONLINE LONDON GBR",
    ]


def test_direction_column_marking_one_side_only() -> None:
    """A named Dr/Cr column with only CR marks: the unsigned rows left blank are debits."""
    data = (
        b"Date,Details,Amount,Dr/Cr\n"
        b"2026-11-02,Rent,800.00,\n"
        b"2026-11-03,Refund,15.00,CR\n"
        b"2026-11-04,Power,60.00,\n"
    )
    txs = tabular.parse(data, "card.csv", ParseSettings(default_currency="AUD"))
    assert [(tx.direction, tx.amount, tx.currency) for tx in txs] == [
        ("debit", Decimal("800.00"), "AUD"),
        ("credit", Decimal("15.00"), "AUD"),
        ("debit", Decimal("60.00"), "AUD"),
    ]


WOOLWORTHS = (
    "Date,Status,Description,Credit,Debit\n"
    "03 Nov 26,Processed,CORNER CAFE                SYDNEY,,8.50,\n"
    "Pending,Pending,PETROL EXPRESS 0042       SYDNEY       000,,61.20,\n"
    "01 Nov 26,Processed,Refund Bookshop,12.00,,\n"
)


def test_pending_rows_are_skipped_without_a_layout() -> None:
    txs, info = _parse(WOOLWORTHS.encode(), "woolworths.csv", ParseSettings())
    assert [(tx.booking_date, tx.direction, tx.amount, tx.reference) for tx in txs] == [
        (D(2026, 11, 3), "debit", Decimal("8.50"), "CORNER CAFE SYDNEY"),
        (D(2026, 11, 1), "credit", Decimal("12.00"), "Refund Bookshop"),
    ]
    assert info.raw["skipped"] == ["row 3: state Pending"]
    assert [w.code for w in info.raw["warnings"]] == ["tabular_not_booked"]
    assert info.raw["warnings"][0].params == {"count": "1", "states": "'Pending'", "rows": "3"}


# HSBC Hong Kong's card export: Merchant name is the other party, Transaction status says
# whether the entry is booked (POSTED) or still PENDING; charges are negative
HSBC_HK_CARD = (
    "Transaction date,Post date,Transaction status,Billing currency,Billing amount,Description,"
    "Merchant name,Country / region,Area / district\n"
    "03/11/2026,04/11/2026,POSTED,HKD,-128.50,OCTOPUS RELOAD,MTR KOWLOON TONG,HK,\n"
    "04/11/2026,05/11/2026,PENDING,HKD,-42.00,APPLEPAY,CITY SUPER IFC,HK,\n"
    "05/11/2026,06/11/2026,POSTED,HKD,300.00,PAYMENT RECEIVED,,HK,\n"
)


def test_hsbc_hong_kong_card_merchant_and_pending_status() -> None:
    txs, info = _parse(HSBC_HK_CARD.encode(), "hsbc.csv", ParseSettings())
    assert [
        (tx.booking_date, tx.direction, tx.amount, tx.currency, tx.payee_name, tx.reference)
        for tx in txs
    ] == [
        (D(2026, 11, 3), "debit", Decimal("128.50"), "HKD", "MTR KOWLOON TONG", "OCTOPUS RELOAD"),
        (D(2026, 11, 5), "credit", Decimal("300.00"), "HKD", None, "PAYMENT RECEIVED"),
    ]
    assert info.raw["skipped"] == ["row 3: state PENDING"]


# --------------------------------------------------------------------------------------------
# Monzo: the transaction id, Name as the other party, Money Out/Money In beside the signed
# Amount, the amount in the currency paid abroad (Local amount/Local currency)

MONZO = (
    "Transaction ID,Date,Time,Type,Name,Emoji,Category,Amount,Currency,Local amount,"
    "Local currency,Notes and #tags,Address,Receipt,Description,Category split,Money Out,"
    "Money In,Balance,Balance currency\n"
    "tx_00009Zx1,04/11/2026,09:12:44,Card payment,Harbour Café,,Eating out,-6.40,GBP,-7.30,EUR,"
    ",1 Quay St,,HARBOUR CAFE            CORK          IRL,,-6.40,,993.60,GBP\n"
    "tx_00009Zx2,05/11/2026,17:02:10,Faster payment,Tom Beispiel,,Transfers,25.00,GBP,25.00,GBP,"
    ",,,Dinner split,,,25.00,1018.60,GBP\n"
)


def test_monzo_export() -> None:
    txs, info = _parse(MONZO.encode(), "monzo.csv", ParseSettings())
    assert _money(txs) == [
        ("tx_00009Zx1", D(2026, 11, 4), None, "debit", Decimal("6.40"), "GBP"),
        ("tx_00009Zx2", D(2026, 11, 5), None, "credit", Decimal("25.00"), "GBP"),
    ]
    assert _parties(txs) == [(None, None, "Harbour Café", None), ("Tom Beispiel", None, None, None)]
    assert _texts(txs) == [
        ("HARBOUR CAFE CORK IRL", "", "monzo.csv#row=2"),
        ("Dinner split", "", "monzo.csv#row=3"),
    ]
    assert (txs[0].raw["original_amount"], txs[0].raw["original_currency"]) == (
        Decimal("-7.30"),
        "EUR",
    )
    assert (info.opening_balance, info.closing_balance) == (Decimal("1000.00"), Decimal("1018.60"))


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Transfer In", None),
        ("TT CREDIT", None),
        ("Deposit In", None),
        ("Transfer from Ola Nordmann", "Ola Nordmann"),
        ("TT CREDIT GLOBAL SOURCING LIMITED", "GLOBAL SOURCING LIMITED"),
        # beancount-import's sample: a transfer *to* an account names no payer ("to" was read)
        ("Transfer to 1234567890123", None),
        ("TRANSFER TOM HANKS", "TOM HANKS"),
    ],
)
def test_a_narrative_qualifier_is_no_payer(text: str, name: str | None) -> None:
    """Revolut's old export writes "Transfer In" on money in: it names nobody ("In" was read)."""
    assert payer_from_text(text) == name


# --------------------------------------------------------------------------------------------
# Japanese banks: Shift_JIS (CP932) files, 支払い金額/預かり金額 and お引出し/お預入れ columns,
# a signed 入出金(円) column whose unit names the yen, MUFG's 入払区分, the remitter's name

MUFG = (
    "日付,摘要,摘要内容,支払い金額,預かり金額,差引残高,メモ,未資金化区分,入払区分\r\n"
    '2026/11/2,振込,ｶ)ﾐﾄﾞﾘｼｮｳｼﾞ,,"55,000","1,055,000",,,入金\r\n'
    '2026/11/4,口座振替,ｻｸﾗﾃﾞﾝｷ,"12,340",,"1,042,660",電気代,,出金\r\n'
)


def test_mufg_shift_jis_export() -> None:
    data = MUFG.encode("cp932")
    txs, info = _parse(data, "mufg.csv", ParseSettings(default_currency="JPY"))
    assert info.raw["encoding"] == "cp932"
    assert _money(txs) == [
        (txs[0].bank_ref, D(2026, 11, 2), None, "credit", Decimal("55000"), "JPY"),
        (txs[1].bank_ref, D(2026, 11, 4), None, "debit", Decimal("12340"), "JPY"),
    ]
    assert _parties(txs) == [
        ("ｶ)ﾐﾄﾞﾘｼｮｳｼﾞ", None, None, None),
        (None, None, "ｻｸﾗﾃﾞﾝｷ", None),
    ]
    assert _texts(txs) == [
        ("振込", "", "mufg.csv#row=2"),
        ("口座振替", "", "mufg.csv#row=3"),
    ]
    assert (info.opening_balance, info.closing_balance) == (Decimal("1000000"), Decimal("1042660"))


def test_rakuten_signed_yen_column_in_shift_jis() -> None:
    data = (
        "取引日,入出金(円),残高(円),入出金先内容\r\n"
        '20261101,"-3,300","96,700",口座振替 ﾓﾊﾞｲﾙ\r\n'
        '20261105,"20,000","116,700",振込 ｽｽﾞｷ ﾊﾅｺ\r\n'
    ).encode("cp932")
    txs, _ = _parse(data, "rakuten.csv", ParseSettings())
    assert [
        (tx.booking_date, tx.direction, tx.amount, tx.currency, tx.reference) for tx in txs
    ] == [
        (D(2026, 11, 1), "debit", Decimal("3300"), "JPY", "口座振替 ﾓﾊﾞｲﾙ"),
        (D(2026, 11, 5), "credit", Decimal("20000"), "JPY", "振込 ｽｽﾞｷ ﾊﾅｺ"),
    ]


def test_smbc_and_japan_post_and_a_remitter_column() -> None:
    smbc = (
        "お取引日,お引出し,お預入れ,お取り扱い内容,残高,メモ,ラベル\n"
        '2026/11/01,"5,000",,ATM ｼﾝｼﾞｭｸ,"45,000",,\n'
        '2026/11/02,,"8,000",振込 ﾀﾅｶ ｲﾁﾛｳ,"53,000",,売掛\n'
    ).encode()
    yucho = (
        "\ufeff日付,入出金明細ID,詳細1,詳細2,払出し金額,預入れ金額,貸付金額,返済金額,残高,"
        "取扱店,取扱店名,メモ\r\n"
        '2026/11/03,20261103-0001,振込,ｶ)ｱｵｿﾞﾗ,,"7,700",,,"60,700",00100,本店,\r\n'
    ).encode()
    remitter = (
        "口座,見本銀行 本店 普通 7654321\r\n"
        "取引日,お取引内容,お引出金額,お預入金額,振込依頼人名,残高\r\n"
        "2026/11/04,振込,,9900,ｶ)ﾐﾅﾄ,70600\r\n"
    ).encode()
    settings = ParseSettings(default_currency="JPY")
    got = [
        (tx.direction, tx.amount, tx.payer_name, tx.reference, tx.bank_ref)
        for name, data in (("smbc.csv", smbc), ("yucho.csv", yucho), ("other.csv", remitter))
        for tx in _parse(data, name, settings)[0]
    ]
    assert [g[:4] for g in got] == [
        ("debit", Decimal("5000"), None, "ATM ｼﾝｼﾞｭｸ"),
        ("credit", Decimal("8000"), None, "振込 ﾀﾅｶ ｲﾁﾛｳ"),
        ("credit", Decimal("7700"), "ｶ)ｱｵｿﾞﾗ", ""),
        ("credit", Decimal("9900"), "ｶ)ﾐﾅﾄ", "振込"),
    ]
    assert got[2][4] == "20261103-0001"


def test_western_single_byte_text_is_not_taken_for_shift_jis() -> None:
    data = (
        "Buchungstag;Verwendungszweck;Betrag\n"
        "01.11.2026;Überweisung an Müller – Straße 5, Köln;-12,50\n"
        "02.11.2026;Gebühr für Café Crème à la carte;-1,00\n"
    ).encode("cp1252")
    txs, info = _parse(data, "umsaetze.csv", ParseSettings())
    assert info.raw["encoding"] == "cp1252"
    assert [tx.reference for tx in txs] == [
        "Überweisung an Müller – Straße 5, Köln",
        "Gebühr für Café Crème à la carte",
    ]


def test_card_number_in_the_preamble_and_notes_column() -> None:
    """A card export names its card above the table; Actual's Notes column is the memo."""
    card = (
        b"Credit Card Number: 4000XXXXXXXX1234\n"
        b"Date,Description,Amount,Balance\n"
        b"2026-11-10,Bookshop Order 8812,-15.50,-35.50\n"
        b"2026-11-15,Payment Received,30.00,-5.50\n"
    )
    txs, info = _parse(card, "card.csv", ParseSettings(default_currency="USD"))
    assert [(tx.our_account, tx.direction, tx.amount) for tx in txs] == [
        ("4000XXXXXXXX1234", "debit", Decimal("15.50")),
        ("4000XXXXXXXX1234", "credit", Decimal("30.00")),
    ]
    assert info.account == "4000XXXXXXXX1234"
    actual = b"Date,Payee,Notes,Category,Amount\n2026-11-02,Corner Shop,milk and bread,Food,-4.20\n"
    (tx,), _ = _parse(actual, "actual.csv", ParseSettings(default_currency="USD"))
    assert (tx.payee_name, tx.reference, tx.amount) == (
        "Corner Shop",
        "milk and bread",
        Decimal("4.20"),
    )


def test_n26_account_number_is_the_other_partys() -> None:
    """N26's Account number column holds the payee's IBAN (blank on card payments)."""
    data = (
        N26_HEADERS["en"] + "\n"
        '"2026-10-01","Hausverwaltung Ost","DE44500105175407324931","Outgoing Transfer",'
        '"Miete 10/2026","Housing","-820.00","","",""\n'
        '"2026-10-02","Bäckerei Korn","","MasterCard Payment","","Food","-3.40","","",""\n'
        '"2026-10-03","Lena Probe","DE02100100100006820101","Income","Rückzahlung","Income",'
        '"25.00","","",""\n'
    ).encode()
    txs, info = _parse(data, "n26.csv", ParseSettings())
    assert [
        (tx.direction, tx.payee_name or tx.payer_name, tx.payee_account or tx.payer_account)
        for tx in txs
    ] == [
        ("debit", "Hausverwaltung Ost", "DE44500105175407324931"),
        ("debit", "Bäckerei Korn", None),
        ("credit", "Lena Probe", "DE02100100100006820101"),
    ]
    assert [tx.our_account for tx in txs] == ["", "", ""]
    assert info.account is None


def test_an_account_number_column_naming_our_account_stays_ours() -> None:
    """Lloyds-style exports repeat our account on every row; one listed as ours is kept too."""
    lloyds = (
        b"Transaction Date,Transaction Type,Sort Code,Account Number,Transaction Description,"
        b"Debit Amount,Credit Amount,Balance\n"
        b"02/11/2026,DEB,'30-99-50,12345678,CORNER SHOP,4.20,,995.80\n"
        b"03/11/2026,FPI,'30-99-50,12345678,J SMITH RENT SHARE,,250.00,1245.80\n"
    )
    txs, _ = _parse(lloyds, "lloyds.csv", ParseSettings(default_currency="GBP"))
    assert [tx.our_account for tx in txs] == ["12345678", "12345678"]


# --------------------------------------------------------------------------------------------
# Indian banks: HDFC's banner lines and account above the header, a row of asterisks under
# it, two-digit years, lakh grouping (1,50,000.00), a summary block after the entries

HDFC = (
    "HDFC BANK Ltd.,,,,,,\n"
    "M/S. SAMPLE TRADERS PVT LTD,,,,,,\n"
    "Account No :50100012345678,,,,,,\n"
    ",,,,,,\n"
    "Date,Narration,Chq./Ref.No.,Value Dt,Withdrawal Amt.,Deposit Amt.,Closing Balance\n"
    "********,********,********,********,********,********,********\n"
    '03/09/26,NEFT CR-NORTHWIND EXPORTS,UTR2609030007,03/09/26,,"75,000.00","1,75,000.00"\n'
    '05/09/26,CHQ PAID-KAVERI SUPPLIES,0000000452,06/09/26,"12,500.00",,"1,62,500.00"\n'
    ",,,,,,\n"
    "STATEMENT SUMMARY :-,,,,,,\n"
    "Opening Balance,Dr Count,Cr Count,Debits,Credits,Closing Bal,\n"
    '"1,00,000.00",1,1,"12,500.00","75,000.00","1,62,500.00",\n'
)


def test_hdfc_export() -> None:
    txs, info = _parse(HDFC.encode(), "hdfc.csv", ParseSettings(default_currency="INR"))
    assert _money(txs) == [
        ("UTR2609030007", D(2026, 9, 3), D(2026, 9, 3), "credit", Decimal("75000.00"), "INR"),
        ("0000000452", D(2026, 9, 5), D(2026, 9, 6), "debit", Decimal("12500.00"), "INR"),
    ]
    assert _parties(txs) == [
        (None, None, None, None),
        (None, None, None, None),
    ]
    assert _texts(txs) == [
        ("NEFT CR-NORTHWIND EXPORTS", "50100012345678", "hdfc.csv#row=7"),
        ("CHQ PAID-KAVERI SUPPLIES", "50100012345678", "hdfc.csv#row=8"),
    ]
    assert (info.opening_balance, info.closing_balance) == (
        Decimal("100000.00"),
        Decimal("162500.00"),
    )
    # the export names no currency anywhere: read as the default INR, and said so
    assert [(w.code, w.params) for w in info.raw["warnings"]] == [
        ("currency_assumed", {"currency": "INR"})
    ]
    assert "row 6: a rule" in info.raw["skipped"]
    assert info.raw["skipped"][-2:] == ["row 11: summary", "row 12: summary"]


@pytest.mark.parametrize(
    ("text", "value"),
    [("1,50,000.00", "150000.00"), ("12,34,56,789.50", "123456789.50"), ("1,50,000", "150000")],
)
def test_indian_digit_grouping(text: str, value: str) -> None:
    from reconcile.normalize import parse_amount

    assert parse_amount(text) == Decimal(value)


# --------------------------------------------------------------------------------------------
# Brazilian banks: Nubank's Data/Valor/Identificador/Descrição; Inter's preamble with the
# account (Conta ;…), Data Lançamento, Histórico and Descrição, decimal commas


def test_nubank_and_inter() -> None:
    nubank = (
        "Data,Valor,Identificador,Descrição\n"
        "02/10/2026,-45.90,6a1b2c3d-0001-4e5f-8a9b-000000000001,Compra no débito - Padaria Sol\n"
        "03/10/2026,1200.00,6a1b2c3d-0002-4e5f-8a9b-000000000002,"
        "Transferência recebida pelo Pix - ANA SOUZA\n"
    ).encode()
    txs, _ = _parse(
        nubank, "NU_1234_01OUT2026_31OUT2026.csv", ParseSettings(default_currency="BRL")
    )
    assert [(tx.bank_ref, tx.booking_date, tx.direction, tx.amount) for tx in txs] == [
        ("6a1b2c3d-0001-4e5f-8a9b-000000000001", D(2026, 10, 2), "debit", Decimal("45.90")),
        ("6a1b2c3d-0002-4e5f-8a9b-000000000002", D(2026, 10, 3), "credit", Decimal("1200.00")),
    ]
    inter = (
        " Extrato Conta Corrente \n"
        "Conta ;987654321\n"
        "Período ;01/10/2026 a 31/10/2026\n"
        "\n"
        "Data Lançamento;Histórico;Descrição;Valor;Saldo\n"
        "05/10/2026;Pix recebido;Carlos Lima;1.250,00;3.250,00\n"
        "07/10/2026;Pagamento efetuado;Fatura cartão;-480,35;2.769,65\n"
    ).encode()
    txs, info = _parse(inter, "Extrato-inter.csv", ParseSettings(default_currency="BRL"))
    assert [(tx.direction, tx.amount, tx.reference, tx.our_account) for tx in txs] == [
        ("credit", Decimal("1250.00"), "Pix recebido Carlos Lima", "987654321"),
        ("debit", Decimal("480.35"), "Pagamento efetuado Fatura cartão", "987654321"),
    ]
    assert info.closing_balance == Decimal("2769.65")
