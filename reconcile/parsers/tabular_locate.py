"""Finding the table in a CSV/XLSX export: the header row and which column holds what.

A layout mapping file names the headers (or, for files without one, the column numbers); without
one the header row is the row naming the most known columns (synonyms in :mod:`.tabular_layouts`),
and a file with no header at all has its columns told apart by their values (:mod:`.tabular_guess`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..errors import ParseError, UnknownLayout
from ..layouts import TabularLayout
from ..problems import Problem, problem
from ._common import reads_as_amount
from .tabular_guess import guess_columns, is_date
from .tabular_io import HEADER_SEARCH_ROWS, Row
from .tabular_layouts import HEADER_ROLES, header_role, normalise_header
from .tabular_masked import PLAIN_ACCOUNT_HEADERS

PREVIEW_ROWS = 12
"""Rows shown to a person mapping an unknown layout."""


@dataclass(slots=True)
class Table:
    """Where the header is and which columns hold which role (``"amount"`` -> ``[3]``)."""

    layout: TabularLayout | None
    header_index: int
    """Row index of the header; -1 when the file has none."""
    columns: dict[str, list[int]]
    header: Row = field(default_factory=list)
    guessed: bool = False
    """No header and no layout: the columns were told apart by their values."""


def locate(rows: list[Row], layouts: Sequence[TabularLayout], filename: str) -> Table:
    """Find the header row and map roles to column indexes (a layout first, then synonyms).

    :raises ParseError: when a layout matches the header but lacks its date or amount column.
    :raises UnknownLayout: when nothing fits, with the first rows as a preview for a person.
    """
    search = rows[:HEADER_SEARCH_ROWS]
    normalised = [[normalise_header(c) for c in row] for row in search]
    for layout in layouts:
        if not layout.has_header:
            continue
        wanted = [normalise_header(h) for h in layout.required_headers]
        start = layout.skip_rows
        for index in range(start, len(normalised)):
            cells = normalised[index]
            if all(w in cells for w in wanted):
                columns = {
                    role: [
                        cells.index(normalise_header(str(ref)))
                        for ref in refs
                        if normalise_header(str(ref)) in cells
                    ]
                    for role, refs in layout.columns.items()
                }
                columns = {role: idx for role, idx in columns.items() if idx}
                if "booking_date" not in columns or not any(
                    r in columns for r in ("amount", "credit", "debit")
                ):
                    found = ", ".join(repr(c) for c in rows[index] if c)
                    raise ParseError(
                        problem("layout_incomplete", layout=layout.name, columns=found),
                        file=filename,
                    )
                return Table(layout, index, columns, rows[index])
            if layout.skip_rows:
                break
    if (table := _by_synonyms(rows, search)) is not None:
        return table
    for layout in layouts:
        if not layout.has_header and _fits(rows[layout.skip_rows :], layout):
            columns = {role: [int(r) for r in refs] for role, refs in layout.columns.items()}
            return Table(layout, layout.skip_rows - 1, columns, [])
    guessed = guess_columns(rows)
    if guessed is not None:
        return Table(None, -1, guessed, [], guessed=True)
    preview = tuple(tuple(r) for r in rows[:PREVIEW_ROWS])
    raise UnknownLayout(_unknown_layout_message(search), file=filename, preview=preview)


def _by_synonyms(rows: list[Row], search: Sequence[Row]) -> Table | None:
    """The table whose header names the most roles (a date and an amount at least)."""
    best: tuple[int, int] | None = None
    best_columns: dict[str, list[int]] = {}
    for index, cells in enumerate(search):
        columns = _columns_by_synonym(cells)
        if not _has_date_and_amount(columns):
            continue
        score = sum(len(v) for v in columns.values())
        if best is None or score > best[0]:
            best, best_columns = (score, index), columns
    if best is None:
        return None
    index, header = best[1], rows[best[1]]
    if (merged := _with_sub_header(header, rows[index + 1 : index + 2])) is not None:
        index, header, best_columns = index + 1, merged, _columns_by_synonym(merged)
    if "booking_date" not in best_columns:
        best_columns["booking_date"] = best_columns.pop("value_date")
    return Table(None, index, best_columns, header)


def _with_sub_header(header: Row, below: Sequence[Row]) -> Row | None:
    """Return the header completed by the row under it when that row names sub-columns.

    Chinese statements head columns with one merged cell and name them in a second header
    row: 发生额 over 借方 and 贷方, 对方信息 (or 对方) over 账号, 户名 and 开户行. A sub-column is
    named by itself or together with the group over it (借方 + 发生额 is 借方发生额, 对方 + 账号 is
    对方账号, never our own 账号). The row below counts as part of the header when each of its
    cells names a column role and at least one sits under an empty header cell (the rest of
    a merged cell) or under a money column it splits; its names replace those above them.
    """
    if not below:
        return None
    sub = below[0]
    named = [(i, cell) for i, cell in enumerate(sub) if cell.strip()]
    names = {i: _sub_column_name(cell, _group_over(header, i)) for i, cell in named}
    if not named or None in names.values():
        return None
    under_group = [
        i
        for i, _ in named
        if i >= len(header)
        or not header[i].strip()
        or (header_role(header[i]) or ("", 0))[0] in ("amount", "credit", "debit")
    ]
    if not under_group:
        return None
    merged = list(header) + [""] * (len(sub) - len(header))
    for i, name in names.items():
        merged[i] = name or ""
    return merged if _has_date_and_amount(_columns_by_synonym(merged)) else None


def _group_over(header: Row, index: int) -> str:
    """The header cell over column ``index``: its own, or the merged cell's text left of it."""
    for cell in reversed(header[: index + 1]):
        if cell.strip():
            return cell.strip()
    return ""


