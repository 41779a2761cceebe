"""What the ``flask`` commands share: ``--today``, on/off flags, one-line error text, tables
that line up in a terminal with Chinese in them, and a database brought to its schema."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click
from sqlalchemy import inspect

from .extensions import db

_Command = TypeVar("_Command", bound=Callable[..., Any])


def _as_date(
    _ctx: click.Context, _param: click.Parameter, value: dt.datetime | None
) -> dt.date | None:
    return value.date() if value is not None else None


def today_option(help: str) -> Callable[[_Command], _Command]:
    """``--today YYYY-MM-DD``: run as if it were that day; the command gets a date (or None)."""
    return click.option(
        "--today",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        default=None,
        callback=_as_date,
        help=help,
    )


def flag(*decls: str, help: str) -> Callable[[_Command], _Command]:
    """An on/off option (``--name`` given or not): the command gets ``True`` or ``False``."""
    return click.option(*decls, is_flag=True, help=help)


def first_line(error: str) -> str:
    """The first line of a stored error, cut to 120 characters, for a one-line listing."""
    return error.splitlines()[0][:120]


def width(text: str) -> int:
    """Columns ``text`` takes in a terminal: Chinese, Japanese and full-width forms take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def table(rows: Sequence[Sequence[str]]) -> list[str]:
    """``rows`` (the first one the header) as lines whose columns line up on screen."""
    widths = [max(width(row[i]) for row in rows) for i in range(len(rows[0]))] if rows else []
    return [
        "  ".join(v + " " * (w - width(v)) for v, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


def upgrade_database() -> None:
    """Run the Alembic migrations up to head, exactly as ``alembic upgrade head`` does."""
    from alembic import command
    from alembic.config import Config

    root = Path(__file__).resolve().parents[1]
    command.upgrade(Config(str(root / "alembic.ini")), "head")


def ensure_schema() -> None:
    """Create the tables of a database that has none (a fresh instance), as ``alembic upgrade
    head`` does, so a command typed before ``make run`` works instead of failing on a missing
    table. A database with tables is left alone."""
    if inspect(db.engine).get_table_names():
        return
    where = db.engine.url.render_as_string(hide_password=True)
    click.echo(f"The database {where} has no tables yet: creating them (alembic upgrade head).")
    upgrade_database()
