"""Every long list offers 20, 50 or 100 rows a page (``?per_page=``); its pager keeps the size."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask.testing import FlaskClient
from lxml import html
from sqlalchemy.orm import Session

from tests.factories import make_customer, make_user
from tests.portal.customer_helpers import make_statement
from tests.portal.finance_helpers import login
from tests.portal.test_banking_review import make_txn


@pytest.fixture
def sixty(session: Session) -> list[str]:
    """60 receipts to review, newest voucher first as the queue lists them."""
    rows = [make_txn(session, f"{100 + i}.00") for i in range(60)]
    session.commit()
    return [r.voucher_number for r in rows]


def _vouchers(page: str) -> list[str]:
    return re.findall(r"RV-2099-\d{6}", page)


def _links(page: str, rel: str = "") -> list[str]:
    """The pager's links (``rel``: only ``next`` or ``prev``)."""
    where = f"[@rel='{rel}']" if rel else ""
    return [str(h) for h in html.fromstring(page).xpath(f"//nav[@class='pager']//a{where}/@href")]


def test_the_queue_shows_the_size_asked_for_and_keeps_it(
    client: FlaskClient, session: Session, sixty: list[str]
) -> None:
    login(client, make_user(session, "finance", language="en"))
    default = client.get("/banking/queue?status=unmatched").get_data(as_text=True)
    assert len(set(_vouchers(default))) == 50
    # the sizes on offer, the current one marked
    (sizes,) = html.fromstring(default).xpath("//nav[contains(@class, 'page-sizes')]")
    assert sizes.xpath("string(.//strong)") == "50"
    assert sorted(sizes.xpath(".//a/text()")) == ["100", "20"]

    twenty = client.get("/banking/queue?status=unmatched&per_page=20").get_data(as_text=True)
    assert len(set(_vouchers(twenty))) == 20
    (next_link,) = _links(twenty, "next")
    assert "per_page=20" in next_link and "status=unmatched" in next_link and "page=2" in next_link
    second = client.get(next_link).get_data(as_text=True)
    assert set(_vouchers(second)).isdisjoint(_vouchers(twenty))
    assert len(set(_vouchers(second))) == 20

    everything = client.get("/banking/queue?status=unmatched&per_page=100").get_data(as_text=True)
    assert set(_vouchers(everything)) == set(sixty)
    assert _links(everything) == []


@pytest.mark.parametrize("asked", ["7", "100000", "-20", "abc", "0"])
def test_a_size_not_on_offer_is_the_lists_own(
    client: FlaskClient, session: Session, sixty: list[str], asked: str
) -> None:
    login(client, make_user(session, "finance", language="en"))
    resp = client.get(f"/banking/queue?status=unmatched&per_page={asked}")
    assert resp.status_code == 200
    assert len(set(_vouchers(resp.get_data(as_text=True)))) == 50


def test_a_short_list_offers_no_sizes(client: FlaskClient, session: Session) -> None:
    for i in range(3):
        make_customer(session, code=f"PS{i}")
    session.commit()
    login(client, make_user(session, "finance", language="en"))
    page = client.get("/staff/customers").get_data(as_text=True)
    assert "PS2" in page
    assert not html.fromstring(page).xpath("//nav[contains(@class, 'page-sizes')]")


def test_a_list_whose_links_keep_every_argument_takes_a_size(
    client: FlaskClient, session: Session
) -> None:
    """/audit/statements keeps every query argument in its links: ``per_page`` (and ``page``)
    among them were given twice to url_for, a 500."""
    customer = make_customer(session, code="AS1")
    for month in range(1, 23):  # 22 statements: more than the smallest page size
        start = dt.date(2025 + (month - 1) // 12, (month - 1) % 12 + 1, 1)
        end = (start + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)
        make_statement(session, customer, [], period=(start, end))
    session.commit()
    login(client, make_user(session, "finance", language="en"))
    for query in ("per_page=20", "per_page=50", "per_page=20&page=2", "per_page=+", "page=2"):
        resp = client.get(f"/audit/statements?{query}")
        assert resp.status_code == 200, query
    page = client.get("/audit/statements?per_page=20&customer=AS1").get_data(as_text=True)
    (sizes,) = html.fromstring(page).xpath("//nav[contains(@class, 'page-sizes')]")
    assert sorted(sizes.xpath(".//a/@href")) == [
        "/audit/statements?customer=AS1&per_page=100",
        "/audit/statements?customer=AS1&per_page=50",
    ]
    (next_link,) = _links(page, "next")
    assert "per_page=20" in next_link and "customer=AS1" in next_link
