"""Isolation: a customer never reaches another customer's data; staff pages refuse customers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from werkzeug.routing import AnyConverter

from portal.disputes import attachments
from portal.disputes import service as dispute_service
from portal.models import DisputeReason
from tests.factories import make_customer, make_invoice, make_user
from tests.portal.customer_helpers import PNG, login, make_payment, make_statement


@pytest.fixture
def two_customers(session: Session):  # type: ignore[no-untyped-def]
    """Customer A (signed in) and customer B with a full set of rows."""
    a = make_customer(session, language="en")
    user_a = make_user(session, customer=a, language="en")
    own_statement = make_statement(session, a)
    b = make_customer(session, language="en")
    user_b = make_user(session, customer=b, language="en")
    inv_b = make_invoice(session, customer=b, amount="999.00", issue_date=dt.date(2026, 10, 2))
    make_payment(session, b, [(inv_b, "100.00")])
    statement_b = make_statement(session, b, [inv_b])
    claim = dispute_service.LineClaim(
        statement_b.lines[0], DisputeReason.PRICE, Decimal("50.00"), "b's"
    )
    dispute_b = dispute_service.open_disputes(
        session,
        statement_b,
        user_b,
        [claim],
        [attachments.Upload("b.png", PNG)],
        max_bytes=10_000,
    )[0]
    return user_a, own_statement, inv_b, statement_b, dispute_b


def customer_urls(inv, statement, dispute) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """Every customer-facing URL that takes an object id, with the ids of the given objects."""
    att = dispute.attachments[0]
    return [
        ("GET", f"/invoices/{inv.id}"),
        ("GET", f"/invoices/{inv.id}/dispute"),
        ("POST", f"/invoices/{inv.id}/dispute"),
        ("GET", f"/statements/{statement.id}"),
        ("GET", f"/statements/{statement.id}/pdf"),
        ("GET", f"/statements/{statement.id}/confirm"),
        ("POST", f"/statements/{statement.id}/confirm"),
        ("GET", f"/statements/{statement.id}/confirm/code"),
        ("POST", f"/statements/{statement.id}/confirm/code"),
        ("POST", f"/statements/{statement.id}/confirm/resend"),
        ("GET", f"/statements/{statement.id}/dispute"),
        ("POST", f"/statements/{statement.id}/dispute"),
        ("GET", f"/disputes/{dispute.id}"),
        ("POST", f"/disputes/{dispute.id}"),
        ("GET", f"/disputes/{dispute.id}/attachments/{att.id}"),
    ]


def test_every_customer_url_with_another_customers_ids_is_404(
    app: Flask, client: FlaskClient, two_customers
):  # type: ignore[no-untyped-def]
    user_a, _own, inv_b, statement_b, dispute_b = two_customers
    login(client, user_a)
    urls = customer_urls(inv_b, statement_b, dispute_b)
    # the list must cover every customer route with an id in it
    routed = {
        r.rule
        for r in app.url_map.iter_rules()
        if r.endpoint.split(".")[0] in {"invoices", "statements", "disputes"}
        and "<" in r.rule
        and not r.rule.startswith("/staff")
    }
    covered = {app.url_map.bind("localhost").match(path, method=m)[0] for m, path in urls}
    assert {app.url_map._rules_by_endpoint[e][0].rule for e in covered} == routed
    for method, path in urls:
        resp = client.open(
            path,
            method=method,
            data={"code": "123456", "body": "x", "consent": "y", "full_name": "x"},
        )
        assert resp.status_code == 404, (method, path, resp.status_code)
    # nothing of B's leaks on A's list pages
    for page in (
        "/",
        "/invoices/",
        "/invoices/?filter=disputed",
        "/payments/",
        "/statements/",
        "/disputes/",
    ):
        html = client.get(page).get_data(as_text=True)
        for secret in (inv_b.number, statement_b.number, dispute_b.number):
            assert secret not in html, (page, secret)


def test_own_objects_are_reachable(client: FlaskClient, session: Session, two_customers):  # type: ignore[no-untyped-def]
    user_a, own, *_ = two_customers
    login(client, user_a)
    assert client.get(f"/statements/{own.id}").status_code == 200
    assert client.get(f"/invoices/{own.lines[0].invoice_id}").status_code == 200


def test_missing_ids_are_404_too(client: FlaskClient, two_customers):  # type: ignore[no-untyped-def]
    login(client, two_customers[0])
    for path in (
        "/invoices/999999",
        "/statements/999999",
        "/disputes/999999",
        "/statements/999999/pdf",
    ):
        assert client.get(path).status_code == 404


def test_staff_urls_are_403_for_customers(app: Flask, client: FlaskClient, two_customers):  # type: ignore[no-untyped-def]
    user_a, _own, _inv, _st, dispute_b = two_customers
    login(client, user_a)
    staff_views = [
        rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith(
            ("banking.", "followups.", "credit.", "reports.", "audit.", "admin.")
        )
        or rule.rule.startswith("/staff")
    ]
    # the customer's side of a payment reminder (``/followups/my``) is for customers
    staff_views = [r for r in staff_views if not r.endpoint.startswith("followups.my_")]
    assert any(r.endpoint == "disputes.staff_index" for r in staff_views)
    for rule in staff_views:
        values = {
            arg: sorted(conv.items)[0] if isinstance(conv, AnyConverter) else dispute_b.id
            for arg, conv in rule._converters.items()
        }
        path = app.url_map.bind("localhost").build(rule.endpoint, values)
        method = "GET" if "GET" in (rule.methods or ()) else "POST"
        resp = client.open(path, method=method)
        assert resp.status_code == 403, (rule.endpoint, path, resp.status_code)


def test_customer_pages_need_sign_in(client: FlaskClient, two_customers):  # type: ignore[no-untyped-def]
    for path in ("/", "/invoices/", "/payments/", "/statements/", "/disputes/", "/team"):
        resp = client.get(path)
        assert resp.status_code == 302 and resp.headers["Location"].startswith("/login")


def test_staff_cannot_use_customer_pages(client: FlaskClient, session: Session, two_customers):  # type: ignore[no-untyped-def]
    staff = make_user(session, role="finance")
    login(client, staff)
    _a, own, *_ = two_customers
    assert client.get(f"/statements/{own.id}").status_code == 403
    assert client.get("/invoices/").status_code == 403
