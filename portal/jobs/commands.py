"""``flask --app portal jobs ...``: run the job worker as its own process (production)."""

from __future__ import annotations

import signal
import time
from types import FrameType

import click
from flask import current_app
from flask.cli import with_appcontext

from ..extensions import db
from . import DEFAULT_STALE_AFTER, new_worker_id, requeue_stale, work_once


@click.group("jobs")
def cli() -> None:
    """Background jobs (bank uploads)."""


@cli.command("work")
@click.option("--once", is_flag=True, help="Run the queued jobs, then exit.")
@click.option("--poll", default=2.0, show_default=True, help="Seconds between queue polls.")
@click.option("--stale-after", default=DEFAULT_STALE_AFTER, show_default=True, type=float)
@with_appcontext
def work(once: bool, poll: float, stale_after: float) -> None:
    """Re-queue abandoned jobs, then run queued jobs until stopped (SIGTERM finishes the job)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    requeued = requeue_stale(db.session(), stale_after=stale_after)
    if requeued:
        click.echo(f"re-queued abandoned jobs: {', '.join(map(str, requeued))}")
    worker_id = new_worker_id()
    stopping = False

    def _stop(_signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    previous = signal.signal(signal.SIGTERM, _stop)
    click.echo(f"worker {worker_id} started")
    try:
        while not stopping:
            busy = work_once(app, worker_id)
            if not busy:
                if once:
                    break
                time.sleep(poll)
    finally:
        signal.signal(signal.SIGTERM, previous)


@cli.command("requeue-stale")
@click.option("--stale-after", default=DEFAULT_STALE_AFTER, show_default=True, type=float)
@with_appcontext
def requeue(stale_after: float) -> None:
    """Put running jobs without a recent heartbeat back in the queue."""
    ids = requeue_stale(db.session(), stale_after=stale_after)
    click.echo(f"re-queued {len(ids)} job(s)")
