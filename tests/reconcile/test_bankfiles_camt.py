"""camt variants beyond the corpus: merged documents, national namespaces, 001.09 and later.

The fixtures in ``data/bankfiles`` are our own, written after the shapes real banks send: a day's
statements written one after the other into one file (each with its ``<?xml`` declaration, the
first behind a UTF-8 BOM), Austria's Stuzza namespace ``ISO:camt.053.001.02:APC:STUZZA:...``
with a PRCD opening balance, and a camt.054.001.13 notification with charges, a Swiss QR
reference and a returned payment. ``genkgo_camt054_v8_financial_institution.xml`` and
``genkgo_camt053_v2_minimal_ultimate.xml`` (its indentation folded) are genkgo/camt's test files
(MIT licence), with the values its golden JSON asserts.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from reconcile.api import parse_bytes
from reconcile.model import ParseResult, ParseSettings

DATA = Path(__file__).parent / "data" / "bankfiles"


def _parse(name: str) -> ParseResult:
    (result,) = parse_bytes((DATA / name).read_bytes(), name, ParseSettings())
    assert result.error is None, result.error
    assert result.format == "camt"
    return result


def test_documents_written_one_after_the_other_are_each_read() -> None:
    result = _parse("camt053_two_documents.xml")
    first, second = result.transactions
    assert (first.booking_date, first.direction, first.amount) == (
        dt.date(2026, 11, 3),
        "credit",
        Decimal("250.00"),
    )
    assert first.payer_name == "Van Dijk Handel BV" and first.reference == "INV-2026-0311"
    assert (second.booking_date, second.direction, second.amount) == (
        dt.date(2026, 11, 4),
        "debit",
        Decimal("80.00"),
    )
    assert [t.bank_ref for t in result.transactions] == ["NL-0311-1", "NL-0411-1"]
    # statements are numbered through the file, so each entry keeps its own place
    assert [t.source for t in result.transactions] == [
        "camt053_two_documents.xml#entry=1.1",
        "camt053_two_documents.xml#entry=2.1",
    ]
    day1, day2 = result.statements
    assert (day1.statement_id, day1.opening_balance, day1.closing_balance) == (
        "STMT-2026-11-03",
        Decimal("1000.00"),
        Decimal("1250.00"),
    )
    assert (day2.statement_id, day2.opening_balance, day2.closing_balance) == (
        "STMT-2026-11-04",
        Decimal("1250.00"),
        Decimal("1170.00"),
    )
    assert day2.raw["message_id"] == "CONCORD-0411"


def test_a_broken_second_document_refuses_the_file() -> None:
    data = (DATA / "camt053_two_documents.xml").read_bytes()
    broken = data[: data.rindex(b"</Stmt>")]  # the second document is cut off
    (result,) = parse_bytes(broken, "cut.xml", ParseSettings())
    assert result.transactions == []
    assert result.error is not None and "not well-formed XML" in result.error


def test_national_namespace_naming_the_iso_message_is_read_like_it() -> None:
    result = _parse("camt053_national_namespace.xml")
    (tx,) = result.transactions
    assert (tx.amount, tx.direction, tx.currency) == (Decimal("75.50"), "credit", "EUR")
    assert tx.bank_ref == "AT-0311-0001"
    assert tx.payer_name == "Gruber Möbel GmbH"
    assert tx.payer_account == "AT483200000012345864"
    assert tx.reference == "RF712026077700"
    assert tx.raw["creditor_reference_type"] == "SCOR"
    (info,) = result.statements
    # PRCD (the previous day's closing) is the opening balance when there is no OPBD
    assert (info.opening_balance, info.opening_date) == (Decimal("300.00"), dt.date(2026, 11, 2))
    assert info.closing_balance == Decimal("375.50")
    assert info.raw["namespace"] == "ISO:camt.053.001.02:APC:STUZZA:payments:003"


def test_version_13_notification_with_charges_qr_reference_and_a_return() -> None:
    result = _parse("camt054_v13_charges_return.xml")
    paid, returned = result.transactions
    assert paid.amount == Decimal("499.70") and paid.direction == "credit"
    assert paid.reference == "210000000003139471430009017"
    assert paid.raw["creditor_reference_type"] == "QRR"
    # the part's own Chrgs: the total the bank states
    assert (paid.raw["charges"], paid.raw["charges_currency"]) == ("0.30", "CHF")
    assert paid.raw["return_reason"] is None
    assert returned.reversal is True
    assert returned.raw["return_reason"] == "AC04"
    # the entry's Chrgs without a total: its records added up
    assert (returned.raw["charges"], returned.raw["charges_currency"]) == ("7.50", "CHF")
    # the transfer we sent to Berger Transporte came back: the file names them as the creditor
    # of that payment, and they are who this credit comes from
    assert returned.raw["creditor_name"] == "Berger Transporte"
    assert (returned.payer_name, returned.payee_name) == ("Berger Transporte", None)


def test_a_bank_as_the_other_party_is_named() -> None:
    # from 001.08 a party is a choice of Pty (person, company) and Agt (a bank): genkgo/camt
    # reads "Example Creditor 3 - V1" in CH from Cdtr/Agt/FinInstnId
    result = _parse("genkgo_camt054_v8_financial_institution.xml")
    (tx,) = result.transactions
    assert (tx.amount, tx.direction, tx.currency) == (Decimal("200000.00"), "debit", "SEK")
    assert tx.bank_ref == "ACSR160617103200001"
    assert tx.payee_name == "Example Creditor 3 - V1"
    assert tx.raw["creditor_country"] == "CH"
    # no booking or value date: the notification's creation day, and a warning saying so
    assert tx.booking_date == dt.date(2007, 10, 18)
    assert tx.warnings == ["no booking or value date: the message creation date is used"]


def test_latin1_bytes_under_a_utf8_declaration_are_read_with_a_warning() -> None:
    # some banks write Windows-1252 text under encoding="UTF-8" (OCA's importer retries ABN
    # AMRO's files as ISO-8859-15): one accented name refused the whole file before
    text = (DATA / "camt053_national_namespace.xml").read_text(encoding="utf-8")
    assert 'encoding="UTF-8"' in text
    (result,) = parse_bytes(text.encode("cp1252"), "latin1.xml", ParseSettings())
    assert result.error is None, result.error
    (tx,) = result.transactions
    assert tx.payer_name == "Gruber Möbel GmbH" and tx.amount == Decimal("75.50")
    assert [str(w) for w in result.statements[0].raw["warnings"]] == [
        "the file is declared UTF-8 but is not: its text was read as Windows-1252 (Western "
        "European), check names with accents"
    ]


def test_a_declared_latin1_file_needs_no_repair() -> None:
    text = (DATA / "camt053_national_namespace.xml").read_text(encoding="utf-8")
    data = text.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').encode("latin-1")
    (result,) = parse_bytes(data, "declared.xml", ParseSettings())
    (tx,) = result.transactions
    assert tx.payer_name == "Gruber Möbel GmbH"
    assert "warnings" not in result.statements[0].raw


def test_only_ultimate_parties_still_name_payer_and_payee() -> None:
    # a part that names only UltmtDbtr/UltmtCdtr (genkgo/camt's minimal.ultimate): the party
    # paid for is the best name there is for matching
    result = _parse("genkgo_camt053_v2_minimal_ultimate.xml")
    (tx,) = result.transactions
    assert (tx.amount, tx.direction, tx.booking_date) == (
        Decimal("8.85"),
        "credit",
        dt.date(2014, 12, 31),
    )
    assert tx.value_date == dt.date(2015, 1, 2)
    assert (tx.payer_name, tx.payee_name) == ("DEBTOR NAME NM", "CREDITOR NAME NM")
    # the raw fields still say which party was named
    assert (tx.raw["ultimate_debtor"], tx.raw["debtor_name"]) == ("DEBTOR NAME NM", None)
    assert tx.reference == "4654654654654654" and tx.raw["creditor_reference_type"] == "SCOR"
    (info,) = result.statements
    # each balance keeps its own currency; none is added to another
    assert [(b.type, b.amount, b.currency) for b in info.balances] == [
        ("OPBD", Decimal("18.15"), "EUR"),
        ("CLBD", Decimal("-27.00"), "SEK"),
        ("OPAV", Decimal("35.00"), "CHF"),
        ("CLAV", Decimal("-2700"), "JPY"),
    ]
