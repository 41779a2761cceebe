"""Follow-up tasks, their comments, and the dunning ladder that creates some of them."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, TimestampMixin, check_transition, enum_type

if TYPE_CHECKING:
    from .customers import Customer
    from .users import User


class FollowUpKind(enum.StrEnum):
    UNMATCHED_CREDIT = "unmatched_credit"
    DISPUTE = "dispute"
    DUNNING_SMS = "dunning_sms"
    DUNNING_CALL = "dunning_call"
    DUNNING_LETTER = "dunning_letter"
    DUNNING_LEGAL = "dunning_legal"
    STATEMENT_UNCONFIRMED = "statement_unconfirmed"
    MANUAL = "manual"


class FollowUpStatus(enum.StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"


FOLLOWUP_TRANSITIONS: dict[FollowUpStatus, frozenset[FollowUpStatus]] = {
    FollowUpStatus.OPEN: frozenset(
        {FollowUpStatus.IN_PROGRESS, FollowUpStatus.DONE, FollowUpStatus.CANCELLED}
    ),
    FollowUpStatus.IN_PROGRESS: frozenset(
        {FollowUpStatus.OPEN, FollowUpStatus.DONE, FollowUpStatus.CANCELLED}
    ),
    FollowUpStatus.DONE: frozenset({FollowUpStatus.OPEN}),
    FollowUpStatus.CANCELLED: frozenset({FollowUpStatus.OPEN}),
}


class FollowUp(TimestampMixin, Base):
    """An internal task with an owner and a due date."""

    __tablename__ = "followups"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[FollowUpKind] = mapped_column(enum_type(FollowUpKind, "followup_kind"), index=True)
    #: what the scheduler made this task for; a second run finds it and creates nothing
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    due_date: Mapped[dt.date] = mapped_column(index=True)
    status: Mapped[FollowUpStatus] = mapped_column(
        enum_type(FollowUpStatus, "followup_status"), default=FollowUpStatus.OPEN, index=True
    )
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"))
    dispute_id: Mapped[int | None] = mapped_column(ForeignKey("disputes.id"))
    transaction_id: Mapped[int | None] = mapped_column(ForeignKey("bank_transactions.id"))
    statement_id: Mapped[int | None] = mapped_column(ForeignKey("statements.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[dt.datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    customer: Mapped[Customer | None] = relationship()
    comments: Mapped[list[FollowUpComment]] = relationship(
        back_populates="followup", order_by="FollowUpComment.id"
    )

    def move_to(self, new: FollowUpStatus) -> None:
        """Change status along the allowed transitions (does not commit)."""
        check_transition("follow-up", FOLLOWUP_TRANSITIONS, self.status, new)
        self.status = new


class FollowUpComment(TimestampMixin, Base):
    """A comment on a task; ``@email`` mentions notify colleagues."""

    __tablename__ = "followup_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    followup_id: Mapped[int] = mapped_column(ForeignKey("followups.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)

    followup: Mapped[FollowUp] = relationship(back_populates="comments")
    author: Mapped[User | None] = relationship()


class DunningStep(TimestampMixin, Base):
    """One rung of the dunning ladder: invoices overdue between min and max days get an action."""

    __tablename__ = "dunning_steps"
    __table_args__ = (
        CheckConstraint("min_days >= 1", name="min_days_positive"),
        CheckConstraint("max_days IS NULL OR max_days >= min_days", name="range_ordered"),
        CheckConstraint(
            "action IN ('sms', 'call', 'letter', 'legal', 'email')", name="action_known"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    min_days: Mapped[int]
    max_days: Mapped[int | None]
    action: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(default=True)
    description: Mapped[str] = mapped_column(Text, default="")
