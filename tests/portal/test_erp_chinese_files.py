"""Importing Chinese ERPs' exports (Kingdee 金蝶, Yonyou 用友, Excel saves) and reporting every
problem of a row, in the reader's language (CLI, CSV and the JSON API)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from flask_babel import refresh
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.api.auth import create_token
from portal.erp.parsing import read_csv
from portal.erp.service import ErpImportError, import_customers_csv, import_invoices_csv
from portal.models import Customer, Invoice, InvoiceStatus
from reconcile.matching.erp_csv import read_invoices
from tests.factories import make_user

D = Decimal

CUSTOMERS = (
    "客户编码,客户名称,别名,银行账号,币种,信用额度\n"
    'HM01,上海华美贸易有限公司,华美,6222 0210 0100 1234,人民币,"500,000.00"\n'
    "AC02,Acme Industrial Ltd,,,美元,\n"
    "HK03,香港恒信有限公司,,,港币,\n"
)
INVOICES = (
    "发票号,客户编码,客户名称,开票日期,到期日,币种,金额,未收金额,采购订单号\n"
    'FP-001,HM01,上海华美贸易有限公司,2026/11/20,2026/12/20,人民币,"5,000.00","5,000.00",PO-1\n'
    "FP-002,HM01,上海华美贸易有限公司,2026-11-20 00:00:00,2026-12-20 00:00:00,RMB,5000,2000,\n"
    'FP-003,HM01,上海华美贸易有限公司,2026年11月20日,2026年12月20日,CNY,"¥5,000.00",¥0.00,\n'
    "FP-004,AC02,Acme,20261120,20261220,美元,５０００．００,１２３４．５０,\n"
    "FP-005,HK03,恒信,2026/11/20,2026/12/20,港币,HK$800.00,800,\n"
)


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_kingdee_files_are_imported(session: Session) -> None:
    assert import_customers_csv(session, CUSTOMERS.encode("gb18030")).created == 3
    hm01 = session.scalars(select(Customer).where(Customer.code == "HM01")).one()
    assert (hm01.name, hm01.aliases, hm01.currency) == ("上海华美贸易有限公司", ["华美"], "CNY")
    assert hm01.credit_limit == D("500000.00")
    assert import_invoices_csv(session, INVOICES.encode("utf-8-sig")).created == 5
    invoices = {i.number: i for i in session.scalars(select(Invoice))}
    got = {
        n: (i.issue_date, i.due_date, i.currency, i.amount, i.open_amount)
        for n, i in invoices.items()
    }
    issue, due = dt.date(2026, 11, 20), dt.date(2026, 12, 20)
    assert got == {
        "FP-001": (issue, due, "CNY", D("5000.00"), D("5000.00")),
        "FP-002": (issue, due, "CNY", D("5000.00"), D("2000.00")),
        "FP-003": (issue, due, "CNY", D("5000.00"), D("0.00")),
        "FP-004": (issue, due, "USD", D("5000.00"), D("1234.50")),
        "FP-005": (issue, due, "HKD", D("800.00"), D("800.00")),
    }
    assert invoices["FP-003"].status is InvoiceStatus.PAID
    assert invoices["FP-001"].po_number == "PO-1"
    # the same file again changes nothing
    again = import_invoices_csv(session, INVOICES.encode("utf-8-sig"))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)


def test_portal_and_reconcile_read_a_chinese_file_alike() -> None:
    rows = read_csv(INVOICES.encode(), ["number", "open_amount"], vocabulary="invoices")
    assert [(line, row["number"], row["open_amount"]) for line, row in rows][:2] == [
        (2, "FP-001", "5,000.00"),
        (3, "FP-002", "2000"),
    ]
    assert [i.number for i in read_invoices(INVOICES.encode())] == [
        "FP-001",
        "FP-002",
        "FP-003",
        "FP-004",
        "FP-005",
    ]


def test_every_problem_of_a_row_is_reported(session: Session) -> None:
    import_customers_csv(session, CUSTOMERS.encode())
    data = (
        "发票号,客户编码,开票日期,到期日,币种,金额,未收金额,采购订单号\n"
        "FP-1,HM01,2026/11/20,2026/12/20,人民币,100,100,\n"
        'FP-2,HM01,03/11/2026,2026-02-30,日币,"5.000,00",abc,\n'
        "FP-3,NOPE,2026/11/20,2026/12/20,人民币,100,120,\n"
    ).encode()
    with pytest.raises(ErpImportError) as excinfo:
        import_invoices_csv(session, data)
    errors = [(e.line, e.reason) for e in excinfo.value.errors]
    line3 = [reason for line, reason in errors if line == 3]
    assert len(line3) == 5, line3
    assert "bad date in issue_date: '03/11/2026'" in line3[0]
    assert "bad date in due_date: '2026-02-30' (no such day)" in line3[1]
    assert "bad currency: '日币'" in line3[2]
    assert "bad amount in amount: '5.000,00'" in line3[3] and "decimal comma" in line3[3]
    assert "bad amount in open_amount: 'abc'" in line3[4]
    line4 = [reason for line, reason in errors if line == 4]
    assert line4 == [
        "open amount 120.00 is above the amount 100.00",
        "unknown customer: NOPE",
    ]
    assert [line for line, _ in errors] == [3, 3, 3, 3, 3, 4, 4]
    assert str(excinfo.value) == "2 bad row(s); nothing was imported"
    assert _count(session, Invoice) == 0


def test_every_problem_of_a_customer_row_is_reported(session: Session) -> None:
    data = (
        "客户编码,客户名称,别名,银行账号,币种,信用额度,邮箱\n"
        ',上海华美贸易有限公司,,,人民币币,"1.000,00",not-mail\n'
    ).encode()
    with pytest.raises(ErpImportError) as excinfo:
        import_customers_csv(session, data)
    reasons = [e.reason for e in excinfo.value.errors]
    assert reasons[0] == "missing value: code"
    assert "bad currency" in reasons[1]
    assert "bad amount in credit_limit" in reasons[2]
    assert "bad email" in reasons[3]
    assert len(reasons) == 4
    assert _count(session, Customer) == 0


def test_chinese_reasons_for_the_new_checks(app: Flask, session: Session) -> None:
    import_customers_csv(session, CUSTOMERS.encode())
    data = (
        "发票号,客户编码,开票日期,到期日,币种,金额,未收金额,采购订单号\n"
        'FP-2,HM01,03/11/2026,2026/12/20,人民币,"5.000,00",US$1.00,\n'
    ).encode()
    with app.test_request_context("/", headers={"Accept-Language": "zh-CN"}):
        refresh()
        with pytest.raises(ErpImportError) as excinfo:
            import_invoices_csv(session, data)
        reasons = [e.reason for e in excinfo.value.errors]
        assert str(excinfo.value) == "1 行有误；未导入任何数据"
    assert reasons == [
        "issue_date 中的日期无效：'03/11/2026'（年份写在前面，如 2026-11-20：03/11/2026 "
        "可能是 11 月 3 日，也可能是 3 月 11 日）",
        "amount 中的金额无效：'5.000,00'（不识别小数逗号：请写作 1234.56）",
        "open_amount 中的金额无效：'US$1.00' 标明的币种是 USD，但该行的币种是 CNY",
    ]


def test_a_chinese_header_with_two_names_for_one_column_is_refused(session: Session) -> None:
    data = (
        "发票号,客户编码,开票日期,到期日,币种,金额,价税合计,未收金额,采购订单号\n"
        "FP-1,HM01,2026/11/20,2026/12/20,人民币,100,113,113,\n"
    ).encode()
    with pytest.raises(ErpImportError) as excinfo:
        import_invoices_csv(session, data)
    (error,) = excinfo.value.errors
    assert (error.line, error.reason) == (
        1,
        "columns 金额, 价税合计 all name the column amount: keep one",
    )


def test_cli_imports_a_kingdee_file(
    runner: FlaskCliRunner, session: Session, tmp_path: Path
) -> None:
    customers = tmp_path / "客户.csv"
    customers.write_bytes(CUSTOMERS.encode("gb18030"))
    invoices = tmp_path / "应收单.csv"
    invoices.write_bytes(INVOICES.encode("gb18030"))
    result = runner.invoke(args=["import", "customers", str(customers)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["import", "invoices", str(invoices)])
    assert result.exit_code == 0, result.output
    assert "5 created" in result.output
    assert _count(session, Invoice) == 5


@pytest.fixture
def token(session: Session) -> str:
    _row, secret = create_token(session, "erp", make_user(session, role="admin"))
    session.commit()
    return secret


def test_api_422_is_in_chinese_when_asked(
    client: FlaskClient, session: Session, token: str
) -> None:
    rows = [
        {
            "number": "INV-1",
            "customer": "NOPE",
            "issue_date": "2026-11-20",
            "due_date": "2026-12-20",
            "currency": "CNY",
            "amount": "100.00",
            "open_amount": "100.00",
            "po_number": None,
        }
    ]
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": "zh-CN"}
    response = client.post("/api/v1/invoices", json=rows, headers=headers)
    assert response.status_code == 422
    assert response.json == {
        "error": "1 行有误；未导入任何数据",
        "errors": [{"line": 1, "reason": "未知客户：NOPE"}],
    }
    english = client.post(
        "/api/v1/invoices", json=rows, headers={"Authorization": headers["Authorization"]}
    )
    assert english.json["error"] == "1 bad row(s); nothing was imported"


def test_api_reports_every_problem_of_a_row(
    client: FlaskClient, session: Session, token: str
) -> None:
    rows = [
        {
            "number": "INV-1",
            "customer": "NOPE",
            "issue_date": "2026-13-01",
            "due_date": "2026-12-20",
            "currency": "CNY",
            "amount": "1.234,00",
            "open_amount": "100.00",
            "po_number": None,
        }
    ]
    response = client.post(
        "/api/v1/invoices", json=rows, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 422
    assert response.json["error"] == "1 bad row(s); nothing was imported"
    reasons = [(e["line"], e["reason"]) for e in response.json["errors"]]
    assert [line for line, _ in reasons] == [1, 1, 1]
    assert "issue_date" in reasons[0][1]
    assert "amount" in reasons[1][1]
    assert reasons[2][1] == "unknown customer: NOPE"


def test_a_customers_file_without_aliases_or_accounts_imports_and_keeps_them(
    session: Session,
) -> None:
    """Kingdee's customer list has no alias or bank-account column: the file imports, and a
    later file without them leaves what an earlier one (or Concord) stored."""
    assert import_customers_csv(session, CUSTOMERS.encode("gb18030")).created == 3
    plain = (
        "客户编码,客户名称,币别,信用额度,电子邮箱\n"
        "HM01,上海华美贸易有限公司,人民币,600000.00,ap@huamei.example.cn\n"
        "QH09,杭州青禾五金有限公司,人民币,,\n"
    )
    summary = import_customers_csv(session, plain.encode("gb18030"))
    assert (summary.created, summary.updated) == (1, 1)
    hm01 = session.scalars(select(Customer).where(Customer.code == "HM01")).one()
    assert hm01.aliases == ["华美"] and hm01.credit_limit == D("600000.00")
    assert [a.account_number for a in hm01.bank_accounts] == ["6222021001001234"]
    qh09 = session.scalars(select(Customer).where(Customer.code == "QH09")).one()
    assert (qh09.aliases, qh09.bank_accounts) == ([], [])
    # the columns present and empty still clear them, as documented
    cleared = "code,name,aliases,bank_accounts,currency\nHM01,上海华美贸易有限公司,,,CNY\n"
    import_customers_csv(session, cleared.encode())
    session.refresh(hm01)
    assert hm01.aliases == [] and hm01.bank_accounts == []
