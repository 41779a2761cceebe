"""The persistent job queue: claiming, inline runs, failures, stale jobs and a killed worker."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal import create_app
from portal.extensions import db, make_engine
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
from portal.models import AppSetting, Base, Job, JobStatus, utcnow

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
    url = f"sqlite:///{tmp_path / 'jobs.sqlite3'}"
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()
    instance = tmp_path / "instance"
    instance.mkdir()
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x" * 40,
            "KEY_PASSPHRASE": "test",
            "DATABASE_URL": url,
            "INSTANCE_PATH": str(instance),
            "JOBS_INLINE": False,
            "JOBS_WORKER": False,
        }
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


def test_worker_failure_marks_job_failed(file_app: Flask) -> None:
    (job_id,) = _add_jobs(file_app, "test.fail", 1)
    assert work_once(file_app, "w1") is True
    assert work_once(file_app, "w1") is False
    with file_app.app_context():
        job = db.session.get(Job, job_id)
        assert job is not None and job.status is JobStatus.FAILED
        assert "upside down" in (job.error or "")


def test_stale_running_job_is_requeued_fresh_one_is_not(file_app: Flask) -> None:
    stale_id, fresh_id = _add_jobs(file_app, "test.steps", 2, steps=1)
    with file_app.app_context():
        s = db.session()
        for job_id, age in ((stale_id, 900), (fresh_id, 5)):
            job = s.get(Job, job_id)
            assert job is not None
            job.status = JobStatus.RUNNING
            job.locked_by = "dead-worker"
            job.heartbeat_at = utcnow() - dt.timedelta(seconds=age)
        s.commit()
        assert requeue_stale(s, stale_after=300) == [stale_id]
        statuses = {row.id: row.status for row in s.execute(select(Job.id, Job.status))}
    assert statuses == {stale_id: JobStatus.QUEUED, fresh_id: JobStatus.RUNNING}


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
    from portal.jobs import handler, work_once
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
                time.sleep(3600)  # the test kills us here, mid-job

    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 40, "KEY_PASSPHRASE": "t",
                      "DATABASE_URL": sys.argv[1], "INSTANCE_PATH": sys.argv[2],
                      "JOBS_INLINE": False, "JOBS_WORKER": False})
    work_once(app, "doomed-worker")
    """
)


def test_killed_worker_job_completes_after_restart_without_doubling(
    file_app: Flask, tmp_path: Path
) -> None:
    (job_id,) = _add_jobs(file_app, "test.steps", 1, steps=5)
    script = tmp_path / "crash_worker.py"
    script.write_text(CRASHING_WORKER)
    proc = subprocess.Popen(
        [sys.executable, str(script), file_app.config["DATABASE_URL"], file_app.instance_path],
        stdout=subprocess.PIPE,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        text=True,
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        if proc.stdout is not None:
            proc.stdout.close()

    with file_app.app_context():
        job = db.session.get(Job, job_id)
        assert job is not None
        assert (job.status, job.locked_by, job.progress_done) == (
            JobStatus.RUNNING,
            "doomed-worker",
            2,
        )
    # a new worker starting up finds the abandoned job (stale_after=0: no heartbeat wait)
    worker = Worker(file_app, poll_seconds=0.05, stale_after=0)
    worker.start()
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with file_app.app_context():
                job = db.session.get(Job, job_id)
                assert job is not None
                if job.status is JobStatus.DONE:
                    break
            time.sleep(0.05)
    finally:
        worker.stop()
    with file_app.app_context():
        job = db.session.get(Job, job_id)
        assert job is not None
        assert job.status is JobStatus.DONE and job.attempts == 2
        keys = db.session.scalars(
            select(AppSetting.key).where(AppSetting.key.like(f"job{job_id}-%"))
        ).all()
    assert sorted(keys) == [f"job{job_id}-step{i}" for i in range(5)]


def test_cli_worker_runs_the_queue_once(file_app: Flask) -> None:
    ids = _add_jobs(file_app, "test.steps", 2, steps=1)
    result = file_app.test_cli_runner().invoke(args=["jobs", "work", "--once"])
    assert result.exit_code == 0, result.output
    with file_app.app_context():
        statuses = {db.session.get(Job, i).status for i in ids}  # type: ignore[union-attr]
    assert statuses == {JobStatus.DONE}
