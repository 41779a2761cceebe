"""Whether a bank file's balances add up: opening balance + credits - debits = closing balance.

A statement that states both ends (camt ``OPBD``/``PRCD`` and ``CLBD``, MT940 ``:60F:`` and
``:62F:``, BAI2 010 and 015) or a running balance on every row (a CSV, XLS or PDF export) carries
its own proof that no entry was lost, counted twice or read the wrong way round. A file that
fails it was cut short (a truncated download, a page missing from a PDF), or an amount or sign
was misread. The file is still read as it is: each check only returns a warning (a
:class:`~reconcile.problems.Problem` naming the place, the figures and the difference) for the
upload to show beside the file. Amounts are compared exactly, as :class:`~decimal.Decimal`.

The readers decide which entries count and which balances chain (only booked entries count
towards a booked balance; an available balance moves by value date and is never checked); the
arithmetic and the warnings are here, once for every format.

OFX and OFC files state only a closing (``LEDGERBAL``) balance, no opening one: nothing there
can be checked.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .currency import amount_text
from .model import Balance, StatementInfo, Transaction
from .problems import Problem, problem

__all__ = [
    "Ends",
    "EntryTotals",
    "RunningRow",
    "carry_over_problem",
    "check_statements",
    "control_total_problem",
    "ends_problem",
    "entry_totals_problem",
    "record_count_problem",
    "running_balance_problem",
    "signed",
    "statement_place",
]

_Figures = Mapping[str, Decimal | str | int]
"""The values of a balance warning by name, amounts as :class:`~decimal.Decimal`."""


def signed(tx: Transaction) -> Decimal:
    """The entry's amount as it moves the balance: positive for a credit, negative for a debit."""
    return tx.amount if tx.direction == "credit" else -tx.amount


def statement_place(number: int, statement_id: str | None, account: str | None) -> Problem:
    """The statement as a balance warning names it: its number in the file, its id and its
    account (``statement 2 (STMT-0412, account NL91ABNA0417164300)``) when it states them."""
    if account:
        return problem(
            "at_statement_account", statement=number, id=statement_id or "-", account=account
        )
    return problem("at_statement", statement=number)


@dataclass(frozen=True, slots=True)
class Ends:
    """The two balances a statement states, each with the code the bank wrote it under."""

    opening: Decimal
    closing: Decimal
    opening_code: str
    """``OPBD``, ``PRCD``, ``60F``, ``60M``, ``010``..."""
    closing_code: str
    """``CLBD``, ``62F``, ``62M``, ``015``..."""
    currency: str


def ends_problem(ends: Ends, movements: Iterable[Decimal], where: str) -> Problem | None:
    """Return a warning when ``ends.opening`` plus ``movements`` is not ``ends.closing``.

    :param movements: the signed amounts of the entries that move this balance
        (:func:`signed`).
    :param where: the statement's place in the file (a coded location).
    """
    movement = sum(movements, Decimal(0))
    expected = ends.opening + movement
    if expected == ends.closing:
        return None
    figures: _Figures = {
        "opening_code": ends.opening_code,
        "opening": ends.opening,
        "movement": _plus(movement, ends.currency),
        "expected": expected,
        "closing_code": ends.closing_code,
        "closing": ends.closing,
    }
    return _amounts_problem(
        "balance_mismatch", figures, ends.currency, ends.closing - expected, where
    )


def carry_over_problem(before: Balance, after: Balance, where: str) -> Problem | None:
    """Return a warning when the part of a statement that opens at ``after`` (MT940
    ``:60M:``) does not open at the balance ``before`` the previous part closed at (``:62M:``)."""
    if before.amount == after.amount:
        return None
    figures: _Figures = {
        "closing_code": before.type,
        "closing": before.amount,
        "opening_code": after.type,
        "opening": after.amount,
    }
    difference = after.amount - before.amount
    return _amounts_problem("balance_carry_over", figures, after.currency, difference, where)


