"""ERP customers: validate customer rows and upsert them with their bank accounts and contact.

Every row of a batch is validated first; a batch with any bad row imports nothing. Existing
customers are read with a few ``IN (...)`` queries and written with multi-row statements.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from flask_babel import gettext
from sqlalchemy import ColumnDefault, delete, func, select, update
from sqlalchemy.orm import Session

from portal.audit import PendingEvent, record_many
from portal.bulk import insert_rows
from portal.models import (
    Customer,
    CustomerBankAccount,
    User,
    utcnow,
)

from . import parsing as p
from .bulk import (
    analyze,
    bulk_update,
    change_event,
    customer_ids,
    record_summary,
    refresh,
    rows_in,
    stored_rows,
)
from .contacts import (
    CUSTOMER_CONTACT_COLUMNS,
    ContactRow,
    parse_contact,
    parse_contact_list,
    write_contacts,
)

CUSTOMER_COLUMNS = ("code", "name", "aliases", "bank_accounts", "currency")
#: the columns a customers file cannot do without; a file without ``aliases`` or
#: ``bank_accounts`` (most ERPs have neither) leaves them as stored
CUSTOMER_REQUIRED = ("code", "name", "currency")
#: documented columns that may be left out (absent = left as stored)
CUSTOMER_LISTS = ("aliases", "bank_accounts")
#: optional customer columns stored on the customer (absent = left as stored)
CUSTOMER_OPTIONAL = (
    "credit_limit",
    "email",
    "phone",
    "language",
    "account_manager",
    "region",
    "segment",
    "payment_terms",
)


@dataclasses.dataclass(frozen=True)
class CustomerRow:
    """A validated customer row; ``present`` names the optional columns the row carries."""

    code: str
    name: str
    aliases: list[str]
    bank_accounts: list[str]
    currency: str
    present: frozenset[str]
    # no defaults: parse_customer sets every field, and one it forgets is an error, not None
    credit_limit: Decimal | None
    email: str | None
    phone: str | None
    language: str | None
    account_manager: str | None
    region: str | None
    segment: str | None
    payment_terms: int | None
    contact: ContactRow | None
    #: a JSON row's ``contacts`` list: the customer's complete list of contacts
    contacts: tuple[ContactRow, ...] | None


def parse_customer(row: Mapping[str, Any]) -> CustomerRow:
    """Validate one customer row (the account manager's email is checked later).

    :raises BadValue: with the reason (:class:`~.parsing.BadValues`: every problem of the row).
    """
    check = p.Checks()
    code = check(p.text, row, "code", required=True, max_len=40, identifier=True)
    name = check(p.text, row, "name", required=True, max_len=200)
    aliases = check(p.text_list, row, "aliases", max_len=200, required=False)
    listed = check(p.text_list, row, "bank_accounts", max_len=64, required=False)
    accounts = [re.sub(r"[\s-]", "", a) for a in listed or ()]
    currency = check(p.currency, row)
    credit_limit = check(p.amount, row, "credit_limit", required=False, currency=currency)
    customer_email = check(_customer_email, row)
    phone = check(p.text, row, "phone", required=False, max_len=40, identifier=True)
    customer_language = check(_customer_language, row)
    manager = check(p.email, row, "account_manager")
    region = check(p.text, row, "region", required=False, max_len=80)
    segment = check(p.text, row, "segment", required=False, max_len=80)
    terms = check(p.days, row, "payment_terms")
    contact = None
    if any(_filled(row, column) for column in CUSTOMER_CONTACT_COLUMNS[:3]):
        contact = check(parse_contact, row, prefix="contact_")
    contacts = None
    if "contacts" in row and row["contacts"] is not None:
        contacts = check(parse_contact_list, row["contacts"])
    check.done()
    assert code is not None and name is not None and currency is not None
    return CustomerRow(
        code=code,
        name=name,
        aliases=aliases or [],
        bank_accounts=list(dict.fromkeys(accounts)),
        currency=currency,
        present=frozenset(
            k for k in (*CUSTOMER_OPTIONAL, *CUSTOMER_LISTS) if k in row and row[k] is not None
        ),
        credit_limit=credit_limit,
        email=customer_email,
        phone=phone,
        language=customer_language,
        account_manager=manager,
        region=region,
        segment=segment,
        payment_terms=terms,
        contact=contact,
        contacts=contacts,
    )


def _customer_email(row: Mapping[str, Any]) -> str | None:
    """The customer's own email column (refused when not an address)."""
    customer_email = p.text(row, "email", required=False, max_len=254, identifier=True)
    if customer_email is not None and not p._EMAIL.match(customer_email):
        raise p.BadValue(
            gettext("bad email: %(customer_email)s", customer_email=repr(customer_email))
        )
    return customer_email


def _customer_language(row: Mapping[str, Any]) -> str | None:
    """``zh`` or ``en`` from the language column (``zh-CN``, ``EN`` accepted)."""
    customer_language = p.text(row, "language", required=False, max_len=5, identifier=True)
    if customer_language is None:
        return None
    customer_language = customer_language.lower()[:2]
    if customer_language not in ("zh", "en"):
        raise p.BadValue(
            gettext("bad language: %(language)s (zh or en)", language=repr(row["language"]))
        )
    return customer_language


def _filled(row: Mapping[str, Any], column: str) -> bool:
    value = row.get(column)
    return value is not None and str(value).strip() != ""


_CUSTOMER_FIELDS = (
    "id",
    "code",
    "name",
    "aliases",
    "currency",
    "credit_limit",
    "email",
    "phone",
    "language",
    "account_manager_id",
    "region",
    "segment",
    "payment_terms_days",
)


def _wanted_customer(row: CustomerRow, managers: Mapping[str, int]) -> dict[str, Any]:
    """Return the stored fields a row sets, as ``{column: value}``."""
    wanted: dict[str, Any] = {"name": row.name, "currency": row.currency}
    for key in ("aliases", "credit_limit", "email", "phone", "region", "segment"):
        if key in row.present:
            wanted[key] = getattr(row, key)
    if row.language is not None:
        wanted["language"] = row.language
    if "account_manager" in row.present:
        wanted["account_manager_id"] = (
            managers[row.account_manager] if row.account_manager else None
        )
    if "payment_terms" in row.present:
        wanted["payment_terms_days"] = row.payment_terms
    return wanted


def _load_managers(session: Session, emails: set[str]) -> dict[str, int]:
    """Return ``{email: user id}`` of the active staff users with these emails."""
    email = func.lower(User.email)
    query = select(User.id, email, User.role).where(User.is_active.is_(True))
    return {
        user_email: user_id
        for user_id, user_email, role in rows_in(session, query, email, sorted(emails))
        if role.is_staff
    }


def import_customers(
    session: Session, rows: Iterable[p.Row], *, actor: User | None = None, source: str = "api"
) -> p.ImportSummary:
    """Validate all rows, then create or update customers by code (flushes, never commits).

    :raises ErpImportError: any row is bad; nothing was changed.
    """
    items, managers = _valid_customers(session, rows)
    session.flush()
    stored = stored_rows(session, Customer, "code", _CUSTOMER_FIELDS, [item.code for item in items])
    accounts = _load_accounts(session, [row["id"] for row in stored.values()])
    summary = p.ImportSummary("customers")
    now = utcnow()
    new_rows: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    changes_by_code: dict[str, dict[str, Any]] = {}
    for item in items:
        wanted = _wanted_customer(item, managers)
        current = stored.get(item.code)
        if current is None:
            new_rows.append(
                {
                    "code": item.code,
                    "language": "zh",
                    "aliases": [],
                    **wanted,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            changes_by_code[item.code] = {**wanted, "bank_accounts": item.bank_accounts}
            continue
        diff = {k: v for k, v in wanted.items() if current[k] != v}
        changes_by_code[item.code] = diff
        if diff:
            updates.append({"id": current["id"], **diff, "updated_at": now})

    if new_rows:
        _insert_customers(session, new_rows, stored, accounts)
    bulk_update(session, Customer, updates)
    analyze(session, "customers", len(new_rows))

    created_codes = {row["code"] for row in new_rows}
    account_changes = _apply_accounts(session, items, stored, accounts, created_codes)
    contact_changes = _apply_customer_contacts(session, items, stored, created_codes)

    events: list[PendingEvent] = []
    for item in items:
        changes = changes_by_code[item.code]
        if item.code in account_changes and item.code not in created_codes:
            changes["bank_accounts"] = item.bank_accounts
            changes["previous_bank_accounts"] = account_changes[item.code]
        if item.code in contact_changes:
            changes["contacts"] = contact_changes[item.code]
        if item.code in created_codes:
            summary.created += 1
            action = "customer.created"
        elif changes:
            summary.updated += 1
            action = "customer.updated"
        else:
            summary.unchanged += 1
            continue
        if "account_manager_id" in changes:
            changes["account_manager"] = item.account_manager
        events.append(change_event(action, "customer", item.code, source=source, fields=changes))
    record_many(session, actor=actor, events=events)
    record_summary(session, summary, actor=actor, source=source)
    refresh(session)
    return summary


def _insert_customers(
    session: Session,
    new_rows: list[dict[str, Any]],
    stored: dict[str, dict[str, Any]],
    accounts: dict[int, Any],
) -> None:
    """Insert the new customers and note their ids in ``stored`` (no accounts yet)."""
    # fill in every column the model defaults, so that PostgreSQL can take them by COPY
    columns = {c.name: c for c in Customer.__table__.columns}
    for row in new_rows:
        for name, column in columns.items():
            default = column.default
            if name not in row and isinstance(default, ColumnDefault) and default.is_scalar:
                row[name] = default.arg
            elif name not in row and column.default is not None and name == "aliases":
                row[name] = []
    insert_rows(session, Customer, new_rows)
    for code, customer_id in customer_ids(session, (row["code"] for row in new_rows)).items():
        stored[code] = {"id": customer_id, "code": code}
        accounts[customer_id] = []


def _valid_customers(
    session: Session, rows: Iterable[p.Row]
) -> tuple[list[CustomerRow], dict[str, int]]:
    """Parse every row and check codes and account managers; return items and manager ids.

    :raises ErpImportError: naming every bad row.
    """
    parsed, errors = p.collect(rows, parse_customer)
    errors += p.duplicates(parsed, "code", gettext("code"))
    managers = _load_managers(
        session, {item.account_manager for _, item in parsed if item.account_manager}
    )
    for line, item in parsed:
        if item.account_manager and item.account_manager not in managers:
            errors.append(
                p.RowError(
                    line,
                    f"unknown account manager: {item.account_manager} "
                    "(no active staff user has this email)",
                )
            )
    if errors:
        raise p.ErpImportError(errors)
    return [item for _, item in parsed], managers


def _load_accounts(session: Session, customer_ids: list[int]) -> dict[int, list[Any]]:
    """Return each customer's bank accounts (id, number and source), oldest first."""
    account = CustomerBankAccount
    query = select(
        account.id, account.customer_id, account.account_number, account.source
    ).order_by(account.id)
    accounts: dict[int, list[Any]] = {customer_id: [] for customer_id in customer_ids}
    for found in rows_in(session, query, account.customer_id, customer_ids):
        accounts[found.customer_id].append(found)
    return accounts


def _apply_accounts(
    session: Session,
    items: list[CustomerRow],
    stored: Mapping[str, Mapping[str, Any]],
    accounts: Mapping[int, list[Any]],
    created: set[str],
) -> dict[str, list[str]]:
    """Make each customer's ERP accounts exactly the row's; learned accounts stay. A row
    without the ``bank_accounts`` column leaves the customer's accounts as they are.

    :returns: ``{code: previous ERP accounts}`` of the customers whose accounts changed.
    """
    now = utcnow()
    inserts: list[dict[str, Any]] = []
    removed: list[int] = []
    promoted: list[int] = []
    changed: dict[str, list[str]] = {}
    for item in items:
        if "bank_accounts" not in item.present:
            continue
        customer_id = stored[item.code]["id"]
        current = accounts.get(customer_id, [])
        by_number = {a.account_number: a for a in current}
        erp = [a.account_number for a in current if a.source == "erp"]
        touched = False
        for account in current:
            if account.source == "erp" and account.account_number not in item.bank_accounts:
                removed.append(account.id)
                touched = True
        for number in item.bank_accounts:
            existing = by_number.get(number)
            if existing is None:
                inserts.append(
                    {
                        "customer_id": customer_id,
                        "account_number": number,
                        "source": "erp",
                        "created_at": now,
                    }
                )
                touched = True
            elif existing.source != "erp":
                # the ERP now knows an account we had learned: it becomes master data
                promoted.append(existing.id)
                touched = True
        if touched and item.code not in created:
            changed[item.code] = erp
    for chunk in p.chunks(removed):
        session.execute(delete(CustomerBankAccount).where(CustomerBankAccount.id.in_(chunk)))
    for chunk in p.chunks(promoted):
        session.execute(
            update(CustomerBankAccount)
            .where(CustomerBankAccount.id.in_(chunk))
            .values(source="erp")
            .execution_options(synchronize_session=False)
        )
    if inserts:
        insert_rows(session, CustomerBankAccount, inserts)
        analyze(session, "customer_bank_accounts", len(inserts))
    return changed


def _apply_customer_contacts(
    session: Session,
    items: list[CustomerRow],
    stored: Mapping[str, Mapping[str, Any]],
    created: set[str],
) -> dict[str, list[dict[str, Any]]]:
    """Upsert the one contact of a CSV row; make a JSON ``contacts`` list the whole list."""
    wanted: dict[int, list[ContactRow]] = {}
    replace: set[int] = set()
    for item in items:
        customer_id = stored[item.code]["id"]
        if item.contacts is not None:
            wanted[customer_id] = list(item.contacts)
            replace.add(customer_id)
        elif item.contact is not None:
            wanted[customer_id] = [item.contact]
    if not wanted:
        return {}
    changed = write_contacts(session, wanted, replace=replace)
    code_by_id = {row["id"]: code for code, row in stored.items()}
    return {code_by_id[customer_id]: value for customer_id, value in changed.items()}


def import_customers_csv(
    session: Session, data: bytes, *, actor: User | None = None, filename: str = "upload.csv"
) -> p.ImportSummary:
    """Import a customers CSV export (see :func:`import_customers`)."""
    rows = p.read_csv(data, CUSTOMER_REQUIRED, vocabulary="customers")
    return import_customers(session, rows, actor=actor, source=f"csv:{filename}")
