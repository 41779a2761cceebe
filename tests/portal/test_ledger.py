"""The ledger's operations, one example each, and two clerks applying one receipt at once."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from portal import ledger
from portal.models import (
    Allocation,
    AllocationKind,
    AllocationMethod,
    AuditEvent,
    BankTransaction,
    CreditNote,
    Customer,
    ErpStatus,
    Invoice,
    InvoiceStatus,
    User,
)
from tests.factories import make_customer, make_invoice, make_receipt, make_user

D = Decimal


def receipt(session: Session, amount: str = "1000.00", currency: str = "CNY") -> BankTransaction:
    return make_receipt(session, amount, currency=currency, value_date=dt.date(2026, 11, 21))


@pytest.fixture
def clerk(session: Session) -> User:
    return make_user(session, "finance")


@pytest.fixture
def customer(session: Session) -> Customer:
    return make_customer(session)


def test_apply_records_a_payment_and_updates_both_sides(
    session: Session, clerk: User, customer: Customer
) -> None:
    invoice = make_invoice(session, customer, amount="1000.00")
    txn = receipt(session, "600.00")
    entry = ledger.apply(session, txn, invoice, D("600.00"), actor=clerk, reason="by hand")
    assert entry.kind is AllocationKind.PAYMENT and entry.erp_status is ErpStatus.PENDING
    assert (entry.currency, entry.customer_id) == ("CNY", customer.id)
    assert entry.actor_label == clerk.email
    assert (invoice.open_amount, invoice.status) == (D("400.00"), InvoiceStatus.PARTIALLY_PAID)
    assert invoice.erp_open_amount == D("1000.00")
    assert txn.unapplied_amount == 0 and txn.customer_id == customer.id
    assert ledger.pending_total(session, invoice) == D("600.00")
    event = session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "ledger.payment", AuditEvent.entity_id == str(entry.id)
        )
    ).one()
    assert event.actor_id == clerk.id and event.data["amount"] == "600.00"


def test_apply_refuses_more_than_the_receipt_or_the_invoice(
    session: Session, customer: Customer
) -> None:
    small = make_invoice(session, customer, amount="100.00")
    big = make_invoice(session, customer, amount="5000.00")
    txn = receipt(session, "300.00")
    with pytest.raises(ledger.ExceedsOpen, match=r"only 100.00 CNY open"):
        ledger.apply(session, txn, small, D("150.00"), actor="auto-match")
    ledger.apply(session, txn, big, D("250.00"), actor="auto-match")
    with pytest.raises(ledger.OverApplied, match=r"only 50.00 CNY left"):
        ledger.apply(session, txn, big, D("60.00"), actor="auto-match")
    with pytest.raises(ledger.InvalidAmount):
        ledger.apply(session, txn, big, D("-1.00"), actor="auto-match")
    with pytest.raises(ledger.InvalidAmount, match="two decimals"):
        ledger.apply(session, txn, big, D("1.001"), actor="auto-match")


def test_a_cny_receipt_cannot_pay_a_usd_invoice(session: Session) -> None:
    usd = make_invoice(session, make_customer(session, currency="USD"), amount="100.00")
    txn = receipt(session, "100.00", "CNY")
    with pytest.raises(ledger.CurrencyMismatch, match="CNY"):
        ledger.apply(session, txn, usd, D("100.00"), actor="auto-match")
    assert usd.open_amount == D("100.00") and txn.unapplied_amount == D("100.00")
    assert session.scalar(select(Allocation).where(Allocation.invoice_id == usd.id)) is None


def test_write_offs_within_the_limit_only(session: Session, customer: Customer) -> None:
    invoice = make_invoice(session, customer, amount="1000.00")
    txn = receipt(session, "970.00")
    ledger.apply(session, txn, invoice, D("970.00"), actor="auto-match")
    with pytest.raises(ledger.OverLimit, match=r"over the limit of 100.00"):
        ledger.write_off(session, invoice, D("100.01"), kind="fee", actor="auto-match")
    fee = ledger.write_off(session, invoice, D("25.00"), kind="fee", actor="a", receipt=txn)
    diff = ledger.write_off(session, invoice, D("5.00"), kind="difference", actor="a")
    assert fee.kind is AllocationKind.FEE_WRITEOFF
    assert diff.kind is AllocationKind.DIFFERENCE_WRITEOFF
    assert fee.transaction_id == txn.id and diff.transaction_id is None
    assert (invoice.open_amount, invoice.status) == (D("0.00"), InvoiceStatus.PAID)
    # write-offs do not use money of the receipt
    assert txn.unapplied_amount == 0


def test_on_account_holds_money_for_the_customer(session: Session, customer: Customer) -> None:
    txn = receipt(session, "800.00")
    entry = ledger.on_account(session, txn, customer, D("500.00"), actor="clerk-rule")
    assert entry.kind is AllocationKind.ON_ACCOUNT and entry.invoice_id is None
    assert txn.unapplied_amount == D("300.00") and txn.customer_id == customer.id
    other = make_customer(session)
    with pytest.raises(ledger.WrongCustomer):
        ledger.on_account(session, txn, other, D("100.00"), actor="clerk-rule")
    with pytest.raises(ledger.OverApplied):
        ledger.on_account(session, txn, customer, D("300.01"), actor="clerk-rule")


def test_credit_note_beyond_the_open_amount_stays_on_account(
    session: Session, clerk: User, customer: Customer
) -> None:
    invoice = make_invoice(session, customer, amount="1000.00", open_amount="300.00")
    note = ledger.credit_note(session, invoice, D("500.00"), "price difference", actor=clerk)
    assert isinstance(note, CreditNote) and note.number.startswith("CN-")
    entries = session.scalars(
        select(Allocation).where(Allocation.credit_note_id == note.id).order_by(Allocation.id)
    ).all()
    assert [(e.kind, e.invoice_id, e.amount) for e in entries] == [
        (AllocationKind.CREDIT_NOTE, invoice.id, D("300.00")),
        (AllocationKind.CREDIT_NOTE, None, D("200.00")),
    ]
    assert (invoice.open_amount, invoice.status) == (D("0.00"), InvoiceStatus.PAID)
    with pytest.raises(ledger.CurrencyMismatch):
        ledger.credit_note(session, invoice, D("1.00"), "x", actor=clerk, currency="USD")
    on_customer = ledger.credit_note(session, customer, D("50.00"), "goodwill", actor=clerk)
    assert on_customer.invoice_id is None and on_customer.currency == "CNY"


def test_reverse_appends_a_negative_record_and_restores_the_state(
    session: Session, clerk: User, customer: Customer
) -> None:
    invoice = make_invoice(session, customer, amount="1000.00")
    txn = receipt(session, "1000.00")
    entry = ledger.apply(session, txn, invoice, D("1000.00"), actor=clerk)
    assert invoice.status is InvoiceStatus.PAID
    reversal = ledger.reverse(session, entry, "wrong customer", actor=clerk)
    assert (reversal.kind, reversal.amount, reversal.reverses_id) == (
        AllocationKind.REVERSAL,
        D("-1000.00"),
        entry.id,
    )
    assert entry.reversed_by_id == reversal.id and entry.amount == D("1000.00")
    assert (invoice.open_amount, invoice.status) == (D("1000.00"), InvoiceStatus.OPEN)
    assert txn.unapplied_amount == D("1000.00")
    assert reversal.id > entry.id
    with pytest.raises(ledger.AlreadyReversed):
        ledger.reverse(session, entry, "again", actor=clerk)
    with pytest.raises(ledger.AlreadyReversed):
        ledger.reverse(session, reversal, "undo the undo", actor=clerk)
    again = ledger.apply(session, txn, invoice, D("1.00"), actor=clerk)
    with pytest.raises(ledger.LedgerError, match="reason"):
        ledger.reverse(session, again, " ", actor=clerk)


def test_reversing_a_credit_note_reopens_the_invoice(session: Session, clerk: User) -> None:
    invoice = make_invoice(session, amount="200.00")
    note = ledger.credit_note(session, invoice, D("200.00"), "returned goods", actor=clerk)
    entry = session.scalars(select(Allocation).where(Allocation.credit_note_id == note.id)).one()
    ledger.reverse(session, entry, "issued by mistake", actor=clerk)
    assert invoice.open_amount == D("200.00") and invoice.status is InvoiceStatus.OPEN


def test_booked_records_no_longer_count_as_pending(session: Session, customer: Customer) -> None:
    invoice = make_invoice(session, customer, amount="1000.00")
    txn = receipt(session, "400.00")
    entry = ledger.apply(session, txn, invoice, D("400.00"), actor="auto-match")
    ledger.mark_exported(session, [entry])
    assert entry.erp_status is ErpStatus.EXPORTED and entry.exported_at is not None
    assert ledger.pending_total(session, invoice) == D("400.00")
    # the ERP confirms: its open amount goes down by what it booked, Concord's stays
    assert ledger.mark_booked(session, [entry], actor="erp") == [entry]
    assert entry.erp_status is ErpStatus.BOOKED
    assert (invoice.erp_open_amount, invoice.open_amount) == (D("600.00"), D("600.00"))
    assert ledger.pending_total(session, invoice) == 0
    assert ledger.mark_booked(session, invoice, actor="erp") == []


def test_an_import_sets_the_erp_open_amount_and_keeps_concords_records(
    session: Session, customer: Customer
) -> None:
    invoice = make_invoice(session, customer, amount="1000.00")
    txn = receipt(session, "1000.00")
    ledger.apply(session, txn, invoice, D("1000.00"), actor="auto-match")
    # the ERP has not seen the payment yet and still reports the invoice open
    assert ledger.set_erp_open(session, invoice, D("1000.00")) == 0
    assert invoice.status is InvoiceStatus.PAID
    # the ERP booked the payment itself: the import marks it booked first, then sets the figure
    ledger.mark_booked(session, invoice, actor="erp-import", adjust_erp_open=False)
    assert ledger.set_erp_open(session, invoice, D("0.00"), actor="erp-import") == 0
    with pytest.raises(ledger.InvalidAmount):
        ledger.set_erp_open(session, invoice, D("1000.01"))


def test_settle_in_erp_closes_the_invoice(session: Session) -> None:
    invoice = make_invoice(session, amount="700.00")
    ledger.settle_in_erp(session, invoice, actor="erp-import", reason="paid in the ERP")
    assert invoice.settled_in_erp and invoice.status is InvoiceStatus.PAID
    assert (invoice.open_amount, invoice.erp_open_amount) == (D("0.00"), D("0.00"))
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "invoice.settled_in_erp")
    ).one()
    assert event.actor_label == "erp-import" and event.entity_id == invoice.number
    # the ERP reopens it later: the flag goes
    ledger.set_erp_open(session, invoice, D("100.00"))
    assert not invoice.settled_in_erp and invoice.status is InvoiceStatus.PARTIALLY_PAID


def test_import_batch_checks_each_record_and_writes_them_at_once(
    session: Session, customer: Customer
) -> None:
    invoice = make_invoice(session, customer, amount="1000.00")
    usd = make_invoice(session, make_customer(session, currency="USD"), amount="50.00")
    txn = receipt(session, "990.00")
    batch = ledger.ImportBatch(session, actor="auto-match")
    txn.confidence, txn.reasons = D("0.95"), [{"text": "INV named"}]
    batch.apply(txn, invoice, D("990.00"))
    with pytest.raises(ledger.OverApplied):
        batch.apply(txn, invoice, D("0.01"))
    with pytest.raises(ledger.CurrencyMismatch):
        batch.apply(receipt(session, "50.00"), usd, D("50.00"))
    with pytest.raises(ledger.OverLimit):
        batch.write_off(txn, invoice, D("100.01"))
    batch.write_off(txn, invoice, D("10.00"))
    entries = batch.finish()
    assert [(e.kind, e.amount, e.actor_label) for e in entries] == [
        (AllocationKind.PAYMENT, D("990.00"), "auto-match"),
        (AllocationKind.FEE_WRITEOFF, D("10.00"), "auto-match"),
    ]
    # the payment is the import's automatic match, with the receipt's confidence and reasons
    assert (entries[0].method, entries[0].confidence, entries[0].explanation) == (
        AllocationMethod.AUTO,
        D("0.95"),
        [{"text": "INV named"}],
    )
    assert (invoice.open_amount, invoice.status) == (D("0.00"), InvoiceStatus.PAID)
    assert txn.unapplied_amount == 0 and ledger.pending_total(session, invoice) == D("1000.00")
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.entity_type == "allocation").order_by(AuditEvent.id)
    ).all()
    assert [(e.action, e.entity_id, e.actor_label) for e in events] == [
        ("ledger.payment", str(entries[0].id), "auto-match"),
        ("ledger.fee_writeoff", str(entries[1].id), "auto-match"),
    ]
    assert batch.finish() == []


# --- two clerks at once, on PostgreSQL with two real connections ---------------------------


@pytest.mark.slow
def test_two_clerks_applying_one_receipt_at_once_exactly_one_wins(scratch_pg: Engine) -> None:
    with Session(scratch_pg) as setup:
        customer = Customer(code="LRACE", name="Ledger Race Co")
        clerks = [User(email=f"lr{i}@x.test", role="finance") for i in (1, 2)]
        setup.add_all([customer, *clerks])
        setup.flush()
        invoices = [
            Invoice(
                number=f"INV-LRACE-{i}",
                customer_id=customer.id,
                issue_date=dt.date(2026, 10, 1),
                due_date=dt.date(2026, 10, 31),
                currency="CNY",
                amount=D("1000.00"),
                open_amount=D("1000.00"),
            )
            for i in (1, 2)
        ]
        setup.add_all(invoices)
        txn = receipt(setup, "1000.00")
        setup.commit()
        txn_id, invoice_ids, clerk_ids = txn.id, [i.id for i in invoices], [c.id for c in clerks]

    first, second = Session(scratch_pg), Session(scratch_pg)
    outcome: dict[str, object] = {}
    try:
        t1, t2 = first.get(BankTransaction, txn_id), second.get(BankTransaction, txn_id)
        inv1, inv2 = first.get(Invoice, invoice_ids[0]), second.get(Invoice, invoice_ids[1])
        u1, u2 = first.get(User, clerk_ids[0]), second.get(User, clerk_ids[1])
        assert t1 and t2 and inv1 and inv2 and u1 and u2
        # both pages showed 1000.00 unapplied; each clerk applies all of it to another invoice
        ledger.apply(first, t1, inv1, D("1000.00"), actor=u1)

        def second_clerk() -> None:
            try:
                ledger.apply(second, t2, inv2, D("1000.00"), actor=u2)
                second.commit()
                outcome["second"] = "won"
            except ledger.OverApplied as exc:
                second.rollback()
                outcome["second"] = exc

        thread = threading.Thread(target=second_clerk)
        thread.start()
        thread.join(1.0)
        assert thread.is_alive(), "the second clerk waits for the first one's lock"
        first.commit()
        thread.join(30)
        assert not thread.is_alive()
    finally:
        first.close()
        second.close()

    assert isinstance(outcome["second"], ledger.OverApplied)
    with Session(scratch_pg) as check:
        rows = check.scalars(select(Allocation)).all()
        assert [(a.invoice_id, a.amount, a.created_by_id) for a in rows] == [
            (invoice_ids[0], D("1000.00"), clerk_ids[0])
        ]
        after = check.get(BankTransaction, txn_id)
        assert after is not None and after.unapplied_amount == 0
        untouched = check.get(Invoice, invoice_ids[1])
        assert untouched is not None and untouched.open_amount == D("1000.00")
