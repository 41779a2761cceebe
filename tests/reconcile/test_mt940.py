"""MT940/MT942 parser: wrappers, structured :86: forms, directions, dates, encodings, limits."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest

from reconcile.errors import LimitExceeded, ParseError
from reconcile.model import ParseSettings, StatementInfo, Transaction
from reconcile.parsers import mt940

SETTINGS = ParseSettings()

SWIFT_TWO_MESSAGES = (
    "{1:F01ABNANL2AAXXX0000000000}{2:O9401200BANKNL2AAXXX00000000000000000000N}{4:\r\n"
    ":20:STMT-1\r\n"
    ":25:NL91ABNA0417164300EUR\r\n"
    ":28C:1/1\r\n"
    ":60F:C261101EUR1000,00\r\n"
    ":61:2611021102C250,00NTRFINV-2026-0042//BANKREF0001\r\n"
    ":86:/EREF/E2E-42//CNTP/NL02RABO0123456789/RABONL2U/ACME TRADING BV/UTRECHT/"
    "/REMI/USTD//Invoice INV-2026-0042/\r\n"
    ":61:2611031103D100,5NTRFNONREF//BANKREF0002\r\n"
    ":86:/CNTP/DE89370400440532013000/COBADEFFXXX/Supplier GmbH/Koeln//REMI/USTD//PO 7/\r\n"
    ":62F:C261103EUR1149,50\r\n"
    "-}{5:{CHK:123456789ABC}}\r\n"
    "{1:F01ABNANL2AAXXX0000000000}{2:O9401200BANKNL2AAXXX00000000000000000000N}{4:\r\n"
    ":20:STMT-2\r\n"
    ":25:NL91ABNA0417164300EUR\r\n"
    ":28C:2/1\r\n"
    ":60F:C261103EUR1149,50\r\n"
    ":61:2611041104RD10,00NTRFNONREF//BANKREF0003\r\n"
    ":86:Reversal of direct debit\r\n"
    ":61:2611041104RC5,00NTRFNONREF//BANKREF0004\r\n"
    ":86:Reversal of credit\r\n"
    ":62F:C261104EUR1154,50\r\n"
    "-}"
)


def _parse(
    text: str | bytes, settings: ParseSettings = SETTINGS
) -> tuple[list[Transaction], list[StatementInfo]]:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return mt940.parse_with_statements(data, "test.sta", settings)


def test_swift_blocks_several_statements_kept_apart() -> None:
    data = SWIFT_TWO_MESSAGES.encode()
    assert mt940.sniff(data, "x.txt")
    txs, statements = _parse(data)
    assert [s.statement_id for s in statements] == ["STMT-1", "STMT-2"]
    first, second = statements
    assert (first.opening_balance, first.closing_balance) == (
        Decimal("1000.00"),
        Decimal("1149.50"),
    )
    assert (second.opening_balance, second.closing_balance) == (
        Decimal("1149.50"),
        Decimal("1154.50"),
    )
    assert first.account == "NL91ABNA0417164300"  # the trailing EUR of :25: is not the account
    assert first.raw["account_identification"] == "NL91ABNA0417164300EUR"
    assert [s.transaction_count for s in statements] == [2, 2]
    assert [tx.bank_ref for tx in txs] == [f"BANKREF000{i}" for i in range(1, 5)]
    # the {5:} trailer and the next message's header belong to no tag
    assert "CHK" not in str(statements[0].balances) and all("{" not in tx.reference for tx in txs)


def test_dutch_structured_details_credit_and_debit() -> None:
    txs, _ = _parse(SWIFT_TWO_MESSAGES)
    credit, debit = txs[0], txs[1]
    assert credit.direction == "credit" and credit.amount == Decimal("250.00")
    assert credit.booking_date == dt.date(2026, 11, 2) and credit.currency == "EUR"
    assert credit.payer_name == "ACME TRADING BV"
    assert credit.payer_account == "NL02RABO0123456789"
    assert credit.payer_bank == "RABONL2U"
    assert credit.reference.startswith("Invoice INV-2026-0042")
    assert credit.raw["end_to_end_ref"] == "E2E-42" and "E2E-42" in credit.reference
    assert credit.raw["customer_reference"] == "INV-2026-0042"
    assert credit.our_account == "NL91ABNA0417164300"
    assert debit.direction == "debit" and debit.amount == Decimal("100.5")
    assert debit.payee_name == "Supplier GmbH" and debit.payee_account == "DE89370400440532013000"
    assert debit.payer_name is None
    assert debit.reference == "PO 7"


def test_reversals() -> None:
    txs, _ = _parse(SWIFT_TWO_MESSAGES)
    rd, rc = txs[2], txs[3]
    # RD reverses a debit: money comes back in; RC reverses a credit: money leaves
    assert (rd.direction, rd.reversal, rd.raw["mark"]) == ("credit", True, "RD")
    assert (rc.direction, rc.reversal, rc.raw["mark"]) == ("debit", True, "RC")
    assert txs[0].reversal is False


GERMAN = """:20:STARTUMS
:25:10020030/1234567
:28C:00001/001
:60F:C261101EUR0,00
:61:2611021102CR1234,56N166NONREF//8327000090031789
:86:166?00GUTSCHRIFT?100399?20EREF+RE-2026-17?21SVWZ+Rechnung RE-2
026-17 vo?22m 01.11.2026?30COBADEFFXXX?31DE02120300000000202051?32M
uster Handels?33gesellschaft mbH
:62F:C261102EUR1234,56
-"""


def test_german_structured_details() -> None:
    (tx,), (info,) = _parse(GERMAN)
    assert tx.direction == "credit" and tx.amount == Decimal("1234.56")
    assert tx.payer_name == "Muster Handelsgesellschaft mbH"
    assert tx.payer_account == "DE02120300000000202051"
    assert tx.payer_bank == "COBADEFFXXX"
    assert tx.reference.startswith("Rechnung RE-2026-17 vom 01.11.2026")
    assert tx.raw["end_to_end_ref"] == "RE-2026-17"
    assert tx.raw["posting_text"] == "GUTSCHRIFT"
    assert tx.bank_ref == "8327000090031789"
    assert info.account == "10020030/1234567" and info.sequence == "00001/001"


def test_triodos_and_free_text() -> None:
    text = (
        ":20:T1\n:25:TRIODOSBANK/0390123456\n:28:1\n:60F:C260101EUR100,00\n"
        ":61:260102C15,70N000NONREF\n:86:000>100987654321\n>20FACTUUR 2026-0099 VAN>21 ONS\n"
        ">310123456789>32JANSEN BV\n"
        ":61:260103D1,NMSCNONREF\n:86:KOSTEN REKENING\nJANUARI 2026\n:62F:C260103EUR114,70\n-\n"
    )
    txs, _ = _parse(text)
    assert txs[0].reference == "FACTUUR 2026-0099 VAN ONS"
    # >10 is the other party's account, >31 the statement's own (zilverline/mt940 and
    # jejik-mt940 both read Triodos so; the real files repeat the :25: account in >31)
    assert txs[0].payer_account == "0987654321" and txs[0].payer_name == "JANSEN BV"
    assert txs[1].reference == "KOSTEN REKENING JANUARI 2026"
    assert txs[1].amount == Decimal("1")


def test_sparkasse_wrapped_amount_and_split_tag_without_currency() -> None:
    text = ":61:1811261126CR\n30,00N062NONREF\n:\n86:166?00GUTSCHR. UEBERWEISUNG?20SVWZ+Test\n"
    (tx,), _ = _parse(text)
    assert tx.amount == Decimal("30.00") and tx.direction == "credit"
    assert tx.reference == "Test"
    assert tx.currency == "" and tx.warnings
    (tx,), _ = _parse(text, ParseSettings(default_currency="EUR"))
    assert tx.currency == "EUR" and not tx.warnings


def test_mt942_with_soh_etx_wrapper() -> None:
    text = (
        "\x01\n:20:ST261102/0001\n:25:PL29114010810000267002001002\n:28C:1/1\n:34F:PLN0\n"
        ":13D:2611021815+0100\n:61:2611021102CN0,01NTRFNONREF//MB261102012058\n911-IPH\n"
        ":86:911 TRANSAKCJA; TNR: 179171073864111.010001\n:90D:0PLN0,00\n:90C:1PLN0,01\n-\x03"
    )
    (tx,), (info,) = _parse(text)
    assert tx.currency == "PLN" and tx.amount == Decimal("0.01")
    assert tx.raw["extra_details"] == "911-IPH"
    assert info.raw["sum_credit_entries"] == {"count": 1, "amount": Decimal("0.01")}
    assert info.opening_balance is None


def test_invalid_dates() -> None:
    feb30 = ":20:X\n:25:1\n:28C:1\n:60F:C160229EUR10,00\n:61:1602300301DR6,00N024NONREF\n:86:fee\n"
    (tx,), _ = _parse(feb30)
    # the mt940 library reads 30 February as the last day of February: kept, but flagged
    assert tx.value_date == dt.date(2016, 2, 29)
    assert tx.warnings == ["value date 160230 is not a calendar date; read as 2016-02-29"]
    april31 = ":20:REF9\n:25:1\n:28C:1\n:60F:C160401EUR10,00\n:61:160401C1,00NTRFNONREF\n" + (
        ":61:160431C6,00N024NONREF\n:86:x\n"
    )
    # a day past its month's end is read as the month's last day, as 30 February and as a
    # balance's 31 November are: the entry is kept, flagged
    txs, (info,) = _parse(april31 + ":61:160402C2,00NTRFNONREF\n:86:y\n")
    assert [(tx.amount, tx.value_date, tx.source) for tx in txs] == [
        (Decimal("1.00"), dt.date(2016, 4, 1), "test.sta#statement=1/entry=1"),
        (Decimal("6.00"), dt.date(2016, 4, 30), "test.sta#statement=1/entry=2"),
        (Decimal("2.00"), dt.date(2016, 4, 2), "test.sta#statement=1/entry=3"),
    ]
    assert txs[1].warnings == ["value date 160431 is not a calendar date; read as 2016-04-30"]
    assert "warnings" not in info.raw
    # an entry the library cannot read at all is left out naming its place
    txs, (info,) = _parse(april31.replace("160431C6,00N024", "160430CXX,00N024"))
    assert [tx.amount for tx in txs] == [Decimal("1.00")]
    assert info.raw["warnings"] == [
        "statement 1, entry 2: unreadable MT940 field :61: '160430CXX,00N024NONREF'; the entry is "
        "left out, the rest of the file is read"
    ]
    # a date with no such month is read as the statement's date (see test_bankfiles_mt940_sweep38);
    # a statement without balances has none, and its only entry is left out: nothing to read
    no_month = ":20:REF9\n:25:1\n:28C:1\n:61:161331C6,00N024NONREF\n:86:x\n"
    with pytest.raises(ParseError, match=r"statement 1 \(:20: REF9\): entry 1: value date 161331"):
        _parse(no_month)


def test_encodings_chosen_by_content() -> None:
    body = ":20:E\n:25:1\n:28C:1\n:60F:C260101HUF0,\n:61:260101C5,NTRFNONREF\n:86:{text}\n"
    hungarian = "Csoportos átutalás jóváírása, összevont"
    data = body.format(text=hungarian).encode("cp852")
    (tx,), (info,) = _parse(data)
    assert tx.reference == hungarian and info.raw["encoding"] == "cp852"
    german = "Überweisung Straße für Müller"
    data = body.format(text=german).encode("latin-1")
    (tx,), (info,) = _parse(data)
    assert tx.reference == german and info.raw["encoding"] in ("cp1252", "latin-1")
    (tx,), (info,) = _parse(body.format(text=german).encode("utf-8"))
    assert tx.reference == german and info.raw["encoding"] == "utf-8"


def test_soft_hyphen_dates_and_ing_pseudo_header() -> None:
    text = (
        "0000 01INGBNL2AXXXX00001\n0000 01INGBNL2AXXXX00001\n940 00\n:20:MPBZ\n:25:0001234567\n"
        ":28C:000\n:60F:C100722EUR0,00\n:61:100722C1,00NTRFNONREF\n"
        ":86:Betaling transactiedatum: 22\u00ad07\u00ad2010\n:62F:C100722EUR1,00\n-XXX\n"
    )
    (tx,), (info,) = _parse(text)
    assert tx.reference == "Betaling transactiedatum: 22-07-2010"
    assert info.statement_id == "MPBZ"


def test_bank_references_unique_and_stable() -> None:
    text = (
        ":20:R\n:25:1\n:28C:1\n:60F:C260101EUR0,\n"
        ":61:260101C5,NTRFNONREF//SAME\n:86:a\n:61:260101C5,NTRFNONREF//SAME\n:86:a\n"
        ":61:260101C7,NTRFNONREF\n:86:same text\n:61:260101C7,NTRFNONREF\n:86:same text\n"
        ":61:260101C9,NTRF01916\n:86:x\n"
    )
    txs, _ = _parse(text)
    refs = [tx.bank_ref for tx in txs]
    assert refs[:2] == ["SAME", "SAME/2"]
    assert refs[2].startswith("MT940-") and refs[3].startswith("MT940-") and refs[2] != refs[3]
    assert refs[4].startswith("01916-")  # the customer reference, made unique
    again, _ = _parse(text)
    assert [tx.bank_ref for tx in again] == refs


def test_sniff_refuses_other_content() -> None:
    assert not mt940.sniff(b"Date,Amount\n2026-01-01,5\n", "x.csv")
    assert not mt940.sniff(random.Random(7).randbytes(4096), "x.bin")
    assert not mt940.sniff(b"<?xml version='1.0'?><Document/>", "x.xml")


def test_limits_and_garbage() -> None:
    text = ":20:R\n:25:1\n:28C:1\n:60F:C260101EUR0,\n" + ":61:260101C5,NTRFNONREF\n" * 5
    with pytest.raises(LimitExceeded, match="5 entries"):
        _parse(text, ParseSettings(max_entries=4))
    with pytest.raises(ParseError, match="no MT940 statement"):
        _parse("hello\nworld\n")
    with pytest.raises(ParseError, match="unreadable MT940 field :61: 'garbage'"):
        _parse(":20:R\n:25:1\n:28C:1\n:60F:C260101EUR0,\n:61:garbage\n")
    with pytest.raises(ParseError, match="an amount that is not a number"):
        _parse(":20:R\n:25:1\n:28C:1\n:60F:C260101EUR-1,00\n")


def test_old_rabobank_counterparty_in_statement_line() -> None:
    text = (
        ":940:\n:20:940A110617\n:25:1291.99.348EUR\n:28:00000/00\n"
        ":60F:C110616EUR0000000001295,82\n"
        ":61:110617D000000000044,95N0600733959555      T-MOBILE NETHERLANDS BV          \n"
        ":86:BETALINGSKENM.  123456789                                       \n"
        ":86:FACTUURNUMMER 987654321                                         \n"
        ":62F:C110617EUR0000000001250,87\n"
    )
    (tx,), (info,) = _parse(text)
    assert info.account == "1291.99.348" and info.opening_balance == Decimal("1295.82")
    assert (tx.direction, tx.amount) == ("debit", Decimal("44.95"))
    assert tx.payee_name == "T-MOBILE NETHERLANDS BV" and tx.payee_account == "0733959555"
    # repeated :86: tags are one text
    assert tx.reference == "BETALINGSKENM. 123456789 FACTUURNUMMER 987654321"


def test_knab_free_text_counterparty() -> None:
    text = (
        ":20:B4G30MS9D00A003D\n:25:123456789\n:28C:999/1\n:60F:C140729EUR3058,98\n"
        ":61:1407290729D7260,NTRFNONREF//B4G29PGCVO7Q06US\n:86:FACTUUR 201403110, 201403113\n"
        "REK: NL65INGB0123456789/NAAM: PICQER\n:62F:D140730EUR4201,02\n"
    )
    (tx,), _ = _parse(text)
    assert (tx.payee_name, tx.payee_account) == ("PICQER", "NL65INGB0123456789")
    assert tx.reference.startswith("FACTUUR 201403110, 201403113")
