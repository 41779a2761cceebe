"""Two people decide the same thing at the same moment (PostgreSQL, two processes): a dispute
(exactly one decision lands, one credit note at most), a credit-limit request (a withdrawal
and an approval), an ERP conflict, two admins disabling each other, two promises to pay on
one case, and two hand-overs of one case to legal. The one who came second waits for the
first and is then told what happened."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from portal.credit import limits
from portal.credit.limits import CreditError
from portal.disputes import service
from portal.disputes.errors import DisputeError
from portal.erp import conflicts
from portal.erp.conflicts import ConflictError
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

Decide = Callable[[Any, Dispute, User], object]


def _accept(session: Any, dispute: Dispute, actor: User) -> object:
    return service.accept(session, dispute, actor, Decimal("300.00"), "3 boxes credited")


def _reject(session: Any, dispute: Dispute, actor: User) -> object:
    service.reject(session, dispute, actor, "delivery note signed for 10 boxes")
    return None


def _seed(app: Flask) -> tuple[int, list[int]]:
    with app.app_context():
        session = db.session()
        customer = make_customer(session, language="en")
        buyer = make_user(session, customer=customer, language="en", name="Alice Buyer")
        clerks = [make_user(session, role="finance", name=f"Clerk {i}") for i in (1, 2)]
        statement = make_statement(session, customer)
        claim = service.LineClaim(
            statement.lines[0], service.DisputeReason.QUANTITY, Decimal("300.00"), "3 boxes"
        )
        dispute = service.open_disputes(session, statement, buyer, [claim], max_bytes=10_000)[0]
        session.commit()
        return dispute.id, [c.id for c in clerks]


def _decide(app: Flask, dispute_id: int, user_id: int, decide: Decide, out: dict[str, object]):  # type: ignore[no-untyped-def]
    with app.app_context():
        session = db.session()
        dispute, actor = session.get_one(Dispute, dispute_id), session.get_one(User, user_id)
        try:
            decide(session, dispute, actor)
            session.commit()
            out["result"] = "won"
        except DisputeError as exc:
            session.rollback()
            out["result"] = exc


@pytest.mark.parametrize(
    ("first", "second"),
    [(_accept, _accept), (_accept, _reject), (_reject, _accept)],
    ids=["accept-accept", "accept-reject", "reject-accept"],
)
def test_two_clerks_deciding_one_dispute_at_once_exactly_one_wins(
    scratch_pg: Any, tmp_path: Path, first: Decide, second: Decide
) -> None:
    url = scratch_pg.url.render_as_string(hide_password=False)
    apps = [worker_app(url, tmp_path / f"web{i}") for i in (1, 2)]
    dispute_id, clerk_ids = _seed(apps[0])
    outcome: dict[str, object] = {}
    with apps[0].app_context():
        session = db.session()
        dispute = session.get_one(Dispute, dispute_id)
        first(session, dispute, session.get_one(User, clerk_ids[0]))  # not committed yet
        thread = threading.Thread(
            target=_decide, args=(apps[1], dispute_id, clerk_ids[1], second, outcome)
        )
        thread.start()
        thread.join(1.5)
        assert thread.is_alive(), "the second clerk waits for the first one's decision"
        session.commit()
        thread.join(30)
        assert not thread.is_alive()
    for app in apps:
        app.extensions["concord.db"]["engine"].dispose()

    assert isinstance(outcome["result"], DisputeError)
    with apps[0].app_context():
        session = db.session()
        dispute = session.get_one(Dispute, dispute_id)
        won = DisputeStatus.ACCEPTED if first is _accept else DisputeStatus.REJECTED
        assert dispute.status is won and dispute.resolved_by_id == clerk_ids[0]
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
        session.close()
    for app in apps:
        app.extensions["concord.db"]["engine"].dispose()


def test_a_limit_withdrawn_while_being_approved_is_not_approved_behind_its_back(
    scratch_pg: Any, tmp_path: Path
) -> None:
    """Sales withdraw the request at the moment finance approves it: the one who came second
    is told the request was closed, and the status is what the first one decided."""
    url = scratch_pg.url.render_as_string(hide_password=False)
    apps = [worker_app(url, tmp_path / f"web{i}") for i in (1, 2)]
    with apps[0].app_context():
        session = db.session()
        customer = make_customer(session, language="en")
        sales = make_user(session, role="sales", name="Sam Sales")
        finance = make_user(session, role="finance", name="Fay Finance")
        row = limits.request_limit(
            session,
            customer,
            currency="CNY",
            amount=Decimal("300000.00"),
            valid_until=dt.date.today() + dt.timedelta(days=30),
            reason="tender won",
            user=sales,
        )
        session.commit()
        row_id, sales_id, finance_id = row.id, sales.id, finance.id
    outcome: dict[str, object] = {}

    def approve() -> None:
        with apps[1].app_context():
            session = db.session()
            request = session.get_one(CreditLimitRequest, row_id)
            try:
                limits.decide(
                    session, request, approve=True, user=session.get_one(User, finance_id)
                )
                session.commit()
                outcome["approve"] = "won"
            except CreditError as exc:
                session.rollback()
                outcome["approve"] = exc

    with apps[0].app_context():
        session = db.session()
        request = session.get_one(CreditLimitRequest, row_id)
        limits.withdraw(
            session, request, user=session.get_one(User, sales_id), reason="customer cancelled"
        )
        thread = threading.Thread(target=approve)
        thread.start()
        thread.join(1.5)
        assert thread.is_alive(), "finance waits for the withdrawal in progress"
        session.commit()
        thread.join(30)
        assert not thread.is_alive()
    assert isinstance(outcome["approve"], CreditError)
    with apps[0].app_context():
        session = db.session()
        final = session.get_one(CreditLimitRequest, row_id)
        assert final.status is LimitRequestStatus.WITHDRAWN and final.decided_by_id is None
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.action.like("credit_limit.%"))
        ).all()
        assert sorted(actions) == ["credit_limit.requested", "credit_limit.withdrawn"]
        session.close()
    for app in apps:
        app.extensions["concord.db"]["engine"].dispose()


def test_two_clerks_resolving_one_erp_conflict_at_once_record_one_resolution(
    scratch_pg: Any, tmp_path: Path
) -> None:
    """The resolution with its reason is the first clerk's; the second is told it is resolved."""
    url = scratch_pg.url.render_as_string(hide_password=False)
    apps = [worker_app(url, tmp_path / f"web{i}") for i in (1, 2)]
    with apps[0].app_context():
        session = db.session()
        invoice = make_invoice(session, customer=make_customer(session), amount="1200.00")
        clerks = [make_user(session, role="finance", name=f"Clerk {i}") for i in (1, 2)]
        found = ImportConflict(invoice_id=invoice.id, kind=ConflictKind.AMOUNT_CHANGED)
        session.add(found)
        session.commit()
        conflict_id, clerk_ids = found.id, [c.id for c in clerks]
    outcome: dict[str, object] = {}

    def second_clerk() -> None:
        with apps[1].app_context():
            session = db.session()
            try:
                conflicts.resolve(
                    session,
                    session.get_one(ImportConflict, conflict_id),
                    actor=session.get_one(User, clerk_ids[1]),
                    reason="booked a credit note",
                )
                session.commit()
                outcome["second"] = "won"
            except ConflictError as exc:
                session.rollback()
                outcome["second"] = exc

    with apps[0].app_context():
        session = db.session()
        conflicts.resolve(
            session,
            session.get_one(ImportConflict, conflict_id),
            actor=session.get_one(User, clerk_ids[0]),
            reason="ERP corrected",
        )
        thread = threading.Thread(target=second_clerk)
        thread.start()
        thread.join(1.5)
        assert thread.is_alive(), "the second clerk waits for the first one's resolution"
        session.commit()
        thread.join(30)
        assert not thread.is_alive()
    assert isinstance(outcome["second"], ConflictError)
    with apps[0].app_context():
        session = db.session()
        final = session.get_one(ImportConflict, conflict_id)
        assert (final.reason, final.resolved_by_id) == ("ERP corrected", clerk_ids[0])
        events = session.scalars(
            select(AuditEvent.reason).where(AuditEvent.action == "erp.conflict_resolved")
        ).all()
        assert events == ["ERP corrected"]
        session.close()
    for app in apps:
        app.extensions["concord.db"]["engine"].dispose()


