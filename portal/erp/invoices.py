"""Import the ERP's open items without overwriting what Concord did.

Concord keeps the ERP's figure (``Invoice.erp_open_amount``) apart from its own ledger records;
``Invoice.open_amount`` is the ERP's figure less the records the ERP has not booked yet. For an
invoice already in Concord, the new figure from the ERP means:

* unchanged while Concord has settled the invoice: Concord's settlement stands (it waits to be
  exported); nothing reopens;
* lower by exactly what Concord applied (all records not booked yet, or those exported): the ERP
  booked them: they are marked booked and no conflict arises (the round trip);
* paid (open 0, or absent from a ``--full`` file) with no Concord record: "settled in the
  ERP": the invoice closes and its open follow-ups close with it;
* any other change while Concord has records not booked, a changed amount, currency or customer
  of an invoice Concord applied money to, or an invoice dropped by a ``--full`` file although
  Concord applied money to it: a conflict is listed for finance (``import_conflicts``).

Invoices without Concord records simply follow the ERP. Whatever moves the ERP's own settled
part of an invoice is appended to ``erp_settlements`` for statements (:mod:`.settlements`).
The work is done in bulk: a few ``IN (...)`` queries to read, multi-row statements to write;
only invoices with Concord records go through :mod:`portal.ledger` one by one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from flask_babel import gettext
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal import ledger
from portal.audit import PendingEvent, record_many
from portal.bulk import insert_rows
from portal.contracts.review import check_imported
from portal.models import (
    Allocation,
    ConflictKind,
    ConflictStatus,
    ErpStatus,
    FollowUp,
    FollowUpStatus,
    ImportConflict,
    Invoice,
    InvoiceStatus,
    User,
    utcnow,
)
from portal.models.invoices import status_for_open_amount

from ..localtime import local_day
from . import parsing as p
from . import settlements
from .bulk import analyze, bulk_update, change_event, customer_ids, record_summary, refresh
from .invoice_rows import INVOICE_COLUMNS, InvoiceRow, parse_invoice, plain_fields
from .invoice_state import INVOICE_FIELDS, LedgerSums, load_invoices, load_ledger_sums
from .parsing import ErpImportError, ImportSummary, Row, RowError, read_csv

#: who the ledger records as acting for an import without a user
IMPORT_ACTOR = "erp-import"
ZERO = Decimal("0.00")

#: a change to one of these fields checks the invoice against its contract again
_CHECKED_FIELDS = frozenset(
    {"customer_id", "issue_date", "due_date", "currency", "amount", "contract_number"}
)
#: fields whose change by the ERP conflicts with money Concord applied
_IDENTITY_FIELDS = ("customer_id", "currency", "amount")


def _conflict_key(invoice_id: int, kind: ConflictKind, erp: Mapping[str, Any]) -> str:
    return json.dumps([invoice_id, kind.value, erp], sort_keys=True, default=str)


@dataclasses.dataclass
class _LedgerWork:
    """An invoice with Concord records the ERP has not booked, whose ERP figures moved."""

    invoice_id: int
    number: str
    erp_open: Decimal
    kind: ConflictKind
    #: the other fields the ERP changed (applied through the ORM with the ledger's figures)
    diff: dict[str, Any]
    changes: dict[str, Any]
    #: finance resolved this very change of amount before: take the ERP's figures as they are
    accept: bool = False


class _Run:
    """One import of invoices: collects the writes, then does them in bulk."""

    def __init__(self, session: Session, *, actor: User | None, source: str) -> None:
        self.session = session
        self.actor = actor
        self.source = source
        self.summary = ImportSummary("invoices")
        self.now = utcnow()
        self.new_rows: list[dict[str, Any]] = []
        self.updates: list[dict[str, Any]] = []
        self.events: list[PendingEvent] = []
        self.to_check: list[str] = []
        self.closed_ids: list[int] = []
        #: invoices the ledger must handle one by one: (invoice id, new ERP open amount)
        self.ledger_work: list[_LedgerWork] = []
        self.conflicts: list[tuple[int, ConflictKind, dict[str, Any], dict[str, Any]]] = []
        self.records: dict[int, LedgerSums] = {}
        #: conflicts listed before, by key: finance's resolution stands for the same figures
        self.known: dict[str, ConflictStatus] = {}
        #: the file's ``settled_on`` by invoice id, and of the new invoices by number
        self.settled_on: dict[int, dt.date] = {}
        self.new_settled_on: dict[str, dt.date] = {}

    def load_known(self, invoice_ids: list[int]) -> None:
        for chunk in p.chunks(invoice_ids):
            for invoice_id, kind, erp, status in self.session.execute(
                select(
                    ImportConflict.invoice_id,
                    ImportConflict.kind,
                    ImportConflict.erp,
                    ImportConflict.status,
                ).where(ImportConflict.invoice_id.in_(chunk))
            ):
                key = _conflict_key(invoice_id, kind, erp)
                if self.known.get(key) is not ConflictStatus.OPEN:
                    self.known[key] = status

    def event(self, action: str, number: str, fields: dict[str, Any]) -> None:
        self.events.append(
            change_event(action, "invoice", number, source=self.source, fields=fields)
        )

    # --- a row of the file -------------------------------------------------------------------

    def create(self, item: InvoiceRow, customer_id: int) -> None:
        self.to_check.append(item.number)
        if item.settled_on is not None:
            self.new_settled_on[item.number] = item.settled_on
        self.new_rows.append(
            {
                "number": item.number,
                **plain_fields(item, customer_id),
                "open_amount": item.open_amount,
                "erp_open_amount": item.open_amount,
                "settled_in_erp": False,
                "status": status_for_open_amount(item.amount, item.open_amount),
                "created_at": self.now,
                "updated_at": self.now,
            }
        )
        self.summary.created += 1
        self.event(
            "invoice.created",
            item.number,
            {
                "number": item.number,
                "customer": item.customer,
                "issue_date": item.issue_date.isoformat(),
                "due_date": item.due_date.isoformat(),
                "currency": item.currency,
                "amount": str(item.amount),
                "open_amount": str(item.open_amount),
                "po_number": item.po_number,
                **dict(item.optional),
            },
        )

    def update(self, item: InvoiceRow, current: dict[str, Any], customer_id: int) -> None:
        if item.settled_on is not None:
            self.settled_on[current["id"]] = item.settled_on
        records = self.records.get(current["id"])
        wanted = plain_fields(item, customer_id)
        diff = {k: v for k, v in wanted.items() if current[k] != v}
        erp_open = item.open_amount
        conflict = False
        identity = any(k in diff for k in _IDENTITY_FIELDS)
        if records is not None and records.count and identity:
            if self.conflict(current, ConflictKind.AMOUNT_CHANGED, item):
                # the ERP changed what Concord applied money against: finance decides
                for key in _IDENTITY_FIELDS:
                    diff.pop(key, None)
                erp_open = current["erp_open_amount"]
                conflict = True
        changes = {k: [current[k], v] for k, v in diff.items()}
        if erp_open != current["erp_open_amount"]:
            changes["open_amount"] = [current["erp_open_amount"], erp_open]
        if _CHECKED_FIELDS.intersection(diff):
            self.to_check.append(item.number)
        if (
            records is not None
            and records.unbooked != 0
            and (erp_open != current["erp_open_amount"] or "amount" in diff)
        ):
            self.ledger_work.append(
                _LedgerWork(
                    invoice_id=current["id"],
                    number=item.number,
                    erp_open=erp_open,
                    kind=ConflictKind.OPEN_AMOUNT_DIFFERS,
                    diff=diff,
                    changes=changes,
                    accept=identity and not conflict,
                )
            )
            return
        if (
            records is not None
            and records.booked > 0
            and erp_open > current["erp_open_amount"]
            and not conflict
            and self.conflict(current, ConflictKind.OPEN_AMOUNT_DIFFERS, item)
        ):
            # the ERP shows open again money it confirmed booking (a file from before the
            # booking, or undone in the ERP): nothing reopens and nobody is dunned; finance decides
            erp_open = current["erp_open_amount"]
            changes.pop("open_amount", None)
            conflict = True
        if erp_open != current["erp_open_amount"]:
            amount = diff.get("amount", current["amount"])
            if erp_open == 0 and current["erp_open_amount"] > 0 and "amount" not in diff:
                self.close(current)
                if diff:
                    self.plain_update(current, diff)
                    self.event("invoice.updated", item.number, changes)
                return
            diff.update(self.open_fields(current, amount, erp_open))
        if not diff:
            if not conflict:
                self.summary.unchanged += 1
            return
        self.plain_update(current, diff)
        self.summary.updated += 1
        self.event("invoice.updated", item.number, changes)

    def open_fields(
        self, current: dict[str, Any], amount: Decimal, erp_open: Decimal
    ) -> dict[str, Any]:
        """The new open amounts and status of an invoice without unbooked Concord records."""
        status = status_for_open_amount(amount, erp_open)
        fields: dict[str, Any] = {"erp_open_amount": erp_open, "open_amount": erp_open}
        if status is not current["status"]:
            fields["status"] = status
        if erp_open > 0 and current["settled_in_erp"]:
            fields["settled_in_erp"] = False
        return fields

    def plain_update(self, current: dict[str, Any], diff: dict[str, Any]) -> None:
        if "amount" in diff and "open_amount" not in diff:
            # a lower amount must not leave the open amounts above it
            diff.update(
                self.open_fields(
                    current, diff["amount"], min(current["erp_open_amount"], diff["amount"])
                )
            )
        self.updates.append({"id": current["id"], **diff, "updated_at": self.now})

    def close(self, current: dict[str, Any]) -> None:
        """The ERP reports paid what Concord has no record for: settled in the ERP."""
        fields = self.open_fields(current, current["amount"], ZERO)
        fields["settled_in_erp"] = True
        self.updates.append({"id": current["id"], **fields, "updated_at": self.now})
        self.closed_ids.append(current["id"])
        self.summary.closed += 1
        self.events.append(
            PendingEvent(
                action="invoice.settled_in_erp",
                entity_type="invoice",
                entity_id=current["number"],
                data={
                    "source": self.source,
                    "open_amount_before": str(current["open_amount"]),
                },
            )
        )

    def conflict(
        self,
        current: dict[str, Any],
        kind: ConflictKind,
        item: InvoiceRow | None,
        erp: dict[str, Any] | None = None,
    ) -> bool:
        """List a conflict; return False when finance resolved this very difference before."""
        if erp is None:
            erp = {"open_amount": "0.00", "listed": False}
        if item is not None:
            erp = {
                "amount": str(item.amount),
                "open_amount": str(item.open_amount),
                "currency": item.currency,
                "customer": item.customer,
            }
        if self.known.get(_conflict_key(current["id"], kind, erp)) is ConflictStatus.RESOLVED:
            return False
        records = self.records.get(current["id"])
        concord = {
            "amount": str(current["amount"]),
            "open_amount": str(current["open_amount"]),
            "erp_open_amount": str(current["erp_open_amount"]),
            "currency": current["currency"],
            "unbooked": str(records.unbooked if records else ZERO),
        }
        self.conflicts.append((current["id"], kind, erp, concord))
        return True

    # --- the ERP dropped an invoice (--full) -------------------------------------------------

    def dropped(self, current: dict[str, Any]) -> None:
        records = self.records.get(current["id"])
        if records is not None and records.unbooked != 0:
            self.ledger_work.append(
                _LedgerWork(
                    invoice_id=current["id"],
                    number=current["number"],
                    erp_open=ZERO,
                    kind=ConflictKind.DROPPED_WITH_ALLOCATIONS,
                    diff={},
                    changes={"open_amount": [current["erp_open_amount"], ZERO]},
                )
            )
        else:
            self.close(current)

    # --- writing -----------------------------------------------------------------------------

    def run_ledger(self, stored_by_id: Mapping[int, dict[str, Any]]) -> None:
        """Invoices with Concord records not yet booked: the ERP booked them, or a conflict."""
        who: ledger.Actor = self.actor if self.actor is not None else IMPORT_ACTOR
        for work in self.ledger_work:
            invoice = self.session.get(Invoice, work.invoice_id)
            assert invoice is not None
            records = self.records[work.invoice_id]
            drop = invoice.erp_open_amount - work.erp_open
            booked: Sequence[Allocation] = ()
            if work.accept or drop == 0:
                pass
            elif drop == records.unbooked:
                booked = self._unbooked(work.invoice_id, ErpStatus.BOOKED, exclude=True)
            elif drop == records.exported:
                booked = self._unbooked(work.invoice_id, ErpStatus.EXPORTED)
            else:
                erp = {
                    "open_amount": str(work.erp_open),
                    "listed": work.kind is not ConflictKind.DROPPED_WITH_ALLOCATIONS,
                }
                if self.conflict(stored_by_id[work.invoice_id], work.kind, None, erp):
                    # Concord's figures stay until finance settles the difference
                    plain = {k: v for k, v in work.diff.items() if k not in _IDENTITY_FIELDS}
                    if plain:
                        self.plain_update(stored_by_id[work.invoice_id], plain)
                        self.summary.updated += 1
                    continue
            if "amount" in work.diff:
                # keep both open amounts within the new amount while the ledger recomputes
                amount = work.diff["amount"]
                invoice.erp_open_amount = min(invoice.erp_open_amount, amount)
                invoice.set_open_amount(min(invoice.open_amount, amount))
            for key, value in work.diff.items():
                setattr(invoice, key, value)
            # the ERP's figure first: booking then leaves Concord's open amount where it is
            ledger.set_erp_open(self.session, invoice, work.erp_open)
            if booked:
                ledger.mark_booked(self.session, list(booked), actor=who, adjust_erp_open=False)
            self.summary.updated += 1
            self.event("invoice.updated", work.number, work.changes)

    def _unbooked(
        self, invoice_id: int, status: ErpStatus, *, exclude: bool = False
    ) -> Sequence[Allocation]:
        condition = Allocation.erp_status != status if exclude else Allocation.erp_status == status
        return self.session.scalars(
            select(Allocation).where(Allocation.invoice_id == invoice_id, condition)
        ).all()

    def write(self) -> None:
        session = self.session
        insert_rows(session, Invoice, self.new_rows)
        bulk_update(session, Invoice, self.updates)
        analyze(session, "invoices", len(self.new_rows))
        self.append_settlements()
        self.close_followups()
        self.store_conflicts()
        record_many(session, actor=self.actor, events=self.events)

    def append_settlements(self) -> None:
        """Record what the ERP settled or reopened on the invoices this import changed."""
        ids = {row["id"] for row in self.updates} | {w.invoice_id for w in self.ledger_work}
        created = [row["number"] for row in self.new_rows if row["open_amount"] != row["amount"]]
        for chunk in p.chunks(created):
            for number, invoice_id in self.session.execute(
                select(Invoice.number, Invoice.id).where(Invoice.number.in_(chunk))
            ):
                ids.add(invoice_id)
                if number in self.new_settled_on:
                    self.settled_on[invoice_id] = self.new_settled_on[number]
        self.events.extend(
            settlements.append_changes(
                self.session,
                ids,
                days=self.settled_on,
                default_day=local_day(self.now),
                source=self.source,
                now=self.now,
            )
        )

    def close_followups(self) -> None:
        """Open follow-ups of invoices settled in the ERP are done."""
        for chunk in p.chunks(self.closed_ids):
            tasks = list(
                self.session.execute(
                    select(FollowUp.id, FollowUp.title).where(
                        FollowUp.invoice_id.in_(chunk),
                        FollowUp.status.in_([FollowUpStatus.OPEN, FollowUpStatus.IN_PROGRESS]),
                    )
                )
            )
            if not tasks:
                continue
            self.session.execute(
                update(FollowUp)
                .where(FollowUp.id.in_([task.id for task in tasks]))
                .values(status=FollowUpStatus.DONE, closed_at=self.now)
                .execution_options(synchronize_session=False)
            )
            self.events.extend(
                PendingEvent(
                    action="followup.closed",
                    entity_type="followup",
                    entity_id=task.id,
                    reason="settled in the ERP",
                    data={"source": self.source},
                )
                for task in tasks
            )

    def store_conflicts(self) -> None:
        """Add the conflicts found, except those already listed with the same ERP figures."""
        if not self.conflicts:
            return
        ids = sorted({invoice_id for invoice_id, *_ in self.conflicts})
        known = self.known
        numbers: dict[int, str] = {}
        for chunk in p.chunks(ids):
            for invoice_id, number in self.session.execute(
                select(Invoice.id, Invoice.number).where(Invoice.id.in_(chunk))
            ):
                numbers[invoice_id] = number
        for invoice_id, kind, erp, concord in self.conflicts:
            key = _conflict_key(invoice_id, kind, erp)
            status = known.get(key)
            self.summary.conflicts += 1
            if status is ConflictStatus.OPEN:
                continue
            known[key] = ConflictStatus.OPEN
            self.session.add(
                ImportConflict(
                    invoice_id=invoice_id,
                    kind=kind,
                    erp=erp,
                    concord=concord,
                    source=self.source[:64],
                )
            )
            self.summary.new_conflicts += 1
            self.events.append(
                PendingEvent(
                    action="erp.conflict",
                    entity_type="invoice",
                    entity_id=numbers[invoice_id],
                    data={"kind": kind.value, "erp": erp, "concord": concord},
                )
            )
        self.session.flush()


def _customers_of_bad_rows(rows: Iterable[Row], bad: set[int]) -> list[tuple[int, str]]:
    """The customer code of each refused row that has a readable one."""
    found: list[tuple[int, str]] = []
    for line, row in rows:
        if line not in bad or not isinstance(row, Mapping):
            continue
        try:
            code = p.text(row, "customer", required=True, max_len=40, identifier=True)
        except p.BadValue:
            continue
        if code is not None:
            found.append((line, code))
    return found


def import_invoices(
    session: Session,
    rows: Iterable[Row],
    *,
    actor: User | None = None,
    source: str = "api",
    full: bool = False,
) -> ImportSummary:
    """Validate all rows, then create or update invoices by number (flushes, never commits).

    :param full: the rows are the ERP's complete list of open items: an open invoice missing
        from them is paid in the ERP (settled there, or a conflict if Concord applied money).
    :raises ErpImportError: any row is bad; nothing was changed.
    """
    rows = list(rows)
    parsed, errors = p.collect(rows, parse_invoice)
    errors += p.duplicates(parsed, "number", gettext("invoice number"))
    session.flush()
    # a bad row's customer is checked too: the row reports all of its problems at once
    refused = _customers_of_bad_rows(rows, {error.line for error in errors})
    customers = customer_ids(
        session, [*(item.customer for _, item in parsed), *(code for _, code in refused)]
    )
    errors += [
        RowError(line, gettext("unknown customer: %(code)s", code=code))
        for line, code in refused
        if code not in customers
    ]
    stored = load_invoices(session, [item.number for _, item in parsed])
    for line, item in parsed:
        if item.customer not in customers:
            errors.append(RowError(line, gettext("unknown customer: %(code)s", code=item.customer)))
            continue
        current = stored.get(item.number)
        if current is not None and current["status"] is InvoiceStatus.CANCELLED:
            wanted = plain_fields(item, customers[item.customer])
            wanted["erp_open_amount"] = item.open_amount
            if any(current[k] != v for k, v in wanted.items()):
                errors.append(
                    RowError(
                        line,
                        gettext("invoice %(number)s is cancelled in Concord", number=item.number),
                    )
                )
    if errors:
        raise ErpImportError(errors)

    run = _Run(session, actor=actor, source=source)
    missing: dict[str, dict[str, Any]] = {}
    if full:
        listed = {item.number for _, item in parsed}
        columns = [getattr(Invoice, name) for name in INVOICE_FIELDS]
        for found in session.execute(
            select(*columns).where(
                Invoice.erp_open_amount > 0, Invoice.status != InvoiceStatus.CANCELLED
            )
        ):
            if found.number not in listed:
                missing[found.number] = found._asdict()
    known_ids = [row["id"] for row in (*stored.values(), *missing.values())]
    run.records = load_ledger_sums(session, known_ids)
    run.load_known([i for i in known_ids if i in run.records])
    for _, item in parsed:
        current = stored.get(item.number)
        if current is None:
            run.create(item, customers[item.customer])
        else:
            run.update(item, current, customers[item.customer])
    for current in missing.values():
        run.dropped(current)
    run.run_ledger({row["id"]: row for row in (*stored.values(), *missing.values())})
    run.write()
    summary = run.summary
    summary.held = check_imported(session, run.to_check, actor=actor, source=source)
    record_summary(session, summary, actor=actor, source=source)
    refresh(session)
    return summary


def import_invoices_csv(
    session: Session,
    data: bytes,
    *,
    actor: User | None = None,
    filename: str = "upload.csv",
    full: bool = False,
) -> ImportSummary:
    """Import an invoices CSV export (see :func:`import_invoices`)."""
    rows = read_csv(data, INVOICE_COLUMNS, vocabulary="invoices")
    return import_invoices(session, rows, actor=actor, source=f"csv:{filename}", full=full)
