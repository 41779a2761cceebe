"""Column mappings for bank exports the parser cannot read by itself (the mapping page).

A file without a header row, or with columns nobody names the usual way, fails its import with
"unknown CSV/XLSX layout". Finance then maps its columns once; the mapping is checked on the file
itself, saved for that bank account and tried on every later upload before the built-in ones.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from reconcile.api import parse_bytes
from reconcile.errors import ParseError
from reconcile.layouts import TabularLayout, layout_from_dict
from reconcile.model import ParseResult, ParseSettings
from reconcile.parsers.tabular import PREVIEW_ROWS, read_rows
from reconcile.parsers.tabular_layouts import normalise_header
from reconcile.parsers.tabular_mapping import (
    CellProblem,
    check_mapping,
    first_entry_index,
    header_index,
    suggested_columns,
)

from ..audit.service import record
from ..models import BankFile, BankFileStatus, BankLayout, User
from .errors import ActionRefused
from .problems import problem_text

#: the start of the parser's message for a file whose columns it cannot tell apart
UNKNOWN_LAYOUT = "unknown CSV/XLSX layout"
#: roles the mapping page offers, in the order it shows them
MAPPED_ROLES = (
    "booking_date",
    "value_date",
    "amount",
    "debit",
    "credit",
    "direction",
    "balance",
    "counterparty_name",
    "counterparty_account",
    "description",
    "bank_ref",
    "currency",
)
DATE_ORDERS = {"auto": None, "dmy": True, "mdy": False}
#: rows the preview shows above the header
PREVIEW_ABOVE = 3
#: why the page refuses a file that needs no mapping
NOT_WAITING = _l(
    "This file waits for no column mapping: it is read already, or failed for another reason; "
    "it is not imported a second time."
)


#: the codes of that message (``reconcile.problems``)
UNKNOWN_LAYOUT_CODES = frozenset(
    {"unknown_layout", "unknown_layout_no_columns", "unknown_layout_headerless"}
)


def needs_layout(bank_file: BankFile) -> bool:
    """True when the file failed only because its columns could not be told apart."""
    if bank_file.status is not BankFileStatus.FAILED:
        return False
    if bank_file.problems:  # coded: no need to read the English
        return any(
            isinstance(p, dict) and p.get("code") in UNKNOWN_LAYOUT_CODES
            for p in bank_file.problems
        )
    return UNKNOWN_LAYOUT in (bank_file.error or "")


@dataclass(frozen=True, slots=True)
class FileView:
    """The first rows of a file as the mapping page shows them, and what they suggest."""

    rows: list[tuple[int, list[str]]]
    """(1-based row of the file, its cells padded to one width), empty rows left out."""
    header: list[str] | None
    """The header row's cells, when the file has one."""
    header_row: int | None
    """Its 1-based row."""
    first_row: int
    """The row of the first entry (below the header), the page's default."""
    suggested: dict[str, int]
    """Role to column, for the columns the header names in words the parser knows."""
    sample: list[str]
    """The first entry's cells (an example value for each column)."""

    @property
    def width(self) -> int:
        """How many columns the previewed rows have."""
        return len(self.rows[0][1]) if self.rows else 0

    def header_names(self, index: int) -> bool:
        """Whether column ``index`` has a header cell with a name."""
        return bool(self.header and index < len(self.header) and self.header[index].strip())

    def column_name(self, index: int) -> str:
        """The header cell of column ``index``, or "column N" without one."""
        if self.header and self.header_names(index):
            return self.header[index].strip()
        return _("column %(number)s", number=index + 1)


def _read(bank_file: BankFile, settings: ParseSettings) -> list[list[str]]:
    try:
        return read_rows(bank_file.content, bank_file.original_name, settings)
    except ParseError as exc:
        raise ActionRefused(problem_text(exc.text)) from exc


