"""Approving, excluding and sending the proposals of collection cases.

Approved actions are sent unless quiet hours or the weekly message cap hold them; an action
whose items were settled before it went out is cancelled, never sent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, contains_eager, joinedload

from ..audit.service import PendingEvent, record, record_many
from ..invoices.service import OPEN_STATES
from ..localtime import local_day, local_time
from ..models import (
    ActionStatus,
    CaseEvent,
    CaseStatus,
    CollectionAction,
    CollectionCase,
    InvalidTransition,
    Invoice,
    LadderStep,
    User,
    utcnow,
)
from ..notifications import send_email, send_sms
from ..phones import sms_number
from . import documents
from .case_items import (
    MESSAGE_CHANNELS,
    PENDING,
    CollectionError,
    Item,
    call_task,
    cancel_action,
    due_by,
    dunned_now,
    held_by_disputes,
    lock_invoices,
    message_body,
    message_values,
    staff_link,
)
from .ladders import (
    CollectionSettings,
    render,
    template_for,
)


def messages_this_week(
    session: Session, customer_ids: Iterable[int], now: dt.datetime
) -> dict[int, int]:
    """Messages (SMS, email, letter) each customer got in the last 7 days."""
    ids = list(set(customer_ids))
    if not ids:
        return {}
    since = now - dt.timedelta(days=7)
    return dict(
        session.execute(
            select(CollectionCase.customer_id, func.count())
            .join(CaseEvent, CaseEvent.case_id == CollectionCase.id)
            .where(
                CollectionCase.customer_id.in_(ids),
                CaseEvent.kind == "sent",
                CaseEvent.channel.in_(MESSAGE_CHANNELS),
                CaseEvent.at > since,
            )
            .group_by(CollectionCase.customer_id)
        ).all()
    )


class Dispatched(NamedTuple):
    """What sending the approved actions did."""

    sent: int
    #: still approved, held by quiet hours or the weekly cap until the next run
    held: int
    #: cancelled instead of sent: settled meanwhile, or the case closed or went to legal
    cancelled: int = 0


class Approval(NamedTuple):
    """What approving proposals did: how many were approved, then sent, held or cancelled."""

    approved: int
    sent: int
    held: int
    cancelled: int = 0


def dispatch_approved(
    session: Session,
    *,
    today: dt.date,
    now: dt.datetime,
    settings: CollectionSettings,
    action_ids: Iterable[int] | None = None,
) -> Dispatched:
    """Send approved actions now, unless quiet hours or the weekly cap hold them.

    Held actions stay approved; the next run (or approval) sends them. An action whose case
    closed or whose invoices were settled meanwhile is cancelled instead.

    Each action is locked with its case while it is sent (PostgreSQL, ``SKIP LOCKED``): one
    another transaction is sending is passed over, and one sent meanwhile is no longer
    approved, so no message goes out twice. One whose case another transaction holds (a
    promise being taken or a hand-over to legal, which withdraw it; a run) is passed over
    instead of waiting for the case while that transaction waits for the action or the audit
    chain (a deadlock); passed over, it stays approved and counts as held (the next run sends
    it). The case lock is ``FOR NO KEY UPDATE``: rows merely referring to the case (its
    events, tasks) do not hold it.
    """
    query = (
        select(CollectionAction)
        .join(CollectionAction.case)
        .where(CollectionAction.status == ActionStatus.APPROVED)
        .options(
            contains_eager(CollectionAction.case).joinedload(CollectionCase.customer),
            joinedload(CollectionAction.step),
        )
        .order_by(CollectionAction.id)
        .with_for_update(of=(CollectionAction, CollectionCase), skip_locked=True, key_share=True)
    )
    wanted = None if action_ids is None else list(action_ids)
    if wanted is not None:
        query = query.where(CollectionAction.id.in_(wanted))
    actions = list(session.scalars(query).unique())
    busy = _passed_over(wanted, {a.id for a in actions})
    if not actions:
        return Dispatched(0, busy)
    lock_invoices(session, (i for a in actions for i in a.invoice_ids))
    # read once the invoices are locked: a dispute filed meanwhile is held out
    dunned = dunned_now(session, actions, today=today)
    quiet = settings.is_quiet(local_time(now).hour)
    counts = messages_this_week(session, (a.case.customer_id for a in actions), now)
    sent = held = cancelled = 0
    for action in actions:
        case = action.case
        if case.status is not CaseStatus.OPEN:
            _cancel(
                session,
                action,
                "the case is closed"
                if case.status is CaseStatus.CLOSED
                else "the case is with legal",
                now,
            )
            cancelled += 1
            continue
        if case.customer.on_hold:
            # the run proposes nothing to a customer on hold; what was proposed before the
            # hold is not sent either (proposed again once the hold is lifted)
            _cancel(session, action, "the customer is on hold", now)
            cancelled += 1
            continue
        items = dunned[action.id]
        if not items:
            _cancel(session, action, _nothing_left(session, action, today), now)
            cancelled += 1
            continue
        message = action.channel in MESSAGE_CHANNELS
        if message and quiet:
            action.note = "held: quiet hours"
            held += 1
            continue
        if message and counts.get(case.customer_id, 0) >= settings.weekly_cap:
            action.note = "held: weekly message cap reached"
            held += 1
            continue
        if _send(session, action, items, today=today, now=now) and message:
            sent += 1
            counts[case.customer_id] = counts.get(case.customer_id, 0) + 1
    session.flush()
    return Dispatched(sent, held + busy, cancelled)


def _passed_over(wanted: list[int] | None, locked: set[int]) -> int:
    """How many of ``wanted`` (actions this transaction approved) sending passed over because
    another transaction holds their case: they stay approved, and the next run sends them.

    Not noted on the action: writing to it again would check its case key, waiting for the
    case's holder (the deadlock the ``SKIP LOCKED`` avoids).
    """
    return len(set(wanted or ()) - locked)


def _nothing_left(session: Session, action: CollectionAction, today: dt.date) -> str:
    """Why an approved message names nothing to remind of any more (a reason code)."""
    ids = [i for i in action.invoice_ids if i not in set(action.excluded_invoice_ids)]
    if held_by_disputes(session, ids):
        return "disputed before it was sent"
    still_open = list(
        session.execute(
            select(Invoice.due_date, Invoice.customer_id, Invoice.currency).where(
                Invoice.id.in_(ids), Invoice.open_amount > 0, Invoice.status.in_(OPEN_STATES)
            )
        )
    )
    if not still_open:
        return "settled before it was sent"  # paid, credited, written off, closed or cancelled
    mine = (action.case.customer_id, action.case.currency)
    dates = [due for due, *owner in still_open if tuple(owner) == mine]
    if not dates:
        return "moved out of the case before it was sent"  # the ERP changed customer or currency
    if min(dates) > due_by(action.step, today):
        return "no longer due before it was sent"  # the ERP moved its due date
    return "held by the contract check before it was sent"


def _cancel(session: Session, action: CollectionAction, why: str, now: dt.datetime) -> None:
    cancel_action(action, why)
    action.decided_at = action.decided_at or now
    session.flush()
    record(session, None, "collections.action_cancelled", action, reason=why)


def _fill(
    session: Session, action: CollectionAction, items: list[Item], today: dt.date
) -> tuple[dict[str, str], User | None]:
    """Write the action's amount, subject and text for ``items``; returns the placeholder
    values and the case's owner."""
    case = action.case
    manager = session.get(User, case.owner_id) if case.owner_id else None
    values = message_values(
        customer_name=case.customer.name,
        manager_name=(manager.name or manager.email) if manager else "",
        case_id=case.id,
        currency=case.currency,
        items=items,
        language=action.language,
        today=today,
    )
    tpl = template_for(action.step, action.language, action.channel)
    action.subject = render(tpl["subject"], values)[:300]
    action.body = message_body(tpl["body"], values, items, action.language)
    action.amount = sum((i.open_amount for i in items), Decimal("0"))
    return values, manager


