"""``GET /healthz``: 200 with the figures, 503 when the database or the worker is away."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from portal import create_app
from portal.banking.service import IMPORT_JOB
from portal.jobs import enqueue
from portal.models import WorkerProcess, utcnow
from tests.conftest import base_config


def test_healthz_inline_is_ok_without_login(app: Flask, client: FlaskClient) -> None:
    app.config["JOBS_INLINE"] = True  # tests and the demo loader: no worker is expected
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["database"] == "ok" and body["status"] == "ok"
    assert body["worker_mode"] == "inline" and body["queue_depth"] == 0
    assert body["worker_heartbeat_age_seconds"] is None


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"JOBS_INLINE": False, "JOBS_WORKER": False, "HEALTH_WORKER_MAX_SILENCE_SECONDS": 60}


def _worker(session: Session, name: str, age: float, *, stopped: bool = False) -> None:
    at = utcnow() - dt.timedelta(seconds=age)
    session.add(
        WorkerProcess(
            name=name,
            hostname="h",
            pid=1,
            kind="process",
            heartbeat_at=at,
            stopped_at=at if stopped else None,
        )
    )
    session.commit()


def test_healthz_reports_503_without_a_worker(client: FlaskClient, session: Session) -> None:
    enqueue(session, IMPORT_JOB, {"file_ids": []})
    session.commit()
    _worker(session, "stopped", 1, stopped=True)  # a worker that stopped cleanly does not count
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["database"] == "ok" and body["worker_mode"] == "process"
    assert body["queue_depth"] == 1 and body["worker_heartbeat_age_seconds"] is None
    assert body["problems"] == ["no worker is running: start `flask --app portal worker`"]


def test_healthz_follows_the_worker_heartbeat(client: FlaskClient, session: Session) -> None:
    _worker(session, "silent", 300)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert 299 <= body["worker_heartbeat_age_seconds"] < 310 and body["workers_alive"] == 0
    assert "silent for" in body["problems"][0]

    _worker(session, "alive", 2)
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert 1 <= body["worker_heartbeat_age_seconds"] < 10 and body["workers_alive"] == 1
    assert body["problems"] == []


def test_healthz_reports_503_when_the_database_is_down(tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    instance.mkdir()
    config = base_config(
        tmp_path,
        INSTANCE_PATH=str(instance),
        DATABASE_URL=f"sqlite:///{tmp_path / 'no-such-dir' / 'db.sqlite3'}",
    )
    app: Flask = create_app(config)
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["database"] == "error: OperationalError"
    assert body["problems"] == ["the database is unreachable"]


def test_healthz_names_the_scheduled_tasks_whose_latest_run_failed_or_was_partial(
    app: Flask, client: FlaskClient, session: Session
) -> None:
    from portal.models import ScheduledRun, ScheduledRunStatus

    app.config["JOBS_INLINE"] = True
    today = utcnow().date()
    yesterday = today - dt.timedelta(days=1)
    runs = [
        # failed yesterday, done today: fine again
        ("daily-followups", yesterday, ScheduledRunStatus.FAILED, {}),
        ("daily-followups", today, ScheduledRunStatus.DONE, {"sent": 1}),
        # done, but a customer's statement could not be built
        ("monthly-statements", today, ScheduledRunStatus.DONE, {"failed": [{"customer": "C1"}]}),
        ("statement-reminders", today, ScheduledRunStatus.FAILED, {}),
    ]
    for task, day, status, result in runs:
        session.add(ScheduledRun(task=task, day=day, status=status, result=result))
    session.commit()
    response = client.get("/healthz")
    assert response.status_code == 200  # serving is not affected
    assert response.get_json()["scheduled_tasks_needing_attention"] == [
        "monthly-statements",
        "statement-reminders",
    ]
