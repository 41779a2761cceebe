"""Create the demo business: deterministic (seeded) and idempotent (a second run adds nothing)."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import io
import random
from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal import ledger
from portal.audit import record
from portal.followups.ladders import ensure_default_ladders
from portal.models import (
    Allocation,
    AllocationMethod,
    BankFile,
    BankFileStatus,
    BankTransaction,
    Customer,
    CustomerBankAccount,
    Direction,
    Invoice,
    InvoiceStatus,
    Ladder,
    LadderStep,
    MatchStatus,
    Role,
    User,
)
from portal.models.base import Model
from portal.security import hash_password
from reconcile.matching import Reason
from reconcile.matching.messages import Message

from .data import CUSTOMERS, USERS, DemoCustomer

SEED = 20261126
INVOICE_COUNT = 300
HISTORY_DAYS = 182
BANK_FILE_NAME = "demo-bank-statement.csv"
DEFAULT_OWN_ACCOUNT = "31050161373600000001"
CENT = Decimal("0.01")
#: how sure the demo's matches are: the reference names the invoices, or finance checked
AUTO_CONFIDENCE = Decimal("0.9800")
MANUAL_CONFIDENCE = Decimal("0.7500")
#: a typical Chinese online-banking export (the tabular parser reads it)
FILE_COLUMNS = ("交易日期", "账号", "对方户名", "对方账号", "币种", "贷方金额", "摘要", "流水号")


#: what the summary of a run counts: its names and the rows they count
COUNTED: dict[str, type[Model]] = {
    "customers": Customer,
    "invoices": Invoice,
    "transactions": BankTransaction,
    "allocations": Allocation,
    "users": User,
    "dunning_steps": LadderStep,
}


class DemoSummary(Counter[str]):
    """What a run created: the rows of each of :data:`COUNTED` it added (none on a second
    run), counted in the database before and after, so no step has to count its own."""

    @classmethod
    def since(cls, session: Session, before: Counter[str]) -> DemoSummary:
        """The rows added since ``before`` (:func:`_row_counts` of an earlier moment)."""
        summary = cls(_row_counts(session))
        summary.subtract(before)
        return summary

    @property
    def created_anything(self) -> bool:
        return any(self.values())


def _row_counts(session: Session) -> Counter[str]:
    return Counter(
        {
            name: session.scalar(select(func.count()).select_from(model)) or 0
            for name, model in COUNTED.items()
        }
    )


@dataclasses.dataclass
class _Payment:
    """One planned transfer paying one or more invoices (in full or in part)."""

    customer: DemoCustomer
    booking_date: dt.date
    parts: list[tuple[str, Decimal]]
    reference: str
    payer_name: str
    payer_account: str | None


def seed_demo(
    session: Session,
    *,
    password: str,
    today: dt.date | None = None,
    own_account: str | None = None,
) -> DemoSummary:
    """Create whatever part of the demo business is missing (flushes, never commits)."""
    today = today or dt.date.today()
    rng = random.Random(SEED)
    before = _row_counts(session)
    _dunning(session)
    password_hash = hash_password(password)
    staff = _staff(session, password_hash)
    customers = _customers(session, staff["sales@demo.test"])
    _customer_users(session, customers, password_hash)
    ids = [c.id for c in customers.values()]
    # the invoice history depends on the day it is generated for: create it once only
    if not session.scalar(select(func.count(Invoice.id)).where(Invoice.customer_id.in_(ids))):
        plan = _plan_invoices(rng, today)
        invoices = _invoices(session, customers, plan)
        payments = _plan_payments(rng, today, plan)
        _bank_file(
            session,
            payments,
            customers,
            invoices,
            staff["finance@demo.test"],
            own_account or DEFAULT_OWN_ACCOUNT,
        )
    session.flush()
    summary = DemoSummary.since(session, before)
    if summary.created_anything:
        record(
            session,
            None,
            "demo.seeded",
            entity_type="demo",
            entity_id=today.isoformat(),
            data=dict(summary),
        )
        session.flush()
    return summary


def _dunning(session: Session) -> None:
    """Create the built-in collection ladders (none auto-approves: the first run sends nothing)."""
    if not session.scalar(select(func.count(Ladder.id))):
        ensure_default_ladders(session)


def _existing_users(session: Session) -> dict[str, User]:
    emails = [u[0] for u in USERS]
    return {u.email: u for u in session.scalars(select(User).where(User.email.in_(emails)))}


def _staff(session: Session, password_hash: str) -> dict[str, User]:
    users = _existing_users(session)
    for email, role, name, code, _admin, language in USERS:
        if code is not None or email in users:
            continue
        user = User(
            email=email, name=name, role=Role(role), password_hash=password_hash, language=language
        )
        session.add(user)
        users[email] = user
    session.flush()
    return users


def _customers(session: Session, manager: User) -> dict[str, Customer]:
    codes = [c.code for c in CUSTOMERS]
    existing = {
        c.code: c for c in session.scalars(select(Customer).where(Customer.code.in_(codes)))
    }
    for n, spec in enumerate(CUSTOMERS, start=1):
        if spec.code in existing:
            continue
        customer = Customer(
            code=spec.code,
            name=spec.name,
            aliases=list(spec.aliases),
            currency=spec.currency,
            language=spec.language,
            credit_limit=Decimal(spec.credit_limit) if spec.credit_limit is not None else None,
            email=f"ap.{spec.code.lower()}@customers.demo.test",
            phone=f"+86 21 5555 {n:04d}",
            account_manager=manager,
        )
        for number, bank in spec.accounts:
            customer.bank_accounts.append(
                CustomerBankAccount(
                    account_number=number, bank_name=bank, holder_name=spec.name, source="erp"
                )
            )
        session.add(customer)
        existing[spec.code] = customer
    session.flush()
    return existing


def _customer_users(session: Session, customers: dict[str, Customer], password_hash: str) -> None:
    users = _existing_users(session)
    for email, role, name, code, admin, language in USERS:
        if code is None or email in users:
            continue
        session.add(
            User(
                email=email,
                name=name,
                role=Role(role),
                customer_id=customers[code].id,
                is_customer_admin=admin,
                password_hash=password_hash,
                language=language,
            )
        )
    session.flush()


@dataclasses.dataclass
class _PlannedInvoice:
    number: str
    customer: DemoCustomer
    issue_date: dt.date
    due_date: dt.date
    amount: Decimal
    po_number: str | None


def _plan_invoices(rng: random.Random, today: dt.date) -> list[_PlannedInvoice]:
    weights = [c.weight for c in CUSTOMERS]
    drafts = []
    for _ in range(INVOICE_COUNT):
        customer = rng.choices(CUSTOMERS, weights=weights)[0]
        issue = today - dt.timedelta(days=rng.randint(3, HISTORY_DAYS))
        terms = rng.choice((30, 30, 30, 45, 60))
        cents = rng.randint(80_000, 12_000_000)
        if customer.currency != "CNY":
            cents //= 7  # roughly the same business in dollars or euros
        has_po = rng.random() < 0.45
        po = f"PO-{rng.randint(4500000000, 4599999999)}" if has_po else None
        drafts.append((issue, customer, terms, Decimal(cents) * CENT, po))
    drafts.sort(key=lambda d: (d[0], d[1].code))
    planned: list[_PlannedInvoice] = []
    sequence: dict[int, int] = defaultdict(lambda: 100)
    for issue, customer, terms, amount, po in drafts:
        sequence[issue.year] += 1
        planned.append(
            _PlannedInvoice(
                number=f"INV-{issue.year}-{sequence[issue.year]:05d}",
                customer=customer,
                issue_date=issue,
                due_date=issue + dt.timedelta(days=terms),
                amount=amount,
                po_number=po,
            )
        )
    return planned


def _invoices(
    session: Session,
    customers: dict[str, Customer],
    plan: list[_PlannedInvoice],
) -> dict[str, Invoice]:
    numbers = [p.number for p in plan]
    existing = {
        i.number: i for i in session.scalars(select(Invoice).where(Invoice.number.in_(numbers)))
    }
    for item in plan:
        if item.number in existing:
            continue
        invoice = Invoice(
            number=item.number,
            customer=customers[item.customer.code],
            issue_date=item.issue_date,
            due_date=item.due_date,
            currency=item.customer.currency,
            amount=item.amount,
            open_amount=item.amount,
            po_number=item.po_number,
            status=InvoiceStatus.OPEN,
        )
        session.add(invoice)
        existing[item.number] = invoice
    session.flush()
    return existing


def _payer(rng: random.Random, customer: DemoCustomer) -> tuple[str, str | None]:
    """How the bank prints the payer: the legal name, an alias, and a known account or not."""
    name = customer.name
    if customer.aliases and rng.random() < 0.4:
        name = rng.choice(customer.aliases)
    if customer.accounts and rng.random() < 0.8:
        return name, customer.accounts[0][0]
    return name, "6222" + "".join(str(rng.randint(0, 9)) for _ in range(15))


def _reference(rng: random.Random, items: list[_PlannedInvoice]) -> str:
    roll = rng.random()
    if roll < 0.55:
        return "货款 " + " ".join(i.number for i in items)
    if roll < 0.75 and items[0].po_number:
        return f"PAYMENT {items[0].po_number}"
    return rng.choice(("货款", "payment for goods", "往来款", "INVOICE PAYMENT"))


def _plan_payments(
    rng: random.Random, today: dt.date, plan: list[_PlannedInvoice]
) -> list[_Payment]:
    """Decide which invoices were paid, when, and in which transfers."""
    paid: dict[str, list[tuple[dt.date, _PlannedInvoice]]] = defaultdict(list)
    partial: list[tuple[dt.date, _PlannedInvoice]] = []
    yesterday = today - dt.timedelta(days=1)
    for item in plan:
        overdue_days = (today - item.due_date).days
        unpaid_chance = item.customer.slowness if overdue_days > 0 else 0.8
        if overdue_days > 45:
            unpaid_chance /= 2
        roll = rng.random()
        when = item.due_date + dt.timedelta(days=rng.randint(-12, 20))
        when = max(item.issue_date + dt.timedelta(days=1), min(when, yesterday))
        if roll < unpaid_chance:
            continue
        if roll < unpaid_chance + 0.08:
            partial.append((when, item))
        else:
            paid[item.customer.code].append((when, item))

    payments: list[_Payment] = []
    for entries in paid.values():
        entries.sort(key=lambda e: (e[0], e[1].number))
        i = 0
        while i < len(entries):
            when, item = entries[i]
            group = [item]
            # some customers settle two invoices with one transfer
            if i + 1 < len(entries) and rng.random() < 0.2:
                group.append(entries[i + 1][1])
                when = max(when, entries[i + 1][0])
                i += 1
            i += 1
            name, account = _payer(rng, item.customer)
            payments.append(
                _Payment(
                    customer=item.customer,
                    booking_date=when,
                    parts=[(g.number, g.amount) for g in group],
                    reference=_reference(rng, group),
                    payer_name=name,
                    payer_account=account,
                )
            )
    for when, item in partial:
        share = Decimal(rng.randint(25, 70)) / 100
        amount = (item.amount * share).quantize(Decimal("1"))
        name, account = _payer(rng, item.customer)
        payments.append(
            _Payment(
                customer=item.customer,
                booking_date=when,
                parts=[(item.number, amount)],
                reference=f"部分付款 {item.number}",
                payer_name=name,
                payer_account=account,
            )
        )
    payments.sort(key=lambda p: (p.booking_date, p.parts[0][0]))
    return payments


def _file_bytes(payments: list[_Payment], own_account: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(FILE_COLUMNS)
    for n, p in enumerate(payments, start=1):
        writer.writerow(_file_row(p, n, own_account).values())
    return out.getvalue().encode("utf-8-sig")


def _file_row(payment: _Payment, n: int, own_account: str) -> dict[str, str]:
    """One line of the demo bank export, as the tabular parser reads it back (``raw``)."""
    total = sum((amount for _, amount in payment.parts), Decimal(0))
    values = [
        payment.booking_date.strftime("%Y-%m-%d"),
        own_account,
        payment.payer_name,
        payment.payer_account or "",
        payment.customer.currency,
        f"{total:.2f}",
        payment.reference,
        _bank_ref(payment, n),
    ]
    return dict(zip(FILE_COLUMNS, values, strict=True))


def _bank_ref(payment: _Payment, n: int) -> str:
    return f"DEMO{payment.booking_date:%Y%m%d}{n:05d}"


def _bank_file(
    session: Session,
    payments: list[_Payment],
    customers: dict[str, Customer],
    invoices: dict[str, Invoice],
    finance: User,
    own_account: str,
) -> None:
    """Store the demo bank statement, its transactions and their allocations (once)."""
    content = _file_bytes(payments, own_account)
    sha256 = hashlib.sha256(content).hexdigest()
    if session.scalar(select(BankFile.id).where(BankFile.sha256 == sha256)) is not None:
        return
    if session.scalar(select(BankFile.id).where(BankFile.original_name == BANK_FILE_NAME)):
        # an earlier run (on another day) already stored the demo history
        return
    bank_file = BankFile(
        sha256=sha256,
        original_name=BANK_FILE_NAME,
        detected_format="tabular",
        size=len(content),
        content=content,
        uploaded_by=finance,
        status=BankFileStatus.DONE,
        transaction_count=len(payments),
    )
    session.add(bank_file)
    session.flush()
    # all receipts in one flush (one multi-row INSERT), then applied through the ledger
    vouchers: dict[int, int] = defaultdict(int)
    receipts = []
    for n, payment in enumerate(payments, start=1):
        vouchers[payment.booking_date.year] += 1
        voucher = f"RV-{payment.booking_date.year}-{vouchers[payment.booking_date.year]:06d}"
        receipts.append(_receipt(bank_file, payment, n, voucher, customers, own_account))
    session.add_all(receipts)
    session.flush()
    # the matcher applied the receipts naming their invoices, finance the others: one batch of
    # ledger records each (the rules of ``ledger.apply``, one flush and one audit insert)
    batches = {
        True: ledger.ImportBatch(session, actor="auto-match"),
        False: ledger.ImportBatch(session, actor=finance),
    }
    for payment, txn in zip(payments, receipts, strict=True):
        auto = _names_invoices(payment)
        for number, amount in payment.parts:
            batches[auto].apply(
                txn,
                invoices[number],
                amount,
                method=AllocationMethod.AUTO if auto else AllocationMethod.MANUAL,
            )
    for batch in batches.values():
        batch.finish()


def _receipt(
    bank_file: BankFile,
    payment: _Payment,
    n: int,
    voucher: str,
    customers: dict[str, Customer],
    own_account: str,
) -> BankTransaction:
    """The ``n``-th receipt of the demo bank file, matched to its customer (not yet applied)."""
    total = sum((amount for _, amount in payment.parts), Decimal(0))
    auto = _names_invoices(payment)
    return BankTransaction(
        file_id=bank_file.id,
        voucher_number=voucher,
        our_account=own_account,
        bank_ref=_bank_ref(payment, n),
        booking_date=payment.booking_date,
        value_date=payment.booking_date,
        amount=total,
        direction=Direction.CREDIT,
        currency=payment.customer.currency,
        payer_name=payment.payer_name,
        payer_account=payment.payer_account,
        reference=payment.reference,
        source=f"{BANK_FILE_NAME}#row={n + 1}",
        raw={**_file_row(payment, n, own_account), "row": n + 1},
        match_status=MatchStatus.MATCHED,
        customer_id=customers[payment.customer.code].id,
        confidence=AUTO_CONFIDENCE if auto else MANUAL_CONFIDENCE,
        reasons=_reasons(payment, auto),
        unapplied_amount=total,
    )


def _names_invoices(payment: _Payment) -> bool:
    """Whether the reference names the invoices paid (the matcher applies it by itself)."""
    return any(number in payment.reference for number, _ in payment.parts)


def _reasons(payment: _Payment, auto: bool) -> list[dict[str, Any]]:
    if auto:
        numbers = ", ".join(number for number, _ in payment.parts)
        found = [Message.of("ref_contains", invoice=number) for number, _ in payment.parts]
        return [
            Reason.of("invoice_reference", 1.0, *found).to_json(structured=True),
            Reason.coded("amount", 1.0, "amount_exact", invoices=numbers).to_json(structured=True),
        ]
    return [
        {
            "criterion": "manual",
            "score": 0.75,
            "text": f"applied by finance after checking the payer {payment.payer_name}",
            "parts": [{"code": "manual_check", "params": {"payer": payment.payer_name}}],
        }
    ]
