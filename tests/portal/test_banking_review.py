"""Review actions: accept, split, write-off limits, advance, reversal, learning, races."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from decimal import Decimal

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from portal.banking import review
from portal.banking.errors import ActionRefused, ConcurrentChange
from portal.models import (
    Allocation,
    AllocationKind,
    AuditEvent,
    BankFile,
    BankTransaction,
    Customer,
    CustomerBankAccount,
    Direction,
    Invoice,
    InvoiceStatus,
    LearnedPayer,
    MatchStatus,
    Role,
    User,
)
from tests.factories import make_customer, make_invoice, make_user

_seq = iter(range(1, 10**6))


def make_txn(session: Session, amount: str = "1000.00", **kw: object) -> BankTransaction:
    n = next(_seq)
    bank_file = BankFile(sha256=uuid.uuid4().hex * 2, original_name="t.csv", size=1, content=b"x")
    session.add(bank_file)
    session.flush()
    values: dict[str, object] = {
        "file_id": bank_file.id,
        "voucher_number": f"RV-2099-{n:06d}",
        "our_account": "A1",
        "bank_ref": f"REF{n}",
        "booking_date": dt.date(2026, 11, 20),
        "amount": Decimal(amount),
        "direction": Direction.CREDIT,
        "currency": "CNY",
        "payer_name": "华美贸易 (payer)",
        "payer_account": f"6222{n:012d}",
        "match_status": MatchStatus.UNMATCHED,
        "unapplied_amount": Decimal(amount),
    }
    values.update(kw)
    row = BankTransaction(**values)
    session.add(row)
    session.flush()
    return row


@pytest.fixture
def clerk(session: Session) -> User:
    return make_user(session, "finance")


def test_split_across_invoices_with_write_off(session: Session, clerk: User) -> None:
    customer = make_customer(session)
    a = make_invoice(session, customer, amount="600.00")
    b = make_invoice(session, customer, amount="450.00")
    t = make_txn(session, "1000.00")
    review.apply_splits(
        session,
        t,
        [review.Split(a, Decimal("600.00")), review.Split(b, Decimal("400.00"), Decimal("50.00"))],
        user=clerk,
        version=t.version,
        note="two invoices",
    )
    assert t.match_status is MatchStatus.MATCHED and t.version == 2
    assert (a.open_amount, a.status) == (Decimal("0.00"), InvoiceStatus.PAID)
    assert (b.open_amount, b.status) == (Decimal("0.00"), InvoiceStatus.PAID)
    assert t.unapplied_amount == Decimal("0.00") and t.customer_id == customer.id
    kinds = sorted((x.kind.value, x.amount) for x in t.allocations)
    assert kinds == [
        ("difference_writeoff", Decimal("50.00")),
        ("payment", Decimal("400.00")),
        ("payment", Decimal("600.00")),
    ]
    # confirmed payers teach the matcher: name and account remembered for the customer
    learned = session.scalars(select(LearnedPayer).where(LearnedPayer.customer_id == customer.id))
    assert [(p.payer_name, p.payer_account) for p in learned] == [(t.payer_name, t.payer_account)]
    account = session.scalar(
        select(CustomerBankAccount).where(CustomerBankAccount.customer_id == customer.id)
    )
    assert account is not None and account.source == "learned"
    assert session.scalar(
        select(AuditEvent).where(
            AuditEvent.action == "bank_transaction.applied", AuditEvent.entity_id == str(t.id)
        )
    )


@pytest.mark.parametrize(
    ("reference", "reasons"),
    [
        ("货款 代上海康达精密机械有限公司付款", []),
        ("INV 4711 on behalf of Kangda Precision", []),
        (
            "INV 4711",
            [{"criterion": "payer", "score": 0.0, "parts": [{"code": "third_party"}]}],
        ),
    ],
)
def test_a_payer_paying_for_another_is_not_learned(
    session: Session, clerk: User, reference: str, reasons: list[object]
) -> None:
    """A parent company or an agent pays a customer's invoice: confirming the payment must not
    make the payer's account the customer's (its own later payments would read as theirs)."""
    customer = make_customer(session)
    invoice = make_invoice(session, customer, amount="1000.00")
    t = make_txn(session, "1000.00", reference=reference, reasons=reasons)
    review.apply_splits(
        session, t, [review.Split(invoice, Decimal("1000.00"))], user=clerk, version=t.version
    )
    assert t.match_status is MatchStatus.MATCHED
    assert session.scalars(select(LearnedPayer)).all() == []
    assert session.scalars(select(CustomerBankAccount)).all() == []


@pytest.mark.parametrize(
    ("amount", "write_off", "message"),
    [
        ("1200.00", "0", "more than the 1000.00 received"),
        ("800.00", "150.00", "over the limit"),
        ("950.00", "100.00", "has only"),
    ],
)
def test_refused_splits_change_nothing(
    session: Session, clerk: User, amount: str, write_off: str, message: str
) -> None:
    inv = make_invoice(session, amount="1000.00")
    t = make_txn(session, "1000.00")
    with pytest.raises(ActionRefused, match=message), session.begin_nested():
        review.apply_splits(
            session,
            t,
            [review.Split(inv, Decimal(amount), Decimal(write_off))],
            user=clerk,
            version=t.version,
        )
    session.refresh(inv)
    session.refresh(t)
    assert inv.open_amount == Decimal("1000.00") and t.version == 1 and not t.allocations


def test_invoices_of_two_customers_are_refused(session: Session, clerk: User) -> None:
    t = make_txn(session, "200.00")
    splits = [
        review.Split(make_invoice(session, amount="100.00"), Decimal("100.00")),
        review.Split(make_invoice(session, amount="100.00"), Decimal("100.00")),
    ]
    with pytest.raises(ActionRefused, match="one customer"):
        review.apply_splits(session, t, splits, user=clerk, version=1)


def test_accept_suggestion(session: Session, clerk: User) -> None:
    customer = make_customer(session)
    inv = make_invoice(session, customer, number="INV-SUG-1", amount="800.00")
    t = make_txn(
        session,
        "500.00",
        match_status=MatchStatus.SUGGESTED,
        suggestions=[
            {
                "customer": customer.code,
                "allocations": [{"invoice": "INV-SUG-1", "amount": "500.00"}],
                "confidence": 0.81,
                "reasons": [{"criterion": "name", "score": 0.9, "text": "payer name 90% similar"}],
            }
        ],
    )
    review.accept_suggestion(session, t, 0, user=clerk, version=1)
    assert inv.open_amount == Decimal("300.00") and inv.status is InvoiceStatus.PARTIALLY_PAID
    (alloc,) = t.allocations
    assert alloc.confidence == Decimal("0.8100") and alloc.reason == "suggestion 1 accepted"
    with pytest.raises(ActionRefused, match="reverse it"):
        review.accept_suggestion(session, t, 0, user=clerk, version=t.version)


def test_stale_version_is_refused_with_a_clear_message(session: Session, clerk: User) -> None:
    inv = make_invoice(session, amount="100.00")
    t = make_txn(session, "100.00")
    review.apply_splits(session, t, [review.Split(inv, Decimal("100.00"))], user=clerk, version=1)
    with pytest.raises(ConcurrentChange, match="changed by someone else"):
        review.reverse(session, t, reason="wrong", user=clerk, version=1)


def test_reverse_restores_invoices_and_keeps_history(session: Session, clerk: User) -> None:
    customer = make_customer(session)
    a = make_invoice(session, customer, amount="300.00")
    b = make_invoice(session, customer, amount="200.00")
    t = make_txn(session, "480.00")
    review.apply_splits(
        session,
        t,
        [review.Split(a, Decimal("300.00")), review.Split(b, Decimal("180.00"), Decimal("20.00"))],
        user=clerk,
        version=1,
    )
    with pytest.raises(ActionRefused, match="reason"):
        review.reverse(session, t, reason="  ", user=clerk, version=t.version)
    reversals = review.reverse(
        session, t, reason="paid by the sister company", user=clerk, version=t.version
    )
    assert len(reversals) == 3
    assert (a.open_amount, a.status) == (Decimal("300.00"), InvoiceStatus.OPEN)
    assert (b.open_amount, b.status) == (Decimal("200.00"), InvoiceStatus.OPEN)
    assert t.match_status is MatchStatus.UNMATCHED and t.unapplied_amount == t.amount
    rows = session.scalars(
        select(Allocation).where(Allocation.transaction_id == t.id).order_by(Allocation.id)
    ).all()
    originals = [r for r in rows if r.reverses_id is None]
    assert len(rows) == 6 and all(o.reversed_by_id for o in originals)
    assert {r.reverses_id for r in rows if r.reverses_id} == {o.id for o in originals}
    assert not any(r.is_active for r in rows)
    # the money can be applied again afterwards
    review.apply_splits(
        session, t, [review.Split(a, Decimal("300.00"))], user=clerk, version=t.version
    )
    assert a.open_amount == Decimal("0.00") and t.unapplied_amount == Decimal("180.00")


def test_advance_payment(session: Session, clerk: User) -> None:
    customer = make_customer(session)
    t = make_txn(session, "5000.00")
    review.book_advance(session, t, customer, user=clerk, version=1)
    assert t.match_status is MatchStatus.ADVANCE and t.customer_id == customer.id
    (alloc,) = t.allocations
    assert alloc.kind is AllocationKind.ON_ACCOUNT and alloc.amount == Decimal("5000.00")
    review.reverse(session, t, reason="was a refund", user=clerk, version=t.version)
    assert t.match_status is MatchStatus.UNMATCHED


def test_an_advance_is_held_in_the_customers_billing_currency_only(
    session: Session, clerk: User
) -> None:
    customer = make_customer(session, code="ADV-CNY")
    t = make_txn(session, "800.00", currency="USD")
    with pytest.raises(ActionRefused, match="ADV-CNY is billed in CNY, not USD"):
        review.book_advance(session, t, customer, user=clerk, version=1)
    assert t.match_status is MatchStatus.UNMATCHED and t.customer_id is None
    assert t.unapplied_amount == Decimal("800.00") and not t.allocations


# --- two clerks at once, on PostgreSQL with two real connections ---------------------------


def test_two_clerks_at_once_exactly_one_wins(scratch_pg: Engine) -> None:
    with Session(scratch_pg) as setup:
        customer = Customer(code="RACE1", name="Race Co")
        clerks = [User(email=f"c{i}@x.test", role=Role.FINANCE) for i in (1, 2)]
        setup.add_all([customer, *clerks])
        setup.flush()
        invoice = Invoice(
            number="INV-RACE-1",
            customer_id=customer.id,
            issue_date=dt.date(2026, 10, 1),
            due_date=dt.date(2026, 10, 31),
            currency="CNY",
            amount=Decimal("1000.00"),
            open_amount=Decimal("1000.00"),
        )
        setup.add(invoice)
        t = make_txn(setup, "1000.00")
        setup.commit()
        ids = (t.id, invoice.id, clerks[0].id, clerks[1].id)

    first, second = Session(scratch_pg), Session(scratch_pg)
    outcome: dict[str, object] = {}
    try:
        t1 = first.get(BankTransaction, ids[0])
        t2 = second.get(BankTransaction, ids[0])
        assert t1 is not None and t2 is not None and t1.version == t2.version == 1
        inv1, inv2 = first.get(Invoice, ids[1]), second.get(Invoice, ids[1])
        u1, u2 = first.get(User, ids[2]), second.get(User, ids[3])
        assert inv1 and inv2 and u1 and u2
        # the first clerk applies and has not committed yet: its UPDATE holds the row lock
        review.apply_splits(first, t1, [review.Split(inv1, Decimal("1000.00"))], user=u1, version=1)

        def second_clerk() -> None:
            try:
                review.apply_splits(
                    second, t2, [review.Split(inv2, Decimal("1000.00"))], user=u2, version=1
                )
                second.commit()
                outcome["second"] = "won"
            except ConcurrentChange as exc:
                second.rollback()
                outcome["second"] = exc

        thread = threading.Thread(target=second_clerk)
        thread.start()
        thread.join(1.0)
        assert thread.is_alive(), "the second clerk should wait for the first one's row lock"
        first.commit()
        thread.join(30)
        assert not thread.is_alive()
    finally:
        first.close()
        second.close()

    assert isinstance(outcome["second"], ConcurrentChange)
    assert "someone else" in str(outcome["second"])
    with Session(scratch_pg) as check:
        allocations = check.scalars(select(Allocation)).all()
        assert [(a.amount, a.created_by_id) for a in allocations] == [(Decimal("1000.00"), ids[2])]
        invoice_after = check.get(Invoice, ids[1])
        assert invoice_after is not None and invoice_after.open_amount == Decimal("0.00")
        txn_after = check.get(BankTransaction, ids[0])
        assert txn_after is not None and txn_after.version == 2
