"""What the ERP settled by itself shows on statements: balances and open items agree with the
invoices' open amounts, and Concord's own money coming back from the ERP never counts twice."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pdfplumber
import pytest
from alembic import command
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from portal import ledger
from portal.erp.service import import_invoices_csv
from portal.models import (
    AuditEvent,
    BankFile,
    BankTransaction,
    Customer,
    Direction,
    ErpSettlement,
    ErpStatus,
    Invoice,
    MatchStatus,
)
from portal.statements import routes
from portal.statements.service import build_for, issue_statement
from portal.ui.routes import label
from statements.labels import line_description
from statements.model import EntryKind, StatementData
from statements.render import render_statement
from tests.conftest import alembic_config
from tests.factories import make_customer, make_user
from tests.portal.customer_helpers import login
from tests.portal.test_ledger_migration import NOW as LEDGER_NOW
from tests.portal.test_ledger_migration import ROWS as LEDGER_ROWS
from tests.portal.test_migrations import _upgrade, empty_engine  # noqa: F401  (fixture)

D = Decimal
HEADER = "number,customer,issue_date,due_date,currency,amount,open_amount,po_number"
SEP_START, SEP_END = dt.date(2026, 9, 1), dt.date(2026, 9, 30)
OCT_START, OCT_END = dt.date(2026, 10, 1), dt.date(2026, 10, 31)
NOV_START, NOV_END = dt.date(2026, 11, 1), dt.date(2026, 11, 30)
API_TOKEN = "erp-settlements-test-token-0123456789"


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"API_TOKENS": [API_TOKEN]}


@pytest.fixture
def customer(session: Session) -> Customer:
    return make_customer(session, code="ES1", name="上海宏达电子有限公司")


def _import(
    session: Session,
    opens: dict[str, str],
    *,
    settled_on: str | None = None,
    full: bool = False,
) -> None:
    header = HEADER + (",settled_on" if settled_on is not None else "")
    rows = [
        f"{number},ES1,2026-09-05,2026-10-05,CNY,1000.00,{open_amount},"
        + (f",{settled_on}" if settled_on is not None else "")
        for number, open_amount in opens.items()
    ]
    data = "\n".join([header, *rows]) + "\n"
    import_invoices_csv(session, data.encode(), filename="open-items.csv", full=full)


def _statement(session: Session, customer: Customer, start: dt.date, end: dt.date) -> StatementData:
    session.expire_all()
    data, _ledger = build_for(session, customer, start, end)
    return data


def _open_amounts(session: Session) -> Decimal:
    session.expire_all()
    return D(session.scalar(select(func.sum(Invoice.open_amount))) or 0)


def _kinds(data: StatementData) -> list[tuple[EntryKind, str, Decimal, Decimal]]:
    return [(line.kind, line.document, line.debit, line.credit) for line in data.lines]


def _local_today() -> dt.date:
    return dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()


def _month(day: dt.date) -> tuple[dt.date, dt.date]:
    start = day.replace(day=1)
    following = (start + dt.timedelta(days=32)).replace(day=1)
    return start, following - dt.timedelta(days=1)


def test_a_part_paid_invoice_imported_at_go_live_closes_at_its_open_amount(
    session: Session, customer: Customer
) -> None:
    _import(session, {"INV-GL-1": "400.00"})
    start, end = _month(_local_today())
    data = _statement(session, customer, start, end)
    assert data.closing_balance == D("400.00") == _open_amounts(session)
    assert [(i.document, i.open_amount) for i in data.open_items] == [("INV-GL-1", D("400.00"))]
    # the invoice was issued before the period; what the ERP settled is dated the import's day
    assert _kinds(data) == [(EntryKind.ERP_SETTLEMENT, "INV-GL-1", D("0"), D("600.00"))]
    assert data.lines[0].date == _local_today()
    assert data.total_payments == D("600.00")


def test_an_erp_payment_between_two_statements_shows_in_the_second(
    session: Session, customer: Customer
) -> None:
    _import(session, {"INV-P-1": "1000.00"})
    _import(session, {"INV-P-1": "700.00"}, settled_on="2026-11-12")
    october = _statement(session, customer, OCT_START, OCT_END)
    november = _statement(session, customer, NOV_START, NOV_END)
    assert october.closing_balance == D("1000.00")
    assert not [line for line in october.lines if line.kind is EntryKind.ERP_SETTLEMENT]
    assert november.opening_balance == october.closing_balance
    assert _kinds(november) == [(EntryKind.ERP_SETTLEMENT, "INV-P-1", D("0"), D("300.00"))]
    assert november.lines[0].date == dt.date(2026, 11, 12)
    assert november.closing_balance == D("700.00") == _open_amounts(session)
    assert [i.open_amount for i in november.open_items] == [D("700.00")]


def test_an_invoice_the_erp_reopens_is_charged_again(session: Session, customer: Customer) -> None:
    _import(session, {"INV-R-1": "0.00"}, settled_on="2026-10-10")
    _import(session, {"INV-R-1": "250.00"}, settled_on="2026-11-03")
    october = _statement(session, customer, OCT_START, OCT_END)
    november = _statement(session, customer, NOV_START, NOV_END)
    assert october.closing_balance == D("0.00")
    assert not october.open_items
    assert _kinds(november) == [(EntryKind.ERP_REOPENED, "INV-R-1", D("250.00"), D("0"))]
    assert november.opening_balance == D("0.00")
    assert november.closing_balance == D("250.00") == _open_amounts(session)
    assert [i.open_amount for i in november.open_items] == [D("250.00")]
    amounts = session.scalars(select(ErpSettlement.amount).order_by(ErpSettlement.id)).all()
    assert amounts == [D("1000.00"), D("-250.00")]


def _receipt(session: Session, customer: Customer, day: dt.date, amount: str) -> BankTransaction:
    bank_file = BankFile(
        sha256=hashlib.sha256(f"es-{day}-{amount}".encode()).hexdigest(),
        original_name="bank.csv",
        size=1,
        content=b"x",
    )
    session.add(bank_file)
    session.flush()
    txn = BankTransaction(
        file_id=bank_file.id,
        voucher_number=f"RV-ES-{day:%m%d}",
        our_account="31050161373600000001",
        bank_ref=f"REF-ES-{day:%m%d}",
        booking_date=day,
        amount=D(amount),
        direction=Direction.CREDIT,
        currency="CNY",
        payer_name=customer.name,
        match_status=MatchStatus.MATCHED,
        customer_id=customer.id,
    )
    session.add(txn)
    session.flush()
    return txn


def test_concord_money_booked_by_the_erp_is_no_erp_settlement(
    session: Session, customer: Customer
) -> None:
    _import(session, {"INV-RT-1": "1000.00"})
    invoice = session.scalars(select(Invoice)).one()
    receipt = _receipt(session, customer, dt.date(2026, 10, 20), "400.00")
    record = ledger.apply(session, receipt, invoice, D("400.00"), actor="test")
    ledger.mark_exported(session, [record])
    # the ERP booked Concord's export: its open amount is lower by exactly that (round trip)
    _import(session, {"INV-RT-1": "600.00"}, settled_on="2026-10-25")
    assert record.erp_status is ErpStatus.BOOKED
    assert session.scalar(select(func.count(ErpSettlement.id))) == 0
    # then a cheque booked in the ERP itself: only that is the ERP's
    _import(session, {"INV-RT-1": "500.00"}, settled_on="2026-11-05")
    october = _statement(session, customer, OCT_START, OCT_END)
    november = _statement(session, customer, NOV_START, NOV_END)
    assert october.closing_balance == D("600.00")
    assert EntryKind.ERP_SETTLEMENT not in {line.kind for line in october.lines}
    assert november.opening_balance == D("600.00")
    assert _kinds(november) == [(EntryKind.ERP_SETTLEMENT, "INV-RT-1", D("0"), D("100.00"))]
    assert november.closing_balance == D("500.00") == _open_amounts(session)


def test_an_invoice_a_full_file_leaves_out_is_settled_in_the_erp(
    session: Session, customer: Customer
) -> None:
    _import(session, {"INV-F-1": "1000.00", "INV-F-2": "300.00"})
    _import(session, {"INV-F-2": "300.00"}, full=True)
    start, end = _month(_local_today())
    data = _statement(session, customer, start, end)
    assert sorted(_kinds(data)) == [
        (EntryKind.ERP_SETTLEMENT, "INV-F-1", D("0"), D("1000.00")),
        (EntryKind.ERP_SETTLEMENT, "INV-F-2", D("0"), D("700.00")),
    ]
    assert data.closing_balance == D("300.00") == _open_amounts(session)
    assert [i.document for i in data.open_items] == ["INV-F-2"]


def test_importing_the_same_file_twice_appends_nothing(
    session: Session, customer: Customer
) -> None:
    _import(session, {"INV-T-1": "400.00", "INV-T-2": "0"}, settled_on="2026-10-02")
    first = session.execute(select(ErpSettlement.invoice_id, ErpSettlement.amount)).all()
    events = session.scalar(select(func.count(AuditEvent.id)))
    _import(session, {"INV-T-1": "400.00", "INV-T-2": "0"}, settled_on="2026-10-02")
    assert session.execute(select(ErpSettlement.invoice_id, ErpSettlement.amount)).all() == first
    assert len(first) == 2
    assert session.scalar(select(func.count(AuditEvent.id))) == events


def test_the_api_import_records_the_erp_settlement_with_its_day(
    client: FlaskClient, session: Session, customer: Customer
) -> None:
    row = {
        "number": "INV-API-1",
        "customer": "ES1",
        "issue_date": "2026-09-05",
        "due_date": "2026-10-05",
        "currency": "CNY",
        "amount": "1000.00",
        "open_amount": "150.00",
        "po_number": None,
        "settled_on": "2026-09-20",
    }
    headers = {"Authorization": f"Bearer {API_TOKEN}"}
    response = client.post("/api/v1/invoices", json=[row], headers=headers)
    assert response.status_code == 200, response.json
    settlement = session.scalars(select(ErpSettlement)).one()
    assert (settlement.amount, settlement.day) == (D("850.00"), dt.date(2026, 9, 20))
    data = _statement(session, customer, SEP_START, SEP_END)
    assert data.closing_balance == D("150.00")
    bad = client.post(
        "/api/v1/invoices", json=[{**row, "settled_on": "2026-02-30"}], headers=headers
    )
    assert bad.status_code == 422
    assert "bad date in settled_on" in bad.json["errors"][0]["reason"]


def _pdf_text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages)


@pytest.mark.parametrize(
    ("language", "settled", "reopened"),
    [
        ("zh", "已在 ERP 中结清", "ERP 中重新挂账"),
        ("en", "Settled in the ERP", "Reopened in the ERP"),
    ],
)
def test_the_pdf_and_the_page_name_the_lines_in_the_customers_language(
    app: Flask, session: Session, customer: Customer, language: str, settled: str, reopened: str
) -> None:
    customer.language = language
    _import(session, {"INV-L-1": "0.00"}, settled_on="2026-10-10")
    _import(session, {"INV-L-1": "200.00"}, settled_on="2026-10-20")
    data = _statement(session, customer, OCT_START, OCT_END)
    descriptions = [line_description(line, data.language) for line in data.lines]
    assert descriptions == [settled, reopened]
    text = _pdf_text(render_statement(data).pdf)
    assert settled.replace(" ", "") in text.replace(" ", "")
    assert reopened.replace(" ", "") in text.replace(" ", "")
    with app.test_request_context(), force_locale(language):
        assert str(label("erp_settlement")) == settled
        assert str(label("erp_reopened")) == reopened


def test_the_migration_backfills_what_the_erp_settled_on_the_day_of_creation(
    empty_engine: Engine,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CONCORD_TIMEZONE", "Asia/Shanghai")
    _upgrade(empty_engine, "0003")
    with empty_engine.begin() as conn:
        for statement in LEDGER_ROWS:
            conn.execute(text(statement), {"now": LEDGER_NOW})
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT setval('allocations_id_seq', 5)"))
    _upgrade_head(empty_engine, "i1_money_places")
    with empty_engine.begin() as conn:
        # the ERP booked Concord's payment and fee on INV-M1 (round trip): nothing of the ERP's
        conn.execute(text("UPDATE allocations SET erp_status = 'booked' WHERE id IN (1, 2)"))
        conn.execute(text("UPDATE invoices SET erp_open_amount = 0 WHERE id = 1"))
        # imported at go-live part-paid, late in the evening UTC: the next day in Shanghai
        conn.execute(
            text(
                "INSERT INTO invoices (id, number, customer_id, issue_date, due_date, currency, "
                "amount, open_amount, erp_open_amount, settled_in_erp, status, updated_at, "
                "created_at) VALUES (4, 'INV-M4', 1, '2026-10-01', '2026-10-31', 'CNY', 800, "
                "200, 200, false, 'partially_paid', :at, :at)"
            ),
            {"at": "2026-11-20 20:00:00"},
        )
        # another customer's November statement was issued already: what the ERP settled on
        # its invoice (created in November) counts from December, after that statement
        conn.execute(
            text(
                "INSERT INTO customers (id, code, name, aliases, currency, language, on_hold, "
                "updated_at, created_at) VALUES (2, 'M2', 'Mig Two', '[]', 'CNY', 'zh', false, "
                ":at, :at)"
            ),
            {"at": LEDGER_NOW},
        )
        conn.execute(
            text(
                "INSERT INTO invoices (id, number, customer_id, issue_date, due_date, currency, "
                "amount, open_amount, erp_open_amount, settled_in_erp, status, updated_at, "
                "created_at) VALUES (5, 'INV-M5', 2, '2026-10-01', '2026-10-31', 'CNY', 500, "
                "0, 0, true, 'paid', :at, :at)"
            ),
            {"at": "2026-11-10 02:00:00"},
        )
        conn.execute(
            text(
                "INSERT INTO statements (number, customer_id, period_start, period_end, version, "
                "currency, language, opening_balance, total_charges, total_payments, "
                "total_credits, closing_balance, disputed_amount, status, issued_at, issued_pdf, "
                "issued_sha256, created_at) VALUES ('ST-M2-2026-11', 2, '2026-11-01', "
                "'2026-11-30', 1, 'CNY', 'zh', 500, 0, 0, 0, 500, 0, 'issued', :at, :pdf, "
                "'0', :at)"
            ),
            {"at": "2026-12-01 01:00:00", "pdf": b"%PDF"},
        )
    _upgrade_head(empty_engine, "head")
    with empty_engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT invoice_id, customer_id, currency, amount, day, source "
                "FROM erp_settlements ORDER BY invoice_id"
            )
        ).all()
    assert [
        (r.invoice_id, r.customer_id, r.currency, D(r.amount), str(r.day), r.source) for r in rows
    ] == [
        (4, 1, "CNY", D("600.00"), "2026-11-21", "migration"),
        (5, 2, "CNY", D("500.00"), "2026-12-01", "migration"),
    ]


def _upgrade_head(engine: Engine, target: str) -> None:
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
        with conn.begin():
            command.upgrade(alembic_config(conn), target)


@pytest.fixture
def pki(app: Flask, pki_template: Path) -> None:
    shutil.copytree(pki_template, Path(app.instance_path) / "pki")
    routes._DOCUMENTS.clear()  # rendered documents are kept per process


def _row_cells(page: str, needle: str) -> list[str]:
    for row in re.findall(r"<tr>(.*?)</tr>", page, re.S):
        cells = [
            re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>.*?</td>", row, re.S)
        ]
        if needle in cells:
            return cells
    raise AssertionError(f"no row with {needle!r}")


@pytest.mark.parametrize(
    ("language", "settled", "reopened"),
    [
        ("zh", "已在 ERP 中结清", "ERP 中重新挂账"),
        ("en", "Settled in the ERP", "Reopened in the ERP"),
    ],
)
def test_issued_statements_carry_the_lines_and_chain_their_balances(
    client: FlaskClient,
    session: Session,
    customer: Customer,
    pki: None,
    language: str,
    settled: str,
    reopened: str,
) -> None:
    customer.language = language
    buyer = make_user(session, customer=customer, language=language, email="ap@es1.test")
    _import(session, {"INV-I-1": "1000.00"})
    _import(session, {"INV-I-1": "700.00"}, settled_on="2026-10-15")
    october = issue_statement(session, customer, OCT_START, OCT_END)
    _import(session, {"INV-I-1": "800.00"}, settled_on="2026-11-03")
    november = issue_statement(session, customer, NOV_START, NOV_END)
    session.commit()
    assert october.closing_balance == D("700.00")
    assert november.opening_balance == october.closing_balance
    assert november.closing_balance == D("800.00") == _open_amounts(session)
    assert [(line.kind, line.document, line.credit) for line in october.lines] == [
        ("erp_settlement", "INV-I-1", D("300.00"))
    ]
    assert [(line.kind, line.description, line.debit) for line in november.lines] == [
        ("erp_reopened", reopened, D("100.00"))
    ]
    assert settled.replace(" ", "") in _pdf_text(october.issued_pdf).replace(" ", "")
    assert reopened.replace(" ", "") in _pdf_text(november.issued_pdf).replace(" ", "")
    login(client, buyer)
    page = client.get(f"/statements/{october.id}").get_data(as_text=True)
    # date, type, document, description, due, debit, credit, balance
    cells = _row_cells(page, "INV-I-1")
    assert cells[1:4] == [settled, "INV-I-1", settled]
    assert cells[6:] == ["300.00", "700.00"]
    page = client.get(f"/statements/{november.id}").get_data(as_text=True)
    assert _row_cells(page, "INV-I-1")[1] == reopened


def test_what_the_erp_settled_inside_an_issued_period_counts_after_it(
    session: Session, customer: Customer, pki: None
) -> None:
    _import(session, {"INV-B-1": "1000.00"})
    october = issue_statement(session, customer, OCT_START, OCT_END)
    # the ERP's file comes late: the cheque was booked there on 20 October
    _import(session, {"INV-B-1": "600.00"}, settled_on="2026-10-20")
    settlement = session.scalars(select(ErpSettlement)).one()
    # the row keeps the ERP's day; the statements count it after the issued period
    assert (settlement.amount, settlement.day) == (D("400.00"), dt.date(2026, 10, 20))
    assert _statement(session, customer, OCT_START, OCT_END).closing_balance == D("1000.00")
    november = _statement(session, customer, NOV_START, NOV_END)
    assert october.closing_balance == D("1000.00") == november.opening_balance
    assert _kinds(november) == [(EntryKind.ERP_SETTLEMENT, "INV-B-1", D("0"), D("400.00"))]
    assert (november.lines[0].date, november.lines[0].value_date) == (
        NOV_START,
        dt.date(2026, 10, 20),
    )
    assert november.closing_balance == D("600.00") == _open_amounts(session)
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "invoice.erp_settlement")
    ).one()
    assert event.data["settled_on"] == "2026-10-20"
    assert event.data["day"] == "2026-10-20"
