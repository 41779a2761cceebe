"""Collection cases: one per customer and currency, moved along its ladder by the daily run.

The run is set-based: one grouped query finds what every customer owes overdue per currency,
one query loads the cases, and proposals are computed in memory, so a run over 20,000
customers and 100,000 invoices costs a handful of queries, not one per invoice.

A case holds the customer's undisputed open items that are overdue (or due within the lead of
the ladder's first step, for the reminder before the due date). It closes by itself when
nothing of that remains (paid, credited or disputed in full) and opens again, as a new cycle
starting at the first step, when something new falls overdue. Each run proposes at most one
step per case; finance approves proposals before anything is sent (unless a step is set to
auto-approve).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import and_, exists, func, insert, select
from sqlalchemy.orm import Session, joinedload

from ..audit.service import PendingEvent, record, record_many
from ..errors import ConcordError
from ..models import (
    CHANNELS,
    ActionStatus,
    CaseEvent,
    CaseStatus,
    CollectionAction,
    CollectionCase,
    Customer,
    CustomerContact,
    Dispute,
    DisputeStatus,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    InvalidTransition,
    Invoice,
    InvoiceStatus,
    Ladder,
    LadderStep,
    Role,
    User,
    utcnow,
)
from ..notifications import send_email, send_sms
from . import documents
from .ladders import (
    CollectionSettings,
    active_steps,
    choose_ladder,
    ensure_default_ladders,
    lead_days,
    money_text,
    next_step,
    render,
    template_for,
)

OPEN_INVOICE = (InvoiceStatus.OPEN, InvoiceStatus.PARTIALLY_PAID)
ACTIVE_DISPUTES = (DisputeStatus.OPEN, DisputeStatus.UNDER_REVIEW)
#: channels that send the customer something (counted against the weekly cap, held at night)
MESSAGE_CHANNELS = ("sms", "email", "letter")
PENDING = (ActionStatus.PROPOSED, ActionStatus.APPROVED)


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


def _not_disputed() -> Any:
    return ~exists().where(Dispute.invoice_id == Invoice.id, Dispute.status.in_(ACTIVE_DISPUTES))


def _open_item_filter(horizon: dt.date) -> tuple[Any, ...]:
    return (
        Invoice.open_amount > 0,
        Invoice.status.in_(OPEN_INVOICE),
        Invoice.due_date <= horizon,
        _not_disputed(),
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
        *_open_item_filter(horizon),
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


def _company(language: str) -> str:
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
        "company": _company(language),
        "manager": manager_name,
    }


# --- the run ---------------------------------------------------------------------------------


@dataclass
class _NewCase:
    """A case this run inserted, as the proposals need it (no ORM object for thousands)."""

    id: int
    customer_id: int
    currency: str
    owner_id: int | None
    ladder_id: int | None
    oldest_due_date: dt.date | None
    cycle: int = 1
    step_id: int | None = None
    step_on: dt.date | None = None
    escalate: bool = False
    paused_until: dt.date | None = None


@dataclass
class _Contact:
    name: str
    language: str
    email: str | None
    mobile: str | None
    segment: str | None
    on_hold: bool
    manager_id: int | None


class _Run:
    def __init__(
        self,
        session: Session,
        *,
        today: dt.date,
        now: dt.datetime,
        settings: CollectionSettings,
        actor: User | None,
    ) -> None:
        self.session = session
        self.today = today
        self.now = now
        self.settings = settings
        self.actor = actor
        self.result = RunResult()
        self.audit: list[PendingEvent] = []
        self.ladders = {lad.id: lad for lad in ensure_default_ladders(session)}
        self.horizon = today + dt.timedelta(days=lead_days(self.ladders.values()))
        self.fallback = default_owner(session)
        self.step_by_id = {s.id: s for lad in self.ladders.values() for s in lad.steps}
        self._grades: dict[int, str] | None = None
        self._needs_ladder: set[int] = set()
        self.people: dict[int, _Contact] = {}
        self.run_id: int | None = None
        self._pending_open: list[tuple[int, str]] = []

    # customers and their ladders

    def contacts(self, customer_ids: set[int]) -> dict[int, _Contact]:
        people: dict[int, _Contact] = {}
        for row in self.session.execute(
            select(
                Customer.id,
                Customer.name,
                Customer.language,
                Customer.email,
                Customer.phone,
                Customer.segment,
                Customer.on_hold,
                Customer.account_manager_id,
            )
        ):
            if row.id in customer_ids:
                people[row.id] = _Contact(
                    row.name,
                    row.language,
                    row.email,
                    row.phone,
                    row.segment,
                    row.on_hold,
                    row.account_manager_id,
                )
        # the first billing contact receives reminders, in their own language
        seen: set[int] = set()
        for c in self.session.execute(
            select(
                CustomerContact.customer_id,
                CustomerContact.email,
                CustomerContact.mobile,
                CustomerContact.language,
            )
            .where(CustomerContact.is_billing.is_(True))
            .order_by(CustomerContact.id)
        ):
            person = people.get(c.customer_id)
            if person is None or c.customer_id in seen:
                continue
            seen.add(c.customer_id)
            person.email = c.email or person.email
            person.mobile = c.mobile or person.mobile
            person.language = c.language or person.language
        return people

    def grade(self, customer_id: int) -> str | None:
        if not any(lad.grades() for lad in self.ladders.values() if lad.active):
            return None
        if self._grades is None:
            from ..credit.service import score_customers

            # only the customers whose case opens now need a ladder chosen
            # a list of thousands of ids costs more than scoring everyone
            wanted = sorted(self._needs_ladder) if len(self._needs_ladder) <= 1000 else None
            self._grades = {
                s.customer.id: s.grade
                for s in score_customers(self.session, today=self.today, customer_ids=wanted)
            }
        return self._grades.get(customer_id)

    def ladder_for(self, person: _Contact, customer_id: int) -> Ladder | None:
        return choose_ladder(
            self.ladders.values(), segment=person.segment, grade=self.grade(customer_id)
        )

    # cases

    def sync_cases(self) -> list[CollectionCase | _NewCase]:
        rows = self.session.execute(
            select(
                Invoice.customer_id,
                Invoice.currency,
                func.min(Invoice.due_date),
                func.sum(Invoice.open_amount),
                func.count(),
            )
            .where(*_open_item_filter(self.horizon))
            .group_by(Invoice.customer_id, Invoice.currency)
        ).all()
        cases = {
            (c.customer_id, c.currency): c for c in self.session.scalars(select(CollectionCase))
        }
        people = self.contacts({r[0] for r in rows} | {k[0] for k in cases})
        self.people = people
        self._needs_ladder = {
            r[0]
            for r in rows
            if (r[0], r[1]) not in cases
            or cases[(r[0], r[1])].status is CaseStatus.CLOSED
            or cases[(r[0], r[1])].ladder_id is None
        }
        seen: set[tuple[int, str]] = set()
        new_rows: list[dict[str, Any]] = []
        for customer_id, currency, oldest, total, count in rows:
            key = (customer_id, currency)
            seen.add(key)
            case = cases.get(key)
            overdue = oldest < self.today
            total = Decimal(total)
            if case is None or case.status is CaseStatus.CLOSED:
                person = people[customer_id]
                ladder = self.ladder_for(person, customer_id)
                pre_due = ladder is not None and any(
                    s.offset_days < 0 for s in active_steps(ladder)
                )
                if not overdue and not pre_due:
                    continue
                if case is None:
                    new_rows.append(self._new_case(key, person, ladder, total, oldest, count))
                    continue
                if not overdue and case.closed_at is not None:
                    if case.closed_at.date() >= self.today:
                        continue  # closed today: no flip-flop within one day
                self._reopen(case, person, ladder)
            elif not overdue and self._past_pre_due(case):
                self._close(case, "paid")  # the overdue balance is gone; only new items left
                continue
            elif case.ladder_id is None:
                # a case kept from before ladders (the migration) gets one now
                ladder = self.ladder_for(people[customer_id], customer_id)
                case.ladder_id = ladder.id if ladder else None
            if (case.overdue_amount, case.oldest_due_date, case.item_count) != (
                total,
                oldest,
                count,
            ):
                case.overdue_amount, case.oldest_due_date, case.item_count = total, oldest, count
        for key, case in cases.items():
            if key not in seen and case.status is not CaseStatus.CLOSED:
                self._close(case, "settled")
        self.session.flush()
        opened = self._insert_cases(new_rows)
        return [*(c for c in cases.values() if c.status is CaseStatus.OPEN), *opened]

    def _new_case(
        self,
        key: tuple[int, str],
        person: _Contact,
        ladder: Ladder | None,
        total: Decimal,
        oldest: dt.date,
        count: int,
    ) -> dict[str, Any]:
        return {
            "customer_id": key[0],
            "currency": key[1],
            "status": CaseStatus.OPEN,
            "owner_id": person.manager_id or (self.fallback.id if self.fallback else None),
            "ladder_id": ladder.id if ladder else None,
            "cycle": 1,
            "opened_on": self.today,
            "overdue_amount": total,
            "oldest_due_date": oldest,
            "item_count": count,
            "escalate": False,
            "broken_promises": 0,
            "created_at": self.now,
        }

    def _insert_cases(self, rows: list[dict[str, Any]]) -> list[_NewCase]:
        """Insert new cases in one statement (the ORM would insert them one by one)."""
        if not rows:
            return []
        by_key = {(r["customer_id"], r["currency"]): r for r in rows}
        table = CollectionCase.__table__
        # a plain executemany (no RETURNING: PostgreSQL drivers would parse one huge statement),
        # then the new ids by the run's timestamp, which only these rows carry
        self.session.execute(insert(table), [{**r, "status": r["status"].value} for r in rows])
        found = self.session.execute(
            select(table.c.id, table.c.customer_id, table.c.currency).where(
                table.c.created_at == self.now, table.c.cycle == 1
            )
        ).all()
        opened = [
            _NewCase(
                id=case_id,
                customer_id=customer_id,
                currency=currency,
                owner_id=by_key[(customer_id, currency)]["owner_id"],
                ladder_id=by_key[(customer_id, currency)]["ladder_id"],
                oldest_due_date=by_key[(customer_id, currency)]["oldest_due_date"],
            )
            for case_id, customer_id, currency in found
            if (customer_id, currency) in by_key
        ]
        if len(opened) != len(rows):
            raise RuntimeError("new cases could not be found again by their creation time")
        self.result.cases_opened += len(opened)
        self._pending_open.extend((c.id, "collections.case_opened") for c in opened)
        return opened

    def _past_pre_due(self, case: CollectionCase) -> bool:
        step = self.step_by_id.get(case.step_id) if case.step_id else None
        return case.status is CaseStatus.LEGAL or (step is not None and step.offset_days >= 0)

    def _reopen(self, case: CollectionCase, person: _Contact, ladder: Ladder | None) -> None:
        case.move_to(CaseStatus.OPEN)
        case.cycle += 1
        case.opened_on = self.today
        case.closed_at = None
        case.owner_id = person.manager_id or (self.fallback.id if self.fallback else None)
        case.ladder_id = ladder.id if ladder else None
        case.step_id = case.step_on = case.paused_until = None
        case.escalate = False
        self.result.cases_opened += 1
        self.session.flush()
        self._pending_open.append((case.id, "collections.case_reopened"))

    def _close(self, case: CollectionCase, why: str) -> None:
        case.move_to(CaseStatus.CLOSED)
        case.closed_at = self.now
        case.overdue_amount, case.oldest_due_date, case.item_count = Decimal("0"), None, 0
        case.paused_until = None
        case.escalate = False
        self.result.cases_closed += 1
        self.session.add(
            CaseEvent(case_id=case.id, at=self.now, channel="system", kind="closed", outcome=why)
        )
        self.audit.append(
            PendingEvent("collections.case_closed", "collection_case", case.id, {"why": why})
        )

    # proposals

    def _open_actions(
        self,
    ) -> tuple[dict[tuple[int, int], tuple[int, ActionStatus, dt.datetime | None]], set[int]]:
        """The actions of open cases by (case, step), and the cases with one still pending."""
        existing: dict[tuple[int, int], tuple[int, ActionStatus, dt.datetime | None]] = {}
        pending: set[int] = set()
        for prior in self.session.execute(
            select(
                CollectionAction.id,
                CollectionAction.case_id,
                CollectionAction.step_id,
                CollectionAction.status,
                CollectionAction.decided_at,
            )
            .join(
                CollectionCase,
                and_(
                    CollectionCase.id == CollectionAction.case_id,
                    CollectionCase.cycle == CollectionAction.cycle,
                ),
            )
            .where(CollectionCase.status == CaseStatus.OPEN)
        ):
            existing[(prior.case_id, prior.step_id)] = (prior.id, prior.status, prior.decided_at)
            if prior.status in PENDING:
                pending.add(prior.case_id)
        return existing, pending

    def _due_step(
        self,
        case: CollectionCase | _NewCase,
        existing: dict[tuple[int, int], tuple[int, ActionStatus, dt.datetime | None]],
        pending: set[int],
    ) -> tuple[LadderStep, int | None] | None:
        """The ladder step ``case`` is due for now (with the excluded action to re-propose)."""
        person = self.people.get(case.customer_id)
        if case.id in pending or person is None or person.on_hold:
            return None
        if case.paused_until is not None and case.paused_until >= self.today:
            return None
        ladder = self.ladders.get(case.ladder_id) if case.ladder_id else None
        if ladder is None or case.oldest_due_date is None:
            return None
        current = self.step_by_id.get(case.step_id) if case.step_id else None
        step = next_step(
            active_steps(ladder),
            current_position=current.position if current else None,
            days=(self.today - case.oldest_due_date).days,
            days_since_step=(self.today - case.step_on).days if case.step_on else None,
            escalate=case.escalate,
        )
        if step is None:
            return None
        found = existing.get((case.id, step.id))
        if found is None:
            return step, None
        action_id, status, decided = found
        limit = self.today - dt.timedelta(days=self.settings.repropose_after_days)
        if status is not ActionStatus.EXCLUDED or (decided and decided.date() > limit):
            return None
        return step, action_id

    def propose(self, cases: list[CollectionCase | _NewCase]) -> int:
        existing, pending = self._open_actions() if cases else ({}, set())
        wanted: list[tuple[CollectionCase | _NewCase, LadderStep, int | None]] = []
        for case in cases:
            due = self._due_step(case, existing, pending)
            if due is not None:
                wanted.append((case, *due))
        if not wanted:
            return 0
        items = self._items({(c.customer_id, c.currency) for c, _s, _i in wanted})
        managers = self._manager_names()
        fresh: list[dict[str, Any]] = []
        made: list[tuple[int | None, dict[str, Any]]] = []
        for case, step, action_id in wanted:
            person = self.people[case.customer_id]
            case_items_ = items.get((case.customer_id, case.currency), [])
            if not case_items_:
                continue
            values = message_values(
                customer_name=person.name,
                manager_name=managers.get(case.owner_id or 0, ""),
                case_id=case.id,
                currency=case.currency,
                items=case_items_,
                language=person.language,
                today=self.today,
            )
            tpl = template_for(step, person.language)
            auto = step.auto_approve and step.channel != "legal"
            row: dict[str, Any] = {
                "run_id": self.run_id,
                "case_id": case.id,
                "cycle": case.cycle,
                "step_id": step.id,
                "channel": step.channel,
                "status": ActionStatus.APPROVED if auto else ActionStatus.PROPOSED,
                "proposed_on": self.today,
                "invoice_ids": [i.id for i in case_items_],
                "excluded_invoice_ids": [],
                "amount": sum((i.open_amount for i in case_items_), Decimal("0")),
                "language": person.language,
                "recipient": recipient_for(step.channel, person.email, person.mobile),
                "subject": render(tpl["subject"], values)[:300],
                "body": render(tpl["body"], values),
                "note": "auto-approved" if auto else None,
                "decided_by_id": None,
                "decided_at": self.now if auto else None,
                "created_at": self.now,
            }
            self.result.proposed[step.channel] += 1
            if action_id is None:
                fresh.append(row)
                continue
            # an excluded step proposed again
            action = self.session.get(CollectionAction, action_id)
            assert action is not None
            action.move_to(ActionStatus.PROPOSED)
            for name, value in row.items():
                if name not in ("created_at", "status"):
                    setattr(action, name, value)
            action.status = row["status"]
            made.append((action_id, row))
        if fresh:
            table = CollectionAction.__table__
            self.session.execute(insert(table), [{**r, "status": r["status"].value} for r in fresh])
            # (case, cycle, step) is unique: it tells which id is which row
            by_key = {(r["case_id"], r["cycle"], r["step_id"]): r for r in fresh}
            for action_id, case_id, cycle, step_id in self.session.execute(
                select(table.c.id, table.c.case_id, table.c.cycle, table.c.step_id).where(
                    table.c.created_at == self.now
                )
            ):
                inserted = by_key.get((case_id, cycle, step_id))
                if inserted is not None:
                    made.append((action_id, inserted))
        self.session.flush()
        if made:
            # one event for the run's proposals (each action row carries its run, step and
            # text); approving, leaving out, sending and cancelling are audited one by one
            self.audit.append(
                PendingEvent(
                    "collections.proposed",
                    "collection_run",
                    self.run_id or 0,
                    {
                        "actions": sorted(action_id for action_id, _row in made),
                        "channels": dict(self.result.proposed),
                        "auto_approved": sorted(
                            action_id
                            for action_id, row in made
                            if row["status"] is ActionStatus.APPROVED
                        ),
                    },
                )
            )
        return len(made)

    def _items(self, keys: set[tuple[int, str]]) -> dict[tuple[int, str], list[Item]]:
        out: dict[tuple[int, str], list[Item]] = defaultdict(list)
        customer_ids = {k[0] for k in keys}
        for row in self.session.execute(
            select(
                Invoice.customer_id,
                Invoice.id,
                Invoice.number,
                Invoice.due_date,
                Invoice.open_amount,
                Invoice.currency,
            )
            .where(*_open_item_filter(self.horizon))
            .order_by(Invoice.due_date, Invoice.id)
        ):
            if row.customer_id in customer_ids and (row.customer_id, row.currency) in keys:
                out[(row.customer_id, row.currency)].append(Item(*row[1:]))
        return out

    def _manager_names(self) -> dict[int, str]:
        return {
            uid: name or email
            for uid, name, email in self.session.execute(
                select(User.id, User.name, User.email).where(User.customer_id.is_(None))
            )
        }


def recipient_for(channel: str, email: str | None, mobile: str | None) -> str | None:
    """Where a step's message goes: SMS to the mobile, email and letters to the email."""
    if channel == "sms":
        return mobile
    if channel in ("email", "letter"):
        return email
    if channel == "call":
        return mobile
    return None


