"""Summaries packed as ``|label:value|...|`` (Bank of Communications' online payments).

The layout is BOCOM's debit card XLS as bean-sieve's ``bocom_debit`` provider tests it (its
``test_structured_summary_description`` reads 交易说明 out of the packed 摘要 and the order
number from 订单编号 or 流水号); names and numbers are our own.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from reconcile.model import ParseSettings
from reconcile.parsers.tabular_summary import unpack_summary
from tests.reconcile.test_tabular_banks import _parse
from tests.reconcile.test_tabular_cn_flags import _table, _xls

HEADER = ["记账日期", "交易时间", "交易地点", "交易方式", "支出金额", "收入金额", "余额",
          "对方户名", "对方账户", "对方开户行", "摘要"]  # fmt: skip
PACKED = (
    "|交易类型:快捷支付|交易说明:生活服务消费|交易商户:测试商户甲|订单编号:0226b825010591|"
    "流水号:0226b825010591|交易渠道:支付宝|"
)


def test_bocom_packed_summary_reads_as_its_description() -> None:
    body: list[list[object]] = [
        ["2026-02-26", "2026-02-26 19:12:49", "测试商户甲", "网上支付", "19.15", "--", "186.45",
         "支付宝-消费", "", "", PACKED],
        ["2026-02-27", "2026-02-27 09:00:00", "手机银行", "转账", "100.00", "--", "86.45",
         "张三", "6222000011112222", "", "|交易类型:转账|流水号:ABC123456|"],
        ["2026-03-01", "2026-03-01 10:00:00", "微信支付", "网上银行卡转入", "--", "540.00",
         "626.45", "测试用户", "1234567890", "", "微信零钱提现 交易流水号2026031065165946"],
    ]  # fmt: skip
    data = _xls(
        [
            (0, 0, "交通银行银行卡交易明细查询表"),
            (1, 0, "银行卡号：6222 8888 8888 8888 888 姓名：测试用户"),
            *_table(2, HEADER, body),
        ]
    )
    txs, _ = _parse(data, "交通银行_交易明细.xls", ParseSettings(default_currency="CNY"))
    assert [(t.booking_date, t.direction, t.amount, t.reference) for t in txs] == [
        # 交易地点 (where it was paid) is read with the text
        (dt.date(2026, 2, 26), "debit", Decimal("19.15"), "测试商户甲 生活服务消费"),
        (dt.date(2026, 2, 27), "debit", Decimal("100.00"), "手机银行 转账"),
        (
            dt.date(2026, 3, 1),
            "credit",
            Decimal("540.00"),
            "微信支付 微信零钱提现 交易流水号2026031065165946",
        ),
    ]
    # the packed cell stays whole in the raw row: its order and serial numbers are not lost
    assert txs[0].raw["摘要"] == PACKED
    assert txs[0].payee_name == "支付宝-消费"


@pytest.mark.parametrize(
    ("text", "readable"),
    [
        (PACKED, "生活服务消费"),
        ("|交易类型：转账|附言：货款 INV-2026-7|流水号：X1|", "货款 INV-2026-7"),  # full-width
        ("|用途: 12:30 到账|交易渠道:网银|", "12:30 到账"),  # a colon inside the value
        ("|交易类型:转账|流水号:ABC123456|", "转账"),  # no describing label
        ("INV 12|13|14", "INV 12|13|14"),  # pipes, but no labelled pairs: as written
        ("货款", "货款"),
    ],
)
def test_unpack_summary(text: str, readable: str) -> None:
    assert unpack_summary(text) == readable
