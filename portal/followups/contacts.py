"""Who a customer's reminders go to: the first billing contact's address and language, else
the customer's own, with what the run needs to know of them (segment, hold, manager)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Customer, CustomerContact


@dataclass
class Contact:
    """A customer as the run's reminders need them: name, address, language, hold."""

    name: str
    language: str
    email: str | None
    mobile: str | None
    segment: str | None
    on_hold: bool
    manager_id: int | None


def load_contacts(session: Session, customer_ids: set[int]) -> dict[int, Contact]:
    """Who each customer's reminders go to, in what language, and whether they are on hold."""
    people: dict[int, Contact] = {}
    for row in session.execute(
        select(
            Customer.id,
            Customer.name,
            Customer.language,
            Customer.email,
            Customer.phone,
            Customer.segment,
            Customer.on_hold,
            Customer.account_manager_id,
        )
    ):
        if row.id in customer_ids:
            people[row.id] = Contact(
                row.name,
                row.language,
                row.email,
                row.phone,
                row.segment,
                row.on_hold,
                row.account_manager_id,
            )
    # the first billing contact receives reminders, in their own language
    billing = (
        select(
            CustomerContact.customer_id,
            CustomerContact.email,
            CustomerContact.mobile,
            CustomerContact.language,
        )
        .where(CustomerContact.is_billing.is_(True))
        .order_by(CustomerContact.id)
    )
    first_billing: dict[int, Any] = {}
    for c in session.execute(billing):
        first_billing.setdefault(c.customer_id, c)
    for customer_id, c in first_billing.items():
        person = people.get(customer_id)
        if person is None:
            continue
        person.email = c.email or person.email
        person.mobile = c.mobile or person.mobile
        person.language = c.language or person.language
    return people
