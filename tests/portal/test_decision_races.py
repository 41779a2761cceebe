"""Two people decide the same thing at the same moment (PostgreSQL, two processes): a dispute
(exactly one decision lands, one credit note at most), a credit-limit request (a withdrawal
and an approval), an ERP conflict, two admins disabling each other, two promises to pay on
one case, two hand-overs of one case to legal, and two imports of one ERP file. The one who
came second waits for the first and is then told what happened."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import pytest
from flask import Flask
from sqlalchemy import func, select

from portal.credit import limits
from portal.credit.limits import CreditError
from portal.disputes import service
from portal.disputes.errors import DisputeError
from portal.erp import conflicts
from portal.erp.conflicts import ConflictError
from portal.erp.service import import_invoices_csv
from portal.errors import ConcordError
from portal.extensions import db
from portal.followups import cases, ladders, promises
from portal.models import (
    AuditEvent,
    CaseEvent,
    CaseStatus,
    CollectionCase,
    ConflictKind,
    CreditLimitRequest,
    CreditNote,
    Dispute,
    DisputeStatus,
    ErpSettlement,
    ImportConflict,
    Invoice,
    LimitRequestStatus,
    Promise,
    PromiseStatus,
    User,
)
from portal.users import service as users
from tests.conftest import worker_app
from tests.factories import make_customer, make_invoice, make_user
from tests.portal.customer_helpers import make_statement
from tests.portal.test_followups import TODAY, overdue, run

T = TypeVar("T")
#: one person's change, made in the session it is given (the race commits it)
Change = Callable[[Any], object]


class Race:
    """Two web processes (each its own app and connections) on one scratch database."""

    def __init__(self, url: str, tmp_path: Path) -> None:
        self.apps: list[Flask] = [worker_app(url, tmp_path / f"web{i}") for i in (1, 2)]

    @contextmanager
    def session(self) -> Iterator[Any]:
        """A session of the first process, committed at the end (setting up, checking)."""
        with self.apps[0].app_context():
            session = db.session()
            yield session
            session.commit()
            session.close()

    def setup(self, seed: Callable[[Any], T]) -> T:
        with self.session() as session:
            return seed(session)

    def run(self, first: Change, second: Change) -> object:
        """``first`` changes and holds its transaction open; ``second`` starts meanwhile in the
        other process and must wait; ``first`` commits. Returns what happened to ``second``:
        ``"won"`` or the refusal it raised (a :class:`ConcordError`)."""
        outcome: dict[str, object] = {}

        def other() -> None:
            with self.apps[1].app_context():
                session = db.session()
                try:
                    second(session)
                    session.commit()
                    outcome["second"] = "won"
                except ConcordError as exc:
                    session.rollback()
                    outcome["second"] = exc

        with self.apps[0].app_context():
            session = db.session()
            first(session)
            thread = threading.Thread(target=other)
            thread.start()
            thread.join(1.5)
            assert thread.is_alive(), "the second waits for the first one's transaction"
            session.commit()
            thread.join(30)
            assert not thread.is_alive()
        return outcome["second"]

    def close(self) -> None:
        for app in self.apps:
            app.extensions["concord.db"]["engine"].dispose()


@pytest.fixture
def race(scratch_pg: Any, tmp_path: Path) -> Iterator[Race]:
    it = Race(scratch_pg.url.render_as_string(hide_password=False), tmp_path)
    yield it
    it.close()


# --- disputes ---------------------------------------------------------------------------------


def _accept(clerk_id: int, dispute_id: int) -> Change:
    def change(session: Any) -> object:
        dispute, clerk = session.get_one(Dispute, dispute_id), session.get_one(User, clerk_id)
        return service.accept(session, dispute, clerk, Decimal("300.00"), "3 boxes credited")

    return change


def _reject(clerk_id: int, dispute_id: int) -> Change:
    def change(session: Any) -> object:
        dispute, clerk = session.get_one(Dispute, dispute_id), session.get_one(User, clerk_id)
        service.reject(session, dispute, clerk, "delivery note signed for 10 boxes")
        return None

    return change


def _a_dispute(session: Any) -> tuple[int, list[int]]:
    customer = make_customer(session, language="en")
    buyer = make_user(session, customer=customer, language="en", name="Alice Buyer")
    clerks = [make_user(session, role="finance", name=f"Clerk {i}") for i in (1, 2)]
    statement = make_statement(session, customer)
    claim = service.LineClaim(
        statement.lines[0], service.DisputeReason.QUANTITY, Decimal("300.00"), "3 boxes"
    )
    dispute = service.open_disputes(session, statement, buyer, [claim], max_bytes=10_000)[0]
    return dispute.id, [c.id for c in clerks]


@pytest.mark.parametrize(
    ("first", "second"),
    [(_accept, _accept), (_accept, _reject), (_reject, _accept)],
    ids=["accept-accept", "accept-reject", "reject-accept"],
)
def test_two_clerks_deciding_one_dispute_at_once_exactly_one_wins(
    race: Race, first: Callable[[int, int], Change], second: Callable[[int, int], Change]
) -> None:
    dispute_id, (one, two) = race.setup(_a_dispute)
    outcome = race.run(first(one, dispute_id), second(two, dispute_id))
    assert isinstance(outcome, DisputeError)
    with race.session() as session:
        dispute = session.get_one(Dispute, dispute_id)
        won = DisputeStatus.ACCEPTED if first is _accept else DisputeStatus.REJECTED
        assert dispute.status is won and dispute.resolved_by_id == one
        notes = session.scalar(select(func.count()).select_from(CreditNote))
        assert notes == (1 if first is _accept else 0)
        decided = session.scalars(
            select(AuditEvent.action).where(
                AuditEvent.action.in_(["dispute.accepted", "dispute.rejected"])
            )
        ).all()
        assert len(decided) == 1
        invoice = session.get_one(Invoice, dispute.invoice_id)
        credited = Decimal("300.00") if first is _accept else Decimal("0")
        assert invoice.open_amount == invoice.amount - credited


# --- credit limits, ERP conflicts, administrators ---------------------------------------------


def test_a_limit_withdrawn_while_being_approved_is_not_approved_behind_its_back(
    race: Race,
) -> None:
    """Sales withdraw the request at the moment finance approves it: the one who came second
    is told the request was closed, and the status is what the first one decided."""

    def seed(session: Any) -> tuple[int, int, int]:
        sales = make_user(session, role="sales", name="Sam Sales")
        finance = make_user(session, role="finance", name="Fay Finance")
        row = limits.request_limit(
            session,
            make_customer(session, language="en"),
            currency="CNY",
            amount=Decimal("300000.00"),
            valid_until=dt.date.today() + dt.timedelta(days=30),
            reason="tender won",
            user=sales,
        )
        return row.id, sales.id, finance.id

    row_id, sales_id, finance_id = race.setup(seed)
    outcome = race.run(
        lambda s: limits.withdraw(
            s,
            s.get_one(CreditLimitRequest, row_id),
            user=s.get_one(User, sales_id),
            reason="customer cancelled",
        ),
        lambda s: limits.decide(
            s, s.get_one(CreditLimitRequest, row_id), approve=True, user=s.get_one(User, finance_id)
        ),
    )
    assert isinstance(outcome, CreditError)
    with race.session() as session:
        final = session.get_one(CreditLimitRequest, row_id)
        assert final.status is LimitRequestStatus.WITHDRAWN and final.decided_by_id is None
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.action.like("credit_limit.%"))
        ).all()
        assert sorted(actions) == ["credit_limit.requested", "credit_limit.withdrawn"]


def test_two_clerks_resolving_one_erp_conflict_at_once_record_one_resolution(race: Race) -> None:
    """The resolution with its reason is the first clerk's; the second is told it is resolved."""

    def seed(session: Any) -> tuple[int, list[int]]:
        invoice = make_invoice(session, customer=make_customer(session), amount="1200.00")
        clerks = [make_user(session, role="finance", name=f"Clerk {i}") for i in (1, 2)]
        found = ImportConflict(invoice_id=invoice.id, kind=ConflictKind.AMOUNT_CHANGED)
        session.add(found)
        session.flush()
        return found.id, [c.id for c in clerks]

    conflict_id, clerk_ids = race.setup(seed)

    def resolve(clerk_id: int, reason: str) -> Change:
        return lambda s: conflicts.resolve(
            s,
            s.get_one(ImportConflict, conflict_id),
            actor=s.get_one(User, clerk_id),
            reason=reason,
        )

    outcome = race.run(
        resolve(clerk_ids[0], "ERP corrected"), resolve(clerk_ids[1], "booked a credit note")
    )
    assert isinstance(outcome, ConflictError)
    with race.session() as session:
        final = session.get_one(ImportConflict, conflict_id)
        assert (final.reason, final.resolved_by_id) == ("ERP corrected", clerk_ids[0])
        events = session.scalars(
            select(AuditEvent.reason).where(AuditEvent.action == "erp.conflict_resolved")
        ).all()
        assert events == ["ERP corrected"]


