"""Company-sized benchmark: 20,000 customers, 100,000 open invoices, the pages people open.

Generates an ERP export of 20,000 customers and 100,000 open invoices (the generator knows
how many rows and how much is open per currency), then on a fresh instance:

1. imports both files with the real command line (``flask --app portal import customers`` /
   ``invoices``) and prints each one's wall time (targets: under 5 s and under 20 s), then
   checks the database against the known answers;
2. adds a finance user, a customer user, a bank file of 1,000 receipts (parsed and matched),
   today's follow-up tasks (``flask followups run``) and a statement;
3. times every staff list page (review queue, receipt archive, follow-ups, disputes, credit,
   reports, customers and invoices where they exist) and the customer home and statement
   pages in the app (server time, no network): p50 and p95 of ``--samples`` requests each,
   target p95 under 300 ms;
4. serves the customer statement page with gunicorn (``make serve`` settings, 4 workers x 2
   threads) and a bare Flask "hello" route with the same settings, and prints requests per
   second of each and their ratio (target at least 0.3).

    .venv/bin/python bench/company_bench.py [--customers 20000] [--invoices 100000]
        [--samples 20] [--seconds 10] [--database-url postgresql+psycopg://...]
        [--keep DIR] [--only-rps | --skip-rps]

With ``--database-url`` a scratch PostgreSQL database is created next to the given one and
dropped afterwards.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import http.client
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PY = str(ROOT / ".venv" / "bin" / "python")
PASSWORD = "bench-password-long-enough-2"
OUR = "31050161373600000001"
CURRENCIES = ("CNY", "CNY", "CNY", "USD")  # three in four customers bill in CNY
P95_TARGET_MS = 300.0


# --- 1. the ERP export --------------------------------------------------------------------


def write_erp_files(folder: Path, customers: int, invoices: int, seed: int = 11) -> dict[str, Any]:
    """Write ``customers.csv`` and ``invoices.csv``; return the known answers."""
    rng = random.Random(seed)
    today = dt.date.today()
    currency_of: list[str] = []
    with (folder / "customers.csv").open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(
            [
                "code",
                "name",
                "aliases",
                "bank_accounts",
                "currency",
                "credit_limit",
                "email",
                "language",
            ]
        )
        for c in range(customers):
            currency = CURRENCIES[c % len(CURRENCIES)]
            currency_of.append(currency)
            name = f"基准{c:05d}贸易有限公司" if c % 2 == 0 else f"Benchmark {c:05d} Trading Ltd."
            out.writerow(
                [
                    f"C{c:05d}",
                    name,
                    f"B{c:05d}",
                    f"6222{c:012d}",
                    currency,
                    f"{rng.randint(1, 50) * 10000}.00",
                    f"ap{c:05d}@customer.test",
                    "zh" if c % 2 == 0 else "en",
                ]
            )
    open_total: dict[str, Decimal] = defaultdict(Decimal)
    specs: list[tuple[str, str, str, Decimal]] = []
    with (folder / "invoices.csv").open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(
            [
                "number",
                "customer",
                "issue_date",
                "due_date",
                "currency",
                "amount",
                "open_amount",
                "po_number",
            ]
        )
        for n in range(invoices):
            c = n % customers
            amount = Decimal(rng.randint(50_000, 9_900_000)) / 100
            # a quarter partly paid already; open amounts stay positive
            open_amount = amount if rng.random() < 0.75 else (amount / 2).quantize(Decimal("0.01"))
            issue = today - dt.timedelta(days=rng.randint(1, 240))
            due = issue + dt.timedelta(days=rng.choice((30, 45, 60)))
            number = f"INV-{n:07d}"
            out.writerow(
                [
                    number,
                    f"C{c:05d}",
                    issue.isoformat(),
                    due.isoformat(),
                    currency_of[c],
                    f"{amount:.2f}",
                    f"{open_amount:.2f}",
                    f"PO-{n:07d}",
                ]
            )
            open_total[currency_of[c]] += open_amount
            if currency_of[c] == "CNY" and len(specs) < 5000 and n % 7 == 0:
                name = (
                    f"基准{c:05d}贸易有限公司" if c % 2 == 0 else f"Benchmark {c:05d} Trading Ltd."
                )
                specs.append((number, name, f"6222{c:012d}", open_amount))
    return {
        "customers": customers,
        "invoices": invoices,
        "open": dict(open_total),
        "payments": specs,
    }


def bank_csv(rng: random.Random, specs: list[tuple[str, str, str, Decimal]], n: int) -> bytes:
    """A bank export with ``n`` receipts: most pay one invoice, some are unknown payers."""
    lines = ["交易日期,交易流水号,对方户名,对方账号,贷方金额,借方金额,币种,摘要,本方账号"]
    pool = list(specs)
    rng.shuffle(pool)
    today = dt.date.today()
    for i in range(n):
        day = today - dt.timedelta(days=1 + i % 20)
        if rng.random() < 0.8 and pool:
            number, name, account, amount = pool.pop()
            memo = f"支付{number}货款" if rng.random() < 0.7 else "货款"
            lines.append(f"{day},CB{i:07d},{name},{account},{amount},,CNY,{memo},{OUR}")
        else:
            amount = Decimal(rng.randint(10_000, 5_000_000)) / 100
            lines.append(f"{day},CB{i:07d},未知付款人{i},6228{i:012d},{amount},,CNY,往来款,{OUR}")
    return ("\n".join(lines) + "\n").encode("utf-8")


# --- helpers --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def timed_run(cmd: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    proc = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    took = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(
            f"{' '.join(cmd[1:])} failed ({proc.returncode}):\n{proc.stdout}{proc.stderr}"
        )
    return took, (proc.stdout + proc.stderr).strip()


@contextlib.contextmanager
def scratch_database(url: str | None) -> Iterator[str | None]:
    """Yield a fresh PostgreSQL database next to ``url`` (dropped afterwards), or None."""
    if not url:
        yield None
        return
    from sqlalchemy import make_url, text

    from portal.extensions import make_engine

    base = make_url(url)
    name = f"{base.database}_company_{os.getpid()}"
    admin = make_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# --- 3. page timings ------------------------------------------------------------------------


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def time_pages(app: Any, pages: list[tuple[str, str, Any]], samples: int) -> list[str]:
    """Print p50/p95 of each page; return the pages over the target."""
    print(f"\n{'page':<46}{'p50 ms':>9}{'p95 ms':>9}  rows")
    slow: list[str] = []
    for label, path, client in pages:
        first = client.get(path)  # warm-up: templates compiled, caches filled
        if first.status_code != 200:
            print(f"{label:<46} status {first.status_code}")
            slow.append(label)
            continue
        rows = first.get_data(as_text=True).count("<tr") - 1
        times = []
        for _ in range(samples):
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        p50, p95 = statistics.median(times), percentile(times, 0.95)
        mark = "" if p95 < P95_TARGET_MS else "  OVER TARGET"
        print(f"{label:<46}{p50:9.0f}{p95:9.0f}  {max(rows, 0)}{mark}")
        if p95 >= P95_TARGET_MS:
            slow.append(label)
    return slow


# --- 4. requests per second -----------------------------------------------------------------


def serve(cmd: list[str], env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        cmd,
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=log.open("w"),
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/")
            conn.getresponse().read()
            return proc
        if proc.poll() is not None:
            break
        time.sleep(0.3)
    raise SystemExit(f"server did not start:\n{log.read_text()}")


def stop(proc: subprocess.Popen[bytes]) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=40)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def hammer(port: int, path: str, cookie: str, seconds: float, clients: int) -> tuple[float, int]:
    """Requests per second of ``clients`` keep-alive connections for ``seconds``; and errors."""
    done = [0] * clients
    errors = [0] * clients
    stop_at = time.monotonic() + seconds
    barrier = threading.Barrier(clients)

    def run(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        barrier.wait()
        while time.monotonic() < stop_at:
            try:
                conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
                response = conn.getresponse()
                response.read()
                if response.status == 200:
                    done[i] += 1
                else:
                    errors[i] += 1
            except (OSError, http.client.HTTPException):
                errors[i] += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / (time.monotonic() - started), sum(errors)


def login_cookie(port: int, email: str) -> str:
    """Sign in over HTTP (with the CSRF token) and return the session cookie header."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/login")
    response = conn.getresponse()
    body = response.read().decode()
    cookie = (response.getheader("Set-Cookie") or "").split(";")[0]
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', body)
    assert token, "no CSRF token on /login"
    form = urllib.parse.urlencode(
        {"csrf_token": token.group(1), "email": email, "password": PASSWORD}
    )
    conn.request(
        "POST",
        "/login",
        body=form,
        headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
    )
    response = conn.getresponse()
    response.read()
    assert response.status == 302, f"sign-in answered {response.status}"
    return (response.getheader("Set-Cookie") or "").split(";")[0]


