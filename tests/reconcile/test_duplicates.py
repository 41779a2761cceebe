"""The same payment in two files, told apart from two equal payments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from reconcile.duplicates import Sighting, pair_duplicates, same_payment, sighting_kind


def _s(day: int, **kw: object) -> Sighting:
    base: dict[str, object] = {
        "direction": "credit",
        "amount": Decimal("5001.00"),
        "currency": "CNY",
        "booking_date": dt.date(2026, 11, day),
        "our_account": "4567 8901 2345",
        "party_account": "3305 0161 2345 0000 1",
        "party_name": "杭州远景贸易有限公司",
    }
    base.update(kw)
    return Sighting(**base)  # type: ignore[arg-type]


def test_receipt_and_statement_line_are_one_payment() -> None:
    receipt = _s(11, kind="receipt", bank_ref="BOC1", our_account="")
    line = _s(12, bank_ref="HX99", party_name="杭州远景贸易")
    assert same_payment(receipt, line)
    assert not same_payment(receipt, _s(16, bank_ref="HX99"))  # too far apart
    assert not same_payment(receipt, _s(12, amount=Decimal("5000.00")))
    assert not same_payment(receipt, _s(12, party_account="6222000011112222"))


def test_two_statement_lines_with_their_own_references_stay_two() -> None:
    assert not same_payment(_s(12, bank_ref="A1"), _s(12, bank_ref="A2"))
    assert same_payment(_s(12, bank_ref=None), _s(12, bank_ref="A2"))


def test_each_earlier_entry_stands_for_one_new_entry() -> None:
    receipts = [_s(11, kind="receipt", bank_ref="R1")]
    lines = [_s(12, bank_ref="L1"), _s(12, bank_ref="L2")]
    assert pair_duplicates(lines, receipts) == {0: 0}


def test_a_row_of_a_pdf_statement_is_a_statement_line_not_a_receipt() -> None:
    """A receipt and the PDF statement's row of the same payment carry references of their own
    (回单编号, 流水号): still one payment, as with a CSV statement."""
    assert sighting_kind("r.pdf#page=2/1") == "receipt"
    assert sighting_kind("s.pdf#page=2/row=7") == "statement"
    assert sighting_kind("s.csv#row=7") == "statement"
    receipt = _s(11, kind="receipt", bank_ref="HD2026110100001")
    row = _s(12, kind=sighting_kind("s.pdf#page=1/row=3"), bank_ref="F0312345")
    assert same_payment(receipt, row)
