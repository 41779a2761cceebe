"""The demo command: a realistic business, the same data every time, nothing added twice."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.orm import Session

from portal.audit import verify_chain
from portal.demo.service import seed_demo
from portal.models import (
    Allocation,
    AllocationMethod,
    AuditEvent,
    BankFile,
    BankTransaction,
    Customer,
    CustomerBankAccount,
    Invoice,
    InvoiceStatus,
    Job,
    JobStatus,
    LadderStep,
    Role,
    Statement,
    User,
)
from portal.security import verify_password
from reconcile.api import parse_bytes

ROOT = Path(__file__).resolve().parents[2]

MODELS = (
    Customer,
    CustomerBankAccount,
    User,
    Invoice,
    BankFile,
    BankTransaction,
    Allocation,
    LadderStep,
    AuditEvent,
)


def _counts(session: Session) -> dict[str, int]:
    return {
        model.__name__: session.scalar(select(func.count()).select_from(model)) or 0
        for model in MODELS
    }


@pytest.fixture
def instance_pki(app: Flask, pki_template: Path) -> None:
    """The run's PKI in the app's instance: issuing statements then generates no keys (~1 s)."""
    shutil.copytree(pki_template, Path(app.instance_path) / "pki")


@pytest.mark.usefixtures("instance_pki")
def test_demo_twice_adds_nothing(runner: FlaskCliRunner, session: Session, app: Flask) -> None:
    first = runner.invoke(args=["demo", "--password", "demo-pass-1"])
    assert first.exit_code == 0, first.output
    assert "Demo loaded" in first.output
    counts = _counts(session)
    assert 25 <= counts["Customer"] <= 35
    assert 250 <= counts["Invoice"] <= 350
    assert counts["LadderStep"] == 10  # the standard and the watch-list ladders
    assert counts["User"] == 6

    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0, second.output
    assert "nothing added" in second.output
    assert _counts(session) == counts
    assert (Path(app.instance_path) / "demo_password").read_text().strip() == "demo-pass-1"

    third = runner.invoke(args=["demo", "--if-empty"])
    assert third.exit_code == 0
    assert "demo-pass-1" in third.output
    assert _counts(session) == counts


def test_if_empty_does_nothing_when_customers_exist(
    runner: FlaskCliRunner, session: Session
) -> None:
    session.add(Customer(code="ERP1", name="Real Customer", currency="CNY"))
    session.commit()
    result = runner.invoke(args=["demo", "--if-empty"])
    assert result.exit_code == 0
    assert session.scalar(select(func.count(Customer.id))) == 1
    assert session.scalar(select(func.count(User.id))) == 0


def test_demo_is_deterministic_and_realistic(session: Session) -> None:
    today = dt.date(2026, 11, 26)
    summary = seed_demo(session, password="pw-for-test", today=today)
    assert summary.created_anything

    names = set(session.scalars(select(Customer.name)))
    assert {"上海华美贸易有限公司", "上海华美电子科技有限公司", "苏州华美贸易有限公司"} <= names
    assert any(name.isascii() for name in names)
    assert session.scalar(select(func.count(CustomerBankAccount.id))) >= 5
    sales = session.scalars(select(User).where(User.email == "sales@demo.test")).one()
    assert all(c.account_manager_id == sales.id for c in session.scalars(select(Customer)))

    customer_user = session.scalars(select(User).where(User.email == "customer@demo.test")).one()
    other = session.scalars(select(User).where(User.email == "customer2@demo.test")).one()
    assert customer_user.role is Role.CUSTOMER and customer_user.is_customer_admin
    assert customer_user.customer_id != other.customer_id

    invoices = list(session.scalars(select(Invoice)))
    assert all(today - dt.timedelta(days=183) <= i.issue_date < today for i in invoices)
    assert all(i.number.startswith("INV-2026-") for i in invoices)
    statuses = {s: sum(1 for i in invoices if i.status is s) for s in InvoiceStatus}
    assert statuses[InvoiceStatus.PAID] > 100
    assert statuses[InvoiceStatus.PARTIALLY_PAID] > 5
    overdue = [i for i in invoices if i.open_amount > 0 and i.due_date < today]
    assert len(overdue) > 20
    # every rung of the dunning ladder has work to do
    for low, high in ((1, 7), (8, 15), (16, 30), (31, 10_000)):
        assert any(low <= i.days_overdue(today) <= high for i in overdue), (low, high)
    assert any(i.po_number for i in invoices) and any(not i.po_number for i in invoices)

    # history is consistent: open amount = amount - allocations, status follows
    allocated: dict[int, Decimal] = dict(
        session.execute(
            select(Allocation.invoice_id, func.sum(Allocation.amount)).group_by(
                Allocation.invoice_id
            )
        ).all()
    )
    for invoice in invoices:
        assert invoice.open_amount == invoice.amount - allocated.get(invoice.id, Decimal(0))
    for txn in session.scalars(select(BankTransaction)):
        assert sum(a.amount for a in txn.allocations) == txn.amount
    assert verify_chain(session).ok

    # the demo's key figures for this day, pinned: a faster loader must load the same business
    assert summary == {
        "customers": 30,
        "users": 6,
        "invoices": 300,
        "transactions": 208,
        "allocations": 231,
        "dunning_steps": 10,
    }
    by_currency = select(
        Invoice.currency, func.count(), func.sum(Invoice.amount), func.sum(Invoice.open_amount)
    ).group_by(Invoice.currency)
    assert {row[0]: tuple(row[1:]) for row in session.execute(by_currency)} == {
        "CNY": (252, Decimal("15093365.54"), Decimal("4385309.55")),
        "EUR": (14, Decimal("110850.36"), Decimal("37872.17")),
        "USD": (34, Decimal("274885.14"), Decimal("64317.53")),
    }
    receipts = select(
        BankTransaction.currency, func.count(), func.sum(BankTransaction.amount)
    ).group_by(BankTransaction.currency)
    assert {row[0]: tuple(row[1:]) for row in session.execute(receipts)} == {
        "CNY": (176, Decimal("10708055.99")),
        "EUR": (8, Decimal("72978.19")),
        "USD": (24, Decimal("210567.61")),
    }
    by_method = select(Allocation.method, func.count(), func.sum(Allocation.amount)).group_by(
        Allocation.method
    )
    assert {row[0]: tuple(row[1:]) for row in session.execute(by_method)} == {
        AllocationMethod.AUTO: (133, Decimal("5812739.54")),
        AllocationMethod.MANUAL: (98, Decimal("5178862.25")),
    }
    vouchers = sorted(session.scalars(select(BankTransaction.voucher_number)))
    assert vouchers == [f"RV-2026-{n:06d}" for n in range(1, 209)]

    # the stored bank file is a real export: the parser finds the stored transactions in it
    bank_file = session.scalars(select(BankFile)).one()
    results = parse_bytes(bank_file.content, bank_file.original_name)
    parsed = {(t.bank_ref, t.amount, t.payer_name) for r in results for t in r.transactions}
    stored = {
        (t.bank_ref, t.amount, t.payer_name) for t in session.scalars(select(BankTransaction))
    }
    assert parsed == stored
    assert bank_file.transaction_count == len(stored)

    numbers = sorted(i.number for i in invoices)
    amounts = sorted(str(i.amount) for i in invoices)
    session.rollback()
    again = seed_demo(session, password="pw-for-test", today=today)
    assert again == summary
    assert sorted(session.scalars(select(Invoice.number))) == numbers
    assert sorted(str(a) for a in session.scalars(select(Invoice.amount))) == amounts


@pytest.mark.usefixtures("instance_pki")
def test_first_run_prints_a_working_password_and_issues_statements_as_a_job(
    runner: FlaskCliRunner, session: Session
) -> None:
    """Without ``--password`` a password is generated and printed; with
    ``--statements-in-background`` last month's statements are a job (one run checks both:
    loading the demo is the slow part)."""
    result = runner.invoke(args=["demo", "--statements-in-background"])
    assert result.exit_code == 0, result.output
    line = next(line for line in result.output.splitlines() if "password:" in line)
    password = line.split("password:")[1].split()[0]
    assert len(password) >= 10
    for email in ("customer@demo.test", "finance@demo.test", "admin@demo.test"):
        user = session.scalars(select(User).where(User.email == email)).one()
        assert verify_password(user.password_hash or "", password)

    assert "background worker" in result.output
    job = session.scalars(select(Job).where(Job.kind == "demo.issue_statements")).one()
    # the tests run jobs inline: the job has run and issued last month's statements
    assert job.status == JobStatus.DONE
    issued = session.scalar(select(func.count(Statement.id)))
    assert issued and job.result == {"issued": issued}


@pytest.mark.slow
def test_migrate_option_brings_a_fresh_database_to_head(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from portal import create_app

    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    monkeypatch.setenv("CONCORD_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("CONCORD_DATABASE_URL", url)
    monkeypatch.setenv("CONCORD_SECRET_KEY", "demo-migrate-secret-key-0123456789abcdef")
    app = create_app()
    app.config["JOBS_WORKER"] = False
    args = ["demo", "--if-empty", "--migrate", "--statements-in-background"]
    with app.app_context():
        result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    engine = create_engine(url)
    with engine.connect() as conn:
        head = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    engine.dispose()
    assert head == ScriptDirectory.from_config(Config(str(ROOT / "alembic.ini"))).get_current_head()
    assert "Demo loaded" in result.output
