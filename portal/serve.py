"""``python -m portal.serve``: run gunicorn and the background worker together (``make serve``).

Both run as child processes in their own process groups, so a Ctrl-C reaches only this
supervisor, which then stops them gracefully (SIGTERM: gunicorn finishes running requests, the
worker finishes its job) and kills what has not stopped after a grace period. When either
child exits on its own, the other is stopped too and the exit status is non-zero, so a service
manager restarts the pair. In production, run them as separate systemd units instead
(``docs/deploy.md``).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parent.parent
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
GRACE_SECONDS = 35.0  # a little more than gunicorn's graceful_timeout


def _bin(name: str) -> str:
    """Return the console script ``name`` next to this interpreter (the virtualenv's)."""
    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else name


def worker_command() -> list[str]:
    """Return the command line of the background worker process (jobs and the outbox)."""
    return [_bin("flask"), "--app", "portal", "worker"]


def gunicorn_command(host: str, port: int, workers: int, threads: int) -> list[str]:
    """Return the gunicorn command line serving ``portal.wsgi:app``."""
    return [
        _bin("gunicorn"),
        "--config",
        str(GUNICORN_CONF),
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "portal.wsgi:app",
    ]


def _stop(procs: Sequence[subprocess.Popen[bytes]]) -> None:
    for proc in procs:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + GRACE_SECONDS
    for proc in procs:
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def configuration_problem() -> str | None:
    """Why the configuration in the environment cannot run (e.g. production without a secret
    key), checked once here rather than failing in every worker with a traceback."""
    from portal import create_app
    from portal.config import ConfigurationError

    try:
        create_app()
    except ConfigurationError as exc:
        return str(exc)
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Start the web server and the worker; stop both on SIGINT/SIGTERM or when one exits."""
    parser = argparse.ArgumentParser(prog="python -m portal.serve", description=__doc__)
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "5000")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WORKERS") or 4))
    parser.add_argument("--threads", type=int, default=int(os.environ.get("THREADS") or 2))
    parser.add_argument("--no-worker", action="store_true", help="Serve without the worker.")
    args = parser.parse_args(argv)
    if (problem := configuration_problem()) is not None:
        print(f"Concord cannot start: {problem}", file=sys.stderr, flush=True)
        return 2

    env = dict(os.environ)
    # the worker process runs the jobs; no web process starts a worker thread of its own
    env["CONCORD_JOBS_WORKER"] = "false"
    commands = [gunicorn_command(args.host, args.port, args.workers, args.threads)]
    if not args.no_worker:
        commands.append(worker_command())

    stopping = False

    def _on_signal(_signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)

    procs = [subprocess.Popen(cmd, env=env, cwd=ROOT, start_new_session=True) for cmd in commands]
    print(
        f"Concord is serving http://{args.host}:{args.port}/ "
        f"({args.workers} workers x {args.threads} threads"
        f"{'' if args.no_worker else ', background worker: ' + ' '.join(commands[-1][1:])}). "
        "Ctrl-C stops both.",
        flush=True,
    )
    status = 0
    while not stopping:
        exited = [p for p in procs if p.poll() is not None]
        if exited:
            status = exited[0].returncode or 1
            cmd = exited[0].args
            program = cmd[0] if isinstance(cmd, list | tuple) else cmd
            print(f"{Path(str(program)).name} exited ({status}); stopping", flush=True)
            break
        time.sleep(0.2)
    _stop(procs)
    print("Concord stopped.", flush=True)
    return status


if __name__ == "__main__":
    raise SystemExit(main())
