"""CSV and XLSX bank exports: any bank, found by the column names, or a layout mapping file.

The reader detects the encoding (UTF-8, UTF-8 with BOM, UTF-16 with BOM, GB18030, else
Windows-1252) and the delimiter, skips preamble lines before the header row (the row naming the
most known columns, see :mod:`.tabular_layouts`) and totals after the data, reads one signed
amount column or separate debit and credit columns (deciding the sign convention from the
running balance when there is one), and gives rows without a bank reference a stable synthetic
one so that uploading the same export twice is recognised. HTML tables saved as ``.xls``
(common in Chinese online banking) are read like CSV; binary ``.xls`` (BIFF8) workbooks with
``xlrd``. The other party comes from counterparty columns, one combined cell (CMB's 对手信息) or
payer and payee columns (BOC), where our own account (settings) decides which side is us.
"""

from __future__ import annotations

import bisect
import csv
import hashlib
import io
import itertools
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from ..balances import RunningRow, running_balance_problem
from ..errors import LimitExceeded, ParseError
from ..layouts import builtin_layouts
from ..model import Direction, ParseSettings, StatementInfo, Transaction
from ..problems import Problem, problem
from ._common import set_counterparty
from .tabular_currency import currency_from_header, currency_from_symbols
from .tabular_io import (
    HEADER_SEARCH_ROWS,
    OLE2_MAGIC,
    SPREADSHEET_NS,
    Row,
    RowNames,
    csv_rows,
    decode,
    detect_delimiter,
    html_rows,
    spreadsheetml_rows,
    xls_rows,
    xlsx_rows,
)
from .tabular_layouts import normalise_header
from .tabular_locate import (
    PREVIEW_ROWS,
    Table,
    add_unnamed_mark_column,
    currency_headed_valuta,
    locate,
    names_date_and_amount,
)
from .tabular_masked import other_party_accounts, own_account_column, row_accounts
from .tabular_rows import RowReader
from .tabular_sign import Line, apply_sign, settle_our_side
from .tabular_values import (
    counterparty,
    currency_of,
    direction_of_mark,
    holder_name,
    is_card_statement,
    own_form,
    preamble_facts,
)

__all__ = [
    "FORMAT",
    "PREVIEW_ROWS",
    "direction_of_mark",
    "parse",
    "parse_rows",
    "parse_with_statements",
    "read_rows",
    "sniff",
]

FORMAT = "tabular"

# Chinese online banking often saves "Excel" downloads as an HTML table named .xls
_HTML_TABLE = re.compile(r"<table[\s>]", re.IGNORECASE)

# --------------------------------------------------------------------------------------------
# detection