def run_cases(
    session: Session,
    *,
    today: dt.date,
    now: dt.datetime,
    settings: CollectionSettings,
    actor: User | None = None,
    run_id: int | None = None,
) -> RunResult:
    """Open, update and close cases, judge promises, propose steps, send what is approved."""
    from . import promises

    run = _Run(session, today=today, now=now, settings=settings, actor=actor)
    run.run_id = run_id
    kept, broken = promises.evaluate(session, today=today, now=now)
    run.result.promises_kept, run.result.promises_broken = kept, broken
    cases = run.sync_cases()
    session.flush()
    if run._pending_open:
        session.execute(
            insert(CaseEvent.__table__),
            [
                {
                    "case_id": case_id,
                    "at": now,
                    "channel": "system",
                    "kind": "opened",
                    "outcome": "reopened" if action.endswith("reopened") else None,
                    "body": "",
                    "invoice_ids": [],
                }
                for case_id, action in run._pending_open
            ],
        )
    for case_id, action in run._pending_open:
        run.audit.append(PendingEvent(action, "collection_case", case_id))
    run.propose(cases)
    dispatched = dispatch_approved(session, today=today, now=now, settings=settings)
    run.result.sent, run.result.held = dispatched
    record_many(session, actor=actor, events=run.audit)
    run.result.tasks_closed = close_settled_tasks(session, now=now)
    return run.result


