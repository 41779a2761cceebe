"""WSGI entry point for production servers: ``gunicorn portal.wsgi:app``.

Configuration comes from the environment and the instance folder (see the README), exactly as
for ``flask --app portal``.
"""

from __future__ import annotations

import gc

from . import create_app

app = create_app()
# what exists now (modules, the app, its routes and mappers) lives as long as the process: the
# garbage collector stops walking it, so the collections that page views cause stay short
gc.freeze()
