"""Bank imports: stored once by hash, voucher numbers, duplicates, automatic application."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.banking import service
from portal.models import (
    Allocation,
    AllocationKind,
    AllocationMethod,
    AuditEvent,
    BankFile,
    BankFileStatus,
    BankTransaction,
    Invoice,
    InvoiceStatus,
    Job,
    JobStatus,
    MatchStatus,
)
from tests.factories import make_customer, make_invoice, make_user
from tests.portal.finance_helpers import parser_for, simple_matcher, txn


@pytest.fixture
def fake_engine(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Route imports through the stand-in matcher; the test sets the parser per upload."""
    monkeypatch.setattr(service, "default_matcher", lambda: simple_matcher)

    def set_files(*files: Any) -> None:
        parse = parser_for(*files)
        monkeypatch.setattr(service, "default_parser", lambda: parse)

    return set_files


def _upload(session: Session, name: str, data: bytes) -> tuple[BankFile, bool, Job | None]:
    user = make_user(session, "finance")
    bank_file, created = service.store_upload(session, name, data, user=user)
    job = service.start_import(session, [bank_file], user=user) if created else None
    return bank_file, created, job


def test_same_bytes_are_stored_once_and_import_nothing(session: Session, fake_engine: Any) -> None:
    customer = make_customer(session)
    inv = make_invoice(session, customer, number="INV-2026-00001", amount="500.00")
    fake_engine([txn("R1", "500.00", "INV-2026-00001")])
    first, created, job = _upload(session, "a.csv", b"same bytes")
    assert created and job is not None and job.status is JobStatus.DONE
    again, created_again, job_again = _upload(session, "renamed.csv", b"same bytes")
    assert again.id == first.id and not created_again and job_again is None
    count = session.scalar(select(func.count()).select_from(BankTransaction))
    assert count == 1
    assert inv.open_amount == Decimal("0.00") and inv.status is InvoiceStatus.PAID
    assert first.sha256 == __import__("hashlib").sha256(b"same bytes").hexdigest()


def test_import_numbers_vouchers_and_applies_matches(session: Session, fake_engine: Any) -> None:
    customer = make_customer(session)
    exact = make_invoice(session, customer, number="INV-A", amount="1000.00")
    fee = make_invoice(session, customer, number="INV-B", amount="2000.00")
    over = make_invoice(session, customer, number="INV-C", amount="300.00")
    part = make_invoice(session, customer, number="INV-D", amount="900.00")
    fake_engine(
        [
            txn("R1", "1000.00", "pay INV-A"),
            txn("R2", "1970.00", "INV-B"),  # 30 short: bank fee written off
            txn("R3", "500.00", "INV-C"),  # 200 over: stays unapplied on the customer
            txn("R4", "100.00", "INV-D"),  # partial: only suggested
            txn("R5", "77.00", "no reference"),
            txn("D1", "12.00", "fee", direction="debit"),
        ]
    )
    bank_file, _, job = _upload(session, "nov.csv", b"file-1")
    assert job is not None and job.status is JobStatus.DONE, job.error
    assert bank_file.status is BankFileStatus.DONE and bank_file.transaction_count == 6
    rows = {
        t.bank_ref: t
        for t in session.scalars(
            select(BankTransaction).where(BankTransaction.file_id == bank_file.id)
        )
    }
    vouchers = sorted(t.voucher_number for t in rows.values())
    assert all(re.fullmatch(r"RV-\d{4}-\d{6}", v) for v in vouchers)
    seq = [int(v[-6:]) for v in vouchers]
    assert seq == list(range(seq[0], seq[0] + 6))

    assert [rows[r].match_status for r in ("R1", "R2", "R3", "R4", "R5", "D1")] == [
        MatchStatus.MATCHED,
        MatchStatus.MATCHED,
        MatchStatus.MATCHED,
        MatchStatus.SUGGESTED,
        MatchStatus.UNMATCHED,
        MatchStatus.IGNORED,
    ]
    assert (exact.open_amount, exact.status) == (Decimal("0.00"), InvoiceStatus.PAID)
    assert (fee.open_amount, fee.status) == (Decimal("0.00"), InvoiceStatus.PAID)
    fee_allocs = sorted((a.kind, a.amount) for a in rows["R2"].allocations)
    assert fee_allocs == [
        (AllocationKind.FEE_WRITEOFF, Decimal("30.00")),
        (AllocationKind.PAYMENT, Decimal("1970.00")),
    ]
    assert over.open_amount == Decimal("0.00")
    assert rows["R3"].unapplied_amount == Decimal("200.00")
    assert rows["R3"].customer_id == customer.id
    assert part.open_amount == Decimal("900.00") and rows["R4"].suggestions
    auto = rows["R1"].allocations[0]
    assert auto.method is AllocationMethod.AUTO and auto.confidence == Decimal("0.9800")
    assert auto.explanation[0]["text"].startswith("reference names INV-A")
    assert rows["D1"].unapplied_amount == 0 and rows["D1"].customer_id is None
    events = session.scalars(
        select(AuditEvent.action).where(AuditEvent.entity_id == str(bank_file.id))
    ).all()
    assert {"bank_file.uploaded", "bank_file.imported"} <= set(events)
    imported = session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "bank_file.imported", AuditEvent.entity_id == str(bank_file.id)
        )
    ).one()
    postings = {(v, inv, kind, amount) for v, inv, kind, amount in imported.data["auto_applied"]}
    assert (rows["R2"].voucher_number, "INV-B", "fee_writeoff", "30.00") in postings
    assert len(postings) == 4


