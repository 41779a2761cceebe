"""Payment behaviour per customer: a score, a grade A–D with its reasons, and warnings.

An invoice counts as *settled* on the booking date of the last bank transaction applied to it
(active allocations only) once its open amount is zero; an invoice still open after its due date
counts as late by the days overdue so far. Only invoices due in the last twelve months count.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..audit.service import record
from ..caching import cached_until_changed
from ..ledger.records import settling_records
from ..models import (
    Allocation,
    AuditEvent,
    BankTransaction,
    Customer,
    Dispute,
    Invoice,
    InvoiceStatus,
    User,
)
from ..models.base import typed_amount_problem

ZERO = Decimal("0")
WINDOW_DAYS = 365
#: average days late more than this much worse in the last 3 months than the 3 before = worse
TREND_DAYS = 5.0


@dataclass
class CreditScore:
    """One customer's payment behaviour."""

    customer: Customer
    grade: str = "A"
    """``A`` (best) to ``D``, from the figures below and the credit limit."""
    reasons: list[str] = field(default_factory=list)
    """What a credit controller reads for the grade, in the reader's language."""
    exposure: Decimal = ZERO
    """Open amount of every invoice in the customer's own currency, due or not."""
    invoices: int = 0
    """Invoices due in the last twelve months (up to today): what the figures below measure."""
    avg_days_late: float = 0.0
    """Days late on average: to the day it was settled, or to today while it is open."""
    share_late: float = 0.0
    """Share of those invoices settled late, or open past their due date (0 to 1)."""
    dispute_rate: float = 0.0
    """Disputes raised in the window per invoice due in it (at most 1)."""
    recent_days_late: float | None = None
    """Days late on average of the invoices due in the last three months (``None``: none)."""
    earlier_days_late: float | None = None
    """The same, of the invoices due in the three months before those."""

    @property
    def trend(self) -> float | None:
        """Change of average days late: last three months minus the three months before."""
        if self.recent_days_late is None or self.earlier_days_late is None:
            return None
        return self.recent_days_late - self.earlier_days_late

    @property
    def worsening(self) -> bool:
        return self.trend is not None and self.trend > TREND_DAYS

    @property
    def over_limit(self) -> bool:
        limit = self.customer.credit_limit
        return limit is not None and self.exposure > limit

    @property
    def available(self) -> Decimal | None:
        limit = self.customer.credit_limit
        return None if limit is None else limit - self.exposure

    @cached_property
    def warning(self) -> bool:
        # read once per score: the credit page keeps scores between requests
        return self.over_limit or self.worsening or self.grade == "D"


def _settled_dates(session: Session, invoice_ids: list[int] | None) -> dict[int, dt.date]:
    """The last booking date of money applied to each invoice (active allocations).

    :param invoice_ids: the invoices to look at; ``None`` for all (one query, no id list).
    """
    query = (
        select(Allocation.invoice_id, func.max(BankTransaction.booking_date))
        .join(BankTransaction, BankTransaction.id == Allocation.transaction_id)
        .where(
            Allocation.invoice_id.is_not(None),
            settling_records(),
        )
        .group_by(Allocation.invoice_id)
    )
    if invoice_ids is None:
        return {inv_id: day for inv_id, day in session.execute(query).all() if inv_id is not None}
    found: dict[int, dt.date] = {}
    for start in range(0, len(invoice_ids), 900):
        chunk = query.where(Allocation.invoice_id.in_(invoice_ids[start : start + 900]))
        found.update(
            {inv_id: day for inv_id, day in session.execute(chunk).all() if inv_id is not None}
        )
    return found


