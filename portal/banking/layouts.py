"""Column mappings for bank exports the parser cannot read by itself (the mapping page).

A file without a header row, or with columns nobody names the usual way, fails its import with
"unknown CSV/XLSX layout". Finance then maps its columns once; the mapping is checked on the file
itself, saved for that bank account and tried on every later upload before the built-in ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from reconcile.api import parse_bytes
from reconcile.errors import ParseError
from reconcile.layouts import TabularLayout, layout_from_dict
from reconcile.model import ParseSettings
from reconcile.parsers.tabular import PREVIEW_ROWS, read_rows

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


#: the codes of that message (``reconcile.problems``)
UNKNOWN_LAYOUT_CODES = frozenset({"unknown_layout", "unknown_layout_no_columns"})


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


def preview(bank_file: BankFile, settings: ParseSettings) -> list[list[str]]:
    """The first rows of the file as read, padded to one width, for the mapping page.

    :raises ActionRefused: when the file is no table at all.
    """
    try:
        rows = read_rows(bank_file.content, bank_file.original_name, settings)
    except ParseError as exc:
        raise ActionRefused(problem_text(exc.text)) from exc
    rows = [r for r in rows if any(c.strip() for c in r)][: PREVIEW_ROWS + 3]
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows]


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


def definition(mapping: Mapping) -> dict[str, Any]:
    """The layout JSON (see :mod:`reconcile.layouts`) for ``mapping``.

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
    if DATE_ORDERS.get(mapping.date_order) is not None:
        data["dayfirst"] = DATE_ORDERS[mapping.date_order]
    if mapping.currency:
        data["currency"] = mapping.currency.upper()
    return data


def save_layout(
    session: Session, bank_file: BankFile, mapping: Mapping, settings: ParseSettings, *, user: User
) -> BankLayout:
    """Check ``mapping`` on the file, save it for the account and queue the file again.

    :raises ActionRefused: when the mapping is incomplete or the file does not read with it.
    """
    data = definition(mapping)
    try:
        layout = layout_from_dict(data)
    except ValueError as exc:
        raise ActionRefused(str(exc)) from exc
    trial = ParseSettings(
        own_accounts=settings.own_accounts,
        own_names=settings.own_names,
        max_bytes=settings.max_bytes,
        layouts=(layout,),
    )
    # (not ``result, *_ = ...``: that would make ``_`` a local and hide gettext below)
    result = parse_bytes(bank_file.content, bank_file.original_name, trial)[0]
    if result.error or not result.transactions:
        raise ActionRefused(
            problem_text(result.error)
            if result.error
            else _("No transaction reads with this mapping.")
        )
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
    record(
        session,
        user,
        "bank_layout.saved",
        row,
        data={"file": bank_file.id, "account": mapping.our_account, "layout": data},
    )
    return row
