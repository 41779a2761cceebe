"""Locale selection (the user's choice, then the browser's; Chinese or English) and catalogues."""

from __future__ import annotations

from functools import cached_property
from types import SimpleNamespace
from typing import Any

from babel.support import NullTranslations
from flask import Flask, current_app, g, has_app_context, has_request_context, request, session
from flask_babel import Babel, Domain, get_domain

LANGUAGES = ("zh", "en")

#: where :class:`RequestDomain` keeps the catalogue on Flask-Babel's per-request context
_MEMO = "concord_translations"


def company_name(language: str) -> str:
    """Our name in the reader's language (``COMPANY_NAME`` is ``English / 中文``)."""
    parts = [p.strip() for p in str(current_app.config["COMPANY_NAME"]).split(" / ") if p.strip()]
    if len(parts) < 2:
        return parts[0] if parts else ""
    return parts[1] if language == "zh" else parts[0]


def select_locale() -> str | None:
    """Return the locale for this request (``None``, the default, outside a request: a CLI
    command or a job renders in the configured default language)."""
    if not has_request_context():
        return None
    if request.path.startswith("/api/"):
        # a program that does not ask for a language gets the API's documented English
        return request.accept_languages.best_match(LANGUAGES, default="en")
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return str(chosen)
    return request.accept_languages.best_match(LANGUAGES, default="zh")


def _babel_context() -> SimpleNamespace | None:
    """Flask-Babel's context of this request (or CLI command), if it has one yet."""
    if not has_app_context():
        return None
    ctx: SimpleNamespace | None = vars(g._get_current_object()).get("_flask_babel")
    return ctx


class RequestDomain(Domain):
    """Flask-Babel's message domain, keeping the catalogue found for the rest of the request.

    Flask-Babel looks the catalogue up again for every string (three lookups of ``g`` and the
    locale's name each time), and a page translates dozens. The catalogue is kept on the
    request's Babel context together with the locale object it was found for: ``force_locale``
    and ``refresh`` put another locale object there, so they are never answered from the memo.
    """

    def get_translations(self) -> NullTranslations:
        ctx = _babel_context()
        if ctx is not None:
            memo = getattr(ctx, _MEMO, None)
            if memo is not None and memo[0] is getattr(ctx, "babel_locale", None):
                if memo[1] is self:
                    translations: NullTranslations = memo[2]
                    return translations
        translations = super().get_translations()
        ctx = _babel_context()
        locale = getattr(ctx, "babel_locale", None)
        if ctx is not None and locale is not None:
            setattr(ctx, _MEMO, (locale, self, translations))
        return translations


class ConcordBabel(Babel):
    """Flask-Babel whose default domain remembers the request's catalogue."""

    @cached_property
    def domain_instance(self) -> Domain:
        return RequestDomain(domain=self.domain)


def translations() -> NullTranslations:
    """The catalogue of the current request's language (Flask-Babel's, found faster)."""
    ctx = _babel_context()
    domain = getattr(ctx, "babel_domain", None) if ctx is not None else None
    if domain is None:
        domain = get_domain()
    result: NullTranslations = domain.get_translations()
    return result


def install_template_translations(app: Flask) -> None:
    """Let templates' ``_()``/``ngettext()`` use :func:`translations` (call after Babel)."""

    def _gettext(message: str) -> str:
        return str(translations().ugettext(message))

    def _ngettext(singular: str, plural: str, n: int) -> str:
        return str(translations().ungettext(singular, plural, n))

    def _pgettext(context: str, message: str) -> str:
        return str(translations().upgettext(context, message))

    def _npgettext(context: str, singular: str, plural: str, n: int) -> str:
        return str(translations().unpgettext(context, singular, plural, n))

    env: Any = app.jinja_env
    env.install_gettext_callables(
        gettext=_gettext,
        ngettext=_ngettext,
        newstyle=True,
        pgettext=_pgettext,
        npgettext=_npgettext,
    )
