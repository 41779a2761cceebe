"""Test factories: build valid rows with sensible defaults; every one flushes and returns it."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from portal.models import (
    BankFile,
    BankTransaction,
    Customer,
    CustomerBankAccount,
    Direction,
    Invoice,
    MatchStatus,
    Role,
    User,
)
from portal.models.invoices import status_for_open_amount
from portal.security import hash_password

DEFAULT_PASSWORD = "correct-horse-battery-staple"
_seq = itertools.count(1)


@functools.cache
def _hash(password: str) -> str:
    # argon2 is slow on purpose; tests reuse one hash per distinct password
    return hash_password(password)


def make_customer(session: Session, **overrides: Any) -> Customer:
    """Create a customer; ``bank_accounts`` may be given as a list of account numbers."""
    n = next(_seq)
    accounts = overrides.pop("bank_accounts", [])
    values: dict[str, Any] = {
        # "K…", never the "C0…" codes tests choose themselves (C00017 made twice failed)
        "code": f"K{n:05d}",
        "name": f"测试客户{n}有限公司",
        "aliases": [],
        "currency": "CNY",
        "language": "zh",
        "email": f"ap{n}@customer.test",
    }
    values.update(overrides)
    customer = Customer(**values)
    for account in accounts:
        if isinstance(account, CustomerBankAccount):
            customer.bank_accounts.append(account)
        else:
            customer.bank_accounts.append(CustomerBankAccount(account_number=str(account)))
    session.add(customer)
    session.flush()
    return customer


def make_user(
    session: Session,
    role: str | Role = "customer",
    customer: Customer | None = None,
    password: str | None = DEFAULT_PASSWORD,
    **overrides: Any,
) -> User:
    """Create a user; a customer user gets a fresh customer unless one is given."""
    role = Role(role)
    if role is Role.CUSTOMER and customer is None:
        customer = make_customer(session)
    n = next(_seq)
    values: dict[str, Any] = {
        "email": f"{role.value}{n}@example.test",
        "name": f"{role.value.title()} User {n}",
        "role": role,
        "customer_id": customer.id if customer is not None else None,
        "password_hash": _hash(password) if password is not None else None,
    }
    values.update(overrides)
    user = User(**values)
    session.add(user)
    session.flush()
    return user


def make_invoice(session: Session, customer: Customer | None = None, **overrides: Any) -> Invoice:
    """Create an invoice; the status follows ``open_amount`` unless given explicitly."""
    if customer is None:
        customer = make_customer(session)
    n = next(_seq)
    issue_date = overrides.pop("issue_date", dt.date.today() - dt.timedelta(days=30))
    amount = Decimal(str(overrides.pop("amount", "1000.00")))
    open_amount = Decimal(str(overrides.pop("open_amount", amount)))
    values: dict[str, Any] = {
        "number": f"INV-T-{n:06d}",
        "customer": customer,
        "issue_date": issue_date,
        "due_date": issue_date + dt.timedelta(days=30),
        "currency": customer.currency,
        "amount": amount,
        "open_amount": open_amount,
        "po_number": None,
        "status": status_for_open_amount(amount, open_amount),
    }
    values.update(overrides)
    invoice = Invoice(**values)
    session.add(invoice)
    session.flush()
    return invoice


def make_receipt(
    session: Session,
    amount: str = "1000.00",
    *,
    on: dt.date = dt.date(2026, 11, 20),
    currency: str = "CNY",
    **overrides: Any,
) -> BankTransaction:
    """A customer's receipt from a bank file of its own, not yet applied to anything."""
    n = next(_seq)
    bank_file = BankFile(sha256=f"{n:064x}", original_name=f"r{n}.csv", size=1, content=b"x")
    session.add(bank_file)
    session.flush()
    values: dict[str, Any] = {
        "file_id": bank_file.id,
        "voucher_number": f"RV-T-{n:06d}",
        "bank_ref": f"T{n}",
        "booking_date": on,
        "amount": Decimal(amount),
        "direction": Direction.CREDIT,
        "currency": currency,
        "match_status": MatchStatus.UNMATCHED,
        "unapplied_amount": Decimal(amount),
    }
    values.update(overrides)
    txn = BankTransaction(**values)
    session.add(txn)
    session.flush()
    return txn
