"""Columns of a CSV/XLS export without a header row, told apart by their values.

A file without a header names no column, so each column is judged by what it holds: dates, amounts
(with placeholders), a debit/credit indicator, long digit strings (accounts), unique codes (bank
references) or text. The guess is taken only when the amounts can be checked: a debit and a
credit column that never both hold an amount, a direction column, or a balance column that the
amounts chain through; or when one column alone holds money, with its cents and both signs.
Anything less certain is left to the user's layout mapping.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..errors import ParseError
from ..normalize import parse_amount, parse_date
from ._common import reads_as_amount
from .tabular_words import KNOWN_CURRENCIES

Row = list[str]

_PLACEHOLDER = re.compile(r"^(?:-{1,3}|—{1,2}|–|/|n/?a|无)?$", re.IGNORECASE)
_DIGITS_ID = re.compile(r"^\d{9,}$")
_CODE = re.compile(r"^(?=.*\d)[A-Za-z0-9\-_/]{6,}$")


@dataclass(frozen=True, slots=True)
class _Column:
    index: int
    dates: float
    amounts: float
    placeholders: float
    marks: float
    ids: float
    codes: float
    unique: float
    length: float


#: rows a guess judges the columns by (the first ones holding two cells or more)
_SAMPLE = 200


def guess_columns(rows: Sequence[Row]) -> dict[str, list[int]] | None:
    """Return role to column indexes for a headerless table, or None when not certain.

    :param rows: the data rows (no header), in file order.
    """
    data = [r for r in rows if sum(1 for c in r if c.strip()) >= 2][:_SAMPLE]
    if len(data) < 2:
        return None
    width = max(len(r) for r in data)
    columns = [_profile([r[i] if i < len(r) else "" for r in data], i) for i in range(width)]
    dates = [c for c in columns if c.dates >= 0.9]
    if not dates:
        return None
    numeric = [
        c
        for c in columns
        if c not in dates and c.amounts + c.placeholders >= 0.95 and c.amounts > 0 and c.ids < 0.5
    ]
    marks = [c for c in columns if c.marks >= 0.95 and c not in numeric]
    roles: dict[str, list[int]] = {"booking_date": [dates[0].index]}
    if len(dates) > 1:
        roles["value_date"] = [dates[1].index]
    amounts = _amount_roles(data, numeric, marks)
    if amounts is None:
        return None
    roles.update(amounts)
    used = {i for idx in roles.values() for i in idx}
    _text_roles(data, columns, used, roles)
    return roles


def _profile(cells: list[str], index: int) -> _Column:
    from .tabular_values import direction_of_mark

    filled = [unicodedata.normalize("NFKC", c).strip() for c in cells]
    n = len(filled)
    values = [c for c in filled if c]
    dates = amounts = placeholders = marks = ids = codes = 0
    for cell in filled:
        if _PLACEHOLDER.match(cell):
            placeholders += 1
            continue
        if _DIGITS_ID.match(cell.replace(" ", "")):
            ids += 1
        elif is_date(cell):
            dates += 1
            continue
        if reads_as_amount(cell) and not _DIGITS_ID.match(cell.replace(" ", "")):
            amounts += 1
        elif direction_of_mark(cell) is not None:
            marks += 1
        if _CODE.match(cell):
            codes += 1
    return _Column(
        index=index,
        dates=dates / n,
        amounts=amounts / n,
        placeholders=placeholders / n,
        marks=(marks + placeholders) / n if marks else 0.0,
        ids=ids / max(len(values), 1),
        codes=codes / max(len(values), 1),
        unique=len(set(values)) / max(len(values), 1),
        length=sum(len(v) for v in values) / max(len(values), 1),
    )


def is_date(text: str) -> bool:
    if not re.search(r"\d", text) or len(text) > 30:
        return False
    try:
        parse_date(text)
    except ParseError:
        return False
    return True


def _values(data: Sequence[Row], index: int) -> list[Decimal | None]:
    out: list[Decimal | None] = []
    for row in data:
        cell = row[index].strip() if index < len(row) else ""
        try:
            out.append(None if _PLACEHOLDER.match(cell) else parse_amount(cell))
        except ParseError:
            out.append(None)
    return out


def _chains(amounts: list[Decimal], balances: list[Decimal | None]) -> bool:
    """True when most rows' balance moves by the row's amount (either order, either sign)."""
    pairs = list(itertools.pairwise(range(len(amounts))))
    if not pairs:
        return False
    best = 0
    for sign in (1, -1):
        asc = desc = 0
        for a, b in pairs:
            before, after = balances[a], balances[b]
            if before is None or after is None:
                continue
            asc += after - before == sign * amounts[b]
            desc += before - after == sign * amounts[a]
        best = max(best, asc, desc)
    return best >= 0.8 * len(pairs)


def _amount_roles(
    data: Sequence[Row], numeric: list[_Column], marks: list[_Column]
) -> dict[str, list[int]] | None:
    """Pick amount (+ direction), or debit/credit, and balance among the numeric columns."""
    values = {c.index: _values(data, c.index) for c in numeric}
    # two columns that never both hold an amount: debit then credit (the usual order)
    for first, second in itertools.combinations(numeric, 2):
        a, b = values[first.index], values[second.index]
        exclusive = all(
            (x is None or x == 0) or (y is None or y == 0) for x, y in zip(a, b, strict=True)
        )
        if exclusive and any(x for x in a) and any(y for y in b):
            roles = {"debit": [first.index], "credit": [second.index]}
            signed = [(y or Decimal(0)) - (x or Decimal(0)) for x, y in zip(a, b, strict=True)]
            for other in numeric:
                if other not in (first, second) and _chains(signed, values[other.index]):
                    roles["balance"] = [other.index]
            return roles
    for candidate in numeric:
        amounts = [v if v is not None else Decimal(0) for v in values[candidate.index]]
        if marks:
            amounts = _by_marks(data, marks[0].index, amounts)
        for other in numeric:
            if other is not candidate and _chains(amounts, values[other.index]):
                roles = {"amount": [candidate.index], "balance": [other.index]}
                if marks:
                    roles["direction"] = [marks[0].index]
                return roles
    if len(numeric) == 1 and marks:
        return {"amount": [numeric[0].index], "direction": [marks[0].index]}
    if len(numeric) == 1 and _signed_money(values[numeric[0].index], data, numeric[0].index):
        return {"amount": [numeric[0].index]}
    return None


_CENTS = re.compile(r"\d[.,]\d{2}$")


def _signed_money(values: list[Decimal | None], data: Sequence[Row], index: int) -> bool:
    """True for the one column of money in a file with nothing to check it by: written with
    its cents and signed both ways (HSBC UK's ``date,text,amount``, easybank's and Raiffeisen's
    ELBA exports: ``-0,42``, ``+1,23``). A count, a quantity or a code has no cents and no
    minus; an account's export has money going in and out."""
    cells = [row[index].strip() for row in data if index < len(row) and row[index].strip()]
    cents = sum(1 for cell in cells if _CENTS.search(cell.rstrip("-+ ")))
    signs = {v > 0 for v in values if v}
    return bool(cells) and cents >= 0.9 * len(cells) and signs == {True, False}


