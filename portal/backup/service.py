"""Write a backup: a consistent copy of the SQLite database and the instance's secrets.

The database copy uses SQLite's online backup API, so the portal may keep serving (and
writing) while it runs. The secrets are what cannot be recreated: the signing keys and
certificates under ``instance/pki`` (without them signed statements can no longer be verified
against this installation), the secret key, the key passphrase and ``instance/config.py``.
A ``manifest.json`` lists every file with its size and SHA-256.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import SQLAlchemyError

from ..config import UNPREFIXED_ENV
from ..errors import ConcordError

MANIFEST = "manifest.json"
DATABASE_FILE = "concord.sqlite3"
#: instance files and folders that cannot be recreated (relative to the instance folder)
SECRET_PATHS = ("pki", "secret_key", "key_passphrase", "config.py")
#: instance folders worth keeping: formal letters already sent to customers
RECORD_PATHS = ("letters",)
#: settings that hold a secret when they come from the environment instead of a file
ENV_SECRETS = ("SECRET_KEY", "KEY_PASSPHRASE")


class BackupError(ConcordError):
    """The backup cannot be written (target not empty, database not a file...)."""

    status = 500
    log_level = logging.ERROR


@dataclass
class BackupReport:
    """What was written."""

    target: Path
    backend: str
    #: relative path -> (size, sha256)
    files: dict[str, tuple[int, str]] = field(default_factory=dict)
    #: environment variables holding a secret that is not in the backup
    env_secrets: list[str] = field(default_factory=list)
    alembic_revision: str | None = None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _prepare_target(target: Path) -> None:
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupError(f"{target} exists and is not an empty folder: choose a new one")
    target.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(target, 0o700)


def sqlite_path(bind: Engine | Connection) -> Path | None:
    """Return the database file of a SQLite bind (``None`` for an in-memory database)."""
    database = bind.engine.url.database
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        return None
    return Path(database)


def copy_sqlite(source: Path, destination: Path) -> None:
    """Copy a live SQLite database with the online backup API (one consistent snapshot)."""
    if not source.is_file():
        raise BackupError(f"the database file {source} does not exist")
    src = sqlite3.connect(source, timeout=30)
    try:
        dst = sqlite3.connect(destination)
        try:
            # pages=-1: everything in one step, so no writer can slip in between two steps
            src.backup(dst, pages=-1)
            # a self-contained file (no -wal beside it); the app turns WAL on again when it opens
            dst.execute("PRAGMA journal_mode=DELETE")
            problems = dst.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            dst.close()
    finally:
        src.close()
    if problems != "ok":
        raise BackupError(f"the copy of the database failed its integrity check: {problems}")
    os.chmod(destination, 0o600)


def _copy_tree(source: Path, destination: Path) -> None:
    if source.is_dir():
        shutil.copytree(source, destination, copy_function=shutil.copy2)
    else:
        shutil.copy2(source, destination)


def write_backup(
    target: Path,
    *,
    bind: Engine | Connection,
    instance_path: Path,
) -> BackupReport:
    """Write the backup into ``target`` (a new or empty folder) and its manifest.

    :param bind: the app's database engine (or connection).
    :raises BackupError: the target is not empty or the database cannot be copied.
    """
    backend = bind.engine.dialect.name
    report = BackupReport(target=target, backend=backend)
    report.alembic_revision = _alembic_revision(bind)
    _prepare_target(target)
    if backend == "sqlite":
        source = sqlite_path(bind)
        if source is None:
            raise BackupError("the database is in memory: there is nothing to back up")
        copy_sqlite(source, target / DATABASE_FILE)
    instance_dir = target / "instance"
    instance_dir.mkdir(mode=0o700)
    for name in (*SECRET_PATHS, *RECORD_PATHS):
        source = instance_path / name
        if source.exists():
            _copy_tree(source, instance_dir / name)
    report.env_secrets = [
        variable for key in ENV_SECRETS if (variable := _from_environment(key)) is not None
    ]
    for path in sorted(p for p in target.rglob("*") if p.is_file()):
        report.files[path.relative_to(target).as_posix()] = (path.stat().st_size, _sha256(path))
    _write_manifest(report)
    return report


def _from_environment(key: str) -> str | None:
    """The environment variable the secret ``key`` comes from (so it is in no file), if any.

    The ``CONCORD_`` spelling wins, as in :mod:`portal.config`; ``SECRET_KEY`` is also read
    without the prefix.
    """
    for variable in (f"CONCORD_{key}", *([key] if key in UNPREFIXED_ENV else [])):
        if os.environ.get(variable):
            return variable
    return None


def _alembic_revision(bind: Engine | Connection) -> str | None:
    try:
        query = text("SELECT version_num FROM alembic_version")
        revision: str | None
        if isinstance(bind, Connection):
            revision = bind.scalar(query)
        else:
            with bind.connect() as conn:
                revision = conn.scalar(query)
        return revision
    except SQLAlchemyError:  # a database never migrated has no revision to record
        return None


def _write_manifest(report: BackupReport) -> None:
    manifest = {
        "format": "concord-backup/1",
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": {
            "backend": report.backend,
            "file": DATABASE_FILE if report.backend == "sqlite" else None,
            "alembic_revision": report.alembic_revision,
            "note": None
            if report.backend == "sqlite"
            else "not included: back up PostgreSQL with pg_dump",
        },
        "secrets_from_environment": report.env_secrets,
        "files": [
            {"path": path, "size": size, "sha256": digest}
            for path, (size, digest) in sorted(report.files.items())
        ],
    }
    path = report.target / MANIFEST
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.chmod(path, 0o600)


def verify_backup(target: Path) -> list[str]:
    """Check every file of the manifest against its SHA-256; return the problems found."""
    manifest_path = target / MANIFEST
    if not manifest_path.is_file():
        return [f"{manifest_path} is missing"]
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    problems = []
    for entry in manifest["files"]:
        path = target / entry["path"]
        if not path.is_file():
            problems.append(f"{entry['path']}: missing")
        elif _sha256(path) != entry["sha256"]:
            problems.append(f"{entry['path']}: SHA-256 differs from the manifest")
    return problems
