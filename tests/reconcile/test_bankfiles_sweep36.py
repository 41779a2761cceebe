"""Bank files from other projects' test suites (sweep 36), checked against what those projects
assert, or synthetic files of the same shape where the source's licence does not let us copy.

- aclindsa/ofxgo (GPL-2.0, so not copied):
  ``samples/busted_responses/bmo_v102__no_header_newline.qfx``, a BMO credit card statement
  whose one credit is ``<NAME>PAYMENT RECEIVED - THANK YOU``; the file below is a synthetic one
  of the same shape.
- chilts/node-ofx (MIT): ``test/data/example-xml.qfx``, an Ally savings account's one entry
  ``<TRNTYPE>INT`` ``<NAME>Interest Paid``; and danshultz/node-ofx-parser's
  ``test/fixtures/v211Sample.ofx`` (the OFX specification's sample: ``Payment - Thank You`` on a
  credit card). Both are written below in their shape, not copied.
- fruitl00p/php-mt940 (MIT): ``test/Parser/Banking/Mt940/Engine/Kontist/sample``, byte copy
  ``mt940_php_kontist_dash_purpose.sta`` (``Engine/Kontist/ParseTest.php``).
- a-fas/mt940js (Apache-2.0, copyright 2016 Alexander Tsybulsky): ``test/test-with-NS.mt940x``,
  byte copy ``mt940_mt940js_ns_before_86.mt940`` (unchanged); mt940js reads a ``:NS:`` field
  inside an entry as that entry's non-SWIFT text and the ``:86:`` after it as its details.
- ksdev-pl/mbank-mt940-parser (MIT, copyright 2015 ksdev): ``tests/MT940_IPH.txt`` (mBank, ISO
  8859-2), entries 1-3, 11, 15 and 24 of its 24 as
  ``mt940_ksdev_mbank_iph_excerpt.txt``, bytes otherwise unchanged; its ``testParseIph``
  asserts the first entry (C 6979,18 PLN on 100604) and the last (D 15,00, ``794 OPŁATY
  GRUPOWE``). From its ``tests/MT940_multiple_accounts.txt``, the USD account's statement and
  three entries of the EUR account in debit (opening ``D 959,45``, first entry ``C 2,21``, as
  ``testParseMultipleAccounts`` asserts), closing balance recomputed for the three, as
  ``mt940_ksdev_mbank_accounts_excerpt.txt``.
- svenstaro/mt940-rs (MIT): ``tests/data/MT940_FI_Example.txt`` (Danske Bank), our
  ``mt940_svenstaro_danske_fi.txt``; its ``danskebank/MT940_FI_Example.json`` gives the last
  entry, which has no ``:86:``, the customer reference ``Interest``. Its Danish and Norwegian
  examples (``self-provided/MT940_DK_Example.sta``, ``MT940_NO_Example.txt``) write whole texts
  there (``DBT.DB 70201234``, ``Rente``) on entries without ``:86:``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from reconcile.api import ParseResult, parse_bytes
from reconcile.model import ParseSettings

DATA = Path(__file__).parent / "data" / "bankfiles"


def _parse(data: bytes, name: str, fmt: str) -> ParseResult:
    (result,) = parse_bytes(data, name, ParseSettings())
    assert result.error is None, result.error
    assert result.format == fmt
    return result


def _card_statement(*entries: tuple[str, str, str]) -> bytes:
    trns = "".join(
        f"<STMTTRN>\n<TRNTYPE>{kind}\n<DTPOSTED>20181030000000.000[-5:EDT]\n<TRNAMT>{amount}\n"
        f"<FITID>23803702702810832018103020544{i}\n<NAME>{name}\n</STMTTRN>\n"
        for i, (kind, amount, name) in enumerate(entries)
    )
    return (
        "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\n"
        "CHARSET:1252\nCOMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n<OFX>\n"
        "<CREDITCARDMSGSRSV1>\n<CCSTMTTRNRS>\n<TRNUID>1\n<STATUS>\n<CODE>0\n<SEVERITY>INFO\n"
        "</STATUS>\n<CCSTMTRS>\n<CURDEF>CAD\n<CCACCTFROM>\n<ACCTID>2380370270281083\n"
        "</CCACCTFROM>\n<BANKTRANLIST>\n<DTSTART>20181001\n<DTEND>20181202\n"
        f"{trns}</BANKTRANLIST>\n<LEDGERBAL>\n<BALAMT>-552.63\n<DTASOF>20181202\n"
        "</LEDGERBAL>\n</CCSTMTRS>\n</CCSTMTTRNRS>\n</CREDITCARDMSGSRSV1>\n</OFX>\n"
    ).encode("ascii")


def test_card_repayment_thank_you_is_no_payer() -> None:
    """BMO's ``PAYMENT RECEIVED - THANK YOU`` (ofxgo's sample) and ``THANK YOU FOR YOUR
    PAYMENT``: the holder paying the card, kept as text and marked as our own money; a refund
    from a merchant on the same card still names the merchant."""
    data = _card_statement(
        ("CREDIT", "2042.24", "PAYMENT RECEIVED - THANK YOU"),
        ("CREDIT", "150.00", "THANK YOU FOR YOUR PAYMENT"),
        ("CREDIT", "19.99", "AMAZON.CA"),
        ("DEBIT", "-42.10", "TIM HORTONS #1234"),
    )
    first, second, refund, charge = _parse(data, "bmo.qfx", "ofx").transactions
    assert (first.direction, first.amount, first.currency) == ("credit", Decimal("2042.24"), "CAD")
    assert (first.payer_name, first.reference, first.category) == (
        None,
        "PAYMENT RECEIVED - THANK YOU",
        "own_transfer",
    )
    assert (second.payer_name, second.category) == (None, "own_transfer")
    assert (refund.payer_name, refund.category) == ("AMAZON.CA", "")
    assert (charge.direction, charge.payee_name) == ("debit", "TIM HORTONS #1234")


def test_thank_you_on_a_bank_account_is_still_a_name() -> None:
    """Only a card statement's credit is the holder repaying the card; on a checking account the
    NAME stays the payer's."""
    data = (
        _card_statement(("CREDIT", "80.00", "PAYMENT - THANK YOU"))
        .replace(b"CCSTMTRS", b"STMTRS")
        .replace(b"CCACCTFROM>\n<ACCTID>", b"BANKACCTFROM>\n<BANKID>123456789\n<ACCTID>")
        .replace(b"</CCACCTFROM>", b"<ACCTTYPE>CHECKING\n</BANKACCTFROM>")
        .replace(b"CCSTMTTRNRS", b"STMTTRNRS")
        .replace(b"CREDITCARDMSGSRSV1", b"BANKMSGSRSV1")
    )
    (tx,) = _parse(data, "checking.qfx", "ofx").transactions
    assert (tx.payer_name, tx.category) == ("PAYMENT - THANK YOU", "")


