"""Upload benchmark: 5,000 bank transactions parsed, matched and stored; the review page timed.

Seeds a fresh SQLite database with customers and open invoices, writes a bank CSV export of
5,000 credits (invoice numbers in the reference, known payer accounts without a reference,
unknown payers, a few debits), uploads it through the same service the upload page uses (the
job run inline), and then renders the review queue (one page of 50) through the app.

    .venv/bin/python bench/upload_bench.py [--transactions 5000] [--customers 1000]

Targets (issue 7): the upload in under 60 s, the review page in under 300 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUR = "31050161373600000001"
PASSWORD = "bench-password-long-enough"


def build_csv(rng: random.Random, invoices: list[tuple[str, str, str, Decimal]], n: int) -> bytes:
    """Bank CSV rows; ``invoices`` are (number, customer name, customer account, amount)."""
    lines = ["交易日期,交易流水号,对方户名,对方账号,贷方金额,借方金额,币种,摘要,本方账号"]
    pool = list(invoices)
    rng.shuffle(pool)
    for i in range(n):
        ref = f"BENCH{i:07d}"
        day = dt.date(2026, 11, 1) + dt.timedelta(days=i % 25)
        kind = rng.random()
        if kind < 0.02:
            lines.append(f"{day},{ref},中国工商银行,,,{rng.randint(5, 90)}.00,CNY,手续费,{OUR}")
            continue
        if kind < 0.85 and pool:
            number, name, account, amount = pool.pop()
            if kind < 0.60:
                text = f"支付{number}货款"
                payer, acct = name, account
            else:
                text = "货款"
                payer, acct = name, account
            lines.append(f"{day},{ref},{payer},{acct},{amount},,CNY,{text},{OUR}")
            continue
        amount = Decimal(rng.randint(100, 90000)) + Decimal(rng.randint(0, 99)) / 100
        lines.append(f"{day},{ref},未知付款人{i},62229999{i:08d},{amount},,CNY,往来款,{OUR}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transactions", type=int, default=5000)
    parser.add_argument("--customers", type=int, default=1000)
    parser.add_argument("--invoices-per-customer", type=int, default=6)
    args = parser.parse_args()

    from sqlalchemy import insert

    from portal import create_app
    from portal.banking import service
    from portal.extensions import db, make_engine
    from portal.models import (
        BankTransaction,
        Customer,
        CustomerBankAccount,
        Invoice,
        InvoiceStatus,
        Role,
        User,
    )
    from portal.security import hash_password
    from tests.conftest import migrate

    rng = random.Random(7)
    tmp = Path(tempfile.mkdtemp(prefix="concord-upload-bench-"))
    url = f"sqlite:///{tmp / 'bench.sqlite3'}"
    engine = make_engine(url)
    migrate(engine)
    engine.dispose()
    app = create_app(
        {
            "SECRET_KEY": "bench-secret-key-that-is-long-enough-0123456789",
            "KEY_PASSPHRASE": "bench",
            "DATABASE_URL": url,
            "INSTANCE_PATH": str(tmp / "instance"),
            "JOBS_INLINE": True,
            "JOBS_WORKER": False,
            "WTF_CSRF_ENABLED": False,
            "OWN_ACCOUNTS": [OUR],
        }
    )
    with app.app_context():
        s = db.session()
        finance = User(
            email="bench@concord.test",
            name="Bench",
            role=Role.FINANCE,
            password_hash=hash_password(PASSWORD),
            language="en",
        )
        s.add(finance)
        s.execute(
            insert(Customer),
            [
                {
                    "code": f"B{c:05d}",
                    "name": f"基准测试{c:05d}贸易有限公司",
                    "currency": "CNY",
                    "aliases": [],
                    "language": "zh",
                    "on_hold": False,
                }
                for c in range(args.customers)
            ],
        )
        ids = dict(
            s.execute(
                Customer.__table__.select().with_only_columns(
                    Customer.__table__.c.code, Customer.__table__.c.id
                )
            ).all()
        )
        s.execute(
            insert(CustomerBankAccount),
            [
                {
                    "customer_id": ids[f"B{c:05d}"],
                    "account_number": f"62220000{c:08d}",
                    "source": "erp",
                }
                for c in range(args.customers)
            ],
        )
        rows, specs = [], []
        n = 0
        for c in range(args.customers):
            for _ in range(args.invoices_per_customer):
                n += 1
                amount = Decimal(rng.randint(500, 99000)) + Decimal(rng.randint(0, 99)) / 100
                issue = dt.date(2026, 8, 1) + dt.timedelta(days=rng.randint(0, 80))
                number = f"INV-2026-{n:05d}"
                rows.append(
                    {
                        "number": number,
                        "customer_id": ids[f"B{c:05d}"],
                        "issue_date": issue,
                        "due_date": issue + dt.timedelta(days=30),
                        "currency": "CNY",
                        "amount": amount,
                        "open_amount": amount,
                        "status": InvoiceStatus.OPEN.value,
                    }
                )
                specs.append((number, f"基准测试{c:05d}贸易有限公司", f"62220000{c:08d}", amount))
        s.execute(insert(Invoice), rows)
        s.commit()
        data = build_csv(rng, specs, args.transactions)
        print(
            f"seeded {args.customers} customers, {len(rows)} open invoices; "
            f"bank file {len(data) / 1024:.0f} KiB with {args.transactions} rows"
        )

        started = time.perf_counter()
        bank_file, _ = service.store_upload(s, "bench.csv", data, user=finance)
        job = service.start_import(s, [bank_file], user=finance)
        s.commit()
        upload_seconds = time.perf_counter() - started
        assert job.status.value == "done", job.error
        counts = job.result["files"][str(bank_file.id)]["counts"]
        stored = s.query(BankTransaction).count()

    client = app.test_client()
    resp = client.post("/login", data={"email": "bench@concord.test", "password": PASSWORD})
    assert resp.status_code == 302, resp.status_code
    timings = {}
    for label, path in (
        ("queue (suggested, page 1)", "/banking/queue"),
        ("queue (unmatched, page 2)", "/banking/queue?status=unmatched&page=2"),
        ("queue (matched, text filter)", "/banking/queue?status=matched&q=INV-2026-0"),
        ("archive (page 10)", "/banking/archive?page=10"),
    ):
        client.get(path)  # warm-up: templates compiled, caches filled
        samples = []
        for _ in range(7):
            t0 = time.perf_counter()
            r = client.get(path)
            samples.append(time.perf_counter() - t0)
            assert r.status_code == 200
        timings[label] = statistics.median(samples) * 1000

    print(
        f"upload of {args.transactions} transactions (parse + match + store, {stored} stored; "
        f"{', '.join(f'{k} {v}' for k, v in sorted(counts.items()))}): "
        f"{upload_seconds:.1f} s (target < 60 s)"
    )
    for label, ms in timings.items():
        print(f"review page render, {label}: {ms:.0f} ms median of 7 (target < 300 ms)")
    ok = upload_seconds < 60 and all(ms < 300 for ms in timings.values())
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