# a group's label names what its columns are about: 对方信息 and 对方账户信息 are about 对方
_GROUP_SUFFIX = re.compile(r"(?:账户)?(?:信息|情况|资料)$")


def _sub_column_name(cell: str, group: str) -> str | None:
    """The name a sub-column goes by: with its group's label before or after it when that
    names a role (对方 + 户名, 借方 + 发生额), else its own when that does; None if neither."""
    if not normalise_header(cell):
        return None  # a rule of asterisks or dashes under the header names nothing
    stem = _GROUP_SUFFIX.sub("", group)
    candidates = [f"{g}{cell.strip()}" for g in dict.fromkeys((group, stem)) if g]
    candidates += [f"{cell.strip()}{g}" for g in dict.fromkeys((group, stem)) if g]
    named = next((c for c in candidates if normalise_header(c) in HEADER_ROLES), None)
    return named or (cell if header_role(cell) is not None else None)


def columns_by_synonym(cells: Sequence[str]) -> dict[str, list[int]]:
    """Role to column indexes, for the header cells named in words the parser knows."""
    return _columns_by_synonym(cells)


def names_date_and_amount(cells: Sequence[str]) -> bool:
    """Return True when the row could be a header: it names a date and an amount column."""
    return _has_date_and_amount(_columns_by_synonym(cells))


def _has_date_and_amount(columns: dict[str, list[int]]) -> bool:
    has_date = "booking_date" in columns or "value_date" in columns
    return has_date and any(r in columns for r in ("amount", "credit", "debit"))


def _columns_by_synonym(cells: Sequence[str]) -> dict[str, list[int]]:
    chosen: dict[str, tuple[int, int]] = {}
    descriptions: list[int] = []
    dates: list[tuple[int, int]] = []
    refs: list[tuple[int, int]] = []
    names: list[tuple[int, int]] = []
    accounts: list[int] = []
    for index, cell in enumerate(cells):
        found = header_role(cell) if cell else None
        if found is None:
            continue
        role, rank = found
        if role == "counterparty_account":
            accounts.append(index)
        if role == "description":
            descriptions.append(index)
            continue
        if role == "bank_ref":
            refs.append((rank, index))
        if role == "counterparty_name":
            names.append((rank, index))
        if role == "booking_date":
            dates.append((rank, index))
        if role not in chosen or rank < chosen[role][0]:
            chosen[role] = (rank, index)
    columns = {role: [index] for role, (_, index) in chosen.items()}
    _plain_account_as_ours(cells, accounts, columns)
    if descriptions:
        columns["description"] = descriptions
    if refs:
        # ICBC's corporate download prints 凭证号 empty beside its 电子回单号: each row's
        # reference is the first of them it fills, in order of preference
        columns["bank_ref"] = [index for _, index in sorted(refs)]
    if names:
        # bunq's Counterparty holds the other party's IBAN or nothing, its Name the name: each
        # row's name is the first of them that names someone, in order of preference
        columns["counterparty_name"] = [index for _, index in sorted(names)]
    _value_as_value_date(cells, columns)
    _currency_beside_amount(cells, columns)
    _buchungstext_as_text(cells, columns)
    if "fee" in columns and _is_net(cells, columns):
        del columns["fee"]  # already taken off the net amount
    if len(dates) > 1:
        # card statements leave 交易日 blank on repayments and fees: 记账日 dates those rows
        columns["other_date"] = [sorted(dates)[1][1]]
    return columns