def test_duplicates_are_kept_but_never_applied_twice(session: Session, fake_engine: Any) -> None:
    customer = make_customer(session)
    inv = make_invoice(session, customer, number="INV-X", amount="800.00")
    other = make_invoice(session, customer, number="INV-Y", amount="100.00")
    fake_engine(
        [txn("R1", "400.00", "INV-X")],
        # the same bank entry again (e.g. the receipt PDF of the CSV line), plus one twice
        [txn("R1", "400.00", "INV-X"), txn("R9", "100.00", "INV-Y"), txn("R9", "100.00", "INV-Y")],
    )
    _upload(session, "a.csv", b"one")
    inv_open_after_first = inv.open_amount
    second, _, job = _upload(session, "b.pdf", b"two")
    assert job is not None and job.status is JobStatus.DONE
    rows = session.scalars(
        select(BankTransaction)
        .where(BankTransaction.file_id == second.id)
        .order_by(BankTransaction.id)
    ).all()
    assert [r.match_status for r in rows] == [
        MatchStatus.DUPLICATE,
        MatchStatus.MATCHED,
        MatchStatus.DUPLICATE,
    ]
    original = session.scalar(
        select(BankTransaction).where(
            BankTransaction.bank_ref == "R1", BankTransaction.duplicate_of_id.is_(None)
        )
    )
    assert original is not None and rows[0].duplicate_of_id == original.id
    assert rows[2].duplicate_of_id == rows[1].id
    assert not rows[0].allocations and not rows[2].allocations
    assert inv.open_amount == inv_open_after_first
    assert other.open_amount == Decimal("0.00")


def test_failed_file_leaves_database_unchanged_and_others_import(
    session: Session, fake_engine: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    customer = make_customer(session)
    make_invoice(session, customer, number="INV-OK", amount="10.00")
    fake_engine("no parser recognises this file", [txn("OK1", "10.00", "INV-OK")])
    user = make_user(session, "finance")
    bad, _ = service.store_upload(session, "bad.txt", b"garbage", user=user)
    good, _ = service.store_upload(session, "good.csv", b"good", user=user)
    job = service.start_import(session, [bad, good], user=user)
    assert job.status is JobStatus.DONE
    assert bad.status is BankFileStatus.FAILED and "no parser" in (bad.error or "")
    assert good.status is BankFileStatus.DONE and good.transaction_count == 1
    files = job.result["files"]
    assert files[str(bad.id)]["status"] == "failed" and files[str(good.id)]["status"] == "done"

    # a crash in the middle of storing a file rolls back everything of that file
    inv = make_invoice(session, customer, number="INV-BOOM", amount="50.00")
    fake_engine([txn("B1", "50.00", "INV-BOOM"), txn("B2", "5.00", "x")])
    original_store = service._store

    def store_then_fail(*args: Any, **kwargs: Any) -> None:
        original_store(*args, **kwargs)
        raise RuntimeError("disk full")

    monkeypatch.setattr(service, "_store", store_then_fail)
    before = session.scalar(select(func.count()).select_from(BankTransaction))
    allocs_before = session.scalar(select(func.count()).select_from(Allocation))
    boom, _ = service.store_upload(session, "boom.csv", b"boom", user=user)
    service.start_import(session, [boom], user=user)
    assert boom.status is BankFileStatus.FAILED and "disk full" in (boom.error or "")
    assert session.scalar(select(func.count()).select_from(BankTransaction)) == before
    assert session.scalar(select(func.count()).select_from(Allocation)) == allocs_before
    session.refresh(inv)
    assert inv.open_amount == Decimal("50.00") and inv.status is InvoiceStatus.OPEN


def test_auto_match_is_kept_for_review_when_invoice_was_paid_meanwhile(
    session: Session, fake_engine: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    customer = make_customer(session)
    inv = make_invoice(session, customer, number="INV-RACE", amount="70.00")
    fake_engine([txn("Q1", "70.00", "INV-RACE")])
    real_match = service._match

    def match_then_someone_pays(*args: Any, **kwargs: Any) -> Any:
        result = real_match(*args, **kwargs)
        session.execute(
            Invoice.__table__.update()
            .where(Invoice.id == inv.id)
            .values(open_amount=Decimal("20.00"), status="partially_paid")
        )
        return result

    monkeypatch.setattr(service, "_match", match_then_someone_pays)
    bank_file, _, _ = _upload(session, "race.csv", b"race")
    row = session.scalar(select(BankTransaction).where(BankTransaction.file_id == bank_file.id))
    assert row is not None and row.match_status is MatchStatus.SUGGESTED
    assert not row.allocations
    session.refresh(inv)
    assert inv.open_amount == Decimal("20.00")
