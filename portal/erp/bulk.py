"""Bulk reads and writes shared by the importers: stored rows, multi-row UPDATEs, statistics, the
import's audit row."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar, TypeVarTuple

from sqlalchemy import Row, Select, bindparam, select, text
from sqlalchemy.orm import Session

from portal.audit import PendingEvent, record
from portal.models import Customer, User

from . import parsing as p
from .parsing import ImportSummary

#: inserted rows from which PostgreSQL's statistics are refreshed at once
_ANALYZE_AFTER = 1000

_T = TypeVar("_T")
_Ts = TypeVarTuple("_Ts")


def rows_in(
    session: Session, query: Select[*_Ts], column: Any, values: Sequence[Any]
) -> Iterator[Row[*_Ts]]:
    """The rows of ``query`` whose ``column`` is one of ``values``, read with one ``IN (...)``
    query per :func:`~.parsing.chunks` slice of ``values`` (each in the query's order)."""
    for chunk in p.chunks(values):
        yield from session.execute(query.where(column.in_(chunk)))


def scalars_in(
    session: Session, query: Select[_T], column: Any, values: Sequence[Any]
) -> Iterator[_T]:
    """Like :func:`rows_in`, the first column of each row (a query of one model: its objects)."""
    for chunk in p.chunks(values):
        yield from session.scalars(query.where(column.in_(chunk)))


def customer_ids(session: Session, codes: Iterable[str]) -> dict[str, int]:
    """The ids of the customers with these codes (codes not found are left out)."""
    query = select(Customer.code, Customer.id)
    found = rows_in(session, query, Customer.code, sorted(set(codes)))
    return {code: customer_id for code, customer_id in found}


def stored_rows(
    session: Session, model: type[Any], key: str, fields: Sequence[str], keys: Sequence[str]
) -> dict[str, dict[str, Any]]:
    """The ``fields`` of the rows whose ``key`` column is one of ``keys``, as dicts by key."""
    columns = [getattr(model, name) for name in fields]
    stored: dict[str, dict[str, Any]] = {}
    for found in rows_in(session, select(*columns), getattr(model, key), keys):
        row = found._asdict()
        stored[row[key]] = row
    return stored


def bulk_update(session: Session, model: type[Any], rows: list[dict[str, Any]]) -> None:
    """Update rows by primary key, one executemany per set of changed columns."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[tuple(sorted(row))].append(row)
    table = model.__table__
    for keys, group in groups.items():
        statement = (
            table.update()
            .where(table.c.id == bindparam("_id"))
            .values({key: bindparam(key) for key in keys if key != "id"})
        )
        params = [
            {**{k: v for k, v in row.items() if k != "id"}, "_id": row["id"]} for row in group
        ]
        for chunk in p.chunks(params):
            session.execute(statement, list(chunk))


def analyze(session: Session, table: str, inserted: int) -> None:
    """Refresh PostgreSQL's statistics of a table that just grew a lot.

    Autovacuum only sees the rows after the commit; until it runs, the planner takes the
    table for nearly empty and reads it whole for every lookup of the next import.
    """
    if inserted >= _ANALYZE_AFTER and session.get_bind().dialect.name == "postgresql":
        session.execute(text(f"ANALYZE {table}"))


def refresh(session: Session) -> None:
    """Flush, then expire what the session holds: bulk statements bypassed the identity map."""
    session.flush()
    session.expire_all()


def record_summary(
    session: Session, summary: ImportSummary, *, actor: User | None, source: str
) -> None:
    """Audit the import as a whole, unless it changed nothing (re-imports add no noise)."""
    if summary.changed:
        record(
            session,
            actor,
            f"erp.import_{summary.kind}",
            entity_type="erp_import",
            entity_id=source[:64],
            data=summary.as_dict(),
        )


def change_event(
    action: str, entity_type: str, entity_id: str, *, source: str, fields: dict[str, Any]
) -> PendingEvent:
    """The audit entry of one row an import created or changed: its source and the fields set."""
    return PendingEvent(
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        data={"source": source, "fields": p.jsonable(fields)},
    )
