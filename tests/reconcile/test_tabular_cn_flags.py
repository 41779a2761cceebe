"""Chinese bank exports whose direction is only in a flag column, and masked card numbers.

The layouts follow what open-source importers for Chinese banks test against (Xm798/bean-sieve's
providers for Bank of Communications, Ping An, China Construction Bank, Industrial Bank; files
built by the tests themselves, as there); names, accounts and figures are invented, the shapes
(preamble, header, flag words, masks) are the banks'.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
import xlwt

from reconcile.model import ParseSettings
from reconcile.parsers.tabular_masked import agrees
from tests.reconcile.test_tabular_banks import _parse

D = dt.date
CNY = ParseSettings(default_currency="CNY")

# --------------------------------------------------------------------------------------------
# the direction in a flag column, the amount unsigned


@pytest.mark.parametrize(
    "header",
    [
        "借贷标志",
        "收支标志",
        "借贷标记",
        "收付方向",
        "出入账标志",
        "来往账标识",
        "记账方向",  # no list names it: the column's values say what it is
        "交易性质",
        "Dr/Cr Flag",
        "Debit/Credit Indicator",
    ],
)
def test_direction_comes_from_the_flag_column(header: str) -> None:
    data = (
        f"交易日期,摘要,{header},交易金额,余额\n"
        "2025-03-01,转账,往账,200.00,9800.00\n"
        "2025-03-02,货款,来账,1000.00,10800.00\n"
        "2025-03-03,手续费,付,5.00,10795.00\n"
        "2025-03-04,退款,收,5.00,10800.00\n"
        "合计,,,1210.00,\n"  # a total without a flag does not hide the column
    ).encode("gb18030")
    txs, _ = _parse(data, "flags.csv", CNY)
    assert [(t.booking_date, t.direction, t.amount) for t in txs] == [
        (D(2025, 3, 1), "debit", Decimal("200.00")),
        (D(2025, 3, 2), "credit", Decimal("1000.00")),
        (D(2025, 3, 3), "debit", Decimal("5.00")),
        (D(2025, 3, 4), "credit", Decimal("5.00")),
    ]


@pytest.mark.parametrize(
    ("credit", "debit"),
    [("收入", "支出"), ("贷", "借"), ("转入", "转出"), ("存入", "支取"), ("C", "D"), ("Cr", "Dr")],
)
def test_bocom_card_export_flag_words(credit: str, debit: str) -> None:
    # BOCOM's card export: 收支标志 beside an unsigned 交易金额, newest first
    data = (
        "交通银行银行卡交易明细查询表\n"
        "卡号：6222600110012345678\n"
        "交易日期,交易时间,交易地点,摘要,收支标志,交易金额,余额,对方户名,对方账户\n"
        f'2025-06-03,10:02:11,手机银行,转账,{credit},"2,000.00","3,150.00",杭州云帆商贸有限公司,'
        "6222021001120001111\n"
        f"2025-06-02,18:40:00,上海,消费,{debit},50.00,1150.00,某某餐厅,\n"
    ).encode("gb18030")
    txs, info = _parse(data, "bocom.csv", CNY)
    assert [(t.booking_date, t.direction, t.amount, t.currency) for t in txs] == [
        (D(2025, 6, 3), "credit", Decimal("2000.00"), "CNY"),
        (D(2025, 6, 2), "debit", Decimal("50.00"), "CNY"),
    ]
    assert (txs[0].payer_name, txs[0].payer_account) == (
        "杭州云帆商贸有限公司",
        "6222021001120001111",
    )
    assert txs[1].payee_name == "某某餐厅"
    assert txs[0].our_account == "6222600110012345678"
    assert (info.opening_balance, info.closing_balance) == (Decimal("1200.00"), Decimal("3150.00"))


def test_flags_are_not_turned_by_a_balance_that_runs_the_other_way() -> None:
    # the flags say the direction even where the balance column would chain better inverted
    # (here a balance before the entry): the bank's own flag wins
    data = (
        "记账日期,借贷标志,发生额,余额,摘要\n"
        "2025-07-01,贷,100.00,1000.00,货款\n"
        "2025-07-02,借,30.00,1100.00,付运费\n"
        "2025-07-03,借,20.00,1070.00,付电费\n"
        "2025-07-04,贷,10.00,1050.00,退款\n"
    ).encode()
    txs, _ = _parse(data, "flags.csv", CNY)
    assert [t.direction for t in txs] == ["credit", "debit", "debit", "credit"]
    assert [t.warnings for t in txs] == [[], [], [], []]


def test_a_type_column_of_only_descriptions_stays_a_type() -> None:
    # 交易类型 that holds more than flags (消费) is no direction column: the signed amount says it
    data = (
        "交易日期,交易类型,交易金额,摘要\n2025-08-01,转入,100.00,工资\n2025-08-02,消费,-20.00,超市\n"
    ).encode()
    txs, info = _parse(data, "types.csv", CNY)
    assert [(t.direction, t.amount) for t in txs] == [
        ("credit", Decimal("100.00")),
        ("debit", Decimal("20.00")),
    ]
    assert "direction" not in info.raw["columns"]


# --------------------------------------------------------------------------------------------
# Ping An (平安银行) debit card XLSX: the title names our masked card, 交易类型 holds 转入/转出,
# 付款方…/收款方… columns name both parties (bean-sieve's pab provider and its test figures)

PAB_HEADER = [
    "交易时间",
    "付款方姓名",
    "付款方账号",
    "收款方姓名",
    "收款方账号",
    "交易类型",
    "交易金额",
    "账户余额",
    "摘要",
    "备注",
    "交易流水号",
]
PAB_ROWS = [
    ["2025-12-30 09:15:30", "", "", "McDonald's Beijing", "6217****8888", "转出", 45.5, 9954.5,
     "消费", "快餐消费", "PAB202512300001"],
    ["2025-12-30 14:30:00", "", "", "Apple Store", "6225****9999", "转出", 999.0, 8955.5,
     "消费", "电子产品", "PAB202512300002"],
    ["2025-12-31 10:00:00", "Zhang San", "6228****1111", "", "", "转入", 5000.0, 13955.5,
     "转账", "工资入账", "PAB202512310001"],
    ["2025-12-31 16:45:20", "", "", "Hilton Hotel", "6222****5555", "转出", 1280.0, 12675.5,
     "消费", "酒店住宿", "PAB202512310002"],
]  # fmt: skip


def _pab_workbook(rows: list[list[object]]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["账户流水明细 账号：6230****6666"])
    ws.append(PAB_HEADER)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_ping_an_direction_from_the_transaction_type() -> None:
    txs, _ = _parse(_pab_workbook(PAB_ROWS), "平安银行借记卡流水.xlsx", CNY)
    assert [(t.booking_date, t.direction, t.amount, t.bank_ref) for t in txs] == [
        (D(2025, 12, 30), "debit", Decimal("45.50"), "PAB202512300001"),
        (D(2025, 12, 30), "debit", Decimal("999.00"), "PAB202512300002"),
        (D(2025, 12, 31), "credit", Decimal("5000.00"), "PAB202512310001"),
        (D(2025, 12, 31), "debit", Decimal("1280.00"), "PAB202512310002"),
    ]
    assert [t.warnings for t in txs] == [[], [], [], []]
    assert txs[0].payee_name == "McDonald's Beijing"
    assert txs[2].payer_name == "Zhang San"


def test_ping_an_transfer_in_without_a_matching_balance() -> None:
    # bean-sieve's test_transfer_in: one 转入 row whose balance proves nothing
    row = [
        "2025-12-30 10:00:00",
        "Salary Sender",
        "",
        "",
        "",
        "转入",
        8000.0,
        10000,
        "工资",
        "",
        "",
    ]
    (tx,), _ = _parse(_pab_workbook([row]), "平安银行借记卡.xlsx", CNY)
    assert (tx.direction, tx.amount, tx.payer_name) == (
        "credit",
        Decimal("8000.00"),
        "Salary Sender",
    )


# --------------------------------------------------------------------------------------------
# masked card numbers: ours only when they agree with the statement's own number, never the
# other party's account


@pytest.mark.parametrize(
    ("number", "account", "agree"),
    [
        ("6222****1234", "6222021001121234", True),
        ("6222 **** **** 1234", "6222021001121234", True),
        ("***1234", "6222021001121234", True),
        ("6222****1234", "6222 **** **** 1234", True),
        ("6222****1234", "6222021001125678", False),
        ("6228****1234", "6222021001121234", False),
        ("****34", "6222021001121234", False),  # too few digits shown to tell
        ("6222021001121234", "6222 0210 0112 1234", True),
        ("6222021001121234", "6222021001125678", False),
    ],
)
def test_masked_numbers_agree_by_their_visible_digits(
    number: str, account: str, agree: bool
) -> None:
    assert agrees(number, account) is agree


def test_ping_an_masked_numbers() -> None:
    # our card is named masked above the table; the other parties' masked cards are dropped
    txs, info = _parse(_pab_workbook(PAB_ROWS), "平安银行借记卡流水.xlsx", CNY)
    assert info.account == "6230****6666"
    assert {t.our_account for t in txs} == {"6230****6666"}
    assert [(t.payer_account, t.payee_account) for t in txs] == [(None, None)] * 4
    assert txs[0].raw["收款方账号"] == "6217****8888"


def test_masked_own_account_column_agreeing_with_the_stated_account() -> None:
    data = (
        "账号：6222021001121234\n"
        "交易日期,卡号,摘要,收入,支出,对方户名,对方账号\n"
        "2025-09-01,6222****1234,货款,500.00,,宁波海川贸易有限公司,6228480012345678\n"
        "2025-09-02,6217****9999,代付,,80.00,林晓,6217****9999\n"
    ).encode("gb18030")
    txs, _ = _parse(data, "export.csv", CNY)
    # the first row's masked card agrees with the stated account: ours, written in full
    assert (txs[0].our_account, txs[0].payer_account) == ("6222021001121234", "6228480012345678")
    # the second's does not: it is not ours, and a masked number is nobody's account
    assert (txs[1].our_account, txs[1].payee_account, txs[1].payee_name) == (
        "6222021001121234",
        None,
        "林晓",
    )


def test_masked_payer_agreeing_with_the_statement_settles_the_direction() -> None:
    # unsigned amounts and payer/payee columns: the side that shows our card is us
    data = (
        "卡号：6217 **** **** 0001\n"
        "交易日期,付款人账号,付款人名称,收款人账号,收款人名称,金额,摘要\n"
        "2025-10-01,6217****0001,本公司,6222****7777,上海某某物流有限公司,300.00,运费\n"
        "2025-10-02,6222****7777,上海某某物流有限公司,6217****0001,本公司,40.00,退款\n"
    ).encode("gb18030")
    txs, _ = _parse(data, "export.csv", CNY)
    assert [(t.direction, t.amount) for t in txs] == [
        ("debit", Decimal("300.00")),
        ("credit", Decimal("40.00")),
    ]
    assert (txs[0].payee_name, txs[0].payee_account) == ("上海某某物流有限公司", None)
    assert (txs[1].payer_name, txs[1].payer_account) == ("上海某某物流有限公司", None)
    assert {t.our_account for t in txs} == {"6217********0001"}


# --------------------------------------------------------------------------------------------
# BOCOM's and CCB's debit card XLS (bean-sieve's bocom_debit and ccb_debit providers): the card
# named in the preamble (BOCOM: followed by the holder's name on the same line; CCB: masked, in
# the cell after its label), 支出/收入 columns with "--" or 0 in the unused one


def _xls(rows: list[tuple[int, int, object]]) -> bytes:
    wb = xlwt.Workbook()
    ws = wb.add_sheet("Sheet0")
    for r, c, value in rows:
        ws.write(r, c, value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _table(top: int, header: list[str], body: list[list[object]]) -> list[tuple[int, int, object]]:
    cells = [(top, c, h) for c, h in enumerate(header)]
    for r, row in enumerate(body, top + 1):
        cells += [(r, c, v) for c, v in enumerate(row)]
    return cells


def test_bocom_debit_card_xls() -> None:
    header = ["记账日期", "交易时间", "交易地点", "交易方式", "支出金额", "收入金额", "余额",
              "对方户名", "对方账户", "对方开户行", "摘要"]  # fmt: skip
    body: list[list[object]] = [
        ["2026-03-28", "2026-03-28 21:23:33", "他行自助设备", "异地跨行取现", "10,000.00", "--",
         "72.90", "", "", "测试银行北京分行", "异地跨行取现"],
        ["2026-03-21", "2026-03-21 05:14:01", "批处理", "存款利息", "--", "0.04", "72.90",
         "应付个人活期储蓄存款利息", "", "", ""],
        ["2026-01-10", "2026-01-10 16:00:25", "微信支付", "网上银行卡转入", "--", "540.00",
         "594.04", "测试用户", "1234567890", "财付通支付科技有限公司", "微信零钱提现"],
    ]  # fmt: skip
    data = _xls(
        [
            (0, 0, "交通银行银行卡交易明细查询表"),
            (1, 0, "银行卡号：6222 8888 8888 8888 888 姓名：测试用户"),
            (
                1,
                5,
                "本次查询时间段：2026/01/05 至 2026/04/05  总收入：540.04元  总支出：10000.00元",
            ),
            *_table(2, header, body),
        ]
    )
    txs, info = _parse(data, "交通银行_交易明细.xls", ParseSettings())
    assert [(t.booking_date, t.direction, t.amount, t.currency) for t in txs] == [
        (D(2026, 3, 28), "debit", Decimal("10000.00"), "CNY"),
        (D(2026, 3, 21), "credit", Decimal("0.04"), "CNY"),
        (D(2026, 1, 10), "credit", Decimal("540.00"), "CNY"),
    ]
    assert info.account == "6222888888888888888"
    assert txs[1].payer_name == "应付个人活期储蓄存款利息"
    assert (txs[2].payer_name, txs[2].payer_account) == ("测试用户", "1234567890")


def test_ccb_debit_card_xls_with_its_masked_card() -> None:
    header = ["记账日", "交易日期", "交易时间", "支出", "收入", "账户余额", "币种", "摘要",
              "对方账号", "对方户名", "交易地点"]  # fmt: skip
    body: list[list[object]] = [
        ["20250110", "20250110", "09:30:15", 88.5, 0.0, 9911.5, "人民币", "无卡自助交易", "",
         "Test Credit Center", "测试银行信用卡中心还款"],
        ["20250120", "20250120", "11:00:00", 0.0, 5000.0, 14911.5, "人民币", "汇兑", "",
         "Test Sender", "电子汇入"],
    ]  # fmt: skip
    data = _xls(
        [
            (0, 0, "China Construction Bank"),
            (1, 0, "开户机构："),
            (1, 1, "北京市"),
            (2, 0, "币　　种："),
            (2, 1, "人民币"),
            (3, 0, "账　　号："),
            (3, 1, "622588*********6789"),
            *_table(5, header, body),
            (8, 0, "以上数据仅供参考|具体内容请以柜台为准"),
        ]
    )
    txs, info = _parse(data, "交易明细_6789_20250101_20250331.xls", ParseSettings())
    assert [(t.booking_date, t.direction, t.amount, t.currency) for t in txs] == [
        (D(2025, 1, 10), "debit", Decimal("88.50"), "CNY"),
        (D(2025, 1, 20), "credit", Decimal("5000.00"), "CNY"),
    ]
    assert info.account == "622588*********6789"
    assert txs[0].payee_name == "Test Credit Center"


# --------------------------------------------------------------------------------------------
# more bean-sieve layouts: ABC's debit XLSX (a signed amount, our masked card in one preamble
# cell with the holder and the period), CITIC Bank International's CSV in simplified,
# traditional and English headings, SPDB's credit card XLS (charges positive)


def test_abc_debit_card_xlsx() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for row in [
        ["账户明细查询"],
        ["账户：622848****8888 户名：测试用户 起始日期：20260105 截止日期：20260405"],
        ["交易日期", "交易时间", "交易金额", "本次余额", "对方户名", "对方账号", "交易行",
         "交易渠道", "交易类型", "交易用途", "交易摘要"],
        ["2026-03-29", "12:17:04", "-4.00", "426.44", "支付宝-消费测试商户A", "208884****0912",
         "9999-01", "电子商务", "转账", "UA0329测试支付宝-消费-测试商户A", "支付宝"],
        ["2026-02-10", "16:31:46", "+1000.00", "1393.18", "测试用户", "621486****5555",
         "9999-01", "", "转账", "", "银联入账"],
    ]:  # fmt: skip
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    txs, info = _parse(out.getvalue(), "detail20260405.xlsx", CNY)
    assert [(t.booking_date, t.direction, t.amount) for t in txs] == [
        (D(2026, 3, 29), "debit", Decimal("4.00")),
        (D(2026, 2, 10), "credit", Decimal("1000.00")),
    ]
    assert info.account == "622848****8888"
    assert (txs[0].payee_name, txs[0].payee_account) == ("支付宝-消费测试商户A", None)
    assert (txs[1].payer_name, txs[1].payer_account) == ("测试用户", None)


CNCBI_ROWS = (
    '01/04/2030,01/04/2030,承上结余,,,"10,000.00",\n'
    '02/04/2030,02/04/2030,转数快 本地/海外汇入 - FICT3004021234567890 payee-a,,"500.00",'
    '"10,500.00",\n'
    '15/04/2030,15/04/2030,转数快 本地/海外汇出 - FOCT3004151234567890 payee-b,"200.00",,'
    '"10,300.00",\n'
    '20/04/2030,20/04/2030,本行内部转账支出,"100.00",,"10,200.00",\n'
    '30/04/2030,30/04/2030,利息存入,,1.50,"10,201.50",\n'
    '30/04/2030,30/04/2030,转承结余,,,"10,201.50",\n'
)


@pytest.mark.parametrize(
    "header",
    [
        "过账日,交易日,账项资料,支出,收入,结余,",
        "過賬日,交易日,賬項資料,支出,收入,結餘,",
        "Post Date,Trans.Date,Description,Debit,Credit,Balance,",
    ],
)
def test_citic_bank_international_csv(header: str) -> None:
    txs, info = _parse(f"{header}\n{CNCBI_ROWS}".encode(), "CNCBI.csv", ParseSettings())
    # the carried-forward balance rows have no amount and are no entries
    assert [(t.booking_date, t.direction, t.amount) for t in txs] == [
        (D(2030, 4, 2), "credit", Decimal("500.00")),
        (D(2030, 4, 15), "debit", Decimal("200.00")),
        (D(2030, 4, 20), "debit", Decimal("100.00")),
        (D(2030, 4, 30), "credit", Decimal("1.50")),
    ]
    assert txs[0].reference == "转数快 本地/海外汇入 - FICT3004021234567890 payee-a"
    assert (info.opening_balance, info.closing_balance) == (
        Decimal("10000.00"),
        Decimal("10201.50"),
    )


def test_spdb_credit_card_xls_counts_charges_positive() -> None:
    # a 卡号末四位 column says it is a card statement; one repayment signed negative settles it
    header = ["交易日期", "记账日期", "交易摘要", "卡号末四位", "卡片类型", "交易币种", "交易金额",
              "原始交易金额&币种"]  # fmt: skip
    body: list[list[object]] = [
        ["20300102", "20300103", "测试商户甲", "8888", "测试标准卡", "人民币", "314.15",
         "314.15(CNY)"],
        ["20300117", "20300118", "测试还款", "1234", "测试标准卡", "人民币", "-1618.03",
         "-1618.03(CNY)"],
        ["20300131", "20300201", "测试商户乙", "8888", "测试虚拟卡", "人民币", "271.82", "-"],
    ]  # fmt: skip
    data = _xls(_table(0, header, body))
    txs, _ = _parse(data, "测试用户203001交易明细报表00000000.xls", ParseSettings())
    assert [(t.booking_date, t.direction, t.amount, t.currency) for t in txs] == [
        (D(2030, 1, 2), "debit", Decimal("314.15"), "CNY"),
        (D(2030, 1, 17), "credit", Decimal("1618.03"), "CNY"),
        (D(2030, 1, 31), "debit", Decimal("271.82"), "CNY"),
    ]


def test_citic_bank_international_csv_in_big5() -> None:
    # Hong Kong banks write Big5: its bytes also decode as GB18030, into other characters
    data = (
        "過賬日,交易日,賬項資料,支出,收入,結餘,\n"
        '01/04/2030,01/04/2030,承上結餘,,,"10,000.00",\n'
        '02/04/2030,02/04/2030,轉數快 本地/海外匯入 - FICT3004021234567890 payee-a,,"500.00",'
        '"10,500.00",\n'
        '30/04/2030,30/04/2030,利息存入,,1.50,"10,501.50",\n'
    ).encode("big5")
    txs, info = _parse(data, "CNCBI.csv", ParseSettings())
    assert info.raw["encoding"] == "big5hkscs"
    assert [(t.booking_date, t.direction, t.amount, t.reference[:7]) for t in txs] == [
        (D(2030, 4, 2), "credit", Decimal("500.00"), "轉數快 本地/"),
        (D(2030, 4, 30), "credit", Decimal("1.50"), "利息存入"),
    ]


def test_icbc_card_export_with_its_masked_card_and_details() -> None:
    # bean-sieve's icbc_debit: "卡号: 6222****9999" above, 交易详情 beside 摘要, masked counter-
    # party accounts, 记账金额(收入)/(支出) in the account's currency, a 人民币合计 footer
    header = (
        "交易日期,摘要,交易详情,交易场所,交易国家或地区简称,钞/汇,交易金额(收入),交易金额(支出),"
        "交易币种,记账金额(收入),记账金额(支出),记账币种,余额,对方户名,对方账户"
    )
    data = (
        "\ufeff明细查询文件下载\n\n"
        '卡号: 6222****9999,"卡别名: "\n\n'
        '子账户序号: 00000,子账户类别: 活期,"子账户别名: "\n\n'
        f"{header}\n"
        '2026-03-02,"还款","","支付宝-用户A","CHN",钞,"-","-",-,"","14,955.00",人民币,'
        '"10,000.00","支付宝（中国）网络技术有限公司","2155****0690"\n'
        '2026-03-02,"他行汇入","转账","","CHN",钞,"-","-",-,"60,000.00","",人民币,"10,000.00",'
        '"用户B","6229****3114"\n'
        '2025-12-21,"利息","","批量业务","CHN",钞,"-","-",-,"0.05","",人民币,"10,000.00","",""\n'
        "\n人民币合计,,,,,,,,\n"
    ).encode()
    txs, info = _parse(data, "hisdetail_test.csv", ParseSettings())
    assert [(t.booking_date, t.direction, t.amount, t.currency) for t in txs] == [
        (D(2026, 3, 2), "debit", Decimal("14955.00"), "CNY"),
        (D(2026, 3, 2), "credit", Decimal("60000.00"), "CNY"),
        (D(2025, 12, 21), "credit", Decimal("0.05"), "CNY"),
    ]
    assert info.account == "6222****9999"
    assert (txs[0].payee_name, txs[0].payee_account) == ("支付宝（中国）网络技术有限公司", None)
    assert (txs[1].reference, txs[1].payer_name, txs[1].payer_account) == (
        "他行汇入 转账",
        "用户B",
        None,
    )


# --------------------------------------------------------------------------------------------
# corporate (对公) exports: ICBC's [HISTORYDETAIL] CSV (each cell led by a tab, 借/贷 beside
# separate debit and credit columns, as the GBK importer in a Chinese bookkeeping project reads
# it); BOC's with bracketed English under each Chinese heading; CMB's app export's 支出/收入


def test_icbc_corporate_history_detail() -> None:
    data = (
        "[HISTORYDETAIL]\n"
        "凭证号,本方账号,对方账号,交易时间,起息日,借/贷,借方发生额,贷方发生额,对方行号,摘要,附言,"
        "用途,对方单位名称,余额\n"
        "\t0001,\t1202020209900012345,\t6222021001120001111,\t2024-01-15 10:23:45,\t20240115,"
        "\t贷,\t,\t12000.00,\t102100099996,\t货款,\tINV-2024-001,\t,\t杭州云帆商贸有限公司,"
        "\t112000.00\n"
        "\t0002,\t1202020209900012345,\t1001234509000056789,\t2024-01-16 09:00:01,\t20240116,"
        "\t借,\t3500.00,\t,\t102100099996,\t付房租,\t,\t房租,\t上海某某物业管理有限公司,"
        "\t108500.00\n"
    ).encode("gb18030")
    txs, _ = _parse(data, "historydetail.csv", CNY)
    assert [(t.booking_date, t.value_date, t.direction, t.amount) for t in txs] == [
        (D(2024, 1, 15), D(2024, 1, 15), "credit", Decimal("12000.00")),
        (D(2024, 1, 16), D(2024, 1, 16), "debit", Decimal("3500.00")),
    ]
    assert (txs[0].payer_name, txs[0].payer_account, txs[0].reference) == (
        "杭州云帆商贸有限公司",
        "6222021001120001111",
        "货款 INV-2024-001",
    )
    assert {t.our_account for t in txs} == {"1202020209900012345"}


def test_boc_corporate_bracketed_bilingual_headings() -> None:
    data = (
        "交易类型[ Transaction Type ],付款人账号[ Debit Account No. ],付款人名称[ Payer's Name ],"
        "收款人账号[ Payee's Account Number ],收款人名称[ Payee's Name ],"
        "交易日期[ Transaction Date ],交易货币[ Trade Currency ],交易金额[ Trade Amount ],"
        "交易后余额[ After-transaction balance ],起息日期[ Value Date ],"
        "交易流水号[ Transaction reference number ],用途[ Purpose ]\n"
        "来账,6222021001120001111,杭州云帆商贸有限公司,356789012345,本公司,20240115,人民币,"
        "12000.00,112000.00,20240115,TX0001,货款\n"
        "往账,356789012345,本公司,1001234509000056789,上海某某物业管理有限公司,20240116,人民币,"
        "-3500.00,108500.00,20240116,TX0002,房租\n"
    ).encode("gb18030")
    txs, _ = _parse(data, "boc_corporate.csv", ParseSettings())
    assert [(t.booking_date, t.direction, t.amount, t.currency, t.bank_ref) for t in txs] == [
        (D(2024, 1, 15), "credit", Decimal("12000.00"), "CNY", "TX0001"),
        (D(2024, 1, 16), "debit", Decimal("3500.00"), "CNY", "TX0002"),
    ]
    assert (txs[0].payer_name, txs[0].payer_account) == (
        "杭州云帆商贸有限公司",
        "6222021001120001111",
    )
    assert (txs[1].payee_name, txs[1].payee_account) == (
        "上海某某物业管理有限公司",
        "1001234509000056789",
    )
    assert {t.our_account for t in txs} == {"356789012345"}


def test_cmb_app_export_with_expense_income_flag() -> None:
    data = (
        "账单日期,交易金额,支出/收入,账户余额,交易方式,分类,备注\n"
        "2024-02-01,100.00,支出,900.00,快捷支付,餐饮,午饭\n"
        "2024-02-02,500.00,收入,1400.00,转账,工资,\n"
    ).encode()
    txs, _ = _parse(data, "cmb.csv", CNY)
    assert [(t.booking_date, t.direction, t.amount) for t in txs] == [
        (D(2024, 2, 1), "debit", Decimal("100.00")),
        (D(2024, 2, 2), "credit", Decimal("500.00")),
    ]


def test_alipay_business_account_detail() -> None:
    # Alipay's business 账务明细: '#' notes, cells led by tabs, amounts in 收入金额（+元）/
    # 支出金额（-元）, the other party as "name(account)", masked or an e-mail address
    data = (
        "#支付宝账务明细查询\n"
        "#账号：[20881234567890120156]\n"
        "#起始日期：[2024年03月01日 00:00:00]   终止日期：[2024年04月01日 00:00:00]\n"
        "#-----------------------------------------账务明细列表------------------------------\n"
        "账务流水号,业务流水号,商户订单号,商品名称,发生时间,对方账号,收入金额（+元）,"
        "支出金额（-元）,账户余额（元）,交易渠道,业务类型,备注\n"
        "20240301110070111500870012345678\t,2024030122001412341234567890\t,ORD20240301001\t,"
        "会员年费\t,2024-03-01 10:00:01\t,张三(zha***@163.com)\t,+100.00\t,\t,1100.00\t,支付宝\t,"
        "在线支付\t,\t\n"
        "20240301110070111500870012345679\t,2024030122001412341234567890\t,ORD20240301001\t,"
        "服务费[2024030122001412341234567890]\t,2024-03-01 10:00:01\t,"
        "支付宝(中国)网络技术有限公司(zfbfwf@alipay.com)\t,\t,-0.60\t,1099.40\t,支付宝\t,收费\t,\t\n"
        "#-----------------------------------------账务明细列表结束--------------------------\n"
        "#账户合计：收入：1笔，100.00元   支出：1笔，0.60元\n"
    ).encode("gb18030")
    txs, info = _parse(data, "alipay_business.csv", ParseSettings())
    assert [(t.booking_date, t.direction, t.amount, t.currency, t.bank_ref) for t in txs] == [
        (D(2024, 3, 1), "credit", Decimal("100.00"), "CNY", "20240301110070111500870012345678"),
        (D(2024, 3, 1), "debit", Decimal("0.60"), "CNY", "20240301110070111500870012345679"),
    ]
    assert (txs[0].payer_name, txs[0].payer_account) == ("张三", None)
    assert (txs[1].payee_name, txs[1].payee_account) == (
        "支付宝(中国)网络技术有限公司",
        "zfbfwf@alipay.com",
    )
    assert info.account == "20881234567890120156"


def test_wechat_pay_merchant_bill() -> None:
    # WeChat Pay's merchant 交易账单 (as the bill-download examples of WeChat Pay SDKs print
    # it): every cell led by a backtick, a payment settles 应结订单金额 less its fee, a refund
    # row of the same order pays 退款金额 back and gets its fee back; totals below
    header = (
        "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,"
        "交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,"
        "充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,"
        "费率备注"
    )

    def row(cells: list[str]) -> str:
        return ",".join("`" + c for c in cells)

    data = "\n".join(
        [
            header,
            row(["2024-03-01 10:00:01", "wx1234567890abcdef", "1900000001", "0", "",
                 "4200002024030100001", "ORD20240301001", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
                 "NATIVE", "SUCCESS", "CMB_DEBIT", "CNY", "100.00", "0.00", "0", "0", "0.00",
                 "0.00", "", "", "会员年费", "", "0.60000", "0.60%", "100.00", "0.00", ""]),
            row(["2024-03-02 11:00:01", "wx1234567890abcdef", "1900000001", "0", "",
                 "4200002024030100001", "ORD20240301001", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
                 "NATIVE", "REFUND", "CMB_DEBIT", "CNY", "0.00", "0.00",
                 "50000101202403020001", "RF001", "100.00", "0.00", "ORIGINAL", "SUCCESS",
                 "会员年费", "", "-0.60000", "0.60%", "100.00", "100.00", ""]),
            "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额",
            row(["2", "100.00", "100.00", "0.00", "0.00000", "100.00", "100.00"]),
        ]
    ).encode()  # fmt: skip
    txs, _ = _parse(data, "wechat_merchant.csv", ParseSettings())
    assert [(t.booking_date, t.direction, t.amount, t.currency, t.bank_ref) for t in txs] == [
        (D(2024, 3, 1), "credit", Decimal("99.40"), "CNY", "4200002024030100001"),
        (D(2024, 3, 2), "debit", Decimal("99.40"), "CNY", "4200002024030100001/2"),
    ]
    assert txs[0].reference == "ORD20240301001 会员年费"  # the merchant's order, then the item


def test_boc_debit_card_csv_in_foreign_currencies() -> None:
    # bean-sieve's boc_debit: GBK, 币种 in Chinese (人民币元, 港币, 澳元), masked X…N accounts
    data = (
        "交易时间,业务摘要,对方账户名称,对方账户账号,币种,钞/汇,收入金额,支出金额,余额,"
        "交易渠道/场所,附言\n"
        '2026/06/15 10:30:00,网上快捷支付,支付宝-测试商户A,X100******999N,人民币元,-,,"1,000.00",'
        '"50,000.00",在线交易网关,支付宝-测试商户A\n'
        "2026/06/20 23:30:00,结息,,,港币,现汇,0.88,,5.00,,\n"
        "2026/06/20 23:30:00,结息,,,澳元,现汇,0.50,,10.00,,\n"
    ).encode("gbk")
    txs, _ = _parse(data, "中国银行.csv", ParseSettings())
    assert [(t.direction, t.amount, t.currency) for t in txs] == [
        ("debit", Decimal("1000.00"), "CNY"),
        ("credit", Decimal("0.88"), "HKD"),
        ("credit", Decimal("0.50"), "AUD"),
    ]
    assert (txs[0].payee_name, txs[0].payee_account) == ("支付宝-测试商户A", None)
