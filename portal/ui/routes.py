"""Blueprint "ui": registers filters, template globals and security headers; language switch."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    has_request_context,
    jsonify,
    redirect,
    request,
    session,
    url_for,
)
from flask.blueprints import BlueprintSetupState
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response as BaseResponse

from .. import filters, permissions
from ..config import demo_settings_left
from ..customers.view import unread_mentions
from ..extensions import db
from ..i18n import LANGUAGES, company_name
from ..models import DisputeStatus

bp = Blueprint("ui", __name__)
log = logging.getLogger(__name__)

#: who a menu entry is for
STAFF, CUSTOMER = "staff", "customer"
#: the menu (contract 4): who sees each entry, its endpoint and label; an entry is shown only
#: for an endpoint that exists in this app and that the permission table lets the user open
NAV: tuple[tuple[str, str, Any], ...] = (
    (STAFF, "banking.uploads", _l("Bank uploads")),
    (STAFF, "banking.queue", _l("Review queue")),
    (STAFF, "banking.archive", _l("Receipts")),
    (STAFF, "followups.index", _l("Follow-ups")),
    (STAFF, "disputes.staff_index", _l("Disputes")),
    (STAFF, "confirmations.period", _l("Statements")),
    (STAFF, "customers.index", _l("Customers")),
    (STAFF, "credit.index", _l("Credit")),
    (STAFF, "contracts.index", _l("Contracts")),
    (STAFF, "erp.conflicts", _l("ERP conflicts")),
    (STAFF, "reports.index", _l("Reports")),
    (STAFF, "audit.statements", _l("Audit")),
    (STAFF, "admin.dunning", _l("Settings")),
    (CUSTOMER, "home.index", _l("Overview")),
    (CUSTOMER, "invoices.index", _l("Invoices")),
    (CUSTOMER, "payments.index", _lp("payment history", "Payments")),
    (CUSTOMER, "statements.index", _l("Statements")),
    (CUSTOMER, "disputes.index", _l("Disputes")),
    (CUSTOMER, "followups.my_cases", _l("Promise to pay")),
    (CUSTOMER, "auth.team", _l("Team")),
)


def nav_entries(audience: str) -> list[tuple[str, Any]]:
    """The menu's ``(endpoint, label)`` entries for ``STAFF`` or ``CUSTOMER``, in order."""
    return [(endpoint, label) for who, endpoint, label in NAV if who == audience]


#: the badge next to the brand: the signed-in member of staff's role
ROLE_BADGES: dict[str, Any] = {
    "finance": _l("Finance"),
    "sales": _l("Sales"),
    "auditor": _l("Auditor"),
    "admin": _l("Administrator"),
}

LANGUAGE_NAMES = {"zh": "中文", "en": "English"}
#: the language switch's buttons: (code, name in that language)
LANGUAGE_CHOICES = tuple((code, LANGUAGE_NAMES[code]) for code in LANGUAGES)

#: display names of the statuses and reasons shown to users
LABELS: dict[str, Any] = {
    "open": _l("Open"),
    "partially_paid": _l("Partly paid"),
    "paid": _l("Paid"),
    "cancelled": _l("Cancelled"),
    "overdue": _l("Overdue"),
    "issued": _l("Awaiting confirmation"),
    "confirmed": _l("Confirmed"),
    "disputed": _l("Disputed"),
    "superseded": _l("Superseded"),
    "under_review": _l("Under review"),
    "accepted": _l("Accepted"),
    "rejected": _l("Rejected"),
    "price": _l("Price"),
    "quantity": _l("Quantity"),
    "not_received": _l("Goods not received"),
    "already_paid": _l("Already paid"),
    "duplicate": _l("Duplicate"),
    "other": _l("Other"),
    "invoice": _l("Invoice"),
    "credit_note": _l("Credit note"),
    "payment": _l("Payment"),
    "allocation": _l("Allocation"),
    "write_off": _l("Write-off"),
    "adjustment": _l("Adjustment"),
    "erp_settlement": _l("Settled in the ERP"),
    "erp_reopened": _l("Reopened in the ERP"),
    "unallocation": _l("Payment taken off an invoice"),
    "advance": _l("Advance payment"),
    "all": _l("All"),
}


#: labels that differ by what they describe (an "open" dispute is not an unpaid invoice)
DISPUTE_LABELS: dict[str, Any] = {"open": _lp("dispute status", "Open")}


def label(value: object) -> Any:
    """Return the translated display name of a status/reason/kind value."""
    key = str(getattr(value, "value", value))
    if isinstance(value, DisputeStatus) and key in DISPUTE_LABELS:
        return DISPUTE_LABELS[key]
    return LABELS.get(key, key)


def filters_set(*names: str) -> int:
    """How many of the query arguments ``names`` (a search form's filters) the request sets."""
    return sum(1 for name in names if request.args.get(name, "").strip())


CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


