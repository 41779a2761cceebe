"""Follow-up tasks and the daily run: tasks for staff, then the collection cases.

``run`` is idempotent: each task it creates carries a ``dedupe_key`` naming what it is for
(``dispute:<id>``, ``unmatched:<id>``...), and a key that exists is never created again;
collection proposals are unique per case, cycle and step (see :mod:`.cases`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, text
from sqlalchemy.orm import Session, joinedload

from ..audit.service import record
from ..errors import ConcordError
from ..localtime import local_day
from ..mentions import mentioned_staff, notify_mentioned
from ..models import (
    BankTransaction,
    CollectionRun,
    Customer,
    Direction,
    Dispute,
    DisputeStatus,
    FollowUp,
    FollowUpComment,
    FollowUpKind,
    FollowUpStatus,
    InvalidTransition,
    MatchStatus,
    Statement,
    StatementStatus,
    User,
    utcnow,
)
from ..permissions import Action, can
from .cases import RunResult, close_settled_tasks, default_owner, run_cases
from .ladders import CollectionSettings, load_settings
from .titles import task_title


class FollowUpError(ConcordError):
    """A task action that is not allowed (bad transition, unknown colleague...)."""


def close_settled(session: Session) -> int:
    """Close tasks of settled invoices and closed cases now (pages call it when they look)."""
    return close_settled_tasks(session, now=utcnow())


def may_own_tasks(user: User) -> bool:
    """Return whether ``user`` may own follow-up tasks (active staff who work on them)."""
    return can(Action.FOLLOWUPS_WORK, user)


def settings(session: Session) -> CollectionSettings:
    """The run's settings (defaults overridden by the ``followups.settings`` AppSetting)."""
    return load_settings(session)


class _Scheduler:
    def __init__(self, session: Session, today: dt.date) -> None:
        self.session = session
        self.today = today
        self.settings = settings(session)
        self.fallback = default_owner(session)
        self.existing = set(
            session.scalars(
                select(FollowUp.dedupe_key).where(
                    FollowUp.dedupe_key.is_not(None),
                    FollowUp.kind.in_(
                        (
                            FollowUpKind.UNMATCHED_CREDIT,
                            FollowUpKind.DISPUTE,
                            FollowUpKind.STATEMENT_UNCONFIRMED,
                        )
                    ),
                )
            )
        )
        self.created: dict[str, int] = {}

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
        self.created[kind.value] = self.created.get(kind.value, 0) + 1
        record(
            self.session,
            None,
            "followup.created",
            task,
            data={"kind": kind.value, "key": key, "owner": task.owner_id},
        )
        return task

    def due(self, days: int | None = None) -> dt.date:
        return self.today + dt.timedelta(days=self.settings.task_due_days if days is None else days)


#: key of the PostgreSQL advisory lock that lets one run go at a time ("followup" in ASCII)
RUN_LOCK_KEY = 0x666F6C6C6F777570


def one_run_at_a_time(session: Session) -> None:
    """Wait until no other run is under way (the scheduler, the CLI and "run now" may start one
    at the same moment), then hold the turn until this transaction ends.

    The second run then reads what the first committed and, being idempotent, opens, proposes
    and sends nothing again; without the wait both would send the messages approved overnight
    and open the same new cases (the second failing on their unique key). PostgreSQL: a
    transaction-level advisory lock; SQLite lets one writer go at a time anyway (the run writes
    its first row before reading anything, so the second waits with a fresh view).
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": RUN_LOCK_KEY})


def run(
    session: Session,
    *,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
    actor: User | None = None,
) -> RunResult:
    """Today's run: tasks, then collection cases and proposals (flushes; the caller commits).

    Idempotent: a second run the same day creates, proposes and opens nothing new.
    """
    now = now or utcnow()
    today = today or local_day(now)
    one_run_at_a_time(session)
    run_row = CollectionRun(run_on=today, started_at=now, actor_id=actor.id if actor else None)
    session.add(run_row)
    session.flush()
    sched = _Scheduler(session, today)
    _unmatched_credits(sched)
    _new_disputes(sched)
    _unconfirmed_statements(sched)
    result = run_cases(
        session, today=today, now=now, settings=sched.settings, actor=actor, run_id=run_row.id
    )
    result.tasks_created = sched.created
    run_row.result = result.as_json()
    run_row.finished_at = utcnow()
    session.flush()
    return result


def _unmatched_credits(sched: _Scheduler) -> None:
    limit = sched.today - dt.timedelta(days=sched.settings.unmatched_after_days)
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
            opened + dt.timedelta(days=sched.settings.dispute_sla_days),
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


def _unconfirmed_statements(sched: _Scheduler) -> None:
    cutoff = sched.today - dt.timedelta(days=sched.settings.statement_unconfirmed_days)
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
        raise FollowUpError(exc.user_message()) from exc
    if new in (FollowUpStatus.DONE, FollowUpStatus.CANCELLED):
        task.closed_at = utcnow()
        task.closed_by_id = user.id
    else:
        task.closed_at = None
        task.closed_by_id = None
    session.flush()
    record(session, user, "followup.status", task, data={"from": old.value, "to": new.value})


def assign(session: Session, task: FollowUp, owner: User, *, user: User) -> None:
    """Give the task to another member of staff."""
    if not may_own_tasks(owner):
        raise FollowUpError(_("%(email)s cannot own tasks", email=owner.email))
    previous = task.owner_id
    task.owner_id = owner.id
    session.flush()
    record(session, user, "followup.assigned", task, data={"from": previous, "to": owner.id})


def add_comment(session: Session, task: FollowUp, body: str, *, user: User) -> FollowUpComment:
    """Comment on a task; colleagues mentioned as ``@email`` are notified by email."""
    body = body.strip()
    if not body:
        raise FollowUpError(_("an empty comment says nothing"))
    comment = FollowUpComment(followup_id=task.id, author_id=user.id, body=body)
    session.add(comment)
    session.flush()
    who = user.name or user.email

    def heading() -> tuple[str, str]:
        title = task_title(task, session)
        return (
            _("[Concord] %(who)s mentioned you: %(title)s", who=who, title=title),
            _("%(who)s wrote on task #%(id)s (%(title)s):", who=who, id=task.id, title=title),
        )

    notify_mentioned(
        session,
        user,
        mentioned_staff(session, body),
        body=body,
        link=f"{current_app.config['BASE_URL'].rstrip('/')}/followups/{task.id}",
        heading=heading,
        action="followup.commented",
        entity=task,
        data={"comment": comment.id},
    )
    return comment
