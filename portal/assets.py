"""Static files under URLs that name their content, so that browsers keep them.

``url_for("static", filename=...)`` adds ``v=`` and a digest of the file. A request for the
file's current digest is answered with a year's ``max-age``: a page then loads with one request
instead of revalidating its stylesheet, scripts and icon each time (a phone on a slow network
notices). A changed file gets a new URL, so no browser keeps the old one; a request without
``v`` or with an old digest is revalidated as before.
"""

from __future__ import annotations

import functools
import hashlib
import os
import stat
from typing import Any

from flask import Flask
from werkzeug.security import safe_join

#: how long a browser keeps a file whose URL names its digest
KEEP_SECONDS = 365 * 24 * 3600


@functools.lru_cache(maxsize=256)
def _digest(path: str, modified_ns: int, size: int) -> str:
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()[:12]


def digest(app: Flask, filename: str | None) -> str | None:
    """The digest of the static file ``filename`` as it is now, or None when there is none.

    Worked out again only when the file's time or size changes (``make run`` serves edits).
    """
    path = safe_join(app.static_folder or "", filename or "")
    if path is None:
        return None
    try:
        found = os.stat(path)
    except (OSError, ValueError):  # ValueError: a NUL byte in the requested name
        return None
    if not stat.S_ISREG(found.st_mode):  # a folder: no file to keep
        return None
    return _digest(path, found.st_mtime_ns, found.st_size)


def init_app(app: Flask) -> None:
    @app.url_defaults
    def _add_digest(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and "v" not in values:
            found = digest(app, values.get("filename"))
            if found is not None:
                values["v"] = found
