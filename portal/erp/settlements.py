"""What the ERP settled by itself on an invoice, kept as dated, append-only records.

The ERP's own settled part of an invoice is ``amount - erp_open_amount`` less Concord's ledger
records the ERP has booked: a cheque or cash booked in the ERP, what an invoice imported at
go-live was already paid, an invoice closed as "settled in the ERP". When Concord's records go
round the ERP (exported, booked, the ERP's open amount lower by them) the figure does not move,
so Concord's own money never shows twice.

After an import has written its changes, :func:`append_changes` compares that figure with what
the invoice's :class:`~portal.models.ErpSettlement` rows add up to and appends the difference:
positive when the ERP settled more, negative when it reopened. Statements list these rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.audit import PendingEvent
from portal.bulk import insert_rows
from portal.models import Allocation, ErpSettlement, ErpStatus, Invoice

from .bulk import rows_in

ZERO = Decimal("0.00")


def _sums(session: Session, column: Any, key: Any, ids: list[int], *where: Any) -> dict[int, Any]:
    """``SUM(column)`` by ``key`` over the rows whose key is one of ``ids``."""
    query = select(key, func.sum(column)).where(*where).group_by(key)
    return {row_id: total for row_id, total in rows_in(session, query, key, ids)}


def pending(session: Session, invoice_ids: Iterable[int]) -> dict[int, tuple[Any, Decimal]]:
    """The invoices whose ERP-settled part differs from their settlement rows: by id, the
    invoice's ``(customer_id, currency)`` row and the difference to append."""
    ids = sorted(set(invoice_ids))
    booked = _sums(
        session,
        Allocation.amount,
        Allocation.invoice_id,
        ids,
        Allocation.erp_status == ErpStatus.BOOKED,
    )
    recorded = _sums(session, ErpSettlement.amount, ErpSettlement.invoice_id, ids)
    query = select(
        Invoice.id,
        Invoice.number,
        Invoice.customer_id,
        Invoice.currency,
        Invoice.amount,
        Invoice.erp_open_amount,
    )
    changes: dict[int, tuple[Any, Decimal]] = {}
    for row in rows_in(session, query, Invoice.id, ids):
        settled = row.amount - row.erp_open_amount - Decimal(booked.get(row.id) or 0)
        delta = settled - Decimal(recorded.get(row.id) or 0)
        if delta != 0:
            changes[row.id] = (row, delta)
    return changes


def append_changes(
    session: Session,
    invoice_ids: Iterable[int],
    *,
    days: Mapping[int, dt.date],
    default_day: dt.date,
    source: str,
    now: dt.datetime,
) -> list[PendingEvent]:
    """Append what the ERP settled (or reopened) on these invoices since their last record.

    ``days`` holds the ERP's date of the settlement by invoice id (the file's ``settled_on``);
    others are dated ``default_day``. A row keeps the ERP's day even inside a period already
    issued: statements count it after that period, marked as booked late
    (:mod:`portal.statements.late`). Returns the audit events of the rows appended.
    """
    rows: list[dict[str, Any]] = []
    events: list[PendingEvent] = []
    changes = pending(session, invoice_ids)
    for invoice_id, (invoice, delta) in sorted(changes.items()):
        day = days.get(invoice_id, default_day)
        rows.append(
            {
                "invoice_id": invoice_id,
                "customer_id": invoice.customer_id,
                "currency": invoice.currency,
                "amount": delta,
                "day": day,
                "source": source[:64],
                "created_at": now,
            }
        )
        events.append(
            PendingEvent(
                action="invoice.erp_settlement",
                entity_type="invoice",
                entity_id=invoice.number,
                data={
                    "source": source,
                    "amount": str(delta),
                    "day": day.isoformat(),
                    "settled_on": days[invoice_id].isoformat() if invoice_id in days else None,
                },
            )
        )
    insert_rows(session, ErpSettlement, rows)
    return events
