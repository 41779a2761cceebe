"""Rows that book nothing (a written zero amount) and files that name no currency, in every
tabular export.

The layouts are those of SPDB's (浦发) account export, Bank of Communications' and ABC's card
exports as bean-sieve's providers build them (a zero in 支出 beside ``--`` in 收入 is skipped
there too), CIB's (兴业) account export and CITIC Bank International's CSV; names, accounts and
figures are our own.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from reconcile.model import ParseSettings
from reconcile.problems import Problem
from tests.reconcile.test_tabular_banks import _parse

D = dt.date


def _codes(warnings: list[str]) -> list[tuple[str, str]]:
    """Each warning's code and, for an entry left out, its reason's code and place."""
    out = []
    for w in warnings:
        assert isinstance(w, Problem)
        reason = w.params.get("reason")
        detail = reason.code if isinstance(reason, Problem) else ""
        out.append((w.code, f"{detail} {w.location}".strip()))
    return out


# --------------------------------------------------------------------------------------------
# a written zero amount: no money moved, the row is left out with a warning naming it

SPDB_ONE_AMOUNT = (
    "上海浦东发展银行 账户明细\n"
    "账号：98760078801234567,币种：人民币\n"
    "交易日期,摘要,交易金额,余额,对方户名,交易流水号\n"
    "20261103,货款,2345.60,12345.60,南京长江贸易有限公司,SPD0001\n"
    "20261104,免收手续费通知,0.00,12345.60,,SPD0002\n"
    "20261107,报销,-345.00,12000.60,张三,SPD0003\n"
)


def test_a_zero_in_the_amount_column_stays_an_entry_as_the_bank_lists_it() -> None:
    """A written 0.00 is one of the statement's lines, as the banks' and other readers' counts
    have it (ofxstatement's Revolut test counts a 0.00 card hold among its 7 lines); the portal
    leaves it out of the ledger with its own warning (``zero_amount``)."""
    txs, info = _parse(SPDB_ONE_AMOUNT.encode("gb18030"), "spdb.csv", ParseSettings())
    assert [(t.bank_ref, t.direction, t.amount, t.currency) for t in txs] == [
        ("SPD0001", "credit", Decimal("2345.60"), "CNY"),
        ("SPD0002", "credit", Decimal("0.00"), "CNY"),
        ("SPD0003", "debit", Decimal("345.00"), "CNY"),
    ]
    assert "warnings" not in info.raw


@pytest.mark.parametrize(
    ("debit", "credit"),
    [("0.00", "--"), ("0.00", "0.00"), ("--", "¥0.00"), ("", "0")],
)
def test_zeros_in_the_debit_and_credit_columns_are_no_amount(debit: str, credit: str) -> None:
    # BOCOM's card export: 支出金额/收入金额, the unused one "--"
    data = (
        "记账日期,交易地点,支出金额,收入金额,余额,对方户名,摘要\n"
        "2026-03-28,手机银行,19.15,--,186.45,测试商户A,网上支付\n"
        f"2026-03-29,批处理,{debit},{credit},186.45,,短信通知免费\n"
        "2026-03-30,手机银行,--,540.00,726.45,测试用户,转入\n"
    ).encode()
    txs, info = _parse(data, "交通银行_交易明细.csv", ParseSettings(default_currency="CNY"))
    assert [(t.booking_date, t.direction, t.amount) for t in txs] == [
        (D(2026, 3, 28), "debit", Decimal("19.15")),
        (D(2026, 3, 30), "credit", Decimal("540.00")),
    ]
    assert info.raw["skipped"] == ["row 3: no amount"]


# --------------------------------------------------------------------------------------------
# a file that names no currency anywhere: read in the default currency, and said so

CIB = (
    "兴业银行账户交易明细\n"
    "账号,117010100100123456\n"
    "交易日期,摘要,借方发生额,贷方发生额,账户余额,对方户名,对方账号\n"
    "2026-11-03,货款,,1000.00,5000.00,福州闽江贸易有限公司,35001234567\n"
    "2026-11-05,付款,200.00,,4800.00,张三,6222000011112222\n"
)


def test_cib_export_without_a_currency_takes_the_default_with_a_warning() -> None:
    txs, info = _parse(CIB.encode("gb18030"), "cib.csv", ParseSettings(default_currency="CNY"))
    assert [(t.direction, t.amount, t.currency) for t in txs] == [
        ("credit", Decimal("1000.00"), "CNY"),
        ("debit", Decimal("200.00"), "CNY"),
    ]
    (warning,) = info.raw["warnings"]
    assert (warning.code, warning.params) == ("currency_assumed", {"currency": "CNY"})
    assert str(warning) == (
        "the file names no currency: its amounts are read as CNY, the default currency"
    )


def test_cncbi_csv_read_in_hkd_says_it_assumed_hkd() -> None:
    data = (
        b"Post Date,Trans.Date,Description,Debit,Credit,Balance,\n"
        b'02/04/2030,02/04/2030,FPS INWARD - FICT3004021234567890 payee-a,,"500.00","10,500.00",\n'
        b'20/04/2030,20/04/2030,TRANSFER OUT,"100.00",,"10,400.00",\n'
    )
    txs, info = _parse(data, "CNCBI.csv", ParseSettings(default_currency="HKD"))
    assert [(t.amount, t.currency) for t in txs] == [
        (Decimal("500.00"), "HKD"),
        (Decimal("100.00"), "HKD"),
    ]
    assert [w.code for w in info.raw["warnings"]] == ["currency_assumed"]


def test_no_warning_when_the_file_names_its_currency() -> None:
    # the preamble's 币种, a currency column, or no default to assume: nothing assumed
    txs, info = _parse(
        SPDB_ONE_AMOUNT.encode("gb18030"), "spdb.csv", ParseSettings(default_currency="HKD")
    )
    assert {t.currency for t in txs} == {"CNY"}
    assert "warnings" not in info.raw
    with_column = "交易日期,摘要,交易金额,币种\n20261103,货款,10.00,USD\n".encode()
    txs, info = _parse(with_column, "x.csv", ParseSettings(default_currency="CNY"))
    assert [t.currency for t in txs] == ["USD"] and "warnings" not in info.raw
    txs, info = _parse(CIB.encode("gb18030"), "cib.csv", ParseSettings())
    assert {t.currency for t in txs} == {""}  # no default: each entry says it has none
    assert "warnings" not in info.raw
    assert all([w.code for w in t.warnings] == ["export_no_currency"] for t in txs)
