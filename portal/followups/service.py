"""Follow-up tasks: the scheduler that creates them, and what staff do with them.

``run`` is idempotent: each task it creates carries a ``dedupe_key`` naming what it is for
(``dunning:<invoice>:<step>``, ``dispute:<id>``...), and a key that exists is never created
again, so running it twice a day (or after a crash) creates nothing new.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ..audit.service import record
from ..models import (
    AppSetting,
    BankTransaction,
    Customer,
    Direction,
    Dispute,
    DisputeStatus,
    DunningStep,
    FollowUp,
    FollowUpComment,
    FollowUpKind,
    FollowUpStatus,
    InvalidTransition,
    Invoice,
    InvoiceStatus,
    MatchStatus,
    Role,
    Statement,
    StatementStatus,
    User,
    utcnow,
)
from ..notifications import send_email, send_sms
from ..permissions import Action, can
from . import letters
from .titles import NO_CONTACT_NOTE, task_title

SETTINGS_KEY = "followups.settings"
DEFAULT_SETTINGS: dict[str, int] = {
    "unmatched_after_days": 5,
    "dispute_sla_days": 3,
    "statement_unconfirmed_days": 14,
    "task_due_days": 2,
}

#: the default ladder (days overdue → action); editable under Settings
DEFAULT_LADDER: tuple[tuple[int, int | None, str, str], ...] = (
    (1, 7, "sms", "SMS reminder"),
    (8, 15, "call", "Phone call"),
    (16, 30, "letter", "Formal reminder letter (PDF)"),
    (31, None, "legal", "Hand over to legal"),
)

ACTION_KINDS = {
    "sms": FollowUpKind.DUNNING_SMS,
    "email": FollowUpKind.DUNNING_SMS,
    "call": FollowUpKind.DUNNING_CALL,
    "letter": FollowUpKind.DUNNING_LETTER,
    "legal": FollowUpKind.DUNNING_LEGAL,
}

MENTION = re.compile(r"@([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})")


class FollowUpError(Exception):
    """A task action that is not allowed (bad transition, unknown colleague...)."""


@dataclass
class RunReport:
    """How many tasks of each kind one scheduler run created."""

    created: dict[str, int]
    skipped_disputed: int = 0
    skipped_on_hold: int = 0

    @property
    def total(self) -> int:
        return sum(self.created.values())


def settings(session: Session) -> dict[str, int]:
    """Scheduler settings: defaults overridden by the ``followups.settings`` AppSetting."""
    values = dict(DEFAULT_SETTINGS)
    row = session.get(AppSetting, SETTINGS_KEY)
    if row is not None:
        values.update({k: int(v) for k, v in row.value.items() if k in DEFAULT_SETTINGS})
    return values


def ensure_default_ladder(session: Session) -> list[DunningStep]:
    """Create the default dunning ladder when there is none; return the steps in order."""
    steps = list(session.scalars(select(DunningStep).order_by(DunningStep.min_days)))
    if steps:
        return steps
    for lo, hi, action, text in DEFAULT_LADDER:
        session.add(DunningStep(min_days=lo, max_days=hi, action=action, description=text))
    session.flush()
    return list(session.scalars(select(DunningStep).order_by(DunningStep.min_days)))


def may_own_tasks(user: User) -> bool:
    """Return whether ``user`` may own follow-up tasks (active staff who work on them)."""
    return can(Action.FOLLOWUPS_WORK, user)


def default_owner(session: Session) -> User | None:
    """Who gets tasks nobody else owns: the first active finance user (then admin)."""
    for role in (Role.FINANCE, Role.ADMIN):
        user = session.scalar(
            select(User).where(User.role == role, User.is_active.is_(True)).order_by(User.id)
        )
        if user is not None:
            return user
    return None


class _Scheduler:
    def __init__(self, session: Session, today: dt.date) -> None:
        self.session = session
        self.today = today
        self.settings = settings(session)
        self.fallback = default_owner(session)
        self.existing = set(
            session.scalars(select(FollowUp.dedupe_key).where(FollowUp.dedupe_key.is_not(None)))
        )
        self.report = RunReport(created={})

    def owner_for(self, customer: Customer | None) -> User | None:
        manager = customer.account_manager if customer is not None else None
        if manager is not None and may_own_tasks(manager):
            return manager
        return self.fallback

    def create(
        self, key: str, kind: FollowUpKind, title: str, due: dt.date, **links: Any
    ) -> FollowUp | None:
        if key in self.existing:
            return None
        owner = links.pop("owner", None)
        task = FollowUp(
            kind=kind,
            dedupe_key=key,
            title=title[:300],
            owner_id=owner.id if owner else None,
            due_date=due,
            status=FollowUpStatus.OPEN,
            **links,
        )
        self.session.add(task)
        self.session.flush()
        self.existing.add(key)
        self.report.created[kind.value] = self.report.created.get(kind.value, 0) + 1
        record(
            self.session,
            actor=None,
            action="followup.created",
            entity_type="followup",
            entity_id=task.id,
            data={"kind": kind.value, "key": key, "owner": task.owner_id},
        )
        return task

    def due(self, days: int | None = None) -> dt.date:
        return self.today + dt.timedelta(
            days=self.settings["task_due_days"] if days is None else days
        )


def run(session: Session, *, today: dt.date | None = None) -> RunReport:
    """Create the follow-up tasks due today (flushes; the caller commits). Idempotent."""
    sched = _Scheduler(session, today or dt.date.today())
    _unmatched_credits(sched)
    _new_disputes(sched)
    _dunning(sched)
    _unconfirmed_statements(sched)
    return sched.report


def _unmatched_credits(sched: _Scheduler) -> None:
    limit = sched.today - dt.timedelta(days=sched.settings["unmatched_after_days"])
    rows = sched.session.scalars(
        select(BankTransaction).where(
            BankTransaction.direction == Direction.CREDIT,
            BankTransaction.match_status.in_((MatchStatus.UNMATCHED, MatchStatus.SUGGESTED)),
            BankTransaction.booking_date <= limit,
        )
    )
    for t in rows:
        sched.create(
            f"unmatched:{t.id}",
            FollowUpKind.UNMATCHED_CREDIT,
            f"Unmatched receipt {t.voucher_number}: {t.amount} {t.currency} from "
            f"{t.payer_name or 'unknown payer'}",
            sched.due(),
            owner=sched.fallback,
            transaction_id=t.id,
            customer_id=t.customer_id,
        )


def _new_disputes(sched: _Scheduler) -> None:
    rows = sched.session.scalars(
        select(Dispute)
        .where(Dispute.status.in_((DisputeStatus.OPEN, DisputeStatus.UNDER_REVIEW)))
        .options(joinedload(Dispute.customer).joinedload(Customer.account_manager))
    )
    for d in rows:
        opened = d.created_at.date()
        sched.create(
            f"dispute:{d.id}",
            FollowUpKind.DISPUTE,
            f"Dispute {d.number} ({d.reason.value}, {d.amount}) from {d.customer.name}",
            opened + dt.timedelta(days=sched.settings["dispute_sla_days"]),
            # a dispute's task goes to whoever may decide it (finance), never to sales
            owner=(
                d.assigned_to
                if d.assigned_to is not None and can(Action.DISPUTES_DECIDE, d.assigned_to)
                else sched.fallback
            ),
            customer_id=d.customer_id,
            invoice_id=d.invoice_id,
            dispute_id=d.id,
        )


def _disputed_invoice_ids(session: Session) -> set[int]:
    return set(
        session.scalars(
            select(Dispute.invoice_id).where(
                Dispute.invoice_id.is_not(None),
                Dispute.status.in_((DisputeStatus.OPEN, DisputeStatus.UNDER_REVIEW)),
            )
        )
    )


def step_for(steps: Iterable[DunningStep], days: int) -> DunningStep | None:
    """The active rung of the ladder for an invoice ``days`` overdue."""
    for step in steps:
        if (
            step.active
            and step.min_days <= days
            and (step.max_days is None or days <= step.max_days)
        ):
            return step
    return None


def _dunning(sched: _Scheduler) -> None:
    steps = ensure_default_ladder(sched.session)
    disputed = _disputed_invoice_ids(sched.session)
    invoices = sched.session.scalars(
        select(Invoice)
        .where(
            Invoice.open_amount > 0,
            Invoice.status.in_((InvoiceStatus.OPEN, InvoiceStatus.PARTIALLY_PAID)),
            Invoice.due_date < sched.today,
        )
        .options(joinedload(Invoice.customer).joinedload(Customer.account_manager))
        .order_by(Invoice.due_date, Invoice.id)
    )
    for inv in invoices:
        if inv.id in disputed:
            sched.report.skipped_disputed += 1
            continue
        if inv.customer.on_hold:
            sched.report.skipped_on_hold += 1
            continue
        step = step_for(steps, inv.days_overdue(sched.today))
        if step is None:
            continue
        key = f"dunning:{inv.id}:{step.id}"
        if key in sched.existing:
            continue
        _dun(sched, inv, step, key)


def _dun(sched: _Scheduler, inv: Invoice, step: DunningStep, key: str) -> None:
    customer = inv.customer
    days = inv.days_overdue(sched.today)
    kind = ACTION_KINDS[step.action]
    title = {
        "sms": f"SMS reminder: {inv.number} {days} days overdue ({inv.open_amount} {inv.currency})",
        "email": f"Email reminder: {inv.number} {days} days overdue",
        "call": f"Call {customer.name} about {inv.number} ({days} days overdue)",
        "letter": f"Formal reminder letter for {inv.number} ({days} days overdue)",
        "legal": f"Hand {inv.number} of {customer.name} to legal ({days} days overdue)",
    }[step.action]
    task = sched.create(
        key,
        kind,
        title,
        sched.due(0 if step.action in ("sms", "email") else None),
        owner=sched.owner_for(customer),
        customer_id=customer.id,
        invoice_id=inv.id,
    )
    if task is None:
        return
    if step.action in ("sms", "email"):
        _send_reminder(sched, task, inv, step.action, days)
    elif step.action == "letter":
        letters.create_letter(sched.session, task, inv, today=sched.today)


def _send_reminder(sched: _Scheduler, task: FollowUp, inv: Invoice, action: str, days: int) -> None:
    customer = inv.customer
    if customer.language == "en":
        text = (
            f"{current_app.config['COMPANY_NAME']}: invoice {inv.number} of "
            f"{inv.open_amount} {inv.currency} is {days} days overdue. Please arrange payment."
        )
    else:
        text = (
            f"【{current_app.config['COMPANY_NAME']}】贵司发票{inv.number}"
            f"（未付{inv.open_amount} {inv.currency}）已逾期{days}天，请尽快安排付款。"
        )
    sent_to = None
    if action == "sms" and customer.phone:
        send_sms(customer.phone, text)
        sent_to = customer.phone
    elif customer.email:
        send_email(
            customer.email, f"Payment reminder {inv.number}", text, language=customer.language
        )
        sent_to = customer.email
    if sent_to is None:
        # pages translate the note; the stored title keeps it as the marker they look for
        task.title = task.title[: 300 - len(NO_CONTACT_NOTE)] + NO_CONTACT_NOTE
        return
    sched.session.add(FollowUpComment(followup_id=task.id, body=f"Reminder sent to {sent_to}."))
    task.move_to(FollowUpStatus.DONE)
    task.closed_at = utcnow()


def _unconfirmed_statements(sched: _Scheduler) -> None:
    cutoff = sched.today - dt.timedelta(days=sched.settings["statement_unconfirmed_days"])
    rows = sched.session.scalars(
        select(Statement)
        .where(Statement.status == StatementStatus.ISSUED)
        .options(joinedload(Statement.customer).joinedload(Customer.account_manager))
    )
    for st in rows:
        if st.issued_at.date() > cutoff:
            continue
        sched.create(
            f"statement:{st.id}",
            FollowUpKind.STATEMENT_UNCONFIRMED,
            f"Statement {st.number} of {st.customer.name} not confirmed since "
            f"{st.issued_at.date().isoformat()}",
            sched.due(),
            owner=sched.owner_for(st.customer),
            customer_id=st.customer_id,
            statement_id=st.id,
        )


# --- what staff do with tasks ------------------------------------------------------------------


def change_status(session: Session, task: FollowUp, new: FollowUpStatus, *, user: User) -> None:
    """Move a task along its allowed transitions (audited)."""
    old = task.status
    try:
        task.move_to(new)
    except InvalidTransition as exc:  # turned into a message for the user
        raise FollowUpError(str(exc)) from exc
    if new in (FollowUpStatus.DONE, FollowUpStatus.CANCELLED):
        task.closed_at = utcnow()
        task.closed_by_id = user.id
    else:
        task.closed_at = None
        task.closed_by_id = None
    session.flush()
    record(
        session,
        actor=user,
        action="followup.status",
        entity_type="followup",
        entity_id=task.id,
        data={"from": old.value, "to": new.value},
    )


def assign(session: Session, task: FollowUp, owner: User, *, user: User) -> None:
    """Give the task to another member of staff."""
    if not may_own_tasks(owner):
        raise FollowUpError(f"{owner.email} cannot own tasks")
    previous = task.owner_id
    task.owner_id = owner.id
    session.flush()
    record(
        session,
        actor=user,
        action="followup.assigned",
        entity_type="followup",
        entity_id=task.id,
        data={"from": previous, "to": owner.id},
    )


def add_comment(session: Session, task: FollowUp, body: str, *, user: User) -> FollowUpComment:
    """Comment on a task; colleagues mentioned as ``@email`` are notified by email."""
    body = body.strip()
    if not body:
        raise FollowUpError("an empty comment says nothing")
    comment = FollowUpComment(followup_id=task.id, author_id=user.id, body=body)
    session.add(comment)
    session.flush()
    mentioned = mentioned_colleagues(session, body)
    base = current_app.config["BASE_URL"].rstrip("/")
    for colleague in mentioned:
        if colleague.id == user.id:
            continue
        who = user.name or user.email
        with force_locale(colleague.language or "zh"):
            title = task_title(task, session)
            subject = _("[Concord] %(who)s mentioned you: %(title)s", who=who, title=title)
            intro = _(
                "%(who)s wrote on task #%(id)s (%(title)s):", who=who, id=task.id, title=title
            )
        send_email(
            colleague.email,
            subject[:200],
            f"{intro}\n\n{body}\n\n{base}/followups/{task.id}\n",
            language=colleague.language,
        )
    record(
        session,
        actor=user,
        action="followup.commented",
        entity_type="followup",
        entity_id=task.id,
        data={"comment": comment.id, "mentioned": [c.id for c in mentioned]},
    )
    return comment


def mentioned_colleagues(session: Session, body: str) -> list[User]:
    """Active staff whose email is mentioned as ``@email`` in ``body``."""
    emails = {m.lower() for m in MENTION.findall(body)}
    if not emails:
        return []
    users = session.scalars(select(User).where(User.is_active.is_(True))).all()
    return [u for u in users if u.email.lower() in emails and u.is_staff]
