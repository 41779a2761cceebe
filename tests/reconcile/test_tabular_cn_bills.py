"""Chinese bank and payment-app exports as other projects' importers read them, every field checked.

Modelled on the layouts the open-source beancount importers for Chinese banks test against
(Alipay's web .txt and mobile bill, JD/Meituan-style bills with a state column, CCB's XLS and
TXT with 对方账号与户名, CMB's '#' comment preamble, BOC's CSV and XLSX, Alipay's 记账本); names,
accounts and figures are invented.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
import xlwt

from reconcile.model import ParseSettings, Transaction
from tests.reconcile.test_tabular_banks import _expect, _parse

D = dt.date

# --------------------------------------------------------------------------------------------
# Alipay's web export: GBK text, notes above and below the table, the dates in three columns
# (created, paid, last changed), the order number in 交易号, the goods in 商品名称

ALIPAY_WEB = (
    "支付宝交易记录明细查询\r\n"
    "账号:[finance@example.cn]\r\n"
    "起始日期:[2026-10-01 00:00:00]    终止日期:[2026-11-01 00:00:00]\r\n"
    "---------------------------------交易记录明细列表------------------------------------\r\n"
    "交易号                  ,商家订单号               ,"
    "交易创建时间              ,付款时间                "
    ",最近修改时间              ,交易来源地     ,类型              ,交易对方            "
    ",商品名称                ,金额（元）   ,收/支     ,交易状态    ,\r\n"
    "2026100322001400001234  ,T200P1001               ,2026-10-03 09:15:02 ,2026-10-03 09:15:09 "
    ",2026-10-04 10:00:00 ,其他（包括阿里巴巴和外部商家）,即时到账交易      ,杭州远景科技有限公司 "
    ",发票 INV-2026-0917    ,1280.50     ,收入      ,交易成功    ,\r\n"
    "2026100522001400005678  ,T200P1002               ,2026-10-05 18:40:00 ,2026-10-05 18:40:31 "
    ",2026-10-05 18:40:31 ,淘宝          ,支付宝担保交易    ,宁波海港物流有限公司 "
    ",运费 10月            ,36.00       ,支出      ,交易成功    ,\r\n"
    "2026100622001400009999  ,T200P1003               ,2026-10-06 08:00:00 ,                    "
    ",2026-10-06 08:30:00 ,淘宝          ,支付宝担保交易    ,某店铺             "
    ",未付款的订单          ,99.00       ,支出      ,交易关闭    ,\r\n"
    "------------------------------------------------------------------------------------\r\n"
    "共3笔记录\r\n"
)


def _expect_rows(txs: list[Transaction], rows: list[dict[str, Any]], **common: Any) -> None:
    """Check every field of each entry: ``rows`` in order, ``common`` to all of them."""
    assert len(txs) == len(rows)
    for tx, row in zip(txs, rows, strict=True):
        _expect(tx, **{"bank_ref": tx.bank_ref, **common, **row})


def test_alipay_web_txt_created_time_and_order_number() -> None:
    data = ALIPAY_WEB.encode("gbk")
    txs, info = _parse(data, "alipay_record_20261101.txt", ParseSettings())
    rows = [
        ("2026100322001400001234", 3, "1280.50", "credit", "payer", "杭州远景科技有限公司",
         "T200P1001 发票 INV-2026-0917"),
        ("2026100522001400005678", 5, "36.00", "debit", "payee", "宁波海港物流有限公司",
         "T200P1002 运费 10月"),
    ]  # fmt: skip
    _expect_rows(
        txs,
        [
            {
                "bank_ref": ref,
                "booking_date": D(2026, 10, day),
                "amount": Decimal(amount),
                "direction": direction,
                f"{party}_name": name,
                "reference": reference,
                "source": f"alipay_record_20261101.txt#row={number}",
            }
            for number, (ref, day, amount, direction, party, name, reference) in enumerate(rows, 6)
        ],
        currency="CNY",
    )
    assert "row 8: state 交易关闭" in info.raw["skipped"]  # the closed order moved no money


# --------------------------------------------------------------------------------------------
# Payment bills (Alipay's mobile bill, Meituan, JD) keep orders that never took money: closed,
# failed, cancelled or still unpaid orders are skipped; refunds and reversals stay

BILL = (
    "交易时间,交易分类,交易对方,对方账号,商品说明,收/支,金额,收/付款方式,交易状态,交易订单号,"
    "商家订单号,备注,\n"
    "2026-10-03 10:00:00,餐饮美食,杭州远景科技有限公司,,工作餐,支出,45.00,余额,交易成功,"
    "A1001,M1,,\n"
    "2026-10-03 11:00:00,餐饮美食,杭州远景科技有限公司,,工作餐,支出,45.00,余额,交易关闭,"
    "A1002,M2,,\n"
    "2026-10-04 12:00:00,数码电器,宁波海港物流有限公司,,配件,支出,120.00,余额,交易失败,A1003,M3,,\n"
    "2026-10-04 13:00:00,数码电器,宁波海港物流有限公司,,配件,支出,120.00,余额,已撤销,A1004,M4,,\n"
    "2026-10-05 14:00:00,餐饮美食,某店铺,,外卖,支出,30.00,余额,待支付,A1005,M5,,\n"
    "2026-10-06 15:00:00,退款,某店铺,,外卖退款,收入,30.00,余额,退款成功,A1006,M6,,\n"
)


def test_bill_rows_that_moved_no_money_are_skipped() -> None:
    txs, info = _parse(BILL.encode("utf-8"), "bill.csv", ParseSettings(default_currency="CNY"))
    assert [tx.bank_ref for tx in txs] == ["A1001", "A1006"]
    _expect(
        txs[1],
        bank_ref="A1006",
        booking_date=D(2026, 10, 6),
        amount=Decimal("30.00"),
        direction="credit",
        currency="CNY",
        payer_name="某店铺",
        reference="外卖退款 M6",
        source="bill.csv#row=7",
    )
    assert [s for s in info.raw["skipped"] if "state" in s] == [
        "row 3: state 交易关闭",
        "row 4: state 交易失败",
        "row 5: state 已撤销",
        "row 6: state 待支付",
    ]


# --------------------------------------------------------------------------------------------
# CCB's XLS: a title, the account and the customer in notes above the table, 对方账号与户名 holding
# "account/name" or only a name, the currency spelled 人民币元

CCB_ROWS = [
    ["中国建设银行个人活期账户交易明细"],
    ["起始日期:20261001", "结束日期:20261031"],
    ["卡号/账号:6217001230001234567"],
    ["客户名称: 上海协和贸易有限公司"],
    ["序号", "摘要", "币别", "钞汇", "交易日期", "交易金额", "账户余额", "交易地点/附言",
     "对方账号与户名"],
    ["1", "转账", "人民币元", "钞", "20261008", "-2,000.00", "8,000.00", "网上银行",
     "6222021001122334455/宁波海港物流有限公司"],
    ["2", "货款", "人民币元", "钞", "20261009", "5,000.00", "13,000.00", "",
     "杭州远景科技有限公司"],
]  # fmt: skip


def _xls(rows: list[list[str]]) -> bytes:
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("交易明细")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_ccb_xls_account_and_name_in_one_cell() -> None:
    txs, info = _parse(_xls(CCB_ROWS), "ccb.xls", ParseSettings())
    _expect_rows(
        txs,
        [
            {
                "booking_date": D(2026, 10, 8),
                "amount": Decimal("2000.00"),
                "direction": "debit",
                "payee_name": "宁波海港物流有限公司",
                "payee_account": "6222021001122334455",
                "reference": "转账 网上银行",
                "source": "ccb.xls#row=6",
            },
            {
                "booking_date": D(2026, 10, 9),
                "amount": Decimal("5000.00"),
                "direction": "credit",
                "payer_name": "杭州远景科技有限公司",
                "reference": "货款",
                "source": "ccb.xls#row=7",
            },
        ],
        currency="CNY",
        our_account="6217001230001234567",
    )
    assert info.closing_balance == Decimal("13000.00")


# CCB's TXT download: labels stretched with ideographic spaces, values in brackets; 记账日 is the
# booking, 交易日期 the day of the payment (the importers book 交易日期)

CCB_TXT = (
    "账　　号：[6217001230001234567]\n"
    "起始日期：[20261001] 终止日期：[20261031]\n"
    "币　　种：[人民币]\n"
    "记账日,交易日期,交易时间,支出,收入,账户余额,币种,摘要,对方账号,对方户名,交易地点\n"
    "20261009,20261008,12:00:00,60.00,,940.00,,午餐,6222021001122334455,某餐厅,北京\n"
)


# --------------------------------------------------------------------------------------------
# CMB's CSV: its notes are '#' comments, the currency one padded inside its brackets

CMB = (
    "# 招商银行交易记录\n"
    "# 导出时间: [            2026-11-02 20:54:27]\n"
    "# 账    号: [一卡通:6214********4567   招商银行]\n"
    "# 币    种: [                         人民币]\n"
    "# 起始日期: [20261001]   终止日期: [20261031]\n"
    "# 过滤设置:  无\n"
    '""\n'
    "交易日期,交易时间,收入,支出,余额,交易类型,交易备注\n"
    "20261025,20:00:00,,10.00,90.00,消费,午饭\n"
    "# 收入合计: 0.00\n"
)


# --------------------------------------------------------------------------------------------
# BOC: the CSV names the card after the title in one cell; the XLSX calls its text 业务摘要

BOC_CSV = (
    "中国银行储蓄卡账单明细 卡号: 6217850000001234567\n"
    "记账日期,记账时间,币别,金额,余额,交易名称,渠道,网点名称,附言,对方账户名,对方卡号/账号,对方开户行\n"
    "2026-10-18,10:19:28,人民币,-11.00,4853.00,网上快捷支付,银企对接,-------------------,"
    "财付通-扫二维码付款,财付通支付科技有限公司,Z2004944000010N,-------------------\n"
)


SINGLE_ENTRY = [
    (
        CCB_TXT.encode("utf-8"),
        "交易明细_4567.txt",
        {
            "booking_date": D(2026, 10, 8),
            "amount": Decimal("60.00"),
            "direction": "debit",
            "payee_name": "某餐厅",
            "payee_account": "6222021001122334455",
            "reference": "午餐 北京",  # 交易地点 read with the text
            "our_account": "6217001230001234567",
            "source": "交易明细_4567.txt#row=5",
        },
    ),
    (
        CMB.encode("gb18030"),
        "CMB_4567.csv",
        {
            "booking_date": D(2026, 10, 25),
            "amount": Decimal("10.00"),
            "direction": "debit",
            "reference": "午饭",
            # the number inside the brackets, without the card's kind (一卡通) or the bank
            "our_account": "6214********4567",
            "source": "CMB_4567.csv#row=9",
        },
    ),
    (
        BOC_CSV.encode("utf-8"),
        "boc.csv",
        {
            "booking_date": D(2026, 10, 18),
            "amount": Decimal("11.00"),
            "direction": "debit",
            "payee_name": "财付通支付科技有限公司",
            "payee_account": "Z2004944000010N",
            "reference": "财付通-扫二维码付款",
            "our_account": "6217850000001234567",
            "source": "boc.csv#row=3",
        },
    ),
]


@pytest.mark.parametrize(("data", "filename", "expected"), SINGLE_ENTRY, ids=["ccb", "cmb", "boc"])
def test_preamble_notes_give_account_and_currency(
    data: bytes, filename: str, expected: dict[str, Any]
) -> None:
    """CCB's stretched labels in brackets, CMB's '#' comments, BOC's card after the title."""
    txs, _ = _parse(data, filename, ParseSettings())
    (tx,) = txs
    _expect(tx, bank_ref=tx.bank_ref, currency="CNY", **expected)


