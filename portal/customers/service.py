"""Customers as staff see them: search, portal users, contacts (flush only; audited)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session, selectinload

from ..audit.service import record
from ..errors import ConcordError
from ..models import Customer, CustomerContact, Role, User
from ..notifications import Addressee
from ..search import like_pattern

_EMAIL_OK = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class ContactError(ConcordError):
    """The contact cannot be saved; ``code`` names the reason for the page."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class ContactInput(Addressee):
    """A contact as entered on the customer page."""

    is_billing: bool

    def __post_init__(self) -> None:
        if self.language not in ("zh", "en"):
            raise ContactError(f"unknown language {self.language!r}", code="language")
        if self.email is not None and not _EMAIL_OK.match(self.email):
            raise ContactError(f"{self.email!r} is not a valid email address", code="bad_email")
        if not (self.name or self.email or self.mobile):
            raise ContactError("a contact needs a name, an email or a mobile", code="empty")


def _contains(column: Any, pattern: str, dialect: str) -> ColumnElement[bool]:
    """``column`` contains the (escaped, lower-case) pattern, whatever the case.

    SQLite's LIKE already ignores ASCII case (Chinese has none) and is several times faster
    than comparing ``lower()`` copies; PostgreSQL gets ILIKE.
    """
    if dialect == "postgresql":
        return column.ilike(pattern, escape="\\")  # type: ignore[no-any-return]
    return column.like(pattern, escape="\\")  # type: ignore[no-any-return]


def customers_query(q: str = "", *, dialect: str = "sqlite") -> Select[Customer]:
    """Customers matching ``q`` in code, name, email, or a contact's name or email; by code.

    Every word of ``q`` must match somewhere.
    """
    query = select(Customer).order_by(Customer.code)
    for term in q.split():
        like = like_pattern(term.lower())
        # one scan of the contacts per word (an uncorrelated IN), not one probe per customer
        contact_matches = Customer.id.in_(
            select(CustomerContact.customer_id).where(
                or_(
                    _contains(CustomerContact.name, like, dialect),
                    _contains(CustomerContact.email, like, dialect),
                )
            )
        )
        query = query.where(
            or_(
                _contains(Customer.code, like, dialect),
                _contains(Customer.name, like, dialect),
                _contains(Customer.email, like, dialect),
                contact_matches,
            )
        )
    return query


def portal_user_counts(db: Session, customer_ids: list[int]) -> dict[int, int]:
    """Return the number of portal users (any status) per customer id, in one query."""
    if not customer_ids:
        return {}
    rows = db.execute(
        select(User.customer_id, func.count(User.id))
        .where(User.customer_id.in_(customer_ids))
        .group_by(User.customer_id)
    )
    return {int(cid): int(n) for cid, n in rows if cid is not None}


def billing_contacts(db: Session, customer_ids: list[int]) -> dict[int, CustomerContact]:
    """Return the first billing contact with an email per customer id, in one query."""
    if not customer_ids:
        return {}
    found: dict[int, CustomerContact] = {}
    for contact in db.scalars(
        select(CustomerContact)
        .where(
            CustomerContact.customer_id.in_(customer_ids),
            CustomerContact.is_billing.is_(True),
            CustomerContact.email.is_not(None),
        )
        .order_by(CustomerContact.id)
    ):
        found.setdefault(contact.customer_id, contact)
    return found


def get_customer(db: Session, customer_id: int) -> Customer | None:
    """Return the customer with its contacts and account manager loaded."""
    return db.scalar(
        select(Customer)
        .where(Customer.id == customer_id)
        .options(selectinload(Customer.contacts), selectinload(Customer.account_manager))
    )


def portal_users(db: Session, customer: Customer) -> list[User]:
    """The customer's portal users: admins first, then by name and email."""
    return list(
        db.scalars(
            select(User)
            .where(User.customer_id == customer.id, User.role == Role.CUSTOMER)
            .order_by(User.is_customer_admin.desc(), User.name, User.email)
        )
    )


def _contact_data(contact: CustomerContact) -> dict[str, Any]:
    """The contact's fields as entered (those of :class:`ContactInput`), for the audit log."""
    return {f.name: getattr(contact, f.name) for f in fields(ContactInput)}


def _check_unique_email(
    db: Session, customer: Customer, email: str | None, contact_id: int | None
) -> None:
    if email is None:
        return
    clash = db.scalar(
        select(CustomerContact.id).where(
            CustomerContact.customer_id == customer.id,
            func.lower(CustomerContact.email) == email.lower(),
            CustomerContact.id != (contact_id or 0),
        )
    )
    if clash is not None:
        raise ContactError(f"{customer.code} has a contact with {email} already", code="duplicate")


def add_contact(
    db: Session, customer: Customer, data: ContactInput, *, actor: User
) -> CustomerContact:
    """Add a contact to ``customer``.

    :raises ContactError: another contact of the customer has this email.
    """
    _check_unique_email(db, customer, data.email, None)
    contact = CustomerContact(customer_id=customer.id, **asdict(data))
    db.add(contact)
    db.flush()
    record(
        db,
        actor,
        "customer.contact_added",
        customer,
        data={"contact_id": contact.id, **_contact_data(contact)},
    )
    return contact


def update_contact(
    db: Session, contact: CustomerContact, data: ContactInput, *, actor: User
) -> bool:
    """Change a contact; ``False`` when nothing changed. Audited with before and after.

    :raises ContactError: another contact of the customer has this email.
    """
    before = _contact_data(contact)
    after = asdict(data)
    if before == after:
        return False
    _check_unique_email(db, contact.customer, data.email, contact.id)
    for key, value in after.items():
        setattr(contact, key, value)
    db.flush()
    changed = {k: {"from": before[k], "to": after[k]} for k in after if before[k] != after[k]}
    record(
        db,
        actor,
        "customer.contact_changed",
        contact.customer,
        data={"contact_id": contact.id, "changes": changed},
    )
    return True


def remove_contact(
    db: Session, contact: CustomerContact, *, actor: User, reason: str | None = None
) -> None:
    """Delete a contact; the audit event keeps what it was."""
    data = {"contact_id": contact.id, **_contact_data(contact)}
    customer = contact.customer
    db.delete(contact)
    db.flush()
    record(
        db,
        actor,
        "customer.contact_removed",
        customer,
        reason=reason or None,
        data=data,
    )
