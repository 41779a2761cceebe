"""Fixtures of the portal tests that drive a browser (``test_browser_*.py``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.portal.browser_helpers import chromium


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless chromium, one per test module (each module skips itself without chromium)."""
    with chromium() as launched:
        yield launched
