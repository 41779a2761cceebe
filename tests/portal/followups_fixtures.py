"""Fixtures shared by the collections tests: finance's clerk and one English-speaking buyer.

Registered for the whole suite in ``tests/conftest.py`` (``pytest_plugins``); a module that
defines a fixture of the same name uses its own.
"""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from portal.models import Customer, User
from tests.factories import make_customer, make_user


@pytest.fixture
def finance(session: Session) -> User:
    return make_user(session, "finance", name="Fiona Finance", language="en")


@pytest.fixture
def buyer(session: Session) -> Customer:
    return make_customer(
        session, code="BUY01", phone="13800000000", language="en", email="ap@buyer.test"
    )
