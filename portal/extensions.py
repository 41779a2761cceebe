"""Extension objects, created unbound and bound to an app by ``init_app`` in the factory."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, g
from flask_babel import Babel
from flask_login import LoginManager
from flask_wtf import CSRFProtect
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, scoped_session, sessionmaker


def _app_context_id() -> int:
    # one session per app context (= per request or per CLI command)
    return id(g._get_current_object())  # type: ignore[attr-defined]


class Database:
    """SQLAlchemy engine and a session per app context; the request commits once."""

    def __init__(self) -> None:
        self.session: scoped_session[Session] = scoped_session(
            self._make_session, scopefunc=_app_context_id
        )

    def init_app(self, app: Flask) -> None:
        url = app.config["DATABASE_URL"]
        # tests pass a Connection inside an outer transaction as DATABASE_BIND
        engine = app.config.get("DATABASE_BIND") or make_engine(url)
        app.extensions["concord.db"] = {
            "engine": engine,
            "factory": sessionmaker(
                bind=engine, expire_on_commit=False, **app.config.get("SESSION_OPTIONS", {})
            ),
        }
        app.teardown_appcontext(self._remove)

    @property
    def engine(self) -> Engine:
        engine: Engine = current_app.extensions["concord.db"]["engine"]
        return engine

    def _make_session(self) -> Session:
        session: Session = current_app.extensions["concord.db"]["factory"]()
        return session

    def _remove(self, exc: BaseException | None = None) -> None:
        self.session.remove()


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets foreign keys on and a busy timeout."""
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"timeout": 30})
        engine = create_engine(url, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()
            # pysqlite's own transaction handling never emits BEGIN before a SELECT or a
            # SAVEPOINT, so a RELEASE would commit for real; let SQLAlchemy emit BEGIN itself
            dbapi_connection.isolation_level = None

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Any) -> None:
            conn.exec_driver_sql("BEGIN")

        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


db = Database()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
