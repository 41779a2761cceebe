"""Background work: queued jobs, the workers that run them, the message outbox, scheduled runs."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from .base import Model, StatusEnum, StatusMachine, TimestampMixin, enum_type, status_column, utcnow

if TYPE_CHECKING:
    from .users import User


class JobStatus(StatusEnum, entity="job"):
    QUEUED = "queued", "running"
    #: back to the queue when it failed with attempts left or its worker died
    RUNNING = "running", "done", "failed", "queued"
    DONE = "done"
    #: an operator may put it back in the queue (``flask --app portal jobs retry``)
    FAILED = "failed", "queued"


class Job(TimestampMixin, StatusMachine[JobStatus], Model):
    """A background job (e.g. parse and match an upload), persisted so it survives restarts."""

    __tablename__ = "jobs"

    kind: Mapped[str] = mapped_column(String(40))
    status: Mapped[JobStatus] = status_column("job_status", JobStatus.QUEUED, index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    result: Mapped[dict[str, Any]] = mapped_column(default=dict)
    progress_done: Mapped[int] = mapped_column(default=0)
    progress_total: Mapped[int] = mapped_column(default=0)
    #: the last attempt's error; kept while the job waits for its next attempt
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(default=0)
    #: a queued job is not claimed before this time (backoff after a failed attempt)
    run_after: Mapped[dt.datetime | None]
    locked_by: Mapped[str | None] = mapped_column(String(100))
    heartbeat_at: Mapped[dt.datetime | None]
    started_at: Mapped[dt.datetime | None]
    finished_at: Mapped[dt.datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    created_by: Mapped[User | None] = relationship()


class WorkerProcess(Model):
    """A running worker (process or in-process thread) and its heartbeat, for health checks."""

    __tablename__ = "workers"

    #: ``host:pid:random``, the value a claimed job or message carries in ``locked_by``
    name: Mapped[str] = mapped_column(String(100), unique=True)
    hostname: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int]
    #: "process" (``flask --app portal worker``) or "thread" (inside ``make run``)
    kind: Mapped[str] = mapped_column(String(20))
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    heartbeat_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    stopped_at: Mapped[dt.datetime | None]
    jobs_done: Mapped[int] = mapped_column(default=0)
    messages_sent: Mapped[int] = mapped_column(default=0)


class OutboxStatus(StatusEnum, entity="outbox message"):
    QUEUED = "queued", "sending"
    #: claimed before it is handed to the backend, so a crash in between leaves it "sending"
    #: and it is never sent again automatically; an operator may re-queue it
    SENDING = "sending", "sent", "queued", "failed"
    SENT = "sent"
    FAILED = "failed", "queued"


class OutboxChannel(enum.StrEnum):
    EMAIL = "email"
    SMS = "sms"


class OutboxMessage(TimestampMixin, StatusMachine[OutboxStatus], Model):
    """An email or SMS written in the transaction that caused it and delivered after commit."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status_next_attempt_at", "status", "next_attempt_at"),)

    channel: Mapped[OutboxChannel] = mapped_column(enum_type(OutboxChannel, "outbox_channel"))
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str | None] = mapped_column(String(500))
    #: the SMS text, or the email's plain-text body (for display)
    body: Mapped[str] = mapped_column(Text)
    #: the complete MIME message of an email (with attachments), as it will be sent
    mime: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    language: Mapped[str | None] = mapped_column(String(8))
    #: provider options of an SMS (template code and parameters)
    options: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[OutboxStatus] = status_column("outbox_status", OutboxStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[dt.datetime | None]
    locked_by: Mapped[str | None] = mapped_column(String(100))
    locked_at: Mapped[dt.datetime | None]
    sent_at: Mapped[dt.datetime | None]
    error: Mapped[str | None] = mapped_column(Text)
    #: the backend that delivered it: "outbox" (files), "smtp", "aliyun", ...
    backend: Mapped[str | None] = mapped_column(String(40))
    #: the provider's id of the message (SMTP Message-ID, Alibaba Cloud BizId) and its status
    provider_message_id: Mapped[str | None] = mapped_column(String(200))
    provider_status: Mapped[str | None] = mapped_column(String(200))
    #: the file written by the "outbox" backend, relative to ``instance/outbox``
    file_name: Mapped[str | None] = mapped_column(String(255))


class ScheduledRunStatus(enum.StrEnum):
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ScheduledRun(Model):
    """One day's run of a scheduled task; (task, day) is unique, so a day runs a task once."""

    __tablename__ = "scheduled_runs"
    __table_args__ = (UniqueConstraint("task", "day"),)

    task: Mapped[str] = mapped_column(String(80))
    day: Mapped[dt.date]
    status: Mapped[ScheduledRunStatus] = status_column(
        "scheduled_run_status", ScheduledRunStatus.RUNNING
    )
    attempts: Mapped[int] = mapped_column(default=1)
    locked_by: Mapped[str | None] = mapped_column(String(100))
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None]
    result: Mapped[dict[str, Any]] = mapped_column(default=dict)
    error: Mapped[str | None] = mapped_column(Text)
