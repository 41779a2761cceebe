"""Every XLSX export: readable bold headers, money and date formats, frozen header, widths.

And the receipt export lists the invoices each receipt was applied to (CSV and XLSX).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient, FlaskCliRunner
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.banking import service
from portal.ledger import service as ledger
from portal.models import BankTransaction, Invoice, User
from portal.reports.export import xlsx_bytes
from tests.factories import make_customer, make_invoice, make_user
from tests.portal.finance_helpers import login, parser_for, simple_matcher, txn

D = Decimal


@pytest.fixture
def receipts(session: Session, client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Three receipts: one paying an invoice, one split over two invoices and on account."""
    customer = make_customer(session, code="CXLS", name="表格测试有限公司")
    make_invoice(session, customer, number="INV-X-1", amount="250.00")
    second = make_invoice(session, customer, number="INV-X-2", amount="1000.00")
    third = make_invoice(session, customer, number="INV-X-3", amount="200.00")
    monkeypatch.setattr(service, "default_matcher", lambda: simple_matcher)
    parse = parser_for(
        [
            txn("XLS-1", "250.00", "INV-X-1", booking_date=dt.date(2026, 11, 2)),
            txn("XLS-2", "1234.56", "split", booking_date=dt.date(2026, 11, 3)),
            txn("XLS-3", "99.00", "=HYPERLINK(1)", booking_date=dt.date(2026, 11, 4)),
        ]
    )
    monkeypatch.setattr(service, "default_parser", lambda: parse)
    finance = make_user(session, "finance")
    bank_file, _ = service.store_upload(session, "nov.csv", b"original,bytes\n", user=finance)
    service.start_import(session, [bank_file], user=finance)
    split = session.scalars(
        select(BankTransaction).where(BankTransaction.bank_ref == "XLS-2")
    ).one()
    ledger.apply(session, split, second, D("1000.00"), actor=finance)
    wrong = ledger.apply(session, split, third, D("200.00"), actor=finance)
    ledger.reverse(session, wrong, "wrong invoice", actor=finance)  # not applied any more
    ledger.apply(session, split, third, D("150.00"), actor=finance)
    ledger.on_account(session, split, customer, D("84.56"), actor=finance)
    session.commit()
    return finance


def _receipt(session: Session, bank_ref: str) -> BankTransaction:
    return session.scalars(
        select(BankTransaction).where(BankTransaction.bank_ref == bank_ref)
    ).one()


def _sheet(data: bytes, index: int = 0) -> Worksheet:
    ws = load_workbook(io.BytesIO(data)).worksheets[index]
    assert isinstance(ws, Worksheet)
    return ws


def _assert_readable(ws: Worksheet) -> dict[str, int]:
    """Bold, frozen header row with widths set; returns each header's column index."""
    header = [c.value for c in ws[1]]
    assert all(c.font.b for c in ws[1]), "header cells are bold"
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref is not None and ws.auto_filter.ref.startswith("A1:")
    for letter, dim in ws.column_dimensions.items():
        assert dim.width and 6 <= dim.width <= 60, letter
    assert len(ws.column_dimensions) == len(header)
    return {str(name): i for i, name in enumerate(header)}


def test_receipt_csv_lists_the_invoices_each_receipt_paid(
    client: FlaskClient, receipts: User
) -> None:
    login(client, receipts)
    resp = client.get("/banking/archive.csv")
    assert resp.status_code == 200
    rows = {r["bank_ref"]: r for r in csv.DictReader(io.StringIO(resp.data.decode("utf-8-sig")))}
    assert rows["XLS-1"]["applied_to"] == "INV-X-1 250.00"
    # the reversed 200.00 is gone; money on account is no invoice
    assert rows["XLS-2"]["applied_to"] == "INV-X-2 1000.00; INV-X-3 150.00"
    assert rows["XLS-3"]["applied_to"] == ""
    assert rows["XLS-1"]["voucher"].startswith("RV-")  # the CSV keeps its column keys


def test_receipt_xlsx_is_readable_and_has_the_applications(
    client: FlaskClient, receipts: User
) -> None:
    login(client, receipts)
    resp = client.get("/banking/archive.xlsx")
    assert resp.status_code == 200
    ws = _sheet(resp.data)
    assert ws.title == "Receipts"
    col = _assert_readable(ws)
    assert {"Voucher", "Booking date", "Amount", "Applied to invoices"} <= set(col)
    rows = {r[col["Bank reference"]].value: r for r in ws.iter_rows(min_row=2)}
    split = rows["XLS-2"]
    assert split[col["Amount"]].value == 1234.56
    assert split[col["Amount"]].number_format == "#,##0.00"
    assert split[col["Unapplied"]].number_format == "#,##0.00"
    assert split[col["Booking date"]].value == dt.datetime(2026, 11, 3)
    assert split[col["Booking date"]].number_format == "yyyy-mm-dd"
    assert split[col["Applied to invoices"]].value == "INV-X-2 1000.00; INV-X-3 150.00"
    assert rows["XLS-3"][col["Reference"]].value == "'=HYPERLINK(1)"

    applications = _sheet(resp.data, 1)
    assert applications.title == "Applied to invoices"
    acol = _assert_readable(applications)
    lines = [
        (r[acol["Invoice"]].value, r[acol["Kind"]].value, r[acol["Amount"]].value)
        for r in applications.iter_rows(min_row=2)
        if r[acol["Voucher"]].value == split[col["Voucher"]].value
    ]
    assert lines == [
        ("INV-X-2", "Payment", 1000),
        ("INV-X-3", "Payment", 150),
        (None, "On account", 84.56),
    ]
    first = next(applications.iter_rows(min_row=2))
    assert first[acol["Amount"]].number_format == "#,##0.00"
    assert first[acol["Applied on"]].number_format == "yyyy-mm-dd hh:mm"


