"""ERP import: CSV decoding, validation of every bad-row case, upserts, idempotence."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.erp.service import (
    ErpImportError,
    decode,
    import_customers_csv,
    import_invoices_csv,
)
from portal.models import AuditEvent, Customer, CustomerBankAccount, Invoice, InvoiceStatus
from tests.factories import make_customer, make_invoice

CUSTOMERS = "\n".join(
    [
        "code,name,aliases,bank_accounts,currency,credit_limit,email,phone,language,segment",
        "HM01,上海华美贸易有限公司,Huamei Trading;HM Trading,"
        "6222 0210 0100 1234;31050161373600009999,CNY,500000.00,ap@huamei.test,021-5555 0101,zh,A",
        "AC02,Acme Industrial Ltd,,,USD,,ar@acme.test,,en,B",
        "",
    ]
)

INVOICE_HEADER = "number,customer,issue_date,due_date,currency,amount,open_amount,po_number\n"


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def _errors(excinfo: pytest.ExceptionInfo[ErpImportError]) -> dict[int, str]:
    return {error.line: error.reason for error in excinfo.value.errors}


@pytest.fixture
def customers(session: Session) -> None:
    import_customers_csv(session, CUSTOMERS.encode())


# --- decoding ------------------------------------------------------------------------------


def test_decode_utf8_bom_and_gb18030() -> None:
    text = "code,name\nHM01,上海华美贸易有限公司\n"
    assert decode(text.encode("utf-8")) == text
    assert decode(b"\xef\xbb\xbf" + text.encode("utf-8")) == text
    assert decode(text.encode("gb18030")) == text


def test_decode_refuses_other_bytes() -> None:
    with pytest.raises(ErpImportError) as excinfo:
        decode(b"code,name\n\xff\xfe\xff\n")
    assert "neither UTF-8 nor GB18030" in excinfo.value.errors[0].reason


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_customers_in_every_encoding(session: Session, encoding: str) -> None:
    summary = import_customers_csv(session, CUSTOMERS.encode(encoding))
    assert (summary.created, summary.updated, summary.unchanged) == (2, 0, 0)
    customer = session.scalar(select(Customer).where(Customer.code == "HM01"))
    assert customer is not None
    assert customer.name == "上海华美贸易有限公司"
    assert customer.aliases == ["Huamei Trading", "HM Trading"]
    assert [a.account_number for a in customer.bank_accounts] == [
        "6222021001001234",
        "31050161373600009999",
    ]
    assert customer.credit_limit == Decimal("500000.00")
    assert customer.email == "ap@huamei.test"
    assert customer.language == "zh"


def test_real_gb18030_export_file(session: Session) -> None:
    data = (Path(__file__).parent / "data" / "erp" / "customers_gb18030.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    summary = import_customers_csv(session, data, filename="customers_gb18030.csv")
    assert summary.created == 3
    names = set(session.scalars(select(Customer.name)))
    assert {"苏州华美贸易有限公司", "深圳前海鑫达供应链管理有限公司"} <= names


# --- customers -------------------------------------------------------------------------------


def test_customer_optional_columns_may_be_absent(session: Session) -> None:
    summary = import_customers_csv(
        session, b"code,name,aliases,bank_accounts,currency\nX1,Xin Co,,,cny\n"
    )
    assert summary.created == 1
    customer = session.scalar(select(Customer).where(Customer.code == "X1"))
    assert customer is not None
    assert (customer.currency, customer.language, customer.credit_limit) == ("CNY", "zh", None)


def test_customer_reimport_changes_nothing(session: Session, customers: None) -> None:
    before = session.scalar(select(Customer).where(Customer.code == "HM01"))
    assert before is not None
    stamp = before.updated_at
    events = _count(session, AuditEvent)
    summary = import_customers_csv(session, CUSTOMERS.encode("gb18030"))
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 2)
    assert _count(session, AuditEvent) == events
    session.expire_all()
    after = session.scalar(select(Customer).where(Customer.code == "HM01"))
    assert after is not None and after.updated_at == stamp


def test_customer_update_keeps_learned_accounts(session: Session, customers: None) -> None:
    customer = session.scalar(select(Customer).where(Customer.code == "HM01"))
    assert customer is not None
    customer.bank_accounts.append(CustomerBankAccount(account_number="999888777", source="learned"))
    session.flush()
    changed = CUSTOMERS.replace("6222 0210 0100 1234;", "").replace(
        "上海华美贸易有限公司", "上海华美贸易股份有限公司"
    )
    events = _count(session, AuditEvent)
    summary = import_customers_csv(session, changed.encode())
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 1)
    session.refresh(customer)
    assert customer.name == "上海华美贸易股份有限公司"
    assert sorted(a.account_number for a in customer.bank_accounts) == [
        "31050161373600009999",
        "999888777",
    ]
    # one event for the customer, one for the import
    assert _count(session, AuditEvent) == events + 2
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "customer.updated")).one()
    assert event.entity_id == "HM01"
    assert event.data["fields"]["name"] == "上海华美贸易股份有限公司"


CUSTOMER_BAD_ROWS = [
    ("D1,Dup One,,,CNY", None),
    ("D1,Dup Again,,,CNY", "duplicate code D1"),
    (",No Code,,,CNY", "missing value: code"),
    ("N1,,,,CNY", "missing value: name"),
    ("N2,Bad Currency,,,yuan", "bad currency"),
    ("N3,Short Row,,", "missing column: currency"),
    ("N4,Negative Limit,,,CNY,-5", "negative amount in credit_limit"),
    ("N5,Bad Limit,,,CNY,lots", "bad amount in credit_limit"),
    ("N6,Bad Mail,,,CNY,,not-an-email", "bad email"),
    ("N7,Bad Lang,,,CNY,,,,fr", "bad language"),
]


def test_customer_every_bad_row_is_listed(session: Session) -> None:
    csv_text = "code,name,aliases,bank_accounts,currency,credit_limit,email,phone,language\n"
    csv_text += "OK1,Good Customer,,,CNY\n"
    csv_text += "\n".join(row for row, _ in CUSTOMER_BAD_ROWS) + "\n"
    with pytest.raises(ErpImportError) as excinfo:
        import_customers_csv(session, csv_text.encode())
    errors = _errors(excinfo)
    expected = {
        line: reason
        for line, (_row, reason) in enumerate(CUSTOMER_BAD_ROWS, start=3)
        if reason is not None
    }
    assert set(errors) == set(expected)
    for line, reason in expected.items():
        assert reason in errors[line]
    assert "first on line 3" in errors[4]
    # all or nothing: the good rows were not imported either
    assert _count(session, Customer) == 0


def test_customer_header_missing_column(session: Session) -> None:
    with pytest.raises(ErpImportError) as excinfo:
        import_customers_csv(session, b"code,name,aliases,currency\nA,B,,CNY\n")
    assert _errors(excinfo) == {1: "missing column: bank_accounts"}


def test_empty_file(session: Session) -> None:
    with pytest.raises(ErpImportError) as excinfo:
        import_customers_csv(session, b"")
    assert "empty" in _errors(excinfo)[1]


# --- invoices --------------------------------------------------------------------------------


def test_invoices_created_with_status_from_open_amount(session: Session, customers: None) -> None:
    csv_text = INVOICE_HEADER + (
        "INV-2026-00001,HM01,2026-09-01,2026-10-01,CNY,1000.00,1000.00,PO-1\n"
        "INV-2026-00002,HM01,2026-09-02,2026-10-02,CNY,1000.00,250.50,\n"
        "INV-2026-00003,AC02,2026-09-03,2026-10-03,USD,99.90,0,PO-3\n"
    )
    summary = import_invoices_csv(session, csv_text.encode())
    assert (summary.created, summary.updated, summary.unchanged) == (3, 0, 0)
    rows = {
        i.number: (i.status, i.open_amount, i.po_number) for i in session.scalars(select(Invoice))
    }
    assert rows == {
        "INV-2026-00001": (InvoiceStatus.OPEN, Decimal("1000.00"), "PO-1"),
        "INV-2026-00002": (InvoiceStatus.PARTIALLY_PAID, Decimal("250.50"), None),
        "INV-2026-00003": (InvoiceStatus.PAID, Decimal("0.00"), "PO-3"),
    }
    actions = list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions[-4:] == ["invoice.created"] * 3 + ["erp.import_invoices"]


def test_invoice_reimport_changes_nothing_and_updates_follow(
    session: Session, customers: None
) -> None:
    csv_text = INVOICE_HEADER + "INV-9,HM01,2026-09-01,2026-10-01,CNY,800,0,PO-9\n"
    import_invoices_csv(session, csv_text.encode())
    events = _count(session, AuditEvent)
    again = import_invoices_csv(session, csv_text.encode("utf-8-sig"))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert _count(session, AuditEvent) == events

    # the ERP reverses the payment: the invoice opens again
    reopened = import_invoices_csv(session, csv_text.replace(",800,0,", ",900,900,").encode())
    assert reopened.updated == 1
    invoice = session.scalars(select(Invoice).where(Invoice.number == "INV-9")).one()
    assert (invoice.amount, invoice.open_amount, invoice.status) == (
        Decimal("900.00"),
        Decimal("900.00"),
        InvoiceStatus.OPEN,
    )
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "invoice.updated")).one()
    assert event.data["fields"]["open_amount"] == ["0.00", "900.00"]


def test_invoice_amount_lowered_below_stored_open_amount(session: Session) -> None:
    customer = make_customer(session, code="LOW")
    make_invoice(session, customer, number="INV-L", amount="500.00")
    csv_text = INVOICE_HEADER + "INV-L,LOW,2026-09-01,2026-10-01,CNY,300,100,\n"
    assert import_invoices_csv(session, csv_text.encode()).updated == 1
    invoice = session.scalars(select(Invoice).where(Invoice.number == "INV-L")).one()
    assert (invoice.amount, invoice.open_amount) == (Decimal("300.00"), Decimal("100.00"))
    assert invoice.status is InvoiceStatus.PARTIALLY_PAID


INVOICE_BAD_ROWS = [
    ("I-1,HM01,2026-09-01,2026-10-01,CNY,100,100,", None),
    ("I-2,NOPE,2026-09-01,2026-10-01,CNY,100,100,", "unknown customer: NOPE"),
    ("I-3,HM01,2026/09/01,2026-10-01,CNY,100,100,", "bad date in issue_date"),
    ("I-4,HM01,2026-09-01,2026-02-30,CNY,100,100,", "bad date in due_date"),
    ("I-5,HM01,2026-09-01,2026-10-01,CNY,-100,0,", "negative amount in amount"),
    ("I-6,HM01,2026-09-01,2026-10-01,CNY,100,-1,", "negative amount in open_amount"),
    ("I-7,HM01,2026-09-01,2026-10-01,CNY,100,100.01,", "open amount 100.01 is above"),
    ("I-1,HM01,2026-09-01,2026-10-01,CNY,100,100,", "duplicate invoice number I-1"),
    ("I-8,HM01,2026-09-01,2026-10-01,CNY,100", "missing column: open_amount"),
    ("I-9,HM01,2026-09-01,2026-10-01,CNY,100,100", "missing column: po_number"),
    ("I-10,HM01,2026-10-01,2026-09-01,CNY,100,100,", "before issue date"),
    ("I-11,HM01,2026-09-01,2026-10-01,CNY,0,0,", "amount must be positive"),
    ("I-12,HM01,2026-09-01,2026-10-01,CNY,1.234,1,", "bad amount in amount"),
    ("I-13,HM01,,2026-10-01,CNY,100,100,", "missing value: issue_date"),
]


def test_invoice_every_bad_row_is_listed(session: Session, customers: None) -> None:
    csv_text = INVOICE_HEADER + "\n".join(row for row, _ in INVOICE_BAD_ROWS) + "\n"
    with pytest.raises(ErpImportError) as excinfo:
        import_invoices_csv(session, csv_text.encode())
    errors = _errors(excinfo)
    expected = {
        line: reason
        for line, (_row, reason) in enumerate(INVOICE_BAD_ROWS, start=2)
        if reason is not None
    }
    assert set(errors) == set(expected)
    for line, reason in expected.items():
        assert reason in errors[line], (line, errors[line])
    assert [e.line for e in excinfo.value.errors] == sorted(expected)
    assert _count(session, Invoice) == 0


def test_invoice_bad_row_leaves_existing_rows_alone(session: Session, customers: None) -> None:
    good = INVOICE_HEADER + "I-1,HM01,2026-09-01,2026-10-01,CNY,100,100,\n"
    import_invoices_csv(session, good.encode())
    events = _count(session, AuditEvent)
    mixed = (
        INVOICE_HEADER
        + "I-1,HM01,2026-09-01,2026-10-01,CNY,100,0,\n"
        + "I-2,HM01,2026-09-01,2026-10-01,CNY,100,200,\n"
    )
    with pytest.raises(ErpImportError):
        import_invoices_csv(session, mixed.encode())
    invoice = session.scalars(select(Invoice).where(Invoice.number == "I-1")).one()
    assert invoice.open_amount == Decimal("100.00")
    assert _count(session, Invoice) == 1
    assert _count(session, AuditEvent) == events


def test_line_numbers_count_quoted_newlines(session: Session) -> None:
    csv_text = 'code,name,aliases,bank_accounts,currency\nQ1,"Multi\nLine Co",,,CNY\nQ2,Bad,,,??\n'
    with pytest.raises(ErpImportError) as excinfo:
        import_customers_csv(session, csv_text.encode())
    assert list(_errors(excinfo)) == [4]


# --- command line ----------------------------------------------------------------------------


def test_cli_imports_and_reports(runner: FlaskCliRunner, session: Session, tmp_path: Path) -> None:
    customers_file = tmp_path / "customers.csv"
    customers_file.write_bytes(CUSTOMERS.encode("gb18030"))
    result = runner.invoke(args=["import", "customers", str(customers_file)])
    assert result.exit_code == 0, result.output
    assert "2 created, 0 updated, 0 unchanged" in result.output
    assert _count(session, Customer) == 2

    bad = tmp_path / "invoices.csv"
    bad.write_text(
        INVOICE_HEADER
        + "I-1,HM01,2026-09-01,2026-10-01,CNY,100,100,\n"
        + "I-2,NOPE,2026-09-01,2026-10-01,CNY,100,100,\n"
        + "I-3,HM01,2026-09-01,2026-10-01,CNY,100,120,\n"
    )
    result = runner.invoke(args=["import", "invoices", str(bad)])
    assert result.exit_code == 1
    assert "line 3: unknown customer: NOPE" in result.output
    assert "line 4: open amount 120.00 is above the amount 100.00" in result.output
    assert _count(session, Invoice) == 0
