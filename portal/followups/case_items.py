"""The items of a collection case and the values its messages show.

What every part of collections shares: which invoices a case holds (undisputed, open, due),
who owns a case by default, the links a message carries and its placeholder values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from flask import current_app
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from ..audit.service import PendingEvent
from ..errors import ConcordError
from ..invoices.service import ACTIVE_DISPUTES, OPEN_STATES
from ..models import (
    CHANNELS,
    ActionStatus,
    CheckStatus,
    CollectionAction,
    CollectionCase,
    Dispute,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    Invoice,
    InvoiceContractCheck,
    Role,
    User,
)
from .ladders import money_text

#: channels that send the customer something (counted against the weekly cap, held at night)
MESSAGE_CHANNELS = ("sms", "email", "letter")
PENDING = (ActionStatus.PROPOSED, ActionStatus.APPROVED)
#: a task in one of these states is still to be done
OPEN_TASKS = (FollowUpStatus.OPEN, FollowUpStatus.IN_PROGRESS)


class CollectionError(ConcordError):
    """An action on a case that is not allowed; the message says why."""


@dataclass
class RunResult:
    """What one run did; :meth:`as_json` is the ``followups run --json`` contract."""

    proposed: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CHANNELS, 0))
    sent: int = 0
    cases_opened: int = 0
    cases_closed: int = 0
    held: int = 0
    promises_kept: int = 0
    promises_broken: int = 0
    tasks_created: dict[str, int] = field(default_factory=dict)
    tasks_closed: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "proposed": dict(self.proposed),
            "sent": self.sent,
            "cases_opened": self.cases_opened,
            "cases_closed": self.cases_closed,
        }


@dataclass(frozen=True)
class Item:
    """An open invoice of a case, as a message shows it."""

    id: int
    number: str
    due_date: dt.date
    open_amount: Decimal
    currency: str


def not_disputed() -> Any:
    return ~exists().where(Dispute.invoice_id == Invoice.id, Dispute.status.in_(ACTIVE_DISPUTES))


def not_held() -> Any:
    """Not held by the contract check: finance has yet to confirm the invoice was right."""
    return ~exists().where(
        InvoiceContractCheck.invoice_id == Invoice.id,
        InvoiceContractCheck.status == CheckStatus.HELD,
    )


def open_item_filter(horizon: dt.date) -> tuple[Any, ...]:
    return (
        Invoice.open_amount > 0,
        Invoice.status.in_(OPEN_STATES),
        Invoice.due_date <= horizon,
        not_disputed(),
        not_held(),
    )


def case_items(
    session: Session, case: CollectionCase, *, horizon: dt.date, ids: Iterable[int] | None = None
) -> list[Item]:
    """The case's undisputed open items due by ``horizon`` (optionally only ``ids``)."""
    query = select(
        Invoice.id, Invoice.number, Invoice.due_date, Invoice.open_amount, Invoice.currency
    ).where(
        Invoice.customer_id == case.customer_id,
        Invoice.currency == case.currency,
        *open_item_filter(horizon),
    )
    if ids is not None:
        query = query.where(Invoice.id.in_(list(ids)))
    return [Item(*row) for row in session.execute(query.order_by(Invoice.due_date, Invoice.id))]


def default_owner(session: Session) -> User | None:
    """Who owns cases and tasks of customers without an account manager: finance, then admin."""
    for role in (Role.FINANCE, Role.ADMIN):
        user = session.scalar(
            select(User).where(User.role == role, User.is_active.is_(True)).order_by(User.id)
        )
        if user is not None:
            return user
    return None


def pending_actions_of(session: Session, case: CollectionCase) -> list[CollectionAction]:
    """The case's actions that are proposed or approved and not sent yet."""
    return list(
        session.scalars(
            select(CollectionAction).where(
                CollectionAction.case_id == case.id, CollectionAction.status.in_(PENDING)
            )
        )
    )


def cancel_action(action: CollectionAction, note: str) -> None:
    """Cancel a proposed or approved action; ``note`` says why."""
    action.move_to(ActionStatus.CANCELLED)
    action.note = note


def withdraw_pending(
    session: Session, case_ids: Collection[int], why: str, now: dt.datetime
) -> list[PendingEvent]:
    """Cancel the proposed and approved actions of these cases; returns the events to audit."""
    if not case_ids:
        return []
    events: list[PendingEvent] = []
    for action in session.scalars(
        select(CollectionAction)
        .where(CollectionAction.case_id.in_(list(case_ids)), CollectionAction.status.in_(PENDING))
        .order_by(CollectionAction.id)
    ):
        cancel_action(action, why)
        action.decided_at = action.decided_at or now
        events.append(
            PendingEvent("collections.action_cancelled", "collection_action", action.id, reason=why)
        )
    session.flush()
    return events


def recipient_for(channel: str, email: str | None, mobile: str | None) -> str | None:
    """Where a step's message goes: SMS to the mobile, email and letters to the email."""
    if channel == "sms":
        return mobile
    if channel in ("email", "letter"):
        return email
    if channel == "call":
        return mobile
    return None


def call_task(case: CollectionCase, *, key: str, title: str, today: dt.date) -> FollowUp:
    """A task, due ``today``, for the case's owner to call the customer (``key`` dedupes it)."""
    return FollowUp(
        kind=FollowUpKind.DUNNING_CALL,
        dedupe_key=key,
        title=title[:300],
        owner_id=case.owner_id,
        due_date=today,
        status=FollowUpStatus.OPEN,
        customer_id=case.customer_id,
        case_id=case.id,
    )


def close_task(task: FollowUp, *, at: dt.datetime, by: User | None = None) -> None:
    """Mark a task done at ``at`` (by ``by``, or by the system)."""
    task.move_to(FollowUpStatus.DONE)
    task.closed_at = at
    if by is not None:
        task.closed_by_id = by.id


def company_name(language: str) -> str:
    """Our name in the reader's language (``COMPANY_NAME`` is ``English / 中文``)."""
    parts = [p.strip() for p in str(current_app.config["COMPANY_NAME"]).split(" / ") if p.strip()]
    if len(parts) < 2:
        return parts[0] if parts else ""
    return parts[1] if language == "zh" else parts[0]


def customer_link(case_id: int) -> str:
    """The deep link into the portal a customer follows from a reminder."""
    return f"{current_app.config['BASE_URL'].rstrip('/')}/followups/my/{case_id}"


def staff_link(case_id: int) -> str:
    """The case's page for staff."""
    return f"{current_app.config['BASE_URL'].rstrip('/')}/followups/cases/{case_id}"


def message_values(
    *,
    customer_name: str,
    manager_name: str,
    case_id: int,
    currency: str,
    items: Sequence[Item],
    language: str,
    today: dt.date,
) -> dict[str, str]:
    """The placeholder values of a case's message."""
    total = sum((i.open_amount for i in items), Decimal("0"))
    oldest = min(i.due_date for i in items) if items else today
    numbers = [i.number for i in items[:5]]
    if len(items) > 5:
        numbers.append("…")
    return {
        "customer": customer_name,
        "amount": money_text(total, currency),
        "items": str(len(items)),
        "invoices": ", ".join(numbers),
        "oldest_due": oldest.isoformat(),
        "days": str((today - oldest).days),
        "link": customer_link(case_id),
        "company": company_name(language),
        "manager": manager_name,
    }
