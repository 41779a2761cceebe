"""Bank files from other projects' test suites (sweep 36), checked against what those projects
assert, or synthetic files of the same shape where the source's licence does not let us copy.

- aclindsa/ofxgo (GPL-2.0, so not copied):
  ``samples/busted_responses/bmo_v102__no_header_newline.qfx``, a BMO credit card statement
  whose one credit is ``<NAME>PAYMENT RECEIVED - THANK YOU``; the file below is a synthetic one
  of the same shape.
"""

from __future__ import annotations

from decimal import Decimal

from reconcile.api import ParseResult, parse_bytes
from reconcile.model import ParseSettings


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
    """BMO's ``PAYMENT RECEIVED - THANK YOU`` (ofxgo's sample) and Chase's ``AUTOPAY PAYMENT -
    THANK YOU``: the holder paying the card, kept as text and marked as our own money; a refund
    from a merchant on the same card still names the merchant."""
    data = _card_statement(
        ("CREDIT", "2042.24", "PAYMENT RECEIVED - THANK YOU"),
        ("CREDIT", "150.00", "AUTOPAY PAYMENT - THANK YOU"),
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
