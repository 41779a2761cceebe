"""OFX/QFX parser: SGML and XML flavours and the quirks real banks produce."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from reconcile.errors import ParseError
from reconcile.model import ParseSettings, Transaction
from reconcile.parsers import detect, ofx

SGML_HEADER = """OFXHEADER:100
DATA:OFXSGML
VERSION:102
SECURITY:NONE
ENCODING:USASCII
CHARSET:1252
COMPRESSION:NONE
OLDFILEUID:NONE
NEWFILEUID:NONE

"""
XML_HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<?OFX OFXHEADER="200" VERSION="211" SECURITY="NONE" OLDFILEUID="NONE" NEWFILEUID="NONE"?>
"""


def sgml_statement(transactions: str, *, curdef: str = "USD", acct: str = "9100") -> str:
    return f"""<STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>
<STMTRS><CURDEF>{curdef}
<BANKACCTFROM><BANKID>121099999<ACCTID>{acct}<ACCTTYPE>CHECKING</BANKACCTFROM>
<BANKTRANLIST><DTSTART>20261101<DTEND>20261130
{transactions}
</BANKTRANLIST>
<LEDGERBAL><BALAMT>1500.25<DTASOF>20261130120000.000[-5:EST]</LEDGERBAL>
</STMTRS></STMTTRNRS>"""


def sgml(statements: str) -> bytes:
    return (SGML_HEADER + f"<OFX><BANKMSGSRSV1>{statements}</BANKMSGSRSV1></OFX>\n").encode()


def trn(amount: str = "1234.50", date: str = "20261103", fitid: str = "F1", extra: str = "") -> str:
    return (
        f"<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>{date}<TRNAMT>{amount}<FITID>{fitid}"
        f"<NAME>ACME TRADING<MEMO>INV-2026-00123{extra}</STMTTRN>"
    )


def parse(data: bytes, **settings: Any) -> list[Transaction]:
    return ofx.parse(data, "t.ofx", ParseSettings(**settings))


def test_sgml_statement() -> None:
    data = sgml(sgml_statement(trn() + trn("-20.00", fitid="F2")))
    assert detect(data, "t.ofx").FORMAT == "ofx"
    credit, debit = parse(data)
    assert credit.bank_ref == "F1"
    assert credit.amount == Decimal("1234.50") and credit.direction == "credit"
    assert credit.payer_name == "ACME TRADING" and credit.payee_name is None
    assert credit.reference == "INV-2026-00123"
    assert credit.currency == "USD" and credit.our_account == "9100"
    assert credit.booking_date == dt.date(2026, 11, 3)
    assert debit.direction == "debit" and debit.amount == Decimal("20.00")
    assert debit.payee_name == "ACME TRADING" and debit.payer_name is None


def test_xml_statement_with_cdata_and_entities() -> None:
    body = """<OFX><BANKMSGSRSV1><STMTTRNRS><TRNUID>1</TRNUID>
<STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY></STATUS>
<STMTRS><CURDEF>AUD</CURDEF><BANKACCTFROM><BANKID>S</BANKID><ACCTID>77</ACCTID>
<ACCTTYPE>CHECKING</ACCTTYPE></BANKACCTFROM><BANKTRANLIST>
<STMTTRN><TRNTYPE>DEBIT</TRNTYPE><DTPOSTED>20131215</DTPOSTED><TRNAMT>-16.85</TRNAMT>
<FITID>1</FITID><NAME><![CDATA[ALDI <STORE>  ]]></NAME><MEMO>A &amp; B</MEMO></STMTTRN>
</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>"""
    (tx,) = parse((XML_HEADER + body).encode())
    assert tx.payee_name == "ALDI <STORE>"
    assert tx.reference == "A & B"
    assert tx.currency == "AUD"


def test_whole_body_on_one_line_after_blank_lines() -> None:
    data = b"\n\n\n" + sgml(sgml_statement(trn())).replace(b"\n", b"")
    (tx,) = parse(data)
    assert tx.amount == Decimal("1234.50")


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("20261103", 3),
        ("20261103235959.000[-5:EST]", 3),  # late evening in New York: still the 3rd
        ("20261103233000[-3:GMT]", 3),
        ("20261103093914:014", 3),
        ("202611030000", 3),
        ("20261103T233000Z", 3),  # ISO 8601 basic, as some generators write it
    ],
)
def test_dates_keep_the_banks_day(text: str, day: int) -> None:
    (tx,) = parse(sgml(sgml_statement(trn(date=text))))
    assert tx.booking_date == dt.date(2026, 11, day)


def test_decimal_comma() -> None:
    (tx,) = parse(sgml(sgml_statement(trn("-200,00"))))
    assert tx.amount == Decimal("200.00") and tx.direction == "debit"


