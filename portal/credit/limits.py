"""Credit limits, holds and the credit check a sales order asks before it is confirmed.

A customer's limit in a currency is, from the strongest to the weakest source:

1. a higher limit requested by sales and approved by a finance admin (role ``finance`` or
   ``admin``, never the requester), while it is in force (approved, not past its expiry);
2. the customer's own ``credit_limit`` (from the ERP or set by finance), in its currency;
3. the default limit of the customer's credit grade (A–D) in that currency.

An approved request only ever raises the limit: the higher of (1) and (2 or 3) applies.
Exposure is what the customer owes in that currency as Concord knows it (open amounts after
Concord's own payments, write-offs and credit notes) plus the order being checked.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from ..audit.service import record
from ..errors import ConcordError, required_reason
from ..followups.cases import withdraw_for_hold
from ..models import (
    AppSetting,
    AuditEvent,
    CreditLimitRequest,
    Customer,
    Invoice,
    InvoiceStatus,
    LimitRequestStatus,
    Role,
    User,
    locked,
    utcnow,
)
from ..models.base import exact_amount, typed_amount_problem
from .service import score_customers

ZERO = Decimal("0")
GRADES = ("A", "B", "C", "D")
#: AppSetting key of the default limit per grade and currency (``flask credit grade-limit``)
GRADE_LIMITS_KEY = "credit.grade_limits"
DEFAULT_GRADE_LIMITS: dict[str, dict[str, Decimal]] = {
    "A": {"CNY": Decimal("1000000.00"), "USD": Decimal("150000.00"), "EUR": Decimal("130000.00")},
    "B": {"CNY": Decimal("500000.00"), "USD": Decimal("70000.00"), "EUR": Decimal("65000.00")},
    "C": {"CNY": Decimal("200000.00"), "USD": Decimal("30000.00"), "EUR": Decimal("25000.00")},
    "D": {"CNY": Decimal("50000.00"), "USD": Decimal("7000.00"), "EUR": Decimal("6000.00")},
}
#: open items overdue more than this many days make the check warn / block
DEFAULT_OVERDUE_WARN_DAYS = 30
DEFAULT_OVERDUE_BLOCK_DAYS = 90
#: exposure above this share of the limit warns
NEAR_LIMIT_SHARE = Decimal("0.8")
#: a higher limit is granted for at most this long
MAX_VALIDITY_DAYS = 366
#: roles that may approve a higher limit (the "finance admins")
APPROVER_ROLES = frozenset({Role.FINANCE, Role.ADMIN})
#: roles that may ask for one
REQUESTER_ROLES = frozenset({Role.SALES, Role.FINANCE, Role.ADMIN})


_CURRENCY = re.compile(r"^[A-Z]{3}$")
_AMOUNT = re.compile(r"^[0-9]{1,16}(\.[0-9]{1,4})?$")  # ASCII digits only


class CreditError(ConcordError):
    """A credit action that is refused; the message is for the user."""


@dataclasses.dataclass(frozen=True)
class Reason:
    """Why the check did not simply allow: a code for machines, a message for people."""

    code: str
    level: str  # "warn" or "block"
    message: str
    params: dict[str, Any] = dataclasses.field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "level": self.level, "message": self.message, **self.params}


def _text(amount: Decimal) -> str:
    """An amount as the API and reasons write it: with its cents, a dinar's thousandths kept."""
    return f"{exact_amount(amount):f}"


@dataclasses.dataclass(frozen=True)
class CreditCheck:
    """The answer to a sales order's credit check."""

    decision: str
    exposure: Decimal
    limit: Decimal | None
    currency: str
    reasons: list[Reason]

    def as_dict(self) -> dict[str, Any]:
        return {
            "decision": self.decision,
            "exposure": _text(self.exposure),
            "limit": None if self.limit is None else _text(self.limit),
            "currency": self.currency,
            "reasons": [r.as_dict() for r in self.reasons],
        }


@dataclasses.dataclass(frozen=True)
class Limit:
    """A customer's limit in one currency and where it comes from."""

    amount: Decimal | None
    source: str  # "request", "customer", "grade" or "none"
    request: CreditLimitRequest | None = None
    grade: str | None = None


# --- parsing what a client sends --------------------------------------------------------------


