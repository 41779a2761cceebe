"""The job queue: claiming (SQLite and PostgreSQL), retries with backoff, takeover of dead work."""

from __future__ import annotations

import datetime as dt
import os
import select as io_select
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.extensions import db
from portal.jobs import (
    JobContext,
    JobError,
    Worker,
    claim_next,
    enqueue,
    handler,
    requeue_stale,
    work_once,
)
from portal.models import AppSetting, Job, JobStatus, WorkerProcess, utcnow
from tests.conftest import sqlite_file, worker_app

ROOT = Path(__file__).resolve().parents[2]


@handler("test.steps")
def _steps(ctx: JobContext) -> dict[str, Any]:
    """Write one AppSetting per step, skipping steps already done (idempotent on re-run)."""
    n = int(ctx.job.payload["steps"])
    for i in range(n):
        key = f"job{ctx.job.id}-step{i}"
        if ctx.session.get(AppSetting, key) is None:
            ctx.session.add(AppSetting(key=key, value={"step": i}))
        ctx.progress(i + 1, n)
    return {"steps": n}


@handler("test.fail")
def _fail(ctx: JobContext) -> None:
    raise ValueError("the bank file is upside down")


@handler("test.flaky")
def _flaky(ctx: JobContext) -> dict[str, Any]:
    """Fail on the first attempt only."""
    if ctx.job.attempts == 1:
        raise ConnectionError("the bank's server hung up")
    return {"ok": True}


def test_inline_job_runs_at_once(session: Session) -> None:
    job = enqueue(session, "test.steps", {"steps": 3})
    assert job.status is JobStatus.DONE
    assert (job.progress_done, job.progress_total) == (3, 3)
    assert job.result == {"steps": 3}
    keys = session.scalars(select(AppSetting.key).where(AppSetting.key.like(f"job{job.id}-%")))
    assert sorted(keys) == [f"job{job.id}-step{i}" for i in range(3)]


def test_inline_failure_is_recorded_and_rolled_back(session: Session) -> None:
    job = enqueue(session, "test.fail")
    assert job.status is JobStatus.FAILED
    assert "upside down" in (job.error or "")


def test_unknown_kind_is_refused(session: Session) -> None:
    with pytest.raises(JobError):
        enqueue(session, "no.such.kind")


@pytest.fixture
def file_app(tmp_path: Path) -> Flask:
    """An app on its own SQLite file, so several connections (workers) really compete."""
    url = sqlite_file(tmp_path / "jobs.sqlite3")
    return worker_app(
        url,
        tmp_path / "instance",
        KEY_PASSPHRASE="test",
        JOBS_MAX_ATTEMPTS=3,
        JOBS_RETRY_SECONDS=10,
    )


def _add_jobs(app: Flask, kind: str, count: int, **payload: Any) -> list[int]:
    with app.app_context():
        s = db.session()
        jobs = [enqueue(s, kind, dict(payload)) for _ in range(count)]
        s.commit()
        return [j.id for j in jobs]


def test_two_workers_never_claim_the_same_job(file_app: Flask) -> None:
    ids = _add_jobs(file_app, "test.steps", 30, steps=1)
    claims: dict[str, list[int]] = {"w1": [], "w2": []}

    def claim_all(worker: str) -> None:
        with file_app.app_context():
            s = db.session()
            while (job := claim_next(s, worker)) is not None:
                claims[worker].append(job.id)

    threads = [threading.Thread(target=claim_all, args=(w,)) for w in claims]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(claims["w1"] + claims["w2"]) == ids
    with file_app.app_context():
        rows = db.session.scalars(select(Job)).all()
        assert {j.status for j in rows} == {JobStatus.RUNNING}
        assert {j.attempts for j in rows} == {1}
        assert all(j.locked_by in claims and j.id in claims[j.locked_by] for j in rows)


def _due_now(app: Flask, job_id: int) -> None:
    """Let the backoff of ``job_id`` elapse (instead of waiting for it)."""
    with app.app_context():
        job = db.session.get(Job, job_id)
        assert job is not None
        job.run_after = utcnow() - dt.timedelta(seconds=1)
        db.session.commit()


