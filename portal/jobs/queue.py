"""The job queue on the ``jobs`` table, run by worker processes (or a thread in development).

Jobs are rows: ``enqueue`` adds one in the caller's transaction (it only flushes), so a job
exists exactly when the change that needs it was committed. A worker *claims* a job (on
PostgreSQL ``SELECT ... FOR UPDATE SKIP LOCKED``, on SQLite a conditional UPDATE
``status = 'queued'`` → ``'running'``), so two workers never take the same job, then runs the
handler registered for its ``kind``.

A handler that raises is retried with exponential backoff (``JOBS_RETRY_SECONDS`` doubling up
to ``JOBS_RETRY_MAX_SECONDS``) until ``JOBS_MAX_ATTEMPTS``; then the job is ``failed`` with
its error. Every worker records a heartbeat in ``workers``; a running job whose worker fell
silent for ``JOBS_STALE_SECONDS`` is taken over by any live worker (each worker reaps
periodically), so no job is ever left "running". Handlers must therefore be idempotent: they
commit their work in steps and skip the steps already done (the bank import skips files
already imported).

``JOBS_INLINE`` (tests) runs a job at once, in the caller's session, when it is enqueued.
"""

from __future__ import annotations

import copy
import logging
import os
import socket
import threading
import traceback
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import event, or_, select, update
from sqlalchemy.orm import Session

from ..errors import ConcordError
from ..models import Job, JobStatus, WorkerProcess, utcnow

log = logging.getLogger(__name__)

#: seconds without a heartbeat after which a running job counts as abandoned
DEFAULT_STALE_AFTER = 120


class JobError(ConcordError):
    """A job could not be enqueued or run (e.g. no handler for its kind)."""

    status = 500
    log_level = logging.ERROR


@dataclass(frozen=True)
class JobSettings:
    """Tuning of the queue and its workers (``JOBS_*`` settings)."""

    max_attempts: int = 3
    """Attempts of a job that raises before it is marked failed."""
    retry_seconds: float = 30.0
    """Wait before the second attempt; doubles for each further one."""
    retry_max_seconds: float = 3600.0
    """Longest wait between two attempts."""
    stale_seconds: float = DEFAULT_STALE_AFTER
    """A running job whose worker has been silent this long is taken over."""
    heartbeat_seconds: float = 15.0
    """How often a worker records that it is alive."""
    poll_seconds: float = 2.0
    """How often an idle worker looks for work."""

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("JOBS_MAX_ATTEMPTS must be at least 1")
        if self.heartbeat_seconds <= 0 or self.poll_seconds <= 0:
            raise ValueError("JOBS_HEARTBEAT_SECONDS and JOBS_POLL_SECONDS must be positive")
        if self.stale_seconds < self.heartbeat_seconds:
            raise ValueError("JOBS_STALE_SECONDS must be longer than JOBS_HEARTBEAT_SECONDS")

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> JobSettings:
        """Read the ``JOBS_*`` settings of an app."""
        return cls(
            max_attempts=int(config.get("JOBS_MAX_ATTEMPTS", cls.max_attempts)),
            retry_seconds=float(config.get("JOBS_RETRY_SECONDS", cls.retry_seconds)),
            retry_max_seconds=float(config.get("JOBS_RETRY_MAX_SECONDS", cls.retry_max_seconds)),
            stale_seconds=float(config.get("JOBS_STALE_SECONDS", cls.stale_seconds)),
            heartbeat_seconds=float(config.get("JOBS_HEARTBEAT_SECONDS", cls.heartbeat_seconds)),
            poll_seconds=float(config.get("JOBS_POLL_SECONDS", cls.poll_seconds)),
        )

    def backoff(self, attempts: int) -> timedelta:
        """The wait after the ``attempts``-th failed attempt."""
        seconds = self.retry_seconds * 2 ** max(attempts - 1, 0)
        return timedelta(seconds=min(seconds, self.retry_max_seconds))


def settings() -> JobSettings:
    """The current app's job settings."""
    return JobSettings.from_config(current_app.config)


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
        now = self.job.heartbeat_at = utcnow()
        if self.inline:
            self.session.flush()
        else:
            # progress proves the worker alive too (on SQLite it has no heartbeat thread)
            self.session.execute(
                update(WorkerProcess)
                .where(WorkerProcess.name == self.job.locked_by)
                .values(heartbeat_at=now)
            )
            self.session.commit()
        for hook in self._on_progress:
            hook(self.job)


