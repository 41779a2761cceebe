"""CSV/XLSX exports modelled on real bank downloads (Chinese and foreign), every field checked.

The fixtures are written by hand after the column names, preambles, footers and cell
conventions of the banks' own exports (ICBC, CCB, CMB, ABC, BOC, a German savings bank, an
English high-street bank); names, accounts and figures are invented.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest

from reconcile.errors import ParseError
from reconcile.layouts import load_layout
from reconcile.model import ParseSettings, StatementInfo, Transaction
from reconcile.parsers import tabular

D = dt.date
OUR_NAME = "上海协和贸易有限公司"

FIELDS = (
    "bank_ref",
    "booking_date",
    "value_date",
    "amount",
    "direction",
    "currency",
    "payer_name",
    "payer_account",
    "payer_bank",
    "payee_name",
    "payee_account",
    "reference",
    "our_account",
    "source",
)


def _parse(
    data: bytes, filename: str, settings: ParseSettings
) -> tuple[list[Transaction], StatementInfo]:
    assert tabular.sniff(data, filename)
    txs, (info,) = tabular.parse_with_statements(data, filename, settings)
    return txs, info


def _expect(tx: Transaction, **expected: Any) -> None:
    """Compare every field of FIELDS: those not given must be empty (None, or "")."""
    got = {name: getattr(tx, name) for name in FIELDS}
    want = {
        name: expected.get(name, "" if name in ("reference", "our_account") else None)
        for name in FIELDS
    }
    if "payee_bank" in expected:
        got["payee_bank"] = tx.raw.get("payee_bank")
        want["payee_bank"] = expected["payee_bank"]
    assert got == want


# --------------------------------------------------------------------------------------------
# ICBC: GB18030, a preamble with the label and the value in separate cells, 收入/支出 columns,
# account numbers followed by a tab (so that Excel keeps them as text), 合计 and 笔数 footers

ICBC = (
    "中国工商银行 账户历史明细查询\r\n"
    "账号,6222020200001234567,户名,上海协和贸易有限公司\r\n"
    "币种,人民币,起止日期,2026-11-01 至 2026-11-30\r\n"
    "\r\n"
    "交易日期,摘要,收入金额,支出金额,余额,对方户名,对方账号,对方开户行,交易流水号\r\n"
    '2026-11-03,货款 INV-2026-1001,"12,345.60",,"112,345.60",杭州远景科技有限公司,'
    '"33100402001234\t",招商银行杭州分行,"ICBC20261103000123\t"\r\n'
    '2026/11/4,代发工资,,"8,000.00","104,345.60",宁波海港物流有限公司,'
    '"6217000010001\t",中国建设银行宁波分行,"ICBC20261104000456\t"\r\n'
    '2026年11月5日,退货退款,500.00,,"104,845.60",杭州远景科技有限公司,'
    '"33100402001234\t",招商银行杭州分行,"ICBC20261105000789\t"\r\n'
    '合计,,"12,845.60","8,000.00",,,,,\r\n'
    "收入笔数：2,支出笔数：1,,,,,,,\r\n"
)


def test_icbc_gb18030_preamble_in_cells_and_footers() -> None:
    settings = ParseSettings(own_accounts=("6222020200001234567",))
    txs, info = _parse(ICBC.encode("gb18030"), "icbc.csv", settings)
    assert len(txs) == 3
    common = {"currency": "CNY", "our_account": "6222020200001234567"}
    _expect(
        txs[0],
        bank_ref="ICBC20261103000123",
        booking_date=D(2026, 11, 3),
        amount=Decimal("12345.60"),
        direction="credit",
        payer_name="杭州远景科技有限公司",
        payer_account="33100402001234",
        payer_bank="招商银行杭州分行",
        reference="货款 INV-2026-1001",
        source="icbc.csv#row=6",
        **common,
    )
    _expect(
        txs[1],
        bank_ref="ICBC20261104000456",
        booking_date=D(2026, 11, 4),
        amount=Decimal("8000.00"),
        direction="debit",
        payee_name="宁波海港物流有限公司",
        payee_account="6217000010001",
        payee_bank="中国建设银行宁波分行",
        reference="代发工资",
        source="icbc.csv#row=7",
        **common,
    )
    _expect(
        txs[2],
        bank_ref="ICBC20261105000789",
        booking_date=D(2026, 11, 5),
        amount=Decimal("500.00"),
        direction="credit",
        payer_name="杭州远景科技有限公司",
        payer_account="33100402001234",
        payer_bank="招商银行杭州分行",
        reference="退货退款",
        source="icbc.csv#row=8",
        **common,
    )
    assert (info.account, info.currency) == ("6222020200001234567", "CNY")
    assert (info.opening_balance, info.closing_balance) == (
        Decimal("100000.00"),
        Decimal("104845.60"),
    )
    assert len(info.raw["skipped"]) == 2  # 合计 and 收入笔数


# --------------------------------------------------------------------------------------------
# CCB: 交易时间 "20261103 10:21:33" as the only date, 借方发生额（支取）/贷方发生额（收入）, 摘要
# and 附言 both remittance text, numbers written ="..." so that Excel keeps them as text

CCB = (
    "中国建设银行单位账户交易明细\n"
    "账号：31050161360000001234\n"
    "账户名称：上海协和贸易有限公司\n"
    "交易时间,借方发生额（支取）,贷方发生额（收入）,余额,币种,对方户名,对方账号,"
    "对方开户机构,摘要,附言,凭证号\n"
    '20261103 10:21:33,,"30,000.00","80,000.00",人民币,苏州恒信电子有限公司,'
    '="6227001234567890123",中国建设银行苏州分行,转账存入,INV-2026-1002 货款,="0000123401"\n'
    '20261104 16:05:09,"2,500.00",,"77,500.00",人民币,上海申通快递有限公司,'
    '="31001234500050001111",中国建设银行上海分行,网银转账,11月运费,="0000123402"\n'
)


def test_ccb_datetime_column_and_excel_text_cells() -> None:
    settings = ParseSettings(own_accounts=("31050161360000001234",))
    txs, info = _parse(CCB.encode("gb18030"), "ccb.csv", settings)
    common = {"currency": "CNY", "our_account": "31050161360000001234"}
    _expect(
        txs[0],
        bank_ref="0000123401",
        booking_date=D(2026, 11, 3),
        amount=Decimal("30000.00"),
        direction="credit",
        payer_name="苏州恒信电子有限公司",
        payer_account="6227001234567890123",
        payer_bank="中国建设银行苏州分行",
        reference="转账存入 INV-2026-1002 货款",
        source="ccb.csv#row=5",
        **common,
    )
    _expect(
        txs[1],
        bank_ref="0000123402",
        booking_date=D(2026, 11, 4),
        amount=Decimal("2500.00"),
        direction="debit",
        payee_name="上海申通快递有限公司",
        payee_account="31001234500050001111",
        payee_bank="中国建设银行上海分行",
        reference="网银转账 11月运费",
        source="ccb.csv#row=6",
        **common,
    )
    assert len(txs) == 2
    assert info.opening_balance == Decimal("50000.00")


# --------------------------------------------------------------------------------------------
# CMB: 交易日 and 交易时间 in two columns, 对手信息 holding the name and the account in one cell

CMB = (
    "招商银行 账务明细\n"
    "账号：121900000010001,币种：人民币\n"
    "交易日,交易时间,借方金额,贷方金额,余额,交易类型,摘要,对手信息,流水号\n"
    '20261103,10:21:33,,"50,000.00","150,000.00",汇入汇款,货款 INV-2026-1003,'
    "上海华美贸易有限公司 6222021001122334455,K1234500000001\n"
    '20261104,15:02:11,"1,200.00",,"148,800.00",转账汇款,服务费,'
    "深圳云端科技有限公司 755912345610201,K1234500000002\n"
    '20261105,09:00:00,3.50,,"148,796.50",费用,汇款手续费,,K1234500000003\n'
)


def test_cmb_combined_counterparty_cell() -> None:
    settings = ParseSettings(own_accounts=("121900000010001",))
    txs, _ = _parse(CMB.encode("utf-8"), "cmb.csv", settings)
    common = {"currency": "CNY", "our_account": "121900000010001"}
    _expect(
        txs[0],
        bank_ref="K1234500000001",
        booking_date=D(2026, 11, 3),
        amount=Decimal("50000.00"),
        direction="credit",
        payer_name="上海华美贸易有限公司",
        payer_account="6222021001122334455",
        reference="货款 INV-2026-1003",
        source="cmb.csv#row=4",
        **common,
    )
    _expect(
        txs[1],
        bank_ref="K1234500000002",
        booking_date=D(2026, 11, 4),
        amount=Decimal("1200.00"),
        direction="debit",
        payee_name="深圳云端科技有限公司",
        payee_account="755912345610201",
        reference="服务费",
        source="cmb.csv#row=5",
        **common,
    )
    _expect(
        txs[2],
        bank_ref="K1234500000003",
        booking_date=D(2026, 11, 5),
        amount=Decimal("3.50"),
        direction="debit",
        reference="汇款手续费",
        source="cmb.csv#row=6",
        **common,
    )
    assert txs[0].raw["交易时间"] == "10:21:33" and txs[0].raw["交易类型"] == "汇入汇款"


# --------------------------------------------------------------------------------------------
# ABC: one unsigned 交易金额 column and a 收支标志 column (收/支), 本次余额, 对方名称


ABC = (
    "中国农业银行 账户明细\n"
    "账号：03410500040012345,户名：上海协和贸易有限公司,币种：人民币\n"
    "交易日期,交易时间,收支标志,交易金额,本次余额,对方账号,对方名称,对方开户行,交易用途,摘要,交易流水号\n"
    '2026-11-03,101010,收,"6,600.00","16,600.00",6228480012345678901,无锡新材料有限公司,'
    "中国农业银行无锡分行,INV-2026-1004,转账,ABC0001\n"
    '2026-11-03,141500,支,"1,000.00","15,600.00",95588001234,上海市电力公司,'
    "中国工商银行上海分行,电费,代扣,ABC0002\n"
)


def test_abc_direction_flag_column() -> None:
    settings = ParseSettings(own_accounts=("03410500040012345",))
    txs, info = _parse(ABC.encode("gb18030"), "abc.csv", settings)
    common = {"currency": "CNY", "our_account": "03410500040012345"}
    _expect(
        txs[0],
        bank_ref="ABC0001",
        booking_date=D(2026, 11, 3),
        amount=Decimal("6600.00"),
        direction="credit",
        payer_name="无锡新材料有限公司",
        payer_account="6228480012345678901",
        payer_bank="中国农业银行无锡分行",
        reference="INV-2026-1004 转账",
        source="abc.csv#row=4",
        **common,
    )
    _expect(
        txs[1],
        bank_ref="ABC0002",
        booking_date=D(2026, 11, 3),
        amount=Decimal("1000.00"),
        direction="debit",
        payee_name="上海市电力公司",
        payee_account="95588001234",
        payee_bank="中国工商银行上海分行",
        reference="电费 代扣",
        source="abc.csv#row=5",
        **common,
    )
    assert (info.opening_balance, info.closing_balance) == (
        Decimal("10000.00"),
        Decimal("15600.00"),
    )


# --------------------------------------------------------------------------------------------
# BOC: both parties in their own columns (付款人…, 收款人…), one of them us; a signed amount
# written "+1,234.56" / "-2,000.00"; 交易货币; no preamble, so our account comes from the row


BOC = (
    "交易类型,业务类型,付款人开户行名,付款人账号,付款人名称,收款人开户行名,收款人账号,"
    "收款人名称,交易日期,交易时间,交易货币,交易金额,交易后余额,起息日期,交易流水号,用途,"
    "摘要,备注\n"
    "来账,网银,中国工商银行上海分行,6222021001122334455,上海华美贸易有限公司,"
    f'中国银行上海分行,437658001234,{OUR_NAME},20261103,09:12:00,人民币,"+1,234.56",'
    '"101,234.56",20261103,BOC2026110300001,货款,INV-2026-1005,\n'
    f"往账,网银,中国银行上海分行,437658001234,{OUR_NAME},中国建设银行杭州分行,"
    '33050161000000009876,杭州远景科技有限公司,20261104,11:30:00,人民币,"-2,000.00",'
    '"99,234.56",20261105,BOC2026110400002,采购款,PO-77,加急\n'
)


def test_boc_payer_and_payee_columns_and_signed_amounts() -> None:
    settings = ParseSettings(own_accounts=("437658001234",))
    txs, info = _parse(BOC.encode("utf-8-sig"), "boc.csv", settings)
    common = {"currency": "CNY", "our_account": "437658001234"}
    _expect(
        txs[0],
        bank_ref="BOC2026110300001",
        booking_date=D(2026, 11, 3),
        value_date=D(2026, 11, 3),
        amount=Decimal("1234.56"),
        direction="credit",
        payer_name="上海华美贸易有限公司",
        payer_account="6222021001122334455",
        payer_bank="中国工商银行上海分行",
        reference="货款 INV-2026-1005",
        source="boc.csv#row=2",
        **common,
    )
    _expect(
        txs[1],
        bank_ref="BOC2026110400002",
        booking_date=D(2026, 11, 4),
        value_date=D(2026, 11, 5),
        amount=Decimal("2000.00"),
        direction="debit",
        payee_name="杭州远景科技有限公司",
        payee_account="33050161000000009876",
        payee_bank="中国建设银行杭州分行",
        reference="采购款 PO-77 加急",
        source="boc.csv#row=3",
        **common,
    )
    assert info.closing_balance == Decimal("99234.56")


# --------------------------------------------------------------------------------------------
# a tab-separated .txt download (UTF-8 with BOM), dates with dots


TXT = (
    "\ufeff账号:\t9550880012345600123\n"
    "交易日期\t摘要\t借方金额\t贷方金额\t余额\t对方户名\t对方账号\t流水号\n"
    "2026.11.03\t货款\t\t8800.00\t18800.00\t广州南方机电有限公司\t44050155000000001\tGF001\n"
    "2026.11.06\t房租\t6000.00\t\t12800.00\t上海某某物业管理有限公司\t31001888\tGF002\n"
)


def test_tab_separated_txt() -> None:
    settings = ParseSettings(own_accounts=("9550880012345600123",), default_currency="CNY")
    txs, info = _parse(TXT.encode("utf-8"), "mingxi.txt", settings)
    assert info.raw["delimiter"] == "\t"
    common = {"currency": "CNY", "our_account": "9550880012345600123"}
    _expect(
        txs[0],
        bank_ref="GF001",
        booking_date=D(2026, 11, 3),
        amount=Decimal("8800.00"),
        direction="credit",
        payer_name="广州南方机电有限公司",
        payer_account="44050155000000001",
        reference="货款",
        source="mingxi.txt#row=3",
        **common,
    )
    _expect(
        txs[1],
        bank_ref="GF002",
        booking_date=D(2026, 11, 6),
        amount=Decimal("6000.00"),
        direction="debit",
        payee_name="上海某某物业管理有限公司",
        payee_account="31001888",
        reference="房租",
        source="mingxi.txt#row=4",
        **common,
    )


# --------------------------------------------------------------------------------------------
# XLSX: a merged title, the account in a merged cell, a blank row, real date and number cells,
# a totals row


def _xlsx() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["上海浦东发展银行 账户交易明细"])
    ws.merge_cells("A1:I1")
    ws.append(["账号：98760078801234567", None, None, "币种：人民币"])
    ws.merge_cells("A2:C2")
    ws.append([])
    rows: list[list[object]] = [
        ["交易日期", "交易时间", "摘要", "借方金额", "贷方金额", "余额", "对方户名"],
        [
            dt.datetime(2026, 11, 3),
            "10:00:01",
            "货款",
            None,
            2345.6,
            12345.6,
            "南京长江贸易有限公司",
        ],
        [dt.datetime(2026, 11, 7), "11:22:33", "报销", 345, None, 12000.6, "张三"],
    ]
    extra: list[list[object]] = [
        ["对方账号", "交易流水号"],
        ["32001234567890", "SPD0001"],
        [6225881234567890, "SPD0002"],  # a number cell: the bank forgot to write it as text
    ]
    for row, more in zip(rows, extra, strict=True):
        ws.append([*row, *more])
    ws.append(["合计", None, None, 345, 2345.6, None, None, None, None])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_xlsx_with_merged_title_and_blank_row() -> None:
    settings = ParseSettings(own_accounts=("98760078801234567",))
    txs, info = _parse(_xlsx(), "spdb.xlsx", settings)
    assert info.raw["kind"] == "xlsx" and info.raw["header_row"] == 4
    common = {"currency": "CNY", "our_account": "98760078801234567"}
    _expect(
        txs[0],
        bank_ref="SPD0001",
        booking_date=D(2026, 11, 3),
        amount=Decimal("2345.6"),
        direction="credit",
        payer_name="南京长江贸易有限公司",
        payer_account="32001234567890",
        reference="货款",
        source="spdb.xlsx#row=5",
        **common,
    )
    _expect(
        txs[1],
        bank_ref="SPD0002",
        booking_date=D(2026, 11, 7),
        amount=Decimal("345"),
        direction="debit",
        payee_name="张三",
        payee_account="6225881234567890",
        reference="报销",
        source="spdb.xlsx#row=6",
        **common,
    )
    assert len(txs) == 2
    assert info.opening_balance == Decimal("10000.0")


# --------------------------------------------------------------------------------------------
# an English high-street bank: Money in / Money out, £ amounts, 03-Nov-2026 dates, no reference
# column (a stable synthetic reference is made)


ENGLISH = (
    "Account Name:,ACME TRADING LTD\n"
    "Account Number:,20-00-00 43218765\n"
    "\n"
    "Date,Description,Money in,Money out,Balance\n"
    '03-Nov-2026,FASTER PAYMENT HALCYON LTD INV-2026-1006,"£1,250.00",,"£6,250.00"\n'
    '04-Nov-2026,DIRECT DEBIT BRITISH GAS,,£89.99,"£6,160.01"\n'
)


def test_english_money_in_money_out() -> None:
    settings = ParseSettings(own_accounts=("20-00-00 43218765",))
    txs, info = _parse(ENGLISH.encode("utf-8"), "statement.csv", settings)
    again, _ = _parse(ENGLISH.encode("utf-8"), "statement.csv", settings)
    refs = [tx.bank_ref for tx in txs]
    assert refs == [tx.bank_ref for tx in again] and len(set(refs)) == 2
    assert all(ref.startswith("CSV-") for ref in refs)
    common = {"currency": "GBP", "our_account": "20000043218765"}
    _expect(
        txs[0],
        bank_ref=refs[0],
        booking_date=D(2026, 11, 3),
        amount=Decimal("1250.00"),
        direction="credit",
        reference="FASTER PAYMENT HALCYON LTD INV-2026-1006",
        source="statement.csv#row=5",
        **common,
    )
    _expect(
        txs[1],
        bank_ref=refs[1],
        booking_date=D(2026, 11, 4),
        amount=Decimal("89.99"),
        direction="debit",
        reference="DIRECT DEBIT BRITISH GAS",
        source="statement.csv#row=6",
        **common,
    )
    assert info.opening_balance == Decimal("5000.00")


# --------------------------------------------------------------------------------------------
# a German savings bank (Sparkasse "CSV-CAMT" download): ";", decimal comma with thousands
# dots, two-digit years, quoted cells, Waehrung spelt without umlaut


EUROPEAN = (
    '"Auftragskonto";"Buchungstag";"Valutadatum";"Buchungstext";"Verwendungszweck";'
    '"Beguenstigter/Zahlungspflichtiger";"Kontonummer/IBAN";"BIC (SWIFT-Code)";"Betrag";'
    '"Waehrung";"Info"\n'
    '"DE12500105170648489890";"03.11.26";"03.11.26";"GUTSCHRIFT";"RE 2026-1007";'
    '"Mueller Maschinenbau GmbH";"DE89370400440532013000";"COBADEFFXXX";"1.234,56";"EUR";'
    '"Umsatz gebucht"\n'
    '"DE12500105170648489890";"04.11.26";"05.11.26";"LASTSCHRIFT";"Abschlag November";'
    '"Stadtwerke Musterstadt";"DE02120300000000202051";"BYLADEM1001";"-89,90";"EUR";'
    '"Umsatz gebucht"\n'
)


def test_german_semicolon_decimal_comma() -> None:
    settings = ParseSettings(own_accounts=("DE12500105170648489890",))
    txs, info = _parse(EUROPEAN.encode("cp1252"), "umsaetze.csv", settings)
    assert info.raw["delimiter"] == ";"
    common = {"currency": "EUR", "our_account": "DE12500105170648489890"}
    assert len({tx.bank_ref for tx in txs}) == 2
    _expect(
        txs[0],
        bank_ref=txs[0].bank_ref,
        booking_date=D(2026, 11, 3),
        value_date=D(2026, 11, 3),
        amount=Decimal("1234.56"),
        direction="credit",
        payer_name="Mueller Maschinenbau GmbH",
        payer_account="DE89370400440532013000",
        payer_bank="COBADEFFXXX",
        reference="RE 2026-1007",
        source="umsaetze.csv#row=2",
        **common,
    )
    _expect(
        txs[1],
        bank_ref=txs[1].bank_ref,
        booking_date=D(2026, 11, 4),
        value_date=D(2026, 11, 5),
        amount=Decimal("89.90"),
        direction="debit",
        payee_name="Stadtwerke Musterstadt",
        payee_account="DE02120300000000202051",
        payee_bank="BYLADEM1001",
        reference="Abschlag November",
        source="umsaetze.csv#row=3",
        **common,
    )


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2026/11/3", D(2026, 11, 3)),
        ("2026年11月3日", D(2026, 11, 3)),
        ("03-Nov-2026", D(2026, 11, 3)),
        ("20261103 10:21:33", D(2026, 11, 3)),
        ("2026-11-03 10:21:33", D(2026, 11, 3)),
    ],
)
def test_date_spellings(written: str, expected: dt.date) -> None:
    data = f"交易日期,摘要,交易金额,交易流水号\n{written},货款,100.00,R1\n".encode()
    txs, _ = _parse(data, "d.csv", ParseSettings(default_currency="CNY"))
    _expect(
        txs[0],
        bank_ref="R1",
        booking_date=expected,
        amount=Decimal("100.00"),
        direction="credit",
        currency="CNY",
        reference="货款",
        source="d.csv#row=2",
    )


def test_boc_unsigned_amounts_take_the_direction_from_our_account() -> None:
    # some BOC downloads write the amount unsigned and leave the direction to 来账/往账 and to
    # which party column holds the account
    unsigned = BOC.replace('"+1,234.56"', '"1,234.56"').replace('"-2,000.00"', '"2,000.00"')
    settings = ParseSettings(own_accounts=("437658001234",))
    txs, info = _parse(unsigned.encode("utf-8"), "boc.csv", settings)
    assert [(tx.direction, tx.counterparty_name, tx.warnings) for tx in txs] == [
        ("credit", "上海华美贸易有限公司", []),
        ("debit", "杭州远景科技有限公司", []),
    ]
    assert info.closing_balance == Decimal("99234.56")
    assert info.opening_balance == Decimal("100000.00")


def test_boc_sign_contradicting_our_account_is_a_warning() -> None:
    wrong = BOC.replace('"+1,234.56"', '"-1,234.56"')
    settings = ParseSettings(own_accounts=("437658001234",))
    txs, _ = _parse(wrong.encode("utf-8"), "boc.csv", settings)
    assert txs[0].direction == "credit" and txs[0].payer_name == "上海华美贸易有限公司"
    assert "our account is the payee" in txs[0].warnings[0]
    assert txs[1].warnings == []


# --------------------------------------------------------------------------------------------
# ICBC corporate online banking: 借/贷 next to both amount columns, ICBC's own timestamp
# (2026-11-03-10.21.33.123456), 对方单位名称, 对方行号 (the CNAPS code, the only bank id given)

ICBC_CORPORATE = (
    "凭证号,本方账号,对方账号,交易时间,借/贷,借方发生额,贷方发生额,对方行号,摘要,用途,"
    "对方单位名称,余额,个性化信息\n"
    "G0001,1001234509000012345,6222021001122334455,2026-11-03-10.21.33.123456,贷,,"
    '"9,999.00",102290000012,汇入,INV-2026-1008,上海华美贸易有限公司,"19,999.00",\n'
    "G0002,1001234509000012345,31001234500050001111,2026-11-04-08.00.01.000001,借,"
    '"999.00",,105290000015,汇出,运费,上海申通快递有限公司,"19,000.00",\n'
)


def test_icbc_corporate_export() -> None:
    settings = ParseSettings(own_accounts=("1001234509000012345",), default_currency="CNY")
    txs, info = _parse(ICBC_CORPORATE.encode("gb18030"), "icbc2.csv", settings)
    common = {"currency": "CNY", "our_account": "1001234509000012345"}
    _expect(
        txs[0],
        bank_ref="G0001",
        booking_date=D(2026, 11, 3),
        amount=Decimal("9999.00"),
        direction="credit",
        payer_name="上海华美贸易有限公司",
        payer_account="6222021001122334455",
        reference="汇入 INV-2026-1008",
        source="icbc2.csv#row=2",
        **common,
    )
    _expect(
        txs[1],
        bank_ref="G0002",
        booking_date=D(2026, 11, 4),
        amount=Decimal("999.00"),
        direction="debit",
        payee_name="上海申通快递有限公司",
        payee_account="31001234500050001111",
        payee_bank=None,
        reference="汇出 运费",
        source="icbc2.csv#row=3",
        **common,
    )
    # 对方行号 is the other bank's CNAPS code, kept as a code, never as the bank's name
    assert [t.raw["counterparty_bank_code"] for t in txs[:2]] == ["102290000012", "105290000015"]
    assert info.opening_balance == Decimal("10000.00")


# --------------------------------------------------------------------------------------------
# UK: Lloyds (Debit Amount / Credit Amount, our sort code and account on every row, written
# '30-99-50 so that Excel keeps the dashes) and NatWest ("Value" is the signed amount, every
# text cell prefixed with an apostrophe)

LLOYDS = (
    "Transaction Date,Transaction Type,Sort Code,Account Number,Transaction Description,"
    "Debit Amount,Credit Amount,Balance\n"
    "03/11/2026,FPI,'30-99-50,12345678,HALCYON LTD INV-1006,,1250.00,6250.00\n"
    "04/11/2026,DD,'30-99-50,12345678,BRITISH GAS,89.99,,6160.01\n"
)
NATWEST = (
    "Date, Type, Description, Value, Balance, Account Name, Account Number\n"
    "03 Nov 2026,BAC,\"'HALCYON LTD , INV-1006\",1250.00,6250.00,'ACME TRADING LTD,"
    "'309950-12345678,\n"
    "04 Nov 2026,D/D,\"'BRITISH GAS\",-89.99,6160.01,'ACME TRADING LTD,'309950-12345678,\n"
)


@pytest.mark.parametrize(
    ("data", "account", "references"),
    [
        (LLOYDS, "12345678", ("HALCYON LTD INV-1006", "BRITISH GAS")),
        (NATWEST, "309950-12345678", ("HALCYON LTD , INV-1006", "BRITISH GAS")),
    ],
)
def test_uk_exports(data: str, account: str, references: tuple[str, str]) -> None:
    settings = ParseSettings(default_currency="GBP")
    txs, info = _parse(data.encode("utf-8"), "uk.csv", settings)
    for tx, day, amount, direction, reference, row in zip(
        txs,
        (3, 4),
        ("1250.00", "89.99"),
        ("credit", "debit"),
        references,
        (2, 3),
        strict=True,
    ):
        _expect(
            tx,
            bank_ref=tx.bank_ref,
            booking_date=D(2026, 11, day),  # 03/11/2026: a UK file, day first
            amount=Decimal(amount),
            direction=direction,
            currency="GBP",
            reference=reference,
            our_account=account,
            source=f"uk.csv#row={row}",
        )
    assert info.opening_balance == Decimal("5000.00")


# --------------------------------------------------------------------------------------------
# US: Chase and Bank of America put the month first in dates that cannot tell by themselves
# (11/03/2026): the built-in layouts (reconcile/layouts/*.json) pin it. Bank of America
# starts with a summary block and a "Beginning balance" row without an amount.

CHASE = (
    "Details,Posting Date,Description,Amount,Type,Balance,Check or Slip #\n"
    "CREDIT,11/03/2026,ACME CORP PAYMENT INV-1006,1250.00,ACH_CREDIT,6250.00,,\n"
    "DEBIT,11/04/2026,CON ED OF NY,-89.99,ACH_DEBIT,6160.01,,\n"
)
BANK_OF_AMERICA = (
    "Description,,Summary Amt.\n"
    'Beginning balance as of 11/01/2026,,"5,000.00"\n'
    'Total credits,,"1,250.00"\n'
    'Total debits,,"-89.99"\n'
    'Ending balance as of 11/30/2026,,"6,160.01"\n'
    "\n"
    "Date,Description,Amount,Running Bal.\n"
    '11/01/2026,Beginning balance as of 11/01/2026,,"5,000.00"\n'
    '11/03/2026,"ACME CORP PAYMENT INV-1006","1,250.00","6,250.00"\n'
    '11/04/2026,"CON ED OF NY","-89.99","6,160.01"\n'
)


@pytest.mark.parametrize(("data", "first_row"), [(CHASE, 2), (BANK_OF_AMERICA, 9)])
def test_us_exports_month_first(data: str, first_row: int) -> None:
    txs, info = _parse(data.encode("utf-8"), "us.csv", ParseSettings())
    assert len(txs) == 2
    for tx, day, amount, direction, reference, row in zip(
        txs,
        (3, 4),
        ("1250.00", "89.99"),
        ("credit", "debit"),
        ("ACME CORP PAYMENT INV-1006", "CON ED OF NY"),
        (first_row, first_row + 1),
        strict=True,
    ):
        _expect(
            tx,
            bank_ref=tx.bank_ref,
            booking_date=D(2026, 11, day),
            amount=Decimal(amount),
            direction=direction,
            currency="USD",
            reference=reference,
            source=f"us.csv#row={row}",
        )
    assert (info.opening_balance, info.closing_balance) == (Decimal("5000.00"), Decimal("6160.01"))


@pytest.mark.parametrize(
    ("credit_mark", "debit_mark"), [("转入", "转出"), ("来账", "往账"), ("CRDT", "DBIT")]
)
def test_direction_words(credit_mark: str, debit_mark: str) -> None:
    data = (
        "交易日期,交易方向,交易金额,摘要,交易流水号\n"
        f"2026-11-03,{credit_mark},100.00,货款,R1\n"
        f"2026-11-04,{debit_mark},50.00,费用,R2\n"
    ).encode()
    txs, _ = _parse(data, "m.csv", ParseSettings(default_currency="CNY"))
    assert [(tx.bank_ref, tx.direction, tx.amount) for tx in txs] == [
        ("R1", "credit", Decimal("100.00")),
        ("R2", "debit", Decimal("50.00")),
    ]


def test_headerless_export_with_one_signed_money_column_is_read() -> None:
    # HSBC UK's download has no header row at all: a date, a text and one column of money
    # written with its cents and signed both ways can only be read one way
    data = b"03/11/2026,HALCYON LTD INV-1006,1250.00\n04/11/2026,BRITISH GAS,-89.99\n"
    expected = [
        (D(2026, 11, 3), "credit", Decimal("1250.00"), "HALCYON LTD INV-1006"),
        (D(2026, 11, 4), "debit", Decimal("89.99"), "BRITISH GAS"),
    ]
    txs = tabular.parse(data, "hsbc.csv", ParseSettings())
    assert [(tx.booking_date, tx.direction, tx.amount, tx.reference) for tx in txs] == expected
    layout = load_layout(
        '{"name": "HSBC UK", "has_header": false, "dayfirst": true, "currency": "GBP",'
        ' "columns": {"booking_date": 0, "description": 1, "amount": 2}}'
    )
    txs = tabular.parse(data, "hsbc.csv", ParseSettings(layouts=(layout,)))
    assert [(tx.booking_date, tx.direction, tx.amount, tx.reference) for tx in txs] == expected
    assert {tx.currency for tx in txs} == {"GBP"}


def test_headerless_export_of_unsigned_amounts_needs_a_layout() -> None:
    # without a minus anywhere, nothing says which way the money went nor that the figures
    # are money: a count or a quantity looks the same
    data = b"03/11/2026,HALCYON LTD INV-1006,1250.00\n04/11/2026,BRITISH GAS,89.99\n"
    with pytest.raises(ParseError, match=r"no header row \(its rows begin '03/11/2026'"):
        tabular.parse(data, "hsbc.csv", ParseSettings())


# --------------------------------------------------------------------------------------------
# "Excel" downloads that are an HTML table saved as .xls (common in Chinese online banking),
# repeating title and header on every printed page; and a real binary .xls, which is refused
# with a clear message (no reader for the old BIFF format is installed)

HTML_XLS = (
    '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head>'
    "<body><table border=1>"
    '<tr><td colspan="6">中国建设银行 账户明细</td></tr>'
    "<tr><th>记账日期</th><th>摘要</th><th>借方发生额</th><th>贷方发生额</th><th>余额</th>"
    "<th>对方户名</th></tr>"
    "<tr><td>2026-11-03</td><td>货款&nbsp;INV-1</td><td></td><td>1,100.00</td>"
    "<td>1,100.00</td><td>甲公司</td></tr>"
    '<tr><td colspan="6">中国建设银行 账户明细</td></tr>'
    "<tr><th>记账日期</th><th>摘要</th><th>借方发生额</th><th>贷方发生额</th><th>余额</th>"
    "<th>对方户名</th></tr>"
    "<tr><td>2026-11-04</td><td>运费</td><td>100.00</td><td></td>"
    "<td>1,000.00</td><td>乙公司</td></tr>"
    "</table></body></html>"
)


def test_html_table_saved_as_xls() -> None:
    settings = ParseSettings(default_currency="CNY")
    txs, info = _parse(HTML_XLS.encode("gb18030"), "mingxi.xls", settings)
    assert info.raw["kind"] == "html"
    refs = [tx.bank_ref for tx in txs]
    assert len(set(refs)) == 2
    _expect(
        txs[0],
        bank_ref=refs[0],
        booking_date=D(2026, 11, 3),
        amount=Decimal("1100.00"),
        direction="credit",
        currency="CNY",
        payer_name="甲公司",
        reference="货款 INV-1",
        source="mingxi.xls#row=3",
    )
    _expect(
        txs[1],
        bank_ref=refs[1],
        booking_date=D(2026, 11, 4),
        amount=Decimal("100.00"),
        direction="debit",
        currency="CNY",
        payee_name="乙公司",
        reference="运费",
        source="mingxi.xls#row=6",
    )
    assert info.opening_balance == Decimal("0.00")


XHTML_XLS = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<html xmlns="http://www.w3.org/1999/xhtml"><body><table>'
    "<tr><td>Date</td><td>Description</td><td>Amount</td><td>Currency</td></tr>"
    "<tr><td>2026-11-05</td><td>INV-7 Harbour Ltd</td><td>250.00</td><td>EUR</td></tr>"
    "</table></body></html>"
)


def test_xhtml_table_with_xml_declaration() -> None:
    """lxml refuses decoded text that still declares its encoding; the declaration is dropped."""
    txs, info = _parse(XHTML_XLS.encode(), "export.xls", ParseSettings())
    assert info.raw["kind"] == "html"
    assert [(tx.booking_date, tx.amount, tx.currency, tx.reference) for tx in txs] == [
        (D(2026, 11, 5), Decimal("250.00"), "EUR", "INV-7 Harbour Ltd")
    ]


def _ss_cell(value: str, kind: str = "String", **attributes: str) -> str:
    extra = "".join(f' ss:{name}="{v}"' for name, v in attributes.items())
    return f'<Cell{extra}><Data ss:Type="{kind}">{value}</Data></Cell>'


def _ss_row(*cells: str, **attributes: str) -> str:
    extra = "".join(f' ss:{name}="{v}"' for name, v in attributes.items())
    return f"<Row{extra}>{''.join(cells)}</Row>"


def _spreadsheet(*rows: str, encoding: str = "UTF-8", head: str = "") -> bytes:
    text = (
        f'<?xml version="1.0" encoding="{encoding}"?>\n{head}'
        '<?mso-application progid="Excel.Sheet"?>\n'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"'
        ' xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"'
        ' xmlns:html="http://www.w3.org/TR/REC-html40">'
        '<Worksheet ss:Name="交易明细"><Table>' + "".join(rows) + "</Table></Worksheet>"
        '<Worksheet ss:Name="Sheet2"><Table><Row><Cell><Data ss:Type="String">other</Data>'
        "</Cell></Row></Table></Worksheet></Workbook>"
    )
    return text.encode("gb18030" if encoding.upper().startswith("GB") else encoding)


HEADER = ("交易时间", "摘要", "借方发生额", "贷方发生额", "余额", "对方户名", "对方账号", "币种")


def test_excel_2003_xml_spreadsheet_saved_as_xls() -> None:
    """SpreadsheetML as e-banking systems write it: a merged title, an account line, typed cells
    (DateTime, Number), cells skipped with ss:Index, rows skipped with ss:Index, a totals row,
    a GB2312 declaration, and a second worksheet that is not read."""
    data = _spreadsheet(
        _ss_row(_ss_cell("账户交易明细", MergeAcross="7")),
        _ss_row(_ss_cell("账号："), _ss_cell("31050161393600000123")),
        _ss_row(*(_ss_cell(h) for h in HEADER), Index="4"),
        _ss_row(
            _ss_cell("2026-11-03T10:15:00.000", "DateTime"),
            _ss_cell("货款 INV-2026-0042"),
            _ss_cell("1200.5", "Number", Index="4"),
            _ss_cell("5200.5", "Number"),
            _ss_cell("上海协和<html:B>贸易</html:B>有限公司"),
            _ss_cell("6222021001001234567"),
            _ss_cell("人民币"),
        ),
        _ss_row(
            _ss_cell("2026-11-04T00:00:00.000", "DateTime"),
            _ss_cell("手续费"),
            _ss_cell("10", "Number"),
            _ss_cell("5190.5", "Number", Index="5"),
            _ss_cell("中国工商银行"),
            _ss_cell("人民币", Index="8"),
        ),
        _ss_row(
            _ss_cell("合计"), _ss_cell("10", "Number", Index="3"), _ss_cell("1200.5", "Number")
        ),
        encoding="GB2312",
    )
    assert tabular.sniff(data, "mingxi.xls")
    txs, info = _parse(data, "mingxi.xls", ParseSettings())
    assert info.raw["kind"] == "spreadsheetml"
    _expect(
        txs[0],
        bank_ref=txs[0].bank_ref,
        booking_date=D(2026, 11, 3),
        amount=Decimal("1200.50"),
        direction="credit",
        currency="CNY",
        payer_name="上海协和贸易有限公司",
        payer_account="6222021001001234567",
        reference="货款 INV-2026-0042",
        our_account="31050161393600000123",
        source="mingxi.xls#row=5",
    )
    _expect(
        txs[1],
        bank_ref=txs[1].bank_ref,
        booking_date=D(2026, 11, 4),
        amount=Decimal("10.00"),
        direction="debit",
        currency="CNY",
        payee_name="中国工商银行",
        reference="手续费",
        our_account="31050161393600000123",
        source="mingxi.xls#row=6",
    )
    assert len(txs) == 2
    assert (info.opening_balance, info.closing_balance) == (Decimal("4000.00"), Decimal("5190.50"))


@pytest.mark.parametrize(
    ("rows", "head", "message"),
    [
        ((_ss_row(_ss_cell("x", Index="999999999")),), "", r"index '999999999' outside 1 to"),
        ((_ss_row(_ss_cell("x"), Index="0"),), "", r"index '0' outside 1 to"),
        ((_ss_row(_ss_cell("x", MergeAcross="many")),), "", r"index 'many' outside 1 to"),
        ((_ss_row(_ss_cell("x")),), '<!DOCTYPE x [<!ENTITY e "y">]>', r"DOCTYPE"),
    ],
)
def test_hostile_xml_spreadsheet_is_refused(rows: tuple[str, ...], head: str, message: str) -> None:
    with pytest.raises(ParseError, match=message) as caught:
        tabular.parse(_spreadsheet(*rows, head=head), "evil.xls", ParseSettings())
    assert caught.value.file == "evil.xls"


def test_office_file_that_is_no_workbook_is_refused_clearly() -> None:
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024)
    assert tabular.sniff(data, "old.xls")
    with pytest.raises(ParseError, match=r"not a readable Excel 97-2003 workbook|damaged \.xls"):
        tabular.parse(data, "old.xls", ParseSettings())
