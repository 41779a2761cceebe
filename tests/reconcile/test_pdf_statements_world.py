"""PDF statements of US, European and Asian banks (``bench.generators.statements_pdf_world``):
sectioned tables whose heading gives the direction, dates without a year completed from the
statement's period, trailing-minus and S/H amounts; and the rules they are read by."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from bench.generators import statements_pdf_world as world
from reconcile.api import parse_bytes
from reconcile.errors import ParseError
from reconcile.model import ParseResult, ParseSettings, Transaction
from reconcile.parsers import pdf
from reconcile.parsers.pdf_sections import (
    Period,
    find_period,
    section_direction,
    signed,
    yearless,
)


def _parse(generated: world.StatementPdf) -> ParseResult:
    (result,) = parse_bytes(generated.data, generated.filename, generated.settings)
    return result


def _fields(tx: Transaction) -> tuple[object, ...]:
    balance = tx.raw.get("balance")
    return (tx.booking_date, tx.amount, tx.direction, tx.currency, tx.reference, balance, tx.source)


OUR_ACCOUNT = {"us": "000000123456789", "sg": "123-456789-0", "my": "123-456789-0"}


@pytest.mark.parametrize("layout", world.WORLD_LAYOUTS)
def test_every_row_of_every_family_is_read_field_by_field(layout: str) -> None:
    generated = world.generate_world(layout, 70)
    assert generated.pages >= 2
    result = _parse(generated)
    assert result.error is None, result.error
    assert result.format == "pdf"
    # a US statement prints "$" only, which names no one currency: read as the default, said so
    assumed = ["currency_assumed"] if layout.startswith("us") else []
    assert [w.code for w in result.warnings] == assumed
    expected = [
        (e.booking_date, e.amount, e.direction, e.currency, e.reference, e.balance, e.source)
        for e in generated.expected
    ]
    assert [_fields(tx) for tx in result.transactions] == expected
    for tx, e in zip(result.transactions, generated.expected, strict=True):
        assert tx.warnings == []
        assert tx.our_account == OUR_ACCOUNT.get(layout, OUR_ACCOUNT.get(layout[:2], ""))
        if e.bank_ref is not None:
            assert tx.bank_ref == e.bank_ref  # the check number
        if e.value_date is not None:
            assert tx.value_date == e.value_date  # Wert


def test_sections_give_the_direction_and_their_totals_and_daily_balances_are_left_out() -> None:
    generated = world.generate_world("us", 70)
    result = _parse(generated)
    by_source = {tx.source: tx for tx in result.transactions}
    assert len(by_source) == 70  # no "Total ..." row, no DAILY ENDING BALANCE row
    checks = [tx for tx in result.transactions if tx.bank_ref and tx.bank_ref.isdigit()]
    assert checks and all(tx.direction == "debit" and tx.amount > 0 for tx in checks)
    assert {tx.direction for tx in result.transactions} == {"credit", "debit"}
    assert all(tx.booking_date.year == 2026 and tx.booking_date.month == 10 for tx in checks)


@pytest.mark.parametrize("layout", ["us_newyear", "sg_newyear"])
def test_a_december_to_january_statement_crosses_the_year(layout: str) -> None:
    """Dates printed 12/28 and 01/05 (28 Dec, 05 Jan) under "December 12, 2026 through
    January 11, 2027" (or "Statement Date 11 Jan 2027") are of two years."""
    result = _parse(world.generate_world(layout, 70))
    years = {(tx.booking_date.year, tx.booking_date.month) for tx in result.transactions}
    assert years == {(2026, 12), (2027, 1)}


def test_a_value_date_before_a_january_statement_is_of_the_year_before() -> None:
    result = _parse(world.generate_world("de_newyear", 40))
    first = result.transactions[0]
    assert first.booking_date == dt.date(2027, 1, 1)
    assert first.value_date == dt.date(2026, 12, 31)


def test_dates_without_a_year_and_nothing_to_complete_them_are_refused() -> None:
    generated = world.generate_world("us_noyear", 20)
    with pytest.raises(ParseError) as caught:
        pdf.parse(generated.data, generated.filename, generated.settings)
    error = caught.value
    assert error.problem is not None and error.problem.code == "pdf_statement_date_no_year"
    assert error.problem.params["date"] == "10/01"
    assert error.file == "us_noyear.pdf"


