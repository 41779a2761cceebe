"""The production server: gunicorn settings, the WSGI entry and ``python -m portal.serve``."""

from __future__ import annotations

import json
import os
import runpy
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from portal import serve

ROOT = Path(__file__).resolve().parents[2]


def test_gunicorn_command_serves_the_wsgi_app_with_the_config_file() -> None:
    cmd = serve.gunicorn_command("192.0.2.10", 8123, 3, 5)
    assert cmd[-1] == "portal.wsgi:app"
    assert cmd[cmd.index("--config") + 1] == str(ROOT / "deploy" / "gunicorn.conf.py")
    assert cmd[cmd.index("--bind") + 1] == "192.0.2.10:8123"
    assert cmd[cmd.index("--workers") + 1] == "3"
    assert cmd[cmd.index("--threads") + 1] == "5"


def test_gunicorn_config_reads_host_port_workers_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOST", "192.0.2.10")
    monkeypatch.setenv("PORT", "8765")
    monkeypatch.setenv("WORKERS", "6")
    monkeypatch.setenv("THREADS", "3")
    conf = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    assert conf["bind"] == "192.0.2.10:8765"
    assert (conf["workers"], conf["threads"]) == (6, 3)
    assert conf["preload_app"] is False  # every worker opens its own database connections
    assert conf["secure_scheme_headers"] == {}  # X-Forwarded-* only through TRUST_PROXY


def test_wsgi_entry_builds_the_app_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in list(os.environ):
        if name.startswith("CONCORD_") and name != "CONCORD_TEST_DATABASE_URL":
            monkeypatch.delenv(name)
    monkeypatch.setenv("CONCORD_INSTANCE_PATH", str(tmp_path / "site"))
    monkeypatch.setenv("BASE_URL", "https://ar.example.com")
    app = runpy.run_module("portal.wsgi")["app"]
    assert app.instance_path == str(tmp_path / "site")
    assert app.config["BASE_URL"] == "https://ar.example.com"


def test_serve_refuses_a_bad_configuration_in_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # production without a secret key: one clear line, not five workers' tracebacks
    for name in list(os.environ):
        if name.startswith("CONCORD_") and name != "CONCORD_TEST_DATABASE_URL":
            monkeypatch.delenv(name)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("CONCORD_INSTANCE_PATH", str(tmp_path / "site"))
    monkeypatch.setenv("CONCORD_ENV_NAME", "Production")
    started: list[object] = []
    monkeypatch.setattr(serve.subprocess, "Popen", lambda *a, **k: started.append(a))
    assert serve.main(["--port", "1"]) == 2
    assert started == []
    err = capsys.readouterr().err
    assert err.startswith("Concord cannot start: SECRET_KEY (or CONCORD_SECRET_KEY) is not set")
    assert "Traceback" not in err


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.slow
def test_serve_runs_gunicorn_and_the_worker_and_stops_both_on_ctrl_c(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONCORD_")}
    env["CONCORD_INSTANCE_PATH"] = str(tmp_path / "inst")
    subprocess.run(
        [sys.executable, "-m", "alembic", "upgrade", "head"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "portal.serve", "--port", str(port), "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        status = None
        while time.monotonic() < deadline and status is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5) as r:
                    status = r.status
            except OSError:
                time.sleep(0.3)
        assert status == 200
        # the worker starts beside gunicorn: wait for its first heartbeat before stopping both
        beating = False
        while time.monotonic() < deadline and not beating:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
                    beating = json.load(r).get("workers_alive", 0) > 0
            except OSError:
                pass
            if not beating:
                time.sleep(0.3)
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0
    assert "Concord stopped." in out
    assert "worker" in out and "started" in out  # the background worker ran beside gunicorn
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2)


def test_migrating_an_unreachable_database_says_so_in_one_line(tmp_path: Path) -> None:
    """`make serve` migrates first: a wrong database name, host or password is one line naming
    the database (password hidden), not a traceback."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONCORD_")}
    env["CONCORD_INSTANCE_PATH"] = str(tmp_path / "inst")
    env["CONCORD_DATABASE_URL"] = "postgresql+psycopg://concord:s3cret@127.0.0.1:1/concord"
    env["CONCORD_SECRET_KEY"] = "x" * 40
    done = subprocess.run(
        [sys.executable, "-m", "alembic", "upgrade", "head"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "Concord cannot reach its database postgresql+psycopg://concord:***@127.0.0.1:1/" in (
        done.stderr
    )
    assert "Traceback" not in done.stderr and "s3cret" not in done.stderr
