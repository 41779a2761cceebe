"""What a collector does by hand on a case: log a contact, reassign it, hand it to legal; and
what putting a customer on credit hold does to their waiting messages."""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit.service import record, record_many
from ..models import (
    ActionStatus,
    CaseEvent,
    CaseStatus,
    CollectionAction,
    CollectionCase,
    FollowUp,
    FollowUpKind,
    InvalidTransition,
    Role,
    User,
    locked,
    utcnow,
)
from ..permissions import Action, can
from . import documents
from .case_items import (
    OPEN_TASKS,
    CollectionError,
    cancel_action,
    close_task,
    pending_actions_of,
    withdraw_pending,
)


def log_contact(
    session: Session,
    case: CollectionCase,
    *,
    channel: str,
    outcome: str,
    note: str,
    user: User,
) -> CaseEvent:
    """Record a contact made by hand (a call with its outcome, a visit, a portal message)."""
    if channel not in ("call", "email", "sms", "letter", "portal", "note"):
        raise CollectionError(_("unknown channel %(channel)s", channel=repr(channel)))
    event = CaseEvent(
        case_id=case.id,
        channel=channel,
        kind="contact",
        outcome=outcome or None,
        body=note.strip(),
        actor_id=user.id,
    )
    session.add(event)
    session.flush()
    # a logged call completes the case's open call tasks
    if channel == "call":
        for task in session.scalars(
            select(FollowUp).where(
                FollowUp.case_id == case.id,
                FollowUp.kind == FollowUpKind.DUNNING_CALL,
                FollowUp.status.in_(OPEN_TASKS),
            )
        ):
            close_task(task, at=utcnow(), by=user)
    session.flush()
    record(
        session,
        user,
        "collections.contact_logged",
        case,
        data={"channel": channel, "outcome": outcome, "event": event.id},
    )
    return event


def assign_case(session: Session, case: CollectionCase, owner: User, *, user: User) -> None:
    """Give the case to another collector or account manager."""
    if not owner.is_staff or not owner.is_active or not can(Action.FOLLOWUPS_WORK, owner):
        raise CollectionError(_("%(email)s cannot own cases", email=owner.email))
    before = case.owner_id
    case.owner_id = owner.id
    session.flush()
    record(session, user, "collections.case_assigned", case, data={"from": before, "to": owner.id})


def hand_over_to_legal(
    session: Session,
    case: CollectionCase,
    *,
    approver: User,
    reason: str,
    user: User,
    today: dt.date,
) -> CaseEvent:
    """Hand the case to legal, approved by a named finance or admin user; makes the case file
    (dated ``today``, the reader's day: no default, the server's day may be another)."""
    if approver.role not in (Role.FINANCE, Role.ADMIN) or not approver.is_active:
        raise CollectionError(
            _("%(email)s cannot approve a hand-over to legal", email=approver.email)
        )
    if not reason.strip():
        raise CollectionError(_("say why the case goes to legal"))
    locked(session, case)  # two hand-overs at once: the second is refused, one case file made
    try:
        case.move_to(CaseStatus.LEGAL)
    except InvalidTransition as exc:
        raise CollectionError(exc.user_message()) from exc
    case.legal_approver_id, case.legal_at = approver.id, utcnow()
    pdf = documents.render_case_file(session, case, today=today, approver=approver, reason=reason)
    name = documents.store(f"case-file-{case.id}-{today.isoformat()}.pdf", pdf)
    event = CaseEvent(
        case_id=case.id,
        channel="legal",
        kind="legal",
        body=reason.strip(),
        file_name=name,
        actor_id=user.id,
        recipient=approver.name or approver.email,
    )
    session.add(event)
    withdrawn: list[CollectionAction] = []
    for action in pending_actions_of(session, case):
        if action.channel == "legal":
            if action.status is ActionStatus.PROPOSED:
                action.move_to(ActionStatus.APPROVED)
            action.move_to(ActionStatus.SENT)
            action.decided_by_id, action.decided_at, action.sent_at = (
                approver.id,
                utcnow(),
                utcnow(),
            )
            if action.step_id:
                case.step_id, case.step_on = action.step_id, today
        else:
            cancel_action(action, "the case went to legal")
            action.decided_at = action.decided_at or utcnow()
            withdrawn.append(action)
    session.flush()
    for action in withdrawn:
        record(session, user, "collections.action_cancelled", action, reason=action.note)
    record(
        session,
        user,
        "collections.legal",
        case,
        reason=reason,
        data={"approver": approver.id, "case_file": name},
    )
    return event


def withdraw_for_hold(session: Session, customer_id: int, *, user: User, now: dt.datetime) -> int:
    """Withdraw the proposed and approved (held) steps of a customer just put on hold, each on
    the record with who and why; the run proposes them again once the hold is lifted.

    :return: how many were withdrawn.
    """
    case_ids = session.scalars(
        select(CollectionCase.id).where(CollectionCase.customer_id == customer_id)
    ).all()
    events = withdraw_pending(session, case_ids, "the customer is on hold", now)
    record_many(session, events=events, actor=user)
    return len(events)
