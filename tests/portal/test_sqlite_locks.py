"""SQLite under concurrency: WAL, busy timeout, BEGIN IMMEDIATE for writes, lock retries."""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, flash, get_flashed_messages
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError

from portal import create_app, permissions
from portal.extensions import db, is_lock_error, make_engine
from tests.conftest import base_config


def test_every_connection_uses_wal_and_the_busy_timeout(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}", busy_timeout=7.5)
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 7500
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        engine.dispose()


def test_lock_errors_are_recognised() -> None:
    locked = OperationalError("INSERT", {}, sqlite3.OperationalError("database is locked"))
    other = OperationalError("INSERT", {}, sqlite3.OperationalError("no such table: x"))
    assert is_lock_error(locked)
    assert not is_lock_error(other)
    try:
        try:
            raise locked
        except OperationalError as exc:
            raise RuntimeError("wrapped") from exc
    except RuntimeError as wrapped:
        assert is_lock_error(wrapped)


@pytest.fixture
def file_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    """An app on a real SQLite file (its own engine), with a tiny table and test routes."""
    monkeypatch.setitem(permissions.ROUTES, "write", permissions.PUBLIC)
    monkeypatch.setitem(permissions.ROUTES, "flaky", permissions.PUBLIC)
    monkeypatch.setitem(permissions.ROUTES, "read_then_write", permissions.PUBLIC)
    path = tmp_path / "locks.sqlite3"
    app = create_app(
        base_config(
            tmp_path,
            INSTANCE_PATH=str(tmp_path / "inst"),
            DATABASE_URL=f"sqlite:///{path}",
            SQLITE_BUSY_TIMEOUT=0.1,
            LOCK_RETRIES=5,
        )
    )
    app.config["PATH"] = str(path)
    with app.app_context():
        with db.engine.begin() as conn:
            conn.execute(text("CREATE TABLE t (x INTEGER)"))
    calls = {"n": 0}
    app.config["CALLS"] = calls

    @app.route("/_write", methods=["GET", "POST"])
    def write() -> str:
        calls["n"] += 1
        db.session.execute(text("INSERT INTO t (x) VALUES (1)"))
        return "ok"

    @app.post("/_flaky")
    def flaky() -> str:
        calls["n"] += 1
        flash("saved")
        db.session.execute(text("INSERT INTO t (x) VALUES (2)"))
        if calls["n"] == 1:
            raise OperationalError("COMMIT", {}, sqlite3.OperationalError("database is locked"))
        return "ok"

    @app.get("/_read_then_write")
    def read_then_write() -> str:
        calls["n"] += 1
        db.session.execute(text("SELECT count(*) FROM t")).scalar()
        # another connection writes after this request's transaction has read
        with sqlite3.connect(app.config["PATH"]) as other:
            other.execute("INSERT INTO t (x) VALUES (8)")
        if app.config.get("BEGIN_WRITE"):
            db.begin_write()
        db.session.execute(text("INSERT INTO t (x) VALUES (3)"))
        return "ok"

    yield app
    with app.app_context():
        db.engine.dispose()


def _statements(app: Flask) -> list[str]:
    seen: list[str] = []
    with app.app_context():
        event.listen(
            db.engine,
            "before_cursor_execute",
            lambda _c, _cur, stmt, *_a: seen.append(stmt),
        )
    return seen


def test_write_requests_begin_immediate_and_reads_do_not(file_app: Flask) -> None:
    seen = _statements(file_app)
    client = file_app.test_client()
    assert client.post("/_write").status_code == 200
    assert "BEGIN IMMEDIATE" in seen
    seen.clear()
    assert client.get("/_write").status_code == 200
    assert "BEGIN" in seen and "BEGIN IMMEDIATE" not in seen


def _count(app: Flask) -> int:
    with sqlite3.connect(app.config["PATH"]) as conn:
        return int(conn.execute("SELECT count(*) FROM t").fetchone()[0])


def _hold_write_lock(app: Flask, seconds: float) -> threading.Thread:
    """Take the database's write lock in another connection and release it after ``seconds``."""
    other = sqlite3.connect(app.config["PATH"], isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO t (x) VALUES (9)")

    def release() -> None:
        other.execute("COMMIT")
        other.close()

    timer = threading.Timer(seconds, release)
    timer.start()
    return timer


def test_a_request_that_lost_the_lock_runs_again_and_succeeds(
    file_app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    timer = _hold_write_lock(file_app, 0.25)
    with caplog.at_level(logging.WARNING, logger="portal.extensions"):
        response = file_app.test_client().post("/_write")
    timer.join()
    assert response.status_code == 200
    assert "lost a database lock" in caplog.text
    assert file_app.config["CALLS"]["n"] == 1  # attempts that lost the lock never ran the view
    assert _count(file_app) == 2  # the other connection's row and ours, once


def test_a_read_request_that_then_writes_waits_for_the_lock_instead_of_failing(
    file_app: Flask,
) -> None:
    file_app.config["LOCK_RETRIES"] = 0
    # without begin_write the deferred read transaction cannot become a writer: SQLite fails
    # the upgrade at once (no busy wait), as 40 customers opening their statements showed
    with pytest.raises(OperationalError, match="database is locked"):
        file_app.test_client().get("/_read_then_write")
    file_app.config["BEGIN_WRITE"] = True
    seen = _statements(file_app)
    assert file_app.test_client().get("/_read_then_write").status_code == 200
    assert "BEGIN IMMEDIATE" in seen
    assert _count(file_app) == 3  # the two other rows and this request's one


def test_without_retries_a_lost_lock_is_an_error(file_app: Flask) -> None:
    file_app.config["LOCK_RETRIES"] = 0
    timer = _hold_write_lock(file_app, 0.3)
    try:
        with pytest.raises(OperationalError, match="database is locked"):
            file_app.test_client().post("/_write")
    finally:
        timer.join()
    assert _count(file_app) == 1


def test_a_retried_request_keeps_nothing_of_the_lost_attempt(file_app: Flask) -> None:
    client = file_app.test_client()
    assert client.post("/_flaky").status_code == 200
    assert file_app.config["CALLS"]["n"] == 2
    assert _count(file_app) == 1  # the first attempt's row was rolled back
    with client.session_transaction() as sess:
        flashes: list[Any] = sess.get("_flashes", [])
    assert [message for _cat, message in flashes] == ["saved"]
    with file_app.test_request_context():
        assert get_flashed_messages() == []
