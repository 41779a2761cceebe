"""``flask --app portal outbox ...``: see, re-queue and check delivery of emails and SMS."""

from __future__ import annotations

import datetime as dt

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from ..cli import first_line
from ..extensions import db
from ..jobs.commands import add_queue_commands
from ..models import OutboxChannel, OutboxMessage, OutboxStatus, utcnow
from . import requeue
from .sms import AliyunSms, DeliveryError, sms_backend


@click.group("outbox")
def cli() -> None:
    """Outgoing emails and SMS (the outbox table).

    Before retrying a failed message, check that it was not delivered after all.
    """


def _message_line(m: OutboxMessage) -> str:
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
        line += f"  error: {first_line(m.error)}"
    return line


add_queue_commands(cli, OutboxMessage, OutboxStatus, "message", _message_line, requeue)


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
