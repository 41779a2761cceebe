"""Configuration from the environment: names, instance folder, proxy headers, production."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask, request

from portal import create_app, permissions
from portal.config import DEFAULTS, ConfigurationError
from tests.conftest import base_config

LONG_SECRET = "s" * 40


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[pytest.MonkeyPatch]:
    """An environment without any Concord setting, with an instance folder of the test's own."""
    for name in list(os.environ):
        if name.startswith("CONCORD_") and name != "CONCORD_TEST_DATABASE_URL":
            monkeypatch.delenv(name)
    for name in ("SECRET_KEY", "BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CONCORD_INSTANCE_PATH", str(tmp_path / "inst"))
    yield monkeypatch


def test_instance_path_from_environment_holds_every_instance_file(
    env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    app = create_app()
    inst = tmp_path / "inst"
    assert app.instance_path == str(inst)
    assert app.config["DATABASE_URL"] == f"sqlite:///{inst / 'concord.sqlite3'}"
    assert (inst / "secret_key").exists()
    assert (inst / "key_passphrase").exists()
    assert app.config["SECRET_KEY"] == (inst / "secret_key").read_text()


def test_relative_instance_path_is_made_absolute(env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    env.chdir(tmp_path)
    env.setenv("CONCORD_INSTANCE_PATH", "site-b")
    app = create_app()
    assert app.instance_path == str(tmp_path / "site-b")


def test_instance_config_file_is_read_from_the_instance_path(
    env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    inst = tmp_path / "inst"
    inst.mkdir()
    (inst / "config.py").write_text('COMPANY_NAME = "Site B Trading"\n')
    assert create_app().config["COMPANY_NAME"] == "Site B Trading"


def test_unprefixed_secret_key_and_base_url_are_accepted(env: pytest.MonkeyPatch) -> None:
    env.setenv("SECRET_KEY", LONG_SECRET)
    env.setenv("BASE_URL", "https://ar.example.com")
    app = create_app()
    assert app.config["SECRET_KEY"] == LONG_SECRET
    assert app.config["BASE_URL"] == "https://ar.example.com"


def test_prefixed_names_win_over_unprefixed(env: pytest.MonkeyPatch) -> None:
    env.setenv("SECRET_KEY", LONG_SECRET)
    env.setenv("CONCORD_SECRET_KEY", "c" * 40)
    env.setenv("BASE_URL", "https://wrong.example.com")
    env.setenv("CONCORD_BASE_URL", "https://ar.example.com")
    app = create_app()
    assert app.config["SECRET_KEY"] == "c" * 40
    assert app.config["BASE_URL"] == "https://ar.example.com"


def test_every_setting_is_read_from_its_concord_variable(env: pytest.MonkeyPatch) -> None:
    env.setenv("CONCORD_DATABASE_URL", "sqlite:////tmp/elsewhere.sqlite3")
    env.setenv("CONCORD_TIMEZONE", "Europe/Berlin")
    env.setenv("CONCORD_MAIL_BACKEND", "smtp")
    env.setenv("CONCORD_SMTP_PORT", "587")
    env.setenv("CONCORD_SMTP_STARTTLS", "yes")
    env.setenv("CONCORD_TRUST_PROXY", "1")
    app = create_app()
    assert app.config["DATABASE_URL"] == "sqlite:////tmp/elsewhere.sqlite3"
    assert app.config["TIMEZONE"] == "Europe/Berlin"
    assert app.config["BABEL_DEFAULT_TIMEZONE"] == "Europe/Berlin"
    assert app.config["MAIL_BACKEND"] == "smtp"
    assert app.config["SMTP_PORT"] == 587
    assert app.config["SMTP_STARTTLS"] is True
    assert app.config["TRUST_PROXY"] == 1


@pytest.mark.parametrize("name", ["production", "Production", " PRODUCTION "])
def test_production_refuses_to_start_without_a_secret_key(
    env: pytest.MonkeyPatch, name: str
) -> None:
    env.setenv("CONCORD_ENV_NAME", name)
    env.setenv("CONCORD_KEY_PASSPHRASE", "p" * 40)
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app()


def test_production_refuses_a_short_secret_key(env: pytest.MonkeyPatch) -> None:
    env.setenv("CONCORD_ENV_NAME", "production")
    env.setenv("CONCORD_KEY_PASSPHRASE", "p" * 40)
    env.setenv("SECRET_KEY", "short")
    with pytest.raises(ConfigurationError, match="too short"):
        create_app()


def test_production_starts_with_secrets_and_secures_cookies(
    env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    env.setenv("CONCORD_ENV_NAME", "Production")
    env.setenv("SECRET_KEY", LONG_SECRET)
    env.setenv("CONCORD_KEY_PASSPHRASE", "p" * 40)
    app = create_app()
    assert app.config["ENV_NAME"] == "production"
    assert app.config["SESSION_COOKIE_SECURE"] is True
    # nothing generated: production secrets come from the environment only
    assert not (tmp_path / "inst" / "secret_key").exists()


@pytest.fixture(autouse=True)
def _public_echo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(permissions.ROUTES, "echo", permissions.PUBLIC)


def _echo_app(tmp_path: Path, **config: object) -> Flask:
    app = create_app(base_config(tmp_path, INSTANCE_PATH=str(tmp_path / "i"), **config))

    @app.get("/_echo")
    def echo() -> dict[str, str]:
        return {
            "addr": request.remote_addr or "",
            "scheme": request.scheme,
            "host": request.host,
            "url": request.url_root,
        }

    return app


FORWARDED = {
    "X-Forwarded-For": "203.0.113.7",
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Host": "ar.example.com",
}


def test_forwarded_headers_are_ignored_without_trust_proxy(tmp_path: Path) -> None:
    assert DEFAULTS["TRUST_PROXY"] == 0
    app = _echo_app(tmp_path)
    got = app.test_client().get("/_echo", headers=FORWARDED).get_json()
    assert got["addr"] == "127.0.0.1"
    assert got["scheme"] == "http"
    assert got["host"] == "localhost"


def test_trust_proxy_applies_forwarded_headers(tmp_path: Path) -> None:
    app = _echo_app(tmp_path, TRUST_PROXY=1)
    got = app.test_client().get("/_echo", headers=FORWARDED).get_json()
    assert got == {
        "addr": "203.0.113.7",
        "scheme": "https",
        "host": "ar.example.com",
        "url": "https://ar.example.com/",
    }


def test_trust_proxy_takes_only_the_last_hop(tmp_path: Path) -> None:
    app = _echo_app(tmp_path, TRUST_PROXY=1)
    headers = {**FORWARDED, "X-Forwarded-For": "10.6.6.6, 203.0.113.7"}
    # a client-supplied first entry is not believed, only what our proxy appended
    assert app.test_client().get("/_echo", headers=headers).get_json()["addr"] == "203.0.113.7"
