"""Scheduled work, run once a day per task by ``flask --app portal scheduler run-due``.

The registry and the run logic are in :mod:`portal.scheduler.registry`; the built-in tasks
(monthly statements, daily follow-ups) in :mod:`portal.scheduler.tasks`.
"""

from .registry import (
    Outcome,
    ScheduledTask,
    daily,
    monthly_on,
    run_due,
    scheduled_task,
    tasks,
)
from .tasks import daily_followups, monthly_statements, statement_reminders

__all__ = [
    "Outcome",
    "ScheduledTask",
    "daily",
    "daily_followups",
    "monthly_on",
    "monthly_statements",
    "run_due",
    "scheduled_task",
    "statement_reminders",
    "tasks",
]