def test_kontist_dash_for_no_purpose() -> None:
    """php-mt940: one statement 31-01-2021 to 18-02-2021, first entry C 50.00 on 15-02-2021, last
    on 17-02-2021. Kontist writes ``?20-`` when the payer gave no purpose: no reference, not
    "-"; the names, IBANs and BICs are in ``?30``-``?32``."""
    name = "mt940_php_kontist_dash_purpose.sta"
    result = _parse((DATA / name).read_bytes(), name, "mt940")
    (info,) = result.statements
    assert (info.opening_date, info.closing_date) == (dt.date(2021, 1, 31), dt.date(2021, 2, 18))
    assert (info.opening_balance, info.closing_balance) == (Decimal("0.15"), Decimal("395.91"))
    txs = result.transactions
    assert (txs[0].direction, txs[0].amount, txs[0].booking_date) == (
        "credit",
        Decimal("50.00"),
        dt.date(2021, 2, 15),
    )
    assert txs[-1].booking_date == dt.date(2021, 2, 17)
    dash = txs[1]
    assert (dash.payer_name, dash.payer_account, dash.payer_bank, dash.reference) == (
        "Lucien Schünke",
        "DE77100110012629052284",
        "NTSBDEB1XXX",
        "",
    )
    assert txs[2].reference == "Rechnung-Nr.: INV-00002 v. 13.02.21"
    assert (txs[3].direction, txs[3].payee_name, txs[3].reference) == (
        "debit",
        "Kontist GmbH",
        "DE217897, 1 x ATM Gebuehr",
    )


