"""Helping a person map the columns of an export the parser cannot read by itself.

An export of a bank nobody described opens with title lines and a header whose names the
parser does not know (杭州银行's 入账/出账). For the mapping page this module finds the header row
(cells naming columns, no dates or figures) above the first entry (a row holding a date and an
amount), suggests roles from the header words the parser knows (:mod:`.tabular_layouts`), and
checks a mapping row by row, so a refused one says which row and column would not read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from ..errors import ParseError
from ..normalize import parse_amount
from .tabular_io import HEADER_SEARCH_ROWS, Row
from .tabular_locate import columns_by_synonym
from .tabular_values import read_date, unless_placeholder

__all__ = [
    "CellProblem",
    "check_mapping",
    "first_entry_index",
    "header_index",
    "suggested_columns",
]

#: roles whose cells must read as dates, and as amounts (balance: when written)
DATE_ROLES = ("booking_date",)
MONEY_ROLES = ("amount", "credit", "debit")
#: rows checked for a mapping (the header and the first entry are looked for where the
#: parser looks for a header: in the first :data:`.tabular_io.HEADER_SEARCH_ROWS` rows)
CHECKED_ROWS = 20


@dataclass(frozen=True, slots=True)
class CellProblem:
    """Why one cell does not read with a mapping (the portal words it)."""

    row: int
    """1-based row of the file."""
    column: int
    """0-based column."""
    value: str
    kind: Literal["not_a_date", "not_an_amount", "no_cell", "no_amount"]
    """``no_cell``: the row is narrower than the column; ``no_amount``: every money cell of
    the row is empty."""


def _is_date(cell: str) -> bool:
    text = cell.strip()
    if len(text) < 6 or not any(ch.isdigit() for ch in text):
        return False
    try:
        read_date(text, None, None)
    except ParseError:
        return False
    return True


def _is_amount(cell: str) -> bool:
    text = cell.strip()
    if not text or not any(ch.isdigit() for ch in text):
        return False
    try:
        parse_amount(text)
    except ParseError:
        return False
    return True


def is_entry(cells: Row) -> bool:
    """True for a row that holds a date and, in another cell, an amount."""
    dates = [i for i, c in enumerate(cells) if _is_date(c)]
    return bool(dates) and any(_is_amount(c) for i, c in enumerate(cells) if i not in dates)


def first_entry_index(rows: Sequence[Row]) -> int | None:
    """The index of the first row that looks like an entry, or None."""
    return next((i for i, r in enumerate(rows[:HEADER_SEARCH_ROWS]) if is_entry(r)), None)


def header_index(rows: Sequence[Row]) -> int | None:
    """The index of the header row: the nearest row above the first entry that names
    columns (two cells or more, none a date or a figure); None for a file without one."""
    first = first_entry_index(rows)
    if first is None:
        return None
    width = sum(1 for c in rows[first] if c.strip())
    for index in range(first - 1, -1, -1):
        filled = [c for c in rows[index] if c.strip()]
        if not filled:
            continue
        if len(filled) >= max(2, width // 2) and not any(_is_amount(c) for c in filled):
            return index
        return None  # a title or note line right above the entries: no header
    return None


def suggested_columns(header: Row) -> dict[str, int]:
    """The role of each column the header names in words the parser knows (one column each)."""
    found = columns_by_synonym(header)
    if "booking_date" not in found and "value_date" in found:
        found["booking_date"] = found.pop("value_date")
    return {role: indexes[0] for role, indexes in found.items() if indexes}


def check_mapping(
    rows: Sequence[Row],
    columns: Mapping[str, int],
    first_row: int,
    *,
    dayfirst: bool | None = None,
) -> CellProblem | None:
    """The first cell from row ``first_row`` (1-based) on that does not read as its role needs.

    Looks at the first :data:`CHECKED_ROWS` rows with any text: a date column must hold dates
    and the amount columns figures (one of them at least on each row).
    """
    checked = 0
    for index in range(max(first_row - 1, 0), len(rows)):
        cells = rows[index]
        if not any(c.strip() for c in cells):
            continue
        found = _row_problem(index + 1, cells, columns, dayfirst)
        if found is not None:
            return found
        checked += 1
        if checked >= CHECKED_ROWS:
            break
    return None


def _row_problem(
    number: int, cells: Row, columns: Mapping[str, int], dayfirst: bool | None
) -> CellProblem | None:
    for role, index in columns.items():
        if index >= len(cells):
            return CellProblem(number, index, "", "no_cell")
        if role in DATE_ROLES:
            try:
                read_date(cells[index].strip(), dayfirst, None)
            except ParseError:
                return CellProblem(number, index, cells[index].strip(), "not_a_date")
    money = [(i, unless_placeholder(cells[i])) for r, i in columns.items() if r in MONEY_ROLES]
    for index, text in money:
        if text and not _is_amount(text):
            return CellProblem(number, index, cells[index].strip(), "not_an_amount")
    if money and not any(text for _, text in money):
        return CellProblem(number, money[0][0], "", "no_amount")
    return None
