"""CSV/XLSX exports: encodings, delimiters, preambles and totals, column synonyms, layouts, XLSX."""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from reconcile.errors import LimitExceeded, ParseError
from reconcile.layouts import builtin_layouts, load_layout
from reconcile.model import ParseSettings, StatementInfo, Transaction
from reconcile.parsers import tabular

SETTINGS = ParseSettings()

CHINESE_EXPORT = "\n".join(
    [
        "中国某某银行 账户交易明细",
        "账号：6222 0210 0000 1234,户名：上海协和贸易有限公司",
        "币种：人民币,起止日期：2026-11-01 至 2026-11-30",
        "交易日期,交易流水号,摘要,对方户名,对方账号,对方开户行,收入（元）,支出（元）,余额（元）",
        "2026-11-03,20261103000123,货款 INV-2026-1001,杭州远景科技有限公司,3310 0402 1234,"
        '招商银行杭州分行,"12,345.60",,"112,345.60"',
        '2026-11-05,20261105000456,手续费,,,,,15.00,"112,330.60"',
        "2026年11月07日,20261107000789,退款,宁波海港物流有限公司,6217000010001,"
        '中国建设银行宁波分行,,"2,330.60","110,000.00"',
        '合计,,,,,,"12,345.60","2,345.60",',
        "",
    ]
)


def _parse(
    data: bytes, settings: ParseSettings = SETTINGS
) -> tuple[list[Transaction], StatementInfo]:
    assert tabular.sniff(data, "export")
    txs, (info,) = tabular.parse_with_statements(data, "export", settings)
    return txs, info


def test_chinese_gb18030_with_preamble_totals_and_income_expense_columns() -> None:
    txs, info = _parse(CHINESE_EXPORT.encode("gb18030"))
    assert info.raw["encoding"] == "gb18030" and info.raw["header_row"] == 4
    assert len(txs) == 3  # the 合计 line is a total, not a transaction
    assert info.raw["skipped"] and "合计" in info.raw["skipped"][0]
    first, fee, refund = txs
    assert first.bank_ref == "20261103000123"
    assert (first.direction, first.amount, first.currency) == ("credit", Decimal("12345.60"), "CNY")
    assert first.booking_date == dt.date(2026, 11, 3)
    assert first.payer_name == "杭州远景科技有限公司"
    assert first.payer_account == "331004021234"
    assert first.payer_bank == "招商银行杭州分行"
    assert first.reference == "货款 INV-2026-1001"
    assert first.our_account == "6222021000001234"  # from the 账号 line of the preamble
    assert (fee.direction, fee.amount, fee.payee_name) == ("debit", Decimal("15.00"), None)
    assert refund.booking_date == dt.date(2026, 11, 7)
    assert refund.payee_name == "宁波海港物流有限公司" and refund.payer_name is None
    assert info.opening_balance == Decimal("100000.00")
    assert info.closing_balance == Decimal("110000.00")
    assert info.currency == "CNY"
    assert first.source == "export#row=5" and first.raw["摘要"] == "货款 INV-2026-1001"


def test_newest_first_export_balances() -> None:
    lines = CHINESE_EXPORT.splitlines()
    reordered = "\n".join(lines[:4] + lines[4:7][::-1] + lines[7:]) + "\n"
    txs, info = _parse(reordered.encode("gb18030"))
    assert info.raw["order"] == "newest_first"
    assert info.opening_balance == Decimal("100000.00")
    assert info.closing_balance == Decimal("110000.00")
    assert [tx.booking_date.day for tx in txs] == [7, 5, 3]


