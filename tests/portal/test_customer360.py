"""Staff › one customer on one page: balances per currency, money held, notes, invoice search."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import ledger
from portal.customers import view
from portal.models import (
    AuditEvent,
    BankFile,
    BankTransaction,
    Customer,
    CustomerNote,
    Direction,
    Invoice,
    MatchStatus,
    OutboxChannel,
    OutboxMessage,
    User,
)
from tests.factories import make_customer, make_invoice, make_user
from tests.portal.customer_helpers import mail_body, outbox, read_mail
from tests.portal.finance_helpers import login
from tests.portal.test_customers import count_queries

D = Decimal
TODAY = dt.date.today()
_seq = itertools.count(1)


def receipt(
    session: Session, customer_id: int, amount: str, currency: str = "CNY"
) -> BankTransaction:
    n = next(_seq)
    bank_file = BankFile(sha256=f"{n + 9000:064x}", original_name="r.csv", size=1, content=b"x")
    session.add(bank_file)
    session.flush()
    txn = BankTransaction(
        file_id=bank_file.id,
        voucher_number=f"RV-C360-{n:05d}",
        bank_ref=f"C360-{n}",
        booking_date=TODAY - dt.timedelta(days=2),
        amount=D(amount),
        direction=Direction.CREDIT,
        currency=currency,
        match_status=MatchStatus.UNMATCHED,
        unapplied_amount=D(amount),
        customer_id=customer_id,
    )
    session.add(txn)
    session.flush()
    return txn


def make_due(session: Session, customer: Customer, *, due_in: dt.date, **kw: Any) -> Invoice:
    """An invoice due on ``due_in`` (issued 30 days before)."""
    return make_invoice(
        session, customer, issue_date=due_in - dt.timedelta(days=30), due_date=due_in, **kw
    )


@pytest.fixture
def finance(session: Session, client: FlaskClient) -> User:
    user = make_user(session, "finance", name="Fiona Finance", language="en")
    login(client, user)
    return user


def test_positions_keep_currencies_apart_and_age_by_due_date(session: Session) -> None:
    customer = make_customer(session)
    make_due(session, customer, amount="100.00", due_in=TODAY + dt.timedelta(days=5))
    make_due(session, customer, amount="200.00", due_in=TODAY - dt.timedelta(days=10))
    make_due(session, customer, amount="300.00", due_in=TODAY - dt.timedelta(days=100))
    make_due(
        session, customer, amount="50.00", currency="USD", due_in=TODAY - dt.timedelta(days=45)
    )
    make_invoice(session, customer, amount="999.00", open_amount="0")  # paid: not open
    tx = receipt(session, customer.id, "70.00")
    clerk = make_user(session, "finance")
    ledger.on_account(session, tx, customer, D("30.00"), actor=clerk)
    ledger.credit_note(session, customer, D("12.50"), "goodwill", actor=clerk, currency="USD")

    cny, usd = view.positions(session, customer.id, TODAY)

    assert (cny.currency, cny.balance, cny.overdue, cny.overdue_count) == (
        "CNY",
        D("600"),
        D("500"),
        2,
    )
    assert [b.amount for b in cny.aging] == [D("100"), D("200"), D("0"), D("0"), D("300")]
    assert (cny.unapplied, cny.on_account, cny.credits) == (D("40"), D("30"), D("0"))
    assert cny.net == D("530")
    assert (usd.currency, usd.balance, usd.credits) == ("USD", D("50"), D("12.50"))
    assert [b.amount for b in usd.aging][2] == D("50")


def test_customer_page_shows_every_part_without_n_plus_1(
    client: FlaskClient, session: Session, finance: User
) -> None:
    customer = make_customer(session, code="C360A", name="Huamei Trading")

    def fill(n: int) -> None:
        for _ in range(n):
            make_due(session, customer, amount="10.00", due_in=TODAY - dt.timedelta(days=3))
            receipt(session, customer.id, "5.00")

    fill(2)
    with count_queries() as few:
        assert client.get(f"/staff/customers/{customer.id}").status_code == 200
    fill(24)
    with count_queries() as many:
        response = client.get(f"/staff/customers/{customer.id}")
    html = response.get_data(as_text=True)
    assert len(many) <= len(few), "queries grow with rows"
    for anchor in (
        "balances",
        "open-items",
        "collections",
        "statements",
        "disputes",
        "notes",
        "held",
        "receipts",
        "contacts",
        "credit-grade",
    ):
        assert f'id="{anchor}"' in html, anchor
    assert "260.00" in html  # 26 invoices of 10.00 open, CNY
    assert "130.00" in html  # 26 receipts of 5.00 not yet applied
    assert f"/staff/customers/{customer.id}?items=2" in html  # open items: 25 a page


def _held_references(html: str) -> list[str]:
    section = html.split('id="held"', 1)[1].split("</section>", 1)[0]
    return re.findall(r"RV-C360-\d{5}", section)


def test_money_held_pages_through_every_receipt_with_a_bounded_query_count(
    client: FlaskClient, session: Session, finance: User
) -> None:
    customer = make_customer(session, code="C360H", name="Held Trading")
    clerk = make_user(session, "finance")
    advance = receipt(session, customer.id, "9.00")
    ledger.on_account(session, advance, customer, D("9.00"), actor=clerk)  # held, not unapplied
    receipts = [receipt(session, customer.id, "5.00") for _ in range(2)]
    url = f"/staff/customers/{customer.id}"
    client.get(url)
    with count_queries() as few:
        client.get(url)
    receipts += [receipt(session, customer.id, "5.00") for _ in range(24)]
    with count_queries() as many:
        first = client.get(url).get_data(as_text=True)
    assert len(many) <= len(few), "queries grow with the money held"

    # 26 receipts not applied and one advance: 20 on the first page, newest first
    shown = _held_references(first)
    assert len(shown) == 20
    assert shown[0] == advance.voucher_number  # held today; the receipts were booked before
    assert f"{url}?held=2#held" in first.replace("&amp;", "&")
    second = _held_references(client.get(f"{url}?held=2").get_data(as_text=True))
    assert len(second) == 7 and not set(second) & set(shown)
    assert set(shown + second) == {t.voucher_number for t in [advance, *receipts]}
    # the other sections keep their page when the money held pages on
    other = client.get(f"{url}?held=2&items=1").get_data(as_text=True).replace("&amp;", "&")
    assert "held=1" in other and "items=1" in other


def test_a_note_mentioning_a_colleague_emails_them_a_link(
    app: Flask, client: FlaskClient, session: Session, finance: User
) -> None:
    customer = make_customer(session, name="Huamei Trading")
    sales = make_user(session, "sales", email="li.sales@example.test", language="en")
    before = len(outbox(app))

    response = client.post(
        f"/staff/customers/{customer.id}/notes",
        data={"body": "Line 3 is a price difference, @li.sales@example.test please confirm"},
    )

    assert response.status_code == 302
    note = session.scalars(
        select(CustomerNote).where(CustomerNote.customer_id == customer.id)
    ).one()
    assert note.mentioned == [sales.id] and note.author_id == finance.id
    mails = outbox(app)[before:]
    assert len(mails) == 1
    assert read_mail(mails[0])["To"] == "li.sales@example.test"
    assert "Fiona Finance mentioned you" in str(read_mail(mails[0])["Subject"])
    assert f"http://localhost/staff/customers/{customer.id}#notes" in mail_body(mails[0])
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "customer.note_added")
    ).one()
    assert event.data["mentioned"] == [sales.id]
    queued = session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient == "li.sales@example.test")
    ).one()  # through the outbox, in the note's transaction
    assert queued.channel is OutboxChannel.EMAIL and queued.language == "en"
    page = client.get(f"/staff/customers/{customer.id}").get_data(as_text=True)
    assert "Line 3 is a price difference" in page


def test_a_mentioned_colleague_sees_the_note_in_app_until_they_read_it(
    client: FlaskClient, session: Session, finance: User
) -> None:
    acme = make_customer(session, code="MNT1", name="Acme Mention")
    other = make_customer(session, code="MNT2", name="Other Mention")
    sales = make_user(session, "sales", email="wang.sales@example.test", language="en")
    for customer, body in (
        (acme, "first @wang.sales@example.test"),
        (other, "@WANG.sales@example.test second"),
    ):
        assert (
            client.post(f"/staff/customers/{customer.id}/notes", data={"body": body}).status_code
            == 302
        )
    client.post(f"/staff/customers/{acme.id}/notes", data={"body": "no mention here"})
    client.post("/logout")
    login(client, sales)

    listed = client.get("/staff/customers/mentions").get_data(as_text=True)
    assert listed.count('class="unread"') == 2
    assert "first @wang" in listed and "second" in listed and "no mention here" not in listed
    assert 'class="count">2<' in client.get("/staff/customers").get_data(as_text=True)

    client.get(f"/staff/customers/{acme.id}")  # reading the page reads its mentions
    assert view.unread_mentions(session, sales.id) == 1
    assert 'class="count">1<' in client.get("/staff/customers").get_data(as_text=True)

    assert client.post("/staff/customers/mentions/read").status_code == 302
    assert view.unread_mentions(session, sales.id) == 0
    assert 'class="count"' not in client.get("/staff/customers").get_data(as_text=True)
    # auditors read customers' pages but are not asked to act: a mention of one is no mention
    auditor = make_user(session, "auditor", email="audit.li@example.test")
    view.add_note(session, acme, "@audit.li@example.test look", author=sales)
    assert view.unread_mentions(session, auditor.id) == 0
    # finance wrote the notes and is mentioned nowhere: no unread badge, an empty list
    client.post("/logout")
    login(client, finance)
    assert "No mentions yet" in client.get("/staff/customers/mentions").get_data(as_text=True)


def test_an_empty_note_is_refused_and_auditors_cannot_write(
    client: FlaskClient, session: Session, finance: User
) -> None:
    customer = make_customer(session)
    assert (
        client.post(f"/staff/customers/{customer.id}/notes", data={"body": "  "}).status_code == 400
    )
    auditor = make_user(session, "auditor")
    client.post("/logout")
    login(client, auditor)
    assert client.get(f"/staff/customers/{customer.id}").status_code == 200
    assert (
        client.post(f"/staff/customers/{customer.id}/notes", data={"body": "x"}).status_code == 403
    )
    assert session.scalar(select(CustomerNote.id)) is None


def test_a_customer_user_cannot_open_the_staff_view(client: FlaskClient, session: Session) -> None:
    customer = make_customer(session)
    login(client, make_user(session, customer=customer))
    assert client.get(f"/staff/customers/{customer.id}").status_code in (403, 404)
    assert client.get("/staff/customers/invoices?q=INV").status_code in (403, 404)


def test_invoice_search_by_number_po_order_contract_and_customer(
    client: FlaskClient, session: Session, finance: User
) -> None:
    acme = make_customer(session, code="ACME1", name="Acme Shanghai")
    other = make_customer(session, code="OTH1", name="Other Co")
    make_invoice(session, acme, number="INV-S-0001", po_number="PO-777", contract_number="HT-9")
    make_invoice(session, other, number="INV-S-0002", sales_order_number="SO-555")

    def found(q: str) -> list[str]:
        html = client.get("/staff/customers/invoices", query_string={"q": q}).get_data(as_text=True)
        return re.findall(r"INV-S-\d{4}", html)

    assert found("PO-777") == ["INV-S-0001"]
    assert found("so-555") == ["INV-S-0002"]
    assert found("HT-9") == ["INV-S-0001"]
    assert found("acme") == ["INV-S-0001"]
    assert sorted(found("INV-S")) == ["INV-S-0001", "INV-S-0002"]
    assert found("50%") == []  # LIKE wildcards are literal


def test_sales_see_their_own_customers_by_default(client: FlaskClient, session: Session) -> None:
    sales = make_user(session, "sales")
    mine = make_customer(session, code="MINE01", account_manager_id=sales.id)
    theirs = make_customer(session, code="THEIRS01")
    make_invoice(session, mine, number="INV-M-0001")
    make_invoice(session, theirs, number="INV-M-0002")
    login(client, sales)

    listed = client.get("/staff/customers").get_data(as_text=True)
    assert "MINE01" in listed and "THEIRS01" not in listed
    everyone = client.get("/staff/customers?all=1").get_data(as_text=True)
    assert "MINE01" in everyone and "THEIRS01" in everyone
    searched = client.get("/staff/customers/invoices?q=INV-M").get_data(as_text=True)
    assert "INV-M-0001" in searched and "INV-M-0002" not in searched
    assert "INV-M-0002" in client.get("/staff/customers/invoices?q=INV-M&all=1").get_data(
        as_text=True
    )
    # sales start at their own work, not at bank uploads
    start = client.get("/")
    assert start.status_code == 302 and "/bank" not in start.headers["Location"]


def test_each_section_pages_and_keeps_the_others_page(
    client: FlaskClient, session: Session, finance: User
) -> None:
    customer = make_customer(session)
    for n in range(12):
        view.add_note(session, customer, f"note number {n:02d}", author=finance)
        receipt(session, customer.id, "1.00")
    first = client.get(f"/staff/customers/{customer.id}").get_data(as_text=True)
    assert "note number 11" in first and "note number 01" not in first  # 10 a page, newest first
    assert f"/staff/customers/{customer.id}?notes=2#notes" in first
    assert f"/staff/customers/{customer.id}?receipts=2#receipts" in first
    second = client.get(f"/staff/customers/{customer.id}?notes=2&receipts=2").get_data(as_text=True)
    assert "note number 01" in second and "note number 11" not in second
    # paging the notes back keeps the receipts on their second page
    assert f"/staff/customers/{customer.id}?notes=1&amp;receipts=2#notes" in second


def test_customer_page_shows_the_case_its_history_promises_credit_and_contacts(
    client: FlaskClient, session: Session, finance: User
) -> None:
    from portal.models import (
        CaseEvent,
        CollectionCase,
        CustomerContact,
        Promise,
        PromiseInstalment,
        PromiseStatus,
    )

    customer = make_customer(session, credit_limit=D("50000.00"))
    session.add(CustomerContact(customer=customer, name="Li Billing", email="li.b@example.test"))
    make_due(session, customer, amount="900.00", due_in=TODAY - dt.timedelta(days=20))
    case = CollectionCase(
        customer_id=customer.id, currency="CNY", opened_on=TODAY, owner_id=finance.id
    )
    session.add(case)
    session.flush()
    session.add(
        CaseEvent(case_id=case.id, channel="call", kind="contact", body="Spoke to Li: pays Friday")
    )
    for status, amount in ((PromiseStatus.BROKEN, "400.00"), (PromiseStatus.OPEN, "900.00")):
        session.add(
            Promise(
                case_id=case.id,
                customer_id=customer.id,
                currency="CNY",
                status=status,
                source="call",
                amount=D(amount),
                baseline_open=D("900.00"),
                created_by_id=finance.id,
                instalments=[PromiseInstalment(due_date=TODAY, amount=D(amount))],
            )
        )
    session.flush()

    html = client.get(f"/staff/customers/{customer.id}").get_data(as_text=True)

    assert f'id="case-{case.id}"' in html and "Spoke to Li: pays Friday" in html
    promises = html[html.index('id="promises"') :]
    assert "400.00" in promises and "badge-broken" in promises
    assert "900.00" in promises and "badge-open" in promises
    assert 'id="credit-grade"' in html and "50,000.00" in html  # grade and limit
    assert "Li Billing" in html and "li.b@example.test" in html  # contacts
