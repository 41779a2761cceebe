"""Outgoing email and SMS, written to the outbox table and delivered by the worker after commit.

Contract 5: ``send_email(to, subject, body, *, language=None, attachments=())`` and
``send_sms(to, text)``. Both add a row to the ``outbox`` table in the current transaction (see
:mod:`portal.outbox`): nothing is sent when the change that caused the message rolls back, and
the worker delivers it after the commit (files in ``instance/outbox``, SMTP, or an SMS
provider), retrying on failure, never twice. ``render_email`` renders a template in the
recipient's language.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale

from .extensions import db
from .models import OutboxStatus
from .outbox import DeliveryError, outbox_dir, queue_email, queue_sms
from .phones import sms_number

#: an attachment: (filename, content) or (filename, content, mime type)
Attachment = tuple[str, bytes] | tuple[str, bytes, str]

#: a message could not be delivered (unknown backend, SMTP failure)
NotificationError = DeliveryError


@dataclass(frozen=True)
class Addressee:
    """Someone a message can reach: by email, by mobile, or both, in their language."""

    name: str
    email: str | None
    mobile: str | None
    language: str


def send_email(
    to: str,
    subject: str,
    body: str,
    *,
    language: str | None = None,
    attachments: Iterable[Attachment] = (),
) -> Path | None:
    """Queue an email (plain text, UTF-8, with attachments) in the current transaction; the
    worker sends it after commit.

    Returns the ``.eml`` file once it is written (the file outbox delivers at once with
    ``JOBS_INLINE``), else ``None``.
    """
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_FROM"]
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain="concord.local")
    msg.set_content(body)
    for item in attachments:
        filename, content = item[0], item[1]
        mime = item[2] if len(item) > 2 else None
        mime = mime or mimetypes.guess_type(filename)[0] or "application/octet-stream"
        maintype, subtype = mime.split("/", 1)
        msg.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    # last: set_content and add_attachment move or drop Content-* headers set earlier
    if language:
        msg["Content-Language"] = "zh-CN" if language == "zh" else language
    message = queue_email(db.session(), msg, body=body, language=language)
    return _written(message.status, message.backend, message.file_name)


def send_sms(
    to: str,
    text: str,
    *,
    template_code: str | None = None,
    template_params: Mapping[str, Any] | None = None,
) -> Path | None:
    """Queue a text message in the current transaction; the worker sends it after commit.

    :param template_code: the provider template to use (Alibaba Cloud sends templates only);
        default ``ALIYUN_SMS_TEMPLATE_CODE`` with ``text`` as its one parameter.
    :param template_params: the template's parameters, when it has others than the text.
    :raises NotificationError: ``to`` is no mobile number (:func:`portal.phones.sms_number`):
        callers choose their recipients by that rule, this is the last guard.
    """
    number = sms_number(to)
    if number is None:
        raise NotificationError(f"{to!r} is no mobile number: no text message is sent to it")
    options: dict[str, Any] = {}
    if template_code:
        options["template_code"] = template_code
    if template_params:
        options["template_params"] = dict(template_params)
    message = queue_sms(db.session(), number, text, options=options)
    return _written(message.status, message.backend, message.file_name)


def _written(status: OutboxStatus, backend: str | None, file_name: str | None) -> Path | None:
    if status is OutboxStatus.SENT and backend == "outbox" and file_name:
        return outbox_dir() / file_name
    return None


def sms_configured() -> bool:
    """Return whether SMS can be sent (a backend is set)."""
    return bool(current_app.config.get("SMS_BACKEND"))


def render_email(template: str, language: str | None, **context: Any) -> tuple[str, str]:
    """Render ``emails/<template>.txt`` in ``language``; the first line is the subject."""
    with force_locale(language or "zh"):
        text = render_template(f"emails/{template}.txt", **context)
    subject, _, body = text.strip().partition("\n")
    return subject.strip(), body.strip() + "\n"


def notify(
    to: str | None,
    template: str,
    language: str | None,
    *,
    attachments: Iterable[Attachment] = (),
    **context: Any,
) -> Path | None:
    """Render a templated email in ``language`` and send it (no-op without an address)."""
    if not to:
        return None
    subject, body = render_email(template, language, **context)
    return send_email(to, subject, body, language=language, attachments=attachments)