def parse_amount(
    value: str | None, *, what: str = "amount", currency: str | None = None
) -> Decimal:
    """A non-negative amount with at most the decimals of ``currency`` (two when not given:
    a KWD order of 1000.125 is an amount, a CNY one of 12.345 is not).

    :raises CreditError: missing or not such an amount.
    """
    text = (value or "").strip()
    if not text:
        raise CreditError(_("%(what)s is missing", what=what))
    if not _AMOUNT.match(text):
        raise CreditError(
            _("%(what)s must be an amount like 1234.56 (got %(value)s)", what=what, value=text)
        )
    try:
        amount = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern already refused it
        raise CreditError(_("%(what)s is not a number", what=what)) from None
    problem = typed_amount_problem(amount, currency or "CNY")
    if problem is not None:
        raise CreditError(f"{what}: {problem}")
    return amount


def parse_currency(value: str | None) -> str:
    """A three-letter ISO currency code in capitals.

    :raises CreditError: missing or malformed.
    """
    text = (value or "").strip()
    if not _CURRENCY.match(text):
        raise CreditError(_("currency must be a three-letter code like CNY (got %(v)s)", v=text))
    return text


# --- settings ---------------------------------------------------------------------------------


def grade_limits(session: Session) -> dict[str, dict[str, Decimal]]:
    """Default limit per grade and currency: built-in, then config, then saved settings."""
    limits = {g: dict(v) for g, v in DEFAULT_GRADE_LIMITS.items()}
    sources: list[dict[str, Any]] = [current_app.config.get("CREDIT_GRADE_LIMITS") or {}]
    row = session.get(AppSetting, GRADE_LIMITS_KEY)
    if row is not None and row.value:
        sources.append(dict(row.value))
    for source in sources:
        for grade, per_currency in source.items():
            for currency, amount in dict(per_currency).items():
                limits.setdefault(grade, {})[currency] = Decimal(str(amount))
    return limits


def set_grade_limit(
    session: Session, grade: str, currency: str, amount: Decimal, *, actor: User | None
) -> None:
    """Save the default limit of ``grade`` in ``currency`` (audited).

    :raises CreditError: unknown grade or negative amount.
    """
    if grade not in GRADES:
        raise CreditError(_("grade must be one of A, B, C, D"))
    currency = parse_currency(currency)
    if amount < 0:
        raise CreditError(_("a credit limit cannot be negative"))
    row = session.get(AppSetting, GRADE_LIMITS_KEY)
    value = dict(row.value) if row is not None and row.value else {}
    old = dict(value.get(grade, {})).get(currency)
    value[grade] = {**dict(value.get(grade, {})), currency: str(amount)}
    if row is None:
        row = AppSetting(key=GRADE_LIMITS_KEY, value=value)
        session.add(row)
    else:
        row.value = value
    session.flush()
    record(
        session,
        actor,
        "credit.grade_limit",
        row,
        data={"grade": grade, "currency": currency, "from": old, "to": amount},
    )


def _days(key: str, default: int) -> int:
    return int(current_app.config.get(key) or default)


# --- what a customer may owe ----------------------------------------------------------------


def exposures(session: Session, customer: Customer) -> dict[str, Decimal]:
    """What the customer owes per currency as Concord knows it (open amounts)."""
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for currency, amount in session.execute(
        select(Invoice.currency, Invoice.open_amount).where(
            Invoice.customer_id == customer.id,
            Invoice.status != InvoiceStatus.CANCELLED,
            Invoice.open_amount > 0,
        )
    ):
        totals[currency] += amount
    return dict(totals)


def requests_in_force(
    session: Session, customer: Customer, today: dt.date
) -> list[CreditLimitRequest]:
    """Approved higher limits of the customer that have not expired on ``today``."""
    return list(
        session.scalars(
            select(CreditLimitRequest).where(
                CreditLimitRequest.customer_id == customer.id,
                CreditLimitRequest.status == LimitRequestStatus.APPROVED,
                CreditLimitRequest.valid_until >= today,
            )
        )
    )


def limit_for(
    session: Session, customer: Customer, currency: str, *, grade: str, today: dt.date
) -> Limit:
    """The customer's limit in ``currency`` (see the module docstring for the order)."""
    if customer.credit_limit is not None and customer.currency == currency:
        base = Limit(customer.credit_limit, "customer")
    else:
        default = grade_limits(session).get(grade, {}).get(currency)
        base = Limit(default, "grade", grade=grade) if default is not None else Limit(None, "none")
    granted = [r for r in requests_in_force(session, customer, today) if r.currency == currency]
    if granted:
        best = max(granted, key=lambda r: r.amount)
        if base.amount is None or best.amount > base.amount:
            return Limit(best.amount, "request", request=best)
    return base


