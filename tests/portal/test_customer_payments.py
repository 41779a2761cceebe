"""The customer's payments page (付款记录) and its download: every receipt of their company."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from portal import ledger
from portal.models import Allocation, AllocationKind, AllocationMethod, Customer, User
from tests.factories import make_customer, make_invoice, make_user
from tests.portal.customer_helpers import login, make_payment


def _text(resp: Any) -> str:
    assert resp.status_code == 200, resp.status_code
    return str(resp.get_data(as_text=True))


def _csv(resp: Any) -> list[dict[str, str]]:
    assert resp.status_code == 200, resp.status_code
    assert resp.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(resp.get_data(as_text=True).lstrip("\ufeff"))))


@pytest.fixture
def company(session: Session) -> tuple[Customer, User]:
    customer = make_customer(session, language="en")
    return customer, make_user(session, customer=customer, language="en")


def test_page_lists_receipts_with_invoices_paid_and_money_held(
    client: FlaskClient, session: Session, company: tuple[Customer, User]
) -> None:
    customer, user = company
    a = make_invoice(session, customer=customer, amount="1000.00", number="INV-PAY-A")
    b = make_invoice(session, customer=customer, amount="800.00", number="INV-PAY-B")
    split = make_payment(
        session, customer, [(a, "600.00"), (b, "300.00")], amount="1000.00"
    )  # 100.00 left over
    ledger.on_account(session, split, customer, Decimal("40.00"), actor="finance@test")
    waiting = make_payment(session, customer, [], amount="75.50", booking_date=dt.date(2026, 11, 3))
    login(client, user)
    html = _text(client.get("/payments/"))
    row = re.search(rf'<tr id="payment-{split.id}">(.*?)</tr>', html, re.S)
    assert row is not None
    cells = row.group(1)
    assert split.voucher_number in cells and split.bank_ref in cells
    assert "CN¥1,000.00" in cells
    assert "INV-PAY-A</a> CN¥600.00" in cells and "INV-PAY-B</a> CN¥300.00" in cells
    assert f'href="/invoices/{a.id}"' in cells
    assert "CN¥40.00" in cells  # held on account
    assert "Received, not yet applied: CN¥60.00" in cells
    other = re.search(rf'<tr id="payment-{waiting.id}">(.*?)</tr>', html, re.S)
    assert other is not None and "Received, not yet applied: CN¥75.50" in other.group(1)
    # newest first
    assert html.index(f"payment-{waiting.id}") < html.index(f"payment-{split.id}")
    assert "2 payments" in html


def test_amounts_show_the_currencys_decimals(client: FlaskClient, session: Session) -> None:
    customer = make_customer(session, language="en", currency="KWD")
    user = make_user(session, customer=customer, language="en")
    inv = make_invoice(session, customer=customer, amount="30.250", currency="KWD")
    make_payment(session, customer, [(inv, "20.125")], amount="20.125")
    login(client, user)
    html = _text(client.get("/payments/"))
    assert "KWD20.125" in html
    rows = _csv(client.get("/payments/export.csv"))
    assert rows[0]["amount"] == "20.125" and rows[0]["paid_invoices"] == f"{inv.number} 20.125"


def test_a_payment_applied_twice_to_one_invoice_is_one_line_and_reversals_are_left_out(
    client: FlaskClient, session: Session, company: tuple[Customer, User]
) -> None:
    customer, user = company
    inv = make_invoice(session, customer=customer, amount="900.00", number="INV-TWICE")
    gone = make_invoice(session, customer=customer, amount="900.00", number="INV-REVERSED")
    tx = make_payment(session, customer, [(inv, "100.00"), (inv, "150.00")], amount="500.00")
    entry = ledger.apply(
        session, tx, gone, Decimal("200.00"), actor="x", method=AllocationMethod.MANUAL
    )
    ledger.reverse(session, entry, "wrong invoice", actor="finance@test")
    login(client, user)
    html = _text(client.get("/payments/"))
    assert "INV-TWICE</a> CN¥250.00" in html
    assert "INV-REVERSED" not in html
    rows = _csv(client.get("/payments/export.csv"))
    assert rows[0]["paid_invoices"] == "INV-TWICE 250.00"
    assert rows[0]["paid_total"] == "250.00" and rows[0]["unapplied"] == "250.00"


def test_pages_and_date_range(
    client: FlaskClient, session: Session, company: tuple[Customer, User]
) -> None:
    customer, user = company
    start = dt.date(2025, 1, 1)
    vouchers = [
        make_payment(
            session, customer, [], amount=f"{100 + i}.00", booking_date=start + dt.timedelta(days=i)
        ).voucher_number
        for i in range(30)
    ]
    login(client, user)
    page1 = _text(client.get("/payments/"))
    page2 = _text(client.get("/payments/?page=2"))
    shown = r"(RV-T-[^<]+)<br>"
    assert re.findall(shown, page1) == vouchers[::-1][:25]
    assert re.findall(shown, page2) == vouchers[::-1][25:]
    assert "Page 1 of 2" in page1 and 'href="/payments/?page=2" rel="next"' in page1
    ranged = _text(client.get("/payments/?date_from=2025-01-05&date_to=2025-01-09"))
    assert re.findall(shown, ranged) == vouchers[4:9][::-1]
    assert "5 payments" in ranged and "Page 1 of" not in ranged
    # the download links keep the range
    assert 'href="/payments/export.csv?date_from=2025-01-05&amp;date_to=2025-01-09"' in ranged
    # a date that cannot be read is no filter (and says so), the other date still counts
    odd = _text(client.get("/payments/?date_from=yesterday&date_to=2025-01-02"))
    assert re.findall(shown, odd) == vouchers[:2][::-1]
    assert 'aria-invalid="true"' in odd
    assert "No payments in these dates" in _text(client.get("/payments/?date_from=2030-01-01"))


def test_download_has_the_rows_of_the_whole_range(
    client: FlaskClient, session: Session, company: tuple[Customer, User]
) -> None:
    customer, user = company
    inv = make_invoice(session, customer=customer, amount="5000.00", number="INV-DL")
    for i in range(30):
        make_payment(
            session,
            customer,
            [(inv, "10.00")] if i == 3 else [],
            amount="10.00",
            booking_date=dt.date(2025, 3, 1) + dt.timedelta(days=i),
        )
    login(client, user)
    everything = _csv(client.get("/payments/export.csv"))
    assert len(everything) == 30  # every page, not the one shown
    assert list(everything[0]) == [
        "booking_date",
        "voucher",
        "bank_ref",
        "amount",
        "currency",
        "paid_invoices",
        "paid_total",
        "written_off",
        "on_account",
        "unapplied",
    ]
    ranged = _csv(client.get("/payments/export.csv?date_from=2025-03-03&date_to=2025-03-05"))
    assert [r["booking_date"] for r in ranged] == ["2025-03-05", "2025-03-04", "2025-03-03"]
    assert ranged[1]["paid_invoices"] == "INV-DL 10.00" and ranged[1]["currency"] == "CNY"
    resp = client.get("/payments/export.xlsx?date_from=2025-03-03&date_to=2025-03-05")
    assert resp.status_code == 200 and "attachment" in resp.headers["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(resp.data)).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:4] == ("Booking date", "Voucher", "Bank reference", "Amount")
    assert len(values) == 4 and values[2][5] == "INV-DL 10.00"
    assert values[2][3] == Decimal("10.00") or values[2][3] == 10


@pytest.fixture
def two_companies(session: Session) -> dict[str, Any]:
    """Company A (signed in) and company B, each with a receipt on its own invoice."""
    a = make_customer(session, language="en")
    user_a = make_user(session, customer=a, language="en")
    inv_a = make_invoice(session, customer=a, amount="500.00", number="INV-OF-A")
    tx_a = make_payment(session, a, [(inv_a, "500.00")])
    b = make_customer(session, language="en")
    inv_b = make_invoice(session, customer=b, amount="999.00", number="INV-OF-B")
    tx_b = make_payment(session, b, [(inv_b, "333.00")], amount="444.00")
    ledger.on_account(session, tx_b, b, Decimal("111.00"), actor="finance@test")
    return {"a": a, "user_a": user_a, "tx_a": tx_a, "b": b, "inv_b": inv_b, "tx_b": tx_b}


def test_a_customer_sees_only_their_own_receipts_whatever_they_ask(
    client: FlaskClient, two_companies: dict[str, Any]
) -> None:
    w = two_companies
    b, tx_b, inv_b = w["b"], w["tx_b"], w["inv_b"]
    login(client, w["user_a"])
    secrets = (tx_b.voucher_number, tx_b.bank_ref, inv_b.number, "444.00", "111.00")
    guesses = [
        "",
        f"?customer_id={b.id}",
        f"?customer={b.id}&customer={b.code}",
        f"?id={tx_b.id}&txn_id={tx_b.id}&transaction={tx_b.id}",
        f"?page=2&customer_id={b.id}",
        f"?date_from=2000-01-01&date_to=2100-01-01&customer_id={b.id}",
        f"?invoice_id={inv_b.id}&voucher={tx_b.voucher_number}",
    ]
    for query in guesses:
        # the page's content (the language switch repeats the address asked for)
        html = _text(client.get(f"/payments/{query}")).split('<main id="main"')[1]
        html = html.split("</main>")[0]
        assert w["tx_a"].voucher_number in html, query
        for secret in secrets:
            assert secret not in html, (query, secret)
        for fmt in ("csv", "xlsx"):
            resp = client.get(f"/payments/export.{fmt}{query}")
            assert resp.status_code == 200
            body = (
                resp.get_data(as_text=True)
                if fmt == "csv"
                else str(list(openpyxl.load_workbook(io.BytesIO(resp.data)).active.values))  # type: ignore[union-attr]
            )
            assert w["tx_a"].voucher_number in body, (fmt, query)
            for secret in secrets:
                assert secret not in body, (fmt, query, secret)


def test_another_companys_ledger_record_on_a_receipt_never_shows(
    client: FlaskClient, session: Session, two_companies: dict[str, Any]
) -> None:
    """Should a record of company B ever hang on A's receipt, A still does not see B's invoice."""
    w = two_companies
    session.add(
        Allocation(
            transaction_id=w["tx_a"].id,
            invoice_id=w["inv_b"].id,
            customer_id=w["b"].id,
            kind=AllocationKind.PAYMENT,
            amount=Decimal("1.00"),
            currency="CNY",
            method=AllocationMethod.MANUAL,
        )
    )
    session.flush()
    login(client, w["user_a"])
    assert w["inv_b"].number not in _text(client.get("/payments/"))
    assert w["inv_b"].number not in client.get("/payments/export.csv").get_data(as_text=True)


def test_staff_and_visitors_cannot_open_it(
    client: FlaskClient, session: Session, two_companies: dict[str, Any]
) -> None:
    for path in ("/payments/", "/payments/export.csv", "/payments/export.xlsx"):
        resp = client.get(path)
        assert resp.status_code == 302 and resp.headers["Location"].startswith("/login")
    login(client, make_user(session, role="finance"))
    for path in ("/payments/", "/payments/export.csv"):
        assert client.get(path).status_code == 403
    assert client.get("/payments/export.pdf").status_code == 404


def test_menu_and_home_card_link_to_it_in_chinese(client: FlaskClient, session: Session) -> None:
    customer = make_customer(session, language="zh")
    user = make_user(session, customer=customer, language="zh")
    login(client, user)
    home = _text(client.get("/"))
    assert re.search(r'<a [^>]*href="/payments/"[^>]*>付款记录</a>', home), "menu"
    assert '<a href="/payments/" id="all-payments">全部付款记录</a>' in home
    page = _text(client.get("/payments/"))
    assert "<h1>付款记录</h1>" in page and "暂无付款" in page
