"""CSV/XLS families beyond the corpus: split amounts with placeholders, bilingual headers and
direction values, Hong Kong English exports, binary .xls (BIFF8), files without a header row.

The fixtures in ``data/bankfiles`` follow the column layouts of the banks' published export
samples (ICBC 借方发生额/贷方发生额 with ``-`` placeholders, BOC 付款人/收款人 columns, HSBC/Hang
Seng Deposit/Withdrawal); every expected value below was checked by hand against the file.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest

from reconcile.api import parse_bytes
from reconcile.cli import main
from reconcile.errors import ParseError, UnknownLayout
from reconcile.layouts import load_layout
from reconcile.model import ParseResult, ParseSettings
from reconcile.parsers import tabular
from reconcile.parsers.tabular import direction_of_mark
from reconcile.remittance import payer_from_text

DATA = Path(__file__).parent / "data" / "bankfiles"


def _parse(name: str, settings: ParseSettings | None = None) -> ParseResult:
    (result,) = parse_bytes((DATA / name).read_bytes(), name, settings or ParseSettings())
    assert result.error is None, result.error
    return result


def test_split_amount_columns_with_placeholders_gb18030() -> None:
    result = _parse("cn_split_amount_placeholders.csv")
    txs = result.transactions
    assert [(t.direction, t.amount) for t in txs] == [
        ("credit", Decimal("12500.00")),
        ("debit", Decimal("2000.00")),
        ("credit", Decimal("8000.00")),  # "0.00" in the debit column means none
        ("debit", Decimal("35.50")),
    ]
    assert txs[0].payer_name == "上海华美贸易有限公司"
    assert txs[0].payer_account == "6222021001122334455"
    assert txs[0].bank_ref == "HX2026110200001"
    assert txs[0].reference == "货款 INV-2026-0101"
    assert {t.currency for t in txs} == {"CNY"}
    assert txs[0].our_account == "1001234567890123456"
    (info,) = result.statements
    assert info.opening_balance == Decimal("100000.00")
    assert info.closing_balance == Decimal("118464.50")


def test_bilingual_headers_and_direction_values() -> None:
    txs = _parse("cn_bilingual_direction.csv", ParseSettings(default_currency="CNY")).transactions
    assert [t.direction for t in txs] == ["credit", "debit", "credit", "debit", "credit", "debit"]
    assert txs[4].payer_name == "Li Ming Trading Co Ltd"
    assert txs[4].reference == "INV-2026-0112 INV-2026-0113"
    assert txs[4].amount == Decimal("45000.00")
    assert txs[0].bank_ref == "R001"
    assert txs[0].booking_date == dt.date(2026, 11, 4)


@pytest.mark.parametrize(
    ("mark", "side"),
    [
        ("贷", "credit"),
        ("贷 Cr", "credit"),
        ("借/Dr", "debit"),
        ("收入", "credit"),
        ("支出 Expense", "debit"),
        ("DEBIT", "debit"),
        ("Credit", "credit"),
        ("Cr.", "credit"),
        ("D", "debit"),
        ("借贷", None),
    ],
)
def test_direction_marks(mark: str, side: str | None) -> None:
    assert direction_of_mark(mark) == side


def test_hong_kong_english_export_payer_inside_the_narrative() -> None:
    txs = _parse("hk_bank_english.csv").transactions
    assert [t.booking_date.day for t in txs] == [3, 4, 13, 14]  # day first, as HK writes dates
    assert [t.currency for t in txs] == ["HKD"] * 4
    assert txs[0].payer_name == "CHAN TAI MAN"
    assert txs[0].reference == "FPS CREDIT CHAN TAI MAN REF INV-HK-2201"
    assert txs[3].payer_name == "GLOBAL SOURCING LIMITED"
    assert txs[3].amount == Decimal("8888.88")
    assert txs[2].direction == "debit" and txs[2].amount == Decimal("120.00")
    assert txs[0].our_account == "012-345-678901-001"


def test_binary_xls_biff8_workbook() -> None:
    settings = ParseSettings(own_accounts=("4567 8901 2345",), default_currency="CNY")
    result = _parse("boc_biff8.xls", settings)
    assert result.format == "tabular"
    assert result.statements[0].raw["kind"] == "xls"
    first, second = result.transactions
    assert first.booking_date == dt.date(2026, 11, 10)  # an Excel date cell
    assert first.direction == "credit" and first.amount == Decimal("18800.00")
    assert first.payer_name == "杭州远景贸易有限公司"
    assert first.payer_account == "33050161234500001234"
    assert first.reference == "支付INV-2026-0130货款"
    assert first.bank_ref == "BOC20261110001"
    assert second.direction == "debit" and second.amount == Decimal("2400.50")
    assert second.payee_name == "苏州包装材料厂"


def test_headerless_file_is_read_from_its_values() -> None:
    result = _parse("cn_headerless.csv", ParseSettings(default_currency="CNY"))
    txs = result.transactions
    assert result.statements[0].raw["layout"] == "guessed"
    assert [(t.direction, t.amount) for t in txs] == [
        ("credit", Decimal("6600.00")),
        ("debit", Decimal("1100.00")),
        ("credit", Decimal("23450.00")),
        ("debit", Decimal("88.00")),
    ]
    assert txs[0].payer_name == "上海华美贸易有限公司"
    assert txs[0].reference == "INV-2026-0120 货款"


def test_unreadable_headerless_file_asks_for_a_layout_with_a_preview() -> None:
    data = b"2026-11-07,abc,17\n2026-11-08,def,18\n"
    with pytest.raises(UnknownLayout) as info:
        tabular.parse(data, "odd.csv", ParseSettings())
    assert info.value.preview[0] == ("2026-11-07", "abc", "17")


def test_layout_file_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    layout = load_layout(DATA / "cn_headerless_layout.json")
    assert not layout.has_header
    status = main(
        [
            "parse",
            "--json",
            "--layout",
            str(DATA / "cn_headerless_layout.json"),
            str(DATA / "cn_headerless.csv"),
        ]
    )
    assert status == 0
    document = json.load(io.StringIO(capsys.readouterr().out))
    rows = [(t["direction"], t["amount"], t["currency"]) for t in document["transactions"]]
    assert rows[0] == ("credit", "6600.00", "CNY")
    assert rows[3] == ("debit", "88.00", "CNY")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("付款人：上海华美贸易有限公司 用途：货款", "上海华美贸易有限公司"),
        ("Payer: ACME Trading Ltd; Invoice 4711", "ACME Trading Ltd"),
        ("Auftraggeber: Muster GmbH Verwendungszweck RE 77", "Muster GmbH"),
        ("Remitter/汇款人 Wong Kee Ltd, INV-9", "Wong Kee Ltd"),
        ("TRANSFER FROM LI MING TRADING CO LTD", "LI MING TRADING CO LTD"),
        ("货款 INV-2026-0101", None),
        ("INCOMING CREDIT FROM LOCKBOX", None),  # "from" is a label only with a colon
        ("From: Jane Doe", "Jane Doe"),
    ],
)
def test_payer_inside_remittance_text(text: str, name: str | None) -> None:
    assert payer_from_text(text) == name


@pytest.mark.parametrize("offset", [690, 784])
def test_xls_damaged_inside_its_sheet_is_refused_as_damaged(offset: int) -> None:
    # the directory opens; the sheet, read on demand, does not (xlrd raised IndexError and
    # KeyError there, which reached the reader as "could not be parsed (IndexError…)")
    data = bytearray((DATA / "boc_biff8.xls").read_bytes())
    data[offset] = 0xFF
    with pytest.raises(ParseError, match=r"damaged \.xls workbook") as caught:
        tabular.parse(bytes(data), "boc.xls", ParseSettings())
    assert caught.value.file == "boc.xls"
