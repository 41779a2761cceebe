"""Credit scores: days late, share late, disputes, trend, limits, grades and warnings."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from portal import ledger
from portal.credit import service
from portal.models import (
    BankFile,
    BankTransaction,
    Customer,
    Direction,
    Invoice,
    MatchStatus,
)
from tests.factories import make_customer, make_invoice, make_user
from tests.portal.finance_helpers import login

TODAY = dt.date(2026, 11, 26)
_n = iter(range(1, 10**6))


def pay(session: Session, invoice: Invoice, on: dt.date) -> None:
    """Record a bank receipt on ``on`` that settles ``invoice`` in full."""
    bank_file = BankFile(sha256=uuid.uuid4().hex * 2, original_name="p.csv", size=1, content=b"x")
    session.add(bank_file)
    session.flush()
    n = next(_n)
    t = BankTransaction(
        file_id=bank_file.id,
        voucher_number=f"RV-2097-{n:06d}",
        bank_ref=f"CR{n}",
        booking_date=on,
        amount=invoice.open_amount,
        direction=Direction.CREDIT,
        currency="CNY",
        match_status=MatchStatus.MATCHED,
        unapplied_amount=Decimal("0"),
    )
    session.add(t)
    session.flush()
    ledger.apply(session, t, invoice, invoice.open_amount, actor="test")
    session.flush()


def invoice_due(
    session: Session, customer: Customer, days_ago: int, amount: str = "1000.00"
) -> Invoice:
    due = TODAY - dt.timedelta(days=days_ago)
    return make_invoice(
        session, customer, amount=amount, issue_date=due - dt.timedelta(days=30), due_date=due
    )


def score_of(session: Session, customer: Customer) -> service.CreditScore:
    (score,) = service.score_customers(session, today=TODAY, customer_ids=[customer.id])
    return score


def test_punctual_payer_gets_a(session: Session) -> None:
    c = make_customer(session, credit_limit=Decimal("50000"))
    for days_ago in (20, 50, 80, 110, 140, 170):
        inv = invoice_due(session, c, days_ago)
        pay(session, inv, inv.due_date - dt.timedelta(days=2))
    s = score_of(session, c)
    assert (s.grade, s.avg_days_late, s.share_late, s.invoices) == ("A", 0.0, 0.0, 6)
    assert not s.warning and s.available == Decimal("50000")


def test_late_and_worsening_payer_gets_d_and_a_warning(session: Session) -> None:
    c = make_customer(session, credit_limit=Decimal("1500"))
    # three to six months ago: a few days late; last three months: 40+ days late or unpaid
    for days_ago in (100, 130, 160):
        inv = invoice_due(session, c, days_ago)
        pay(session, inv, inv.due_date + dt.timedelta(days=3))
    late = invoice_due(session, c, 80)
    pay(session, late, late.due_date + dt.timedelta(days=45))
    invoice_due(session, c, 60)  # still open: 60 days overdue
    invoice_due(session, c, 40)  # still open: 40 days overdue
    s = score_of(session, c)
    assert s.earlier_days_late == 3.0
    assert s.recent_days_late == (45 + 60 + 40) / 3
    assert s.worsening and s.over_limit and s.exposure == Decimal("2000.00")
    assert s.grade == "D" and s.warning
    assert any("getting worse" in r for r in s.reasons)
    assert any("over its credit limit by 500.00" in r for r in s.reasons)
    assert s.share_late == 1.0


def test_moderately_late_is_between(session: Session) -> None:
    c = make_customer(session)
    for i, days_ago in enumerate((30, 60, 90, 120)):
        inv = invoice_due(session, c, days_ago)
        pay(session, inv, inv.due_date + dt.timedelta(days=10 if i % 2 else 0))
    s = score_of(session, c)
    assert s.avg_days_late == 5.0 and s.share_late == 0.5
    assert s.grade in ("A", "B") and not s.worsening


def test_pages_limits_and_export(client: FlaskClient, session: Session) -> None:
    c = make_customer(session, code="CREDIT1")
    invoice_due(session, c, 70)
    login(client, make_user(session, "finance"))
    page = client.get("/credit/").get_data(as_text=True)
    assert "CREDIT1" in page
    assert "CREDIT1" not in client.get("/credit/?warnings=1").get_data(as_text=True)
    resp = client.post(f"/credit/customers/{c.id}/limit", data={"limit": "800.00"})
    assert resp.status_code == 302 and c.credit_limit == Decimal("800.00")
    # 1000 open against a limit of 800: on the warning list now
    assert "CREDIT1" in client.get("/credit/?warnings=1").get_data(as_text=True)
    csv_text = client.get("/credit/scores.csv").data.decode("utf-8-sig")
    assert "CREDIT1" in csv_text and "grade" in csv_text.splitlines()[0]
    client.post("/logout")
    login(client, make_user(session, "auditor"))
    assert client.get("/credit/").status_code == 200
    assert client.post(f"/credit/customers/{c.id}/limit", data={"limit": "1"}).status_code == 403


def test_the_list_shows_20_50_or_100_customers_a_page(
    client: FlaskClient, session: Session
) -> None:
    for i in range(25):
        make_customer(session, code=f"PAGED{i:02d}")
    login(client, make_user(session, "finance", language="en"))

    def rows(path: str) -> tuple[int, str]:
        page = client.get(path).get_data(as_text=True)
        return page.count('<tr id="score-'), page

    count, page = rows("/credit/?per_page=20")
    assert count == 20 and "Page 1 of 2" in page
    assert 'href="/credit/?page=2&amp;per_page=20"' in page  # the pager keeps the size
    assert '<strong aria-current="true">20</strong>' in page
    assert 'href="/credit/?per_page=50"' in page and 'href="/credit/?per_page=100"' in page
    assert rows("/credit/?per_page=20&page=2")[0] == 5
    # a size not offered is the usual 50
    assert rows("/credit/?per_page=7")[0] == 25 and rows("/credit/?per_page=x")[0] == 25
    assert 'href="/credit/?warnings=1&amp;per_page=20"' in rows("/credit/?per_page=20")[1]


def test_the_limit_input_takes_the_customers_decimals(
    client: FlaskClient, session: Session
) -> None:
    yen = make_customer(session, code="YENSTEP", currency="JPY")
    dinar = make_customer(session, code="KWDSTEP", currency="KWD")
    login(client, make_user(session, "finance", language="en"))
    page = client.get("/credit/").get_data(as_text=True)
    for customer, step in ((yen, "1"), (dinar, "0.001")):
        row = page.split(f'<tr id="score-{customer.id}">')[1].split("</tr>")[0]
        assert f'step="{step}"' in row
