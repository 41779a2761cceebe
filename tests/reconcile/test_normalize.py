"""Amount, date and 大写 normalisation: examples from real receipts plus Hypothesis round trips."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reconcile.errors import ParseError
from reconcile.normalize import (
    AmountError,
    DateError,
    format_chinese_amount,
    infer_dayfirst,
    parse_amount,
    parse_chinese_amount,
    parse_date,
)

# Every amount a receipt can carry: 0.00 .. 999,999,999,999.99 in cents.
amounts = st.integers(min_value=0, max_value=99_999_999_999_999).map(
    lambda cents: Decimal(cents).scaleb(-2)
)
dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2099, 12, 31))
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


# ----------------------------------------------------------------------------- 大写 examples


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("壹万贰仟叁佰肆拾伍元陆角整", "12345.60"),
        ("人民币壹万贰仟叁佰肆拾伍元陆角整", "12345.60"),
        ("人民币（大写）：壹万贰仟叁佰肆拾伍圆陆角正", "12345.60"),
        ("壹万零伍元整", "10005.00"),
        ("壹仟零伍拾元整", "1050.00"),
        ("壹拾元整", "10.00"),
        ("拾元整", "10.00"),
        ("壹元零伍分", "1.05"),
        ("零元伍分", "0.05"),
        ("伍分", "0.05"),
        ("伍角整", "0.50"),
        ("伍角零分", "0.50"),
        ("壹角贰分", "0.12"),
        ("零元整", "0.00"),
        ("壹亿元整", "100000000.00"),
        ("壹亿零伍元整", "100000005.00"),
        ("壹亿贰仟万元整", "120000000.00"),
        ("叁亿零肆佰万零陆元柒角捌分", "304000006.78"),
        ("玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分", "999999999999.99"),
        ("壹 万 贰 仟 元 整", "12000.00"),
    ],
)
def test_parse_chinese_amount_examples(text: str, expected: str) -> None:
    assert parse_chinese_amount(text) == Decimal(expected)


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("12345.60", "壹万贰仟叁佰肆拾伍元陆角整"),
        ("0", "零元整"),
        ("0.05", "伍分"),
        ("0.50", "伍角整"),
        ("1.05", "壹元零伍分"),
        ("10", "壹拾元整"),
        ("10005", "壹万零伍元整"),
        ("100000005", "壹亿零伍元整"),
        ("10100000", "壹仟零壹拾万元整"),
        ("1001000", "壹佰万壹仟元整"),
        ("304000006.78", "叁亿零肆佰万零陆元柒角捌分"),
    ],
)
def test_format_chinese_amount_examples(amount: str, expected: str) -> None:
    assert format_chinese_amount(Decimal(amount)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "人民币",
        "壹贰元整",
        "贰佰仟元",
        "佰元整",
        "壹万万元",
        "壹元伍",
        "伍角伍角",
        "壹元ABC",
        "零万元",
    ],
)
def test_parse_chinese_amount_rejects_malformed(text: str) -> None:
    with pytest.raises(AmountError):
        parse_chinese_amount(text)


@pytest.mark.parametrize("amount", ["-1", "1.005", "1000000000000"])
def test_format_chinese_amount_rejects_unwritable(amount: str) -> None:
    with pytest.raises(AmountError):
        format_chinese_amount(Decimal(amount))


@given(amounts)
def test_chinese_amount_round_trip(amount: Decimal) -> None:
    text = format_chinese_amount(amount)
    assert parse_chinese_amount(text) == amount
    assert parse_chinese_amount("人民币" + text) == amount


# ----------------------------------------------------------------------------- figures


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("¥12,345.60", "12345.60"),
        ("￥12,345.60", "12345.60"),
        ("CNY 12,345.60", "12345.60"),
        ("RMB12345.6", "12345.6"),
        ("人民币12,345.60元", "12345.60"),
        ("USD 1,000,000.00", "1000000.00"),
        ("EUR 1.234.567,89", "1234567.89"),
        ("1 234,56 €", "1234.56"),
        ("1'234.50", "1234.50"),
        ("1,234", "1234"),
        ("0,5", "0.5"),
        ("-1,234.00", "-1234.00"),
        ("1,234.00-", "-1234.00"),
        ("(1,234.00)", "-1234.00"),
        ("1,234.00 DR", "-1234.00"),
        ("1,234.00 CR", "1234.00"),
        ("+5", "5"),
        ("１２，３４５．６０", "12345.60"),
    ],
)
def test_parse_amount_examples(text: str, expected: str) -> None:
    assert parse_amount(text) == Decimal(expected)


def test_parse_amount_decimal_comma_setting() -> None:
    assert parse_amount("1,234", decimal_comma=True) == Decimal("1.234")
    assert parse_amount("1.234", decimal_comma=True) == Decimal("1234")
    assert parse_amount("1.234,5", decimal_comma=True) == Decimal("1234.5")
    with pytest.raises(AmountError):
        parse_amount("1.234,56", decimal_comma=False)


@pytest.mark.parametrize(
    "text", ["", "abc", "12a", "12,3,456.00", "1.2.3", "--5", "¥", "1,234.56.78", "12 34"]
)
def test_parse_amount_rejects_garbage(text: str) -> None:
    with pytest.raises(AmountError) as info:
        parse_amount(text)
    assert isinstance(info.value, ParseError) and isinstance(info.value, ValueError)


def _group(digits: str, sep: str) -> str:
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return sep.join(parts)


@given(
    amounts,
    st.sampled_from(["", "¥", "￥", "CNY ", "RMB", "USD ", "EUR ", "$"]),
    st.sampled_from(["", " CNY", " 元", " EUR"]),
    st.sampled_from(
        [(",", ".", False), ("", ".", False), (".", ",", True), (" ", ",", True), ("'", ".", False)]
    ),
    st.booleans(),
)
def test_amount_with_separators_round_trip(
    amount: Decimal,
    prefix: str,
    suffix: str,
    separators: tuple[str, str, bool],
    negative: bool,
) -> None:
    thousands, decimal, decimal_comma = separators
    whole, frac = f"{amount:.2f}".split(".")
    text = f"{prefix}{_group(whole, thousands)}{decimal}{frac}{suffix}"
    if negative:
        text = f"-{text}"
    expected = -amount if negative else amount
    assert parse_amount(text, decimal_comma=decimal_comma) == expected
    # with two decimals the separator is always recognisable without the setting
    assert parse_amount(text) == expected


# ----------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026年11月03日", dt.date(2026, 11, 3)),
        ("2026年11月3日", dt.date(2026, 11, 3)),
        ("2026 年 1 月 9 日", dt.date(2026, 1, 9)),
        ("2026-11-03", dt.date(2026, 11, 3)),
        ("2026/11/03", dt.date(2026, 11, 3)),
        ("2026.11.03", dt.date(2026, 11, 3)),
        ("20261103", dt.date(2026, 11, 3)),
        ("03 Nov 2026", dt.date(2026, 11, 3)),
        ("3 November 2026", dt.date(2026, 11, 3)),
        ("03-NOV-26", dt.date(2026, 11, 3)),
        ("03NOV2026", dt.date(2026, 11, 3)),
        ("Nov 3, 2026", dt.date(2026, 11, 3)),
        ("2026-Nov-03", dt.date(2026, 11, 3)),
        ("13/11/2026", dt.date(2026, 11, 13)),
        ("11/13/2026", dt.date(2026, 11, 13)),
        ("2026-11-03 14:22:05", dt.date(2026, 11, 3)),
        ("2026-11-03T14:22:05+08:00", dt.date(2026, 11, 3)),
        ("2026年11月03日 14:22", dt.date(2026, 11, 3)),
        ("2026-07-01-04.40.28.695730", dt.date(2026, 7, 1)),  # ICBC 时间戳
        ("2026-11-0314:22:05", dt.date(2026, 11, 3)),  # the time run into the date
        ("20261103142205", dt.date(2026, 11, 3)),  # a compact timestamp on receipts
        ("202611031422", dt.date(2026, 11, 3)),
    ],
)
def test_parse_date_examples(text: str, expected: dt.date) -> None:
    assert parse_date(text) == expected


def test_parse_date_ambiguous_follows_setting() -> None:
    assert parse_date("03/11/2026", dayfirst=True) == dt.date(2026, 11, 3)
    assert parse_date("03/11/2026", dayfirst=False) == dt.date(2026, 3, 11)
    assert parse_date("03.11.2026") == dt.date(2026, 11, 3)
    # an unambiguous date ignores a contradicting setting rather than failing
    assert parse_date("13/11/2026", dayfirst=False) == dt.date(2026, 11, 13)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2026-13-01",
        "2026-02-30",
        "31/31/2026",
        "yesterday",
        "03 Foo 2026",
        "2026",
        "20261103992205",  # no time of day: a number, not a timestamp
        "2026110314220",
        "12345678901234",
    ],
)
def test_parse_date_rejects_invalid(text: str) -> None:
    with pytest.raises(DateError):
        parse_date(text)


FORMATS = {
    "chinese": lambda d: f"{d.year}年{d.month:02d}月{d.day:02d}日",
    "chinese_short": lambda d: f"{d.year}年{d.month}月{d.day}日",
    "iso": lambda d: d.isoformat(),
    "slash_ymd": lambda d: f"{d.year}/{d.month:02d}/{d.day:02d}",
    "compact": lambda d: f"{d:%Y%m%d}",
    "d_mon_y": lambda d: f"{d.day:02d} {MONTHS[d.month - 1]} {d.year}",
    "d_mon_y_dash": lambda d: f"{d.day}-{MONTHS[d.month - 1].upper()}-{d.year}",
    "mon_d_y": lambda d: f"{MONTHS[d.month - 1]} {d.day}, {d.year}",
}


@given(dates, st.sampled_from(sorted(FORMATS)))
def test_date_round_trip_unambiguous_formats(date: dt.date, name: str) -> None:
    assert parse_date(FORMATS[name](date)) == date


@given(dates, st.sampled_from(["/", ".", "-"]), st.booleans())
def test_date_round_trip_numeric_with_setting(date: dt.date, sep: str, dayfirst: bool) -> None:
    first, second = (date.day, date.month) if dayfirst else (date.month, date.day)
    text = f"{first:02d}{sep}{second:02d}{sep}{date.year}"
    assert parse_date(text, dayfirst=dayfirst) == date


@given(st.lists(dates, min_size=1, max_size=20), st.booleans())
def test_infer_dayfirst_from_samples(sample_dates: list[dt.date], dayfirst: bool) -> None:
    def fmt(d: dt.date) -> str:
        return f"{d.day:02d}/{d.month:02d}/{d.year}" if dayfirst else f"{d:%m/%d/%Y}"

    texts = [fmt(d) for d in sample_dates]
    inferred = infer_dayfirst(texts)
    settled = any(d.day > 12 for d in sample_dates)
    assert inferred == (dayfirst if settled else None)
    if inferred is not None:
        assert [parse_date(t, dayfirst=inferred) for t in texts] == sample_dates


def test_infer_dayfirst_examples() -> None:
    assert infer_dayfirst(["03/11/2026", "25/11/2026"]) is True
    assert infer_dayfirst(["03/11/2026", "11/25/2026"]) is False
    assert infer_dayfirst(["03/11/2026", "04/11/2026"]) is None
    assert infer_dayfirst(["25/11/2026", "11/25/2026"]) is None  # contradictory file
    assert infer_dayfirst(["2026-11-25", "not a date", "2026年11月25日"]) is None