def test_two_admins_disabling_each_other_at_once_leave_one_admin(
    scratch_pg: Any, tmp_path: Path
) -> None:
    """The last active administrator is never disabled, even by two requests at one moment."""
    url = scratch_pg.url.render_as_string(hide_password=False)
    apps = [worker_app(url, tmp_path / f"web{i}") for i in (1, 2)]
    with apps[0].app_context():
        session = db.session()
        ada, bob = (make_user(session, role="admin", name=n) for n in ("Ada", "Bob"))
        session.commit()
        ada_id, bob_id = ada.id, bob.id
    outcome: dict[str, object] = {}

    def bob_disables_ada() -> None:
        with apps[1].app_context():
            session = db.session()
            try:
                users.disable_user(
                    session,
                    session.get_one(User, ada_id),
                    actor=session.get_one(User, bob_id),
                    reason="left",
                )
                session.commit()
                outcome["bob"] = "won"
            except users.NotAllowed as exc:
                session.rollback()
                outcome["bob"] = exc

    with apps[0].app_context():
        session = db.session()
        users.disable_user(
            session, session.get_one(User, bob_id), actor=session.get_one(User, ada_id)
        )
        thread = threading.Thread(target=bob_disables_ada)
        thread.start()
        thread.join(1.5)
        assert thread.is_alive(), "Bob's request waits for Ada's"
        session.commit()
        thread.join(30)
        assert not thread.is_alive()
    assert isinstance(outcome["bob"], users.NotAllowed)
    with apps[0].app_context():
        session = db.session()
        active = session.scalars(select(User.name).where(User.is_active.is_(True))).all()
        assert active == ["Ada"]
        session.close()
    for app in apps:
        app.extensions["concord.db"]["engine"].dispose()


