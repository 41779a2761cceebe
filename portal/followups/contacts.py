"""Who a customer's reminders go to: the first billing contact's address and language, else
the customer's own, with what the run needs to know of them (segment, hold, manager).

A text message goes to a mobile only (:func:`portal.phones.sms_number`): the first billing
contact with one, else the customer's phone when it is a mobile, never a landline."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Customer, CustomerContact
from ..phones import sms_number


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
    #: every billing contact's email, first the first one's (an SMS step without a mobile
    #: goes to them by email)
    billing_emails: list[str] = field(default_factory=list)
    #: the customer's phone as written (a landline is called, never texted)
    phone: str | None = None


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
                sms_number(row.phone),
                row.segment,
                row.on_hold,
                row.account_manager_id,
                phone=row.phone,
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
    mobiles: dict[int, str] = {}
    for c in session.execute(billing):
        person = people.get(c.customer_id)
        if person is None:
            continue
        first_billing.setdefault(c.customer_id, c)
        if c.email and c.email not in person.billing_emails:
            person.billing_emails.append(c.email)
        mobile = sms_number(c.mobile)
        if mobile is not None:
            mobiles.setdefault(c.customer_id, mobile)
    for customer_id, c in first_billing.items():
        person = people[customer_id]
        person.email = c.email or person.email
        person.mobile = mobiles.get(customer_id) or person.mobile
        person.language = c.language or person.language
    return people