def _plain_account_as_ours(
    cells: Sequence[str], accounts: Sequence[int], columns: dict[str, list[int]]
) -> None:
    """Read a column headed only ``Account`` (or ``IBAN``) as ours when another names the
    other party's account: SEB Estonia's ``Account;…;Beneficiary's account``."""
    plain = [i for i in accounts if normalise_header(cells[i]) in PLAIN_ACCOUNT_HEADERS]
    other = [i for i in accounts if i not in plain]
    if len(plain) != 1 or not other or "our_account" in columns:
        return
    columns["our_account"] = plain
    columns["counterparty_account"] = [min(other, key=lambda i: _rank(cells[i]))]


def _rank(cell: str) -> int:
    found = header_role(cell)
    return found[1] if found is not None else len(HEADER_ROLES)


def _value_as_value_date(cells: Sequence[str], columns: dict[str, list[int]]) -> None:
    """Read a column headed ``Value`` as the value date when credit and debit columns hold
    the money: NatWest's ``Value`` is its signed amount, but PostFinance's English export
    (``Booking date;Notification text;Credit in CHF;Debit in CHF;Value;Balance in CHF``)
    dates the entry's value there."""
    amount = columns.get("amount", [])
    if not amount or "credit" not in columns or "debit" not in columns:
        return
    if normalise_header(cells[amount[0]]) == "value" and "value_date" not in columns:
        columns["value_date"] = columns.pop("amount")


def _currency_beside_amount(cells: Sequence[str], columns: dict[str, list[int]]) -> None:
    """Take the currency column right of the amount when the header has more than one.

    ING Germany prints ``Saldo;Währung;Betrag;Währung``: each currency follows its figure, so
    the first names the balance's currency, the second the entry's.
    """
    amount = columns.get("amount", [])
    if not amount or "currency" not in columns:
        return
    beside = amount[0] + 1
    if beside < len(cells) and beside != columns["currency"][0]:
        found = header_role(cells[beside]) if cells[beside] else None
        if found is not None and found[0] == "currency":
            columns["currency"] = [beside]


def _buchungstext_as_text(cells: Sequence[str], columns: dict[str, list[int]]) -> None:
    """Read ``Buchungstext`` as the entry's text when no other column holds it.

    DKB, ING and the savings banks print the kind of entry there (Lastschrift, Gutschrift) next
    to a ``Verwendungszweck``; Comdirect (``Vorgang;Buchungstext``) and Commerzbank write the
    whole text of the entry in it: payer, purpose and references.
    """
    kind = columns.get("type", [])
    if "description" in columns or not kind:
        return
    if normalise_header(cells[kind[0]]) == "buchungstext":
        columns["description"] = columns.pop("type")


def _is_net(cells: Sequence[str], columns: dict[str, list[int]]) -> bool:
    """True when the amount column is a net one (PayPal's and Stripe's Net, PayPal's German
    Netto and Spanish Neto), fees taken off."""
    amount = columns.get("amount", [])
    return bool(amount) and normalise_header(cells[amount[0]]) in _NET


_NET = frozenset({"net", "netamount", "netto", "neto"})


def _fits(rows: Sequence[Row], layout: TabularLayout) -> bool:
    widest = max((int(r) for refs in layout.columns.values() for r in refs), default=0)
    data = [r for r in rows if any(r)]
    return bool(data) and all(len(r) > widest for r in data[:20])


