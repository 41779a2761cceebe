"""Regression tests for the helpers the parsers share."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from reconcile.model import Transaction
from reconcile.parsers._common import make_refs_unique


def _tx(ref: str) -> Transaction:
    return Transaction(
        bank_ref=ref,
        booking_date=dt.date(2026, 11, 3),
        amount=Decimal("1.00"),
        direction="credit",
        currency="CNY",
    )


def test_repeated_refs_get_suffixes_and_keep_the_original() -> None:
    txs = [_tx("A"), _tx("A"), _tx("B"), _tx("A")]
    make_refs_unique(txs)
    assert [t.bank_ref for t in txs] == ["A", "A#2", "B", "A#3"]
    assert txs[1].raw["bank_ref_repeated"] == "A"
    assert "bank_ref_repeated" not in txs[0].raw


def test_a_suffix_never_collides_with_a_reference_the_bank_wrote() -> None:
    txs = [_tx("REF"), _tx("REF"), _tx("REF#2")]
    make_refs_unique(txs)
    refs = [t.bank_ref for t in txs]
    assert len(set(refs)) == 3
    assert refs[2] == "REF#2"
    assert refs[1] == "REF#3"
