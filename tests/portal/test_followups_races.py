"""Two follow-up runs at the same moment (the scheduler, the CLI, "run now"), on PostgreSQL.

The second waits for the first and then, finding its work done, opens, proposes and sends
nothing again: a message approved overnight goes out once, a new case is opened once.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.followups import cases, ladders, promises, service
from portal.followups.case_dispatch import claim_proposals, dispatch_approved
from portal.models import (
    ActionStatus,
    CaseEvent,
    CollectionAction,
    CollectionCase,
    User,
)
from tests.conftest import worker_app
from tests.factories import make_customer, make_user
from tests.portal.test_decision_races import Race, race  # noqa: F401 (a fixture)
from tests.portal.test_followups import TODAY, at, overdue

NEXT_DAY = TODAY + dt.timedelta(days=1)


def _a_run(day: dt.date) -> Any:
    def change(session: Any) -> object:
        return service.run(session, today=day, now=at(day))

    return change


def _overdue_customer(session: Any) -> None:
    ladders.ensure_default_ladders(session)
    for ladder in ladders.ensure_default_ladders(session):
        ladder.active = ladder.is_default
    customer = make_customer(session, phone="13800000000", language="en")
    overdue(session, customer, 20, amount="800.00")


def test_two_runs_at_once_send_a_message_approved_overnight_once(race: Race) -> None:  # noqa: F811
    def seed(session: Any) -> None:
        _overdue_customer(session)
        finance = make_user(session, "finance")
        late = at(TODAY, 14)  # 22:00 in Shanghai: quiet hours
        service.run(session, today=TODAY, now=late)
        approved = cases.approve(
            session,
            session.scalars(select(CollectionAction.id)).all(),
            user=session.get_one(User, finance.id),
            settings=ladders.load_settings(session),
            now=late,
        )
        assert (approved.approved, approved.held) == (1, 1)

    race.setup(seed)
    assert race.run(_a_run(NEXT_DAY), _a_run(NEXT_DAY)) == "won"
    with race.session() as session:
        sent = session.scalar(
            select(func.count()).select_from(CaseEvent).where(CaseEvent.kind == "sent")
        )
        assert sent == 1
        (action,) = session.scalars(select(CollectionAction)).all()
        assert action.status is ActionStatus.SENT


def test_two_runs_at_once_open_one_case_and_propose_one_step(race: Race) -> None:  # noqa: F811
    race.setup(_overdue_customer)
    assert race.run(_a_run(TODAY), _a_run(TODAY)) == "won"
    with race.session() as session:
        assert session.scalar(select(func.count()).select_from(CollectionCase)) == 1
        (action,) = session.scalars(select(CollectionAction)).all()
        assert action.status is ActionStatus.PROPOSED


@pytest.mark.slow
def test_a_promise_taken_while_its_step_is_being_approved_neither_deadlocks_nor_sends(
    scratch_pg: Any, tmp_path: Path
) -> None:
    """Finance has claimed the reminder (its row locked) when a collector records the
    customer's promise (the case locked, waiting for the reminder to withdraw it); sending the
    reminder then wanted the case: each waited for the other. Now sending leaves the reminder
    to the promise, which withdraws it: nothing is sent, nobody fails."""
    url = scratch_pg.url.render_as_string(hide_password=False)
    finance_app = worker_app(url, tmp_path / "finance", JOBS_INLINE=True)
    collector_app = worker_app(url, tmp_path / "collector", JOBS_INLINE=True)
    with finance_app.app_context():
        session = db.session()
        _overdue_customer(session)
        finance_id = make_user(session, "finance").id
        service.run(session, today=TODAY, now=at(TODAY))
        (action_id,) = session.scalars(select(CollectionAction.id)).all()
        case_id = session.scalars(select(CollectionCase.id)).one()
        session.commit()
    errors: list[BaseException] = []
    started = threading.Event()

    def promise() -> None:
        try:
            with collector_app.app_context():
                session = db.session()
                started.set()
                promises.make_promise(
                    session,
                    session.get_one(CollectionCase, case_id),
                    instalments=[(NEXT_DAY, Decimal("800.00"))],
                    source="call",
                    user=session.get_one(User, finance_id),
                    grace_days=3,
                    today=TODAY,
                )
                session.commit()
        except BaseException as exc:
            errors.append(exc)

    with finance_app.app_context():
        session = db.session()
        finance = session.get_one(User, finance_id)
        assert claim_proposals(session, [action_id], user=finance, now=at(TODAY)) == [action_id]
        worker = threading.Thread(target=promise)
        worker.start()
        started.wait(10)
        time.sleep(1.0)  # the promise holds the case and waits for the claimed reminder
        done = dispatch_approved(
            session,
            today=TODAY,
            now=at(TODAY),
            settings=ladders.load_settings(session),
            action_ids=[action_id],
        )
        session.commit()
    worker.join(60)
    assert errors == [] and (done.sent, done.held) == (0, 1)
    with finance_app.app_context():
        session = db.session()
        action = session.get_one(CollectionAction, action_id)
        assert action.status is ActionStatus.CANCELLED
        assert action.note == "paused by a promise to pay"
        assert (
            session.scalar(
                select(func.count()).select_from(CaseEvent).where(CaseEvent.kind == "sent")
            )
            == 0
        )
    for app in (finance_app, collector_app):
        app.extensions["concord.db"]["engine"].dispose()
