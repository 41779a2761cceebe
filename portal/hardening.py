"""Central input checks: hostile input is a 4xx with a message, never a 500.

* path ids (``<int:...>``) only match ASCII digits within the database's integer range, so a
  huge id is a 404 instead of an overflow;
* ``request.args.get(..., type=int)``, form ``type=int`` and every WTForms ``IntegerField``
  only accept ASCII digits in range
  (full-width digits such as ``１２`` are not numbers where ASCII is expected);
* every WTForms ``DecimalField`` refuses infinities, NaN and amounts with more than 16 digits
  before the point (what ``NUMERIC(20,4)`` holds);
* every WTForms ``SelectField`` reads its value without surrounding spaces (a value of spaces
  is the empty choice, not a choice no list has);
* query strings and form fields with a NUL, a lone surrogate, or a number written in
  full-width digits are refused with 400 and a message naming the field;
* JSON bodies that are too deeply nested, or carry a NUL or a lone surrogate, are refused
  with 400 (the API answers in JSON);
* the ``Server`` header of the development server never names the software or its version.
"""

from __future__ import annotations

import copy
import json
import re
import time
import unicodedata
from collections.abc import Callable
from typing import Any

from flask import Flask, Request, request
from flask.json.provider import DefaultJSONProvider
from flask.json.tag import TaggedJSONSerializer
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_babel import gettext as _
from itsdangerous import BadSignature
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter
from werkzeug.serving import WSGIRequestHandler
from werkzeug.wrappers import Response as BaseResponse
from wtforms.fields import DecimalField, IntegerField, SelectField

from .lru import BoundedCache

#: ids are 32-bit integers in the database (PostgreSQL ``integer``)
MAX_ID = 2**31 - 1
#: digits an amount may have before the point (money is ``NUMERIC(20,4)``)
MONEY_DIGITS = 16
#: JSON nesting deeper than this is refused (no row of ours nests more than a few levels)
MAX_JSON_DEPTH = 32

_ASCII_INT = re.compile(r"[+-]?[0-9]{1,10}")
_BAD_CHARS = re.compile("[\x00\ud800-\udfff]")
#: a value made only of what numbers are written with (digits of any script, signs, points)
_NUMBERISH = re.compile(r"[\d\s.,+\-]+")


def strict_int(value: str) -> int:
    """Parse an integer written in ASCII digits within ±``MAX_ID``; else ``ValueError``."""
    text = value.strip()
    if not _ASCII_INT.fullmatch(text):
        raise ValueError(f"not an ASCII integer: {value!r}")
    number = int(text)
    if abs(number) > MAX_ID:
        raise ValueError(f"out of range: {value!r}")
    return number


class StrictArgs(ImmutableMultiDict[str, str]):
    """Query and form values where ``get(..., type=int)`` means :func:`strict_int`."""

    def get(  # type: ignore[override]
        self, key: str, default: Any = None, type: Callable[[str], Any] | None = None
    ) -> Any:
        converter = strict_int if type is int else type
        if converter is None:
            return super().get(key, default)
        return super().get(key, default, converter)


class StrictRequest(Request):
    """A request whose query and form values parse integers strictly; JSON errors are 400s."""

    parameter_storage_class = StrictArgs

    def on_json_loading_failed(self, e: ValueError | None) -> Any:
        if e is None:
            raise BadRequest("The body must be JSON (Content-Type: application/json).")
        raise BadRequest(f"The body is not acceptable JSON: {e}")