def test_asn_party_line_is_no_remittance() -> None:
    """gpaulissen/ofxstatement-mt940's ``test_ASN`` reads its ``tests/samples/mt940_ASN.txt`` (the
    file WoLpH/mt940 ships as ``mt940_tests/ASNB/mt940.txt``, our
    ``mt940_wolph_asnb_free_text.sta``) with the memos ``Betaling sieraden`` and ``Betaling aan
    ICS ...``: ASN's ``:86:`` repeats the other party's IBAN and name on its first line."""
    name = "mt940_wolph_asnb_free_text.sta"
    txs = _parse((DATA / name).read_bytes(), name, "mt940").transactions
    assert [tx.reference for tx in txs] == [
        "Betaling sieraden",
        "Kosten gebruik betaalrekening inclusief 1 betaalpas",
        "INTERNE OVERBOEKING VIA MOBIEL",
        "000000000000000000000000000000000 0000000000000000 Betaling aan ICS 99999999999 ICS "
        "Referentie: 2020-01-31 21:27 000000000000000",
    ]
    assert (txs[0].payee_name, txs[0].payee_account) == ("hr gjlm paulissen", "NL47INGB9999999999")
    assert (txs[2].payer_name, txs[2].payer_account) == ("paulissen g j l m", "NL56ASNB9999999999")


def test_non_swift_field_between_entry_and_its_details() -> None:
    """``:61:`` then ``:NS:`` (address and invoice lines) then ``:86:``: the ``:86:`` is still the
    entry's, not a statement's information, and its ``>20`` text is the reference."""
    name = "mt940_mt940js_ns_before_86.mt940"
    result = _parse((DATA / name).read_bytes(), name, "mt940")
    _first, statement = result.statements
    assert (statement.opening_balance, statement.closing_balance) == (
        Decimal("2996.53"),
        Decimal("2971.53"),
    )
    assert "information" not in statement.raw
    *_, fee = result.transactions
    assert (fee.direction, fee.amount, fee.currency, fee.booking_date) == (
        "debit",
        Decimal("25.00"),
        "PLN",
        dt.date(2017, 1, 31),
    )
    assert fee.reference == "Opłata za prowadzenie rachunku od 1-01-2017 do 31-01-2017"
    assert fee.raw["non_swift_text"] == "My Street 17\nCity and Region\nInvoice Nr. 12345"
    assert [tx.amount for tx in result.transactions] == [
        Decimal("369.00"),
        Decimal("15.07"),
        Decimal("123.00"),
        Decimal("25.00"),
    ]


def test_entry_without_details_is_described_by_its_own_reference() -> None:
    """SWIFT's reference for the account owner is the entry's text when no ``:86:`` follows;
    ``NONREF`` and the other party's IBAN (ASN writes it there) are none."""
    name = "mt940_svenstaro_danske_fi.txt"
    *_, interest = _parse((DATA / name).read_bytes(), name, "mt940").transactions
    assert (interest.direction, interest.amount, interest.reference) == (
        "credit",
        Decimal("0.23"),
        "Interest",
    )
    text = (
        b":20:3996-1234567890\n:25:DABADKKK/1234567890\n:28C:00001/001\n"
        b":60F:C090924DKK1000,00\n"
        b":61:0909250925DK50,00NMSCDBT.DB  70201234\n"
        b":61:0909250925DK10,00NMSCNONREF\n"
        b":61:2001050105C100,00NIOBNL56ASNB0123456789\npaulissen g j l m\n"
        b":62F:C090925DKK1040,00\n-\n"
    )
    named, nonref, iban = _parse(text, "danske.sta", "mt940").transactions
    assert named.reference == "DBT.DB 70201234"
    assert (nonref.reference, iban.reference) == ("", "")
    assert (iban.payer_name, iban.payer_account) == ("paulissen g j l m", "NL56ASNB0123456789")


