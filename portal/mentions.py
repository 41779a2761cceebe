"""Colleagues mentioned as ``@email`` in a note or a comment, and the email that tells them."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from flask_babel import force_locale
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .audit.service import record
from .models import Base, User
from .notifications import send_email
from .permissions import Action, can

MENTION = re.compile(r"@([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})")


def mentioned_staff(session: Session, body: str, *, may: Action | None = None) -> list[User]:
    """Active staff mentioned in ``body`` as ``@email`` (only those who may ``may``; one query)."""
    emails = {m.lower() for m in MENTION.findall(body)}
    if not emails:
        return []
    users = session.scalars(
        select(User)
        .where(User.is_active.is_(True), func.lower(User.email).in_(emails))
        .order_by(User.id)
    )
    return [u for u in users if u.is_staff and (may is None or can(may, u))]


def notify_mentioned(
    session: Session,
    author: User,
    mentioned: Sequence[User],
    *,
    body: str,
    link: str,
    heading: Callable[[], tuple[str, str]],
    action: str,
    entity: Base,
    data: dict[str, Any],
) -> None:
    """Email the mentioned colleagues (not the author), then audit the text as ``action``.

    Each email is written in its reader's language: ``heading()`` gives the subject and the
    opening line in the current locale, followed by ``body`` and ``link``. The audit event
    carries ``data`` and the ids of everyone mentioned.
    """
    for colleague in mentioned:
        if colleague.id == author.id:
            continue
        with force_locale(colleague.language or "zh"):
            subject, intro = heading()
        send_email(
            colleague.email,
            subject[:200],
            f"{intro}\n\n{body}\n\n{link}\n",
            language=colleague.language,
        )
    record(session, author, action, entity, data={**data, "mentioned": [u.id for u in mentioned]})
