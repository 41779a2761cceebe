"""Monthly statement run at company size: 20,000 customers, 100,000 invoices, one period.

Builds a fresh SQLite database with the real migrations and fills it in bulk from the
receivables generator (``bench.generators.ar``: customers with Chinese and English names, one
in 25 billing in USD, invoices over the year before 20 November 2026), with one billing contact
per customer and receipts applied to invoices: a tenth of the invoices issued before October
paid in September, a third of those left paid in October, some paid in November (after the
period). Then, in a child process (so its peak memory is the run's own), it runs the real
command line code, as production does (certified PDFs, notify on, emails and SMS only queued):

    flask --app portal statements issue --period 2026-10

and prints statements issued, seconds, statements per second, peak memory (``ru_maxrss``),
SQL statements, and the time spent loading ledgers (SQL and entries), building, rendering the
PDFs and certifying them. The generator knows the answers: which customers must get a
statement (activity in October or an open balance at its end) and each one's closing balance;
the bench checks the count and every closing balance and fails when one differs.

    .venv/bin/python bench/statement_run_bench.py [--customers 20000] [--invoices 100000]
        [--code DIR]   # run another checkout's portal (e.g. a worktree of main) on the same data
        [--keep DIR]   # keep the database (a copy is used for each run; reused next time)
        [--ledger-sample K]  # only time K customers' ledgers: per-customer cost at this size
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, os.environ.get("CONCORD_BENCH_CODE") or str(ROOT))

PERIOD = "2026-10"
START, END = dt.date(2026, 10, 1), dt.date(2026, 10, 31)
GENERATED_ON = dt.date(2026, 11, 20)  # the generator's "today": invoices up to 5 days before


# --- the company ----------------------------------------------------------------------------


def make_company(customers: int, invoices: int, seed: int = 38) -> dict[str, Any]:
    """Customers, invoices and receipts from the generator, with the known answers."""
    from bench.generators.ar import make_customers, make_invoices

    rng = random.Random(seed)
    people = make_customers(customers, rng)
    bills = make_invoices(people, invoices / customers, rng, today=GENERATED_ON)
    receipts: list[tuple[int, dt.date]] = []  # (invoice index, booking day)
    closing: dict[str, Decimal] = defaultdict(Decimal)
    active: set[str] = set()
    for n, bill in enumerate(bills):
        if bill.issue_date > END:
            continue
        paid_on: dt.date | None = None
        roll = rng.random()
        if bill.issue_date < START and roll < 0.1:
            paid_on = dt.date(2026, 9, 28)
        elif bill.issue_date < START and roll < 0.4:
            paid_on = START + dt.timedelta(days=rng.randint(0, 30))
        elif roll > 0.9:
            paid_on = dt.date(2026, 11, 10)  # after the period: still open on the statement
        if paid_on is not None:
            receipts.append((n, paid_on))
        code = bill.customer
        if START <= bill.issue_date or (paid_on is not None and START <= paid_on <= END):
            active.add(code)
        if paid_on is None or paid_on > END:
            closing[code] += bill.amount
    issued = {c.record.code for c in people if c.record.code in active or closing[c.record.code]}
    return {
        "customers": people,
        "invoices": bills,
        "receipts": receipts,
        "expected": {code: closing[code] for code in issued},
    }


def fill(url: str, company: dict[str, Any]) -> None:
    """Bulk-insert the company into a migrated database."""
    from sqlalchemy import insert

    from portal.extensions import make_engine
    from portal.models import (
        Allocation,
        AllocationKind,
        AllocationMethod,
        BankFile,
        BankTransaction,
        Customer,
        CustomerContact,
        Direction,
        Invoice,
        InvoiceStatus,
        MatchStatus,
    )

    now = dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.UTC)
    engine = make_engine(url)
    with engine.begin() as conn:
        rows = [
            {
                "code": c.record.code,
                "name": c.record.name,
                "aliases": list(c.record.aliases),
                "currency": c.record.currency,
                "language": "en" if c.record.currency != "CNY" else "zh",
                "email": f"ap.{c.record.code.lower()}@customer.test",
                "created_at": now,
                "updated_at": now,
            }
            for c in company["customers"]
        ]
        for start in range(0, len(rows), 5000):
            conn.execute(insert(Customer), rows[start : start + 5000])
        ids: dict[str, int] = dict(conn.exec_driver_sql("SELECT code, id FROM customers").all())
        conn.execute(
            insert(CustomerContact),
            [
                {
                    "customer_id": cid,
                    "name": "AP",
                    "email": f"billing.{code.lower()}@customer.test",
                    "mobile": f"139{cid:08d}",
                    "language": "zh",
                    "is_billing": True,
                    "created_at": now,
                    "updated_at": now,
                }
                for code, cid in ids.items()
            ],
        )
        paid = dict(company["receipts"])
        bills = company["invoices"]
        for start in range(0, len(bills), 10_000):
            conn.execute(
                insert(Invoice),
                [
                    {
                        "number": b.number,
                        "customer_id": ids[b.customer],
                        "issue_date": b.issue_date,
                        "due_date": b.due_date,
                        "currency": b.currency,
                        "amount": b.amount,
                        "open_amount": Decimal("0") if n in paid else b.amount,
                        "erp_open_amount": b.amount,
                        "po_number": b.po_number,
                        "status": InvoiceStatus.PAID if n in paid else InvoiceStatus.OPEN,
                        "created_at": now,
                        "updated_at": now,
                    }
                    for n, b in enumerate(bills[start : start + 10_000], start=start)
                ],
            )
        invoice_ids: dict[str, int] = dict(
            conn.exec_driver_sql("SELECT number, id FROM invoices").all()
        )
        file_id = conn.execute(
            insert(BankFile).returning(BankFile.id),
            {
                "sha256": "0" * 64,
                "original_name": "bench.csv",
                "size": 0,
                "content": b"",
                "transaction_count": len(paid),
                "uploaded_at": now,
                "created_at": now,
            },
        ).scalar_one()
        receipts = company["receipts"]
        for start in range(0, len(receipts), 10_000):
            chunk = receipts[start : start + 10_000]
            conn.execute(
                insert(BankTransaction),
                [
                    {
                        "file_id": file_id,
                        "voucher_number": f"RV-{n:07d}",
                        "our_account": "31050161373600000001",
                        "bank_ref": f"B{n:07d}",
                        "booking_date": day,
                        "value_date": day,
                        "amount": bills[n].amount,
                        "direction": Direction.CREDIT,
                        "currency": bills[n].currency,
                        "payer_name": "payer",
                        "match_status": MatchStatus.MATCHED,
                        "customer_id": ids[bills[n].customer],
                        "unapplied_amount": Decimal("0"),
                        "created_at": now,
                        "updated_at": now,
                    }
                    for n, day in chunk
                ],
            )
        txn_ids: dict[str, int] = dict(
            conn.exec_driver_sql("SELECT voucher_number, id FROM bank_transactions").all()
        )
        for start in range(0, len(receipts), 10_000):
            chunk = receipts[start : start + 10_000]
            conn.execute(
                insert(Allocation),
                [
                    {
                        "transaction_id": txn_ids[f"RV-{n:07d}"],
                        "invoice_id": invoice_ids[bills[n].number],
                        "customer_id": ids[bills[n].customer],
                        "kind": AllocationKind.PAYMENT,
                        "amount": bills[n].amount,
                        "currency": bills[n].currency,
                        "method": AllocationMethod.AUTO,
                        "created_at": now,
                    }
                    for n, _day in chunk
                ],
            )
    engine.dispose()


# --- the run (child process) ----------------------------------------------------------------


class Timer:
    """Seconds spent inside the functions it wraps, by label (nested calls not double-counted)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    def wrap(self, module: Any, name: str, label: str) -> None:
        inner = getattr(module, name, None)
        if inner is None:  # another checkout may not have it
            return

        def timed(*args: Any, **kwargs: Any) -> Any:
            began = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                self.seconds[label] += time.perf_counter() - began

        setattr(module, name, timed)


