"""BAI2 parser: records, continuations, implied decimals, type codes, errors naming the line."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from reconcile.api import parse_bytes
from reconcile.errors import ParseError
from reconcile.model import ParseSettings, Transaction
from reconcile.parsers import bai2, detect


def wrap(accounts: str, *, currency: str = "USD") -> bytes:
    """One file of one group holding ``accounts``, its trailers counting the records as BAI2
    defines: the group's 02 to 98, the file's 01 to 99."""
    group = len(re.findall(r"(?m)^\d\d,", accounts)) + 2
    return (
        "01,BANKID,CUSTID,261103,0800,1,,,2/\n"
        f"02,CUSTID,BANKID,1,261102,2359,{currency},2/\n"
        f"{accounts}"
        f"98,0,1,{group}/\n"
        f"99,0,1,{group + 2}/\n"
    ).encode()


def parse(data: bytes) -> list[Transaction]:
    return bai2.parse(data, "t.bai", ParseSettings())


def test_detail_records() -> None:
    data = wrap(
        "03,123456789,,010,500000,,,015,623450,,/\n"
        "16,195,123450,V,261103,,BR1,CR1,INV-2026-00123 ACME/\n"
        "16,475,1000,Z,BR2,,CHECK 1001/\n"
        "49,1747450,4/\n"
    )
    assert detect(data, "t.bai").FORMAT == "bai2"
    txs, (info,) = bai2.parse_with_statements(data, "t.bai", ParseSettings())
    credit, debit = txs
    assert credit.bank_ref == "BR1"
    assert credit.amount == Decimal("1234.50") and credit.direction == "credit"
    assert credit.currency == "USD"
    assert credit.booking_date == dt.date(2026, 11, 2)
    assert credit.value_date == dt.date(2026, 11, 3)
    assert credit.reference == "CR1 INV-2026-00123 ACME"
    assert credit.our_account == "123456789"
    assert credit.source == "t.bai#line=4"
    assert debit.direction == "debit" and debit.amount == Decimal("10.00")
    assert debit.reference == "CHECK 1001"
    assert info.opening_balance == Decimal("5000.00")
    assert info.closing_balance == Decimal("6234.50")


@pytest.mark.parametrize(("currency", "amount"), [("USD", "1234.50"), ("JPY", "123450"),
                                                  ("KWD", "123.450")])  # fmt: skip
def test_implied_decimals_follow_the_currency(currency: str, amount: str) -> None:
    data = wrap("03,1,,010,0,,/\n16,195,123450,Z,R,,X/\n49,123450,3/\n", currency=currency)
    (tx,) = parse(data)
    assert tx.amount == Decimal(amount) and tx.currency == currency


def test_continuations_of_summary_and_detail() -> None:
    data = wrap(
        "03,1,USD,010,100,,,015/\n"
        "88,200,,/\n"
        "16,195,500,Z,R1,,FIRST PART/\n"
        "88,SECOND, WITH COMMA/\n"
        "88,THIRD/\n"
        "49,800,6/\n"
    )
    txs, (info,) = bai2.parse_with_statements(data, "t.bai", ParseSettings())
    assert info.closing_balance == Decimal("2.00")
    # the text is a 16's last field: an 88 after it continues the text, also when the 16 (or
    # the 88) ended with "/", and adds no comma of a field that cannot follow
    assert txs[0].reference == "FIRST PART SECOND, WITH COMMA THIRD"


def test_continued_text_of_the_specification_and_ministryofjustice_examples() -> None:
    """The specification's 88 example and ministryofjustice/bai2's tests (test_parsers.py:
    ``test_continuation_record`` and ``Bai2FileParserTestCase.test_parse``): a 16 ended by "/"
    takes its next fields from the 88; an 88 after a record that stops inside the text without
    "/" continues that text: after a space, or after a comma where the 88 opens an item of
    its own (``FR:``, ``ENDT:``; moov-io/bai2 joins those with a comma, ministryofjustice with
    a space, which runs the items together)."""
    data = wrap(
        "03,0975312468,GBP,010,500000,,,190,70000000,4,0/\n"
        "16,115,10000000,S,5000000,4000000,1000000/\n"
        "88,AX13612,B096132,AMALGAMATED CORP. LOCKBOX\n"
        "88,DEPOSIT-MISC. RECEIVABLES\n"
        "16,191,001,V,150715,,1234567890,RP12312312312312/\n"
        "88,FR:FP SIP INCOMING\n"
        "88,ENDT:20150715\n"
        "88,TRID:RP12312312312312\n"
        "88,PY:RP1231231231231200                 A1234BC 22/03/66\n"
        "88,BI:22222222\n"
        "88,OB:111111 BUCKINGHAM PALACE OB3:BARCLAYS BANK PLC\n"
        "88,BO:11111111 BO1:DOE JO\n"
        "49,82000000,6/\n",
        currency="GBP",
    )
    lockbox, wire = parse(data)
    assert (lockbox.raw["bank_reference"], lockbox.raw["customer_reference"]) == (
        "AX13612",
        "B096132",
    )
    assert lockbox.raw["text"] == "AMALGAMATED CORP. LOCKBOX DEPOSIT-MISC. RECEIVABLES"
    assert lockbox.amount == Decimal("100000.00") and lockbox.currency == "GBP"
    assert (wire.raw["bank_reference"], wire.raw["customer_reference"]) == (
        "1234567890",
        "RP12312312312312",
    )
    assert wire.value_date == dt.date(2015, 7, 15) and wire.amount == Decimal("0.01")
    assert wire.raw["text"] == (
        "FR:FP SIP INCOMING,ENDT:20150715,TRID:RP12312312312312,"
        "PY:RP1231231231231200                 A1234BC 22/03/66,BI:22222222,"
        "OB:111111 BUCKINGHAM PALACE OB3:BARCLAYS BANK PLC,BO:11111111 BO1:DOE JO"
    )


def test_a_continuation_before_the_text_continues_the_fields() -> None:
    # newline-ended records: the 16 stops after its funds fields, so the 88 holds the next
    # fields (bank and customer reference), not text
    data = wrap(
        "03,1,USD,010,0,,\n16,115,10000000,S,5000000,4000000,1000000\n"
        "88,AX13612,B096132,AMALGAMATED CORP. LOCKBOX\n49,10000000,4\n"
    )
    (tx,) = parse(data)
    assert (tx.bank_ref, tx.raw["customer_reference"]) == ("AX13612", "B096132")
    assert tx.raw["text"] == "AMALGAMATED CORP. LOCKBOX"


def test_trailing_comma_before_a_summary_continuation() -> None:
    # "...,015,2843050,,,/" ends with one empty field more than its last summary needs; the 88
    # starts the next summary, which must not shift by that stray field
    data = wrap(
        "03,7730051842,USD,010,2400000,,,015,2843050,,,/\n"
        "88,040,2100000,,,045,2843050,,,/\n"
        "88,100,512300,1,,400,69250,1,/\n"
        "16,208,512300,0,WT1,,HARBOUR FREIGHT/\n"
        "16,475,69250,0,CHK1,1207,CHECK PAID/\n"
        "49,0,6/\n"
    )
    result = parse_bytes(data, "t.bai", ParseSettings())[0]
    assert result.error is None and result.warnings == []
    (info,) = result.statements
    assert info.raw["summaries"] == [
        ("010", "2400000", ""),
        ("015", "2843050", ""),
        ("040", "2100000", ""),
        ("045", "2843050", ""),
        ("100", "512300", "1"),
        ("400", "69250", "1"),
    ]
    assert info.opening_balance == Decimal("24000.00")
    assert info.closing_balance == Decimal("28430.50")


def test_newline_terminated_records_with_slashes_in_text() -> None:
    data = wrap(
        "03,1,USD,,,,,060,100,,\n"
        "16,447,60000,,SPB1,AB/GS/0001,ACH Payment, Ref: 08/18/23 Invoice\n"
        "88,EREF: AB/GS/0001\n"
        "49,60100,4\n"
    )
    (tx,) = parse(data)
    assert tx.raw["customer_reference"] == "AB/GS/0001"
    # the 16 stops inside its text without "/": the 88 continues that text
    assert tx.raw["text"] == "ACH Payment, Ref: 08/18/23 Invoice,EREF: AB/GS/0001"
    assert tx.amount == Decimal("600.00") and tx.direction == "debit"


def test_several_records_on_one_line_and_wrapped_text() -> None:
    data = wrap(
        "03,1,,010,0,,/ 16,142,2500,Z,,,TRANSFER PAYPAL PPD/ 16,142,500,Z,,,TRANSFER MSPBNA\n"
        "BANK PPD/\n"
        "49,3000,4/\n"
    )
    first, second = parse(data)
    assert first.amount == Decimal("25.00") and first.reference == "TRANSFER PAYPAL PPD"
    assert second.reference == "TRANSFER MSPBNA BANK PPD"
    assert first.bank_ref != second.bank_ref  # no bank reference: unique stand-ins


def test_funds_type_distribution_fields_are_skipped() -> None:
    data = wrap("03,1,,010,0,,/\n16,195,3000,D,2,0,1000,1,2000,BR9,,SPLIT/\n49,3000,3/\n")
    (tx,) = parse(data)
    assert tx.bank_ref == "BR9" and tx.reference == "SPLIT"


def test_multiple_groups() -> None:
    group = "02,C,B,1,261102,,USD,2/\n03,1,,010,0,,/\n16,195,100,Z,R,,X/\n49,100,3/\n98,100,1,5/\n"
    data = ("01,B,C,261103,0800,1,,,2/\n" + group + group + "99,200,2,12/\n").encode()
    assert len(parse(data)) == 2


def test_non_monetary_type_code_is_a_warning_naming_the_line() -> None:
    data = wrap("03,1,,010,0,,/\n16,890,100,Z,R,,INFO/\n16,195,250,Z,R2,,X/\n49,350,4/\n")
    (result,) = parse_bytes(data, "x.bai", ParseSettings())
    assert result.error is None
    assert [tx.amount for tx in result.transactions] == [Decimal("2.50")]
    assert result.warnings == ["line 4: type code 890 (non-monetary information): left out"]


def test_bad_amount_names_the_line() -> None:
    data = wrap("03,1,,010,0,,/\n16,195,12a50,Z,R,,X/\n49,100,3/\n")
    with pytest.raises(ParseError, match=r"line 4: amount '12a50' is not a whole number"):
        parse(data)


def test_bad_amount_or_value_date_costs_the_entry_or_the_value_not_the_file() -> None:
    data = wrap(
        "03,1,,010,0,,/\n16,195,12a50,Z,R1,,X/\n16,195,100,V,261341,,R2,,Y/\n"
        "16,195,250,Z,R3,,Z/\n49,350,5/\n"
    )
    (result,) = parse_bytes(data, "x.bai", ParseSettings())
    assert result.error is None
    assert [(tx.bank_ref, tx.amount, tx.value_date) for tx in result.transactions] == [
        ("R2", Decimal("1.00"), None),
        ("R3", Decimal("2.50"), None),
    ]
    assert result.warnings == [
        "line 4: amount '12a50' is not a whole number of minor units; the entry is left out, the "
        "rest of the file is read",
        "line 5: value date '261341' is not a YYMMDD date; the value date is left out",
    ]


def test_truncated_file() -> None:
    data = wrap("03,1,,010,0,,/\n16,195,100,Z,R,,X/\n49,100,3/\n")
    with pytest.raises(ParseError, match="no 99 file trailer"):
        parse(data[: data.index(b"98,")])


def test_detail_outside_an_account() -> None:
    data = wrap("16,195,100,Z,R,,X/\n")
    with pytest.raises(ParseError, match=r"line 3: 16 detail record outside an account"):
        parse(data)


def test_file_must_start_with_a_header() -> None:
    with pytest.raises(ParseError, match=r"line 1: a BAI2 file starts with a 01"):
        parse(b"00,0004,1/2/345,06/0321,0829,001,80,1,2/\n")


def test_any_record_may_be_continued() -> None:
    """stechstudio/bai2's MultilineParserTest continues the 01 file header on 88 records
    (``01,SENDR1,RECVR1/`` + ``88,210616,1700/`` + ``88,01,80,10,2/``) and a detail across
    its funds-type fields into its text; a group header may be continued the same way."""
    data = (
        b"01,SENDR1,RECVR1/\n88,210616,1700/\n88,01,80,10,2/\n"
        b"02,RECVR1,SENDR1,1/\n88,210615,2400,USD,2/\n"
        b"03,1234,USD,010,500,,/\n16,115,10000,D/\n88,3,1,1000,5,10000,30/\n"
        b"88,25000,123456789,987654321,The following\n"
        b"88,character is, of all the path separation \n"
        b"88,characters I have ever used, my absolute favorite:/\n"
        b"49,10500,5/\n98,10500,1,7/\n99,10500,1,9/\n"
    )
    assert detect(data, "sts.bai") is bai2
    txs, (info,) = bai2.parse_with_statements(data, "sts.bai", ParseSettings())
    (tx,) = txs
    assert (tx.amount, tx.currency, tx.direction) == (Decimal("100.00"), "USD", "credit")
    assert tx.booking_date == dt.date(2021, 6, 15)
    assert (tx.bank_ref, tx.raw["customer_reference"]) == ("123456789", "987654321")
    assert tx.raw["text"] == (
        "The following character is, of all the path separation characters I have ever used, "
        "my absolute favorite:"
    )
    assert info.raw["sender"] == "SENDR1" and info.raw["file_created_date"] == "210616"