Handler = Callable[[JobContext], dict[str, Any] | None]


@dataclass(frozen=True)
class _Registered:
    fn: Handler
    max_attempts: int | None


_HANDLERS: dict[str, _Registered] = {}


def handler(kind: str, *, max_attempts: int | None = None) -> Callable[[Handler], Handler]:
    """Register the function that runs jobs of ``kind``.

    :param max_attempts: overrides ``JOBS_MAX_ATTEMPTS`` for this kind (1: never retried).
    """

    def register(fn: Handler) -> Handler:
        _HANDLERS[kind] = _Registered(fn, max_attempts)
        return fn

    return register


def _max_attempts(kind: str, cfg: JobSettings) -> int:
    registered = _HANDLERS.get(kind)
    if registered is not None and registered.max_attempts is not None:
        return registered.max_attempts
    return cfg.max_attempts


def enqueue(
    session: Session,
    kind: str,
    payload: dict[str, Any] | None = None,
    *,
    created_by_id: int | None = None,
    total: int = 0,
) -> Job:
    """Add a job to the queue in the caller's transaction (flushes; the caller commits).

    With ``JOBS_INLINE`` the job runs before this returns.

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
        wake_after_commit(session)
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
            result = _HANDLERS[job.kind].fn(ctx)
    except Exception as exc:  # a failed job is recorded, not raised into the request
        log.exception("job %s (%s) failed", job.id, job.kind)
        _mark_failed(job, exc)
    else:
        _mark_done(job, result)
    session.flush()


def _error_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]


def _mark_done(job: Job, result: dict[str, Any] | None) -> None:
    job.move_to(JobStatus.DONE)
    if result:
        job.result = copy.deepcopy({**(job.result or {}), **result})
    job.progress_done = max(job.progress_done, job.progress_total)
    job.finished_at = utcnow()
    job.locked_by = None
    job.run_after = None


def _mark_failed(job: Job, exc: BaseException | str) -> None:
    job.move_to(JobStatus.FAILED)
    job.error = exc if isinstance(exc, str) else _error_text(exc)
    job.finished_at = utcnow()
    job.locked_by = None
    job.run_after = None


def _is_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def claim_next(session: Session, worker_id: str, *, kinds: tuple[str, ...] = ()) -> Job | None:
    """Take the oldest job that is due for ``worker_id`` and commit; ``None`` when none is.

    PostgreSQL locks the chosen row with ``FOR UPDATE SKIP LOCKED``, so concurrent workers
    each get a different row without waiting. SQLite serialises writers: the UPDATE only
    succeeds while the row is still ``queued``, and a worker that lost the race moves on.
    """
    now = utcnow()
    due = [
        Job.status == JobStatus.QUEUED,
        or_(Job.run_after.is_(None), Job.run_after <= now),
    ]
    if kinds:
        due.append(Job.kind.in_(kinds))
    claim = {
        "status": JobStatus.RUNNING,
        "locked_by": worker_id,
        "heartbeat_at": now,
        "started_at": now,
        "finished_at": None,
        "attempts": Job.attempts + 1,
    }
    if _is_postgresql(session):
        job_id = session.scalar(
            select(Job.id).where(*due).order_by(Job.id).limit(1).with_for_update(skip_locked=True)
        )
        if job_id is None:
            session.rollback()
            return None
        session.execute(
            update(Job)
            .where(Job.id == job_id)
            .values(**claim)
            .execution_options(synchronize_session=False)
        )
        session.commit()
        return session.get(Job, job_id, populate_existing=True)

    candidates = list(session.scalars(select(Job.id).where(*due).order_by(Job.id).limit(10)))
    session.rollback()  # end the read so the claim starts a fresh write transaction
    for job_id in candidates:
        claimed = session.execute(
            update(Job)
            .where(Job.id == job_id, Job.status == JobStatus.QUEUED)
            .values(**claim)
            .execution_options(synchronize_session=False)
        )
        session.commit()
        if claimed.rowcount == 1:  # type: ignore[attr-defined]
            return session.get(Job, job_id, populate_existing=True)
    return None


def live_worker_names(now_limit: Any) -> Any:
    """A subquery of the names of workers with a heartbeat since ``now_limit``."""
    return select(WorkerProcess.name).where(
        WorkerProcess.heartbeat_at >= now_limit, WorkerProcess.stopped_at.is_(None)
    )


def requeue_stale(session: Session, *, stale_after: float | None = None) -> list[int]:
    """Take over running jobs whose worker has been silent for ``stale_after`` seconds.

    A job counts as abandoned when its own heartbeat and its worker's heartbeat are both older
    than the limit. It goes back to the queue (its error says why) or, when it has used all its
    attempts, it is marked failed. Commits. Returns the ids re-queued or failed.
    """
    cfg = settings()
    stale = cfg.stale_seconds if stale_after is None else stale_after
    limit = utcnow() - timedelta(seconds=stale)
    rows = session.execute(
        select(Job.id, Job.kind, Job.attempts, Job.locked_by).where(
            Job.status == JobStatus.RUNNING,
            or_(Job.heartbeat_at.is_(None), Job.heartbeat_at < limit),
            or_(Job.locked_by.is_(None), Job.locked_by.not_in(live_worker_names(limit))),
        )
    ).all()
    taken: list[int] = []
    for job_id, kind, attempts, locked_by in rows:
        why = (
            f"worker {locked_by or '?'} stopped during attempt {attempts} "
            f"(no heartbeat for {stale:g} s)"
        )
        if attempts >= _max_attempts(kind, cfg):
            values: dict[str, Any] = {
                "status": JobStatus.FAILED,
                "error": why,
                "finished_at": utcnow(),
            }
        else:
            values = {"status": JobStatus.QUEUED, "error": why + "; taken over"}
        owner = Job.locked_by.is_(None) if locked_by is None else Job.locked_by == locked_by
        res = session.execute(
            update(Job)
            .where(Job.id == job_id, Job.status == JobStatus.RUNNING, owner)
            .values(locked_by=None, run_after=None, **values)
            .execution_options(synchronize_session=False)
        )
        if res.rowcount == 1:  # type: ignore[attr-defined]
            taken.append(job_id)
            log.warning("job %s: %s", job_id, values["error"])
    session.commit()
    return taken


def _still_ours(session: Session, job: Job, worker_id: str | None) -> bool:
    if worker_id is None:
        return True
    owner = session.scalar(select(Job.locked_by).where(Job.id == job.id))
    if owner != worker_id:
        log.warning("job %s was taken over by %s; this worker drops its outcome", job.id, owner)
        return False
    return True


def run_claimed(session: Session, job: Job, *, worker_id: str | None = None) -> None:
    """Run a job this worker claimed; commit its outcome (done, retry later, or failed)."""
    job_id, kind = job.id, job.kind
    registered = _HANDLERS.get(kind)
    ctx = JobContext(session=session, job=job, inline=False)
    try:
        if registered is None:
            raise JobError(f"no handler for job kind {kind!r}")
        result = registered.fn(ctx)
    except Exception as exc:  # the job failed: keep the error for the user, keep working
        log.error("job %s (%s) failed:\n%s", job_id, kind, traceback.format_exc())
        session.rollback()
        job = session.get(Job, job_id, populate_existing=True) or job
        if not _still_ours(session, job, worker_id):
            session.rollback()
            return
        cfg = settings()
        if registered is not None and job.attempts < _max_attempts(job.kind, cfg):
            job.move_to(JobStatus.QUEUED)
            job.error = f"attempt {job.attempts} failed: {_error_text(exc)}"[:2000]
            job.run_after = utcnow() + cfg.backoff(job.attempts)
            job.locked_by = None
        else:
            _mark_failed(job, exc)
        session.commit()
        return
    if not _still_ours(session, job, worker_id):
        session.rollback()
        return
    _mark_done(job, result)
    session.commit()


def retry(session: Session, job: Job) -> None:
    """Put a failed job back in the queue for a fresh round of attempts (flushes)."""
    job.move_to(JobStatus.QUEUED)
    job.attempts = 0
    job.run_after = None
    job.finished_at = None
    session.flush()
    wake_after_commit(session)


def new_worker_id() -> str:
    """A worker id unique across hosts, processes and restarts."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


_WAKE = threading.Event()


def wake_workers() -> None:
    """Wake this process's idle worker thread (the others find the work when they poll)."""
    _WAKE.set()


def wake_after_commit(session: Session) -> None:
    """Wake the in-process worker once ``session`` commits (the work is visible then)."""
    session.info["concord.wake"] = True
    if not session.info.get("concord.wake_listener"):
        session.info["concord.wake_listener"] = True
        event.listen(session, "after_commit", _on_commit)


def _on_commit(session: Session) -> None:
    if session.info.pop("concord.wake", False):
        wake_workers()
