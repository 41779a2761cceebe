"""Column names of Nordic and Baltic bank exports (Finland, Sweden, Denmark, Norway, Estonia) and
of bunq.

Appended to each role's names in :mod:`.tabular_layouts`, after the rest of the world's.

- Nordea Finland: ``Kirjauspäivä  Arvopäivä  Maksupäivä  Määrä  Saaja/Maksaja  Tilinumero
  BIC  Tapahtuma  Viite  Maksajan viite  Viesti  Kortinnumero  Kuitti`` (tab separated).
- S-Pankki: ``Kirjauspäivä;Maksupäivä;Summa;Tapahtumalaji;Maksaja;Saajan nimi;
  Saajan tilinumero;Saajan BIC-tunnus;Viitenumero;Viesti;Arkistointitunnus``.
- Swedbank Sweden: ``Radnummer,Clearingnummer,Kontonummer,Produkt,Valuta,Bokföringsdag,
  Transaktionsdag,Valutadag,Referens,Beskrivning,Belopp,Bokfört saldo``.
- Nordea Sweden: ``Bokföringsdag;Belopp;Avsändare;Mottagare;Namn;Rubrik;Meddelande;
  Egna anteckningar;Saldo;Valuta``; SEB: ``...;Verifikationsnummer;Text/mottagare;...``.
- Nordea Denmark: ``Bogføringsdato;Beløb;Afsender;Modtager;Navn;Beskrivelse;Saldo;Valuta``;
  DNB (Norway): ``Dato;Forklaring;Rentedato;Uttak fra konto;Innskudd på konto``.
- LHV (Estonia): ``"Saaja/maksja konto","Saaja/maksja nimi",...``; Swedbank Estonia:
  ``"Kliendi konto";"Reatüüp";"Kuupäev";"Saaja/Maksja";"Selgitus";"Summa";"Valuuta";
  "Deebet/Kreedit";"Arhiveerimistunnus";"Tehingu tüüp";"Viitenumber";"Dokumendi number"``.
- SEB Estonia (English): ``Account;Document No.;Date;Beneficiary's account;Beneficiary's name;
  BIC/SWIFT;Type;(D/C);Amount;Reference no.;Archive ID;Description;Commission fee;Currency``.
- bunq (Dutch): ``"Datum";"Rentedatum";"Bedrag";"Rekening";"Tegenrekening";"Naam";
  "Omschrijving"``.

A Finnish or Estonian creditor reference (``Viite``, ``Viitenumero``, ``Viitenumber``) and a
Swedish ``Referens`` name the invoice paid: they are read with the entry's text.
"""

from __future__ import annotations

NORDIC_SYNONYMS: dict[str, tuple[str, ...]] = {
    "booking_date": ("kirjauspäivä", "maksupäivä", "bogføringsdato"),
    "value_date": ("arvopäivä", "valutadag"),
    "amount": ("määrä",),
    # DNB (Norway)
    "credit": ("innskudd på konto",),
    "debit": ("uttak fra konto",),
    "description": (
        "viite",
        "viitenumero",
        # Estonian banks (Swedbank, LHV, SEB): the creditor's reference number
        "viitenumber",
        "viesti",
        "referens",
        "beskrivning",
        "rubrik",
        "meddelande",
        "forklaring",
        # SEB Estonia's English export: the creditor's reference number
        "reference no.",
    ),
    "counterparty_name": (
        "saaja/maksaja",
        "saaja/maksja nimi",
        "namn",
        "naam",
        "navn",
        # SEB Estonia (English): the other side, payer or payee, whichever way the money went
        "beneficiary's name",
    ),
    "counterparty_account": ("tilinumero", "saaja/maksja konto", "beneficiary's account"),
    "payer_name": ("maksaja",),
    # Nordea Sweden: the sender's and the receiver's account numbers
    "payer_account": ("avsändare", "afsender"),
    "payee_name": ("saajan nimi",),
    "payee_account": ("saajan tilinumero", "mottagare", "modtager"),
    "payee_bank": ("saajan bic-tunnus",),
    "bank_ref": ("arkistointitunnus", "verifikationsnummer", "archive id"),
    "type": ("tapahtuma", "tapahtumalaji"),
}
