"""French, Spanish, Italian and Swiss bank CSVs read without a layout mapping.

Written by hand in the layouts these banks export and importers in other projects read
(Société Générale, Crédit Agricole's ``Débit euros;Crédit euros``, Boursorama, Santander, BBVA,
Fineco, Intesa Sanpaolo, UBS's ``Description1..3``, Raiffeisen Switzerland); names, accounts and
figures are invented.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from reconcile.api import parse_bytes
from reconcile.model import ParseSettings, Transaction

D = dt.date


def _read(data: str) -> list[Transaction]:
    (result,) = parse_bytes(data.encode("utf-8"), "export.csv", ParseSettings())
    assert result.error is None, result.error
    return list(result.transactions)


def _money(txs: list[Transaction]) -> list[tuple[object, ...]]:
    return [
        (t.booking_date, t.value_date, t.direction, t.amount, t.currency, t.reference) for t in txs
    ]


def test_societe_generale_and_the_payer_before_motif() -> None:
    (tx,) = _read(
        '="01234567890";Compte Courant;Solde au 28/02/2023;1 234,56 EUR\n'
        "Date de l'opération;Libellé;Détail de l'écriture;Montant de l'opération;Devise\n"
        "01/02/2023;VIR RECU CLIENT SARL;VIR RECU 1234567 DE: CLIENT SARL MOTIF: FACTURE 2023-17;"
        "250,00;EUR\n"
    )
    assert _money([tx]) == [
        (
            D(2023, 2, 1),
            None,
            "credit",
            Decimal("250.00"),
            "EUR",
            "VIR RECU CLIENT SARL VIR RECU 1234567 DE: CLIENT SARL MOTIF: FACTURE 2023-17",
        )
    ]
    assert tx.payer_name == "CLIENT SARL"


def test_credit_agricole_debit_and_credit_in_euros() -> None:
    txs = _read(
        "Date;Libellé;Débit euros;Crédit euros;\n"
        '01/02/2023;"VIREMENT EN VOTRE FAVEUR \nCLIENT SARL \nFACTURE 2023-17";;250,00;\n'
        '02/02/2023;"PAIEMENT PAR CARTE \nCARREFOUR PARIS 01/02";12,30;;\n'
    )
    assert [(t.direction, t.amount, t.currency) for t in txs] == [
        ("credit", Decimal("250.00"), "EUR"),
        ("debit", Decimal("12.30"), "EUR"),
    ]


def test_boursorama_camel_case_header() -> None:
    (tx,) = _read(
        "dateOp;dateVal;label;category;categoryParent;supplierFound;amount;comment;accountNum;"
        "accountLabel;accountbalance\n"
        '2023-02-01;2023-02-03;"VIR SEPA CLIENT SARL FACTURE 2023-17";"Virements reçus";'
        '"Revenus";"client sarl";250,00;;00040123456;BOURSORAMA BANQUE;1234,56\n'
    )
    assert (tx.booking_date, tx.value_date, tx.amount, tx.our_account) == (
        D(2023, 2, 1),
        D(2023, 2, 3),
        Decimal("250.00"),
        "00040123456",
    )


def test_santander_and_bbva() -> None:
    santander = _read(
        "Fecha Operación,Fecha Valor,Concepto,Importe,Saldo\n"
        '01/02/2023,02/02/2023,TRANSFERENCIA DE CLIENTE SL FACTURA 2023-17,"250,00","1.250,00"\n'
    )
    bbva = _read(
        "F.Valor;Fecha;Concepto;Movimiento;Importe;Divisa;Disponible;Divisa;Observaciones\n"
        "02/02/2023;01/02/2023;Transferencia recibida;CLIENTE SL;250,00;EUR;1.250,00;EUR;"
        "FACTURA 2023-17\n"
    )
    assert _money(santander) == [
        (
            D(2023, 2, 1),
            D(2023, 2, 2),
            "credit",
            Decimal("250.00"),
            "",
            "TRANSFERENCIA DE CLIENTE SL FACTURA 2023-17",
        )
    ]
    assert _money(bbva) == [
        (
            D(2023, 2, 1),
            D(2023, 2, 2),
            "credit",
            Decimal("250.00"),
            "EUR",
            "Transferencia recibida CLIENTE SL FACTURA 2023-17",
        )
    ]


def test_fineco_entrate_uscite_and_intesa_valuta_currency() -> None:
    fineco = _read(
        "Data Operazione;Data Valuta;Entrate;Uscite;Descrizione;Descrizione Completa\n"
        "01/02/2023;01/02/2023;250;;Bonifico;Ord: CLIENTE SRL Info: FATTURA 2023-17\n"
        "02/02/2023;02/02/2023;;-12,3;Pagamento Visa Debit;CARREFOUR MILANO\n"
    )
    intesa = _read(
        "Data;Operazione;Dettagli;Conto o carta;Contabilizzazione;Categoria;Valuta;Importo\n"
        "01/02/2023;Bonifico in entrata;Bonifico Da Cliente Srl Per Fattura 2023-17;"
        "Conto 1000/12345;Contabilizzato;Entrate varie;EUR;250\n"
    )
    assert [(t.direction, t.amount, t.reference) for t in fineco] == [
        ("credit", Decimal("250.00"), "Bonifico Ord: CLIENTE SRL Info: FATTURA 2023-17"),
        ("debit", Decimal("12.30"), "Pagamento Visa Debit CARREFOUR MILANO"),
    ]
    assert _money(intesa) == [
        (
            D(2023, 2, 1),
            None,
            "credit",
            Decimal("250.00"),
            "EUR",
            "Bonifico Da Cliente Srl Per Fattura 2023-17",
        )
    ]


def test_ubs_descriptions_and_raiffeisen_switzerland() -> None:
    ubs = _read(
        "Trade date;Trade time;Booking date;Value date;Currency;Debit;Credit;Individual amount;"
        "Balance;Transaction no.;Description1;Description2;Description3;Footnotes;\n"
        "01.02.2023;;01.02.2023;02.02.2023;CHF;;250.00;;1250.00;9930032ZZ0001234;Kunde AG;"
        "Zahlungseingang;Rechnung 2023-17;;\n"
    )
    raiffeisen = _read(
        "IBAN;Booked At;Text;Credit/Debit Amount;Balance;Valuta Date\n"
        "CH1280808001234567890;2023-02-01 00:00:00.0;Gutschrift Kunde AG Rechnung 2023-17;250;"
        "1250;2023-02-02 00:00:00.0\n"
    )
    assert _money(ubs) == [
        (
            D(2023, 2, 1),
            D(2023, 2, 2),
            "credit",
            Decimal("250.00"),
            "CHF",
            "Kunde AG Zahlungseingang Rechnung 2023-17",
        )
    ]
    assert ubs[0].bank_ref == "9930032ZZ0001234"
    assert _money(raiffeisen)[0][:4] == (D(2023, 2, 1), D(2023, 2, 2), "credit", Decimal("250.00"))


def test_a_constant_account_or_iban_column_with_money_both_ways_is_ours() -> None:
    """Barclays (``Number,Date,Account,Amount,Subcategory,Memo``) and Raiffeisen Switzerland
    (``IBAN;Booked At;...``) repeat our own account on every row."""
    barclays = _read(
        "Number,Date,Account,Amount,Subcategory,Memo\n"
        ",01/02/2023,20-32-06 13152170,250.00,Bank Credit,CUSTOMER LTD INV-1001\n"
        ",02/02/2023,20-32-06 13152170,-12.30,Debit,TESCO STORES 1234\n"
    )
    raiffeisen = _read(
        "IBAN;Booked At;Text;Credit/Debit Amount;Balance;Valuta Date\n"
        "CH1280808001234567890;2023-02-01 00:00:00.0;Gutschrift Kunde AG;250;1250;2023-02-01\n"
        "CH1280808001234567890;2023-02-02 00:00:00.0;Einkauf Coop;-12.3;1237.7;2023-02-02\n"
    )
    assert [(t.our_account, t.payer_account, t.payee_account) for t in barclays] == [
        ("20-32-0613152170", None, None),
        ("20-32-0613152170", None, None),
    ]
    assert {t.our_account for t in raiffeisen} == {"CH1280808001234567890"}


def test_one_payer_account_on_every_credit_stays_the_payer() -> None:
    txs = _read(
        "Date,IBAN,Amount,Description\n"
        "01/02/2023,DE89370400440532013000,250.00,INV-1001\n"
        "02/02/2023,DE89370400440532013000,99.00,INV-1002\n"
    )
    assert [(t.payer_account, t.our_account) for t in txs] == [
        ("DE89370400440532013000", ""),
        ("DE89370400440532013000", ""),
    ]


def test_millennium_bcp_portugal() -> None:
    (tx,) = _read(
        "Data Lançamento;Data Valor;Descrição;Montante;Tipo;Saldo\n"
        "01-02-2023;02-02-2023;TRF CLIENTE LDA FT 2023-17;250,00;Crédito;1.250,00\n"
    )
    assert _money([tx]) == [
        (
            D(2023, 2, 1),
            D(2023, 2, 2),
            "credit",
            Decimal("250.00"),
            "",
            "TRF CLIENTE LDA FT 2023-17",
        )
    ]
