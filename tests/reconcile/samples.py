"""Real bank files kept with the tests (``data/bankfiles``), read as the upload reads them."""

from __future__ import annotations

from pathlib import Path

from reconcile.api import ParseResult, parse_bytes
from reconcile.model import ParseSettings

DATA = Path(__file__).parent / "data" / "bankfiles"


def read_sample(name: str, fmt: str | None = None) -> ParseResult:
    """Parse the sample ``name``; it must read without an error (and as ``fmt`` if given)."""
    (result,) = parse_bytes((DATA / name).read_bytes(), name, ParseSettings())
    assert result.error is None, result.error
    assert fmt is None or result.format == fmt, result.format
    return result