def preview(bank_file: BankFile, settings: ParseSettings) -> FileView:
    """The first rows of the file, its header and first entry, for the mapping page.

    :raises ActionRefused: when the file is no table at all.
    """
    rows = _read(bank_file, settings)
    header_at = header_index(rows)
    first = first_entry_index(rows)
    # start a little above the header (or first entry): not with twenty lines of notes
    anchor = header_at if header_at is not None else (first or 0)
    start = max(anchor - PREVIEW_ABOVE, 0)
    numbered = [(i + 1, r) for i, r in enumerate(rows) if i >= start and any(c.strip() for c in r)]
    numbered = numbered[: PREVIEW_ROWS + 3]
    width = max((len(r) for _, r in numbered), default=0)
    header = rows[header_at] if header_at is not None else None
    return FileView(
        rows=[(n, r + [""] * (width - len(r))) for n, r in numbered],
        header=header,
        header_row=header_at + 1 if header_at is not None else None,
        first_row=(first + 1) if first is not None else 1,
        suggested={
            role: index
            for role, index in (suggested_columns(header) if header else {}).items()
            if role in MAPPED_ROLES
        },
        sample=rows[first] if first is not None else (numbered[-1][1] if numbered else []),
    )


def saved_layouts(session: Session) -> tuple[TabularLayout, ...]:
    """Every saved layout, newest first, as the parser takes them."""
    rows = session.scalars(select(BankLayout).order_by(BankLayout.id.desc())).all()
    found: list[TabularLayout] = []
    for row in rows:
        try:
            found.append(layout_from_dict(row.definition))
        except ValueError:
            continue  # a layout a later version no longer accepts is skipped, not fatal
    return tuple(found)


@dataclass(frozen=True, slots=True)
class Mapping:
    """What a person picked on the mapping page."""

    name: str
    our_account: str
    columns: dict[str, int]
    first_row: int
    """1-based row of the first transaction (rows above it are headers or titles)."""
    date_order: str
    sign: str
    currency: str | None


def definition(mapping: Mapping, header: list[str] | None = None) -> dict[str, Any]:
    """The layout JSON (see :mod:`reconcile.layouts`) for ``mapping``.

    With the ``header`` right above the first entry, columns are saved by their names: a later
    download with other title lines, or columns moved, still reads; without one, by position.

    :raises ActionRefused: when the date or every amount column is missing.
    """
    columns = {role: index for role, index in mapping.columns.items() if role in MAPPED_ROLES}
    if "booking_date" not in columns:
        raise ActionRefused(_("Pick the column that holds the booking date."))
    if not any(r in columns for r in ("amount", "debit", "credit")):
        raise ActionRefused(_("Pick an amount column, or the debit and credit columns."))
    data: dict[str, Any] = {
        "name": mapping.name,
        "has_header": False,
        "skip_rows": max(mapping.first_row - 1, 0),
        "columns": columns,
        "sign": mapping.sign,
        "account": mapping.our_account,
    }
    names = _header_names(header, columns)
    if names is not None:
        data.update(has_header=True, skip_rows=0, columns=names)
    if DATE_ORDERS.get(mapping.date_order) is not None:
        data["dayfirst"] = DATE_ORDERS[mapping.date_order]
    if mapping.currency:
        data["currency"] = mapping.currency.upper()
    return data


def _header_names(header: list[str] | None, columns: dict[str, int]) -> dict[str, str] | None:
    """Each picked column's header name, or None when one is blank or named twice."""
    if not header:
        return None
    keys = [normalise_header(cell) for cell in header]
    names: dict[str, str] = {}
    for role, index in columns.items():
        if index >= len(header) or not keys[index] or keys.count(keys[index]) > 1:
            return None
        names[role] = header[index].strip()
    return names


@dataclass(frozen=True, slots=True)
class ReadRow:
    """One entry as the mapping reads it, for the page's preview."""

    row: int
    booking_date: dt.date
    direction: str
    amount: Decimal
    currency: str
    balance: Decimal | None
    other_party: str
    reference: str


@dataclass(slots=True)
class Trial:
    """A mapping tried on its file: the entries it reads, or why it reads none."""

    data: dict[str, Any]
    reason: str | None = None
    rows: list[ReadRow] = field(default_factory=list)
    count: int = 0
    warnings: list[str] = field(default_factory=list)
    """What the parser noted (a running balance that does not follow: money in and out
    swapped), in the reader's language."""


