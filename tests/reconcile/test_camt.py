"""camt.052/053/054 parser: versions, batches, references, dates, currencies, limits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from reconcile.errors import LimitExceeded, ParseError
from reconcile.model import ParseSettings, Transaction
from reconcile.parsers import camt, detect

ROOTS = {"052": ("BkToCstmrAcctRpt", "Rpt"), "053": ("BkToCstmrStmt", "Stmt"),
         "054": ("BkToCstmrDbtCdtNtfctn", "Ntfctn")}  # fmt: skip


def document(
    entries: str,
    *,
    message: str = "053",
    version: str = "02",
    account: str = "<IBAN>NL77ABNA0574908765</IBAN>",
    currency: str | None = "EUR",
    balances: str = "",
) -> bytes:
    element, record = ROOTS[message]
    ccy = f"<Ccy>{currency}</Ccy>" if currency else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.{message}.001.{version}">
  <{element}>
    <GrpHdr><MsgId>MSG1</MsgId><CreDtTm>2026-11-03T08:00:00+01:00</CreDtTm></GrpHdr>
    <{record}>
      <Id>STMT-1</Id>
      <Acct><Id>{account}</Id>{ccy}</Acct>
      {balances}
      {entries}
    </{record}>
  </{element}>
</Document>""".encode()


def entry(
    *,
    amount: str = "1234.50",
    ccy: str = "EUR",
    ind: str = "CRDT",
    booking: str = "<Dt>2026-11-03</Dt>",
    details: str = "",
    extra: str = "",
) -> str:
    return f"""<Ntry>
      <Amt Ccy="{ccy}">{amount}</Amt><CdtDbtInd>{ind}</CdtDbtInd>{extra}
      <Sts>BOOK</Sts><BookgDt>{booking}</BookgDt><ValDt><Dt>2026-11-04</Dt></ValDt>
      <NtryDtls>{details}</NtryDtls>
    </Ntry>"""


def tx_details(
    *,
    ref: str = "",
    e2e: str = "",
    amount: str = "",
    debtor: str = "上海华美贸易有限公司",
    iban: str = "CN6222000011112222",
    ustrd: str = "INV-2026-00123",
    strd: str = "",
) -> str:
    amt = f'<AmtDtls><TxAmt><Amt Ccy="EUR">{amount}</Amt></TxAmt></AmtDtls>' if amount else ""
    refs = (f"<AcctSvcrRef>{ref}</AcctSvcrRef>" if ref else "") + (
        f"<EndToEndId>{e2e}</EndToEndId>" if e2e else ""
    )
    strd_xml = f"<Strd><CdtrRefInf><Ref>{strd}</Ref></CdtrRefInf></Strd>" if strd else ""
    return f"""<TxDtls>
      <Refs>{refs}</Refs>{amt}
      <RltdPties>
        <Dbtr><Nm>{debtor}</Nm></Dbtr><DbtrAcct><Id><IBAN>{iban}</IBAN></Id></DbtrAcct>
        <Cdtr><Nm>Concord Ltd</Nm></Cdtr>
      </RltdPties>
      <RltdAgts><DbtrAgt><FinInstnId><BIC>ICBKCNBJ</BIC></FinInstnId></DbtrAgt></RltdAgts>
      <RmtInf><Ustrd>{ustrd}</Ustrd>{strd_xml}</RmtInf>
    </TxDtls>"""


def parse(data: bytes, **settings: Any) -> list[Transaction]:
    return camt.parse(data, "t.xml", ParseSettings(**settings))


