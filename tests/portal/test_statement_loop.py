"""The statement confirmation loop: announce, remind, task, viewed, period page, reissue."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.disputes import service as disputes
from portal.followups import ladders
from portal.followups import service as followups
from portal.models import (
    AuditEvent,
    Customer,
    CustomerContact,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    Statement,
    StatementNotice,
    StatementStatus,
    User,
)
from portal.scheduler import run_due
from portal.statements import loop
from portal.statements import staff as staff_views
from portal.statements.service import (
    StatementNotConfirmable,
    confirm_statement,
    issue_statement,
    verify_pdf,
)
from tests.factories import make_customer, make_invoice, make_user
from tests.portal.customer_helpers import login, mail_body, make_statement, outbox, read_mail

OCT = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
D = Decimal


@pytest.fixture(autouse=True)
def _instance_pki(app: Flask, pki_template: Path) -> None:
    shutil.copytree(pki_template, Path(app.instance_path) / "pki")


@pytest.fixture
def manager(session: Session) -> User:
    return make_user(session, role="sales", email="li.na@concord.test", name="李娜")


@pytest.fixture
def finance(session: Session) -> User:
    return make_user(session, role="finance", email="wang.fang@concord.test", language="en")


@pytest.fixture
def customer(session: Session, manager: User) -> Customer:
    """A customer with two billing contacts (zh with a mobile, en) and one other contact."""
    c = make_customer(
        session, code="C00017", name="上海宏达电子有限公司", account_manager_id=manager.id
    )
    c.contacts.extend(
        [
            CustomerContact(
                name="陈静", email="chen.jing@hongda.test", mobile="13800000017", is_billing=True
            ),
            CustomerContact(
                name="Emma Hall", email="emma@hongda.test", language="en", is_billing=True
            ),
            CustomerContact(name="仓库", email="warehouse@hongda.test", is_billing=False),
        ]
    )
    session.flush()
    return c


@pytest.fixture
def buyer(session: Session, customer: Customer) -> User:
    return make_user(session, customer=customer, name="张伟", email="zhang.wei@hongda.test")


def sms_files(app: Flask) -> list[Path]:
    path = Path(app.instance_path) / "outbox"
    return sorted(path.glob("*.sms.txt")) if path.exists() else []


def mails_to(app: Flask, address: str) -> list[str]:
    return [mail_body(p) for p in outbox(app) if read_mail(p)["To"] == address]


def subjects_to(app: Flask, address: str) -> list[str]:
    return [str(read_mail(p)["Subject"]) for p in outbox(app) if read_mail(p)["To"] == address]


def audit_actions(session: Session, statement: Statement) -> list[str]:
    return list(
        session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.entity_type == "statement", AuditEvent.entity_id == str(statement.id))
            .order_by(AuditEvent.id)
        )
    )


# -- monthly generation and the announcement ---------------------------------------------------


def test_monthly_run_issues_and_tells_each_billing_contact_in_their_language_once(
    app: Flask, session: Session, customer: Customer
) -> None:
    make_invoice(session, customer, number="INV-1105", issue_date=dt.date(2026, 11, 5))
    session.commit()  # the scheduler commits (and rolls back) per task
    app.config["STATEMENT_DAY"] = 3
    assert run_due(session, today=dt.date(2026, 12, 2), only=("monthly-statements",))[0].state == (
        "not due"
    )
    (outcome,) = run_due(session, today=dt.date(2026, 12, 3), only=("monthly-statements",))
    assert outcome.state == "done", outcome.error
    assert outcome.result == {
        "period": "2026-11",
        "issued": 1,
        "announced": 1,
        "emails": 2,
        "sms": 1,
    }
    statement = session.scalars(select(Statement).where(Statement.customer_id == customer.id)).one()
    link = f"http://localhost/statements/{statement.id}"

    (zh,) = mails_to(app, "chen.jing@hongda.test")
    assert "陈静" in zh and statement.number in zh and link in zh
    assert "请于" in zh and "对账单" in zh  # written in Chinese
    # our name in the reader's language alone (COMPANY_NAME is "English / 中文")
    assert "请联系 康科德示范贸易有限公司 的对接人" in zh and "Concord Demo" not in zh
    (en,) = mails_to(app, "emma@hongda.test")
    assert "Hello Emma Hall," in en and link in en and "confirm it" in en
    assert "Closing balance: 1,000.00 CNY" in en
    assert "ask your contact at Concord Demo Trading Co., Ltd.\n" in en and "康科德" not in en
    assert "Ltd.." not in en  # the name's own period ends the sentence
    assert mails_to(app, "warehouse@hongda.test") == []  # not a billing contact
    (sms,) = sms_files(app)
    text = sms.read_text(encoding="utf-8")
    assert "To: 13800000017" in text and link in text and statement.number in text
    assert "【康科德示范贸易有限公司】" in text  # signed like the reminders (the contact reads zh)

    # a second run the same day, or the month after, tells nobody again
    assert run_due(session, today=dt.date(2026, 12, 3), only=("monthly-statements",))[0].state == (
        "already done"
    )
    assert loop.announce(session, statement) is None
    assert len(outbox(app)) == 2
    notice = session.scalars(select(StatementNotice)).one()
    assert (notice.kind, notice.seq, notice.emails, notice.sms) == ("issued", 0, 2, 1)
    assert "statement.notified" in audit_actions(session, statement)


def test_customer_without_billing_contacts_is_told_at_its_own_address(
    app: Flask, session: Session
) -> None:
    lone = make_customer(session, email="ap@lone.test", language="en")
    statement = make_statement(session, lone)
    notice = loop.announce(session, statement, today=dt.date(2026, 11, 1))
    assert notice is not None and notice.recipients == ["ap@lone.test"]
    (body,) = mails_to(app, "ap@lone.test")
    assert f"http://localhost/statements/{statement.id}" in body


def test_cli_issue_notifies_unless_told_not_to(
    app: Flask, session: Session, runner: FlaskCliRunner, customer: Customer
) -> None:
    other = make_customer(session, email="ap@other.test")
    make_invoice(session, customer, issue_date=dt.date(2026, 10, 5))
    make_invoice(session, other, issue_date=dt.date(2026, 10, 6))
    session.commit()
    quiet = runner.invoke(args=["statements", "issue", "--period", "2026-09", "--no-notify"])
    assert quiet.exit_code == 0 and "told" not in quiet.output
    result = runner.invoke(args=["statements", "issue", "--period", "2026-10"])
    assert result.exit_code == 0, result.output
    assert "told 2 customer(s): 3 email(s), 1 SMS" in result.output
    assert len(outbox(app)) == 3


# -- reminders, then a task --------------------------------------------------------------------


def announced(session: Session, customer: Customer, **kw: object) -> Statement:
    statement = make_statement(session, customer, **kw)  # type: ignore[arg-type]
    loop.announce(session, statement, today=dt.date(2026, 11, 1))
    return statement


def test_reminders_after_the_configured_days_then_a_task_for_the_account_manager(
    app: Flask, session: Session, customer: Customer, manager: User
) -> None:
    statement = announced(session, customer)  # issued 2026-11-01 16:00 Shanghai time
    session.commit()
    before = len(outbox(app))

    def remind(day: int) -> dict[str, int]:
        (outcome,) = run_due(session, today=dt.date(2026, 11, day), only=("statement-reminders",))
        assert outcome.state == "done", outcome.error
        return outcome.result or {}

    assert remind(5) == {"reminders": 0, "emails": 0, "sms": 0}
    assert remind(6) == {"reminders": 1, "emails": 2, "sms": 1}
    # the scheduler runs once a day; asked directly the same day, nothing is sent twice
    assert loop.send_reminders(session, dt.date(2026, 11, 6))["reminders"] == 0
    assert remind(7)["reminders"] == 0
    assert remind(11) == {"reminders": 1, "emails": 2, "sms": 1}
    assert remind(12)["reminders"] == 0
    subjects = subjects_to(app, "emma@hongda.test")
    reminder = f"Reminder: please confirm statement {statement.number} for 2026-10"
    assert subjects[1:] == [reminder, reminder]
    assert len(outbox(app)) == before + 4
    seqs = session.scalars(
        select(StatementNotice.seq).where(StatementNotice.statement_id == statement.id)
    ).all()
    assert sorted(seqs) == [0, 1, 2]

    # 14 days on, the daily follow-up run gives the account manager a task (once)
    followups.run(session, today=dt.date(2026, 11, 15))
    followups.run(session, today=dt.date(2026, 11, 16))
    (task,) = session.scalars(
        select(FollowUp).where(FollowUp.kind == FollowUpKind.STATEMENT_UNCONFIRMED)
    ).all()
    assert (task.owner_id, task.statement_id, task.status) == (
        manager.id,
        statement.id,
        FollowUpStatus.OPEN,
    )


def test_a_missed_day_sends_only_the_latest_reminder_and_answered_ones_none(
    app: Flask, session: Session, customer: Customer
) -> None:
    waiting = announced(session, customer)
    confirmed = announced(session, make_customer(session), status=StatementStatus.CONFIRMED)
    never_sent = make_statement(session, make_customer(session))  # nobody was told
    result = loop.send_reminders(session, dt.date(2026, 11, 20))
    assert result["reminders"] == 1
    notices = session.scalars(
        select(StatementNotice).where(StatementNotice.kind == "reminder")
    ).all()
    assert [(n.statement_id, n.seq) for n in notices] == [(waiting.id, 2)]
    assert confirmed.id != never_sent.id


def test_reminder_days_come_from_the_settings(
    app: Flask, session: Session, customer: Customer, finance: User
) -> None:
    ladders.save_settings(
        session,
        {"statement_first_reminder_days": 3, "statement_second_reminder_days": 0},
        user=finance,
    )
    announced(session, customer)
    assert loop.send_reminders(session, dt.date(2026, 11, 4))["reminders"] == 1
    assert loop.send_reminders(session, dt.date(2026, 11, 30))["reminders"] == 0
    with pytest.raises(ladders.SettingsError, match="second statement reminder"):
        ladders.save_settings(
            session,
            {"statement_first_reminder_days": 10, "statement_second_reminder_days": 5},
            user=finance,
        )


def test_settings_page_saves_the_reminder_days(
    client: FlaskClient, session: Session, finance: User
) -> None:
    from tests.portal.finance_helpers import login as staff_login

    staff_login(client, finance)
    page = client.get("/followups/ladders")
    assert "First statement reminder" in page.get_data(as_text=True)
    resp = client.post(
        "/followups/settings",
        data={
            "quiet_start": "20",
            "quiet_end": "8",
            "weekly_cap": "3",
            "promise_grace_days": "3",
            "repropose_after_days": "7",
            "statement_first_reminder_days": "4",
            "statement_second_reminder_days": "9",
            "statement_unconfirmed_days": "12",
        },
    )
    assert resp.status_code == 302
    saved = ladders.load_settings(session)
    assert saved.statement_reminder_days == (4, 9) and saved.statement_unconfirmed_days == 12


def test_answering_the_statement_closes_its_task(
    session: Session, customer: Customer, buyer: User
) -> None:
    make_invoice(session, customer, issue_date=dt.date(2026, 10, 9))
    statement = issue_statement(session, customer, *OCT)
    statement.issued_at = dt.datetime(2026, 11, 1, 1, 0, tzinfo=dt.UTC)
    followups.run(session, today=dt.date(2026, 11, 20))
    task = session.scalars(select(FollowUp).where(FollowUp.statement_id == statement.id)).one()
    disputes.open_disputes(
        session,
        statement,
        buyer,
        [disputes.LineClaim(statement.lines[0], disputes.DisputeReason.PRICE, D("1"))],
        max_bytes=1000,
    )
    assert task.status is FollowUpStatus.DONE and task.closed_at is not None


# -- viewed ------------------------------------------------------------------------------------


def test_the_first_view_by_the_customer_is_recorded_once(
    client: FlaskClient, session: Session, customer: Customer, buyer: User, finance: User
) -> None:
    statement = make_statement(session, customer)
    colleague = make_user(session, customer=customer, email="li.lei@hongda.test")
    session.commit()
    login(client, buyer)
    assert client.get(f"/statements/{statement.id}").status_code == 200
    session.refresh(statement)
    first = statement.viewed_at
    assert first is not None and statement.viewed_by_id == buyer.id
    client.post("/logout")
    login(client, colleague)
    assert client.get(f"/statements/{statement.id}/pdf").status_code == 200
    session.refresh(statement)
    assert (statement.viewed_at, statement.viewed_by_id) == (first, buyer.id)
    assert audit_actions(session, statement).count("statement.viewed") == 1


def test_staff_looking_does_not_count_as_viewed(
    client: FlaskClient, session: Session, customer: Customer, finance: User
) -> None:
    from tests.portal.finance_helpers import login as staff_login

    statement = make_statement(session, customer)
    session.commit()
    staff_login(client, finance)
    assert client.get(f"/staff/statements/{statement.id}").status_code == 200
    assert client.get(f"/staff/statements/{statement.id}/pdf").status_code == 200
    session.refresh(statement)
    assert statement.viewed_at is None
    assert loop.mark_viewed(session, statement, finance) is False


# -- the period page ---------------------------------------------------------------------------


@pytest.fixture
def october(session: Session, customer: Customer, manager: User) -> dict[str, Statement]:
    """Five statements of October in every state, and one of September."""
    made = {"mine": announced(session, customer)}
    for name, status in (
        ("confirmed", StatementStatus.CONFIRMED),
        ("disputed", StatementStatus.DISPUTED),
        ("viewed", StatementStatus.ISSUED),
        ("fresh", StatementStatus.ISSUED),
    ):
        other = make_customer(session, code=f"C9{name[:3].upper()}")
        made[name] = make_statement(session, other, status=status)
    made["viewed"].viewed_at = dt.datetime(2026, 11, 3, tzinfo=dt.UTC)
    made["confirmed"].viewed_at = dt.datetime(2026, 11, 2, tzinfo=dt.UTC)
    made["fresh"].respond_by = dt.date(2099, 1, 1)
    make_statement(
        session, make_customer(session), period=(dt.date(2026, 9, 1), dt.date(2026, 9, 30))
    )
    session.commit()
    return made


def test_period_summary_counts_and_rate(session: Session, october: dict[str, Statement]) -> None:
    summary = loop.period_summary(session, *OCT, dt.date(2026, 11, 20))
    assert (
        summary.issued,
        summary.viewed,
        summary.confirmed,
        summary.disputed,
        summary.awaiting,
        summary.overdue,
    ) == (5, 2, 1, 1, 3, 2)
    assert summary.confirmation_rate == D("20.0")
    assert loop.periods(session)[:2] == [OCT, (dt.date(2026, 9, 1), dt.date(2026, 9, 30))]


def test_period_page_filters_pages_and_links(
    client: FlaskClient,
    session: Session,
    october: dict[str, Statement],
    finance: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests.portal.finance_helpers import login as staff_login

    staff_login(client, finance)
    page = client.get("/staff/statements/?period=2026-10").get_data(as_text=True)
    assert 'data-count="issued">5<' in page and 'data-count="confirmed">1<' in page
    assert 'id="confirmation-rate">20.0 %<' in page
    for statement in october.values():
        assert f"/staff/statements/{statement.id}" in page
    disputed = client.get("/staff/statements/?period=2026-10&state=disputed").get_data(as_text=True)
    assert october["disputed"].number in disputed and october["confirmed"].number not in disputed
    assert client.get("/staff/statements/?period=2026-10&state=bogus").status_code == 400
    assert client.get("/staff/statements/?period=october").status_code == 400
    monkeypatch.setattr(staff_views, "PER_PAGE", 2)
    last = client.get("/staff/statements/?period=2026-10&page=3").get_data(as_text=True)
    assert last.count("data-customer=") == 1 and "Page 3 of 3" in last
    # the latest period is the default
    assert 'data-count="issued">5<' in client.get("/staff/statements/").get_data(as_text=True)


def test_sales_see_their_own_customers_first_and_customers_see_nothing(
    client: FlaskClient,
    session: Session,
    october: dict[str, Statement],
    manager: User,
    buyer: User,
) -> None:
    from tests.portal.finance_helpers import login as staff_login

    staff_login(client, manager)
    mine = client.get("/staff/statements/?period=2026-10").get_data(as_text=True)
    assert 'data-count="issued">1<' in mine and mine.count("data-customer=") == 1
    everyone = client.get("/staff/statements/?period=2026-10&scope=all").get_data(as_text=True)
    assert 'data-count="issued">5<' in everyone
    assert client.post(f"/staff/statements/{october['mine'].id}/reissue").status_code == 403
    client.post("/logout")
    login(client, buyer)
    assert client.get("/staff/statements/").status_code == 403


def test_period_page_downloads_every_row_as_csv_and_xlsx(
    client: FlaskClient,
    session: Session,
    october: dict[str, Statement],
    finance: User,
    manager: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import csv
    import io

    from openpyxl import load_workbook

    from tests.portal.finance_helpers import login as staff_login

    monkeypatch.setattr(staff_views, "PER_PAGE", 2)  # the page shows two; the files hold all
    monkeypatch.setattr(staff_views, "EXPORT_BATCH", 2)
    staff_login(client, finance)
    page = client.get("/staff/statements/?period=2026-10").get_data(as_text=True)
    assert "/staff/statements/export.xlsx?period=2026-10&amp;state=all&amp;scope=all" in page

    response = client.get("/staff/statements/export.csv?period=2026-10&state=all&scope=all")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "statements-2026-10.csv" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert sorted(r["statement"] for r in rows) == sorted(s.number for s in october.values())
    confirmed = next(r for r in rows if r["statement"] == october["confirmed"].number)
    assert confirmed["closing_balance"] == "2000.50" and confirmed["currency"] == "CNY"
    assert confirmed["status"] == "Confirmed" and confirmed["viewed"] == "2026-11-02"

    response = client.get("/staff/statements/export.xlsx?period=2026-10&state=disputed")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.data)).worksheets[0]
    assert ws.freeze_panes == "A2" and all(c.font.b for c in ws[1])
    header = [c.value for c in ws[1]]
    assert header[:3] == ["Customer code", "Customer", "Statement"]
    data = list(ws.iter_rows(min_row=2))
    assert len(data) == 1 and data[0][2].value == october["disputed"].number
    balance = data[0][header.index("Closing balance")]
    assert balance.value == D("2000.50") and balance.number_format == "#,##0.00"
    issued = data[0][header.index("Issued")]
    assert isinstance(issued.value, dt.datetime) and issued.number_format == "yyyy-mm-dd"

    assert client.get("/staff/statements/export.pdf?period=2026-10").status_code == 404
    assert client.get("/staff/statements/export.csv?period=october").status_code == 400

    # sales: their own customers by default, in their language
    client.post("/logout")
    manager.language = "zh"
    session.commit()
    staff_login(client, manager)
    ws = load_workbook(
        io.BytesIO(client.get("/staff/statements/export.xlsx?period=2026-10").data)
    ).worksheets[0]
    assert [c.value for c in ws[1]][:3] == ["客户编码", "客户", "对账单"]
    assert [r[2].value for r in ws.iter_rows(min_row=2)] == [october["mine"].number]


# -- reissuing after a dispute -----------------------------------------------------------------


@pytest.fixture
def disputed(
    session: Session, customer: Customer, buyer: User
) -> tuple[Statement, disputes.Dispute]:
    """October's real statement (certified), with its first invoice disputed by the buyer."""
    make_invoice(
        session,
        customer,
        number="INV-1003",
        issue_date=dt.date(2026, 10, 3),
        due_date=dt.date(2026, 11, 2),
        amount="2400.50",
    )
    make_invoice(
        session, customer, number="INV-1020", issue_date=dt.date(2026, 10, 20), amount="800.00"
    )
    statement = issue_statement(session, customer, *OCT)
    (dispute,) = disputes.open_disputes(
        session,
        statement,
        buyer,
        [disputes.LineClaim(statement.lines[0], disputes.DisputeReason.PRICE, D("400.50"))],
        max_bytes=1000,
    )
    return statement, dispute


