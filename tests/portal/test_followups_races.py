"""Two follow-up runs at the same moment (the scheduler, the CLI, "run now"), on PostgreSQL.

The second waits for the first and then, finding its work done, opens, proposes and sends
nothing again: a message approved overnight goes out once, a new case is opened once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select

from portal.followups import cases, ladders, service
from portal.models import (
    ActionStatus,
    CaseEvent,
    CollectionAction,
    CollectionCase,
    User,
)
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
