"""WSGI entry point for production servers: ``gunicorn portal.wsgi:app``.

Configuration comes from the environment and the instance folder (see the README), exactly as
for ``flask --app portal``.
"""

from __future__ import annotations

from . import create_app

app = create_app()
