"""Shared helpers of the finance-workspace tests: sign-in, bank transactions, a tiny matcher."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from decimal import Decimal
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.banking import service
from portal.models import BankTransaction, JobStatus, User
from reconcile.matching.records import MatchDecision, ProposedAllocation, Reason, Suggestion
from reconcile.model import ParseResult, Transaction
from tests.factories import DEFAULT_PASSWORD, make_user

OUR_ACCOUNT = "31050161373600000001"


def login(client: FlaskClient, user: User) -> None:
    """Sign in through the real login form (in English unless the user chose a language)."""
    if user.language is None:
        user.language = "en"
    resp = client.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]


def txn(ref: str, amount: str, reference: str = "", **kw: Any) -> Transaction:
    """A credit to our account."""
    values: dict[str, Any] = {
        "bank_ref": ref,
        "booking_date": dt.date(2026, 11, 20),
        "amount": Decimal(amount),
        "direction": "credit",
        "currency": "CNY",
        "payer_name": "上海华美贸易有限公司",
        "payer_account": "6222000011112222",
        "reference": reference,
        "our_account": OUR_ACCOUNT,
        "source": f"test.csv#{ref}",
    }
    values.update(kw)
    return Transaction(**values)


def parser_for(*files: Sequence[Transaction] | str) -> Any:
    """A stand-in for ``parse_bytes``: each call returns the next file's transactions or error."""
    queue = list(files)

    def parse(data: bytes, filename: str, settings: Any = None) -> list[ParseResult]:
        item = queue.pop(0)
        if isinstance(item, str):
            return [ParseResult(file=filename, format=None, error=item)]
        return [ParseResult(file=filename, format="csv", transactions=list(item))]

    return parse


def simple_matcher(
    transactions: Sequence[Transaction],
    customers: Sequence[Any],
    invoices: Sequence[Any],
    *,
    settings: Any = None,
    seen_refs: Collection[tuple[str, str]] = (),
    learned: Sequence[Any] = (),
) -> list[MatchDecision]:
    """A predictable matcher with the engine's interface.

    Reference names invoices (``INV...`` words): amount equal to their open total → matched;
    one invoice short by ≤ 50 → matched with a write-off; otherwise → suggested. No reference
    → unmatched. Debits → ignored; seen (account, ref) → duplicate.
    """
    by_number = {i.number: i for i in invoices}
    out = []
    for t in transactions:
        if (t.our_account, t.bank_ref) in seen_refs:
            out.append(MatchDecision(t, "duplicate"))
            continue
        if t.direction == "debit":
            out.append(MatchDecision(t, "ignored"))
            continue
        named = [by_number[w] for w in t.reference.split() if w in by_number]
        if not named:
            out.append(MatchDecision(t, "unmatched", reasons=[Reason("none", 0.0, "nothing")]))
            continue
        total = sum((i.open_amount for i in named), Decimal("0"))
        reason = Reason("reference", 1.0, "reference names " + ", ".join(i.number for i in named))
        customer = named[0].customer
        if total == t.amount or (len(named) == 1 and Decimal(0) < total - t.amount <= 50):
            allocs = [ProposedAllocation(i.number, min(i.open_amount, t.amount)) for i in named]
            write_off = total - t.amount if total > t.amount else None
            out.append(MatchDecision(t, "matched", customer, allocs, write_off, 0.98, [reason]))
        elif t.amount > total:
            allocs = [ProposedAllocation(i.number, i.open_amount) for i in named]
            out.append(MatchDecision(t, "matched", customer, allocs, None, 0.95, [reason]))
        else:
            allocs = [ProposedAllocation(named[0].number, t.amount)]
            suggestion = Suggestion(customer, tuple(allocs), 0.7, (reason,))
            out.append(
                MatchDecision(t, "suggested", customer, [], None, 0.7, [reason], [suggestion])
            )
    return out


def import_bank_file(session: Session, name: str, data: bytes) -> list[BankTransaction]:
    """Store and import one bank file as a new finance user would; its entries in file order."""
    user = make_user(session, "finance", email=f"{name}@example.com")
    bank_file, created = service.store_upload(session, name, data, user=user)
    assert created
    job = service.start_import(session, [bank_file], user=user)
    assert job.status is JobStatus.DONE, job.error
    return list(
        session.scalars(
            select(BankTransaction)
            .where(BankTransaction.file_id == bank_file.id)
            .order_by(BankTransaction.id)
        )
    )
