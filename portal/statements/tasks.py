"""Close the "statement not confirmed" tasks of a statement once it is answered or replaced."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit.service import record
from ..models import FollowUp, FollowUpKind, FollowUpStatus, Statement, User, utcnow


def close_statement_tasks(
    session: Session, statement: Statement, *, actor: User | None, why: str
) -> int:
    """Mark the open unconfirmed-statement tasks of ``statement`` done (audited); how many.

    :param why: what answered the statement (``confirmed``, ``disputed``, ``superseded``).
    """
    tasks = session.scalars(
        select(FollowUp).where(
            FollowUp.statement_id == statement.id,
            FollowUp.kind == FollowUpKind.STATEMENT_UNCONFIRMED,
            FollowUp.status.in_((FollowUpStatus.OPEN, FollowUpStatus.IN_PROGRESS)),
        )
    ).all()
    for task in tasks:
        task.move_to(FollowUpStatus.DONE)
        task.closed_at = utcnow()
        task.closed_by_id = actor.id if actor is not None else None
        record(
            session,
            actor,
            "followup.status",
            task,
            reason=f"statement {statement.number} {why}",
            data={"to": "done", "statement": statement.number},
        )
    session.flush()
    return len(tasks)
