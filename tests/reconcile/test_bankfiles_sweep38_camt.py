"""camt.052/053/054 files from other projects' tests that Concord misread (sweep 38).

The files in ``data/bankfiles`` are the bytes those projects keep, unless said otherwise:

- ``camt054_camt_parser_postfinance_refunds.xml``: viafintech/camt_parser (MIT),
  ``spec/fixtures/054/valid_example.xml``, PostFinance's camt.054.001.04. Entries 1.3 and 1.4
  are CH-DD collections of ours the customer objected to (``RvslInd`` true, ``RtrInf`` MD06):
  debits that name only the customer, as the ``Dbtr`` of the collection they undo.
- ``camt053_iso20022js_ing_returns.xml``: svapnil/iso20022.js (MIT),
  ``test/assets/ing/example_camt.xml``, ING NL's example statement. Entry 1.9 is an unpaid
  collection (``PMNT-IDDT-UPDD``, MD06) that names only us: the ``Cdtr`` with our SEPA
  creditor identifier. Entry 1.5 is a transfer of ours that came back (``RRTN``), naming its
  payee as the ``Dbtr`` of the money now flowing back.
- ``camt053_bankstatementparser_no_namespace.xml``: sebastienrousseau/bankstatementparser
  (Apache-2.0), ``tests/test_data/golden/camt053_no_namespace.xml``: ``<Document>`` without
  any XML namespace.
- ``camt052_genkgo_batch_one_detail.xml``: genkgo/camt (MIT), ``test/data/camt052.v2.xml``, the
  ISO sample report: a 200000 SEK debit of a batch of 20 payments (``Btch/NbOfTxs``) with one
  ``TxDtls`` that has no amount.
- ``camt052_sepa_file_parser_entry_exchange_rate.xml``: viafintech/sepa_file_parser (MIT),
  ``spec/fixtures/camt052/valid_example_exchange_currency.xml``, Zürcher Kantonalbank: a
  payment of 350 EUR booked as 318.91 CHF, the rate in the entry's own ``AmtDtls``.
- ``camt053_camt_parser_postfinance_collective.xml``: viafintech/camt_parser (MIT),
  ``spec/fixtures/053/valid_example_v4.xml``, PostFinance's camt.053.001.04; an excerpt: the
  header, balances and entries 1.7 to 1.9 of thirteen, bytes as they are (so the balances do
  not add up, and the entries here are 1.1 to 1.3). 1.1 is a collective credit of ten
  payments with the entry's charges of 5.20 CHF, 1.2 one of eight whose entry text is
  "SAMMELGUTSCHRIFT ES VERARBEITUNG ...", 1.3 three returned transfers of ours.
- ``camt053_iso20022js_bmo_no_entry_dates.xml``: svapnil/iso20022.js (MIT),
  ``test/assets/bank_of_montreal/camt053_v2_1.xml``: Bank of Montreal's statement for 22
  November 2021 (``FrToDt`` and every balance that day), made on the 23rd, whose entry has no
  booking or value date.

The expected values are what the files say, and the source projects' assertions where they
make some (named at each test).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from reconcile.api import ParseResult
from reconcile.model import Transaction
from reconcile.problems import Problem

from .samples import read_sample


def _entry(result: ParseResult, place: str) -> Transaction:
    return next(t for t in result.transactions if t.raw["entry"] == place)


def _codes(warnings: list[str]) -> list[str]:
    return [w.code if isinstance(w, Problem) else w for w in warnings]


def test_a_refunded_collection_is_returned_to_the_customer_the_bank_names_as_debtor() -> None:
    result = read_sample("camt054_camt_parser_postfinance_refunds.xml", "camt")
    # camt_parser: the notification's identification
    assert result.statements[0].statement_id == "20160410375204000131032"
    refunds = [_entry(result, "1.3"), _entry(result, "1.4")]
    assert [(t.amount, t.direction, t.reversal) for t in refunds] == [
        (Decimal("6.00"), "debit", True),
        (Decimal("15.53"), "debit", True),
    ]
    assert [t.raw["return_reason"] for t in refunds] == ["MD06", "MD06"]
    # the file names the customer as the debtor of the collection the refund undoes; the
    # money of this debit goes to them
    assert [t.raw["debtor_name"] for t in refunds] == ["Bernasconi Maria", "Rutschmann Pia"]
    assert [(t.counterparty_name, t.counterparty_account) for t in refunds] == [
        ("Bernasconi Maria", "CH3709000000250094580"),
        ("Rutschmann Pia", "CH4409000000495962779"),
    ]
    first = refunds[0]
    assert (first.payee_name, first.payer_name) == ("Bernasconi Maria", None)
    notices = [w for w in result.warnings if getattr(w, "code", "") == "payment_returned"]
    assert [w.params["party"] for w in notices if isinstance(w, Problem)] == [
        "Bernasconi Maria",
        "Rutschmann Pia",
    ]
    assert str(notices[0]).startswith(
        "entry 1.3: 6.00 CHF returned to Bernasconi Maria (PMNT-RDDT-PMDD MD06)"
    )


def test_an_unpaid_collection_naming_only_us_names_no_customer() -> None:
    result = read_sample("camt053_iso20022js_ing_returns.xml", "camt")
    txs = result.transactions
    # iso20022.js: nine entries, the first a 350.00 EUR credit of 3 January 2014
    assert len(txs) == 9
    assert (txs[0].amount, txs[0].direction, txs[0].booking_date) == (
        Decimal("350.00"),
        "credit",
        dt.date(2014, 1, 3),
    )
    unpaid = _entry(result, "1.9")
    # iso20022.js: the end-to-end ids of the statement include this one
    assert unpaid.raw["end_to_end_id"] == "5000300060007000"
    assert (unpaid.amount, unpaid.direction, unpaid.raw["bank_tx_code"]) == (
        Decimal("30.00"),
        "debit",
        "PMNT-IDDT-UPDD",
    )
    # the only party named is the creditor of our collection, with our creditor identifier:
    # that is us, not the customer the money went back to
    assert unpaid.raw["creditor_name"] == "INGTestrekening"
    assert unpaid.raw["creditor_id"] == "NL11ZZZ111123333111"
    assert unpaid.counterparty_name is None
    assert _codes(unpaid.warnings) == ["payment_returned_unnamed"]
    assert str(unpaid.warnings[0]).startswith(
        "30.00 EUR returned (PMNT-IDDT-UPDD MD06), the bank names no party"
    )
    # a transfer of ours that came back names its payee as the debtor of the money returning
    came_back = _entry(result, "1.5")
    assert (came_back.direction, came_back.raw["bank_tx_code"]) == ("credit", "PMNT-RCDT-RRTN")
    assert came_back.counterparty_name == "INGTestrekening"
    assert came_back.category == "refund"


def test_a_document_without_a_namespace_is_read_by_its_message_element() -> None:
    result = read_sample("camt053_bankstatementparser_no_namespace.xml", "camt")
    # bankstatementparser: one 250.00 GBP credit from JANE CLIENT, "Consulting fee"
    (tx,) = result.transactions
    assert (tx.amount, tx.currency, tx.direction, tx.booking_date) == (
        Decimal("250.00"),
        "GBP",
        "credit",
        dt.date(2026, 4, 12),
    )
    assert (tx.payer_name, tx.reference) == ("JANE CLIENT", "Consulting fee")
    assert tx.our_account == "GB29NWBK60161331926819"
    (info,) = result.statements
    assert (info.raw["namespace"], info.raw["message_element"]) == ("", "BkToCstmrStmt")
    assert (info.opening_balance, info.closing_balance) == (Decimal("100.00"), Decimal("350.00"))
    assert _codes(result.warnings) == ["camt_no_namespace"]
    assert str(result.warnings[0]) == (
        "the file names no camt version (its Document has no XML namespace): read as camt.053 "
        "by its <BkToCstmrStmt> element"
    )


def test_a_batch_listed_only_in_part_names_none_of_its_parties() -> None:
    result = read_sample("camt052_genkgo_batch_one_detail.xml", "camt")
    (tx,) = result.transactions
    assert (tx.amount, tx.currency, tx.direction) == (Decimal("200000"), "SEK", "debit")
    assert tx.bank_ref == "AAAASESS-FP-ACCR-01"
    assert (tx.raw["batch_count"], tx.raw["tx_details_count"]) == ("20", 1)
    # one of twenty payments does not say whom 200000 SEK went to
    assert (tx.payer_name, tx.payee_name, tx.payer_account, tx.payee_account) == (
        None,
        None,
        None,
        None,
    )
    assert tx.counterparty_name is None
    # what the listed payment names stays in raw
    assert (tx.raw["debtor_name"], tx.raw["creditor_name"]) == ("NAME NAME", "Company Name")
    assert tx.reference == "Credit"  # the entry's own text
    assert _codes(tx.warnings) == ["camt_batch_incomplete"]
    assert str(tx.warnings[0]).startswith(
        "a batch of 20 payments of which the file details only 1: the booked 200000 is kept"
    )


def test_the_rate_of_the_entrys_own_amount_details_is_kept() -> None:
    result = read_sample("camt052_sepa_file_parser_entry_exchange_rate.xml", "camt")
    (tx,) = result.transactions
    # sepa_file_parser: 318.91 CHF booked, 350 EUR sent, rate 0.91116 from EUR to CHF
    assert (tx.amount, tx.currency) == (Decimal("318.91"), "CHF")
    assert (tx.raw["foreign_amount"], tx.raw["foreign_currency"]) == ("350", "EUR")
    assert (
        tx.raw["exchange_rate"],
        tx.raw["exchange_source_currency"],
        tx.raw["exchange_target_currency"],
    ) == ("0.91116", "EUR", "CHF")
    assert tx.payer_name == "Herr Debitor"


def test_a_collective_credit_keeps_the_entrys_charges_beside_each_payment() -> None:
    result = read_sample("camt053_camt_parser_postfinance_collective.xml", "camt")
    ten = [t for t in result.transactions if t.raw["entry"] == "1.1"]
    assert len(ten) == 10
    assert sum((t.amount for t in ten), Decimal(0)) == Decimal("1000.00")
    # camt_parser: its first transaction is 100 CHF with creditor reference
    # "CreditorReference"; the entry's charges total 5.2
    first = ten[0]
    assert (first.amount, first.currency, first.reference) == (
        Decimal("100.00"),
        "CHF",
        "CreditorReference",
    )
    assert {(t.raw["entry_charges"], t.raw["entry_charges_currency"]) for t in ten} == {
        ("5.20", "CHF")
    }
    # each payment's own charges stay its own; the entry's total is not added to any of them
    assert [t.raw["charges"] for t in ten[:5]] == ["1.24", None, None, "0.94", "1.24"]


def test_a_payment_of_a_collective_credit_has_only_its_own_text() -> None:
    result = read_sample("camt053_camt_parser_postfinance_collective.xml", "camt")
    # a payment of a collective credit that wrote nothing has no reference of its own; the
    # entry's text stays the entry's
    eight = [t for t in result.transactions if t.raw["entry"] == "1.2"]
    assert len(eight) == 8
    plain = eight[3]
    assert (plain.amount, plain.payer_name, plain.reference) == (
        Decimal("100.00"),
        "Bernasconi Maria",
        "",
    )
    assert plain.raw["additional_entry_info"] == (
        "SAMMELGUTSCHRIFT ES VERARBEITUNG VOM 27.05.2016 PAKET ID: 160527CH000000R2"
    )
    assert [t.reference for t in eight[:2]] == ["MUSTER MITTEILUNG", "MUSTER MITTEILUNG"]


def test_transfers_of_ours_returned_come_back_from_their_payee() -> None:
    result = read_sample("camt053_camt_parser_postfinance_collective.xml", "camt")
    # "BEGUENSTIGTER UNBEKANNT": the payee we tried to pay is named as the debtor of the
    # money coming back
    returned = [t for t in result.transactions if t.raw["entry"] == "1.3"]
    assert [(t.amount, t.counterparty_name, t.category) for t in returned] == [
        (Decimal("20.00"), "Max Mustermann", "refund"),
        (Decimal("40.00"), "Max Mustermann", "refund"),
        (Decimal("50.00"), "Max Mustermann", "refund"),
    ]


def test_an_entry_without_dates_is_booked_on_the_statements_day() -> None:
    result = read_sample("camt053_iso20022js_bmo_no_entry_dates.xml", "camt")
    (tx,) = result.transactions
    assert (tx.amount, tx.currency, tx.direction, tx.bank_ref) == (
        Decimal("69.69"),
        "USD",
        "credit",
        "9907500157",
    )
    (info,) = result.statements
    assert (info.raw["created"], info.raw["to"]) == (
        "2021-11-23T02:06:16.700",
        "2021-11-22T23:59:59",
    )
    # the statement is for 22 November (FrToDt, every balance); it was made the next night
    assert (tx.booking_date, tx.value_date) == (dt.date(2021, 11, 22), None)
    assert {b.date for b in info.balances} == {dt.date(2021, 11, 22)}
    assert _codes(tx.warnings) == ["camt_period_end_used"]
    assert str(tx.warnings[0]) == (
        "no booking or value date: the last day of the statement's period (2021-11-22) is used"
    )
