"""Concord's customer portal and finance workspace (Flask application factory)."""

from __future__ import annotations

from typing import Any

import click
from flask import Blueprint, Flask, Response
from werkzeug.middleware.proxy_fix import ProxyFix

from . import assets, csrf_tokens, errors, hardening, permissions, ratelimit
from .config import instance_path_from_env, load_config
from .extensions import ConcordFlask, babel, csrf, db, login_manager
from .i18n import install_template_translations


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
    assets.init_app(app)
    db.init_app(app)
    csrf.init_app(app)
    csrf_tokens.init_app(app)
    ratelimit.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=_select_locale)
    install_template_translations(app)
    _register_request_lifecycle(app)
    _register_domains(app)
    errors.init_app(app)
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
    """Register every domain's blueprint and CLI group, listed here so a reader sees them all.

    A package that gains a ``routes.py`` or ``commands.py`` must be added to these lists
    (``tests/portal/test_registry.py`` fails until it is).
    """
    from .admin import routes as admin_routes
    from .api import commands as api_commands
    from .api import routes as api_routes
    from .audit import commands as audit_commands
    from .audit import routes as audit_routes
    from .auth import routes as auth_routes
    from .backup import commands as backup_commands
    from .banking import routes as banking_routes
    from .contracts import routes as contracts_routes
    from .credit import commands as credit_commands
    from .credit import routes as credit_routes
    from .customers import routes as customers_routes
    from .demo import commands as demo_commands
    from .disputes import routes as disputes_routes
    from .erp import commands as erp_commands
    from .erp import routes as erp_routes
    from .followups import commands as followups_commands
    from .followups import routes as followups_routes
    from .health import routes as health_routes
    from .home import routes as home_routes
    from .invoices import routes as invoices_routes
    from .jobs import commands as jobs_commands
    from .ledger import commands as ledger_commands
    from .ledger import routes as ledger_routes
    from .outbox import commands as outbox_commands
    from .payments import routes as payments_routes
    from .reports import routes as reports_routes
    from .scheduler import commands as scheduler_commands
    from .statements import commands as statements_commands
    from .statements import routes as statements_routes
    from .statements import staff as statements_staff
    from .ui import routes as ui_routes
    from .users import commands as users_commands
    from .worker import commands as worker_commands

    # alphabetical, the order the package scan used (rule order for equally specific URLs)
    blueprints: tuple[Blueprint, ...] = (
        admin_routes.bp,
        api_routes.bp,
        audit_routes.bp,
        auth_routes.bp,
        banking_routes.bp,
        contracts_routes.bp,
        credit_routes.bp,
        customers_routes.bp,
        disputes_routes.bp,
        erp_routes.bp,
        followups_routes.bp,
        health_routes.bp,
        home_routes.bp,
        invoices_routes.bp,
        ledger_routes.bp,
        payments_routes.bp,
        reports_routes.bp,
        statements_routes.bp,
        statements_staff.bp,
        ui_routes.bp,
    )
    commands: tuple[click.Command, ...] = (
        api_commands.cli,
        audit_commands.cli,
        backup_commands.cli,
        credit_commands.cli,
        demo_commands.cli,
        erp_commands.cli,
        followups_commands.cli,
        jobs_commands.cli,
        ledger_commands.cli,
        outbox_commands.cli,
        scheduler_commands.cli,
        statements_commands.cli,
        users_commands.cli,
        worker_commands.cli,
    )
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    for command in commands:
        app.cli.add_command(command)