# --- main -----------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--transactions", type=int, default=1000)
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=10.0, help="per requests/s run")
    parser.add_argument("--clients", type=int, default=8, help="concurrent HTTP clients")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--database-url", help="a PostgreSQL URL (a scratch database is made)")
    parser.add_argument("--skip-rps", action="store_true")
    parser.add_argument(
        "--only-rps",
        action="store_true",
        help="measure only the requests per second (no page timings)",
    )
    parser.add_argument(
        "--followups-run",
        action="store_true",
        help="create the follow-up tasks with `flask followups run` (slow at this size) "
        "instead of inserting one open task per customer",
    )
    parser.add_argument(
        "--keep",
        metavar="DIR",
        help="work in DIR and keep it; a second run on the same DIR skips straight to the "
        "page timings (SQLite only)",
    )
    args = parser.parse_args()

    with (
        contextlib.nullcontext(args.keep)
        if args.keep
        else tempfile.TemporaryDirectory(prefix="concord-company-") as tmp_name,
        scratch_database(None if args.keep else args.database_url) as db_url,
    ):
        tmp = Path(tmp_name)
        tmp.mkdir(parents=True, exist_ok=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith("CONCORD_")}
        env.update(
            CONCORD_INSTANCE_PATH=str(tmp / "instance"),
            CONCORD_OWN_ACCOUNTS=OUR,
            CONCORD_JOBS_WORKER="false",
        )
        if db_url:
            env["CONCORD_DATABASE_URL"] = db_url
        print(f"database: {'PostgreSQL' if db_url else 'SQLite (WAL)'}")
        prepared = tmp / "prepared.json"
        if prepared.exists():
            os.environ.update(env)
            print(f"reusing the data prepared in {tmp}")
            timed_run([PY, "-m", "alembic", "upgrade", "head"], env)
            return _measure(args, env, tmp, json.loads(prepared.read_text())["statement"], [])

        started = time.perf_counter()
        known = write_erp_files(tmp, args.customers, args.invoices)
        print(
            f"generated {args.customers:,} customers and {args.invoices:,} open invoices "
            f"in {time.perf_counter() - started:.1f} s"
        )
        timed_run([PY, "-m", "alembic", "upgrade", "head"], env)

        flask = [PY, "-m", "flask", "--app", "portal"]
        took_c, out_c = timed_run([*flask, "import", "customers", str(tmp / "customers.csv")], env)
        took_i, out_i = timed_run([*flask, "import", "invoices", str(tmp / "invoices.csv")], env)
        print(f"ERP import, customers: {took_c:6.1f} s  (target < 5 s)   {out_c.splitlines()[-1]}")
        print(f"ERP import, invoices:  {took_i:6.1f} s  (target < 20 s)  {out_i.splitlines()[-1]}")

        os.environ.update(env)
        problems: list[str] = []
        statement_id = _after_import(args, env, tmp, known, flask, problems)
        prepared.write_text(json.dumps({"statement": statement_id}))
        return _measure(args, env, tmp, statement_id, problems)


