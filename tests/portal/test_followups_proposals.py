"""The proposals page in pages: counts over every proposal, "approve ticked" for the page shown,
"approve all" for every proposal matching the filters after confirming the number."""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.followups import ladders
from portal.models import ActionStatus, CollectionAction, Customer
from tests.factories import make_customer, make_user
from tests.portal.finance_helpers import login
from tests.portal.test_followups import overdue, proposals, run
from tests.portal.test_query_counts import Counter, count_queries  # noqa: F401 (a fixture)

ROW = re.compile(r'<tr id="proposal-(\d+)">')


@pytest.fixture(autouse=True)
def standard_ladder_only(session: Session) -> None:
    for ladder in ladders.ensure_default_ladders(session):
        ladder.active = ladder.is_default
    session.flush()


def _customers(session: Session, n: int, *, currency: str = "CNY", name: str = "Buyer") -> None:
    for i in range(n):
        customer = make_customer(
            session, phone=f"1380000{i:04d}", language="en", currency=currency, name=f"{name} {i}"
        )
        overdue(session, customer, 20, amount=f"{100 + i}.50", currency=currency)


def _html(client: FlaskClient, path: str) -> str:
    resp = client.get(path)
    assert resp.status_code == 200, (path, resp.status_code)
    return str(resp.get_data(as_text=True))


def _status(session: Session, ids: list[int]) -> set[ActionStatus]:
    session.expire_all()
    return {session.get(CollectionAction, i).status for i in ids}  # type: ignore[union-attr]


@pytest.fixture
def finance(session: Session) -> Any:
    return make_user(session, "finance", language="en")


def test_pages_with_counts_and_totals_of_every_proposal(
    client: FlaskClient, session: Session, finance: Any
) -> None:
    _customers(session, 55)
    _customers(session, 5, currency="USD", name="Dollar buyer")
    run(session)
    pending = proposals(session)
    assert len(pending) == 60
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for a in pending:
        totals[a.case.currency] += a.amount
    login(client, finance)
    page1 = _html(client, "/followups/proposals")
    page2 = _html(client, "/followups/proposals?page=2")
    rows1, rows2 = ROW.findall(page1), ROW.findall(page2)
    assert len(rows1) == 50 and len(rows2) == 10 and not set(rows1) & set(rows2)
    assert {int(i) for i in rows1 + rows2} == {a.id for a in pending}
    assert "Page 1 of 2" in page1 and "Page 2 of 2" in page2
    # the step's tile counts all 60 and sums both currencies on either page
    for html in (page1, page2):
        tiles = html.split('id="step-counts"')[1].split("</div>\n")[0]
        assert '<div class="kpi-value">60</div>' in tiles
        assert "CN¥{:,.2f}".format(totals["CNY"]) in tiles
        assert "${:,.2f}".format(totals["USD"]) in tiles
        assert "Approve all 60 matching proposals" in html
    # the leave-out table lists the page shown, not every proposal
    leave_out = page2.split('id="exclude"')[1]
    assert len(re.findall(r"/followups/proposals/\d+/exclude", leave_out)) == 10


def test_approve_ticked_takes_only_what_is_ticked_on_the_page(
    client: FlaskClient, session: Session, finance: Any
) -> None:
    _customers(session, 55)
    run(session)
    login(client, finance)
    on_page2 = [int(i) for i in ROW.findall(_html(client, "/followups/proposals?page=2"))]
    ticked, unticked = on_page2[:2], on_page2[2:]
    resp = client.post(
        "/followups/proposals/approve?page=2",
        data={"scope": "ticked", "action_ids": [str(i) for i in ticked]},
    )
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/proposals?page=2")
    assert _status(session, ticked) <= {ActionStatus.APPROVED, ActionStatus.SENT}
    assert _status(session, unticked) == {ActionStatus.PROPOSED}
    assert len(proposals(session)) == 53
    # nothing ticked: nothing approved, the page says so
    resp = client.post("/followups/proposals/approve", data={"scope": "ticked"})
    assert resp.status_code == 302 and len(proposals(session)) == 53
    # ids no row can have (beyond the database's integers) are no ticks, not a query
    for bogus in ("99999999999", "99999999999999999999", "-1e400"):
        resp = client.post(
            "/followups/proposals/approve", data={"scope": "ticked", "action_ids": [bogus]}
        )
        assert resp.status_code == 302 and len(proposals(session)) == 53
        resp = client.post(
            f"/followups/proposals/{unticked[0]}/exclude", data={"invoice_ids": [bogus]}
        )
        assert resp.status_code == 400 and _status(session, unticked) == {ActionStatus.PROPOSED}