def run_issue(url: str, instance: Path, profile: str | None = None) -> dict[str, Any]:
    """Run ``statements issue`` in this process; return the figures (printed as JSON)."""
    from sqlalchemy import event, func, select

    from portal import create_app
    from portal.extensions import db
    from portal.models import Customer, Statement
    from portal.statements import service
    from portal.statements.commands import cli

    app = create_app(
        {
            "SECRET_KEY": "bench-secret-key-that-is-long-enough-0123456789",
            "KEY_PASSPHRASE": "bench",
            "DATABASE_URL": url,
            "INSTANCE_PATH": str(instance),
            "BASE_URL": "https://portal.example.com",
            "JOBS_WORKER": False,
        }
    )
    timer = Timer()
    timer.wrap(service, "load_ledger", "ledger")
    timer.wrap(service, "closings", "ledger")
    timer.wrap(service, "build_statement", "build")
    timer.wrap(service, "render_statement", "render")
    timer.wrap(service, "certify", "sign")
    queries = 0
    with app.app_context():
        service.pki_for_app(app).company()  # keys made once per instance, not per run

        def count(*_args: Any) -> None:
            nonlocal queries
            queries += 1

        event.listen(db.engine, "before_cursor_execute", count)
        profiler = cProfile.Profile() if profile else None
        began, cpu = time.perf_counter(), time.process_time()
        if profiler is not None:
            profiler.enable()
        result = app.test_cli_runner().invoke(cli, ["issue", "--period", PERIOD])
        if profiler is not None and profile is not None:
            profiler.disable()
            profiler.dump_stats(profile)
        seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
        event.remove(db.engine, "before_cursor_execute", count)
        # the run's peak, before the checks below read anything
        maxrss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if result.exit_code != 0:
            raise SystemExit(f"statements issue failed:\n{result.output}\n{result.exception!r}")
        rows = db.session().execute(
            select(
                Customer.code, Statement.closing_balance, func.length(Statement.issued_pdf)
            ).join(Customer, Customer.id == Statement.customer_id)
        )
        closing: dict[str, str] = {}
        pdf_bytes = 0
        for code, balance, size in rows:
            closing[code] = str(balance)
            pdf_bytes += size
    lines = result.output.splitlines()
    return {
        "seconds": seconds,
        "cpu": cpu,
        "queries": queries,
        "maxrss_mb": maxrss_mb,
        "split": dict(timer.seconds),
        "closing": closing,
        "pdf_bytes": pdf_bytes,
        "summary": [line for line in lines if not line.startswith("  ST-")][-4:],
        "progress_lines": sum(1 for line in lines if "%" in line),
    }


