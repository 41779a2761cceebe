"""``flask backup DIR``: a restorable copy of the database and of the instance secrets."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select, update

from portal import create_app
from portal.extensions import db
from portal.models import Customer, Statement, StatementStatus
from portal.statements.service import confirm_statement, issue_statement, verify_pdf
from tests.conftest import base_config, migrated_sqlite
from tests.factories import make_customer, make_invoice, make_user


def _file_app(folder: Path) -> Flask:
    """An app on a SQLite file in ``folder`` whose secrets live in ``folder/instance``.

    No secret is given in the configuration: like a real installation, the secret key and the
    key passphrase are read from (or generated into) the instance folder.
    """
    config = base_config(
        folder,
        DATABASE_URL=f"sqlite:///{folder / 'concord.sqlite3'}",
        INSTANCE_PATH=str(folder / "instance"),
        SECRET_KEY=None,
        KEY_PASSPHRASE=None,
    )
    return create_app(config)


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Flask]:
    """A migrated installation with one statement, issued and confirmed (signed twice)."""
    folder = tmp_path / "live"
    (folder / "instance").mkdir(parents=True)
    migrated_sqlite(folder / "concord.sqlite3")
    app = _file_app(folder)
    with app.app_context():
        session = db.session()
        customer = make_customer(session, code="BAK01", language="en")
        make_invoice(session, customer=customer, amount="1234.50", issue_date=dt.date(2026, 10, 3))
        buyer = make_user(session, customer=customer)
        statement = issue_statement(session, customer, dt.date(2026, 10, 1), dt.date(2026, 10, 31))
        confirm_statement(
            session,
            statement,
            buyer,
            full_name="Ann Buyer",
            ip="127.0.0.1",
            user_agent="pytest",
            auth_method="password",
            consent_text="I confirm",
        )
        session.commit()
    yield app
    app.extensions["concord.db"]["engine"].dispose()


def _restore(backup: Path, folder: Path) -> Path:
    """Restore as docs/deploy.md says: the database file and the instance folder's contents."""
    (folder / "instance").mkdir(parents=True)
    shutil.copy2(backup / "concord.sqlite3", folder / "concord.sqlite3")
    shutil.copytree(backup / "instance", folder / "instance", dirs_exist_ok=True)
    return folder


@pytest.mark.slow
def test_a_restored_backup_verifies_the_signed_statement(live: Flask, tmp_path: Path) -> None:
    target = tmp_path / "backup"
    result = live.test_cli_runner().invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert "concord.sqlite3" in result.output

    manifest = json.loads((target / "manifest.json").read_text())
    listed = {entry["path"] for entry in manifest["files"]}
    assert {"concord.sqlite3", "instance/secret_key", "instance/key_passphrase"} <= listed
    assert any(p.startswith("instance/pki/") and p.endswith(".key.pem") for p in listed)
    assert manifest["database"]["alembic_revision"]
    assert oct(target.stat().st_mode & 0o777) == "0o700"

    # the live installation goes on after the backup: the copy is a snapshot
    with live.app_context():
        db.session.execute(update(Customer).values(name="renamed after the backup"))
        db.session.commit()

    restored = create_app_from(_restore(target, tmp_path / "restored"))
    with restored.app_context():
        statement = db.session.scalar(select(Statement))
        assert statement is not None and statement.status is StatementStatus.CONFIRMED
        assert statement.customer.name != "renamed after the backup"
        assert statement.signed_pdf is not None
        report = verify_pdf(statement.signed_pdf, require_approval=True)
        assert report.ok, report.all_problems
        assert verify_pdf(statement.issued_pdf).ok
    assert restored.config["SECRET_KEY"] == live.config["SECRET_KEY"]
    restored.extensions["concord.db"]["engine"].dispose()


def create_app_from(folder: Path) -> Flask:
    return _file_app(folder)


def test_check_finds_a_changed_file(app: Flask, tmp_path: Path) -> None:
    (Path(app.instance_path) / "secret_key").write_text("s3cret")
    target = tmp_path / "backup"
    runner = app.test_cli_runner()
    assert runner.invoke(args=["backup", str(target)]).exit_code == 0
    ok = runner.invoke(args=["backup", "--check", str(target)])
    assert ok.exit_code == 0 and "every file matches" in ok.output
    (target / "instance" / "secret_key").write_text("changed")
    bad = runner.invoke(args=["backup", "--check", str(target)])
    assert bad.exit_code == 1
    assert "instance/secret_key: SHA-256 differs" in bad.output


def test_backup_refuses_a_folder_that_is_not_empty(app: Flask, tmp_path: Path) -> None:
    target = tmp_path / "used"
    target.mkdir()
    (target / "old.txt").write_text("x")
    result = app.test_cli_runner().invoke(args=["backup", str(target)])
    assert result.exit_code == 1
    assert "not an empty folder" in result.output
    assert sorted(p.name for p in target.iterdir()) == ["old.txt"]


def test_backup_copies_secrets_and_names_pg_dump_on_postgresql(
    app: Flask, backend: str, tmp_path: Path
) -> None:
    instance = Path(app.instance_path)
    (instance / "pki").mkdir()
    (instance / "pki" / "company.key").write_bytes(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    (instance / "secret_key").write_text("s3cret")
    target = tmp_path / "backup"
    result = app.test_cli_runner().invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert (target / "instance" / "pki" / "company.key").read_bytes().startswith(b"-----BEGIN")
    assert (target / "instance" / "secret_key").read_text() == "s3cret"
    manifest = json.loads((target / "manifest.json").read_text())
    assert manifest["database"]["backend"] == backend
    if backend == "postgresql":
        assert "pg_dump --format=custom" in result.output
        password = db.engine.engine.url.password
        assert password and f":{password}@" not in result.output  # not in shell history
        assert not (target / "concord.sqlite3").exists()
        assert manifest["database"]["file"] is None
    else:
        with sqlite3.connect(target / "concord.sqlite3") as copy:
            assert copy.execute("SELECT version_num FROM alembic_version").fetchone()
        copy.close()


@pytest.mark.parametrize("variable", ["SECRET_KEY", "CONCORD_SECRET_KEY", "CONCORD_KEY_PASSPHRASE"])
def test_backup_names_a_secret_that_comes_from_the_environment(
    app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    # the README's production example exports the unprefixed SECRET_KEY: it is in no file
    for name in ("SECRET_KEY", "CONCORD_SECRET_KEY", "CONCORD_KEY_PASSPHRASE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(variable, "x" * 48)
    target = tmp_path / "backup"
    result = app.test_cli_runner().invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert f"note: {variable} comes from the environment" in result.output
    manifest = json.loads((target / "manifest.json").read_text())
    assert manifest["secrets_from_environment"] == [variable]
