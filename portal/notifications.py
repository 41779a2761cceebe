"""Outgoing email and SMS: written to ``instance/outbox/`` by default, or sent via SMTP.

Contract 5: ``send_email(to, subject, body, *, language=None, attachments=())`` and
``send_sms(to, text)``. ``render_email`` renders a template in the recipient's language.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import secrets
import smtplib
from collections.abc import Iterable
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale

#: an attachment: (filename, content) or (filename, content, mime type)
Attachment = tuple[str, bytes] | tuple[str, bytes, str]


class NotificationError(RuntimeError):
    """A message could not be delivered (unknown backend, SMTP failure)."""


def outbox_dir() -> Path:
    """Return (and create) ``instance/outbox``."""
    path = Path(current_app.instance_path) / "outbox"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _outbox_name(suffix: str) -> Path:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    return outbox_dir() / f"{stamp}-{secrets.token_hex(4)}{suffix}"


def build_email(
    to: str,
    subject: str,
    body: str,
    *,
    language: str | None = None,
    attachments: Iterable[Attachment] = (),
) -> EmailMessage:
    """Build the MIME message (plain text, UTF-8, with attachments)."""
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_FROM"]
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain="concord.local")
    msg.set_content(body)
    for item in attachments:
        filename, content = item[0], item[1]
        mime = item[2] if len(item) > 2 else None  # type: ignore[misc]
        mime = mime or mimetypes.guess_type(filename)[0] or "application/octet-stream"
        maintype, subtype = mime.split("/", 1)
        msg.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    # last: set_content and add_attachment move or drop Content-* headers set earlier
    if language:
        msg["Content-Language"] = "zh-CN" if language == "zh" else language
    return msg


def send_email(
    to: str,
    subject: str,
    body: str,
    *,
    language: str | None = None,
    attachments: Iterable[Attachment] = (),
) -> Path | None:
    """Send an email; returns the ``.eml`` path with the outbox backend, ``None`` via SMTP."""
    msg = build_email(to, subject, body, language=language, attachments=attachments)
    backend = current_app.config.get("MAIL_BACKEND", "outbox")
    if backend == "outbox":
        path = _outbox_name(".eml")
        path.write_bytes(bytes(msg))
        return path
    if backend == "smtp":
        _send_smtp(msg)
        return None
    raise NotificationError(f"unknown MAIL_BACKEND {backend!r}")


def _send_smtp(msg: EmailMessage) -> None:
    cfg = current_app.config
    try:
        with smtplib.SMTP(cfg["SMTP_HOST"], int(cfg["SMTP_PORT"]), timeout=30) as smtp:
            if cfg.get("SMTP_STARTTLS"):
                smtp.starttls()
            if cfg.get("SMTP_USERNAME"):
                smtp.login(cfg["SMTP_USERNAME"], cfg.get("SMTP_PASSWORD") or "")
            smtp.send_message(msg)
    except (OSError, smtplib.SMTPException) as exc:
        raise NotificationError(f"SMTP delivery to {msg['To']} failed: {exc}") from exc


def send_sms(to: str, text: str) -> Path | None:
    """Send a text message; the default backend writes ``instance/outbox/<...>.sms.txt``."""
    backend = current_app.config.get("SMS_BACKEND", "outbox")
    if backend == "outbox":
        path = _outbox_name(".sms.txt")
        path.write_text(f"To: {to}\n\n{text}\n", encoding="utf-8")
        return path
    raise NotificationError(f"unknown SMS_BACKEND {backend!r}")


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
