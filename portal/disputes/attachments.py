"""Files a customer or colleague attaches to a dispute: checked by their first bytes, stored
in the database with their hash, offered for download under a safe name."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from ..models import Dispute, DisputeAttachment, DisputeMessage, User
from .errors import AttachmentRejected

#: magic bytes of the accepted attachment types (the file name is not trusted)
MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
)
MAX_ATTACHMENTS = 5
#: files one dispute may collect over its whole thread
MAX_ATTACHMENTS_PER_DISPUTE = 50


@dataclass(frozen=True)
class Upload:
    filename: str
    content: bytes


def sniff_type(content: bytes) -> tuple[str, str] | None:
    """Return ``(mime type, extension)`` from the file's first bytes, or ``None``."""
    for magic, mime, ext in MAGIC:
        if content.startswith(magic):
            return mime, ext
    return None


def safe_filename(name: str, ext: str) -> str:
    """A display/download name: no paths, no control characters, the sniffed extension."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = unicodedata.normalize("NFC", base)
    base = re.sub(r"[\x00-\x1f\x7f\"<>:|?*]", "", base).strip(" .")
    stem = base.rsplit(".", 1)[0] if "." in base else base
    return (stem[:120] or "attachment") + ext


def check_upload(upload: Upload, max_bytes: int) -> tuple[str, str]:
    """Validate an upload; return ``(safe name, mime type)``.

    :raises AttachmentRejected: empty, too large or of an unaccepted type.
    """
    if not upload.content:
        raise AttachmentRejected(_("%(filename)s: empty file", filename=upload.filename))
    if len(upload.content) > max_bytes:
        raise AttachmentRejected(
            _(
                "%(filename)s: larger than %(max_bytes)s bytes",
                filename=upload.filename,
                max_bytes=max_bytes,
            )
        )
    sniffed = sniff_type(upload.content)
    if sniffed is None:
        raise AttachmentRejected(
            _("%(filename)s: not a PDF, PNG or JPEG file", filename=upload.filename)
        )
    mime, ext = sniffed
    return safe_filename(upload.filename, ext), mime


def check_uploads(uploads: Sequence[Upload], max_bytes: int) -> None:
    """Refuse more files than a new dispute takes, or a file that is not acceptable."""
    if len(uploads) > MAX_ATTACHMENTS:
        raise AttachmentRejected(
            _("at most %(max_attachments)s files", max_attachments=MAX_ATTACHMENTS)
        )
    for upload in uploads:
        check_upload(upload, max_bytes)


def attach(
    db: Session,
    dispute: Dispute,
    uploads: Sequence[Upload],
    user: User,
    message: DisputeMessage | None,
    max_bytes: int,
) -> None:
    for upload in uploads:
        name, mime = check_upload(upload, max_bytes)
        db.add(
            DisputeAttachment(
                dispute=dispute,
                message_id=message.id if message is not None else None,
                filename=name,
                content_type=mime,
                size=len(upload.content),
                sha256=hashlib.sha256(upload.content).hexdigest(),
                content=upload.content,
                uploaded_by_id=user.id,
            )
        )
