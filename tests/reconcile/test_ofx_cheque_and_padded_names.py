"""OFX NAMEs that are no counterparty name: a cheque marker, and American Express's name with
the city run into it.

The shapes are the banks': Chase's QFX writes a paid cheque as ``<CHECKNUM>4196<NAME>CHECK 4196``
(``ofx_us_ach_orig_co_name.qfx``, after a Chase QFX quoted in a public importer's issue), others
``CHEQUE 123`` (Canadian banks), ``CHK #1001`` or, in German, ``SCHECK 12``, some with no
CHECKNUM at all. American Express's OFX pads the merchant to a fixed width and writes the city
after it (``<NAME>PRUNE               NEW YORK``, as quoted in GnuCash's and ofxparse's users'
reports). The statements around the entries are our own.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from reconcile.api import parse_bytes
from reconcile.model import ParseSettings, Transaction
from reconcile.parsers.ofx_names import cheque_number, without_padded_city
from tests.reconcile.test_ofx import SGML_HEADER

HEAD = (
    SGML_HEADER.encode()
    + b"""<OFX>
<CREDITCARDMSGSRSV1><CCSTMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>
<CCSTMTRS><CURDEF>USD<CCACCTFROM><ACCTID>379999999991001</CCACCTFROM>
<BANKTRANLIST><DTSTART>20261101<DTEND>20261130
"""
)
TAIL = b"""</BANKTRANLIST>
<LEDGERBAL><BALAMT>-412.37<DTASOF>20261130</LEDGERBAL>
</CCSTMTRS></CCSTMTTRNRS></CREDITCARDMSGSRSV1>
</OFX>
"""


def _read(transactions: bytes) -> list[Transaction]:
    (result,) = parse_bytes(HEAD + transactions + TAIL, "amex.qfx", ParseSettings())
    assert result.error is None, result.error
    return result.transactions


def _trn(fitid: str, amount: str, rest: str) -> bytes:
    return (
        f"<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20261105120000.000[-5:EST]<TRNAMT>{amount}"
        f"<FITID>{fitid}{rest}</STMTTRN>\n"
    ).encode()


def test_a_cheque_name_is_no_payee_and_keeps_its_number() -> None:
    with_num, without_num, hashed, german = _read(
        _trn("C1", "-84.00", "<CHECKNUM>4196<NAME>CHECK 4196")
        + _trn("C2", "-250.00", "<NAME>CHEQUE 123<MEMO>RENT NOV")
        + _trn("C3", "-19.99", "<NAME>CHK #1001")
        + _trn("C4", "-60.00", "<NAME>SCHECK 12<MEMO>Scheck Nr. 12")
    )
    assert [tx.payee_name for tx in (with_num, without_num, hashed, german)] == [None] * 4
    assert [tx.raw["checknum"] for tx in (with_num, without_num, hashed, german)] == [
        "4196",
        "123",
        "1001",
        "12",
    ]
    assert with_num.reference == "CHECK 4196"
    assert without_num.reference == "RENT NOV CHEQUE 123"
    assert hashed.reference == "CHK #1001"
    assert german.reference == "Scheck Nr. 12"  # the MEMO names the number already
    assert with_num.raw["name"] == "CHECK 4196"  # the bank's text stays in raw
    assert with_num.amount == Decimal("84.00")


def test_a_bare_cheque_word_beside_checknum_is_no_payee() -> None:
    (tx,) = _read(_trn("C5", "-35.00", "<CHECKNUM>1002<NAME>CHECK"))
    assert tx.payee_name is None
    assert tx.raw["checknum"] == "1002"


def test_a_name_that_only_starts_like_a_cheque_stays() -> None:
    cheesecake, checkers = _read(
        _trn("N1", "-42.10", "<NAME>CHEESECAKE FACTORY")
        + _trn("N2", "-12.49", "<NAME>CHECKERS DRIVE IN 4196")
    )
    assert cheesecake.payee_name == "CHEESECAKE FACTORY"
    assert checkers.payee_name == "CHECKERS DRIVE IN 4196"
    assert "checknum" not in checkers.raw


def test_amex_fixed_width_name_leaves_the_city_out() -> None:
    prune, bottle, spaced = _read(
        _trn("A1", "-187.40", "<NAME>PRUNE               NEW YORK")
        + _trn("A2", "-9.50", "<NAME>SQ *BLUE BOTTLE COF SAN FRANCISCO")
        + _trn("A3", "-64.00", "<NAME>ACME  HARDWARE")
    )
    assert prune.payee_name == "PRUNE"
    assert prune.raw["name"] == "PRUNE               NEW YORK"
    # single and double spaces are the name's own
    assert bottle.payee_name == "SQ *BLUE BOTTLE COF SAN FRANCISCO"
    assert spaced.payee_name == "ACME  HARDWARE"


@pytest.mark.parametrize(
    ("name", "number"),
    [
        ("CHECK 4196", "4196"),
        ("Cheque 000123", "000123"),
        ("CHK #1001", "1001"),
        ("CHQ NO. 55", "55"),
        ("SCHECK 12", "12"),
        ("CHECK", ""),
        ("CHECKERS", None),
        ("CHECK CASHING PLUS", None),
    ],
)
def test_cheque_number(name: str, number: str | None) -> None:
    assert cheque_number(name) == number


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("PRUNE               NEW YORK", "PRUNE"),
        ("DELTA AIR LINES     ATLANTA", "DELTA AIR LINES"),
        ("TRANSFERRED FROM     VS X10-08144", "TRANSFERRED FROM     VS X10-08144"),
        ("ACME  CORP", "ACME  CORP"),
    ],
)
def test_without_padded_city(name: str, expected: str) -> None:
    assert without_padded_city(name) == expected
