"""Check an invoice against its contract: customer, currency, remaining amount, schedule, dates.

Pure logic without the database: :class:`ContractBook` is a contract with what has been billed
against it so far; :meth:`ContractBook.check` names every difference of one invoice, and
:meth:`ContractBook.book` counts the invoice as billed (in issue-date order).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _

#: every difference code, in the order they are reported
CODES = (
    "no_contract",
    "customer_differs",
    "currency_differs",
    "amount_over_remaining",
    "not_on_schedule",
    "outside_validity",
    "payment_terms_differ",
)
#: how far an invoice's issue date may lie from a dated schedule line's date
SCHEDULE_TOLERANCE = dt.timedelta(days=31)


@dataclasses.dataclass(frozen=True)
class Difference:
    """One way an invoice differs from its contract: a code and the values it concerns."""

    code: str
    params: dict[str, str]

    def message(self) -> str:
        """The difference in the reader's language."""
        return describe(self.code, self.params)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "params": self.params}


def describe(code: str, params: dict[str, Any]) -> str:
    """Render a stored difference in the current language."""
    p = {k: str(v) for k, v in params.items()}
    if code == "no_contract":
        if p.get("contract"):
            return _("Contract %(contract)s is not in the contract register.", **p)
        return _("The invoice names no contract.")
    if code == "customer_differs":
        return _(
            "Contract %(contract)s is with customer %(expected)s, the invoice is to %(actual)s.",
            **p,
        )
    if code == "currency_differs":
        return _(
            "Contract %(contract)s is in %(expected)s, the invoice is in %(actual)s.",
            **p,
        )
    if code == "amount_over_remaining":
        return _(
            "Amount %(amount)s is above the %(remaining)s left on contract %(contract)s "
            "(total %(total)s).",
            **p,
        )
    if code == "not_on_schedule":
        return _(
            "No open line of contract %(contract)s's billing schedule is for %(amount)s "
            "around %(date)s.",
            **p,
        )
    if code == "outside_validity":
        return _(
            "Issue date %(date)s is outside the validity of contract %(contract)s "
            "(%(valid_from)s to %(valid_to)s).",
            **p,
        )
    if code == "payment_terms_differ":
        return _(
            "Payment terms of %(actual)s days differ from the contract's %(expected)s days.",
            **p,
        )
    return code


@dataclasses.dataclass(frozen=True)
class InvoiceFacts:
    """What the check needs to know of an invoice (a draft or an imported one)."""

    number: str | None
    customer: str
    contract: str | None
    currency: str
    amount: Decimal
    issue_date: dt.date
    due_date: dt.date | None = None
    #: explicit payment terms; else the days from issue to due date
    payment_terms_days: int | None = None
    milestone: str | None = None

    @property
    def terms(self) -> int | None:
        if self.payment_terms_days is not None:
            return self.payment_terms_days
        if self.due_date is not None:
            return (self.due_date - self.issue_date).days
        return None


@dataclasses.dataclass
class ScheduleLine:
    due_date: dt.date | None
    milestone: str | None
    amount: Decimal


class ContractBook:
    """A contract and what has been billed against it so far."""

    def __init__(
        self,
        *,
        number: str,
        customer: str,
        currency: str,
        total: Decimal,
        payment_terms_days: int | None,
        valid_from: dt.date,
        valid_to: dt.date | None,
        schedule: Sequence[ScheduleLine],
    ) -> None:
        self.number = number
        self.customer = customer
        self.currency = currency
        self.total = total
        self.payment_terms_days = payment_terms_days
        self.valid_from = valid_from
        self.valid_to = valid_to
        self.has_schedule = bool(schedule)
        self.open_lines = list(schedule)
        self.billed = Decimal(0)

    @property
    def remaining(self) -> Decimal:
        return self.total - self.billed

    def _line_for(self, invoice: InvoiceFacts) -> ScheduleLine | None:
        for line in self.open_lines:
            if line.amount != invoice.amount:
                continue
            if invoice.milestone and line.milestone and invoice.milestone != line.milestone:
                continue
            if line.due_date is not None and (
                abs(invoice.issue_date - line.due_date) > SCHEDULE_TOLERANCE
            ):
                continue
            return line
        return None

    def check(self, invoice: InvoiceFacts) -> list[Difference]:
        """Name every difference between ``invoice`` and this contract."""
        found: list[Difference] = []
        base = {"contract": self.number}
        if invoice.customer != self.customer:
            found.append(
                Difference(
                    "customer_differs",
                    {**base, "expected": self.customer, "actual": invoice.customer},
                )
            )
        if invoice.currency != self.currency:
            found.append(
                Difference(
                    "currency_differs",
                    {**base, "expected": self.currency, "actual": invoice.currency},
                )
            )
        if invoice.amount > self.remaining:
            found.append(
                Difference(
                    "amount_over_remaining",
                    {
                        **base,
                        "amount": str(invoice.amount),
                        "remaining": str(max(self.remaining, Decimal("0.00"))),
                        "total": str(self.total),
                    },
                )
            )
        if self.has_schedule and self._line_for(invoice) is None:
            found.append(
                Difference(
                    "not_on_schedule",
                    {**base, "amount": str(invoice.amount), "date": invoice.issue_date.isoformat()},
                )
            )
        if invoice.issue_date < self.valid_from or (
            self.valid_to is not None and invoice.issue_date > self.valid_to
        ):
            found.append(
                Difference(
                    "outside_validity",
                    {
                        **base,
                        "date": invoice.issue_date.isoformat(),
                        "valid_from": self.valid_from.isoformat(),
                        "valid_to": self.valid_to.isoformat() if self.valid_to else "…",
                    },
                )
            )
        terms = invoice.terms
        if (
            self.payment_terms_days is not None
            and terms is not None
            and terms != self.payment_terms_days
        ):
            found.append(
                Difference(
                    "payment_terms_differ",
                    {**base, "expected": str(self.payment_terms_days), "actual": str(terms)},
                )
            )
        return found

    def book(self, invoice: InvoiceFacts) -> None:
        """Count ``invoice`` as billed: it uses up amount and its schedule line."""
        self.billed += invoice.amount
        line = self._line_for(invoice)
        if line is not None:
            self.open_lines.remove(line)


def no_contract(contract: str | None) -> Difference:
    """The difference of an invoice that names no contract, or one the register lacks."""
    return Difference("no_contract", {"contract": contract} if contract else {})
