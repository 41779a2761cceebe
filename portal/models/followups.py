"""Follow-up tasks; collections: cases per customer and currency, ladders, proposals, promises."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import (
    Model,
    StatusEnum,
    StatusMachine,
    TimestampMixin,
    enum_type,
    one_of,
    status_column,
    utcnow,
)

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


class FollowUpStatus(StatusEnum, entity="follow-up"):
    OPEN = "open", "in_progress", "done", "cancelled"
    IN_PROGRESS = "in_progress", "open", "done", "cancelled"
    DONE = "done", "open"
    CANCELLED = "cancelled", "open"


class FollowUp(TimestampMixin, StatusMachine[FollowUpStatus], Model):
    """An internal task with an owner and a due date."""

    __tablename__ = "followups"
    __audit_type__ = "followup"

    kind: Mapped[FollowUpKind] = mapped_column(enum_type(FollowUpKind, "followup_kind"), index=True)
    #: what the scheduler made this task for; a second run finds it and creates nothing
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    due_date: Mapped[dt.date] = mapped_column(index=True)
    status: Mapped[FollowUpStatus] = status_column(
        "followup_status", FollowUpStatus.OPEN, index=True
    )
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"))
    dispute_id: Mapped[int | None] = mapped_column(ForeignKey("disputes.id"))
    transaction_id: Mapped[int | None] = mapped_column(ForeignKey("bank_transactions.id"))
    statement_id: Mapped[int | None] = mapped_column(ForeignKey("statements.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[dt.datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: the collection case a call or hand-over task belongs to
    case_id: Mapped[int | None] = mapped_column(ForeignKey("collection_cases.id"), index=True)

    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    customer: Mapped[Customer | None] = relationship()
    comments: Mapped[list[FollowUpComment]] = relationship(
        back_populates="followup", order_by="FollowUpComment.id"
    )


class FollowUpComment(TimestampMixin, Model):
    """A comment on a task; ``@email`` mentions notify colleagues."""

    __tablename__ = "followup_comments"

    followup_id: Mapped[int] = mapped_column(ForeignKey("followups.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)

    followup: Mapped[FollowUp] = relationship(back_populates="comments")
    author: Mapped[User | None] = relationship()


# --- collections: cases per customer and currency, ladders, proposals, promises ---------------

CHANNELS = ("sms", "email", "call", "letter", "legal")


class CaseStatus(StatusEnum, entity="collection case"):
    OPEN = "open", "legal", "closed"
    LEGAL = "legal", "closed"
    #: something new falls overdue: the same case opens again, its history continues
    CLOSED = "closed", "open"


class Ladder(TimestampMixin, Model):
    """A collection ladder; the first active one (by priority) whose criteria fit is used."""

    __tablename__ = "collection_ladders"

    name: Mapped[str] = mapped_column(String(120), unique=True)
    #: customers of this segment only (``None``: any segment)
    segment: Mapped[str | None] = mapped_column(String(80))
    #: customers of these credit grades only, e.g. ``"C,D"`` (``None``: any grade)
    credit_grades: Mapped[str | None] = mapped_column(String(20))
    priority: Mapped[int] = mapped_column(default=100)
    active: Mapped[bool] = mapped_column(default=True)
    #: used when no other ladder fits
    is_default: Mapped[bool] = mapped_column(default=False)

    steps: Mapped[list[LadderStep]] = relationship(
        back_populates="ladder", order_by="LadderStep.position", cascade="all, delete-orphan"
    )

    def grades(self) -> frozenset[str]:
        """The credit grades this ladder is for (empty: any)."""
        return frozenset(g.strip().upper() for g in (self.credit_grades or "").split(",") if g)


class LadderStep(TimestampMixin, Model):
    """One step of a ladder: a channel, when it may start, and its message per language."""

    __tablename__ = "collection_ladder_steps"
    __table_args__ = (
        one_of("channel", CHANNELS),
        CheckConstraint("min_gap_days >= 0", name="min_gap_not_negative"),
        UniqueConstraint("ladder_id", "position"),
    )

    ladder_id: Mapped[int] = mapped_column(ForeignKey("collection_ladders.id", ondelete="CASCADE"))
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(120))
    channel: Mapped[str] = mapped_column(String(16))
    #: days after the oldest item's due date when the step may start (negative: before it)
    offset_days: Mapped[int] = mapped_column(default=0)
    #: minimum days since the previous step of the case
    min_gap_days: Mapped[int] = mapped_column(default=0)
    auto_approve: Mapped[bool] = mapped_column(default=False)
    #: passed over when the next step is due already (never for the first contact)
    skippable: Mapped[bool] = mapped_column(default=False)
    #: also tell the account manager (by email) when the step is sent
    notify_manager: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    #: ``{"zh": {"subject": ..., "body": ...}, "en": {...}}`` with ``{placeholders}``
    templates: Mapped[dict[str, Any]] = mapped_column(default=dict)

    ladder: Mapped[Ladder] = relationship(back_populates="steps")


class CollectionCase(TimestampMixin, StatusMachine[CaseStatus], Model):
    """What one customer owes overdue in one currency, and everything done to collect it."""

    __tablename__ = "collection_cases"
    __table_args__ = (
        UniqueConstraint("customer_id", "currency"),
        CheckConstraint("overdue_amount >= 0", name="overdue_not_negative"),
        CheckConstraint("broken_promises >= 0", name="broken_promises_not_negative"),
    )

    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[CaseStatus] = status_column("case_status", CaseStatus.OPEN, index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    ladder_id: Mapped[int | None] = mapped_column(ForeignKey("collection_ladders.id"))
    #: the last step taken in this cycle (``None``: no contact yet)
    step_id: Mapped[int | None] = mapped_column(ForeignKey("collection_ladder_steps.id"))
    step_on: Mapped[dt.date | None]
    #: counts the openings; proposals are unique per cycle and step
    cycle: Mapped[int] = mapped_column(default=1)
    opened_on: Mapped[dt.date]
    closed_at: Mapped[dt.datetime | None]
    overdue_amount: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    oldest_due_date: Mapped[dt.date | None]
    item_count: Mapped[int] = mapped_column(default=0)
    #: a promise pauses the ladder until this date (promise date plus grace)
    paused_until: Mapped[dt.date | None]
    #: a broken promise lets the next step start without waiting for its minimum gap
    escalate: Mapped[bool] = mapped_column(default=False)
    broken_promises: Mapped[int] = mapped_column(default=0)
    legal_approver_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    legal_at: Mapped[dt.datetime | None]

    customer: Mapped[Customer] = relationship()
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    ladder: Mapped[Ladder | None] = relationship()
    step: Mapped[LadderStep | None] = relationship()
    legal_approver: Mapped[User | None] = relationship(foreign_keys=[legal_approver_id])


class CaseEvent(Model):
    """One line of a case's history: a message sent, a call and its outcome, a promise..."""

    __tablename__ = "collection_case_events"
    __table_args__ = (one_of("channel", (*CHANNELS, "portal", "note", "system")),)

    case_id: Mapped[int] = mapped_column(ForeignKey("collection_cases.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    channel: Mapped[str] = mapped_column(String(16))
    #: what happened: sent, call, opened, closed, step, promise, promise_kept, legal...
    kind: Mapped[str] = mapped_column(String(32))
    outcome: Mapped[str | None] = mapped_column(String(40))
    body: Mapped[str] = mapped_column(Text, default="")
    recipient: Mapped[str | None] = mapped_column(String(254))
    invoice_ids: Mapped[list[Any]] = mapped_column(default=list)
    #: a generated PDF (letter, case file) under ``instance/collections/``
    file_name: Mapped[str | None] = mapped_column(String(200))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action_id: Mapped[int | None] = mapped_column(ForeignKey("collection_actions.id"))

    actor: Mapped[User | None] = relationship()


class CollectionRun(Model):
    """One follow-up run and what it did (the ``followups run --json`` line)."""

    __tablename__ = "collection_runs"

    run_on: Mapped[dt.date] = mapped_column(index=True)
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    result: Mapped[dict[str, Any]] = mapped_column(default=dict)


class ActionStatus(StatusEnum, entity="collection action"):
    PROPOSED = "proposed", "excluded", "approved", "cancelled"
    EXCLUDED = "excluded", "proposed"
    #: approved but held (quiet hours, weekly cap) until the next run sends it
    APPROVED = "approved", "sent", "cancelled"
    SENT = "sent"
    #: withdrawn before it was sent (a promise, its items settled, the case closed); proposed
    #: again when the step falls due again in the same cycle
    CANCELLED = "cancelled", "proposed"


class CollectionAction(TimestampMixin, StatusMachine[ActionStatus], Model):
    """A step proposed for a case by a run; finance approves (or excludes) it before sending."""

    __tablename__ = "collection_actions"
    __table_args__ = (
        UniqueConstraint("case_id", "cycle", "step_id"),
        one_of("channel", CHANNELS),
        CheckConstraint("amount >= 0", name="amount_not_negative"),
    )

    run_id: Mapped[int | None] = mapped_column(ForeignKey("collection_runs.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("collection_cases.id"), index=True)
    cycle: Mapped[int]
    step_id: Mapped[int] = mapped_column(ForeignKey("collection_ladder_steps.id"))
    channel: Mapped[str] = mapped_column(String(16))
    status: Mapped[ActionStatus] = status_column(
        "collection_action_status", ActionStatus.PROPOSED, index=True
    )
    proposed_on: Mapped[dt.date]
    invoice_ids: Mapped[list[Any]] = mapped_column(default=list)
    excluded_invoice_ids: Mapped[list[Any]] = mapped_column(default=list)
    amount: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    language: Mapped[str] = mapped_column(String(2), default="zh")
    recipient: Mapped[str | None] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    #: why it is excluded, held or cancelled
    note: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime | None]
    sent_at: Mapped[dt.datetime | None]

    case: Mapped[CollectionCase] = relationship()
    step: Mapped[LadderStep] = relationship()


class PromiseStatus(StatusEnum, entity="promise"):
    OPEN = "open", "kept", "broken", "cancelled"
    KEPT = "kept"
    #: judged again when money that came in time is applied after the break (see
    #: :mod:`portal.followups.promises_late`): kept, or an instalment plan open again
    BROKEN = "broken", "kept", "open"
    CANCELLED = "cancelled"


class Promise(TimestampMixin, StatusMachine[PromiseStatus], Model):
    """A promise to pay a case's overdue items: one date and amount, or instalments."""

    __tablename__ = "payment_promises"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("baseline_open >= 0", name="baseline_not_negative"),
        CheckConstraint("grace_days >= 0", name="grace_not_negative"),
        one_of("source", ("call", "portal", "staff")),
    )

    case_id: Mapped[int] = mapped_column(ForeignKey("collection_cases.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[PromiseStatus] = status_column("promise_status", PromiseStatus.OPEN, index=True)
    source: Mapped[str] = mapped_column(String(16))
    amount: Mapped[Decimal]
    #: the promised items and what was open on them when the promise was made
    invoice_ids: Mapped[list[Any]] = mapped_column(default=list)
    baseline_open: Mapped[Decimal]
    grace_days: Mapped[int] = mapped_column(default=3)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolved_at: Mapped[dt.datetime | None]

    instalments: Mapped[list[PromiseInstalment]] = relationship(
        back_populates="promise", order_by="PromiseInstalment.due_date", cascade="all"
    )
    created_by: Mapped[User | None] = relationship()


class PromiseInstalment(Model):
    """One dated amount of a promise (a single promise has one)."""

    __tablename__ = "payment_promise_instalments"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    promise_id: Mapped[int] = mapped_column(ForeignKey("payment_promises.id"), index=True)
    due_date: Mapped[dt.date]
    amount: Mapped[Decimal]

    promise: Mapped[Promise] = relationship(back_populates="instalments")
