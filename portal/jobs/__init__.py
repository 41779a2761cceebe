"""Background jobs: a persistent queue (``queue``) and the workers that run it (``worker``).

See :mod:`portal.jobs.queue` for how jobs are claimed, retried and taken over, and
:mod:`portal.jobs.worker` for the worker process (``flask --app portal worker``).
"""

from .queue import (
    DEFAULT_STALE_AFTER,
    JobContext,
    JobError,
    JobSettings,
    claim_next,
    enqueue,
    handler,
    new_worker_id,
    requeue_stale,
    retry,
    run_claimed,
    run_inline,
    settings,
    wake_after_commit,
    wake_workers,
)
from .worker import Worker, ensure_worker, work_once

__all__ = [
    "DEFAULT_STALE_AFTER",
    "JobContext",
    "JobError",
    "JobSettings",
    "Worker",
    "claim_next",
    "enqueue",
    "ensure_worker",
    "handler",
    "new_worker_id",
    "requeue_stale",
    "retry",
    "run_claimed",
    "run_inline",
    "settings",
    "wake_after_commit",
    "wake_workers",
    "work_once",
]
