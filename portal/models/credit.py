"""Credit control: a customer's higher credit limit, requested by sales and approved by finance."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Model, StatusEnum, StatusMachine, TimestampMixin, status_column

if TYPE_CHECKING:
    from .customers import Customer
    from .users import User


class LimitRequestStatus(StatusEnum, entity="credit limit request"):
    REQUESTED = "requested", "approved", "rejected", "withdrawn"
    #: an approved limit can be withdrawn before it expires
    APPROVED = "approved", "withdrawn"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class CreditLimitRequest(TimestampMixin, StatusMachine[LimitRequestStatus], Model):
    """A higher credit limit for one customer in one currency, valid until a date.

    Sales asks, a finance admin (role finance or admin) other than the requester decides.
    """

    __tablename__ = "credit_limit_requests"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint(
            "decided_by_id IS NULL OR decided_by_id != requested_by_id", name="four_eyes"
        ),
    )

    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    currency: Mapped[str] = mapped_column(String(3))
    amount: Mapped[Decimal]
    valid_until: Mapped[dt.date]
    reason: Mapped[str] = mapped_column(String(500))
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[LimitRequestStatus] = status_column(
        "limit_request_status", LimitRequestStatus.REQUESTED
    )
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime | None]
    decision_note: Mapped[str | None] = mapped_column(String(500))

    customer: Mapped[Customer] = relationship()
    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    def in_force(self, today: dt.date) -> bool:
        """Approved and not yet expired on ``today``."""
        return self.status is LimitRequestStatus.APPROVED and today <= self.valid_until
