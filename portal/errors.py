"""One root for the errors Concord raises on purpose, and the one handler that answers them.

Every domain's own root (``LedgerError``, ``BankingError``, ``AccountError``...) derives from
:class:`ConcordError`, which carries what the handler needs: the message for the user
(already in the reader's language where it was raised, or a lazy translation), the HTTP
status and the log level. A view catches such an error only when it answers differently
from the handler (a form shown again with the message next to a field, for instance);
otherwise it lets it propagate and :func:`init_app`'s handler answers:

* ``/api/...``: JSON ``{"error": message}`` with the error's status;
* a page request that changed something (POST...): the message flashed, back to the page
  the user came from (same site only) or the home page;
* a page read (GET): the error page with the message and the error's status.

The request's changes are rolled back first, whatever the status (the request lifecycle
commits every answer below 500).
"""

from __future__ import annotations

import logging
from typing import ClassVar

from flask import Flask, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

log = logging.getLogger(__name__)


class ConcordError(Exception):
    """Root of every error Concord raises on purpose; ``str(error)`` is the user's message."""

    #: HTTP status of the answer when no view handles the error
    status: ClassVar[int] = 400
    #: level at which the handler logs it (a refused request is not a fault of Concord)
    log_level: ClassVar[int] = logging.INFO

    def user_message(self) -> str:
        """The message for the user, in the reader's language where the raiser translated it."""
        return str(self) or self.__class__.__name__


def required_reason(reason: str | None, refusal: ConcordError) -> str:
    """``reason`` without surrounding white space; ``refusal`` is raised when nothing is left."""
    reason = (reason or "").strip()
    if not reason:
        raise refusal
    return reason


def _same_site_referrer() -> str | None:
    from .ui.routes import safe_local_path

    referrer = request.referrer or ""
    host_url = request.host_url
    if referrer.startswith(host_url):
        return safe_local_path("/" + referrer[len(host_url) :])
    return None


def handle(error: ConcordError) -> ResponseReturnValue:
    """Answer a :class:`ConcordError` that no view handled (see the module's docstring)."""
    from .extensions import db

    db.session.rollback()
    message = error.user_message()
    log.log(
        error.log_level,
        "%s %s refused: %s: %s",
        request.method,
        request.path,
        type(error).__name__,
        message,
    )
    if request.path.startswith("/api/"):
        return jsonify({"error": message}), error.status
    if request.method in ("GET", "HEAD") or error.status >= 500:
        return render_template("errors/error.html", code=error.status, detail=message), (
            error.status
        )
    flash(message, "error")
    return redirect(_same_site_referrer() or url_for("home.index"))


def init_app(app: Flask) -> None:
    """Register :func:`handle` for every :class:`ConcordError` (called by the app factory)."""
    app.register_error_handler(ConcordError, handle)
