"""The banking pages: upload several files, job progress JSON, queue, actions over HTTP."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.banking import service
from portal.models import BankFile, BankTransaction, Job, MatchStatus
from tests.factories import make_customer, make_invoice, make_user
from tests.portal.finance_helpers import login, parser_for, simple_matcher, txn


@pytest.fixture
def finance(session: Session, client: FlaskClient) -> FlaskClient:
    login(client, make_user(session, "finance"))
    return client


@pytest.fixture
def engine_stub(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(service, "default_matcher", lambda: simple_matcher)

    def set_files(*files: Any) -> None:
        parse = parser_for(*files)
        monkeypatch.setattr(service, "default_parser", lambda: parse)

    return set_files


def _files(*pairs: tuple[str, bytes]) -> dict[str, Any]:
    return {"files": [(io.BytesIO(data), name) for name, data in pairs]}


def test_upload_two_files_one_bad_then_progress_and_queue(
    session: Session, finance: FlaskClient, engine_stub: Any
) -> None:
    customer = make_customer(session)
    make_invoice(session, customer, number="INV-W1", amount="100.00")
    make_invoice(session, customer, number="INV-W2", amount="900.00")
    engine_stub([txn("W1", "100.00", "INV-W1"), txn("W2", "50.00", "INV-W2")], "not a bank file")
    resp = finance.post(
        "/banking/uploads",
        data=_files(("nov.csv", b"a,b,c"), ("notes.txt", b"hello")),
        content_type="multipart/form-data",
    )
    assert resp.status_code == 302
    job_id = int(re.search(r"job=(\d+)", resp.headers["Location"]).group(1))  # type: ignore[union-attr]
    status = finance.get(f"/banking/jobs/{job_id}.json").get_json()
    assert status["status"] == "done" and status["percent"] == 100
    by_name = {f["name"]: f for f in status["files"]}
    assert by_name["nov.csv"]["status"] == "done"
    assert by_name["nov.csv"]["counts"] == {"matched": 1, "suggested": 1}
    assert by_name["notes.txt"]["status"] == "failed"
    assert "not a bank file" in by_name["notes.txt"]["errors"][0]

    page = finance.get(resp.headers["Location"]).get_data(as_text=True)
    assert 'id="job-progress"' in page and "js/finance.js" in page and "<script>" not in page

    queue = finance.get("/banking/queue?status=suggested").get_data(as_text=True)
    assert "W2" not in queue or "RV-" in queue
    suggested = session.scalar(
        select(BankTransaction).where(BankTransaction.match_status == MatchStatus.SUGGESTED)
    )
    assert suggested is not None and suggested.voucher_number in queue

    # the same file again is recognised: nothing imported, no new job
    resp = finance.post(
        "/banking/uploads", data=_files(("copy.csv", b"a,b,c")), content_type="multipart/form-data"
    )
    assert "job=" not in resp.headers["Location"]
    assert session.scalar(select(BankFile).where(BankFile.original_name == "copy.csv")) is None
    assert len(session.scalars(select(Job)).all()) == 1


def test_queue_filters_and_pagination(
    session: Session, finance: FlaskClient, engine_stub: Any
) -> None:
    engine_stub([txn(f"P{i}", f"{100 + i}.00", "", payer_name=f"Payer {i}") for i in range(60)])
    user = make_user(session, "finance")
    bank_file, _ = service.store_upload(session, "many.csv", b"many", user=user)
    service.start_import(session, [bank_file], user=user)
    page1 = finance.get("/banking/queue?status=unmatched").get_data(as_text=True)
    assert page1.count("/banking/transactions/") == 50 and "Page 1 of 2" in page1
    page2 = finance.get("/banking/queue?status=unmatched&page=2").get_data(as_text=True)
    assert page2.count("/banking/transactions/") == 10
    narrow = finance.get("/banking/queue?status=unmatched&amount_min=150&amount_max=152").get_data(
        as_text=True
    )
    assert narrow.count("/banking/transactions/") == 3
    text = finance.get("/banking/queue?status=unmatched&q=Payer+7").get_data(as_text=True)
    assert text.count("/banking/transactions/") == 1
    other_file = finance.get(f"/banking/queue?status=unmatched&file={bank_file.id + 1}")
    assert other_file.get_data(as_text=True).count("/banking/transactions/") == 0


def test_search_filters_fold_unless_set_and_say_how_many_are(finance: FlaskClient) -> None:
    # the queue's status is its tabs' choice: not counted, the fold stays closed
    plain = finance.get("/banking/queue?status=matched").get_data(as_text=True)
    assert '<details class="filter-fold">' in plain and "filter-count" not in plain
    narrow = finance.get("/banking/queue?status=matched&amount_min=1&q=+&customer=C1")
    html = narrow.get_data(as_text=True)
    assert '<details class="filter-fold" open>' in html
    assert '<span class="filter-count">2 set</span>' in html
    # the archive's status is a filter like the others
    archive = finance.get("/banking/archive?status=matched").get_data(as_text=True)
    assert '<span class="filter-count">1 set</span>' in archive


def test_queue_opens_on_the_unmatched_when_nothing_is_suggested(
    session: Session, finance: FlaskClient, engine_stub: Any
) -> None:
    # an import whose receipts all need a hand: "Open the review queue" must show them
    engine_stub([txn(f"U{i}", f"{300 + i}.00", "", payer_name=f"Nobody {i}") for i in range(3)])
    user = make_user(session, "finance")
    bank_file, _ = service.store_upload(session, "none.csv", b"none", user=user)
    service.start_import(session, [bank_file], user=user)
    page = finance.get("/banking/queue").get_data(as_text=True)
    assert page.count("/banking/transactions/") == 3
    assert 'status=unmatched" class="on" aria-current="true"' in page
    assert (
        finance.get("/banking/queue?status=suggested")
        .get_data(as_text=True)
        .count("/banking/transactions/")
        == 0
    )


def test_actions_over_http_and_a_lost_race(
    session: Session, finance: FlaskClient, engine_stub: Any
) -> None:
    customer = make_customer(session)
    a = make_invoice(session, customer, number="INV-H1", amount="700.00")
    b = make_invoice(session, customer, number="INV-H2", amount="400.00")
    engine_stub([txn("H1", "500.00", "INV-H1")])
    user = make_user(session, "finance")
    bank_file, _ = service.store_upload(session, "h.csv", b"h", user=user)
    service.start_import(session, [bank_file], user=user)
    t = session.scalar(select(BankTransaction).where(BankTransaction.bank_ref == "H1"))
    assert t is not None and t.match_status is MatchStatus.SUGGESTED
    detail = finance.get(f"/banking/transactions/{t.id}").get_data(as_text=True)
    assert "reference names INV-H1" in detail and "Accept" in detail

    # split by hand: 300 to H1, 200 to H2
    resp = finance.post(
        f"/banking/transactions/{t.id}/apply",
        data={
            "version": "1",
            "rows-0-invoice": "INV-H1",
            "rows-0-amount": "300.00",
            "rows-1-invoice": "INV-H2",
            "rows-1-amount": "200.00",
        },
    )
    assert resp.status_code == 302
    session.refresh(a)
    session.refresh(b)
    assert (a.open_amount, b.open_amount) == (Decimal("400.00"), Decimal("200.00"))

    # a second clerk, still looking at version 1, tries to accept the suggestion: refused
    resp = finance.post(
        f"/banking/transactions/{t.id}/accept",
        data={"version": "1", "index": "0"},
        follow_redirects=True,
    )
    assert "changed by someone else" in resp.get_data(as_text=True)
    session.refresh(a)
    assert a.open_amount == Decimal("400.00")

    resp = finance.post(
        f"/banking/transactions/{t.id}/reverse",
        data={"version": "2", "reason": "wrong customer"},
        follow_redirects=True,
    )
    assert "reversed" in resp.get_data(as_text=True)
    session.refresh(a)
    session.refresh(b)
    assert (a.open_amount, b.open_amount) == (Decimal("700.00"), Decimal("400.00"))


def test_auditor_reads_but_cannot_act(session: Session, client: FlaskClient) -> None:
    login(client, make_user(session, "auditor"))
    assert client.get("/banking/queue").status_code == 200
    assert client.get("/banking/uploads").status_code == 200
    assert client.get("/banking/archive").status_code == 200
    assert client.post("/banking/uploads", data={}).status_code == 403
    assert client.post("/banking/transactions/1/reverse", data={}).status_code == 403


def test_customers_cannot_see_banking(session: Session, client: FlaskClient) -> None:
    login(client, make_user(session, "customer"))
    assert client.get("/banking/queue").status_code == 403
    assert client.get("/banking/archive.csv").status_code == 403


def test_accept_with_a_forged_index_or_version_is_a_bad_request(
    session: Session, finance: FlaskClient, engine_stub: Any
) -> None:
    customer = make_customer(session)
    make_invoice(session, customer, number="INV-F1", amount="700.00")
    engine_stub([txn("F1", "500.00", "INV-F1")])
    user = make_user(session, "finance")
    bank_file, _ = service.store_upload(session, "f.csv", b"f", user=user)
    service.start_import(session, [bank_file], user=user)
    t = session.scalar(select(BankTransaction).where(BankTransaction.bank_ref == "F1"))
    assert t is not None and t.match_status is MatchStatus.SUGGESTED
    url = f"/banking/transactions/{t.id}/accept"
    assert finance.post(url, data={"version": "1", "index": "first"}).status_code == 400
    assert finance.post(url, data={"version": "one", "index": "0"}).status_code == 400
    session.refresh(t)
    assert t.match_status is MatchStatus.SUGGESTED


def _bank_files(session: Session, count: int) -> list[str]:
    """``count`` stored bank files ``upload-001.csv``…; their names, newest (last) first."""
    for n in range(1, count + 1):
        session.add(
            BankFile(sha256=f"{n:064d}", original_name=f"upload-{n:03d}.csv", size=1, content=b"x")
        )
    session.flush()
    return [f"upload-{n:03d}.csv" for n in range(count, 0, -1)]


def test_uploads_page_through_every_file_keeping_the_job_watched(
    session: Session, client: FlaskClient
) -> None:
    names = _bank_files(session, 23)
    job = Job(kind="bank_import", payload={})
    session.add(job)
    session.flush()
    login(client, make_user(session, "auditor", language="en"))
    shown = r">(upload-\d{3}\.csv)</a>"
    first = client.get(f"/banking/uploads?job={job.id}").get_data(as_text=True)
    second = client.get(f"/banking/uploads?job={job.id}&page=2").get_data(as_text=True)
    assert re.findall(shown, first) == names[:20]
    assert re.findall(shown, second) == names[20:]
    assert f'href="/banking/uploads?page=2&amp;job={job.id}" rel="next"' in first
    assert 'id="job"' in second


@pytest.mark.parametrize("number", ["0", "-1", "x", "99999999999999999999"])
def test_uploads_take_any_page_number(session: Session, client: FlaskClient, number: str) -> None:
    names = _bank_files(session, 21)
    login(client, make_user(session, "auditor", language="en"))
    response = client.get(f"/banking/uploads?page={number}")
    assert response.status_code == 200
    assert names[0] in response.get_data(as_text=True)