def test_xlsx_headers_follow_the_reader_language(
    client: FlaskClient, session: Session, receipts: User
) -> None:
    receipts.language = "zh"
    session.commit()
    login(client, receipts)
    ws = _sheet(client.get("/banking/archive.xlsx").data)
    header = [c.value for c in ws[1]]
    assert header[:3] == ["凭证号", "记账日期", "金额"]
    assert "核销的发票" in header
    csv_header = client.get("/banking/archive.csv").data.decode("utf-8-sig").splitlines()[0]
    assert csv_header.startswith("voucher,booking_date,amount")


def test_report_and_credit_xlsx_are_readable(
    client: FlaskClient, session: Session, receipts: User
) -> None:
    login(client, receipts)
    aging = _sheet(client.get("/reports/aging.xlsx").data)
    col = _assert_readable(aging)
    assert {"Customer", "Currency", "Not yet due", "Over 90 days", "Total"} <= set(col)
    total_row = next(r for r in aging.iter_rows(min_row=2) if r[col["Customer"]].value == "CXLS")
    assert total_row[col["Total"]].number_format == "#,##0.00"
    assert aging.title == "Receivables aging"

    cash = _sheet(client.get("/reports/cash-application.xlsx").data)
    assert cash.title == "Cash application automatic and"  # ":" is not allowed in a name

    scores = _sheet(client.get("/credit/scores.xlsx").data)
    scol = _assert_readable(scores)
    assert {"Customer", "Grade", "Exposure", "Credit limit"} <= set(scol)
    row = next(r for r in scores.iter_rows(min_row=2) if r[scol["Customer"]].value == "CXLS")
    assert row[scol["Exposure"]].number_format == "#,##0.00"


def test_ledger_xlsx_keeps_its_keys_and_formats_money_and_dates(
    runner: FlaskCliRunner, receipts: User, tmp_path: Path
) -> None:
    out = tmp_path / "alloc.xlsx"
    result = runner.invoke(args=["export", "allocations", "--format", "xlsx", "--output", str(out)])
    assert result.exit_code == 0, result.output
    ws = _sheet(out.read_bytes())
    col = _assert_readable(ws)
    # the ERP maps this file by the documented column keys (ours added after them)
    assert ",".join(col) == (
        "id,voucher,bank_ref,value_date,customer,invoice,amount,currency,kind,by,"
        "our_account,our_bank"
    )
    reversal = next(r for r in ws.iter_rows(min_row=2) if r[col["kind"]].value == "reversal")
    assert reversal[col["amount"]].value == -200
    assert reversal[col["amount"]].number_format == "#,##0.00"
    assert reversal[col["value_date"]].number_format == "yyyy-mm-dd"
    assert isinstance(reversal[col["value_date"]].value, dt.datetime)


def test_column_widths_fit_chinese_text_and_cap_long_text() -> None:
    data = xlsx_bytes(
        ["客户", "note", "amount"],
        [("上海华美贸易有限公司", "x" * 500, D("1234567.89")), ("A", None, D("-1.00"))],
    )
    ws = _sheet(data)
    widths = [ws.column_dimensions[c].width for c in "ABC"]
    assert widths[0] >= 20  # ten Chinese characters take twenty columns' room
    assert widths[1] == 60
    assert widths[2] >= len("1,234,567.89")
    assert ws["C3"].value == -1 and ws["C3"].number_format == "#,##0.00"


def test_two_payments_to_one_invoice_are_one_entry_of_their_sum(
    client: FlaskClient, session: Session, receipts: User
) -> None:
    split = session.scalars(
        select(BankTransaction).where(BankTransaction.bank_ref == "XLS-2")
    ).one()
    invoice = session.scalars(select(Invoice).where(Invoice.number == "INV-X-3")).one()
    on_account = next(a for a in split.allocations if a.kind.value == "on_account")
    ledger.reverse(session, on_account, "apply it", actor=receipts)
    ledger.apply(session, split, invoice, D("50.00"), actor=receipts)
    session.commit()
    login(client, receipts)
    rows = {
        r["bank_ref"]: r
        for r in csv.DictReader(
            io.StringIO(client.get("/banking/archive.csv").data.decode("utf-8-sig"))
        )
    }
    assert rows["XLS-2"]["applied_to"] == "INV-X-2 1000.00; INV-X-3 200.00"
