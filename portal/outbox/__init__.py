"""The transactional outbox: emails and SMS are rows written with the change that causes them.

``send_email`` / ``send_sms`` (in :mod:`portal.notifications`) call :func:`queue_email` /
:func:`queue_sms`, which only add a row to the caller's transaction: a rolled-back change sends
nothing. After the commit a worker claims each due row (``queued`` → ``sending``, committed
*before* the backend is called), hands it to the backend and marks it ``sent`` with the
provider's message id. A backend error puts the row back in the queue with exponential backoff
(``JOBS_RETRY_SECONDS`` doubling) until ``OUTBOX_MAX_ATTEMPTS``, then marks it ``failed``.

A message is never sent twice: only ``queued`` rows are claimed, and a row left ``sending`` by
a worker that died mid-delivery is only re-queued automatically when its backend is the
idempotent file outbox (the same file is written again); for SMTP or an SMS provider it is
marked ``failed`` ("may have been sent") for an operator to check and re-queue.

With ``JOBS_INLINE`` (tests, the demo loader) a message is delivered at once, in the caller's
transaction, through the same code path.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import logging
import secrets
import smtplib
from collections.abc import Mapping
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from ..models import OutboxChannel, OutboxMessage, OutboxStatus, utcnow
from .sms import DeliveryError, PermanentDeliveryError, sms_backend

log = logging.getLogger(__name__)

#: backends whose delivery can safely be repeated after a crash (same file, same content)
IDEMPOTENT_BACKENDS = frozenset({"outbox"})

__all__ = [
    "IDEMPOTENT_BACKENDS",
    "DeliveryError",
    "PermanentDeliveryError",
    "deliver",
    "deliver_due",
    "outbox_dir",
    "queue_email",
    "queue_sms",
    "reap_interrupted",
    "requeue",
]


def outbox_dir() -> Path:
    """Return (and create) ``instance/outbox``, where the file backends write."""
    path = Path(current_app.instance_path) / "outbox"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _file_name(suffix: str) -> str:
    # named when queued, so files sort in the order the messages were written
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    return f"{stamp}-{secrets.token_hex(4)}{suffix}"


def queue_email(
    session: Session, msg: EmailMessage, *, body: str, language: str | None = None
) -> OutboxMessage:
    """Add an email to the outbox in the caller's transaction (flushes).

    With ``JOBS_INLINE`` it is delivered before this returns.
    """
    message = OutboxMessage(
        channel=OutboxChannel.EMAIL,
        recipient=str(msg["To"])[:320],
        subject=str(msg["Subject"] or "")[:500],
        body=body,
        mime=bytes(msg),
        language=language,
        options={},
        status=OutboxStatus.QUEUED,
        attempts=0,
        file_name=_file_name(".eml"),
        provider_message_id=str(msg["Message-ID"] or "")[:200] or None,
    )
    return _queued(session, message)


def queue_sms(
    session: Session, to: str, text: str, *, options: Mapping[str, Any] | None = None
) -> OutboxMessage:
    """Add a text message to the outbox in the caller's transaction (flushes).

    :param options: provider options, e.g. ``template_code`` and ``template_params`` for
        Alibaba Cloud SMS (which sends approved templates, not free text).
    """
    message = OutboxMessage(
        channel=OutboxChannel.SMS,
        recipient=to[:320],
        body=text,
        options=dict(options or {}),
        status=OutboxStatus.QUEUED,
        attempts=0,
        file_name=_file_name(".sms.txt"),
    )
    return _queued(session, message)


def _queued(session: Session, message: OutboxMessage) -> OutboxMessage:
    session.add(message)
    session.flush()
    if current_app.config.get("JOBS_INLINE"):
        _claim_inline(message)
        deliver(message)
        session.flush()
    else:
        from ..jobs.queue import wake_after_commit

        wake_after_commit(session)
    return message


def _backend_name(channel: OutboxChannel) -> str:
    key = "MAIL_BACKEND" if channel is OutboxChannel.EMAIL else "SMS_BACKEND"
    return str(current_app.config.get(key) or "outbox")


def _claim_inline(message: OutboxMessage) -> None:
    message.move_to(OutboxStatus.SENDING)
    message.attempts += 1
    message.locked_by = "inline"
    message.locked_at = utcnow()
    message.backend = _backend_name(message.channel)


def _max_attempts() -> int:
    return int(current_app.config.get("OUTBOX_MAX_ATTEMPTS", 8))


def deliver(message: OutboxMessage) -> None:
    """Hand a claimed (``sending``) message to its backend; record sent, retry or failed.

    Never raises for a delivery error: the error is kept on the row.
    """
    from ..jobs.queue import settings

    try:
        if message.channel is OutboxChannel.EMAIL:
            _deliver_email(message)
        else:
            _deliver_sms(message)
    except DeliveryError as exc:
        message.error = f"attempt {message.attempts}: {exc}"[:2000]
        message.locked_by = None
        permanent = isinstance(exc, PermanentDeliveryError)
        if permanent or message.attempts >= _max_attempts():
            message.move_to(OutboxStatus.FAILED)
            message.next_attempt_at = None
            log.error("outbox message %s failed for good: %s", message.id, exc)
        else:
            message.move_to(OutboxStatus.QUEUED)
            message.next_attempt_at = utcnow() + settings().backoff(message.attempts)
            log.warning("outbox message %s: %s; retrying later", message.id, exc)
        return
    message.move_to(OutboxStatus.SENT)
    message.sent_at = utcnow()
    message.locked_by = None
    message.next_attempt_at = None
    message.error = None


def _deliver_email(message: OutboxMessage) -> None:
    backend = message.backend or _backend_name(message.channel)
    data = message.mime or b""
    if backend == "outbox":
        name = message.file_name or _file_name(".eml")
        (outbox_dir() / name).write_bytes(data)
        message.file_name = name
        message.provider_status = "written"
        return
    if backend == "smtp":
        parsed = email.message_from_bytes(data, policy=email.policy.default)
        _send_smtp(parsed)
        message.provider_status = "accepted by SMTP server"
        return
    raise PermanentDeliveryError(f"unknown MAIL_BACKEND {backend!r}")


def _send_smtp(msg: EmailMessage) -> None:
    cfg = current_app.config
    try:
        with smtplib.SMTP(cfg["SMTP_HOST"], int(cfg["SMTP_PORT"]), timeout=30) as smtp:
            if cfg.get("SMTP_STARTTLS"):
                smtp.starttls()
            if cfg.get("SMTP_USERNAME"):
                smtp.login(cfg["SMTP_USERNAME"], cfg.get("SMTP_PASSWORD") or "")
            smtp.send_message(msg)
    except smtplib.SMTPRecipientsRefused as exc:
        raise PermanentDeliveryError(f"SMTP server refused {msg['To']}: {exc}") from exc
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryError(f"SMTP delivery to {msg['To']} failed: {exc}") from exc


def _deliver_sms(message: OutboxMessage) -> None:
    backend = sms_backend(message.backend or _backend_name(message.channel))
    receipt = backend.send(message)
    message.provider_message_id = receipt.message_id
    message.provider_status = receipt.status


def claim_next(session: Session, worker_id: str) -> OutboxMessage | None:
    """Claim the oldest due message for ``worker_id`` and commit; ``None`` when none is due."""
    now = utcnow()
    due = (
        OutboxMessage.status == OutboxStatus.QUEUED,
        or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now),
    )
    # the channel comes with the id: on SQLite the claim must write before it reads again (a
    # transaction that reads first cannot wait for the write lock, it fails at once)
    candidates: list[tuple[int, OutboxChannel]]
    if session.get_bind().dialect.name == "postgresql":
        query = (
            select(OutboxMessage.id, OutboxMessage.channel)
            .where(*due)
            .order_by(OutboxMessage.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        candidates = [(row.id, row.channel) for row in session.execute(query)]
    else:
        candidates = [
            (row.id, row.channel)
            for row in session.execute(
                select(OutboxMessage.id, OutboxMessage.channel)
                .where(*due)
                .order_by(OutboxMessage.id)
                .limit(5)
            )
        ]
        session.rollback()
    for message_id, channel in candidates:
        claimed = session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.status == OutboxStatus.QUEUED)
            .values(
                status=OutboxStatus.SENDING,
                attempts=OutboxMessage.attempts + 1,
                locked_by=worker_id,
                locked_at=now,
                backend=_backend_name(channel),
            )
            .execution_options(synchronize_session=False)
        )
        session.commit()
        if claimed.rowcount == 1:  # type: ignore[attr-defined]
            return session.get(OutboxMessage, message_id, populate_existing=True)
    session.rollback()
    return None


def deliver_due(session: Session, worker_id: str, *, limit: int = 20) -> int:
    """Claim and deliver up to ``limit`` due messages, committing each; returns how many sent."""
    sent = 0
    for _ in range(limit):
        message = claim_next(session, worker_id)
        if message is None:
            break
        deliver(message)
        session.commit()
        sent += message.status is OutboxStatus.SENT
    return sent


def reap_interrupted(session: Session, *, stale_after: float | None = None) -> list[int]:
    """Settle messages left ``sending`` by a worker that died; commits.

    Re-queued when their backend is idempotent (the file outbox), otherwise marked failed: the
    provider may have sent them, and sending twice is worse than asking an operator.
    """
    from ..jobs.queue import live_worker_names, settings

    stale = settings().stale_seconds if stale_after is None else stale_after
    limit = utcnow() - dt.timedelta(seconds=stale)
    rows = session.execute(
        select(OutboxMessage.id, OutboxMessage.backend, OutboxMessage.locked_by).where(
            OutboxMessage.status == OutboxStatus.SENDING,
            OutboxMessage.locked_at < limit,
            or_(
                OutboxMessage.locked_by.is_(None),
                OutboxMessage.locked_by.not_in(live_worker_names(limit)),
            ),
        )
    ).all()
    settled = []
    for message_id, backend, locked_by in rows:
        if backend in IDEMPOTENT_BACKENDS:
            values: dict[str, Any] = {
                "status": OutboxStatus.QUEUED,
                "error": f"worker {locked_by} stopped while delivering; re-queued",
            }
        else:
            values = {
                "status": OutboxStatus.FAILED,
                "error": (
                    f"worker {locked_by} stopped while handing the message to {backend}: it may "
                    "have been sent; check, then re-queue with `flask --app portal outbox retry`"
                ),
            }
        res = session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id == message_id,
                OutboxMessage.status == OutboxStatus.SENDING,
            )
            .values(locked_by=None, **values)
            .execution_options(synchronize_session=False)
        )
        if res.rowcount == 1:  # type: ignore[attr-defined]
            settled.append(message_id)
    session.commit()
    return settled


def requeue(session: Session, message: OutboxMessage) -> None:
    """Queue a failed message again for a fresh round of attempts (flushes)."""
    message.move_to(OutboxStatus.QUEUED)
    message.attempts = 0
    message.next_attempt_at = None
    session.flush()
