"""``flask --app portal jobs ...``: inspect and retry jobs; ``jobs work`` runs a worker."""

from __future__ import annotations

import signal
from types import FrameType

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from ..extensions import db
from ..models import Job, JobStatus
from .queue import requeue_stale, retry
from .worker import Worker


def make_worker_command(name: str) -> click.Command:
    """The command that runs a worker in the foreground (``worker``, alias ``jobs work``)."""

    @click.command(name)
    @click.option("--once", is_flag=True, help="Deliver and run what is due, then exit.")
    @click.option("--poll", type=float, default=None, help="Seconds between queue polls.")
    @click.option(
        "--stale-after",
        type=float,
        default=None,
        help="Seconds of silence after which another worker's job is taken over.",
    )
    @with_appcontext
    def work(once: bool, poll: float | None, stale_after: float | None) -> None:
        """Run background jobs and deliver the outbox until stopped (SIGTERM finishes the job)."""
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        worker = Worker(app, poll_seconds=poll, stale_after=stale_after, kind="process")
        click.echo(f"worker {worker.worker_id} started")
        if once:
            worker.register()
            try:
                worker.run(once=True)
            finally:
                worker._finish()
            return

        def _stop(_signum: int, _frame: FrameType | None) -> None:
            worker.request_stop()

        previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            worker.serve()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        click.echo(f"worker {worker.worker_id} stopped")

    return work


@click.group("jobs")
def cli() -> None:
    """Background jobs (bank imports and other long work)."""


cli.add_command(make_worker_command("work"))


@cli.command("list")
@click.option("--status", type=click.Choice([s.value for s in JobStatus]), default=None)
@click.option("--limit", type=int, default=30, show_default=True)
@with_appcontext
def list_jobs(status: str | None, limit: int) -> None:
    """Show the latest jobs with their status, attempts and last error."""
    query = select(Job).order_by(Job.id.desc()).limit(limit)
    if status:
        query = query.where(Job.status == JobStatus(status))
    for job in db.session.scalars(query):
        line = f"{job.id:>6}  {job.kind:<20} {job.status.value:<8} attempts {job.attempts}"
        if job.run_after and job.status is JobStatus.QUEUED:
            line += f"  next try {job.run_after:%Y-%m-%d %H:%M:%S} UTC"
        if job.error:
            line += f"  error: {job.error.splitlines()[0][:120]}"
        click.echo(line)


@cli.command("retry")
@click.argument("job_id", type=int)
@with_appcontext
def retry_job(job_id: int) -> None:
    """Put a failed job back in the queue for a fresh round of attempts."""
    session = db.session()
    job = session.get(Job, job_id)
    if job is None:
        raise click.ClickException(f"no job {job_id}")
    if job.status is not JobStatus.FAILED:
        raise click.ClickException(f"job {job_id} is {job.status.value}, not failed")
    retry(session, job)
    session.commit()
    click.echo(f"job {job_id} queued again")


@cli.command("requeue-stale")
@click.option("--stale-after", type=float, default=None)
@with_appcontext
def requeue(stale_after: float | None) -> None:
    """Take over running jobs whose worker has no recent heartbeat."""
    ids = requeue_stale(db.session(), stale_after=stale_after)
    click.echo(f"re-queued {len(ids)} job(s)")