def sniff(data: bytes, filename: str) -> bool:
    """Return True for an XLSX workbook or delimited text with at least two columns.

    Binary data (NUL bytes without a UTF-16 BOM, undecodable bytes, control characters) is
    refused, since this parser is the catch-all.
    """
    if data.startswith(b"PK\x03\x04"):
        return _is_xlsx(data)
    if data.startswith(OLE2_MAGIC):
        return True  # a binary .xls workbook (or another Office file, refused clearly)
    head = data[:65536]
    try:
        text, _ = decode(head, None, partial=True)
    except ParseError:
        return False
    sample = text[:20000]
    if not sample.strip():
        return False
    if _HTML_TABLE.search(sample):
        return True
    controls = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\r\n\t")
    if controls > len(sample) // 1000:
        return False
    lines = [line for line in sample.splitlines() if line.strip()][:50]
    if len(lines) < 2 and not (len(lines) == 1 and len(data) < 65536):
        return False
    delimiter = detect_delimiter(lines)
    rows = list(csv.reader(lines, delimiter=delimiter))
    if sum(1 for r in rows if len(r) >= 2) >= max(1, len(rows) // 2):
        return True
    # Alipay and WeChat Pay put twenty lines of notes above the table: a header row naming a
    # date and an amount column still says what the file is
    return any(names_date_and_amount(r) for r in rows if len(r) >= 2)


def _is_xlsx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False
    return "xl/workbook.xml" in names


# --------------------------------------------------------------------------------------------
# entry points


def parse(data: bytes, filename: str, settings: ParseSettings) -> list[Transaction]:
    """Return the transactions of a CSV or XLSX bank export.

    :raises ParseError: for an unknown layout (the message lists the columns found), an
        unreadable row, or a workbook that breaks the size limits.
    """
    return parse_with_statements(data, filename, settings)[0]


def parse_with_statements(
    data: bytes, filename: str, settings: ParseSettings
) -> tuple[list[Transaction], list[StatementInfo]]:
    """Like :func:`parse`, plus one :class:`StatementInfo` (balances from a balance column).

    :raises ParseError: as :func:`parse`.
    """
    if len(data) > settings.max_bytes:
        raise LimitExceeded(problem("file_larger_than", limit=settings.max_bytes), file=filename)
    layouts = tuple(settings.layouts) + builtin_layouts()
    sheet = _sheet_rows(data, filename, settings)
    if sheet is not None:
        return parse_rows(sheet[0], filename, settings, sheet[1])
    text, encoding = decode(data, None)
    rows, delimiter = csv_rows(text, None)
    table = locate(rows, layouts, filename)
    layout = table.layout
    if layout is not None and (
        (layout.encoding and layout.encoding.lower() != encoding)
        or (layout.delimiter and layout.delimiter != delimiter)
    ):
        text, encoding = decode(data, layout.encoding)
        rows, delimiter = csv_rows(text, layout.delimiter)
        table = locate(rows, (layout,), filename)
    meta = {"kind": "csv", "encoding": encoding, "delimiter": delimiter}
    return _read_table(rows, table, filename, settings, meta, RowNames())


def parse_rows(
    rows: list[Row],
    filename: str,
    settings: ParseSettings,
    meta: dict[str, Any],
    *,
    names: RowNames | None = None,
    found_currency: str | None = None,
) -> tuple[list[Transaction], list[StatementInfo]]:
    """Read rows of cell texts as an export: find the header, then read every row below it.

    For readers that find the rows themselves (workbooks, HTML tables, a PDF statement's table).

    :param rows: every row, preamble and header included, as cell texts.
    :param meta: facts about the file kept in the statement's ``raw`` (``{"kind": "xlsx"}``).
    :param names: how sources and messages name a row (default ``#row=N`` and ``row N``).
    :param found_currency: a currency the caller read elsewhere in the file (a PDF's currency
        sign above the table): below the table's own, above the default currency.
    :raises ParseError: as :func:`parse`.
    """
    table = locate(rows, tuple(settings.layouts) + builtin_layouts(), filename)
    return _read_table(rows, table, filename, settings, meta, names or RowNames(), found_currency)


def read_rows(data: bytes, filename: str, settings: ParseSettings) -> list[Row]:
    """Return the rows of a CSV, HTML-table, XLS or XLSX file as cell texts, nothing decided.

    For a person mapping an unknown layout (see :class:`~reconcile.errors.UnknownLayout`).

    :raises ParseError: when the bytes are no readable table.
    """
    sheet = _sheet_rows(data, filename, settings)
    if sheet is not None:
        return sheet[0]
    return csv_rows(decode(data, None)[0], None)[0]


def _sheet_rows(
    data: bytes, filename: str, settings: ParseSettings
) -> tuple[list[Row], dict[str, Any]] | None:
    """The rows of a workbook or an HTML table and what kind it is, or None for delimited text."""
    if data.startswith(OLE2_MAGIC):
        return xls_rows(data, filename, settings), {"kind": "xls"}
    if data.startswith(b"PK\x03\x04"):
        return xlsx_rows(data, filename, settings), {"kind": "xlsx"}
    head, _ = decode(data[:65536], None, partial=True)
    if SPREADSHEET_NS in head[:20000]:
        return spreadsheetml_rows(data, filename, settings), {"kind": "spreadsheetml"}
    if _HTML_TABLE.search(head[:20000]):
        text, encoding = decode(data, None)
        return html_rows(text, filename, settings), {"kind": "html", "encoding": encoding}
    return None


# --------------------------------------------------------------------------------------------
# rows to transactions (finding the table: tabular_locate; signs: tabular_sign)


def _read_table(
    rows: list[Row],
    table: Table,
    filename: str,
    settings: ParseSettings,
    meta: dict[str, Any],
    names: RowNames,
    found_currency: str | None = None,
) -> tuple[list[Transaction], list[StatementInfo]]:
    if len(rows) > settings.max_entries + HEADER_SEARCH_ROWS:
        raise LimitExceeded(
            problem("too_many_rows_of", count=len(rows), limit=settings.max_entries),
            file=filename,
        )
    layout = table.layout
    preamble = rows[: max(table.header_index, 0)]
    body = rows[table.header_index + 1 :]
    if layout is not None and layout.footer_rows:
        body = body[: len(body) - layout.footer_rows]
    first_row_number = table.header_index + 2  # 1-based physical row of body[0]
    candidates = [
        (first_row_number + offset, cells) for offset, cells in enumerate(body) if any(cells)
    ]
    add_unnamed_mark_column(table, [cells for _, cells in candidates])
    currency_headed_valuta(table, [cells for _, cells in candidates])
    reader = RowReader(table, filename, settings, candidates, names, preamble)
    lines = reader.lines(candidates)
    # the catch-all reader of any text: a file most of whose dated rows fail is not an export
    reader.left_out.check(lines, most_read=True)
    account, currency_hint = preamble_facts(preamble)
    if layout is None:
        other_party_accounts([line.fields for line in lines], settings, account)
        _own_account_column(table, lines)
        _name_or_description(table, lines)
    if layout is not None and not account and layout.extra.get("account"):
        account = str(layout.extra["account"])  # a layout saved for one of our accounts
    settled = settle_our_side(lines, settings, account)
    order = apply_sign(
        lines, layout, settled, card=is_card_statement([*preamble, table.header], filename)
    )
    # an amount column's header that names its unit (新臺幣金額, "Betrag (EUR)") says what the
    # amounts are counted in, over a currency column (Cathay's 消費國家/幣別 is where the card
    # was used: "JP / JPY" beside the amount in TWD)
    unit = currency_from_header(table.header, table.columns)
    named_currency = (
        (layout.currency if layout is not None else None)
        or currency_hint
        or unit
        or currency_from_symbols(line.fields for line in lines)
        or found_currency
    )
    default_currency = named_currency or settings.default_currency
    transactions = _transactions(
        lines,
        table,
        filename,
        account,
        (unit, default_currency),
        reader.decimal_comma,
        settings,
        names,
    )
    info = _statement(lines, transactions, order, account, meta, table, reader.skipped)
    warnings = [*reader.assumed, *reader.left_out.warnings]
    if not transactions and reader.skipped:
        # a table whose every row was left out (closed orders, notes, rows without an amount)
        # reads as an empty day unless it says so
        warnings.append(
            problem("tabular_all_left_out", count=len(reader.skipped), first=reader.skipped[0])
        )
    elif reader.not_booked:
        warnings.append(_not_booked(reader.not_booked))
    warnings += _unbalanced(lines, order, names, default_currency, reader.dropped)
    if not named_currency and settings.default_currency and _assumed(lines, transactions):
        # a file that names its currency nowhere (CIB's, ABC's, CNCBI's exports) is read in the
        # default currency: say so, as a wrong assumption books every amount in a wrong currency
        warnings.insert(0, problem("currency_assumed", currency=settings.default_currency))
    if warnings:
        info.raw["warnings"] = warnings
    return transactions, [info]


def _unbalanced(
    lines: Sequence[Line],
    order: tuple[int, str],
    names: RowNames,
    currency: str | None,
    dropped: Sequence[int] = (),
) -> list[Problem]:
    """The first row of each account's and currency's running balance that does not follow
    from the row before it (an export of several accounts or currencies runs one balance each).

    The chain starts again after an entry left out on purpose (``dropped``: a pending or
    failed one): PayPal's balance counts its pending bank deposits, so the row after one would
    be blamed for a row the reader itself left out.
    """
    dates = [line.booking_date for line in lines]
    if dates and dates[0] != dates[-1] and dates in (sorted(dates), sorted(dates)[::-1]):
        # the dates say which way the export runs, whatever order a day's rows stand in
        newest_first = dates[0] > dates[-1]
    else:
        newest_first = order[1] != "oldest_first"
    chronological = list(lines)[::-1] if newest_first else list(lines)
    gaps = _gaps(lines, dropped)
    chains: dict[tuple[str, str, int], list[RunningRow]] = {}
    part = 0
    for before, line in zip([None, *chronological], chronological, strict=False):
        if before is not None and frozenset((before.number, line.number)) in gaps:
            part += 1
        key = (
            line.fields.get("our_account", "").strip(),
            line.fields.get("currency", "").strip(),
            part,
        )
        row = RunningRow(names.location(line.number), line.amount, line.balance, line.booking_date)
        chains.setdefault(key, []).append(row)
    found = (
        running_balance_problem(rows, currency_of(ccy) or ccy or currency or "")
        for (_, ccy, _), rows in chains.items()
    )
    return [p for p in found if p is not None]


def _gaps(lines: Sequence[Line], dropped: Sequence[int]) -> set[frozenset[int]]:
    """The pairs of rows, next to each other among those read, that a dropped row stands
    between (each pair as the set of its two row numbers)."""
    left_out = sorted(dropped)
    gaps: set[frozenset[int]] = set()
    for first, second in itertools.pairwise(lines):
        low, high = sorted((first.number, second.number))
        at = bisect.bisect_right(left_out, low)
        if at < len(left_out) and left_out[at] < high:
            gaps.add(frozenset((first.number, second.number)))
    return gaps


#: roles kept as they are in ``raw``: Czech and Slovak payment symbols, a Chinese bank code
_KEPT_ROLES = ("constant_symbol", "specific_symbol", "counterparty_bank_code")


def _own_account_column(table: Table, lines: Sequence[Line]) -> None:
    index = table.columns.get("counterparty_account", [])
    if len(index) == 1 and index[0] < len(table.header):
        header = normalise_header(table.header[index[0]])
        own_account_column([line.fields for line in lines], [line.amount for line in lines], header)


_NAME_OR_TEXT = frozenset({"naam/omschrijving", "name/description"})


def _name_or_description(table: Table, lines: Sequence[Line]) -> None:
    """Read ING Netherlands' ``Naam / Omschrijving`` as text when no other party is named.

    The column holds the other party's name beside its ``Tegenrekening``, or, on the bank's own
    entries (``Kosten OranjePakket``, ``Kwijtschelding``), a description of the entry: that is
    no payer or payee (ofxstatement-dutch reads it into the memo the same way).
    """
    index = table.columns.get("counterparty_name", [])[:1]
    if not index or index[0] >= len(table.header):
        return
    if normalise_header(table.header[index[0]]) not in _NAME_OR_TEXT:
        return
    for line in lines:
        fields = line.fields
        if fields.get("counterparty_account") or not fields.get("counterparty_name"):
            continue
        text = fields.pop("counterparty_name")
        fields["description"] = f"{text} {fields.get('description', '')}".strip()


def _assumed(lines: Sequence[Line], transactions: Sequence[Transaction]) -> bool:
    """True when some entry took the default currency (its row has no currency cell)."""
    return any(not line.fields.get("currency") for line in lines) and bool(transactions)


def _transactions(
    lines: Sequence[Line],
    table: Table,
    filename: str,
    account: str | None,
    currencies: tuple[str | None, str | None],
    decimal_comma: bool | None,
    settings: ParseSettings,
    names: RowNames,
) -> list[Transaction]:
    """The lines as transactions; ``currencies``: the amount header's unit, which a currency
    column does not override, and the currency of rows that name none."""
    unit, default_currency = currencies
    header = table.header
    holder = holder_name([line.fields for line in lines])
    ordinals: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    out: list[Transaction] = []
    for line in lines:
        f = line.fields
        warnings_ = list(line.warnings)
        currency = unit or (currency_of(f["currency"]) if f.get("currency") else None)
        if f.get("currency") and currency is None:
            currency = f["currency"].strip().upper()
        currency = currency or default_currency or ""
        if not currency:
            warnings_.append(problem("export_no_currency"))
        direction: Direction = "credit" if line.amount >= 0 else "debit"
        name, other, bank, side = counterparty(f, direction, holder)
        ours, acct = row_accounts(f.get("our_account"), side, other, account)
        raw: dict[str, Any] = {
            (header[i] if i < len(header) and header[i] else f"column {i + 1}"): cell
            for i, cell in enumerate(line.cells)
        }
        raw["row"] = line.number
        if f.get("original_amount"):
            # read already (Line's fields hold it as a plain figure: 24200.00, whatever the
            # export's decimal mark)
            raw["original_amount"] = Decimal(f["original_amount"])
            raw["original_currency"] = currency_of(f.get("original_currency", "")) or f.get(
                "original_currency"
            )
        if line.balance is not None:
            raw["balance"] = line.balance
        raw.update({k: f[k].strip() for k in _KEPT_ROLES if f.get(k, "").strip()})
        bank_ref = f.get("bank_ref", "").strip()
        if not bank_ref:
            key = "|".join(
                str(x)
                for x in (
                    line.booking_date,
                    line.amount,
                    currency,
                    name,
                    acct,
                    f.get("description", ""),
                    line.balance,
                )
            )
            ordinals[key] += 1
            digest = hashlib.sha256(f"{key}|{ordinals[key]}".encode()).hexdigest()
            bank_ref = names.ref_prefix + digest[:16]
            raw["ref_from"] = "synthetic"
        seen[bank_ref] += 1
        if seen[bank_ref] > 1:
            bank_ref = f"{bank_ref}/{seen[bank_ref]}"
        tx = Transaction(
            bank_ref=bank_ref,
            booking_date=line.booking_date,
            value_date=line.value_date,
            amount=abs(line.amount),
            direction=direction,
            currency=currency,
            reference=" ".join(f.get("description", "").split()),
            our_account=own_form(ours or "", settings),
            source=f"{filename}#{names.source(line.number)}",
            raw=raw,
            warnings=warnings_,
        )
        set_counterparty(tx, name, acct, bank)
        out.append(tx)
    return out


def _not_booked(rows: dict[str, list[int]], shown: int = 10) -> Problem:
    """Say which rows were left out by a state that books nothing (pending, failed, closed):
    the user sees why the file holds more rows than entries."""
    numbers = sorted(n for found in rows.values() for n in found)
    listed = ", ".join(map(str, numbers[:shown])) + (", …" if len(numbers) > shown else "")
    states = ", ".join(f"'{state}'" for state in rows)
    return problem("tabular_not_booked", count=len(numbers), states=states, rows=listed)


def _statement(
    lines: Sequence[Line],
    transactions: Sequence[Transaction],
    order: tuple[int, str],
    account: str | None,
    meta: dict[str, Any],
    table: Table,
    skipped: list[str],
) -> StatementInfo:
    currencies = {tx.currency for tx in transactions if tx.currency}
    info = StatementInfo(
        account=account or (transactions[0].our_account if transactions else None) or None,
        currency=currencies.pop() if len(currencies) == 1 else None,
        transaction_count=len(transactions),
        raw={
            **meta,
            "layout": (
                table.layout.name
                if table.layout is not None
                else ("guessed" if table.guessed else "auto")
            ),
            "columns": {role: list(idx) for role, idx in table.columns.items()},
            "header_row": table.header_index + 1 if table.header else None,
            "skipped": skipped,
            "order": order[1],
            "header": list(table.header),
        },
    )
    chronological = list(lines) if order[1] == "oldest_first" else list(lines)[::-1]
    with_balance = [k for k, line in enumerate(chronological) if line.balance is not None]
    if with_balance:
        # rows without a balance before the first one that prints it (UK statements print it on
        # a day's last entry only) moved the money too: the opening balance is before them all
        first, last = with_balance[0], with_balance[-1]
        first_balance, last_balance = chronological[first].balance, chronological[last].balance
        assert first_balance is not None and last_balance is not None
        info.opening_balance = first_balance - sum(
            (line.amount for line in chronological[: first + 1]), Decimal(0)
        )
        info.opening_date = chronological[0].booking_date
        info.closing_balance = last_balance + sum(
            (line.amount for line in chronological[last + 1 :]), Decimal(0)
        )
        info.closing_date = chronological[-1].booking_date
    return info
