"""Credit check for sales orders, higher limits (sales asks, finance decides), holds, the page."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import ledger
from portal.audit import record
from portal.credit import limits
from portal.models import AuditEvent, CreditLimitRequest, Customer, LimitRequestStatus
from tests.factories import make_customer, make_invoice, make_user
from tests.portal.finance_helpers import login
from tests.portal.test_ledger import receipt

D = Decimal
TOKEN = "configured-token-for-the-sales-system-0123"
TODAY = dt.date.today()


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"API_TOKENS": [TOKEN]}


def _check(client: FlaskClient, code: str, query: str) -> Any:
    return client.get(
        f"/api/v1/customers/{code}/credit-check?{query}",
        headers={"Authorization": f"Bearer {TOKEN}"},
    )


@pytest.fixture
def customer(session: Session) -> Customer:
    c = make_customer(session, code="CRD1", credit_limit=D("100000.00"))
    make_invoice(
        session,
        c,
        amount="10000.00",
        issue_date=TODAY - dt.timedelta(days=20),
        due_date=TODAY + dt.timedelta(days=10),
    )
    session.commit()
    return c


def test_allow_warn_block_against_the_limit(
    client: FlaskClient, session: Session, customer: Customer
) -> None:
    body = _check(client, "CRD1", "amount=5000&currency=CNY").json
    assert body == {
        "decision": "allow",
        "exposure": "15000.00",
        "limit": "100000.00",
        "currency": "CNY",
        "reasons": [],
    }
    warn = _check(client, "CRD1", "amount=75000.00&currency=CNY").json
    assert warn["decision"] == "warn" and [r["code"] for r in warn["reasons"]] == ["near_limit"]
    block = _check(client, "CRD1", "amount=90000.01&currency=CNY").json
    assert block["decision"] == "block" and block["exposure"] == "100000.01"
    reason = block["reasons"][0]
    assert (reason["code"], reason["level"], reason["limit_source"]) == (
        "over_limit",
        "block",
        "customer",
    )
    assert "100000.00" in reason["message"]


def test_exposure_is_the_open_amount_as_concord_knows_it(
    client: FlaskClient, session: Session, customer: Customer
) -> None:
    invoice = customer.invoices[0]
    txn = receipt(session, "4000.00")
    ledger.apply(session, txn, invoice, D("4000.00"), actor="auto-match")
    session.commit()
    # the ERP still reports 10000 open; Concord knows 4000 of it is paid
    assert invoice.erp_open_amount == D("10000.00")
    assert _check(client, "CRD1", "amount=1000&currency=CNY").json["exposure"] == "7000.00"
    # another currency has its own exposure and the grade's default limit (no invoice has
    # been due yet: grade B)
    usd = _check(client, "CRD1", "amount=1000&currency=USD").json
    assert (usd["exposure"], usd["limit"], usd["decision"]) == ("1000.00", "70000.00", "allow")


def test_hold_and_overdue_items_are_named(
    client: FlaskClient, session: Session, customer: Customer, app: Flask
) -> None:
    clerk = make_user(session, "finance")
    limits.set_hold(session, customer, hold=True, reason="cheque bounced", user=clerk)
    session.commit()
    body = _check(client, "CRD1", "amount=1&currency=CNY").json
    assert body["decision"] == "block"
    assert (
        body["reasons"][0]["code"] == "on_hold"
        and "cheque bounced" in body["reasons"][0]["message"]
    )
    limits.set_hold(session, customer, hold=False, reason="paid by wire", user=clerk)
    late = make_invoice(
        session,
        customer,
        amount="500.00",
        issue_date=TODAY - dt.timedelta(days=100),
        due_date=TODAY - dt.timedelta(days=45),
    )
    session.commit()
    body = _check(client, "CRD1", "amount=1&currency=CNY").json
    overdue = next(r for r in body["reasons"] if r["code"] == "overdue")
    assert overdue["level"] == "warn" and overdue["invoices"] == [late.number]
    app.config["CREDIT_OVERDUE_BLOCK_DAYS"] = 40
    body = _check(client, "CRD1", "amount=1&currency=CNY").json
    assert body["decision"] == "block" and any(
        r["code"] == "overdue" and r["level"] == "block" for r in body["reasons"]
    )
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.entity_id == str(customer.id))
    ).all()
    assert {"customer.hold", "customer.hold_lifted"} <= set(actions)


@pytest.mark.parametrize(
    "query",
    [
        "currency=CNY",
        "amount=abc&currency=CNY",
        "amount=-5&currency=CNY",
        "amount=1.234&currency=CNY",
        "amount=1e5&currency=CNY",
        "amount=NaN&currency=CNY",
        "amount=100",
        "amount=100&currency=cny",
        "amount=100&currency=RMB1",
        "amount=" + "9" * 40 + "&currency=CNY",
        "amount=1000.5&currency=JPY",
        "amount=1.2345&currency=KWD",
    ],
)
def test_bad_parameters_are_400(client: FlaskClient, customer: Customer, query: str) -> None:
    resp = _check(client, "CRD1", query)
    assert resp.status_code == 400 and resp.json["error"]


def test_an_order_takes_its_currencys_decimals(
    client: FlaskClient, session: Session, customer: Customer
) -> None:
    """A dinar order of 1000.125 was refused as 'an amount like 1234.56'."""
    dinars = _check(client, "CRD1", "amount=1000.125&currency=KWD")
    assert dinars.status_code == 200, dinars.json
    assert dinars.json["currency"] == "KWD" and dinars.json["exposure"] == "1000.125"
    assert _check(client, "CRD1", "amount=1000&currency=JPY").status_code == 200
    refused = _check(client, "CRD1", "amount=1.234&currency=CNY").json["error"]
    assert "CNY amounts have at most 2 decimals" in refused


def test_unknown_customer_and_no_token(client: FlaskClient, customer: Customer) -> None:
    assert _check(client, "NOPE", "amount=1&currency=CNY").status_code == 404
    resp = client.get("/api/v1/customers/CRD1/credit-check?amount=1&currency=CNY")
    assert resp.status_code == 401


def test_a_higher_limit_needs_a_second_person_and_expires(
    client: FlaskClient, session: Session, customer: Customer
) -> None:
    sales = make_user(session, "sales")
    finance = make_user(session, "finance")
    with pytest.raises(limits.CreditError, match="at most one year"):
        limits.request_limit(
            session,
            customer,
            currency="CNY",
            amount=D("300000.00"),
            valid_until=TODAY + dt.timedelta(days=400),
            reason="big order",
            user=sales,
        )
    row = limits.request_limit(
        session,
        customer,
        currency="CNY",
        amount=D("300000.00"),
        valid_until=TODAY + dt.timedelta(days=30),
        reason="tender won: 250k order",
        user=sales,
    )
    with pytest.raises(limits.CreditError, match="finance"):
        limits.decide(session, row, approve=True, user=sales)
    own = limits.request_limit(
        session,
        customer,
        currency="CNY",
        amount=D("200000.00"),
        valid_until=TODAY + dt.timedelta(days=30),
        reason="asked by finance",
        user=finance,
    )
    with pytest.raises(limits.CreditError, match="someone else"):
        limits.decide(session, own, approve=True, user=finance)
    session.commit()
    assert _check(client, "CRD1", "amount=200000&currency=CNY").json["decision"] == "block"
    limits.decide(session, row, approve=True, user=finance, note="ok until the delivery")
    session.commit()
    assert row.status is LimitRequestStatus.APPROVED and row.decided_by_id == finance.id
    body = _check(client, "CRD1", "amount=200000&currency=CNY").json
    assert (body["decision"], body["limit"]) == ("allow", "300000.00")
    # after the expiry the customer's own limit is back
    later = limits.limit_for(
        session, customer, "CNY", grade="B", today=TODAY + dt.timedelta(days=31)
    )
    assert (later.amount, later.source) == (D("100000.00"), "customer")
    with pytest.raises(limits.CreditError, match="decided already"):
        limits.decide(session, row, approve=False, user=make_user(session, "admin"), note="x")


def test_the_credit_page_shows_limit_exposure_and_history(
    client: FlaskClient, session: Session, customer: Customer
) -> None:
    sales = make_user(session, "sales")
    finance = make_user(session, "finance")
    session.commit()
    login(client, sales)
    page = client.get(f"/credit/customers/{customer.id}").get_data(as_text=True)
    assert "100,000.00" in page and "10,000.00" in page and "Ask for a higher limit" in page
    day = (TODAY + dt.timedelta(days=20)).isoformat()
    resp = client.post(
        f"/credit/customers/{customer.id}/requests",
        data={"currency": "CNY", "amount": "250000", "valid_until": day, "reason": "new line"},
    )
    assert resp.status_code == 302
    row = session.scalars(select(CreditLimitRequest)).one()
    # sales cannot decide or hold
    decide = f"/credit/requests/{row.id}/decide"
    assert client.post(decide, data={"decision": "approve"}).status_code == 403
    hold = f"/credit/customers/{customer.id}/hold"
    assert client.post(hold, data={"reason": "x"}).status_code == 403
    client.post("/logout")
    login(client, finance)
    assert client.post(decide, data={"decision": "approve", "note": "fine"}).status_code == 302
    assert client.post(hold, data={"reason": "disputed cheque"}).status_code == 302
    page = client.get(f"/credit/customers/{customer.id}").get_data(as_text=True)
    assert "250,000.00" in page and "approved higher limit" in page
    assert "Higher limit requested" in page and "Higher limit approved" in page
    assert "Put on credit hold" in page and "disputed cheque" in page
    session.expire_all()
    assert session.get(Customer, customer.id).on_hold  # type: ignore[union-attr]


def test_grade_limits_are_configurable(runner: FlaskCliRunner, session: Session) -> None:
    result = runner.invoke(args=["credit", "grade-limit", "B", "USD", "88000"])
    assert result.exit_code == 0, result.output
    assert limits.grade_limits(session)["B"]["USD"] == D("88000")
    listing = runner.invoke(args=["credit", "grade-limits"]).output
    assert "USD 88000.00" in listing
    bad = runner.invoke(args=["credit", "grade-limit", "Z", "USD", "1"])
    assert bad.exit_code == 1 and "grade" in bad.output
    # a dinar limit keeps its thousandths; a yen limit has none
    dinars = runner.invoke(args=["credit", "grade-limit", "A", "KWD", "25000.125"])
    assert dinars.exit_code == 0 and "KWD 25000.125" in dinars.output, dinars.output
    assert limits.grade_limits(session)["A"]["KWD"] == D("25000.125")
    assert "KWD 25000.125" in runner.invoke(args=["credit", "grade-limits"]).output
    yen = runner.invoke(args=["credit", "grade-limit", "A", "JPY", "1000.5"])
    assert yen.exit_code == 1 and "JPY amounts have no decimals" in yen.output


def test_a_hold_without_an_acceptable_reason_says_why_and_changes_nothing(
    client: FlaskClient, session: Session
) -> None:
    customer = make_customer(session, code="HLD1")
    login(client, make_user(session, role="finance", language="zh"))
    hold = f"/credit/customers/{customer.id}/hold"
    page = client.post(hold, data={"reason": "  "}, follow_redirects=True).get_data(as_text=True)
    assert "必须填写原因" in page
    page = client.post(hold, data={"reason": "x" * 2001}, follow_redirects=True).get_data(
        as_text=True
    )
    assert "必须填写原因" not in page and "2000" in page
    session.expire_all()
    assert not session.get(Customer, customer.id).on_hold  # type: ignore[union-attr]


def test_the_credit_page_pages_requests_and_history_separately(
    client: FlaskClient, session: Session, customer: Customer
) -> None:
    sales = make_user(session, "sales", language="en")
    for n in range(1, 24):
        session.add(
            CreditLimitRequest(
                customer_id=customer.id,
                currency="USD" if n == 1 else "CNY",
                amount=D("1000.00"),
                valid_until=TODAY,
                reason=f"ask-{n:03d}",
                requested_by_id=sales.id,
            )
        )
        session.flush()
        record(session, sales, "customer.hold", customer, reason=f"hold-{n:03d}")
    session.commit()
    login(client, sales)
    url = f"/credit/customers/{customer.id}"

    def shown(query: str) -> tuple[list[str], list[str], str]:
        page = client.get(url + query).get_data(as_text=True)
        return re.findall(r"ask-\d{3}", page), re.findall(r"hold-\d{3}", page), page

    newest = [f"{n:03d}" for n in range(23, 0, -1)]
    asks, holds, page = shown("")
    assert asks == [f"ask-{n}" for n in newest[:20]] and holds == [f"hold-{n}" for n in newest[:20]]
    assert "USD" in page  # the first request's currency is listed although on page 2
    asks, holds, page = shown("?history=2")
    assert asks == [f"ask-{n}" for n in newest[:20]] and holds == [f"hold-{n}" for n in newest[20:]]
    # the requests' next page keeps the history on its page 2
    assert f'href="{url}?history=2&amp;requests=2#requests" rel="next"' in page
    asks, holds, page = shown("?history=2&requests=2")
    assert asks == [f"ask-{n}" for n in newest[20:]]
    for number in ("0", "-1", "x", "99999999999999999999"):
        response = client.get(f"{url}?requests={number}&history={number}")
        assert response.status_code == 200 and "ask-023" in response.get_data(as_text=True)
