"""Cash application export: every ledger record once, in order, for the ERP to book.

A cursor is the id of the last record handed out (ids only grow). A batch holds the records
after the cursor, plus any record still ``pending`` below it: a record whose transaction
committed after a later one had already been exported would otherwise be skipped for ever.
Handing a record out marks it ``exported``; the ERP's acknowledgement marks it ``booked``.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from flask import current_app, has_app_context
from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from reconcile.own import account_key

from ..hardening import MAX_ID
from ..models import Allocation, ErpStatus
from ..models.base import exact_amount
from ..reports.export import neutralise, xlsx_bytes
from .booking import mark_exported
from .errors import LedgerError

#: CSV header and JSON keys, in this order
COLUMNS = (
    "id",
    "voucher",
    "bank_ref",
    "value_date",
    "customer",
    "invoice",
    "amount",
    "currency",
    "kind",
    "by",
    # added later, after the first ten so that a mapping by position keeps working
    "our_account",
    "our_bank",
)
FORMATS = ("csv", "xlsx", "json")
#: records per API page unless the client asks for fewer
PAGE_SIZE = 500
MAX_PAGE_SIZE = 5000


class BadCursor(LedgerError):
    """A cursor that Concord did not hand out."""


def parse_cursor(value: str | None) -> int:
    """The record id a cursor stands for (empty = from the start).

    :raises BadCursor: not a cursor (a whole number of at most 18 digits).
    """
    text = (value or "").strip()
    if not text:
        return 0
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        raise BadCursor(
            _(
                "%(value)s is not a cursor: pass the cursor of the previous export",
                value=repr(value),
            )
        )
    # no record id exceeds the integer column: a larger cursor simply has nothing after it
    return min(int(text), MAX_ID)


@dataclasses.dataclass(frozen=True)
class Batch:
    """Records of one export and the cursor to pass next time."""

    records: list[dict[str, Any]]
    cursor: str
    has_more: bool = False

    def as_json(self) -> dict[str, Any]:
        return {"records": self.records, "cursor": self.cursor}


def own_account_banks(config: Mapping[str, Any]) -> dict[str, str]:
    """The bank of each of our accounts that the settings name, by :func:`account_key`.

    ``OWN_ACCOUNT_BANKS``: ``{account: bank}``, or ``account=bank`` entries (the environment's
    ``;``-separated list); and the bank reminder letters name (``COMPANY_BANK_NAME``) for their
    account (``COMPANY_BANK_ACCOUNT``, else the first of ``OWN_ACCOUNTS``).
    """
    banks: dict[str, str] = {}
    company_bank = str(config.get("COMPANY_BANK_NAME") or "").strip()
    company_account = config.get("COMPANY_BANK_ACCOUNT") or next(
        iter(config.get("OWN_ACCOUNTS") or []), None
    )
    if company_bank and company_account:
        banks[account_key(str(company_account))] = company_bank
    listed = config.get("OWN_ACCOUNT_BANKS") or {}
    pairs = (
        listed.items()
        if isinstance(listed, Mapping)
        else (str(entry).partition("=")[::2] for entry in listed)
    )
    for account, bank in pairs:
        if account_key(str(account)) and str(bank).strip():
            banks[account_key(str(account))] = str(bank).strip()
    return banks


def as_record(entry: Allocation, banks: Mapping[str, str] | None = None) -> dict[str, Any]:
    """One ledger record with the export's keys (amount as a decimal string).

    :param banks: the bank of each of our accounts (:func:`own_account_banks`), for
        ``our_bank``; the receiving account itself is the bank file's (``our_account``).
    """
    txn = entry.transaction
    note = entry.credit_note
    if txn is not None:
        voucher = txn.voucher_number
        value_date = (txn.value_date or txn.booking_date).isoformat()
    elif note is not None:
        # a credit note has no receipt: its own number and date identify it in the ERP
        voucher = note.number
        value_date = note.issue_date.isoformat()
    else:
        voucher = ""
        value_date = entry.created_at.date().isoformat()
    # the account the money came into, as the bank file states it; none without a receipt
    our_account = (txn.our_account or "").strip() if txn is not None else ""
    return {
        "id": entry.id,
        "voucher": voucher,
        "bank_ref": txn.bank_ref if txn is not None else "",
        "value_date": value_date,
        "customer": entry.customer.code,
        "invoice": entry.invoice.number if entry.invoice is not None else "",
        "amount": f"{exact_amount(entry.amount):f}",
        "currency": entry.currency,
        "kind": entry.kind.value,
        "by": entry.actor_label,
        "our_account": our_account,
        "our_bank": (banks or {}).get(account_key(our_account), "") if our_account else "",
    }


def take(
    session: Session, *, after: int = 0, limit: int | None = None, hand_out: bool = True
) -> Batch:
    """Hand out the records after cursor ``after`` (and any left pending below it).

    Marks them exported (flushes, never commits). With ``hand_out=False`` (a reader that is
    not the ERP, e.g. an auditor's read-only token) it only reads the records after the
    cursor and changes nothing: the ERP's next batch still holds every record it has not had.
    """
    after_cursor = Allocation.id > after
    wanted = or_(after_cursor, Allocation.erp_status == ErpStatus.PENDING)
    query = (
        select(Allocation)
        .where(wanted if hand_out else after_cursor)
        .order_by(Allocation.id)
        .options(
            selectinload(Allocation.transaction),
            selectinload(Allocation.customer),
            selectinload(Allocation.invoice),
            selectinload(Allocation.credit_note),
        )
    )
    if limit is not None:
        query = query.limit(limit + 1)
    entries = list(session.scalars(query))
    has_more = limit is not None and len(entries) > limit
    if has_more:
        entries = entries[:limit]
    banks = own_account_banks(current_app.config) if has_app_context() else {}
    records = [as_record(e, banks) for e in entries]
    if hand_out:
        mark_exported(session, entries)
    last = max([after, *(e.id for e in entries)])
    return Batch(records=records, cursor=str(last), has_more=has_more)


def _xlsx_cell(column: str, value: Any) -> Any:
    # amounts stay numbers (a negative reversal is not a formula), dates dates; the shared
    # writer neutralises and cleans the text
    if column == "amount":
        return Decimal(value)
    if column == "value_date" and value:
        return dt.date.fromisoformat(value)
    return value


def render(batch: Batch, fmt: str) -> bytes:
    """The batch as a file: CSV (UTF-8), XLSX or JSON ``{"records": [...], "cursor": ...}``."""
    if fmt == "json":
        return json.dumps(batch.as_json(), ensure_ascii=False, indent=2).encode("utf-8")
    rows: Sequence[dict[str, Any]] = batch.records
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(COLUMNS)
        for r in rows:
            writer.writerow([neutralise(str(r[c])) if c != "amount" else r[c] for c in COLUMNS])
        return buf.getvalue().encode("utf-8")
    if fmt == "xlsx":
        # the header keeps the column keys: the ERP's import maps the file by them
        table = ([_xlsx_cell(c, r[c]) for c in COLUMNS] for r in rows)
        return xlsx_bytes(COLUMNS, table, title="allocations")
    raise LedgerError(f"unknown format {fmt!r} (csv, xlsx or json)")
