"""The issue's commands typed on a fresh instance folder, before ``make run``: the database has no
tables yet, and each command creates them (as ``alembic upgrade head``) instead of a traceback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import create_engine, func, select, text

from portal.models import Customer, Invoice, User

CUSTOMERS = (
    "code,name,aliases,bank_accounts,currency\n"
    "C00017,上海华美贸易有限公司,Shanghai Huamei Trading;华美贸易,6222020200112233445,CNY\n"
)
INVOICES = (
    "number,customer,issue_date,due_date,currency,amount,open_amount,po_number\n"
    "INV-2026-00123,C00017,2026-09-01,2026-10-01,CNY,5000.00,5000.00,PO-88123\n"
)


@pytest.fixture
def fresh_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    """An app on an instance folder nobody migrated: its SQLite database has no tables."""
    from portal import create_app

    monkeypatch.setenv("CONCORD_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("CONCORD_DATABASE_URL", raising=False)
    monkeypatch.setenv("CONCORD_SECRET_KEY", "fresh-instance-secret-key-0123456789abcdef")
    app = create_app()
    app.config["JOBS_WORKER"] = False
    yield app


def _tables(instance: Path) -> set[str]:
    engine = create_engine(f"sqlite:///{instance / 'concord.sqlite3'}")
    with engine.connect() as conn:
        names = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"))
        tables = set(names.scalars())
    engine.dispose()
    return tables


@pytest.mark.slow
def test_import_commands_on_a_fresh_instance(fresh_app: Flask, tmp_path: Path) -> None:
    (tmp_path / "customers.csv").write_text(CUSTOMERS, encoding="utf-8")
    (tmp_path / "invoices.csv").write_bytes(INVOICES.encode("gb18030"))
    runner = fresh_app.test_cli_runner()
    with fresh_app.app_context():
        result = runner.invoke(args=["import", "customers", str(tmp_path / "customers.csv")])
        assert result.exit_code == 0, result.output
        assert "has no tables yet: creating them" in result.output
        assert "customers: 1 created" in result.output
        result = runner.invoke(args=["import", "invoices", str(tmp_path / "invoices.csv")])
        assert result.exit_code == 0, result.output
        assert "no tables" not in result.output  # once only
        assert "invoices: 1 created" in result.output
    assert {"alembic_version", "customers", "invoices"} <= _tables(tmp_path)


@pytest.mark.slow
def test_first_administrator_on_a_fresh_instance(fresh_app: Flask) -> None:
    runner = fresh_app.test_cli_runner()
    with fresh_app.app_context():
        result = runner.invoke(args=["users", "create", "boss@example.test", "--role", "admin"])
        assert result.exit_code == 0, result.output
        assert "/invitation/" in result.output
        # no worker has sent it yet: the command says so instead of "Emailed to"
        assert "email with the link to boss@example.test is queued" in result.output
        assert "Emailed" not in result.output
        from portal.extensions import db

        assert db.session.scalar(select(User.role).where(User.email == "boss@example.test"))


@pytest.mark.slow
def test_demo_with_a_password_on_a_fresh_instance(fresh_app: Flask) -> None:
    """``flask --app portal demo --password PW`` as issue 2 writes it, with no ``--migrate``."""
    runner = fresh_app.test_cli_runner()
    with fresh_app.app_context():
        result = runner.invoke(args=["demo", "--password", "Correct-Horse-Battery-77"])
        assert result.exit_code == 0, result.output
        assert "Demo loaded: 30 customers, 300 invoices" in result.output
        assert "password: Correct-Horse-Battery-77" in result.output
        again = runner.invoke(args=["demo", "--password", "Correct-Horse-Battery-77"])
        assert again.exit_code == 0, again.output
        assert "nothing added" in again.output
        from portal.extensions import db

        assert db.session.scalar(select(func.count(Customer.id))) == 30
        assert db.session.scalar(select(func.count(Invoice.id))) == 300
