"""Helpers for the customer-portal tests: sign in, build statements, read the outbox."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import hashlib
import re
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from portal import ledger
from portal.models import (
    Customer,
    Dispute,
    DisputeReason,
    Invoice,
    Statement,
    StatementLine,
    StatementStatus,
    User,
)
from tests.factories import DEFAULT_PASSWORD, make_invoice

#: a tiny but real PDF header, enough for views that only pass bytes through
FAKE_PDF = b"%PDF-1.7\n% test statement\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def login(client: FlaskClient, user: User, password: str = DEFAULT_PASSWORD) -> Any:
    return client.post(
        "/login", data={"email": user.email, "password": password}, follow_redirects=False
    )


def make_statement(
    session: Session,
    customer: Customer,
    invoices: list[Invoice] | None = None,
    *,
    status: StatementStatus = StatementStatus.ISSUED,
    period: tuple[dt.date, dt.date] = (dt.date(2026, 10, 1), dt.date(2026, 10, 31)),
    version: int = 1,
) -> Statement:
    """A statement row with one line per invoice (no real PDF: for views, not signatures)."""
    if invoices is None:
        invoices = [
            make_invoice(
                session, customer=customer, amount="1200.00", issue_date=dt.date(2026, 10, 5)
            ),
            make_invoice(
                session, customer=customer, amount="800.50", issue_date=dt.date(2026, 10, 12)
            ),
        ]
    total = sum((i.amount for i in invoices), Decimal("0"))
    n = session.query(Statement).count() + 1
    statement = Statement(
        number=f"ST-T-{customer.code}-{n:04d}",
        customer_id=customer.id,
        period_start=period[0],
        period_end=period[1],
        version=version,
        currency=customer.currency,
        language=customer.language,
        opening_balance=Decimal("0.00"),
        total_charges=total,
        total_payments=Decimal("0.00"),
        total_credits=Decimal("0.00"),
        closing_balance=total,
        status=status,
        issued_at=dt.datetime(2026, 11, 1, 8, 0, tzinfo=dt.UTC),
        respond_by=dt.date(2026, 11, 15),
        issued_pdf=FAKE_PDF,
        issued_sha256=hashlib.sha256(FAKE_PDF).hexdigest(),
    )
    balance = Decimal("0")
    for no, inv in enumerate(invoices, start=1):
        balance += inv.amount
        statement.lines.append(
            StatementLine(
                line_no=no,
                date=inv.issue_date,
                kind="invoice",
                document=inv.number,
                description="Goods",
                due_date=inv.due_date,
                debit=inv.amount,
                credit=Decimal("0"),
                balance=balance,
                invoice_id=inv.id,
            )
        )
    session.add(statement)
    session.flush()
    return statement


def price_dispute(
    statement: Statement,
    invoice: Any,
    by: User,
    amount: Decimal = Decimal("100.00"),
    *,
    number: str | None = None,
    **extra: Any,
) -> Dispute:
    """A price dispute of ``statement``'s first line by ``by``, not yet added to the session."""
    return Dispute(
        number=number or f"D-{uuid.uuid4().hex[:6]}",
        customer_id=statement.customer_id,
        statement_id=statement.id,
        statement_line_id=statement.lines[0].id,
        invoice_id=invoice.id,
        reason=DisputeReason.PRICE,
        amount=amount,
        created_by_id=by.id,
        **extra,
    )


def outbox(app: Flask) -> list[Path]:
    path = Path(app.instance_path) / "outbox"
    return sorted(path.glob("*.eml")) if path.exists() else []


def read_mail(path: Path) -> email.message.EmailMessage:
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(msg, email.message.EmailMessage)
    return msg


def mail_body(path: Path) -> str:
    part = read_mail(path).get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def last_code(app: Flask) -> str:
    """The 6-digit code of the newest confirmation email."""
    for path in reversed(outbox(app)):
        match = re.search(r"^\s+(\d{6})\s*$", mail_body(path), re.M)
        if match:
            return match.group(1)
    raise AssertionError("no confirmation code in the outbox")


def make_payment(
    session: Session,
    customer: Customer,
    allocations: list[tuple[Invoice, str]],
    *,
    amount: str | None = None,
    booking_date: dt.date = dt.date(2026, 11, 2),
) -> Any:
    """A received bank payment of ``customer`` applied to invoices (open amounts reduced)."""
    from portal.models import (
        AllocationMethod,
        BankFile,
        BankTransaction,
        Direction,
        MatchStatus,
    )

    n = session.query(BankTransaction).count() + 1
    content = f"test bank file {customer.code} {n}".encode()
    bank_file = BankFile(
        sha256=hashlib.sha256(content).hexdigest(),
        original_name=f"bank{n}.csv",
        size=len(content),
        content=content,
    )
    session.add(bank_file)
    session.flush()
    total = Decimal(amount) if amount else sum((Decimal(a) for _i, a in allocations), Decimal(0))
    tx = BankTransaction(
        file_id=bank_file.id,
        voucher_number=f"RV-T-{customer.code}-{n:04d}",
        our_account="31050161373600000001",
        bank_ref=f"REF{customer.code}{n}",
        booking_date=booking_date,
        amount=total,
        direction=Direction.CREDIT,
        currency=customer.currency,
        payer_name=customer.name,
        reference=f"TT {customer.code}",
        match_status=MatchStatus.MATCHED,
        customer_id=customer.id,
        unapplied_amount=total,  # as an import leaves it; applying takes from it
    )
    session.add(tx)
    session.flush()
    for invoice, value in allocations:
        ledger.apply(
            session, tx, invoice, Decimal(value), actor="auto-match", method=AllocationMethod.AUTO
        )
    session.flush()
    return tx
