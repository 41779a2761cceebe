"""Fixtures shared by the portal tests: a browser (``test_browser_*.py``) and one PKI."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from portal.config import DEFAULTS
from portal.statements.service import pki_organisation
from statements.pki import ConcordPKI
from tests.portal.browser_helpers import chromium


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless chromium, one per test module (each module skips itself without chromium)."""
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="session")
def pki_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One PKI for the run, copied into each test's instance (key generation is slow)."""
    path = tmp_path_factory.mktemp("portal-pki") / "pki"
    company = DEFAULTS["COMPANY_NAME"]
    ConcordPKI(
        path, "test-passphrase", company_name=company, organisation=pki_organisation(company)
    ).ensure()
    return path
