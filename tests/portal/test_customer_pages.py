"""The customer's overview, invoices and statements pages."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from portal.home.service import aging, overview
from portal.models import StatementStatus
from tests.factories import make_customer, make_invoice, make_user
from tests.portal.customer_helpers import login, make_payment, make_statement


def _text(resp) -> str:  # type: ignore[no-untyped-def]
    assert resp.status_code == 200, resp.status_code
    return resp.get_data(as_text=True)


def test_overview_figures(session: Session):
    customer = make_customer(session, credit_limit=Decimal("10000.00"))
    today = dt.date(2026, 11, 26)
    make_invoice(
        session, customer=customer, amount="1000.00", issue_date=dt.date(2026, 11, 20)
    )  # not due
    make_invoice(
        session,
        customer=customer,
        amount="2000.00",
        open_amount="500.00",
        issue_date=dt.date(2026, 9, 1),
        due_date=dt.date(2026, 10, 1),
    )  # 56 days late
    make_invoice(
        session,
        customer=customer,
        amount="300.00",
        issue_date=dt.date(2026, 6, 1),
        due_date=dt.date(2026, 7, 1),
    )  # 148 days late
    make_invoice(session, customer=customer, amount="999.00", open_amount="0")  # paid
    data = overview(session, customer, today)
    assert data.balance == Decimal("1800.00")
    assert data.overdue == Decimal("800.00")
    assert data.overdue_count == 2
    assert data.available_credit == Decimal("8200.00")
    assert {b.key: b.amount for b in data.aging} == {
        "current": Decimal("1000.00"),
        "1_30": 0,
        "31_60": Decimal("500.00"),
        "61_90": 0,
        "90_plus": Decimal("300.00"),
    }


def test_aging_bucket_edges(session: Session):
    customer = make_customer(session)
    today = dt.date(2026, 11, 26)
    invs = [
        make_invoice(
            session,
            customer=customer,
            amount="1",
            issue_date=today - dt.timedelta(days=100),
            due_date=today - dt.timedelta(days=d),
        )
        for d in (0, 1, 30, 31, 90, 91)
    ]
    counts = [b.count for b in aging(invs, today)]
    assert counts == [1, 2, 1, 1, 1]


def test_home_page_shows_balance_chart_cta_and_payments(client: FlaskClient, session: Session):
    customer = make_customer(session, credit_limit=Decimal("50000.00"))
    user = make_user(session, customer=customer, language="en")
    inv = make_invoice(
        session, customer=customer, amount="1200.00", issue_date=dt.date(2026, 10, 1)
    )
    make_payment(session, customer, [(inv, "700.00")], amount="750.00")
    statement = make_statement(session, customer)
    login(client, user)
    html = _text(client.get("/"))
    # drawn for a wide screen and, one row per bucket, for a phone
    assert '<svg class="chart chart-wide"' in html and '<svg class="chart chart-narrow"' in html
    assert f"/statements/{statement.id}/confirm" in html
    assert "CN¥" in html or "¥" in html
    assert "Applied to" in html and inv.number in html
    assert re.search(r"Balance due</div>\s*<div class=\"kpi-value\">CN¥2,500\.50", html), html


def test_home_page_empty_state(client: FlaskClient, session: Session):
    user = make_user(session, language="en")
    login(client, user)
    html = _text(client.get("/"))
    assert "Nothing open" in html and "No payments yet" in html
    assert "waiting for your confirmation" not in html


def test_invoice_filters_and_pagination(client: FlaskClient, session: Session):
    customer = make_customer(session)
    user = make_user(session, customer=customer, language="en")
    today = dt.date.today()
    overdue = make_invoice(
        session,
        customer=customer,
        number="INV-OVERDUE",
        issue_date=today - dt.timedelta(days=90),
        due_date=today - dt.timedelta(days=60),
    )
    paid = make_invoice(session, customer=customer, number="INV-PAID", open_amount="0")
    current = make_invoice(
        session,
        customer=customer,
        number="INV-CURRENT",
        issue_date=today,
        due_date=today + dt.timedelta(days=30),
    )
    other = make_invoice(session, number="INV-OTHER-CUSTOMER")
    login(client, user)
    all_html = _text(client.get("/invoices/"))
    assert all(i.number in all_html for i in (overdue, paid, current))
    assert other.number not in all_html
    open_html = _text(client.get("/invoices/?filter=open"))
    assert "INV-OVERDUE" in open_html and "INV-CURRENT" in open_html and "INV-PAID" not in open_html
    overdue_html = _text(client.get("/invoices/?filter=overdue"))
    assert "INV-OVERDUE" in overdue_html and "INV-CURRENT" not in overdue_html
    paid_html = _text(client.get("/invoices/?filter=paid"))
    assert "INV-PAID" in paid_html and "INV-OVERDUE" not in paid_html
    assert "No invoice matches" in _text(client.get("/invoices/?filter=disputed"))

    for i in range(25):
        make_invoice(
            session,
            customer=customer,
            number=f"INV-PAGE-{i:03d}",
            issue_date=dt.date(2020, 1, 1) + dt.timedelta(days=i),
        )
    page1 = _text(client.get("/invoices/"))
    page2 = _text(client.get("/invoices/?page=2"))
    assert "Page 1 of 2" in page1 and "Page 2 of 2" in page2
    rows1 = set(re.findall(r"INV-PAGE-\d{3}", page1))
    rows2 = set(re.findall(r"INV-PAGE-\d{3}", page2))
    assert len(rows1 | rows2) == 25 and not rows1 & rows2


def test_invoice_detail_shows_allocations(client: FlaskClient, session: Session):
    customer = make_customer(session)
    user = make_user(session, customer=customer, language="en")
    inv = make_invoice(session, customer=customer, amount="1000.00")
    tx = make_payment(session, customer, [(inv, "400.00")])
    login(client, user)
    html = _text(client.get(f"/invoices/{inv.id}"))
    assert tx.voucher_number in html
    assert "CN¥400.00" in html and "CN¥600.00" in html  # applied, still open
    assert "Partly paid" in html


def test_statements_list_and_view(client: FlaskClient, session: Session):
    customer = make_customer(session)
    user = make_user(session, customer=customer, language="en")
    old = make_statement(
        session,
        customer,
        status=StatementStatus.SUPERSEDED,
        period=(dt.date(2026, 9, 1), dt.date(2026, 9, 30)),
    )
    new = make_statement(session, customer)
    login(client, user)
    html = _text(client.get("/statements/"))
    assert old.number in html and new.number in html
    assert "Superseded" in html and "Awaiting confirmation" in html
    assert html.index(new.number) < html.index(old.number)  # newest period first
    view = _text(client.get(f"/statements/{new.id}"))
    for line in new.lines:
        assert line.document in view
    assert "Review and confirm" in view
    assert "Review and confirm" not in _text(client.get(f"/statements/{old.id}"))


def _monthly_statements(session: Session, customer, count: int) -> list[str]:  # type: ignore[no-untyped-def]
    """``count`` statements, one a month from January 2024; their numbers, oldest first."""
    numbers = []
    for n in range(count):
        start = dt.date(2024 + n // 12, n % 12 + 1, 1)
        period = (start, start + dt.timedelta(days=27))
        numbers.append(make_statement(session, customer, [], period=period).number)
    return numbers


def test_statements_list_pages_newest_first(client: FlaskClient, session: Session):
    customer = make_customer(session)
    login(client, make_user(session, customer=customer, language="en"))
    numbers = _monthly_statements(session, customer, 23)
    page1 = _text(client.get("/statements/"))
    page2 = _text(client.get("/statements/?page=2"))
    shown = r">(ST-T-[^<]+)</a>"
    assert re.findall(shown, page1) == numbers[::-1][:20]
    assert re.findall(shown, page2) == numbers[::-1][20:]
    assert "Page 1 of 2" in page1 and 'href="/statements/?page=2" rel="next"' in page1
    assert 'href="/statements/?page=1" rel="prev"' in page2


@pytest.mark.parametrize("number", ["0", "-1", "x", "99999999999999999999"])
def test_statements_list_takes_any_page_number(client: FlaskClient, session: Session, number: str):
    customer = make_customer(session)
    login(client, make_user(session, customer=customer, language="en"))
    numbers = _monthly_statements(session, customer, 21)
    html = _text(client.get(f"/statements/?page={number}"))
    # page 1: a number out of the database's range is no number (portal.hardening)
    assert numbers[-1] in html and numbers[0] not in html


def test_statements_empty_state_in_chinese(client: FlaskClient, session: Session):
    user = make_user(session, language="zh")
    login(client, user)
    html = _text(client.get("/statements/"))
    assert "暂无对账单" in html


def test_aging_chart_scales_bars_to_the_largest(session: Session):
    from portal.home.charts import BOTTOM, HEIGHT, ROW, TOP, aging_chart

    customer = make_customer(session)
    today = dt.date(2026, 11, 26)
    make_invoice(session, customer=customer, amount="400.00", issue_date=today)
    make_invoice(
        session,
        customer=customer,
        amount="100.00",
        issue_date=dt.date(2026, 9, 1),
        due_date=dt.date(2026, 10, 1),
    )
    chart = aging_chart(overview(session, customer, today))
    heights = {b.key: b.height for b in chart.bars}
    assert heights["current"] == HEIGHT - TOP - BOTTOM
    assert heights["31_60"] == pytest.approx((HEIGHT - TOP - BOTTOM) / 4, abs=0.1)
    assert heights["1_30"] == heights["61_90"] == heights["90_plus"] == 0
    # the phone's rows: the largest bar across the whole width, a quarter of it a quarter
    rows = {b.key: b.row_width for b in chart.bars}
    assert rows["current"] == chart.narrow_width and rows["31_60"] == chart.narrow_width / 4
    assert rows["1_30"] == 0 and chart.narrow_height == len(chart.bars) * ROW
    assert not chart.empty
    assert aging_chart(overview(session, make_customer(session), today)).empty
