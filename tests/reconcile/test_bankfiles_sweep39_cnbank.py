"""Chinese banks' online-banking exports, read as the projects that import them test them.

The shapes come from public repositories whose licence is not stated, so only their shape is
written here, with made-up rows:

- Xm798/bean-sieve ``tests/providers/test_cmb_debit.py``
  (commit 2804e17f7327608ab68148a712a61231342c8cdc):
  CMB's 一卡通 CSV, its notes written as ``#`` comments and the account given as
  ``[一卡通:6214********5555   招商银行]``; the project reads the card's last four digits
  (5555) from that line.
"""

from __future__ import annotations

from decimal import Decimal

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
