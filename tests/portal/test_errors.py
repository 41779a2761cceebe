"""One error root in the portal, answered by one handler (HTML pages, JSON for the API)."""

from __future__ import annotations

import importlib

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal import permissions
from portal.banking.errors import ConcurrentChange
from portal.errors import ConcordError
from portal.extensions import db
from portal.ledger.errors import OverApplied
from portal.models import Customer

#: the domains' own roots, each a ConcordError (module, class)
ROOTS = [
    ("portal.admin.service", "SettingsError"),
    ("portal.auth.service", "AuthError"),
    ("portal.backup.service", "BackupError"),
    ("portal.banking.errors", "BankingError"),
    ("portal.contracts.service", "ContractError"),
    ("portal.credit.limits", "CreditError"),
    ("portal.customers.service", "ContactError"),
    ("portal.disputes.service", "DisputeError"),
    ("portal.erp.conflicts", "ConflictError"),
    ("portal.erp.parsing", "ErpImportError"),
    ("portal.followups.cases", "CollectionError"),
    ("portal.followups.ladders", "SettingsError"),
    ("portal.followups.promises", "PromiseError"),
    ("portal.followups.service", "FollowUpError"),
    ("portal.jobs.queue", "JobError"),
    ("portal.ledger.errors", "LedgerError"),
    ("portal.models.base", "InvalidTransition"),
    ("portal.statements.service", "StatementServiceError"),
    ("portal.users.service", "AccountError"),
]


@pytest.mark.parametrize(("module", "name"), ROOTS)
def test_every_domain_error_root_is_a_concord_error(module: str, name: str) -> None:
    cls = getattr(importlib.import_module(module), name)
    assert issubclass(cls, ConcordError)
    assert 400 <= cls.status < 600


@pytest.fixture
def raising_app(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Flask:
    """Three throw-away routes that add a customer, then raise a domain error."""

    def add_customer_then(error: ConcordError) -> None:
        db.session.add(Customer(code="ROLLBACK-ME", name="Never stored", currency="CNY"))
        db.session.flush()
        raise error

    app.add_url_rule("/t/page", "t_page", lambda: add_customer_then(OverApplied("too much")))
    app.add_url_rule(
        "/t/form",
        "t_form",
        lambda: add_customer_then(ConcurrentChange("changed meanwhile")),
        methods=["POST"],
    )
    app.add_url_rule(
        "/api/t", "t_api", lambda: add_customer_then(ConcurrentChange("changed meanwhile"))
    )
    routes = dict(permissions.ROUTES)
    routes.update({"t_page": permissions.PUBLIC, "t_form": permissions.PUBLIC})
    routes["t_api"] = permissions.PUBLIC
    monkeypatch.setattr(permissions, "ROUTES", routes)
    return app


def _customers(session: Session) -> int:
    return (
        session.scalar(
            select(func.count()).select_from(Customer).where(Customer.code == "ROLLBACK-ME")
        )
        or 0
    )


def test_a_page_read_gets_the_error_page_with_the_status(
    raising_app: Flask, session: Session
) -> None:
    response = raising_app.test_client().get("/t/page")
    assert response.status_code == 400
    assert "too much" in response.get_data(as_text=True)
    assert _customers(session) == 0


def test_a_form_post_flashes_and_goes_back_to_the_page(
    raising_app: Flask, session: Session
) -> None:
    client = raising_app.test_client()
    response = client.post("/t/form", headers={"Referer": "http://localhost/banking/?page=2"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/banking/?page=2"
    with client.session_transaction() as flask_session:
        assert ("error", "changed meanwhile") in flask_session["_flashes"]
    assert _customers(session) == 0


def test_a_foreign_referrer_is_not_followed(raising_app: Flask) -> None:
    response = raising_app.test_client().post(
        "/t/form", headers={"Referer": "https://evil.example/phish"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_the_api_gets_json_with_the_status(raising_app: Flask, session: Session) -> None:
    response = raising_app.test_client().get("/api/t")
    assert response.status_code == 409
    assert response.get_json() == {"error": "changed meanwhile"}
    assert _customers(session) == 0
