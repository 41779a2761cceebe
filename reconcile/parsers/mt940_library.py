"""One MT940 statement through the ``mt-940`` library: the checks it runs while it parses, and
the entries it cannot read left out.

The library reads the tags; the processors given to it here read a date that is no calendar
date as the nearest one that is (the month's last day, else the statement's date), naming the
statement and the entry or balance, read a balance written without its currency, and keep every
``:86:`` text as written. When the library fails on a statement, each entry is tried alone and
those that fail are left out (:func:`parse_leaving_out`); :mod:`.mt940` turns what the library
read into Concord's model.
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
import re
from collections.abc import Callable
from typing import Any

import mt940
import mt940.models
import mt940.processors
import mt940.tags

from ..errors import LimitExceeded, ParseError
from ..problems import Problem, problem
from ._common import LeftOut
from .mt940_text import split_entries

# The library logs every pattern that does not match at ERROR, with the pattern's source, before
# it raises; the parser turns that into one ParseError naming the statement and the field, so
# the library's own lines would only repeat it as noise on stderr and in the server log.
logging.getLogger("mt940").setLevel(logging.CRITICAL)

BALANCE_TAGS = (
    ("final_opening_balance", "60F"),
    ("intermediate_opening_balance", "60M"),
    ("opening_balance", "60"),
    ("final_closing_balance", "62F"),
    ("intermediate_closing_balance", "62M"),
    ("closing_balance", "62"),
    ("available_balance", "64"),
    ("forward_available_balance", "65"),
)
"""The library's name of each balance a statement may hold, and its SWIFT tag."""


def parse_leaving_out(
    block: str, number: int, filename: str, warnings: list[str], left_out: LeftOut
) -> tuple[mt940.models.Transactions, list[int]]:
    """Parse one statement; an entry the library cannot read is left out, the rest kept.

    When the statement fails as a whole, each entry is tried alone after the statement's
    header: those that fail are left out (noted in ``left_out``, with their place in the
    statement), and the statement is read again without them. When no entry fails alone, the
    statement's own lines are broken and the first error stands.

    :param warnings: receives the warnings of the balance checks.
    :return: the parsed statement and the 0-based places of the entries it holds.
    :raises ParseError: when the statement's own lines, not one of its entries, are unreadable.
    """
    head, entries, tail = split_entries(block)
    try:
        attempt: list[str] = []
        parsed = _parse_block(block, number, filename, attempt)
    except LimitExceeded:
        raise
    except ParseError:
        failed = {i: e for i, entry in enumerate(entries) if (e := _fails(head + entry, number))}
        if not failed:
            raise
        for i, error in failed.items():
            reason = error.problem or problem("mt940_unreadable", detail=error.reason)
            location = problem("at_statement_entry", statement=number, entry=i + 1)
            if "entry" in reason.params:  # it names the entry, as 1 when tried alone
                reason = Problem(reason.code, {**reason.params, "entry": i + 1})
                location = _where(block, number)
            left_out.entry(ParseError(reason, file=filename, location=location))
        kept = [i for i in range(len(entries)) if i not in failed]
        attempt = []
        parsed = _parse_block(
            head + "".join(entries[i] for i in kept) + tail, number, filename, attempt
        )
        warnings.extend(attempt)
        return parsed, kept
    warnings.extend(attempt)
    return parsed, list(range(len(entries)))


def _where(block: str, number: int) -> Problem:
    """The statement as errors name it: its number and, when it has one, its ``:20:``."""
    ref_match = re.match(r":20:(.*)", block)
    if ref_match:
        return problem("at_statement_ref", statement=number, ref=ref_match.group(1).strip())
    return problem("at_statement", statement=number)


def _fails(block: str, number: int) -> ParseError | None:
    try:
        _parse_block(block, number, "", [])
    except ParseError as exc:
        return exc
    return None