# --- approving, excluding and sending --------------------------------------------------------


def _local_hour(now: dt.datetime) -> int:
    return now.astimezone(ZoneInfo(current_app.config.get("TIMEZONE") or "UTC")).hour


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


def dispatch_approved(
    session: Session,
    *,
    today: dt.date,
    now: dt.datetime,
    settings: CollectionSettings,
    action_ids: Iterable[int] | None = None,
) -> tuple[int, int]:
    """Send approved actions now, unless quiet hours or the weekly cap hold them.

    Returns (messages sent, actions held). Held actions stay approved; the next run (or
    approval) sends them.
    """
    query = (
        select(CollectionAction)
        .where(CollectionAction.status == ActionStatus.APPROVED)
        .options(
            joinedload(CollectionAction.case).joinedload(CollectionCase.customer),
            joinedload(CollectionAction.step),
        )
        .order_by(CollectionAction.id)
    )
    if action_ids is not None:
        query = query.where(CollectionAction.id.in_(list(action_ids)))
    actions = list(session.scalars(query).unique())
    if not actions:
        return 0, 0
    quiet = settings.is_quiet(_local_hour(now))
    counts = messages_this_week(session, (a.case.customer_id for a in actions), now)
    sent = held = 0
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
            continue
        horizon = today + dt.timedelta(days=max(0, -action.step.offset_days))
        wanted = [i for i in action.invoice_ids if i not in set(action.excluded_invoice_ids)]
        items = case_items(session, case, horizon=max(horizon, today), ids=wanted)
        if not items:
            _cancel(session, action, "settled before it was sent", now)
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
    return sent, held


