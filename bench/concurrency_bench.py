"""Concurrency benchmark: ``make serve`` under simultaneous logins, views and confirmations.

Starts Concord as ``make serve`` does (``python -m portal.serve``: gunicorn with 4 workers plus
the background worker) on a free loopback port, with a fresh instance folder holding the demo
data, a month of issued statements and 40 customer users (two per statement, so pairs race to
confirm the same statement). Then, each step fired at once from 40 threads:

1. 40 sign-ins;
2. 40 statement views;
3. 40 requests for a one-time code (the code is read from the outbox e-mail);
4. 40 confirmations with that code.

It prints the status codes of each step and fails (exit status 1) when any response is a 500,
when a confirmation answered as successful is not in the database (statement confirmed, by
that user), or when a statement was confirmed twice. Only loopback traffic; every request has
a timeout.

    .venv/bin/python bench/concurrency_bench.py                    # SQLite (the default)
    .venv/bin/python bench/concurrency_bench.py --database-url \\
        postgresql+psycopg://concord:concord@127.0.0.1:55432/concord_test

With ``--database-url`` a scratch database is created next to the given one and dropped
afterwards.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import datetime as dt
import email
import email.policy
import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "bench-password-long-enough-1"
N = 40
TIMEOUT = 120.0  # seconds for any single request
SUCCESS_TEXT = "is confirmed and signed"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class Client:
    """One browser: its own cookies, no automatic redirects."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def request(self, path: str, data: dict[str, str] | None = None) -> tuple[int, str, str]:
        """Return (status, body, Location) of one GET (or POST with ``data``)."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body)  # noqa: S310 (http only)
        req.add_header("Accept-Language", "en")
        try:
            with self.opener.open(req, timeout=TIMEOUT) as resp:
                return resp.status, resp.read().decode("utf-8", "replace"), ""
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode("utf-8", "replace"), err.headers.get("Location", "")

    def csrf(self, path: str) -> str:
        status, body, _loc = self.request(path)
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', body)
        if status != 200 or not match:
            raise SystemExit(f"GET {path}: {status}, no CSRF token")
        return match.group(1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run(cmd: list[str], env: dict[str, str]) -> str:
    proc = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc.stdout


@contextlib.contextmanager
def scratch_database(url: str | None) -> Iterator[str | None]:
    """Yield a fresh PostgreSQL database next to ``url`` (dropped afterwards), or None."""
    if not url:
        yield None
        return
    from sqlalchemy import make_url, text

    from portal.extensions import make_engine

    base = make_url(url)
    name = f"{base.database}_concurrency_{os.getpid()}"
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


def prepare(env: dict[str, str]) -> list[tuple[str, int]]:
    """Migrate, load the demo, issue last month's statements, add 40 customer users.

    :returns: (user email, statement id) for each of the 40 users.
    """
    py = str(ROOT / ".venv" / "bin" / "python")
    flask = [py, "-m", "flask", "--app", "portal"]
    run([py, "-m", "alembic", "upgrade", "head"], env)
    run([*flask, "demo", "--password", PASSWORD], env)
    first = dt.date.today().replace(day=1)
    period = (first - dt.timedelta(days=1)).strftime("%Y-%m")
    run([*flask, "statements", "issue", "--period", period], env)

    os.environ.update(env)
    from sqlalchemy import select

    from portal import create_app
    from portal.extensions import db
    from portal.models import Role, Statement, StatementStatus, User
    from portal.security import hash_password

    app = create_app()
    pairs: list[tuple[str, int]] = []
    with app.app_context():
        session = db.session()
        statements = session.scalars(
            select(Statement)
            .where(Statement.status == StatementStatus.ISSUED)
            .order_by(Statement.id)
        ).all()
        if not statements:
            raise SystemExit("no issued statements to confirm")
        password_hash = hash_password(PASSWORD)
        for i in range(N):
            statement = statements[(i // 2) % len(statements)]
            address = f"bench{i:02d}@customer.test"
            session.add(
                User(
                    email=address,
                    name=f"Bench User {i:02d}",
                    password_hash=password_hash,
                    role=Role.CUSTOMER,
                    customer_id=statement.customer_id,
                    language="en",
                )
            )
            pairs.append((address, statement.id))
        session.commit()
        db.engine.dispose()
    return pairs


def fire(label: str, jobs: list[Callable[[], int]]) -> collections.Counter[int]:
    """Run ``jobs`` from one thread each, released at the same instant; count statuses."""
    barrier = threading.Barrier(len(jobs))
    statuses: list[int] = [0] * len(jobs)

    def runner(i: int) -> None:
        barrier.wait()
        try:
            statuses[i] = jobs[i]()
        except (OSError, TimeoutError) as exc:  # connection refused/reset, timeout
            print(f"  {label} #{i}: {exc!r}")
            statuses[i] = -1

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(len(jobs))]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    counts = collections.Counter(statuses)
    took = time.perf_counter() - start
    shown = ", ".join(f"{code}: {n}" for code, n in sorted(counts.items()))
    print(f"{label:<24} {len(jobs)} requests in {took:5.1f} s   status {shown}")
    return counts


def read_code(outbox: Path, address: str, deadline: float) -> str:
    """Wait for the newest code e-mail to ``address`` in the outbox; return its 6 digits."""
    while time.monotonic() < deadline:
        found: list[tuple[str, str]] = []
        for path in outbox.glob("*.eml") if outbox.exists() else []:
            msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            if msg["To"] != address:
                continue
            body = msg.get_body(preferencelist=("plain",))
            text = body.get_content() if body is not None else ""
            match = re.search(r"\b(\d{6})\b", text)
            if match:
                found.append((path.name, match.group(1)))
        if found:
            return max(found)[1]
        time.sleep(0.2)
    raise SystemExit(f"no code e-mail to {address} in {outbox}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a PostgreSQL URL (a scratch database is made)")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    with (
        tempfile.TemporaryDirectory(prefix="concord-conc-") as tmp,
        scratch_database(args.database_url) as db_url,
    ):
        instance = Path(tmp) / "instance"
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("CONCORD_") or k == "PATH"}
        env.update(
            CONCORD_INSTANCE_PATH=str(instance),
            CONCORD_BASE_URL=base,
            # 40 users sign in from one address here; the per-address limits are not measured
            CONCORD_LOGIN_MAX_FAILURES_PER_IP="1000",
            CONCORD_RATELIMIT_LOGIN="1000 per minute",
        )
        if db_url:
            env["CONCORD_DATABASE_URL"] = db_url
        print(f"database: {'PostgreSQL' if db_url else 'SQLite (WAL)'}; instance {instance}")
        t0 = time.perf_counter()
        pairs = prepare(env)
        print(f"prepared demo data, statements and {N} users in {time.perf_counter() - t0:.1f} s")

        server = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "python"),
                "-m",
                "portal.serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                str(args.workers),
                "--threads",
                str(args.threads),
            ],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=open(Path(tmp) / "server.log", "w"),
            start_new_session=True,
        )
        try:
            return _exercise(base, pairs, instance, env, server, Path(tmp) / "server.log")
        finally:
            kept = Path(tempfile.gettempdir()) / "concord-concurrency-server.log"
            shutil.copyfile(Path(tmp) / "server.log", kept)
            print(f"server log: {kept}")
            os.killpg(server.pid, signal.SIGINT)
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)


def _exercise(
    base: str,
    pairs: list[tuple[str, int]],
    instance: Path,
    env: dict[str, str],
    server: subprocess.Popen[bytes],
    log: Path,
) -> int:
    deadline = time.monotonic() + 60
    while True:
        with contextlib.suppress(OSError):
            if Client(base).request("/login")[0] == 200:
                break
        if server.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"the server did not start:\n{log.read_text()}")
        time.sleep(0.3)
    print(f"serving {base} ({' '.join(server.args[2:])})")  # type: ignore[index]

    clients = [Client(base) for _ in pairs]
    totals: collections.Counter[int] = collections.Counter()

    tokens = [c.csrf("/login") for c in clients]
    totals += fire(
        "sign-in",
        [
            (
                lambda c=c, a=a, t=t: c.request(
                    "/login", {"csrf_token": t, "email": a, "password": PASSWORD}
                )[0]
            )
            for c, (a, _s), t in zip(clients, pairs, tokens, strict=True)
        ],
    )
    totals += fire(
        "statement view",
        [
            (lambda c=c, s=s: c.request(f"/statements/{s}")[0])
            for c, (_a, s) in zip(clients, pairs, strict=True)
        ],
    )
    tokens = [c.csrf(f"/statements/{s}/confirm") for c, (_a, s) in zip(clients, pairs, strict=True)]
    totals += fire(
        "send code",
        [
            (
                lambda c=c, s=s, t=t, i=i: c.request(
                    f"/statements/{s}/confirm",
                    {"csrf_token": t, "consent": "y", "full_name": f"Bench User {i:02d}"},
                )[0]
            )
            for i, (c, (_a, s), t) in enumerate(zip(clients, pairs, tokens, strict=True))
        ],
    )
    deadline = time.monotonic() + 60
    codes = [read_code(instance / "outbox", a, deadline) for a, _s in pairs]
    tokens = [
        c.csrf(f"/statements/{s}/confirm/code") for c, (_a, s) in zip(clients, pairs, strict=True)
    ]
    answers: list[tuple[int, str]] = [(0, "")] * N

    def confirm(i: int) -> int:
        c, (_a, s) = clients[i], pairs[i]
        status, _body, location = c.request(
            f"/statements/{s}/confirm/code", {"csrf_token": tokens[i], "code": codes[i]}
        )
        answers[i] = (status, location)
        return status

    totals += fire("confirm with code", [(lambda i=i: confirm(i)) for i in range(N)])

    # which confirmations were answered as successful: the success message after the redirect
    succeeded: list[int] = []
    for i, (status, location) in enumerate(answers):
        if status in (302, 303) and location:
            page = clients[i].request(urllib.parse.urlsplit(location).path)[1]
            if SUCCESS_TEXT in page:
                succeeded.append(i)
    print(
        f"confirmations answered as successful: {len(succeeded)} "
        f"(of {len(set(s for _a, s in pairs))} statements, two users each)"
    )

    problems = _check_database(env, pairs, succeeded)
    fivehundreds = totals.get(500, 0)
    errors = totals.get(-1, 0)
    print(
        f"all steps: {sum(totals.values())} responses, status 500: {fivehundreds}, "
        f"connection errors: {errors}"
    )
    if fivehundreds or errors:
        problems.append(f"{fivehundreds} responses with status 500, {errors} connection errors")
        tail = log.read_text().splitlines()[-40:]
        print("server log (tail):\n" + "\n".join(tail))
    for problem in problems:
        print("FAIL:", problem)
    if not problems:
        print("OK: no 500, every successful confirmation is in the database, none doubled")
    return 1 if problems else 0


def _check_database(
    env: dict[str, str], pairs: list[tuple[str, int]], succeeded: list[int]
) -> list[str]:
    from sqlalchemy import func, select

    from portal import create_app
    from portal.extensions import db
    from portal.models import Statement, StatementStatus, User

    os.environ.update(env)
    problems: list[str] = []
    app = create_app()
    with app.app_context():
        session = db.session()
        users = {u.email: u.id for u in session.scalars(select(User)).all()}
        by_statement: dict[int, list[int]] = collections.defaultdict(list)
        for i in succeeded:
            by_statement[pairs[i][1]].append(i)
        for statement_id, winners in sorted(by_statement.items()):
            statement = session.get(Statement, statement_id)
            assert statement is not None
            if len(winners) > 1:
                problems.append(
                    f"statement {statement_id} answered as confirmed {len(winners)} times"
                )
            if statement.status is not StatementStatus.CONFIRMED:
                problems.append(
                    f"statement {statement_id} answered confirmed but is {statement.status}"
                )
            elif statement.confirmed_by_id not in {users[pairs[i][0]] for i in winners}:
                problems.append(f"statement {statement_id} confirmed by someone else")
        confirmed = session.scalar(
            select(func.count())
            .select_from(Statement)
            .where(Statement.status == StatementStatus.CONFIRMED)
        )
        print(f"statements confirmed in the database: {confirmed}")
        if confirmed != len(by_statement):
            problems.append(
                f"{confirmed} confirmed in the database, {len(by_statement)} answered so"
            )
        db.engine.dispose()
    return problems


if __name__ == "__main__":
    raise SystemExit(main())