def score_customers(
    session: Session, *, today: dt.date | None = None, customer_ids: list[int] | None = None
) -> list[CreditScore]:
    """Score every customer (or the given ones), worst grade first."""
    today = today or dt.date.today()
    since = today - dt.timedelta(days=WINDOW_DAYS)
    cq = select(Customer).order_by(Customer.code)
    if customer_ids is not None:
        cq = cq.where(Customer.id.in_(customer_ids))
    customers = {c.id: c for c in session.scalars(cq)}
    # plain columns, not ORM objects: at 100,000 invoices this is most of the page's time
    iq = select(
        Invoice.id, Invoice.customer_id, Invoice.due_date, Invoice.open_amount, Invoice.currency
    ).where(Invoice.status != InvoiceStatus.CANCELLED)
    if customer_ids is not None:
        iq = iq.where(Invoice.customer_id.in_(list(customers)))
    invoices = session.execute(iq).all()
    settled = _settled_dates(
        session,
        None if customer_ids is None else [i.id for i in invoices if i.open_amount == 0],
    )
    disputes: dict[int, int] = defaultdict(int)
    for cid, count in session.execute(
        select(Dispute.customer_id, func.count())
        .where(Dispute.created_at >= dt.datetime.combine(since, dt.time(), dt.UTC))
        .group_by(Dispute.customer_id)
    ):
        disputes[cid] = count

    scores = {cid: CreditScore(customer=c) for cid, c in customers.items()}
    lateness: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
    for inv_id, customer_id, due_date, open_amount, currency in invoices:
        score = scores.get(customer_id)
        if score is None:
            continue
        # amounts in different currencies are never added: exposure is in the customer's own
        if currency == score.customer.currency:
            score.exposure += open_amount
        if due_date < since or due_date > today:
            continue
        if open_amount == 0:
            paid_on = settled.get(inv_id, due_date)
            late = max(0, (paid_on - due_date).days)
        else:
            late = max(0, (today - due_date).days)
        lateness[customer_id].append((due_date, late))

    recent_from = today - dt.timedelta(days=91)
    earlier_from = today - dt.timedelta(days=182)
    for cid, score in scores.items():
        items = lateness.get(cid, [])
        score.invoices = len(items)
        if items:
            score.avg_days_late = sum(late for _, late in items) / len(items)
            score.share_late = sum(1 for _, late in items if late > 0) / len(items)
            score.dispute_rate = min(1.0, disputes.get(cid, 0) / len(items))
            recent = [late for due, late in items if due >= recent_from]
            earlier = [late for due, late in items if earlier_from <= due < recent_from]
            score.recent_days_late = sum(recent) / len(recent) if recent else None
            score.earlier_days_late = sum(earlier) / len(earlier) if earlier else None
        _grade(score)
    return sorted(scores.values(), key=lambda s: (s.grade, s.customer.code), reverse=False)


def change_mark(session: Session, today: dt.date) -> tuple[Any, ...]:
    """What the scores depend on, in a few numbers: they differ whenever the scores may.

    Invoices (count and last id), the append-only ledger, disputes, customers and the audit
    trail by their last ids: every change of an open amount, a due date or a credit limit goes
    through the ledger, the ERP import or a service, and each of them writes an audit event.
    """
    invoices = session.execute(select(func.count(), func.max(Invoice.id))).one()
    marks = session.execute(
        select(
            select(func.max(Allocation.id)).scalar_subquery(),
            select(func.max(Dispute.id)).scalar_subquery(),
            select(func.max(Customer.id)).scalar_subquery(),
            select(func.max(AuditEvent.id)).scalar_subquery(),
        )
    ).one()
    return (today, *invoices, *marks)


def cached_scores(session: Session, cache: dict[str, Any], *, today: dt.date) -> list[CreditScore]:
    """``score_customers()`` kept in ``cache`` (one app's) until :func:`change_mark` moves.

    Scoring 20,000 customers over 100,000 invoices takes seconds; the page is opened far more
    often than the data changes.
    """
    return cached_until_changed(
        cache, change_mark(session, today), lambda: score_customers(session, today=today)
    )


def _grade(score: CreditScore) -> None:
    """Set the grade and the reasons a credit controller reads."""
    reasons = []
    points = 0
    if score.invoices == 0:
        score.grade = "B"
        score.reasons = [_l("no invoices due in the last twelve months")]
        return
    if score.avg_days_late > 30:
        points += 3
    elif score.avg_days_late > 15:
        points += 2
    elif score.avg_days_late > 5:
        points += 1
    reasons.append(_l("pays %(days)s days late on average", days=f"{score.avg_days_late:.1f}"))
    if score.share_late > 0.5:
        points += 2
    elif score.share_late > 0.2:
        points += 1
    reasons.append(_l("%(share)s of invoices paid late", share=f"{score.share_late:.0%}"))
    if score.dispute_rate > 0.2:
        points += 2
    elif score.dispute_rate > 0.05:
        points += 1
    if score.dispute_rate:
        reasons.append(_l("disputes on %(share)s of invoices", share=f"{score.dispute_rate:.0%}"))
    if score.worsening:
        points += 1
        reasons.append(
            _l(
                "getting worse: %(recent)s days late in the last three months against %(earlier)s "
                "before",
                recent=f"{score.recent_days_late:.1f}",
                earlier=f"{score.earlier_days_late:.1f}",
            )
        )
    elif score.trend is not None and score.trend < -TREND_DAYS:
        reasons.append(_l("improving over the last three months"))
    if score.over_limit:
        points += 1
        reasons.append(
            _l(
                "over its credit limit by %(amount)s",
                amount=score.exposure - score.customer.credit_limit,  # type: ignore[operator]
            )
        )
    score.grade = "A" if points <= 1 else "B" if points <= 3 else "C" if points <= 5 else "D"
    score.reasons = reasons


def set_credit_limit(
    session: Session, customer: Customer, limit: Decimal | None, *, user: User
) -> None:
    """Change a customer's credit limit (``None`` = no limit)."""
    if limit is not None and limit < 0:
        raise ValueError(_l("a credit limit cannot be negative"))
    if limit is not None and (problem := typed_amount_problem(limit, customer.currency)):
        raise ValueError(problem)
    old = customer.credit_limit
    customer.credit_limit = limit
    session.flush()
    record(session, user, "customer.credit_limit", customer, data={"from": old, "to": limit})