#: entries the page shows from a trial
TRIAL_ROWS = 5


def try_mapping(
    bank_file: BankFile, mapping: Mapping, settings: ParseSettings, view: FileView
) -> Trial:
    """Read the file with ``mapping`` without saving anything.

    :raises ActionRefused: when the mapping lacks its date or amount column.
    """
    above = view.header_row is not None and view.header_row == mapping.first_row - 1
    data = definition(mapping, view.header if above else None)
    try:
        layout = layout_from_dict(data)
    except ValueError as exc:
        raise ActionRefused(str(exc)) from exc
    # read as the import will, with this layout instead of the saved ones
    result = parse_bytes(
        bank_file.content, bank_file.original_name, replace(settings, layouts=(layout,))
    )[0]
    if result.transactions and not result.error:
        return Trial(
            data,
            rows=_read_rows(result),
            count=len(result.transactions),
            warnings=[problem_text(w) for w in result.warnings[:TRIAL_ROWS]],
        )
    return Trial(data, reason=_why(bank_file, mapping, settings, view, result))


def _read_rows(result: ParseResult) -> list[ReadRow]:
    found = sorted(result.transactions, key=lambda t: int(t.raw.get("row") or 0))
    return [
        ReadRow(
            row=int(t.raw.get("row") or 0),
            booking_date=t.booking_date,
            direction=t.direction,
            amount=t.amount,
            currency=t.currency,
            balance=t.raw.get("balance"),
            other_party=(t.payer_name if t.direction == "credit" else t.payee_name) or "",
            reference=t.reference,
        )
        for t in found[:TRIAL_ROWS]
    ]


def _why(
    bank_file: BankFile,
    mapping: Mapping,
    settings: ParseSettings,
    view: FileView,
    result: ParseResult,
) -> str:
    """The first cell that does not read, naming row and column; else the parser's error."""
    rows = _read(bank_file, settings)
    found = check_mapping(
        rows, mapping.columns, mapping.first_row, dayfirst=DATE_ORDERS.get(mapping.date_order)
    )
    if found is not None:
        return cell_problem_text(found, view)
    if result.error:
        return problem_text(result.error)
    return _("No transaction reads with this mapping.")


def cell_problem_text(found: CellProblem, view: FileView) -> str:
    """One cell's problem in the reader's language."""
    name = view.column_name(found.column)
    # column “摘要” by its header, else "column 5"
    named = _("column “%(name)s”", name=name) if view.header_names(found.column) else name
    args = {"row": found.row, "column": named, "value": found.value}
    if found.kind == "not_a_date":
        return _("row %(row)s, %(column)s: '%(value)s' is not a date", **args)
    if found.kind == "not_an_amount":
        return _("row %(row)s, %(column)s: '%(value)s' is not an amount", **args)
    if found.kind == "no_cell":
        return _("row %(row)s has no cell in %(column)s", **args)
    return _("row %(row)s: every amount column picked is empty", **args)


def save_layout(
    session: Session, bank_file: BankFile, mapping: Mapping, trial: Trial, *, user: User
) -> BankLayout:
    """Save ``mapping``, tried on the file, for the account and queue the file again.

    :raises ActionRefused: when the file does not read with it, or is read already.
    """
    if not needs_layout(bank_file):
        raise ActionRefused(str(NOT_WAITING))
    if trial.reason is not None:
        raise ActionRefused(trial.reason)
    data = trial.data
    row = session.scalar(
        select(BankLayout).where(
            BankLayout.our_account == mapping.our_account, BankLayout.name == mapping.name
        )
    )
    if row is None:
        row = BankLayout(our_account=mapping.our_account, name=mapping.name, created_by=user)
        session.add(row)
    row.definition = data
    bank_file.status = BankFileStatus.PENDING
    bank_file.error = None
    bank_file.problems = None
    session.flush()
    saved = {"file": bank_file.id, "account": mapping.our_account, "layout": data}
    record(session, user, "bank_layout.saved", row, data=saved)
    return row
