"""Bank files from outside continental Europe that Concord misread (sweep 39, SWIFT/BAI2).

``data/bankfiles/camt053_iso20022js_goldman_sachs_us.xml`` is svapnil/iso20022.js's (MIT)
``test/assets/goldman_sachs/camt_053_us_v2_sample.xml`` (commit 6578454), bytes as they are:
Goldman Sachs's US camt.053.001.02 sample of 15 entries (10 credits of 10.00 USD; 4 debits of
10.00 USD and one of 29.06 EUR) whose ``TxsSummry`` states 14 entries of 140.00 (9 credits of
90.00, 5 debits of 50.00). Concord did not compare the two: camt files had no check of their
own summary, where MT942's ``:90C:``/``:90D:`` and BAI2's trailers are checked. Nor did it
say that the EUR entry on the USD account (its instructed 25.00 USD only in ``AmtDtls``) was
left out of the balance check, which counts each currency against its own balances.

The other sources name no license, so their files are not copied: each test writes the file's
shape by hand, with made-up names, numbers and amounts.

- Goldman Sachs Transaction Banking's BAI2 (sender ``GSBI``), as
  sh-vardhantallapalli/bai2-reader keeps it: ``app/bai2_reader/samples/sample_1.bai`` (commit
  91fbe8a) and ``app/src/samples/sample_4.bai``/``sample_5.bai`` (commit 48ac7c2). Every ``16``
  record is followed by one ``88`` per tagged item: ``EREF:`` (end-to-end reference),
  ``REMI:`` (remittance), ``DBNM:``/``DACT:``/``DABA:``/``DBIC:`` (debtor's name, account,
  routing number, BIC) and ``CRNM:``/``CACT:``/``CABA:``/``CBIC:`` (the creditor's). Concord
  kept them only as text: an incoming wire named no payer, an outgoing one no payee account.
  (The narratives here are cut short of their ``Client Ref ID``/``GS ID`` items.)
  In sample_4's ``FPS Return`` (a credit) the ``DACT`` is the 03 record's account, ours: the
  return keeps the roles of the payment it undoes.
- Ecobank Bénin's MT940 (``ECOCBJBJ``), as kkiapay/MT940-injest keeps it: ``data/mt940.txt``
  (commit 7fa4ed3). A received transfer's ``:86:`` says ``CORTG2200968 trf b/o FLUTTERWAVE
  TECHNOLOGY SOLUTIONS CO iro MERCHANT SETTLEMENT ifo OPEN SI SAS``: by order of (the payer),
  in respect of, in favour of (us). Concord named no payer.
- Westpac's (``WPACAU2S``) MT940 sample of NPP/Osko payments, as
  alfajrimutawadhi/practice-read-mt940 keeps it: ``dir/mt940-npp-sample-file.txt`` (commit
  1b7915a). Returned payments are told in the ``:86:`` text, an ISO 20022 return reason after
  the booking words: ``WITHDRAWAL-PAYMENT RETURN`` / ``2413480 07 Feb 2019 MD06 Requested by
  paye`` (a payment we received, taken back at the payer's request: a debit),
  ``DEPOSIT-PAYMENT RETURN`` / ``... BE05 Payee is not fami`` (a payment of ours come back: a
  credit). Concord flagged neither: the debit did not say the invoice may be owed again, the
  credit waited for a customer match.
"""

from __future__ import annotations

from decimal import Decimal

from reconcile.api import ParseResult, parse_bytes
from reconcile.model import ParseSettings, Transaction
from reconcile.problems import Problem

from .samples import read_sample


def _read(text: str, name: str) -> ParseResult:
    (result,) = parse_bytes(text.encode(), name, ParseSettings())
    assert result.error is None, result.error
    return result


def _by_ref(result: ParseResult, ref: str) -> Transaction:
    return next(t for t in result.transactions if t.bank_ref == ref)


_GS_BAI2 = """\
01,GSBI,client1,230906,1249,1,,,2/
02,client1,026015079,1,230906,2000,,/
03,555000111,USD,010,100000,,,015,600000,,,100,2500000,1,,400,2000000,1,/
16,195,2500000,,GI0000000000001,20230906ABCD000001,Incoming Wire,From: NORTHWIND TRADERS
88,EREF: 20230906ABCD000001
88,REMI: INV-7781 INV-7790
88,CRNM: OUR COMPANY INC
88,DBNM: NORTHWIND TRADERS
88,DACT: 000009990001234
88,DBIC: CITIUS33XXX
16,495,2000000,,GI0000000000002,3785726,Outgoing Wire,To: CONTOSO SUPPLY
88,REMI: Invoice 4471
88,EREF: 3785726
88,CRNM: CONTOSO SUPPLY
88,DBNM: OUR COMPANY INC
88,CACT: 609873838
88,CABA: 021000021
49,9700000,15/
98,9700000,1,17/
99,9700000,1,19/
"""


