"""PDF receipts drawn independently of the parser's own generator, parsed back field by field."""

from __future__ import annotations

import pytest

from bench.generators import receipts_alt as alt
from reconcile.api import parse_bytes
from reconcile.model import ParseSettings, Transaction
from reconcile.parsers.pdf_layout import page_regions

FIELDS = (
    "bank_ref",
    "booking_date",
    "value_date",
    "amount",
    "currency",
    "direction",
    "payer_name",
    "payer_account",
    "payer_bank",
    "payee_name",
    "payee_account",
    "reference",
    "our_account",
)

PARAMS = [(v, i) for v in alt.VARIANTS for i in alt.cases(v)]


def _parse(generated: alt.AltPdf) -> list[Transaction]:
    results = parse_bytes(generated.data, f"{generated.variant}.pdf", generated.settings)
    assert len(results) == 1
    assert results[0].error is None, results[0].error
    return results[0].transactions


def _parse_one(generated: alt.AltPdf) -> Transaction:
    (transaction,) = _parse(generated)
    return transaction


@pytest.mark.parametrize(("variant", "index"), PARAMS)
def test_alt_receipt_parses_every_field(variant: str, index: int) -> None:
    generated = alt.generate(variant, index)
    got = _parse(generated)
    assert len(got) == len(generated.expected), [t.source for t in got]
    for k, (tx, expected) in enumerate(zip(got, generated.expected, strict=True), start=1):
        assert {f: getattr(tx, f) for f in FIELDS} == {f: getattr(expected, f) for f in FIELDS}
        assert tx.warnings == []
        assert tx.source == f"{variant}.pdf#page=1/{k}"


def test_print_time_is_not_the_booking_date() -> None:
    generated = alt.generate("boxed_rows", 0)
    got = _parse_one(generated)
    assert got.booking_date == generated.expected[0].booking_date
    assert any("打印时间" in key for key in got.raw)


def test_direction_follows_own_settings_not_layout() -> None:
    # the same receipt with no own accounts or names: its direction can no longer be known
    generated = alt.generate("stacked", 1)
    results = parse_bytes(generated.data, "stacked.pdf", ParseSettings())
    (tx,) = results[0].transactions
    assert any("neither payer nor payee" in w for w in tx.warnings)


def _word(text: str, x0: float, top: float, size: float = 10.0) -> dict[str, object]:
    width = size * len(text)
    return {"text": text, "x0": x0, "x1": x0 + width, "top": top, "bottom": top + size}


def test_wide_letter_spacing_joins_only_label_characters() -> None:
    # 金　　额 leaves two character widths between its characters; 王　　五 (a value, not a
    # label) with the same spacing must stay two cells
    words = [
        _word("金", 50, 100),
        _word("额", 80, 100),
        _word("¥12.00", 150, 100),
        _word("收款人", 50, 130),
        _word("王", 150, 130),
        _word("五", 180, 130),
    ]
    (region,) = page_regions(words)
    entries = {e.field: (e.label, e.value) for e in region.entries}
    assert entries["amount"] == ("金额", "¥12.00")
    assert entries["payee_name"] == ("收款人", "王 五")


def test_seal_words_are_not_values() -> None:
    words = [
        _word("用途：货款", 50, 100),
        _word("电子回单专用章", 300, 101),
        _word("金额：¥1.00", 50, 130),
        _word("付款人：甲公司", 50, 160),
    ]
    (region,) = page_regions(words)
    assert {e.field: e.value for e in region.entries}["reference"] == "货款"
