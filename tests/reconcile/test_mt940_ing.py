"""ING (Netherlands) MT940: spaces at a line's cut and the ``XXX`` end of a message.

Fixtures in ``data/bankfiles`` (byte copies of real files from MIT-licensed projects):

- ``mt940_zilverline_ing_iban.txt``: zilverline/mt940, ``spec/fixtures/ing/mt940_iban.txt``
  (commit 909b60c1); its ``spec/mt940_ing_spec.rb`` ("iban mt940") counts 21 entries and reads
  the first as ``22-08-2014 Omschrijving`` paid to ``B Bert``, ``NL57ABNA0876543211``.
- ``mt940_js_ing_xxx.mta``: webschik/mt940-js, ``test/cases/ing-1.mta`` (ING's pre-SEPA file,
  each message ending with a line ``XXX``), checked against its ``test/cases/ing-1.json``.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from reconcile.api import ParseResult, parse_bytes
from reconcile.model import ParseSettings

DATA = Path(__file__).parent / "data" / "bankfiles"


def _parse(data: bytes, name: str) -> ParseResult:
    (result,) = parse_bytes(data, name, ParseSettings())
    assert result.error is None, result.error
    assert result.format == "mt940"
    return result


def test_a_space_at_the_cut_of_an_ing_line_keeps_the_words_apart() -> None:
    """ING ends a line with the space where it cut the text (``... op KPN.com `` / ``of
    Hi.nl/``, ``USTD//loon `` / ``periode 8 (aug)/``): the words stay apart in the description
    (zilverline's own spec glues them: ``KPN.comof Hi.nl``), and a word cut with no space
    (``Spaarrekenin`` / ``g/``) stays whole. The raw details are the lines as before."""
    result = _parse((DATA / "mt940_zilverline_ing_iban.txt").read_bytes(), "ing_iban.txt")
    txs = result.transactions
    assert len(txs) == 21
    first = txs[0]
    assert first.reference == "22-08-2014 Omschrijving"
    assert (first.payee_name, first.payee_account) == ("B Bert", "NL57ABNA0876543211")
    kpn = txs[8]
    assert kpn.amount == Decimal("73.62") and kpn.payee_name == "KPN - MOBIEL"
    assert kpn.reference.startswith(
        "Factuurnr: 123456789.00. Kijk voor meer informatie op KPN.com of Hi.nl"
    )
    assert kpn.raw["details"].endswith("op KPN.com\nof Hi.nl/")  # as the library reads it
    salary = next(tx for tx in txs if tx.amount == Decimal("5758.40"))
    assert salary.reference == "loon periode 8 (aug)"
    assert salary.raw["details"].endswith("USTD//loon\nperiode 8 (aug)/")
    assert txs[7].reference == "VAN Zkl Kwartaal Spaarrekening"
    assert txs[18].reference == "Mijn fee"


def test_spaces_of_a_writer_that_pads_every_line_are_no_word_boundary() -> None:
    """A file whose one-line fields (more than one kind of them) end with spaces pads its
    lines: a space there is no word boundary, so a word cut across lines is joined as before
    (ING's own lines are not padded)."""
    padded = (
        (DATA / "mt940_zilverline_ing_iban.txt")
        .read_bytes()
        .replace(b":20:P123456000000001\n", b":20:P123456000000001 \n")
        .replace(b":25:NL68INGB0000012345EUR\n", b":25:NL68INGB0000012345EUR \n")
    )
    txs = _parse(padded, "padded.txt").transactions
    salary = next(tx for tx in txs if tx.amount == Decimal("5758.40"))
    assert salary.reference == "loonperiode 8 (aug)"


def test_xxx_ends_an_ing_message_and_stays_out_of_the_text() -> None:
    """ING's old files end a message with ``XXX`` (mt940-js ``ing-1.mta``): it is no part of
    the last ``:86:``, and the next message's header lines (``0000 01INGBNL2AXXXX00001``,
    ``940 00``) are no text either."""
    data = (DATA / "mt940_js_ing_xxx.mta").read_bytes()
    result = _parse(data, "ing-1.mta")
    (info,) = result.statements
    assert info.raw["information"] == ["D000001C000002D10000,99C11,01 ING TESTREKENING"]
    assert (info.opening_balance, info.closing_balance) == (Decimal("44.89"), Decimal("-9945.09"))
    amounts = [(tx.direction, tx.amount) for tx in result.transactions]
    assert amounts == [
        ("credit", Decimal("0.56")),
        ("credit", Decimal("10.45")),
        ("debit", Decimal("10000.99")),
    ]
    assert result.transactions[2].reference == "VERZAMELBETALING BATCH-ID: 012345 TOTAAL 198 POSTEN"
    # two messages in one file, as ING sends a day's statements: the first ends at XXX
    twice = _parse(data + b"\n" + data, "ing-2x.mta")
    assert [s.raw["information"] for s in twice.statements] == [
        ["D000001C000002D10000,99C11,01 ING TESTREKENING"]
    ] * 2
    assert len(twice.transactions) == 6
