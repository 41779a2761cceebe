"""Column names of Belgian bank exports, in Dutch and French.

Appended to each role's names in :mod:`.tabular_layouts`, after the Nordic ones.

- Belfius: ``Rekening;Boekingsdatum;Rekeninguittrekselnummer;Transactienummer;
  Rekening tegenpartij;Naam tegenpartij bevat;Straat en nummer;Postcode en plaats;Transactie;
  Valutadatum;Bedrag;Devies;BIC;Landcode;Mededelingen`` (French: ``Compte;
  Date de comptabilisation;...;Compte contrepartie;Nom contrepartie contient;...;Devise``).
- KBC: ``...;rekeningnummer tegenpartij;BIC tegenpartij;Naam tegenpartij;Adres tegenpartij;
  gestructureerde mededeling;Vrije mededeling``.
- ING Belgium: ``Rekeningnummer;Naam van de rekening;Rekening tegenpartij;
  Nummer van de verrichting;Boekingsdatum;Valutadatum;Bedrag;Munteenheid;Omschrijving;
  Detail van de omzet;Bericht``.
- BNP Paribas Fortis: ``Volgnummer;Uitvoeringsdatum;Valutadatum;Bedrag;Valuta rekening;
  Rekeningnummer;Type verrichting;Tegenpartij;Naam van de tegenpartij;Mededeling;Details;
  Status;Reden van weigering`` (French: ``Date d'exécution;...;Devise du compte;...;
  Contrepartie;Nom de la contrepartie;Communication``).
- Argenta: ``Rekening;Boekdatum;Valutadatum;Referentie;Beschrijving;Bedrag;Munt;
  Verrichtingsdatum;Rekening tegenpartij;Naam tegenpartij;Mededeling`` (French: ``Compte;
  Date comptable;Date valeu;...;Compte de la contrepartie;Nom de la contrepartie;
  Communication``), before that ``Nr v/d rekening;Datum verrichting;Referentie verrichting;
  Beschrijving;Bedrag v/d verrichting;Munt;Valutadatum;...;Mededeling 1 :;Mededeling 2 :``.

The structured communication (``+++090/9337/55493+++``, KBC's ``gestructureerde mededeling``)
names the invoice paid: it is read with the entry's text.
"""

from __future__ import annotations

BE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "booking_date": (
        "boekingsdatum",
        "uitvoeringsdatum",
        "date d'exécution",
        "datum verrichting",
        "verrichtingsdatum",
        "date de la transaction",
    ),
    # Argenta's French export cuts the header short
    "value_date": ("date valeu",),
    "amount": ("bedrag v/d verrichting",),
    "currency": ("devies", "munteenheid", "valuta rekening", "devise du compte"),
    "counterparty_account": (
        "rekening tegenpartij",
        "rekeningnummer tegenpartij",
        "tegenpartij",
        "compte contrepartie",
        "compte de la contrepartie",
        "contrepartie",
    ),
    "counterparty_name": (
        "naam tegenpartij bevat",
        "naam van de tegenpartij",
        "nom contrepartie contient",
        "nom de la contrepartie",
    ),
    "description": (
        "mededeling",
        "mededeling 1",
        "mededeling 2",
        "gestructureerde mededeling",
        "vrije mededeling",
        "bericht",
        "detail van de omzet",
        "communication",
        "communications",
    ),
    "our_account": ("nr v/d rekening", "compte"),
    "bank_ref": (
        "transactienummer",
        "nummer van de verrichting",
        "referentie verrichting",
        "numéro de transaction",
    ),
    "type": ("transactie", "type verrichting", "type de transaction", "beschrijving"),
}