@pytest.mark.parametrize("message", ["052", "053", "054"])
@pytest.mark.parametrize("version", [f"{v:02d}" for v in range(2, 15)])
def test_every_message_and_version(message: str, version: str) -> None:
    data = document(entry(details=tx_details(ref="BANK-1")), message=message, version=version)
    assert detect(data, "t.xml").FORMAT == "camt"
    (tx,) = parse(data)
    assert tx.bank_ref == "BANK-1"
    assert tx.amount == Decimal("1234.50")
    assert tx.direction == "credit"
    assert tx.currency == "EUR"
    assert tx.booking_date == dt.date(2026, 11, 3)
    assert tx.value_date == dt.date(2026, 11, 4)
    assert tx.payer_name == "上海华美贸易有限公司"
    assert tx.payer_account == "CN6222000011112222"
    assert tx.payer_bank == "ICBKCNBJ"
    assert tx.payee_name == "Concord Ltd"
    assert tx.reference == "INV-2026-00123"
    assert tx.our_account == "NL77ABNA0574908765"
    assert tx.source == "t.xml#entry=1.1"


@pytest.mark.parametrize("version", ["01", "15"])
def test_version_outside_the_supported_range_is_refused(version: str) -> None:
    with pytest.raises(ParseError, match=rf"camt.053.001.{version} is not supported"):
        parse(document(entry(), version=version))


def test_namespace_naming_no_camt_message_is_refused() -> None:
    data = document(entry()).replace(
        b"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02", b"urn:example:camt.053.001.02x"
    )
    with pytest.raises(ParseError, match=r"unsupported XML namespace"):
        parse(data)


def test_batch_becomes_one_transaction_per_tx_details() -> None:
    details = tx_details(e2e="E1", amount="1000.00", strd="RF18539007547034") + tx_details(
        e2e="E2", amount="234.50", debtor="苏州华美贸易有限公司", ustrd="INV-2026-00124"
    )
    txs = parse(document(entry(details=details, extra="<AcctSvcrRef>BATCH9</AcctSvcrRef>")))
    assert [t.amount for t in txs] == [Decimal("1000.00"), Decimal("234.50")]
    # the entry's AcctSvcrRef is shared: each part gets its own index so refs stay unique
    assert [t.bank_ref for t in txs] == ["BATCH9/1", "BATCH9/2"]
    assert txs[0].reference == "INV-2026-00123 RF18539007547034"
    assert txs[1].payer_name == "苏州华美贸易有限公司"
    assert [t.source for t in txs] == ["t.xml#entry=1.1.1", "t.xml#entry=1.1.2"]
    assert not txs[0].warnings


def test_entry_charges_stay_with_the_entry_not_with_each_part_of_a_batch() -> None:
    charges = '<Chrgs><TtlChrgsAndTaxAmt Ccy="EUR">1.20</TtlChrgsAndTaxAmt></Chrgs>'
    whole = parse(document(entry(details=tx_details(ref="ONE"), extra=charges)))
    assert (whole[0].raw["charges"], whole[0].raw["charges_currency"]) == ("1.20", "EUR")
    details = tx_details(e2e="E1", amount="1000.00") + tx_details(e2e="E2", amount="234.50")
    parts = parse(document(entry(details=details, extra=charges)))
    # 1.20 was taken once for the batch: no part may claim it, each names it as the entry's
    assert [t.raw["charges"] for t in parts] == [None, None]
    assert [t.raw["entry_charges"] for t in parts] == ["1.20", "1.20"]


def test_batch_whose_parts_do_not_add_up_stays_one_transaction() -> None:
    details = tx_details(e2e="E1", amount="1000.00") + tx_details(e2e="E2", amount="1.00")
    (tx,) = parse(document(entry(details=details)))
    assert tx.amount == Decimal("1234.50")
    assert "kept as one transaction" in tx.warnings[0]
    assert tx.raw["tx_details_count"] == 2


def test_reversal_and_debit() -> None:
    (tx,) = parse(document(entry(ind="DBIT", extra="<RvslInd>true</RvslInd>")))
    assert tx.reversal is True
    assert tx.direction == "debit"


def test_five_decimal_amount_is_kept_exactly() -> None:
    (tx,) = parse(document(entry(amount="8.85001")))
    assert tx.amount == Decimal("8.85001")
    assert str(tx.amount) == "8.85001"


