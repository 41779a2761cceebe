"""What Concord holds of the invoices an ERP file names: their stored fields and ledger sums."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from portal.models import Allocation, ErpStatus, Invoice

from .bulk import stored_rows

INVOICE_FIELDS = (
    "id",
    "number",
    "customer_id",
    "issue_date",
    "due_date",
    "currency",
    "amount",
    "open_amount",
    "erp_open_amount",
    "settled_in_erp",
    "po_number",
    "sales_order_number",
    "contract_number",
    "product_line",
    "status",
)


def load_invoices(session: Session, numbers: list[str]) -> dict[str, dict[str, Any]]:
    """The stored :data:`INVOICE_FIELDS` of the invoices with these numbers, by number."""
    return stored_rows(session, Invoice, "number", INVOICE_FIELDS, numbers)


@dataclasses.dataclass(frozen=True)
class LedgerSums:
    """What Concord's ledger holds on one invoice."""

    #: records the ERP has not booked yet (pending or exported), net of reversals
    unbooked: Decimal
    #: records handed to the ERP and not yet booked
    exported: Decimal
    #: records the ERP confirmed it booked, net of reversals
    booked: Decimal
    #: any record at all, booked or not
    count: int


def load_ledger_sums(session: Session, invoice_ids: Iterable[int]) -> dict[int, LedgerSums]:
    wanted = set(invoice_ids)
    if not wanted:
        return {}
    # one pass over the ledger (far smaller than the open items): no per-invoice query
    query = (
        select(
            Allocation.invoice_id,
            func.coalesce(
                func.sum(case((Allocation.erp_status != ErpStatus.BOOKED, Allocation.amount))), 0
            ),
            func.coalesce(
                func.sum(case((Allocation.erp_status == ErpStatus.EXPORTED, Allocation.amount))),
                0,
            ),
            func.coalesce(
                func.sum(case((Allocation.erp_status == ErpStatus.BOOKED, Allocation.amount))), 0
            ),
            func.count(Allocation.id),
        )
        .where(Allocation.invoice_id.is_not(None))
        .group_by(Allocation.invoice_id)
    )
    return {
        invoice_id: LedgerSums(Decimal(unbooked), Decimal(exported), Decimal(booked), count)
        for invoice_id, unbooked, exported, booked, count in session.execute(query)
        if invoice_id in wanted
    }