def check_statements(
    parts: Iterable[tuple[StatementInfo, Sequence[Transaction], str]],
    *,
    opening_codes: tuple[str, ...],
    closing_codes: tuple[str, ...],
    carried: tuple[str, str] | None = None,
) -> None:
    """Add a warning to the ``raw["warnings"]`` of each statement whose entries do not lead from
    its opening to its closing balance, and of each part that does not open where the previous
    part of the same account closed.

    :param parts: each statement in file order, with all its entries (every one booked) and
        its place in the file.
    :param opening_codes: the balance types that open a statement, the first found counting
        (``60F``, ``60M``).
    :param closing_codes: those that close it.
    :param carried: the closing and the opening type that mark a statement continued in the
        next part (``("62M", "60M")``): the one must carry over into the other.
    """
    last_closing: dict[tuple[str | None, str], Balance | None] = {}
    for info, txs, where in parts:
        opening = pick_balance(info.balances, opening_codes)
        closing = pick_balance(info.balances, closing_codes)
        found: list[Problem | None] = []
        if opening is not None and closing is not None and opening.currency == closing.currency:
            ends = Ends(
                opening.amount, closing.amount, opening.type, closing.type, closing.currency
            )
            found.append(ends_problem(ends, (signed(tx) for tx in txs), where))
        if opening is not None and carried is not None:
            before = last_closing.get((info.account, opening.currency))
            if before is not None and (before.type, opening.type) == carried:
                found.append(carry_over_problem(before, opening, where))
        if closing is not None:
            last_closing[(info.account, closing.currency)] = closing
        warnings = [p for p in found if p is not None]
        if warnings:
            info.raw["warnings"] = [*info.raw.get("warnings", []), *warnings]


def pick_balance(balances: Sequence[Balance], codes: tuple[str, ...]) -> Balance | None:
    """The first of ``balances`` whose code comes first in ``codes`` (None: none of them)."""
    return next((b for code in codes for b in balances if b.type == code), None)


@dataclass(frozen=True, slots=True)
class RunningRow:
    """One row of an export with a running balance, in the order the money moved."""

    where: str
    """The row's place in the file (a coded location)."""
    amount: Decimal
    """Signed: positive = money in."""
    balance: Decimal | None
    """The balance after the row's entry; None where the row prints none."""
    day: dt.date | None = None
    """The row's booking date: rows of one day may stand in another order than they were
    booked in (an export sorted by date only)."""


@dataclass(slots=True)
class _Break:
    """Where a day's rows, read in their order, stop following from the balance before."""

    row: RunningRow
    before: Decimal
    movement: Decimal


def running_balance_problem(rows: Iterable[RunningRow], currency: str) -> Problem | None:
    """Return a warning naming the first row whose balance is not the balance before it plus
    its amount (and the amounts of the rows since the last balance printed), else None.

    Rows of one day that do not chain in the order they stand are accepted when the day as a
    whole does: the balance the day began with plus all its amounts is one of the balances
    the day prints (the bank listed the day's entries in another order than it booked them).
    A row lost, counted twice or read the wrong way round moves that sum, and every balance
    after it, so the day still fails.

    :param rows: one account's rows in one currency, oldest first.
    """
    close: Decimal | None = None
    for _, same_day in itertools.groupby(rows, key=lambda r: r.day):
        day = list(same_day)
        close, broken = _day(close, day)
        if broken is not None:
            return _running_problem(broken, currency)
    return None


def _day(before: Decimal | None, day: list[RunningRow]) -> tuple[Decimal | None, _Break | None]:
    """The balance one day ends with, or where it breaks (``before``: where it began)."""
    close, broken = _chain(before, day)
    if broken is None:
        return close, None
    total = sum((r.amount for r in day), Decimal(0))
    printed = {r.balance for r in day if r.balance is not None}
    # the day's first entry, whichever row it stands in, began where the day began
    starts = (
        {before}
        if before is not None
        else {r.balance - r.amount for r in day if r.balance is not None}
    )
    ends = [s + total for s in starts if s is not None and s + total in printed]
    return (ends[0], None) if ends else (close, broken)