@bp.record_once
def _setup(state: BlueprintSetupState) -> None:
    app = state.app
    if not isinstance(app, Flask):  # a blueprint of the Flask app, never of a bare sansio App
        raise TypeError("the ui blueprint needs a Flask app")
    filters.register(app)
    app.jinja_env.globals["label"] = label
    app.jinja_env.globals["filters_set"] = filters_set
    # our name in the language being rendered (a page's, or an email's forced locale)
    app.jinja_env.globals["our_name"] = lambda: company_name(str(get_locale() or "zh"))
    app.context_processor(_template_context)
    app.after_request(_security_headers)
    _register_error_pages(app)


def _nav_items(user: Any) -> list[tuple[str, Any, str]]:
    """The menu entries ``(endpoint, label, URL)`` the signed-in ``user`` may open.

    What a user may open depends only on their principal (role, customer admin or not), a
    URL only on where the app is mounted and a label only on the language, so the list is
    worked out once per principal, mount point and language. The permission table decides.
    """
    principal = permissions.principal_of(user)
    locale = str(get_locale())
    cache: dict[tuple[Any, bool, str, str], list[tuple[str, Any, str]]]
    cache = current_app.extensions.setdefault("concord.nav", {})
    key = (principal, bool(user.is_staff), request.script_root, locale)
    nav = cache.get(key)
    if nav is None:
        entries = nav_entries(STAFF if user.is_staff else CUSTOMER)
        views = current_app.view_functions
        nav = cache[key] = [
            # a lazy label is shown as its text (``__html__``): the translated text, as Markup
            (endpoint, Markup(str(label)), url_for(endpoint))  # noqa: S704
            for endpoint, label in entries
            if endpoint in views and permissions.may_open(endpoint, user)
        ]
    return nav


def _unread_mentions(user: Any) -> int | None:
    """Unread notes that mention the signed-in member of staff (None: not for this user)."""
    if not (
        user.is_staff
        and "customers.mentions" in current_app.view_functions
        and permissions.may_open("customers.mentions", user)
    ):
        return None
    try:
        return unread_mentions(db.session(), user.id)
    except SQLAlchemyError:  # an error page after a failed transaction still renders
        log.warning("unread mentions not counted", exc_info=True)
        return None


def _layout_urls() -> dict[str, str]:
    """The URLs every page's frame links to: the pages' worked out once per mount point, the
    static files' on each page (their URLs name the file's current content, :mod:`..assets`)."""
    cache: dict[str, dict[str, str]] = current_app.extensions.setdefault("concord.layout", {})
    urls = cache.get(request.script_root)
    if urls is None:
        urls = cache[request.script_root] = {
            "home": url_for("home.index"),
            "login": url_for("auth.login"),
            "set_language": url_for("ui.set_language"),
            "logout": url_for("auth.logout"),
        }
    return {
        **urls,
        "css": url_for("static", filename="concord.css"),
        "icon": url_for("static", filename="favicon.svg"),
    }


def _template_context() -> dict[str, Any]:
    context: dict[str, Any] = {
        "nav_items": [],
        "unread_mentions": None,
        "role_badge": None,
        "current_locale": str(get_locale() or "zh"),
        "languages": LANGUAGE_CHOICES,
        "company_name": current_app.config["COMPANY_NAME"],
        "demo_settings_left": [],
    }
    if not has_request_context():
        return context
    # the user once, not through the proxy at every use (a page asks a dozen times)
    user: Any = current_user._get_current_object()
    context["current_user"] = user
    context["layout_urls"] = _layout_urls()
    if user.is_authenticated:
        context["nav_items"] = _nav_items(user)
        context["unread_mentions"] = _unread_mentions(user)
        if user.is_staff:
            context["role_badge"] = ROLE_BADGES.get(str(user.role.value))
            # the variables to set, as an administrator writes them in the env file
            left = demo_settings_left(current_app.config)
            context["demo_settings_left"] = [f"CONCORD_{key}" for key in left]
    return context


def _security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if current_app.config.get("ENV_NAME") == "production":
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if request.endpoint and request.endpoint != "static":
        # pages carry personal financial data: never keep them in shared caches
        headers.setdefault("Cache-Control", "no-store")
    return response


def _register_error_pages(app: Flask) -> None:
    from flask import render_template

    def handler(code: int) -> Any:
        def render(error: Exception) -> Any:
            # a message given where the error was raised says what exactly was wrong
            detail = getattr(error, "description", None)
            if detail == getattr(type(error), "description", None) or not isinstance(detail, str):
                detail = None
            if request.path.startswith("/api/"):
                # machine clients get JSON, also for URLs that match no route
                name = getattr(error, "name", "error")
                return jsonify({"error": detail or str(name)}), code
            return render_template("errors/error.html", code=code, detail=detail), code

        return render

    for code in (400, 403, 404, 405, 413, 429):
        app.register_error_handler(code, handler(code))


def safe_local_path(target: str | None) -> str | None:
    """Return ``target`` if it is a relative path on this site, else ``None`` (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


@bp.post("/language")
def set_language() -> BaseResponse:
    """Store the chosen language in the session (and on the user) and go back."""
    lang = request.form.get("lang", "")
    if lang in LANGUAGES:
        session["lang"] = lang
        if current_user.is_authenticated and current_user.language != lang:
            current_user.language = lang
    back = safe_local_path(request.form.get("next")) or url_for("auth.login")
    return redirect(back)