@pytest.mark.parametrize(
    ("account", "booking", "expected"),
    [
        # midnight in Amsterdam is 23:00 UTC the day before: the Dutch bank's day counts
        ("<IBAN>NL77ABNA0574908765</IBAN>", "<DtTm>2014-01-04T23:00:00.000Z</DtTm>", 5),
        # a Chinese bank books 2014-01-04T17:00Z on the 5th (01:00 in Shanghai)
        ("<IBAN>CN12345678901234</IBAN>", "<DtTm>2014-01-04T17:00:00Z</DtTm>", 5),
        # an explicit offset is the bank's local time already: the day as written
        ("<IBAN>NL77ABNA0574908765</IBAN>", "<DtTm>2014-01-04T23:30:00+01:00</DtTm>", 4),
        # no timezone at all: the day as written
        ("<Othr><Id>0035-2915203-10-000</Id></Othr>", "<DtTm>2014-01-04T23:30:00</DtTm>", 4),
    ],
)
def test_booking_datetime_becomes_the_banks_local_day(
    account: str, booking: str, expected: int
) -> None:
    (tx,) = parse(document(entry(booking=booking), account=account))
    assert tx.booking_date == dt.date(2014, 1, expected)


def test_account_by_other_id() -> None:
    data = document(entry(), account="<Othr><Id>0035-2915203-10-000</Id></Othr>")
    (tx,) = parse(data)
    assert tx.our_account == "0035-2915203-10-000"


def test_missing_currency_needs_a_default() -> None:
    data = document(entry(ccy="XXX"), currency=None)
    with pytest.raises(ParseError, match="no currency in the file"):
        parse(data)
    (tx,) = parse(data, default_currency="CHF")
    assert tx.currency == "CHF"


def test_account_currency_fills_in_for_xxx() -> None:
    (tx,) = parse(document(entry(ccy="XXX"), currency="CHF"))
    assert tx.currency == "CHF"


def test_placeholder_references_are_skipped_and_refs_made_unique() -> None:
    details = tx_details(ref="NOTPROVIDED", e2e="NOTPROVIDED")
    entries = entry(details=details, extra="<NtryRef>N1</NtryRef>") * 2
    txs = parse(document(entries))
    assert [t.bank_ref for t in txs] == ["N1", "N1#2"]


def test_statement_info_balances() -> None:
    balances = """
      <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">10.00</Amt>
        <CdtDbtInd>DBIT</CdtDbtInd><Dt><Dt>2026-11-02</Dt></Dt></Bal>
      <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">1224.50</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-11-03</Dt></Dt></Bal>"""
    txs, (info,) = camt.parse_with_statements(
        document(entry(), balances=balances), "t.xml", ParseSettings()
    )
    assert info.statement_id == "STMT-1"
    assert info.opening_balance == Decimal("-10.00")
    assert info.closing_balance == Decimal("1224.50")
    assert info.opening_balance + sum(t.amount for t in txs) == info.closing_balance
    assert info.closing_date == dt.date(2026, 11, 3)
    assert info.raw["message_id"] == "MSG1"


def test_entry_limit() -> None:
    data = document(entry() * 5)
    with pytest.raises(LimitExceeded, match="more than 4 transactions"):
        parse(data, max_entries=4)


def test_no_statement_is_an_invalid_document() -> None:
    data = b"""<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
      <BkToCstmrStmt><GrpHdr><MsgId>X</MsgId></GrpHdr></BkToCstmrStmt></Document>"""
    with pytest.raises(ParseError, match="no <Stmt> element"):
        parse(data)


