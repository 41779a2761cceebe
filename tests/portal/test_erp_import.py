"""ERP import: CSV decoding, validation of every bad-row case, upserts, idempotence."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.audit import record, verify_chain
from portal.erp.service import (
    ErpImportError,
    decode,
    import_contacts_csv,
    import_customers,
    import_customers_csv,
    import_invoices,
    import_invoices_csv,
)
from portal.models import (
    AuditEvent,
    Customer,
    CustomerBankAccount,
    CustomerContact,
    Invoice,
    InvoiceStatus,
)
from tests.factories import make_customer, make_invoice, make_user

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
    """The reasons of each bad line (a row with several problems lists them all, ``; ``)."""
    reasons: dict[int, list[str]] = {}
    for error in excinfo.value.errors:
        reasons.setdefault(error.line, []).append(error.reason)
    return {line: "; ".join(found) for line, found in reasons.items()}


@pytest.fixture
def customers(session: Session) -> None:
    import_customers_csv(session, CUSTOMERS.encode())


# --- decoding ------------------------------------------------------------------------------


def test_decode_utf8_bom_and_gb18030() -> None:
    text = "code,name\nHM01,上海华美贸易有限公司\n"
    assert decode(text.encode("utf-8")) == text
    assert decode(b"\xef\xbb\xbf" + text.encode("utf-8")) == text
    assert decode(text.encode("gb18030")) == text


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("code,name\nPL01,Spółka Handlowa Łódź Sp. z o.o.\nPL02,Zakłady Mięsne Śląsk\n", "cp1250"),
        ("code,name\nCZ01,Strojírny Třebíč s.r.o.\n", "cp1250"),
        ("code,name\nDE01,Müller & Söhne GmbH\nFR01,Société Générale d'Équipement\n", "cp1252"),
    ],
)
def test_decode_reads_a_european_erps_single_byte_export(text: str, encoding: str) -> None:
    """A Windows-1250/1252 export read as GB18030 turned ``Spółka`` into Chinese characters."""
    assert decode(text.encode(encoding)) == text


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
        import_customers_csv(session, b"code,name,aliases,bank_accounts\nA,B,,\n")
    # aliases and bank_accounts may be left out (4ad9b61); currency may not
    assert _errors(excinfo) == {1: "missing column: currency"}


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
    # what the ERP settled on the two paid ones is recorded (and audited) for statements
    assert actions[-6:] == ["invoice.created"] * 3 + ["invoice.erp_settlement"] * 2 + [
        "erp.import_invoices"
    ]


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
    # 2026/09/01 is read since Chinese ERPs write it; a day or month first is not (a guess)
    ("I-3,HM01,01/09/2026,2026-10-01,CNY,100,100,", "bad date in issue_date"),
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
    # a row with several problems (I-8 lacks open_amount and po_number) lists each
    assert list(dict.fromkeys(e.line for e in excinfo.value.errors)) == sorted(expected)
    assert _count(session, Invoice) == 0


def test_invoice_dates_as_excel_saves_them(session: Session, customers: None) -> None:
    """Excel and Chinese ERPs write 2026/9/1, 2026-09-01 00:00:00, 2026年9月1日, 20260901."""
    csv_text = INVOICE_HEADER + (
        "E-1,HM01,2026/9/1,2026/10/1,CNY,100,100,\n"
        "E-2,HM01,2026-09-01 00:00:00,2026-10-01 00:00:00,CNY,100,100,\n"
        "E-3,HM01,2026年9月1日,2026年10月1日,CNY,100,100,\n"
        "E-4,HM01,20260901,20261001,CNY,100,100,\n"
    )
    assert import_invoices_csv(session, csv_text.encode()).created == 4
    dates = set(session.execute(select(Invoice.issue_date, Invoice.due_date)))
    assert {(i.isoformat(), d.isoformat()) for i, d in dates} == {("2026-09-01", "2026-10-01")}


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


# --- master data -----------------------------------------------------------------------------

MASTER_HEADER = (
    "code,name,aliases,bank_accounts,currency,credit_limit,account_manager,region,segment,"
    "payment_terms,contact_name,contact_email,contact_mobile,contact_language,billing\n"
)


def test_customer_master_data_and_contact(session: Session) -> None:
    manager = make_user(session, "sales", email="Li.Na@Concord.test")
    csv_text = MASTER_HEADER + (
        "M1,华东客户,,,CNY,80000,li.na@concord.test,华东,KA,45,王会计,WANG@m1.test,13800001111,"
        "zh,是\n"
        "M2,West Co,,,USD,,,West,SMB,,,,,,\n"
    )
    summary = import_customers_csv(session, csv_text.encode("gb18030"))
    assert (summary.created, summary.updated) == (2, 0)
    m1 = session.scalars(select(Customer).where(Customer.code == "M1")).one()
    assert (m1.account_manager_id, m1.region, m1.segment, m1.payment_terms_days) == (
        manager.id,
        "华东",
        "KA",
        45,
    )
    assert m1.credit_limit == Decimal("80000.00")
    [contact] = m1.contacts
    assert (contact.name, contact.email, contact.mobile, contact.language, contact.is_billing) == (
        "王会计",
        "wang@m1.test",
        "13800001111",
        "zh",
        True,
    )
    m2 = session.scalars(select(Customer).where(Customer.code == "M2")).one()
    assert (m2.account_manager_id, m2.payment_terms_days, m2.contacts) == (None, None, [])

    # the same file again changes nothing; a changed contact is updated, not duplicated
    assert import_customers_csv(session, csv_text.encode()).unchanged == 2
    changed = csv_text.replace("13800001111", "13900002222").replace(",45,", ",60,")
    summary = import_customers_csv(session, changed.encode())
    assert (summary.updated, summary.unchanged) == (1, 1)
    session.expire_all()
    m1 = session.scalars(select(Customer).where(Customer.code == "M1")).one()
    assert m1.payment_terms_days == 60
    assert [c.mobile for c in m1.contacts] == ["13900002222"]
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "customer.updated")).one()
    assert event.data["fields"]["payment_terms_days"] == 60
    assert event.data["fields"]["contacts"][0]["mobile"] == "13900002222"


def test_customer_master_data_bad_rows(session: Session) -> None:
    make_user(session, "customer", email="customer@m.test")
    make_user(session, "finance", email="fin@concord.test", is_active=False)
    csv_text = MASTER_HEADER + (
        "B1,Unknown Manager,,,CNY,,nobody@concord.test,,,,,,,,\n"
        "B2,Customer As Manager,,,CNY,,customer@m.test,,,,,,,,\n"
        "B3,Disabled Manager,,,CNY,,fin@concord.test,,,,,,,,\n"
        "B4,Bad Terms,,,CNY,,,,,thirty,,,,,\n"
        "B5,Bad Billing,,,CNY,,,,,,Ann,ann@b5.test,,,maybe\n"
        "B6,Bad Contact Mail,,,CNY,,,,,,Ann,not-mail,,,\n"
        "B7,Terms Too Long,,,CNY,,,,,9999,,,,,\n"
    )
    with pytest.raises(ErpImportError) as excinfo:
        import_customers_csv(session, csv_text.encode())
    errors = _errors(excinfo)
    assert "unknown account manager: nobody@concord.test" in errors[2]
    assert "unknown account manager" in errors[3]
    assert "unknown account manager" in errors[4]
    assert "bad number of days in payment_terms" in errors[5]
    assert "bad value in billing" in errors[6]
    assert "bad email in contact_email" in errors[7]
    assert "bad number of days" in errors[8]
    assert _count(session, Customer) == 1  # the customer user's company only


@pytest.mark.parametrize(
    ("value", "shown"),
    [("HM\r01", "CR"), ("HM\n01", "LF"), ("HM\x0001", "NUL"), ("HM\x1b01", "U+001B")],
)
def test_identifiers_with_control_characters_are_bad_rows(
    session: Session, value: str, shown: str
) -> None:
    rows = [
        (1, {"code": value, "name": "X", "aliases": "", "bank_accounts": "", "currency": "CNY"})
    ]
    with pytest.raises(ErpImportError) as excinfo:
        import_customers(session, rows)
    assert _errors(excinfo) == {1: f"code contains a control character ({shown}): {value!r}"}

    invoice = {
        "number": value,
        "customer": "HM01",
        "issue_date": "2026-09-01",
        "due_date": "2026-10-01",
        "currency": "CNY",
        "amount": "1",
        "open_amount": "1",
        "po_number": "",
    }
    with pytest.raises(ErpImportError) as excinfo:
        import_invoices(session, [(1, invoice)])
    assert f"number contains a control character ({shown})" in _errors(excinfo)[1]


def test_invoice_number_with_cr_in_a_csv_file_names_the_row(
    session: Session, customers: None
) -> None:
    csv_text = INVOICE_HEADER + (
        "I-1,HM01,2026-09-01,2026-10-01,CNY,100,100,\n"
        '"I-\r2",HM01,2026-09-01,2026-10-01,CNY,100,100,\n'
        'I-3,HM01,2026-09-01,2026-10-01,CNY,100,100,"PO\n3"\n'
    )
    with pytest.raises(ErpImportError) as excinfo:
        import_invoices_csv(session, csv_text.encode())
    errors = _errors(excinfo)
    assert "number contains a control character (CR)" in errors[3]
    assert "po_number contains a control character (LF)" in errors[5]
    assert _count(session, Invoice) == 0


def test_nul_anywhere_in_a_file_is_refused(session: Session) -> None:
    csv_text = "code,name,aliases,bank_accounts,currency\nA1,Good,,,CNY\nA2,Na\x00me,,,CNY\n"
    with pytest.raises(ErpImportError) as excinfo:
        import_customers_csv(session, csv_text.encode())
    assert _errors(excinfo) == {3: "the file contains a NUL character"}


def test_invoice_master_data_columns(session: Session, customers: None) -> None:
    header = INVOICE_HEADER.strip() + ",sales_order,contract,product_line,remark\n"
    csv_text = header + "I-1,HM01,2026-09-01,2026-10-01,CNY,100,100,,SO-1,CT-9,泵类,ignored\n"
    import_invoices_csv(session, csv_text.encode())
    invoice = session.scalars(select(Invoice).where(Invoice.number == "I-1")).one()
    assert (invoice.sales_order_number, invoice.contract_number, invoice.product_line) == (
        "SO-1",
        "CT-9",
        "泵类",
    )
    # an old file without the columns leaves them as they are
    old = INVOICE_HEADER + "I-1,HM01,2026-09-01,2026-10-01,CNY,100,100,\n"
    assert import_invoices_csv(session, old.encode()).unchanged == 1
    # an empty value clears them
    cleared = header + "I-1,HM01,2026-09-01,2026-10-01,CNY,100,100,,,,,\n"
    assert import_invoices_csv(session, cleared.encode()).updated == 1
    session.expire_all()
    invoice = session.scalars(select(Invoice).where(Invoice.number == "I-1")).one()
    assert invoice.contract_number is None


CONTACTS = (
    "customer,name,email,mobile,language,billing\n"
    "HM01,王会计,wang@huamei.test,13800001111,zh,yes\n"
    "HM01,Li Lei,li@huamei.test,,en,no\n"
    "AC02,John,john@acme.test,,,1\n"
)


def test_contacts_file_replaces_each_named_customers_contacts(
    session: Session, customers: None
) -> None:
    summary = import_contacts_csv(session, CONTACTS.encode())
    assert (summary.kind, summary.updated, summary.unchanged) == ("contacts", 2, 0)
    hm = session.scalars(select(Customer).where(Customer.code == "HM01")).one()
    assert [(c.email, c.is_billing, c.language) for c in hm.contacts] == [
        ("wang@huamei.test", True, "zh"),
        ("li@huamei.test", False, "en"),
    ]
    ac = session.scalars(select(Customer).where(Customer.code == "AC02")).one()
    assert [(c.name, c.language) for c in ac.contacts] == [("John", "en")]  # customer's language
    assert import_contacts_csv(session, CONTACTS.encode()).unchanged == 2

    # HM01 now lists only Li Lei: 王会计 is removed; AC02 is not named and keeps John
    summary = import_contacts_csv(
        session, b"customer,name,email\nHM01,Li Lei,LI@huamei.test\n", filename="c2.csv"
    )
    assert (summary.updated, summary.unchanged) == (1, 0)
    session.expire_all()
    hm = session.scalars(select(Customer).where(Customer.code == "HM01")).one()
    assert [c.name for c in hm.contacts] == ["Li Lei"]
    assert hm.contacts[0].is_billing is False
    assert len(session.scalars(select(CustomerContact)).all()) == 2


def test_contacts_file_bad_rows(session: Session, customers: None) -> None:
    csv_text = (
        "customer,name,email,mobile,language,billing\n"
        "HM01,A,a@hm.test,,,\n"
        "NOPE,B,b@x.test,,,\n"
        "HM01,A again,A@hm.test,,,\n"
        "HM01,,,,,\n"
        "HM01,C,c@hm.test,,fr,\n"
    )
    with pytest.raises(ErpImportError) as excinfo:
        import_contacts_csv(session, csv_text.encode())
    errors = _errors(excinfo)
    assert errors[3] == "unknown customer: NOPE"
    assert "duplicate contact HM01 a@hm.test in the file (first on line 2)" in errors[4]
    assert "a contact needs a name, email or mobile" in errors[5]
    assert "bad language in language" in errors[6]
    assert _count(session, CustomerContact) == 0


def test_cli_imports_contacts(
    runner: FlaskCliRunner, session: Session, customers: None, tmp_path: Path
) -> None:
    path = tmp_path / "contacts.csv"
    path.write_bytes(CONTACTS.encode("utf-8-sig"))
    result = runner.invoke(args=["import", "contacts", str(path)])
    assert result.exit_code == 0, result.output
    assert "contacts: 0 created, 2 updated, 0 unchanged" in result.output
    assert _count(session, CustomerContact) == 3


def test_bulk_audit_events_keep_the_chain(session: Session, customers: None) -> None:
    csv_text = INVOICE_HEADER + "".join(
        f"I-{n},HM01,2026-09-01,2026-10-01,CNY,100,100,\n" for n in range(30)
    )
    import_invoices_csv(session, csv_text.encode())
    record(session, actor=None, action="test.after", entity_type="test", entity_id=1)
    report = verify_chain(session)
    assert report.ok, report
    assert report.checked == _count(session, AuditEvent)


def test_json_contacts_list_is_the_whole_list(session: Session, customers: None) -> None:
    row = {
        "code": "HM01",
        "name": "上海华美贸易有限公司",
        "aliases": ["Huamei Trading", "HM Trading"],
        "bank_accounts": ["6222021001001234", "31050161373600009999"],
        "currency": "CNY",
        "contacts": [
            {"name": "王会计", "email": "wang@hm.test", "billing": True},
            {"name": "Li", "mobile": "13800001111", "language": "en"},
        ],
    }
    assert import_customers(session, [(1, row)]).updated == 1
    row["contacts"] = [{"name": "Li", "mobile": "13800001111", "language": "en"}]
    assert import_customers(session, [(1, row)]).updated == 1
    session.expire_all()
    hm = session.scalars(select(Customer).where(Customer.code == "HM01")).one()
    assert [(c.name, c.mobile, c.is_billing) for c in hm.contacts] == [("Li", "13800001111", False)]
    row["contacts"] = [{"name": "Li"}, {"name": "Li"}]
    with pytest.raises(ErpImportError) as excinfo:
        import_customers(session, [(1, row)])
    assert _errors(excinfo) == {1: "contacts[2]: the same contact appears twice"}
    row["contacts"] = "Li"
    with pytest.raises(ErpImportError) as excinfo:
        import_customers(session, [(1, row)])
    assert "contacts must be a list" in _errors(excinfo)[1]


def test_a_large_file_is_imported_in_bulk(session: Session, customers: None) -> None:
    """Above 1,000 new invoices PostgreSQL gets them by COPY: the rows are the same."""
    csv_text = INVOICE_HEADER + "".join(
        f"B-{n:05d},HM01,2026-09-01,2026-10-01,CNY,{n + 1}.50,{n + 1}.50,PO-{n}\n"
        for n in range(1200)
    )
    assert import_invoices_csv(session, csv_text.encode()).created == 1200
    invoice = session.scalars(select(Invoice).where(Invoice.number == "B-00041")).one()
    assert (invoice.amount, invoice.erp_open_amount, invoice.status, invoice.po_number) == (
        Decimal("42.50"),
        Decimal("42.50"),
        InvoiceStatus.OPEN,
        "PO-41",
    )
    assert invoice.settled_in_erp is False and invoice.created_at is not None
    assert import_invoices_csv(session, csv_text.encode()).unchanged == 1200
    # the 1,200 audit events went in the same way and keep the chain
    event = session.scalars(select(AuditEvent).where(AuditEvent.entity_id == "B-00041")).one()
    assert event.data["fields"]["amount"] == "42.50"
    assert verify_chain(session).ok


def test_short_rows_among_full_ones(session: Session) -> None:
    csv_text = (
        "code,name,aliases,bank_accounts,currency,credit_limit,email\n"
        "S1,Full Row,,,CNY,100,s1@x.test\n"
        "S2,Short Row,,,CNY\n"
    )
    assert import_customers_csv(session, csv_text.encode()).created == 2
    short = session.scalars(select(Customer).where(Customer.code == "S2")).one()
    assert (short.email, short.credit_limit, short.language) == (None, None, "zh")


def test_portal_and_reconcile_match_read_the_erp_csv_alike() -> None:
    """One reader of the ERP's CSV layout: same rows and same line numbers on both sides."""
    from portal.erp.parsing import read_csv
    from reconcile.matching.erp_csv import read_invoices

    data = (
        "\ufeffnumber,customer,issue_date,due_date,currency,amount,open_amount,po_number\n"
        "I-1,HM01,2026-09-01,2026-10-01,CNY,100.00,100.00,\n"
        ",,,,,,,\n"
        '"I-2",HM01,2026-09-02,2026-10-02,CNY,50.00,20.00,"PO\n7"\n'
    ).encode()
    portal_rows = read_csv(data, ["number", "customer"])
    assert [(line, row["number"]) for line, row in portal_rows] == [(2, "I-1"), (4, "I-2")]
    invoices = read_invoices(data)
    assert [(i.number, i.open_amount) for i in invoices] == [
        ("I-1", Decimal("100.00")),
        ("I-2", Decimal("20.00")),
    ]
    assert invoices[1].po_number == "PO\n7"