def test_approve_all_confirms_the_number_then_takes_every_matching_page(
    client: FlaskClient, session: Session, finance: Any
) -> None:
    _customers(session, 56, name="Northern buyer")
    _customers(session, 4, name="Southern buyer")
    run(session)
    south = {
        a.id
        for a in proposals(session)
        if a.case.customer.name.startswith("Southern")  # type: ignore[union-attr]
    }
    login(client, finance)
    # filtered to the northern customers: 56, over two pages
    listed = _html(client, "/followups/proposals?q=Northern")
    assert "56 proposals match" in listed and "Page 1 of 2" in listed
    assert "Approve all 56 matching proposals" in listed
    assert 'action="/followups/proposals/approve?page=1&amp;q=Northern"' in listed
    asked = client.post("/followups/proposals/approve?q=Northern", data={"scope": "all"})
    assert asked.status_code == 200
    confirm = asked.get_data(as_text=True)
    assert "Approve and send 56 proposals?" in confirm and 'name="confirmed" value="56"' in confirm
    assert "Northern" in confirm
    assert len(proposals(session)) == 60  # nothing approved before the confirmation
    # a proposal appears meanwhile: the number confirmed is stale, the page asks again
    _customers(session, 1, name="Northern latecomer")
    run(session)
    again = client.post(
        "/followups/proposals/approve?q=Northern", data={"scope": "all", "confirmed": "56"}
    )
    assert again.status_code == 200
    assert "changed since you counted" in again.get_data(as_text=True)
    assert "Approve and send 57 proposals?" in again.get_data(as_text=True)
    assert len(proposals(session)) == 61
    done = client.post(
        "/followups/proposals/approve?q=Northern",
        data={"scope": "all", "confirmed": "57"},
        follow_redirects=True,
    )
    assert "57 approved" in done.get_data(as_text=True)
    assert {a.id for a in proposals(session)} == south  # the other customers wait


def test_approve_all_of_one_step_and_the_filters_that_match_nothing(
    client: FlaskClient, session: Session, finance: Any
) -> None:
    _customers(session, 3)
    run(session)
    (step_id,) = {a.step_id for a in proposals(session)}
    login(client, finance)
    html = _html(client, f"/followups/proposals?step={step_id}")
    assert f'href="/followups/proposals?step={step_id}"' in html and 'aria-current="true"' in html
    asked = client.post(f"/followups/proposals/approve?step={step_id}", data={"scope": "all"})
    assert "Approve and send 3 proposals?" in asked.get_data(as_text=True)
    resp = client.post(
        "/followups/proposals/approve?q=nobody-at-all", data={"scope": "all", "confirmed": "0"}
    )
    assert resp.status_code == 302 and len(proposals(session)) == 3
    assert "No proposal matches" in _html(client, "/followups/proposals?q=nobody-at-all")


def test_leaving_one_out_comes_back_to_the_page_and_filters_shown(
    client: FlaskClient, session: Session, finance: Any
) -> None:
    _customers(session, 55, name="Buyer")
    run(session)
    login(client, finance)
    html = _html(client, "/followups/proposals?q=Buyer&page=2")
    assert 'action="/followups/proposals/approve?page=2&amp;q=Buyer"' in html
    action_id = int(ROW.findall(html)[0])
    resp = client.post(
        f"/followups/proposals/{action_id}/exclude?page=2&q=Buyer", data={"reason": "cheque"}
    )
    assert resp.status_code == 302
    assert resp.headers["Location"].endswith("/followups/proposals?q=Buyer&page=2#exclude")
    assert _status(session, [action_id]) == {ActionStatus.EXCLUDED}


def test_sales_see_the_pages_but_approve_nothing(client: FlaskClient, session: Session) -> None:
    _customers(session, 3)
    run(session)
    login(client, make_user(session, "sales", language="en"))
    html = _html(client, "/followups/proposals")
    assert "Approve all" not in html and 'id="exclude"' not in html
    resp = client.post("/followups/proposals/approve", data={"scope": "all", "confirmed": "3"})
    assert resp.status_code == 403 and len(proposals(session)) == 3


def test_the_page_queries_do_not_grow_with_proposals(
    client: FlaskClient,
    session: Session,
    finance: Any,
    count_queries: Counter,  # noqa: F811
) -> None:
    _customers(session, 5)
    run(session)
    login(client, finance)
    _html(client, "/followups/proposals")
    with count_queries() as few:
        _html(client, "/followups/proposals")
    _customers(session, 70, name="More")
    _customers(session, 3, currency="USD", name="Dollar")
    run(session)
    with count_queries() as many:
        html = _html(client, "/followups/proposals")
    assert len(ROW.findall(html)) == 50
    assert len(many) == len(few), (len(few), len(many))
    customers = session.scalars(select(Customer)).all()
    assert len(customers) >= 78