def _after_import(
    args: argparse.Namespace,
    env: dict[str, str],
    tmp: Path,
    known: dict[str, Any],
    flask: list[str],
    problems: list[str],
) -> int:
    """Check the import, add users, a bank file, follow-ups and a statement; return its id."""
    from sqlalchemy import func, select

    from portal import create_app
    from portal.banking import service as banking
    from portal.extensions import db
    from portal.models import Customer, Invoice, Role, User
    from portal.security import hash_password
    from portal.statements.service import issue_statement

    app = create_app()
    app.config.update(JOBS_INLINE=True, WTF_CSRF_ENABLED=False)
    with app.app_context():
        s = db.session()
        n_customers = s.scalar(select(func.count()).select_from(Customer))
        n_invoices = s.scalar(select(func.count()).select_from(Invoice))
        open_by_currency = dict(
            s.execute(
                select(Invoice.currency, func.sum(Invoice.open_amount)).group_by(Invoice.currency)
            ).all()
        )
        ok = (
            n_customers == known["customers"]
            and n_invoices == known["invoices"]
            and {k: Decimal(v) for k, v in open_by_currency.items()} == known["open"]
        )
        print(
            f"database holds {n_customers:,} customers, {n_invoices:,} invoices, open "
            + ", ".join(f"{c} {v:,.2f}" for c, v in sorted(open_by_currency.items()))
            + ("  (as generated)" if ok else "  (DIFFERS FROM THE FILES)")
        )
        if not ok:
            problems.append("imported data differs from the generated files")

        pw = hash_password(PASSWORD)
        finance = User(
            email="finance@bench.test",
            name="Finance",
            role=Role.FINANCE,
            password_hash=pw,
            language="en",
        )
        admin = User(
            email="admin@bench.test", name="Admin", role=Role.ADMIN, password_hash=pw, language="en"
        )
        customer = s.scalar(select(Customer).where(Customer.code == "C00000"))
        assert customer is not None
        buyer = User(
            email="buyer@bench.test",
            name="Buyer",
            role=Role.CUSTOMER,
            password_hash=pw,
            customer_id=customer.id,
            is_customer_admin=True,
            language="en",
        )
        s.add_all([finance, admin, buyer])
        s.flush()

        started = time.perf_counter()
        data = bank_csv(random.Random(5), known["payments"], args.transactions)
        bank_file, _ = banking.store_upload(s, "bench-bank.csv", data, user=finance)
        job = banking.start_import(s, [bank_file], user=finance)
        s.commit()
        print(
            f"bank file of {args.transactions:,} receipts parsed, matched and stored in "
            f"{time.perf_counter() - started:.1f} s ({job.status.value})"
        )

        today = dt.date.today()
        first = today.replace(day=1)
        end = first - dt.timedelta(days=1)
        statement = issue_statement(s, customer, end.replace(day=1), end, issued_by=finance)
        s.commit()
        statement_id = statement.id
        if not args.followups_run:
            _insert_followups(s, finance.id, today)
            s.commit()
        db.engine.dispose()

    if args.followups_run:
        took_f, out_f = timed_run([*flask, "followups", "run"], env)
        print(f"follow-ups run: {took_f:.1f} s  {out_f.splitlines()[-1] if out_f else ''}")
    return statement_id


