"""Column names of exports from more banks (sweep 38), in the shapes public importers test.

Each table is written here in the shape of a real export, its rows made up: Finom's and Vivid
Money's (RechnungsFee's fixtures), PayPal's German download, Erste Bank Hungary's
(bank2ynab's ``W80844_EBH_hu.csv``), monobank's, ProCredit's and Sense Bank's in Ukrainian
(uabean's fixtures), Rabobank's and bunq's (bank2ynab), Caisse d'Épargne's (OCA's
``account_statement_import_sheet_file`` fixtures), UBS's in French, GLS Bank's and PC
Financial's Mastercard (csv2ofx's fixtures).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from reconcile.model import ParseSettings, Transaction
from reconcile.parsers import tabular


def _read(text: str, name: str = "export.csv") -> list[Transaction]:
    return tabular.parse(text.encode(), name, ParseSettings())


def _sides(txs: list[Transaction]) -> list[tuple[str, Decimal]]:
    return [(t.direction, t.amount) for t in txs]


def test_finom_books_the_payment_amount_and_names_the_other_iban() -> None:
    txs = _read(
        "Buchungsdatum,Status,Auftraggeber/Empfänger,Counterparty IBAN,Verwendungszweck,"
        "Ursprungswährung,Ursprungsbetrag,Zahlungswährung,Zahlungsbetrag,Transaktions-ID\n"
        "03.03.2026,Completed,Max Mustermann,DE62370400440532013001,Rechnung 2026-001,"
        "USD,545.00,EUR,500.00,TX-001\n"
        "06.03.2026,Completed,Lieferant GmbH,DE62370400440532013002,Rechnung Nr. 2026-045,"
        "EUR,-119.00,EUR,-119.00,TX-004\n"
        "07.03.2026,Completed,Onlineshop XY,N/A,N/A,EUR,-14.99,EUR,-14.99,TX-005\n"
    )
    assert _sides(txs) == [
        ("credit", Decimal("500.00")),
        ("debit", Decimal("119.00")),
        ("debit", Decimal("14.99")),
    ]
    # N/A is no account and no text
    assert (txs[2].payee_account, txs[2].reference) == (None, "")
    assert (txs[0].payer_name, txs[0].payer_account) == (
        "Max Mustermann",
        "DE62370400440532013001",
    )
    assert [t.bank_ref for t in txs] == ["TX-001", "TX-004", "TX-005"]
    assert txs[0].currency == "EUR"
    assert txs[0].raw["original_amount"] == Decimal("545.00")


def test_vivid_money_payment_amount_and_currency() -> None:
    txs = _read(
        "Completed date,Counterparty name,Reference,Payment amount,Payment currency\n"
        "01.03.2026,Arbeitgeber GmbH,Gehalt März 2026,2500.00,EUR\n"
        "03.03.2026,Vermieter Name,Miete Büro,-650.00,EUR\n"
    )
    assert _sides(txs) == [("credit", Decimal("2500.00")), ("debit", Decimal("650.00"))]
    assert [(t.booking_date, t.currency) for t in txs] == [
        (dt.date(2026, 3, 1), "EUR"),
        (dt.date(2026, 3, 3), "EUR"),
    ]


def test_paypal_in_german_books_the_net_amount() -> None:
    txs = _read(
        "Datum,Name,Typ,Status,Währung,Brutto,Entgelt,Netto,Transaktionscode,Betreff,Guthaben\n"
        '05.01.2026,Muster GmbH,Zahlung erhalten,Abgeschlossen,EUR,"1.190,00","-34,51",'
        '"1.155,49",8AB123456CD789012,Rechnung RE-260001,"1.155,49"\n'
        '12.01.2026,Adobe Systems,Express-Checkout-Zahlung,Abgeschlossen,EUR,"-54,99","0,00",'
        '"-54,99",9XY987654ZA321098,Creative Cloud Monatsabo,"1.100,50"\n'
    )
    assert _sides(txs) == [("credit", Decimal("1155.49")), ("debit", Decimal("54.99"))]
    assert [(t.bank_ref, t.reference) for t in txs] == [
        ("8AB123456CD789012", "Rechnung RE-260001"),
        ("9XY987654ZA321098", "Creative Cloud Monatsabo"),
    ]


def test_erste_hungary_transaction_amount_with_inflow_and_outflow() -> None:
    txs = _read(
        "Tranzakció dátuma,Partner neve,Partner számlaszáma,Számlaszám,Tranzakció összege,"
        "Tranzakció devizaneme,Bevétel/Kiadás,Közlemény,Megbízás azonosító\n"
        "2019.04.17.,Kovács Kft.,11773016-11111018,11600006-00000000,1290,HUF,inflow,"
        "SZLA-2019-17,M-0002\n"
        "2019.04.19.,Áramszolgáltató Zrt.,10918001-00000022,11600006-00000000,350,HUF,outflow,"
        "havi díj,M-0003\n"
    )
    assert _sides(txs) == [("credit", Decimal("1290")), ("debit", Decimal("350"))]
    assert (txs[0].payer_name, txs[0].payer_account) == ("Kovács Kft.", "11773016-11111018")
    assert [t.currency for t in txs] == ["HUF", "HUF"]
    assert [t.bank_ref for t in txs] == ["M-0002", "M-0003"]


def test_ukrainian_exports_latin_letters_for_cyrillic_included() -> None:
    monobank = _read(
        "Дата i час операції,Деталі операції,MCC,Сума в валюті картки (UAH),"
        "Сума в валюті операції,Валюта,Залишок після операції\n"
        "01.04.2022 05:27:35,Відсотки за березень,4829,19.32,19.32,UAH,9499.41\n"
        "01.04.2022 15:46:23,Google,5817,-431.09,-10.4,EUR,9068.32\n"
    )
    assert _sides(monobank) == [("credit", Decimal("19.32")), ("debit", Decimal("431.09"))]
    assert monobank[0].reference == "Відсотки за березень"
    assert {t.currency for t in monobank} == {"UAH"}
    procredit = _read(
        "Рахунок;Валюта;Дата операції;Рахунок кореспондента;Кореспондент;Номер документа;"
        "Дебет;Кредит;Призначення платежу\n"
        "UA00000001;UAH;15.01.2000 09:08:00;UA00000002;ТОВ Постачальник;452607519;100.00;;"
        "Сплата комісії\n"
        "UA00000001;UAH;16.01.2000 10:00:00;UA00000003;ТОВ Покупець;452607520;;2500.00;"
        "Оплата за рахунком 17\n"
    )
    assert _sides(procredit) == [("debit", Decimal("100.00")), ("credit", Decimal("2500.00"))]
    assert (procredit[1].payer_name, procredit[1].payer_account) == ("ТОВ Покупець", "UA00000003")
    sense = _read(
        "Дата і час;Статус;Тип;Деталі;Адреса;MCC;Cума списання;Cума зарахування\n"
        "09.01.00 00:58;виконано;Інше;Щомісячна комісія;Kyiv, UKR;;-150,00;\n"
        "25.01.00 12:12;виконано;Інше;Перерахування доходу;Kyiv, UKR;;;10000,13\n"
    )
    assert _sides(sense) == [("debit", Decimal("150.00")), ("credit", Decimal("10000.13"))]
    assert sense[1].reference == "Перерахування доходу"


def test_rabobank_our_iban_beside_the_other_partys() -> None:
    txs = _read(
        '"IBAN/BBAN","Munt","Datum","Rentedatum","Bedrag","Saldo na trn",'
        '"Tegenrekening IBAN/BBAN","Naam tegenpartij","Omschrijving-1","Omschrijving-2"\n'
        '"NL77RABO0311467415","EUR","2018-03-14","2018-03-15","+50,00","+5307,28",'
        '"NL62INGB0663707048","Staatsloterij B.V.","Gewonnen","Trekking 10-03-2018"\n'
        '"NL77RABO0311467415","EUR","2018-03-16","2018-03-16","-750,00","+4557,28",'
        '"NL47BUNQ2025126409","J. Jansen","Naar Bunq"," "\n'
    )
    assert _sides(txs) == [("credit", Decimal("50.00")), ("debit", Decimal("750.00"))]
    assert (txs[0].payer_account, txs[0].our_account) == (
        "NL62INGB0663707048",
        "NL77RABO0311467415",
    )
    assert txs[0].reference == "Gewonnen Trekking 10-03-2018"
    assert txs[0].value_date == dt.date(2018, 3, 15)


def test_bunq_names_the_party_from_name_when_counterparty_holds_an_iban() -> None:
    txs = _read(
        '"Date","Amount","Account","Counterparty","Name","Description"\n'
        '"2018-12-06","-8,78","NL26BUNQ2025126409","","CLOUDFLARE","CLOUDFLARE 650-3198939"\n'
        '"2018-12-08","120,00","NL26BUNQ2025126409","NL62INGB0663707048","J. Jansen",'
        '"factuur 2018-77"\n'
    )
    assert [(t.payee_name, t.payer_name) for t in txs] == [
        ("CLOUDFLARE", None),
        (None, "J. Jansen"),
    ]


def test_caisse_depargne_texts_and_the_currency_above_the_table() -> None:
    detailed = _read(
        "Date comptable;Libelle simplifie;Reference;Informations complementaires;"
        "Type operation;Debit;Credit;Date operation;Date de valeur\n"
        "02/05/2026;VIR SEPA FOURNISSEUR TEST;261490000237304;FOURNISSEUR TEST FA2026-001;"
        "Remise virement;-500,00;;01/05/2026;03/05/2026\n"
    )
    assert "FA2026-001" in detailed[0].reference
    # the booking date (Date comptable), not the day of the operation, as the bank's importer
    assert (detailed[0].booking_date, detailed[0].value_date) == (
        dt.date(2026, 5, 2),
        dt.date(2026, 5, 3),
    )
    summary = _read(
        "Code de la banque : 10101;Code de l'agence : 00100;;;;\n"
        "Numéro de compte : 01234567890;Nom du compte : MONSIEUR DUPONT;Devise : EUR;;;\n"
        "\n"
        "Date;Numéro d'opération;Libellé;Débit;Crédit;Détail\n"
        "05/01/2024;0123456789;VIREMENT RECU;;250,50;Salaire\n"
        "10/01/2024;9876543210;PAIEMENT CB;-75,25;;Achat supermarché\n"
    )
    assert [(t.currency, t.direction) for t in summary] == [("EUR", "credit"), ("EUR", "debit")]
    assert {t.our_account for t in summary} == {"01234567890"}
    assert [t.bank_ref for t in summary] == ["0123456789", "9876543210"]  # Numéro d'opération
    # Détail, written with its accent, is the entry's own text (where an invoice number stands)
    assert [t.reference for t in summary] == [
        "VIREMENT RECU Salaire",
        "PAIEMENT CB Achat supermarché",
    ]


def test_ubs_in_french_names_its_currency_monn() -> None:
    txs = _read(
        "Produit;Monn.;Description;Date de comptabilisation;Description 1;N° de transaction;"
        "Débit;Crédit;Solde\n"
        "0123 45678901.23A;CHF;Compte personnel UBS;28.02.2019;Virement postal;3456789ZT1234567;"
        ";240.00;11'613.94\n"
    )
    assert [(t.currency, t.direction, t.amount) for t in txs] == [
        ("CHF", "credit", Decimal("240.00"))
    ]


def test_gls_purpose_in_its_vwz_lines() -> None:
    txs = _read(
        "Kontonummer;Buchungstag;Wertstellung;Auftraggeber/Empfänger;Buchungstext;VWZ1;VWZ2;VWZ3;"
        "Betrag;Kontostand;Währung\n"
        '1234567890;10.10.2017;10.10.2017;Drillisch Online AG;"SEPA-Basislastschrift";'
        "B4658645 U123456789 B123456;987 SIMply Rechnung;;-98,76;1.234,56;EUR\n"
    )
    assert "B4658645 U123456789 B123456 987 SIMply Rechnung" in txs[0].reference


def test_a_card_export_naming_the_card_used() -> None:
    txs = _read(
        '"Merchant Name","Card Used For Transaction","Date","Time","Amount"\n'
        '"Mobil","**** 1234","01/10/2019","06:50 PM","36.33"\n'
        '"APL*ITUNES.COM/BILL","**** 4567","12/15/2018","05:08 PM","13.98"\n'
    )
    assert _sides(txs) == [("debit", Decimal("36.33")), ("debit", Decimal("13.98"))]
    assert txs[0].payee_name == "Mobil"
