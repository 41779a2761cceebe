"""The app factory lists every domain's blueprint and CLI group explicitly."""

from __future__ import annotations

import importlib
from pathlib import Path

import click
from flask import Blueprint, Flask

import portal

PORTAL = Path(portal.__file__).parent


def _domains_with(module: str) -> list[str]:
    return sorted(p.parent.name for p in PORTAL.glob(f"*/{module}.py"))


def test_every_domain_with_routes_has_its_blueprint_registered(app: Flask) -> None:
    domains = _domains_with("routes")
    assert "banking" in domains
    for name in domains:
        bp = importlib.import_module(f"portal.{name}.routes").bp
        assert isinstance(bp, Blueprint)
        assert app.blueprints.get(bp.name) is bp, f"portal/{name}/routes.py is not registered"
    registered = {bp.import_name.split(".")[1] for bp in app.blueprints.values()}
    assert registered == set(domains)


def test_every_domain_cli_group_is_registered(app: Flask) -> None:
    for name in _domains_with("commands"):
        cli = importlib.import_module(f"portal.{name}.commands").cli
        assert isinstance(cli, click.Command)
        assert cli.name
        assert app.cli.get_command(click.Context(app.cli), cli.name) is cli, name
