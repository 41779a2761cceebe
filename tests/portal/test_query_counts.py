"""No N+1: the number of SQL queries of each list page does not grow with the rows it shows.

Each case renders a page with 5 rows, adds 45 more rows (each with its own customer, owner or
statement, so a lazy load per row would show), renders it again and compares the counts.
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import pytest
from flask import current_app, template_rendered
from flask.testing import FlaskClient
from sqlalchemy import Connection, event
from sqlalchemy.orm import Session

from portal.models import (
    BankFile,
    BankTransaction,
    Customer,
    Direction,
    FollowUp,
    FollowUpKind,
    MatchStatus,
    User,
)
from portal.statements.routes import _DOCUMENTS
from tests.factories import make_customer, make_invoice, make_user
from tests.portal.customer_helpers import make_payment, make_statement, price_dispute
from tests.portal.finance_helpers import login

TODAY = dt.date.today()

Counter = Callable[[], Any]


@pytest.fixture
def count_queries(connection: Connection) -> Iterator[Callable[[], Any]]:
    """``with count_queries() as queries:`` collects the SQL the app sends (savepoints aside)."""
    listeners: list[Callable[..., None]] = []

    @contextmanager
    def counting() -> Iterator[list[str]]:
        seen: list[str] = []

        def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
                seen.append(statement)

        event.listen(connection, "before_cursor_execute", before)
        listeners.append(before)
        try:
            yield seen
        finally:
            event.remove(connection, "before_cursor_execute", before)
            listeners.remove(before)

    yield counting
    for fn in listeners:
        event.remove(connection, "before_cursor_execute", fn)


def _queries(count_queries: Counter, client: FlaskClient, path: str) -> tuple[int, str]:
    # measure the work of a page, not of its caches
    current_app.extensions.pop("concord.credit_scores", None)
    current_app.extensions.pop("concord.report_tables", None)
    current_app.extensions.pop("concord.dimension_reports", None)
    with count_queries() as seen:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(seen), response.get_data(as_text=True)


def _bank_file(session: Session) -> BankFile:
    bank_file = BankFile(sha256=uuid.uuid4().hex * 2, original_name="b.csv", size=1, content=b"x")
    session.add(bank_file)
    session.flush()
    return bank_file


def add_unmatched(session: Session, n: int) -> list[str]:
    """``n`` unmatched receipts, each suggested for another customer."""
    bank_file = _bank_file(session)
    refs = []
    for _ in range(n):
        customer = make_customer(session)
        ref = f"UM{uuid.uuid4().hex[:10]}"
        session.add(
            BankTransaction(
                file_id=bank_file.id,
                voucher_number=f"RV-Q-{ref}",
                bank_ref=ref,
                booking_date=TODAY - dt.timedelta(days=2),
                amount=Decimal("321.00"),
                direction=Direction.CREDIT,
                currency="CNY",
                payer_name=customer.name,
                customer_id=customer.id,
                match_status=MatchStatus.UNMATCHED,
                unapplied_amount=Decimal("321.00"),
            )
        )
        refs.append(f"RV-Q-{ref}")
    session.flush()
    return refs


def add_matched(session: Session, n: int) -> list[str]:
    """``n`` receipts applied to an invoice of their own customer."""
    vouchers = []
    for _ in range(n):
        customer = make_customer(session)
        invoice = make_invoice(session, customer, amount="500.00")
        tx = make_payment(session, customer, [(invoice, "500.00")], booking_date=TODAY)
        vouchers.append(tx.voucher_number)
    return vouchers


def add_followups(session: Session, n: int, owner: User) -> list[str]:
    titles = []
    for _ in range(n):
        customer = make_customer(session)
        invoice = make_invoice(session, customer)
        title = f"Call {customer.code}"
        session.add(
            FollowUp(
                kind=FollowUpKind.DUNNING_CALL,
                title=title,
                due_date=TODAY,
                owner_id=make_user(session, "sales").id,
                customer_id=customer.id,
                invoice_id=invoice.id,
                created_by_id=owner.id,
            )
        )
        titles.append(customer.code)
    session.flush()
    return titles


def add_disputes(session: Session, n: int) -> list[str]:
    numbers = []
    for _ in range(n):
        customer = make_customer(session)
        user = make_user(session, "customer", customer=customer)
        invoice = make_invoice(session, customer)
        statement = make_statement(session, customer, [invoice])
        number = f"D-{uuid.uuid4().hex[:8]}"
        session.add(
            price_dispute(
                statement,
                invoice,
                user,
                number=number,
                assigned_to_id=make_user(session, "finance").id,
            )
        )
        numbers.append(number)
    session.flush()
    return numbers


def add_customers_with_invoices(session: Session, n: int) -> list[str]:
    codes = []
    for i in range(n):
        customer = make_customer(session, credit_limit=Decimal("1000.00"))
        make_invoice(session, customer, amount="700.00", issue_date=TODAY - dt.timedelta(days=90))
        paid = make_invoice(
            session, customer, amount="300.00", issue_date=TODAY - dt.timedelta(days=60)
        )
        if i % 2:
            make_payment(session, customer, [(paid, "300.00")], booking_date=TODAY)
        codes.append(customer.code)
    return codes


def add_invoices_to_find(session: Session, n: int) -> list[str]:
    customer = make_customer(session)
    return [
        make_invoice(session, customer, number=f"INV-FIND-{next(_find):05d}").number
        for _ in range(n)
    ]


_find = itertools.count(1)


@pytest.fixture
def finance(session: Session) -> User:
    return make_user(session, "finance", language="en")


STAFF_PAGES: dict[str, tuple[str, Callable[[Session, int, User], list[str]]]] = {
    "review queue": ("/banking/queue?status=unmatched", lambda s, n, u: add_unmatched(s, n)),
    "receipt archive": ("/banking/archive", lambda s, n, u: add_matched(s, n)),
    "follow-ups": ("/followups/?view=all", add_followups),
    "disputes": ("/staff/disputes/", lambda s, n, u: add_disputes(s, n)),
    "credit": ("/credit/", lambda s, n, u: add_customers_with_invoices(s, n)),
    "reports": ("/reports/", lambda s, n, u: add_customers_with_invoices(s, n)),
    "customers": ("/staff/customers", lambda s, n, u: add_customers_with_invoices(s, n)),
    "invoice search": (
        "/staff/customers/invoices?q=INV-FIND",
        lambda s, n, u: add_invoices_to_find(s, n),
    ),
    "reports by customer": (
        "/reports/by-dimension?dimension=customer",
        lambda s, n, u: add_customers_with_invoices(s, n),
    ),
}


@pytest.mark.parametrize("page", sorted(STAFF_PAGES))
def test_staff_list_page_queries_do_not_grow_with_rows(
    page: str,
    session: Session,
    client: FlaskClient,
    finance: User,
    count_queries: Counter,
) -> None:
    path, add = STAFF_PAGES[page]
    first = add(session, 5, finance)
    login(client, finance)
    client.get(path)  # first request: per-process caches filled
    few, html = _queries(count_queries, client, path)
    assert all(marker in html for marker in first)
    more = add(session, 45, finance)
    many, html = _queries(count_queries, client, path)
    shown = sum(marker in html for marker in first + more)
    assert shown >= 20, f"{page}: only {shown} of 50 rows shown"
    assert many == few, f"{page}: {few} queries for 5 rows, {many} for {shown}"


@pytest.mark.parametrize("path", ["/reports/effectiveness", "/reports/forecast"])
def test_report_summaries_do_not_grow_with_customers(
    path: str, session: Session, client: FlaskClient, finance: User, count_queries: Counter
) -> None:
    add_customers_with_invoices(session, 5)
    login(client, finance)
    few, _html = _queries(count_queries, client, path)
    add_customers_with_invoices(session, 45)
    many, _html = _queries(count_queries, client, path)
    assert many == few, f"{path}: {few} queries with 5 customers, {many} with 50"


def _customer_with_invoices(session: Session, customer: Customer, n: int) -> list[Any]:
    return [
        make_invoice(
            session, customer, amount=f"{100 + i}.00", issue_date=TODAY - dt.timedelta(days=40 + i)
        )
        for i in range(n)
    ]


@pytest.mark.parametrize("path", ["/", "/invoices/", "/payments/", "/statements/{statement}"])
def test_customer_page_queries_do_not_grow_with_rows(
    path: str, session: Session, client: FlaskClient, count_queries: Counter
) -> None:
    customer = make_customer(session, language="en")
    user = make_user(session, "customer", customer=customer, language="en")
    invoices = _customer_with_invoices(session, customer, 5)
    for invoice in invoices[:2]:
        make_payment(session, customer, [(invoice, "50.00")], booking_date=TODAY)
    statement = make_statement(session, customer, invoices)
    login(client, user)
    url = path.format(statement=statement.id)
    client.get(url)
    _DOCUMENTS.clear()  # the statement's lines are rendered (and loaded) in the measured request
    few, html = _queries(count_queries, client, url)
    assert invoices[0].number in html
    more = _customer_with_invoices(session, customer, 45)
    for invoice in more[:20]:
        make_payment(session, customer, [(invoice, "50.00")], booking_date=TODAY)
    # an issued statement never changes: the 50-line one is the next period's
    bigger = make_statement(
        session, customer, invoices + more, period=(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    )
    url = path.format(statement=bigger.id)
    client.get(url)  # the first view is recorded (a write), as it was for the small one
    _DOCUMENTS.clear()
    many, html = _queries(count_queries, client, url)
    if path != "/":  # the home page shows the latest few invoices, whatever the total
        assert sum(i.number in html for i in invoices + more) >= 20
    assert many == few, f"{url}: {few} queries with 5 rows, {many} with 50"


def test_statement_document_is_rendered_once(session: Session, client: FlaskClient) -> None:
    customer = make_customer(session, language="en")
    user = make_user(session, "customer", customer=customer, language="en")
    statement = make_statement(session, customer)
    login(client, user)
    _DOCUMENTS.clear()
    rendered: list[str] = []

    def record(_app: Any, template: Any, **_kw: Any) -> None:
        rendered.append(template.name)

    with template_rendered.connected_to(record):
        html = client.get(f"/statements/{statement.id}").get_data(as_text=True)
        html_again = client.get(f"/statements/{statement.id}").get_data(as_text=True)
        assert html_again == html
        assert rendered.count("statements/_document.html") == 1
        customer.name = "Renamed by the ERP Ltd."
        session.flush()
        renamed = client.get(f"/statements/{statement.id}").get_data(as_text=True)
        assert "Renamed by the ERP Ltd." in renamed
        assert rendered.count("statements/_document.html") == 2


def test_credit_scores_are_kept_until_something_changes(
    session: Session, client: FlaskClient, finance: User, count_queries: Counter
) -> None:
    customer = make_customer(session, credit_limit=Decimal("5000.00"), language="en")
    make_invoice(session, customer, amount="1234.00", issue_date=TODAY - dt.timedelta(days=90))
    login(client, finance)
    assert "1,234.00" in client.get("/credit/").get_data(as_text=True)
    with count_queries() as seen:
        client.get("/credit/")
    assert not any("invoices.due_date" in q for q in seen)  # scores from the cache
    make_invoice(session, customer, amount="100.00", issue_date=TODAY - dt.timedelta(days=80))
    assert "1,334.00" in client.get("/credit/").get_data(as_text=True)
    response = client.post(f"/credit/customers/{customer.id}/limit", data={"limit": "777.00"})
    assert response.status_code == 302
    assert 'value="777.00"' in client.get("/credit/").get_data(as_text=True)
