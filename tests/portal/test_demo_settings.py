"""A production instance that still carries the demo business's name and address says so."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy.orm import Session

from portal.config import DEFAULTS
from tests.factories import DEFAULT_PASSWORD, make_user

HTTPS = "https://localhost"  # production cookies are Secure: the browser sends them over HTTPS


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"ENV_NAME": "production"}


def _page_as(app: Flask, session: Session, role: str) -> str:
    user = make_user(session, role, language="en")
    client = app.test_client()
    signed_in = client.post(
        "/login", data={"email": user.email, "password": DEFAULT_PASSWORD}, base_url=HTTPS
    )
    assert signed_in.status_code == 302
    return client.get("/", base_url=HTTPS, follow_redirects=True).get_data(as_text=True)


def test_staff_see_that_the_company_is_still_the_demo_business(app: Flask, session: Session):
    page = _page_as(app, session, "finance")
    assert "still prints the demo business as your company" in page
    assert "CONCORD_COMPANY_NAME, CONCORD_COMPANY_ADDRESS" in page


def test_customers_are_not_told_about_the_server(app: Flask, session: Session):
    assert "demo business" not in _page_as(app, session, "customer")


def test_a_company_of_its_own_silences_the_warning(app: Flask, session: Session):
    app.config["COMPANY_NAME"] = "Example Trading Co., Ltd. / 示例贸易有限公司"
    assert "(CONCORD_COMPANY_ADDRESS)" in _page_as(app, session, "admin")
    app.config["COMPANY_ADDRESS"] = "1 Example Road, Shanghai"
    assert "demo business" not in _page_as(app, session, "admin")
    app.config["COMPANY_NAME"] = DEFAULTS["COMPANY_NAME"]
    assert "(CONCORD_COMPANY_NAME)" in _page_as(app, session, "admin")


def test_make_serve_warns_on_the_console(app: Flask, runner: FlaskCliRunner):
    result = runner.invoke(args=["users", "first-admin-hint"])
    assert result.exit_code == 0
    assert "CONCORD_COMPANY_NAME, CONCORD_COMPANY_ADDRESS still at the demo" in result.output
    app.config["ENV_NAME"] = "development"  # the demo business is what `make run` shows
    assert "demo" not in runner.invoke(args=["users", "first-admin-hint"]).output
