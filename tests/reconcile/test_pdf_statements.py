"""PDF account statements (tables of transactions), drawn by ``bench.generators.statements_pdf``
and read back field by field; broken rows, unreadable tables and receipts beside them."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4

from bench.generators import statements_pdf as gen
from bench.generators.statements_pdf_draw import CN, EN, Column, Sheet, Table
from reconcile.api import parse_bytes
from reconcile.errors import ParseError
from reconcile.model import ParseResult, ParseSettings, Transaction
from reconcile.parsers import pdf
from reconcile.problems import Problem
from statements.model import Language
from statements.render import render_statement
from tests.statements.helpers import october_ledger, statement


def _parse(data: bytes, name: str, settings: ParseSettings = gen.SETTINGS) -> ParseResult:
    (result,) = parse_bytes(data, name, settings)
    return result


def _fields(tx: Transaction) -> dict[str, object]:
    return {
        "booking_date": tx.booking_date,
        "amount": tx.amount,
        "direction": tx.direction,
        "currency": tx.currency,
        "counterparty_name": tx.counterparty_name,
        "counterparty_account": tx.counterparty_account,
        "reference": tx.reference,
        "balance": tx.raw.get("balance"),
        "source": tx.source,
    }


def _expected(e: gen.Expected) -> dict[str, object]:
    return {
        "booking_date": e.booking_date,
        "amount": e.amount,
        "direction": e.direction,
        "currency": e.currency,
        "counterparty_name": e.counterparty_name,
        "counterparty_account": e.counterparty_account,
        "reference": e.reference,
        "balance": e.balance,
        "source": e.source,
    }


OUR_ACCOUNT = {
    "cmb": "6214830123456789",
    "icbc": "6214830123456789",
    "wechat": "",
    "uk": "31926819",
    "crdr": "0012-345678-001",
    "alipay": "",
    "dc": "DE89370400440532013000",
}
# Alipay's PDF prints its amounts in 元 without naming a currency
WARNINGS = {"alipay": ["pdf_statement_assumed_cny"]}


@pytest.mark.parametrize("layout", gen.LAYOUTS)
def test_every_row_of_every_page_is_read_field_by_field(layout: str) -> None:
    generated = gen.generate(layout, 40)
    assert generated.pages >= 2  # the header is repeated, rows wrap across pages
    result = _parse(generated.data, generated.filename)
    assert result.error is None, result.error
    assert result.format == "pdf"
    assert [getattr(w, "code", w) for w in result.warnings] == WARNINGS.get(layout, [])
    got = result.transactions
    assert [_fields(tx) for tx in got] == [_expected(e) for e in generated.expected]
    for tx, e in zip(got, generated.expected, strict=True):
        assert tx.our_account == OUR_ACCOUNT[layout]
        assert tx.warnings == []
        if e.bank_ref is not None:
            assert tx.bank_ref == e.bank_ref
    assert len({tx.bank_ref for tx in got}) == len(got)


@pytest.mark.parametrize("layout", ["cmb", "icbc", "crdr", "dc", "uk"])
def test_statement_facts_come_from_the_balance_column(layout: str) -> None:
    """The UK layout prints a balance on a day's last entry only: the rows before the first
    printed balance moved the money too, and the opening balance stands before them all."""
    generated = gen.generate(layout, 30)
    result = _parse(generated.data, generated.filename)
    (info,) = result.statements
    printed = [k for k, e in enumerate(generated.expected) if e.balance is not None]
    signed = [e.amount if e.direction == "credit" else -e.amount for e in generated.expected]
    first, last = generated.expected[printed[0]], generated.expected[printed[-1]]
    assert first.balance is not None and last.balance is not None
    assert info.opening_balance == first.balance - sum(signed[: printed[0] + 1])
    assert info.closing_balance == last.balance + sum(signed[printed[-1] + 1 :])
    assert info.opening_date == generated.expected[0].booking_date
    assert info.closing_date == generated.expected[-1].booking_date
    assert info.account == (OUR_ACCOUNT[layout] or None)
    assert info.currency == first.currency
    assert info.transaction_count == 30
    assert info.raw["kind"] == "pdf_statement" and info.raw["pages"] == generated.pages


def test_the_same_statement_twice_gives_the_same_references() -> None:
    generated = gen.generate("uk", 20)
    first = _parse(generated.data, "a.pdf").transactions
    second = _parse(generated.data, "b.pdf").transactions
    assert [t.bank_ref for t in first] == [t.bank_ref for t in second]
    # the UK layout prints no reference: made up from the row, and named for a PDF
    assert all(t.bank_ref.startswith("PDF-") for t in first)
    assert len({t.bank_ref for t in first}) == len(first)


def test_summary_rows_page_footers_and_neutral_rows_are_not_transactions() -> None:
    uk = _parse(gen.generate("uk", 40).data, "uk.pdf")
    assert not any("BROUGHT FORWARD" in t.reference for t in uk.transactions)
    assert not any("CARRIED FORWARD" in t.reference for t in uk.transactions)
    skipped = uk.statements[0].raw["skipped"]
    assert any("CARRIED FORWARD" in s for s in skipped)
    wechat = _parse(gen.generate("wechat", 20).data, "wechat.pdf")
    assert any(
        s.endswith("neither income nor expense") for s in wechat.statements[0].raw["skipped"]
    )


# --------------------------------------------------------------------------------------------
# statements drawn here: one bad row, a table that cannot be read, one row only


_EN_COLUMNS = (
    Column(("Date",), 70, font=EN),
    Column(("Description",), 200, font=EN),
    Column(("Money out",), 80, "right", EN),
    Column(("Money in",), 80, "right", EN),
    Column(("Balance",), 80, "right", EN),
)


def _statement(rows: Sequence[Sequence[str]], *, title: str = "Statement of account") -> bytes:
    sheet = Sheet(A4)
    sheet.text(40, 30, title, 13, EN)
    sheet.text(40, 52, "Account Number: 12345678", 9, EN)
    sheet.text(300, 52, "Currency: EUR", 9, EN)
    table = Table(sheet, _EN_COLUMNS, 40, ruled=False, size=8.5)
    top = table.header(80)
    for row in rows:
        top = table.row(top, [[cell] if cell else [] for cell in row])
    return sheet.done()


def test_a_broken_row_is_left_out_with_a_warning_naming_page_and_row() -> None:
    data = _statement(
        [
            ["02/11/2026", "Payment from Globex", "", "1,200.00", "6,200.00"],
            ["03/11/2026", "Card payment", "12,3x4.00", "", ""],
            ["04/11/2026", "Direct debit Initech", "200.00", "", "6,000.00"],
        ]
    )
    result = _parse(data, "broken.pdf")
    assert result.error is None
    assert [(t.amount, t.direction) for t in result.transactions] == [
        (Decimal("1200.00"), "credit"),
        (Decimal("200.00"), "debit"),
    ]
    assert [t.source for t in result.transactions] == [
        "broken.pdf#page=1/row=1",
        "broken.pdf#page=1/row=3",
    ]
    (warning,) = result.warnings
    assert isinstance(warning, Problem) and warning.code == "entry_left_out"
    assert str(warning).startswith("page 1, row 2: ")
    assert isinstance(warning.location, Problem) and warning.location.code == "at_page_row"
    assert all(t.currency == "EUR" and t.our_account == "12345678" for t in result.transactions)


def test_a_statement_of_one_row_is_read_when_the_pdf_has_no_receipt() -> None:
    data = _statement([["02/11/2026", "Payment from Globex", "", "1,200.00", "6,200.00"]])
    (tx,) = _parse(data, "one.pdf").transactions
    assert (tx.booking_date, tx.amount, tx.direction) == (
        dt.date(2026, 11, 2),
        Decimal("1200.00"),
        "credit",
    )
    assert tx.reference == "Payment from Globex" and tx.source == "one.pdf#page=1/row=1"


def test_a_table_of_which_no_row_can_be_read_is_refused_with_the_first_reason() -> None:
    data = _statement(
        [
            ["02/11/2026", "Payment", "", "1,2x0.00", ""],
            ["03/11/2026", "Card payment", "12,3x4.00", "", ""],
        ]
    )
    result = _parse(data, "bad.pdf")
    assert result.transactions == []
    assert result.error is not None and result.error.startswith(
        "bad.pdf, page 1, row 1: not an amount"
    )


def test_a_statement_whose_table_names_no_date_and_amount_is_refused_listing_its_columns() -> None:
    sheet = Sheet(A4)
    sheet.text(200, 30, "活期账户交易明细", 14)
    columns = (Column(("序号",), 60), Column(("摘要",), 160), Column(("对方户名",), 160))
    table = Table(sheet, columns, 40, ruled=True)
    top = table.header(80)
    table.row(top, [["1"], ["转账"], ["北京华信科技有限公司"]])
    with pytest.raises(ParseError) as caught:
        pdf.parse(sheet.done(), "odd.pdf", gen.SETTINGS)
    error = caught.value
    assert error.problem is not None and error.problem.code == "pdf_statement_no_table"
    assert "'序号', '摘要', '对方户名'" in str(error) and error.file == "odd.pdf"


def test_an_invoice_line_item_table_is_still_no_bank_receipt() -> None:
    sheet = Sheet(A4)
    sheet.text(40, 30, "Rechnung 30064443", 13, EN)
    columns = (
        Column(("Pos.",), 40, font=EN),
        Column(("Beschreibung",), 220, font=EN),
        Column(("Menge",), 60, "right", EN),
        Column(("Zeilenbetrag",), 80, "right", EN),
    )
    table = Table(sheet, columns, 40, ruled=False)
    top = table.header(80)
    for k in range(3):
        top = table.row(top, [[str(k + 1)], ["Small Business Exchange"], ["1"], ["5,39"]])
    result = _parse(sheet.done(), "invoice.pdf")
    assert result.error is not None and "no bank receipt found" in result.error


def test_a_cmb_statement_in_chinese_reads_wrapped_counterparties() -> None:
    generated = gen.generate("cmb", 12)
    got = _parse(generated.data, "cmb.pdf").transactions
    wrapped = [t for t in got if t.counterparty_name == "杭州云帆网络科技有限公司股份合作分公司"]
    assert wrapped and all(t.counterparty_account == "33050161123400001234" for t in wrapped)
    assert {t.currency for t in got} == {"CNY"}


@pytest.mark.parametrize(
    ("title", "columns", "mark"),
    [
        ("TAX INVOICE", ("Date", "Description", "Qty", "Unit price", "Amount"), "TAX INVOICE"),
        ("Statement", ("Date", "Reference", "Due date", "Debit", "Credit", "Balance"), "Due date"),
        ("客户对账单", ("日期", "单据号", "到期日", "借方", "贷方", "余额"), "到期日"),
        ("Facture", ("Date", "Désignation", "Quantité", "Montant"), "Facture"),
        ("Remittance advice", ("Date", "Invoice No.", "Amount"), "Invoice No."),
    ],
)
def test_an_invoice_or_a_statement_to_a_customer_is_no_bank_statement(
    title: str, columns: tuple[str, ...], mark: str
) -> None:
    """A dated table of money is no bank's when the document bills someone: refused, saying why,
    instead of reading invoices as credits."""
    font = CN if any("\u4e00" <= ch <= "\u9fff" for ch in title) else EN
    sheet = Sheet(A4)
    sheet.text(40, 30, title, 13, font)
    table = Table(sheet, tuple(Column((c,), 80, font=font) for c in columns), 30, ruled=False)
    top = table.header(80)
    for k in range(3):
        cells = [[f"2026-10-0{k + 1}"], [f"INV-{k}"], *[[f"{100 + k}.00"]] * (len(columns) - 2)]
        top = table.row(top, cells)
    result = _parse(sheet.done(), "document.pdf")
    assert result.transactions == []
    assert result.error is not None
    assert repr(mark) in result.error and "no bank file" in result.error


@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_statement_concord_issued_to_a_customer_is_no_bank_file(language: Language) -> None:
    """Uploading one of our own statements of account by mistake imports nothing."""
    rendered = render_statement(statement(october_ledger(), language=language))
    result = _parse(rendered.pdf, "statement.pdf")
    assert result.transactions == []
    assert result.error is not None and "no bank file" in result.error


_PRINTED = Path(__file__).parent / "data" / "bankfiles"


def _printed(name: str) -> tuple[ParseResult, list[dict[str, str]]]:
    data = (_PRINTED / f"pdf_statement_chromium_{name}.pdf").read_bytes()
    rows = json.loads((_PRINTED / f"pdf_statement_chromium_{name}.json").read_text("utf-8"))
    return _parse(data, f"{name}.pdf", ParseSettings()), rows


def _money(text: str) -> Decimal:
    return Decimal(text.replace(",", "").lstrip("+-"))


def test_a_uk_statement_printed_by_a_browser_is_read_row_by_row() -> None:
    """Chromium's layout (bench.generators.statements_chromium), its header on every page."""
    result, rows = _printed("en")
    assert result.error is None and result.warnings == []
    assert len(result.transactions) == len(rows) == 45
    assert {t.source.split("/")[0] for t in result.transactions} == {
        "en.pdf#page=1",
        "en.pdf#page=2",
    }
    for tx, row in zip(result.transactions, rows, strict=True):
        day, month, year = row["date"].split("/")
        assert tx.booking_date == dt.date(int(year), int(month), int(day))
        assert tx.amount == _money(row["in"] or row["out"])
        assert tx.direction == ("credit" if row["in"] else "debit")
        assert tx.currency == "GBP"  # from "Money in (£)"
        assert tx.our_account == "12345678"
        assert tx.reference == row["description"]
        assert tx.raw["balance"] == _money(row["balance"])


def test_a_chinese_statement_printed_by_a_browser_is_read_row_by_row() -> None:
    result, rows = _printed("zh")
    assert result.error is None
    assert len(result.transactions) == len(rows) == 45
    for tx, row in zip(result.transactions, rows, strict=True):
        assert tx.booking_date == dt.date.fromisoformat(row["date"])
        assert tx.amount == _money(row["amount"])
        assert tx.direction == ("credit" if row["amount"].startswith("+") else "debit")
        assert tx.currency == "CNY"  # 币种：人民币 above the table
        assert tx.our_account == "6214830212345678"
        name = row["party"].split()[0]
        assert name in (tx.payer_name if tx.direction == "credit" else tx.payee_name)
        assert tx.raw["balance"] == _money(row["balance"])
