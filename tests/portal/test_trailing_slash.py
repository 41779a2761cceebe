"""A page's address with a trailing slash typed or left out opens the same page.

People type addresses (``/staff/customers/``, ``/staff/statements``) and paste them from mails;
neither form may answer 404 or bounce through a redirect.
"""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.factories import make_user
from tests.portal.finance_helpers import login


def _pages(app: Flask) -> list[str]:
    """Every staff page without parameters in its address (not the API, files or sign-out)."""
    paths = set()
    for rule in app.url_map.iter_rules():
        if rule.arguments or "GET" not in (rule.methods or ()):
            continue
        path = rule.rule
        if path.startswith(("/api/", "/static", "/logout")) or "." in path.rsplit("/", 1)[-1]:
            continue
        paths.add(path)
    return sorted(paths)


def test_every_page_opens_with_and_without_a_trailing_slash(
    app: Flask, client: FlaskClient, session: Session
) -> None:
    login(client, make_user(session, "admin"))
    session.commit()
    pages = _pages(app)
    assert "/staff/customers" in pages and "/staff/statements/" in pages
    for path in pages:
        if path == "/":
            continue
        written = client.get(path)
        other = path[:-1] if path.endswith("/") else path + "/"
        typed = client.get(other)
        assert typed.status_code == written.status_code, (other, typed.status_code)
        assert typed.status_code not in (301, 308, 404), (other, typed.status_code)
