"""``flask --app portal outbox ...``: see, re-queue and check delivery of emails and SMS."""

from __future__ import annotations

import datetime as dt

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from ..extensions import db
from ..jobs.commands import newest, retry_failed
from ..models import OutboxChannel, OutboxMessage, OutboxStatus, utcnow
from . import requeue
from .sms import AliyunSms, DeliveryError, sms_backend


@click.group("outbox")
def cli() -> None:
    """Outgoing emails and SMS (the outbox table)."""


@cli.command("list")
@click.option("--status", type=click.Choice([s.value for s in OutboxStatus]), default=None)
@click.option("--limit", type=int, default=30, show_default=True)
@with_appcontext
def list_messages(status: str | None, limit: int) -> None:
    """Show the latest messages with their delivery status."""
    for m in newest(OutboxMessage, OutboxStatus(status) if status else None, limit):
        line = (
            f"{m.id:>6}  {m.channel.value:<5} {m.status.value:<7} {m.recipient:<32} "
            f"attempts {m.attempts}"
        )
        if m.backend:
            line += f"  via {m.backend}"
        if m.provider_message_id and m.channel is OutboxChannel.SMS:
            line += f"  id {m.provider_message_id}"
        if m.provider_status:
            line += f"  ({m.provider_status})"
        if m.error and m.status is not OutboxStatus.SENT:
            line += f"  error: {m.error.splitlines()[0][:120]}"
        click.echo(line)


@cli.command("retry")
@click.argument("message_id", type=int)
@with_appcontext
def retry_message(message_id: int) -> None:
    """Queue a failed message again (check first that it was not delivered)."""
    retry_failed(OutboxMessage, message_id, "message", requeue)


@cli.command("sms-status")
@click.option("--days", type=int, default=3, show_default=True, help="Look this far back.")
@with_appcontext
def sms_status(days: int) -> None:
    """Ask the SMS provider for the delivery receipts of recent messages and record them."""
    session = db.session()
    backend = sms_backend()
    if not isinstance(backend, AliyunSms):
        raise click.ClickException("the configured SMS_BACKEND has no delivery receipts")
    since = utcnow() - dt.timedelta(days=days)
    messages = session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.channel == OutboxChannel.SMS,
            OutboxMessage.status == OutboxStatus.SENT,
            OutboxMessage.backend == "aliyun",
            OutboxMessage.sent_at >= since,
        )
    ).all()
    updated = 0
    for message in messages:
        try:
            status = backend.delivery_status(message)
        except DeliveryError as exc:
            click.echo(f"{message.id}: {exc}", err=True)
            continue
        if status and status != message.provider_status:
            message.provider_status = status
            updated += 1
    session.commit()
    click.echo(f"checked {len(messages)} SMS, {updated} with a new delivery status")