def test_two_admins_disabling_each_other_at_once_leave_one_admin(race: Race) -> None:
    """The last active administrator is never disabled, even by two requests at one moment."""
    ada_id, bob_id = race.setup(
        lambda s: [make_user(s, role="admin", name=n).id for n in ("Ada", "Bob")]
    )

    def disable(who: int, by: int) -> Change:
        return lambda s: users.disable_user(
            s, s.get_one(User, who), actor=s.get_one(User, by), reason="left"
        )

    outcome = race.run(disable(bob_id, ada_id), disable(ada_id, bob_id))
    assert isinstance(outcome, users.NotAllowed)
    with race.session() as session:
        active = session.scalars(select(User.name).where(User.is_active.is_(True))).all()
        assert active == ["Ada"]


# --- collections ------------------------------------------------------------------------------


def _a_case(days_overdue: int) -> Callable[[Any], tuple[int, list[int]]]:
    def seed(session: Any) -> tuple[int, list[int]]:
        ladders.ensure_default_ladders(session)
        overdue(session, make_customer(session, language="en"), days_overdue, amount="5000.00")
        run(session)
        case_id = session.scalars(select(CollectionCase.id)).one()
        return case_id, [make_user(session, role="finance", name=f"C{i}").id for i in (1, 2)]

    return seed