def _cancel(session: Session, action: CollectionAction, why: str, now: dt.datetime) -> None:
    action.move_to(ActionStatus.CANCELLED)
    action.note = why
    action.decided_at = action.decided_at or now
    session.flush()
    record(
        session,
        actor=None,
        action="collections.action_cancelled",
        entity_type="collection_action",
        entity_id=action.id,
        reason=why,
    )


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
    manager = session.get(User, case.owner_id) if case.owner_id else None
    values = message_values(
        customer_name=customer.name,
        manager_name=(manager.name or manager.email) if manager else "",
        case_id=case.id,
        currency=case.currency,
        items=items,
        language=action.language,
        today=today,
    )
    tpl = template_for(step, action.language)
    action.subject = render(tpl["subject"], values)[:300]
    action.body = render(tpl["body"], values)
    action.amount = sum((i.open_amount for i in items), Decimal("0"))
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
    if action.channel == "sms" and action.recipient:
        send_sms(action.recipient, action.body)
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
        actor=None,
        action="collections.sent",
        entity_type="collection_action",
        entity_id=action.id,
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
        FollowUp(
            kind=FollowUpKind.DUNNING_CALL,
            dedupe_key=f"case:{case.id}:{action.cycle}:{action.step_id}",
            title=title[:300],
            owner_id=case.owner_id,
            due_date=today,
            status=FollowUpStatus.OPEN,
            customer_id=case.customer_id,
            case_id=case.id,
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
) -> tuple[int, int, int]:
    """Approve proposals and send them (legal hand-overs need a named approver instead).

    Returns (approved, sent, held).
    """
    now = now or utcnow()
    ids = list(action_ids)
    rows = list(
        session.scalars(
            select(CollectionAction).where(
                CollectionAction.id.in_(ids), CollectionAction.status == ActionStatus.PROPOSED
            )
        )
    )
    approved: list[int] = []
    for action in rows:
        if action.channel == "legal":
            continue
        action.move_to(ActionStatus.APPROVED)
        action.decided_by_id, action.decided_at = user.id, now
        approved.append(action.id)
    session.flush()
    record_many(
        session,
        events=[PendingEvent("collections.approved", "collection_action", i) for i in approved],
        actor=user,
    )
    today = _local_today(now)
    sent, held = dispatch_approved(
        session, today=today, now=now, settings=settings, action_ids=approved
    )
    return len(approved), sent, held