@pytest.mark.parametrize(
    ("text", "amount"),
    [("-1.006,60", "-1006.60"), ("-1,006.60", "-1006.60"), ("+12.345.678,9", "12345678.9")],
)
def test_digit_grouping_with_the_other_symbol(text: str, amount: str) -> None:
    (tx,) = parse(sgml(sgml_statement(trn(text))))
    assert tx.amount == abs(Decimal(amount))
    assert tx.direction == ("debit" if amount.startswith("-") else "credit")


@pytest.mark.parametrize("text", ["1.006.60", "1,00,600.50", "1.0060,5"])
def test_grouping_that_is_not_in_threes_is_refused(text: str) -> None:
    with pytest.raises(ParseError, match="is not a number"):
        parse(sgml(sgml_statement(trn(text, fitid="G1"))))


def test_null_amount_entry_is_left_out_with_a_warning() -> None:
    data = sgml(sgml_statement(trn() + trn("null", fitid="RATE1") + trn("-null", fitid="RATE2")))
    txs, (info,) = ofx.parse_with_statements(data, "t.ofx", ParseSettings())
    assert [t.bank_ref for t in txs] == ["F1"]
    assert info.raw["warnings"] == [
        "transaction 1.2 (FITID RATE1): transaction whose amount is 'null' (no money moved): "
        "left out",
        "transaction 1.3 (FITID RATE2): transaction whose amount is 'null' (no money moved): "
        "left out",
    ]


def test_several_statements() -> None:
    data = sgml(sgml_statement(trn()) + sgml_statement(trn(fitid="F9"), acct="9200"))
    txs, infos = ofx.parse_with_statements(data, "t.ofx", ParseSettings())
    assert [t.our_account for t in txs] == ["9100", "9200"]
    assert [i.closing_balance for i in infos] == [Decimal("1500.25")] * 2
    assert infos[0].closing_date == dt.date(2026, 11, 30)


def test_server_error_status() -> None:
    data = (
        XML_HEADER + "<OFX><BANKMSGSRSV1><STMTTRNRS><TRNUID>1</TRNUID><STATUS><CODE>2000</CODE>"
        "<SEVERITY>ERROR</SEVERITY><MESSAGE>General Server Error</MESSAGE></STATUS>"
        "</STMTTRNRS></BANKMSGSRSV1></OFX>"
    ).encode()
    with pytest.raises(ParseError, match=r"returned error 2000 \(General Server Error\)"):
        parse(data)


def test_transaction_without_date_is_left_out_naming_it() -> None:
    bad = "<STMTTRN><TRNTYPE>OTHER<TRNAMT>-80.00<FITID>184997056<NAME>X</STMTTRN>"
    data = sgml(sgml_statement(trn() + bad + trn("-20.00", fitid="F2")))
    txs, (info,) = ofx.parse_with_statements(data, "t.ofx", ParseSettings())
    assert [tx.bank_ref for tx in txs] == ["F1", "F2"]
    (warning,) = info.raw["warnings"]
    assert warning.code == "entry_left_out"
    assert warning.startswith("transaction 1.2 (FITID 184997056): transaction without DTPOSTED")
    with pytest.raises(ParseError, match=r"transaction 1.1 \(FITID 184997056\).*DTPOSTED"):
        parse(sgml(sgml_statement(bad)))


def test_dollar_amount_names_the_transaction() -> None:
    with pytest.raises(ParseError, match=r"\(FITID F7\): amount '\$120' is not a number"):
        parse(sgml(sgml_statement(trn("$120", fitid="F7"))))


def test_empty_currency_needs_a_default() -> None:
    data = sgml(sgml_statement(trn(), curdef=""))
    with pytest.raises(ParseError, match="empty CURDEF"):
        parse(data)
    assert parse(data, default_currency="AUD")[0].currency == "AUD"


def test_empty_fitid_gets_a_stable_unique_stand_in() -> None:
    txs = parse(sgml(sgml_statement(trn(fitid="") + trn(fitid=""))))
    assert txs[0].bank_ref == "9100/2026-11-03/1.1"
    assert txs[1].bank_ref == "9100/2026-11-03/1.2"