def _unknown_layout_message(rows: Sequence[Row]) -> Problem:
    candidates = [r for r in rows if sum(1 for c in r if c) >= 2]
    found = max(candidates, key=lambda r: sum(1 for c in r if c), default=[])
    listed = ", ".join(repr(c) for c in found[:40] if c)
    if not listed:
        return problem("unknown_layout_no_columns")
    if _holds_values(found):
        # a row of values where a header should be: the file has none
        return problem("unknown_layout_headerless", columns=listed)
    return problem("unknown_layout", columns=listed)


def _holds_values(row: Sequence[str]) -> bool:
    """True for a row holding a date and an amount, as no header row does."""
    cells = [c.strip() for c in row if c.strip()]
    dates = [c for c in cells if is_date(c)]
    return bool(dates) and any(reads_as_amount(c) for c in cells if c not in dates)


# --------------------------------------------------------------------------------------------


def currency_headed_valuta(table: Table, body: Sequence[Row]) -> None:
    """Read a ``Valuta`` column of currency codes as the currency, not the value date.

    ``Valuta`` is the value date in German, Dutch and Italian exports but the currency in
    Swedish, Danish and Norwegian ones (Swedbank's ``Valuta`` beside ``Valutadag``, Nordea's
    ``...;Saldo;Valuta``): the cells tell which.
    """
    from .tabular_values import currency_of

    dates = table.columns.get("value_date", [])
    if len(dates) != 1 or "currency" in table.columns:
        return
    index = dates[0]
    values = [r[index].strip() for r in body[:20] if index < len(r) and r[index].strip()]
    if not values or not all(currency_of(v) for v in values):
        return
    table.columns["currency"] = table.columns.pop("value_date")
    others = [
        (found[1], i)
        for i, cell in enumerate(table.header)
        if i != index
        and (found := header_role(cell) if cell else None)
        and found[0] == "value_date"
    ]
    if others:
        table.columns["value_date"] = [min(others)[1]]


def add_unnamed_mark_column(table: Table, body: Sequence[Row]) -> None:
    """Give the direction role to a column that holds only debit/credit flags.

    Card exports (John Lewis Partnership, other UK issuers) print an unsigned amount and ``CR``
    in an unnamed column after it on credits; without the column every charge read as money in.
    Chinese banks head their flag column in words no list foresees (收支标志 is known, 记账方向
    or 交易性质 are not) or put the flags in the transaction type column (Ping An's 交易类型:
    转入/转出): a column of unknown or type role whose every row holds a flag (借/贷, 收入/支出,
    转入/转出, 来账/往账, D/C, Dr/Cr) is the direction when the amounts carry no sign.
    """
    from .tabular_values import direction_of_mark

    if table.guessed or "direction" in table.columns or "amount" not in table.columns:
        return
    # a named column must flag every dated row (totals below the table have no flag), and only
    # beside a single unsigned amount
    dates = table.columns.get("booking_date", [])
    dated = [r for r in body if any(i < len(r) and any(c.isdigit() for c in r[i]) for i in dates)]
    named_ok = not _signed(body, table.columns["amount"]) and not (
        "credit" in table.columns or "debit" in table.columns
    )
    width = max((len(r) for r in body), default=0)
    used = {i for role, idx in table.columns.items() if role != "type" for i in idx}
    for index in range(width):
        if index in used:
            continue
        named = index < len(table.header) and bool(table.header[index].strip())
        values = [r[index].strip() for r in body if index < len(r) and r[index].strip()]
        if not values or not all(direction_of_mark(v) is not None for v in values):
            continue
        if named and not (named_ok and all(index < len(r) and r[index].strip() for r in dated)):
            continue
        table.columns["direction"] = [index]
        if table.columns.get("type") == [index]:
            del table.columns["type"]
        return


def _signed(body: Sequence[Row], amount: Sequence[int]) -> bool:
    """True when an amount cell of the rows carries a sign (``-12.00``, ``(12.00)``)."""
    for row in body:
        for index in amount:
            cell = row[index].strip() if index < len(row) else ""
            if cell.startswith(("-", "(", "+")) or cell.endswith("-"):
                return True
    return False
