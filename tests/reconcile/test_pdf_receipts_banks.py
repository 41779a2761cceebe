"""Receipts of banks the parser was not written against (layouts learned from public parsers)."""

from __future__ import annotations

import datetime as dt

import pytest

from bench.generators import receipts_banks as banks
from bench.generators.receipts_alt import _Sheet
from reconcile.api import parse_bytes
from reconcile.model import ParseSettings, Transaction
from reconcile.parsers.pdf_labels import (
    direction_from_amount_label,
    direction_from_kind,
    direction_from_words,
)
from reconcile.parsers.pdf_layout import drop_overprints, page_regions
from tests.reconcile.test_pdf_receipts_alt import FIELDS, _word

PARAMS = [(v, i) for v in banks.VARIANTS for i in banks.cases(v)]


def _parse(data: bytes, name: str, settings: ParseSettings) -> list[Transaction]:
    results = parse_bytes(data, name, settings)
    assert len(results) == 1
    assert results[0].error is None, results[0].error
    return results[0].transactions


@pytest.mark.parametrize(("variant", "index"), PARAMS)
def test_bank_receipt_parses_every_field(variant: str, index: int) -> None:
    generated = banks.generate(variant, index)
    got = _parse(generated.data, f"{variant}.pdf", generated.settings)
    assert len(got) == len(generated.expected), [t.source for t in got]
    for k, (tx, expected) in enumerate(zip(got, generated.expected, strict=True), start=1):
        assert {f: getattr(tx, f) for f in FIELDS} == {f: getattr(expected, f) for f in FIELDS}
        assert tx.warnings == []
        assert tx.source == f"{variant}.pdf#page=1/{k}"


# receipts whose own words (借贷标志, 收款回单, 回单类型：汇划付款, 支出金额, Credit Advice) say
# which way the money went; 华夏's 转账业务回单, 建设银行's 电子回执 and 上海银行's do not
_STATES_DIRECTION = (
    "bocom_columns",
    "cib_titles",
    "nbcb_remarks",
    "cmbc_marks",
    "counterparty",
    "en_remittance",
    "psbc_grid",
    "en_account",
)


@pytest.mark.parametrize(
    ("variant", "index"), [(v, i) for v, i in PARAMS if v in _STATES_DIRECTION]
)
def test_direction_from_the_receipts_own_words(variant: str, index: int) -> None:
    # no own accounts or names: the direction can only come from what the receipt prints
    generated = banks.generate(variant, index)
    got = _parse(generated.data, f"{variant}.pdf", ParseSettings())
    for tx, expected in zip(got, generated.expected, strict=True):
        assert (tx.direction, tx.payer_name, tx.payee_name) == (
            expected.direction,
            expected.payer_name,
            expected.payee_name,
        )
        assert [w.code for w in tx.warnings] == ["pdf_neither_own_words"]


def _fields(words: list[dict[str, object]]) -> dict[str, str]:
    (region,) = page_regions(words)
    return {e.field: e.value for e in region.entries}


def test_old_form_of_account_is_a_label() -> None:
    words = [_word("付款人帐号：6222 0001", 50, 100), _word("收款人帐号：1234", 300, 100)]
    fields = _fields([*words, _word("金额：1.00", 50, 130)])
    assert fields["payer_account"] == "6222 0001"
    assert fields["payee_account"] == "1234"


def test_currency_before_the_amount_label_goes_to_the_value() -> None:
    fields = _fields([_word("CNY金额：1,234.50", 50, 100), _word("付款人名称：甲", 50, 130)])
    assert fields["amount"] == "CNY 1,234.50"
    fields = _fields([_word("人民币金额：8.00", 50, 100), _word("付款人名称：甲", 50, 130)])
    assert fields["amount"] == "人民币 8.00"


def test_a_colon_in_its_own_column_is_not_part_of_the_value() -> None:
    words = [
        _word("Advice Date", 50, 100),
        _word(":", 200, 100),
        _word("03 Nov 2026", 215, 100),
        _word("Remitter Name", 50, 120),
        _word(": Globex", 200, 120),
    ]
    fields = _fields(words)
    assert fields["booking_date"] == "03 Nov 2026"
    assert fields["payer_name"] == "Globex"


def test_kind_of_business_cell_states_the_direction() -> None:
    assert direction_from_kind("汇划收款") == "credit"
    assert direction_from_kind("付款回单") == "debit"
    assert direction_from_kind("跨行转账") is None
    assert direction_from_kind("收付款") is None
    # the footer many receipts print says nothing about this receipt's direction
    assert direction_from_words("本回单不作为收款方发货依据") is None
    assert direction_from_words("业务回单(付款)") == "debit"


def _receipt_pdf(lines: list[str]) -> bytes:
    sheet = _Sheet()
    for k, text in enumerate(lines):
        sheet.text(60, 60 + 24 * k, text, 10)
    return sheet.done()


