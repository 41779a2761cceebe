"""Shared fixtures: every database test runs on SQLite and, when configured, on PostgreSQL.

Set ``CONCORD_TEST_DATABASE_URL`` (``.ci/run`` does) to add the PostgreSQL run; under CI the
variable is required, so a missing server fails the run instead of silently skipping.
"""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from argon2 import PasswordHasher
from cryptography.hazmat.primitives import serialization
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import Connection, Engine, make_url, text
from sqlalchemy.orm import Session
from werkzeug.routing.rules import Rule

from portal import create_app, security
from portal.extensions import db, make_engine
from portal.models import Base

ROOT = Path(__file__).resolve().parent.parent
#: the collections tests' shared fixtures (``finance``, ``buyer``)
pytest_plugins = ["tests.portal.followups_fixtures"]


def _share_url_builders() -> None:
    """Compile each URL rule's builder once per test process instead of once per app.

    Werkzeug writes and compiles two Python functions per rule whenever an app registers its
    blueprints: about 70 of the 100 ms that every test's ``create_app`` takes. A builder depends
    only on the rule's parsed parts, its defaults and whether it appends unknown arguments (the
    converters are looked up on the rule when it is called), so one compiled function serves the
    same rule in every app. Test-only: production makes one app per process anyway.
    """
    compile_builder = Rule._compile_builder
    built: dict[tuple[Any, ...], Any] = {}

    def shared(self: Rule, append_unknown: bool = True) -> Any:
        defaults = tuple(sorted((k, repr(v)) for k, v in (self.defaults or {}).items()))
        key = (self.rule, tuple(self._trace), defaults, append_unknown)
        if key not in built:
            built[key] = compile_builder(self, append_unknown)
        return built[key]

    Rule._compile_builder = shared  # type: ignore[method-assign]


_share_url_builders()


def _share_rule_parsing() -> None:
    """Parse each URL rule once per test process instead of once per app.

    Parsing a rule into its regular-expression parts was the rest of what registering the
    blueprints costs each test's app (about 30 ms for some 140 rules). The parts depend only on
    the rule's text and the map's converter classes; the converters themselves are made afresh
    for each rule from the arguments recorded the first time, so no app shares an object bound
    to another app's map.
    """
    parse_rule = Rule._parse_rule
    parsed: dict[tuple[Any, ...], tuple[list[Any], list[Any], list[Any]]] = {}

    def shared(self: Rule, rule: str) -> Any:
        key = (rule, tuple(self.map.converters.items()))
        if key not in parsed:
            trace, made = len(self._trace), []
            get_converter = self.get_converter

            def recording(variable: str, name: str, args: Any, kwargs: Any) -> Any:
                made.append((variable, name, args, kwargs))
                return get_converter(variable, name, args, kwargs)

            self.get_converter = recording  # type: ignore[method-assign]
            try:
                parts = list(parse_rule(self, rule))
            finally:
                del self.get_converter
            parsed[key] = (parts, self._trace[trace:], made)
            return parts
        parts, steps, made = parsed[key]
        self._trace.extend(steps)
        for variable, name, args, kwargs in made:
            self._converters[variable] = self.get_converter(variable, name, args, kwargs)
            self.arguments.add(variable)
        return list(parts)

    Rule._parse_rule = shared  # type: ignore[method-assign]


