"""Column names of Czech, Slovak and Hungarian banks' CSV exports, appended to each role's names
after :mod:`.tabular_layouts_pl`.

The same rules hold: a name belongs to one role only, and within a role an earlier name wins
when two columns could hold it.

- Fio banka (CZ and SK; its internet banking's CSV and its API's column names): ``ID operace;
  Datum;Objem;Měna;Protiúčet;Název protiúčtu;Kód banky;KS;VS;SS;Uživatelská identifikace;Zpráva
  pro příjemce;Typ;Provedl;Upřesnění;Komentář;BIC;ID pokynu`` (the API names the entry ``ID
  pohybu``).
- Air Bank: ``Datum provedení,Směr platby,Typ platby,Skupina plateb,Měna účtu,Částka v měně
  účtu,Poplatek v měně účtu,Původní měna platby,Původní částka platby,Název protistrany,Číslo účtu
  protistrany,Název účtu protistrany,Variabilní symbol,Konstantní symbol,Specifický symbol,...,
  Zpráva pro příjemce,Poznámka k platbě,...,Datum zaúčtování,Referenční číslo,...``.
- ČSOB: ``číslo účtu;datum zaúčtování;částka;měna;zůstatek;číslo účtu protiúčtu;kód banky
  protiúčtu;název účtu protiúčtu;konstantní symbol;variabilní symbol;specifický symbol;označení
  operace;ID transakce;poznámka`` under a title line (``Pohyby na účtu ... 277150116/0300``);
  its later export names ``číslo protiúčtu;kód banky;jméno protistrany;...;zpráva``.
- OTP: ``Tranzakció dátuma,Könyvelés dátuma,Típus,Bejövő/Kimenő,Partner neve,Partner
  számlaszáma/azonosítója,Költési kategória,Közlemény,Számla név,Számla szám,Összeg,Pénznem``.
- Komerční banka: ``Datum splatnosti;Datum odepsání z jiné banky;Protiúčet a kód banky;Název
  protiúčtu;Částka;Originální částka;Originální měna;Kurz;VS;KS;SS;Identifikace transakce;
  Systémový popis;Popis příkazce;Popis pro příjemce;AV pole 1;...`` under ``Číslo účtu``,
  ``Výpis za období`` and the balances.
- Česká spořitelna, Komerční banka, Raiffeisenbank, Moneta: ``Datum zaúčtování``,
  ``Datum splatnosti``, ``Částka``, ``Měna``, ``Zůstatek``, ``Protiúčet``/``Číslo protiúčtu``,
  ``Název protiúčtu``/``Název protistrany``, ``Variabilní symbol``, ``Zpráva pro příjemce``/
  ``Popis pro příjemce``/``Poznámka``, ``Identifikace transakce``.
- Slovak banks (Tatra banka, Slovenská sporiteľňa, VÚB): ``Dátum zaúčtovania``, ``Suma``/
  ``Čiastka``, ``Mena``, ``Názov protistrany``, ``IBAN protistrany``, ``Variabilný symbol``,
  ``Správa pre prijímateľa``, ``Popis transakcie``.
- Hungarian banks (OTP, K&H, Erste): ``Könyvelés dátuma``, ``Értéknap``, ``Összeg``,
  ``Pénznem``/``Devizanem``, ``Partner neve``, ``Partner számlaszáma``, ``Közlemény``,
  ``Tranzakció azonosító``, ``Egyenleg``.

Czech and Slovak invoices are paid with the invoice number as the *variabilní symbol* (VS):
its column has a role of its own, ``variable_symbol``, which the reader writes into the entry's
reference as ``VS 2026117``; the constant and specific symbols (KS, SS: the kind of payment and
a payer's own number, a customer or contract number as often as an invoice's) are read as
``raw["constant_symbol"]`` and ``raw["specific_symbol"]`` without their padding zeros, but stay
out of the reference, where the matcher would take a customer number for an invoice's. The
four-digit bank code (``Kód banky``) is the counterparty account's last part, as Czech and
Slovak accounts are written and kept (``19-2000145399/0800``): its column has the role
``bank_code``.
"""

from __future__ import annotations

