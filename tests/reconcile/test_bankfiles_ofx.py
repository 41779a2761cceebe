"""OFX as converters and banks write it beyond the corpus: empty XML elements, other currencies.

The files here are our own, written after the shapes of real ones: ofxstatement (the converter
many banks' CSV and camt exports go through on their way to an OFX) writes its OFX as XML with
every empty field as an empty element (``<DTSTART/>``, ``<BALAMT/>``) and a transaction in a
currency other than the statement's inside ``<CURRENCY>``, with the original currency of a
converted amount in ``<ORIG_CURRENCY>`` (see its ``tests/test_ofx.py``, GPL, so not copied).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from reconcile.api import parse_bytes
from reconcile.model import ParseResult, ParseSettings
from tests.reconcile.test_ofx import SGML_HEADER

# the shape ofxstatement's OfxWriter writes: an XML declaration, the OFX 1.x header inside a
# comment, closing tags everywhere and empty elements for what the source did not give
WRITER_OUTPUT = b"""<?xml version="1.0" ?>
<!--
OFXHEADER:100
DATA:OFXSGML
VERSION:102
SECURITY:NONE
ENCODING:UTF-8
CHARSET:NONE
COMPRESSION:NONE
OLDFILEUID:NONE
NEWFILEUID:NONE
-->
<OFX>
    <SIGNONMSGSRSV1>
        <SONRS>
            <STATUS>
                <CODE>0</CODE>
                <SEVERITY>INFO</SEVERITY>
            </STATUS>
            <DTSERVER>20261201000000</DTSERVER>
            <LANGUAGE>ENG</LANGUAGE>
        </SONRS>
    </SIGNONMSGSRSV1>
    <BANKMSGSRSV1>
        <STMTTRNRS>
            <TRNUID>0</TRNUID>
            <STATUS>
                <CODE>0</CODE>
                <SEVERITY>INFO</SEVERITY>
            </STATUS>
            <STMTRS>
                <CURDEF>EUR</CURDEF>
                <BANKACCTFROM>
                    <BANKID>HABALT22</BANKID>
                    <ACCTID>LT607300010012345678</ACCTID>
                    <ACCTTYPE>CHECKING</ACCTTYPE>
                </BANKACCTFROM>
                <BANKTRANLIST>
                    <DTSTART/>
                    <DTEND/>
                    <STMTTRN>
                        <TRNTYPE>CREDIT</TRNTYPE>
                        <DTPOSTED>20261103</DTPOSTED>
                        <TRNAMT>1250.00</TRNAMT>
                        <FITID>2026110300001</FITID>
                        <NAME>UAB Medienos Prekyba</NAME>
                        <MEMO>INV-2026-0417</MEMO>
                        <BANKACCTTO>
                            <BANKID>CBVILT2X</BANKID>
                            <ACCTID>LT121000011101001000</ACCTID>
                            <ACCTTYPE>CHECKING</ACCTTYPE>
                        </BANKACCTTO>
                    </STMTTRN>
                    <STMTTRN>
                        <TRNTYPE>DEBIT</TRNTYPE>
                        <DTPOSTED>20261104</DTPOSTED>
                        <TRNAMT>-300.00</TRNAMT>
                        <FITID>2026110400002</FITID>
                        <MEMO>Supplier invoice 88</MEMO>
                        <CURRENCY>
                            <CURSYM>USD</CURSYM>
                        </CURRENCY>
                    </STMTTRN>
                    <STMTTRN>
                        <TRNTYPE>DEBIT</TRNTYPE>
                        <DTPOSTED>20261105</DTPOSTED>
                        <TRNAMT>-92.40</TRNAMT>
                        <FITID>2026110500003</FITID>
                        <MEMO>Card payment</MEMO>
                        <ORIG_CURRENCY>
                            <CURSYM>PLN</CURSYM>
                            <CURRATE>0.231</CURRATE>
                        </ORIG_CURRENCY>
                    </STMTTRN>
                </BANKTRANLIST>
                <LEDGERBAL>
                    <BALAMT/>
                    <DTASOF/>
                </LEDGERBAL>
            </STMTRS>
        </STMTTRNRS>
    </BANKMSGSRSV1>
