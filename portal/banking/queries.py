"""Read-side queries of the banking pages: the filtered transaction list and invoice search."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session, joinedload

from ..models import BankTransaction, Customer, Invoice, InvoiceStatus, Job, MatchStatus
from ..search import contains_any
from ..system_texts import system_text
from .labels import flabel
from .problems import problems_text


@dataclass(frozen=True)
class Filters:
    """What the queue and the archive can be narrowed by."""

    status: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    customer: str | None = None
    file: int | None = None
    bank_ref: str | None = None
    q: str | None = None

    @classmethod
    def from_form(cls, data: dict[str, Any]) -> Filters:
        fields = cls.__dataclass_fields__
        return cls(**{k: (v or None) for k, v in data.items() if k in fields})

    def args(self) -> dict[str, str]:
        """The filters as query-string arguments (for pagination and export links)."""
        return {k: str(v) for k, v in self.__dict__.items() if v not in (None, "")}


def transactions_query(filters: Filters) -> Select[BankTransaction]:
    """Transactions matching ``filters``, newest first, with file and customer loaded."""
    query = select(BankTransaction).options(
        joinedload(BankTransaction.customer), joinedload(BankTransaction.file)
    )
    if filters.status:
        query = query.where(BankTransaction.match_status == MatchStatus(filters.status))
    if filters.date_from:
        query = query.where(BankTransaction.booking_date >= filters.date_from)
    if filters.date_to:
        query = query.where(BankTransaction.booking_date <= filters.date_to)
    if filters.amount_min is not None:
        query = query.where(BankTransaction.amount >= filters.amount_min)
    if filters.amount_max is not None:
        query = query.where(BankTransaction.amount <= filters.amount_max)
    if filters.file:
        query = query.where(BankTransaction.file_id == filters.file)
    if filters.bank_ref:
        query = query.where(contains_any(filters.bank_ref, BankTransaction.bank_ref))
    if filters.customer:
        ids = select(Customer.id).where(
            contains_any(filters.customer, Customer.code, Customer.name)
        )
        query = query.where(BankTransaction.customer_id.in_(ids))
    if filters.q:
        query = query.where(
            contains_any(
                filters.q,
                BankTransaction.voucher_number,
                BankTransaction.payer_name,
                BankTransaction.payer_account,
                BankTransaction.reference,
                BankTransaction.bank_ref,
            )
        )
    return query.order_by(BankTransaction.booking_date.desc(), BankTransaction.id.desc())


def find_invoices(
    session: Session,
    *,
    text: str | None = None,
    amount: Decimal | None = None,
    currency: str | None = None,
    limit: int = 20,
) -> list[Invoice]:
    """Open invoices by number, customer (code or name) or amount, oldest due first."""
    query = (
        select(Invoice)
        .join(Customer, Customer.id == Invoice.customer_id)
        .options(joinedload(Invoice.customer))
        .where(
            Invoice.open_amount > 0,
            Invoice.status.in_((InvoiceStatus.OPEN, InvoiceStatus.PARTIALLY_PAID)),
        )
    )
    if text:
        query = query.where(
            contains_any(
                text.strip(), Invoice.number, Invoice.po_number, Customer.code, Customer.name
            )
        )
    if amount is not None:
        query = query.where(or_(Invoice.open_amount == amount, Invoice.amount == amount))
    if currency:
        query = query.where(Invoice.currency == currency)
    return list(session.scalars(query.order_by(Invoice.due_date, Invoice.id).limit(limit)))


def transaction_invoices(
    session: Session, txn: BankTransaction
) -> tuple[dict[str, Invoice], dict[int, Invoice]]:
    """The invoices a transaction's suggestions name (by number) and its allocations pay (by id)."""
    numbers = [a["invoice"] for s in txn.suggestions or [] for a in s.get("allocations", [])]
    suggested = {
        i.number: i for i in session.scalars(select(Invoice).where(Invoice.number.in_(numbers)))
    }
    ids = [a.invoice_id for a in txn.allocations if a.invoice_id]
    allocated = {i.id: i for i in session.scalars(select(Invoice).where(Invoice.id.in_(ids)))}
    return suggested, allocated


def job_status(job: Job) -> dict[str, Any]:
    """The JSON the upload page polls: status, progress and each file's outcome."""
    files = [
        {
            **f,
            "errors": problems_text(f.get("errors")),
            "status_label": str(flabel(f.get("status", ""))),
            "counts_text": ", ".join(
                f"{flabel(k)} {n}" for k, n in (f.get("counts") or {}).items()
            ),
        }
        for f in (job.result or {}).get("files", {}).values()
    ]
    return {
        **job_progress(job),
        "error": system_text(job.error) if job.error else None,
        "attempts": job.attempts,
        "files": files,
    }


def job_progress(job: Job) -> dict[str, Any]:
    """What every page polling a background job shows: its status and how far it got."""
    return {
        "id": job.id,
        "status": job.status.value,
        "status_label": str(flabel(job.status)),
        "done": job.progress_done,
        "total": job.progress_total,
        "percent": int(100 * job.progress_done / job.progress_total) if job.progress_total else 0,
    }
