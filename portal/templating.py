"""Compiled templates, shared by every app of the process and by the workers it forks.

Jinja compiles a template to Python code the first time an app renders it, in every app and
so in every server worker, and Babel reads a language's formats (dates, numbers) from its
CLDR files the first time a page shows a date: a tenth of a second for a worker's first page,
again after each ``max_requests`` replacement. The compiled code is kept here instead, and
gunicorn's master prepares both once before it forks (``deploy/gunicorn.conf.py``), so the
workers start with them. Jinja checks each template's source against its checksum: an edited
template is compiled again.
"""

from __future__ import annotations

import threading

from babel import Locale
from flask import Flask
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket

from .i18n import LANGUAGES


class CompiledTemplates(BytecodeCache):
    """Jinja's bytecode cache, in this process's memory."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        with self._lock:
            self._code[bucket.key] = bucket.bytecode_to_string()


COMPILED = CompiledTemplates()


def precompile(app: Flask) -> int:
    """Compile every template ``app`` can render (into :data:`COMPILED`) and load the formats
    of every language Concord speaks; return how many templates."""
    names = app.jinja_env.list_templates(extensions=("html", "txt"))
    for name in names:
        app.jinja_env.get_template(name)
    for language in LANGUAGES:
        Locale.parse(language).date_formats  # noqa: B018  (loads the language's CLDR data)
    return len(names)