def _by_marks(data: Sequence[Row], index: int, amounts: list[Decimal]) -> list[Decimal]:
    """Sign unsigned amounts by the row's debit/credit flag (Triodos: ``12,30`` ``Debet``), so
    that the balance chain can check them; a row without a flag keeps its amount as written."""
    from .tabular_values import direction_of_mark

    out = []
    for row, amount in zip(data, amounts, strict=True):
        side = direction_of_mark(row[index].strip()) if index < len(row) else None
        out.append(-abs(amount) if side == "debit" else abs(amount) if side else amount)
    return out


def _text_roles(
    data: Sequence[Row], columns: list[_Column], used: set[int], roles: dict[str, list[int]]
) -> None:
    """Name the other columns: references, accounts, the payer and the remittance text."""
    rest = [c for c in columns if c.index not in used and c.length > 0]
    codes = [c for c in rest if _share(data, c.index, _is_currency) >= 0.95]
    if codes:
        # ASN Bank: "EUR" beside the balance and beside the amount
        roles["currency"] = [codes[0].index]
        rest = [c for c in rest if c not in codes]
    ibans = [c for c in rest if _share(data, c.index, _IBAN.match) >= 0.8]
    for column in ibans:
        # one export covers one account: an IBAN column that never changes is ours
        distinct = {r[column.index].strip() for r in data if column.index < len(r)}
        role = "our_account" if len(distinct) == 1 else "counterparty_account"
        roles.setdefault(role, [column.index])
    rest = [c for c in rest if c not in ibans]
    refs = [c for c in rest if c.codes >= 0.9 and c.unique >= 0.95 and c.ids < 0.9]
    if refs:
        roles["bank_ref"] = [refs[0].index]
    accounts = [c for c in rest if c.ids >= 0.8 and c not in refs]
    if accounts:
        roles.setdefault("counterparty_account", [accounts[0].index])
    texts = [
        c for c in rest if c not in refs and c not in accounts and c.amounts < 0.5 and c.dates < 0.5
    ]
    named = sorted(texts, key=lambda c: _name_share(data, c.index), reverse=True)
    beside = _beside_account(data, texts, roles.get("counterparty_account", []))
    if len(texts) >= 2 and _name_share(data, named[0].index) >= 0.5:
        roles["counterparty_name"] = [named[0].index]
        texts.remove(named[0])
    elif len(texts) >= 2 and beside is not None:
        roles["counterparty_name"] = [beside.index]
        texts.remove(beside)
    if texts:
        roles["description"] = [max(texts, key=lambda c: c.length).index]


