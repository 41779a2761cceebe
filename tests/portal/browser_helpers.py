"""Shared machinery of the headless-Chromium tests (``test_browser_*.py``).

The app runs in a thread on a free localhost port, on a migrated file SQLite database in its own
instance directory, and Debian's chromium is driven through Playwright. Each test file keeps its
own seed data, configuration and checks; the ``browser`` fixture is in ``conftest.py``.
"""

from __future__ import annotations

import datetime as dt
import socket
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
#: where the documentation's screenshots go
SHOTS = ROOT / "docs" / "screenshots"
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)

#: every browser test module's ``pytestmark`` (skipped when chromium is not installed)
BROWSER_MARKS = (
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed"),
    # Werkzeug's development server leaves a static file's handle to the garbage collector
    # when the browser drops a cached (304) request; that is the test server, not Concord
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings(
        "ignore:Exception ignored in. <_io.FileIO:pytest.PytestUnraisableExceptionWarning"
    ),
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def open_invoice(number: str, customer_id: int, due: dt.date, amount: str) -> Any:
    """An unpaid CNY invoice of ``amount``, issued 30 days before it is ``due``."""
    from portal.models import Invoice

    return Invoice(
        number=number,
        customer_id=customer_id,
        issue_date=due - dt.timedelta(days=30),
        due_date=due,
        currency="CNY",
        amount=Decimal(amount),
        open_amount=Decimal(amount),
    )


@dataclass(frozen=True)
class LiveApp:
    """A served app: its base URL, the app, its instance directory and what ``seed`` returned."""

    base: str
    app: Any
    instance: Path
    seeded: Any


@contextmanager
def live_app(
    instance: Path, config: Mapping[str, Any], seed: Callable[[Any], Any] | None = None
) -> Iterator[LiveApp]:
    """Migrate a file SQLite database in ``instance``, create the app on a free port and serve it.

    ``config`` is laid over the defaults (no job worker, jobs run inline, one own account) and
    holds at least ``SECRET_KEY`` and ``KEY_PASSPHRASE``. ``seed`` is called with a database
    session in the app's context before the server starts; what it returns is ``seeded``.
    """
    from werkzeug.serving import make_server

    from portal import create_app
    from portal.extensions import db
    from portal.jobs import Worker
    from tests.conftest import migrated_sqlite

    url = migrated_sqlite(instance / "concord.sqlite3")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    app = create_app(
        {
            "DATABASE_URL": url,
            "INSTANCE_PATH": str(instance),
            "BASE_URL": base,
            "JOBS_WORKER": False,
            "JOBS_INLINE": True,
            "OWN_ACCOUNTS": ["31050161373600000001"],
            **config,
        }
    )
    seeded = None
    if seed is not None:
        with app.app_context():
            seeded = seed(db.session())
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveApp(base=base, app=app, instance=instance, seeded=seeded)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        worker: Worker | None = app.extensions.get("concord.jobs.worker")
        if worker is not None:
            worker.stop()


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's chromium, headless, launched through Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS))
        yield launched
        launched.close()


def shot(
    page: Any, name: str, *, directory: Path = SHOTS, prefix: str = "", full_page: bool = True
) -> None:
    """Save a screenshot of ``page`` as ``directory/{prefix}{name}.png``."""
    directory.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(directory / f"{prefix}{name}.png"), full_page=full_page)


def submit_sign_in(page: Any, email: str, password: str, *, wait: str | bool = True) -> None:
    """Fill the sign-in form the page is on and send it.

    Then wait: for the load state (``True``), for that URL (a string), or not at all (``False``).
    """
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("input[type=submit]").click()
    if isinstance(wait, str):
        page.wait_for_url(wait)
    elif wait:
        page.wait_for_load_state()


def sign_in(page: Any, base: str, email: str, password: str, *, wait: str | bool = True) -> None:
    """Open the sign-in page and sign in as ``email``; ``wait`` as in :func:`submit_sign_in`."""
    page.goto(f"{base}/login")
    submit_sign_in(page, email, password, wait=wait)