def _insert_followups(s: Any, owner_id: int, today: dt.date) -> None:
    """One open dunning task per customer (a quarter of them the finance user's)."""
    from sqlalchemy import insert, select

    from portal.models import Customer, FollowUp, FollowUpKind, FollowUpStatus

    ids = s.scalars(select(Customer.id).order_by(Customer.id)).all()
    kinds = (FollowUpKind.DUNNING_SMS, FollowUpKind.DUNNING_CALL, FollowUpKind.DUNNING_LETTER)
    s.execute(
        insert(FollowUp),
        [
            {
                "kind": kinds[i % 3],
                "title": f"Overdue balance {i}",
                "owner_id": owner_id if i % 4 == 0 else None,
                "due_date": today - dt.timedelta(days=i % 30),
                "status": FollowUpStatus.OPEN,
                "customer_id": cid,
                "dedupe_key": f"bench:{cid}",
            }
            for i, cid in enumerate(ids)
        ],
    )
    print(f"inserted {len(ids):,} open follow-up tasks")


def _measure(
    args: argparse.Namespace,
    env: dict[str, str],
    tmp: Path,
    statement_id: int,
    problems: list[str],
) -> int:
    """Time the pages and (unless skipped) the requests per second; print what failed."""
    if not args.only_rps:
        _time_pages(args, statement_id, problems)
    if not args.skip_rps:
        ratio = _rps(args, env, tmp, statement_id)
        if ratio < 0.3:
            problems.append(f"requests/s ratio {ratio:.2f} below 0.3")

    for problem in problems:
        print("FAIL:", problem)
    return 1 if problems else 0


