"""Follow-up run at company size: 20,000 customers and 100,000 invoices, target under 60 s.

Builds a fresh database (SQLite by default, or a scratch PostgreSQL database next to
``--database-url``) with the real migrations, fills it with bulk inserts (customers with
account managers, segments and billing contacts; invoices over the last 200 days and the next
30, two in five paid, some partly; one customer in four also billing in USD), then runs the
real command line twice on the same day and once the next day:

    flask --app portal followups run --json

and prints each run's wall time (process start to exit), its CPU time (independent of how busy
the machine is) and its JSON line. The first run opens
a case per customer and currency with overdue items and proposes each one's first step; the
second must propose and open nothing; the third (next day) finds the first proposals still
waiting and proposes nothing new for those cases.

    .venv/bin/python bench/followups_bench.py [--customers 20000] [--invoices 100000]
        [--database-url postgresql+psycopg://user:pw@host/db]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_S = 60.0


@contextlib.contextmanager
def database(url: str | None, folder: Path) -> Iterator[str]:
    """A fresh database URL: SQLite in ``folder``, or a scratch PostgreSQL database."""
    if url is None:
        yield f"sqlite:///{folder / 'bench.sqlite3'}"
        return
    from tests.conftest import private_pg_database

    with private_pg_database(url, "followups_bench") as scratch:
        yield scratch


def migrate(url: str) -> None:
    from alembic import command
    from alembic.config import Config

    from portal.extensions import make_engine

    engine = make_engine(url)
    with engine.begin() as conn:
        cfg = Config(str(ROOT / "alembic.ini"))
        cfg.attributes["connection"] = conn
        cfg.attributes["configure_logger"] = False
        command.upgrade(cfg, "head")
    engine.dispose()


def fill(url: str, customers: int, invoices: int, seed: int = 7) -> dict[str, int]:
    """Bulk-insert the company; return what was made."""
    from sqlalchemy import insert

    from portal.extensions import make_engine
    from portal.models import Customer, CustomerContact, Invoice, InvoiceStatus, Role, User

    rng = random.Random(seed)
    today = dt.date.today()
    now = dt.datetime.now(dt.UTC)
    engine = make_engine(url)
    made = {"customers": customers, "invoices": 0, "overdue": 0}
    with engine.begin() as conn:
        users = [
            {
                "email": f"sales{n}@bench.test",
                "name": f"Sales {n}",
                "role": Role.SALES,
                "language": "zh",
                "is_active": True,
                "created_at": now,
            }
            for n in range(20)
        ]
        users.append(
            {
                "email": "finance@bench.test",
                "name": "Finance",
                "role": Role.FINANCE,
                "language": "zh",
                "is_active": True,
                "created_at": now,
            }
        )
        conn.execute(insert(User), users)
        manager_ids = [
            r[0] for r in conn.exec_driver_sql("SELECT id FROM users WHERE role = 'sales'")
        ]
        rows = []
        for n in range(customers):
            rows.append(
                {
                    "code": f"B{n:06d}",
                    "name": f"基准客户{n}有限公司",
                    "aliases": [],
                    "currency": "CNY",
                    "language": "en" if n % 5 == 0 else "zh",
                    "email": f"ap{n}@bench.test",
                    "phone": f"139{n:08d}",
                    "account_manager_id": manager_ids[n % len(manager_ids)],
                    "on_hold": n % 97 == 0,
                    "segment": "key" if n % 10 == 0 else "standard",
                    "region": ("east", "north", "south")[n % 3],
                    "updated_at": now,
                    "created_at": now,
                }
            )
        for start in range(0, len(rows), 5000):
            conn.execute(insert(Customer), rows[start : start + 5000])
        ids = [r[0] for r in conn.exec_driver_sql("SELECT id FROM customers ORDER BY id")]
        contacts = [
            {
                "customer_id": cid,
                "name": "AP",
                "email": f"billing{cid}@bench.test",
                "mobile": f"138{cid:08d}",
                "language": "zh",
                "is_billing": True,
                "updated_at": now,
                "created_at": now,
            }
            for cid in ids[::2]
        ]
        conn.execute(insert(CustomerContact), contacts)
        batch = []
        for n in range(invoices):
            cid = ids[rng.randrange(len(ids))]
            currency = "USD" if cid % 4 == 0 and rng.random() < 0.5 else "CNY"
            due = today + dt.timedelta(days=rng.randint(-200, 30))
            amount = Decimal(rng.randint(1_000, 500_000)) / 100 * 100
            roll = rng.random()
            if roll < 0.4:
                open_amount, status = Decimal("0"), InvoiceStatus.PAID
            elif roll < 0.5:
                open_amount, status = (
                    (amount / 2).quantize(Decimal("0.01")),
                    (InvoiceStatus.PARTIALLY_PAID),
                )
            else:
                open_amount, status = amount, InvoiceStatus.OPEN
            if open_amount > 0 and due < today:
                made["overdue"] += 1
            batch.append(
                {
                    "number": f"INV-B-{n:07d}",
                    "customer_id": cid,
                    "issue_date": due - dt.timedelta(days=30),
                    "due_date": due,
                    "currency": currency,
                    "amount": amount,
                    "open_amount": open_amount,
                    "erp_open_amount": open_amount,
                    "settled_in_erp": False,
                    "status": status,
                    "updated_at": now,
                    "created_at": now,
                }
            )
            if len(batch) == 10_000:
                conn.execute(insert(Invoice), batch)
                made["invoices"] += len(batch)
                batch = []
        if batch:
            conn.execute(insert(Invoice), batch)
            made["invoices"] += len(batch)
    engine.dispose()
    return made


def timed_run(
    url: str, instance: Path, day: dt.date | None
) -> tuple[float, float, dict[str, object]]:
    """Run ``flask followups run --json`` as a process; return wall time, CPU time, JSON line.

    The CPU time (user + system of the process) does not depend on how busy the machine is;
    the wall time does.
    """
    env = dict(
        os.environ,
        CONCORD_DATABASE_URL=url,
        CONCORD_SECRET_KEY="bench-secret-key-that-is-long-enough-000000",
        CONCORD_KEY_PASSPHRASE="bench-passphrase",
        CONCORD_JOBS_WORKER="false",
        CONCORD_BASE_URL="https://portal.example.com",
    )
    args = [str(ROOT / ".venv" / "bin" / "flask"), "--app", "portal", "followups", "run", "--json"]
    if day is not None:
        args += ["--today", day.isoformat()]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(args, env=env, cwd=instance, capture_output=True, text=True, check=False)
    took = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        raise SystemExit(f"followups run failed:\n{proc.stdout}\n{proc.stderr}")
    return took, cpu, json.loads(proc.stdout.strip().splitlines()[-1])


def timed_startup(url: str, instance: Path) -> float:
    """Wall time of starting the app's command line and doing nothing (machine load)."""
    env = dict(os.environ, CONCORD_DATABASE_URL=url, CONCORD_SECRET_KEY="x" * 40)
    start = time.perf_counter()
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "flask"), "--app", "portal", "--help"],
        env=env,
        cwd=instance,
        capture_output=True,
        check=True,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, database(args.database_url, Path(tmp)) as url:
        backend = url.split(":", 1)[0]
        start = time.perf_counter()
        migrate(url)
        made = fill(url, args.customers, args.invoices)
        print(
            f"{backend}: {made['customers']:,} customers, {made['invoices']:,} invoices "
            f"({made['overdue']:,} open and overdue) made in {time.perf_counter() - start:.1f} s"
        )
        today = dt.date.today()
        startup = timed_startup(url, Path(tmp))
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(
            f"app start alone (flask --app portal --help): {startup:.1f} s; "
            f"load average {load} on {os.cpu_count()} CPUs"
        )
        results = []
        for label, day in (
            ("first run", today),
            ("second run, same day", today),
            ("next day", today + dt.timedelta(days=1)),
        ):
            took, cpu, line = timed_run(url, Path(tmp), day)
            results.append(took)
            verdict = "OK" if took < TARGET_S else "TOO SLOW"
            print(
                f"{label:<22} {took:6.1f} s wall, {cpu:5.1f} s CPU  {verdict}  {json.dumps(line)}"
            )
        print(f"slowest run {max(results):.1f} s (target under {TARGET_S:.0f} s)")


if __name__ == "__main__":
    main()
