"""The permission table against the real app: every route, every role, allowed and denied.

The routes come from the app's URL map, so a new route without an entry in
``portal.permissions.ROUTES`` fails here with a message saying where to add it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from werkzeug.routing import AnyConverter, IntegerConverter, Rule

from portal import permissions
from portal.models import CollectionCase, DisputeAttachment, User
from portal.permissions import PERMISSIONS, PUBLIC, SIGNED_IN, Action, Principal, Token
from tests.factories import make_customer, make_user
from tests.portal.customer_helpers import PNG, login, make_statement

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
#: routes the sweep must not call (they end the session it runs in)
NOT_CALLED = {"auth.logout"}
#: sample values of path parameters that are not objects of one customer
GENERIC_ARGS: dict[str, Any] = {
    "fmt": "csv",
    "name": "aging",
    "token": "not-a-token",
    "filename": "concord.css",
}


@dataclass
class World:
    users: dict[Principal, User]
    #: path parameters naming objects of the signed-in customer's company, and of another one
    own: dict[str, int]
    other: dict[str, int]


def _company_objects(session: Session, user: User) -> dict[str, int]:
    from portal.disputes import service as disputes

    customer = user.customer
    assert customer is not None
    statement = make_statement(session, customer)
    claim = disputes.LineClaim(
        statement.lines[0], disputes.DisputeReason.PRICE, statement.lines[0].amount, "price"
    )
    dispute = disputes.open_disputes(session, statement, user, [claim], max_bytes=10_000)[0]
    attachment = DisputeAttachment(
        dispute=dispute,
        filename="p.png",
        content_type="image/png",
        size=len(PNG),
        sha256=hashlib.sha256(PNG).hexdigest(),
        content=PNG,
        uploaded_by_id=user.id,
    )
    session.add(attachment)
    case = CollectionCase(customer_id=customer.id, currency="CNY", opened_on=statement.period_end)
    session.add(case)
    session.flush()
    return {
        "case_id": case.id,
        "statement_id": statement.id,
        "invoice_id": statement.lines[0].invoice_id or 0,
        "dispute_id": dispute.id,
        "attachment_id": attachment.id,
    }


@pytest.fixture
def world(session: Session) -> World:
    ours, theirs = make_customer(session, language="en"), make_customer(session, language="en")
    users = {
        Principal.CUSTOMER_USER: make_user(session, customer=ours, language="en"),
        Principal.CUSTOMER_ADMIN: make_user(
            session, customer=ours, language="en", is_customer_admin=True
        ),
    }
    for principal in (Principal.SALES, Principal.FINANCE, Principal.AUDITOR, Principal.ADMIN):
        users[principal] = make_user(session, role=principal.value, language="en")
    stranger = make_user(session, customer=theirs, language="en")
    return World(
        users=users,
        own=_company_objects(session, users[Principal.CUSTOMER_USER]),
        other=_company_objects(session, stranger),
    )


def _routes(app: Flask) -> list[tuple[Rule, str]]:
    out = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            out.append((rule, method))
    return out


def _path_args(rule: Rule) -> list[str]:
    """The rule's path parameters (not the values its ``defaults`` fill in)."""
    return [name for name in rule.arguments if name not in (rule.defaults or {})]


def _url(rule: Rule, args: dict[str, Any]) -> str:
    values = {}
    for name in _path_args(rule):
        converter = rule._converters[name]
        if isinstance(converter, AnyConverter):
            values[name] = sorted(converter.items)[0]
        elif name in args:
            values[name] = args[name]
        elif name in GENERIC_ARGS:
            values[name] = GENERIC_ARGS[name]
        elif isinstance(converter, IntegerConverter):
            values[name] = 987654
        else:
            values[name] = "x"
    _host, path = rule.build(values)  # type: ignore[misc]
    return path


def _call(client: FlaskClient, method: str, url: str) -> Any:
    resp = client.open(url, method=method, data={})
    resp.get_data()
    resp.close()
    return resp


def test_every_route_has_an_entry_in_the_table(app: Flask) -> None:
    missing = []
    for rule, method in _routes(app):
        try:
            permissions.rule_for(rule.endpoint, method)
        except permissions.UnlistedRoute as exc:
            missing.append(f"{method} {rule.rule}: {exc}")
    assert not missing, "routes without a permission entry:\n" + "\n".join(missing)
    stale = set(permissions.ROUTES) - {rule.endpoint for rule in app.url_map.iter_rules()}
    assert not stale, f"portal.permissions.ROUTES lists endpoints that do not exist: {stale}"


def test_the_table_itself() -> None:
    assert set(PERMISSIONS) == set(Action), "every action needs a row in PERMISSIONS"
    for action, principals in PERMISSIONS.items():
        assert principals, f"{action} is allowed to nobody"
        if action.writes:
            assert Principal.AUDITOR not in principals, f"auditors may not {action}"
        if action.value.startswith("own.") or action is Action.TEAM_MANAGE:
            assert principals <= permissions.CUSTOMERS
        else:
            assert not principals & permissions.CUSTOMERS, f"customers may not {action}"
    # a customer admin may do everything a customer user may
    for principals in PERMISSIONS.values():
        if Principal.CUSTOMER_USER in principals:
            assert Principal.CUSTOMER_ADMIN in principals
    # the cases of issue 14, item 2 and 6
    assert not permissions.allows(Principal.SALES, Action.DISPUTES_DECIDE)
    assert not permissions.allows(Principal.SALES, Action.BANK_BOOK)
    assert not permissions.allows(Principal.SALES, Action.API_WRITE)
    assert not permissions.allows(Principal.AUDITOR, Action.API_WRITE)
    assert permissions.allows(Principal.FINANCE, Action.API_WRITE)


