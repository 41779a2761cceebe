"""Bank CSV exports whose layouts other projects' importers test with, read without a mapping.

PostFinance (Switzerland) exports its movements in the customer's language, a preamble
(``Konto:;="CH..."``) above a header whose money columns name their currency after "in"
(French "en"): ``Gutschrift in CHF;Lastschrift in CHF``, ``Credit in CHF;Debit in CHF``,
``Crédit en CHF;Débit en CHF``, ``Accredito in CHF;Addebito in CHF``; debits are printed
negative in the debit column. Its English export heads the value date ``Value``. The layouts
are those that tarioch/beancounttools' ``tests/tariochbctools/importers/test_postfinance.py``
(one fee of -5 CHF on 31.12.2022) and other importers test with; that repository states no
licence in the index, so the files here are written by hand in the same shape, figures invented.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from reconcile.model import ParseSettings

from .test_tabular_banks import _parse

D = dt.date

_PREAMBLE = (
    'Datum von:;="01.01.2024"\nDatum bis:;="31.01.2024"\nKonto:;="CH9300762011623852957"\n'
    'Währung:;="CHF"\n\n'
)


def _money(data: str, name: str) -> list[tuple[object, ...]]:
    txs, _ = _parse(data.encode(), name, ParseSettings())
    return [
        (t.booking_date, t.value_date, t.direction, t.amount, t.currency, t.reference) for t in txs
    ]


def test_postfinance_english_value_column_is_the_value_date() -> None:
    """tarioch/beancounttools expects -5 CHF dated 2022; ``Value`` is no amount here."""
    csv = (
        "Booking date;Notification text;Credit in CHF;Debit in CHF;Value;Balance in CHF\n"
        '31.12.2022;"Preis für Bankpaket Smart";;-5;31.12.2022;7881.98\n'
        '30.12.2022;"Gutschrift Muster AG";120.50;;02.01.2023;7886.98\n'
    )
    assert _money(csv, "export.csv") == [
        (
            D(2022, 12, 31),
            D(2022, 12, 31),
            "debit",
            Decimal("5.00"),
            "CHF",
            "Preis für Bankpaket Smart",
        ),
        (
            D(2022, 12, 30),
            D(2023, 1, 2),
            "credit",
            Decimal("120.50"),
            "CHF",
            "Gutschrift Muster AG",
        ),
    ]


def test_postfinance_german_with_preamble() -> None:
    csv = _PREAMBLE + (
        "Buchungsdatum;Avisierungstext;Gutschrift in CHF;Lastschrift in CHF;Valuta;Saldo in CHF\n"
        '31.01.2024;"KAUF MIGROS ZUERICH";;-45.30;31.01.2024;954.70\n'
        '25.01.2024;"GUTSCHRIFT VON ARBEITGEBER AG";5400.00;;25.01.2024;1000.00\n'
    )
    assert _money(csv, "export.csv") == [
        (D(2024, 1, 31), D(2024, 1, 31), "debit", Decimal("45.30"), "CHF", "KAUF MIGROS ZUERICH"),
        (
            D(2024, 1, 25),
            D(2024, 1, 25),
            "credit",
            Decimal("5400.00"),
            "CHF",
            "GUTSCHRIFT VON ARBEITGEBER AG",
        ),
    ]


def test_postfinance_2023_layout_in_french_and_italian() -> None:
    """Since 2023: ``Date;Type de transaction;Texte de notification;Crédit en CHF;...``."""
    french = (
        "Date;Type de transaction;Texte de notification;Crédit en CHF;Débit en CHF;"
        "Label;Catégorie\n"
        '10.03.2026;Enregistrement comptable;"Paiement fournisseur";;-150.5;;Achats\n'
    )
    italian = (
        "Data;Tipo di movimento;Testo di avviso;Accredito in CHF;Addebito in CHF;Tag;Categoria\n"
        '11.03.2026;Registrazione;"Accredito Rossi SA";80;;;\n'
    )
    assert _money(french, "fr.csv") == [
        (D(2026, 3, 10), None, "debit", Decimal("150.50"), "CHF", "Paiement fournisseur")
    ]
    assert _money(italian, "it.csv") == [
        (D(2026, 3, 11), None, "credit", Decimal("80.00"), "CHF", "Accredito Rossi SA")
    ]