def test_statement_facts_of_a_statement_with_balance_brought_forward() -> None:
    generated = world.generate_world("sg", 40)
    (info,) = _parse(generated).statements
    assert info.opening_balance == 50000
    assert info.closing_balance == generated.expected[-1].balance
    assert info.account == "123-456789-0" and info.currency == "SGD"
    assert info.transaction_count == 40


@pytest.mark.parametrize(
    ("lines", "period"),
    [
        (
            ["October 01, 2026 through October 31, 2026"],
            Period(dt.date(2026, 10, 1), dt.date(2026, 10, 31)),
        ),
        (
            ["for December 12, 2026 to January 11, 2027"],
            Period(dt.date(2026, 12, 12), dt.date(2027, 1, 11)),
        ),
        (["Kontoauszug 11/2026 Blatt 1"], Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))),
        (["vom 01.11.2026 bis 30.11.2026"], Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))),
        (["Du 01/11/2026 au 30/11/2026"], Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))),
        (
            ["Statement Period 10/01/2026 - 10/31/2026"],
            Period(dt.date(2026, 10, 1), dt.date(2026, 10, 31)),
        ),
        (["Statement Date 05 Jan 2027"], Period(dt.date(2026, 2, 5), dt.date(2027, 1, 5))),
        (["Account 123-456", "Page 1"], None),
    ],
)
def test_the_period_comes_from_the_lines_above_the_table(
    lines: list[str], period: Period | None
) -> None:
    assert find_period(lines) == period


@pytest.mark.parametrize(
    ("text", "period", "day"),
    [
        ("10/03", Period(dt.date(2026, 10, 1), dt.date(2026, 10, 31)), dt.date(2026, 10, 3)),
        ("03.11.", Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30)), dt.date(2026, 11, 3)),
        ("10/11", Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30)), dt.date(2026, 11, 10)),
        ("03 Nov", Period(dt.date(2025, 12, 6), dt.date(2026, 11, 30)), dt.date(2026, 11, 3)),
        ("Dec 28", Period(dt.date(2026, 12, 12), dt.date(2027, 1, 11)), dt.date(2026, 12, 28)),
        ("01/05", Period(dt.date(2026, 12, 12), dt.date(2027, 1, 11)), dt.date(2027, 1, 5)),
        ("28 Dec", Period(dt.date(2026, 2, 5), dt.date(2027, 1, 5)), dt.date(2026, 12, 28)),
        # a value date before the period: the year before (DKB: booked 02.01., valued 31.12.)
        ("31.12.", Period(dt.date(2027, 1, 1), dt.date(2027, 1, 31)), dt.date(2026, 12, 31)),
        ("02.01.", Period(dt.date(2018, 12, 29), dt.date(2019, 1, 3)), dt.date(2019, 1, 2)),
        ("06/15", Period(dt.date(2026, 10, 1), dt.date(2026, 10, 31)), None),
    ],
)
def test_a_date_without_a_year_takes_the_year_of_the_period(
    text: str, period: Period, day: dt.date | None
) -> None:
    choices = yearless(text)
    assert choices is not None
    assert period.place(choices) == day


@pytest.mark.parametrize("text", ["2026-10-03", "14:30", "10.30 Uhr", "INV 10/03/2026", ""])
def test_only_a_day_and_a_month_are_a_date_without_a_year(text: str) -> None:
    assert yearless(text) is None