def check(
    session: Session,
    customer: Customer,
    amount: Decimal,
    currency: str,
    *,
    today: dt.date | None = None,
) -> CreditCheck:
    """Decide whether an order of ``amount`` in ``currency`` may be confirmed on credit."""
    today = today or dt.date.today()
    grade = score_customers(session, today=today, customer_ids=[customer.id])[0].grade
    limit = limit_for(session, customer, currency, grade=grade, today=today)
    exposure = exposures(session, customer).get(currency, ZERO) + amount
    reasons: list[Reason] = []
    if customer.on_hold:
        reasons.append(
            Reason(
                "on_hold",
                "block",
                _("the customer is on credit hold: %(why)s", why=customer.hold_reason or "—"),
            )
        )
    if limit.amount is None:
        reasons.append(
            Reason(
                "no_limit",
                "warn",
                _("no credit limit is set in %(currency)s", currency=currency),
            )
        )
    elif exposure > limit.amount:
        reasons.append(
            Reason(
                "over_limit",
                "block",
                _(
                    "exposure %(exposure)s would exceed the credit limit of %(limit)s %(currency)s",
                    exposure=_text(exposure),
                    limit=_text(limit.amount),
                    currency=currency,
                ),
                {"limit_source": limit.source},
            )
        )
    elif exposure > limit.amount * NEAR_LIMIT_SHARE:
        reasons.append(
            Reason(
                "near_limit",
                "warn",
                _(
                    "exposure %(exposure)s is above 80%% of the credit limit of %(limit)s "
                    "%(currency)s",
                    exposure=_text(exposure),
                    limit=_text(limit.amount),
                    currency=currency,
                ),
                {"limit_source": limit.source},
            )
        )
    if grade == "D":
        reasons.append(
            Reason("grade", "block", _("credit grade %(grade)s", grade=grade), {"grade": grade})
        )
    elif grade == "C":
        reasons.append(
            Reason("grade", "warn", _("credit grade %(grade)s", grade=grade), {"grade": grade})
        )
    reasons += _overdue_reasons(session, customer, today)
    levels = {r.level for r in reasons}
    decision = "block" if "block" in levels else "warn" if "warn" in levels else "allow"
    return CreditCheck(decision, exposure, limit.amount, currency, reasons)


def _overdue_reasons(session: Session, customer: Customer, today: dt.date) -> list[Reason]:
    warn_days = _days("CREDIT_OVERDUE_WARN_DAYS", DEFAULT_OVERDUE_WARN_DAYS)
    block_days = _days("CREDIT_OVERDUE_BLOCK_DAYS", DEFAULT_OVERDUE_BLOCK_DAYS)
    late = list(
        session.scalars(
            select(Invoice)
            .where(
                Invoice.customer_id == customer.id,
                Invoice.open_amount > 0,
                Invoice.status.in_((InvoiceStatus.OPEN, InvoiceStatus.PARTIALLY_PAID)),
                Invoice.due_date < today - dt.timedelta(days=warn_days),
            )
            .order_by(Invoice.due_date)
        )
    )
    if not late:
        return []
    worst = late[0].days_overdue(today)
    level = "block" if worst > block_days else "warn"
    days = block_days if level == "block" else warn_days
    return [
        Reason(
            "overdue",
            level,
            _(
                "%(count)s open invoice(s) overdue more than %(days)s days (oldest %(number)s, "
                "%(worst)s days)",
                count=len(late),
                days=days,
                number=late[0].number,
                worst=worst,
            ),
            {"invoices": [i.number for i in late[:20]], "days": days},
        )
    ]


# --- higher limits: sales asks, a finance admin decides ---------------------------------------


def request_limit(
    session: Session,
    customer: Customer,
    *,
    currency: str,
    amount: Decimal,
    valid_until: dt.date,
    reason: str,
    user: User,
    today: dt.date | None = None,
) -> CreditLimitRequest:
    """Ask for a higher limit for ``customer`` until ``valid_until`` (audited).

    :raises CreditError: not a sales/finance/admin user, no reason, bad amount or date.
    """
    today = today or dt.date.today()
    if user.role not in REQUESTER_ROLES:
        raise CreditError(_("only sales, finance or an administrator may ask for a limit"))
    reason = required_reason(reason, CreditError(_("say why the customer needs a higher limit")))
    currency = parse_currency(currency)
    if amount <= 0:
        raise CreditError(_("the limit must be more than zero"))
    if problem := typed_amount_problem(amount, currency):
        raise CreditError(problem)
    if valid_until < today:
        raise CreditError(_("the expiry date is in the past"))
    if valid_until > today + dt.timedelta(days=MAX_VALIDITY_DAYS):
        raise CreditError(_("a higher limit is granted for at most one year"))
    row = CreditLimitRequest(
        customer_id=customer.id,
        currency=currency,
        amount=amount,
        valid_until=valid_until,
        reason=reason[:500],
        requested_by_id=user.id,
    )
    session.add(row)
    session.flush()
    _audit(session, row, user, "credit_limit.requested", reason)
    return row


