"""Chinese payment bills from public importers' test data (sweep 38), in their shapes.

The headers are the bills' own; the rows are written here in their form: WeChat Pay's merchant
交易账单 of 2015 (总金额, a fee to the 0.00001 yuan) and its 资金账单 (fund-flow bill:
记账时间, 收支类型, 收支金额(元), 账户结余(元); wechatpay-apiv3/wechatpay-go's and uniCloud's
samples), Alipay's merchant 业务明细 (商家实收 beside 订单金额) and its older personal bill
(资金状态 已收入 beside 收/支 其他), Alipay's refunds booked 不计收支 with 退款成功
(ezbookkeeping's and penghee's samples), and JD Finance's bill, whose amounts note a refund
(``123.45(已退款3.45)``; ezbookkeeping's ``jd_finance_refund`` test file).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from reconcile.api import parse_bytes
from reconcile.model import ParseSettings, Transaction


def _read(text: str, name: str = "bill.csv") -> tuple[list[Transaction], list[str]]:
    """Read the bill as its payment platform sends it, in GBK."""
    (result,) = parse_bytes(text.encode("gb18030"), name, ParseSettings())
    assert result.error is None, result.error
    return list(result.transactions), [str(w) for w in result.warnings]


def _sides(txs: list[Transaction]) -> list[tuple[str, Decimal]]:
    return [(t.direction, t.amount) for t in txs]


def test_wechat_pay_merchant_bill_of_2015_with_its_total_amount() -> None:
    txs, _ = _read(
        "交易时间,公众账号ID,商户号,微信订单号,商户订单号,交易类型,交易状态,货币种类,总金额,"
        "退款金额,商品名称,手续费,费率\n"
        "`2015-03-30 21:25:32,`wx58aea38c0796394d,`10027619,`1009360611201503300040393756,"
        "`INV-2015-0330,`JSAPI,`SUCCESS,`CNY,`120.00,`0,`洁面套装,`0.72000,`0.60%\n"
        "`2015-03-30 21:15:32,`wx58aea38c0796394d,`10027619,`1010020611201503300040396072,"
        "`INV-2015-0331,`JSAPI,`SUCCESS,`CNY,`0.01,`0,`洁面套装,`0.00006,`0.60%\n"
        "总交易单数,总交易额,总退款金额,手续费总金额\n"
        "`2,`120.01,`0.00,`0.72006\n"
    )
    # the fee, written to the 0.00001 yuan, is charged in whole fen
    assert _sides(txs) == [("credit", Decimal("119.28")), ("credit", Decimal("0.01"))]
    assert txs[0].bank_ref == "1009360611201503300040393756"
    assert "INV-2015-0330" in txs[0].reference  # the merchant's own order number


def test_wechat_pay_fund_flow_bill() -> None:
    txs, _ = _read(
        "记账时间,微信支付业务单号,资金流水单号,业务名称,业务类型,收支类型,收支金额(元),"
        "账户结余(元),资金变更提交申请人,备注,业务凭证号\n"
        "`2021-02-01 12:00:00,`50300806962021020105978990001,`4200000920202101197964310001,"
        "`交易,`交易,`收入,`300.00,`300.23,`system,`,`S20210201120000000001\n"
        "`2021-02-01 13:54:01,`50300806962021020105978994968,`4200000920202101197964319284,"
        "`退款,`退款,`支出,`0.01,`300.22,`1601959334API,`退款总金额0.01元,`S20210201135356381941\n"
        "资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额\n"
        "`2,`1,`300.00,`1,`0.01\n"
    )
    assert _sides(txs) == [("credit", Decimal("300.00")), ("debit", Decimal("0.01"))]
    assert [t.bank_ref for t in txs] == [
        "4200000920202101197964310001",
        "4200000920202101197964319284",
    ]
    assert "S20210201120000000001" in txs[0].reference
    assert txs[0].booking_date == dt.date(2021, 2, 1)


def test_alipay_merchant_business_detail_books_what_the_merchant_received() -> None:
    txs, _ = _read(
        "#支付宝业务明细查询\n"
        "#账号：[20885212319120680156]\n"
        "#起始日期：[2017年08月31日 00:00:00]   终止日期：[2017年09月01日 00:00:00]\n"
        "支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,对方账户,订单金额（元）,"
        "商家实收（元）,支付宝红包（元）\n"
        "2017083121001004720299453898\t,INV-0831-1\t,交易\t,货款,2017-08-31 00:06:14,"
        "2017-08-31 00:06:15,*杨(137****2600)\t,20.00,18.00,2.00\n"
    )
    assert _sides(txs) == [("credit", Decimal("18.00"))]
    assert txs[0].bank_ref == "2017083121001004720299453898"
    assert "INV-0831-1" in txs[0].reference


def test_alipay_fund_state_gives_the_side_where_its_mark_says_other() -> None:
    refunds, _ = _read(
        "交易号,商家订单号,交易创建时间,交易对方,商品名称,金额（元）,收/支,交易状态,资金状态\n"
        "2026010100010,T1,2026-01-01 08:00:00,万帮,充电,50.00,支出,交易成功,已支出\n"
        "2026010200020,T1,2026-01-02 08:00:00,万帮,退款-充电,41.21,不计收支,退款成功,\n"
        "2026010300030,M2,2026-01-03 08:00:00,余额宝,余额宝-收益发放,1.23,其他,交易成功,已收入\n"
        "2026010400040,M3,2026-01-04 08:00:00,余额宝,转入余额宝,100.00,不计收支,交易成功,\n"
    )
    # the earnings came in; a refund booked 不计收支 goes back the way the payment came (a
    # bank card as often as the wallet) and a move into 余额宝 is the holder's own: both neutral
    assert _sides(refunds) == [("debit", Decimal("50.00")), ("credit", Decimal("1.23"))]


def test_jd_amounts_noting_a_refund_are_the_amount_paid() -> None:
    txs, _ = _read(
        "交易时间,商户名称,交易说明,金额,收/付款方式,交易状态,收/支\n"
        "2025-09-01 01:23:45,京东商城,退款,0.12,银行卡,退款成功,不计收支\n"
        "2025-09-01 02:34:56,京东商城,纸巾,0.12(已全额退款),银行卡,交易成功,不计收支\n"
        "2025-09-02 01:23:45,京东商城,退款,3.45,银行卡,退款成功,不计收支\n"
        "2025-09-02 02:34:56,京东商城,办公用品,123.45(已退款3.45),银行卡,交易成功,支出\n"
    )
    # one row's note fails no file: the payment went out; the rows JD marks 不计收支 are its
    # own netting (a payment refunded in full and the refunds) and stay neutral
    assert _sides(txs) == [("debit", Decimal("123.45"))]


def test_a_bill_whose_every_row_is_left_out_says_so() -> None:
    txs, warnings = _read(
        "交易时间,金额,交易状态\n"
        "2024-01-01 10:00:00,12.00,交易关闭\n"
        "2024-01-02 10:00:00,13.00,交易关闭\n"
    )
    assert txs == []
    assert warnings == [
        "no entry read: each of the 2 rows under the header was left out (row 2: state 交易关闭); "
        "check that the file is the account's statement and its columns are the ones meant"
    ]
