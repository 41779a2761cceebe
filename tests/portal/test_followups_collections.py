"""Collections seen by people: promises, legal hand-over, letters, ladders edited in the UI,
proposals approved on the page, and the customer's side of a reminder."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from portal.followups import cases, documents, ladders, promises
from portal.models import (
    ActionStatus,
    CaseEvent,
    CaseStatus,
    CollectionAction,
    CollectionCase,
    FollowUp,
    FollowUpKind,
    Ladder,
    PromiseStatus,
    StatementStatus,
)
from tests.factories import DEFAULT_PASSWORD, make_customer, make_invoice, make_user
from tests.portal.customer_helpers import make_payment, make_statement
from tests.portal.finance_helpers import login
from tests.portal.test_followups import (
    TODAY,
    approve_all,
    outbox,
    overdue,
    proposals,
    run,
)


@pytest.fixture(autouse=True)
def standard_ladder_only(session: Session) -> None:
    for ladder in ladders.ensure_default_ladders(session):
        ladder.active = ladder.is_default
    session.flush()


@pytest.fixture
def world(session: Session) -> dict[str, Any]:
    finance = make_user(session, "finance", name="Fiona Finance")
    manager = make_user(session, "sales", name="Sam Sales")
    customer = make_customer(
        session, phone="13800000000", account_manager_id=manager.id, language="en"
    )
    invoices = [overdue(session, customer, d, amount="1234567.80") for d in (20, 45)]
    run(session)
    case = session.scalars(select(CollectionCase)).one()
    return {
        "finance": finance,
        "manager": manager,
        "customer": customer,
        "invoices": invoices,
        "case": case,
    }


def pdf_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


# --- promises ---------------------------------------------------------------------------------


def test_a_promise_pauses_the_ladder_and_is_kept_when_paid(
    session: Session, world: dict[str, Any]
) -> None:
    case: CollectionCase = world["case"]
    promise = promises.make_promise(
        session,
        case,
        instalments=[(TODAY + dt.timedelta(days=5), Decimal("1000000.00"))],
        source="call",
        user=world["manager"],
        grace_days=3,
        today=TODAY,
    )
    assert case.paused_until == TODAY + dt.timedelta(days=8)
    # the pending proposal is withdrawn and nothing new is proposed while paused
    assert session.scalars(select(CollectionAction)).one().status is ActionStatus.CANCELLED
    run(session, TODAY + dt.timedelta(days=6))
    assert proposals(session) == []
    # the first invoice paid in full, received on day 6 (a promise is judged on money)
    first = world["invoices"][0]
    make_payment(
        session,
        world["customer"],
        [(first, str(first.amount))],
        booking_date=TODAY + dt.timedelta(days=6),
    )
    result = run(session, TODAY + dt.timedelta(days=7))
    assert result.promises_kept == 1 and promise.status is PromiseStatus.KEPT
    assert promises.stats(session).rate == Decimal("1.0000")


def test_a_broken_promise_escalates_and_is_counted(session: Session, world: dict[str, Any]) -> None:
    case: CollectionCase = world["case"]
    approve_all(session, world["finance"])  # the SMS went out today
    promise = promises.make_promise(
        session,
        case,
        instalments=[(TODAY + dt.timedelta(days=1), Decimal("500.00"))],
        source="call",
        user=world["manager"],
        grace_days=2,
        today=TODAY,
    )
    run(session, TODAY + dt.timedelta(days=3))  # date + grace not yet passed
    assert promise.status is PromiseStatus.OPEN
    result = run(session, TODAY + dt.timedelta(days=4))
    assert result.promises_broken == 1 and promise.status is PromiseStatus.BROKEN
    assert case.broken_promises == 1 and case.paused_until is None
    # escalation: the next step comes now, without waiting its 5-day gap after the SMS
    (action,) = proposals(session)
    assert action.channel == "email"
    task = session.scalars(select(FollowUp).where(FollowUp.case_id == case.id)).one()
    assert task.kind is FollowUpKind.DUNNING_CALL and task.owner_id == world["manager"].id
    stats = promises.stats(session)
    assert (stats.kept, stats.broken, stats.rate) == (0, 1, Decimal("0"))


def test_an_instalment_plan_breaks_on_the_first_missed_instalment(
    session: Session, world: dict[str, Any]
) -> None:
    case: CollectionCase = world["case"]
    first, second = world["invoices"]
    promise = promises.make_promise(
        session,
        case,
        instalments=[
            (TODAY + dt.timedelta(days=10), first.amount),
            (TODAY + dt.timedelta(days=40), second.amount),
        ],
        source="staff",
        user=world["finance"],
        grace_days=0,
        today=TODAY,
    )
    assert case.paused_until == TODAY + dt.timedelta(days=40)
    make_payment(
        session,
        world["customer"],
        [(first, str(first.amount))],
        booking_date=TODAY + dt.timedelta(days=9),
    )
    run(session, TODAY + dt.timedelta(days=20))
    assert promise.status is PromiseStatus.OPEN  # the first instalment was paid
    run(session, TODAY + dt.timedelta(days=41))
    assert promise.status is PromiseStatus.BROKEN


@pytest.mark.parametrize(
    ("instalments", "message"),
    [
        ([], "give a date"),
        ([(TODAY - dt.timedelta(days=1), "10.00")], "in the past"),
        ([(TODAY, "0.00")], "more than zero"),
        ([(TODAY, "9999999.00")], "more than the open"),
    ],
)
def test_a_promise_that_makes_no_sense_is_refused(
    session: Session, world: dict[str, Any], instalments: list[tuple[dt.date, str]], message: str
) -> None:
    with pytest.raises(promises.PromiseError, match=message):
        promises.make_promise(
            session,
            world["case"],
            instalments=[(d, Decimal(a)) for d, a in instalments],
            source="call",
            user=world["finance"],
            grace_days=3,
            today=TODAY,
        )


def test_the_case_page_shows_items_not_yet_due_apart_from_the_overdue_ones(
    client: FlaskClient, session: Session
) -> None:
    """The standard ladder reminds 3 days before the due date, so a case holds an invoice due
    in two days too: it is "coming due", not counted as overdue."""
    today = dt.date.today()
    customer = make_customer(session, phone="13800000001", language="en")
    for due, amount in (
        (today - dt.timedelta(days=20), "700.00"),
        (today + dt.timedelta(2), "450.00"),
    ):
        make_invoice(
            session, customer, issue_date=due - dt.timedelta(days=30), due_date=due, amount=amount
        )
    run(session, today)
    case = session.scalars(select(CollectionCase)).one()
    assert case.overdue_amount == Decimal("1150.00")  # what the ladder works on
    login(client, make_user(session, "finance", language="en"))
    page = client.get(f"/followups/cases/{case.id}").get_data(as_text=True)
    facts = re.sub(r"<[^>]+>|\s+", " ", page.split('class="facts"')[1].split("</dl>")[0])
    assert re.search(r"Overdue\s+CN¥700\.00 · 1 item", facts), facts
    assert re.search(r"Coming due\s+CN¥450\.00 · 1 item", facts), facts
    assert "1,150.00" not in facts
    # the next step is the one the run takes for 20 days overdue, not the reminder before the
    # due date the ladder starts with
    assert "Next step Email · Reminder before the due date" not in facts
    assert re.search(r"Next step\s+SMS · Polite SMS reminder", facts), facts
    proposed = session.scalars(select(CollectionAction)).one()
    assert proposed.step.name == "Polite SMS reminder"  # what the run proposed today


def test_a_call_with_a_promise_is_logged_from_the_case_page(
    client: FlaskClient, session: Session, world: dict[str, Any]
) -> None:
    case: CollectionCase = world["case"]
    login(client, world["manager"])
    page = client.get(f"/followups/cases/{case.id}").get_data(as_text=True)
    assert world["invoices"][0].number in page
    date = (dt.date.today() + dt.timedelta(days=5)).isoformat()
    resp = client.post(
        f"/followups/cases/{case.id}/contact",
        data={
            "channel": "call",
            "outcome": "promised",
            "note": "Mr Li will pay on Friday",
            "promise_date": date,
            "promise_amount": "100000.00",
        },
    )
    assert resp.status_code == 302
    event = session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.kind == "contact")
    ).one()
    assert event.outcome == "promised" and event.actor_id == world["manager"].id
    assert case.paused_until is not None
    page = client.get(f"/followups/cases/{case.id}").get_data(as_text=True)
    assert "Mr Li will pay on Friday" in page and "100,000.00" in page


# --- the customer's side ----------------------------------------------------------------------


def test_the_customer_follows_the_link_and_promises_instalments(
    client: FlaskClient, session: Session, world: dict[str, Any]
) -> None:
    case: CollectionCase = world["case"]
    user = make_user(session, customer=world["customer"])
    login(client, user)
    page = client.get(f"/followups/my/{case.id}")
    assert page.status_code == 200 and world["invoices"][1].number in page.get_data(as_text=True)
    day = dt.date.today()
    resp = client.post(
        f"/followups/my/{case.id}/promise",
        data={
            "instalments-0-due_date": (day + dt.timedelta(days=7)).isoformat(),
            "instalments-0-amount": "1000000.00",
            "instalments-1-due_date": (day + dt.timedelta(days=37)).isoformat(),
            "instalments-1-amount": "1000000.00",
            "note": "two transfers",
        },
        follow_redirects=True,
    )
    assert "payment plan" in resp.get_data(as_text=True)
    (promise,) = promises.promises_of_customer(session, world["customer"].id)
    assert promise.source == "portal" and len(promise.instalments) == 2
    assert promise.amount == Decimal("2000000.00")
    # /followups/my goes straight to the only open case
    assert client.get("/followups/my").headers["Location"].endswith(f"/followups/my/{case.id}")


def test_a_customer_never_sees_another_customers_case(
    client: FlaskClient, session: Session, world: dict[str, Any]
) -> None:
    stranger = make_user(session)
    login(client, stranger)
    case_id = world["case"].id
    assert client.get(f"/followups/my/{case_id}").status_code == 404
    resp = client.post(
        f"/followups/my/{case_id}/promise",
        data={"instalments-0-due_date": TODAY.isoformat(), "instalments-0-amount": "1.00"},
    )
    assert resp.status_code == 404
    assert client.get(f"/followups/cases/{case_id}").status_code == 403


def test_a_case_is_given_to_a_colleague_from_its_page(
    client: FlaskClient, session: Session, world: dict[str, Any]
) -> None:
    case: CollectionCase = world["case"]
    login(client, world["finance"])
    page = f"/followups/cases/{case.id}"
    resp = client.post(f"{page}/assign", data={"owner": str(world["finance"].id)})
    assert resp.status_code == 302 and resp.headers["Location"] == page
    assert case.owner_id == world["finance"].id
    # a promise the form refuses goes back to the form, one it takes to the promises
    bad = {"instalments-0-due_date": "soon", "instalments-0-amount": "a lot"}
    assert client.post(f"{page}/promise", data=bad).headers["Location"] == f"{page}#promise"
    resp = client.post(f"{page}/promise", data={})  # nothing promised: refused by the service
    assert resp.headers["Location"] == f"{page}#promises"
    assert client.post("/followups/cases/999999/assign", data={}).status_code == 404


# --- legal hand-over and letters --------------------------------------------------------------


def test_legal_hand_over_needs_a_named_approver_and_makes_the_case_file(
    app: Flask, client: FlaskClient, session: Session, world: dict[str, Any]
) -> None:
    case: CollectionCase = world["case"]
    customer = world["customer"]
    make_statement(session, customer, world["invoices"], status=StatementStatus.CONFIRMED)
    cases.log_contact(
        session, case, channel="call", outcome="no_answer", note="nobody", user=world["manager"]
    )
    with pytest.raises(cases.CollectionError, match="cannot approve"):
        cases.hand_over_to_legal(
            session,
            case,
            approver=world["manager"],
            reason="no payment",
            user=world["finance"],
            today=TODAY,
        )
    login(client, world["finance"])
    resp = client.post(
        f"/followups/cases/{case.id}/legal",
        data={"approver": str(world["finance"].id), "reason": "Six months, no answer"},
    )
    assert resp.status_code == 302
    assert case.status is CaseStatus.LEGAL and case.legal_approver_id == world["finance"].id
    event = session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.kind == "legal")
    ).one()
    pdf = client.get(f"/followups/files/{event.id}")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    content = pdf_text(pdf.data)
    for expected in (
        "Case file",
        "Statement of account",
        "Open invoices",
        world["invoices"][0].number,
        "Contact history",
        "nobody",
        "Signed statement confirmations",
        "Disputes",
        "Fiona Finance",
        "1,234,567.80",
        "Call",
        "No answer",
    ):
        assert expected in content, expected
    # history codes are named, not shown as codes
    assert "no_answer" not in content
    # the same file for a customer who reads Chinese
    customer.language = "zh"
    with app.app_context():
        zh = pdf_text(
            documents.render_case_file(
                session, case, today=dt.date.today(), approver=world["finance"], reason="x"
            )
        )
    for expected in ("案卷", "联络记录", "电话", "无人接听"):
        assert expected in zh, expected
    assert "no_answer" not in zh
    # a sales user cannot hand over
    client.post("/logout")
    login(client, world["manager"])
    assert client.post(f"/followups/cases/{case.id}/legal", data={}).status_code == 403


def test_letter_on_letterhead_with_bank_account_and_thousands_separators(
    app: Flask, session: Session, world: dict[str, Any]
) -> None:
    app.config.update(COMPANY_BANK_NAME="招商银行上海分行", COMPANY_BANK_ACCOUNT="1219 0000 8888")
    case: CollectionCase = world["case"]
    items = cases.case_items(session, case, horizon=TODAY)
    english = documents.render_letter(case, items, language="en", today=TODAY, body="Pay now.")
    text_en = pdf_text(english)
    assert "Concord Demo Trading Co., Ltd." in text_en
    assert "88 Century Avenue" in text_en
    assert "CNY 1,234,567.80" in text_en and "CNY 2,469,135.60" in text_en
    assert "1219 0000 8888" in text_en and "Please pay into" in text_en
    chinese = pdf_text(
        documents.render_letter(case, items, language="zh", today=TODAY, body="请付款")
    )
    assert "康科德示范贸易有限公司" in chinese and "请汇款至" in chinese and "开户行" in chinese


def test_an_approved_letter_is_stored_and_emailed(
    app: Flask, session: Session, world: dict[str, Any]
) -> None:
    case: CollectionCase = world["case"]
    letter = next(s for s in case.ladder.steps if s.channel == "letter")  # type: ignore[union-attr]
    case.step_id = next(s.id for s in case.ladder.steps if s.channel == "call")  # type: ignore[union-attr]
    case.step_on = TODAY - dt.timedelta(days=30)
    session.execute(text("DELETE FROM collection_actions"))
    run(session, TODAY + dt.timedelta(days=1))
    (action,) = proposals(session)
    assert action.step_id == letter.id
    approve_all(session, world["finance"], TODAY + dt.timedelta(days=1))
    event = session.scalars(select(CaseEvent).where(CaseEvent.channel == "letter")).one()
    assert event.file_name and (documents.collections_dir() / event.file_name).exists()
    mails = [p.read_bytes() for p in outbox(app, ".eml")]
    assert any(b"application/pdf" in m for m in mails)


# --- proposals and ladders in the UI ----------------------------------------------------------


def test_finance_reviews_counts_and_samples_then_approves(
    app: Flask, client: FlaskClient, session: Session, world: dict[str, Any]
) -> None:
    login(client, world["finance"])
    page = client.get("/followups/proposals").get_data(as_text=True)
    (action,) = proposals(session)
    assert 'id="step-counts"' in page and action.body.split("\n")[0] in page
    assert client.post("/followups/proposals/approve", data={}).status_code == 302
    assert outbox(app, ".sms.txt") == []
    client.post("/logout")
    login(client, world["manager"])  # sales may look but not approve
    assert client.get("/followups/proposals").status_code == 200
    resp = client.post("/followups/proposals/approve", data={"action_ids": [str(action.id)]})
    assert resp.status_code == 403
    client.post("/logout")
    login(client, world["finance"])
    resp = client.post(
        "/followups/proposals/approve", data={"action_ids": [str(action.id)]}, follow_redirects=True
    )
    assert resp.status_code == 200
    assert action.status in (ActionStatus.SENT, ActionStatus.APPROVED)


def test_ladder_edited_in_the_ui_with_templates_and_preview(
    client: FlaskClient, session: Session, world: dict[str, Any]
) -> None:
    login(client, world["finance"])
    assert client.get("/followups/ladders").status_code == 200
    data = {
        "name": "Key accounts",
        "segment": "key",
        "credit_grades": "",
        "priority": "5",
        "active": "y",
        "steps-0-name": "Friendly email",
        "steps-0-channel": "email",
        "steps-0-offset_days": "2",
        "steps-0-min_gap_days": "0",
        "steps-0-active": "y",
        "steps-0-en_subject": "A note from {company}",
        "steps-0-en_body": "Dear {customer}, {amount} is open: {link}",
        "steps-1-name": "Call",
        "steps-1-channel": "call",
        "steps-1-offset_days": "10",
        "steps-1-min_gap_days": "7",
        "steps-1-active": "y",
    }
    resp = client.post("/followups/ladders/new", data=data)
    assert resp.status_code == 302
    ladder = session.scalars(select(Ladder).where(Ladder.name == "Key accounts")).one()
    assert [s.channel for s in ladder.steps] == ["email", "call"]
    step = ladder.steps[0]
    preview = client.get(f"/followups/ladders/steps/{step.id}/preview?lang=en")
    html = preview.get_data(as_text=True)
    assert "A note from Concord Demo Trading Co., Ltd." in html and "CNY 128,450.00" in html
    zh = client.get(f"/followups/ladders/steps/{step.id}/preview?lang=zh").get_data(as_text=True)
    assert "尊敬的" in zh  # no Chinese text of its own: the built-in one
    # an unknown placeholder is refused, naming it
    data["steps-0-en_body"] = "Pay {amount_due}"
    resp = client.post(f"/followups/ladders/{ladder.id}", data=data, follow_redirects=True)
    assert "unknown placeholder {amount_due}" in resp.get_data(as_text=True)
    # auto-approving a legal step is refused
    data["steps-0-en_body"] = ""
    data["steps-1-channel"], data["steps-1-auto_approve"] = "legal", "y"
    resp = client.post(f"/followups/ladders/{ladder.id}", data=data, follow_redirects=True)
    assert "named approver" in resp.get_data(as_text=True)
    client.post("/logout")
    login(client, make_user(session, "auditor"))
    assert client.post(f"/followups/ladders/{ladder.id}", data=data).status_code == 403


def test_settings_quiet_hours_and_cap_edited(
    client: FlaskClient, session: Session, world: dict[str, Any]
) -> None:
    login(client, world["finance"])
    resp = client.post(
        "/followups/settings",
        data={
            "quiet_start": "21",
            "quiet_end": "7",
            "weekly_cap": "2",
            "promise_grace_days": "5",
            "repropose_after_days": "3",
        },
    )
    assert resp.status_code == 302
    settings = ladders.load_settings(session)
    assert (settings.quiet_start, settings.quiet_end, settings.weekly_cap) == (21, 7, 2)
    assert settings.is_quiet(22) and settings.is_quiet(6) and not settings.is_quiet(7)


def test_case_pages_for_staff(client: FlaskClient, session: Session, world: dict[str, Any]) -> None:
    login(client, world["manager"])
    mine = client.get("/followups/cases").get_data(as_text=True)  # sales land on their own
    assert world["customer"].name in mine
    client.post("/logout")
    login(client, make_user(session, "sales"))
    other = client.get("/followups/cases").get_data(as_text=True)
    assert world["customer"].name not in other
    assert world["customer"].name in client.get("/followups/cases?view=team").get_data(as_text=True)


def _marked(page: str) -> list[str]:
    """The texts of the filter links a list page marks as chosen."""
    return re.findall(r'class="on" aria-current="true">([^<]+)</a>', page)


def test_the_follow_up_lists_mark_the_chosen_view_and_status(
    client: FlaskClient, world: dict[str, Any]
) -> None:
    login(client, world["finance"])
    assert _marked(client.get("/followups/").get_data(as_text=True)) == ["My queue", "Open"]
    team_done = client.get("/followups/?view=team&status=done").get_data(as_text=True)
    assert _marked(team_done) == ["Team", "Done"]
    cases_page = client.get("/followups/cases?view=mine&status=legal").get_data(as_text=True)
    assert _marked(cases_page) == ["Mine", "With legal"]
    assert _marked(client.get("/followups/cases").get_data(as_text=True)) == ["Team", "Open"]


def test_auditors_are_never_offered_or_given_a_case(
    client: FlaskClient, session: Session, world: dict[str, Any]
) -> None:
    auditor = make_user(session, "auditor", name="Ava Auditor")
    case: CollectionCase = world["case"]
    login(client, world["finance"])
    page = client.get(f"/followups/cases/{case.id}").get_data(as_text=True)
    assert "Sam Sales" in page and "Ava Auditor" not in page
    with pytest.raises(cases.CollectionError):
        cases.assign_case(session, case, auditor, user=world["finance"])
    assert case.owner_id != auditor.id


# --- migration of the old per-invoice follow-ups ----------------------------------------------


def test_migration_turns_old_dunning_tasks_into_cases(tmp_path: Path) -> None:
    from alembic import command

    from portal.extensions import make_engine
    from tests.conftest import alembic_config

    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "h5_contracts")  # the revision before this one
        now = "2026-11-01 00:00:00"
        conn.execute(
            text(
                "INSERT INTO customers (id, code, name, aliases, currency, language, on_hold,"
                " updated_at, created_at) VALUES (1, 'C1', 'Old Co', '[]', 'CNY', 'zh', 0, :t, :t)"
            ),
            {"t": now},
        )
        conn.execute(
            text(
                "INSERT INTO invoices (id, number, customer_id, issue_date, due_date, currency,"
                " amount, open_amount, erp_open_amount, settled_in_erp, status, updated_at,"
                " created_at) VALUES (1, 'INV-1', 1, '2026-01-01', '2026-02-01', 'CNY', 100, 100,"
                " 100, false, 'open', :t, :t)"
            ),
            {"t": now},
        )
        for i, (lo, hi, action) in enumerate(
            ((1, 7, "sms"), (8, 15, "call"), (16, 30, "letter"), (31, None, "legal")), start=1
        ):
            conn.execute(
                text(
                    "INSERT INTO dunning_steps (id, min_days, max_days, action, active,"
                    " description, created_at) VALUES (:i, :lo, :hi, :a, true, :a, :t)"
                ),
                {"i": i, "lo": lo, "hi": hi, "a": action, "t": now},
            )
        conn.execute(
            text(
                "INSERT INTO followups (id, kind, dedupe_key, title, due_date, status,"
                " customer_id, invoice_id, created_at) VALUES (1, 'dunning_legal', 'dunning:1:4',"
                " 'Hand INV-1 to legal', '2026-11-03', 'open', 1, 1, :t)"
            ),
            {"t": now},
        )
    with engine.connect() as conn:
        # as migrations/env.py does for `alembic upgrade`: SQLite's batch mode copies tables
        conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
        with conn.begin():
            command.upgrade(alembic_config(conn), "head")
    with engine.connect() as conn:
        steps = conn.execute(
            text("SELECT channel, offset_days, min_gap_days FROM collection_ladder_steps")
        ).all()
        assert [tuple(s) for s in steps] == [
            ("sms", 1, 0),
            ("call", 8, 7),
            ("letter", 16, 8),
            ("legal", 31, 15),
        ]
        case = conn.execute(
            text("SELECT id, customer_id, currency, status, step_id FROM collection_cases")
        ).one()
        assert tuple(case)[1:] == (1, "CNY", "open", None)  # starts again at the first step
        event = conn.execute(text("SELECT channel, kind, body FROM collection_case_events")).one()
        assert tuple(event)[:2] == ("legal", "migrated") and "INV-1" in event[2]
        task = conn.execute(text("SELECT status, case_id FROM followups")).one()
        assert tuple(task) == ("cancelled", case[0])
    engine.dispose()


def test_what_a_customer_page_shows_of_collections(session: Session, world: dict[str, Any]) -> None:
    case: CollectionCase = world["case"]
    cases.log_contact(
        session, case, channel="call", outcome="no_answer", note="rang twice", user=world["manager"]
    )
    promise = promises.make_promise(
        session,
        case,
        instalments=[(TODAY + dt.timedelta(days=3), Decimal("100.00"))],
        source="call",
        user=world["manager"],
        grace_days=1,
        today=TODAY,
    )
    view = cases.customer_collections(session, world["customer"].id)
    assert [c.id for c in view.cases] == [case.id]
    kinds = [e.kind for e in view.recent[case.id]]
    assert kinds[:2] == ["promise", "contact"] and "opened" in kinds
    assert view.open_promises[case.id] is promise
    assert (view.promise_stats.open, view.promise_stats.rate) == (1, None)
    other = make_customer(session)
    empty = cases.customer_collections(session, other.id)
    assert empty.cases == [] and empty.recent == {} and empty.promise_stats.open == 0


def test_a_collectors_day(app: Flask, client: FlaskClient, runner: Any, session: Session) -> None:
    """The run, review and approval, the customer following the link and promising, a call,
    and a payment that closes the case, through the command line and the pages."""
    from portal.ledger import service as ledger
    from portal.models import BankFile, BankTransaction, Direction, MatchStatus

    finance = make_user(session, "finance", name="Fiona Finance")
    manager = make_user(session, "sales", name="Sam Sales")
    customer = make_customer(
        session, phone="13800000000", account_manager_id=manager.id, language="en"
    )
    today = dt.date.today()
    due = today - dt.timedelta(days=12)
    invoice = make_invoice(
        session, customer, issue_date=due - dt.timedelta(days=30), due_date=due, amount="8800.00"
    )
    buyer = make_user(session, customer=customer, language="en")
    # the test runs at any hour: no quiet hours (they have tests of their own)
    ladders.save_settings(session, {"quiet_start": 0, "quiet_end": 0}, user=finance)

    # 1. the daily run proposes, sends nothing
    out = runner.invoke(args=["followups", "run", "--json"])
    assert json_line(out.output)["proposed"]["sms"] == 1 and json_line(out.output)["sent"] == 0
    assert outbox(app, ".sms.txt") == []

    # 2. finance reviews and approves on the page
    login(client, finance)
    page = client.get("/followups/proposals").get_data(as_text=True)
    (action,) = proposals(session)
    assert customer.name in page and "CNY 8,800.00" in page
    client.post("/followups/proposals/approve", data={"action_ids": [str(action.id)]})
    client.post("/logout")
    (sms,) = outbox(app, ".sms.txt")
    text_ = sms.read_text()
    case = session.scalars(select(CollectionCase)).one()
    link = f"http://localhost/followups/my/{case.id}"
    assert link in text_ and "13800000000" in text_

    # 3. the customer follows the link, signs in, lands on the items and promises to pay
    path = link.removeprefix("http://localhost")
    first = client.get(path)
    assert first.status_code == 302 and "/login" in first.headers["Location"]
    resp = client.post(
        first.headers["Location"],
        data={"email": buyer.email, "password": DEFAULT_PASSWORD, "next": path},
    )
    assert resp.status_code == 302 and resp.headers["Location"].endswith(path)
    assert invoice.number in client.get(path).get_data(as_text=True)
    resp = client.post(
        f"{path}/promise",
        data={
            "instalments-0-due_date": (today + dt.timedelta(days=4)).isoformat(),
            "instalments-0-amount": "8800.00",
        },
    )
    assert resp.status_code == 302
    client.post("/logout")

    # 4. the account manager calls, and notes it
    login(client, manager)
    client.post(
        f"/followups/cases/{case.id}/contact",
        data={"channel": "call", "outcome": "reached", "note": "confirmed the transfer"},
    )
    client.post("/logout")

    # 5. the payment arrives and is applied; the next run closes the case, the promise is kept
    bank_file = BankFile(sha256="d" * 64, original_name="b.csv", size=1, content=b"x")
    session.add(bank_file)
    session.flush()
    receipt = BankTransaction(
        file_id=bank_file.id,
        voucher_number="RV-DAY-1",
        bank_ref="DAY1",
        booking_date=today,
        amount=Decimal("8800.00"),
        direction=Direction.CREDIT,
        currency="CNY",
        match_status=MatchStatus.UNMATCHED,
        unapplied_amount=Decimal("8800.00"),
    )
    session.add(receipt)
    session.flush()
    ledger.apply(session, receipt, invoice, Decimal("8800.00"), actor=finance)
    out = runner.invoke(args=["followups", "run", "--json"])
    assert json_line(out.output)["cases_closed"] == 1
    session.refresh(case)
    assert case.status is CaseStatus.CLOSED
    (promise,) = promises.promises_of_customer(session, customer.id)
    assert promise.status is PromiseStatus.KEPT
    kinds = [e.kind for e in session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id))]
    assert {"opened", "sent", "promise", "contact", "promise_kept", "closed"} <= set(kinds)


def json_line(output: str) -> dict[str, Any]:
    import json

    return dict(json.loads(output.strip().splitlines()[-1]))
