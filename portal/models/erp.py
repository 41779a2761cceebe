"""Differences between the ERP's open items and Concord's ledger that finance must settle."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, StatusMachine, TimestampMixin, enum_type

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


class ConflictStatus(enum.StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


CONFLICT_TRANSITIONS: dict[ConflictStatus, frozenset[ConflictStatus]] = {
    ConflictStatus.OPEN: frozenset({ConflictStatus.RESOLVED}),
    ConflictStatus.RESOLVED: frozenset(),
}


class ImportConflict(TimestampMixin, StatusMachine[ConflictStatus], Base):
    """One difference an ERP import found; stays open until finance resolves it with a reason."""

    __tablename__ = "import_conflicts"
    __status_entity__ = "import_conflict"
    __transitions__ = CONFLICT_TRANSITIONS

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    kind: Mapped[ConflictKind] = mapped_column(enum_type(ConflictKind, "import_conflict_kind"))
    status: Mapped[ConflictStatus] = mapped_column(
        enum_type(ConflictStatus, "import_conflict_status"),
        default=ConflictStatus.OPEN,
        index=True,
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

    def move_to(self, new: ConflictStatus) -> None:
        """Change the status along the transition table; the same status again changes nothing."""
        if new != self.status:
            super().move_to(new)