def _local_today(now: dt.datetime) -> dt.date:
    return now.astimezone(ZoneInfo(current_app.config.get("TIMEZONE") or "UTC")).date()


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
        raise CollectionError(str(exc)) from exc
    action.decided_by_id, action.decided_at = user.id, now or utcnow()
    action.note = reason.strip() or None
    session.flush()
    record(
        session,
        actor=user,
        action="collections.excluded",
        entity_type="collection_action",
        entity_id=action.id,
        reason=reason,
    )


def exclude_items(
    session: Session, action: CollectionAction, invoice_ids: Iterable[int], *, user: User
) -> None:
    """Leave some invoices out of a proposal; leaving out all of them excludes the proposal."""
    if action.status is not ActionStatus.PROPOSED:
        raise CollectionError("only a proposal can change")
    drop = {int(i) for i in invoice_ids} & set(action.invoice_ids)
    if not drop:
        return
    action.excluded_invoice_ids = sorted(set(action.excluded_invoice_ids) | drop)
    remaining = [i for i in action.invoice_ids if i not in set(action.excluded_invoice_ids)]
    session.flush()
    record(
        session,
        actor=user,
        action="collections.items_excluded",
        entity_type="collection_action",
        entity_id=action.id,
        data={"invoices": sorted(drop)},
    )
    if not remaining:
        exclude(session, action, user=user, reason="every item left out")


