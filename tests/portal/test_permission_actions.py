"""The permission table's rows for sales and auditors, taken with real forms (issue 14).

``test_permissions.py`` sweeps every route with empty requests and checks 403 against the
table; here each write the table gives sales is made with a filled-in form and must take
effect, and the same forms from an auditor are refused and change nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.disputes import service as disputes
from portal.models import (
    CaseEvent,
    CollectionCase,
    CreditLimitRequest,
    CustomerNote,
    Dispute,
    DisputeMessage,
    DisputeReason,
    User,
)
from portal.permissions import Action, Principal, allows
from tests.factories import make_customer, make_user
from tests.portal.customer_helpers import login, make_statement


@pytest.fixture
def world(session: Session) -> dict[str, Any]:
    customer = make_customer(session, language="en")
    buyer = make_user(session, customer=customer, language="en")
    statement = make_statement(session, customer)
    claim = disputes.LineClaim(statement.lines[0], DisputeReason.PRICE, Decimal("100.00"), "price")
    dispute = disputes.open_disputes(session, statement, buyer, [claim], max_bytes=10_000)[0]
    case = CollectionCase(customer_id=customer.id, currency="CNY", opened_on=dt.date.today())
    session.add(case)
    session.commit()
    return {"customer": customer, "dispute": dispute, "case": case}


def _writes(world: dict[str, Any]) -> list[tuple[Action, str, dict[str, str], Any]]:
    """(action, url, form, what it adds) for each write the table gives sales."""
    customer, dispute, case = world["customer"], world["dispute"], world["case"]
    until = (dt.date.today() + dt.timedelta(days=60)).isoformat()
    return [
        (
            Action.DISPUTES_DISCUSS,
            f"/staff/disputes/{dispute.id}/message",
            {"msg-body": "We are checking the price with the warehouse."},
            select(func.count(DisputeMessage.id)).where(DisputeMessage.dispute_id == dispute.id),
        ),
        (
            Action.FOLLOWUPS_WORK,
            f"/followups/cases/{case.id}/contact",
            {"channel": "call", "outcome": "no_answer", "note": "rang twice"},
            select(func.count(CaseEvent.id)).where(CaseEvent.case_id == case.id),
        ),
        (
            Action.CUSTOMERS_NOTE,
            f"/staff/customers/{customer.id}/notes",
            {"body": "Customer asked for copies of the October invoices."},
            select(func.count(CustomerNote.id)).where(CustomerNote.customer_id == customer.id),
        ),
        (
            Action.CREDIT_REQUEST,
            f"/credit/customers/{customer.id}/requests",
            {"currency": "CNY", "amount": "900000.00", "valid_until": until, "reason": "big order"},
            select(func.count(CreditLimitRequest.id)).where(
                CreditLimitRequest.customer_id == customer.id
            ),
        ),
    ]


@pytest.mark.parametrize("role", ["sales", "auditor"])
def test_what_the_table_lets_sales_write_works_and_auditors_are_refused(
    client: FlaskClient, session: Session, world: dict[str, Any], role: str
) -> None:
    user: User = make_user(session, role, language="en")
    session.commit()
    assert login(client, user).status_code == 302
    for action, url, form, count in _writes(world):
        allowed = allows(Principal(role), action)
        assert allowed is (role == "sales"), f"the table changed for {role} {action}"
        before = session.scalar(count)
        resp = client.post(url, data=form)
        session.expire_all()
        after = session.scalar(count)
        if allowed:
            assert resp.status_code == 302, (url, resp.status_code)
            assert after == (before or 0) + 1, f"{role} {action}: {url} changed nothing"
        else:
            assert resp.status_code == 403, (url, resp.status_code)
            assert after == before, f"{role} {action}: {url} changed something"


@pytest.mark.parametrize(
    ("action", "path"),
    [
        (Action.DISPUTES_DECIDE, "/staff/disputes/{dispute}/accept"),
        (Action.DISPUTES_DECIDE, "/staff/disputes/{dispute}/reject"),
        (Action.CREDIT_SET_LIMIT, "/credit/customers/{customer}/hold"),
        (Action.CREDIT_SET_LIMIT, "/credit/customers/{customer}/limit"),
        (Action.CUSTOMERS_MANAGE, "/staff/customers/{customer}/contacts"),
        (Action.COLLECTIONS_APPROVE, "/followups/cases/{case}/legal"),
    ],
)
def test_what_the_table_denies_sales_is_refused_with_a_filled_in_form(
    client: FlaskClient, session: Session, world: dict[str, Any], action: Action, path: str
) -> None:
    assert not allows(Principal.SALES, action)
    sales = make_user(session, "sales", language="en")
    finance = make_user(session, "finance", language="en")
    session.commit()
    login(client, sales)
    dispute: Dispute = world["dispute"]
    url = path.format(dispute=dispute.id, customer=world["customer"].id, case=world["case"].id)
    form = {
        "amount": "100.00",
        "reason": "a reason",
        "limit": "1000.00",
        "name": "Ann",
        "email": "ann@example.com",
        "approver": str(finance.id),
        "hold": "y",
    }
    assert client.post(url, data=form).status_code == 403
    session.expire_all()
    assert session.get(Dispute, dispute.id).status is dispute.status  # type: ignore[union-attr]
