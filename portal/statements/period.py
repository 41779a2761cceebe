"""The period run: every customer's statement of a month, issued and announced one by one.

``flask --app portal statements issue`` and the scheduler's ``monthly-statements`` call
:func:`issue_period`; a company has tens of thousands of customers, so the run loads them in
batches, keeps only what it reports, and one customer's failure does not stop the others.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..models import Customer, Statement, StatementStatus, User, utcnow
from .service import StatementAlreadyIssued, build_for, store_issued

log = logging.getLogger(__name__)

#: customers loaded at a time by :func:`issue_period` (a company has tens of thousands)
ISSUE_BATCH = 200


@dataclass(frozen=True)
class IssuedStatement:
    """A statement a period run issued: what the run reports, not the row and its PDF (a
    company's run issues tens of thousands; holding them all would grow without bound)."""

    id: int
    number: str
    customer: str
    #: the closing balance of each currency, the main one first
    balances: tuple[tuple[Decimal, str], ...]


@dataclass(frozen=True)
class IssueFailure:
    """A customer whose statement the period run could not issue, and why."""

    customer: str
    reason: str


@dataclass
class PeriodIssue:
    """What :func:`issue_period` did: the statements issued and the customers that failed."""

    issued: list[IssuedStatement] = dataclasses.field(default_factory=list)
    failed: list[IssueFailure] = dataclasses.field(default_factory=list)


def issue_period(
    session: Session,
    period_start: dt.date,
    period_end: dt.date,
    *,
    issued_by: User | None = None,
    after_issue: Callable[[Statement], object] | None = None,
    progress: Callable[[int, int], object] | None = None,
    after_batch: Callable[[], object] | None = None,
) -> PeriodIssue:
    """Issue the period's statement of every customer with activity or an open balance.

    Customers that already have a current statement for the period are skipped, so running
    it twice issues nothing twice. Each customer is issued in a savepoint of its own: one
    whose statement cannot be built, certified or announced is logged and reported in
    :attr:`PeriodIssue.failed` with its code and reason, and the others are issued.

    :param after_issue: called with each statement issued, in the same savepoint (announcing
        it: a failure takes the statement back too, so a second run issues and tells again).
    :param progress: called after each customer with how many are done and the total.
    :param after_batch: called after each batch of :data:`ISSUE_BATCH` customers; the command
        line commits there, so a run of many minutes does not hold the database's write lock
        (and the audit trail's) all along, and an interrupted run keeps what it issued.
    """
    done = set(
        session.scalars(
            select(Statement.customer_id).where(
                Statement.period_start == period_start,
                Statement.period_end == period_end,
                Statement.status != StatementStatus.SUPERSEDED,
            )
        )
    )
    ids = [i for i in session.scalars(select(Customer.id).order_by(Customer.code)) if i not in done]
    run = PeriodIssue()
    for first in range(0, len(ids), ISSUE_BATCH):
        # loaded a batch at a time and let go after it: memory stays flat with the company's size
        batch = session.scalars(
            select(Customer)
            .where(Customer.id.in_(ids[first : first + ISSUE_BATCH]))
            .options(selectinload(Customer.contacts))
            .order_by(Customer.code)
        ).all()
        for n, customer in enumerate(batch, start=first + 1):
            _issue_one(session, customer, period_start, period_end, issued_by, after_issue, run)
            if progress is not None:
                progress(n, len(ids))
        if after_batch is not None:
            after_batch()
    return run


def _issue_one(
    session: Session,
    customer: Customer,
    period_start: dt.date,
    period_end: dt.date,
    issued_by: User | None,
    after_issue: Callable[[Statement], object] | None,
    run: PeriodIssue,
) -> None:
    """Issue (and announce) one customer's statement of a period run in a savepoint."""
    code = customer.code
    try:
        with session.begin_nested():
            # built once: what decides whether to issue is what is issued
            now = utcnow()
            data, ledger = build_for(session, customer, period_start, period_end, issuing_at=now)
            if data.is_empty:
                return
            statement = store_issued(
                session, customer, data, ledger, now, supersedes=None, issued_by=issued_by
            )
            if after_issue is not None:
                after_issue(statement)
    except StatementAlreadyIssued:
        return  # issued by someone else meanwhile: nothing left to do for this customer
    except Exception as exc:  # one customer's data must not stop the company's run
        log.exception("statement of customer %s for %s failed", code, period_start)
        run.failed.append(IssueFailure(code, str(exc) or type(exc).__name__))
        return
    run.issued.append(
        IssuedStatement(
            id=statement.id,
            number=statement.number,
            customer=code,
            balances=tuple((b.closing_balance, b.currency) for b in statement.balances),
        )
    )
