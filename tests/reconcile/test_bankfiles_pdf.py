"""PDF receipts with combined labels (``付款人/汇款人``, ``Payer/Remitter``) and three receipts on a
page. The fixture is drawn by ``data/bankfiles/src/make_slash_pdf.py``; values checked by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from reconcile.api import parse_bytes
from reconcile.model import ParseSettings
from reconcile.parsers.pdf_labels import field_of

DATA = Path(__file__).parent / "data" / "bankfiles"


def test_combined_labels_name_their_field() -> None:
    assert field_of("付款人/汇款人") == "payer_name"
    assert field_of("Payer/Remitter") == "payer_name"
    assert field_of("Payer A/C/付款账号") == "payer_account"
    assert field_of("Amount/金额") == "amount"
    assert field_of("Reference No./流水号") == "bank_ref"
    assert field_of("杭州/上海") is None


def test_three_receipts_with_slash_labels_on_one_page() -> None:
    name = "pdf_slash_labels_three_per_page.pdf"
    settings = ParseSettings(own_accounts=("456789012345",))
    (result,) = parse_bytes((DATA / name).read_bytes(), name, settings)
    assert result.error is None, result.error
    first, second, third = result.transactions
    assert first.payer_name == "杭州远景1号贸易有限公司"
    assert first.payer_account == "33050161234500001"
    assert first.reference == "INV-2026-0110 货款"
    assert first.amount == Decimal("5001.00") and first.currency == "CNY"
    assert first.booking_date == dt.date(2026, 11, 11)
    assert first.direction == "credit"
    assert second.bank_ref == "BOC20261112002" and second.payer_name == "杭州远景2号贸易有限公司"
    assert third.payer_name == "GLOBAL SOURCING 3 LIMITED"
    assert third.payer_account == "01234567893"
    assert third.reference == "INV-HK-2230"
    assert third.amount == Decimal("1233.00") and third.currency == "HKD"
    assert third.bank_ref == "HKREF003"
    assert [t.source for t in result.transactions] == [f"{name}#page=1/{k}" for k in (1, 2, 3)]