CZ_SK_HU_SYNONYMS: dict[str, tuple[str, ...]] = {
    "booking_date": (
        "datum zaúčtování",
        "datum provedení",
        # Komerční banka's booking date
        "datum splatnosti",
        "dátum zaúčtovania",
        "dátum transakcie",
        "dátum realizácie",
        "könyvelés dátuma",
        "könyvelési dátum",
        "tranzakció dátuma",
        # Erste Hungary's and the Slovak banks' lone date
        "dátum",
    ),
    "value_date": ("datum valuty", "dátum valuty", "értéknap", "értéknap dátuma"),
    "amount": (
        # Erste Bank Hungary's export: Tranzakció összege, devizaneme, Bevétel/Kiadás
        "tranzakció összege",
        "objem",
        "částka",
        "částka v měně účtu",
        "zaúčtovaná částka",
        "čiastka",
        "suma transakcie",
        "összeg",
        "könyvelt összeg",
    ),
    "balance": ("zůstatek", "zostatok", "egyenleg"),
    "currency": (
        "tranzakció devizaneme",
        "měna",
        "měna účtu",
        "mena",
        "pénznem",
        "devizanem",
        "összeg devizaneme",
        "deviza",
    ),
    "description": (
        "zpráva pro příjemce",
        "popis pro příjemce",
        # Komerční banka: the payer's words on an incoming payment, our own on an outgoing one
        "popis příkazce",
        "poznámka k platbě",
        "poznámka",
        "správa pre prijímateľa",
        "popis transakcie",
        "zpráva",
        "közlemény",
        "megjegyzés",
    ),
    "counterparty_name": (
        "název protiúčtu",
        # ČSOB: "název účtu protiúčtu" (2018), "jméno protistrany" (2026)
        "název účtu protiúčtu",
        "jméno protistrany",
        "název protistrany",
        "název účtu protistrany",
        "názov protiúčtu",
        "názov protistrany",
        "partner neve",
        "partner elnevezése",
        "ellenoldali név",
        # Erste Hungary: the payer of a credit, the payee of a debit
        "megbízó/kedvezményezett",
    ),
    "counterparty_account": (
        "partner számlaszáma",
        "protiúčet",
        "číslo účtu protiúčtu",
        "protiúčet a kód banky",
        "číslo protiúčtu",
        "číslo účtu protistrany",
        "iban protistrany",
        "partner számlaszáma",
        # OTP's export: an account number or a card's merchant id
        "partner számlaszáma/azonosítója",
        "ellenoldali számlaszám",
    ),
    # the Czech and Slovak bank code, written after the account: 19-2000145399/0800
    "bank_code": ("kód banky", "kód banky protiúčtu"),
    "bank_ref": (
        "megbízás azonosító",
        "id operace",
        "id pohybu",
        "id transakce",
        "identifikace transakce",
        "referenční číslo",
        "tranzakció azonosító",
    ),
    "our_account": ("číslo účtu", "számla szám", "számlaszám"),
    "type": (
        "označení operace",
        # Komerční banka's kind of entry (Příchozí úhrada, Nákup na internetu)
        "systémový popis",
        "typ",
        "typ platby",
        "typ transakce",
        "typ transakcie",
        "típus",
        "tranzakció típusa",
    ),
    # incoming or outgoing (see tabular_words.CE_CREDIT_MARKS): Air Bank's Příchozí/Odchozí,
    # OTP's Bejövő/Kimenő, Erste Hungary's T/J (terhelés, jóváírás), the Slovak banks'
    # Kredit/Debet or Príjem/Výdaj; beside an unsigned amount they say its side
    "direction": (
        "bevétel/kiadás",
        "směr platby",
        "směr",
        "bejövő/kimenő",
        "irány",
        "terhelés vagy jóváírás",
        "terhelés/jóváírás",
        "typ pohybu",
        "smer",
        "smer platby",
    ),
    # Air Bank: the amount and currency of a payment in another currency
    "original_amount": ("původní částka platby", "původní částka", "originální částka"),
    "original_currency": ("původní měna platby", "původní měna", "originální měna"),
    "variable_symbol": ("vs", "variabilní symbol", "variabilný symbol"),
    # the kind of payment (0308: services) and the payer's own number: kept, never a reference
    "constant_symbol": ("ks", "konstantní symbol", "konštantný symbol"),
    "specific_symbol": ("ss", "specifický symbol", "špecifický symbol"),
}