def test_goldman_sachs_tagged_88_items_name_the_payer_and_the_payee() -> None:
    result = _read(_GS_BAI2, "gsbi.bai")
    assert not result.warnings, result.warnings
    incoming = _by_ref(result, "GI0000000000001")
    assert (incoming.direction, incoming.amount) == ("credit", Decimal("25000.00"))
    # the debtor of a credit is the payer, with the account and BIC the tags give
    assert (incoming.payer_name, incoming.payer_account, incoming.payer_bank) == (
        "NORTHWIND TRADERS",
        "000009990001234",
        "CITIUS33XXX",
    )
    assert incoming.raw["end_to_end_id"] == "20230906ABCD000001"
    assert incoming.raw["tagged_items"]["REMI"] == "INV-7781 INV-7790"
    assert "INV-7781 INV-7790" in incoming.reference
    outgoing = _by_ref(result, "GI0000000000002")
    assert (outgoing.direction, outgoing.amount) == ("debit", Decimal("20000.00"))
    # the creditor of a debit is the payee
    assert (outgoing.payee_name, outgoing.payee_account) == ("CONTOSO SUPPLY", "609873838")
    assert outgoing.payer_name is None
    assert outgoing.raw["end_to_end_id"] == "3785726"


_GS_RETURNS = """\
01,GSBI,uktest,230817,0857,1,,,2/
02,uktest,042962,1,230817,0600,,3/
03,10001193,GBP,010,100000,,,015,100000,,,100,64000,1,,400,64000,1,/
16,266,64000,,GI0000000000476,GS8K5349YOZ,FPS Return,Return From: ACME PROJECTS, Reason: "-"
88,EREF: GS8K5349YOZ
88,CRNM: ACME PROJECTS
88,DBNM: OUR UK LIMITED
88,DACT: 10001193
16,266,64000,,GI0000000000477,20210706MMQFMPU8000001,Outgoing Wire Return,-
88,EREF: 20210706MMQFMPU8000001
88,CRNM: GLOBEX LLC
88,DBNM: OUR UK LIMITED
16,557,64000,,SB0000000000214,021000080000030,BACS Credit Receipt Return,Return To: INITECH PLC
88,EREF: 021000080000030
88,CRNM: INITECH PLC
88,DBNM: OUR UK LIMITED
88,CACT: 44444444
49,292000,17/
98,292000,1,19/
99,292000,1,21/
"""


def test_a_return_s_other_party_is_the_side_not_ours_or_the_one_its_narrative_names() -> None:
    result = _read(_GS_RETURNS, "gsbi_returns.bai")
    fps = _by_ref(result, "GI0000000000476")
    # a credit whose debtor account is ours: the roles of the payment it returns
    assert fps.direction == "credit"
    assert (fps.payer_name, fps.payer_account) == ("ACME PROJECTS", None)
    # a return that names neither side as ours names nobody rather than guess
    wire = _by_ref(result, "GI0000000000477")
    assert wire.direction == "credit"
    assert wire.payer_name is None
    bacs = _by_ref(result, "SB0000000000214")
    assert bacs.direction == "debit"
    assert (bacs.payee_name, bacs.payee_account) == ("INITECH PLC", "44444444")


_ECOBANK_MT940 = """\
{1:F01ECOCBJBJAXXX1111111111}{2:I940XXXXXXXXXXXXN}{4:
:20:7150099999001A
:25:110699999002
:28C:1/1
:60F:C220329XOF1000000,
:61:2203290329CF5000000,NTRFCORTG-22-00001//M01INFT220880001
:86:TRANSFERT DE FONDS  RECUS
CORTG2200001 trf b/o GLOBEX PAYMENT SOLUTIONS CO iro MERC
HANT SETTLEMENT ifo OUR COMPANY SAS
:61:2203290329CF40000,NMSC110699999002//M01ZEXA220870001
:86:TRANSFERT PAR MOBILE
REF2639500001 MTNEBJAFR INWARD MOBILE TRANSFER B/O 22900000001 IF
O OUR COMPANY SAS
:62F:C220329XOF6040000,
-}
"""


def test_a_transfer_by_order_of_names_its_payer() -> None:
    result = _read(_ECOBANK_MT940, "ecobank.sta")
    assert not result.warnings, result.warnings
    settlement = _by_ref(result, "M01INFT220880001")
    assert (settlement.direction, settlement.amount, settlement.currency) == (
        "credit",
        Decimal("5000000"),
        "XOF",
    )
    # "b/o" (by order of) names the payer, up to "iro" (in respect of)
    assert settlement.payer_name == "GLOBEX PAYMENT SOLUTIONS CO"
    # a mobile wallet's number is no name
    mobile = _by_ref(result, "M01ZEXA220870001")
    assert mobile.payer_name is None


