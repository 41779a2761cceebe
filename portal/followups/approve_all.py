""" "Approve all" as a background job: thousands of proposals approved in batches, with progress.

The request that confirms the number only queues the job (with the ids it confirmed) and shows
its progress; a worker approves :data:`BATCH` proposals at a time, each batch committed on its
own. Every batch claims its proposals with a conditional UPDATE (see
:func:`~portal.followups.case_dispatch.claim_proposals`), so a second job, a double press or
"approve the ticked" at the same moment never approves (and sends) one proposal twice. A press
while a job runs joins it instead of starting another.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..banking.queries import job_progress
from ..jobs import JobContext, enqueue, handler
from ..models import Job, JobStatus, User
from ..models.base import utcnow
from . import ladders
from .case_dispatch import Approval, approve

APPROVE_ALL_JOB = "collections.approve_all"
#: proposals approved (and their messages queued) per transaction
BATCH = 200


def running_job(session: Session) -> Job | None:
    """The approve-all job that is queued or running, if any (the oldest)."""
    return session.scalar(
        select(Job)
        .where(Job.kind == APPROVE_ALL_JOB, Job.status.in_((JobStatus.QUEUED, JobStatus.RUNNING)))
        .order_by(Job.id)
        .limit(1)
    )


def start(session: Session, ids: list[int], *, user: User) -> tuple[Job, bool]:
    """Queue approving ``ids``, or join the approve-all job already under way.

    Returns the job and whether it is a new one (flushes; the caller commits).
    """
    under_way = running_job(session)
    if under_way is not None:
        return under_way, False
    job = enqueue(
        session,
        APPROVE_ALL_JOB,
        {"ids": sorted(ids), "user_id": user.id},
        created_by_id=user.id,
        total=len(ids),
    )
    return job, True


@handler(APPROVE_ALL_JOB)
def _approve_all(ctx: JobContext, *, now: dt.datetime | None = None) -> dict[str, Any]:
    """Approve the job's proposals batch by batch; a retry goes on from the last batch done."""
    session, job = ctx.session, ctx.job
    ids: list[int] = list(job.payload.get("ids", []))
    user = session.get(User, int(job.payload["user_id"]))
    if user is None:
        raise LookupError(f"user {job.payload['user_id']} is gone")
    settings = ladders.load_settings(session)
    counts = {k: int((job.result or {}).get(k, 0)) for k in Approval._fields}
    for start_at in range(min(job.progress_done, len(ids)), len(ids), BATCH):
        batch = ids[start_at : start_at + BATCH]
        done = approve(session, batch, user=user, settings=settings, now=now or utcnow())
        counts = {key: counts[key] + value for key, value in done._asdict().items()}
        ctx.progress(start_at + len(batch), len(ids), **counts)
    return counts


def summary(job: Job) -> str:
    """What the job did so far, as finance reads it."""
    result = job.result or {}
    return approval_text(Approval(*(int(result.get(key, 0)) for key in Approval._fields)))


def approval_text(done: Approval) -> str:
    """What approving proposals did, as finance reads it."""
    if done.cancelled:
        return _(
            "%(approved)d approved: %(sent)d message(s) queued, %(held)d held "
            "(quiet hours or weekly cap), %(cancelled)d cancelled instead of sent (settled "
            "meanwhile, or the case closed or went to legal).",
            approved=done.approved,
            sent=done.sent,
            held=done.held,
            cancelled=done.cancelled,
        )
    return _(
        "%(approved)d approved: %(sent)d message(s) queued, %(held)d held "
        "(quiet hours or weekly cap).",
        approved=done.approved,
        sent=done.sent,
        held=done.held,
    )


def status(job: Job) -> dict[str, Any]:
    """The job's progress for the page that polls it."""
    return {
        **job_progress(job),
        "summary": summary(job),
        "finished": job.status in (JobStatus.DONE, JobStatus.FAILED),
    }
