"""Blueprint "health": ``GET /healthz`` for load balancers, monitors and systemd (no login)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, current_app, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import Connection, func, select, text
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from ..models import (
    Job,
    JobStatus,
    OutboxMessage,
    OutboxStatus,
    ScheduledRun,
    ScheduledRunStatus,
    WorkerProcess,
    utcnow,
)

bp = Blueprint("health", __name__)


def _age(now: dt.datetime, then: dt.datetime | None) -> float | None:
    return None if then is None else round(max((now - then).total_seconds(), 0.0), 1)


def _count(conn: Connection, query: Any) -> int:
    return int(conn.execute(query).scalar_one())


def _queue_figures(conn: Connection, now: dt.datetime) -> dict[str, Any]:
    jobs = select(func.count()).select_from(Job)
    outbox = select(func.count()).select_from(OutboxMessage)
    oldest = conn.execute(
        select(func.min(Job.created_at)).where(Job.status == JobStatus.QUEUED)
    ).scalar_one()
    if oldest is not None and oldest.tzinfo is None:  # a bare aggregate skips the column type
        oldest = oldest.replace(tzinfo=dt.UTC)
    return {
        "queue_depth": _count(conn, jobs.where(Job.status == JobStatus.QUEUED)),
        "jobs_running": _count(conn, jobs.where(Job.status == JobStatus.RUNNING)),
        "jobs_failed_last_24h": _count(
            conn,
            jobs.where(
                Job.status == JobStatus.FAILED, Job.finished_at >= now - dt.timedelta(days=1)
            ),
        ),
        "oldest_queued_job_age_seconds": _age(now, oldest),
        "outbox_queued": _count(conn, outbox.where(OutboxMessage.status == OutboxStatus.QUEUED)),
        "outbox_failed": _count(conn, outbox.where(OutboxMessage.status == OutboxStatus.FAILED)),
    }


def _tasks_needing_attention(conn: Connection, now: dt.datetime) -> list[str]:
    """The scheduled tasks whose latest run (of the last week) failed or left items failed
    (``partly done``): a figure for monitoring; serving is not affected, so no 503."""
    latest: dict[str, tuple[ScheduledRunStatus, Any]] = {}
    rows = conn.execute(
        select(ScheduledRun.task, ScheduledRun.status, ScheduledRun.result)
        .where(ScheduledRun.day >= (now - dt.timedelta(days=7)).date())
        .order_by(ScheduledRun.day.desc())
    )
    for task, status, result in rows:
        latest.setdefault(task, (status, result))
    return sorted(
        task
        for task, (status, result) in latest.items()
        if status == ScheduledRunStatus.FAILED
        or bool(isinstance(result, dict) and result.get("failed"))
    )


def _worker_heartbeat(
    conn: Connection, in_process: str | None, since: dt.datetime
) -> tuple[dt.datetime | None, int]:
    """The latest heartbeat (of the in-process worker when there is one), and how many
    workers beat since ``since``."""
    running = WorkerProcess.stopped_at.is_(None)
    latest_query = select(func.max(WorkerProcess.heartbeat_at)).where(running)
    if in_process is not None:
        latest_query = latest_query.where(WorkerProcess.name == in_process)
    latest = conn.execute(latest_query).scalar_one()
    if latest is not None and latest.tzinfo is None:  # a bare aggregate skips the column type
        latest = latest.replace(tzinfo=dt.UTC)
    alive = select(func.count()).select_from(WorkerProcess)
    return latest, _count(conn, alive.where(running, WorkerProcess.heartbeat_at >= since))


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """Answer 200 when the database and the worker are fine, else 503, with figures as JSON."""
    config = current_app.config
    limit = float(config["HEALTH_WORKER_MAX_SILENCE_SECONDS"])
    inline = bool(config.get("JOBS_INLINE"))
    worker = current_app.extensions.get("concord.jobs.worker")
    mode = "inline" if inline else ("thread" if config.get("JOBS_WORKER") else "process")
    body: dict[str, Any] = {
        "status": "ok",
        "database": "ok",
        "worker_mode": mode,
        "worker_heartbeat_age_seconds": None,
        "worker_max_silence_seconds": limit,
        "workers_alive": 0,
        "queue_depth": None,
        "problems": [],
    }
    now = utcnow()
    try:
        # the request's own (read-only) transaction, rolled back or committed by the request
        conn = db.session.connection()
        conn.execute(text("SELECT 1"))
        latest, alive = _worker_heartbeat(
            conn, worker.worker_id if worker else None, now - dt.timedelta(seconds=limit)
        )
        body.update(_queue_figures(conn, now))
        body["scheduled_tasks_needing_attention"] = _tasks_needing_attention(conn, now)
    except SQLAlchemyError as exc:
        body.update(status="unavailable", database=f"error: {type(exc).__name__}")
        body["problems"].append("the database is unreachable")
        return jsonify(body), 503
    age = _age(now, latest)
    body.update(worker_heartbeat_age_seconds=age, workers_alive=alive)
    if not inline:
        if age is None:
            body["problems"].append("no worker is running: start `flask --app portal worker`")
        elif age > limit:
            body["problems"].append(f"the worker has been silent for {age:g} s (limit {limit:g} s)")
    if body["problems"]:
        body["status"] = "unavailable"
        return jsonify(body), 503
    return jsonify(body), 200