def _chain(before: Decimal | None, rows: list[RunningRow]) -> tuple[Decimal | None, _Break | None]:
    """Follow the balance row by row: the balance after the last row, or the first break."""
    movement = Decimal(0)
    for row in rows:
        movement += row.amount
        if row.balance is None:
            continue
        if before is not None and before + movement != row.balance:
            return before, _Break(row, before, movement)
        before, movement = row.balance, Decimal(0)
    return (None if before is None else before + movement), None


def _running_problem(broken: _Break, currency: str) -> Problem:
    expected = broken.before + broken.movement
    balance = broken.row.balance
    assert balance is not None
    figures: _Figures = {
        "before": broken.before,
        "movement": _plus(broken.movement, currency),
        "expected": expected,
        "balance": balance,
    }
    return _amounts_problem(
        "running_balance_mismatch", figures, currency, balance - expected, broken.row.where
    )


def control_total_problem(record: str, stated: int, computed: int, where: str) -> Problem | None:
    """Return a warning when a trailer's control total (BAI2 49, 98, 99: a sum of amounts in
    minor units, as written) is not the sum of the amounts it covers.

    :param record: the trailer's record code.
    """
    if stated == computed:
        return None
    return Problem(
        "control_total_mismatch",
        {
            "record": record,
            "stated": stated,
            "computed": computed,
            "difference": f"{stated - computed:+d}",
        },
        None,
        where,
    )


def record_count_problem(record: str, stated: int, counted: int, where: str) -> Problem:
    """The warning for a trailer whose record count (BAI2 49, 98, 99) is not the number of
    records it covers.

    :param record: the trailer's record code.
    """
    return Problem(
        "record_count_mismatch",
        {
            "record": record,
            "stated": stated,
            "counted": counted,
            "difference": f"{stated - counted:+d}",
        },
        None,
        where,
    )


@dataclass(frozen=True, slots=True)
class EntryTotals:
    """What a report states about its entries of one side: MT942 ``:90D:`` (debits) or
    ``:90C:`` (credits), a number of entries and their sum."""

    tag: str
    """``90D`` or ``90C``."""
    count: int
    total: Decimal
    currency: str


def entry_totals_problem(
    stated: EntryTotals, amounts: Sequence[Decimal], where: str
) -> Problem | None:
    """Return a warning when the entries of one side are not as many, or do not sum to as
    much, as the report states (``stated``), else None.

    :param amounts: the amounts (unsigned) of the report's entries of that side.
    """
    total = sum(amounts, Decimal(0))
    if len(amounts) == stated.count and total == stated.total:
        return None
    figures: _Figures = {
        "tag": stated.tag,
        "stated_count": stated.count,
        "stated_total": stated.total,
        "count": len(amounts),
        "total": total,
    }
    difference = total - stated.total
    return _amounts_problem("entry_totals_mismatch", figures, stated.currency, difference, where)


def _amounts_problem(
    code: str,
    figures: _Figures,
    currency: str,
    difference: Decimal,
    where: str | None,
) -> Problem:
    """The warning ``code`` about amounts of one currency: ``figures`` in their order (each
    :class:`~decimal.Decimal` written as an amount in ``currency``, any other value as it is),
    then the currency and the ``difference`` with its sign."""
    params: dict[str, str | int] = {
        key: amount_text(value, currency) if isinstance(value, Decimal) else value
        for key, value in figures.items()
    }
    params["currency"] = currency
    params["difference"] = _plus(difference, currency)
    return Problem(code, params, None, where)


def _plus(amount: Decimal, currency: str) -> str:
    """``amount`` with its sign always written (``+12.50``, ``-3.00``)."""
    text = amount_text(amount, currency)
    return text if text.startswith("-") else f"+{text}"
