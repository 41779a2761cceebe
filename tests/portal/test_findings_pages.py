"""Held invoices and ERP conflicts page through what waits and what was closed, 50 a page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from portal.models import (
    CheckStatus,
    ConflictKind,
    ConflictStatus,
    Customer,
    ImportConflict,
    InvoiceContractCheck,
)
from tests.factories import make_customer, make_invoice, make_user
from tests.portal.finance_helpers import login

AT = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)


def _held(
    session: Session, customer: Customer, prefix: str, count: int, status: CheckStatus
) -> None:
    """``count`` checks of invoices ``<prefix>-001``…, the last one the newest."""
    for n in range(1, count + 1):
        invoice = make_invoice(session, customer, number=f"{prefix}-{n:03d}")
        session.add(
            InvoiceContractCheck(
                invoice=invoice,
                status=status,
                differences=[],
                reason="ok" if status is CheckStatus.CONFIRMED else None,
                updated_at=AT + dt.timedelta(minutes=n),
            )
        )
    session.flush()


def _conflicts(
    session: Session, customer: Customer, prefix: str, count: int, status: ConflictStatus
) -> None:
    """``count`` conflicts on invoices ``<prefix>-001``…, the last one the newest."""
    for n in range(1, count + 1):
        invoice = make_invoice(session, customer, number=f"{prefix}-{n:03d}")
        session.add(
            ImportConflict(
                invoice=invoice,
                kind=ConflictKind.AMOUNT_CHANGED,
                status=status,
                reason="ok" if status is ConflictStatus.RESOLVED else None,
            )
        )
        session.flush()


def _numbers(prefix: str, first: int, last: int) -> list[str]:
    """Newest first: ``last`` down to ``first``."""
    return [f"{prefix}-{n:03d}" for n in range(last, first - 1, -1)]


def _lists(client: FlaskClient, url: str, waiting: str, closed: str) -> tuple[list[str], ...]:
    page = client.get(url).get_data(as_text=True)
    head, _sep, tail = page.partition('id="closed"')
    return re.findall(waiting + r"-\d{3}", head), re.findall(closed + r"-\d{3}", tail), [page]


@pytest.mark.parametrize(
    ("url", "make", "waiting_status", "closed_status", "anchor"),
    [
        ("/contracts/held", _held, CheckStatus.HELD, CheckStatus.CONFIRMED, "held"),
        ("/erp/conflicts", _conflicts, ConflictStatus.OPEN, ConflictStatus.RESOLVED, "conflicts"),
    ],
)
def test_waiting_and_closed_findings_page_separately(
    client: FlaskClient,
    session: Session,
    url: str,
    make: object,
    waiting_status: object,
    closed_status: object,
    anchor: str,
) -> None:
    customer = make_customer(session)
    make(session, customer, "INV-W", 55, waiting_status)  # type: ignore[operator]
    make(session, customer, "INV-C", 53, closed_status)  # type: ignore[operator]
    login(client, make_user(session, "auditor", language="en"))

    waiting, closed, (page,) = _lists(client, url, "INV-W", "INV-C")
    assert waiting == _numbers("INV-W", 6, 55)
    assert closed == _numbers("INV-C", 4, 53)
    assert page.count("Page 1 of 2") == 2 and ">53<" in page
    waiting, closed, (page,) = _lists(client, f"{url}?page=2", "INV-W", "INV-C")
    assert waiting == _numbers("INV-W", 1, 5)
    assert closed == _numbers("INV-C", 4, 53)
    # the closed list's next page keeps the waiting list on its page 2, and back
    nexts = re.findall(r'href="([^"]+)" rel="next"', page)
    assert nexts == [f"{url}?page=2&amp;closed_page=2#closed"]
    prevs = re.findall(r'href="([^"]+)" rel="prev"', page)
    assert prevs == [f"{url}?page=1#{anchor}"]
    waiting, closed, _page = _lists(client, f"{url}?page=2&closed_page=2", "INV-W", "INV-C")
    assert waiting == _numbers("INV-W", 1, 5)
    assert closed == _numbers("INV-C", 1, 3)


@pytest.mark.parametrize("number", ["0", "-1", "x", "99999999999999999999"])
def test_findings_pages_take_any_page_number(
    client: FlaskClient, session: Session, number: str
) -> None:
    customer = make_customer(session)
    _held(session, customer, "INV-W", 51, CheckStatus.HELD)
    _conflicts(session, customer, "INV-K", 51, ConflictStatus.RESOLVED)
    login(client, make_user(session, "auditor", language="en"))
    for url, seen in (("/contracts/held", "INV-W-0"), ("/erp/conflicts", "INV-K-0")):
        response = client.get(f"{url}?page={number}&closed_page={number}")
        assert response.status_code == 200, url
        assert seen in response.get_data(as_text=True)


def test_register_counts_every_held_invoice(client: FlaskClient, session: Session) -> None:
    _held(session, make_customer(session), "INV-W", 205, CheckStatus.HELD)
    login(client, make_user(session, "auditor", language="en"))
    assert "205 imported invoices differ" in client.get("/contracts/").get_data(as_text=True)
