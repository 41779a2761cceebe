"""PostgreSQL: a request that lost a race on a unique key runs again and answers, not a 500.

Two web processes create the same thing at the same moment (the same customer code, user
email, invoice number): both checked that it did not exist yet, both insert, and the one that
commits second fails on the unique constraint. Run again, its check now sees the row and it
answers as for any existing one.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from portal import permissions
from portal.extensions import db
from portal.models import Customer
from tests.conftest import worker_app


def _app(url: str, instance: Path, both_checked: threading.Barrier) -> Flask:
    app = worker_app(url, instance, WTF_CSRF_ENABLED=False)
    attempts = {"n": 0}

    def create() -> tuple[str, int]:
        session = db.session()
        attempts["n"] += 1
        if session.scalar(select(Customer).where(Customer.code == "RACE-1")) is not None:
            return "exists", 409
        if attempts["n"] == 1:
            both_checked.wait(10)  # the other process has checked too: both will insert
        session.add(Customer(code="RACE-1", name="Race Co"))
        session.flush()
        return "created", 201

    app.add_url_rule("/_create", "create", create, methods=["POST"])
    app.config["ATTEMPTS"] = attempts
    return app


def test_the_second_of_two_requests_creating_one_row_is_answered(
    scratch_pg: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(permissions.ROUTES, "create", permissions.PUBLIC)
    url = scratch_pg.url.render_as_string(hide_password=False)
    both_checked = threading.Barrier(2)
    apps = [_app(url, tmp_path / f"web{i}", both_checked) for i in (1, 2)]
    answers: list[tuple[int, str]] = []

    def post(app: Flask) -> None:
        response = app.test_client().post("/_create")
        answers.append((response.status_code, response.get_data(as_text=True)))

    threads = [threading.Thread(target=post, args=(app,)) for app in apps]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(answers) == [(201, "created"), (409, "exists")]
    # the loser ran twice: its first attempt lost on the unique key, the second saw the row
    assert sorted(app.config["ATTEMPTS"]["n"] for app in apps) == [1, 2]
    with apps[0].app_context():
        assert db.session().scalar(select(func.count()).select_from(Customer)) == 1
        db.session.remove()
    for app in apps:
        app.extensions["concord.db"]["engine"].dispose()
