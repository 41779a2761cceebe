"""Customer side: the home page per currency, disputing any open item, promising to pay."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import ledger
from portal.disputes import errors, service
from portal.models import (
    AuditEvent,
    CaseStatus,
    CollectionCase,
    Customer,
    Dispute,
    DisputeReason,
    DisputeStatus,
    Invoice,
    MatchStatus,
    User,
)
from tests.factories import make_customer, make_invoice, make_user
from tests.portal.customer_helpers import login, mail_body, make_statement, outbox
from tests.portal.finance_helpers import login as staff_login
from tests.portal.test_customer360 import receipt

D = Decimal
TODAY = dt.date.today()


def overdue(session: Session, customer: Customer, amount: str, days: int, **kw: object) -> Invoice:
    """An open invoice ``days`` overdue (negative: not yet due)."""
    due = TODAY - dt.timedelta(days=days)
    return make_invoice(
        session, customer, amount=amount, issue_date=due - dt.timedelta(days=30), due_date=due, **kw
    )


@pytest.fixture
def buyer(session: Session, client: FlaskClient) -> User:
    customer = make_customer(session, code="BUY01", name="Buyer Co", language="en")
    user = make_user(session, customer=customer, language="en", name="Alice Buyer")
    login(client, user)
    return user


def test_home_shows_open_items_unapplied_money_and_credits_per_currency(
    client: FlaskClient, session: Session, buyer: User
) -> None:
    customer = buyer.customer
    assert customer is not None
    overdue(session, customer, "1000.00", 10, number="INV-H-0001")
    overdue(session, customer, "250.00", 40, number="INV-H-0002", currency="USD")
    tx = receipt(session, customer.id, "300.00")  # identified, not yet applied: 300
    clerk = make_user(session, "finance")
    ledger.on_account(session, tx, customer, D("120.00"), actor=clerk)  # 180 left unapplied
    ledger.credit_note(session, customer, D("40.00"), "goodwill", actor=clerk, currency="USD")
    # another company's items, money and credits never show
    other = make_customer(session, code="OTH99")
    overdue(session, other, "777.00", 5, number="INV-H-9999")
    receipt(session, other.id, "555.00")

    html = client.get("/").get_data(as_text=True)

    rows = dict(re.findall(r'data-currency="(\w{3})"[^>]*>(.*?)</section>', html, re.S))
    assert set(rows) == {"CNY", "USD"}
    assert "1,000.00" in rows["CNY"] and "180.00" in rows["CNY"] and "120.00" in rows["CNY"]
    assert "700.00" in rows["CNY"]  # net: 1,000 open less 180 unapplied less 120 on account
    assert "250.00" in rows["USD"] and "40.00" in rows["USD"] and "210.00" in rows["USD"]
    assert "1,250.00" not in html  # CNY and USD are never added together
    assert "INV-H-0001" in html and "INV-H-0002" in html
    assert "Payment received, being applied by our finance team" in html
    assert "Held as advance payment" in html and "Credit note" in html
    assert "INV-H-9999" not in html and "777.00" not in html and "555.00" not in html


def test_a_customer_disputes_an_open_item_that_no_statement_shows(
    app: Flask, client: FlaskClient, session: Session, buyer: User
) -> None:
    customer = buyer.customer
    assert customer is not None
    manager = make_user(session, "finance", name="Fei Finance")
    customer.account_manager_id = manager.id
    inv = overdue(session, customer, "800.00", 3, number="INV-H-0100")
    home = client.get("/").get_data(as_text=True)
    assert f"/invoices/{inv.id}/dispute" in home

    form = client.get(f"/invoices/{inv.id}/dispute").get_data(as_text=True)
    assert 'value="800.00"' in form  # the open amount is proposed
    before = len(outbox(app))
    response = client.post(
        f"/invoices/{inv.id}/dispute",
        data={"reason": "price", "amount": "150.00", "comment": "Agreed price was lower"},
    )

    assert response.status_code == 302
    dispute = session.scalars(select(Dispute).where(Dispute.invoice_id == inv.id)).one()
    assert response.headers["Location"].endswith(f"/disputes/{dispute.id}")
    assert (dispute.statement_id, dispute.statement_line_id) == (None, None)
    assert (dispute.amount, dispute.reason, dispute.status) == (
        D("150.00"),
        DisputeReason.PRICE,
        DisputeStatus.OPEN,
    )
    assert dispute.assigned_to_id == manager.id and dispute.created_by_id == buyer.id
    assert [m.body for m in dispute.messages] == ["Agreed price was lower"]
    event = session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "dispute.opened", AuditEvent.entity_id == str(dispute.id)
        )
    ).one()
    assert event.data["invoice"] == "INV-H-0100" and event.data["amount"] == "150.00"
    mails = outbox(app)[before:]
    assert len(mails) == 1 and "on invoice INV-H-0100 for 150.00 CNY" in mail_body(mails[0])
    # the item now shows as disputed and cannot be disputed twice
    home = client.get("/").get_data(as_text=True)
    row = re.search(rf'<tr id="item-{inv.id}">(.*?)</tr>', home, re.S)
    assert row is not None and "/dispute" not in row.group(1)
    assert "badge-disputed" in row.group(1)
    again = client.post(f"/invoices/{inv.id}/dispute", data={"reason": "other", "amount": "1"})
    assert again.status_code == 302 and "/invoices/" in again.headers["Location"]
    assert session.scalar(select(Dispute.id).where(Dispute.id != dispute.id)) is None
    # the customer and the staff see it without a statement
    assert "INV-H-0100" in client.get(f"/disputes/{dispute.id}").get_data(as_text=True)
    assert "INV-H-0100" in client.get("/disputes/").get_data(as_text=True)
    client.post("/logout")
    login(client, manager)
    staff = client.get(f"/staff/disputes/{dispute.id}").get_data(as_text=True)
    assert "INV-H-0100" in staff and "an open item disputed from the overview" in staff


def test_an_accepted_open_item_dispute_credits_the_invoice(session: Session, buyer: User) -> None:
    customer = buyer.customer
    assert customer is not None
    inv = overdue(session, customer, "500.00", 20, currency="USD")
    dispute = service.open_item_dispute(
        session, inv, buyer, reason=DisputeReason.QUANTITY, amount=D("200.00"), max_bytes=10**6
    )
    decider = make_user(session, "finance")
    note = service.accept(session, dispute, decider, D("200.00"), "two cartons short")
    assert (note.currency, note.amount) == ("USD", D("200.00"))
    session.refresh(inv)
    assert inv.open_amount == D("300.00")


def test_an_open_item_dispute_refuses_what_it_should(
    client: FlaskClient, session: Session, buyer: User
) -> None:
    customer = buyer.customer
    assert customer is not None
    inv = overdue(session, customer, "100.00", 1)
    too_much = client.post(
        f"/invoices/{inv.id}/dispute", data={"reason": "price", "amount": "100.01"}
    )
    assert too_much.status_code == 200  # the form again, with the reason next to the field
    assert "at most the open amount" in too_much.get_data(as_text=True)
    no_reason = client.post(f"/invoices/{inv.id}/dispute", data={"amount": "10"})
    assert "Choose a reason." in no_reason.get_data(as_text=True)
    paid = overdue(session, customer, "100.00", 1, open_amount="0")
    assert (
        client.post(
            f"/invoices/{paid.id}/dispute", data={"reason": "price", "amount": "1"}
        ).status_code
        == 302
    )
    # another company's invoice: not found, whatever the method
    foreign = overdue(session, make_customer(session), "100.00", 1)
    assert client.get(f"/invoices/{foreign.id}/dispute").status_code == 404
    assert (
        client.post(
            f"/invoices/{foreign.id}/dispute", data={"reason": "price", "amount": "1"}
        ).status_code
        == 404
    )
    with pytest.raises(errors.NotDisputable):
        service.open_item_dispute(
            session, foreign, buyer, reason=DisputeReason.PRICE, amount=D("1"), max_bytes=10**6
        )
    assert session.scalar(select(Dispute.id)) is None


def test_statement_line_disputes_still_work_beside_item_disputes(
    client: FlaskClient, session: Session, buyer: User
) -> None:
    customer = buyer.customer
    assert customer is not None
    statement = make_statement(session, customer)
    line = next(ln for ln in statement.lines if ln.amount > 0)
    disputes = service.open_disputes(
        session,
        statement,
        buyer,
        [service.LineClaim(line, DisputeReason.PRICE, line.amount)],
        max_bytes=10**6,
    )
    assert disputes[0].statement_id == statement.id and disputes[0].document == line.document
    assert disputes[0].currency == line.line_currency


def test_the_customer_can_promise_to_pay_from_home_and_menu(
    client: FlaskClient, session: Session, buyer: User
) -> None:
    customer = buyer.customer
    assert customer is not None
    overdue(session, customer, "900.00", 15)
    home = client.get("/").get_data(as_text=True)
    assert 'href="/followups/my"' in home  # the menu, also with nothing overdue
    assert 'id="promise"' not in home  # no case: no call to promise
    case = CollectionCase(
        customer_id=customer.id, currency="CNY", opened_on=TODAY, overdue_amount=D("900.00")
    )
    closed = CollectionCase(
        customer_id=customer.id, currency="USD", opened_on=TODAY, status=CaseStatus.CLOSED
    )
    session.add_all([case, closed])
    session.flush()

    home = client.get("/").get_data(as_text=True)
    assert 'id="promise"' in home and f'href="/followups/my/{case.id}"' in home
    assert f"/followups/my/{closed.id}" not in home
    assert client.get(f"/followups/my/{case.id}").status_code == 200
    # and another company's case stays out of reach
    other_case = CollectionCase(
        customer_id=make_customer(session).id, currency="CNY", opened_on=TODAY
    )
    session.add(other_case)
    session.flush()
    assert client.get(f"/followups/my/{other_case.id}").status_code == 404


def test_home_page_in_chinese(client: FlaskClient, session: Session) -> None:
    customer = make_customer(session, language="zh")
    user = make_user(session, customer=customer, language="zh")
    overdue(session, customer, "100.00", 2)
    login(client, user)
    html = client.get("/").get_data(as_text=True)
    assert "您的各币种账户" in html and "未结项目" in html and "提出异议" in html
    assert "付款承诺" in html  # the menu
    # our name in Chinese alone (COMPANY_NAME is "English / 中文"; the footer shows both)
    assert "您在康科德示范贸易有限公司的账户" in html


def test_an_open_item_disputed_from_the_overview_is_no_longer_chased(
    session: Session, buyer: User
) -> None:
    from portal.followups.case_items import case_items

    customer = buyer.customer
    assert customer is not None
    first = overdue(session, customer, "300.00", 30)
    second = overdue(session, customer, "200.00", 10)
    case = CollectionCase(customer_id=customer.id, currency="CNY", opened_on=TODAY)
    session.add(case)
    session.flush()
    assert [i.id for i in case_items(session, case, horizon=TODAY)] == [first.id, second.id]

    service.open_item_dispute(
        session, first, buyer, reason=DisputeReason.NOT_RECEIVED, amount=D("300.00"), max_bytes=1
    )

    assert [i.id for i in case_items(session, case, horizon=TODAY)] == [second.id]


def test_home_pages_through_payments_not_yet_applied(
    client: FlaskClient, session: Session, buyer: User
) -> None:
    customer = buyer.customer
    assert customer is not None
    txs = [receipt(session, customer.id, "10.00") for _ in range(13)]
    for tx in txs:  # finance confirmed them as the customer's; applying is still to come
        tx.match_status = MatchStatus.MATCHED
    session.flush()

    def shown(html: str) -> list[str]:
        section = html.split('id="held"', 1)[1].split("</section>", 1)[0]
        return re.findall(r"RV-C360-\d{5}", section)

    first = client.get("/").get_data(as_text=True)
    assert len(shown(first)) == 10
    assert "/?items=1&held=2#held" in first.replace("&amp;", "&")
    second = shown(client.get("/?held=2").get_data(as_text=True))
    assert len(second) == 3
    assert set(shown(first) + second) == {t.voucher_number for t in txs}


def test_a_receipt_the_matcher_only_guessed_is_not_shown_to_the_customer(
    app: Flask, client: FlaskClient, session: Session, buyer: User
) -> None:
    """The matcher ties a suggested receipt to the customer it guessed; if the guess is wrong,
    that customer must not see another company's payment (home, payments page, downloads).
    Finance still sees it on the customer's page; once confirmed, the customer sees it too."""
    customer = buyer.customer
    assert customer is not None
    guessed = receipt(session, customer.id, "4321.98")
    guessed.match_status = MatchStatus.SUGGESTED
    guessed.payer_name = "Some Other Company Ltd"
    session.flush()
    for path in ("/", "/payments/", "/payments/export.csv"):
        page = client.get(path).get_data(as_text=True)
        assert "4,321.98" not in page and "4321.98" not in page, path
        assert "Some Other Company" not in page, path
    finance = app.test_client()
    staff_login(finance, make_user(session, "finance"))
    assert "4,321.98" in finance.get(f"/staff/customers/{customer.id}").get_data(as_text=True)

    guessed.match_status = MatchStatus.MATCHED  # finance confirmed it (part applied later)
    session.flush()
    assert "4,321.98" in client.get("/").get_data(as_text=True)
