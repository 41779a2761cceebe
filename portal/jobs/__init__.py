"""A small persistent job queue on the ``jobs`` table, with an in-process worker thread.

Jobs are rows: ``enqueue`` adds one, a worker *claims* it with a conditional UPDATE
(``status = 'queued'`` → ``'running'``), so two workers never take the same job, then runs the
handler registered for its ``kind``. A running job refreshes ``heartbeat_at`` whenever it reports
progress; a job whose worker died (no heartbeat for ``stale_after`` seconds) is put back in the
queue when a worker starts. Handlers must therefore be idempotent: they commit their work in
steps and skip the steps already done (the bank-upload handler skips files already imported).

``JOBS_INLINE`` (tests) runs a job at once, in the caller's session, when it is enqueued.
``JOBS_WORKER`` starts one worker thread in the web process on its first request; in production
run ``flask --app portal jobs work`` as a separate service instead (see the README).
"""

from __future__ import annotations

import copy
import logging
import os
import socket
import threading
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from flask import Flask, current_app
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import Job, JobStatus, utcnow

log = logging.getLogger(__name__)

#: seconds without a heartbeat after which a running job counts as abandoned
DEFAULT_STALE_AFTER = 300


class JobError(Exception):
    """A job could not be enqueued or run (e.g. no handler for its kind)."""


@dataclass
class JobContext:
    """What a handler gets: the session, its job, and a way to report progress."""

    session: Session
    job: Job
    inline: bool
    _on_progress: list[Callable[[Job], None]] = field(default_factory=list)

    def progress(self, done: int, total: int | None = None, **result: Any) -> None:
        """Record progress (and partial results), refresh the heartbeat and make it visible.

        Outside inline mode this **commits** the session, so call it between units of work,
        never inside one.
        """
        self.job.progress_done = done
        if total is not None:
            self.job.progress_total = total
        if result:
            # a fresh copy: an in-place change of the old value would not be seen as a change
            self.job.result = copy.deepcopy({**(self.job.result or {}), **result})
        self.job.heartbeat_at = utcnow()
        if self.inline:
            self.session.flush()
        else:
            self.session.commit()
        for hook in self._on_progress:
            hook(self.job)


Handler = Callable[[JobContext], dict[str, Any] | None]
_HANDLERS: dict[str, Handler] = {}


def handler(kind: str) -> Callable[[Handler], Handler]:
    """Register the function that runs jobs of ``kind``."""

    def register(fn: Handler) -> Handler:
        _HANDLERS[kind] = fn
        return fn

    return register


def enqueue(
    session: Session,
    kind: str,
    payload: dict[str, Any] | None = None,
    *,
    created_by_id: int | None = None,
    total: int = 0,
) -> Job:
    """Add a job to the queue (flushes); with ``JOBS_INLINE`` run it before returning.

    :raises JobError: when no handler is registered for ``kind``.
    """
    if kind not in _HANDLERS:
        raise JobError(f"no handler for job kind {kind!r}")
    job = Job(
        kind=kind,
        payload=payload or {},
        status=JobStatus.QUEUED,
        progress_total=total,
        created_by_id=created_by_id,
        result={},
    )
    session.add(job)
    session.flush()
    if current_app.config.get("JOBS_INLINE"):
        run_inline(session, job)
    else:
        _wake_workers()
    return job


def run_inline(session: Session, job: Job) -> None:
    """Run ``job`` now in ``session`` (savepoint per job; the caller commits)."""
    job.status = JobStatus.RUNNING
    job.locked_by = "inline"
    job.started_at = job.heartbeat_at = utcnow()
    job.attempts = (job.attempts or 0) + 1
    ctx = JobContext(session=session, job=job, inline=True)
    try:
        with session.begin_nested():
            result = _HANDLERS[job.kind](ctx)
    except Exception as exc:  # a failed job is recorded, not raised into the request
        log.exception("job %s (%s) failed", job.id, job.kind)
        _mark_failed(job, exc)
    else:
        _mark_done(job, result)
    session.flush()


def _mark_done(job: Job, result: dict[str, Any] | None) -> None:
    job.status = JobStatus.DONE
    if result:
        job.result = copy.deepcopy({**(job.result or {}), **result})
    job.progress_done = max(job.progress_done, job.progress_total)
    job.finished_at = utcnow()
    job.locked_by = None


def _mark_failed(job: Job, exc: BaseException) -> None:
    job.status = JobStatus.FAILED
    job.error = f"{type(exc).__name__}: {exc}"[:2000]
    job.finished_at = utcnow()
    job.locked_by = None


