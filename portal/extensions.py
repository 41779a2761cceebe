"""Extension objects, created unbound and bound to an app by ``init_app`` in the factory."""

from __future__ import annotations

import copy
import logging
import random
import time
from typing import Any

from flask import Flask, current_app, g, request, session
from flask_login import LoginManager
from flask_wtf import CSRFProtect
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, scoped_session, sessionmaker

from . import assets
from .i18n import ConcordBabel
from .templating import COMPILED

log = logging.getLogger(__name__)

#: methods that do not change anything; every other request takes SQLite's write lock up front
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: execution option of a connection whose transaction must start with ``BEGIN IMMEDIATE``
BEGIN_IMMEDIATE = "concord_begin_immediate"
#: SQLite result codes of a lost lock: BUSY, LOCKED, BUSY_RECOVERY, BUSY_SNAPSHOT
_SQLITE_LOCK_CODES = frozenset({5, 6, 261, 517})
#: PostgreSQL SQLSTATEs worth one more try: serialization failure, deadlock, lock not available,
#: and a unique key taken by a concurrent transaction between our check and our insert (run
#: again, the check sees the row and the request answers as for any existing one)
_PG_RETRY_STATES = frozenset({"40001", "40P01", "55P03", "23505"})


def _app_context_id() -> int:
    # one session per app context (= per request or per CLI command)
    return id(g._get_current_object())


class Database:
    """SQLAlchemy engine and a session per app context; the request commits once."""

    def __init__(self) -> None:
        self.session: scoped_session[Session] = scoped_session(
            # any callable returning a Session works; SQLAlchemy's stubs ask for a sessionmaker
            self._make_session,  # type: ignore[arg-type]
            scopefunc=_app_context_id,
        )

    def init_app(self, app: Flask) -> None:
        url = app.config["DATABASE_URL"]
        # tests pass a Connection inside an outer transaction as DATABASE_BIND
        engine = app.config.get("DATABASE_BIND") or make_engine(
            url, busy_timeout=float(app.config.get("SQLITE_BUSY_TIMEOUT", 30))
        )
        app.extensions["concord.db"] = {
            "engine": engine,
            "factory": sessionmaker(
                bind=engine, expire_on_commit=False, **app.config.get("SESSION_OPTIONS", {})
            ),
        }
        app.before_request(self._begin_writes_immediately)
        app.teardown_appcontext(self._remove)

    @property
    def engine(self) -> Engine:
        engine: Engine = current_app.extensions["concord.db"]["engine"]
        return engine

    def _make_session(self) -> Session:
        session: Session = current_app.extensions["concord.db"]["factory"]()
        return session

    def _begin_writes_immediately(self) -> None:
        """Start a write request's SQLite transaction with ``BEGIN IMMEDIATE``.

        A deferred transaction that reads first and writes later cannot wait for the write
        lock: SQLite fails it at once with "database is locked" when another connection wrote
        in between. Taking the lock at the start makes concurrent writers queue (up to the
        busy timeout) instead. PostgreSQL and test connections are left alone.
        """
        if request.method in SAFE_METHODS:
            return
        engine = current_app.extensions["concord.db"]["engine"]
        if isinstance(engine, Engine) and engine.dialect.name == "sqlite":
            self.session.connection(execution_options={BEGIN_IMMEDIATE: True})

    def begin_write(self) -> None:
        """Let a read request (GET) that is about to write wait for the SQLite write lock.

        A GET starts a deferred transaction (reads only, most of them). When it then writes (a
        statement's first view, say) and another connection wrote in between, SQLite fails the
        upgrade at once instead of waiting. This ends the read transaction (committing what the
        request did so far: nothing, or writes that already hold the lock) and starts the rest
        as ``BEGIN IMMEDIATE``, which queues behind other writers up to the busy timeout.
        Loaded objects keep their values (``expire_on_commit=False``): a write that depends on
        a value read before must check it in its own statement (``UPDATE ... WHERE``).
        PostgreSQL, test connections and requests that already write this way are left alone.
        """
        engine = current_app.extensions["concord.db"]["engine"]
        if not isinstance(engine, Engine) or engine.dialect.name != "sqlite":
            return
        session = self.session()
        if session.in_transaction():
            connection = session.connection()
            if connection.get_execution_options().get(BEGIN_IMMEDIATE):
                return
            session.commit()
        session.connection(execution_options={BEGIN_IMMEDIATE: True})

    def _remove(self, exc: BaseException | None = None) -> None:
        self.session.remove()


