"""Settings: defaults, then ``<instance>/config.py``, then ``CONCORD_*`` environment variables.

The instance folder is ``instance/`` in the checkout unless ``CONCORD_INSTANCE_PATH`` names
another, so one checkout can serve several instances (each with its own keys and outbox).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

#: every setting, its default and how the environment spells it (CONCORD_<NAME>)
DEFAULTS: dict[str, Any] = {
    "ENV_NAME": "development",  # "production" refuses to start without a real secret key
    "SECRET_KEY": None,
    "DATABASE_URL": None,  # default: sqlite:///<instance>/concord.sqlite3
    "BASE_URL": "http://127.0.0.1:5000",
    "TIMEZONE": "Asia/Shanghai",  # dates and times are shown in this zone (stored in UTC)
    "COMPANY_NAME": "Concord Demo Trading Co., Ltd. / 康科德示范贸易有限公司",
    "COMPANY_ADDRESS": "88 Century Avenue, Pudong, Shanghai 200120",
    "COMPANY_LOGO": None,  # path to a PNG/JPEG shown on statements
    "OWN_ACCOUNTS": [],  # our bank account numbers (";"-separated in the environment)
    # the account reminder letters ask customers to pay into (default: the first OWN_ACCOUNTS)
    "COMPANY_BANK_NAME": None,
    "COMPANY_BANK_ACCOUNT": None,
    # the bank of each of our accounts, for the allocations export ("account=bank" entries)
    "OWN_ACCOUNT_BANKS": [],
    "OWN_NAMES": [],  # our own company names, as banks print them
    "MAIL_BACKEND": "outbox",  # "outbox" writes .eml files to instance/outbox; "smtp" sends
    "MAIL_FROM": "Concord <noreply@concord.local>",
    "SMTP_HOST": "localhost",
    "SMTP_PORT": 25,
    "SMTP_USERNAME": None,
    "SMTP_PASSWORD": None,
    "SMTP_STARTTLS": False,
    "SMS_BACKEND": "outbox",  # "outbox" writes .sms.txt files; "aliyun": Alibaba Cloud SMS
    "KEY_PASSPHRASE": None,  # encrypts signing keys in instance/pki; generated in development
    "TSA_URL": None,  # RFC 3161 time-stamping authority for signatures
    "STATEMENT_RESPONSE_DAYS": 14,  # customers confirm or dispute within this many days
    "CREDIT_OVERDUE_WARN_DAYS": 30,  # the credit check warns about items overdue longer
    "CREDIT_OVERDUE_BLOCK_DAYS": 90,  # ... and blocks beyond this many days
    # currency of a bank export that states none (many Chinese exports imply the account's)
    "BANK_DEFAULT_CURRENCY": "CNY",
    "UPLOAD_MAX_BYTES": 20 * 1024 * 1024,
    "ATTACHMENT_MAX_BYTES": 10 * 1024 * 1024,
    "JOBS_INLINE": False,  # run background jobs and deliver messages synchronously (tests)
    "JOBS_WORKER": False,  # a worker thread inside the web server (`make run`); else a process
    "JOBS_MAX_ATTEMPTS": 3,  # a job that raises is tried this often before it is failed
    "JOBS_RETRY_SECONDS": 30,  # wait before the 2nd attempt (jobs and messages); then doubles
    "JOBS_RETRY_MAX_SECONDS": 3600,  # longest wait between two attempts
    "JOBS_STALE_SECONDS": 120,  # a job whose worker is silent this long is taken over
    "JOBS_HEARTBEAT_SECONDS": 15,  # how often a worker records its heartbeat
    "JOBS_POLL_SECONDS": 2,  # how often an idle worker looks for work
    "OUTBOX_MAX_ATTEMPTS": 8,  # delivery attempts of an email or SMS before it is failed
    "HEALTH_WORKER_MAX_SILENCE_SECONDS": 120,  # /healthz answers 503 past this heartbeat age
    "STATEMENT_DAY": 1,  # day of month the scheduler issues the previous month's statements
    "SCHEDULER_STALE_SECONDS": 3600,  # a scheduled run "running" this long was interrupted
    "ALIYUN_SMS_ACCESS_KEY_ID": None,  # SMS_BACKEND=aliyun: Alibaba Cloud AccessKey
    "ALIYUN_SMS_ACCESS_KEY_SECRET": None,
    "ALIYUN_SMS_SIGN_NAME": None,  # the approved signature (签名)
    "ALIYUN_SMS_TEMPLATE_CODE": None,  # the approved template (模板), e.g. SMS_123456789
    "ALIYUN_SMS_TEMPLATE_PARAM": "content",  # the template variable that receives the text
    "ALIYUN_SMS_ENDPOINT": "dysmsapi.aliyuncs.com",
    "ALIYUN_SMS_REGION": "cn-hangzhou",
    "SESSION_IDLE_MINUTES": 30,
    "SESSION_ABSOLUTE_HOURS": 12,
    "LOGIN_MAX_FAILURES_PER_ACCOUNT": 5,
    "LOGIN_MAX_FAILURES_PER_IP": 20,
    "LOGIN_THROTTLE_MINUTES": 15,
    "API_TOKENS": [],  # extra ERP API tokens accepted (besides tokens created in the database)
    "API_MAX_ROWS": 1000,  # rows per ERP API request (more: 413, send batches)
    "API_MAX_BYTES": 5 * 1024 * 1024,  # body of one ERP API request
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STORAGE_URI": "memory://",  # or redis://... when several processes serve
    "RATELIMIT_LOGIN": "30 per minute; 300 per hour",  # sign-in posts per address
    "RATELIMIT_FORGOT": "10 per hour",  # reset requests per address
    "RATELIMIT_FORGOT_ACCOUNT": "3 per hour",  # reset requests per email address asked for
    "RATELIMIT_API": "120 per minute",  # ERP API requests per token
    "TRUST_PROXY": 0,  # how many reverse proxies' X-Forwarded-* headers to trust (ProxyFix)
    "SQLITE_BUSY_TIMEOUT": 30,  # seconds a SQLite connection waits for another writer's lock
    "LOCK_RETRIES": 3,  # times a request that lost a database lock is run again before a 500
}

#: settings also read from an unprefixed variable, as hosting platforms and tools name them
#: (the ``CONCORD_`` spelling wins when both are set)
UNPREFIXED_ENV = ("SECRET_KEY", "BASE_URL")

_INT_KEYS = {k for k, v in DEFAULTS.items() if isinstance(v, int) and not isinstance(v, bool)}
_BOOL_KEYS = {k for k, v in DEFAULTS.items() if isinstance(v, bool)}
_LIST_KEYS = {k for k, v in DEFAULTS.items() if isinstance(v, list)}


class ConfigurationError(RuntimeError):
    """The configuration cannot run safely (e.g. production without a secret key)."""


def _from_env(key: str, raw: str) -> Any:
    if key in _BOOL_KEYS:
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if key in _INT_KEYS:
        return int(raw)
    if key in _LIST_KEYS:
        return [part.strip() for part in raw.split(";") if part.strip()]
    return raw


def load_config(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Fill ``app.config`` from defaults, the instance file, the environment and ``test_config``."""
    app.config.update(DEFAULTS)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        for key in DEFAULTS:
            raw = os.environ.get(f"CONCORD_{key}")
            if raw is None and key in UNPREFIXED_ENV:
                raw = os.environ.get(key)
            if raw is not None:
                app.config[key] = _from_env(key, raw)
    else:
        app.config.update(test_config)

    # "Production", "PRODUCTION " and "production" are one environment
    app.config["ENV_NAME"] = str(app.config["ENV_NAME"] or "development").strip().lower()
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    if not app.config["DATABASE_URL"]:
        app.config["DATABASE_URL"] = f"sqlite:///{instance / 'concord.sqlite3'}"

    if not app.config["OWN_NAMES"]:
        # banks print our name as it is registered: each language's half of COMPANY_NAME
        app.config["OWN_NAMES"] = [
            part.strip() for part in str(app.config["COMPANY_NAME"]).split(" / ") if part.strip()
        ]

    production = is_production(app.config)
    if not app.config["SECRET_KEY"]:
        if production:
            raise ConfigurationError(
                "SECRET_KEY (or CONCORD_SECRET_KEY) is not set: "
                "a production configuration needs a real secret key"
            )
        app.config["SECRET_KEY"] = _instance_secret(instance / "secret_key")
    elif production and len(str(app.config["SECRET_KEY"])) < 32:
        raise ConfigurationError("CONCORD_SECRET_KEY is too short for production (32+ characters)")
    if not app.config["KEY_PASSPHRASE"]:
        if production:
            raise ConfigurationError("CONCORD_KEY_PASSPHRASE is not set: signing keys need one")
        app.config["KEY_PASSPHRASE"] = _instance_secret(instance / "key_passphrase")

    app.config.update(
        BABEL_DEFAULT_TIMEZONE=app.config["TIMEZONE"],
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=production,
        # the session cookie is sent again only when its content changed (sign-in, language,
        # the idle clock every 30 s): it then expires with the absolute timeout, never later
        SESSION_REFRESH_EACH_REQUEST=False,
        REMEMBER_COOKIE_SECURE=production,
        MAX_CONTENT_LENGTH=app.config["UPLOAD_MAX_BYTES"] * 5,
    )


#: settings whose defaults describe the demo business, not yours
DEMO_SETTINGS = ("COMPANY_NAME", "COMPANY_ADDRESS")


def demo_settings_left(config: Mapping[str, Any]) -> list[str]:
    """The company settings a production instance still has at the demo business's values.

    Statements, letters and emails would print the demo company's name and address, and the
    matcher would take the demo name for ours; development keeps them on purpose.
    """
    if not is_production(config):
        return []
    return [key for key in DEMO_SETTINGS if config.get(key) == DEFAULTS[key]]


def is_production(config: Mapping[str, Any]) -> bool:
    """Return whether ``ENV_NAME`` names production (any case, surrounding spaces ignored)."""
    return str(config.get("ENV_NAME") or "").strip().lower() == "production"


def instance_path_from_env() -> str | None:
    """Return ``CONCORD_INSTANCE_PATH`` as an absolute path (Flask requires one), or None."""
    raw = os.environ.get("CONCORD_INSTANCE_PATH", "").strip()
    return os.path.abspath(os.path.expanduser(raw)) if raw else None


def _instance_secret(path: Path) -> str:
    """Read a generated development secret, creating it (mode 0600) on first run."""
    if path.exists():
        return path.read_text().strip()
    value = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(value)
    return value
