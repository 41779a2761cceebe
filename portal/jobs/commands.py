"""``flask --app portal jobs ...``: inspect and retry jobs; ``jobs work`` runs a worker."""

from __future__ import annotations

import signal
from collections.abc import Callable
from types import FrameType
from typing import TypeVar

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..cli import first_line
from ..extensions import db
from ..models import Job, JobStatus, OutboxMessage, OutboxStatus
from .queue import requeue_stale, retry
from .worker import Worker

#: a row of a queue the CLI lists and retries: a background job or an outbox message
Queued = TypeVar("Queued", Job, OutboxMessage)


def newest(
    model: type[Queued], status: JobStatus | OutboxStatus | None, limit: int
) -> list[Queued]:
    """The latest ``limit`` jobs or messages, newest first; only those in ``status`` if given."""
    query = select(model).order_by(model.id.desc()).limit(limit)
    if status is not None:
        query = query.where(model.status == status)
    return list(db.session.scalars(query))


def retry_failed(
    model: type[Queued], row_id: int, what: str, again: Callable[[Session, Queued], None]
) -> None:
    """Queue a failed job or message ``again`` and commit; refused unless it failed.

    :param what: how the row is named in the answer ("job", "outbox message").
    :raises click.ClickException: there is no such row, or it has not failed.
    """
    session = db.session()
    row = session.get(model, row_id)
    if row is None:
        raise click.ClickException(f"no {what} {row_id}")
    if row.status.value != "failed":
        raise click.ClickException(f"{what} {row_id} is {row.status.value}, not failed")
    again(session, row)
    session.commit()
    click.echo(f"{what} {row_id} queued again")


def add_queue_commands(
    group: click.Group,
    model: type[Queued],
    statuses: type[JobStatus] | type[OutboxStatus],
    what: str,
    line: Callable[[Queued], str],
    again: Callable[[Session, Queued], None],
) -> None:
    """Add ``list`` and ``retry`` to the command group of a queue (jobs, outbox messages).

    ``list`` shows the newest rows, one ``line`` each; ``retry`` is :func:`retry_failed`.
    :param what: how a row is named in the help and the answers ("job", "message").
    """

    @group.command("list", help=f"Show the latest {what}s with their status, attempts and errors.")
    @click.option("--status", type=click.Choice([s.value for s in statuses]), default=None)
    @click.option("--limit", type=int, default=30, show_default=True)
    @with_appcontext
    def list_rows(status: str | None, limit: int) -> None:
        for row in newest(model, statuses(status) if status else None, limit):
            click.echo(line(row))

    @group.command("retry", help=f"Queue a failed {what} again for a fresh round of attempts.")
    @click.argument("row_id", metavar=f"{what.upper()}_ID", type=int)
    @with_appcontext
    def retry_row(row_id: int) -> None:
        retry_failed(model, row_id, what, again)


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


def _job_line(job: Job) -> str:
    line = f"{job.id:>6}  {job.kind:<20} {job.status.value:<8} attempts {job.attempts}"
    if job.run_after and job.status is JobStatus.QUEUED:
        line += f"  next try {job.run_after:%Y-%m-%d %H:%M:%S} UTC"
    if job.error:
        line += f"  error: {first_line(job.error)}"
    return line


add_queue_commands(cli, Job, JobStatus, "job", _job_line, retry)


@cli.command("requeue-stale")
@click.option("--stale-after", type=float, default=None)
@with_appcontext
def requeue(stale_after: float | None) -> None:
    """Take over running jobs whose worker has no recent heartbeat."""
    ids = requeue_stale(db.session(), stale_after=stale_after)
    click.echo(f"re-queued {len(ids)} job(s)")
