"""German banks' CSV exports read without a layout mapping: whose text, whose account.

Written by hand in the layouts the banks export and other projects' importers read (Comdirect's
``Vorgang;Buchungstext;Umsatz in EUR``, Commerzbank's ``Auftraggeberkonto`` columns, the
Volksbanks' ``... Zahlungsbeteiligter`` columns, DKB's export since 2023 with
``Zahlungspflichtige*r;Zahlungsempfänger*in``, Postbank's ``IBAN / Kontonummer``). Names,
accounts and figures are invented.
"""

from __future__ import annotations

from decimal import Decimal

from reconcile.api import parse_bytes
from reconcile.model import ParseSettings, Transaction


def _read(data: str) -> list[Transaction]:
    (result,) = parse_bytes(data.encode("utf-8"), "umsaetze.csv", ParseSettings())
    assert result.error is None, result.error
    assert result.format == "tabular"
    return list(result.transactions)


def _parties(txs: list[Transaction]) -> list[tuple[object, ...]]:
    return [
        (t.direction, t.amount, t.payer_name, t.payer_account, t.payee_name, t.payee_account)
        for t in txs
    ]


def test_comdirect_buchungstext_is_the_entry_text() -> None:
    """Comdirect types the entry in ``Vorgang``; ``Buchungstext`` holds payer and purpose."""
    (tx,) = _read(
        ';\n"Umsätze Girokonto";"Zeitraum: 30 Tage";\n"Neuer Kontostand";"1.234,56 EUR";\n\n'
        '"Buchungstag";"Wertstellung (Valuta)";"Vorgang";"Buchungstext";"Umsatz in EUR";\n'
        '"01.02.2023";"01.02.2023";"Übertrag / Überweisung";"Auftraggeber: Kunde GmbH '
        'Buchungstext: RE 2023-17 Ref. 3A2C23032000001";"250,00";\n'
    )
    assert (tx.direction, tx.amount, tx.currency, tx.payer_name) == (
        "credit",
        Decimal("250.00"),
        "EUR",
        "Kunde GmbH",
    )
    assert "RE 2023-17" in tx.reference


def test_commerzbank_auftraggeberkonto_is_our_account() -> None:
    (tx,) = _read(
        "Buchungstag;Wertstellung;Umsatzart;Buchungstext;Betrag;Währung;Auftraggeberkonto;"
        "Bankleitzahl Auftraggeberkonto;IBAN Auftraggeberkonto;Kategorie\n"
        "01.02.2023;01.02.2023;Gutschrift;Kunde GmbH RE 2023-17 End-to-End-Ref.: NOTPROVIDED;"
        "250,00;EUR;123456700;10040000;DE12100400000123456700;Sonstiges\n"
    )
    assert tx.our_account == "DE12100400000123456700"
    assert tx.reference.startswith("Kunde GmbH RE 2023-17")
    assert (tx.payer_account, tx.payee_account) == (None, None)


def test_volksbank_zahlungsbeteiligter_and_auftragskonto() -> None:
    txs = _read(
        "Bezeichnung Auftragskonto;IBAN Auftragskonto;BIC Auftragskonto;Bankname Auftragskonto;"
        "Buchungstag;Valutadatum;Name Zahlungsbeteiligter;IBAN Zahlungsbeteiligter;"
        "BIC (SWIFT-Code) Zahlungsbeteiligter;Buchungstext;Verwendungszweck;Betrag;Waehrung;"
        "Saldo nach Buchung;Bemerkung;Kategorie;Steuerrelevant;Glaeubiger ID;Mandatsreferenz\n"
        "Girokonto;DE02500105170137075030;GENODEF1XXX;Volksbank;01.02.2023;01.02.2023;"
        "Kunde GmbH;DE89370400440532013000;COBADEFFXXX;Gutschrift;RE 2023-17;250,00;EUR;"
        "1.250,00;;;;;\n"
        "Girokonto;DE02500105170137075030;GENODEF1XXX;Volksbank;02.02.2023;02.02.2023;"
        "REWE Markt GmbH;DE02120300000000202051;BYLADEM1001;Lastschrift;REWE SAGT DANKE;-12,30;"
        "EUR;1.237,70;;;;DE00ZZZ00000000000;MAND123\n"
    )
    assert _parties(txs) == [
        ("credit", Decimal("250.00"), "Kunde GmbH", "DE89370400440532013000", None, None),
        ("debit", Decimal("12.30"), None, None, "REWE Markt GmbH", "DE02120300000000202051"),
    ]
    assert {t.our_account for t in txs} == {"DE02500105170137075030"}
    assert txs[0].payer_bank == "COBADEFFXXX"


