"""Column names of Polish banks' CSV exports (mBank, ING Bank Śląski, Bank Millennium, PKO BP,
Pekao), appended to each role's names after :mod:`.tabular_layouts_world`.

The same rules hold: a name belongs to one role only, and within a role an earlier name wins
when two columns could hold it. mBank heads its columns with ``#`` (``#Data operacji``), which
:func:`.normalise_header` drops.

- mBank, "Elektroniczne zestawienie operacji": ``#Data operacji;#Data księgowania;#Opis
  operacji;#Tytuł;#Nadawca/Odbiorca;#Numer konta;#Kwota;#Saldo po operacji``; its "Lista
  operacji": ``#Data operacji;#Opis operacji;#Rachunek;#Kategoria;#Kwota`` (``-1 234,56 PLN``).
- ING Bank Śląski: ``"Data transakcji";"Data księgowania";"Dane kontrahenta";"Tytuł";"Nr
  rachunku";"Nazwa banku";"Szczegóły";"Nr transakcji";"Kwota transakcji (waluta rachunku)";
  "Waluta";...;"Saldo po transakcji";"Waluta"`` (the first ``Waluta`` is the amount's).
- Bank Millennium: ``Numer rachunku/karty,Data transakcji,Data rozliczenia,Rodzaj transakcji,Na
  konto/Z konta,Odbiorca/Zleceniodawca,Opis,Obciążenia,Uznania,Saldo,Waluta``.
- PKO BP: ``Data operacji;Data waluty;Typ transakcji;Kwota;Waluta;Saldo po transakcji;Opis
  transakcji``.
"""

from __future__ import annotations

PL_SYNONYMS: dict[str, tuple[str, ...]] = {
    # the booking date first; the date of the operation (card payment, order) when it is alone
    "booking_date": (
        "data księgowania",
        "data rozliczenia",
        "data operacji",
        "data transakcji",
    ),
    "value_date": ("data waluty",),
    "amount": ("kwota", "kwota transakcji", "kwota operacji"),
    "debit": ("obciążenia", "obciążenie", "kwota obciążenia"),
    "credit": ("uznania", "uznanie", "kwota uznania"),
    "balance": ("saldo po operacji", "saldo po transakcji"),
    "currency": ("waluta",),
    # mBank's Opis operacji is the kind of entry (PRZELEW ZEWNĘTRZNY PRZYCHODZĄCY) beside the
    # title, or the whole text in its Lista operacji; both are read as the description
    "description": (
        "tytuł",
        "tytuł operacji",
        "opis operacji",
        "opis transakcji",
        "opis",
        "szczegóły",
    ),
    "counterparty_name": (
        "nadawca/odbiorca",
        "odbiorca/zleceniodawca",
        "dane kontrahenta",
        "kontrahent",
    ),
    "counterparty_account": (
        "numer konta",
        "nr rachunku",
        "na konto/z konta",
        "rachunek kontrahenta",
        "numer rachunku kontrahenta",
    ),
    "counterparty_bank": ("nazwa banku",),
    "bank_ref": ("nr transakcji", "numer transakcji"),
    "our_account": ("numer rachunku", "numer rachunku/karty"),
    # PKO BP's and Millennium's kind of entry; a column of Uznanie/Obciążenie or Wpływ/Wydatek
    # alone beside unsigned amounts is read as the direction (see add_unnamed_mark_column)
    "type": ("rodzaj transakcji", "typ transakcji", "rodzaj"),
    "direction": ("uznanie/obciążenie", "obciążenie/uznanie", "wpływ/wydatek"),
}
