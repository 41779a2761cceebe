"""One MT940 statement through the ``mt-940`` library: the checks it runs while it parses, and
the entries it cannot read left out.

The library reads the tags; the processors given to it here name the statement and entry of a
date that is no calendar date, read a balance written without its currency, and keep every
``:86:`` text as written. When the library fails on a statement, each entry is tried alone and
those that fail are left out (:func:`parse_leaving_out`); :mod:`.mt940` turns what the library
read into Concord's model.
"""

from __future__ import annotations

import calendar
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
    processors: dict[str, list[Callable[..., dict[str, Any]]]] = {
        "pre_statement": [_date_check(where), mt940.processors.date_fixup_pre_processor],
        "pre_transaction_details": [_line_ends],
        "post_transaction_details": [
            _keep_details,
            mt940.processors.transaction_details_post_processor,
        ],
    }
    balance_check = _balance_check(where, [] if warnings is None else warnings)
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


def _date_check(where: str) -> Callable[..., dict[str, Any]]:
    """Return a ``:61:`` pre-processor that names the entry whose date is not a calendar date.

    30 February (seen in real files) is kept the way the mt940 library reads it, the last day
    of February, with a warning on the transaction; any other impossible date is an error.
    """

    def check(
        transactions: mt940.models.Transactions, tag: object, tag_dict: dict[str, Any], *args: Any
    ) -> dict[str, Any]:
        entry = len(transactions.transactions) + (
            0
            if transactions.transactions and not transactions.transactions[-1].data.get("id")
            else 1
        )
        yy, mm, dd = tag_dict["year"], tag_dict["month"], tag_dict["day"]
        year, month, day = 2000 + int(yy), int(mm), int(dd)
        warnings: list[str] = []
        if not 1 <= month <= 12:
            raise ParseError(
                problem("mt940_no_month", entry=entry, date=f"{yy}{mm}{dd}", month=mm),
                location=where,
            )
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            if month != 2 or day > 31:
                raise ParseError(
                    problem("mt940_bad_value_date", entry=entry, date=f"{yy}{mm}{dd}"),
                    location=where,
                )
            warnings.append(
                problem("mt940_february", date=f"{yy}{mm}{dd}", read=f"{year}-02-{last}")
            )
        em, ed = tag_dict.get("entry_month"), tag_dict.get("entry_day")
        if em and ed and em.strip() and ed.strip():
            if not 1 <= int(em) <= 12 or not 1 <= int(ed) <= calendar.monthrange(year, int(em))[1]:
                if not (int(em) == 2 and int(ed) == 29):  # 29 Feb of a neighbouring leap year
                    raise ParseError(
                        problem("mt940_bad_entry_date", entry=entry, date=f"{em}{ed}"),
                        location=where,
                    )
        tag_dict["date_warnings"] = warnings
        return tag_dict

    return check


def _balance_check(where: str, warnings: list[str]) -> Callable[..., dict[str, Any]]:
    """Return a balance pre-processor for what real files get wrong in ``1!a6!n3!a15d``.

    A balance without its currency (``:62M:C020315105000,00``) is read in the statement's
    currency: the library would take the first three digits for the currency. A date past the
    month's end (``021131``) is read as the month's last day with a warning, as the library
    reads 30 February in an entry; a date with no such month is an error.
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
            warnings.append(
                problem("mt940_february", date=f"{yy}{mm}{dd}", read=f"20{yy}-{mm}-{last}")
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
