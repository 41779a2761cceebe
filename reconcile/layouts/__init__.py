"""Bank CSV/XLSX layouts described once, in a small JSON mapping file.

Most exports are read without any layout: the tabular parser finds the header row by its
column names (Chinese and English synonyms). A layout is needed when a bank's columns are
named unusually, when the file has no header row, or to pin a convention (date format, decimal
comma, which sign means money in). Example (abridged from ``revolut.json`` in this folder)::

    {
      "name": "Revolut",
      "match": ["Started Date", "Completed Date", "Description", "Amount", "State"],
      "columns": {"booking_date": "Completed Date", "value_date": "Started Date",
                  "amount": "Amount", "fee": "Fee", "currency": "Currency",
                  "description": "Description", "counterparty_name": "Description",
                  "balance": "Balance", "state": "State"},
      "sign": "normal",
      "skip_states": ["PENDING", "DECLINED", "REVERTED", "FAILED", "CANCELLED"]
    }

``columns`` maps a role to a header name, a 0-based column index (for files without a header)
or a list of them (their texts are joined with a space). The roles are listed in
:data:`ROLES`.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from ..errors import ParseError
from ..problems import problem

__all__ = ["ROLES", "TabularLayout", "builtin_layouts", "layout_from_dict", "load_layout"]

ColumnRef = str | int
Sign = Literal["auto", "normal", "inverted"]

ROLES: dict[str, str] = {
    "booking_date": "the date the bank booked the entry",
    "value_date": "the value date (or the date the payment was started)",
    "amount": "one signed amount column",
    "credit": "money in (收入, 贷方金额, Credit, Paid in)",
    "debit": "money out (支出, 借方金额, Debit, Paid out)",
    "direction": "a debit/credit indicator column (借/贷, D/C, DR/CR, Af/Bij)",
    "balance": "the running balance after the entry",
    "currency": "the entry's currency",
    "description": "the remittance text (摘要, 用途, 附言, Description); several are joined",
    "counterparty_name": "the other party's name",
    "counterparty_account": "the other party's account number",
    "counterparty_bank": "the other party's bank",
    "counterparty": "the other party's name and account in one cell (CMB's 对手信息)",
    "payer_name": "the payer's name, when both parties have columns (one of them is us)",
    "payer_account": "the payer's account, when both parties have columns",
    "payer_bank": "the payer's bank, when both parties have columns",
    "payee_name": "the payee's name, when both parties have columns",
    "payee_account": "the payee's account, when both parties have columns",
    "payee_bank": "the payee's bank, when both parties have columns",
    "bank_ref": "the bank's unique id for the entry (流水号, Transaction ID)",
    "our_account": "our own account number, when the export has a column for it",
    "state": "a status column (rows whose state is in skip_states are left out)",
    "fee": "a fee taken from the amount",
    "original_amount": "the amount in the original (foreign) currency",
    "original_currency": "the original (foreign) currency",
    "type": "the bank's transaction type, kept as raw data",
}


@dataclass(frozen=True, slots=True)
class TabularLayout:
    """How to read one bank's CSV/XLSX export."""

    name: str
    columns: Mapping[str, tuple[ColumnRef, ...]]
    """Role (see :data:`ROLES`) to the header names or 0-based indexes holding it."""
    match: tuple[str, ...] = ()
    """Header cells that must all be present for this layout to apply (default: the named
    columns)."""
    # which rows are entries
    has_header: bool = True
    skip_rows: int = 0
    """Rows before the header (or before the first data row without a header) to ignore."""
    footer_rows: int = 0
    """Rows at the end to ignore (totals)."""
    skip_states: tuple[str, ...] = ()
    """Values of the ``state`` column whose rows are no entries (``PENDING``, ``DECLINED``)."""
    # how a CSV export's text is read
    encoding: str | None = None
    """The text encoding (``gb18030``); None: detected."""
    delimiter: str | None = None
    """The separator; None: detected."""
    # how the dates read
    date_format: str | None = None
    """A ``strptime`` format such as ``%d/%m/%y``; None reads the usual formats."""
    dayfirst: bool | None = None
    """True: ``03/04/2024`` is 3 April; None: told by the file's dates."""
    # how the amounts read
    sign: Sign = "auto"
    """``normal``: a positive amount (or the credit column) is money in; ``inverted``: the
    opposite; ``auto``: normal unless only the inverted reading makes the balance add up."""
    decimal_comma: bool | None = None
    """True: amounts are written ``1.234,56``; None: told by the file's amounts."""
    currency: str | None = None
    """The currency of every row when the file names none."""
    extra: Mapping[str, Any] = field(default_factory=dict)
    """Keys of the JSON form that name none of these fields, kept as they were given."""

    def __post_init__(self) -> None:
        unknown = sorted(set(self.columns) - set(ROLES))
        if unknown:
            raise ValueError(
                f"layout {self.name!r}: unknown roles {unknown}; known: {sorted(ROLES)}"
            )
        if not any(r in self.columns for r in ("amount", "credit", "debit")):
            raise ValueError(f"layout {self.name!r}: needs an amount, credit or debit column")
        if "booking_date" not in self.columns:
            raise ValueError(f"layout {self.name!r}: needs a booking_date column")
        if self.sign not in ("auto", "normal", "inverted"):
            raise ValueError(f"layout {self.name!r}: sign must be auto, normal or inverted")
        if self.skip_rows < 0 or self.footer_rows < 0:
            raise ValueError(f"layout {self.name!r}: skip_rows and footer_rows must be >= 0")
        for role, refs in self.columns.items():
            for ref in refs:
                if self.has_header and not isinstance(ref, str):
                    raise ValueError(f"layout {self.name!r}: {role} must name a header column")
                if not self.has_header and (not isinstance(ref, int) or ref < 0):
                    raise ValueError(
                        f"layout {self.name!r}: without a header, {role} must be a column index"
                    )

    @property
    def required_headers(self) -> tuple[str, ...]:
        """The header cells that identify this layout."""
        if self.match:
            return self.match
        return tuple(ref for refs in self.columns.values() for ref in refs if isinstance(ref, str))