def test_sides_without_a_direction_assume_the_other_side_paid() -> None:
    data = _receipt_pdf(
        [
            "交易回单",
            "本方账号：100123",
            "本方户名：上海协和贸易有限公司",
            "对方账号：200456",
            "对方户名：北京华信科技有限公司",
            "交易金额：CNY 50.00",
            "交易日期：2026-11-03",
            "交易流水号：R1",
        ]
    )
    (tx,) = _parse(data, "sides.pdf", ParseSettings(own_accounts=("100123",)))
    assert (tx.direction, tx.payer_account, tx.payee_account) == ("credit", "200456", "100123")
    assert [w.code for w in tx.warnings] == ["pdf_sides_no_direction"]


def test_an_unlabelled_date_is_taken_only_when_it_is_the_only_one() -> None:
    lines = ["电子回单", "2026年11月03日", "付款人名称：甲公司", "金额：5.00", "流水号：R2"]
    (tx,) = _parse(_receipt_pdf(lines), "one.pdf", ParseSettings())
    assert tx.booking_date == dt.date(2026, 11, 3)
    two = _receipt_pdf([*lines[:2], "2026年11月04日", *lines[2:]])
    results = parse_bytes(two, "two.pdf", ParseSettings())
    assert results[0].error is not None
    assert "no date" in str(results[0].error)


def test_a_long_label_run_into_the_previous_value_starts_a_field() -> None:
    words = [_word("付款人名称：甲公司收款人名称：乙公司", 50, 100, 8)]
    words += [_word("金额（小写）：1.00金额（大写）：壹元整", 50, 120, 8)]
    fields = _fields(words)
    assert (fields["payer_name"], fields["payee_name"]) == ("甲公司", "乙公司")
    assert (fields["amount"], fields["amount_words"]) == ("1.00", "壹元整")
    # a short label (名称) inside a value is part of the value
    assert (
        _fields([_word("付款人名称：某某名称：甲", 50, 100), _word("金额：1", 50, 130)])[
            "payer_name"
        ]
        == "某某名称:甲"
    )


def test_the_amount_label_may_name_the_direction() -> None:
    assert direction_from_amount_label("收入金额（小写）") == "credit"
    assert direction_from_amount_label("支出金额(小写)") == "debit"
    assert direction_from_amount_label("Amount Debited") == "debit"
    assert direction_from_amount_label("交易金额") is None
    # HSBC's payment advice to the beneficiary prints the remitter's Debit amount
    assert direction_from_amount_label("Debit amount") is None


def test_an_advice_naming_the_other_party_makes_our_account_the_other_side() -> None:
    data = _receipt_pdf(
        [
            "Advice",
            "Account Name: Concord Trading",
            "Account Number: 100123",
            "Beneficiary Name: Northwind",
            "Beneficiary Account: 200456",
            "Amount: USD 5.00",
            "Value Date: 2026-11-03",
            "Bank Reference: R3",
        ]
    )
    (tx,) = _parse(data, "advice.pdf", ParseSettings(own_accounts=("100123",)))
    assert (tx.direction, tx.payer_name, tx.payer_account) == ("debit", "Concord Trading", "100123")
    assert (tx.payee_name, tx.payee_account) == ("Northwind", "200456")
    assert tx.warnings == []


def _char(text: str, x0: float, top: float) -> dict[str, object]:
    return {"text": text, "x0": x0, "x1": x0 + 9, "top": top, "bottom": top + 9}


def test_characters_printed_twice_for_bold_are_read_once() -> None:
    twice = [_char(ch, 50 + 9 * k + dx, 100) for dx in (0, 0.35) for k, ch in enumerate("付款人")]
    kept = drop_overprints(twice)
    assert "".join(str(c["text"]) for c in kept) == "付款人"
    # the same letter twice, a character apart, is two letters (the ll of "still")
    assert len(drop_overprints([_char("l", 50, 100), _char("l", 53, 100)])) == 2


def test_a_chinese_label_run_into_its_figures() -> None:
    fields = _fields([_word("交易日期2026-11-03", 50, 100), _word("发生额12.50", 50, 120)])
    assert (fields["booking_date"], fields["amount"]) == ("2026-11-03", "12.50")
    # an English word run into figures is not taken apart
    assert _fields([_word("Amount USD5.00", 50, 100), _word("Payer: X", 50, 120)])["amount"] == (
        "USD5.00"
    )


def test_values_set_a_little_above_their_labels_stay_with_them() -> None:
    # 交通银行: each value's baseline 6 points above its label's, the two lines overlap
    words = [
        _word("付款人名称：", 50, 100, 9),
        _word("甲公司", 110, 94, 9),
        _word("收款人名称：", 300, 100, 9),
        _word("乙公司", 360, 94, 9),
        _word("金额：", 50, 120, 9),
        _word("5.00", 80, 114, 9),
    ]
    fields = _fields(words)
    assert (fields["payer_name"], fields["payee_name"], fields["amount"]) == (
        "甲公司",
        "乙公司",
        "5.00",
    )
    # a line that does not overlap the labels' line is its own line
    words = [
        _word("甲公司", 110, 85, 9),
        _word("付款人名称：", 50, 100, 9),
        _word("金额：5", 50, 120),
    ]
    assert _fields(words)["payer_name"] == ""