class BoundedIntConverter(IntegerConverter):
    """``<int:...>`` in a URL: ASCII digits, 1 to ``MAX_ID`` (larger ids cannot exist: 404)."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def bad_text(value: str) -> str | None:
    """Return why ``value`` cannot be stored as text (a NUL or lone surrogate), else ``None``."""
    match = _BAD_CHARS.search(value)
    if match is None:
        return None
    return "a NUL character" if match.group() == "\x00" else "an invalid character (surrogate)"


def full_width_number(value: str) -> bool:
    """Return whether ``value`` is a number written with non-ASCII digits (e.g. ``１２``)."""
    return (
        bool(_NUMBERISH.fullmatch(value))
        and any(ch.isdigit() for ch in value)
        and not value.isascii()
        and all(ch.isascii() or unicodedata.category(ch) == "Nd" or ch.isspace() for ch in value)
    )


def _check_values(where: str, values: MultiDict[str, str]) -> str | None:
    """Why a query string's (``where="query"``) or a form's values cannot be read, else None."""
    place = _("query parameter") if where == "query" else _("form field")
    for key, value in values.items(multi=True):
        for text in (key, value):
            problem = bad_text(text)
            if problem is not None:
                field = repr((bad_text(key) and "?") or key)
                if text and "\x00" in text:
                    return _(
                        "The %(where)s %(field)s contains a NUL character.",
                        where=place,
                        field=field,
                    )
                return _(
                    "The %(where)s %(field)s contains an invalid character (surrogate).",
                    where=place,
                    field=field,
                )
        if full_width_number(value):
            return _(
                "Write numbers with ASCII digits (0-9): the %(where)s %(field)s is %(value)s.",
                where=place,
                field=repr(key),
                value=repr(value),
            )
    return None


def check_request_values() -> BaseResponse | None:
    """Refuse (400) query strings and forms that no field could store or read as a number."""
    problem = _check_values("query", request.args)
    if problem is None and request.method in ("POST", "PUT", "PATCH"):
        if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            problem = _check_values("form", request.form)
            if problem is None:
                for key, storage in request.files.items(multi=True):
                    if bad_text(storage.filename or "") or bad_text(key):
                        problem = _("An uploaded file's name contains an invalid character.")
                        break
    if problem is not None:
        raise BadRequest(problem)
    return None


class SafeJSONProvider(DefaultJSONProvider):
    """JSON that refuses (``ValueError``, so 400) deep nesting, NULs and lone surrogates."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        text = s.decode("utf-8") if isinstance(s, bytes) else s
        depth = _nesting_depth(text)
        if depth > MAX_JSON_DEPTH:
            raise ValueError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
        value = json.loads(text, **kwargs)
        problem = _bad_json_text(value)
        if problem is not None:
            raise ValueError(problem)
        return value


def _nesting_depth(text: str) -> int:
    """The deepest nesting of ``[``/``{`` outside strings (a linear scan, no recursion)."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def _bad_json_text(value: Any, path: str = "$") -> str | None:
    if isinstance(value, str):
        problem = bad_text(value)
        return f"{path} contains {problem}" if problem else None
    if isinstance(value, list):
        for index, item in enumerate(value):
            if (problem := _bad_json_text(item, f"{path}[{index}]")) is not None:
                return problem
    if isinstance(value, dict):
        for key, item in value.items():
            if (problem := bad_text(key) and f"{path} has a key with {bad_text(key)}") or (
                problem := _bad_json_text(item, f"{path}.{key}")
            ):
                return problem
    return None


class _SessionJSON(TaggedJSONSerializer):
    """Flask's session serializer, reading with the standard library's JSON.

    The cookie's signature is checked before its content is read, so the content is what
    Concord wrote; the checks :class:`SafeJSONProvider` makes on request bodies (a scan of
    every character and value, on every page view) have nothing to find there.
    """

    def loads(self, value: str) -> Any:
        return self._untag_scan(json.loads(value))


class SignedCookieSessions(SecureCookieSessionInterface):
    """Flask's signed cookie sessions, read without the request-body checks.

    A browser sends the same cookie with every page until the session changes (the idle
    clock moves at most every 30 s), so a cookie whose signature was checked is remembered
    with its content and signing time: the next request with exactly that cookie only checks
    its age again (``max_age``, as the signature check does). At most ``VERIFIED_MAX`` cookies
    are kept per app, the least recently used go first.
    """

    serializer = _SessionJSON()
    VERIFIED_MAX = 2048

    def __init__(self) -> None:
        self._verified: BoundedCache[tuple[Any, str], tuple[int, dict[str, Any]]] = BoundedCache(
            self.VERIFIED_MAX
        )

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return super().open_session(app, request)
        max_age = int(app.permanent_session_lifetime.total_seconds())
        key = (app.secret_key, value)
        known = self._verified.get(key)
        if known is not None:
            signed_at, data = known
            if 0 <= int(time.time()) - signed_at <= max_age:
                return self.session_class(_copy_session(data))
            return self.session_class()  # expired, as the signature check would say
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        try:
            data, signed = serializer.loads(value, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        self._verified.put(key, (int(signed.timestamp()), _copy_session(data)))
        return self.session_class(data)


def _copy_session(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of a session's content that a request may change without touching ``data``."""
    return {
        key: copy.deepcopy(value) if isinstance(value, dict | list) else value
        for key, value in data.items()
    }


