"""Concord's customer portal and finance workspace (Flask application factory)."""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from typing import Any

from flask import Flask, Response
from werkzeug.middleware.proxy_fix import ProxyFix

from . import hardening, permissions, ratelimit
from .config import instance_path_from_env, load_config
from .extensions import ConcordFlask, babel, csrf, db, login_manager


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create and configure a Concord app.

    :param test_config: settings that replace the instance file and the environment (tests).
    """
    if test_config is None:
        instance_path = instance_path_from_env()
    else:
        instance_path = test_config.get("INSTANCE_PATH")
    app = ConcordFlask(__name__, instance_path=instance_path, instance_relative_config=True)
    load_config(app, test_config)
    proxies = int(app.config["TRUST_PROXY"])
    if proxies > 0:
        # behind N reverse proxies: client address, scheme, host and prefix come from the
        # X-Forwarded-* headers they set (and only from the last N hops, which they control)
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app,
            x_for=proxies,
            x_proto=proxies,
            x_host=proxies,
            x_port=proxies,
            x_prefix=proxies,
        )

    hardening.init_app(app)
    db.init_app(app)
    csrf.init_app(app)
    ratelimit.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=_select_locale)
    _register_request_lifecycle(app)
    _register_domains(app)
    permissions.init_app(app)
    return app


def _select_locale() -> str | None:
    from .i18n import select_locale

    return select_locale()


def _register_request_lifecycle(app: Flask) -> None:
    """One commit per request: commit when the view returned, roll back when it raised."""

    @app.after_request
    def _commit(response: Response) -> Response:
        if response.status_code < 500:
            db.session.commit()
        else:
            db.session.rollback()
        return response

    @app.teardown_request
    def _rollback(exc: BaseException | None) -> None:
        if exc is not None:
            db.session.rollback()


def _register_domains(app: Flask) -> None:
    """Register each domain package's blueprint (``routes.bp``) and CLI (``commands.cli``)."""
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not info.ispkg:
            continue
        for module_name, attr, register in (
            ("routes", "bp", app.register_blueprint),
            ("commands", "cli", app.cli.add_command),
        ):
            full = f"{__name__}.{info.name}.{module_name}"
            if importlib.util.find_spec(full) is None:
                continue
            register(getattr(importlib.import_module(full), attr))