def test_an_unlisted_endpoint_is_refused() -> None:
    with pytest.raises(permissions.UnlistedRoute, match=r"portal\.permissions\.ROUTES"):
        permissions.rule_for("nowhere.view", "GET")


@pytest.mark.slow  # one request per route (150+): a few seconds
def test_anonymous_users_reach_only_public_routes(client: FlaskClient, world: World) -> None:
    wrong = []
    for rule, method in _routes(client.application):
        table = permissions.rule_for(rule.endpoint, method)
        if rule.endpoint in NOT_CALLED or isinstance(table, Token):
            continue
        resp = _call(client, method, _url(rule, world.own))
        if table is PUBLIC:
            if resp.status_code in (401, 403) or resp.status_code >= 500:
                wrong.append(f"{method} {rule.rule}: public but answered {resp.status_code}")
        elif resp.status_code != 302 or "/login" not in resp.headers.get("Location", ""):
            wrong.append(f"{method} {rule.rule}: answered {resp.status_code}, not sign-in")
    assert not wrong, "\n".join(wrong)


@pytest.mark.slow  # every route for one role: a few seconds each
@pytest.mark.parametrize("principal", PRINCIPALS := list(Principal), ids=str)
def test_each_role_gets_what_the_table_says(
    client: FlaskClient, world: World, principal: Principal
) -> None:
    user = world.users[principal]
    assert login(client, user).status_code == 302
    wrong = []
    for rule, method in _routes(client.application):
        table = permissions.rule_for(rule.endpoint, method)
        if rule.endpoint in NOT_CALLED or isinstance(table, Token):
            continue
        where = f"{principal} {method} {rule.rule}"
        resp = _call(client, method, _url(rule, world.own))
        status = resp.status_code
        if status >= 500:
            wrong.append(f"{where}: {status}")
            continue
        allowed = table in (PUBLIC, SIGNED_IN) or permissions.allows(principal, table)  # type: ignore[arg-type]
        if not allowed:
            if status != 403:
                wrong.append(f"{where}: the table denies it but the app answered {status}")
            continue
        if status in (401, 403):
            wrong.append(f"{where}: the table allows it but the app answered {status}")
        if principal.is_customer and isinstance(table, Action):
            wrong += _check_company_scope(client, rule, method, world, where, status)
    assert not wrong, "\n".join(wrong)


def _check_company_scope(
    client: FlaskClient, rule: Rule, method: str, world: World, where: str, own_status: int
) -> list[str]:
    """A customer's route reaches the own company's objects and never another company's."""
    params = [name for name in _path_args(rule) if name not in GENERIC_ARGS]
    missing = [name for name in params if name not in world.own]
    if missing:
        return [
            f"{where}: add sample objects for {missing} to _company_objects() in "
            "tests/portal/test_permissions.py (own and other company)"
        ]
    if not params:
        return []
    wrong = []
    if own_status >= 400:
        wrong.append(f"{where}: own company's object answered {own_status}")
    other = _call(client, method, _url(rule, world.other))
    if other.status_code != 404:
        wrong.append(f"{where}: another company's object answered {other.status_code}, not 404")
    return wrong


@pytest.mark.slow
def test_auditors_never_change_anything(client: FlaskClient, world: World) -> None:
    """Every write an auditor attempts is refused; only sign-in self-service is open."""
    login(client, world.users[Principal.AUDITOR])
    wrong = []
    for rule, method in _routes(client.application):
        if method not in WRITE_METHODS:
            continue
        table = permissions.rule_for(rule.endpoint, method)
        if table is PUBLIC or rule.endpoint in NOT_CALLED:
            continue  # sign-in, password reset, language: the auditor's own session only
        if isinstance(table, Token):
            assert table.action.writes and not permissions.allows(Principal.AUDITOR, table.action)
            continue
        resp = _call(client, method, _url(rule, world.own))
        if resp.status_code != 403:
            wrong.append(f"auditor {method} {rule.rule}: {resp.status_code}")
    assert not wrong, "\n".join(wrong)


def test_nav_shows_only_pages_the_role_may_open(client: FlaskClient, world: World) -> None:
    for principal in (Principal.SALES, Principal.AUDITOR, Principal.FINANCE):
        client.post("/logout")
        login(client, world.users[principal])
        landing = client.get("/")
        assert landing.status_code == 302
        page = client.get(landing.headers["Location"])
        assert page.status_code == 200, (principal, landing.headers["Location"])
        html = page.get_data(as_text=True)
        for href in set(re.findall(r'<a href="(/[^"]*)"', html)):
            if href.startswith(("/static", "/login")):
                continue
            assert client.get(href).status_code != 403, (principal, href)