def test_bad_amount_leaves_out_that_entry_naming_it() -> None:
    data = document(entry() + entry(amount="12,50") + entry(amount="7.00"))
    txs, (info,) = camt.parse_with_statements(data, "t.xml", ParseSettings())
    assert [tx.amount for tx in txs] == [Decimal("1234.50"), Decimal("7.00")]
    assert info.raw["warnings"] == [
        "entry 1.2: amount '12,50' is not a number; the entry is left out, the rest of the file "
        "is read"
    ]
    # an entry whose value date is unreadable keeps its booking date and loses the value date
    (tx,) = parse(document(entry().replace("<ValDt><Dt>2026-11-04", "<ValDt><Dt>2026-13-01")))
    assert tx.value_date is None and tx.booking_date == dt.date(2026, 11, 3)
    assert [w.code for w in tx.warnings] == ["value_date_left_out"]
    # nothing readable: the file is refused with the first entry's reason
    with pytest.raises(ParseError, match=r"entry 1.1: amount '12,50' is not a number$"):
        parse(document(entry(amount="12,50")))


def test_impossible_date_is_an_error() -> None:
    with pytest.raises(ParseError, match="does not exist"):
        parse(document(entry(booking="<DtTm>2026-02-30T10:00:00Z</DtTm>")))


def test_envelope_around_the_document_is_accepted() -> None:
    inner = document(entry()).split(b"?>", 1)[1]
    wrapped = b"<BizMsgEnvlp><AppHdr/>" + inner + b"</BizMsgEnvlp>"
    assert len(camt.parse(wrapped, "t.xml", ParseSettings())) == 1


def test_mandate_and_cheque_number_are_kept() -> None:
    # a SEPA direct debit names its mandate (Refs/MndtId), a cheque its number (Refs/ChqNb)
    details = (
        "<TxDtls><Refs><EndToEndId>E2E-1</EndToEndId><MndtId>MANDATE-2026/07</MndtId>"
        "<ChqNb>004711</ChqNb></Refs></TxDtls>"
    )
    (tx,) = parse(document(entry(ind="DBIT", details=details)))
    assert (tx.raw["mandate_id"], tx.raw["cheque_number"]) == ("MANDATE-2026/07", "004711")


def test_return_information_and_additional_remittance_are_kept() -> None:
    # a bank says why a direct debit came back (RtrInf/AddtlInf, "Not enough balance"); a Swiss
    # QR-bill's message travels in Strd/AddtlRmtInf beside the QR reference
    details = (
        "<TxDtls><Refs><EndToEndId>SDD-75114</EndToEndId></Refs>"
        "<RmtInf><Strd><CdtrRefInf><Ref>210000000003139471430009017</Ref></CdtrRefInf>"
        "<AddtlRmtInf>Invoice 2026-0417</AddtlRmtInf></Strd></RmtInf>"
        "<RtrInf><Rsn><Cd>AM04</Cd></Rsn><AddtlInf>Not enough balance</AddtlInf></RtrInf>"
        "</TxDtls>"
    )
    (tx,) = parse(document(entry(ind="DBIT", details=details)))
    assert (tx.raw["return_reason"], tx.raw["return_info"]) == ("AM04", "Not enough balance")
    assert tx.raw["remittance_additional"] == ["Invoice 2026-0417"]
    assert tx.reference == "210000000003139471430009017"


def test_the_parts_own_bank_code_and_the_creditor_identifier_are_kept() -> None:
    # a German bank's camt.053 leaves the entry's BkTxCd empty and gives the part its DK code;
    # a direct debit names the creditor's SEPA identifier (viafintech/camt_parser's fixtures)
    details = (
        "<TxDtls><Refs><EndToEndId>E2E-1</EndToEndId><MndtId>MREF-1</MndtId></Refs>"
        "<BkTxCd><Prtry><Cd>NTRF+020</Cd><Issr>ZKA</Issr></Prtry></BkTxCd>"
        "<RltdPties><Cdtr><Id><PrvtId><Othr><Id>DE98ZZZ09999999999</Id></Othr></PrvtId></Id>"
        "<Nm>Stadtwerke</Nm></Cdtr></RltdPties></TxDtls>"
    )
    (tx,) = parse(document(entry(ind="DBIT", details=details, extra="")))
    assert tx.raw["proprietary_tx_code"] == "NTRF+020"
    assert tx.raw["creditor_id"] == "DE98ZZZ09999999999"
    assert tx.payee_name == "Stadtwerke"


