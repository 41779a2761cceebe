"""OFC, Microsoft Money's format before OFX, as Brazilian banks still offer it.

The three files are fixofx's test fixtures (myfreecomm/fixofx, a fork of Wesabe's fixofx,
Apache 2.0): ``ofc_with_chknum.ofc`` (leaves closed as XML, ``ACCTSTMT``, no ``GENTRN``),
``nobankinfo_and_trnrs.ofc`` (a Bradesco session: ``SONRS``, a ``MAILRS`` of ``MEMO`` lines, the
statement inside ``TRNRS`` with no account, every entry wrapped in ``GENTRN``, CRLF) and
``invalid_blank_tag_ledger.ofc`` (an empty ``LEDGER``, ``NAME`` and ``SIC``, repeated FITIDs).
fixofx asserts the balance 350.66 and the dates 20101214 to 20110113 of the second one; the
other values are the files' own. The structure is the OFC DTD that libofx ships (``ofc.dtd``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from reconcile.api import parse_bytes
from reconcile.model import ParseResult, ParseSettings

DATA = Path(__file__).parent / "data" / "bankfiles"
BRL = ParseSettings(default_currency="BRL")


def _parse(name: str, settings: ParseSettings = BRL) -> ParseResult:
    (result,) = parse_bytes((DATA / name).read_bytes(), name, settings)
    return result


def test_a_statement_with_closed_leaves_and_no_gentrn() -> None:
    result = _parse("ofc_fixofx_closed_leaves.ofc")
    assert result.error is None and result.format == "ofc"
    txs = result.transactions
    assert len(txs) == 8
    first, credit = txs[0], txs[3]
    assert (first.booking_date, first.amount, first.direction) == (
        dt.date(2008, 7, 11),
        Decimal("60.57"),
        "debit",
    )
    assert (first.bank_ref, first.reference, first.currency) == (
        "20080711160570",
        "Pagamento de Telefone",
        "BRL",
    )
    assert first.raw["chknum"] == "00049434" and first.raw["trntype_name"] == "DEBIT"
    assert (credit.amount, credit.direction) == (Decimal("1000.00"), "credit")
    assert credit.reference == "DOC Crédito em Conta - 745 0094     7894868736 ALLAN ALBAREZ"
    (info,) = result.statements
    assert (info.account, info.closing_balance, info.closing_date) == (
        "00000071692",
        Decimal("480.58"),
        dt.date(2008, 7, 31),
    )
    assert (info.raw["bank_id"], info.raw["branch_id"], info.raw["account_type"]) == (
        "001",
        "3071-6",
        "CHECKING",
    )
    assert sum(t.amount if t.direction == "credit" else -t.amount for t in txs) == Decimal("698.60")


def test_a_bradesco_session_with_the_statement_inside_trnrs() -> None:
    result = _parse("ofc_fixofx_bradesco_session.ofc")
    assert result.error is None
    txs = result.transactions
    assert len(txs) == 14  # the MAILRS lines are a message, not entries
    assert [(t.direction, t.amount) for t in txs[:3]] == [
        ("credit", Decimal("24.98")),
        ("credit", Decimal("5.00")),
        ("debit", Decimal("13.91")),
    ]
    assert txs[0].bank_ref == "10012011 3176230 00000"
    assert txs[0].reference == "00112 TRANSF.AUT. C/C - Juliano Alberto Gimenes"
    (info,) = result.statements
    # fixofx's OFCConverterWithNoBankInfoTestCase
    assert (info.closing_balance, info.raw["start"], info.raw["end"]) == (
        Decimal("350.66"),
        "20101214",
        "20110113",
    )
    assert info.opening_date == dt.date(2010, 12, 14) and info.account is None


def test_an_empty_ledger_and_repeated_fitids() -> None:
    result = _parse("ofc_fixofx_blank_ledger.ofc")
    assert result.error is None
    txs = result.transactions
    assert len(txs) == 24
    assert (txs[0].payer_name, txs[0].amount) == ("CR.TRANSFERENCIA", Decimal("800.00"))
    assert txs[7].raw["trntype_name"] == "DEP" and txs[7].direction == "credit"
    # the bank repeats FITID 000000 (IOF, IOF ADICIONAL): both entries are kept, told apart
    iof = [t for t in txs if t.raw["fitid"] == "000000"]
    assert [(t.payee_name, t.amount) for t in iof] == [
        ("IOF", Decimal("0.60")),
        ("IOF ADICIONAL", Decimal("1.16")),
    ]
    assert len({t.bank_ref for t in txs}) == 24
    (info,) = result.statements
    assert info.closing_balance is None and info.account == "06433500275606"


def test_the_assumed_currency_is_said_and_without_one_the_file_is_refused() -> None:
    result = _parse("ofc_fixofx_closed_leaves.ofc")
    assert result.warnings == [
        "statement 1: the OFC file names no currency: its amounts are read as BRL, the "
        "default currency"
    ]
    refused = _parse("ofc_fixofx_closed_leaves.ofc", ParseSettings())
    assert refused.transactions == [] and refused.error is not None
    assert "names no currency" in refused.error and "download the statement as OFX" in (
        refused.error
    )


def test_a_cut_file_and_a_file_without_statements_are_refused() -> None:
    data = (DATA / "ofc_fixofx_bradesco_session.ofc").read_bytes()
    (cut,) = parse_bytes(data[: data.index(b"</OFC>")], "cut.ofc", BRL)
    assert cut.error is not None and "truncated OFC file" in cut.error
    (empty,) = parse_bytes(data[: data.index(b"<TRNRS>")] + b"</OFC>", "mail.ofc", BRL)
    assert empty.error is not None and "without any statement" in empty.error


def test_a_broken_entry_costs_only_itself() -> None:
    data = (DATA / "ofc_fixofx_bradesco_session.ofc").read_bytes()
    broken = data.replace(b"<TRNAMT>5.00", b"<TRNAMT>five", 1)
    (result,) = parse_bytes(broken, "broken.ofc", BRL)
    assert result.error is None and len(result.transactions) == 13
    assert any("five" in w for w in result.warnings)


def test_cheque_names_and_padded_cities_read_as_in_ofx() -> None:
    """Bradesco's session layout (``ofc_fixofx_bradesco_session.ofc``) with a NAME in three
    entries, as the OFX reader meets them: a paid cheque written ``CHEQUE 850123`` (its number
    no payee), American Express's merchant padded to a fixed width before the city, and a
    cheque whose MEMO already names the number."""

    def entry(amount: str, fitid: str, name: str, memo: str) -> str:
        return (
            f"<STMTTRN>\n<GENTRN>\n<TRNTYPE>1\n<DTPOSTED>20110110\n<TRNAMT>{amount}\n"
            f"<FITID>{fitid}\n<NAME>{name}\n<MEMO>{memo}\n</GENTRN>\n</STMTTRN>\n"
        )

    data = (
        "<OFC>\n<DTD>2\n<CPAGE>1252\n<TRNRS>\n<CLTID>1\n<STATUS>0\n<STMTRS>\n"
        "<DTSTART>20101214\n<DTEND>20110113\n<LEDGER>350.66\n"
        + entry("-850.00", "1", "CHEQUE 850123", "00202 CHEQUE COMPENSADO")
        + entry("-38.50", "2", "PRUNE               NEW YORK", "AMEX")
        + entry("-120.00", "3", "CHQ 850124", "CHEQUE 850124 PAGO")
        + "</STMTRS>\n</TRNRS>\n</OFC>\n"
    ).encode("cp1252")
    (result,) = parse_bytes(data, "bradesco.ofc", BRL)
    assert result.error is None, result.error
    cheque, amex, named = result.transactions
    assert (cheque.payee_name, cheque.raw["chknum"], cheque.reference) == (
        None,
        "850123",
        "00202 CHEQUE COMPENSADO CHEQUE 850123",
    )
    assert (amex.payee_name, amex.reference) == ("PRUNE", "AMEX")
    assert (named.payee_name, named.reference) == (None, "CHEQUE 850124 PAGO")
