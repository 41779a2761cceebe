"""The operator's commands exactly as issues 11, 12 and 13 write them, in a real shell process.

The other CLI tests use Flask's ``CliRunner`` inside the test app; this one runs
``flask --app portal ...`` as a separate process on a fresh instance folder (SQLite), with
nothing but the environment an operator sets (``CONCORD_INSTANCE_PATH``, ``BASE_URL``), and
checks what each command prints and its exit status.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import migrated_sqlite

ROOT = Path(__file__).resolve().parents[2]
BASE_URL = "http://127.0.0.1:5191"
CHANNELS = {"sms", "email", "call", "letter", "legal"}

CUSTOMERS = (
    "code,name,aliases,bank_accounts,currency,email,language,region,segment,payment_terms,"
    "contact_name,contact_email,billing\n"
    "C100,Harbour Trading Ltd,Harbour,6222000011112222,CNY,ap@harbour.example,en,East,Retail,30,"
    "Hal Harbour,hal@harbour.example,yes\n"
)
INVOICES = """\
number,customer,issue_date,due_date,currency,amount,open_amount,po_number,sales_order,contract,product_line
INV-1,C100,2026-01-05,2026-02-04,CNY,11300.00,11300.00,PO-1,SO-1,,Pumps
INV-2,C100,2026-01-20,2026-02-19,CNY,5000.00,5000.00,,SO-2,,Valves
"""


@pytest.fixture
def shell(tmp_path: Path) -> dict[str, str]:
    """The environment of an operator's shell: one instance folder, one BASE_URL."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONCORD_")}
    env.pop("SECRET_KEY", None)
    env.update(
        CONCORD_INSTANCE_PATH=str(tmp_path / "instance"),
        BASE_URL=BASE_URL,
        PYTHONPATH=str(ROOT),
    )
    return env


def flask(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``flask --app portal ARGS`` in the checkout, as an operator types it."""
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "portal", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, f"{done.args}: exit {done.returncode}\n{done.stdout}{done.stderr}"
    return done.stdout


def _last_json_line(out: str) -> dict[str, object]:
    doc = json.loads(out.strip().splitlines()[-1])
    assert isinstance(doc, dict)
    return doc


@pytest.mark.slow  # five processes, each importing the app (about 5 s of CPU each)
def test_go_live_and_erp_commands_as_the_issues_write_them(
    shell: dict[str, str], tmp_path: Path
) -> None:
    instance = Path(shell["CONCORD_INSTANCE_PATH"])
    instance.mkdir()
    migrated_sqlite(instance / "concord.sqlite3")

    # issue 11: users create prints the set-password link with BASE_URL from the environment
    out = _ok(flask(shell, "users", "create", "admin@acme.example", "--role", "admin"))
    assert f"{BASE_URL}/invitation/" in out

    # issue 12: imports print created, updated, unchanged, closed, conflicts
    (tmp_path / "customers.csv").write_text(CUSTOMERS, encoding="utf-8")
    (tmp_path / "invoices.csv").write_text(INVOICES, encoding="utf-8")
    out = _ok(flask(shell, "import", "customers", str(tmp_path / "customers.csv")))
    assert out.strip() == "customers: 1 created, 0 updated, 0 unchanged, 0 closed, 0 conflicts"
    out = _ok(flask(shell, "import", "invoices", str(tmp_path / "invoices.csv")))
    assert out.strip() == "invoices: 2 created, 0 updated, 0 unchanged, 0 closed, 0 conflicts"

    # issue 13: the last line of stdout is the run's JSON, channels as in the ladder
    run = _last_json_line(_ok(flask(shell, "followups", "run", "--json")))
    assert set(run) == {"proposed", "sent", "cases_opened", "cases_closed"}
    proposed = run["proposed"]
    assert isinstance(proposed, dict) and set(proposed) == CHANNELS
    assert all(type(v) is int for v in [*proposed.values(), run["sent"], run["cases_closed"]])
    assert (run["sent"], run["cases_opened"]) == (0, 1) and sum(proposed.values()) == 1

    # issue 12: the allocations export writes {"records": [...], "cursor": "..."} and prints it
    target = tmp_path / "alloc.json"
    args = ("export", "allocations", "--format", "json", "--output", str(target), "--since", "0")
    out = _ok(flask(shell, *args))
    assert json.loads(target.read_text("utf-8")) == {"records": [], "cursor": "0"}
    assert "cursor: 0" in out
