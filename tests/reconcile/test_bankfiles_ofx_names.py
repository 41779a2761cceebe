"""Who the other side is in an OFX transaction: EXTDNAME, NAME, PAYEE, BANKACCTTO, CCACCTTO.

OFX 2.2 (STMTTRN, section 11.4.4.1) gives the payer or payee as NAME (at most 32 characters) or
a PAYEE aggregate, the fuller name as EXTDNAME (up to 100 characters), the other account as
BANKACCTTO or CCACCTTO, and free text as MEMO. No public test suite we searched holds a bank's
file with EXTDNAME, so the files here are our own, in the shapes banks write: Brazilian banks
put a generic "PIX" in NAME and the person in EXTDNAME (a public OFX anonymiser's tests,
``<NAME>PIX <EXTDNAME>RODRIGO ...``), and long names cut at 32 characters in NAME (ofxtools
issue #91, "my FI consistently reports transactions with names in excess of 32 characters").
"""

from __future__ import annotations

from decimal import Decimal

from reconcile.api import parse_bytes
from reconcile.model import ParseSettings, Transaction
from tests.reconcile.test_ofx import SGML_HEADER

HEAD = (
    SGML_HEADER.encode()
    + b"""<OFX>
<BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>
<STMTRS><CURDEF>BRL<BANKACCTFROM><BANKID>0260<ACCTID>987654-3<ACCTTYPE>CHECKING</BANKACCTFROM>
<BANKTRANLIST><DTSTART>20261001<DTEND>20261031
"""
)
TAIL = b"""</BANKTRANLIST>
<LEDGERBAL><BALAMT>1000.00<DTASOF>20261031</LEDGERBAL>
</STMTRS></STMTTRNRS></BANKMSGSRSV1>
</OFX>
"""


def _read(transactions: bytes) -> list[Transaction]:
    (result,) = parse_bytes(HEAD + transactions + TAIL, "names.ofx", ParseSettings())
    assert result.error is None, result.error
    return result.transactions


def test_the_extended_name_is_the_counterparty_and_name_stays_in_raw() -> None:
    credit, debit = _read(
        b"<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20261003<TRNAMT>100.00<FITID>P1<NAME>PIX\n"
        b"<EXTDNAME>RODRIGO PACIENTE MOURA<MEMO>Transferencia recebida</STMTTRN>\n"
        b"<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20261004<TRNAMT>-40.00<FITID>P2\n"
        b"<NAME>COMPANHIA PAULISTA DE FORCA E LU<EXTDNAME>COMPANHIA PAULISTA DE FORCA E LUZ"
        b" CPFL<MEMO>Conta de luz</STMTTRN>\n"
    )
    assert (credit.payer_name, credit.payee_name) == ("RODRIGO PACIENTE MOURA", None)
    assert (credit.raw["name"], credit.raw["extdname"]) == ("PIX", "RODRIGO PACIENTE MOURA")
    assert credit.reference == "Transferencia recebida"
    assert debit.payee_name == "COMPANHIA PAULISTA DE FORCA E LUZ CPFL"
    assert debit.raw["name"] == "COMPANHIA PAULISTA DE FORCA E LU"  # cut at 32 characters


def test_an_empty_extended_name_leaves_the_name() -> None:
    # XML writers (an XSLT converter among the public ones) write <EXTDNAME></EXTDNAME> always
    (tx,) = _read(
        b"<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20261005<TRNAMT>-9.90<FITID>E1<NAME>PADARIA REAL"
        b"<EXTDNAME></EXTDNAME><MEMO>Compra</STMTTRN>\n"
    )
    assert tx.payee_name == "PADARIA REAL"


def test_the_payee_aggregate_gives_the_name_and_extdname_still_wins() -> None:
    plain, extended = _read(
        b"<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20261006<TRNAMT>2400.00<FITID>Y1\n"
        b"<PAYEE><NAME>ACME CORP<ADDR1>1 Main St<CITY>Denver<STATE>CO<POSTALCODE>80202"
        b"<PHONE>555-0100</PAYEE></STMTTRN>\n"
        b"<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20261006<TRNAMT>10.00<FITID>Y2\n"
        b"<PAYEE><NAME>ACME<ADDR1>1 Main St<CITY>Denver<STATE>CO<POSTALCODE>80202"
        b"<PHONE>555-0100</PAYEE><EXTDNAME>ACME CORPORATION OF AMERICA</STMTTRN>\n"
    )
    assert plain.payer_name == "ACME CORP"
    assert extended.payer_name == "ACME CORPORATION OF AMERICA"


def test_the_other_account_comes_from_bankacctto_or_ccacctto() -> None:
    to_bank, to_card = _read(
        b"<STMTTRN><TRNTYPE>XFER<DTPOSTED>20261007<TRNAMT>-500.00<FITID>X1<NAME>POUPANCA\n"
        b"<BANKACCTTO><BANKID>0260<ACCTID>555111-2<ACCTTYPE>SAVINGS</BANKACCTTO></STMTTRN>\n"
        b"<STMTTRN><TRNTYPE>PAYMENT<DTPOSTED>20261008<TRNAMT>-250.00<FITID>X2<NAME>CARTAO\n"
        b"<CCACCTTO><ACCTID>5520000011112222</CCACCTTO></STMTTRN>\n"
    )
    assert (to_bank.payee_account, to_bank.amount) == ("555111-2", Decimal("500.00"))
    assert to_card.payee_account == "5520000011112222"