# --- closing tasks of settled invoices and closed cases ---------------------------------------


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
                FollowUp.status.in_((FollowUpStatus.OPEN, FollowUpStatus.IN_PROGRESS)),
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
        task.move_to(FollowUpStatus.DONE)
        task.closed_at = now
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


# --- what pages show -------------------------------------------------------------------------


@dataclass
class CaseView:
    """Everything a page shows about one case."""

    case: CollectionCase
    items: list[Item]
    events: list[CaseEvent]
    actions: list[CollectionAction]
    promises: list[Any]
    open_promise: Any | None
    next_step: LadderStep | None


def refresh_case(
    session: Session,
    case: CollectionCase,
    *,
    today: dt.date | None = None,
    actor: User | None = None,
) -> None:
    """Bring one case up to date with its items now (a page looks: settled cases close)."""
    today = today or dt.date.today()
    if case.status is CaseStatus.CLOSED:
        return
    lead = (
        max(0, -min((s.offset_days for s in case.ladder.steps if s.active), default=0))
        if case.ladder
        else 0
    )
    items = case_items(session, case, horizon=today + dt.timedelta(days=lead))
    overdue = [i for i in items if i.due_date < today]
    step = case.step
    past_pre_due = case.status is CaseStatus.LEGAL or (step is not None and step.offset_days >= 0)
    if not items or (not overdue and past_pre_due):
        case.move_to(CaseStatus.CLOSED)
        case.closed_at = utcnow()
        case.overdue_amount, case.oldest_due_date, case.item_count = Decimal("0"), None, 0
        case.paused_until = None
        session.add(CaseEvent(case_id=case.id, channel="system", kind="closed", outcome="settled"))
        session.flush()
        record(
            session,
            actor=actor,
            action="collections.case_closed",
            entity_type="collection_case",
            entity_id=case.id,
            data={"why": "settled"},
        )
        close_settled_tasks(session, now=utcnow())
        return
    case.overdue_amount = sum((i.open_amount for i in items), Decimal("0"))
    case.oldest_due_date = min(i.due_date for i in items)
    case.item_count = len(items)
    session.flush()