def claim_next(session: Session, worker_id: str, *, kinds: tuple[str, ...] = ()) -> Job | None:
    """Take the oldest queued job for ``worker_id`` and commit; ``None`` when the queue is empty.

    The UPDATE only succeeds while the row is still ``queued``: when two workers race for the
    same row one of them updates 0 rows and moves on to the next candidate.
    """
    query = select(Job.id).where(Job.status == JobStatus.QUEUED).order_by(Job.id).limit(10)
    if kinds:
        query = query.where(Job.kind.in_(kinds))
    candidates = list(session.scalars(query))
    session.rollback()  # end the read so the claim starts a fresh write transaction
    for job_id in candidates:
        now = utcnow()
        claimed = session.execute(
            update(Job)
            .where(Job.id == job_id, Job.status == JobStatus.QUEUED)
            .values(
                status=JobStatus.RUNNING,
                locked_by=worker_id,
                heartbeat_at=now,
                started_at=now,
                attempts=Job.attempts + 1,
            )
            .execution_options(synchronize_session=False)
        )
        session.commit()
        if claimed.rowcount == 1:  # type: ignore[attr-defined]
            job = session.get(Job, job_id, populate_existing=True)
            return job
    return None


def requeue_stale(session: Session, *, stale_after: float = DEFAULT_STALE_AFTER) -> list[int]:
    """Put running jobs whose heartbeat is older than ``stale_after`` seconds back in the queue.

    Commits. Returns the ids re-queued.
    """
    limit = utcnow() - timedelta(seconds=stale_after)
    stale = list(
        session.scalars(
            select(Job.id).where(Job.status == JobStatus.RUNNING, Job.heartbeat_at < limit)
        )
    )
    requeued = []
    for job_id in stale:
        res = session.execute(
            update(Job)
            .where(Job.id == job_id, Job.status == JobStatus.RUNNING, Job.heartbeat_at < limit)
            .values(status=JobStatus.QUEUED, locked_by=None)
            .execution_options(synchronize_session=False)
        )
        if res.rowcount == 1:  # type: ignore[attr-defined]
            requeued.append(job_id)
            log.warning("job %s had no heartbeat since %s: re-queued", job_id, limit)
    session.commit()
    return requeued


def run_claimed(session: Session, job: Job) -> None:
    """Run a job this worker claimed; commit its outcome (done or failed)."""
    fn = _HANDLERS.get(job.kind)
    ctx = JobContext(session=session, job=job, inline=False)
    try:
        if fn is None:
            raise JobError(f"no handler for job kind {job.kind!r}")
        result = fn(ctx)
    except Exception as exc:  # the job failed: keep the error for the user, keep working
        log.error("job %s (%s) failed:\n%s", job.id, job.kind, traceback.format_exc())
        session.rollback()
        job = session.get(Job, job.id, populate_existing=True) or job
        _mark_failed(job, exc)
        session.commit()
        return
    _mark_done(job, result)
    session.commit()


def work_once(app: Flask, worker_id: str) -> bool:
    """Claim and run one job in a fresh app context; ``False`` when there was none."""
    with app.app_context():
        session = db.session()
        job = claim_next(session, worker_id)
        if job is None:
            return False
        run_claimed(session, job)
        return True


def new_worker_id() -> str:
    """A worker id unique across hosts, processes and restarts."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Worker:
    """Runs queued jobs in a daemon thread until stopped."""

    def __init__(
        self,
        app: Flask,
        *,
        poll_seconds: float = 2.0,
        stale_after: float = DEFAULT_STALE_AFTER,
        worker_id: str | None = None,
    ) -> None:
        self.app = app
        self.poll_seconds = poll_seconds
        self.stale_after = stale_after
        self.worker_id = worker_id or new_worker_id()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Re-queue abandoned jobs, then start the thread."""
        with self.app.app_context():
            requeue_stale(db.session(), stale_after=self.stale_after)
        self._thread = threading.Thread(target=self.run, name="concord-jobs", daemon=True)
        self._thread.start()
        _WORKERS.append(self)

    def run(self) -> None:
        """Work until :meth:`stop`; an error in the loop itself is logged, not fatal."""
        while not self._stop.is_set():
            try:
                busy = work_once(self.app, self.worker_id)
            except Exception:  # keep the worker alive through e.g. a lost DB connection
                log.exception("job worker loop error")
                busy = False
            if not busy:
                _WAKE.wait(self.poll_seconds)
                _WAKE.clear()

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the thread to finish its current job and stop."""
        self._stop.set()
        _WAKE.set()
        if self._thread is not None:
            self._thread.join(timeout)
        if self in _WORKERS:
            _WORKERS.remove(self)


_WORKERS: list[Worker] = []
_WAKE = threading.Event()
_START_LOCK = threading.Lock()


def _wake_workers() -> None:
    _WAKE.set()


def ensure_worker(app: Flask) -> Worker | None:
    """Start the in-process worker once per app when ``JOBS_WORKER`` is on (first request)."""
    if not app.config.get("JOBS_WORKER") or app.config.get("JOBS_INLINE"):
        return None
    with _START_LOCK:
        existing: Worker | None = app.extensions.get("concord.jobs.worker")
        if existing is not None:
            return existing
        worker = Worker(app)
        app.extensions["concord.jobs.worker"] = worker
        worker.start()
        return worker