@pytest.mark.parametrize(
    ("heading", "direction"),
    [
        ("DEPOSITS AND ADDITIONS", "in"),
        ("Deposits and other credits", "in"),
        ("CHECKS PAID", "out"),
        ("ATM & DEBIT CARD WITHDRAWALS", "out"),
        ("ELECTRONIC WITHDRAWALS (continued)", "out"),
        ("Withdrawals and other debits", "out"),
        ("FEES", "out"),
        ("Service fees", "out"),
        ("DAILY ENDING BALANCE", "skip"),
        ("Daily ledger balances", "skip"),
        ("Deposits and other additions", "in"),
        ("Withdrawals and other subtractions", "out"),
        ("Checks", "out"),
        ("Total Deposits and Additions", None),
        ("Deposits and withdrawals", None),
        ("Debit Card Statement", None),
        ("Payment 4,000.00", None),
        # headings of European and Chinese statements printed in sections
        ("Gutschriften", "in"),
        ("Zahlungseingänge", "in"),
        ("Lastschriften", "out"),
        ("Belastungen (Fortsetzung)", "out"),
        ("Gebühren und Entgelte", "out"),
        ("Summe Gutschriften", None),
        ("Saldenübersicht", "skip"),
        ("Opérations au crédit", "in"),
        ("Opérations au débit", "out"),
        ("Crédits", "in"),
        ("Prélèvements", "out"),
        ("Total des opérations au débit", None),
        ("Bijschrijvingen", "in"),
        ("Afschrijvingen", "out"),
        ("Abonos", "in"),
        ("Cargos", "out"),
        ("Accrediti", "in"),
        ("Addebiti", "out"),
        ("收入明细", "in"),
        ("支出明细", "out"),
        ("贷方发生明细", "in"),
        ("借方发生", "out"),
        ("收入与支出明细", None),
        ("Gutschriften und Lastschriften", None),
    ],
)
def test_a_section_heading_names_a_direction(heading: str, direction: str | None) -> None:
    assert section_direction(heading) == direction


@pytest.mark.parametrize(
    ("text", "direction", "out"),
    [
        ("1,234.56", "out", "-1,234.56"),
        ("1,234.56", "in", "1,234.56"),
        ("1,234.56", None, "1,234.56"),
        ("1.234,56 S", None, "-1.234,56"),
        ("1.234,56 H", "out", "1.234,56"),
        ("1.234,56-", "out", "1.234,56-"),
        ("-12.00", "out", "-12.00"),
        ("", "out", ""),
    ],
)
def test_an_amount_is_signed_by_its_section_or_its_mark(
    text: str, direction: str | None, out: str
) -> None:
    assert signed(text, direction) == out  # type: ignore[arg-type]


_PRINTED = Path(__file__).parent / "data" / "bankfiles"


def _printed(name: str, settings: ParseSettings) -> tuple[ParseResult, list[dict[str, str]]]:
    data = (_PRINTED / f"pdf_statement_chromium_{name}.pdf").read_bytes()
    rows = json.loads((_PRINTED / f"pdf_statement_chromium_{name}.json").read_text("utf-8"))
    (result,) = parse_bytes(data, f"{name}.pdf", settings)
    return result, rows


def test_a_sectioned_us_statement_printed_by_a_browser_is_read_row_by_row() -> None:
    """Chromium lays out one unruled table per section (bench.generators.statements_chromium);
    a table running onto page 2 repeats its header there but not its heading."""
    result, rows = _printed("us", ParseSettings(default_currency="USD"))
    assert result.error is None
    assert [(w.code, w.params) for w in result.warnings] == [
        ("currency_assumed", {"currency": "USD"})  # "$" names no one currency
    ]
    assert len(result.transactions) == len(rows) == 45
    assert {t.source.split("/")[0] for t in result.transactions} == {
        "us.pdf#page=1",
        "us.pdf#page=2",
    }
    for tx, row in zip(result.transactions, rows, strict=True):
        assert tx.booking_date == dt.date.fromisoformat(row["date"])
        assert tx.amount == Decimal(row["amount"].replace(",", ""))
        assert tx.direction == row["direction"]
        assert tx.currency == "USD"
        assert tx.reference == row["description"]


def test_a_kontoauszug_printed_by_a_browser_is_read_row_by_row() -> None:
    result, rows = _printed("de", ParseSettings())
    assert result.error is None and result.warnings == []
    assert len(result.transactions) == len(rows) == 45
    for tx, row in zip(result.transactions, rows, strict=True):
        figure, mark = row["amount"].split()
        assert tx.booking_date == tx.value_date == dt.date.fromisoformat(row["date"])
        assert tx.amount == Decimal(figure.replace(".", "").replace(",", "."))
        assert tx.direction == ("credit" if mark == "H" else "debit") == row["direction"]
        assert tx.currency == "EUR"  # from "Betrag (EUR)"
        assert tx.reference == row["description"]