def test_boc_xlsx_business_summary() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["交易时间", "业务摘要", "收入金额", "支出金额", "余额", "对方账户名称", "附言"])
    sheet.append(["2026-10-01 10:11:12", "网上快捷支付", None, "25.50", "974.50", "美团", "午餐"])
    sheet.append(["2026-10-02 09:00:00", "代发工资", "5000.00", None, "5974.50", "协和贸易", None])
    out = io.BytesIO()
    book.save(out)
    txs, _ = _parse(out.getvalue(), "中国银行交易流水.xlsx", ParseSettings(default_currency="CNY"))
    assert [(tx.direction, tx.amount, tx.reference) for tx in txs] == [
        ("debit", Decimal("25.50"), "网上快捷支付 午餐"),
        ("credit", Decimal("5000.00"), "代发工资"),
    ]
    assert [tx.payee_name or tx.payer_name for tx in txs] == ["美团", "协和贸易"]


# --------------------------------------------------------------------------------------------
# Alipay's 记账本 (cash book): 记录时间 and 收支类型


def test_alipay_cashbook_record_time_and_direction() -> None:
    text = (
        "记录时间,分类,收支类型,金额,备注,账户,来源,标签\n"
        "2026-12-31 19:52:14,生活日用,支出,5.66,超市购物,中国银行,账单同步,\n"
        "2026-12-31 20:10:00,报销,收入,100.00,差旅报销,余额,手动记账,\n"
    )
    txs, _ = _parse(text.encode("gbk"), "alipay_cashbook.csv", ParseSettings())
    assert [(tx.booking_date, tx.direction, tx.amount, tx.reference) for tx in txs] == [
        (D(2026, 12, 31), "debit", Decimal("5.66"), "超市购物"),
        (D(2026, 12, 31), "credit", Decimal("100.00"), "差旅报销"),
    ]
