"""Belgian banks' CSV exports, Dutch and French headers, read without a layout mapping.

Written by hand in the shapes that other projects read: Belfius's header as
renardeau/ofxstatement-be-belfius documents it (``src/ofxstatement/plugins/belfius.py``),
Argenta's as Nick-DT/ofxstatement-be-argenta checks it (``ofxstatement/plugins/argenta.py``,
Dutch and French), BNP Paribas Fortis, KBC and ING Belgium as their exports print them. Names,
accounts and figures are invented.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from reconcile.model import ParseSettings, Transaction

from .test_tabular_banks import _parse

D = dt.date
STRUCTURED = "+++090/9337/55493+++"


def _read(data: str) -> list[Transaction]:
    txs, _ = _parse(data.encode("latin-1"), "export.csv", ParseSettings())
    return txs


def _fields(tx: Transaction) -> tuple[object, ...]:
    return (
        tx.booking_date,
        tx.value_date,
        tx.direction,
        tx.amount,
        tx.currency,
        tx.payer_name,
        tx.payer_account,
        tx.our_account,
    )


def test_belfius_counterparty_value_date_and_devies() -> None:
    (tx, card) = _read(
        "Rekening;Boekingsdatum;Rekeninguittrekselnummer;Transactienummer;Rekening tegenpartij;"
        "Naam tegenpartij bevat;Straat en nummer;Postcode en plaats;Transactie;Valutadatum;"
        "Bedrag;Devies;BIC;Landcode;Mededelingen\n"
        "BE68 0635 1234 5678;01/02/2023;2023/02;00012;BE71 0961 2345 6769;Klant BV;Kerkstraat 1;"
        f"9000 Gent;Overschrijving;02/02/2023;250,00;EUR;GKCCBEBB;BE;{STRUCTURED}\n"
        "BE68 0635 1234 5678;02/02/2023;2023/02;00013;;Colruyt;;;Betaling met debetkaart;"
        "02/02/2023;-12,30;EUR;;BE;COLRUYT GENT\n"
    )
    assert _fields(tx) == (
        D(2023, 2, 1),
        D(2023, 2, 2),
        "credit",
        Decimal("250.00"),
        "EUR",
        "Klant BV",
        "BE71096123456769",
        "BE68063512345678",
    )
    assert (tx.reference, tx.bank_ref) == (STRUCTURED, "00012")
    assert (card.direction, card.payee_name, card.reference) == ("debit", "Colruyt", "COLRUYT GENT")


def test_argenta_french_header() -> None:
    (tx,) = _read(
        "Compte;Date comptable;Date valeu;Référence;Description;Montant;Devise;"
        "Date de la transaction;Compte de la contrepartie;Nom de la contrepartie;Communication\n"
        "BE46 5390 0754 7034;24-04-2018;25-04-2018;7SLLCW65XDZQU891;Virement entrant;125,00;EUR;"
        f"24-04-2018;BE68 5390 0754 7034;Adams White;{STRUCTURED}\n"
    )
    assert _fields(tx) == (
        D(2018, 4, 24),
        D(2018, 4, 25),
        "credit",
        Decimal("125.00"),
        "EUR",
        "Adams White",
        "BE68539007547034",
        "BE46539007547034",
    )
    assert STRUCTURED in tx.reference


def test_bnp_paribas_fortis_and_ing_belgium() -> None:
    (bnp,) = _read(
        "Volgnummer;Uitvoeringsdatum;Valutadatum;Bedrag;Valuta rekening;Rekeningnummer;"
        "Type verrichting;Tegenpartij;Naam van de tegenpartij;Mededeling;Details;Status;"
        "Reden van weigering\n"
        "2023-0012;01/02/2023;01/02/2023;250,00;EUR;BE68001123456789;Overschrijving;"
        f"BE71096123456769;Klant BV;{STRUCTURED};OVERSCHRIJVING VAN KLANT BV;Geaccepteerd;\n"
    )
    (ing,) = _read(
        "Rekeningnummer;Naam van de rekening;Rekening tegenpartij;Nummer van de verrichting;"
        "Boekingsdatum;Valutadatum;Bedrag;Munteenheid;Omschrijving;Detail van de omzet;Bericht\n"
        "BE68 3631 2345 6789;Zichtrekening;BE71 0961 2345 6769;123;01/02/2023;01/02/2023;250,00;"
        f"EUR;Overschrijving van Klant BV;Klant BV Kerkstraat 1 9000 Gent;{STRUCTURED}\n"
    )
    assert _fields(bnp) == (
        D(2023, 2, 1),
        D(2023, 2, 1),
        "credit",
        Decimal("250.00"),
        "EUR",
        "Klant BV",
        "BE71096123456769",
        "BE68001123456789",
    )
    assert (ing.currency, ing.payer_account, ing.bank_ref) == ("EUR", "BE71096123456769", "123")
    assert STRUCTURED in bnp.reference and STRUCTURED in ing.reference


def test_kbc_structured_and_free_communication() -> None:
    (tx,) = _read(
        "Rekeningnummer;Rubrieknaam;Naam;Munt;Afschriftnummer;Datum;Omschrijving;Valuta;Bedrag;"
        "Saldo;credit;debet;rekeningnummer tegenpartij;BIC tegenpartij;Naam tegenpartij;"
        "Adres tegenpartij;gestructureerde mededeling;Vrije mededeling\n"
        "BE68 7350 1234 5678;Zichtrekening;JANSSENS BV;EUR;00002;01/02/2023;"
        "OVERSCHRIJVING VAN KLANT BV;01/02/2023;250,00;1.250,00;250,00;;BE71096123456769;"
        "GKCCBEBB;KLANT BV;KERKSTRAAT 1 9000 GENT;090933755493;factuur 17\n"
    )
    assert (tx.payer_name, tx.payer_account, tx.amount) == (
        "KLANT BV",
        "BE71096123456769",
        Decimal("250.00"),
    )
    assert tx.reference == "OVERSCHRIJVING VAN KLANT BV 090933755493 factuur 17"
