"""Currencies whose minor unit is not two decimals: JPY and KRW have none, BHD, KWD and TND three.

Amounts keep every digit the file wrote (``Decimal``); what changes with the currency is how an
amount is written out (the JSON of ``parse --json``, the CLI table) and, in OFX, how a yen
amount with a separator is read. The MT940 and CAMT files are real (Rabobank's old layout from
a PHP MT940 parser's tests, genkgo/camt's minimal camt.053, both in this folder); the OFX files
are our own, in the shape of the OFX 1.x files elsewhere in these tests.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from reconcile.api import parse_bytes
from reconcile.currency import amount_text, minor_digits
from reconcile.model import ParseSettings, Transaction
from tests.reconcile.test_ofx import SGML_HEADER

DATA = Path(__file__).parent / "data" / "bankfiles"


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [
        ("1000.00", "JPY", "1000"),
        ("1560395", "JPY", "1560395"),
        ("2500000", "KRW", "2500000"),
        ("1.2", "BHD", "1.200"),
        ("1250.5", "KWD", "1250.500"),
        ("7.125", "TND", "7.125"),
        ("12.5", "EUR", "12.50"),
        ("1000.5", "JPY", "1000.5"),  # a fraction the file wrote is never rounded away
        ("12.345", "USD", "12.345"),
    ],
)
def test_amounts_are_written_with_the_currencys_decimals(
    amount: str, currency: str, text: str
) -> None:
    assert amount_text(Decimal(amount), currency) == text


def test_the_table_of_minor_units() -> None:
    assert [minor_digits(c) for c in ("JPY", "krw", "BHD", "KWD", "TND", "CNY", None)] == [
        0,
        0,
        3,
        3,
        3,
        2,
        2,
    ]
    assert amount_text(Decimal("1234567"), "JPY", grouped=True) == "1,234,567"


def _json_amounts(txs: list[Transaction], currency: str) -> list[str]:
    return [t.to_json()["amount"] for t in txs if t.currency == currency]


def test_mt940_yen_entries_are_whole_yen() -> None:
    name = "mt940_php_rabo_old_format.swi"
    (result,) = parse_bytes((DATA / name).read_bytes(), name, ParseSettings())
    assert _json_amounts(result.transactions, "JPY") == ["1560395", "348000", "79734", "138619"]
    assert _json_amounts(result.transactions, "USD")[0].count(".") == 1


def test_camt_yen_balance_and_entries_keep_their_value() -> None:
    name = "genkgo_camt053_v2_minimal_ultimate.xml"
    (result,) = parse_bytes((DATA / name).read_bytes(), name, ParseSettings())
    yen = [b for s in result.statements for b in s.balances if b.currency == "JPY"]
    assert [b.amount for b in yen] == [Decimal("-2700")]


OFX = (
    SGML_HEADER
    + """<OFX>
<BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>
<STMTRS><CURDEF>{currency}<BANKACCTFROM><BANKID>0005<ACCTID>1234567<ACCTTYPE>CHECKING
</BANKACCTFROM><BANKTRANLIST><DTSTART>20261101<DTEND>20261130
{entries}</BANKTRANLIST>
<LEDGERBAL><BALAMT>{balance}<DTASOF>20261130</LEDGERBAL>
</STMTRS></STMTTRNRS></BANKMSGSRSV1>
</OFX>
"""
)


def _ofx(currency: str, amounts: list[str], balance: str) -> tuple[list[Transaction], Decimal]:
    entries = "".join(
        f"<STMTTRN><TRNTYPE>OTHER<DTPOSTED>20261103<TRNAMT>{a}<FITID>F{i}<NAME>N{i}</STMTTRN>\n"
        for i, a in enumerate(amounts)
    )
    data = OFX.format(currency=currency, entries=entries, balance=balance).encode()
    (result,) = parse_bytes(data, "digits.ofx", ParseSettings())
    assert result.error is None, result.error
    (info,) = result.statements
    assert info.closing_balance is not None
    return result.transactions, info.closing_balance


def test_ofx_yen_with_a_separator_is_grouped_thousands() -> None:
    txs, balance = _ofx("JPY", ["-1,000", "12000", "-1.000.000", "350"], "2,361,000")
    assert [(t.direction, t.amount) for t in txs] == [
        ("debit", Decimal("1000")),
        ("credit", Decimal("12000")),
        ("debit", Decimal("1000000")),
        ("credit", Decimal("350")),
    ]
    assert balance == Decimal("2361000")
    assert _json_amounts(txs, "JPY") == ["1000", "12000", "1000000", "350"]


def test_ofx_dinars_keep_three_decimals_and_a_comma_stays_decimal_elsewhere() -> None:
    txs, balance = _ofx("KWD", ["-1.250", "12,345", "0.005"], "100.000")
    assert [t.amount for t in txs] == [Decimal("1.250"), Decimal("12.345"), Decimal("0.005")]
    assert _json_amounts(txs, "KWD") == ["1.250", "12.345", "0.005"]
    assert balance == Decimal("100.000")
    # in a currency with cents, one comma is OFX's decimal comma, as before
    (eur,), _ = _ofx("EUR", ["-1,000"], "0")
    assert eur.amount == Decimal("1.000") and eur.to_json()["amount"] == "1.00"
