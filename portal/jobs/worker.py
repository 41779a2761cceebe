"""The worker: claims and runs jobs, delivers the outbox, reaps abandoned work, beats a heart.

``flask --app portal worker`` runs one in the foreground as its own process (production; run
as many as you like, on one machine or several, against one PostgreSQL database). ``make run``
starts one as a thread of the development server instead (``JOBS_WORKER``).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from datetime import timedelta
from typing import Any

from flask import Flask
from sqlalchemy import delete, update

from ..extensions import db
from ..models import WorkerProcess, utcnow
from .queue import (
    _WAKE,
    JobSettings,
    claim_next,
    new_worker_id,
    requeue_stale,
    run_claimed,
)

log = logging.getLogger(__name__)

#: stopped or long-silent worker rows older than this are deleted while reaping
FORGET_WORKERS_AFTER = timedelta(days=7)
#: messages delivered per loop turn before the worker looks at the job queue again
OUTBOX_BATCH = 20


def work_once(app: Flask, worker_id: str) -> bool:
    """Deliver due messages, then claim and run one job; ``False`` when there was nothing."""
    from ..outbox import deliver_due  # the outbox queues through jobs settings: import late

    with app.app_context():
        session = db.session()
        sent = deliver_due(session, worker_id, limit=OUTBOX_BATCH)
        job = claim_next(session, worker_id)
        if job is not None:
            run_claimed(session, job, worker_id=worker_id)
            _count(worker_id, jobs=1, messages=sent)
        elif sent:
            _count(worker_id, messages=sent)
        return job is not None or sent > 0


def _count(worker_id: str, *, jobs: int = 0, messages: int = 0) -> None:
    with db.engine.begin() as conn:
        conn.execute(
            update(WorkerProcess)
            .where(WorkerProcess.name == worker_id)
            .values(
                jobs_done=WorkerProcess.jobs_done + jobs,
                messages_sent=WorkerProcess.messages_sent + messages,
            )
        )


def reap(app: Flask, *, stale_after: float | None = None) -> list[int]:
    """Take over abandoned jobs and interrupted messages; forget long-dead workers."""
    from ..outbox import reap_interrupted

    with app.app_context():
        session = db.session()
        jobs = requeue_stale(session, stale_after=stale_after)
        reap_interrupted(session, stale_after=stale_after)
        forget = utcnow() - FORGET_WORKERS_AFTER
        session.execute(delete(WorkerProcess).where(WorkerProcess.heartbeat_at < forget))
        session.commit()
        return jobs


class Worker:
    """Runs queued jobs and delivers the outbox until stopped, in a thread or in the foreground.

    Settings not passed come from the app's ``JOBS_*`` configuration.
    """

    def __init__(
        self,
        app: Flask,
        *,
        poll_seconds: float | None = None,
        stale_after: float | None = None,
        heartbeat_seconds: float | None = None,
        worker_id: str | None = None,
        kind: str = "thread",
    ) -> None:
        cfg = JobSettings.from_config(app.config)
        self.app = app
        self.poll_seconds = cfg.poll_seconds if poll_seconds is None else poll_seconds
        self.stale_after = cfg.stale_seconds if stale_after is None else stale_after
        self.heartbeat_seconds = (
            min(cfg.heartbeat_seconds, max(self.stale_after / 3, 0.05))
            if heartbeat_seconds is None
            else heartbeat_seconds
        )
        # look for abandoned work a few times per stale period (at most every 30 s)
        self.reap_seconds = min(max(self.stale_after / 3, 0.05), 30.0)
        self.worker_id = worker_id or new_worker_id()
        self.kind = kind
        # SQLite: a write from a second connection between a job's read and its write makes
        # the job's transaction fail at once (WAL snapshot), so there the loop and each job's
        # progress beat instead of a thread
        engine = app.extensions["concord.db"]["engine"]
        self.beat_in_thread = engine.dialect.name != "sqlite"
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._registered = False

    # --- life cycle ---------------------------------------------------------------------

    def register(self) -> None:
        """Record this worker and its first heartbeat (once)."""
        if self._registered:
            return
        self._registered = True
        with self.app.app_context(), db.engine.begin() as conn:
            now = utcnow()
            conn.execute(
                WorkerProcess.__table__.insert().values(
                    name=self.worker_id,
                    hostname=socket.gethostname()[:255],
                    pid=os.getpid(),
                    kind=self.kind,
                    started_at=now,
                    heartbeat_at=now,
                    jobs_done=0,
                    messages_sent=0,
                )
            )

    def start(self) -> None:
        """Register, then run the loop and the heartbeat in daemon threads."""
        self.register()
        if self.beat_in_thread:
            self._spawn(self._beat, "concord-heartbeat")
        self._spawn(self.run, "concord-jobs")
        _WORKERS.append(self)

    def serve(self) -> None:
        """Register and run in the foreground until :meth:`stop` (the worker process)."""
        self.register()
        if self.beat_in_thread:
            self._spawn(self._beat, "concord-heartbeat")
        try:
            self.run()
        finally:
            self._finish()

    def _spawn(self, target: object, name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)  # type: ignore[arg-type]
        thread.start()
        self._threads.append(thread)

    def run(self, *, once: bool = False) -> None:
        """Work until :meth:`stop` (or, with ``once``, until nothing is left to do)."""
        next_reap = next_beat = 0.0
        while not self._stop.is_set():
            if not self.beat_in_thread and time.monotonic() >= next_beat:
                self.beat()
                next_beat = time.monotonic() + self.heartbeat_seconds
            if time.monotonic() >= next_reap:
                try:
                    reap(self.app, stale_after=self.stale_after)
                except Exception:  # a lost connection must not kill the worker
                    log.exception("reaping abandoned work failed")
                next_reap = time.monotonic() + self.reap_seconds
            try:
                busy = work_once(self.app, self.worker_id)
            except Exception:  # keep the worker alive through e.g. a lost DB connection
                log.exception("job worker loop error")
                busy = False
            if not busy:
                if once:
                    break
                _WAKE.wait(min(self.poll_seconds, self.reap_seconds))
                _WAKE.clear()

    def _beat(self) -> None:
        while not self._stop.wait(self.heartbeat_seconds):
            self.beat()

    def beat(self) -> None:
        """Record that this worker is alive."""
        self._mark("worker heartbeat failed", heartbeat_at=utcnow())

    def _mark(self, failure: str, **values: Any) -> None:
        """Set ``values`` on this worker's row in a transaction of its own, or log ``failure``."""
        try:
            with self.app.app_context(), db.engine.begin() as conn:
                conn.execute(
                    update(WorkerProcess)
                    .where(WorkerProcess.name == self.worker_id)
                    .values(**values)
                )
        except Exception:  # the database may be briefly away: the worker goes on (beats again)
            log.warning(failure, exc_info=True)

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the threads to finish the current job and stop; record the stop."""
        self._stop.set()
        _WAKE.set()
        for thread in self._threads:
            if thread is not threading.current_thread():
                thread.join(timeout)
        if self in _WORKERS:
            _WORKERS.remove(self)
            self._finish()

    def request_stop(self) -> None:
        """Stop after the current job (safe to call from a signal handler)."""
        self._stop.set()
        _WAKE.set()

    def _finish(self) -> None:
        now = utcnow()
        self._mark("could not record the worker's stop", stopped_at=now, heartbeat_at=now)


_WORKERS: list[Worker] = []
_START_LOCK = threading.Lock()


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