def refresh_pending(
    session: Session, customer_id: int, invoice_ids: Iterable[int], *, today: dt.date
) -> int:
    """Bring the customer's reminders waiting for approval or sending that name these
    invoices up to date (a dispute filed or decided): what they dun now, their subject and
    text. One with nothing left to dun is left for sending to cancel. Returns how many.

    One being approved or sent at this moment is passed over (PostgreSQL, ``SKIP LOCKED``):
    its sending waits for the disputed invoice's lock and reads what it duns then, and waiting
    for it here while holding that lock would deadlock.
    """
    wanted = set(invoice_ids)
    actions = [
        action
        for action in session.scalars(
            select(CollectionAction)
            .join(CollectionCase, CollectionAction.case_id == CollectionCase.id)
            .where(CollectionCase.customer_id == customer_id, CollectionAction.status.in_(PENDING))
            .with_for_update(of=CollectionAction, skip_locked=True)
        )
        if wanted & set(action.invoice_ids)
    ]
    refreshed = 0
    for action_id, items in dunned_now(session, actions, today=today).items():
        if items:
            _fill(session, session.get_one(CollectionAction, action_id), items, today)
            refreshed += 1
    session.flush()
    return refreshed


def _send(
    session: Session,
    action: CollectionAction,
    items: list[Item],
    *,
    today: dt.date,
    now: dt.datetime,
) -> bool:
    """Carry out one approved action; returns whether a message went to the customer."""
    case, step, customer = action.case, action.step, action.case.customer
    values, manager = _fill(session, action, items, today)
    item_ids = [i.id for i in items]
    event = CaseEvent(
        case_id=case.id,
        at=now,
        channel=action.channel,
        kind="sent",
        body=action.body,
        recipient=action.recipient,
        invoice_ids=item_ids,
        action_id=action.id,
    )
    delivered = False
    mobile = sms_number(action.recipient) if action.channel == "sms" else None
    if mobile is not None:
        # one proposed before mobiles were told from landlines is not texted to a landline
        send_sms(mobile, action.body)
        delivered = True
    elif action.channel == "email" and action.recipient:
        send_email(action.recipient, action.subject, action.body, language=action.language)
        delivered = True
    elif action.channel == "letter":
        pdf = documents.render_letter(
            case,
            items,
            language=action.language,
            today=today,
            body=action.body,
            title=action.subject,
        )
        name = documents.store(f"letter-{case.id}-{action.id}.pdf", pdf)
        event.file_name = name
        if action.recipient:
            send_email(
                action.recipient,
                action.subject,
                documents.letter_cover(action.language, values),
                language=action.language,
                attachments=[(name, pdf, "application/pdf")],
            )
        delivered = True  # the letter exists: emailed when we have an address, else posted
    if action.channel == "call" or (action.channel in ("sms", "email") and not delivered):
        event.kind = "call_planned" if action.channel == "call" else "no_contact"
        _task(session, case, action, today)
    session.add(event)
    if step.notify_manager and manager is not None:
        with force_locale(manager.language or "zh"):
            subject = _(
                "Reminder sent to %(customer)s: %(amount)s due %(date)s",
                customer=customer.name,
                amount=values["amount"],
                date=values["oldest_due"],
            )
        send_email(
            manager.email,
            subject,
            f"{action.body}\n\n{staff_link(case.id)}\n",
            language=manager.language,
        )
    action.move_to(ActionStatus.SENT)
    action.sent_at = now
    action.note = None if action.note and action.note.startswith("held") else action.note
    case.step_id, case.step_on, case.escalate = step.id, today, False
    session.flush()
    record(
        session,
        None,
        "collections.sent",
        action,
        data={
            "case": case.id,
            "channel": action.channel,
            "to": action.recipient,
            "items": item_ids,
        },
    )
    return delivered and action.channel in MESSAGE_CHANNELS and event.kind == "sent"