def test_failing_job_is_retried_with_backoff_then_failed(file_app: Flask) -> None:
    (job_id,) = _add_jobs(file_app, "test.fail", 1)
    waits = []
    for attempt in (1, 2):
        before = utcnow()
        assert work_once(file_app, "w1") is True
        with file_app.app_context():
            job = db.session.get(Job, job_id)
            assert job is not None
            # back in the queue, with the error shown and the next try in the future
            assert (job.status, job.attempts) == (JobStatus.QUEUED, attempt)
            assert (
                job.error == f"attempt {attempt} failed: ValueError: the bank file is upside down"
            )
            assert job.run_after is not None and job.locked_by is None
            waits.append((job.run_after - before).total_seconds())
        assert work_once(file_app, "w1") is False  # not due yet
        _due_now(file_app, job_id)
    assert 10 <= waits[0] < 11 and 20 <= waits[1] < 21  # 10 s, then doubled
    assert work_once(file_app, "w1") is True
    with file_app.app_context():
        job = db.session.get(Job, job_id)
        assert job is not None and (job.status, job.attempts) == (JobStatus.FAILED, 3)
        assert job.error == "ValueError: the bank file is upside down"
        assert job.finished_at is not None and job.run_after is None
    assert work_once(file_app, "w1") is False


def test_flaky_job_succeeds_on_its_second_attempt(file_app: Flask) -> None:
    (job_id,) = _add_jobs(file_app, "test.flaky", 1)
    assert work_once(file_app, "w1") is True
    _due_now(file_app, job_id)
    assert work_once(file_app, "w1") is True
    with file_app.app_context():
        job = db.session.get(Job, job_id)
        assert job is not None and (job.status, job.attempts) == (JobStatus.DONE, 2)
        assert job.result == {"ok": True} and "hung up" in (job.error or "")


def test_failed_job_can_be_retried_by_hand(file_app: Flask) -> None:
    file_app.config["JOBS_MAX_ATTEMPTS"] = 1
    (job_id,) = _add_jobs(file_app, "test.fail", 1)
    assert work_once(file_app, "w1") is True
    runner = file_app.test_cli_runner()
    listed = runner.invoke(args=["jobs", "list", "--status", "failed"])
    assert f"{job_id:>6}  test.fail" in listed.output and "upside down" in listed.output
    result = runner.invoke(args=["jobs", "retry", str(job_id)])
    assert result.exit_code == 0, result.output
    with file_app.app_context():
        job = db.session.get(Job, job_id)
        assert job is not None and (job.status, job.attempts) == (JobStatus.QUEUED, 0)
    again = runner.invoke(args=["jobs", "retry", str(job_id)])
    assert again.exit_code != 0 and "is queued, not failed" in again.output


def test_stale_running_job_is_taken_over_live_one_is_not(file_app: Flask) -> None:
    stale_id, fresh_id, slow_id, spent_id = _add_jobs(file_app, "test.steps", 4, steps=1)
    with file_app.app_context():
        s = db.session()
        old = utcnow() - dt.timedelta(seconds=900)
        # a live worker whose job has not reported progress for long: its heartbeat protects it
        s.add(WorkerProcess(name="live-worker", hostname="h", pid=1, kind="process"))
        for job_id, owner, age, attempts in (
            (stale_id, "dead-worker", 900, 1),
            (fresh_id, "dead-worker", 5, 1),
            (slow_id, "live-worker", 900, 1),
            (spent_id, "dead-worker", 900, 3),
        ):
            job = s.get(Job, job_id)
            assert job is not None
            job.status = JobStatus.RUNNING
            job.locked_by = owner
            job.attempts = attempts
            job.heartbeat_at = utcnow() - dt.timedelta(seconds=age)
        s.add(
            WorkerProcess(name="dead-worker", hostname="h", pid=2, kind="process", heartbeat_at=old)
        )
        s.commit()
        assert sorted(requeue_stale(s, stale_after=300)) == [stale_id, spent_id]
        jobs = {j.id: j for j in s.scalars(select(Job).execution_options(populate_existing=True))}
    assert {i: j.status for i, j in jobs.items()} == {
        stale_id: JobStatus.QUEUED,
        fresh_id: JobStatus.RUNNING,
        slow_id: JobStatus.RUNNING,
        spent_id: JobStatus.FAILED,  # its last attempt died with its worker
    }
    assert jobs[stale_id].error == (
        "worker dead-worker stopped during attempt 1 (no heartbeat for 300 s); taken over"
    )
    assert jobs[spent_id].error.startswith("worker dead-worker stopped during attempt 3")  # type: ignore[union-attr]


