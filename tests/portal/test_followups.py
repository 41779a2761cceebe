"""Collections: cases per customer and currency, ladders, proposals, sending, tasks.

The old model made one task per invoice and sent at once; these tests hold the new rules: one
case per customer and currency, one step per run climbing the ladder after each step's gap,
nothing sent before approval, quiet hours and a weekly cap, cases that close when settled and
open again when something new falls overdue.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from portal.audit.service import verify_chain
from portal.followups import cases, ladders, service
from portal.models import (
    ActionStatus,
    AuditEvent,
    BankFile,
    BankTransaction,
    CaseEvent,
    CaseStatus,
    CheckStatus,
    CollectionAction,
    CollectionCase,
    CustomerContact,
    Direction,
    Dispute,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    InvoiceContractCheck,
    Ladder,
    MatchStatus,
    Statement,
    User,
    utcnow,
)
from tests.factories import make_customer, make_invoice, make_user
from tests.portal.customer_helpers import make_statement, price_dispute, read_mail
from tests.portal.finance_helpers import login

TODAY = dt.date(2026, 11, 26)
#: 10:00 in Shanghai: outside the default quiet hours (20:00–08:00)
NOON = dt.datetime(2026, 11, 26, 2, 0, tzinfo=dt.UTC)


def at(day: dt.date, hour_utc: int = 2) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour_utc), dt.UTC)


def overdue(session: Session, customer: object, days: int, **kw: object):  # type: ignore[no-untyped-def]
    due = TODAY - dt.timedelta(days=days)
    return make_invoice(
        session, customer, issue_date=due - dt.timedelta(days=30), due_date=due, **kw
    )


def outbox(app: Flask, suffix: str) -> list[Path]:
    box = Path(app.instance_path) / "outbox"
    return sorted(box.glob(f"*{suffix}")) if box.exists() else []


def run(session: Session, day: dt.date = TODAY, hour_utc: int = 2) -> cases.RunResult:
    return service.run(session, today=day, now=at(day, hour_utc))


def proposals(session: Session) -> list[CollectionAction]:
    return list(
        session.scalars(
            select(CollectionAction)
            .where(CollectionAction.status == ActionStatus.PROPOSED)
            .order_by(CollectionAction.id)
        )
    )


def approve_all(session: Session, user: User, day: dt.date = TODAY) -> cases.Approval:
    return cases.approve(
        session,
        [a.id for a in proposals(session)],
        user=user,
        settings=ladders.load_settings(session),
        now=at(day),
    )


def dispute(
    session: Session, customer: object, invoice: object, finance: User, amount: Decimal
) -> Dispute:
    statement = make_statement(session, customer, [invoice])  # type: ignore[arg-type]
    d = price_dispute(statement, invoice, finance, amount)
    session.add(d)
    session.flush()
    return d


@pytest.fixture(autouse=True)
def standard_ladder_only(session: Session) -> None:
    """Every customer follows the standard ladder (grades would pick the watch list)."""
    for ladder in ladders.ensure_default_ladders(session):
        ladder.active = ladder.is_default
    session.flush()


@pytest.fixture
def people(session: Session) -> dict[str, User]:
    return {
        "finance": make_user(session, "finance", name="Fiona Finance"),
        "manager": make_user(session, "sales", name="Sam Sales", language="en"),
    }


@pytest.fixture
def customer(session: Session, people: dict[str, User]):  # type: ignore[no-untyped-def]
    c = make_customer(
        session, phone="13800000000", account_manager_id=people["manager"].id, name="华美贸易"
    )
    session.add(
        CustomerContact(
            customer=c,
            name="Li",
            email="billing@huamei.test",
            mobile="13900000000",
            language="en",
            is_billing=True,
        )
    )
    session.flush()
    return c


# --- one case per customer and currency -------------------------------------------------------


def test_one_case_per_customer_and_currency(
    app: Flask, session: Session, people: dict[str, User], customer
) -> None:  # type: ignore[no-untyped-def]
    cny = [overdue(session, customer, d) for d in (3, 40, 200)]
    usd = overdue(session, customer, 10, currency="USD", amount="500.00")
    disputed = overdue(session, customer, 400)
    # disputed in full (a partly disputed invoice is dunned for the rest: test_followups_disputed)
    dispute(session, customer, disputed, people["finance"], disputed.amount)
    result = run(session)
    found = {c.currency: c for c in session.scalars(select(CollectionCase))}
    assert set(found) == {"CNY", "USD"} and result.cases_opened == 2
    cny_case = found["CNY"]
    assert cny_case.item_count == 3
    assert cny_case.overdue_amount == sum(i.open_amount for i in cny)
    # the step comes from the oldest undisputed item (200 days), not the disputed 400-day one
    assert cny_case.oldest_due_date == cny[2].due_date
    assert cny_case.owner_id == people["manager"].id
    assert found["USD"].overdue_amount == usd.open_amount
    # one proposal per case, not one per invoice; nothing sent
    assert len(proposals(session)) == 2
    assert outbox(app, ".eml") == [] and outbox(app, ".sms.txt") == []


def test_old_debt_starts_at_the_first_contact_step_and_never_jumps_to_legal(
    app: Flask, session: Session, customer
) -> None:  # type: ignore[no-untyped-def]
    overdue(session, customer, 400)
    result = run(session)
    (action,) = proposals(session)
    assert action.channel == "sms" and action.step.position == 2  # after the pre-due reminder
    assert result.as_json() == {
        "proposed": {"sms": 1, "email": 0, "call": 0, "letter": 0, "legal": 0},
        "sent": 0,
        "cases_opened": 1,
        "cases_closed": 0,
    }
    again = run(session)
    assert again.as_json()["proposed"] == dict.fromkeys(
        ("sms", "email", "call", "letter", "legal"), 0
    )
    assert again.cases_opened == 0 and len(proposals(session)) == 1


def test_the_ladder_climbs_one_step_after_each_minimum_gap(
    app: Flask, session: Session, people: dict[str, User], customer
) -> None:  # type: ignore[no-untyped-def]
    overdue(session, customer, 400)
    run(session)
    assert approve_all(session, people["finance"]) == (1, 1, 0, 0)
    case = session.scalars(select(CollectionCase)).one()
    assert case.step is not None and case.step.channel == "sms" and case.step_on == TODAY
    # the email step waits 5 days after the SMS, however old the debt is
    for days in (1, 4):
        run(session, TODAY + dt.timedelta(days=days))
        assert proposals(session) == []
    run(session, TODAY + dt.timedelta(days=5))
    (email,) = proposals(session)
    assert email.channel == "email"
    channels = ["email"]
    day = TODAY + dt.timedelta(days=5)
    for _ in range(3):
        approve_all(session, people["finance"], day)
        for _gap in range(15):
            day += dt.timedelta(days=1)
            run(session, day)
            if proposals(session):
                break
        channels.append(proposals(session)[0].channel)
    assert channels == ["email", "call", "letter", "legal"]
    # legal cannot be approved in bulk: it needs a named approver
    assert approve_all(session, people["finance"], day)[0] == 0


def test_a_skippable_step_is_passed_when_the_next_one_is_due(session: Session, customer) -> None:  # type: ignore[no-untyped-def]
    standard = next(lad for lad in ladders.ensure_default_ladders(session) if lad.is_default)
    sms = next(s for s in standard.steps if s.channel == "sms")
    sms.skippable = True
    overdue(session, customer, 30)
    run(session)
    (action,) = proposals(session)
    assert action.channel == "email"


def test_reminder_before_the_due_date_goes_to_customer_and_account_manager(
    app: Flask, session: Session, people: dict[str, User], customer
) -> None:  # type: ignore[no-untyped-def]
    make_invoice(session, customer, issue_date=TODAY, due_date=TODAY + dt.timedelta(days=2))
    make_invoice(session, customer, issue_date=TODAY, due_date=TODAY + dt.timedelta(days=9))
    run(session)
    (action,) = proposals(session)
    assert action.channel == "email" and action.step.offset_days == -3
    assert len(action.invoice_ids) == 1  # only the one due within the 3 days
    approve_all(session, people["finance"])
    mails = {str(read_mail(p)["To"]): read_mail(p) for p in outbox(app, ".eml")}
    assert set(mails) == {"billing@huamei.test", people["manager"].email}
    body = mails["billing@huamei.test"].get_body().get_content()  # type: ignore[union-attr]
    case = session.scalars(select(CollectionCase)).one()
    # the deep link into the portal is built from BASE_URL
    assert f"http://localhost/followups/my/{case.id}" in body
    assert "CNY 1,000.00" in body  # thousands separators


def test_approval_queues_sms_and_email_through_the_outbox(
    app: Flask, session: Session, people: dict[str, User], customer
) -> None:  # type: ignore[no-untyped-def]
    inv = overdue(session, customer, 3, amount="12345.60")
    run(session)
    assert outbox(app, ".sms.txt") == []
    approved, sent, held, _cancelled = approve_all(session, people["finance"])
    assert (approved, sent, held) == (1, 1, 0)
    (sms,) = outbox(app, ".sms.txt")
    text = sms.read_text()
    assert "13900000000" in text and inv.number in text and "CNY 12,345.60" in text
    case = session.scalars(select(CollectionCase)).one()
    assert "/followups/my/" in text
    event_ = session.scalars(select(CaseEvent).where(CaseEvent.kind == "sent")).one()
    assert event_.case_id == case.id and event_.recipient == "13900000000"
    assert event_.invoice_ids == [inv.id]


def test_quiet_hours_hold_messages_until_the_next_run(
    app: Flask, session: Session, people: dict[str, User], customer
) -> None:  # type: ignore[no-untyped-def]
    overdue(session, customer, 3)
    run(session)
    night = at(TODAY, 14)  # 22:00 in Shanghai
    approved, sent, held, _cancelled = cases.approve(
        session,
        [a.id for a in proposals(session)],
        user=people["finance"],
        settings=ladders.load_settings(session),
        now=night,
    )
    assert (approved, sent, held) == (1, 0, 1)
    assert outbox(app, ".sms.txt") == []
    action = session.scalars(select(CollectionAction)).one()
    assert action.status is ActionStatus.APPROVED and "quiet" in (action.note or "")
    morning = run(session, TODAY + dt.timedelta(days=1))
    assert morning.sent == 1 and len(outbox(app, ".sms.txt")) == 1


def test_weekly_cap_per_customer(
    app: Flask, session: Session, people: dict[str, User], customer
) -> None:  # type: ignore[no-untyped-def]
    ladders.save_settings(session, {"weekly_cap": 1}, user=people["finance"])
    overdue(session, customer, 3)
    overdue(session, customer, 5, currency="USD")
    run(session)
    assert len(proposals(session)) == 2
    assert approve_all(session, people["finance"]) == (2, 1, 1, 0)
    assert len(outbox(app, ".sms.txt")) == 1
    # a week later there is room again
    later = run(session, TODAY + dt.timedelta(days=7))
    assert later.sent == 1


def test_an_auto_approved_step_is_sent_by_the_run(app: Flask, session: Session, customer) -> None:  # type: ignore[no-untyped-def]
    standard = next(lad for lad in ladders.ensure_default_ladders(session) if lad.is_default)
    next(s for s in standard.steps if s.channel == "sms").auto_approve = True
    overdue(session, customer, 3)
    result = run(session)
    assert result.proposed["sms"] == 1 and result.sent == 1
    assert len(outbox(app, ".sms.txt")) == 1
    assert session.scalars(select(CollectionAction)).one().status is ActionStatus.SENT


def test_finance_excludes_a_customer_or_some_items(
    app: Flask, session: Session, people: dict[str, User], customer
) -> None:  # type: ignore[no-untyped-def]
    other = make_customer(session, phone="13700000000")
    a, b = overdue(session, customer, 3), overdue(session, customer, 4)
    overdue(session, other, 3)
    run(session)
    mine, theirs = proposals(session)
    cases.exclude(session, theirs, user=people["finance"], reason="paying by cheque", now=NOON)
    cases.exclude_items(session, mine, [b.id], user=people["finance"])
    assert approve_all(session, people["finance"]) == (1, 1, 0, 0)
    (sms,) = outbox(app, ".sms.txt")
    assert a.number in sms.read_text() and b.number not in sms.read_text()
    assert theirs.status is ActionStatus.EXCLUDED
    # the excluded step is proposed again after the configured days, not the next day
    run(session, TODAY + dt.timedelta(days=1))
    assert [p.case_id for p in proposals(session)] == []
    run(session, TODAY + dt.timedelta(days=8))
    assert theirs.case_id in [p.case_id for p in proposals(session)]


# --- closing and reopening --------------------------------------------------------------------


def test_case_closes_when_paid_and_opens_again_when_something_new_is_overdue(
    app: Flask, session: Session, people: dict[str, User], customer
) -> None:  # type: ignore[no-untyped-def]
    inv = overdue(session, customer, 20)
    run(session)
    approve_all(session, people["finance"])
    case = session.scalars(select(CollectionCase)).one()
    task = FollowUp(
        kind=FollowUpKind.MANUAL,
        title="ring them",
        due_date=TODAY,
        case_id=case.id,
        invoice_id=inv.id,
        status=FollowUpStatus.OPEN,
    )
    session.add(task)
    session.flush()
    inv.set_open_amount(Decimal("0"))
    result = run(session, TODAY + dt.timedelta(days=1))
    assert result.cases_closed == 1 and case.status is CaseStatus.CLOSED
    assert task.status is FollowUpStatus.DONE
    assert case.overdue_amount == 0
    # something new falls overdue: the same case opens again, at the first step
    overdue(session, customer, 1)
    result = run(session, TODAY + dt.timedelta(days=2))
    assert result.cases_opened == 1 and case.status is CaseStatus.OPEN and case.cycle == 2
    assert case.step_id is None
    (action,) = proposals(session)
    assert action.channel == "sms" and action.cycle == 2
    kinds = [e.kind for e in session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id))]
    assert kinds.count("opened") == 2 and "closed" in kinds


def test_case_closes_when_disputed_in_full(
    session: Session, people: dict[str, User], customer
) -> None:  # type: ignore[no-untyped-def]
    inv = overdue(session, customer, 20)
    run(session)
    dispute(session, customer, inv, people["finance"], inv.amount)
    result = run(session, TODAY + dt.timedelta(days=1))
    assert result.cases_closed == 1
    # the pending proposal is not sent once the case is closed
    approve_all(session, people["finance"], TODAY + dt.timedelta(days=1))
    assert session.scalars(select(CollectionAction)).one().status is ActionStatus.CANCELLED


def test_an_invoice_held_by_the_contract_check_is_not_dunned_until_confirmed(
    session: Session, people: dict[str, User], customer
) -> None:  # type: ignore[no-untyped-def]
    # differences from its contract: finance may still cancel or correct it in the ERP
    held = overdue(session, customer, 20)
    check = InvoiceContractCheck(invoice_id=held.id, differences=[{"code": "no_contract"}])
    session.add(check)
    session.flush()
    result = run(session)
    assert result.cases_opened == 0 and proposals(session) == []
    check.move_to(CheckStatus.CONFIRMED)
    session.flush()
    assert run(session, TODAY + dt.timedelta(days=1)).cases_opened == 1
    assert len(proposals(session)) == 1


def test_a_page_closes_tasks_of_invoices_settled_since_the_run(
    client: FlaskClient, session: Session, people: dict[str, User], customer
) -> None:  # type: ignore[no-untyped-def]
    inv = overdue(session, customer, 20)
    task = FollowUp(
        kind=FollowUpKind.DUNNING_CALL,
        title="call",
        due_date=TODAY,
        invoice_id=inv.id,
        owner_id=people["manager"].id,
    )
    session.add(task)
    session.flush()
    inv.set_open_amount(Decimal("0"))
    session.flush()
    login(client, people["manager"])
    assert client.get("/followups/").status_code == 200
    session.refresh(task)
    assert task.status is FollowUpStatus.DONE
    assert session.scalar(
        select(AuditEvent).where(
            AuditEvent.action == "followup.status", AuditEvent.entity_id == str(task.id)
        )
    )


def test_case_page_refreshes_a_settled_case(
    client: FlaskClient, session: Session, people: dict[str, User], customer
) -> None:  # type: ignore[no-untyped-def]
    inv = overdue(session, customer, 20)
    run(session)
    case = session.scalars(select(CollectionCase)).one()
    inv.set_open_amount(Decimal("0"))
    session.flush()
    login(client, people["finance"])
    page = client.get(f"/followups/cases/{case.id}")
    assert page.status_code == 200
    session.refresh(case)
    assert case.status is CaseStatus.CLOSED


# --- the command line and the demo ------------------------------------------------------------


def test_cli_json_is_the_last_line(runner: FlaskCliRunner, session: Session, customer) -> None:  # type: ignore[no-untyped-def]
    overdue(session, customer, 3)
    first = runner.invoke(args=["followups", "run", "--json", "--today", TODAY.isoformat()])
    assert first.exit_code == 0, first.output
    last = json.loads(first.output.strip().splitlines()[-1])
    assert last["proposed"]["sms"] == 1 and last["sent"] == 0 and last["cases_opened"] == 1
    assert set(last) == {"proposed", "sent", "cases_opened", "cases_closed"}
    second = runner.invoke(args=["followups", "run", "--json", "--today", TODAY.isoformat()])
    again = json.loads(second.output.strip().splitlines()[-1])
    assert sum(again["proposed"].values()) == 0 and again["cases_opened"] == 0


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)  # the run on PostgreSQL: above
def test_demo_first_run_sends_nothing_and_second_adds_nothing(
    app: Flask, runner: FlaskCliRunner, session: Session
) -> None:
    assert runner.invoke(args=["demo", "--password", "demo-pass-1"]).exit_code == 0
    first = runner.invoke(args=["followups", "run", "--json"])
    one = json.loads(first.output.strip().splitlines()[-1])
    assert one["sent"] == 0 and one["cases_opened"] > 10
    assert one["proposed"]["legal"] == 0 and one["proposed"]["letter"] == 0
    assert outbox(app, ".sms.txt") == [] and outbox(app, ".eml") == []
    second = runner.invoke(args=["followups", "run", "--json"])
    two = json.loads(second.output.strip().splitlines()[-1])
    assert two == {
        "proposed": dict.fromkeys(("sms", "email", "call", "letter", "legal"), 0),
        "sent": 0,
        "cases_opened": 0,
        "cases_closed": 0,
    }


def test_the_run_costs_the_same_queries_for_many_customers(session: Session) -> None:
    statements: list[str] = []

    def count(conn: object, cursor: object, sql: str, *args: object) -> None:
        statements.append(sql)

    def measure(day: dt.date, n: int) -> int:
        for _ in range(n):
            c = make_customer(session, phone="1380000")
            for d in (3, 30, 90):
                overdue(session, c, d)
        session.flush()
        statements.clear()
        bind = session.get_bind()
        event.listen(bind, "before_cursor_execute", count)
        try:
            run(session, day)
        finally:
            event.remove(bind, "before_cursor_execute", count)
        return len(statements)

    ladders.ensure_default_ladders(session)
    few = measure(TODAY, 2)
    session.execute(CollectionAction.__table__.delete())
    many = measure(TODAY + dt.timedelta(days=1), 12)
    assert many <= few + 4, (few, many)


# --- audit ------------------------------------------------------------------------------------


def test_every_state_change_is_audited_on_one_chain(
    session: Session, people: dict[str, User], customer
) -> None:  # type: ignore[no-untyped-def]
    inv = overdue(session, customer, 3)
    run(session)
    (action,) = proposals(session)
    approve_all(session, people["finance"])
    inv.set_open_amount(Decimal("0"))
    run(session, TODAY + dt.timedelta(days=1))
    actions = set(session.scalars(select(AuditEvent.action)))
    proposed = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "collections.proposed")
    ).one()
    assert proposed.data["actions"] == [action.id] and proposed.entity_type == "collection_run"
    approved = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "collections.approved")
    ).one()
    assert approved.entity_id == str(action.id) and approved.actor_id == people["finance"].id
    assert {
        "collections.case_opened",
        "collections.proposed",
        "collections.approved",
        "collections.sent",
        "collections.case_closed",
    } <= actions
    assert verify_chain(session).ok


# --- tasks that are not collections -----------------------------------------------------------


@pytest.fixture
def task_world(session: Session, people: dict[str, User], customer):  # type: ignore[no-untyped-def]
    disputed_invoice = overdue(session, customer, 12)
    statement = make_statement(session, customer, [disputed_invoice])
    statement.issued_at = utcnow() - dt.timedelta(days=30)
    dispute = price_dispute(statement, disputed_invoice, people["finance"])
    bank_file = BankFile(sha256=uuid.uuid4().hex * 2, original_name="f.csv", size=1, content=b"x")
    session.add_all([dispute, bank_file])
    session.flush()
    old = BankTransaction(
        file_id=bank_file.id,
        voucher_number="RV-2098-000001",
        bank_ref="FU1",
        booking_date=TODAY - dt.timedelta(days=9),
        amount=Decimal("321.00"),
        direction=Direction.CREDIT,
        currency="CNY",
        payer_name="Unknown Payer",
        match_status=MatchStatus.UNMATCHED,
        unapplied_amount=Decimal("321.00"),
    )
    session.add(old)
    session.flush()
    return {"dispute": dispute, "statement": statement, "old_txn": old}


def test_run_still_creates_dispute_receipt_and_statement_tasks_once(
    session: Session, people: dict[str, User], task_world: dict[str, object]
) -> None:
    result = run(session)
    keys = {t.dedupe_key: t for t in session.scalars(select(FollowUp))}
    dispute = task_world["dispute"]
    assert set(keys) == {
        f"dispute:{dispute.id}",  # type: ignore[attr-defined]
        f"unmatched:{task_world['old_txn'].id}",  # type: ignore[attr-defined]
        f"statement:{task_world['statement'].id}",  # type: ignore[attr-defined]
    }
    assert result.tasks_created == {"dispute": 1, "unmatched_credit": 1, "statement_unconfirmed": 1}
    # a dispute goes to finance, who may decide it, not to the sales account manager
    assert keys[f"dispute:{dispute.id}"].owner_id == people["finance"].id  # type: ignore[attr-defined]
    assert run(session).tasks_created == {}


def test_comment_mentions_notify_and_status_moves(
    app: Flask, session: Session, people: dict[str, User], task_world: dict[str, object]
) -> None:
    run(session)
    task = session.scalar(select(FollowUp).where(FollowUp.kind == FollowUpKind.DISPUTE))
    assert task is not None
    finance, manager = people["finance"], people["manager"]
    before = len(outbox(app, ".eml"))
    service.add_comment(
        session, task, f"@{manager.email} can you call them today? cc @nobody@x.test", user=finance
    )
    mails = outbox(app, ".eml")[before:]
    assert len(mails) == 1 and manager.email.encode() in mails[0].read_bytes()
    service.change_status(session, task, FollowUpStatus.IN_PROGRESS, user=finance)
    service.change_status(session, task, FollowUpStatus.DONE, user=finance)
    assert task.closed_by_id == finance.id and task.closed_at is not None
    with pytest.raises(service.FollowUpError):
        service.change_status(session, task, FollowUpStatus.CANCELLED, user=finance)
    service.assign(session, task, finance, user=manager)
    assert task.owner_id == finance.id


def test_a_tasks_page_changes_its_status_owner_and_comments_and_goes_back_to_it(
    client: FlaskClient,
    session: Session,
    people: dict[str, User],
    task_world: dict[str, object],
) -> None:
    run(session)
    task = session.scalar(select(FollowUp).where(FollowUp.kind == FollowUpKind.DISPUTE))
    assert task is not None
    finance, manager = people["finance"], people["manager"]
    login(client, finance)
    page = f"/followups/{task.id}"
    resp = client.post(f"{page}/status", data={"status": "in_progress"})
    assert resp.status_code == 302 and resp.headers["Location"] == page
    assert task.status is FollowUpStatus.IN_PROGRESS
    resp = client.post(f"{page}/assign", data={"owner": str(manager.id)})
    assert resp.headers["Location"] == page and task.owner_id == manager.id
    # an owner nobody can choose changes nothing
    assert client.post(f"{page}/assign", data={"owner": "0"}).headers["Location"] == page
    assert task.owner_id == manager.id
    resp = client.post(f"{page}/comment", data={"body": ""}, follow_redirects=True)
    assert "Write a comment first." in resp.get_data(as_text=True)
    resp = client.post(f"{page}/comment", data={"body": "called them"})
    assert resp.headers["Location"] == f"{page}#comments"
    session.expire(task)
    assert [c.body for c in task.comments] == ["called them"]
    assert client.post("/followups/999999/status", data={"status": "done"}).status_code == 404


def test_statement_not_yet_due_for_a_reminder(session: Session) -> None:
    customer = make_customer(session)
    statement: Statement = make_statement(session, customer)
    statement.issued_at = utcnow() - dt.timedelta(days=3)
    result = service.run(session, today=dt.date.today())
    assert "statement_unconfirmed" not in result.tasks_created


def test_write_off_limit_edited_and_enforced(client: FlaskClient, session: Session) -> None:
    from portal.banking.context import write_off_limits

    login(client, make_user(session, "finance"))
    page = client.get("/admin/dunning").get_data(as_text=True)
    assert "/followups/ladders" in page  # ladders moved to follow-ups
    resp = client.post("/admin/write-off-limits", data={"cny": "20.00", "usd": "5.00"})
    assert resp.status_code == 302
    assert write_off_limits(session)["CNY"] == Decimal("20.00")
    client.post("/logout")
    login(client, make_user(session, "auditor"))
    assert client.get("/admin/dunning").status_code == 200
    assert client.post("/admin/write-off-limits", data={"cny": "999"}).status_code == 403


def test_ladder_choice_by_segment_and_grade(session: Session) -> None:
    all_ = ladders.ensure_default_ladders(session)
    for ladder in all_:
        ladder.active = True
    key = Ladder(name="Key accounts", segment="Key", priority=5)
    session.add(key)
    session.flush()
    everyone = [*all_, key]
    assert ladders.choose_ladder(everyone, segment="key", grade="A") is key
    watch = ladders.choose_ladder(everyone, segment=None, grade="D")
    assert watch is not None and watch.credit_grades == "C,D"
    default = ladders.choose_ladder(everyone, segment="retail", grade="A")
    assert default is not None and default.is_default


def test_a_case_kept_from_before_ladders_gets_one_and_starts_at_the_first_contact(
    session: Session, customer
) -> None:  # type: ignore[no-untyped-def]
    overdue(session, customer, 90)
    kept = CollectionCase(customer_id=customer.id, currency="CNY", opened_on=TODAY)
    session.add(kept)  # as the migration leaves it: open, no ladder, no step
    session.flush()
    result = run(session)
    assert result.cases_opened == 0 and kept.ladder_id is not None
    (action,) = proposals(session)
    assert action.case_id == kept.id and action.channel == "sms"


def test_approving_a_proposal_settled_meanwhile_cancels_it_and_says_so(
    app: Flask, session: Session, people: dict[str, User], customer
) -> None:  # type: ignore[no-untyped-def]
    """Approve-all said "21 approved: 0 queued, 20 held" where one had been cancelled."""
    from flask_babel import force_locale

    from portal.followups.approve_all import approval_text
    from tests.portal.customer_helpers import make_payment

    invoice = overdue(session, customer, 20)
    run(session)
    assert len(proposals(session)) == 1
    make_payment(session, customer, [(invoice, str(invoice.open_amount))])
    done = approve_all(session, people["finance"])
    assert done == (1, 0, 0, 1)
    action = session.scalars(select(CollectionAction)).one()
    assert action.status is ActionStatus.CANCELLED
    assert outbox(app, ".sms.txt") == []
    with app.test_request_context(), force_locale("en"):
        assert approval_text(done) == (
            "1 approved: 0 message(s) queued, 0 held (quiet hours or weekly cap), 1 cancelled "
            "instead of sent (settled meanwhile, or the case closed or went to legal)."
        )
    with app.test_request_context(), force_locale("zh"):
        assert "1 条已取消而未发送" in approval_text(done)
