"""Alembic environment: the database is the app's (CONCORD_DATABASE_URL or instance SQLite)."""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from sqlalchemy import Connection
from sqlalchemy.exc import OperationalError

from portal.models import Base

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from portal import create_app
    from portal.config import ConfigurationError
    from portal.extensions import db

    try:
        app = create_app()
    except ConfigurationError as exc:
        # `make serve` migrates first: say what is wrong in one line, not a traceback
        raise SystemExit(f"Concord cannot start: {exc}") from None
    with app.app_context():
        try:
            conn = db.engine.connect()
        except OperationalError as exc:
            # a wrong host, password or database name: one line naming the database, no traceback
            where = db.engine.url.render_as_string(hide_password=True)
            reason = str(exc.orig or exc).strip().splitlines()[0]
            raise SystemExit(f"Concord cannot reach its database {where}: {reason}") from None
        with conn:
            _migrate(conn)


def _migrate(conn: Connection) -> None:
    """Migrate on ``conn`` and commit (SQLite: with foreign keys checked once, at the end)."""
    sqlite = conn.dialect.name == "sqlite"
    if sqlite:
        # batch migrations copy a table and drop the old one, which SQLite refuses while
        # other rows point at it: foreign keys are checked once, before the commit. The
        # pragma is a no-op inside a transaction, so it goes to the driver before BEGIN.
        conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
    _run(conn)
    if sqlite:
        broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            conn.rollback()
            raise SystemExit(f"migration left broken foreign keys: {broken[:5]}")
    conn.commit()
    if sqlite:
        conn.connection.driver_connection.execute("PRAGMA foreign_keys=ON")


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run against a database")
run_migrations_online()