def _parse_block(
    block: str, number: int, filename: str, warnings: list[str] | None = None
) -> mt940.models.Transactions:
    """Parse one statement with the library; balance warnings are appended to ``warnings``."""
    where = _where(block, number)
    found: list[str] = [] if warnings is None else warnings
    processors: dict[str, list[Callable[..., dict[str, Any]]]] = {
        "pre_statement": [
            _date_check(where, number, block, found),
            mt940.processors.date_fixup_pre_processor,
        ],
        "pre_transaction_details": [_line_ends],
        "post_transaction_details": [
            _keep_details,
            mt940.processors.transaction_details_post_processor,
        ],
    }
    balance_check = _balance_check(number, where, found)
    for slug, _code in BALANCE_TAGS:
        processors[f"pre_{slug}"] = [balance_check]
    parsed = _Statement(processors=processors, options=mt940.Options.all())
    try:
        parsed.parse(block)
    except ParseError as exc:
        raise ParseError(exc.reason, file=filename, location=exc.location) from exc
    except (RuntimeError, ValueError, ArithmeticError) as exc:
        if len(exc.args) == 3 and isinstance(exc.args[1], mt940.tags.Tag):
            # the library's "Unable to parse <Tag object> from value"
            detail = problem("mt940_bad_field", tag=exc.args[1].id, value=str(exc.args[2])[:120])
        elif isinstance(exc, ArithmeticError):
            detail = problem("mt940_bad_amount")
        else:
            detail = problem("mt940_unreadable", detail=exc)
        raise ParseError(detail, file=filename, location=where) from exc
    return parsed


class _Statement(mt940.models.Transactions):
    """The library's statement, keeping the spaces an ``:86:`` line ends with (see
    :func:`_line_ends`); :func:`.clean` has taken them off every other line."""

    @staticmethod
    def strip(lines: list[str]) -> list[str]:
        kept = (raw.replace("\r", "") for raw in lines)
        return [line for line in kept if line.strip() not in ("", "-")]


def _date_check(where: str, number: int, block: str, warnings: list[str]) -> Callable[..., Any]:
    """Return a ``:61:`` pre-processor that reads an entry whose dates are no calendar dates.

    One broken date does not cost the entry, let alone the file: the amount and the parties
    are what finance needs, and a balance check still adds the entry up. As the library reads
    30 February (seen in real files), a value date past its month's end is read as the month's
    last day (so are the balances', :func:`_balance_check`). A value date with no such month
    (cmxl's ``362268``) is read as the statement's date, its closing balance's or else its
    opening balance's (:func:`_statement_date`), with a warning naming the entry; only a
    statement without either leaves the entry out. An entry date that is no date is left out:
    the entry is booked on its value date.

    :param warnings: receives the warnings that name the entry (beside the entry's own).
    """
    fallback = _statement_date(block)

    def check(
        transactions: mt940.models.Transactions, tag: object, tag_dict: dict[str, Any], *args: Any
    ) -> dict[str, Any]:
        entry = len(transactions.transactions) + (
            0
            if transactions.transactions and not transactions.transactions[-1].data.get("id")
            else 1
        )
        place = problem("at_statement_entry", statement=number, entry=entry)
        date_warnings = [*_value_date(tag_dict, entry, where, fallback)]
        warnings.extend(w.at(location=place) for w in date_warnings if w.code != "mt940_february")
        if dropped := _entry_date(tag_dict):
            date_warnings.append(dropped)
            warnings.append(dropped.at(location=place))
        tag_dict["date_warnings"] = date_warnings
        return tag_dict

    return check


def _value_date(
    tag_dict: dict[str, Any], entry: int, where: str, fallback: tuple[str, dt.date] | None
) -> list[Problem]:
    """Make the ``:61:`` value date in ``tag_dict`` a calendar date (see :func:`_date_check`).

    :returns: the warnings of the date read in its place, if any.
    :raises ParseError: when the date has no month and the statement no date to read it as.
    """
    yy, mm, dd = tag_dict["year"], tag_dict["month"], tag_dict["day"]
    written = f"{yy}{mm}{dd}"
    year, month, day = 2000 + int(yy), int(mm), int(dd)
    if 1 <= month <= 12 and 1 <= day <= 31:
        last = calendar.monthrange(year, month)[1]
        if day <= last:
            return []
        tag_dict["day"] = f"{last:02d}"
        return [problem("mt940_february", date=written, read=f"{year}-{mm}-{last}")]
    if fallback is None:
        if not 1 <= month <= 12:
            reason = problem("mt940_no_month", entry=entry, date=written, month=mm)
        else:
            reason = problem("mt940_bad_value_date", entry=entry, date=written)
        raise ParseError(reason, location=where)
    balance, date = fallback
    tag_dict["year"], tag_dict["month"], tag_dict["day"] = (
        f"{date.year % 100:02d}",
        f"{date.month:02d}",
        f"{date.day:02d}",
    )
    return [problem("mt940_date_of_balance", date=written, read=date.isoformat(), tag=balance)]