def test_an_amount_sent_in_another_currency_is_kept_beside_the_booked_one() -> None:
    # OCA's multi-currency sample: 345.34 SEK booked for a part that states 32.00 EUR (its
    # golden file: amount_currency 32.0, foreign_currency EUR); ISO's camt.052 sample gives the
    # rate with a counter-value amount
    ours = document(
        entry(
            amount="345.34",
            ccy="SEK",
            details='<TxDtls><AmtDtls><TxAmt><Amt Ccy="EUR">32.00</Amt></TxAmt></AmtDtls></TxDtls>',
        ),
        currency="SEK",
    )
    (tx,) = parse(ours)
    assert (tx.amount, tx.currency) == (Decimal("345.34"), "SEK")
    assert (tx.raw["foreign_amount"], tx.raw["foreign_currency"]) == ("32.00", "EUR")
    rated = document(
        entry(
            amount="30000",
            ccy="SEK",
            details=(
                '<TxDtls><Amt Ccy="EUR">3255</Amt><AmtDtls><CntrValAmt><Amt Ccy="EUR">3255</Amt>'
                "<CcyXchg><SrcCcy>EUR</SrcCcy><XchgRate>0.185</XchgRate></CcyXchg></CntrValAmt>"
                "</AmtDtls></TxDtls>"
            ),
        ),
        currency="SEK",
    )
    (tx,) = parse(rated)
    assert (tx.raw["foreign_amount"], tx.raw["exchange_rate"]) == ("3255", "0.185")
    # the same currency is nothing foreign
    (plain,) = parse(document(entry(details=tx_details())))
    assert plain.raw["foreign_amount"] is None


def test_a_collective_booking_without_its_payments_names_its_batch() -> None:
    # ISO's camt.052 sample and viafintech's ING file: NtryDtls/Btch with PmtInfId and NbOfTxs
    # but no TxDtls
    batch = (
        "<Btch><MsgId>FINP-0055</MsgId><PmtInfId>FINP-0055-001</PmtInfId>"
        "<NbOfTxs>20</NbOfTxs></Btch>"
    )
    (tx,) = parse(document(entry(ind="DBIT", amount="200000", details=batch)))
    assert (tx.raw["batch_payment_info_id"], tx.raw["batch_count"]) == ("FINP-0055-001", "20")
    assert tx.raw["tx_details_count"] == 0


def _returned_collection(debtor: str, creditor: str) -> bytes:
    details = (
        "<TxDtls><Refs><EndToEndId>SDD-1</EndToEndId></Refs>"
        f"<RltdPties>{debtor}{creditor}</RltdPties>"
        "<RtrInf><Rsn><Cd>MD06</Cd></Rsn></RtrInf></TxDtls>"
    )
    return document(entry(ind="DBIT", details=details, extra="<RvslInd>true</RvslInd>"))


def test_a_returned_collection_goes_back_to_the_party_that_is_not_us() -> None:
    customer = "<Dbtr><Nm>Muster Bau GmbH</Nm></Dbtr>"
    customer += "<DbtrAcct><Id><IBAN>DE02700202700123456789</IBAN></Id></DbtrAcct>"
    # the roles of the collection it undoes (DK's Rücklastschrift): we are the creditor, by
    # our account, our name or our creditor identifier
    for us in (
        "<Cdtr><Nm>Concord Ltd</Nm></Cdtr>"
        "<CdtrAcct><Id><IBAN>NL77ABNA0574908765</IBAN></Id></CdtrAcct>",
        "<Cdtr><Nm>CONCORD LTD.</Nm></Cdtr>",
        "<Cdtr><Nm>Concord</Nm><Id><PrvtId><Othr><Id>DE98ZZZ09999999999</Id>"
        "<SchmeNm><Prtry>SEPA</Prtry></SchmeNm></Othr></PrvtId></Id></Cdtr>",
    ):
        (tx,) = parse(_returned_collection(customer, us), own_names=("Concord Ltd",))
        assert (tx.counterparty_name, tx.counterparty_account) == (
            "Muster Bau GmbH",
            "DE02700202700123456789",
        ), us
    # two parties neither of which is us: the debit's creditor, as for any debit
    other = "<Cdtr><Nm>Inkasso AG</Nm></Cdtr>"
    (tx,) = parse(_returned_collection(customer, other))
    assert tx.counterparty_name == "Inkasso AG"
    # a debit that undoes no payment keeps the parties' roles whoever is named
    details = f"<TxDtls><RltdPties>{customer}</RltdPties></TxDtls>"
    (plain,) = parse(document(entry(ind="DBIT", details=details)))
    assert (plain.payer_name, plain.payee_name) == ("Muster Bau GmbH", None)