def test_utf8_bom_english_paid_in_paid_out() -> None:
    text = (
        "Transaction Date,Description,Payee,Paid out,Paid in,Balance\r\n"
        "03/11/2026,INV-88 payment,Globex Ltd,,250.00,1250.00\r\n"
        "15/11/2026,Office rent,Initech,1000.00,,250.00\r\n"
    )
    txs, info = _parse(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert info.raw["encoding"] == "utf-8-sig"
    # 15/11 settles the order: day first, so 03/11 is 3 November
    assert [tx.booking_date for tx in txs] == [dt.date(2026, 11, 3), dt.date(2026, 11, 15)]
    assert (txs[0].direction, txs[0].payer_name, txs[0].reference) == (
        "credit",
        "Globex Ltd",
        "INV-88 payment",
    )
    assert (txs[1].direction, txs[1].amount, txs[1].payee_name) == (
        "debit",
        Decimal("1000.00"),
        "Initech",
    )
    assert info.opening_balance == Decimal("1000.00")


def test_utf16_with_bom() -> None:
    text = "Date\tAmount\tCurrency\tReference\n2026-11-03\t-12.50\tUSD\tCard fee\n"
    txs, info = _parse(text.encode("utf-16"))
    assert info.raw["delimiter"] == "\t"
    assert (txs[0].direction, txs[0].amount, txs[0].currency) == ("debit", Decimal("12.50"), "USD")


def test_semicolon_decimal_comma_german_export() -> None:
    text = (
        "Buchungstag;Valuta;Verwendungszweck;Auftraggeber/Empfänger;IBAN;Betrag;Währung\n"
        "03.11.2026;04.11.2026;RE 2026-17;Muster GmbH;DE02120300000000202051;1.234,56;EUR\n"
        "05.11.2026;05.11.2026;Miete;Vermieter KG;DE89370400440532013000;-950,00;EUR\n"
    )
    txs, info = _parse(text.encode("utf-8"))
    assert info.raw["delimiter"] == ";"
    assert txs[0].amount == Decimal("1234.56") and txs[0].direction == "credit"
    assert txs[0].value_date == dt.date(2026, 11, 4)
    assert txs[0].payer_account == "DE02120300000000202051"
    assert txs[1].amount == Decimal("950.00") and txs[1].direction == "debit"
    assert txs[1].payee_name == "Vermieter KG"


def test_direction_indicator_column() -> None:
    text = "日期,金额,借贷标志,摘要\n20261103,500.00,贷,回款\n20261104,80.00,借,运费\n"
    txs, _ = _parse(text.encode("utf-8"))
    assert [(tx.direction, tx.amount) for tx in txs] == [
        ("credit", Decimal("500.00")),
        ("debit", Decimal("80.00")),
    ]
    with pytest.raises(ParseError, match=r"row 2.*mark '\?'"):
        tabular.parse(b"Date,Amount,Dr/Cr\n2026-11-03,5,?\n", "x.csv", SETTINGS)


def test_synthetic_references_are_stable_and_distinguish_identical_rows() -> None:
    text = "Date,Amount,Description\n2026-11-03,10.00,Coffee\n2026-11-03,10.00,Coffee\n"
    txs = tabular.parse(text.encode(), "a.csv", SETTINGS)
    refs = [tx.bank_ref for tx in txs]
    assert len(set(refs)) == 2 and all(r.startswith("CSV-") for r in refs)
    # the same export uploaded again (under another name) gives the same references
    assert [tx.bank_ref for tx in tabular.parse(text.encode(), "b.csv", SETTINGS)] == refs
    other = text.replace("Coffee\n2026", "Tea\n2026", 1)
    assert tabular.parse(other.encode(), "c.csv", SETTINGS)[0].bank_ref != refs[0]


def test_unreadable_entry_is_left_out_naming_its_row_and_the_rest_is_read() -> None:
    text = (
        "Date,Amount,Balance,Value date\n2026-11-03,10.00,110.00,2026-11-03\n"
        "31/02/2026,5.00,115.00,\n2026-11-05,abc,115.00,\n2026-11-06,7.00,n/a,2026-13-01\n"
    )
    txs, (info,) = tabular.parse_with_statements(text.encode(), "x.csv", SETTINGS)
    assert [(tx.booking_date, tx.amount, tx.value_date) for tx in txs] == [
        (dt.date(2026, 11, 3), Decimal("10.00"), dt.date(2026, 11, 3)),
        (dt.date(2026, 11, 6), Decimal("7.00"), None),
    ]
    assert info.raw["warnings"] == [
        "row 3: date '31/02/2026' is not readable; the entry is left out, the rest of the file is "
        "read",
        "row 4: not an amount: 'abc'; the entry is left out, the rest of the file is read",
        "row 5: not an amount: 'n/a'; the balance is left out",
        "row 5: not a date: '2026-13-01' (month must be in 1..12); the value date is left out",
    ]
    assert [w.code for w in info.raw["warnings"]] == [
        "entry_left_out", "entry_left_out", "balance_left_out", "value_date_left_out"
    ]  # fmt: skip
    assert info.raw["warnings"][1].params["reason"].code == "not_amount"


def test_file_of_which_no_entry_can_be_read_is_refused_with_the_first_reason() -> None:
    text = "Date,Amount\n31/02/2026,10.00\n2026-11-04,abc\n"
    with pytest.raises(ParseError, match=r"x.csv, row 2: date '31/02/2026' is not readable$"):
        tabular.parse(text.encode(), "x.csv", SETTINGS)
    # more rows failing than read: the text only looks like a table (a script holding a
    # sample row), not an export with one broken row
    script = (
        "rows = [\n'Date,Amount,Description',\n'2026-11-03,10.00,Lunch',\n"
        "'for r, v in enumerate(rows): ws.write(r, 0, v)',\n'x, y = 1, 2',\n]\n"
    )
    with pytest.raises(ParseError, match=r"row 4: date 'for r"):
        tabular.parse(script.encode(), "gen.py", SETTINGS)


def test_unknown_layout_lists_the_columns() -> None:
    text = "Wann,Wieviel,Wer\n2026-11-03,10.00,Someone\n"
    with pytest.raises(ParseError, match="unknown CSV/XLSX layout") as caught:
        tabular.parse(text.encode(), "odd.csv", SETTINGS)
    assert "'Wann', 'Wieviel', 'Wer'" in str(caught.value)
    assert str(caught.value).startswith("odd.csv: ")


def test_layout_mapping_file(tmp_path: Path) -> None:
    mapping = {
        "name": "Hausbank export",
        "columns": {
            "booking_date": "Wann",
            "amount": "Wieviel",
            "counterparty_name": "Wer",
            "description": ["Zweck", "Notiz"],
        },
        "date_format": "%d.%m.%Y",
        "decimal_comma": True,
        "sign": "inverted",
        "currency": "EUR",
    }
    path = tmp_path / "hausbank.json"
    path.write_text(json.dumps(mapping), encoding="utf-8")
    layout = load_layout(path)
    text = (
        "Export vom 30.11.2026\nWann;Wieviel;Wer;Zweck;Notiz\n"
        "03.11.2026;1.000,50;Kunde AG;RE 1;bar\n"
    )
    txs, info = _parse(text.encode(), ParseSettings(layouts=(layout,)))
    (tx,) = txs
    assert info.raw["layout"] == "Hausbank export"
    # this bank writes money in as a negative number: the layout says so
    assert (tx.direction, tx.amount, tx.currency) == ("debit", Decimal("1000.50"), "EUR")
    assert tx.booking_date == dt.date(2026, 11, 3)
    assert tx.reference == "RE 1 bar" and tx.payee_name == "Kunde AG"


def test_bad_layout_mappings() -> None:
    with pytest.raises(ParseError, match="unknown roles"):
        load_layout(json.dumps({"name": "x", "columns": {"booking_date": "D", "sum": "S"}}))
    with pytest.raises(ParseError, match="needs an amount"):
        load_layout(json.dumps({"name": "x", "columns": {"booking_date": "D"}}))
    with pytest.raises(ParseError, match="bad layout mapping"):
        load_layout("{not json")
    assert "Revolut" in [layout.name for layout in builtin_layouts()]


def _xlsx(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_export() -> None:
    data = _xlsx(
        [
            ["账户明细查询"],
            ["账号：", "6222021000001234"],
            [],
            ["记账日期", "流水号", "用途", "付款人", "贷方金额", "借方金额", "余额"],
            [dt.datetime(2026, 11, 3), "X001", "INV-7", "甲公司", 1500.5, None, 2500.5],
            [dt.datetime(2026, 11, 4), "X002", "服务费", None, None, 0.5, 2500],
            ["合计", None, None, None, 1500.5, 0.5, None],
        ]
    )
    txs, info = _parse(data)
    assert info.raw["kind"] == "xlsx"
    assert [(tx.bank_ref, tx.direction, tx.amount) for tx in txs] == [
        ("X001", "credit", Decimal("1500.5")),
        ("X002", "debit", Decimal("0.5")),
    ]
    assert txs[0].booking_date == dt.date(2026, 11, 3) and txs[0].payer_name == "甲公司"
    assert info.opening_balance == Decimal("1000") and info.closing_balance == Decimal("2500")


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    return buffer.getvalue()


def test_xlsx_decompression_bomb_is_refused_before_opening() -> None:
    bomb = _zip(
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": b"<" + b"A" * (8 * 1024 * 1024),
        }
    )
    assert len(bomb) < 100_000
    assert tabular.sniff(bomb, "bomb.xlsx")
    with pytest.raises(LimitExceeded, match=r"compressed .*:1.*decompression bomb"):
        tabular.parse(bomb, "bomb.xlsx", SETTINGS)
    with pytest.raises(LimitExceeded, match="unpacks to"):
        tabular.parse(bomb, "bomb.xlsx", ParseSettings(max_uncompressed_bytes=1024 * 1024))


def test_broken_xlsx_is_a_clear_error() -> None:
    broken = _zip({"xl/workbook.xml": b"<not really"})
    with pytest.raises(ParseError, match="not a readable XLSX workbook"):
        tabular.parse(broken, "broken.xlsx", SETTINGS)


def test_sniff_refuses_binary_garbage() -> None:
    rng = random.Random(3)
    assert not tabular.sniff(rng.randbytes(8192), "x.bin")
    assert not tabular.sniff(b"\x89PNG\r\n\x1a\n" + rng.randbytes(2000), "x.png")
    assert not tabular.sniff(b"a,b\n\x00\x01\x02,\x03\n", "x.csv")
    assert not tabular.sniff(_zip({"word/document.xml": b"<w/>"}), "x.docx")
    assert not tabular.sniff(b"just one line of prose without columns\nand another\n", "x.txt")
    assert tabular.sniff(b"Date,Amount\n2026-11-03,1\n", "x.csv")


def test_header_only_export_has_no_transactions() -> None:
    txs, info = _parse(b"Date,Label,Amount\n")
    assert txs == [] and info.transaction_count == 0


def test_row_limit() -> None:
    text = "Date,Amount\n" + "2026-11-03,1\n" * 100
    with pytest.raises(LimitExceeded, match="rows"):
        tabular.parse(text.encode(), "x.csv", ParseSettings(max_entries=10))


def test_layout_whose_columns_are_missing() -> None:
    layout = load_layout(
        json.dumps(
            {
                "name": "Broken",
                "match": ["Wann"],
                "columns": {"booking_date": "Wann", "amount": "Betrag"},
            }
        )
    )
    with pytest.raises(ParseError, match="'Broken' matches the header but its date or amount"):
        tabular.parse(b"Wann,Wieviel\n2026-11-03,1\n", "x.csv", ParseSettings(layouts=(layout,)))


@pytest.mark.parametrize("cut", [1, 2])
@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_a_character_cut_by_the_sniffing_window_is_not_an_unknown_encoding(
    cut: int, bom: bytes
) -> None:
    """Regression: a UTF-8 export over 64 KiB was refused when byte 65,536 split a character."""
    header = "交易日期,交易流水号,对方户名,贷方金额,借方金额,摘要\n".encode()
    row = "2026-11-03,{ref},厦门天源贸易有限公司,100.00,,货款\n"
    body = bom + header
    n = 0
    while len(body) < 70000:
        body += row.format(ref=f"R{n:06d}").encode()
        n += 1
    # move the 64 KiB boundary inside a three-byte character by padding the first row
    first_cjk = body.index("厦".encode(), len(bom + header))
    offset = (65536 - cut - first_cjk) % len(row.format(ref="R000000").encode())
    padded = body[:first_cjk] + b"x" * offset + body[first_cjk:]
    assert not _is_char_start(padded[65536])
    assert tabular.sniff(padded, "export.csv")
    txs = tabular.parse(padded, "export.csv", ParseSettings())
    assert len(txs) == n


def _is_char_start(byte: int) -> bool:
    return byte & 0b1100_0000 != 0b1000_0000
