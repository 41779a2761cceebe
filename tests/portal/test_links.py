"""Every link a member of staff is shown opens for them: no link answers 403.

Each role signs in to the demo business (with today's follow-ups run, so receipts, disputes and
statements are linked from tasks) and follows every ``<a href>`` of every page it can open, a few
pages of each kind (the path with its numbers taken out), and each kind of link from each kind of
page once. Downloads are
asked for too (not read). A link the role may not follow must be plain text; pages that answer
500 fail too.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import deque
from html import unescape
from urllib.parse import urlsplit

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.demo.service import seed_demo
from portal.followups import service as followups
from portal.models import BankTransaction, FollowUp, FollowUpKind, User

PASSWORD = "links-test-password"
#: not followed: signing out, the ERP API (bearer tokens) and static files
SKIP = re.compile(r"^/logout|^/api/|^/static/")
HREF = re.compile(r'<a\b[^>]*\bhref="([^"#]*)', re.I)
#: pages of one kind opened at most (different rows may link differently)
PER_KIND = 3
#: pages opened at most per role
MAX_PAGES = 400


@pytest.fixture
def demo(session: Session) -> dict[str, User]:
    seed_demo(session, password=PASSWORD)
    session.flush()
    followups.run(session)
    staff = {u.email: u for u in session.scalars(select(User).where(User.customer_id.is_(None)))}
    # a receipt's task in the sales queue: sales see the task, not the bank side
    receipt = session.scalars(select(BankTransaction).order_by(BankTransaction.id)).first()
    assert receipt is not None
    session.add(
        FollowUp(
            kind=FollowUpKind.UNMATCHED_CREDIT,
            title=f"Receipt {receipt.voucher_number}",
            owner_id=staff["sales@demo.test"].id,
            due_date=dt.date.today(),
            transaction_id=receipt.id,
            customer_id=receipt.customer_id,
        )
    )
    session.commit()
    return staff


def _kind(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def _crawl(client: FlaskClient, email: str) -> tuple[list[str], list[str]]:
    """Follow the links of every page ``email`` opens; return (pages opened, bad links)."""
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, email
    queue: deque[tuple[str, str]] = deque([("/", "sign-in")])
    seen: set[str] = set()
    kinds: dict[str, int] = {}
    pairs: set[tuple[str, str]] = set()
    opened: list[str] = []
    bad: list[str] = []
    while queue and len(opened) < MAX_PAGES:
        url, linked_from = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        kind = _kind(urlsplit(url).path)
        # each kind of page a few times, and once from each kind of page linking to it
        pair = (_kind(urlsplit(linked_from).path), kind)
        if kinds.get(kind, 0) >= PER_KIND and pair in pairs:
            continue
        kinds[kind] = kinds.get(kind, 0) + 1
        pairs.add(pair)
        response = client.get(url)
        if response.status_code in (403, 500):
            bad.append(f"{email}: {url} answers {response.status_code} (linked from {linked_from})")
            continue
        if response.status_code in (301, 302, 303):
            location = urlsplit(response.headers["Location"])
            if not location.netloc or location.netloc == "localhost":
                queue.append(
                    (location.path + (f"?{location.query}" if location.query else ""), url)
                )
            continue
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        opened.append(url)
        for href in HREF.findall(response.get_data(as_text=True)):
            href = unescape(href)
            if (
                not href.startswith("/")
                or href.startswith("//")
                or SKIP.search(urlsplit(href).path)
            ):
                continue
            queue.append((href, url))
    client.post("/logout")
    return opened, bad


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
@pytest.mark.parametrize("role", ["sales", "auditor", "finance"])
def test_every_link_a_role_is_shown_opens(
    client: FlaskClient, demo: dict[str, User], role: str
) -> None:
    opened, bad = _crawl(client, f"{role}@demo.test")
    assert len(opened) >= 20, opened
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_receipt_is_a_link_only_for_the_bank_side(
    client: FlaskClient, session: Session, demo: dict[str, User]
) -> None:
    task = session.scalars(select(FollowUp).where(FollowUp.title.startswith("Receipt "))).one()
    receipt = session.get(BankTransaction, task.transaction_id)
    assert receipt is not None
    link = f'href="/banking/transactions/{receipt.id}"'
    for role, linked in (("sales", False), ("finance", True), ("auditor", True)):
        client.post("/login", data={"email": f"{role}@demo.test", "password": PASSWORD})
        page = client.get(f"/followups/{task.id}").get_data(as_text=True)
        archive = client.get(f"/banking/archive?q={receipt.voucher_number}").get_data(as_text=True)
        assert (link in page, link in archive) == (linked, linked), role
        assert receipt.voucher_number in archive
        if not linked:
            assert receipt.voucher_number in page
            assert f'href="/banking/files/{receipt.file_id}"' not in archive
        client.post("/logout")
