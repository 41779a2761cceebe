"""The main menu marks exactly the item of the page being shown."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from decimal import Decimal

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from portal.models import BankFile, BankTransaction, Direction, FollowUp, FollowUpKind, MatchStatus
from tests.factories import make_customer, make_invoice, make_user
from tests.portal.customer_helpers import make_statement
from tests.portal.finance_helpers import login

ACTIVE = re.compile(r'<li><a href="([^"]+)" aria-current="page" class="active">')


def _active(client: FlaskClient, path: str) -> list[str]:
    resp = client.get(path)
    assert resp.status_code == 200, path
    nav = resp.get_data(as_text=True).split('<nav class="mainnav"', 1)[1].split("</nav>", 1)[0]
    return ACTIVE.findall(nav)


def test_staff_menu_marks_one_banking_item_per_page(client: FlaskClient, session: Session) -> None:
    clerk = make_user(session, "finance")
    bank_file = BankFile(sha256=uuid.uuid4().hex * 2, original_name="n.csv", size=1, content=b"x")
    session.add(bank_file)
    session.flush()
    txn = BankTransaction(
        file_id=bank_file.id,
        voucher_number="RV-2096-000001",
        bank_ref="NAV1",
        booking_date=dt.date(2026, 11, 20),
        amount=Decimal("10.00"),
        direction=Direction.CREDIT,
        currency="CNY",
        match_status=MatchStatus.UNMATCHED,
        unapplied_amount=Decimal("10.00"),
    )
    task = FollowUp(
        kind=FollowUpKind.MANUAL, title="check", due_date=dt.date(2026, 11, 30), owner_id=clerk.id
    )
    session.add_all([txn, task])
    session.flush()
    login(client, clerk)
    expected = {
        "/banking/uploads": ["/banking/uploads"],
        "/banking/queue": ["/banking/queue"],
        "/banking/archive": ["/banking/archive"],
        # a transaction is opened from the review queue
        f"/banking/transactions/{txn.id}": ["/banking/queue"],
        "/followups/": ["/followups/"],
        f"/followups/{task.id}": ["/followups/"],
    }
    assert {path: _active(client, path) for path in expected} == expected


def test_customer_menu_marks_the_section(client: FlaskClient, session: Session) -> None:
    customer = make_customer(session, language="en")
    user = make_user(session, customer=customer, language="en")
    invoice = make_invoice(session, customer=customer)
    statement = make_statement(session, customer)
    login(client, user)
    expected = {
        "/": ["/"],
        "/invoices/": ["/invoices/"],
        f"/invoices/{invoice.id}": ["/invoices/"],
        f"/statements/{statement.id}": ["/statements/"],
        "/disputes/": ["/disputes/"],
    }
    assert {path: _active(client, path) for path in expected} == expected