_WESTPAC_NPP = """\
{1:F01WPACAU2SAXXX0000000000}{2:I940WIBSXXXXN}{4:
:20:CSCT032000000099
:25:032000000099
:28C:00031/001
:60F:C190205AUD10000,00
:61:1902080208D780,00F8702400001 07 Feb 2//0802198701400001
019 MD06 Requested by paye
:86:WITHDRAWAL-PAYMENT RETURN
2400001 07 Feb 2019 MD06 Requested by paye
:61:1902080208C5000,00F8911200001 05 Feb 2//0802198911400002
019 BE05 Payee is not fami
:86:DEPOSIT-PAYMENT    RETURN
1200001 05 Feb 2019 BE05 Payee is not fami
:61:1902080208C6000,00F886Payer Pty Ltd   //0802198862000003
INV 1234
:86:DEPOSIT 2000003
Payer Pty Ltd INV 1234
:62F:C190208AUD20220,00
-}
"""


def test_an_npp_return_with_an_iso_reason_is_a_returned_payment() -> None:
    result = _read(_WESTPAC_NPP, "westpac.sta")
    taken_back = _by_ref(result, "0802198701400001")
    assert (taken_back.direction, taken_back.amount) == ("debit", Decimal("780.00"))
    assert taken_back.raw["return_reason"] == "MD06"
    assert taken_back.reversal and taken_back.category == "reversal"
    assert [w.code for w in taken_back.warnings] == ["payment_returned_unnamed"]
    came_back = _by_ref(result, "0802198911400002")
    assert (came_back.direction, came_back.raw["return_reason"]) == ("credit", "BE05")
    # our own payment coming back waits for no customer match
    assert came_back.category == "refund"
    deposit = _by_ref(result, "0802198862000003")
    assert (deposit.category, deposit.reversal) == ("", False)
    assert "return_reason" not in deposit.raw


def test_a_camt_statement_s_own_summary_is_checked_against_its_entries() -> None:
    result = read_sample("camt053_iso20022js_goldman_sachs_us.xml", "camt")
    assert len(result.transactions) == 15
    summary = [w for w in result.warnings if isinstance(w, Problem) and w.code.startswith("camt_s")]
    assert [
        (w.code, w.params["part"], w.params["stated_count"], w.params["count"]) for w in summary
    ] == [
        # all entries and the debits include a EUR entry: amounts in two currencies are never
        # added up, so only their number is checked (the debits' 5 agree)
        ("camt_summary_count_mismatch", "TtlNtries", "14", "15"),
        ("camt_summary_mismatch", "TtlCdtNtries", "9", "10"),
    ]
    assert summary[1].params["difference"] == "+10.00"


def test_a_summary_that_counts_the_booked_entries_only_is_no_mismatch() -> None:
    xml = """<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.052.001.02"><BkToCstmrAcctRpt>
<GrpHdr><MsgId>R1</MsgId><CreDtTm>2023-10-01T10:00:00</CreDtTm></GrpHdr>
<Rpt><Id>R1</Id><CreDtTm>2023-10-01T10:00:00</CreDtTm>
<Acct><Id><Othr><Id>DD0001</Id></Othr></Id><Ccy>USD</Ccy></Acct>
<TxsSummry><TtlNtries><NbOfNtries>1</NbOfNtries><Sum>25.00</Sum></TtlNtries>
<TtlCdtNtries><NbOfNtries>1</NbOfNtries><Sum>25.00</Sum></TtlCdtNtries></TxsSummry>
<Ntry><Amt Ccy="USD">25.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
<BookgDt><Dt>2023-10-01</Dt></BookgDt><AcctSvcrRef>A1</AcctSvcrRef></Ntry>
<Ntry><Amt Ccy="USD">7.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>PDNG</Sts>
<BookgDt><Dt>2023-10-01</Dt></BookgDt><AcctSvcrRef>A2</AcctSvcrRef></Ntry>
</Rpt></BkToCstmrAcctRpt></Document>
"""
    result = _read(xml, "report.xml")
    assert not [w for w in result.warnings if "summary" in str(w)], result.warnings


def test_an_entry_in_a_currency_no_balance_is_in_is_said_to_be_unchecked() -> None:
    result = read_sample("camt053_iso20022js_goldman_sachs_us.xml", "camt")
    wire = next(t for t in result.transactions if t.bank_ref == "GI2321400001068")
    assert (wire.direction, wire.amount, wire.currency) == ("debit", Decimal("29.06"), "EUR")
    unchecked = [
        w.params
        for w in result.warnings
        if isinstance(w, Problem) and w.code == "camt_entries_other_currency"
    ]
    assert unchecked == [{"count": "1", "total": "29.06", "currency": "EUR", "balances": "USD"}]
