"""ERP import benchmark: 20,000 customers and 100,000 open invoices imported from CSV.

Generates a customers export (with master data and one billing contact per customer) and an
invoices export, imports both through the CLI's service functions into a fresh database, each
in one transaction, then imports the invoices again (nothing changes) and once more with 1% of
the open amounts changed. Prints every time.

    .venv/bin/python bench/erp_import_bench.py [--customers 20000] [--invoices 100000]
        [--database-url postgresql+psycopg://...]   # default: a fresh SQLite file

Targets (issue 11): customers in under 5 s, invoices in under 20 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REGIONS = ["华东", "华南", "华北", "West", "East"]
SEGMENTS = ["KA", "SMB", "Distributor"]
PRODUCT_LINES = ["pumps", "valves", "sensors", "service"]


def customers_csv(n: int, manager: str) -> bytes:
    """A customers export of ``n`` rows with master data and one billing contact each."""
    lines = [
        "code,name,aliases,bank_accounts,currency,credit_limit,email,language,account_manager,"
        "region,segment,payment_terms,contact_name,contact_email,contact_mobile,billing"
    ]
    for c in range(n):
        lines.append(
            f"C{c:06d},基准客户{c:06d}贸易有限公司,Bench {c} Trading,62220000{c:08d},CNY,"
            f"{(c % 50 + 1) * 10000}.00,ap{c}@bench.test,{'zh' if c % 3 else 'en'},{manager},"
            f"{REGIONS[c % 5]},{SEGMENTS[c % 3]},{(30, 45, 60)[c % 3]},"
            f"会计{c},billing{c}@bench.test,1380000{c:04d},yes"
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


def invoices_csv(n: int, customers: int, rng: random.Random, changed: float = 0.0) -> bytes:
    """An open-items export of ``n`` invoices spread over the customers."""
    lines = [
        "number,customer,issue_date,due_date,currency,amount,open_amount,po_number,"
        "sales_order,contract,product_line"
    ]
    start = dt.date(2026, 6, 1)
    for i in range(n):
        issue = start + dt.timedelta(days=i % 150)
        due = issue + dt.timedelta(days=30)
        amount = 1000 + (i * 37) % 90000
        open_amount = amount if rng.random() >= changed else amount // 2
        lines.append(
            f"INV-{i:07d},C{i % customers:06d},{issue},{due},CNY,{amount}.00,{open_amount}.00,"
            f"PO-{i},SO-{i},CT-{i % customers:06d},{PRODUCT_LINES[i % 4]}"
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=20000)
    parser.add_argument("--invoices", type=int, default=100000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    from portal import create_app
    from portal.erp.service import import_customers_csv, import_invoices_csv
    from portal.extensions import db, make_engine
    from portal.models import Role, User
    from tests.conftest import migrate

    rng = random.Random(11)
    tmp = Path(tempfile.mkdtemp(prefix="concord-erp-bench-"))
    url = args.database_url or f"sqlite:///{tmp / 'bench.sqlite3'}"
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
        }
    )
    manager = "am@bench.test"
    customers_data = customers_csv(args.customers, manager)
    invoices_data = invoices_csv(args.invoices, args.customers, rng)
    changed_data = invoices_csv(args.invoices, args.customers, random.Random(11), changed=0.01)
    print(f"database: {url.split('@')[-1]}")
    with app.app_context():
        session = db.session()
        session.add(User(email=manager, name="Account Manager", role=Role.SALES))
        session.commit()

        def timed(label: str, run: object) -> None:
            began, cpu = time.perf_counter(), time.process_time()
            summary = run()  # type: ignore[operator]
            session.commit()
            elapsed, cpu = time.perf_counter() - began, time.process_time() - cpu
            print(f"{label:<34} {elapsed:7.2f} s (cpu {cpu:6.2f} s)   {summary}")

        timed(
            f"customers ({args.customers:,}), new",
            lambda: import_customers_csv(session, customers_data, filename="customers.csv"),
        )
        timed(
            f"invoices ({args.invoices:,}), new",
            lambda: import_invoices_csv(session, invoices_data, filename="invoices.csv"),
        )
        timed(
            "customers, same file again",
            lambda: import_customers_csv(session, customers_data, filename="customers.csv"),
        )
        timed(
            "invoices, same file again",
            lambda: import_invoices_csv(session, invoices_data, filename="invoices.csv"),
        )
        timed(
            "invoices, 1% open amounts changed",
            lambda: import_invoices_csv(session, changed_data, filename="invoices2.csv"),
        )
        timed(
            "invoices --full, same file",
            lambda: import_invoices_csv(session, changed_data, filename="invoices2.csv", full=True),
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
