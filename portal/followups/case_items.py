"""The items of a collection case and the values its messages show.

What every part of collections shares: which invoices a case holds (undisputed, open, due),
what a waiting proposal would send now (:func:`dunned_now`: the proposals page and sending both
ask it, so the page never shows a figure the message would not say), who owns a case by
default, closing the tasks of settled invoices and closed cases, the links a message carries
and its placeholder values.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import Session

from ..audit.service import PendingEvent, record_many
from ..errors import ConcordError
from ..i18n import company_name
from ..invoices.service import ACTIVE_DISPUTES, OPEN_STATES
from ..models import (
    CHANNELS,
    ActionStatus,
    CaseStatus,
    CheckStatus,
    CollectionAction,
    CollectionCase,
    Dispute,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    Invoice,
    InvoiceContractCheck,
    InvoiceStatus,
    LadderStep,
    Role,
    User,
)
from ..phones import sms_number
from .ladders import money_text, render

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
    """An open invoice of a case, as a message shows it.

    ``open_amount`` is what is dunned: the open amount less the part under open dispute,
    which is ``disputed`` (held out until the dispute is decided).
    """

    id: int
    number: str
    due_date: dt.date
    open_amount: Decimal
    currency: str
    disputed: Decimal = Decimal("0")


def not_disputed() -> Any:
    """No open dispute on the invoice (those with one: :func:`disputed_items`)."""
    return ~exists().where(Dispute.invoice_id == Invoice.id, Dispute.status.in_(ACTIVE_DISPUTES))


def _active_disputes() -> Select[int | None, Decimal]:
    return select(Dispute.invoice_id, Dispute.amount).where(
        Dispute.invoice_id.is_not(None), Dispute.status.in_(ACTIVE_DISPUTES)
    )


#: an open item's columns, customer first (the rest in the order of :class:`Item`)
_ITEM_COLUMNS = (
    Invoice.customer_id,
    Invoice.id,
    Invoice.number,
    Invoice.due_date,
    Invoice.open_amount,
    Invoice.currency,
)


def held_by_disputes(
    session: Session, invoice_ids: Iterable[int] | None = None
) -> dict[int, Decimal]:
    """What the open disputes of each invoice hold out of dunning: their amounts, summed.

    A dispute's amount is in its invoice's currency (a statement line shows the invoice in
    its own currency), so the sum never adds currencies together.
    """
    query = _active_disputes()
    if invoice_ids is not None:
        query = query.where(Dispute.invoice_id.in_(list(invoice_ids)))
    held: dict[int, Decimal] = defaultdict(Decimal)
    for invoice_id, amount in session.execute(query):
        if invoice_id is not None:  # the query takes disputes of an invoice only
            held[invoice_id] += amount
    return dict(held)


def disputed_items(session: Session, horizon: dt.date, *where: Any) -> list[tuple[int, Item]]:
    """The open items under open dispute whose undisputed part is still owed, by customer.

    Each item's ``open_amount`` is that part (what is dunned) and ``disputed`` the part held
    out; an invoice disputed for all it has open is left out. One query: the disputes are
    summed per invoice in the database, for these invoices only.

    :param where: more conditions on the invoices (a case's customer and currency, ids).
    """
    disputes = _active_disputes().subquery()
    held = (
        select(disputes.c.invoice_id, func.sum(disputes.c.amount).label("held"))
        .group_by(disputes.c.invoice_id)
        .subquery()
    )
    query = (
        select(*_ITEM_COLUMNS, held.c.held)
        .join(held, held.c.invoice_id == Invoice.id)
        .where(
            Invoice.open_amount > 0,
            Invoice.status.in_(OPEN_STATES),
            Invoice.due_date <= horizon,
            not_held(),
            *where,
        )
    )
    found: list[tuple[int, Item]] = []
    for customer_id, id_, number, due, open_amount, currency, part in session.execute(query):
        part = Decimal(part)
        if part < open_amount:
            found.append((customer_id, Item(id_, number, due, open_amount - part, currency, part)))
    return found


def open_items(session: Session, horizon: dt.date) -> list[tuple[int, Item]]:
    """Every customer's items to dun by ``horizon``, by customer, oldest due first: the
    undisputed ones whole, the partly disputed ones for their undisputed part."""
    rows = session.execute(select(*_ITEM_COLUMNS).where(*open_item_filter(horizon)))
    found = [(row[0], Item(*row[1:])) for row in rows]
    found += disputed_items(session, horizon)
    return sorted(found, key=lambda pair: (pair[1].due_date, pair[1].id))


def add_disputed(
    rows: Sequence[Any], items: Sequence[tuple[int, Item]]
) -> list[tuple[int, str, dt.date, Decimal, int]]:
    """Add partly disputed items to rows of (customer, currency, oldest due, total, count)."""
    grouped = {(r[0], r[1]): (r[2], Decimal(r[3]), int(r[4])) for r in rows}
    for customer_id, item in items:
        key = (customer_id, item.currency)
        oldest, total, count = grouped.get(key, (item.due_date, Decimal("0"), 0))
        grouped[key] = (min(oldest, item.due_date), total + item.open_amount, count + 1)
    return [(k[0], k[1], *v) for k, v in grouped.items()]


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
    """The case's open items due by ``horizon`` (optionally only ``ids``), oldest due first:
    the undisputed ones whole, the partly disputed ones for their undisputed part."""
    where = [Invoice.customer_id == case.customer_id, Invoice.currency == case.currency]
    if ids is not None:
        where.append(Invoice.id.in_(list(ids)))
    query = select(
        Invoice.id, Invoice.number, Invoice.due_date, Invoice.open_amount, Invoice.currency
    ).where(*where, *open_item_filter(horizon))
    items = [Item(*row) for row in session.execute(query)]
    items += [item for _c, item in disputed_items(session, horizon, *where)]
    return sorted(items, key=lambda i: (i.due_date, i.id))


def due_by(step: LadderStep, today: dt.date) -> dt.date:
    """The last due date a step's message names: today, or later by the step's lead (a
    reminder before the due date names what falls due within it)."""
    return today + dt.timedelta(days=max(0, -step.offset_days))


def _still_open(session: Session, ids: list[int]) -> dict[int, tuple[int, Item]]:
    """The invoices of ``ids`` still open to dun (open, not held by the contract check), by id,
    with their customer; two queries per 900 ids (the items, what disputes hold out)."""
    found: dict[int, tuple[int, Item]] = {}
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        held = held_by_disputes(session, chunk)
        for customer_id, id_, number, due, amount, currency in session.execute(
            select(*_ITEM_COLUMNS).where(
                Invoice.id.in_(chunk),
                Invoice.open_amount > 0,
                Invoice.status.in_(OPEN_STATES),
                not_held(),
            )
        ):
            part = min(held.get(id_, Decimal("0")), amount)
            found[id_] = (customer_id, Item(id_, number, due, amount - part, currency, part))
    return found


def dunned_now(
    session: Session, actions: Sequence[CollectionAction], *, today: dt.date
) -> dict[int, list[Item]]:
    """What each action would dun if it were sent ``today``, by action id, oldest due first.

    The one answer to "what does this proposal ask for now": the proposals page shows it and
    sending sends it (:func:`~.case_dispatch.dispatch_approved`), so finance never approves a
    figure the message would not say. An action's items are those it names and finance did not
    leave out that are still open in its case's customer and currency (the ERP may move an
    invoice to another), due by the step's lead and not held by the contract check, each for
    what open disputes do not hold out (an invoice disputed for all it has open drops out).
    A few queries whatever the number of actions; the actions' cases and steps are read.
    """
    wanted = {
        a.id: [i for i in a.invoice_ids if i not in set(a.excluded_invoice_ids)] for a in actions
    }
    found = _still_open(session, sorted({i for ids in wanted.values() for i in ids}))
    out: dict[int, list[Item]] = {}
    for action in actions:
        case, horizon = action.case, due_by(action.step, today)
        items = [
            item
            for customer_id, item in (found[i] for i in wanted[action.id] if i in found)
            if customer_id == case.customer_id
            and item.currency == case.currency
            and item.due_date <= horizon
            and item.open_amount > 0
        ]
        out[action.id] = sorted(items, key=lambda i: (i.due_date, i.id))
    return out


def lock_invoices(session: Session, ids: Iterable[int]) -> None:
    """Share-lock the invoices a reminder is about to name (PostgreSQL; SQLite serialises
    writers): a dispute being filed on one is waited for and its part held out, or the filing
    waits for the reminder. Locked in id order, as disputes lock them."""
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), 900):
        session.execute(
            select(Invoice.id)
            .where(Invoice.id.in_(wanted[start : start + 900]))
            .order_by(Invoice.id)
            .with_for_update(read=True)
        ).all()


def disputed_note(items: Sequence[Item], language: str) -> str:
    """The sentence a reminder adds when open disputes hold part of its invoices out, in
    ``language`` (empty when nothing is held out)."""
    held = [i for i in items if i.disputed > 0]
    if not held:
        return ""
    numbers = [i.number for i in held[:5]] + (["…"] if len(held) > 5 else [])
    amount = money_text(sum((i.disputed for i in held), Decimal("0")), held[0].currency)
    with force_locale(language):
        return _(
            "Not included: %(amount)s under dispute on %(invoices)s, held out until the "
            "dispute is decided.",
            amount=amount,
            invoices=", ".join(numbers),
        )


def message_body(
    template: str, values: dict[str, str], items: Sequence[Item], language: str
) -> str:
    """A step's message filled in, with what open disputes hold out said at its end."""
    body = render(template, values)
    note = disputed_note(items, language)
    return f"{body}\n\n{note}" if note else body


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
    """The case's actions that are proposed or approved and not sent yet, locked (one being
    sent is waited for: it is sent then, not withdrawn behind the message's back)."""
    return list(
        session.scalars(
            select(CollectionAction)
            .where(CollectionAction.case_id == case.id, CollectionAction.status.in_(PENDING))
            .with_for_update()
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
        .with_for_update()  # one being sent is waited for and, sent, not withdrawn
    ):
        cancel_action(action, why)
        action.decided_at = action.decided_at or now
        events.append(
            PendingEvent("collections.action_cancelled", "collection_action", action.id, reason=why)
        )
    session.flush()
    return events


#: why an SMS step was proposed by another channel (notes of actions, see COLLECTION_LABELS)
NO_MOBILE_BY_EMAIL = "no mobile number: by email instead"
NO_MOBILE_CALL = "no mobile number: call instead"


def recipient_for(
    channel: str, email: str | None, mobile: str | None, phone: str | None = None
) -> str | None:
    """Where a step's message goes: SMS to the mobile (only a mobile: see
    :func:`portal.phones.sms_number`), email and letters to the email, a call to the mobile or
    the phone."""
    if channel == "sms":
        return sms_number(mobile)
    if channel in ("email", "letter"):
        return email
    if channel == "call":
        return mobile or phone
    return None


class Route(NamedTuple):
    """How a step reaches the customer: its channel, recipient and why it differs, if so."""

    channel: str
    recipient: str | None
    note: str | None = None


def route_step(
    channel: str,
    *,
    email: str | None,
    mobile: str | None,
    billing_emails: Sequence[str] = (),
    phone: str | None = None,
) -> Route:
    """The channel and recipient of a step: an SMS step for a customer without a mobile goes
    by email to the billing contacts (else to ``email``), or without any address becomes a
    call, never a text to a landline."""
    if channel != "sms" or sms_number(mobile) is not None:
        return Route(channel, recipient_for(channel, email, mobile, phone))
    emails = list(billing_emails) or ([email] if email else [])
    if emails:
        return Route("email", _address_list(emails), NO_MOBILE_BY_EMAIL)
    return Route("call", phone, NO_MOBILE_CALL)


def _address_list(emails: Sequence[str]) -> str:
    """The addresses as one ``To`` header that fits the recipient column (254 characters)."""
    kept: list[str] = []
    for address in emails:
        if len(", ".join([*kept, address])) > 254:
            break
        kept.append(address)
    return ", ".join(kept)


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


def close_settled_tasks(session: Session, *, now: dt.datetime) -> int:
    """Close open tasks whose invoice is settled or whose case is closed; return how many."""
    settled_invoice = (
        select(Invoice.id)
        .where(Invoice.id == FollowUp.invoice_id)
        .where(
            (Invoice.open_amount == 0)
            | Invoice.status.in_((InvoiceStatus.PAID, InvoiceStatus.CANCELLED))
        )
        .exists()
    )
    closed_case = (
        select(CollectionCase.id)
        .where(CollectionCase.id == FollowUp.case_id, CollectionCase.status == CaseStatus.CLOSED)
        .exists()
    )
    tasks = list(
        session.scalars(
            select(FollowUp).where(
                FollowUp.status.in_(OPEN_TASKS),
                FollowUp.kind.in_(
                    (
                        FollowUpKind.DUNNING_SMS,
                        FollowUpKind.DUNNING_CALL,
                        FollowUpKind.DUNNING_LETTER,
                        FollowUpKind.DUNNING_LEGAL,
                        FollowUpKind.MANUAL,
                    )
                ),
                (FollowUp.invoice_id.is_not(None) & settled_invoice)
                | (FollowUp.case_id.is_not(None) & closed_case),
            )
        )
    )
    for task in tasks:
        close_task(task, at=now)
    session.flush()
    record_many(
        session,
        events=[
            PendingEvent(
                "followup.status",
                "followup",
                t.id,
                {"to": "done"},
                reason="the invoice is settled or the case closed",
            )
            for t in tasks
        ],
        actor=None,
    )
    return len(tasks)


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
