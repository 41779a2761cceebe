"""ERP contacts: validate contact rows, and make a customer's contacts what the ERP says.

A contact comes with a customer row (one in CSV columns ``contact_*``, a list in JSON
``contacts``) or from a contacts file naming the customer on each row.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from flask_babel import gettext
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from portal.audit import PendingEvent, record_many
from portal.bulk import insert_rows
from portal.models import (
    Customer,
    CustomerContact,
    User,
    utcnow,
)

from . import parsing as p
from .bulk import analyze, bulk_update, customer_ids, record_summary, refresh

#: optional columns of the one contact a customer row may carry
CUSTOMER_CONTACT_COLUMNS = (
    "contact_name",
    "contact_email",
    "contact_mobile",
    "contact_language",
    "billing",
)
CONTACT_COLUMNS = ("customer", "name", "email")


@dataclasses.dataclass(frozen=True)
class ContactRow:
    """A validated contact; ``key`` identifies it within its customer (email, else name)."""

    name: str
    email: str | None
    mobile: str | None
    language: str | None
    is_billing: bool

    @property
    def key(self) -> str:
        return self.email or f"name:{self.name}"


def _contact_key(email: str | None, name: str) -> str:
    return email.lower() if email else f"name:{name}"


def parse_contact(row: Mapping[str, Any], prefix: str = "", billing: str = "billing") -> ContactRow:
    """Validate one contact's fields (``contact_name``... in a customer row, ``name``... alone).

    :raises BadValue: with the reason (:class:`~.parsing.BadValues`: every problem of the row).
    """
    check = p.Checks()
    name = check(p.text, row, f"{prefix}name", required=False, max_len=200) or ""
    contact_email = check(p.email, row, f"{prefix}email")
    mobile = check(p.text, row, f"{prefix}mobile", required=False, max_len=40, identifier=True)
    contact_language = check(p.language, row, f"{prefix}language")
    is_billing = check(p.flag, row, billing)
    # a bad email or mobile is reported as such, not as a contact without any of the three
    if check.ok and not (name or contact_email or mobile):
        check.reasons.append(
            gettext(
                "a contact needs a %(prefix)sname, %(prefix)semail or %(prefix)smobile",
                prefix=prefix,
            )
        )
    check.done()
    return ContactRow(
        name=name,
        email=contact_email,
        mobile=mobile,
        language=contact_language,
        is_billing=bool(is_billing),
    )


def parse_contact_list(value: Any) -> tuple[ContactRow, ...]:
    """Validate a JSON row's list of contacts.

    :raises BadValue: with the reason (:class:`~.parsing.BadValues`: every problem of the list).
    """
    if not isinstance(value, list) or not all(isinstance(item, Mapping) for item in value):
        raise p.BadValue(gettext("contacts must be a list of objects (name, email, mobile, ...)"))
    contacts: list[ContactRow] = []
    reasons: list[str] = []
    seen: set[str] = set()
    for position, item in enumerate(value, start=1):
        try:
            contact = parse_contact(item)
        except p.BadValues as exc:
            reasons.extend(_positioned(position, reason) for reason in exc.reasons)
            continue
        except p.BadValue as exc:
            reasons.append(_positioned(position, str(exc)))
            continue
        if contact.key in seen:
            reasons.append(
                gettext("contacts[%(position)s]: the same contact appears twice", position=position)
            )
        seen.add(contact.key)
        contacts.append(contact)
    if reasons:
        raise p.BadValues(reasons)
    return tuple(contacts)


def _positioned(position: int, reason: str) -> str:
    return gettext("contacts[%(position)s]: %(exc)s", position=position, exc=reason)


def write_contacts(
    session: Session, wanted: Mapping[int, list[ContactRow]], *, replace: set[int]
) -> dict[int, list[dict[str, Any]]]:
    """Upsert contacts by (customer, email or name); remove others of the ``replace`` customers.

    :returns: ``{customer id: the contacts as now stored}`` of customers whose contacts changed.
    """
    existing: dict[int, dict[str, Any]] = defaultdict(dict)
    for chunk in p.chunks(list(wanted)):
        for found in session.execute(
            select(
                CustomerContact.id,
                CustomerContact.customer_id,
                CustomerContact.name,
                CustomerContact.email,
                CustomerContact.mobile,
                CustomerContact.language,
                CustomerContact.is_billing,
            ).where(CustomerContact.customer_id.in_(chunk))
        ):
            existing[found.customer_id][_contact_key(found.email, found.name)] = found
    languages: dict[int, str] = {}
    for chunk in p.chunks(list(wanted)):
        for customer_id, customer_language in session.execute(
            select(Customer.id, Customer.language).where(Customer.id.in_(chunk))
        ):
            languages[customer_id] = customer_language
    now = utcnow()
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    removed: list[int] = []
    changed: dict[int, list[dict[str, Any]]] = {}
    for customer_id, contacts in wanted.items():
        current = existing.get(customer_id, {})
        touched = False
        for contact in contacts:
            values = {
                "name": contact.name,
                "email": contact.email,
                "mobile": contact.mobile,
                "language": contact.language or languages.get(customer_id, "zh"),
                "is_billing": contact.is_billing,
            }
            stored = current.get(contact.key)
            if stored is None:
                inserts.append(
                    {"customer_id": customer_id, **values, "created_at": now, "updated_at": now}
                )
                touched = True
            else:
                diff = {k: v for k, v in values.items() if getattr(stored, k) != v}
                if diff:
                    updates.append({"id": stored.id, **diff, "updated_at": now})
                    touched = True
        if customer_id in replace:
            keys = {contact.key for contact in contacts}
            for key, found in current.items():
                if key not in keys:
                    removed.append(found.id)
                    touched = True
        if touched:
            changed[customer_id] = [
                {"name": c.name, "email": c.email, "mobile": c.mobile, "billing": c.is_billing}
                for c in contacts
            ]
    for chunk in p.chunks(removed):
        session.execute(delete(CustomerContact).where(CustomerContact.id.in_(chunk)))
    bulk_update(session, CustomerContact, updates)
    if inserts:
        insert_rows(session, CustomerContact, inserts)
        analyze(session, "customer_contacts", len(inserts))
    return changed


@dataclasses.dataclass(frozen=True)
class ContactFileRow:
    """A validated row of a contacts file."""

    customer: str
    contact: ContactRow

    @property
    def identity(self) -> tuple[str, str]:
        return (self.customer, self.contact.key)


def parse_contact_row(row: Mapping[str, Any]) -> ContactFileRow:
    """Validate one row of a contacts file.

    :raises BadValue: with the reason (:class:`~.parsing.BadValues`: every problem of the row).
    """
    check = p.Checks()
    customer = check(p.text, row, "customer", required=True, max_len=40, identifier=True)
    contact = check(parse_contact, row)
    check.done()
    assert customer is not None and contact is not None
    return ContactFileRow(customer=customer, contact=contact)


def import_contacts(
    session: Session, rows: Iterable[p.Row], *, actor: User | None = None, source: str = "api"
) -> p.ImportSummary:
    """Make the contacts of every customer named in the rows exactly the rows' contacts.

    A customer the file does not name keeps its contacts; a contact of a named customer that
    the file does not list is removed. Flushes, never commits.

    :raises ErpImportError: any row is bad; nothing was changed.
    """
    parsed, errors = p.collect(rows, parse_contact_row)
    errors += p.duplicates(parsed, "identity", gettext("contact"))
    ids = customer_ids(session, (item.customer for _, item in parsed))
    for line, item in parsed:
        if item.customer not in ids:
            errors.append(
                p.RowError(line, gettext("unknown customer: %(code)s", code=item.customer))
            )
    if errors:
        raise p.ErpImportError(errors)
    session.flush()
    wanted: dict[int, list[ContactRow]] = defaultdict(list)
    for _, item in parsed:
        wanted[ids[item.customer]].append(item.contact)
    changed = write_contacts(session, wanted, replace=set(wanted))
    code_by_id = {customer_id: code for code, customer_id in ids.items()}
    summary = p.ImportSummary(
        "contacts", updated=len(changed), unchanged=len(wanted) - len(changed)
    )
    record_many(
        session,
        actor=actor,
        events=[
            PendingEvent(
                action="customer.contacts_updated",
                entity_type="customer",
                entity_id=code_by_id[customer_id],
                data={"source": source, "contacts": contacts},
            )
            for customer_id, contacts in changed.items()
        ],
    )
    record_summary(session, summary, actor=actor, source=source)
    refresh(session)
    return summary


def import_contacts_csv(
    session: Session, data: bytes, *, actor: User | None = None, filename: str = "upload.csv"
) -> p.ImportSummary:
    """Import a contacts CSV file (see :func:`import_contacts`)."""
    rows = p.read_csv(data, CONTACT_COLUMNS, vocabulary="contacts")
    return import_contacts(session, rows, actor=actor, source=f"csv:{filename}")