def case_view(session: Session, case: CollectionCase, *, today: dt.date | None = None) -> CaseView:
    """The case with its items, history, proposals and promises (refreshed first)."""
    from ..models import Promise

    today = today or dt.date.today()
    refresh_case(session, case, today=today)
    lead = (
        max(0, -min((s.offset_days for s in case.ladder.steps if s.active), default=0))
        if case.ladder
        else 0
    )
    items = (
        case_items(session, case, horizon=today + dt.timedelta(days=lead))
        if case.status is not CaseStatus.CLOSED
        else []
    )
    events = list(
        session.scalars(
            select(CaseEvent)
            .where(CaseEvent.case_id == case.id)
            .options(joinedload(CaseEvent.actor))
            .order_by(CaseEvent.at.desc(), CaseEvent.id.desc())
        )
    )
    actions = list(
        session.scalars(
            select(CollectionAction)
            .where(CollectionAction.case_id == case.id)
            .options(joinedload(CollectionAction.step))
            .order_by(CollectionAction.id.desc())
        )
    )
    promises_ = list(
        session.scalars(
            select(Promise).where(Promise.case_id == case.id).order_by(Promise.id.desc())
        )
    )
    open_promise = next((p for p in promises_ if p.status.value == "open"), None)
    nxt = None
    if case.ladder is not None and case.status is CaseStatus.OPEN:
        current = case.step
        later = [
            s for s in active_steps(case.ladder) if current is None or s.position > current.position
        ]
        nxt = later[0] if later else None
    return CaseView(case, items, events, actions, promises_, open_promise, nxt)


