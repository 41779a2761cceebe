""" "Approve all" runs as a background job: batches, progress, a second press joins the job, and
two jobs at once (PostgreSQL, two connections) never approve one proposal twice."""

from __future__ import annotations

import re
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.extensions import db
from portal.followups import approve_all, ladders
from portal.jobs import enqueue, work_once
from portal.models import ActionStatus, AuditEvent, CollectionAction, Job, JobStatus
from tests.conftest import worker_app
from tests.factories import make_customer, make_user
from tests.portal.finance_helpers import login
from tests.portal.test_followups import overdue, proposals, run


def _proposals(session: Session, n: int, *, name: str = "Buyer") -> list[int]:
    for ladder in ladders.ensure_default_ladders(session):
        ladder.active = ladder.is_default
    session.flush()
    for i in range(n):
        customer = make_customer(
            session, phone=f"1390000{i:04d}", language="en", name=f"{name} {i}"
        )
        overdue(session, customer, 20, amount=f"{100 + i}.50")
    run(session)
    return [a.id for a in proposals(session)]


def _approved_events(session: Session) -> Counter[str]:
    rows = session.scalars(
        select(AuditEvent.entity_id).where(AuditEvent.action == "collections.approved")
    )
    return Counter(rows)


def _job_id(location: str) -> int:
    found = re.search(r"[?&]job=(\d+)", location)
    assert found, location
    return int(found.group(1))


def test_approve_all_is_a_job_approving_in_batches_with_its_progress(
    app: Flask, client: FlaskClient, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(approve_all, "BATCH", 4)
    ids = _proposals(session, 10)
    login(client, make_user(session, "finance", language="en"))
    resp = client.post(
        "/followups/proposals/approve", data={"scope": "all", "confirmed": str(len(ids))}
    )
    assert resp.status_code == 302
    job = session.get(Job, _job_id(resp.headers["Location"]))
    assert job is not None and job.kind == approve_all.APPROVE_ALL_JOB
    assert job.status is JobStatus.DONE  # JOBS_INLINE: the job ran at once
    assert (job.progress_done, job.progress_total) == (10, 10)
    assert job.result["approved"] == 10 and proposals(session) == []
    assert set(_approved_events(session)) == {str(i) for i in ids}
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert 'id="job"' in page and "10 approved" in page and 'data-finished="done"' in page
    answer = client.get(f"/followups/proposals/jobs/{job.id}.json")
    status = answer.get_json()
    assert status["done"] == status["total"] == 10 and status["finished"] is True
    assert status["summary"].startswith("10 approved")


def test_a_second_press_joins_the_job_under_way(
    app: Flask, client: FlaskClient, session: Session
) -> None:
    app.config["JOBS_INLINE"] = False  # the job waits for a worker, as in production
    ids = _proposals(session, 6)
    login(client, make_user(session, "finance", language="en"))
    data = {"scope": "all", "confirmed": str(len(ids))}
    first = client.post("/followups/proposals/approve", data=data)
    second = client.post("/followups/proposals/approve", data=data)
    assert first.status_code == second.status_code == 302
    assert _job_id(first.headers["Location"]) == _job_id(second.headers["Location"])
    jobs = session.scalars(select(Job).where(Job.kind == approve_all.APPROVE_ALL_JOB)).all()
    assert len(jobs) == 1 and jobs[0].status is JobStatus.QUEUED
    assert len(proposals(session)) == 6  # nothing approved in the request
    page = client.get(second.headers["Location"], follow_redirects=True).get_data(as_text=True)
    assert "already under way" in page and 'id="job-progress"' in page
    assert "data-finished" not in page.split('id="job"')[1].split(">")[0]
    # even without asking to confirm again: a press on "approve all" joins the job shown
    joined = client.post("/followups/proposals/approve", data={"scope": "all"})
    assert _job_id(joined.headers["Location"]) == jobs[0].id


def test_a_job_skips_what_was_approved_meanwhile(session: Session, app: Flask) -> None:
    ids = _proposals(session, 5)
    finance = make_user(session, "finance", language="en")
    # "approve the ticked" took two of them first
    from portal.followups import cases

    cases.approve(session, ids[:2], user=finance, settings=ladders.load_settings(session))
    job = enqueue(
        session, approve_all.APPROVE_ALL_JOB, {"ids": ids, "user_id": finance.id}, total=5
    )
    assert job.status is JobStatus.DONE and job.result["approved"] == 3
    assert set(_approved_events(session).values()) == {1}


def _seed(app: Flask, n: int) -> tuple[list[int], int]:
    with app.app_context():
        session = db.session()
        ids = _proposals(session, n)
        finance = make_user(session, "finance", language="en")
        session.commit()
        return ids, finance.id


@pytest.mark.slow
def test_two_jobs_at_once_approve_each_proposal_once_on_postgresql(
    scratch_pg: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two "approve all" jobs over the same proposals, run by two workers at the same moment
    (each its own app and connections, as two processes): every proposal is approved, audited
    and sent exactly once, and the two jobs' counts add up to the number of proposals."""
    monkeypatch.setattr(approve_all, "BATCH", 7)
    url = scratch_pg.url.render_as_string(hide_password=False)
    producer = worker_app(url, tmp_path / "producer")
    ids, user_id = _seed(producer, 60)
    with producer.app_context():
        session = db.session()
        for order in (ids, ids[::-1]):  # the second walks them the other way round
            enqueue(session, approve_all.APPROVE_ALL_JOB, {"ids": order, "user_id": user_id})
        session.commit()
    workers = [worker_app(url, tmp_path / f"w{i}") for i in (1, 2)]
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def work(app: Flask, name: str) -> None:
        try:
            start.wait(10)
            work_once(app, name)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(w, f"w{i}")) for i, w in enumerate(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    for w in workers:
        w.extensions["concord.db"]["engine"].dispose()
    assert errors == []
    with producer.app_context():
        session = db.session()
        jobs = session.scalars(select(Job).order_by(Job.id)).all()
        events = _approved_events(session)
        approved = session.scalar(
            select(func.count())
            .select_from(CollectionAction)
            .where(CollectionAction.id.in_(ids), CollectionAction.status != ActionStatus.PROPOSED)
        )
    producer.extensions["concord.db"]["engine"].dispose()
    assert [j.status for j in jobs] == [JobStatus.DONE, JobStatus.DONE], [j.error for j in jobs]
    assert {j.locked_by for j in jobs} == {None}
    assert sum(j.result["approved"] for j in jobs) == len(ids) == approved
    assert set(events) == {str(i) for i in ids} and set(events.values()) == {1}
    assert sum(j.result["sent"] + j.result["held"] for j in jobs) <= len(ids)