def test_interest_credit_names_no_payer() -> None:
    """TRNTYPE INT is the bank's own code for interest: Ally's ``Interest Paid`` is the entry's
    text and category, not a payer; the OFX sample's ``Payment - Thank You`` on a card too."""
    data = (
        "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\n"
        "CHARSET:1252\nCOMPRESSION:NONE\n<OFX><BANKMSGSRSV1><STMTTRNRS><TRNUID>0</TRNUID>"
        "<STATUS><CODE>0</CODE><SEVERITY>Info</SEVERITY></STATUS><STMTRS><CURDEF>USD</CURDEF>"
        "<BANKACCTFROM><BANKID>XXXXXXXXX</BANKID><ACCTID>XXXXXXXXXX</ACCTID>"
        "<ACCTTYPE>SAVINGS</ACCTTYPE></BANKACCTFROM><BANKTRANLIST><DTSTART>20161204000000"
        "</DTSTART><DTEND>20170104000000</DTEND><STMTTRN><TRNTYPE>INT</TRNTYPE>"
        "<DTPOSTED>20161215000550</DTPOSTED><TRNAMT>0.84</TRNAMT><FITID>21172131531687</FITID>"
        "<NAME>Interest Paid</NAME></STMTTRN><STMTTRN><TRNTYPE>CREDIT</TRNTYPE>"
        "<DTPOSTED>20161216</DTPOSTED><TRNAMT>120.00</TRNAMT><FITID>21172131531688</FITID>"
        "<NAME>ACME SUPPLIES</NAME></STMTTRN></BANKTRANLIST><LEDGERBAL><BALAMT>1025.23</BALAMT>"
        "<DTASOF>20170104225053</DTASOF></LEDGERBAL></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>"
    ).encode("ascii")
    interest, payment = _parse(data, "ally.qfx", "ofx").transactions
    assert (interest.direction, interest.amount, interest.booking_date) == (
        "credit",
        Decimal("0.84"),
        dt.date(2016, 12, 15),
    )
    assert (interest.payer_name, interest.reference, interest.category) == (
        None,
        "Interest Paid",
        "interest",
    )
    assert (payment.payer_name, payment.category) == ("ACME SUPPLIES", "")
    (card,) = _parse(
        _card_statement(("CREDIT", "350.00", "Payment - Thank You")), "v211.ofx", "ofx"
    ).transactions
    assert (card.payer_name, card.category) == (None, "own_transfer")


def test_mbank_address_typed_with_a_spaced_street_marker() -> None:
    """mBank's ``OD:`` holds what the payer typed: ``... SP. ZO.O.. UL . WIEJSKA 23. 66-600
    KROSNO ...`` is the name up to the street, however the payer spaced ``UL .``."""
    name = "mt940_ksdev_mbank_iph_excerpt.txt"
    txs = _parse((DATA / name).read_bytes(), name, "mt940").transactions
    first, *_, fee = txs
    assert (first.direction, first.amount, first.currency, first.value_date) == (
        "credit",
        Decimal("6979.18"),
        "PLN",
        dt.date(2010, 6, 4),
    )
    assert (first.payer_name, first.payer_account) == (
        "GWARANT-CYNKOWANIE SPÓŁKA Z O.O.",
        "04105014611000002345271577",
    )
    assert (fee.direction, fee.amount, fee.reference) == (
        "debit",
        Decimal("15.00"),
        "794 OPŁATY GRUPOWE; TNR: 154960005384269.330001",
    )
    spaced = txs[3]
    assert (spaced.payer_name, spaced.raw["address"]) == (
        "KROŚ.PRZEDS.WOD-KANAL.SP. ZO.O..",
        "UL . WIEJSKA 23. 66-600 KROSNO ODRZAŃS KIE",
    )


def test_mbank_cash_deposit_names_the_depositor() -> None:
    """``65 WPŁATA GOTÓWKI; OD: JAN KOWALSKI; TYT.: ...``: a cash deposit has no account, but
    ``OD:`` still names who paid in; the ``DD``/``CR``/``DR`` marks are a mark and a funds code
    (the currency's last letter, or R), on an account in debit."""
    name = "mt940_ksdev_mbank_accounts_excerpt.txt"
    result = _parse((DATA / name).read_bytes(), name, "mt940")
    usd, eur = result.statements
    assert (usd.currency, usd.opening_balance, usd.closing_balance) == (
        "USD",
        Decimal("56.48"),
        Decimal("12.61"),
    )
    assert (eur.currency, eur.opening_balance, eur.closing_balance) == (
        "EUR",
        Decimal("-959.45"),
        Decimal("-459.24"),
    )
    transfer, refund, fee, cash = result.transactions
    assert (transfer.direction, transfer.amount, transfer.currency) == (
        "debit",
        Decimal("43.87"),
        "USD",
    )
    assert (refund.direction, refund.amount, refund.payer_account) == (
        "credit",
        Decimal("2.21"),
        "46114010100000579009004001",
    )
    assert (fee.direction, fee.payee_name) == ("debit", None)
    assert (cash.direction, cash.amount, cash.payer_name, cash.payer_account) == (
        "credit",
        Decimal("500.00"),
        "JAN KOWALSKI",
        None,
    )
