"""Follow-up task titles are shown in the viewer's language, built from the task's links.

Per-invoice dunning tasks are no longer created by the run (collections work per case); those
kept from before the collections migration still show translated titles.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import pytest
from babel.dates import format_date
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale
from markupsafe import escape
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from portal.followups import service
from portal.followups.titles import NO_CONTACT_NOTE, task_title
from portal.models import (
    BankFile,
    BankTransaction,
    Direction,
    FollowUp,
    FollowUpKind,
    MatchStatus,
    utcnow,
)
from tests.factories import make_customer, make_invoice, make_user
from tests.portal.customer_helpers import make_statement, price_dispute, read_mail
from tests.portal.customer_helpers import outbox as mails
from tests.portal.finance_helpers import login

TODAY = dt.date(2026, 11, 26)


def _overdue(session: Session, customer: object, days: int):  # type: ignore[no-untyped-def]
    due = TODAY - dt.timedelta(days=days)
    return make_invoice(session, customer, issue_date=due - dt.timedelta(days=30), due_date=due)


def _old_dunning_task(kind: FollowUpKind, invoice: Any, owner: Any) -> FollowUp:
    """A task as the per-invoice dunning run made it (kept by the migration)."""
    title = f"{kind.value} {invoice.number}"
    if kind is FollowUpKind.DUNNING_SMS:
        title += NO_CONTACT_NOTE
    return FollowUp(
        kind=kind,
        title=title,
        due_date=TODAY,
        owner_id=owner.id,
        customer_id=invoice.customer_id,
        invoice_id=invoice.id,
    )


@pytest.fixture
def tasks(session: Session) -> dict[str, Any]:
    """One task of every scheduler kind, created by a real scheduler run."""
    finance = make_user(session, "finance", language="zh")
    customer = make_customer(session, phone=None, email=None, name="上海示例贸易有限公司")
    invoices = {d: _overdue(session, customer, d) for d in (3, 10, 20, 40)}
    disputed = _overdue(session, customer, 12)
    statement = make_statement(session, customer, [disputed])
    statement.issued_at = utcnow() - dt.timedelta(days=30)
    dispute = price_dispute(statement, disputed, finance)
    bank_file = BankFile(sha256=uuid.uuid4().hex * 2, original_name="f.csv", size=1, content=b"x")
    session.add_all([dispute, bank_file])
    session.flush()
    receipt = BankTransaction(
        file_id=bank_file.id,
        voucher_number="RV-2097-000001",
        bank_ref="I18N1",
        booking_date=TODAY - dt.timedelta(days=9),
        amount=Decimal("321.00"),
        direction=Direction.CREDIT,
        currency="CNY",
        payer_name=None,
        match_status=MatchStatus.UNMATCHED,
        unapplied_amount=Decimal("321.00"),
    )
    session.add(receipt)
    session.flush()
    report = service.run(session, today=TODAY)
    assert sum(report.tasks_created.values()) == 3
    for days, kind in (
        (3, FollowUpKind.DUNNING_SMS),
        (10, FollowUpKind.DUNNING_CALL),
        (20, FollowUpKind.DUNNING_LETTER),
        (40, FollowUpKind.DUNNING_LEGAL),
    ):
        session.add(_old_dunning_task(kind, invoices[days], finance))
    session.flush()
    by_kind = {t.kind: t for t in session.scalars(select(FollowUp))}
    return {
        "finance": finance,
        "customer": customer,
        "invoices": invoices,
        "dispute": dispute,
        "statement": statement,
        "by_kind": by_kind,
    }


def _due(invoice: Any, locale: str) -> str:
    return str(format_date(invoice.due_date, "medium", locale=locale))


def test_titles_in_chinese_and_english(app: Flask, tasks: dict[str, Any]) -> None:
    by_kind, name = tasks["by_kind"], tasks["customer"].name
    inv = tasks["invoices"]
    with app.test_request_context():
        with force_locale("zh"):
            zh = {kind: task_title(task) for kind, task in by_kind.items()}
        with force_locale("en"):
            en = {kind: task_title(task) for kind, task in by_kind.items()}
    assert (
        zh[FollowUpKind.UNMATCHED_CREDIT]
        == "未匹配的收款 RV-2097-000001：¥321.00，付款人 未知付款人"
    )
    assert en[FollowUpKind.UNMATCHED_CREDIT] == (
        "Unmatched receipt RV-2097-000001: CN¥321.00 from unknown payer"
    )
    number = tasks["dispute"].number
    assert zh[FollowUpKind.DISPUTE] == f"{name} 的异议 {number}（价格，¥100.00）"
    assert en[FollowUpKind.DISPUTE] == f"Dispute {number} (Price, CN¥100.00) from {name}"
    assert zh[FollowUpKind.DUNNING_CALL] == (
        f"致电 {name} 催收发票 {inv[10].number}（自 {_due(inv[10], 'zh')} 起逾期）"
    )
    assert en[FollowUpKind.DUNNING_CALL] == (
        f"Call {name} about invoice {inv[10].number} (overdue since {_due(inv[10], 'en')})"
    )
    assert zh[FollowUpKind.DUNNING_LETTER] == (
        f"发送发票 {inv[20].number} 的正式催款函（自 {_due(inv[20], 'zh')} 起逾期）"
    )
    assert zh[FollowUpKind.DUNNING_LEGAL] == (
        f"将 {name} 的发票 {inv[40].number} 移交法务（自 {_due(inv[40], 'zh')} 起逾期）"
    )
    st = tasks["statement"]
    assert zh[FollowUpKind.STATEMENT_UNCONFIRMED].startswith(f"{name} 的对账单 {st.number} 自 ")
    assert en[FollowUpKind.STATEMENT_UNCONFIRMED].startswith(f"Statement {st.number} of {name}")
    # the customer has neither phone nor email: the reminder was not sent and the title says so
    sms = by_kind[FollowUpKind.DUNNING_SMS]
    assert sms.title.endswith(NO_CONTACT_NOTE)
    assert zh[FollowUpKind.DUNNING_SMS] == (
        f"付款提醒：发票 {inv[3].number} 自 {_due(inv[3], 'zh')} 起逾期"
        " —— 没有电话或邮箱，请人工提醒"
    )
    assert en[FollowUpKind.DUNNING_SMS].endswith(NO_CONTACT_NOTE)


def test_queue_and_task_page_speak_the_viewers_language(
    client: FlaskClient, session: Session, tasks: dict[str, Any]
) -> None:
    login(client, tasks["finance"])
    html = client.get("/followups/?view=team").get_data(as_text=True)
    call = tasks["by_kind"][FollowUpKind.DUNNING_CALL]
    assert f"致电 {tasks['customer'].name} 催收发票 {tasks['invoices'][10].number}" in html
    assert "未匹配的收款 RV-2097-000001" in html
    for task in tasks["by_kind"].values():
        assert str(escape(task.title)) not in html, task.title
    page = client.get(f"/followups/{call.id}").get_data(as_text=True)
    assert page.count(f"致电 {tasks['customer'].name}") == 2  # <title> and <h1>
    client.post("/language", data={"lang": "en", "next": "/followups/"})
    html = client.get("/followups/?view=team").get_data(as_text=True)
    assert f"Call {tasks['customer'].name} about invoice {tasks['invoices'][10].number}" in html
    assert "致电" not in html


def test_manual_task_keeps_its_own_title(
    client: FlaskClient, session: Session, tasks: dict[str, Any]
) -> None:
    task = FollowUp(
        kind=FollowUpKind.MANUAL,
        title="Ring 王经理 about the new contract",
        due_date=TODAY,
        owner_id=tasks["finance"].id,
        customer_id=tasks["customer"].id,
        invoice_id=tasks["invoices"][10].id,
    )
    session.add(task)
    session.flush()
    login(client, tasks["finance"])
    assert "Ring 王经理 about the new contract" in client.get("/followups/").get_data(as_text=True)
    assert "Ring 王经理" in client.get(f"/followups/{task.id}").get_data(as_text=True)


def test_queue_page_loads_links_without_a_query_per_task(
    client: FlaskClient, session: Session, tasks: dict[str, Any]
) -> None:
    login(client, tasks["finance"])
    statements: list[str] = []

    def count(conn: Any, cursor: Any, sql: str, *args: Any) -> None:
        if sql.lstrip().upper().startswith("SELECT"):  # not the savepoints around them
            statements.append(sql)

    bind = session.get_bind()
    event.listen(bind, "before_cursor_execute", count)
    try:
        client.get("/followups/?view=team")  # first request of the session loads the user etc.
        statements.clear()
        client.get("/followups/?view=team")
        few = len(statements)
        for days in (2, 4, 5, 6, 9, 11, 13, 14, 25, 35):
            invoice = _overdue(session, tasks["customer"], days)
            session.add(_old_dunning_task(FollowUpKind.DUNNING_CALL, invoice, tasks["finance"]))
        session.flush()
        assert (session.scalar(select(func.count()).select_from(FollowUp)) or 0) >= 15
        statements.clear()
        client.get("/followups/?view=team")
        many = len(statements)
    finally:
        event.remove(bind, "before_cursor_execute", count)
    assert many == few, statements


def test_mention_email_uses_the_colleagues_language(
    app: Flask, session: Session, tasks: dict[str, Any]
) -> None:
    author = tasks["finance"]
    english = make_user(session, "sales", language="en", name="Sam Sales")
    chinese = make_user(session, "sales", language="zh", name="李销售")
    call = tasks["by_kind"][FollowUpKind.DUNNING_CALL]
    before = set(mails(app))
    with app.test_request_context():
        service.add_comment(
            session, call, f"please ring them @{english.email} @{chinese.email}", user=author
        )
    sent = {str(read_mail(p)["To"]): read_mail(p) for p in set(mails(app)) - before}
    name = tasks["customer"].name
    assert f"mentioned you: Call {name} about invoice" in str(sent[english.email]["Subject"])
    assert f"在任务中提到了您：致电 {name} 催收发票" in str(sent[chinese.email]["Subject"])


def test_built_in_ladders_and_steps_read_in_the_readers_language(
    client: FlaskClient, session: Session
) -> None:
    """The built-in ladders and steps were shown by their stored English names on Chinese pages
    ("Polite SMS reminder (Standard)"); a name finance gave a step is shown as written."""
    from portal.models import LadderStep

    customer = make_customer(session, code="LN1", language="zh")
    _overdue(session, customer, 3)
    service.run(session, today=TODAY)
    session.commit()
    login(client, make_user(session, "finance", language="zh"))
    page = client.get("/followups/proposals").get_data(as_text=True)
    assert "礼貌短信提醒" in page and "（标准）" not in page and "(标准)" in page
    assert "Polite SMS reminder" not in page and "(Standard)" not in page
    ladders_page = client.get("/followups/ladders").get_data(as_text=True)
    assert "观察名单（C、D 级）" in ladders_page and "Watch list" not in ladders_page
    # renamed by finance: shown as typed, in every language
    step = session.scalars(select(LadderStep).where(LadderStep.name == "Polite SMS reminder")).one()
    step.name = "温馨提示短信"
    session.commit()
    assert "温馨提示短信" in client.get("/followups/proposals").get_data(as_text=True)
