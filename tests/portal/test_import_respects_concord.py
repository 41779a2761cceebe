"""The ERP import keeps Concord's ledger: settlements stand, round trips book, conflicts listed."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from pathlib import Path

import pytest
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import ledger
from portal.erp.service import import_invoices_csv
from portal.models import (
    AuditEvent,
    BankFile,
    BankTransaction,
    ConflictKind,
    ConflictStatus,
    Customer,
    Direction,
    ErpStatus,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    ImportConflict,
    Invoice,
    InvoiceStatus,
    MatchStatus,
    User,
)
from tests.factories import make_customer, make_user
from tests.portal.finance_helpers import login

D = Decimal
_seq = itertools.count(1)
HEADER = "number,customer,issue_date,due_date,currency,amount,open_amount,po_number\n"


def _file(*rows: tuple[str, str, str]) -> bytes:
    """An open-items export: (number, amount, open amount) rows of customer RC01."""
    lines = [f"{n},RC01,2026-10-01,2026-10-31,CNY,{a},{o},\n" for n, a, o in rows]
    return (HEADER + "".join(lines)).encode()


def _receipt(session: Session, amount: str) -> BankTransaction:
    n = next(_seq)
    bank_file = BankFile(sha256=f"{n:064x}", original_name="b.csv", size=1, content=b"x")
    session.add(bank_file)
    session.flush()
    txn = BankTransaction(
        file_id=bank_file.id,
        voucher_number=f"RV-RC-{n:06d}",
        bank_ref=f"RC{n}",
        booking_date=dt.date(2026, 11, 20),
        amount=D(amount),
        direction=Direction.CREDIT,
        currency="CNY",
        match_status=MatchStatus.UNMATCHED,
        unapplied_amount=D(amount),
    )
    session.add(txn)
    session.flush()
    return txn


def _invoice(session: Session, number: str) -> Invoice:
    session.expire_all()
    return session.scalars(select(Invoice).where(Invoice.number == number)).one()


@pytest.fixture
def clerk(session: Session) -> User:
    return make_user(session, "finance")


@pytest.fixture
def customer(session: Session) -> Customer:
    customer = make_customer(session, code="RC01")
    import_invoices_csv(session, _file(("R-1", "1000.00", "1000.00"), ("R-2", "500.00", "500.00")))
    return customer


def _pay(session: Session, clerk: User, number: str, amount: str) -> None:
    ledger.apply(
        session, _receipt(session, amount), _invoice(session, number), D(amount), actor=clerk
    )


def _dunning_task(session: Session, invoice: Invoice) -> FollowUp:
    task = FollowUp(
        kind=FollowUpKind.DUNNING_CALL,
        title="call",
        due_date=dt.date(2026, 11, 20),
        invoice_id=invoice.id,
        customer_id=invoice.customer_id,
    )
    session.add(task)
    session.flush()
    return task


def test_erp_still_listing_an_invoice_concord_settled_keeps_the_settlement(
    session: Session, clerk: User, customer: Customer
) -> None:
    _pay(session, clerk, "R-1", "1000.00")
    task = _dunning_task(session, _invoice(session, "R-1"))
    task.move_to(FollowUpStatus.DONE)
    session.flush()

    summary = import_invoices_csv(
        session, _file(("R-1", "1000.00", "1000.00"), ("R-2", "500.00", "500.00"))
    )
    assert (summary.updated, summary.unchanged, summary.closed, summary.conflicts) == (0, 2, 0, 0)
    invoice = _invoice(session, "R-1")
    assert (invoice.open_amount, invoice.erp_open_amount, invoice.status) == (
        D("0.00"),
        D("1000.00"),
        InvoiceStatus.PAID,
    )
    session.refresh(task)
    assert task.status is FollowUpStatus.DONE
    assert ledger.pending_total(session, invoice) == D("1000.00")


def test_the_round_trip_books_concords_records_without_conflict(
    session: Session, clerk: User, customer: Customer
) -> None:
    _pay(session, clerk, "R-1", "400.00")
    # the ERP booked the exported payment: its open amount dropped by exactly that
    summary = import_invoices_csv(
        session, _file(("R-1", "1000.00", "600.00"), ("R-2", "500.00", "500.00"))
    )
    assert (summary.updated, summary.unchanged, summary.conflicts) == (1, 1, 0)
    invoice = _invoice(session, "R-1")
    assert (invoice.open_amount, invoice.erp_open_amount) == (D("600.00"), D("600.00"))
    assert ledger.pending_total(session, invoice) == 0
    entries = session.scalars(select(ledger.service.Allocation)).all()
    assert [e.erp_status for e in entries] == [ErpStatus.BOOKED]
    assert session.scalars(select(ImportConflict)).all() == []


def test_a_stale_erp_file_after_the_connector_acked_reopens_nothing(
    session: Session, clerk: User, customer: Customer
) -> None:
    # the connector confirmed (POST /api/v1/allocations/ack) that the ERP booked the payment,
    # then an ERP file from before the booking still lists the invoice fully open: reopening
    # it would dun the customer for money Concord holds; finance decides instead
    _pay(session, clerk, "R-1", "1000.00")
    ledger.mark_booked(session, _invoice(session, "R-1"), actor=clerk)
    assert _invoice(session, "R-1").erp_open_amount == D("0.00")
    summary = import_invoices_csv(
        session, _file(("R-1", "1000.00", "1000.00"), ("R-2", "500.00", "500.00"))
    )
    assert (summary.updated, summary.conflicts) == (0, 1)
    invoice = _invoice(session, "R-1")
    assert (invoice.open_amount, invoice.status) == (D("0.00"), InvoiceStatus.PAID)
    [conflict] = session.scalars(select(ImportConflict)).all()
    assert conflict.kind is ConflictKind.OPEN_AMOUNT_DIFFERS
    assert conflict.erp["open_amount"] == "1000.00"
    # the ERP catching up (open 0) is simply taken
    later = import_invoices_csv(
        session, _file(("R-1", "1000.00", "0.00"), ("R-2", "500.00", "500.00"))
    )
    assert (later.updated, later.conflicts) == (0, 0)
    assert _invoice(session, "R-1").status is InvoiceStatus.PAID


def test_erp_paid_without_a_concord_receipt_is_settled_there_and_follow_ups_close(
    session: Session, customer: Customer
) -> None:
    task = _dunning_task(session, _invoice(session, "R-2"))
    summary = import_invoices_csv(
        session, _file(("R-1", "1000.00", "1000.00"), ("R-2", "500.00", "0.00"))
    )
    assert (summary.closed, summary.updated, summary.unchanged) == (1, 0, 1)
    invoice = _invoice(session, "R-2")
    assert (invoice.open_amount, invoice.status, invoice.settled_in_erp) == (
        D("0.00"),
        InvoiceStatus.PAID,
        True,
    )
    session.refresh(task)
    assert task.status is FollowUpStatus.DONE and task.closed_at is not None
    actions = set(session.scalars(select(AuditEvent.action)))
    assert {"invoice.settled_in_erp", "followup.closed"} <= actions


def test_full_file_closes_missing_invoices_and_lists_dropped_ones_with_money(
    session: Session, clerk: User, customer: Customer, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    import_invoices_csv(session, _file(("R-3", "300.00", "300.00")))
    _pay(session, clerk, "R-1", "250.00")  # applied, not booked: R-1 dropped is a conflict
    _pay(session, clerk, "R-3", "300.00")  # fully applied: the ERP booked it and dropped it
    session.commit()
    path = tmp_path / "open-items.csv"
    path.write_bytes(HEADER.encode())  # nothing is open any more in the ERP

    result = runner.invoke(args=["import", "invoices", "--full", str(path)])
    assert result.exit_code == 0, result.output
    assert "0 created, 1 updated, 0 unchanged, 1 closed, 1 conflicts" in result.output

    r1, r2, r3 = (_invoice(session, n) for n in ("R-1", "R-2", "R-3"))
    assert (r2.settled_in_erp, r2.open_amount) == (True, D("0.00"))
    assert (r3.settled_in_erp, r3.open_amount, r3.erp_open_amount) == (False, 0, 0)
    assert ledger.pending_total(session, r3) == 0
    [conflict] = session.scalars(select(ImportConflict)).all()
    assert (conflict.invoice_id, conflict.kind) == (r1.id, ConflictKind.DROPPED_WITH_ALLOCATIONS)
    assert conflict.concord["unbooked"] == "250.00"

    # the same file again: the conflict is still there, nothing else changes
    again = runner.invoke(args=["import", "invoices", "--full", str(path)])
    assert "0 created, 0 updated, 0 unchanged, 0 closed, 1 conflicts" in again.output
    assert len(session.scalars(select(ImportConflict)).all()) == 1


def test_without_full_missing_invoices_stay_open(session: Session, customer: Customer) -> None:
    summary = import_invoices_csv(session, _file(("R-1", "1000.00", "1000.00")))
    assert (summary.closed, summary.unchanged) == (0, 1)
    assert _invoice(session, "R-2").open_amount == D("500.00")


def test_amount_changed_on_an_invoice_with_concord_money_is_a_conflict(
    session: Session, clerk: User, customer: Customer
) -> None:
    _pay(session, clerk, "R-1", "100.00")
    summary = import_invoices_csv(
        session, _file(("R-1", "1200.00", "1200.00"), ("R-2", "550.00", "550.00"))
    )
    # R-2 has no Concord record: it simply follows the ERP
    assert (summary.updated, summary.conflicts) == (1, 1)
    assert _invoice(session, "R-2").amount == D("550.00")
    r1 = _invoice(session, "R-1")
    assert (r1.amount, r1.open_amount) == (D("1000.00"), D("900.00"))
    [conflict] = session.scalars(select(ImportConflict)).all()
    assert conflict.kind is ConflictKind.AMOUNT_CHANGED
    assert (conflict.erp["amount"], conflict.concord["amount"]) == ("1200.00", "1000.00")


def test_open_amount_moved_by_something_else_is_a_conflict(
    session: Session, clerk: User, customer: Customer
) -> None:
    _pay(session, clerk, "R-1", "100.00")
    summary = import_invoices_csv(
        session, _file(("R-1", "1000.00", "700.00"), ("R-2", "500.00", "500.00"))
    )
    assert summary.conflicts == 1
    [conflict] = session.scalars(select(ImportConflict)).all()
    assert conflict.kind is ConflictKind.OPEN_AMOUNT_DIFFERS
    assert conflict.erp["open_amount"] == "700.00"
    r1 = _invoice(session, "R-1")
    # Concord's figures stay as they were until finance settles the difference
    assert (r1.erp_open_amount, r1.open_amount) == (D("1000.00"), D("900.00"))
    again = import_invoices_csv(
        session, _file(("R-1", "1000.00", "700.00"), ("R-2", "500.00", "500.00"))
    )
    assert (again.conflicts, again.updated, again.unchanged) == (1, 0, 1)
    assert len(session.scalars(select(ImportConflict)).all()) == 1


def test_finance_resolves_a_conflict_with_a_reason(
    client: FlaskClient, session: Session, clerk: User, customer: Customer
) -> None:
    _pay(session, clerk, "R-1", "100.00")
    import_invoices_csv(session, _file(("R-1", "1200.00", "1200.00")))
    conflict = session.scalars(select(ImportConflict)).one()
    login(client, clerk)
    page = client.get("/erp/conflicts").get_data(as_text=True)
    assert "R-1" in page and "1200.00" in page
    url = f"/erp/conflicts/{conflict.id}/resolve"
    assert client.post(url, data={"reason": ""}).status_code == 302
    session.refresh(conflict)
    assert conflict.status is ConflictStatus.OPEN
    client.post(url, data={"reason": "Credit note in ERP"})
    session.refresh(conflict)
    assert (conflict.status, conflict.reason, conflict.resolved_by_id) == (
        ConflictStatus.RESOLVED,
        "Credit note in ERP",
        clerk.id,
    )
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "erp.conflict_resolved")
    ).one()
    assert event.reason == "Credit note in ERP"
    # the same ERP figures again: finance decided, the ERP's amount is taken, no new conflict
    summary = import_invoices_csv(session, _file(("R-1", "1200.00", "1200.00")))
    assert (summary.conflicts, summary.updated) == (0, 1)
    assert len(session.scalars(select(ImportConflict)).all()) == 1
    r1 = _invoice(session, "R-1")
    assert (r1.amount, r1.erp_open_amount, r1.open_amount) == (
        D("1200.00"),
        D("1200.00"),
        D("1100.00"),
    )

    client.post("/logout")
    login(client, make_user(session, "sales"))
    assert client.get("/erp/conflicts").status_code == 200
    assert (
        client.post(f"/erp/conflicts/{conflict.id}/resolve", data={"reason": "x"}).status_code
        == 403
    )
