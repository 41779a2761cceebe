"""Chinese ERPs' contacts and contracts files: Chinese column names, lenient values, and every
problem of a row reported with its line (CLI and the JSON API, in the reader's language)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.api.auth import create_token
from portal.contracts.service import import_contracts_csv
from portal.erp.service import ErpImportError, import_contacts_csv
from portal.models import Contract, Customer, CustomerContact
from tests.factories import make_customer, make_user

D = Decimal

CONTACTS = (
    "客户编码,姓名,电子邮件,手机号码,语言,是否对账联系人\n"
    "HM01,王会计,wang@huamei.example.cn,13800001111,zh,是\n"
    "HM01,李出纳,,13900002222,,否\n"
    "AC02,John Smith,john@acme.example.com,,en,是\n"
)
CONTRACTS = (
    "合同编号,客户编码,币种,合同金额,账期,生效日期,失效日期,收款计划,签订日期\n"
    'HT-2026-01,HM01,人民币,"¥100,000.00",30天,2026/1/1,2026年12月31日,'
    '"2026/03/31=30,000.00;验收合格=70,000.00",2025-12-20\n'
    "HT-2026-02,HM01,RMB,5000,,20260101,,,\n"
)


@pytest.fixture
def customers(session: Session) -> None:
    make_customer(session, code="HM01", name="上海华美贸易有限公司")
    make_customer(session, code="AC02", name="Acme Industrial Ltd", language="en")


@pytest.fixture
def token(session: Session) -> str:
    _row, secret = create_token(session, "erp", make_user(session, role="admin"))
    session.commit()
    return secret


# --- contacts --------------------------------------------------------------------------------


def test_a_chinese_contacts_file_in_gb18030_is_imported(session: Session, customers: None) -> None:
    summary = import_contacts_csv(session, CONTACTS.encode("gb18030"))
    assert (summary.updated, summary.unchanged) == (2, 0)
    hm = session.scalars(select(Customer).where(Customer.code == "HM01")).one()
    assert [(c.name, c.email, c.mobile, c.is_billing) for c in hm.contacts] == [
        ("王会计", "wang@huamei.example.cn", "13800001111", True),
        ("李出纳", None, "13900002222", False),
    ]
    ac = session.scalars(select(Customer).where(Customer.code == "AC02")).one()
    assert [(c.name, c.language, c.is_billing) for c in ac.contacts] == [("John Smith", "en", True)]
    # 账务联系人 is the other name of the billing column
    other = CONTACTS.replace("是否对账联系人", "账务联系人")
    again = import_contacts_csv(session, other.encode("gb18030"))
    assert again.unchanged == 2


BAD_CONTACTS = (
    "客户编码,联系人,邮箱,手机,语言,对账联系人\n"
    "HM01,王会计,wang@huamei.example.cn,13800001111,zh,是\n"
    "HM01,李出纳,not-an-address,,fr,也许\n"
    "NOPE,,,,,\n"
)


def test_every_problem_of_a_contact_row_is_reported(
    runner: FlaskCliRunner, session: Session, customers: None, tmp_path: Path
) -> None:
    with pytest.raises(ErpImportError) as excinfo:
        import_contacts_csv(session, BAD_CONTACTS.encode("gb18030"))
    errors = [(e.line, e.reason) for e in excinfo.value.errors]
    assert errors == [
        (3, "bad email in email: 'not-an-address'"),
        (3, "bad language in language: 'fr' (zh or en)"),
        (3, "bad value in billing: '也许' (expected yes or no)"),
        (4, "a contact needs a name, email or mobile"),
    ]
    assert str(excinfo.value) == "2 bad row(s); nothing was imported"
    assert session.scalars(select(CustomerContact)).all() == []

    path = tmp_path / "联系人.csv"
    path.write_bytes(BAD_CONTACTS.encode("gb18030"))
    result = runner.invoke(args=["import", "contacts", str(path)])
    assert result.exit_code == 1
    assert "联系人.csv: line 3: bad email in email: 'not-an-address'" in result.output
    assert "联系人.csv: line 3: bad language in language: 'fr' (zh or en)" in result.output
    assert "联系人.csv: line 3: bad value in billing: '也许' (expected yes or no)" in result.output
    assert "联系人.csv: line 4: a contact needs a name, email or mobile" in result.output


def test_contacts_api_422_lists_every_problem_in_chinese(
    client: FlaskClient, session: Session, customers: None, token: str
) -> None:
    rows = [{"customer": "NOPE", "name": "李出纳", "email": "not-an-address", "language": "fr"}]
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": "zh-CN"}
    response = client.post("/api/v1/contacts", json=rows, headers=headers)
    assert response.status_code == 422
    assert response.json == {
        "error": "1 行有误；未导入任何数据",
        "errors": [
            {"line": 1, "reason": "email 中的电子邮件地址无效：'not-an-address'"},
            {"line": 1, "reason": "language 中的语言无效：'fr'（应为 zh 或 en）"},
        ],
    }
    # the customer is looked up once the row is valid
    rows[0] = {"customer": "NOPE", "name": "李出纳"}
    response = client.post("/api/v1/contacts", json=rows, headers=headers)
    assert response.json["errors"] == [{"line": 1, "reason": "未知客户：NOPE"}]


# --- contracts -------------------------------------------------------------------------------


def test_a_contracts_file_with_chinese_column_names_is_imported(
    session: Session, customers: None
) -> None:
    summary = import_contracts_csv(session, CONTRACTS.encode("gb18030"))
    assert summary.created == 2
    contract = session.scalars(select(Contract).where(Contract.number == "HT-2026-01")).one()
    assert (
        contract.currency,
        contract.total,
        contract.payment_terms_days,
        contract.valid_from,
        contract.valid_to,
    ) == ("CNY", D("100000.00"), 30, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert [(s.due_date, s.milestone, s.amount) for s in contract.schedule] == [
        (dt.date(2026, 3, 31), None, D("30000.00")),
        (None, "验收合格", D("70000.00")),
    ]
    plain = session.scalars(select(Contract).where(Contract.number == "HT-2026-02")).one()
    assert (plain.total, plain.valid_from, plain.schedule) == (
        D("5000.00"),
        dt.date(2026, 1, 1),
        [],
    )
    assert import_contracts_csv(session, CONTRACTS.encode("utf-8-sig")).unchanged == 2


BAD_CONTRACTS = (
    "合同编号,客户编码,币种,合同金额,开始日期,结束日期,收款计划\n"
    'HT-1,HM01,日币,"5.000,00",03/01/2026,2026-02-30,2026/02/30=10;x\n'
    "HT-2,NOPE,人民币,100,2026-01-01,2025-12-31,\n"
)


def test_every_problem_of_a_contract_row_is_reported(
    runner: FlaskCliRunner, session: Session, customers: None, tmp_path: Path
) -> None:
    with pytest.raises(ErpImportError) as excinfo:
        import_contracts_csv(session, BAD_CONTRACTS.encode("gb18030"))
    errors = [(e.line, e.reason) for e in excinfo.value.errors]
    line2 = [reason for line, reason in errors if line == 2]
    assert len(line2) == 6, line2
    assert line2[0].startswith("bad currency: '日币'")
    assert line2[1].startswith("bad amount in total: '5.000,00'")
    assert line2[2].startswith("bad date in valid_from: '03/01/2026' (write the year first")
    assert line2[3] == "bad date in valid_to: '2026-02-30' (no such day)"
    assert line2[4] == "bad date in schedule: '2026/02/30' (no such day)"
    assert line2[5].startswith("bad schedule line 'x'")
    assert [reason for line, reason in errors if line == 3] == [
        "valid_to 2025-12-31 is before valid_from 2026-01-01",
    ]
    assert str(excinfo.value) == "2 bad row(s); nothing was imported"
    assert session.scalars(select(Contract)).all() == []

    path = tmp_path / "合同.csv"
    path.write_bytes(BAD_CONTRACTS.encode("gb18030"))
    result = runner.invoke(args=["import", "contracts", str(path)])
    assert result.exit_code == 1
    for reason in line2:
        assert f"合同.csv: line 2: {reason}" in result.output
    assert "合同.csv: line 3: valid_to 2025-12-31 is before valid_from" in result.output


def test_an_unknown_customer_in_a_chinese_contracts_file_is_reported(
    session: Session, customers: None
) -> None:
    data = "合同编号,客户编码,币种,合同金额,开始日期\nHT-1,NOPE,人民币,100,2026-01-01\n"
    with pytest.raises(ErpImportError) as excinfo:
        import_contracts_csv(session, data.encode())
    assert [(e.line, e.reason) for e in excinfo.value.errors] == [(2, "unknown customer: NOPE")]


def test_contracts_api_422_lists_every_problem_in_chinese(
    client: FlaskClient, session: Session, customers: None, token: str
) -> None:
    row = {
        "number": "HT-API",
        "customer": "HM01",
        "currency": "人民币",
        "total": "0",
        "valid_from": "2026/01/01",
        "valid_to": "2025/12/31",
        "schedule": [{"amount": "1"}, {"date": "2026-02-30", "amount": "1"}],
    }
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": "zh-CN"}
    response = client.post("/api/v1/contracts", json=[row], headers=headers)
    assert response.status_code == 422
    assert response.json == {
        "error": "1 行有误；未导入任何数据",
        "errors": [
            {"line": 1, "reason": "总金额必须为正数"},
            {"line": 1, "reason": "valid_to 2025-12-31 早于 valid_from 2026-01-01"},
            {"line": 1, "reason": "schedule[1]：付款计划行需要日期或里程碑"},
            {"line": 1, "reason": "schedule[2]：date 中的日期无效：'2026-02-30'（没有这一天）"},
        ],
    }
    # the English columns and values stay as documented
    good = {**row, "currency": "CNY", "total": "900.00", "valid_from": "2026-01-01"}
    good.pop("valid_to")
    good["schedule"] = [{"date": "2026-02-01", "amount": "300"}]
    english = {"Authorization": headers["Authorization"]}
    assert client.post("/api/v1/contracts", json=[good], headers=english).status_code == 200


def test_a_customer_rows_contacts_list_reports_every_contact_s_problems(
    client: FlaskClient, session: Session, token: str
) -> None:
    row = {
        "code": "HM01",
        "name": "上海华美贸易有限公司",
        "currency": "CNY",
        "contacts": [{"name": "王会计", "email": "not-an-address"}, {"name": "李", "billing": "?"}],
    }
    response = client.post(
        "/api/v1/customers", json=[row], headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 422
    assert response.json["errors"] == [
        {"line": 1, "reason": "contacts[1]: bad email in email: 'not-an-address'"},
        {"line": 1, "reason": "contacts[2]: bad value in billing: '?' (expected yes or no)"},
    ]
