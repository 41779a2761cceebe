"""First-page benchmark: ``make run`` on a fresh instance folder until the sign-in page answers.

Starts ``make run`` with a new, empty instance folder (so the database is migrated, the keys are
generated and the demo business is loaded, as on a fresh machine), stamps each line it prints
with the seconds since the start, and polls ``/`` until the sign-in page answers 200.

    .venv/bin/python bench/first_page_bench.py [--port 5799] [--demo 1] [--keep]

Target (issue 16): the first page answers within a few seconds.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _answer(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (local URL)
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except OSError:
        return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=5799)
    parser.add_argument("--demo", default="1", help="DEMO=0 skips the demo data")
    parser.add_argument("--timeout", type=float, default=180.0)
    parser.add_argument("--keep", action="store_true", help="keep the instance folder")
    args = parser.parse_args()

    instance = Path(tempfile.mkdtemp(prefix="concord-first-page-"))
    env = dict(os.environ, CONCORD_INSTANCE_PATH=str(instance))
    for key in ("CONCORD_DATABASE_URL", "DATABASE_URL"):
        env.pop(key, None)
    start = time.monotonic()
    proc = subprocess.Popen(
        ["make", "--no-print-directory", "run", f"PORT={args.port}", f"DEMO={args.demo}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )

    def _echo() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            print(f"{time.monotonic() - start:7.2f}s | {line.rstrip()}", flush=True)

    threading.Thread(target=_echo, daemon=True).start()
    url = f"http://127.0.0.1:{args.port}/"
    status = None
    try:
        while time.monotonic() - start < args.timeout:
            status = _answer(url)
            if status == 200:
                break
            if proc.poll() is not None:
                break
            time.sleep(0.05)
        elapsed = time.monotonic() - start
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
        if not args.keep:
            shutil.rmtree(instance, ignore_errors=True)
    if status != 200:
        print(f"no answer from {url} within {args.timeout:.0f} s (last status {status})")
        return 1
    print(f"first page (sign-in, 200) after {elapsed:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