</OFX>
"""


def _parse(data: bytes) -> ParseResult:
    (result,) = parse_bytes(data, "converted.ofx", ParseSettings())
    assert result.error is None, result.error
    assert result.format == "ofx"
    return result


def test_empty_xml_elements_do_not_swallow_the_transactions() -> None:
    # before, <DTSTART/> was read as text of BANKTRANLIST, which then ended before its first
    # STMTTRN: the file gave no transactions and said nothing
    result = _parse(WRITER_OUTPUT)
    assert [t.bank_ref for t in result.transactions] == [
        "2026110300001",
        "2026110400002",
        "2026110500003",
    ]
    first = result.transactions[0]
    assert (first.booking_date, first.direction, first.amount) == (
        dt.date(2026, 11, 3),
        "credit",
        Decimal("1250.00"),
    )
    assert first.payer_name == "UAB Medienos Prekyba"
    assert first.payer_account == "LT121000011101001000"
    assert first.reference == "INV-2026-0417"
    (info,) = result.statements
    # an empty <BALAMT/> is no balance, and no reason to refuse
    assert info.closing_balance is None and info.raw["start"] is None


def test_an_amount_in_another_currency_keeps_that_currency() -> None:
    # <CURRENCY>: the amount is in that currency, not in CURDEF (OFX 2.2, STMTTRN)
    in_usd = _parse(WRITER_OUTPUT).transactions[1]
    assert (in_usd.amount, in_usd.currency) == (Decimal("300.00"), "USD")
    assert in_usd.warnings == ["transaction in USD, statement in EUR"]


def test_a_converted_amount_stays_in_the_statement_currency() -> None:
    # <ORIGCURRENCY> (ofxstatement: <ORIG_CURRENCY>): converted into CURDEF, only noted
    converted = _parse(WRITER_OUTPUT).transactions[2]
    assert (converted.amount, converted.currency) == (Decimal("92.40"), "EUR")
    assert converted.warnings == []
    assert converted.raw["original_currency"] == "PLN"
    assert converted.raw["original_currency_rate"] == "0.231"


def test_spec_origcurrency_is_read_too() -> None:
    data = WRITER_OUTPUT.replace(b"ORIG_CURRENCY>", b"ORIGCURRENCY>")
    converted = _parse(data).transactions[2]
    assert (converted.currency, converted.raw["original_currency"]) == ("EUR", "PLN")


CARD = (
    SGML_HEADER.encode()
    + b"""<OFX>
<SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS><DTSERVER>20261201120000[0:GMT]
<LANGUAGE>ENG<INTU.BID>10898</SONRS></SIGNONMSGSRSV1>
<CREDITCARDMSGSRSV1><CCSTMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>
<CCSTMTRS><CURDEF>AUD<CCACCTFROM><ACCTID>5520000011112222</CCACCTFROM>
<BANKTRANLIST><DTSTART>20261101<DTEND>20261130
<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20261103120000[0:GMT]<TRNAMT>-42.10<FITID>
<NAME>OFFICEWORKS 0341</STMTTRN>
</BANKTRANLIST>
<LEDGERBAL><BALAMT>-42.10<DTASOF>20261130</LEDGERBAL>
</CCSTMTRS>
</CCSTMTTRNRS></CREDITCARDMSGSRSV1>
</OFX>
"""
)


def test_a_root_tag_written_with_a_space_is_read() -> None:
    # a bank's QFX with "<OFX >" (reported to Actual Budget, actualbudget/actual#5203) was
    # refused as "not an OFX file"
    for data in (CARD.replace(b"<OFX>", b"<OFX >"), CARD.replace(b"</OFX>", b"</OFX >")):
        (tx,) = _parse(data).transactions
        assert (tx.amount, tx.direction, tx.currency) == (Decimal("42.10"), "debit", "AUD")


def test_a_card_statement_closed_as_a_bank_statement_is_read() -> None:
    # Commonwealth Bank of Australia closes <CCSTMTRS> with </STMTRS> and leaves FITID empty
    # (buckets/application#336, #378)
    result = _parse(CARD.replace(b"</CCSTMTRS>", b"</STMTRS>"))
    (tx,) = result.transactions
    assert tx.payee_name == "OFFICEWORKS 0341" and tx.booking_date == dt.date(2026, 11, 3)
    assert tx.bank_ref  # a stable stand-in for the empty FITID
    (info,) = result.statements
    assert (info.account, info.closing_balance) == ("5520000011112222", Decimal("-42.10"))


def test_downloads_collated_into_one_file_are_all_read() -> None:
    # banks' sites collate several months' QFX into one file, each with its own header and
    # OFX aggregate (actualbudget/actual#1884): the second month was dropped without a word
    december = CARD.replace(b"20261103", b"20261203").replace(b"-42.10<FITID>", b"-7.50<FITID>")
    result = _parse(CARD + december)
    assert [(t.booking_date, t.amount) for t in result.transactions] == [
        (dt.date(2026, 11, 3), Decimal("42.10")),
        (dt.date(2026, 12, 3), Decimal("7.50")),
    ]
    assert len(result.statements) == 2
    # a second download cut off before its </OFX> still refuses the file
    (cut,) = parse_bytes(CARD + december[: december.rindex(b"</OFX>")], "cut.qfx", ParseSettings())
    assert cut.error is not None and "truncated" in cut.error


def _card_with(transactions: bytes) -> bytes:
    start = CARD.index(b"<STMTTRN>")
    end = CARD.index(b"</BANKTRANLIST>")
    return CARD[:start] + transactions + CARD[end:]


def test_the_banks_corrections_replace_or_delete_what_they_name() -> None:
    # CORRECTFITID/CORRECTACTION: a REPLACE stands in for the transaction it names; a DELETE
    # withdraws it and moves no money itself. Before, both the original and its correction
    # were read, counting the payment twice.
    data = _card_with(
        b"<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20261103<TRNAMT>-42.10<FITID>A1<NAME>OFFICEWORKS"
        b"</STMTTRN>"
        b"<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20261103<TRNAMT>-24.10<FITID>A2<CORRECTFITID>A1"
        b"<CORRECTACTION>REPLACE<NAME>OFFICEWORKS</STMTTRN>"
        b"<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20261105<TRNAMT>-9.99<FITID>B1<NAME>STREAMING"
        b"</STMTTRN>"
        b"<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20261106<TRNAMT>-9.99<FITID>B2<CORRECTFITID>B1"
        b"<CORRECTACTION>DELETE<NAME>STREAMING</STMTTRN>"
        b"<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20261107<TRNAMT>5.00<FITID>C2<CORRECTFITID>C1"
        b"<CORRECTACTION>DELETE<NAME>REFUND</STMTTRN>"
    )
    result = _parse(data)
    assert [(t.bank_ref, t.amount) for t in result.transactions] == [("A2", Decimal("24.10"))]
    (info,) = result.statements
    assert info.transaction_count == 1
    assert [str(w) for w in info.raw["warnings"]] == [
        "statement 1: transaction A1 left out: the bank's correction A2 replaces it",
        "statement 1: transaction B1 left out: the bank's correction B2 deletes it",
        "statement 1: the bank's correction C2 replaces or deletes transaction C1, which is not "
        "in this file: check it where an earlier download was imported",
    ]


def test_a_transaction_replacing_itself_is_read_once() -> None:
    # ledger-autosync's fixtures: <FITID>201409206 <CORRECTFITID>201409206 REPLACE
    data = _card_with(
        b"<STMTTRN><TRNTYPE>PAYMENT<DTPOSTED>20261103<TRNAMT>-58.73<FITID>201409206"
        b"<CORRECTFITID>201409206<CORRECTACTION>REPLACE<NAME>TRADER JOE'S #541</STMTTRN>"
    )
    result = _parse(data)
    (tx,) = result.transactions
    assert (tx.bank_ref, tx.amount, tx.payee_name) == (
        "201409206",
        Decimal("58.73"),
        "TRADER JOE'S #541",
    )
    assert result.statements[0].raw["warnings"] == []


def test_a_zero_amount_written_negative_stays_a_debit() -> None:
    # ledger-autosync's comments.ofx: <TRNTYPE>DEBIT <TRNAMT>-0
    data = _card_with(
        b"<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20261103<TRNAMT>-0<FITID>Z1<NAME>VOIDED</STMTTRN>"
        b"<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20261103<TRNAMT>0.00<FITID>Z2<NAME>NIL</STMTTRN>"
    )
    debit, credit = _parse(data).transactions
    assert (debit.amount, debit.direction) == (Decimal("0"), "debit")
    assert (credit.amount, credit.direction) == (Decimal("0.00"), "credit")


def test_a_transaction_outside_the_transaction_list_is_read() -> None:
    # a STMTTRN that stands beside BANKTRANLIST rather than in it (a list closed too early)
    # was dropped without a word
    trn_start, list_end = CARD.index(b"<STMTTRN>"), CARD.index(b"</BANKTRANLIST>")
    trn = CARD[trn_start:list_end]
    moved = CARD[:trn_start] + b"</BANKTRANLIST>" + trn + CARD[list_end + len(b"</BANKTRANLIST>") :]
    assert moved.index(b"</BANKTRANLIST>") < moved.index(b"<STMTTRN>")
    (tx,) = _parse(moved).transactions
    assert (tx.amount, tx.payee_name) == (Decimal("42.10"), "OFFICEWORKS 0341")
