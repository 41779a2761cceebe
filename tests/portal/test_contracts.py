"""Contract register: import, the invoice check (API and import), held invoices, PDF proposal."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from flask.testing import FlaskClient, FlaskCliRunner
from reportlab.pdfgen import canvas
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.api.auth import create_token
from portal.contracts.extract import propose
from portal.contracts.service import import_contracts, import_contracts_csv
from portal.erp.service import ErpImportError, import_invoices_csv
from portal.models import (
    AuditEvent,
    CheckStatus,
    Contract,
    ContractDocument,
    Customer,
    InvoiceContractCheck,
    InvoiceStatus,
)
from statements.fonts import statement_font
from tests.factories import make_customer, make_invoice, make_user
from tests.portal.finance_helpers import login

CONTRACTS = (
    "number,customer,currency,total,payment_terms,valid_from,valid_to,schedule\n"
    "HT-1,HM01,CNY,100000,30,2026-01-01,2026-12-31,2026-03-31=30000;验收合格=70000\n"
    "HT-2,HM01,CNY,5000,,2026-01-01,,\n"
)
INVOICE_HEADER = (
    "number,customer,issue_date,due_date,currency,amount,open_amount,po_number,contract\n"
)


@pytest.fixture
def hm(session: Session) -> Customer:
    return make_customer(session, code="HM01", name="上海华美贸易有限公司")


@pytest.fixture
def contracts(session: Session, hm: Customer) -> None:
    import_contracts_csv(session, CONTRACTS.encode())


def _auth(session: Session) -> dict[str, str]:
    _row, secret = create_token(session, "erp", make_user(session, role="finance"))
    return {"Authorization": f"Bearer {secret}", "Accept-Language": "en"}


# --- import ----------------------------------------------------------------------------------


def test_contracts_import_and_reimport(session: Session, contracts: None) -> None:
    contract = session.scalars(select(Contract).where(Contract.number == "HT-1")).one()
    assert (contract.total, contract.payment_terms_days, contract.currency) == (
        Decimal("100000.00"),
        30,
        "CNY",
    )
    assert [(s.due_date, s.milestone, s.amount) for s in contract.schedule] == [
        (dt.date(2026, 3, 31), None, Decimal("30000.00")),
        (None, "验收合格", Decimal("70000.00")),
    ]
    again = import_contracts_csv(session, CONTRACTS.encode("gb18030"))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    changed = import_contracts_csv(session, CONTRACTS.replace("=70000", "=60000").encode())
    assert (changed.updated, changed.unchanged) == (1, 1)
    session.expire_all()
    contract = session.scalars(select(Contract).where(Contract.number == "HT-1")).one()
    assert [s.amount for s in contract.schedule] == [Decimal("30000.00"), Decimal("60000.00")]


def test_contracts_bad_rows(session: Session, hm: Customer) -> None:
    csv_text = (
        "number,customer,currency,total,payment_terms,valid_from,valid_to,schedule\n"
        "HT-1,NOPE,CNY,100,,2026-01-01,,\n"
        "HT-2,HM01,CNY,100,,2026-01-01,2025-01-01,\n"
        "HT-3,HM01,CNY,100,,2026-01-01,,2026-02-01=80;2026-03-01=80\n"
        "HT-4,HM01,CNY,100,,2026-01-01,,just text\n"
        '"HT-\r5",HM01,CNY,100,,2026-01-01,,\n'
        "HT-6,HM01,CNY,0,,2026-01-01,,\n"
    )
    with pytest.raises(ErpImportError) as excinfo:
        import_contracts_csv(session, csv_text.encode())
    errors = {e.line: e.reason for e in excinfo.value.errors}
    assert errors[2] == "unknown customer: NOPE"
    assert "valid_to 2025-01-01 is before valid_from" in errors[3]
    assert "schedule lines add up to 160.00, above the total 100.00" in errors[4]
    assert "bad schedule line 'just text'" in errors[5]
    assert "number contains a control character (CR)" in errors[6]
    assert "total must be positive" in errors[8]
    assert session.scalars(select(Contract)).all() == []


def test_cli_and_api_import_contracts(
    runner: FlaskCliRunner, client: FlaskClient, session: Session, hm: Customer, tmp_path: Path
) -> None:
    path = tmp_path / "contracts.csv"
    path.write_bytes(CONTRACTS.encode("utf-8-sig"))
    result = runner.invoke(args=["import", "contracts", str(path)])
    assert result.exit_code == 0, result.output
    assert "contracts: 2 created, 0 updated, 0 unchanged" in result.output

    row = {
        "number": "HT-API",
        "customer": "HM01",
        "currency": "CNY",
        "total": "900.00",
        "valid_from": "2026-01-01",
        "schedule": [{"date": "2026-02-01", "amount": "300"}, {"milestone": "交付", "amount": 600}],
    }
    headers = _auth(session)
    response = client.post("/api/v1/contracts", json=[row], headers=headers)
    assert response.status_code == 200, response.json
    assert response.json == {
        "kind": "contracts",
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "closed": 0,
        "conflicts": 0,
    }
    bad = client.post(
        "/api/v1/contracts", json=[{**row, "schedule": [{"amount": "1"}]}], headers=headers
    )
    assert bad.status_code == 422
    assert bad.json["errors"] == [
        {"line": 1, "reason": "schedule[1]: a schedule line needs a date or a milestone"}
    ]


# --- the check -------------------------------------------------------------------------------

DRAFT = {
    "number": "INV-NEW",
    "customer": "HM01",
    "contract": "HT-1",
    "currency": "CNY",
    "amount": "30000.00",
    "issue_date": "2026-03-25",
    "due_date": "2026-04-24",
}


def _check(client: FlaskClient, headers: dict[str, str], **changes: object) -> dict[str, object]:
    response = client.post("/api/v1/invoices/check", json={**DRAFT, **changes}, headers=headers)
    assert response.status_code == 200, response.json
    return response.json


def _codes(answer: dict[str, object]) -> list[str]:
    assert answer["result"] == "differences"
    return [d["code"] for d in answer["differences"]]  # type: ignore[attr-defined,index]


def test_check_ok_and_every_difference(
    client: FlaskClient, session: Session, contracts: None
) -> None:
    other = make_customer(session, code="AC02")
    headers = _auth(session)
    assert _check(client, headers) == {"result": "ok"}
    assert _check(client, headers, amount="70000", milestone="验收合格") == {"result": "ok"}
    assert _codes(_check(client, headers, customer=other.code)) == ["customer_differs"]
    assert _codes(_check(client, headers, currency="USD")) == ["currency_differs"]
    assert _codes(_check(client, headers, amount="100000.01")) == [
        "amount_over_remaining",
        "not_on_schedule",
    ]
    assert _codes(_check(client, headers, amount="500")) == ["not_on_schedule"]
    assert _codes(_check(client, headers, issue_date="2027-01-05", due_date="2027-02-04")) == [
        "not_on_schedule",
        "outside_validity",
    ]
    assert _codes(_check(client, headers, due_date="2026-05-24")) == ["payment_terms_differ"]
    assert _codes(_check(client, headers, contract=None)) == ["no_contract"]
    answer = _check(client, headers, contract="HT-404")
    assert answer["differences"] == [
        {
            "code": "no_contract",
            "message": "Contract HT-404 is not in the contract register.",
            "params": {"contract": "HT-404"},
        }
    ]
    message = _check(client, headers, amount="100000.01")["differences"][0]["message"]  # type: ignore[index]
    assert message == (
        "Amount 100000.01 is above the 100000.00 left on contract HT-1 (total 100000.00)."
    )
    # the message speaks the client's language
    chinese = _check(client, {**headers, "Accept-Language": "zh-CN"}, contract="HT-404")
    assert chinese["differences"][0]["message"] == "合同 HT-404 不在合同台账中。"  # type: ignore[index]


def test_check_counts_what_was_already_billed(
    client: FlaskClient, session: Session, contracts: None
) -> None:
    import_invoices_csv(
        session,
        (INVOICE_HEADER + "INV-A,HM01,2026-03-30,2026-04-29,CNY,30000,30000,,HT-1\n").encode(),
    )
    headers = _auth(session)
    # the dated line is used up, and 70,000 is left
    assert _codes(_check(client, headers)) == ["not_on_schedule"]
    assert _codes(_check(client, headers, amount="70000.01")) == [
        "amount_over_remaining",
        "not_on_schedule",
    ]
    # checking the already-imported invoice itself does not count it twice
    same = {"number": "INV-A", "issue_date": "2026-03-30", "due_date": "2026-04-29"}
    assert _check(client, headers, **same) == {"result": "ok"}


def test_check_bad_input(client: FlaskClient, session: Session, contracts: None) -> None:
    headers = _auth(session)
    assert client.post("/api/v1/invoices/check", json=DRAFT).status_code == 401
    assert client.post("/api/v1/invoices/check", json=[DRAFT], headers=headers).status_code == 400
    response = client.post(
        "/api/v1/invoices/check", json={**DRAFT, "amount": "lots"}, headers=headers
    )
    assert response.status_code == 422
    assert "bad amount in amount" in response.json["error"]
    response = client.post(
        "/api/v1/invoices/check", json={**DRAFT, "customer": "HM\r01"}, headers=headers
    )
    assert response.status_code == 422
    assert "control character (CR)" in response.json["error"]


# --- held invoices ---------------------------------------------------------------------------


def test_imported_invoices_that_differ_are_held_until_confirmed(
    client: FlaskClient, session: Session, contracts: None
) -> None:
    csv_text = INVOICE_HEADER + (
        "INV-1,HM01,2026-03-25,2026-04-24,CNY,30000,30000,,HT-1\n"  # as agreed
        "INV-2,HM01,2026-06-01,2026-07-01,CNY,5000,5000,,HT-2\n"  # as agreed (no schedule)
        "INV-3,HM01,2026-06-01,2026-08-01,CNY,999,999,,HT-1\n"  # off schedule, terms 61 days
        "INV-4,HM01,2026-06-01,2026-07-01,CNY,10,10,,\n"  # HM01 has contracts: none named
    )
    summary = import_invoices_csv(session, csv_text.encode())
    assert summary.held == 2
    assert "2 held for a contract check" in str(summary)
    checks = {c.invoice.number: c for c in session.scalars(select(InvoiceContractCheck)).all()}
    assert set(checks) == {"INV-3", "INV-4"}
    assert [d["code"] for d in checks["INV-3"].differences] == [
        "not_on_schedule",
        "payment_terms_differ",
    ]
    assert [d["code"] for d in checks["INV-4"].differences] == ["no_contract"]

    # the same file again holds nothing new
    assert import_invoices_csv(session, csv_text.encode()).held == 0

    finance = make_user(session, "finance")
    login(client, finance)
    page = client.get("/contracts/held").get_data(as_text=True)
    assert "INV-3" in page and "row-alert" in page, page[page.find("<main") :]
    assert "Payment terms of 61 days differ from the contract" in page

    check = checks["INV-3"]
    refused = client.post(f"/contracts/held/{check.id}/confirm", data={"reason": " "})
    assert refused.status_code == 302
    session.refresh(check)
    assert check.status is CheckStatus.HELD

    client.post(f"/contracts/held/{check.id}/confirm", data={"reason": "Agreed by phone"})
    session.refresh(check)
    assert (check.status, check.reason, check.decided_by_id) == (
        CheckStatus.CONFIRMED,
        "Agreed by phone",
        finance.id,
    )
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "invoice.contract_confirmed")
    ).one()
    assert (event.entity_id, event.reason, event.actor_id) == (
        "INV-3",
        "Agreed by phone",
        finance.id,
    )
    page = client.get("/contracts/held").get_data(as_text=True)
    assert "Agreed by phone" in page

    # the ERP corrects INV-4 to name its contract: the hold clears
    import_contracts_csv(
        session, CONTRACTS.splitlines()[0].encode() + b"\nHT-3,HM01,CNY,10,,2026-01-01,,\n"
    )
    fixed = INVOICE_HEADER + "INV-4,HM01,2026-06-01,2026-07-01,CNY,10,10,,HT-3\n"
    import_invoices_csv(session, fixed.encode())
    session.refresh(checks["INV-4"])
    assert checks["INV-4"].status is CheckStatus.CLEARED


def test_invoices_imported_before_their_contract_are_checked_when_it_arrives(
    session: Session, hm: Customer
) -> None:
    import_invoices_csv(
        session,
        (INVOICE_HEADER + "INV-E,HM01,2026-06-01,2026-07-01,CNY,7000,7000,,HT-2\n").encode(),
    )
    assert session.scalars(select(InvoiceContractCheck)).all() == []
    summary = import_contracts_csv(session, CONTRACTS.encode())
    assert summary.held == 1
    check = session.scalars(select(InvoiceContractCheck)).one()
    assert [d["code"] for d in check.differences] == ["amount_over_remaining"]


def test_customers_without_contracts_are_not_held(session: Session, contracts: None) -> None:
    make_customer(session, code="FREE")
    csv_text = INVOICE_HEADER + "INV-F,FREE,2026-06-01,2026-07-01,CNY,10,10,,CT-UNKNOWN\n"
    assert import_invoices_csv(session, csv_text.encode()).held == 0


def test_sales_may_look_but_not_confirm(
    client: FlaskClient, session: Session, contracts: None
) -> None:
    import_invoices_csv(
        session, (INVOICE_HEADER + "INV-9,HM01,2026-06-01,2026-07-01,CNY,9,9,,\n").encode()
    )
    check = session.scalars(select(InvoiceContractCheck)).one()
    login(client, make_user(session, "sales"))
    assert client.get("/contracts/held").status_code == 200
    response = client.post(f"/contracts/held/{check.id}/confirm", data={"reason": "ok"})
    assert response.status_code == 403
    session.refresh(check)
    assert check.status is CheckStatus.HELD


# --- report ----------------------------------------------------------------------------------


def test_report_lists_invoices_without_contract_and_contracts_over_total(
    client: FlaskClient, session: Session, contracts: None
) -> None:
    csv_text = INVOICE_HEADER + (
        "INV-1,HM01,2026-06-01,2026-07-01,CNY,3000,3000,,HT-2\n"
        "INV-2,HM01,2026-06-02,2026-07-02,CNY,2500,2500,,HT-2\n"
        "INV-3,HM01,2026-06-02,2026-07-02,CNY,10,10,,\n"
        "INV-4,HM01,2026-06-02,2026-07-02,CNY,10,10,,HT-GONE\n"
    )
    import_invoices_csv(session, csv_text.encode())
    held = {c.invoice.number: c for c in session.scalars(select(InvoiceContractCheck))}
    # the second invoice takes HT-2 past its total
    assert [d["code"] for d in held["INV-2"].differences] == ["amount_over_remaining"]
    assert "INV-1" not in held
    login(client, make_user(session, "auditor"))
    page = client.get("/contracts/report").get_data(as_text=True)
    over = page.split('id="over-total"')[1].split('id="without-contract"')[0]
    assert "HT-2" in over and "HT-1" not in over and "500.00" in over
    without = page.split('id="without-contract"')[1]
    assert "INV-3" in without and "INV-4" in without and "INV-1" not in without


# --- signed PDF ------------------------------------------------------------------------------


def _pdf(lines: list[str]) -> bytes:
    font = statement_font()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.setFont(font.name, 11)
    for n, line in enumerate(lines):
        pdf.drawString(60, 800 - 20 * n, line)
    pdf.save()
    return buffer.getvalue()


CHINESE_CONTRACT = [
    "销售合同",
    "合同编号：HT-2026-0042",
    "甲方（买方）：上海华美贸易有限公司",
    "乙方（卖方）：康科德示范贸易有限公司",
    "合同总金额：人民币 1,250,000.00 元",
    "付款方式：货到验收合格后 60 天内付款",
    "有效期：自 2026年1月1日 至 2026年12月31日",
]


def test_proposal_from_chinese_and_english_pdfs() -> None:
    zh = propose(_pdf(CHINESE_CONTRACT), own_names=["康科德示范贸易有限公司"])
    assert zh == {
        "number": "HT-2026-0042",
        "party_a": "上海华美贸易有限公司",
        "party_b": "康科德示范贸易有限公司",
        "customer_name": "上海华美贸易有限公司",
        "total": "1250000.00",
        "currency": "CNY",
        "payment_terms": "货到验收合格后 60 天内付款",
        "payment_terms_days": 60,
        "valid_from": "2026-01-01",
        "valid_to": "2026-12-31",
    }
    en = propose(
        _pdf(
            [
                "Contract No.: CT-EN-7",
                "Party A (Buyer): Acme Industrial Ltd",
                "Party B (Seller): Concord Demo Trading Co., Ltd.",
                "Total Contract Amount: USD 48,000.00",
                "Payment Terms: Net 45 days after invoice",
            ]
        ),
        own_names=["Concord Demo Trading Co., Ltd."],
    )
    assert (en["number"], en["customer_name"], en["total"], en["currency"]) == (
        "CT-EN-7",
        "Acme Industrial Ltd",
        "48000.00",
        "USD",
    )
    assert en["payment_terms_days"] == 45
    assert propose(b"%PDF-1.4 not really") == {}


def test_upload_pdf_confirm_proposal_and_download(
    client: FlaskClient, session: Session, hm: Customer
) -> None:
    finance = make_user(session, "finance")
    login(client, finance)
    data = _pdf(CHINESE_CONTRACT)
    response = client.post(
        "/contracts/documents",
        data={"pdf": (io.BytesIO(data), "合同.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    document = session.scalars(select(ContractDocument)).one()
    assert document.proposal["customer"] == "HM01"  # the counterparty's name found the customer
    page = client.get(f"/contracts/documents/{document.id}").get_data(as_text=True)
    assert 'value="HT-2026-0042"' in page and 'value="HM01"' in page

    response = client.post(
        f"/contracts/documents/{document.id}",
        data={
            "number": "HT-2026-0042",
            "customer": "HM01",
            "currency": "cny",
            "total": "1250000.00",
            "payment_terms_days": "60",
            "valid_from": "2026-01-01",
            "valid_to": "2026-12-31",
        },
    )
    assert response.status_code == 302
    contract = session.scalars(select(Contract)).one()
    assert (contract.number, contract.total, contract.currency, contract.payment_terms_days) == (
        "HT-2026-0042",
        Decimal("1250000.00"),
        "CNY",
        60,
    )
    session.refresh(document)
    assert (document.contract_id, document.confirmed_by_id) == (contract.id, finance.id)
    download = client.get(f"/contracts/documents/{document.id}/pdf")
    assert download.status_code == 200 and download.data == data
    assert "HT-2026-0042" in client.get(f"/contracts/{contract.id}").get_data(as_text=True)
    assert "HT-2026-0042" in client.get("/contracts/").get_data(as_text=True)


def test_upload_refuses_what_is_not_a_pdf(client: FlaskClient, session: Session) -> None:
    login(client, make_user(session, "finance"))
    response = client.post(
        "/contracts/documents",
        data={"pdf": (io.BytesIO(b"hello"), "x.pdf")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "the file is not a PDF" in response.get_data(as_text=True)
    assert session.scalars(select(ContractDocument)).all() == []


def test_json_schedule_rows(session: Session, hm: Customer) -> None:
    row = {
        "number": "J-1",
        "customer": "HM01",
        "currency": "CNY",
        "total": 100,
        "valid_from": "2026-01-01",
        "schedule": "2026-02-30=10",
    }
    with pytest.raises(ErpImportError) as excinfo:
        import_contracts(session, [(1, row)])
    assert "no such day" in excinfo.value.errors[0].reason


def test_pages_speak_chinese(client: FlaskClient, session: Session, contracts: None) -> None:
    import_invoices_csv(
        session, (INVOICE_HEADER + "INV-Z,HM01,2026-06-01,2026-07-01,CNY,9,9,,\n").encode()
    )
    login(client, make_user(session, "finance", language="zh"))
    assert "合同台账" in client.get("/contracts/").get_data(as_text=True)
    held = client.get("/contracts/held").get_data(as_text=True)
    assert "暂挂发票" in held and "发票未注明合同。" in held
    assert "无合同的发票" in client.get("/contracts/report").get_data(as_text=True)
    assert "没有未处理的冲突" in client.get("/erp/conflicts").get_data(as_text=True)


def _contracts_over_total(session: Session, customer: Customer, count: int) -> None:
    """``count`` contracts HT-P001… of 100.00, each billed 150.00 by one invoice."""
    for n in range(1, count + 1):
        number = f"HT-P{n:03d}"
        session.add(
            Contract(
                number=number,
                customer=customer,
                currency="CNY",
                total=Decimal("100.00"),
                valid_from=dt.date(2026, 1, 1),
            )
        )
        make_invoice(session, customer, amount="150.00", contract_number=number)
    session.flush()


def test_report_pages_both_lists_and_each_pager_keeps_the_other_list_where_it_is(
    client: FlaskClient, session: Session, hm: Customer
) -> None:
    _contracts_over_total(session, hm, 55)
    for n in range(1, 61):
        make_invoice(session, hm, number=f"INV-NC-{n:03d}", issue_date=dt.date(2026, 5, 1))
    login(client, make_user(session, "auditor", language="en"))

    def lists(url: str) -> tuple[list[str], list[str], str]:
        page = client.get(url).get_data(as_text=True)
        over, without = page.split('id="over-total"')[1].split('id="without-contract"')
        return re.findall(r"HT-P\d{3}", over), re.findall(r"INV-NC-\d{3}", without), page

    over, without, page = lists("/contracts/report")
    assert over == [f"HT-P{n:03d}" for n in range(1, 51)]
    assert without == [f"INV-NC-{n:03d}" for n in range(1, 51)]
    assert "Page 1 of 2" in page and ">55<" in page and ">60<" in page
    over, without, page = lists("/contracts/report?page=2")
    assert over == [f"HT-P{n:03d}" for n in range(1, 51)]
    assert without == [f"INV-NC-{n:03d}" for n in range(51, 61)]
    # the other list's next page keeps this list on its page 2
    nexts = re.findall(r'href="([^"]+)" rel="next"', page)
    assert nexts == ["/contracts/report?page=2&amp;over_page=2#over-total"]
    over, without, _page = lists("/contracts/report?page=2&over_page=2")
    assert over == [f"HT-P{n:03d}" for n in range(51, 56)]
    assert without == [f"INV-NC-{n:03d}" for n in range(51, 61)]


@pytest.mark.parametrize("number", ["0", "-1", "x", "99999999999999999999"])
def test_contract_pages_take_any_page_number(
    client: FlaskClient, session: Session, hm: Customer, number: str
) -> None:
    _contracts_over_total(session, hm, 51)
    login(client, make_user(session, "auditor", language="en"))
    for url in (
        f"/contracts/?page={number}",
        f"/contracts/report?page={number}&over_page={number}",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "HT-P0" in response.get_data(as_text=True)


def test_register_pages_contracts(client: FlaskClient, session: Session, hm: Customer) -> None:
    _contracts_over_total(session, hm, 55)
    login(client, make_user(session, "auditor", language="en"))
    first = client.get("/contracts/").get_data(as_text=True)
    second = client.get("/contracts/?page=2").get_data(as_text=True)
    assert re.findall(r">(HT-P\d{3})<", first) == [f"HT-P{n:03d}" for n in range(1, 51)]
    assert re.findall(r">(HT-P\d{3})<", second) == [f"HT-P{n:03d}" for n in range(51, 56)]
    assert 'href="/contracts/?page=2" rel="next"' in first


def test_contract_page_pages_its_invoices_and_bills_them_all(
    client: FlaskClient, session: Session, hm: Customer, contracts: None
) -> None:
    contract = session.scalars(select(Contract).where(Contract.number == "HT-1")).one()
    for n in range(1, 56):
        make_invoice(
            session,
            hm,
            number=f"INV-HT-{n:03d}",
            amount="100.00",
            contract_number="HT-1",
            issue_date=dt.date(2026, 2, 1),
        )
    make_invoice(
        session, hm, amount="999.00", contract_number="HT-1", status=InvoiceStatus.CANCELLED
    )
    login(client, make_user(session, "auditor", language="en"))
    first = client.get(f"/contracts/{contract.id}").get_data(as_text=True)
    second = client.get(f"/contracts/{contract.id}?page=2").get_data(as_text=True)
    assert re.findall(r"INV-HT-\d{3}", first) == [f"INV-HT-{n:03d}" for n in range(1, 51)]
    assert re.findall(r"INV-HT-\d{3}", second) == [f"INV-HT-{n:03d}" for n in range(51, 56)]
    assert f'href="/contracts/{contract.id}?page=2" rel="next"' in first
    for page in (first, second):  # billed counts every invoice, not the page's
        assert "5,500.00" in page and "6,499.00" not in page
    for number in ("0", "-1", "x", "99999999999999999999"):
        response = client.get(f"/contracts/{contract.id}?page={number}")
        assert response.status_code == 200 and "INV-HT-001" in response.get_data(as_text=True)
