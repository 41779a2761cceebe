"""The daily collections run: open, update and close cases, propose each case's next step.

The run is set-based: one grouped query finds what every customer owes overdue per currency,
one query loads the cases, and proposals are computed in memory, so a run over 20,000
customers and 100,000 invoices costs a handful of queries, not one per invoice.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import KW_ONLY, dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, insert, select
from sqlalchemy.orm import Session

from ..audit.service import PendingEvent, record_many
from ..models import (
    ActionStatus,
    CaseEvent,
    CaseStatus,
    CollectionAction,
    CollectionCase,
    Invoice,
    Ladder,
    LadderStep,
    Promise,
    PromiseStatus,
    User,
)
from .case_dispatch import dispatch_approved
from .case_items import (
    PENDING,
    Item,
    RunResult,
    add_disputed,
    close_settled_tasks,
    default_owner,
    disputed_items,
    message_body,
    message_values,
    open_item_filter,
    open_items,
    route_step,
    withdraw_pending,
)
from .contacts import Contact, load_contacts
from .ladders import (
    CollectionSettings,
    active_steps,
    choose_ladder,
    ensure_default_ladders,
    lead_days,
    next_step,
    render,
    template_for,
)


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


@dataclass(eq=False)
class _Run:
    """One run over the collection cases: its day, its settings and what it did."""

    session: Session
    _kw: KW_ONLY
    today: dt.date
    now: dt.datetime
    settings: CollectionSettings
    actor: User | None

    def __post_init__(self) -> None:
        self.result = RunResult()
        self.audit: list[PendingEvent] = []
        self.ladders = {lad.id: lad for lad in ensure_default_ladders(self.session)}
        self.horizon = self.today + dt.timedelta(days=lead_days(self.ladders.values()))
        self.fallback = default_owner(self.session)
        self.step_by_id = {s.id: s for lad in self.ladders.values() for s in lad.steps}
        self._grades: dict[int, str] | None = None
        self._needs_ladder: set[int] = set()
        self.people: dict[int, Contact] = {}
        self.run_id: int | None = None
        self._pending_open: list[tuple[int, str]] = []
        self._closed: list[int] = []

    # customers and their ladders

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

    def ladder_for(self, person: Contact, customer_id: int) -> Ladder | None:
        return choose_ladder(
            self.ladders.values(), segment=person.segment, grade=self.grade(customer_id)
        )

    # cases

    def sync_cases(self) -> list[CollectionCase | _NewCase]:
        found = self.session.execute(
            select(
                Invoice.customer_id,
                Invoice.currency,
                func.min(Invoice.due_date),
                func.sum(Invoice.open_amount),
                func.count(),
            )
            .where(*open_item_filter(self.horizon))
            .group_by(Invoice.customer_id, Invoice.currency)
        ).all()
        # an invoice under open dispute is owed for its undisputed part only
        rows = add_disputed(found, disputed_items(self.session, self.horizon))
        cases = {
            (c.customer_id, c.currency): c for c in self.session.scalars(select(CollectionCase))
        }
        people = load_contacts(self.session, {r[0] for r in rows} | {k[0] for k in cases})
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
        # a proposal of a closed case asks for what is paid: it is not left for approval
        self.audit.extend(
            withdraw_pending(self.session, self._closed, "the case is closed", self.now)
        )
        opened = self._insert_cases(new_rows)
        return [*(c for c in cases.values() if c.status is CaseStatus.OPEN), *opened]

    def _new_case(
        self,
        key: tuple[int, str],
        person: Contact,
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

    def _reopen(self, case: CollectionCase, person: Contact, ladder: Ladder | None) -> None:
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
        self._closed.append(case.id)
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
        if status is ActionStatus.CANCELLED:
            # withdrawn before it was sent (a promise since broken, its items settled while
            # others fell overdue): the customer never had this step, so it is due again
            return step, action_id
        limit = self.today - dt.timedelta(days=self.settings.repropose_after_days)
        if status is not ActionStatus.EXCLUDED or (decided and decided.date() > limit):
            return None
        return step, action_id

    def _withdraw_past_due_reminders(
        self,
        cases: list[CollectionCase | _NewCase],
        existing: dict[tuple[int, int], tuple[int, ActionStatus, dt.datetime | None]],
    ) -> set[int]:
        """Withdraw reminders before the due date still waiting once the oldest item is due
        (the next step takes over); returns their cases."""
        due = {c.id for c in cases if c.oldest_due_date and c.oldest_due_date <= self.today}
        stale = {
            case_id
            for (case_id, step_id), (_id, status, _at) in existing.items()
            if case_id in due and status in PENDING and self.step_by_id[step_id].offset_days < 0
        }
        self.audit.extend(
            withdraw_pending(self.session, stale, "the due date has passed", self.now)
        )
        return stale

    def propose(self, cases: list[CollectionCase | _NewCase]) -> int:
        existing, pending = self._open_actions() if cases else ({}, set())
        pending -= self._withdraw_past_due_reminders(cases, existing)
        # a promise still running pauses its case, also one closed and opened again since it
        # was made (opening clears the pause): its items are not reminded of before it is judged
        pending |= set(
            self.session.scalars(
                select(Promise.case_id).where(Promise.status == PromiseStatus.OPEN)
            )
        )
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
            # what the step asks for when it is sent: due by today, or within its lead
            due_by = self.today + dt.timedelta(days=max(0, -step.offset_days))
            case_items_ = [
                i for i in items.get((case.customer_id, case.currency), []) if i.due_date <= due_by
            ]
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
            route = route_step(
                step.channel,
                email=person.email,
                mobile=person.mobile,
                billing_emails=person.billing_emails,
                phone=person.phone,
            )
            tpl = template_for(step, person.language, route.channel)
            auto = step.auto_approve and step.channel != "legal"
            row: dict[str, Any] = {
                "run_id": self.run_id,
                "case_id": case.id,
                "cycle": case.cycle,
                "step_id": step.id,
                "channel": route.channel,
                "status": ActionStatus.APPROVED if auto else ActionStatus.PROPOSED,
                "proposed_on": self.today,
                "invoice_ids": [i.id for i in case_items_],
                "excluded_invoice_ids": [],
                "amount": sum((i.open_amount for i in case_items_), Decimal("0")),
                "language": person.language,
                "recipient": route.recipient,
                "subject": render(tpl["subject"], values)[:300],
                "body": message_body(tpl["body"], values, case_items_, person.language),
                "note": route.note or ("auto-approved" if auto else None),
                "decided_by_id": None,
                "decided_at": self.now if auto else None,
                "created_at": self.now,
            }
            self.result.proposed[route.channel] += 1
            if action_id is None:
                fresh.append(row)
                continue
            # an excluded or cancelled step proposed again
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
        for customer_id, item in open_items(self.session, self.horizon):
            if (customer_id, item.currency) in keys:
                out[(customer_id, item.currency)].append(item)
        return out

    def _manager_names(self) -> dict[int, str]:
        return {
            uid: name or email
            for uid, name, email in self.session.execute(
                select(User.id, User.name, User.email).where(User.customer_id.is_(None))
            )
        }


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
    from . import promises, promises_late

    run = _Run(session, today=today, now=now, settings=settings, actor=actor)
    run.run_id = run_id
    # money applied since yesterday may prove a broken promise kept: judged before the open ones
    kept_late, _open_again = promises_late.rejudge_broken(session, today=today, now=now)
    kept, broken = promises.evaluate(session, today=today, now=now)
    run.result.promises_kept, run.result.promises_broken = kept + kept_late, broken
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
    run.result.sent, run.result.held = dispatched.sent, dispatched.held
    record_many(session, actor=actor, events=run.audit)
    run.result.tasks_closed = close_settled_tasks(session, now=now)
    return run.result
