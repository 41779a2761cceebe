"""``flask --app portal worker``: run jobs and deliver the outbox (one process per service)."""

from __future__ import annotations

from ..jobs.commands import make_worker_command

cli = make_worker_command("worker")