def _task(session: Session, case: CollectionCase, action: CollectionAction, today: dt.date) -> None:
    title = action.subject or f"Call {case.customer.name}"
    if action.channel != "call":
        title = f"{title} — no phone or email on file: remind by hand"
    session.add(
        call_task(
            case, key=f"case:{case.id}:{action.cycle}:{action.step_id}", title=title, today=today
        )
    )


def pending_actions(session: Session) -> list[CollectionAction]:
    """Every proposal waiting for finance, by step then customer."""
    return list(
        session.scalars(
            select(CollectionAction)
            .where(CollectionAction.status == ActionStatus.PROPOSED)
            .options(
                joinedload(CollectionAction.case).joinedload(CollectionCase.customer),
                joinedload(CollectionAction.step).joinedload(LadderStep.ladder),
            )
            .order_by(CollectionAction.channel, CollectionAction.step_id, CollectionAction.id)
        ).unique()
    )


def approve(
    session: Session,
    action_ids: Iterable[int],
    *,
    user: User,
    settings: CollectionSettings,
    now: dt.datetime | None = None,
) -> Approval:
    """Approve proposals and send them (legal hand-overs need a named approver instead)."""
    now = now or utcnow()
    approved = claim_proposals(session, action_ids, user=user, now=now)
    record_many(
        session,
        events=[PendingEvent("collections.approved", "collection_action", i) for i in approved],
        actor=user,
    )
    today = local_day(now)
    dispatched = dispatch_approved(
        session, today=today, now=now, settings=settings, action_ids=approved
    )
    return Approval(len(approved), *dispatched)


