"""Gunicorn settings for Concord: ``gunicorn -c deploy/gunicorn.conf.py portal.wsgi:app``.

``make serve`` and the systemd unit in ``docs/deploy.md`` use this file. Command-line options
(``--bind``, ``--workers``, ``--threads``) override what it sets; without them it reads
``HOST``/``PORT`` (default ``127.0.0.1:5000``), ``WORKERS`` (or ``WEB_CONCURRENCY``, default 4)
and ``THREADS`` (default 2) from the environment.
"""

import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '5000')}"
workers = int(os.environ.get("WORKERS") or os.environ.get("WEB_CONCURRENCY") or 4)
threads = int(os.environ.get("THREADS") or 2)
# threads > 1 selects the gthread worker: a slow client does not hold a whole process
worker_class = "gthread"

# every worker builds its own app (engine and connection pool) after the fork
preload_app = False


def on_starting(server: object) -> None:
    """Import Concord's code once in the master, before any worker is forked.

    Building a throwaway app imports every module the factory uses (about 2 s of CPU) and
    checks the configuration once, so a bad setting stops gunicorn with one clear error. Each
    worker forks with the code loaded and builds its own app in a tenth of a second, which
    matters because a worker is replaced after ``max_requests`` requests: with the imports in
    every worker, replacements took about a quarter of the CPU of a busy server. The templates
    are compiled here too (under a second), so no worker compiles them for its first pages.
    The app built here never connects to the database.
    """
    from portal import create_app
    from portal.templating import precompile

    precompile(create_app())


timeout = 120  # a request running longer than this is killed (bank files parse in the worker)
graceful_timeout = 30  # SIGTERM lets running requests finish for this long
keepalive = 5
# a worker is replaced after this many requests, which bounds slow memory growth
max_requests = 2000
max_requests_jitter = 200

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'

# X-Forwarded-* headers are honoured by the app itself (CONCORD_TRUST_PROXY, werkzeug's
# ProxyFix), in one place: gunicorn must not switch the scheme on its own
secure_scheme_headers: dict[str, str] = {}
forwarded_allow_ips = "127.0.0.1"

# the heartbeat file lives in memory, so a slow disk never makes gunicorn kill a worker
# (gunicorn creates it with mkstemp, private to its user)
if os.path.isdir("/dev/shm"):  # noqa: S108
    worker_tmp_dir = "/dev/shm"  # noqa: S108