_share_rule_parsing()


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Under ``-n`` (``make test``) each test goes to the first free worker, except that a browser
    module's tests (``test_browser_*.py``) go to one worker together, the largest module first.

    They share the live server their module fixture migrates and seeds (5 to 15 s, statements
    issued and signed), which every worker running one of them would otherwise build again.
    xdist's own ``--dist loadgroup`` with ``xdist_group`` marks would say this, but under pytest
    9.2 it silently stops grouping (pytest-dev/pytest-xdist#1386). An explicit ``--dist`` is
    left alone.
    """
    if config.getoption("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class BrowserModulesTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return module if Path(module).name.startswith("test_browser_") else nodeid

    return BrowserModulesTogether(config, log)


#: the product's own argon2id hasher (64 MiB, three passes: about 0.25 s of CPU per hash or check)
PRODUCTION_HASHER = security._hasher


def _cheap_password_hashing() -> None:
    """Hash and check passwords with argon2id at the lowest cost in this test process.

    Every sign-in through the login page verifies a password: at the production cost that was
    the largest single cost of the suite (over a thousand sign-ins, a quarter second of CPU
    each). The tests check who may sign in, not argon2's cost; ``tests/portal/test_security.py``
    puts the production hasher back to check its parameters. Subprocesses (``flask``, ``python
    -m``) hash at the production cost.
    """
    security._hasher = PasswordHasher(time_cost=1, memory_cost=256, parallelism=1)


_cheap_password_hashing()


def _share_loaded_keys() -> None:
    """Decrypt and check each PEM private key once per test process, not once per test.

    Every test's app has its own ``ConcordPKI`` (a copy of one session PKI), which loads the
    issuing and company keys again: decrypting and checking an RSA key cost about 0.1 s of CPU.
    The same bytes and passphrase always give the same (immutable) key; a wrong passphrase
    still raises every time (exceptions are not cached).
    """
    serialization.load_pem_private_key = functools.lru_cache(maxsize=512)(
        serialization.load_pem_private_key
    )


_share_loaded_keys()
PG_URL = os.environ.get("CONCORD_TEST_DATABASE_URL")
BACKENDS = ["sqlite", "postgresql"]


def alembic_config(connection: Connection) -> Config:
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.attributes["connection"] = connection
    cfg.attributes["configure_logger"] = False
    return cfg


def migrate(engine: Engine) -> None:
    """Bring an empty database to the current schema with the real migrations."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        command.upgrade(alembic_config(conn), "head")


@functools.cache
def _migrated_sqlite_template() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="concord-migrated-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = folder / "migrated.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    engine.dispose()  # the last connection checkpoints the WAL into the file
    return path


def migrated_sqlite(path: Path) -> str:
    """The URL of a new SQLite file at ``path``, at the migrations' head.

    It is a copy of one file this process migrated with the real migrations: running them
    takes about 3 s, copying the file a millisecond.
    """
    shutil.copyfile(_migrated_sqlite_template(), path)
    return f"sqlite:///{path}"


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    if name == "postgresql" and not PG_URL:
        if os.environ.get("CI"):
            pytest.fail("CONCORD_TEST_DATABASE_URL is not set: CI must test PostgreSQL")
        pytest.skip("CONCORD_TEST_DATABASE_URL not set (PostgreSQL tests skipped)")
    return name


@pytest.fixture(scope="session")
def engine(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    if backend == "postgresql":
        assert PG_URL
        with private_pg_database(PG_URL) as url:
            eng = make_engine(url)
            migrate(eng)
            yield eng
            eng.dispose()
        return
    eng = make_engine(migrated_sqlite(tmp_path_factory.mktemp("db") / "test.sqlite3"))
    yield eng
    eng.dispose()


@contextmanager
def private_pg_database(
    base_url: str, label: str = "", *, template: str | None = None
) -> Iterator[str]:
    """Create a database of this test process's own next to ``base_url``; drop it afterwards.

    Concurrent pytest runs (developers, xdist workers) then never clobber each other's schema.

    :param label: tells apart several private databases of one process.
    :param template: the database to copy (no one may be connected to it), else an empty one.
    """
    url = make_url(base_url)
    name = f"{url.database}_{label + '_' if label else ''}{os.getpid()}"
    admin = make_engine(base_url, isolation_level="AUTOCOMMIT")
    copy = f' TEMPLATE "{template}"' if template else ""
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"{copy}'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """The name of a migrated PostgreSQL database of this process's own, never connected to
    after its migrations: scratch databases are copies of it (``CREATE DATABASE … TEMPLATE``
    copies files; running the migrations again took seconds per database)."""
    assert PG_URL
    with private_pg_database(PG_URL, "template") as url:
        eng = make_engine(url)
        migrate(eng)
        eng.dispose()
        yield str(make_url(url).database)


@pytest.fixture
def scratch_pg(backend: str, request: pytest.FixtureRequest) -> Iterator[Engine]:
    """A migrated PostgreSQL database of the test's own, where several connections commit.

    For races (row locks, advisory locks, unique numbers) that a rolled-back test transaction
    cannot show; skipped on SQLite, which serialises writers anyway.
    """
    if backend != "postgresql":
        pytest.skip("needs several real PostgreSQL connections")
    assert PG_URL
    template = request.getfixturevalue("pg_template")
    with private_pg_database(PG_URL, "scratch", template=template) as url:
        eng = make_engine(url)
        yield eng
        eng.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    """A connection inside a transaction that is rolled back after the test."""
    conn = engine.connect()
    trans = conn.begin()
    yield conn
    trans.rollback()
    conn.close()


def base_config(tmp_path: Path, **overrides: Any) -> dict[str, Any]:
    config: dict[str, Any] = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-for-tests",
        "KEY_PASSPHRASE": "test-passphrase",
        "DATABASE_URL": "sqlite://",
        "WTF_CSRF_ENABLED": False,
        "JOBS_INLINE": True,
        "JOBS_WORKER": False,
        "BASE_URL": "http://localhost",
        "OWN_ACCOUNTS": ["31050161373600000001"],
        "OWN_NAMES": ["康科德示范贸易有限公司", "Concord Demo Trading Co., Ltd."],
    }
    config.update(overrides)
    return config


def sqlite_file(path: Path) -> str:
    """The URL of a new SQLite file at ``path`` with every table created."""
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()
    return url


def worker_app(url: str, instance: Path, **overrides: Any) -> Flask:
    """An app on ``url`` whose jobs wait for a worker (none runs in-process); makes ``instance``."""
    instance.mkdir()
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x" * 40,
            "KEY_PASSPHRASE": "t",
            "DATABASE_URL": url,
            "INSTANCE_PATH": str(instance),
            "JOBS_INLINE": False,
            "JOBS_WORKER": False,
            **overrides,
        }
    )


@pytest.fixture
def app_config(tmp_path: Path) -> dict[str, Any]:
    """Settings for the ``app`` fixture; override keys in a test module's own fixture."""
    return {}


@pytest.fixture
def app(connection: Connection, tmp_path: Path, app_config: dict[str, Any]) -> Iterator[Flask]:
    """An app whose every commit lands in a savepoint of the test's rolled-back transaction."""
    instance = tmp_path / "instance"
    instance.mkdir()
    config = base_config(tmp_path, DATABASE_BIND=connection, INSTANCE_PATH=str(instance))
    config.update(app_config)
    config["SESSION_OPTIONS"] = {"join_transaction_mode": "create_savepoint"}
    flask_app = create_app(config)
    with flask_app.app_context():
        yield flask_app


@pytest.fixture
def session(app: Flask) -> Session:
    """The app's database session (commits land in a savepoint)."""
    return db.session()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()
