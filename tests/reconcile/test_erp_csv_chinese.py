"""The ERP CSV reader on Chinese ERPs' exports: Kingdee (金蝶), Yonyou (用友) and Excel saves.

Their headers are Chinese (客户编码, 开票日期, 未收金额 ...), their dates ``2026/11/20``,
``2026-11-20 00:00:00``, ``2026年11月20日`` or ``20261120``, their amounts ``"5,000.00"``,
``¥5,000.00`` or full-width, their currencies ``人民币`` or ``美元``. The reader used by
``python -m reconcile match`` takes them with the portal's import (one vocabulary, one reader).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from reconcile.matching.erp_csv import (
    CsvLayoutError,
    ErpFileError,
    read_customers,
    read_invoices,
    read_rows,
)
from reconcile.matching.erp_values import (
    ErpValueError,
    read_erp_amount,
    read_erp_currency,
    read_erp_date,
)

D = Decimal

KINGDEE_CUSTOMERS = (
    "客户编码,客户名称,别名,银行账号,币种\n"
    "HM01,上海华美贸易有限公司,华美;HM Trading,6222 0210 0100 1234,人民币\n"
    "AC02,Acme Industrial Ltd,,,美元\n"
)
KINGDEE_INVOICES = (
    "发票号,客户编码,客户名称,开票日期,到期日,币种,金额,未收金额,采购订单号\n"
    'FP-001,HM01,上海华美贸易有限公司,2026/11/20,2026/12/20,人民币,"5,000.00","5,000.00",PO-1\n'
    "FP-002,HM01,上海华美贸易有限公司,2026-11-20 00:00:00,2026-12-20 00:00:00,RMB,5000,2000,\n"
    'FP-003,HM01,上海华美贸易有限公司,2026年11月20日,2026年12月20日,CNY,"¥5,000.00",¥0.00,\n'
    "FP-004,AC02,Acme,20261120,20261220,美元,５０００．００,１２３４．５０,\n"
)


def test_kingdee_customers_with_chinese_headers_and_currency_names() -> None:
    customers = read_customers(KINGDEE_CUSTOMERS.encode("gb18030"))
    assert [(c.code, c.name, c.aliases, c.bank_accounts, c.currency) for c in customers] == [
        ("HM01", "上海华美贸易有限公司", ("华美", "HM Trading"), ("6222 0210 0100 1234",), "CNY"),
        ("AC02", "Acme Industrial Ltd", (), (), "USD"),
    ]


def test_kingdee_invoices_with_every_date_and_amount_form() -> None:
    invoices = read_invoices(KINGDEE_INVOICES.encode("utf-8-sig"))
    issue, due = dt.date(2026, 11, 20), dt.date(2026, 12, 20)
    assert [
        (i.number, i.customer, i.issue_date, i.due_date, i.currency, i.amount, i.open_amount)
        for i in invoices
    ] == [
        ("FP-001", "HM01", issue, due, "CNY", D("5000.00"), D("5000.00")),
        ("FP-002", "HM01", issue, due, "CNY", D("5000"), D("2000")),
        ("FP-003", "HM01", issue, due, "CNY", D("5000.00"), D("0.00")),
        ("FP-004", "AC02", issue, due, "USD", D("5000.00"), D("1234.50")),
    ]
    assert invoices[0].po_number == "PO-1"


def test_yonyou_names_of_the_columns() -> None:
    data = (
        "单据编号,客户代码,发票日期,到期日期,币别,价税合计,原币余额,客户订单号\n"
        "YY-1,HM01,2026-11-02,2026-12-02,港币,1200.00,200.00,PO-9\n"
    ).encode()
    (invoice,) = read_invoices(data)
    assert (invoice.number, invoice.customer, invoice.currency) == ("YY-1", "HM01", "HKD")
    assert (invoice.amount, invoice.open_amount, invoice.po_number) == (
        D("1200.00"),
        D("200.00"),
        "PO-9",
    )


def test_english_and_chinese_names_of_one_column_are_refused() -> None:
    """Two columns that both say "the amount" (金额 and 价税合计): which one is meant is a guess."""
    data = (
        "number,customer,issue_date,due_date,currency,金额,价税合计,open_amount,po_number\n"
        "I-1,HM01,2026-11-02,2026-12-02,CNY,100.00,113.00,113.00,\n"
    ).encode()
    with pytest.raises(CsvLayoutError) as excinfo:
        read_rows(data, ["number"], vocabulary="invoices")
    assert excinfo.value.code == "same_column"
    assert excinfo.value.params == {"column": "amount", "headers": "金额, 价税合计"}


def test_missing_column_is_named_in_english_with_its_chinese_names() -> None:
    data = "发票号,客户编码,开票日期,到期日,币种,金额\nI-1,HM01,2026-11-02,2026-12-02,CNY,1\n"
    with pytest.raises(CsvLayoutError) as excinfo:
        read_invoices(data.encode())
    assert excinfo.value.code == "missing_column"
    assert excinfo.value.params["columns"] == "open_amount"


def test_bad_values_are_listed_per_row_never_guessed() -> None:
    data = (
        "发票号,客户编码,开票日期,到期日,币种,金额,未收金额\n"
        'I-1,HM01,2026-11-02,2026-12-02,CNY,"5.000,00",0\n'
        "I-2,HM01,03/11/2026,2026-12-02,CNY,100,0\n"
        "I-3,HM01,2026-11-02,2026-12-02,CNY,US$100.00,0\n"
    ).encode()
    with pytest.raises(ErpFileError) as excinfo:
        read_invoices(data)
    problems = excinfo.value.problems
    assert [p.split(":")[0] for p in problems] == ["line 2", "line 3", "line 4"]


def test_every_bad_value_of_a_row_is_named() -> None:
    data = (
        "发票号,客户编码,开票日期,到期日,币种,金额,未收金额\n"
        'I-1,HM01,03/11/2026,2026-02-30,日币,"5.000,00",0\n'
    ).encode()
    with pytest.raises(ErpFileError) as excinfo:
        read_invoices(data)
    (problem,) = excinfo.value.problems
    assert problem == (
        "line 2: '03/11/2026': write the year first, e.g. 2026-11-20; '2026-02-30': no such day; "
        "'日币' is not a currency; '5.000,00': a decimal comma is not read (write 1234.56)"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-20", dt.date(2026, 11, 20)),
        ("2026/11/20", dt.date(2026, 11, 20)),
        ("2026/1/5", dt.date(2026, 1, 5)),
        ("2026-11-20 00:00:00", dt.date(2026, 11, 20)),
        ("2026/11/20 0:00", dt.date(2026, 11, 20)),
        ("2026年11月20日", dt.date(2026, 11, 20)),
        ("20261120", dt.date(2026, 11, 20)),
        ("２０２６－１１－２０", dt.date(2026, 11, 20)),
    ],
)
def test_erp_dates(text: str, expected: dt.date) -> None:
    assert read_erp_date(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("03/11/2026", "day_month_order"),
        ("11/20/2026", "day_month_order"),
        ("2026-02-30", "no_such_day"),
        ("46346", "not_date"),
        ("next week", "not_date"),
        ("٢٠٢٦-11-20", "not_date"),
    ],
)
def test_erp_dates_refused(text: str, code: str) -> None:
    with pytest.raises(ErpValueError) as excinfo:
        read_erp_date(text)
    assert excinfo.value.code == code


@pytest.mark.parametrize(
    ("text", "currency", "expected"),
    [
        ("5,000.00", "CNY", D("5000.00")),
        ("5000", "CNY", D("5000")),
        ("¥5,000.00", "CNY", D("5000.00")),
        ("￥5,000.00", "CNY", D("5000.00")),
        ("５，０００．００", "CNY", D("5000.00")),
        ("RMB 1,234.56", "CNY", D("1234.56")),
        ("1,234.56元", "CNY", D("1234.56")),
        ("USD 1,234.56", "USD", D("1234.56")),
        ("$1,234.56", "USD", D("1234.56")),
        ("¥120,000", "JPY", D("120000")),
        ("-1,234.56", "CNY", D("-1234.56")),
        ("1234.5678", "CNY", D("1234.5678")),
    ],
)
def test_erp_amounts(text: str, currency: str, expected: Decimal) -> None:
    value = read_erp_amount(text, currency)
    assert value == expected and str(value) == str(expected)


@pytest.mark.parametrize(
    ("text", "currency", "code"),
    [
        ("5.000,00", "CNY", "decimal_comma"),
        ("5000,00", "CNY", "decimal_comma"),
        ("1,5", "EUR", "decimal_comma"),
        ("1,2345.00", "CNY", "not_amount"),
        ("US$100.00", "CNY", "other_currency"),
        ("€100.00", "USD", "other_currency"),
        ("人民币100", "USD", "other_currency"),
        ("abc", "CNY", "not_amount"),
        ("1.23456", "CNY", "not_amount"),
        ("12345678901234567", "CNY", "not_amount"),
        ("NaN", "CNY", "not_amount"),
        ("١٢.00", "CNY", "not_amount"),
    ],
)
def test_erp_amounts_refused(text: str, currency: str, code: str) -> None:
    with pytest.raises(ErpValueError) as excinfo:
        read_erp_amount(text, currency)
    assert excinfo.value.code == code


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CNY", "CNY"),
        ("cny", "CNY"),
        ("人民币", "CNY"),
        ("RMB", "CNY"),
        ("美元", "USD"),
        ("USD", "USD"),
        ("港币", "HKD"),
        ("港元", "HKD"),
        ("HKD", "HKD"),
        ("欧元", "EUR"),
        ("日元", "JPY"),
        ("英镑", "GBP"),
        ("KWD", "KWD"),
        ("ＵＳＤ", "USD"),
    ],
)
def test_erp_currencies(text: str, expected: str) -> None:
    assert read_erp_currency(text) == expected


@pytest.mark.parametrize("text", ["元宝", "dollars", "US", "¥", "$"])
def test_erp_currencies_refused(text: str) -> None:
    with pytest.raises(ErpValueError) as excinfo:
        read_erp_currency(text)
    assert excinfo.value.code == "not_currency"