def test_truncated_file_is_refused() -> None:
    data = sgml(sgml_statement(trn()))
    with pytest.raises(ParseError, match="truncated"):
        parse(data[: len(data) // 2])


def test_bank_transactions_inside_an_investment_statement() -> None:
    body = """<OFX><INVSTMTMSGSRSV1><INVSTMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>
<INVSTMTRS><DTASOF>20120801<CURDEF>USD<INVACCTFROM><BROKERID>fidelity.com<ACCTID>X1</INVACCTFROM>
<INVTRANLIST><DTSTART>20120701<DTEND>20120801
<INVBANKTRAN><STMTTRN><TRNTYPE>CHECK<DTPOSTED>20120720000000.000[-4:EDT]
<TRNAMT>-00000000001500.0000<FITID>X01<NAME>Check Paid #1001</STMTTRN>
<SUBACCTFUND>CASH</INVBANKTRAN>
</INVTRANLIST></INVSTMTRS></INVSTMTTRNRS></INVSTMTMSGSRSV1></OFX>"""
    (tx,) = parse((SGML_HEADER + body).encode())
    assert tx.amount == Decimal("1500.0000") and tx.direction == "debit"
    assert tx.booking_date == dt.date(2012, 7, 20)
    assert tx.our_account == "X1"


def test_every_transaction_list_of_a_statement_is_read() -> None:
    # an export that gives each transaction its own BANKTRANLIST inside one STMTRS (as
    # Odoo's OFX test files do): the closing balance only adds up with all of them
    lists = "".join(
        f"<BANKTRANLIST><DTSTART>20261101<DTEND>20261130{trn(amount, fitid=fitid)}</BANKTRANLIST>"
        for amount, fitid in (("-45.00", "L1"), ("300.00", "L2"), ("-12.30", "L3"))
    )
    body = f"""<STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>
<STMTRS><CURDEF>EUR<BANKACCTFROM><BANKID>30004<ACCTID>5566<ACCTTYPE>CHECKING</BANKACCTFROM>
{lists}<LEDGERBAL><BALAMT>1242.70<DTASOF>20261130</LEDGERBAL></STMTRS></STMTTRNRS>"""
    txs, (info,) = ofx.parse_with_statements(sgml(body), "t.ofx", ParseSettings())
    assert [t.bank_ref for t in txs] == ["L1", "L2", "L3"]
    assert info.transaction_count == 3
    assert info.raw["start"] == "20261101" and info.raw["end"] == "20261130"


INVESTMENT = """<OFX><INVSTMTMSGSRSV1><INVSTMTTRNRS><TRNUID>7<STATUS><CODE>0<SEVERITY>INFO</STATUS>
<INVSTMTRS><DTASOF>20261130<CURDEF>USD<INVACCTFROM><BROKERID>broker.example<ACCTID>B-42</INVACCTFROM>
<INVTRANLIST><DTSTART>20261101<DTEND>20261130
<BUYMF><INVBUY><INVTRAN><FITID>T1<DTTRADE>20261105</INVTRAN><SECID><UNIQUEID>999999999
<UNIQUEIDTYPE>CUSIP</SECID><UNITS>10<UNITPRICE>25.00<TOTAL>-250.00<SUBACCTSEC>CASH
<SUBACCTFUND>CASH</INVBUY><BUYTYPE>BUY</BUYMF>
<SELLSTOCK><INVSELL><INVTRAN><FITID>T2<DTTRADE>20261106</INVTRAN><SECID><UNIQUEID>888888888
<UNIQUEIDTYPE>CUSIP</SECID><UNITS>-5<UNITPRICE>40.00<TOTAL>200.00<SUBACCTSEC>CASH
<SUBACCTFUND>CASH</INVSELL><SELLTYPE>SELL</SELLSTOCK>
{bank}
</INVTRANLIST></INVSTMTRS></INVSTMTTRNRS></INVSTMTMSGSRSV1></OFX>"""


def test_investment_statement_without_cash_movements_is_refused() -> None:
    data = (SGML_HEADER + INVESTMENT.format(bank="")).encode()
    with pytest.raises(ParseError, match=r"t.ofx: investment statement without bank trans"):
        parse(data)
    with pytest.raises(ParseError) as caught:
        parse(data)
    coded = caught.value.problem
    assert coded is not None and coded.code == "ofx_investment_only"
    assert coded.params["count"] == "2"


def test_investment_statement_reads_its_bank_part_and_says_what_it_left_out() -> None:
    bank = (
        "<INVBANKTRAN><STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20261110<TRNAMT>750.00<FITID>C1"
        "<NAME>WIRE FROM ACME</STMTTRN><SUBACCTFUND>CASH</INVBANKTRAN>"
    )
    data = (SGML_HEADER + INVESTMENT.format(bank=bank)).encode()
    txs, (info,) = ofx.parse_with_statements(data, "t.ofx", ParseSettings())
    (tx,) = txs
    assert (tx.bank_ref, tx.amount, tx.direction) == ("C1", Decimal("750.00"), "credit")
    assert info.raw["warnings"] == [
        "statement 1: 2 security transactions (BUYMF, SELLSTOCK) left out: only the "
        "investment account's bank transactions (INVBANKTRAN) are read"
    ]


def test_utf16_file_with_a_byte_order_mark() -> None:
    text = sgml(sgml_statement(trn(extra=" – café"))).decode()
    data = text.encode("utf-16")  # Python writes the BOM
    assert detect(data, "t.ofx").FORMAT == "ofx"
    (tx,) = parse(data)
    assert tx.reference == "INV-2026-00123 – café"
