"""Staff › Customers: the searchable list and a customer's page (portal users, contacts)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from portal.extensions import db
from portal.models import AuditEvent, Customer, CustomerContact, User
from tests.factories import make_customer, make_user
from tests.portal.customer_helpers import mail_body, outbox, read_mail
from tests.portal.finance_helpers import login

LINK = re.compile(r"http://localhost(/invitation/[A-Za-z0-9_-]+)")


@contextmanager
def count_queries() -> Iterator[list[str]]:
    """Collect the SQL statements run meanwhile (to catch N+1 queries)."""
    statements: list[str] = []
    bind = db.session.get_bind()
    engine = getattr(bind, "engine", bind)

    def _log(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", _log)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", _log)


def _customer_events(session: Session, customer: Customer) -> list[AuditEvent]:
    return list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity_type == "customer", AuditEvent.entity_id == str(customer.id))
            .order_by(AuditEvent.id)
        )
    )


@pytest.fixture
def finance(session: Session, client: FlaskClient) -> User:
    user = make_user(session, "finance", name="Fiona Finance")
    login(client, user)
    return user


def test_list_is_paginated_searchable_and_free_of_n_plus_1(
    client: FlaskClient, session: Session, finance: User
) -> None:
    for n in range(30):
        c = make_customer(session, code=f"LS{n:03d}", name=f"Listed Customer {n}")
        c.contacts.append(
            CustomerContact(name=f"Payer {n}", email=f"pay{n}@ls.test", is_billing=True)
        )
        make_user(session, customer=c)
    special = make_customer(session, code="ZZ9", name="华美贸易")
    special.contacts.append(CustomerContact(name="Li Ming", email="li.ming@huamei.test"))
    session.flush()

    first = client.get("/staff/customers")
    assert first.status_code == 200
    html = first.get_data(as_text=True)
    assert "LS000" in html and "LS025" not in html  # 25 a page, by code
    assert "pay0@ls.test" in html  # billing contact shown
    assert 'rel="next"' in html
    second = client.get("/staff/customers?page=2").get_data(as_text=True)
    assert "LS025" in second and "ZZ9" in second

    for term in ("li.ming@huamei", "华美", "zz9", "Li Ming"):
        found = client.get("/staff/customers", query_string={"q": term}).get_data(as_text=True)
        assert "ZZ9" in found and "LS001" not in found, term
    none = client.get("/staff/customers", query_string={"q": "100%_"}).get_data(as_text=True)
    assert "LS0" not in none

    with count_queries() as few:
        client.get("/staff/customers?q=LS00")
    with count_queries() as many:
        client.get("/staff/customers")
    assert few and len(many) == len(few)


def test_customer_page_queries_do_not_grow_with_users_and_contacts(
    client: FlaskClient, session: Session, finance: User
) -> None:
    customer = make_customer(session)

    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            customer.contacts.append(CustomerContact(name=f"C{i}", email=f"c{i}@q.test"))
            make_user(session, customer=customer, email=f"u{i}@q.test", password=None)
        session.flush()

    add(2, 0)
    client.get(f"/staff/customers/{customer.id}")
    with count_queries() as few:
        client.get(f"/staff/customers/{customer.id}")
    add(28, 2)
    with count_queries() as many:
        html = client.get(f"/staff/customers/{customer.id}").get_data(as_text=True)
    assert "u29@q.test" in html and "c29@q.test" in html
    assert few and len(many) == len(few)


def test_customer_page_shows_users_and_contacts_read_only_for_sales_and_auditors(
    client: FlaskClient, session: Session
) -> None:
    customer = make_customer(session, code="RO1", name="Read Only Ltd")
    customer.contacts.append(
        CustomerContact(name="Bill Payer", email="bill@ro.test", is_billing=True)
    )
    buyer = make_user(session, customer=customer, email="buyer@ro.test", is_customer_admin=True)
    for role in ("sales", "auditor"):
        viewer = make_user(session, role)
        login(client, viewer)
        page = client.get(f"/staff/customers/{customer.id}")
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert "buyer@ro.test" in html and "bill@ro.test" in html
        assert "Send invitation" not in html and "Add contact" not in html
        assert (
            client.post(
                f"/staff/customers/{customer.id}/users", data={"email": "x@ro.test"}
            ).status_code
            == 403
        )
        assert (
            client.post(f"/staff/customers/{customer.id}/users/{buyer.id}/disable").status_code
            == 403
        )
        assert (
            client.post(f"/staff/customers/{customer.id}/contacts", data={"name": "X"}).status_code
            == 403
        )
        client.post("/logout")
    session.refresh(buyer)
    assert buyer.is_active
    assert session.scalar(select(User).where(User.email == "x@ro.test")) is None


def test_customer_users_cannot_see_staff_customer_pages(
    client: FlaskClient, session: Session
) -> None:
    user = make_user(session, language="en")
    login(client, user)
    assert client.get("/staff/customers").status_code == 403
    assert client.get(f"/staff/customers/{user.customer_id}").status_code == 403


def test_finance_invites_a_customer_user_who_accepts_by_the_emailed_link(
    app: Flask, client: FlaskClient, session: Session, finance: User
) -> None:
    customer = make_customer(session, code="INV1", name="Invited Trading", language="en")
    customer.contacts.append(CustomerContact(name="Ann", email="ann@inv1.test", is_billing=True))
    session.flush()
    page = client.get(f"/staff/customers/{customer.id}").get_data(as_text=True)
    assert 'value="ann@inv1.test"' in page  # the billing contact is suggested for the first user

    resp = client.post(
        f"/staff/customers/{customer.id}/users",
        data={"email": "ann@inv1.test", "name": "Ann Payer", "admin": "y"},
    )
    assert resp.status_code == 302
    ann = session.scalar(select(User).where(User.email == "ann@inv1.test"))
    assert ann is not None and ann.customer_id == customer.id and ann.is_customer_admin
    mail = outbox(app)[-1]
    assert read_mail(mail)["To"] == "ann@inv1.test"
    body = mail_body(mail)
    assert "Fiona Finance invited you" in body and "Invited Trading" in body
    event_row = session.scalar(
        select(AuditEvent).where(
            AuditEvent.action == "users.customer_invited", AuditEvent.entity_id == str(ann.id)
        )
    )
    assert event_row is not None and event_row.actor_id == finance.id

    guest = app.test_client()
    path = LINK.search(body).group(1)  # type: ignore[union-attr]
    resp = guest.post(
        path, data={"name": "Ann Payer", "password": "ann-password-1", "confirm": "ann-password-1"}
    )
    assert resp.status_code == 302
    home = guest.get("/")
    assert home.status_code == 200 and "Invited Trading" in home.get_data(as_text=True)

    dup = client.post(f"/staff/customers/{customer.id}/users", data={"email": "ANN@inv1.test"})
    assert dup.status_code == 400 and "already has an account" in dup.get_data(as_text=True)


def test_finance_disables_resends_and_toggles_admin_of_a_portal_user(
    app: Flask, client: FlaskClient, session: Session, finance: User
) -> None:
    customer = make_customer(session)
    active = make_user(session, customer=customer, language="en")
    invited = make_user(session, customer=customer, password=None, email="late@c.test")
    their_browser = app.test_client()
    login(their_browser, active)
    assert their_browser.get("/invoices/").status_code == 200
    base = f"/staff/customers/{customer.id}/users"

    assert client.post(f"{base}/{active.id}/disable", data={"reason": "left"}).status_code == 302
    resp = their_browser.get("/invoices/")
    assert resp.status_code == 302 and resp.headers["Location"].startswith("/login")
    assert client.post(f"{base}/{active.id}/enable").status_code == 302
    assert client.post(f"{base}/{active.id}/admin").status_code == 302
    session.refresh(active)
    assert active.is_active and active.is_customer_admin

    assert client.post(f"{base}/{invited.id}/resend").status_code == 302
    assert read_mail(outbox(app)[-1])["To"] == "late@c.test"
    refused = client.post(f"{base}/{active.id}/resend", follow_redirects=True)
    assert "chosen a password already" in refused.get_data(as_text=True)

    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.actor_id == finance.id).order_by(AuditEvent.id)
    ).all()
    assert [a for a in actions if a.startswith("users.")] == [
        "users.disabled",
        "users.enabled",
        "users.customer_admin_changed",
        "users.invitation_resent",
    ]
    other = make_user(session)  # a user of another customer: not reachable through this one
    assert client.post(f"{base}/{other.id}/disable").status_code == 404


def test_finance_adds_edits_and_removes_contacts_with_an_audit_trail(
    client: FlaskClient, session: Session, finance: User
) -> None:
    customer = make_customer(session)
    base = f"/staff/customers/{customer.id}/contacts"
    resp = client.post(
        base,
        data={
            "name": "Wu Lan",
            "email": "Wu.Lan@C.test",
            "mobile": "13800000000",
            "language": "zh",
        },
    )
    assert resp.status_code == 302
    contact = session.scalar(
        select(CustomerContact).where(CustomerContact.customer_id == customer.id)
    )
    assert contact is not None and contact.email == "wu.lan@c.test" and not contact.is_billing

    dup = client.post(base, data={"name": "Other", "email": "wu.lan@c.test", "language": "en"})
    assert dup.status_code == 400
    assert "Another contact of this customer" in dup.get_data(as_text=True)
    empty = client.post(base, data={"language": "en"})
    assert empty.status_code == 400

    resp = client.post(
        f"{base}/{contact.id}",
        data={"name": "Wu Lan", "email": "wu.lan@c.test", "language": "en", "is_billing": "y"},
    )
    assert resp.status_code == 302
    session.refresh(contact)
    assert contact.is_billing and contact.language == "en" and contact.mobile is None

    assert (
        client.post(f"{base}/{contact.id}/delete", data={"reason": "wrong person"}).status_code
        == 302
    )
    assert session.get(CustomerContact, contact.id) is None

    events = _customer_events(session, customer)
    assert [e.action for e in events] == [
        "customer.contact_added",
        "customer.contact_changed",
        "customer.contact_removed",
    ]
    assert all(e.actor_id == finance.id for e in events)
    assert events[1].data["changes"]["is_billing"] == {"from": False, "to": True}
    assert events[2].reason == "wrong person" and events[2].data["email"] == "wu.lan@c.test"


def test_a_contact_change_the_form_refuses_is_said_on_the_page_and_changes_nothing(
    client: FlaskClient, session: Session, finance: User
) -> None:
    customer = make_customer(session)
    contact = CustomerContact(name="Wu Lan", email="wu@c.test", language="zh")
    customer.contacts.append(contact)
    session.flush()
    base = f"/staff/customers/{customer.id}/contacts/{contact.id}"
    # a reason over 500 characters used to answer a bare 400
    resp = client.post(f"{base}/delete", data={"reason": "x" * 501}, follow_redirects=True)
    assert resp.status_code == 200 and "Check the contact" in resp.get_data(as_text=True)
    resp = client.post(base, data={"email": "not an address", "language": "en"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("#contacts")
    session.refresh(contact)
    assert contact.email == "wu@c.test" and contact.language == "zh"
    assert _customer_events(session, customer) == []
    other = make_customer(session)  # a contact of another customer: not reachable through this one
    assert (
        client.post(f"/staff/customers/{other.id}/contacts/{contact.id}/delete").status_code == 404
    )


def test_customer_pages_render_in_chinese(client: FlaskClient, session: Session) -> None:
    customer = make_customer(session)
    customer.contacts.append(CustomerContact(name="王", email="w@c.test", is_billing=True))
    clerk = make_user(session, "finance", language="zh")
    login(client, clerk)
    index = client.get("/staff/customers").get_data(as_text=True)
    assert "账务联系人" in index and "门户用户" in index
    page = client.get(f"/staff/customers/{customer.id}").get_data(as_text=True)
    assert "联系人" in page and "邀请用户" in page


def test_my_customers_when_i_manage_none_does_not_say_there_are_no_customers(
    client: FlaskClient, session: Session
) -> None:
    make_customer(session)
    finance = make_user(session, "finance")
    session.commit()
    login(client, finance)
    mine = client.get("/staff/customers?mine=1").get_data(as_text=True)
    assert "You are the account manager of no customer" in mine
    assert "No customers yet" not in mine and "Import customers from your ERP" not in mine
    assert "No customers yet" not in client.get("/staff/customers").get_data(as_text=True)