def _hide_server_banner() -> None:
    """Never tell clients which server software and version answer.

    The development server (``flask run``, ``make run``) would send ``Werkzeug/<version>
    Python/<version>``; gunicorn (``make serve``) sends only ``gunicorn``, without a version.
    """
    # a deliberate patch of the server class; its stubs declare the base handler's signature
    WSGIRequestHandler.version_string = _server_name  # type: ignore[method-assign,assignment]


def _server_name(_handler: WSGIRequestHandler) -> str:
    return "Concord"


def _bound_form_integers() -> None:
    """Make every WTForms ``IntegerField`` parse like :func:`strict_int` (ASCII, in range).

    A search form's ``file=99999999999999999999`` would otherwise reach the database and
    overflow its integer column (a 500); now the field is invalid, like any non-number.
    """
    if getattr(IntegerField, "_concord_strict", False):
        return

    def process_formdata(self: IntegerField, valuelist: list[Any]) -> None:
        if not valuelist:
            return
        try:
            self.data = strict_int(str(valuelist[0]))
        except ValueError as exc:
            self.data = None
            raise ValueError(self.gettext("Not a valid integer value.")) from exc

    # a deliberate patch of WTForms' class; its stubs declare the base Field's signature
    IntegerField.process_formdata = process_formdata  # type: ignore[method-assign,assignment]
    IntegerField._concord_strict = True  # type: ignore[attr-defined]  # our marker attribute


def _bound_form_decimals() -> None:
    """Make every WTForms ``DecimalField`` refuse what no amount column can hold.

    ``1e999``, ``Infinity``, ``NaN`` or 23 digits typed as a credit limit passed WTForms and
    overflowed the database's ``NUMERIC(20,4)`` (a 500 on PostgreSQL); now the field is
    invalid with a message, and the form is shown again.
    """
    if getattr(DecimalField, "_concord_bounded", False):
        return
    parse = DecimalField.process_formdata

    def process_formdata(self: DecimalField, valuelist: list[Any]) -> None:
        parse(self, valuelist)
        value = self.data
        if value is None:
            return
        if not value.is_finite() or value.adjusted() >= MONEY_DIGITS:
            self.data = None
            raise ValueError(
                _("An amount has at most %(digits)d digits before the point.", digits=MONEY_DIGITS)
            )

    # a deliberate patch of WTForms' class, as for IntegerField above
    DecimalField.process_formdata = process_formdata  # type: ignore[method-assign,assignment]
    DecimalField._concord_bounded = True  # type: ignore[attr-defined]  # our marker attribute


def _strip_form_choices() -> None:
    """Make every WTForms ``SelectField`` read its value without surrounding spaces.

    ``Optional()`` treats a value of spaces as no value and drops the "not a valid choice"
    error, so ``?status=+`` passed the queue's search form as the status ``" "`` and failed
    where it became a status (a 500); now it is the empty choice ("All").
    """
    if getattr(SelectField, "_concord_stripped", False):
        return
    parse = SelectField.process_formdata

    def process_formdata(self: SelectField, valuelist: list[Any]) -> None:
        parse(self, [value.strip() if isinstance(value, str) else value for value in valuelist])

    # a deliberate patch of WTForms' class, as for IntegerField above
    SelectField.process_formdata = process_formdata  # type: ignore[method-assign,assignment]
    SelectField._concord_stripped = True  # type: ignore[attr-defined]  # our marker attribute


def init_app(app: Flask) -> None:
    """Install the checks; call before blueprints are registered (for the URL converter and the
    trailing-slash rule, which rules take when they are added)."""
    app.request_class = StrictRequest
    app.url_map.converters["int"] = BoundedIntConverter
    # a trailing slash typed or left out reaches the same page instead of a 404 or a redirect
    app.url_map.strict_slashes = False
    app.json = SafeJSONProvider(app)
    app.session_interface = SignedCookieSessions()
    app.before_request(check_request_values)
    _hide_server_banner()
    _bound_form_integers()
    _bound_form_decimals()
    _strip_form_choices()