def test_thread_worker_runs_queued_jobs(file_app: Flask) -> None:
    ids = _add_jobs(file_app, "test.steps", 3, steps=2)
    worker = Worker(file_app, poll_seconds=0.05)
    worker.start()
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with file_app.app_context():
                done = db.session.scalar(
                    select(func.count()).select_from(Job).where(Job.status == JobStatus.DONE)
                )
            if done == len(ids):
                break
            time.sleep(0.05)
    finally:
        worker.stop()
    assert done == len(ids)


CRASHING_WORKER = textwrap.dedent(
    """
    import sys, time
    from portal import create_app
    from portal.jobs import Worker, handler
    from portal.models import AppSetting

    @handler("test.steps")
    def steps(ctx):
        n = int(ctx.job.payload["steps"])
        for i in range(n):
            key = f"job{ctx.job.id}-step{i}"
            if ctx.session.get(AppSetting, key) is None:
                ctx.session.add(AppSetting(key=key, value={"step": i}))
            ctx.progress(i + 1, n)
            if i == 1:
                print("ready", flush=True)
                time.sleep(3600)  # a long step; the test kills us here, mid-job

    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 40, "KEY_PASSPHRASE": "t",
                      "DATABASE_URL": sys.argv[1], "INSTANCE_PATH": sys.argv[2],
                      "JOBS_INLINE": False, "JOBS_WORKER": False})
    Worker(app, worker_id="doomed-worker", kind="process", stale_after=1,
           heartbeat_seconds=0.1, poll_seconds=0.05).serve()
    """
)


def _job(app: Flask, job_id: int) -> Job:
    with app.app_context():
        job = db.session.get(Job, job_id)
        assert job is not None
        return job


@pytest.fixture
def any_db_app(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Flask]:
    """An app whose database several processes share: a SQLite file, or a scratch PostgreSQL."""
    if backend == "postgresql":
        engine = request.getfixturevalue("scratch_pg")
        url = engine.url.render_as_string(hide_password=False)
    else:
        url = sqlite_file(tmp_path / "shared.sqlite3")
    app = worker_app(url, tmp_path / "instance")
    yield app
    app.extensions["concord.db"]["engine"].dispose()


@pytest.mark.slow
def test_killed_worker_job_is_taken_over_by_a_running_worker(
    any_db_app: Flask, backend: str, tmp_path: Path
) -> None:
    """SIGKILL a worker mid-job: a worker that is already running finishes it, once."""
    file_app = any_db_app
    (job_id,) = _add_jobs(file_app, "test.steps", 1, steps=5)
    script = tmp_path / "crash_worker.py"
    script.write_text(CRASHING_WORKER)
    log = tmp_path / "crash_worker.log"
    with log.open("w") as stderr:
        proc = subprocess.Popen(
            [sys.executable, str(script), file_app.config["DATABASE_URL"], file_app.instance_path],
            stdout=subprocess.PIPE,
            stderr=stderr,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            text=True,
        )
    live = Worker(file_app, poll_seconds=0.05, stale_after=1, heartbeat_seconds=0.1)
    try:
        assert proc.stdout is not None
        ready, _, _ = io_select.select([proc.stdout], [], [], 60)
        assert ready and proc.stdout.readline().strip() == "ready", log.read_text()
        live.start()
        if backend == "postgresql":
            # slow but alive: its heartbeat thread goes on beating, so nobody takes its job
            # (SQLite has no heartbeat thread: there only progress and the loop beat)
            time.sleep(1.5)
            job = _job(file_app, job_id)
            assert (job.status, job.locked_by, job.progress_done) == (
                JobStatus.RUNNING,
                "doomed-worker",
                2,
            )
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        killed_at = time.monotonic()
        deadline = killed_at + 30
        while time.monotonic() < deadline and _job(file_app, job_id).status is not JobStatus.DONE:
            time.sleep(0.05)
        taken_over_after = time.monotonic() - killed_at
    finally:
        live.stop()
        if proc.poll() is None:
            proc.kill()
            proc.wait(30)
        if proc.stdout is not None:
            proc.stdout.close()
    job = _job(file_app, job_id)
    assert job.status is JobStatus.DONE and job.attempts == 2, job.error
    assert taken_over_after < 5  # the stale limit (1 s) plus a reaping turn, no restart
    assert job.error is not None and "worker doomed-worker stopped during attempt 1" in job.error
    with file_app.app_context():
        keys = db.session.scalars(
            select(AppSetting.key).where(AppSetting.key.like(f"job{job_id}-%"))
        ).all()
        workers = {w.name: w for w in db.session.scalars(select(WorkerProcess))}
    assert sorted(keys) == [f"job{job_id}-step{i}" for i in range(5)]
    assert workers["doomed-worker"].stopped_at is None  # it never said goodbye
    assert workers[live.worker_id].stopped_at is not None
    assert workers[live.worker_id].jobs_done == 1


