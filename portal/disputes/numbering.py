"""Sequential document numbers (``DSP-2026-000123``, ``CN-2026-000007``) that concurrent
transactions never share."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute, Session

from ..models import CreditNote, Dispute
from .errors import NumberUnavailable


def _last_number(db: Session, column: InstrumentedAttribute[str], prefix: str) -> int:
    """The highest ``<prefix>NNNNNN`` number this transaction can see (0 when none)."""
    last = db.scalar(select(func.max(column)).where(column.like(f"{prefix}%")))
    return int(str(last)[len(prefix) :]) if last else 0


def _next_number(db: Session, column: InstrumentedAttribute[str], prefix: str) -> str:
    return f"{prefix}{_last_number(db, column, prefix) + 1:06d}"


def next_dispute_number(db: Session, year: int) -> str:
    """``DSP-2026-000123``: sequential per year (the next one free as far as this session sees)."""
    return _next_number(db, Dispute.number, f"DSP-{year}-")


#: clashes with concurrent transactions tolerated before giving up on a number
NUMBER_ATTEMPTS = 5


def _is_number_clash(exc: IntegrityError, table: str) -> bool:
    """Whether ``exc`` is a duplicate in ``<table>.number`` (not some other constraint)."""
    diag = getattr(exc.orig, "diag", None)  # psycopg names the violated constraint
    if diag is not None:
        return getattr(diag, "constraint_name", None) == f"uq_{table}_number"
    return f"UNIQUE constraint failed: {table}.number" in str(exc.orig)


def insert_numbered(db: Session, row: Dispute | CreditNote, prefix: str) -> None:
    """Give ``row`` the next ``<prefix>NNNNNN`` number and insert it (flushes).

    "Next after the highest" is what a concurrent transaction computes too, and the unique
    constraint lets only one of them have it. The insert therefore runs in a savepoint: a clash
    on the number undoes just this row, and the next number is tried (under READ COMMITTED the
    other transaction's row is visible by then, since the clash is only reported once it commits).

    :raises NumberUnavailable: every attempt clashed.
    :raises IntegrityError: any other constraint failed (not retried).
    """
    model = type(row)
    floor = 1
    for _attempt in range(NUMBER_ATTEMPTS):
        n = max(_last_number(db, model.number, prefix) + 1, floor)
        row.number = f"{prefix}{n:06d}"
        try:
            with db.begin_nested():
                db.add(row)
        except IntegrityError as exc:
            if not _is_number_clash(exc, model.__tablename__):
                raise
            # the savepoint's rollback expunged the row: it is added again with the next number
            floor = n + 1
            continue
        return
    raise NumberUnavailable(f"no free {prefix} number after {NUMBER_ATTEMPTS} attempts")
