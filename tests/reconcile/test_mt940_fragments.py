"""Fragments of MT940 statements: recognised as MT940, read when they hold entries, and refused
with an MT940 problem naming the missing fields when they hold only balances.

The fragments are our own, cut the way exports and copy-pastes cut real statements: balance
lines alone, a file that starts inside a message (in an ``:86:`` text, or at ``:25:``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from reconcile.api import parse_bytes
from reconcile.model import ParseSettings
from reconcile.parsers import detect, mt940


def _read(text: str) -> tuple[str | None, list[tuple[str, Decimal, str]]]:
    (result,) = parse_bytes(text.encode(), "part.sta", ParseSettings())
    error = result.error
    if error is not None:
        assert getattr(error, "code", None) == "mt940_fragment"
    txs = [(t.direction, t.amount, t.currency) for t in result.transactions]
    return (str(error) if error is not None else None), txs


def _assert_fragment(text: str, found: str, missing: str) -> None:
    """``text`` is taken for MT940 and refused as a fragment naming what it holds and lacks."""
    assert detect(text.encode(), "part.sta") is mt940
    error, txs = _read(text)
    assert txs == []
    assert error == (
        f"part.sta: a fragment of an MT940 statement, not a whole one: it holds {found} "
        f"but no {missing}"
    )


@pytest.mark.parametrize(
    ("text", "found", "missing"),
    [
        (":62F:C200102EUR100,00\n", ":62F:", ":20:, :25:, :28C:, :60F:, :61:"),
        (
            ":60F:C200101EUR100,00\r\n:62F:C200102EUR100,00\r\n",
            ":60F:, :62F:",
            ":20:, :25:, :28C:, :61:",
        ),
        (
            ":25:NL91ABNA0417164300\n:28C:1/1\n:60F:C200101EUR100,00\n:62F:C200102EUR100,00\n-}\n",
            ":25:, :28C:, :60F:, :62F:",
            ":20:, :61:",
        ),
        (  # starts inside the last entry's :86: text
            "VERWENDUNGSZWECK RG 4711\n:62F:C200102EUR110,00\n:64:C200102EUR110,00\n",
            ":62F:, :64:",
            ":20:, :25:, :28C:, :60F:, :61:",
        ),
    ],
)  # fmt: skip
def test_balances_alone_are_an_mt940_fragment(text: str, found: str, missing: str) -> None:
    _assert_fragment(text, found, missing)


def test_a_fragment_with_entries_is_read() -> None:
    text = (
        "ZAHLUNG RG 4711\n"  # the end of an :86: cut off above
        ":61:2001020102C10,00NTRFNONREF\n"
        ":86:?20RG 4712?32ACME GMBH\n"
        ":62F:C200102EUR110,00\n"
    )
    error, txs = _read(text)
    assert error is None and txs == [("credit", Decimal("10.00"), "EUR")]
    (result,) = parse_bytes(text.encode(), "part.sta", ParseSettings())
    assert result.transactions[0].value_date == dt.date(2020, 1, 2)


def test_an_empty_statement_with_its_reference_is_still_read() -> None:
    text = ":20:STMT\n:25:123456789\n:28C:1/1\n:60F:C200101EUR100,00\n:62F:C200102EUR100,00\n-\n"
    (result,) = parse_bytes(text.encode(), "day.sta", ParseSettings())
    assert result.error is None and result.transactions == []
    (info,) = result.statements
    assert (info.opening_balance, info.closing_balance) == (Decimal("100.00"), Decimal("100.00"))


def test_a_csv_row_that_only_starts_with_a_colon_is_not_mt940() -> None:
    assert not mt940.sniff(b":note:,amount\n:62F:,100\n", "x.csv")


@pytest.mark.parametrize(
    ("text", "found", "missing"),
    [
        (
            ":60F:C100318EUR380115,12\n:60F:C100318EUR380115,1\n:60F:C100318EUR380115,\n"
            ":60F:C100318EUR0,12\n:60F:C100318EUR00,12\n:60F:C100318EUR001,12\n",
            ":60F:",
            ":20:, :25:, :28C:, :61:, :62F:",
        ),
        (
            ":86:166?20Spende abcdefghijklmnopqrstuvwxyzabcde Verwendungszweck\n"
            ": ?701234567 Betterplace?30ABCDEFGH?31DE12345678912345789012?32Ab\n"
            "cdefg Hijklmnop\n",
            ":86:",
            ":20:, :25:, :28C:, :60F:, :61:, :62F:",
        ),
        (":86:091\n-", ":86:", ":20:, :25:, :28C:, :60F:, :61:, :62F:"),
    ],
)
def test_betterplace_snippets_without_entries(text: str, found: str, missing: str) -> None:
    """betterplace/mt940_parser's (MIT) ``amount_formats.txt``, ``colon_in_descriptor.txt`` and
    ``empty_86.txt``: snippets its unit tests feed to one field's reader. As files they hold
    no entry, so they are refused as fragments, naming what is there and what is not."""
    _assert_fragment(text, found, missing)


def test_betterplace_snippet_with_one_entry_is_read() -> None:
    """betterplace's ``empty_entry_date.txt`` (its yml: 2011-07-01, credit 50.00, funds code
    N, type code Z10, customer reference NONREF)."""
    (result,) = parse_bytes(b":61:110701CN50,00NZ10NONREF\n-\n", "line.sta", ParseSettings())
    assert result.error is None
    (tx,) = result.transactions
    assert (tx.value_date, tx.booking_date) == (dt.date(2011, 7, 1), dt.date(2011, 7, 1))
    assert (tx.direction, tx.amount) == ("credit", Decimal("50.00"))
    assert (tx.raw["funds_code"], tx.raw["type_code"]) == ("N", "NZ10")
    assert tx.raw["customer_reference"] == "NONREF"