def customer_cases(session: Session, customer_id: int) -> list[CollectionCase]:
    """A customer's cases (open first), for a customer page."""
    return list(
        session.scalars(
            select(CollectionCase)
            .where(CollectionCase.customer_id == customer_id)
            .options(joinedload(CollectionCase.owner), joinedload(CollectionCase.step))
            .order_by(CollectionCase.status, CollectionCase.currency)
        )
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
        raise CollectionError(f"unknown channel {channel!r}")
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
                FollowUp.status.in_((FollowUpStatus.OPEN, FollowUpStatus.IN_PROGRESS)),
            )
        ):
            task.move_to(FollowUpStatus.DONE)
            task.closed_at, task.closed_by_id = utcnow(), user.id
    session.flush()
    record(
        session,
        actor=user,
        action="collections.contact_logged",
        entity_type="collection_case",
        entity_id=case.id,
        data={"channel": channel, "outcome": outcome, "event": event.id},
    )
    return event


def assign_case(session: Session, case: CollectionCase, owner: User, *, user: User) -> None:
    """Give the case to another collector or account manager."""
    if not owner.is_staff or not owner.is_active:
        raise CollectionError(f"{owner.email} cannot own cases")
    before = case.owner_id
    case.owner_id = owner.id
    session.flush()
    record(
        session,
        actor=user,
        action="collections.case_assigned",
        entity_type="collection_case",
        entity_id=case.id,
        data={"from": before, "to": owner.id},
    )


def hand_over_to_legal(
    session: Session,
    case: CollectionCase,
    *,
    approver: User,
    reason: str,
    user: User,
    today: dt.date | None = None,
) -> CaseEvent:
    """Hand the case to legal, approved by a named finance or admin user; makes the case file."""
    today = today or dt.date.today()
    if approver.role not in (Role.FINANCE, Role.ADMIN) or not approver.is_active:
        raise CollectionError(f"{approver.email} cannot approve a hand-over to legal")
    if not reason.strip():
        raise CollectionError("say why the case goes to legal")
    try:
        case.move_to(CaseStatus.LEGAL)
    except InvalidTransition as exc:
        raise CollectionError(str(exc)) from exc
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
    for action in session.scalars(
        select(CollectionAction).where(
            CollectionAction.case_id == case.id, CollectionAction.status.in_(PENDING)
        )
    ):
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
            action.move_to(ActionStatus.CANCELLED)
            action.note = "the case went to legal"
    session.flush()
    record(
        session,
        actor=user,
        action="collections.legal",
        entity_type="collection_case",
        entity_id=case.id,
        reason=reason,
        data={"approver": approver.id, "case_file": name},
    )
    return event


@dataclass
class CustomerCollections:
    """What a customer page shows of collections: cases, their recent history, promises."""

    cases: list[CollectionCase]
    #: the latest history lines of each case (newest first), by case id
    recent: dict[int, list[CaseEvent]]
    #: the open promise of each case that has one, by case id
    open_promises: dict[int, Any]
    #: this customer's kept, broken and open promises
    promise_stats: Any


def customer_collections(
    session: Session, customer_id: int, *, events_per_case: int = 10
) -> CustomerCollections:
    """Cases (open first), recent history and promises of one customer, in four queries."""
    from ..models import Promise, PromiseStatus
    from . import promises

    own = customer_cases(session, customer_id)
    ids = [c.id for c in own]
    recent: dict[int, list[CaseEvent]] = defaultdict(list)
    open_promises: dict[int, Any] = {}
    if ids:
        for event in session.scalars(
            select(CaseEvent)
            .where(CaseEvent.case_id.in_(ids))
            .options(joinedload(CaseEvent.actor))
            .order_by(CaseEvent.at.desc(), CaseEvent.id.desc())
        ):
            if len(recent[event.case_id]) < events_per_case:
                recent[event.case_id].append(event)
        for promise in session.scalars(
            select(Promise).where(Promise.case_id.in_(ids), Promise.status == PromiseStatus.OPEN)
        ):
            open_promises[promise.case_id] = promise
    return CustomerCollections(
        cases=own,
        recent=dict(recent),
        open_promises=open_promises,
        promise_stats=promises.stats(session, customer_ids=[customer_id]),
    )
