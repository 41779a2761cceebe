"""The migrations build exactly the models' schema on both databases, and undo it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from portal.extensions import make_engine
from portal.models import Base
from tests.conftest import alembic_config, private_pg_database

PG_URL = os.environ.get("CONCORD_TEST_DATABASE_URL")


@pytest.fixture
def empty_engine(backend: str, tmp_path: Path) -> Iterator[Engine]:
    """A brand-new, empty database of the backend under test."""
    if backend == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'migrations.sqlite3'}")
        yield engine
        engine.dispose()
        return
    assert PG_URL
    with private_pg_database(PG_URL, "migrations") as url:
        engine = make_engine(url)
        yield engine
        engine.dispose()


def _upgrade(engine: Engine, target: str = "head") -> None:
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), target)


def _downgrade(engine: Engine, target: str) -> None:
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), target)


def _differences(engine: Engine) -> list[object]:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def _tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def test_migrations_build_the_models_and_undo_them_step_by_step(empty_engine: Engine) -> None:
    """Up to head: exactly the models' schema; down one revision at a time to base, each step
    landing on its parent; up again from nothing: the models' schema once more. (One walk: each
    pass over the migrations costs seconds.)"""
    _upgrade(empty_engine)
    assert _tables(empty_engine) == set(Base.metadata.tables) | {"alembic_version"}
    assert _differences(empty_engine) == []
    script = ScriptDirectory.from_config(alembic_config(None))  # type: ignore[arg-type]
    for revision in script.walk_revisions():  # head first
        _downgrade(empty_engine, "-1")
        with empty_engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
        assert current == revision.down_revision
    assert _tables(empty_engine) <= {"alembic_version"}
    _upgrade(empty_engine)
    assert _differences(empty_engine) == []


def test_audit_trigger_comes_and_goes(empty_engine: Engine) -> None:
    _upgrade(empty_engine)
    insert = text(
        "INSERT INTO audit_events (occurred_at, actor_label, action, entity_type, entity_id, "
        "data, prev_hash, hash) VALUES (CURRENT_TIMESTAMP, 'system', 'a', 'x', '1', '{}', "
        "'p', 'h')"
    )
    with empty_engine.begin() as conn:
        conn.execute(insert)
    with pytest.raises(Exception, match="append-only"), empty_engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_events"))
    _downgrade(empty_engine, "0001")
    with empty_engine.begin() as conn:
        assert conn.execute(text("DELETE FROM audit_events")).rowcount == 1