def test_two_promises_taken_at_once_leave_one_open_promise(scratch_pg: Any, tmp_path: Path) -> None:
    """The customer promises on the portal while a collector records a promise from a call:
    the later one replaces the earlier one (recorded), never two open promises on one case."""
    url = scratch_pg.url.render_as_string(hide_password=False)
    apps = [worker_app(url, tmp_path / f"web{i}") for i in (1, 2)]
    with apps[0].app_context():
        session = db.session()
        ladders.ensure_default_ladders(session)
        customer = make_customer(session, language="en")
        overdue(session, customer, 20, amount="5000.00")
        run(session)
        case = session.scalars(select(CollectionCase)).one()
        collector = make_user(session, role="sales", name="Sam Sales")
        session.commit()
        case_id, collector_id = case.id, collector.id

    def promise(session: Any, source: str, day: int) -> None:
        promises.make_promise(
            session,
            session.get_one(CollectionCase, case_id),
            instalments=[(TODAY + dt.timedelta(days=day), Decimal("1000.00"))],
            source=source,
            user=session.get_one(User, collector_id),
            grace_days=3,
            today=TODAY,
        )

    def second() -> None:
        with apps[1].app_context():
            session = db.session()
            promise(session, "call", 9)
            session.commit()

    with apps[0].app_context():
        session = db.session()
        promise(session, "portal", 5)
        thread = threading.Thread(target=second)
        thread.start()
        thread.join(1.5)
        assert thread.is_alive(), "the second promise waits for the first one"
        session.commit()
        thread.join(30)
        assert not thread.is_alive()
    with apps[0].app_context():
        session = db.session()
        rows = session.scalars(select(Promise).order_by(Promise.id)).all()
        assert [(p.source, p.status) for p in rows] == [
            ("portal", PromiseStatus.CANCELLED),
            ("call", PromiseStatus.OPEN),
        ]
        session.close()
    for app in apps:
        app.extensions["concord.db"]["engine"].dispose()


def test_two_hand_overs_to_legal_at_once_make_one_case_file(
    scratch_pg: Any, tmp_path: Path
) -> None:
    url = scratch_pg.url.render_as_string(hide_password=False)
    apps = [worker_app(url, tmp_path / f"web{i}") for i in (1, 2)]
    with apps[0].app_context():
        session = db.session()
        ladders.ensure_default_ladders(session)
        overdue(session, make_customer(session, language="en"), 40, amount="5000.00")
        run(session)
        case_id = session.scalars(select(CollectionCase.id)).one()
        clerk_ids = [make_user(session, role="finance", name=f"Clerk {i}").id for i in (1, 2)]
        session.commit()

    def hand_over(session: Any, clerk_id: int) -> None:
        clerk = session.get_one(User, clerk_id)
        cases.hand_over_to_legal(
            session,
            session.get_one(CollectionCase, case_id),
            approver=clerk,
            reason="six months, no answer",
            user=clerk,
            today=TODAY,
        )

    outcome: dict[str, object] = {}

    def second() -> None:
        with apps[1].app_context():
            session = db.session()
            try:
                hand_over(session, clerk_ids[1])
                session.commit()
                outcome["second"] = "won"
            except cases.CollectionError as exc:
                session.rollback()
                outcome["second"] = exc

    with apps[0].app_context():
        session = db.session()
        hand_over(session, clerk_ids[0])
        thread = threading.Thread(target=second)
        thread.start()
        thread.join(1.5)
        assert thread.is_alive(), "the second hand-over waits for the first one"
        session.commit()
        thread.join(30)
        assert not thread.is_alive()
    assert isinstance(outcome["second"], cases.CollectionError)
    with apps[0].app_context():
        session = db.session()
        kinds = session.scalars(select(CaseEvent.kind).where(CaseEvent.case_id == case_id)).all()
        assert kinds.count("legal") == 1
        case = session.get_one(CollectionCase, case_id)
        assert case.status is CaseStatus.LEGAL and case.legal_approver_id == clerk_ids[0]
        session.close()
    for app in apps:
        app.extensions["concord.db"]["engine"].dispose()