@pytest.mark.parametrize("command", [["worker"], ["jobs", "work"]], ids=" ".join)
def test_cli_worker_runs_the_queue_once(file_app: Flask, command: list[str]) -> None:
    """``flask --app portal worker`` (issue 11) and its alias ``jobs work``, with ``--once``."""
    ids = _add_jobs(file_app, "test.steps", 2, steps=1)
    result = file_app.test_cli_runner().invoke(args=[*command, "--once"])
    assert result.exit_code == 0, result.output
    with file_app.app_context():
        statuses = {db.session.get(Job, i).status for i in ids}  # type: ignore[union-attr]
    assert statuses == {JobStatus.DONE}


@handler("test.count")
def _count(ctx: JobContext) -> dict[str, Any]:
    """Record which worker ran this job; a second run would break the unique key."""
    ctx.session.add(AppSetting(key=f"ran-{ctx.job.id}", value={"by": ctx.job.locked_by}))
    time.sleep(0.002)  # let the other worker get a word in
    return {}


def test_two_workers_on_postgresql_run_every_job_exactly_once(
    scratch_pg: Any, tmp_path: Path
) -> None:
    url = scratch_pg.url.render_as_string(hide_password=False)
    producer = worker_app(url, tmp_path / "producer")
    ids = _add_jobs(producer, "test.count", 60)
    # two workers, each its own app, engine and connections, as two processes would have
    workers = [
        Worker(worker_app(url, tmp_path / f"w{i}"), poll_seconds=0.02, worker_id=f"w{i}")
        for i in (1, 2)
    ]
    for worker in workers:
        worker.start()
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with producer.app_context():
                done = db.session.scalar(
                    select(func.count()).select_from(Job).where(Job.status == JobStatus.DONE)
                )
            if done == len(ids):
                break
            time.sleep(0.05)
    finally:
        for worker in workers:
            worker.stop()
            worker.app.extensions["concord.db"]["engine"].dispose()
    with producer.app_context():
        jobs = db.session.scalars(select(Job)).all()
        runs = {r.key: r.value["by"] for r in db.session.scalars(select(AppSetting))}
    producer.extensions["concord.db"]["engine"].dispose()
    assert {j.status for j in jobs} == {JobStatus.DONE}
    assert {j.attempts for j in jobs} == {1}
    assert sorted(runs) == sorted(f"ran-{i}" for i in ids)
    by_worker = {w: sum(1 for v in runs.values() if v == w) for w in ("w1", "w2")}
    assert sum(by_worker.values()) == len(ids) and min(by_worker.values()) > 0, by_worker


def test_upload_page_shows_a_failed_attempt_and_the_retry(
    session: Session, client: Any, app: Flask
) -> None:
    from portal.banking.service import IMPORT_JOB
    from tests.factories import make_user
    from tests.portal.finance_helpers import login

    login(client, make_user(session, "finance"))
    job = Job(kind=IMPORT_JOB, payload={"file_ids": []}, status=JobStatus.QUEUED, result={})
    job.attempts = 1
    job.error = "attempt 1 failed: OperationalError: the disk is full"
    session.add(job)
    session.commit()
    page = client.get(f"/banking/uploads?job={job.id}").get_data(as_text=True)
    assert "attempt 1 failed: OperationalError: the disk is full" in page
    assert "Attempt 1 did not finish; Concord tries again automatically." in page
    assert client.get(f"/banking/jobs/{job.id}.json").get_json()["attempts"] == 1
    job.status, job.error = JobStatus.FAILED, "OperationalError: the disk is full"
    session.commit()
    page = client.get(f"/banking/uploads?job={job.id}").get_data(as_text=True)
    assert "OperationalError: the disk is full" in page and "tries again" not in page
