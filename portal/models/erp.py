"""Differences between the ERP's open items and Concord's ledger that finance must settle."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Finding, Model, StatusEnum, TimestampMixin, enum_type, status_column

if TYPE_CHECKING:
    from .invoices import Invoice
    from .users import User


class ConflictKind(enum.StrEnum):
    #: the ERP changed the invoice amount (or currency, or customer)
    AMOUNT_CHANGED = "amount_changed"
    #: the ERP no longer lists an invoice to which Concord has applied money
    DROPPED_WITH_ALLOCATIONS = "dropped_with_allocations"
    #: the ERP's open amount moved by something other than what Concord applied
    OPEN_AMOUNT_DIFFERS = "open_amount_differs"


class ConflictStatus(StatusEnum, entity="import_conflict"):
    OPEN = "open", "resolved"
    RESOLVED = "resolved"


class ImportConflict(TimestampMixin, Finding[ConflictStatus], Model):
    """One difference an ERP import found; stays open until finance resolves it with a reason."""

    __tablename__ = "import_conflicts"

    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    kind: Mapped[ConflictKind] = mapped_column(enum_type(ConflictKind, "import_conflict_kind"))
    status: Mapped[ConflictStatus] = status_column(
        "import_conflict_status", ConflictStatus.OPEN, index=True
    )
    #: what the ERP reported and what Concord holds (amounts as decimal strings)
    erp: Mapped[dict[str, Any]] = mapped_column(default=dict)
    concord: Mapped[dict[str, Any]] = mapped_column(default=dict)
    source: Mapped[str] = mapped_column(String(64), default="")
    reason: Mapped[str | None] = mapped_column(Text)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolved_at: Mapped[dt.datetime | None]

    invoice: Mapped[Invoice] = relationship()
    resolved_by: Mapped[User | None] = relationship()

    def _closed(self, by_id: int, at: dt.datetime) -> None:
        self.resolved_by_id, self.resolved_at = by_id, at


class ErpSettlement(TimestampMixin, Model):
    """Money the ERP settled on an invoice by itself, as the import saw it change: a cheque or
    cash booked in the ERP, what an invoice imported at go-live was already paid, an invoice
    closed as settled in the ERP. Concord's own ledger records the ERP booked are no part of it.

    Appended by the ERP import only, never updated or deleted: ``amount`` is the change of the
    ERP's own settled part of the invoice (``amount - erp_open_amount - Concord's records the
    ERP booked``); positive lowers what the customer owes, negative when the ERP reopens it.
    Statements list each row on its ``day``.
    """

    __tablename__ = "erp_settlements"
    __table_args__ = (CheckConstraint("amount != 0", name="amount_not_zero"),)

    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    currency: Mapped[str] = mapped_column(String(3))
    amount: Mapped[Decimal]
    #: the ERP's date of the settlement (the file's ``settled_on``), else the import's day
    day: Mapped[dt.date]
    #: the import that saw it (``csv:FILE``, ``api``) or ``migration``
    source: Mapped[str] = mapped_column(String(64), default="")