def _beside_account(
    data: Sequence[Row], texts: list[_Column], account: list[int]
) -> _Column | None:
    """The text column next to the other party's IBAN that is filled on the same rows: the
    party's name (ASN Bank: IBAN then name; Triodos: name then IBAN), whatever it looks like."""
    if len(account) != 1:
        return None
    filled = [bool(r[account[0]].strip()) if account[0] < len(r) else False for r in data]
    for column in texts:
        if abs(column.index - account[0]) != 1:
            continue
        cells = [bool(r[column.index].strip()) if column.index < len(r) else False for r in data]
        if any(cells) and cells == filled:
            return column
    return None


_IBAN = re.compile(r"^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$")


def _is_currency(cell: str) -> bool:
    return cell in KNOWN_CURRENCIES


def _share(data: Sequence[Row], index: int, test: Callable[[str], object]) -> float:
    """Share of the column's filled cells that pass ``test`` (0 for an empty column)."""
    cells = [r[index].strip() for r in data if index < len(r) and r[index].strip()]
    return sum(1 for c in cells if test(c)) / len(cells) if cells else 0.0


_NAME = re.compile(
    r"(?:公司|有限|集团|厂|店|中心|事务所|银行)$|^[\u4e00-\u9fff·]{2,4}$"
    r"|\b(?:LTD|LIMITED|CO|CORP|INC|LLC|GMBH|BV|AG|SA|PLC|COMPANY)\b\.?"
    r"|^[A-Z][A-Za-z'\-]+(?: [A-Z][A-Za-z'\-.]+){1,3}$",
    re.IGNORECASE,
)


def _name_share(data: Sequence[Row], index: int) -> float:
    """Share of the column's cells that look like a company's or a person's name."""
    cells = [r[index].strip() for r in data if index < len(r) and r[index].strip()]
    if not cells:
        return 0.0
    return sum(1 for c in cells if _NAME.search(c) and not re.search(r"\d{3}", c)) / len(cells)