def claim_proposals(
    session: Session, action_ids: Iterable[int], *, user: User, now: dt.datetime
) -> list[int]:
    """Approve those of ``action_ids`` that are still proposed (legal hand-overs aside).

    One conditional UPDATE (``... WHERE status = 'proposed'``) claims them: of two requests or
    jobs approving the same proposal at once, only one gets it back and sends its message.
    Returns the ids this call approved.
    """
    ids = list(action_ids)
    if not ids:
        return []
    claimed = session.execute(
        update(CollectionAction)
        .where(
            CollectionAction.id.in_(ids),
            CollectionAction.status == ActionStatus.PROPOSED,
            CollectionAction.channel != "legal",
        )
        .values(status=ActionStatus.APPROVED, decided_by_id=user.id, decided_at=now)
        .returning(CollectionAction.id)
        .execution_options(synchronize_session="fetch")
    )
    return sorted(claimed.scalars())


def exclude(
    session: Session,
    action: CollectionAction,
    *,
    user: User,
    reason: str,
    now: dt.datetime | None = None,
) -> None:
    """Leave a proposal out (the customer is not contacted now; proposed again later)."""
    try:
        action.move_to(ActionStatus.EXCLUDED)
    except InvalidTransition as exc:
        raise CollectionError(exc.user_message()) from exc
    action.decided_by_id, action.decided_at = user.id, now or utcnow()
    action.note = reason.strip() or None
    session.flush()
    record(session, user, "collections.excluded", action, reason=reason)


def exclude_items(
    session: Session, action: CollectionAction, invoice_ids: Iterable[int], *, user: User
) -> None:
    """Leave some invoices out of a proposal; leaving out all of them excludes the proposal."""
    if action.status is not ActionStatus.PROPOSED:
        raise CollectionError(_("only a proposal can change"))
    drop = {int(i) for i in invoice_ids} & set(action.invoice_ids)
    if not drop:
        return
    # the proposal asks for the rest: what the items left out would have sent comes off
    before = action.amount
    dunned = dunned_now(session, [action], today=local_day(utcnow()))[action.id]
    less = sum((i.open_amount for i in dunned if i.id in drop), Decimal("0"))
    action.excluded_invoice_ids = sorted(set(action.excluded_invoice_ids) | drop)
    remaining = [i for i in action.invoice_ids if i not in set(action.excluded_invoice_ids)]
    action.amount = max(before - less, Decimal("0"))
    session.flush()
    record(
        session,
        user,
        "collections.items_excluded",
        action,
        data={"invoices": sorted(drop), "amount": [str(before), str(action.amount)]},
    )
    if not remaining:
        exclude(session, action, user=user, reason="every item left out")