def test_two_promises_taken_at_once_leave_one_open_promise(race: Race) -> None:
    """The customer promises on the portal while a collector records a promise from a call:
    the later one replaces the earlier one (recorded), never two open promises on one case."""
    case_id, (collector, _other) = race.setup(_a_case(20))

    def promise(source: str, day: int) -> Change:
        return lambda s: promises.make_promise(
            s,
            s.get_one(CollectionCase, case_id),
            instalments=[(TODAY + dt.timedelta(days=day), Decimal("1000.00"))],
            source=source,
            user=s.get_one(User, collector),
            grace_days=3,
            today=TODAY,
        )

    assert race.run(promise("portal", 5), promise("call", 9)) == "won"
    with race.session() as session:
        rows = session.scalars(select(Promise).order_by(Promise.id)).all()
        assert [(p.source, p.status) for p in rows] == [
            ("portal", PromiseStatus.CANCELLED),
            ("call", PromiseStatus.OPEN),
        ]


def test_two_hand_overs_to_legal_at_once_make_one_case_file(race: Race) -> None:
    case_id, clerk_ids = race.setup(_a_case(40))

    def hand_over(clerk_id: int) -> Change:
        def change(session: Any) -> object:
            clerk = session.get_one(User, clerk_id)
            return cases.hand_over_to_legal(
                session,
                session.get_one(CollectionCase, case_id),
                approver=clerk,
                reason="six months, no answer",
                user=clerk,
                today=TODAY,
            )

        return change

    outcome = race.run(hand_over(clerk_ids[0]), hand_over(clerk_ids[1]))
    assert isinstance(outcome, cases.CollectionError)
    with race.session() as session:
        kinds = session.scalars(select(CaseEvent.kind).where(CaseEvent.case_id == case_id)).all()
        assert kinds.count("legal") == 1
        case = session.get_one(CollectionCase, case_id)
        assert case.status is CaseStatus.LEGAL and case.legal_approver_id == clerk_ids[0]


def test_two_imports_of_one_erp_file_at_once_record_its_settlement_once(race: Race) -> None:
    """A scheduled import and the connector's API call bring the same part payment: the second
    import waits for the first, then finds nothing new to record."""

    def seed(session: Any) -> str:
        customer = make_customer(session, code="RACE-C", language="en")
        make_invoice(session, customer, number="INV-RACE-1", amount="1000.00")
        return customer.code

    code = race.setup(seed)
    data = (
        "number,customer,issue_date,due_date,currency,amount,open_amount,po_number\n"
        f"INV-RACE-1,{code},2026-10-01,2026-10-31,CNY,1000.00,600.00,\n"
    ).encode()

    def import_file(name: str) -> Change:
        return lambda s: import_invoices_csv(s, data, filename=name)

    assert race.run(import_file("cron.csv"), import_file("api.csv")) == "won"
    with race.session() as session:
        rows = session.execute(select(ErpSettlement.amount, ErpSettlement.source)).all()
        assert rows == [(Decimal("400.00"), "csv:cron.csv")]