def _time_pages(args: argparse.Namespace, statement_id: int, problems: list[str]) -> None:
    """Time every page in the app (no network); note the pages over the target."""
    from portal import create_app

    app = create_app()
    app.config.update(WTF_CSRF_ENABLED=False)

    staff = app.test_client()
    assert (
        staff.post("/login", data={"email": "finance@bench.test", "password": PASSWORD}).status_code
        == 302
    )
    boss = app.test_client()
    assert (
        boss.post("/login", data={"email": "admin@bench.test", "password": PASSWORD}).status_code
        == 302
    )
    buyer_client = app.test_client()
    assert (
        buyer_client.post(
            "/login", data={"email": "buyer@bench.test", "password": PASSWORD}
        ).status_code
        == 302
    )

    rules = {r.rule for r in app.url_map.iter_rules()}
    pages: list[tuple[str, str, Any]] = [
        ("review queue", "/banking/queue", staff),
        ("review queue, unmatched, page 3", "/banking/queue?status=unmatched&page=3", staff),
        ("receipt archive", "/banking/archive", staff),
        ("receipt archive, page 10", "/banking/archive?page=10", staff),
        ("follow-ups", "/followups/", staff),
        ("follow-ups, page 100", "/followups/?page=100", staff),
        ("disputes", "/staff/disputes/", staff),
        ("credit", "/credit/", staff),
        ("credit, warnings", "/credit/?warnings=1", staff),
        ("reports", "/reports/", staff),
        ("reports by customer", "/reports/by-dimension?dimension=customer", staff),
        ("reports by customer, page 50", "/reports/by-dimension?dimension=customer&page=50", staff),
        ("reports by region", "/reports/by-dimension?dimension=region", staff),
        ("reports by product line", "/reports/by-dimension?dimension=product_line", staff),
        ("collection effectiveness", "/reports/effectiveness", staff),
        ("cash forecast", "/reports/forecast", staff),
    ]
    for rule, label in (
        ("/staff/customers", "customers"),
        ("/staff/customers/", "customers"),
        ("/staff/invoices", "invoices"),
        ("/staff/invoices/", "invoices"),
    ):
        if rule in rules:
            pages.append((label, rule, boss))
            pages.append((f"{label}, page 50", f"{rule}?page=50", boss))
    pages += [
        ("customer home", "/", buyer_client),
        ("customer statement", f"/statements/{statement_id}", buyer_client),
        ("customer invoices", "/invoices/", buyer_client),
    ]
    slow = time_pages(app, pages, args.samples)
    if slow:
        problems.append("p95 over 300 ms: " + ", ".join(slow))


def _rps(args: argparse.Namespace, env: dict[str, str], tmp: Path, statement_id: int) -> float:
    port = free_port()
    gunicorn = str(ROOT / ".venv" / "bin" / "gunicorn")
    settings = [
        "--config",
        str(ROOT / "deploy" / "gunicorn.conf.py"),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(args.workers),
        "--threads",
        str(args.threads),
        "--access-logfile",
        "/dev/null",
    ]
    print(
        f"\nrequests/s with gunicorn {' '.join(settings[2:])}, {args.clients} keep-alive "
        f"clients, {args.seconds:.0f} s each"
    )
    proc = serve([gunicorn, *settings, "portal.wsgi:app"], env, port, tmp / "portal.log")
    try:
        cookie = login_cookie(port, "buyer@bench.test")
        statement_rps, statement_errors = hammer(
            port, f"/statements/{statement_id}", cookie, args.seconds, args.clients
        )
    finally:
        stop(proc)
    proc = serve([gunicorn, *settings, "bench.hello_wsgi:app"], env, port, tmp / "hello.log")
    try:
        hello_rps, hello_errors = hammer(port, "/", "", args.seconds, args.clients)
    finally:
        stop(proc)
    ratio = statement_rps / hello_rps if hello_rps else 0.0
    print(f"customer statement page: {statement_rps:7.1f} requests/s ({statement_errors} errors)")
    print(f"bare Flask hello route:  {hello_rps:7.1f} requests/s ({hello_errors} errors)")
    print(f"ratio: {ratio:.2f} (target >= 0.3)")
    return ratio


if __name__ == "__main__":
    raise SystemExit(main())
