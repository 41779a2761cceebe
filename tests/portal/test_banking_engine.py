"""Uploads through the real parser and matching engine; a worker killed mid-upload."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap
import time
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.banking import review, service
from portal.extensions import db
from portal.jobs import Worker
from portal.models import (
    BankFile,
    BankFileStatus,
    BankTransaction,
    Customer,
    Invoice,
    InvoiceStatus,
    Job,
    JobStatus,
    LearnedPayer,
    MatchStatus,
)
from tests.conftest import sqlite_file, worker_app
from tests.factories import make_customer, make_invoice, make_user

ROOT = Path(__file__).resolve().parents[2]
OUR = "31050161373600000001"
HEADER = "交易日期,交易流水号,对方户名,对方账号,贷方金额,借方金额,币种,摘要,本方账号\n"


def bank_csv(*rows: tuple[str, str, str, str, str]) -> bytes:
    """A bank CSV export: (ref, payer, payer account, credit amount, remittance text)."""
    lines = [
        f"2026-11-20,{ref},{payer},{acct},{amount},,CNY,{text},{OUR}\n"
        for ref, payer, acct, amount, text in rows
    ]
    return (HEADER + "".join(lines)).encode("utf-8")


def test_real_engine_applies_and_learns(session: Session) -> None:
    huamei = make_customer(session, code="C00017", name="上海华美贸易有限公司")
    inv = make_invoice(session, huamei, number="INV-2026-00123", amount="1000.00")
    other = make_customer(session, code="C00018", name="北京远景科技有限公司")
    make_invoice(session, other, number="INV-2026-00200", amount="880.00")
    user = make_user(session, "finance")
    data = bank_csv(
        ("B1", "上海华美贸易有限公司", "6222000011112222", "1000.00", "支付INV-2026-00123货款"),
        ("B2", "张三", "6222999900001111", "880.00", "货款"),
    )
    bank_file, created = service.store_upload(session, "nov.csv", data, user=user)
    assert created
    job = service.start_import(session, [bank_file], user=user)
    assert job.status is JobStatus.DONE, job.error
    assert bank_file.status is BankFileStatus.DONE and bank_file.detected_format == "tabular"
    rows = {
        t.bank_ref: t
        for t in session.scalars(
            select(BankTransaction).where(BankTransaction.file_id == bank_file.id)
        )
    }
    assert rows["B1"].match_status is MatchStatus.MATCHED
    assert (inv.open_amount, inv.status) == (Decimal("0.00"), InvoiceStatus.PAID)
    assert any("INV-2026-00123" in r["text"] for r in rows["B1"].reasons)
    # the owner paying personally, no invoice number: not applied automatically
    stranger = rows["B2"]
    assert stranger.match_status is not MatchStatus.MATCHED
    invoice_200 = session.scalar(select(Invoice).where(Invoice.number == "INV-2026-00200"))
    assert invoice_200 is not None
    review.apply_splits(
        session,
        stranger,
        [review.Split(invoice_200, Decimal("880.00"))],
        user=user,
        version=stranger.version,
    )
    assert session.scalar(
        select(LearnedPayer).where(
            LearnedPayer.customer_id == other.id, LearnedPayer.payer_name == "张三"
        )
    )
    # next month the same person pays again: the engine now knows whom for
    make_invoice(session, other, number="INV-2026-00300", amount="640.00")
    again, _ = service.store_upload(
        session,
        "dec.csv",
        bank_csv(("B3", "张三", "6222999900001111", "640.00", "货款")),
        user=user,
    )
    service.start_import(session, [again], user=user)
    third = session.scalar(select(BankTransaction).where(BankTransaction.bank_ref == "B3"))
    assert third is not None and third.customer_id == other.id
    assert third.match_status in (MatchStatus.MATCHED, MatchStatus.SUGGESTED)


KILLABLE_WORKER = textwrap.dedent(
    """
    import sys, time
    from portal import create_app
    from portal.banking import service
    from portal.jobs import work_once

    original_store = service._store
    calls = []

    def store_then_hang(*args, **kwargs):
        original_store(*args, **kwargs)
        calls.append(1)
        if len(calls) == 2:
            # the second file is written but not committed: the test kills us now
            print("ready", flush=True)
            time.sleep(3600)

    service._store = store_then_hang
    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 40, "KEY_PASSPHRASE": "t",
                      "DATABASE_URL": sys.argv[1], "INSTANCE_PATH": sys.argv[2],
                      "JOBS_INLINE": False, "JOBS_WORKER": False,
                      "OWN_ACCOUNTS": [sys.argv[3]]})
    work_once(app, "doomed-worker")
    """
)


@pytest.fixture
def file_app(tmp_path: Path) -> Flask:
    url = sqlite_file(tmp_path / "upload.sqlite3")
    return worker_app(url, tmp_path / "instance", OWN_ACCOUNTS=[OUR])


def test_upload_survives_a_killed_worker(file_app: Flask, tmp_path: Path) -> None:
    files = [
        bank_csv(
            *[(f"K{f}-{i}", f"付款人{i}", f"62220000{i:08d}", "10.00", "货款") for i in range(40)]
        )
        for f in (1, 2, 3)
    ]
    with file_app.app_context():
        s = db.session()
        customer = Customer(code="CK", name="Kill Test Co")
        s.add(customer)
        s.flush()
        s.add(
            Invoice(
                number="INV-K-1",
                customer_id=customer.id,
                issue_date=dt.date(2026, 10, 1),
                due_date=dt.date(2026, 10, 31),
                currency="CNY",
                amount=Decimal("10.00"),
                open_amount=Decimal("10.00"),
            )
        )
        stored = [
            service.store_upload(s, f"f{i}.csv", d, user=None)[0] for i, d in enumerate(files)
        ]
        job = service.start_import(s, stored, user=None)
        s.commit()
        job_id = job.id

    # a worker that is already running takes the job over once the doomed one dies: no restart
    # (registered now: on SQLite nobody can write while the doomed worker holds the lock)
    worker = Worker(file_app, poll_seconds=0.05, stale_after=1)
    worker.register()
    script = tmp_path / "killable.py"
    script.write_text(KILLABLE_WORKER)
    proc = subprocess.Popen(
        [
            sys.executable,
            str(script),
            file_app.config["DATABASE_URL"],
            file_app.instance_path,
            OUR,
        ],
        stdout=subprocess.PIPE,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        text=True,
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        with file_app.app_context():
            s = db.session()
            # the first file was committed, the second is being written as the worker dies
            statuses = [s.get(BankFile, f.id).status for f in stored]  # type: ignore[union-attr]
            assert statuses == [BankFileStatus.DONE, BankFileStatus.PENDING, BankFileStatus.PENDING]
            assert s.scalar(select(func.count()).select_from(BankTransaction)) == 40
            stuck = s.get(Job, job_id)
            assert stuck is not None and stuck.status is JobStatus.RUNNING
        worker.start()
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with file_app.app_context():
                job = db.session.get(Job, job_id)
                assert job is not None
                if job.status is not JobStatus.RUNNING and job.status is not JobStatus.QUEUED:
                    break
            time.sleep(0.1)
    finally:
        worker.stop()
        if proc.poll() is None:
            proc.kill()
            proc.wait(30)
        if proc.stdout is not None:
            proc.stdout.close()

    with file_app.app_context():
        s = db.session()
        job = s.get(Job, job_id)
        assert job is not None and job.status is JobStatus.DONE and job.attempts == 2
        assert job.progress_done == job.progress_total == 9
        refs = s.scalars(select(BankTransaction.bank_ref)).all()
        assert len(refs) == 120 and len(set(refs)) == 120
        vouchers = s.scalars(select(BankTransaction.voucher_number)).all()
        assert len(set(vouchers)) == 120
        assert (
            s.scalar(
                select(func.count())
                .select_from(BankTransaction)
                .where(BankTransaction.match_status == MatchStatus.DUPLICATE)
            )
            == 0
        )
        assert {f["status"] for f in job.result["files"].values()} == {"done"}
