"""Rows of a located table read as lines: dates, signed amounts and the rows that are none.

A row is left out with a note in ``skipped`` when it is a rule, the header repeated on a new page,
a pending or failed entry, a summary, a neutral payment-app row or a section heading; a row whose
date or amount cannot be read is left out with a problem (see :class:`._common.LeftOut`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from typing import TypeVar

from ..classify import category_from_text
from ..errors import ParseError
from ..iban import is_iban
from ..model import ParseSettings
from ..normalize import DateError, infer_dayfirst, parse_amount, parse_date
from ..problems import Problem, problem
from ._common import LeftOut
from .pdf_sections import find_period, yearless
from .tabular_currency import original_amount
from .tabular_io import Row, RowNames
from .tabular_layouts import header_role, normalise_header
from .tabular_locate import Table
from .tabular_sign import Line
from .tabular_summary import packed_serial, unpack_summary
from .tabular_values import (
    dayfirst_by_span,
    decimal_comma_of,
    has_amount,
    is_footer,
    is_neutral,
    is_note,
    is_summary,
    read_date,
    settle_side,
    signed_amount,
    unmarked_side,
)
from .tabular_words import DEFAULT_SKIP_STATES, NOT_PAID_STATES, REVERSED_STATES

__all__ = ["RowReader"]


_MONEY = frozenset({"amount", "credit", "debit", "balance", "fee", "original_amount"})


def _is_iban(text: str) -> bool:
    return is_iban(text.replace(" ", "").upper())


_DASHES = re.compile(r"^(?:[-\u2013\u2014\u2212]+|/|[*＊]{3,})$")
# BOC writes its 附言 behind the dashes that fill an empty one ("--某某余额提现-0001")
_LEADING_DASHES = re.compile(r"^[-\u2013\u2014\u2212]{2,}\s*(?=[^-\u2013\u2014\u2212\s])")
# Finom writes N/A in every text cell a card payment has no value for (in a money column it
# stays a value that cannot be read, and is said to be one)
# a text cell that says it holds none: N/A, or SEPA's placeholders for a reference the payer
# did not give (NOTPROVIDED, NONREF)
_NOT_GIVEN = re.compile(r"^(?:n/a|not ?provided|nonref)$", re.IGNORECASE)
# a spreadsheet's numeric zero where the other party has no name (CCB's XLS writes 0 under
# 对方户名 for interest): no name
_ZERO_NAME = re.compile(r"^0+(?:\.0+)?$")
_NAMES = frozenset({"counterparty_name", "payer_name", "payee_name"})
# HDFC draws a row of asterisks under its header
_RULE = re.compile(r"^[*=_\-\u2013\u2014]+$")
_T = TypeVar("_T")


class RowReader:
    """Reads the data rows of one located table into :class:`Line` objects."""

    def __init__(
        self,
        table: Table,
        filename: str,
        settings: ParseSettings,
        candidates: Sequence[tuple[int, Row]],
        names: RowNames,
        preamble: Sequence[Row] = (),
    ) -> None:
        self.table = table
        self.period = find_period([" ".join(row) for row in preamble])
        self.filename = filename
        self.names = names
        layout = table.layout
        # without a layout, pending and failed card entries (a Status column) are no bookings;
        # payment-bill rows where no money moved never are
        self.skip_states = (
            {s.upper() for s in layout.skip_states} if layout else set(DEFAULT_SKIP_STATES)
        )
        self.skip_states |= NOT_PAID_STATES
        self.unmarked = unmarked_side(self.text(c, "direction") for _, c in candidates)
        self.date_format = layout.date_format if layout is not None else None
        self.skipped: list[str] = []
        # the entries left out on purpose (pending, failed, neutral): a running balance may
        # count them (PayPal's pending bank deposits), so the balance check does not chain
        # across them
        self.dropped: list[int] = []
        #: rows left out by their state (pending, failed, closed): the state and each row
        self.not_booked: dict[str, list[int]] = {}
        self.left_out = LeftOut()
        self.header_key = [normalise_header(c) for c in table.header]
        #: what the reader assumed and the user should know (a date order no date settles)
        self.assumed: list[Problem] = []
        dayfirst = settings.dayfirst
        if dayfirst is None and layout is not None:
            dayfirst = layout.dayfirst
        if dayfirst is None and not self.date_format:
            dates = [self.text(c, r) for _, c in candidates for r in ("booking_date", "value_date")]
            dayfirst = infer_dayfirst(dates)
            if dayfirst is None:
                dayfirst = dayfirst_by_span(dates)
            if dayfirst is None:
                self.assumed += _order_assumed(dates)
        self.dayfirst = dayfirst
        decimal_comma = layout.decimal_comma if layout is not None else None
        if decimal_comma is None:
            decimal_comma = decimal_comma_of(
                self.text(c, r)
                for _, c in candidates
                for r in ("amount", "credit", "debit", "balance")
            )
        self.decimal_comma = decimal_comma

    def date(self, text: str) -> dt.date:
        """Read a date cell; one printed without a year (``12/29``) takes the year of the
        statement period named above the table (招商银行信用卡对账单（… 2024年01月）)."""
        try:
            return read_date(text, self.dayfirst, self.date_format)
        except ParseError:
            choices = yearless(text)
            placed = self.period.place(choices) if choices and self.period else None
            if placed is None:
                raise
            return placed

    def text(self, cells: Row, role: str) -> str:
        indexes = self.table.columns.get(role, [])
        parts = [cells[i].strip() for i in indexes if i < len(cells)]
        width = len(self.table.header)
        if width and len(cells) > width and width - 1 in indexes:
            # Livebank writes a long text over several cells past the header's last column
            parts += [cell.strip() for cell in cells[width:]]
        if role == "direction":
            return " ".join(p for p in parts if p)  # WeChat Pay's "/" there means neutral
        if role not in _MONEY:
            parts = [p for p in parts if not _NOT_GIVEN.match(p)]
        if role in _NAMES:
            parts = [p for p in parts if not _ZERO_NAME.match(p)]
        if role == "bank_ref":
            return next((p for p in parts if p and not _DASHES.match(p)), "")
        if role == "counterparty_name":
            return next((p for p in parts if p and not _DASHES.match(p) and not _is_iban(p)), "")
        if role == "description":
            # BOCOM packs online payments' details as "|交易类型:…|交易说明:…|订单编号:…|"
            parts = [_LEADING_DASHES.sub("", unpack_summary(p)) for p in parts]
        # BOC and ABC fill empty text cells with a run of dashes ("----------", "--"),
        # WeChat Pay with a slash, CCB and ICBC with asterisks ("***"); a text that two
        # columns both hold (SEB's reference number, again as the description) is read once
        return " ".join(dict.fromkeys(p for p in parts if p and not _DASHES.match(p)))

    def _packed_serial(self, cells: Row) -> str:
        """The entry's serial number a packed summary names (BOCOM's "|…|流水号:0226b825…|")."""
        indexes = self.table.columns.get("description", [])
        return next(filter(None, (packed_serial(cells[i]) for i in indexes if i < len(cells))), "")

    def _named_iban(self, cells: Row) -> str:
        """The other party's IBAN written where its name could stand (bunq's Counterparty)."""
        indexes = self.table.columns.get("counterparty_name", [])
        found = (cells[i].strip() for i in indexes if i < len(cells))
        return next((cell for cell in found if _is_iban(cell)), "")

    def lines(self, candidates: Sequence[tuple[int, Row]]) -> list[Line]:
        out: list[Line] = []
        skipping: str | None = None
        for number, cells in candidates:
            section = _section(cells)
            if section is not None:
                # Schwab lists "Pending Transactions" above "Posted Transactions": pending
                # card payments may still change or vanish, so they are not booked entries;
                # HDFC ends with a "STATEMENT SUMMARY :-" block of totals under a heading
                skipping = section if section in ("pending", "summary") else None
                note = _SECTION_NOTES.get(section, f"{section} transactions follow")
                self.skipped.append(f"{self.names.location(number)}: {note}")
                continue
            if skipping:
                self.skipped.append(f"{self.names.location(number)}: {skipping}")
                self.dropped.append(number)
                continue
            try:
                line = self.line(number, cells)
            except ParseError as exc:
                self.left_out.entry(exc)
                continue
            if line is not None:
                out.append(line)
        return self._without_reversed(out)

    def _without_reversed(self, lines: list[Line]) -> list[Line]:
        """Leave out the entries whose state says the bank took them back (已冲正) when no row
        of the export reverses them; with such a row (冲正 in its text, the same amount) both
        stay, as the bank booked them, and cancel each other."""
        reversed_ = [line for line in lines if _state(line) in REVERSED_STATES]
        if not reversed_:
            return lines
        counter = [
            abs(line.amount)
            for line in lines
            if _state(line) not in REVERSED_STATES and _names_a_reversal(line)
        ]
        left_out: set[int] = set()
        for line in reversed_:
            if abs(line.amount) in counter:
                counter.remove(abs(line.amount))
                continue
            where = self.names.location(line.number)
            self.skipped.append(f"{where}: state {line.fields['state']}, no entry reverses it")
            self.dropped.append(line.number)
            left_out.add(line.number)
        return [line for line in lines if line.number not in left_out]

    def _optional(
        self, code: str, where: str, read: Callable[[], _T], written: str | None
    ) -> _T | None:
        """A value an entry can do without: one that cannot be read is left out with a warning."""
        return self.left_out.optional(code, read, location=where) if written else None

    def _original(self, fields: dict[str, str], where: str) -> None:
        """Write the original amount of ``fields`` as a plain figure (its currency, when written
        beside it, into ``original_currency``); one that cannot be read is left out, warned."""
        read = self.left_out.optional(
            "original_amount_left_out",
            lambda: original_amount(fields["original_amount"], self.decimal_comma),
            location=where,
        )
        if read is None:
            del fields["original_amount"]
            return
        fields["original_amount"] = str(read[0])
        if read[1] and not fields.get("original_currency"):
            fields["original_currency"] = read[1]

    def _repeated_header(self, cells: Row) -> bool:
        header = self.table.header
        return bool(
            self.header_key
            and cells[:1] == header[:1]  # cheap test first: this runs for every row
            and [normalise_header(c) for c in cells] == self.header_key
        )

    def line(self, number: int, cells: Row) -> Line | None:
        """Return the row as a line, or None (noted in ``skipped``) for a row that is none."""
        if all(_RULE.match(c.strip()) for c in cells if c.strip()):
            self.skipped.append(f"{self.names.location(number)}: a rule")
            return None
        if self._repeated_header(cells):
            # multi-page exports (ICBC's XLSX, HTML downloads) repeat the header on every page
            self.skipped.append(f"{self.names.location(number)}: the header again")
            return None
        fields = {role: self.text(cells, role) for role in self.table.columns}
        if not fields.get("counterparty_account") and (iban := self._named_iban(cells)):
            fields["counterparty_account"] = iban
        if not fields.get("bank_ref") and (serial := self._packed_serial(cells)):
            fields["bank_ref"] = serial
        rounded = _drop_rounded(fields)
        _fold_variable_symbol(fields)
        _drop_symbol_zeros(fields)
        _drop_refund_note(fields)
        settle_side(fields)
        _fold_bank_code(fields)
        if (state := fields.get("state", "").strip()).upper() in self.skip_states:
            self.skipped.append(f"{self.names.location(number)}: state {state}")
            self.dropped.append(number)
            self.not_booked.setdefault(state, []).append(number)
            return None
        if is_summary(fields):
            self.skipped.append(f"{self.names.location(number)}: {fields['description']}")
            return None
        if is_neutral(fields):
            self.skipped.append(f"{self.names.location(number)}: neither income nor expense")
            self.dropped.append(number)
            return None
        if self.unmarked and not fields.get("direction"):
            fields["direction"] = self.unmarked
        where = self.names.location(number)
        try:
            booking = self.date(fields.get("booking_date") or fields.get("other_date", ""))
        except ParseError:
            if _header_words(cells):
                # a statement printed in pages heads each page again, in one or two rows
                self.skipped.append(f"{where}: the header again")
                return None
            if is_footer(cells) or is_note(cells) or not has_amount(fields):
                shown = " ".join(c for c in cells if c)[:60]
                self.skipped.append(f"{where}: not a transaction ({shown})")
                return None
            raise ParseError(
                problem("date_unreadable", value=fields.get("booking_date", "")),
                file=self.filename,
                location=where,
            ) from None
        marked: list[str] = []
        try:
            amount = signed_amount(fields, self.decimal_comma, marked)
        except ParseError as exc:
            raise ParseError(exc.reason, file=self.filename, location=where) from exc
        balance = self._optional(
            "balance_left_out",
            where,
            lambda: parse_amount(fields["balance"], decimal_comma=self.decimal_comma),
            fields.get("balance"),
        )
        value_date = self._optional(
            "value_date_left_out",
            where,
            lambda: self.date(fields["value_date"]),
            fields.get("value_date"),
        )
        if amount is None:
            self.skipped.append(f"{where}: no amount")
            return None
        if fields.get("original_amount"):
            self._original(fields, where)
        notes: list[str] = [problem("excel_rounded", value=value) for value in rounded]
        notes += marked
        return Line(number, cells, booking, value_date, amount, balance, fields, notes)


_DOTTED = re.compile(r"^\s*\d{1,2}\.\d{1,2}\.")


def _order_assumed(dates: Sequence[str]) -> list[Problem]:
    """A warning naming the first date that reads as another day month first (05/03/2024),
    when nothing in the file settled the order: it is read day first, and a US export (Payoneer,
    PayPal) wrote the month first; none when every date reads one way (2024-03-05, 13/03/2024).
    Dates written with dots (02.03.2018) are day first wherever they are written so."""
    for text in dates:
        if _DOTTED.match(text):
            continue
        try:
            read, other = parse_date(text, dayfirst=True), parse_date(text, dayfirst=False)
        except DateError:
            continue
        if read != other:
            return [problem("date_order_assumed", value=text, read=read.isoformat())]
    return []


def _state(line: Line) -> str:
    return line.fields.get("state", "").strip().upper()


def _names_a_reversal(line: Line) -> bool:
    """True for a row whose text says it reverses an entry (冲正, 冲账, Storno, reversal)."""
    text = " ".join(line.fields.get(role, "") for role in ("description", "state", "type"))
    return category_from_text(text) == "reversal"


def _drop_refund_note(fields: dict[str, str]) -> None:
    """Read JD's ``123.45(已退款3.45)`` and ``0.12(已全额退款)`` as the amount paid: the refund
    is a row of its own (退款成功), so the note only says that one follows."""
    for role in ("amount", "credit", "debit"):
        if m := _REFUND_NOTE.match(fields.get(role, "")):
            fields[role] = m.group("amount")


_REFUND_NOTE = re.compile(
    r"^\s*(?P<amount>[^()（）]*?\d)\s*[(（]已(?:全额)?退款[^()（）]*[)）]\s*$"
)


def _drop_symbol_zeros(fields: dict[str, str]) -> None:
    """Keep a Czech or Slovak payment's constant and specific symbols without their padding
    zeros (``0308``, ``0000012345`` is 12345); one of zeros only is none."""
    for role in ("constant_symbol", "specific_symbol"):
        symbol = fields.pop(role, "").strip()
        if symbol.strip("0"):
            fields[role] = symbol if role == "constant_symbol" else symbol.lstrip("0")


def _fold_variable_symbol(fields: dict[str, str]) -> None:
    """Write a Czech or Slovak payment's variable symbol into its description as ``VS 2026117``.

    The payer quotes the invoice number there (up to ten digits, often padded with zeros:
    ``0002026117``), and it may be the only place the invoice is named; the zeros are dropped,
    and a symbol of zeros only (``0``, ``0000000000``: none given) is no symbol.
    """
    symbol = fields.pop("variable_symbol", "").strip().lstrip("0")
    if not symbol:
        return
    text = fields.get("description", "")
    if symbol.isdigit() and re.search(rf"(?<!\d){symbol}(?!\d)", text):
        return  # the payer's message already names it
    fields["description"] = f"{text} VS {symbol}".strip()


_BANK_CODE = re.compile(r"^\d{4}$")


def _fold_bank_code(fields: dict[str, str]) -> None:
    """Write a Czech or Slovak bank code after the counterparty's account: ``2800123456`` at
    bank ``2010`` is ``2800123456/2010``, as the account is written on invoices and kept in an
    ERP; with no other name of the bank (a BIC), the code names it."""
    code = fields.pop("bank_code", "").strip()
    if not _BANK_CODE.match(code):
        return
    account = fields.get("counterparty_account", "").strip()
    if account and "/" not in account and not account[:2].isalpha():
        fields["counterparty_account"] = f"{account}/{code}"
    if not fields.get("counterparty_bank", "").strip():
        fields["counterparty_bank"] = code


# an account or reference number that Excel turned into a float and saved rounded to its 15
# digits and shown in exponent form: 6.22202E+18
_EXCEL_ROUNDED = re.compile(r"^\d(?:\.\d+)?E\+\d{1,2}$", re.IGNORECASE)
_NUMBER_ROLES = ("bank_ref", "counterparty_account", "payer_account", "payee_account")


def _drop_rounded(fields: dict[str, str]) -> list[str]:
    """Blank the account and reference cells Excel rounded (a file opened and saved in it):
    their digits are lost, and a wrong number would name a wrong party or join two entries."""
    dropped = []
    for role in _NUMBER_ROLES:
        value = fields.get(role, "").strip()
        if _EXCEL_ROUNDED.match(value):
            dropped.append(value)
            fields[role] = ""
    return dropped


def _header_words(cells: Row) -> bool:
    """True for a row of column names only (交易日期, 发生额 / 借方, 贷方): a header."""
    named = [c for c in cells if c.strip()]
    return bool(named) and all(
        not any(ch.isdigit() for ch in c) and header_role(c) is not None for c in named
    )


_SECTIONS = {
    "pending transactions": "pending",
    "pending": "pending",
    "posted transactions": "posted",
    "statement summary": "summary",
    "account summary": "summary",
    "posted": "posted",
}


_SECTION_NOTES = {"summary": "the summary follows"}


def _section(cells: Row) -> str | None:
    """Return "pending", "posted" or "summary" for a row that only names the section below it."""
    filled = [c for c in cells if c.strip()]
    if len(filled) != 1:
        return None
    return _SECTIONS.get(" ".join(filled[0].lower().split()).rstrip(" :-"))