def decide(
    session: Session, row: CreditLimitRequest, *, approve: bool, user: User, note: str = ""
) -> None:
    """Approve or reject a request (a finance admin other than the requester; audited).

    :raises CreditError: the user may not decide, decides their own request, or it is decided.
    """
    if user.role not in APPROVER_ROLES:
        raise CreditError(_("only finance or an administrator may decide on a credit limit"))
    if user.id == row.requested_by_id:
        raise CreditError(_("a limit you asked for must be approved by someone else"))
    locked(session, row)  # a colleague deciding or withdrawing it at this moment goes first
    if row.status is not LimitRequestStatus.REQUESTED:
        raise CreditError(_("this request has been decided already"))
    note = (note or "").strip()
    if not approve and not note:
        raise CreditError(_("say why the request is rejected"))
    row.move_to(LimitRequestStatus.APPROVED if approve else LimitRequestStatus.REJECTED)
    row.decided_by_id = user.id
    row.decided_at = utcnow()
    row.decision_note = note[:500] or None
    session.flush()
    _audit(
        session,
        row,
        user,
        "credit_limit.approved" if approve else "credit_limit.rejected",
        note or None,
    )


def withdraw(session: Session, row: CreditLimitRequest, *, user: User, reason: str) -> None:
    """Withdraw a request or an approved limit before it expires (audited)."""
    if user.id != row.requested_by_id and user.role not in APPROVER_ROLES:
        raise CreditError(_("only the requester or finance may withdraw a credit limit"))
    reason = required_reason(reason, CreditError(_("give a reason")))
    locked(session, row)
    if row.status not in (LimitRequestStatus.REQUESTED, LimitRequestStatus.APPROVED):
        raise CreditError(_("this request is closed already"))
    row.move_to(LimitRequestStatus.WITHDRAWN)
    session.flush()
    _audit(session, row, user, "credit_limit.withdrawn", reason)


def _audit(
    session: Session, row: CreditLimitRequest, user: User, action: str, reason: str | None
) -> None:
    record(
        session,
        user,
        action,
        entity_type="customer",
        entity_id=row.customer_id,
        reason=reason,
        data={
            "request": row.id,
            "currency": row.currency,
            "amount": row.amount,
            "valid_until": row.valid_until,
        },
    )


# --- hold ---------------------------------------------------------------------------------------


def set_hold(session: Session, customer: Customer, *, hold: bool, reason: str, user: User) -> None:
    """Put the customer on credit hold or lift it, with a reason (audited).

    :raises CreditError: no reason, or nothing would change.
    """
    reason = required_reason(reason, CreditError(_("give a reason")))
    if customer.on_hold == hold:
        raise CreditError(
            _("the customer is on hold already") if hold else _("the customer is not on hold")
        )
    customer.on_hold = hold
    customer.hold_reason = reason[:500] if hold else None
    session.flush()
    record(
        session, user, "customer.hold" if hold else "customer.hold_lifted", customer, reason=reason
    )
    if hold:  # dunning passes over a customer on hold: what waits to be sent is withdrawn now
        withdraw_for_hold(session, customer.id, user=user, now=utcnow())


def history(customer: Customer) -> Select[Any]:
    """The customer's credit history: limits, requests, decisions, holds, newest first
    (paginate it)."""
    return (
        select(AuditEvent)
        .where(
            AuditEvent.entity_type == "customer",
            AuditEvent.entity_id == str(customer.id),
            AuditEvent.action.in_(
                (
                    "customer.credit_limit",
                    "customer.hold",
                    "customer.hold_lifted",
                    "credit_limit.requested",
                    "credit_limit.approved",
                    "credit_limit.rejected",
                    "credit_limit.withdrawn",
                )
            ),
        )
        .order_by(AuditEvent.id.desc())
    )