def test_dkb_since_2023_payer_and_payee_columns() -> None:
    txs = _read(
        '"Girokonto";"DE12 1203 0000 1234 5678 90"\n""\n'
        '"Kontostand vom 28.02.2023:";"1.234,56 €"\n""\n'
        '"Buchungsdatum";"Wertstellung";"Status";"Zahlungspflichtige*r";"Zahlungsempfänger*in";'
        '"Verwendungszweck";"Umsatztyp";"IBAN";"Betrag (€)";"Gläubiger-ID";"Mandatsreferenz";'
        '"Kundenreferenz"\n'
        '"01.02.23";"01.02.23";"Gebucht";"Kunde GmbH";"Max Mustermann";"RE 2023-17";"Eingang";'
        '"DE89370400440532013000";"250";"";"";""\n'
        '"02.02.23";"02.02.23";"Gebucht";"Max Mustermann";"REWE Markt GmbH";"REWE SAGT DANKE";'
        '"Ausgang";"DE02120300000000202051";"-12,3";"DE00ZZZ00000000000";"MAND123";""\n'
    )
    assert _parties(txs) == [
        ("credit", Decimal("250.00"), "Kunde GmbH", "DE89370400440532013000", None, None),
        ("debit", Decimal("12.30"), None, None, "REWE Markt GmbH", "DE02120300000000202051"),
    ]
    assert {t.our_account for t in txs} == {"DE12120300001234567890"}


def test_postbank_iban_slash_kontonummer_is_the_other_party() -> None:
    (tx,) = _read(
        "Umsätze\nGirokonto;;;;;;;;;;\nIBAN: DE12 1001 0010 0123 4567 89;;;;;;;;;;\n"
        "Buchungstag;Wert;Umsatzart;Begünstigter / Auftraggeber;Verwendungszweck;"
        "IBAN / Kontonummer;BIC;Betrag (€);Gläubiger-ID;Mandatsreferenz;Kundenreferenz\n"
        "01.02.2023;01.02.2023;Gutschrift;Kunde GmbH;RE 2023-17;DE89370400440532013000;"
        "COBADEFFXXX;250,00 €;;;\n"
    )
    assert _parties([tx]) == [
        ("credit", Decimal("250.00"), "Kunde GmbH", "DE89370400440532013000", None, None)
    ]
    assert tx.our_account == "DE12100100100123456789"


def test_george_partner_columns_and_buchungs_info() -> None:
    """Erste Bank and the Austrian savings banks (George): ``Partner IBAN``, ``Buchungs-Info``,
    ``Buchungsreferenz``."""
    (tx,) = _read(
        "Buchungsdatum;Partnername;Partner IBAN;Partner BIC;Partner Kontonummer;"
        "Partner Bankcode (BLZ);Betrag;Währung;Buchungs-Info;Buchungsreferenz;Notiz;Valutadatum\n"
        "01.02.2023;Kunde GmbH;AT611904300234573201;BKAUATWW;;;250,00;EUR;RE 2023-17;"
        "201234567890AB1;;01.02.2023\n"
    )
    assert _parties([tx]) == [
        ("credit", Decimal("250.00"), "Kunde GmbH", "AT611904300234573201", None, None)
    ]
    assert (tx.reference, tx.bank_ref, tx.payer_bank) == (
        "RE 2023-17",
        "201234567890AB1",
        "BKAUATWW",
    )