def make_engine(url: str, *, busy_timeout: float = 30, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets foreign keys on, WAL and a busy timeout.

    :param busy_timeout: seconds a SQLite connection waits for another connection's lock
        before it fails with "database is locked" (ignored for other databases).
    """
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"timeout": busy_timeout})
        engine = create_engine(url, **kwargs)
        timeout_ms = int(busy_timeout * 1000)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            # WAL: readers never block the writer and the writer never blocks readers
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={timeout_ms}")
            cursor.close()
            # pysqlite's own transaction handling never emits BEGIN before a SELECT or a
            # SAVEPOINT, so a RELEASE would commit for real; let SQLAlchemy emit BEGIN itself
            dbapi_connection.isolation_level = None

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Any) -> None:
            immediate = conn.get_execution_options().get(BEGIN_IMMEDIATE)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def is_lock_error(exc: BaseException) -> bool:
    """Return whether ``exc`` (or an exception it was raised from) is a lost database lock.

    SQLite's "database is locked" (after the busy timeout, or at once when a reading
    transaction tries to write after another connection committed), and PostgreSQL's
    serialization failures, deadlocks and unique keys a concurrent transaction took first:
    running the transaction again can succeed (or answer "exists already").
    """
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, DBAPIError):
            orig = current.orig
            if getattr(orig, "sqlite_errorcode", None) in _SQLITE_LOCK_CODES:
                return True
            if "database is locked" in str(orig) or "database table is locked" in str(orig):
                return True
            if getattr(orig, "sqlstate", None) in _PG_RETRY_STATES:
                return True
        current = current.__cause__ or current.__context__
    return False


class ConcordFlask(Flask):
    """Flask, running a request again (``LOCK_RETRIES`` times) when it lost a database lock.

    The request's transaction is rolled back, so nothing of the lost attempt was stored; the
    cookie session, ``g`` and uploaded file positions are put back as they were, and the
    request runs again from its first hook after a short random pause. Templates are compiled
    once per process (:mod:`portal.templating`).
    """

    jinja_options = {**Flask.jinja_options, "bytecode_cache": COMPILED}

    def get_send_file_max_age(self, filename: str | None) -> int | None:
        """A year for a static file asked for by its current digest (:mod:`portal.assets`)."""
        wanted = request.args.get("v")
        if wanted is not None and wanted == assets.digest(self, filename):
            return assets.KEEP_SECONDS
        return super().get_send_file_max_age(filename)

    def full_dispatch_request(self) -> Any:
        retries = int(self.config.get("LOCK_RETRIES", 0))
        saved_session = copy.deepcopy(dict(session))
        saved_g = dict(g.__dict__)
        attempt = 0
        while True:
            try:
                return super().full_dispatch_request()
            except Exception as exc:
                if attempt >= retries or not is_lock_error(exc):
                    raise
                attempt += 1
                log.warning(
                    "%s %s lost a database lock (attempt %d of %d): %s",
                    request.method,
                    request.path,
                    attempt,
                    retries + 1,
                    exc.__class__.__name__,
                )
            db.session.rollback()
            session.clear()
            session.update(copy.deepcopy(saved_session))
            g.__dict__.clear()
            g.__dict__.update(saved_g)
            for _name, upload in request.files.items(multi=True):
                upload.stream.seek(0)
            # a random pause lets the competing writers finish instead of colliding again
            time.sleep(random.uniform(0.02, 0.1) * attempt)


db = Database()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = ConcordBabel()
