"""Chinese banks' online-banking exports, read as the projects that import them test them.

The shapes come from public repositories whose licence is not stated, so only their shape is
written here, with made-up rows:

- Xm798/bean-sieve ``tests/providers/test_cmb_debit.py``
  (commit 2804e17f7327608ab68148a712a61231342c8cdc):
  CMB's 一卡通 CSV, its notes written as ``#`` comments and the account given as
  ``[一卡通:6214********5555   招商银行]``; the project reads the card's last four digits
  (5555) from that line.
- Xm798/bean-sieve ``tests/providers/test_bocom_debit.py``
  (commit f8bf338bd138a399b16d736050d4ddf9c77499c6): BOCOM's debit card XLS, its 摘要 packed
  as ``|交易类型:…|交易说明:…|订单编号:…|流水号:…|交易渠道:…|``; the project takes the
  order/serial number as the entry's id.
- Xm798/bean-sieve ``tests/providers/test_ccb_debit.py``
  (commit c9365f34e0a8f088da1e8c91aa895ecb39b1e67b): CCB's debit card XLS with numeric cells,
  a numeric 0 under 对方户名 for interest; the project asserts that no payee "0.0" leaks out.
- Xm798/bean-sieve ``tests/providers/test_boc_debit.py``
  (commit ac643101134d01f43efdf3f7e6a1ecb66fc8e6f0): BOC's debit card CSV, whose 附言 is
  ``--`` when empty and written behind ``--`` otherwise; the project reads
  ``--…余额提现-0001`` as ``…余额提现-0001`` and ``--`` as no text.
- an AML tool's test of "Chinese bank export headers and formats" (``aml_qc`` intake test; the
  code index that served it names no repository): 交易流水号/借贷标志/交易金额/交易时间 with
  amounts as ``¥1,200.5`` and ``190.50元`` and a time written ``2026年9月2日 15时00分``; the
  tool reads both rows.
"""

from __future__ import annotations

import io
from decimal import Decimal

import xlwt

from reconcile.model import ParseSettings
from tests.reconcile.test_tabular_banks import _parse

CMB_DEBIT = (
    "\ufeff"
    '"# 招商银行交易记录"\n'
    '"# 导出时间: [            2026-03-22 23:52:22]"\n'
    '"# 账    号: [一卡通:6214********5555   招商银行]"\n'
    '"# 币    种: [                         人民币]"\n'
    '"# 起始日期: [20260201]   终止日期: [20260331]"\n'
    '"# 过滤设置:  无"\n'
    "\n"
    '"交易日期","交易时间","收入","支出","余额","交易类型","交易备注"\n'
    '"\t20260215","\t10:30:00","2.50","","10002.50","账户结息","\t结息：2.50扣税：0 "\n'
    '"\t20260218","\t09:15:30","","200.00","9802.50","银联在线支付","\t某银行信用卡中心还款 "\n'
    "\n"
    '"# 收入合计: 1 笔，共 2.50 元"\n'
    '"# 支出合计: 1 笔，共 200.00 元"\n'
)


def test_cmb_debit_account_inside_brackets_with_card_kind_and_bank() -> None:
    """CMB's ``[一卡通:6214…5555   招商银行]``: the number is our account, without the card's
    kind before it or the bank's name after it (the account was lost before)."""
    for data in (CMB_DEBIT.encode("utf-8"), CMB_DEBIT[1:].encode("gb18030")):
        txs, _ = _parse(data, "CMB_6214.csv", ParseSettings())
        assert [(tx.direction, tx.amount, tx.currency) for tx in txs] == [
            ("credit", Decimal("2.50"), "CNY"),
            ("debit", Decimal("200.00"), "CNY"),
        ]
        assert {tx.our_account for tx in txs} == {"6214********5555"}


def _xls(rows: list[list[object]]) -> bytes:
    book = xlwt.Workbook()
    sheet = book.add_sheet("Sheet0")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


BOCOM_HEADER = [
    *("记账日期", "交易时间", "交易地点", "交易方式", "支出金额", "收入金额", "余额"),
    *("对方户名", "对方账户", "对方开户行", "摘要"),
]