def test_a_corrected_version_supersedes_the_disputed_one(
    app: Flask,
    session: Session,
    customer: Customer,
    buyer: User,
    finance: User,
    disputed: tuple[Statement, disputes.Dispute],
) -> None:
    old, dispute = disputed
    with pytest.raises(loop.NotReissuable, match=dispute.number):
        loop.reissue(session, old, finance, "price corrected")
    note = disputes.accept(
        session, dispute, finance, D("400.50"), "Agreed price", today=dt.date(2026, 11, 12)
    )
    with pytest.raises(loop.NotReissuable, match="why"):
        loop.reissue(session, old, finance, "  ")
    new = loop.reissue(session, old, finance, "Price of INV-1003 corrected (DSP accepted)")

    assert (old.status, new.status) == (StatementStatus.SUPERSEDED, StatementStatus.ISSUED)
    assert (new.version, new.supersedes_id) == (2, old.id)
    assert new.number.endswith("-v2")
    assert old.closing_balance == D("3200.50") and new.closing_balance == D("2800.00")
    assert note.number in [line.document for line in new.lines]
    # both versions verify against the company's certificate; the old one is kept as it was
    assert verify_pdf(old.issued_pdf).ok and verify_pdf(new.issued_pdf).ok
    assert verify_pdf(new.issued_pdf).signatures[0].kind == "certification"
    assert old.issued_pdf != new.issued_pdf
    # the old version can no longer be confirmed; the new one can
    with pytest.raises(StatementNotConfirmable):
        confirm_statement(
            session,
            old,
            buyer,
            full_name="张伟",
            ip=None,
            user_agent=None,
            auth_method="test",
            consent_text="ok",
        )
    confirm_statement(
        session,
        new,
        buyer,
        full_name="张伟",
        ip=None,
        user_agent=None,
        auth_method="test",
        consent_text="ok",
    )
    assert new.status is StatementStatus.CONFIRMED
    # November's opening balance follows the corrected October
    make_invoice(session, customer, issue_date=dt.date(2026, 11, 20), amount="10.00")
    november = issue_statement(session, customer, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert november.opening_balance == new.closing_balance
    assert note.number not in [line.document for line in november.lines]
    assert "statement.superseded" in audit_actions(session, old)
    assert audit_actions(session, new)[:3] == [
        "statement.issued",
        "statement.reissued",
        "statement.notified",
    ]


def test_the_customer_is_told_of_the_correction_and_confirms_it_online(
    app: Flask,
    client: FlaskClient,
    session: Session,
    buyer: User,
    finance: User,
    disputed: tuple[Statement, disputes.Dispute],
) -> None:
    from tests.portal.finance_helpers import login as staff_login

    old, dispute = disputed
    disputes.accept(session, dispute, finance, D("400.50"), "Agreed price")
    session.commit()
    staff_login(client, finance)
    reissue_url = f"/staff/statements/{old.id}/reissue"
    assert client.post(reissue_url, data={"reason": ""}).status_code == 400
    resp = client.post(
        f"/staff/statements/{old.id}/reissue", data={"reason": "Price of INV-1003 corrected"}
    )
    assert resp.status_code == 302
    new = session.scalars(select(Statement).where(Statement.supersedes_id == old.id)).one()
    assert resp.headers["Location"].endswith(f"/staff/statements/{new.id}")
    detail = client.get(f"/staff/statements/{new.id}").get_data(as_text=True)
    assert old.number in detail and "zhang.wei@hongda.test" in detail
    # a second reissue of the superseded version is refused with a message, not a 500
    assert client.post(reissue_url, data={"reason": "x"}).status_code == 409
    client.post("/logout")

    link = f"http://localhost/statements/{new.id}"
    (raiser,) = mails_to(app, "zhang.wei@hongda.test")[-1:]
    assert link in raiser and old.number in raiser and "Price of INV-1003 corrected" in raiser
    (en,) = [b for b in mails_to(app, "emma@hongda.test") if new.number in b]
    assert "Hello Emma Hall," in en and link in en and "can no longer be confirmed" in en

    login(client, buyer)
    stale = client.get(f"/statements/{old.id}/confirm")
    assert stale.status_code == 302
    page = client.get(f"/statements/{old.id}").get_data(as_text=True)
    assert f"/statements/{new.id}" in page
    assert client.get(link.removeprefix("http://localhost")).status_code == 200
    resp = client.post(f"/statements/{new.id}/confirm", data={"consent": "y", "full_name": "张伟"})
    assert resp.status_code == 302
    from tests.portal.customer_helpers import last_code

    resp = client.post(f"/statements/{new.id}/confirm/code", data={"code": last_code(app)})
    assert resp.status_code == 302
    session.refresh(new)
    assert new.status is StatementStatus.CONFIRMED and new.viewed_by_id == buyer.id


def test_reminder_days_count_from_when_the_customer_was_told(
    session: Session, customer: Customer
) -> None:
    statement = make_statement(session, customer)  # issued 2026-11-01
    loop.announce(session, statement, today=dt.date(2026, 11, 10))
    assert loop.send_reminders(session, dt.date(2026, 11, 14))["reminders"] == 0
    assert loop.send_reminders(session, dt.date(2026, 11, 15))["reminders"] == 1
