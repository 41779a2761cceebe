"""BAI2 cash-management files (US/Canada): 01/02/03/16/49/98/99 records with 88 continuations.

The records as real files bend them (:mod:`.bai2_records`) are read in order; ``/`` and ``,``
inside the free text of a ``16`` record are kept; the trailers' control totals, record counts
(88s included) and numbers of accounts and groups are checked. Amounts carry implied decimals
that depend on the currency (2 for USD, 0 for JPY, 3 for KWD...).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..balances import check_statements
from ..currency import minor_digits
from ..errors import LimitExceeded, ParseError
from ..model import Balance, Direction, ParseSettings, StatementInfo, Transaction
from ..problems import Problem, problem
from . import bai2_codes
from ._common import LeftOut, make_refs_unique
from .ach_text import counterparty
from .bai2_parties import other_party, tagged_items
from .bai2_records import Record, read_records, strip_end
from .bai2_totals import ControlTotals, RecordCounts

FORMAT = "bai2"


def sniff(data: bytes, filename: str) -> bool:
    """True when the first line is a BAI2 file header (``01,``, whole or continued by an ``88``)
    or another ``NN,...,/`` record."""
    lines = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").split(b"\n", 2)
    first = lines[0].strip()
    if first.startswith(b"01,") and first.count(b",") >= 5:
        return True
    if first.startswith(b"01,") and len(lines) > 1 and lines[1].lstrip().startswith(b"88,"):
        return True  # a file header continued on an 88 record
    return bool(re.match(rb"^\d\d,[^,]*,[^,]*,.*/$", first))


@dataclass
class _Account:
    number: str
    currency: str
    line: int
    summaries: list[tuple[str, Decimal]] = field(default_factory=list)
    summary_fields: list[tuple[str, str, str]] = field(default_factory=list)
    transactions: list[Transaction] = field(default_factory=list)


def parse(data: bytes, filename: str, settings: ParseSettings) -> list[Transaction]:
    """Return the ``16`` detail records of every account of every group as transactions.

    :raises ParseError: naming the line, for a missing or misplaced header/trailer, a bad
        amount, date or funds type, or a type code that is neither credit nor debit.
    """
    return parse_with_statements(data, filename, settings)[0]


def parse_with_statements(
    data: bytes, filename: str, settings: ParseSettings
) -> tuple[list[Transaction], list[StatementInfo]]:
    """Like :func:`parse`, plus one :class:`StatementInfo` per ``03`` account record."""
    records = read_records(data, filename)
    if not records or records[0].code != "01":
        found = records[0].code if records else "nothing"
        raise ParseError(
            problem("bai2_no_header", found=found),
            file=filename,
            location=problem("at_line", line=1),
        )
    reader = _Reader(filename, settings)
    reader.file_raw["physical_lines"] = len(data.splitlines())
    for rec in records:
        reader.feed(rec)
    reader.left_out.check(reader.transactions)
    if not reader.closed:
        raise ParseError(
            problem("bai2_truncated"),
            file=filename,
            location=problem("at_line", line=records[-1].line),
        )
    make_refs_unique(reader.transactions)
    return reader.transactions, reader.statements


class _Reader:
    def __init__(self, filename: str, settings: ParseSettings) -> None:
        self.filename = filename
        self.settings = settings
        self.transactions: list[Transaction] = []
        self.statements: list[StatementInfo] = []
        self.group_currency: str | None = None
        self.as_of: dt.date | None = None
        self.account: _Account | None = None
        self.in_group = False
        self.closed = False
        self.file_raw: dict[str, Any] = {}
        self.group_raw: dict[str, Any] = {}
        self.group_statements: list[StatementInfo] = []
        self.warnings: list[str] = []
        """Problems that cost one entry or one value, not the file (line-numbered)."""
        self.left_out = LeftOut()
        self.totals = ControlTotals()
        self.counts = RecordCounts()
        #: what each record code means (an 88 comes merged into the record it continues)
        self.readers: dict[str, Callable[[str, Record], None]] = {
            "01": self._file_header,
            "02": self._group,
            "03": self._account,
            "16": self._detail,
            "49": self._account_trailer,
            "98": self._group_trailer,
            "99": self._file_trailer,
        }

    def fail(self, message: Problem, rec: Record) -> ParseError:
        return ParseError(message, file=self.filename, location=problem("at_line", line=rec.line))

    def warn(self, message: Problem, rec: Record) -> None:
        self.warnings.append(message.at(location=problem("at_line", line=rec.line)))

    def leave_out(self, exc: ParseError, value: str | None = None) -> None:
        """Leave out the entry (or, with ``value``, that value of it) ``exc`` was raised for."""
        before = len(self.left_out.warnings)
        if value is None:
            self.left_out.entry(exc)
        else:
            self.left_out.value(value, exc)
        self.warnings.extend(self.left_out.warnings[before:])

    def feed(self, rec: Record) -> None:
        if self.closed:
            raise self.fail(problem("bai2_after_99", record=rec.code), rec)
        body = strip_end(rec.text)
        self.counts.add(rec.code, rec.records)
        if (read := self.readers.get(rec.code)) is not None:
            read(body, rec)

    def _file_header(self, body: str, rec: Record) -> None:
        if self.transactions or self.statements or self.in_group:
            raise self.fail(problem("bai2_second_01"), rec)
        fields = body.split(",") + [""] * 9
        self.file_raw |= {
            "sender": fields[1].strip(),
            "receiver": fields[2].strip(),
            "file_created_date": fields[3].strip(),
            "file_created_time": fields[4].strip(),
            "file_id": fields[5].strip(),
        }

    def _group(self, body: str, rec: Record) -> None:
        if self.in_group:
            raise self.fail(problem("bai2_02_before_98"), rec)
        fields = body.split(",")
        if len(fields) < 5:
            raise self.fail(problem("bai2_02_short"), rec)
        self.as_of = self._date(fields[4], rec, "bai2_bad_as_of")
        self.group_currency = _currency(fields[6] if len(fields) > 6 else "")
        self.group_raw = {
            "group_receiver": fields[1].strip(),
            "originator": fields[2].strip(),
            "group_status": fields[3].strip(),
            "as_of_date": fields[4].strip(),
            "as_of_time": fields[5].strip() if len(fields) > 5 else "",
            "group_currency": self.group_currency,
        }
        self.in_group = True

    def _account(self, body: str, rec: Record) -> None:
        if not self.in_group:
            raise self.fail(problem("bai2_03_outside"), rec)
        if self.account is not None:
            raise self.fail(problem("bai2_03_before_49"), rec)
        fields = body.split(",")
        if len(fields) < 2 or not fields[1].strip():
            raise self.fail(problem("bai2_03_no_account"), rec)
        currency = (
            _currency(fields[2] if len(fields) > 2 else "")
            or self.group_currency
            or self.settings.default_currency
            # the BAI2 specification makes US dollars the default when no currency is given
            or "USD"
        )
        account = _Account(number=fields[1].strip(), currency=currency, line=rec.line)
        rest = fields[3:]
        # where each physical record ends, as an index into ``rest``: a lone empty field there
        # is the record's trailing comma ("...,015,35217175,,,/" then "88,040,..."), not an
        # empty summary, and skipping four fields would misalign every summary after it
        record_ends = {b - 4 for b in rec.breaks}
        i = 0
        while i < len(rest):
            code = rest[i].strip()
            if not code and i in record_ends:
                i += 1
                continue
            if not code:  # an empty summary slot (",,,,") some banks write
                i += 4
                continue
            amount_text = rest[i + 1].strip() if i + 1 < len(rest) else ""
            funds = rest[i + 3].strip() if i + 3 < len(rest) else ""
            count = rest[i + 2].strip() if i + 2 < len(rest) else ""
            account.summary_fields.append((code, amount_text, count))
            self.totals.summary(amount_text)
            if amount_text:
                account.summaries.append((code, self._amount(amount_text, currency, rec)))
            i += 4 + self._funds_fields(funds, rest[i + 4 :], rec)
        self.account = account

    def _detail(self, body: str, rec: Record) -> None:
        account = self.account
        if account is None or self.as_of is None:
            raise self.fail(problem("bai2_16_outside"), rec)
        head = body.split(",", 4)
        if len(head) < 4:
            raise self.fail(problem("bai2_16_short"), rec)
        type_code, amount_text, funds = head[1].strip(), head[2].strip(), head[3].strip()
        self.totals.detail(amount_text)
        rest_text = head[4] if len(head) > 4 else ""
        extra = self._funds_fields(funds, rest_text.split(","), rec)
        parts = rest_text.split(",", extra + 2)
        funds_fields = parts[:extra]
        bank_ref = parts[extra].strip() if len(parts) > extra else ""
        customer_ref = parts[extra + 1].strip() if len(parts) > extra + 1 else ""
        # a trailing comma before the record's "/" ends the field, it is not text
        text = parts[extra + 2].strip().rstrip(",").rstrip() if len(parts) > extra + 2 else ""
        direction = self._direction(type_code, text, rec)
        if direction is None:
            return
        if not amount_text:
            self.warn(problem("bai2_16_no_amount", type=type_code), rec)
            return
        try:
            amount = self._amount(amount_text, account.currency, rec)
        except ParseError as exc:
            self.leave_out(exc)
            return
        value_date = None
        if funds.upper() == "V" and funds_fields and funds_fields[0].strip():
            try:
                value_date = self._date(funds_fields[0], rec, "bai2_bad_value_date")
            except ParseError as exc:
                self.leave_out(exc, "value_date_left_out")
        parties = _parties(text, credit=direction == "credit", our_account=account.number)
        reference = text
        if customer_ref and customer_ref not in text:
            reference = f"{customer_ref} {text}".strip()
        raw: dict[str, Any] = {
            "type_code": type_code,
            "type_name": bai2_codes.name(type_code),
            "funds_type": funds,
            "funds_fields": [f.strip() for f in funds_fields],
            "bank_reference": bank_ref,
            "customer_reference": customer_ref,
            "text": text,
            "amount_text": amount_text,
            "line": rec.line,
            **parties.pop("raw"),
        }
        account.transactions.append(
            Transaction(
                bank_ref=bank_ref
                or customer_ref
                or f"{account.number}/{self.as_of.isoformat()}/line{rec.line}",
                booking_date=self.as_of,
                value_date=value_date,
                amount=abs(amount),
                direction=direction,
                currency=account.currency,
                **parties,
                reference=reference,
                our_account=account.number,
                source=f"{self.filename}#line={rec.line}",
                raw=raw,
                category=bai2_codes.category(type_code),
                reversal=type_code in bai2_codes.REVERSAL_CODES,
            )
        )
        if len(self.transactions) + len(account.transactions) > self.settings.max_entries:
            raise LimitExceeded(
                problem("too_many_transactions", limit=self.settings.max_entries),
                file=self.filename,
            )

    def _account_trailer(self, body: str, rec: Record) -> None:
        if self.account is None:
            raise self.fail(problem("bai2_49_without_03"), rec)
        fields = [*body.split(","), "", ""]
        for mismatch in (
            self.totals.account(fields[1], _at(rec)),
            self.counts.account(fields[2], _at(rec)),
        ):
            if mismatch is not None:
                self.warnings.append(mismatch)
        self._close_account(fields[1].strip(), fields[2].strip())

    def _group_trailer(self, body: str, rec: Record) -> None:
        if not self.in_group or self.account is not None:
            raise self.fail(problem("bai2_98_without_group"), rec)
        fields = [*body.split(","), "", "", ""]
        if not fields[3].strip() and self.counts.is_group_records(fields[2]):
            # zeptofs/bai2's 98,25001,6/: the group's record count where its number of accounts
            # belongs, the last field left out
            fields[2:4] = ["", fields[2]]
        group = {
            **self.group_raw,
            "group_control_total": fields[1].strip(),
            "number_of_accounts": fields[2].strip(),
            "group_number_of_records": fields[3].strip(),
        }
        for info in self.group_statements:
            info.raw.update(group)
        for mismatch in (
            self.totals.group(fields[1], _at(rec)),
            self.counts.accounts(fields[2], _at(rec)),
            self.counts.group(fields[3], _at(rec)),
        ):
            _warn_last(self.group_statements, mismatch)
        self.group_statements = []
        self.in_group = False

    def _file_trailer(self, body: str, rec: Record) -> None:
        if self.in_group:
            raise self.fail(problem("bai2_99_in_group"), rec)
        fields = [*body.split(","), "", "", ""]
        self.file_raw.update(
            file_control_total=fields[1].strip(),
            number_of_groups=fields[2].strip(),
            number_of_records=fields[3].strip(),
        )
        for info in self.statements:
            info.raw.update(self.file_raw)
        for mismatch in (
            self.totals.file(fields[1], _at(rec)),
            self.counts.groups(fields[2], _at(rec)),
            self.counts.file(fields[3], _at(rec)),
        ):
            _warn_last(self.statements, mismatch)
        self.closed = True

    def _close_account(self, control_total: str, record_count: str) -> None:
        account = self.account
        assert account is not None
        # balance-type summary codes (010 opening ledger ... 099) keep their BAI2 code as type
        balances = [
            Balance(type=code, amount=amount, currency=account.currency, date=self.as_of)
            for code, amount in account.summaries
            if code.isdigit() and int(code) < 100
        ]
        summary = dict(account.summaries)
        self.statements.append(
            StatementInfo(
                statement_id=None,
                account=account.number,
                currency=account.currency,
                opening_balance=summary.get("010"),
                closing_balance=summary.get("015"),
                opening_date=self.as_of,
                closing_date=self.as_of,
                balances=balances,
                transaction_count=len(account.transactions),
                raw={
                    "warnings": list(self.warnings),
                    "account_control_total": control_total,
                    "account_number_of_records": record_count,
                    "summaries": account.summary_fields,
                    "line": account.line,
                },
            )
        )
        self.group_statements.append(self.statements[-1])
        # the opening ledger and the day's entries make the closing ledger
        where = problem("at_line_account", line=account.line, account=account.number)
        check_statements(
            [(self.statements[-1], account.transactions, where)],
            opening_codes=("010",),
            closing_codes=("015",),
        )
        self.transactions.extend(account.transactions)
        self.warnings = []
        self.account = None

    # -- values ----------------------------------------------------------------------------
    def _funds_fields(self, funds: str, following: list[str], rec: Record) -> int:
        """How many fields after the funds-type code belong to it.

        ``Z``/``0``/``1``/``2`` (immediate, one-day, two-day availability) have none, ``V``
        (value date and time) two, ``S`` (immediate, one-day, two-or-more-day amounts) three,
        ``D`` (distributed availability) a count then that many day/amount pairs. An unknown
        funds type costs a warning, not the file.
        """
        kind = funds.strip().upper()
        if kind in ("", "Z", "0", "1", "2"):
            return 0
        if kind == "V":
            return 2
        if kind == "S":
            return 3
        if kind == "D":
            count_text = following[0].strip() if following else ""
            if not count_text.isdigit():
                self.warn(problem("bai2_funds_d", count=count_text), rec)
                return 0
            return 1 + 2 * int(count_text)
        self.warn(problem("bai2_funds_unknown", funds=funds), rec)
        return 0

    def _direction(self, type_code: str, text: str, rec: Record) -> Direction | None:
        """Credit or debit by the type-code table; None (with a warning) for another code."""
        kind = bai2_codes.kind(type_code)
        if kind in ("credit", "debit"):
            return kind
        words = _direction_from_text(text)
        if kind == "custom" and words is not None:
            self.warn(problem("bai2_custom_code", type=type_code, direction=words), rec)
            return words
        if kind == "non_monetary":
            self.warn(problem("bai2_non_monetary", type=type_code), rec)
        elif kind == "invalid":
            self.warn(problem("bai2_invalid_code", type=type_code), rec)
        else:
            self.warn(problem("bai2_not_money", type=type_code, kind=kind), rec)
        return None

    def _amount(self, text: str, currency: str, rec: Record) -> Decimal:
        if re.fullmatch(r"[+-]?\d+\.\d{1,3}", text):
            return Decimal(text)  # some banks write the decimal point the format implies
        if not re.fullmatch(r"[+-]?\d+", text):
            raise self.fail(problem("bai2_bad_amount", value=text), rec)
        return Decimal(int(text)).scaleb(-minor_digits(currency))

    def _date(self, text: str, rec: Record, what: str) -> dt.date:
        text = text.strip()
        try:
            if len(text) == 6 and text.isdigit():
                # YYMMDD; BAI2 files are recent enough for every year to be 20YY
                return dt.date(2000 + int(text[:2]), int(text[2:4]), int(text[4:]))
            if len(text) == 8 and text.isdigit() and text[:2] in ("19", "20"):
                return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))  # YYYYMMDD
        except ValueError:
            pass
        raise self.fail(problem(what, value=text), rec)


def _parties(text: str, *, credit: bool, our_account: str) -> dict[str, Any]:
    """The other party's fields of a ``16`` record's text (payer of a credit, payee of a
    debit), with the tagged 88 items under ``raw``: Goldman Sachs's tags when it has them,
    else the ACH entry's company or the wire's party the bank printed in the text."""
    items = tagged_items(text)
    raw: dict[str, Any] = {"tagged_items": items} if items else {}
    if items.get("EREF"):
        raw["end_to_end_id"] = items["EREF"]
    side = other_party(items, text, credit=credit, our_account=our_account)
    if side is not None:
        if credit:
            return {
                "payer_name": side.name,
                "payer_account": side.account,
                "payer_bank": side.bank,
                "raw": raw,
            }
        return {"payee_name": side.name, "payee_account": side.account, "raw": raw}
    company = counterparty(text, credit=credit)
    return {"payer_name" if credit else "payee_name": company, "raw": raw}


def _at(rec: Record) -> Problem:
    return problem("at_line", line=rec.line)


def _warn_last(statements: list[StatementInfo], warning: Problem | None) -> None:
    """Give a trailer's warning to the last statement it closes (the result gathers the
    warnings of its statements)."""
    if warning is not None and statements:
        last = statements[-1]
        last.raw["warnings"] = [*last.raw.get("warnings", []), warning]


def _currency(text: str) -> str | None:
    code = text.strip().upper()
    return code if len(code) == 3 and code.isalpha() else None


_CREDIT_WORDS = re.compile(r"\b(?:CREDIT|DEPOSIT|INCOMING|RECEIVED|CR)\b", re.IGNORECASE)
_DEBIT_WORDS = re.compile(r"\b(?:DEBIT|WITHDRAWAL|OUTGOING|PAID|FEE|CHARGE|DR)\b", re.IGNORECASE)


def _direction_from_text(text: str) -> Direction | None:
    credit, debit = bool(_CREDIT_WORDS.search(text)), bool(_DEBIT_WORDS.search(text))
    if credit == debit:
        return None
    return "credit" if credit else "debit"
