"""Reading ERP exports: decoding, CSV rows, field validation and the bad-row error type.

Shared by the customer, contact, invoice and contract importers. Every parser raises
:class:`BadValue` with the reason shown to the user; the importers collect them per row.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from flask_babel import gettext as _

from reconcile.matching import erp_csv
from reconcile.matching.erp_values import (
    ErpValueError,
    read_erp_amount,
    read_erp_currency,
    read_erp_date,
)

from ..errors import ConcordError
from ..models.base import exact_amount, money_places, too_fine

#: an ISO date exactly (a contract's schedule tells a date from a milestone's text by it)
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_INTEGER = re.compile(r"^[0-9]{1,5}$")
#: the unit a number of days may be written with (``30天``, ``30 days``)
_DAYS_UNIT = re.compile(r"\s*(?:天|日|days?)$", re.IGNORECASE)
#: values of a yes/no column, lower-cased
_TRUE = frozenset({"1", "y", "yes", "true", "x", "是"})
_FALSE = frozenset({"0", "n", "no", "false", "否"})
#: rows per ``IN (...)`` lookup: well under SQLite's and PostgreSQL's parameter limits
LOOKUP_CHUNK = 2000


class ErpImportError(ConcordError):
    """A batch was refused; ``errors`` lists every bad row."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        # a row may have several problems: the count is of rows, each problem is listed
        count = len({error.line for error in errors})
        super().__init__(_("%(count)s bad row(s); nothing was imported", count=count))
        self.errors = sorted(errors, key=lambda e: e.line)


@dataclasses.dataclass(frozen=True)
class RowError:
    """One bad row: its line in the file (1 = header) or its 1-based position in a JSON list."""

    line: int
    reason: str

    def __str__(self) -> str:
        return _("line %(line)s: %(reason)s", line=self.line, reason=self.reason)

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "reason": self.reason}


#: a row to import with the line number to report its errors under
Row = tuple[int, Mapping[str, Any]]


class BadValue(ValueError):
    """A field's value is not acceptable; the message is the reason shown to the user."""