def test_bocom_packed_summary_serial_is_the_bank_reference() -> None:
    """BOCOM's ``|…|流水号:…|`` names the entry's serial number: it is the bank reference
    (a synthetic one was made up before); the text stays the 交易说明."""
    packed = "|交易类型:快捷支付|交易说明:餐饮消费|交易商户:某餐厅|订单编号:0304c71200077001|"
    data = _xls(
        [
            ["交通银行银行卡交易明细查询表"],
            ["银行卡号：6222 0000 1111 2222 333 姓名：某人"],
            BOCOM_HEADER,
            [
                *("2026-03-04", "2026-03-04 12:00:00", "某餐厅", "网上支付", "36.00", "--"),
                *("964.00", "支付宝-消费", "", ""),
                packed + "流水号:BC20260304000123|交易渠道:支付宝|",
            ],
            [
                *("2026-03-05", "2026-03-05 09:00:00", "手机银行", "转账", "--", "100.00"),
                *("1,064.00", "某公司", "6222000000000001", "", "货款 INV-0042"),
            ],
        ]
    )
    txs, _ = _parse(data, "交通银行_交易明细.xls", ParseSettings())
    assert [(tx.direction, tx.amount, tx.bank_ref, tx.reference) for tx in txs] == [
        ("debit", Decimal("36.00"), "BC20260304000123", "某餐厅 餐饮消费"),
        ("credit", Decimal("100.00"), txs[1].bank_ref, "手机银行 货款 INV-0042"),
    ]
    assert txs[1].raw["ref_from"] == "synthetic"  # no serial named: one is made up


def test_ccb_xls_numeric_zero_counterparty_is_no_name() -> None:
    """CCB's XLS writes a numeric 0 under 对方户名 where nobody paid (interest): no payer "0"."""
    header = ["记账日", "交易日期", "交易时间", "支出", "收入", "账户余额", "币种", "摘要"]
    data = _xls(
        [
            ["China Construction Bank"],
            ["币　　种：", "人民币"],
            ["账　　号：", "622588*********1234"],
            [],
            [*header, "对方账号", "对方户名", "交易地点"],
            ["20250321", 20250321, "03:00:00", 0.0, 1.25, 101.25, "人民币", "利息存入", "", 0, ""],
            [
                *("20250322", 20250322, "10:00:00", 0.0, 50.0, 151.25, "人民币", "汇兑"),
                *("6222000000000002", "某某公司", "电子汇入"),
            ],
            ["以上数据仅供参考|具体内容请以柜台为准"],
        ]
    )
    txs, _ = _parse(data, "交易明细_1234_20250301_20250331.xls", ParseSettings())
    assert [(tx.direction, tx.amount, tx.payer_name) for tx in txs] == [
        ("credit", Decimal("1.25"), None),
        ("credit", Decimal("50.00"), "某某公司"),
    ]


BOC_DEBIT = (
    "中国银行个人网上银行\n"
    "交易时间,业务摘要,对方账户名称,对方账户账号,币种,钞/汇,收入金额,支出金额,余额,交易渠道/场所,附言\n"
    '2026/06/16 14:00:00,网上快捷提现,某某,X888******000A,人民币元,-,"3,000.00",,"8,000.00",'
    "在线交易网关,--某某余额提现-0001\n"
    "2026/06/17 09:00:00,网上快捷支付,某电力公司,X100******999N,人民币元,-,,88.88,7911.12,"
    "在线交易网关,--\n"
)


def test_boc_note_behind_dashes() -> None:
    """BOC's 附言 ``--某某余额提现-0001``: the dashes that fill an empty note are no text."""
    txs, _ = _parse(BOC_DEBIT.encode("gb18030"), "中国银行.csv", ParseSettings())
    assert {tx.currency for tx in txs} == {"CNY"}
    assert [tx.reference for tx in txs] == ["网上快捷提现 某某余额提现-0001", "网上快捷支付"]
    assert [tx.amount if tx.direction == "credit" else -tx.amount for tx in txs] == [
        Decimal("3000.00"),
        Decimal("-88.88"),
    ]


def test_date_with_time_in_chinese_words() -> None:
    """``2026年9月2日 15时00分``: the time in words after the date (the entry was left out)."""
    text = (
        "交易流水号,借贷标志,交易金额,交易时间,对方账号,对方户名,摘要\n"
        't1,贷,"¥1,200.5",2026/9/1 9:05,6222000000000009,付款人一,货款 INV-7\n'
        "t2,借,190.50元,2026年9月2日 15时00分,6222000000000008,某贸易,采购\n"
        "t3,借,10.00元,2026年09月03日09时30分05秒,6222000000000008,某贸易,运费\n"
    )
    txs, _ = _parse(text.encode("gb18030"), "流水.csv", ParseSettings())
    assert [(str(tx.booking_date), tx.bank_ref, tx.currency) for tx in txs] == [
        ("2026-09-01", "t1", "CNY"),
        ("2026-09-02", "t2", "CNY"),
        ("2026-09-03", "t3", "CNY"),
    ]
