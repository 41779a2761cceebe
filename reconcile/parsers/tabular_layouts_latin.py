"""Column names of French, Spanish, Portuguese, Italian and Swiss bank exports.

Appended to each role's names in :mod:`.tabular_layouts`, after the Belgian ones.

- Société Générale: ``Date de l'opération;Libellé;Détail de l'écriture;
  Montant de l'opération;Devise``; Crédit Agricole: ``Date;Libellé;Débit euros;Crédit euros``
  (the currency word is read by :func:`.tabular_layouts.currency_last`); Boursorama:
  ``dateOp;dateVal;label;category;...;amount;comment;accountNum;...``.
- Santander: ``Fecha Operación,Fecha Valor,Concepto,Importe,Saldo``; BBVA: ``F.Valor;Fecha;
  Concepto;Movimiento;Importe;Divisa;Disponible;Divisa;Observaciones``.
- Fineco: ``Data Operazione;Data Valuta;Entrate;Uscite;Descrizione;Descrizione Completa``;
  Intesa Sanpaolo: ``Data;Operazione;Dettagli;Conto o carta;Contabilizzazione;Categoria;
  Valuta;Importo`` (its ``Valuta`` holds the currency code); UniCredit: ``Data Registrazione;
  Data valuta;Descrizione;Importo (EUR)``; others ``Dare``/``Avere``, ``Causale``.
- UBS: ``Trade date;Trade time;Booking date;Value date;Currency;Debit;Credit;
  Individual amount;Balance;Transaction no.;Description1;Description2;Description3;Footnotes``;
  Raiffeisen Switzerland: ``IBAN;Booked At;Text;Credit/Debit Amount;Balance;Valuta Date``.
- BancoPosta: ``Data,Valuta,Addebiti,Accrediti,Descrizione operazioni`` (its ``Valuta`` holds
  the value date), opening and closing ``SALDO INIZIALE``/``SALDO FINALE`` rows dated like entries.
- Millennium BCP (Portugal): ``Data Lançamento;Data Valor;Descrição;Montante;Tipo;Saldo``.
"""

from __future__ import annotations

LATIN_SYNONYMS: dict[str, tuple[str, ...]] = {
    "booking_date": (
        "date de l'opération",
        "date opération",
        "date d'opération",
        "fecha operación",
        "fecha de operación",
        "data operazione",
        "data contabile",
        "data registrazione",
        "booked at",
        "dateop",
        # UBS: the day of the trade, after its booking date
        "trade date",
    ),
    "value_date": (
        # Caisse d'Épargne
        "date de valeur",
        "fecha valor",
        "f.valor",
        "data valuta",
        "valuta date",
        "dateval",
        "data valor",
    ),
    "amount": ("montant de l'opération", "importo", "credit/debit amount", "montante"),
    # BancoPosta: Data,Valuta,Addebiti,Accrediti,Descrizione operazioni
    "credit": ("entrate", "avere", "accrediti"),
    "debit": ("uscite", "dare", "addebiti"),
    # UBS (French): Monn.
    "currency": ("divisa", "monn."),
    "description": (
        "détail de l'écriture",
        "concepto",
        "movimiento",
        "observaciones",
        "descrizione",
        "descrizione completa",
        "descrizione operazione",
        "descrizione operazioni",
        # Caisse d'Épargne: the entry's short text and the payer's own words (an invoice number)
        "libellé simplifié",
        "libelle simplifie",
        "informations complémentaires",
        "informations complementaires",
        # PayPal (Spanish)
        "descripción",
        # Satispay: the payer's note
        "extra info",
        "dettagli",
        "causale",
        "description1",
        "description2",
        "description3",
        "comment",
    ),
    "our_account": ("accountnum",),
    # Caisse d'Épargne: the bank's number of the operation
    "bank_ref": ("transaction no.", "id. de transacción", "numéro d'opération"),
    "counterparty_name": ("nombre",),
    "state": ("contabilizzazione",),
    "type": ("operazione",),
}
