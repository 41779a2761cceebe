"""CSV records of exports that leave quotes inside quoted cells unescaped.

Company names carry quotes in much of Europe and the former Soviet Union (``UAB "Naktida"``,
``ООО "Ромашка"``), and some banks write them into a quoted cell as they are,
``"UAB "Naktida""``, where CSV wants each inner quote doubled; others escape them with a
backslash (N26: ``"QUOTES \\"COMPANY\\""``). Python's :mod:`csv` ends the cell at the first
inner quote and glues the rest on (``UAB Naktida""``). Such a file is read again here, with one
rule: inside a quoted cell, a quote closes the cell only where the delimiter or the line's end
follows it (after spaces or tabs).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence

from ..errors import ParseError
from ..problems import problem

Row = list[str]


def lenient_records(lines: Sequence[str], delimiter: str) -> list[Row]:
    """Split ``lines`` into records, reading stray quotes inside quoted cells as text.

    Well-formed CSV reads as :mod:`csv` reads it: ``""`` inside a quoted cell is one quote,
    and a quoted cell may run over several lines.

    :raises ParseError: for a cell longer than :func:`csv.field_size_limit` (as :mod:`csv`).
    """
    text = "\n".join(lines)
    records: list[Row] = []
    row: Row = []
    cell: list[str] = []
    quoted = False
    i = 0
    while i < len(text):
        ch = text[i]
        if quoted:
            i, quoted = _in_quotes(text, i, delimiter, cell)
            continue
        if ch == '"' and not cell:
            quoted = True
        elif ch == delimiter:
            row.append(_cell(cell))
            cell = []
        elif ch == "\n":
            row.append(_cell(cell))
            records.append(row)
            row, cell = [], []
        else:
            cell.append(ch)
        i += 1
    if cell or row:
        row.append(_cell(cell))
        records.append(row)
    return records


def _in_quotes(text: str, i: int, delimiter: str, cell: list[str]) -> tuple[int, bool]:
    """Read from ``text[i]`` inside a quoted cell; return where to go on and whether the cell
    is still quoted."""
    ch = text[i]
    if ch == "\\" and text.startswith('"', i + 1):
        cell.append('"')
        return i + 2, True
    if ch != '"':
        cell.append(ch)
        return i + 1, True
    end = i
    while end < len(text) and text[end] == '"':
        end += 1
    run = end - i
    after = end
    while after < len(text) and text[after] in " \t" and text[after] != delimiter:
        after += 1  # HSBC Hong Kong pads a closed cell with a tab: "-1,099.14"\t,CNY
    closes = after == len(text) or text[after] in (delimiter, "\n", "\r")
    # before a delimiter: ("" escapes one quote) the last quote closes, an even run's first half
    # is text; elsewhere every pair is one quote and a lone quote is text too
    cell.extend('"' * (run // 2 if closes else run // 2 + run % 2))
    return end, not closes


def _cell(chars: list[str]) -> str:
    if len(chars) > csv.field_size_limit():
        raise ParseError(problem("csv_malformed", detail="field larger than field limit"))
    return "".join(chars).rstrip("\r")