UNDATED = """<Ntry><Amt Ccy="EUR">10.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
  <NtryDtls><TxDtls><RmtInf><Ustrd>INV-1</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"""
CLOSING = """<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">10.00</Amt>
  <CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-11-02</Dt></Dt></Bal>"""


@pytest.mark.parametrize(
    ("period", "balances", "day", "code"),
    [
        # a period that ends at midnight ends before that day begins
        (("2026-11-01T00:00:00", "2026-11-02T00:00:00"), "", 1, "camt_period_end_used"),
        (("2026-11-01T00:00:00+01:00", "2026-11-01T23:59:59+01:00"), "", 1, "camt_period_end_used"),
        # one moment, at midnight: that day
        (("2026-11-02T00:00:00", "2026-11-02T00:00:00"), "", 2, "camt_period_end_used"),
        # no period (or an unreadable one): the closing balance's day
        (None, CLOSING, 2, "camt_closing_date_used"),
        (("2026-11-01T00:00:00", "2026-13-01"), CLOSING, 2, "camt_closing_date_used"),
        # neither: the creation date, as before
        (None, "", 3, "camt_creation_date_used"),
    ],
)
def test_an_entry_without_dates_takes_the_statements_day(
    period: tuple[str, str] | None, balances: str, day: int, code: str
) -> None:
    frtodt = (
        f"<FrToDt><FrDtTm>{period[0]}</FrDtTm><ToDtTm>{period[1]}</ToDtTm></FrToDt>"
        if period
        else ""
    )
    (tx,) = parse(document(UNDATED, balances=frtodt + balances))
    assert tx.booking_date == dt.date(2026, 11, day)
    assert [getattr(w, "code", None) for w in tx.warnings] == [code]


def test_a_document_without_namespace_needs_a_camt_message() -> None:
    data = document(entry()).replace(
        b' xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"', b""
    )
    (tx,) = parse(data)
    assert tx.amount == Decimal("1234.50")
    other = data.replace(b"BkToCstmrStmt", b"BkToCstmrStmtX")
    with pytest.raises(ParseError, match=r"unsupported XML namespace ''"):
        parse(other)


def test_an_entry_rate_is_not_taken_for_a_part_in_another_currency() -> None:
    # the entry converts USD; its part states EUR: that rate is not the part's
    rate = (
        '<AmtDtls><CntrValAmt><Amt Ccy="SEK">30000</Amt><CcyXchg><SrcCcy>USD</SrcCcy>'
        "<TrgtCcy>SEK</TrgtCcy><XchgRate>10.5</XchgRate></CcyXchg></CntrValAmt></AmtDtls>"
    )
    details = '<TxDtls><AmtDtls><TxAmt><Amt Ccy="EUR">3255</Amt></TxAmt></AmtDtls></TxDtls>'
    (tx,) = parse(
        document(entry(amount="30000", ccy="SEK", details=details, extra=rate), currency="SEK")
    )
    assert (tx.raw["foreign_amount"], tx.raw["foreign_currency"]) == ("3255", "EUR")
    assert tx.raw["exchange_rate"] is None