def _entry_date(tag_dict: dict[str, Any]) -> Problem | None:
    """Leave out a ``:61:`` entry date (``MMDD``) that is no calendar date in any year near the
    value date's; 29 February of a neighbouring leap year is one.

    :returns: the warning, or None when the entry date stands (or none is written).
    """
    em, ed = str(tag_dict.get("entry_month") or ""), str(tag_dict.get("entry_day") or "")
    if not (em.strip() and ed.strip()):
        return None
    month, day = int(em), int(ed)
    if (month, day) == (2, 29) or (1 <= month <= 12 and 1 <= day <= _DAYS_IN_MONTH[month - 1]):
        return None
    tag_dict["entry_month"] = tag_dict["entry_day"] = None
    yy, mm, dd = tag_dict["year"], tag_dict["month"], tag_dict["day"]
    return problem("mt940_entry_date_left_out", date=f"{em}{ed}", read=f"20{yy}-{mm}-{dd}")


# the days of each month in a year that is no leap year
_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
# a balance line of clean text, its tag and date
_BALANCE_DATE = re.compile(r"(?m)^:(?P<tag>6[02][FM]?):[CD](?P<date>\d{6})")


def _statement_date(block: str) -> tuple[str, dt.date] | None:
    """The date of the statement in ``block`` and the balance it is taken from: its first
    closing balance (``:62F:``, ``:62M:``) whose date is a calendar date, else its first
    opening balance's; None when it has neither."""
    dates: dict[str, tuple[str, dt.date]] = {}
    for m in _BALANCE_DATE.finditer(block):
        text = m.group("date")
        try:
            date = dt.date(2000 + int(text[:2]), int(text[2:4]), int(text[4:]))
        except ValueError:
            continue
        dates.setdefault(m.group("tag")[:2], (m.group("tag"), date))
    return dates.get("62") or dates.get("60")


# what each balance tag is, as the warnings about it name it
_BALANCE_KINDS = {
    "60": "opening balance",
    "62": "closing balance",
    "64": "available balance",
    "65": "forward available balance",
}


def _balance_check(number: int, where: str, warnings: list[str]) -> Callable[..., Any]:
    """Return a balance pre-processor for what real files get wrong in ``1!a6!n3!a15d``.

    A balance without its currency (``:62M:C020315105000,00``) is read in the statement's
    currency: the library would take the first three digits for the currency. A date past the
    month's end (``021131``) is read as the month's last day with a warning naming the
    statement and the balance, as the library reads 30 February in an entry; a date with no
    such month is an error.
    """

    def check(
        transactions: mt940.models.Transactions, tag: Any, tag_dict: dict[str, Any], *args: Any
    ) -> dict[str, Any]:
        currency = str(tag_dict.get("currency") or "")
        if currency.isdigit():
            tag_dict["amount"] = currency + str(tag_dict.get("amount") or "")
            tag_dict["currency"] = None
        yy, mm, dd = tag_dict["year"], tag_dict["month"], tag_dict["day"]
        written = f"{tag_dict['status']}{yy}{mm}{dd}"
        if not 1 <= int(mm) <= 12:
            raise ParseError(problem("mt940_bad_field", tag=tag.id, value=written), location=where)
        last = calendar.monthrange(2000 + int(yy), int(mm))[1]
        if not 1 <= int(dd) <= last:
            tag_dict["day"] = str(last)
            kind = _BALANCE_KINDS[str(tag.id)[:2]]
            place = problem("at_statement_balance", statement=number, kind=kind, tag=tag.id)
            read = f"20{yy}-{mm}-{last}"
            warnings.append(
                problem("mt940_balance_date", date=f"{yy}{mm}{dd}", read=read).at(location=place)
            )
        return tag_dict

    return check


def _line_ends(transactions: object, tag: object, tag_dict: dict[str, Any]) -> dict[str, Any]:
    """Give the library (and the raw details) the ``:86:`` lines without the spaces they end
    with; the text as written is kept for reading the words (a space at a cut is a boundary)."""
    text = str(tag_dict.get("transaction_details") or "")
    tag_dict["details_spaced"] = text
    tag_dict["transaction_details"] = "\n".join(line.rstrip() for line in text.split("\n"))
    return tag_dict


def _keep_details(
    transactions: object, tag: object, tag_dict: dict[str, Any], result: dict[str, Any]
) -> dict[str, Any]:
    """Keep every ``:86:`` text as written (the library drops it once it has split it)."""
    result["details_raw"] = tag_dict.get("transaction_details") or ""
    result["details_spaced"] = tag_dict.get("details_spaced") or result["details_raw"]
    return result