class BadValues(BadValue):
    """Every problem of one row (see :class:`Checks`), each a reason shown to the user."""

    def __init__(self, reasons: Sequence[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = list(reasons)


T = TypeVar("T")


class Checks:
    """Run the checks of one row and keep every problem, so a row reports them all at once.

    ``checks(parse, row, name, ...)`` returns what ``parse`` returns, or None when it raised
    :class:`BadValue` (kept); :meth:`done` raises :class:`BadValues` with all of them.
    """

    def __init__(self) -> None:
        self.reasons: list[str] = []

    def __call__(self, check: Callable[..., T], /, *args: Any, **kwargs: Any) -> T | None:
        try:
            return check(*args, **kwargs)
        except BadValues as exc:
            self.reasons.extend(exc.reasons)
        except BadValue as exc:
            self.reasons.append(str(exc))
        return None

    @property
    def ok(self) -> bool:
        return not self.reasons

    def done(self) -> None:
        """:raises BadValues: with every problem found."""
        if self.reasons:
            raise BadValues(self.reasons)


@dataclasses.dataclass
class ImportSummary:
    """What an import did."""

    kind: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    #: invoices closed as settled in the ERP
    closed: int = 0
    #: differences between the ERP and Concord listed for finance
    conflicts: int = 0
    #: invoices held because they differ from their contract (not part of the JSON answer)
    held: int = 0
    #: conflicts first listed by this import (the others were listed before)
    new_conflicts: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.closed or self.new_conflicts)

    def as_dict(self) -> dict[str, Any]:
        """The JSON answer and audit data: the kind and counts, not held nor new_conflicts."""
        return {
            name: getattr(self, name)
            for name in ("kind", "created", "updated", "unchanged", "closed", "conflicts")
        }

    def __str__(self) -> str:
        kinds = {
            "invoices": _("invoices"),
            "customers": _("customers"),
            "contacts": _("contacts"),
            "contracts": _("contracts"),
        }
        text = _(
            "%(kind)s: %(created)s created, %(updated)s updated, %(unchanged)s unchanged, "
            "%(closed)s closed, %(conflicts)s conflicts",
            **{**self.as_dict(), "kind": kinds.get(self.kind, self.kind)},
        )
        if self.held:
            text += _("; %(held)s held for a contract check", held=self.held)
        return text


# --- reading CSV -------------------------------------------------------------------------


def layout_reason(exc: erp_csv.CsvLayoutError) -> str:
    """The reason ``reconcile``'s CSV reader refused a file, in the reader's language."""
    params = exc.params
    messages = {
        "not_text": lambda: _(
            "the file is neither UTF-8 nor GB18030 (byte %(byte)s)", byte=params.get("byte")
        ),
        "nul": lambda: _("the file contains a NUL character"),
        "no_header": lambda: _("the file is empty (no header row)"),
        "bad_header": lambda: _("unreadable CSV header: %(detail)s", detail=params.get("detail")),
        "missing_column": lambda: _("missing column: %(name)s", name=params.get("columns")),
        "same_column": lambda: _(
            "columns %(headers)s all name the column %(column)s: keep one",
            headers=params.get("headers"),
            column=params.get("column"),
        ),
        "bad_csv": lambda: _("unreadable CSV: %(detail)s", detail=params.get("detail")),
    }
    message = messages.get(exc.code)
    return message() if message is not None else exc.reason


def decode(data: bytes) -> str:
    """Decode an export as :func:`reconcile.matching.erp_csv.decode` does (UTF-8, GB18030 or a
    European single-byte code page).

    :raises ErpImportError: the bytes are none of these.
    """
    try:
        return erp_csv.decode(data)
    except erp_csv.CsvLayoutError as exc:
        raise ErpImportError([RowError(exc.line, layout_reason(exc))]) from exc


def read_csv(data: bytes, required: Sequence[str], vocabulary: str | None = None) -> list[Row]:
    """Return the data rows of a CSV export keyed by (lower-case) header name.

    The reading is ``reconcile``'s (:func:`reconcile.matching.erp_csv.read_rows`), the one
    reader of the ERP's CSV layout that ``reconcile match`` uses too.

    :param vocabulary: ``customers``, ``invoices``, ``contacts`` or ``contracts``: the Chinese
        names of the file's columns are read as the English ones
        (:mod:`reconcile.matching.erp_headers`).
    :raises ErpImportError: undecodable, empty, a column named twice, or a required column is
        missing from the header.
    """
    try:
        return list(erp_csv.read_rows(data, required, vocabulary=vocabulary))
    except erp_csv.CsvLayoutError as exc:
        raise ErpImportError([RowError(exc.line, layout_reason(exc))]) from None


# --- field parsing -------------------------------------------------------------------------


#: control characters (Unicode category Cc) and the line/paragraph separators
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_NOT_NEWLINE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_NAMES = {"\r": "CR", "\n": "LF", "\x00": "NUL", "\t": "TAB"}


def _refuse_control_characters(name: str, value: str, *, allow_newlines: bool) -> None:
    """Raise :class:`BadValue` naming the first control character in the column's ``value``."""
    found = (_CONTROL_NOT_NEWLINE if allow_newlines else _CONTROL).search(value)
    if found is None:
        return
    char = found.group()
    raise BadValue(
        _(
            "%(name)s contains a control character (%(bad)s): %(value)s",
            name=name,
            bad=_CONTROL_NAMES.get(char, f"U+{ord(char):04X}"),
            value=repr(value[:40]),
        )
    )


def text(
    row: Mapping[str, Any],
    name: str,
    *,
    required: bool,
    max_len: int,
    identifier: bool = False,
) -> str | None:
    """Return a stripped text field, ``None`` when absent or empty (and not required).

    :param identifier: a code or number: control characters (CR, LF, NUL, ...) are refused.
    """
    if name not in row or row[name] is None:
        if required:
            raise BadValue(_("missing column: %(name)s", name=name))
        return None
    value = row[name]
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise BadValue(_("%(name)s must be text", name=name))
    value = str(value).strip()
    if not value:
        if required:
            raise BadValue(_("missing value: %(name)s", name=name))
        return None
    _refuse_control_characters(name, value, allow_newlines=not identifier)
    if len(value) > max_len:
        raise BadValue(
            _("%(name)s is longer than %(max_len)s characters", name=name, max_len=max_len)
        )
    return value


def text_list(
    row: Mapping[str, Any], name: str, *, max_len: int, required: bool = True
) -> list[str]:
    """Return a ``;``-separated (or JSON list) column as a list without blanks or repeats
    (``[]`` for a column left out that is not ``required``)."""
    if name not in row or row[name] is None:
        if not required:
            return []
        raise BadValue(_("missing column: %(name)s", name=name))
    value = row[name]
    if isinstance(value, str):
        items = value.split(";")
    elif isinstance(value, list) and all(isinstance(item, str) for item in value):
        items = value
    else:
        raise BadValue(_("%(name)s must be a ';'-separated text or a list of texts", name=name))
    result: list[str] = []
    for item in (part.strip() for part in items):
        if not item or item in result:
            continue
        _refuse_control_characters(name, item, allow_newlines=False)
        if len(item) > max_len:
            raise BadValue(
                _(
                    "%(name)s: %(item)s is longer than %(max_len)s characters",
                    name=name,
                    item=repr(item),
                    max_len=max_len,
                )
            )
        result.append(item)
    return result


def amount(
    row: Mapping[str, Any],
    name: str,
    *,
    required: bool,
    negative: bool = False,
    currency: str | None = None,
) -> Decimal | None:
    """Return a money field as a ``Decimal`` with ``currency``'s decimals (two for most, none
    for the yen, three for the dinars, see :func:`~portal.models.base.money_places`): more is a
    bad row, never rounded; negative values refused by default."""
    if name not in row or row[name] is None:
        if required:
            raise BadValue(_("missing column: %(name)s", name=name))
        return None
    raw = row[name]
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        raise BadValue(_("bad amount in %(name)s: %(raw)s", name=name, raw=repr(raw)))
    value_text = str(raw).strip()
    if not value_text:
        if required:
            raise BadValue(_("missing value: %(name)s", name=name))
        return None
    try:
        value = read_erp_amount(value_text, currency)
    except ErpValueError as exc:
        raise BadValue(_amount_reason(exc, name)) from None
    if value < 0 and not negative:
        raise BadValue(
            _("negative amount in %(name)s: %(value_text)s", name=name, value_text=value_text)
        )
    if too_fine(value, currency) and money_places(currency) == 0:
        raise BadValue(
            _(
                "bad amount in %(name)s: %(value_text)s; %(currency)s amounts have no decimals",
                name=name,
                value_text=value_text,
                currency=currency or "",
            )
        )
    if too_fine(value, currency):
        raise BadValue(
            _(
                "bad amount in %(name)s: %(value_text)s has more than %(places)d decimals "
                "(%(currency)s)",
                name=name,
                value_text=value_text,
                places=money_places(currency),
                currency=currency or "",
            )
        )
    return exact_amount(value)


def _amount_reason(exc: ErpValueError, name: str) -> str:
    """Why an amount cell was refused (:func:`reconcile.matching.erp_values.read_erp_amount`)."""
    value_text = repr(exc.params.get("value", "")[:40])
    if exc.code == "decimal_comma":
        return _(
            "bad amount in %(name)s: %(value_text)s (a decimal comma is not read: write 1234.56)",
            name=name,
            value_text=value_text,
        )
    if exc.code == "other_currency":
        return _(
            "bad amount in %(name)s: %(value_text)s names %(found)s, but the row's currency is "
            "%(currency)s",
            name=name,
            value_text=value_text,
            found=exc.params.get("found"),
            currency=exc.params.get("currency"),
        )
    return _(
        "bad amount in %(name)s: %(value_text)s (expected e.g. 1234.56)",
        name=name,
        value_text=value_text,
    )


def date(row: Mapping[str, Any], name: str, *, required: bool = True) -> dt.date | None:
    """Return a date field written year first: ``2026-11-20``, ``2026/11/20``, ``2026年11月20日``,
    ``20261120``, with or without a time of day (``2026-11-20 00:00:00``)."""
    value = text(row, name, required=required, max_len=40, identifier=True)
    if value is None:
        return None
    try:
        return read_erp_date(value)
    except ErpValueError as exc:
        if exc.code == "no_such_day":
            reason = _(
                "bad date in %(name)s: %(value)s (no such day)", name=name, value=repr(value)
            )
        elif exc.code == "day_month_order":
            reason = _(
                "bad date in %(name)s: %(value)s (write the year first, e.g. 2026-11-20: "
                "03/11/2026 could be 3 November or 11 March)",
                name=name,
                value=repr(value),
            )
        else:
            reason = _(
                "bad date in %(name)s: %(value)s (expected YYYY-MM-DD)",
                name=name,
                value=repr(value),
            )
        raise BadValue(reason) from None


def required_date(row: Mapping[str, Any], name: str) -> dt.date:
    """Return a required ``YYYY-MM-DD`` date field."""
    value = date(row, name, required=True)
    assert value is not None
    return value


def check_due_date(issue_date: dt.date, due_date: dt.date | None) -> None:
    """Refuse an invoice whose due date is before its issue date.

    :raises BadValue: naming both dates.
    """
    if due_date is not None and due_date < issue_date:
        raise BadValue(
            _(
                "due date %(due_date)s is before issue date %(issue_date)s",
                due_date=due_date,
                issue_date=issue_date,
            )
        )


def currency(row: Mapping[str, Any], name: str = "currency") -> str:
    """Return a currency's ISO code: a code in any case, or a name (``人民币``, ``美元`` ...)."""
    value = text(row, name, required=True, max_len=20, identifier=True)
    assert value is not None
    try:
        return read_erp_currency(value)
    except ErpValueError:
        raise BadValue(
            _(
                "bad currency: %(value)s (expected a three-letter code such as CNY, or a name "
                "such as 人民币)",
                value=repr(value),
            )
        ) from None


def email(row: Mapping[str, Any], name: str) -> str | None:
    """Return an email address field (lower-cased), ``None`` when absent or empty."""
    value = text(row, name, required=False, max_len=254, identifier=True)
    if value is not None and not _EMAIL.match(value):
        raise BadValue(_("bad email in %(name)s: %(value)s", name=name, value=repr(value)))
    return value.lower() if value is not None else None


def language(row: Mapping[str, Any], name: str) -> str | None:
    """Return ``zh`` or ``en`` (``zh-CN`` and ``EN`` accepted), ``None`` when absent or empty."""
    value = text(row, name, required=False, max_len=5, identifier=True)
    if value is None:
        return None
    short = value.lower()[:2]
    if short not in ("zh", "en"):
        raise BadValue(
            _("bad language in %(name)s: %(value)s (zh or en)", name=name, value=repr(value))
        )
    return short


def days(row: Mapping[str, Any], name: str) -> int | None:
    """Return a number of days (0..3650; ``30``, ``30天``, ``30 days``), ``None`` when absent or
    empty."""
    raw = row.get(name)
    if isinstance(raw, int) and not isinstance(raw, bool):
        value: str | None = str(raw)
    else:
        value = text(row, name, required=False, max_len=40, identifier=True)
    if value is None:
        return None
    number = _DAYS_UNIT.sub("", value)
    if not _INTEGER.match(number) or int(number) > 3650:
        raise BadValue(
            _(
                "bad number of days in %(name)s: %(value)s (expected 0 to 3650)",
                name=name,
                value=repr(value),
            )
        )
    return int(number)


def flag(row: Mapping[str, Any], name: str) -> bool | None:
    """Return a yes/no column (``1/0``, ``yes/no``, ``true/false``, ``是/否``)."""
    raw = row.get(name)
    if isinstance(raw, bool):
        return raw
    value = text(row, name, required=False, max_len=5, identifier=True)
    if value is None:
        return None
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise BadValue(
        _("bad value in %(name)s: %(value)s (expected yes or no)", name=name, value=repr(value))
    )


def collect(rows: Iterable[Row], parse: Any) -> tuple[list[tuple[int, Any]], list[RowError]]:
    """Parse every row; return the parsed rows and the errors of the bad ones."""
    parsed: list[tuple[int, Any]] = []
    errors: list[RowError] = []
    for line, row in rows:
        if not isinstance(row, Mapping):
            errors.append(RowError(line, _("a row must be an object of column names and values")))
            continue
        try:
            parsed.append((line, parse(row)))
        except BadValues as exc:
            errors.extend(RowError(line, reason) for reason in exc.reasons)
        except BadValue as exc:
            errors.append(RowError(line, str(exc)))
    return parsed, errors


def chunks(values: Sequence[Any], size: int = LOOKUP_CHUNK) -> Iterator[Sequence[Any]]:
    """Split ``values`` into slices small enough for one ``IN (...)`` query."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def duplicates(parsed: list[tuple[int, Any]], key: str, label: str) -> list[RowError]:
    """Return an error for every row whose ``key`` repeats an earlier row's."""
    first_line: dict[Any, int] = {}
    errors: list[RowError] = []
    for line, item in parsed:
        value = getattr(item, key)
        if value in first_line:
            shown = value if isinstance(value, str) else " ".join(str(v) for v in value)
            errors.append(
                RowError(
                    line,
                    _(
                        "duplicate %(label)s %(value)s in the file (first on line %(first)s)",
                        label=label,
                        value=shown,
                        first=first_line[value],
                    ),
                )
            )
        else:
            first_line[value] = line
    return errors


def jsonable(value: Any) -> Any:
    """Return ``value`` with Decimals and dates as strings (for audit data)."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
