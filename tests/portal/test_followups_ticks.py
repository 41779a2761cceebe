"""Proposals page: nothing is ticked by default (sending cannot be undone); approving none is
refused with a message and sends nothing."""

from __future__ import annotations

import re
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from portal.followups import ladders
from portal.models import ActionStatus, CustomerContact
from tests.factories import make_customer, make_user
from tests.portal.finance_helpers import login
from tests.portal.test_followups import overdue, proposals, run


def _two_proposals(session: Session) -> None:
    for ladder in ladders.ensure_default_ladders(session):
        ladder.active = ladder.is_default
    for n in (1, 2):
        c = make_customer(session, phone=f"1380000000{n}")
        c.contacts.append(CustomerContact(name="AP", mobile=f"1390000000{n}", is_billing=True))
        overdue(session, c, 3)
    session.flush()
    run(session)


def test_no_proposal_is_ticked_by_default_and_a_tick_all_box_is_offered(
    client: FlaskClient, session: Session
) -> None:
    _two_proposals(session)
    login(client, make_user(session, "finance"))
    page = client.get("/followups/proposals").get_data(as_text=True)
    boxes = re.findall(r'<input type="checkbox" name="action_ids"[^>]*>', page)
    assert len(boxes) == 2 and not any("checked" in b for b in boxes)
    assert 'id="tick-all"' in page and "proposals_tick.js" in page


def test_approving_with_nothing_ticked_is_refused_and_sends_nothing(
    app: Flask, client: FlaskClient, session: Session
) -> None:
    _two_proposals(session)
    login(client, make_user(session, "finance"))
    page = client.get("/followups/proposals").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    data = {"scope": "ticked", **({"csrf_token": token.group(1)} if token else {})}
    resp = client.post("/followups/proposals/approve", data=data, follow_redirects=True)
    assert "Tick the proposals to approve." in resp.get_data(as_text=True)
    assert [a.status for a in proposals(session)] == [ActionStatus.PROPOSED] * 2
    box = Path(app.instance_path) / "outbox"
    assert not box.exists() or not list(box.glob("*.sms.txt"))