def layout_from_dict(data: Mapping[str, Any]) -> TabularLayout:
    """Build a layout from its JSON form.

    :raises ValueError: when the mapping is incomplete or names unknown roles.
    """
    if not isinstance(data, Mapping) or not isinstance(data.get("name"), str):
        raise ValueError("a layout is a JSON object with a name")
    raw_columns = data.get("columns")
    if not isinstance(raw_columns, Mapping):
        raise ValueError(f"layout {data['name']!r}: columns must be an object")
    columns: dict[str, tuple[ColumnRef, ...]] = {}
    for role, ref in raw_columns.items():
        refs = tuple(ref) if isinstance(ref, list) else (ref,)
        if not all(isinstance(r, str | int) and not isinstance(r, bool) for r in refs):
            raise ValueError(f"layout {data['name']!r}: {role} must be a name, index or list")
        columns[str(role)] = refs
    known = {f for f in TabularLayout.__dataclass_fields__ if f not in ("columns", "extra")}
    kwargs: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in data.items():
        if key == "columns":
            continue
        if key in known:
            kwargs[key] = tuple(value) if isinstance(value, list) else value
        else:
            extra[key] = value
    return TabularLayout(columns=columns, extra=extra, **kwargs)


def load_layout(source: str | Path | bytes) -> TabularLayout:
    """Read a layout from a JSON file path or JSON text.

    :raises ParseError: when the JSON is malformed or the layout incomplete.
    """
    try:
        if isinstance(source, Path):
            text = source.read_text(encoding="utf-8")
        elif isinstance(source, bytes):
            text = source.decode("utf-8")
        else:
            text = source
        return layout_from_dict(json.loads(text))
    except (ValueError, OSError) as exc:
        raise ParseError(problem("bad_layout", detail=exc)) from exc


@functools.cache
def builtin_layouts() -> tuple[TabularLayout, ...]:
    """Return the layouts shipped with Concord (the ``*.json`` files next to this module).

    Read once per process: every CSV/XLSX parse consults them.
    """
    found: list[TabularLayout] = []
    for entry in sorted(resources.files(__name__).iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json"):
            found.append(load_layout(entry.read_text(encoding="utf-8")))
    return tuple(found)