def sample_ledgers(url: str, instance: Path, sample: int) -> dict[str, Any]:
    """Time loading ``sample`` customers' ledgers spread over the company (no PDFs): how a
    customer's cost grows with the company's size, without issuing 20,000 statements."""
    from sqlalchemy import event, select

    from portal import create_app
    from portal.extensions import db
    from portal.models import Customer
    from portal.statements.entries import load_ledger
    from portal.statements.late import closings

    app = create_app(
        {
            "SECRET_KEY": "bench-secret-key-that-is-long-enough-0123456789",
            "KEY_PASSPHRASE": "bench",
            "DATABASE_URL": url,
            "INSTANCE_PATH": str(instance),
            "JOBS_WORKER": False,
        }
    )
    queries = 0
    with app.app_context():
        session = db.session()
        ids = session.scalars(select(Customer.id).order_by(Customer.id)).all()
        chosen = ids[:: max(1, len(ids) // sample)][:sample]

        def count(*_args: Any) -> None:
            nonlocal queries
            queries += 1

        event.listen(db.engine, "before_cursor_execute", count)
        began, cpu = time.perf_counter(), time.process_time()
        for customer_id in chosen:
            customer = session.get_one(Customer, customer_id)
            load_ledger(session, customer, END, closings(session, customer))
        seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
        event.remove(db.engine, "before_cursor_execute", count)
    return {"sampled": len(chosen), "seconds": seconds, "cpu": cpu, "queries": queries}


# --- the parent -----------------------------------------------------------------------------


def check(expected: dict[str, Decimal], closing: dict[str, str]) -> list[str]:
    """What differs from the known answers (empty: all right)."""
    problems = []
    missing = sorted(set(expected) - set(closing))
    extra = sorted(set(closing) - set(expected))
    if missing:
        problems.append(f"{len(missing)} customer(s) without a statement, e.g. {missing[:3]}")
    if extra:
        problems.append(f"{len(extra)} statement(s) not expected, e.g. {extra[:3]}")
    wrong = [
        (code, closing[code], str(total))
        for code, total in sorted(expected.items())
        if code in closing and Decimal(closing[code]) != total
    ]
    if wrong:
        problems.append(f"{len(wrong)} closing balance(s) differ, e.g. {wrong[:3]}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--code", type=Path, default=None, help="checkout whose portal runs")
    parser.add_argument("--keep", type=Path, default=None)
    parser.add_argument("--profile", default=None, help="write the run's cProfile stats here")
    parser.add_argument(
        "--ledger-sample",
        type=int,
        default=0,
        metavar="K",
        help="only time loading K customers' ledgers (no run): per-customer cost at this size",
    )
    parser.add_argument("--child", nargs=2, metavar=("URL", "INSTANCE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child and args.ledger_sample:
        print(json.dumps(sample_ledgers(args.child[0], Path(args.child[1]), args.ledger_sample)))
        return 0
    if args.child:
        print(json.dumps(run_issue(args.child[0], Path(args.child[1]), args.profile)))
        return 0

    from portal.extensions import make_engine
    from tests.conftest import migrate

    folder = args.keep or Path(tempfile.mkdtemp(prefix="concord-statement-run-"))
    folder.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    company = make_company(args.customers, args.invoices)
    source = folder / "company.sqlite3"
    stamp = folder / "company.json"
    made = json.dumps({"customers": args.customers, "invoices": args.invoices})
    if not (source.exists() and stamp.exists() and stamp.read_text() == made):
        # the same sizes in a kept folder: the same company (the generator is seeded)
        source.unlink(missing_ok=True)
        engine = make_engine(f"sqlite:///{source}")
        migrate(engine)
        engine.dispose()
        fill(f"sqlite:///{source}", company)
        stamp.write_text(made)
    expected: dict[str, Decimal] = company["expected"]
    print(
        f"{len(company['customers']):,} customers, {len(company['invoices']):,} invoices, "
        f"{len(company['receipts']):,} receipts made in {time.perf_counter() - began:.1f} s; "
        f"{len(expected):,} customers must get a statement for {PERIOD}"
    )
    run_db = folder / "run.sqlite3"
    shutil.copyfile(source, run_db)
    instance = folder / "instance"
    code = (args.code or ROOT).resolve()
    env = dict(os.environ, CONCORD_BENCH_CODE=str(code), PYTHONPATH=str(code))
    proc = subprocess.run(
        [
            sys.executable,
            str(Path(__file__).resolve()),
            *(("--profile", str(Path(args.profile).resolve())) if args.profile else ()),
            *(("--ledger-sample", str(args.ledger_sample)) if args.ledger_sample else ()),
            *("--child", f"sqlite:///{run_db}", str(instance)),
        ],
        env=env,
        cwd=code,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        print(proc.stdout[-3000:], proc.stderr[-3000:], sep="\n")
        return 1
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    if args.ledger_sample:
        print(
            f"code: {code}\nledgers of {out['sampled']} customers: {out['seconds']:.2f} s "
            f"({out['cpu']:.2f} s CPU), {1000 * out['cpu'] / out['sampled']:.1f} ms CPU and "
            f"{out['queries'] / out['sampled']:.1f} SQL statements per customer"
        )
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
        return 0
    issued = len(out["closing"])
    seconds = out["seconds"]
    print(f"code: {code}")
    for line in out["summary"]:
        print(f"  | {line}")
    print(
        f"statements issued {issued:,} in {seconds:.1f} s ({out['cpu']:.1f} s CPU): "
        f"{issued / seconds:.1f} statements/s; peak memory {out['maxrss_mb']:.0f} MB; "
        f"{out['queries']:,} SQL statements ({out['queries'] / max(issued, 1):.1f} each); "
        f"PDFs {out['pdf_bytes'] / 1e6:.1f} MB; progress lines {out['progress_lines']}"
    )
    split = out["split"]
    ledger, build, render, sign = (split.get(k, 0.0) for k in ("ledger", "build", "render", "sign"))
    rest = seconds - ledger - build - render - sign
    print(
        "time: "
        + ", ".join(
            f"{label} {value:.1f} s ({value / seconds:.0%})"
            for label, value in (
                ("ledger (SQL + entries)", ledger),
                ("build", build),
                ("render", render),
                ("certify", sign),
                ("rest (store, audit, notify)", rest),
            )
        )
    )
    problems = check(expected, out["closing"])
    for problem in problems:
        print(f"WRONG: {problem}")
    if not problems:
        print(f"known answers: all {len(expected):,} statements and closing balances right")
    if args.keep is None:
        shutil.rmtree(folder, ignore_errors=True)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
