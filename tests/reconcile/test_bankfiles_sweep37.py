"""Chinese and Hong Kong card and payment exports from double-entry-generator (sweep 37).

deb-sig/double-entry-generator (Apache-2.0) keeps these sample exports under ``example/``; the
files in ``data/bankfiles`` are their bytes as that project keeps them (UTF-8):

- ``cn_deg_alipay_records.csv``: ``example/alipay/example-alipay-records.csv``, Alipay's
  交易流水证明 (dashes and 导出信息 above the table, cells padded with spaces, a tab after each
  order number, 收/支 beside an unsigned 金额, 不计收支 for money that never left the wallet);
  Alipay sends it in GBK, so it is read in GB18030 too.
- ``cn_deg_wechat_records.csv``: ``example/wechat/example-wechat-records.csv``, WeChat Pay's
  账单明细 (16 lines of notes, ``¥28.16``, 收/支 ``/`` for a neutral entry, tabs after the
  order numbers, 服务费¥0.10 in 备注).
- ``cn_deg_icbc_debit_v2.csv``: ``example/icbc/debit-v2/example-icbc-debit-v2-records.csv``,
  ICBC's newer debit card download (交易场所 beside 交易详情, 对方户名 and a masked 对方账户).
- ``cn_deg_boc_credit.csv``: ``example/boc/credit/example-boc-records.csv``, BOC's card
  statement (存入/支出, a currency per row, a USD purchase).
- ``cn_deg_bocom_credit.csv``: ``example/bocom_credit/example-bocom_credit-records.csv``,
  BOCOM's card export: ``CNY 123.18`` with no sign, the entry's first word (消费, 退货,
  信用卡还款) its only direction.
- ``cn_deg_cmb_credit.csv``: ``example/cmb/credit/example-cmb-records.csv``, CMB's card
  statement (charges positive, dates without a year under a title naming 2024年01月).
- ``hk_deg_hsbc_credit.csv``: ``example/hsbchk/credit/example-hsbchk-credit-records.csv``,
  HSBC Hong Kong's card export (dd/mm/yyyy, Credit / Debit, a currency per row).
- ``cn_deg_jd_records.csv``: ``example/jd/example-jd-records.csv``, JD's bill (a tab after the
  dates and order numbers, 不计收支 for moves between its own accounts, no final newline).
- ``cn_deg_meituan_records_head.csv``: ``example/mt/example-mt-records.csv``, Meituan's bill,
  the notes and the first 5 of its 29 entries (``""`` lines, ¥ amounts, 订单金额 before and
  实付金额 after discounts, tabs inside quoted order numbers).

The expected values are what the files say and what the project books from them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from reconcile.api import parse_bytes
from reconcile.model import ParseSettings, Transaction

from .samples import DATA, read_sample

D = dt.date


def _money(txs: list[Transaction]) -> list[tuple[object, ...]]:
    return [(t.booking_date, t.direction, t.amount, t.currency) for t in txs]


def _codes(tx: Transaction) -> list[str]:
    return [str(getattr(w, "code", w)) for w in tx.warnings]


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_alipay_statement_of_transactions(encoding: str) -> None:
    data = (DATA / "cn_deg_alipay_records.csv").read_bytes().decode("utf-8").encode(encoding)
    (result,) = parse_bytes(data, "alipay.csv", ParseSettings())
    assert result.error is None
    txs = result.transactions
    assert _money(txs) == [
        (D(2023, 2, 12), "debit", Decimal("49.74"), "CNY"),
        (D(2023, 2, 8), "debit", Decimal("20.00"), "CNY"),
        (D(2023, 1, 18), "credit", Decimal("222228.50"), "CNY"),
    ]
    first, _, received = txs
    assert (first.payee_name, first.reference, first.bank_ref) == (
        "xxxxxxxxxxxx",
        # the merchant's order number (商家订单号) goes with the text: the payee's key to it
        "亲情卡 20230xxxxxxx014741014xxxxxx",
        "202302xxxxxx0011000103xxxxxx",  # the tab after the order number is no part of it
    )
    assert (received.payer_name, received.reference) == ("xxxx", "转账")
    # a masked Alipay account (xxx***@163.com) names no account
    assert received.payer_account is None
    # 不计收支: the refund to a credit card and the fund sale never touched the wallet
    (info,) = result.statements
    assert info.raw["skipped"] == [
        "row 28: neither income nor expense",
        "row 29: neither income nor expense",
    ]


def test_wechat_pay_bill() -> None:
    result = read_sample("cn_deg_wechat_records.csv", "tabular")
    txs = result.transactions
    assert len(txs) == 11  # the ten neutral entries (收/支 "/") moved no money in or out
    assert _money(txs[:2]) == [
        (D(2019, 9, 26), "debit", Decimal("28.16"), "CNY"),
        (D(2019, 9, 24), "credit", Decimal("0.35"), "CNY"),
    ]
    assert (txs[0].payee_name, txs[0].reference, txs[0].bank_ref) == (
        "云膳过桥米线(传奇广场店)",
        "总共消费:28.16 129847129",  # 商户单号: the merchant's order number
        "3985734",
    )
    received = txs[4]
    assert _money([received]) == [(D(2020, 11, 27), "credit", Decimal("23.00"), "CNY")]
    assert (received.payer_name, received.reference) == ("用户A", "收款方备注:二维码收款")
    assert txs[5].bank_ref == "42000011202110191201583411"  # a space, not a tab, after it
    assert txs[-1].payee_name == "YingDev"


def test_icbc_debit_v2_place_of_payment_joins_the_text() -> None:
    result = read_sample("cn_deg_icbc_debit_v2.csv", "tabular")
    txs = result.transactions
    assert len(txs) == 11  # not the 人民币合计 row
    assert _money([txs[0], txs[2]]) == [
        (D(2023, 5, 2), "debit", Decimal("13.40"), "CNY"),
        (D(2023, 4, 22), "credit", Decimal("1234.56"), "CNY"),
    ]
    # 摘要 then 交易场所: the merchant of a card payment, the channel of a transfer
    assert [t.reference for t in txs[:2]] == [
        "消费 广东三元麦当劳食品有",
        "自动还款 广东XX分行银行卡中心",
    ]
    assert txs[0].payee_name == "深圳市财付通支付科技有限公司"
    assert (txs[2].payer_name, txs[2].reference) == ("李四", "他行汇入")
    assert (txs[6].payer_name, txs[6].reference) == (
        "支付宝（中国）网络技术有限公司",
        "蚂蚁基金赎回到银行 支付宝",
    )
    assert {t.our_account for t in txs} == {"1234****9876"}
    # the anonymised balance (xx,yyyy.zz) is left out with a warning, the entries still read
    assert result.warnings[0] == "row 8: not an amount: 'xx,yyyy.zz'; the balance is left out"


def test_boc_card_statement_paid_in_and_out_columns() -> None:
    txs = read_sample("cn_deg_boc_credit.csv", "tabular").transactions
    assert len(txs) == 14
    assert _money(txs[:4]) == [
        (D(2024, 12, 13), "debit", Decimal("50.00"), "CNY"),
        (D(2024, 12, 15), "debit", Decimal("0.59"), "CNY"),
        (D(2024, 12, 20), "credit", Decimal("0.01"), "CNY"),
        (D(2024, 12, 20), "credit", Decimal("361.19"), "CNY"),
    ]
    assert [t.reference for t in txs[2:4]] == ["存款利息", "曾三"]
    assert _money(txs[-1:]) == [(D(2024, 12, 22), "debit", Decimal("3.72"), "USD")]
    assert txs[-1].reference == "MICROSOFT*XBOXJPN"


def test_bocom_card_export_directions_from_the_entries_words() -> None:
    txs = read_sample("cn_deg_bocom_credit.csv", "tabular").transactions
    # double-entry-generator books 退货 and 信用卡还款 as received, 消费 as sent
    assert _money(txs) == [
        (D(2025, 1, 10), "credit", Decimal("123.18"), "CNY"),
        (D(2025, 1, 11), "credit", Decimal("1.99"), "CNY"),
        (D(2025, 1, 29), "credit", Decimal("666.60"), "CNY"),
        (D(2025, 1, 11), "debit", Decimal("2.99"), "CNY"),
        (D(2025, 1, 13), "debit", Decimal("10.00"), "CNY"),
        (D(2025, 1, 17), "debit", Decimal("10.74"), "CNY"),
    ]
    assert txs[2].reference == "信用卡还款 转账还款-哈哈 6666 支付宝-哈哈"
    assert txs[3].reference == "消费 美团"
    assert [_codes(t) for t in txs] == [[]] * 3 + [["sign_unsigned_charges"]] * 3


def test_cmb_card_statement_year_from_its_title() -> None:
    txs = read_sample("cn_deg_cmb_credit.csv", "tabular").transactions
    assert _money(txs) == [
        (D(2023, 12, 29), "credit", Decimal("1.23"), "CNY"),
        (D(2023, 12, 30), "credit", Decimal("345.67"), "CNY"),
        (D(2024, 1, 1), "credit", Decimal("30.00"), "CNY"),
        (D(2024, 1, 2), "debit", Decimal("56.78"), "CNY"),
        (D(2024, 1, 3), "credit", Decimal("3.90"), "CNY"),
        (D(2024, 1, 5), "debit", Decimal("8000.00"), "CNY"),
    ]
    assert [t.reference for t in txs[:2]] == ["掌上生活还款", "财付通还款"]


def test_hsbc_hong_kong_card_export() -> None:
    txs = read_sample("hk_deg_hsbc_credit.csv", "tabular").transactions
    assert len(txs) == 11
    assert _money(txs[:4]) == [
        (D(2025, 4, 9), "debit", Decimal("1099.14"), "CNY"),
        (D(2025, 4, 8), "debit", Decimal("18.00"), "CNY"),
        (D(2025, 4, 7), "debit", Decimal("27.90"), "CNY"),
        (D(2025, 4, 7), "debit", Decimal("27.90"), "HKD"),
    ]
    assert txs[1].payee_name == "YAHUI CATERING CO.,LTD."
    refund, repayment = txs[7], txs[8]
    assert _money([refund, repayment]) == [
        (D(2025, 3, 31), "credit", Decimal("25.00"), "CNY"),
        (D(2025, 3, 24), "credit", Decimal("3266.16"), "CNY"),
    ]
    assert refund.payer_name == "PINDUODUO PLATFORM"
    assert (repayment.payer_name, repayment.reference) == (None, "PAYMENT - THANK YOU")


# --------------------------------------------------------------------------------------------
# sandermarechal/jejik-mt940 (MIT, copyright 2012 Sander Marechal):
# ``tests/Jejik/Tests/MT940/Fixture/document/rabobank-iban.txt`` and ``knab.txt``, bytes
# unchanged, as ``mt940_jejik_rabobank_iban.txt`` and ``mt940_jejik_knab.txt``; the values
# below are those its RabobankIbanTest and KnabTest assert


def test_rabobank_name_cut_inside_a_word_at_the_line_end() -> None:
    result = read_sample("mt940_jejik_rabobank_iban.txt", "mt940")
    first, second, *_ = result.transactions
    assert _money([first]) == [(D(2013, 1, 1), "debit", Decimal("25.00"), "EUR")]
    # "/NAME/CONTRA ACCOUN" + "T HOLDER": one name, as jejik reads it
    assert (first.payee_name, first.payee_account) == (
        "CONTRA ACCOUNT HOLDER",
        "NL70ABNA0987654321",
    )
    assert (second.payee_name, second.reference) == ("JOHN DOE", "Reference 201301234")
    assert {t.our_account for t in result.transactions} == {"NL71RABO0123456789"}


def test_knab_party_line_is_no_remittance() -> None:
    result = read_sample("mt940_jejik_knab.txt", "mt940")
    first, paid, received = result.transactions
    assert (first.direction, first.amount) == ("credit", Decimal("500"))
    assert first.reference == (
        "HIER EEN MOOIE OMSCHRIJVING IN HOOFDLETTERS WANT DAT IS ZOALS DE NEDERLANDSE BANKEN"
        " COMMUNICEREN"
    )
    assert _money([paid]) == [(D(2014, 7, 29), "debit", Decimal("7260.00"), "EUR")]
    assert (paid.payee_name, paid.payee_account) == ("PICQER", "NL65INGB0123456789")
    # the "REK: <IBAN>/NAAM: <name>" line names the party; the payer's words come before it
    assert paid.reference == "FACTUUR 201403110, 201403113"
    assert (received.payer_name, received.payer_account) == (
        "MMS ONLINE NEDERLAND B.V.",
        "NL84INGB0234561789",
    )
    assert received.reference == "12160475 0050001631430920 ORDERID: 264267 MEDIA MARKT ONLINE NE"


# --------------------------------------------------------------------------------------------
# Polish MT940 with "<nn" subfields. The layouts are those other projects' parsers test for
# Polish banks (Nest Bank: no business code, <27 the name, <29 the address, <38 the NRB, <63
# the bank's REF; a four-digit code before <00 elsewhere); names, accounts and figures ours.


def _pl_statement(*entries: tuple[str, str]) -> bytes:
    body = "".join(f":61:{line}\n:86:{details}\n" for line, details in entries)
    return (
        ":20:MT940\n:25:/PL61109010140000071219812874\n:28C:00042\n"
        ":60F:C261102PLN10000,00\n"
        f"{body}:62F:C261102PLN11000,00\n-\n"
    ).encode("cp1250")


def _pl_parse(data: bytes) -> list[Transaction]:
    (result,) = parse_bytes(data, "pl.sta", ParseSettings())
    assert result.error is None and result.format == "mt940"
    return result.transactions


def test_polish_angle_subfields_without_a_business_code() -> None:
    (tx,) = _pl_parse(
        _pl_statement(
            (
                "2611021102C1000,00NTRFNONREF//2611020001",
                "<00Przelewy przychodzace<101625670045<20FV 2026/11/017<21<22<23"
                "<27ANNA NOWAK<28<29ul. Lipowa 12/4 00-001 Warszawa<3010501764\n"
                "<311234567890<32<3861105017640000001234567890<63REF26/11/02/000123/1",
            )
        )
    )
    assert (tx.direction, tx.amount, tx.currency) == ("credit", Decimal("1000.00"), "PLN")
    assert (tx.payer_name, tx.payer_account) == ("ANNA NOWAK", "61105017640000001234567890")
    assert tx.reference == "FV 2026/11/017"
    assert tx.raw["address"] == "ul. Lipowa 12/4 00-001 Warszawa"


def test_polish_angle_subfields_after_a_four_digit_code() -> None:
    (tx,) = _pl_parse(
        _pl_statement(
            (
                "2611021102C1000,00NTRFNONREF//2611020002",
                "0200<00p. przychodzacy krajowy<10ABC1\n<20FV 2026/11/018\n"
                "<27Hurtownia Beta Sp. z o.o.\n<63REFXYZ_ABC1",
            )
        )
    )
    assert tx.payer_name == "Hurtownia Beta Sp. z o.o."
    assert tx.reference == "FV 2026/11/018"


def test_polish_subfields_marked_with_greater_than_are_no_triodos_text() -> None:
    # Triodos' ">nn" never opens with the posting text ">00"; its ">31" is our own account,
    # a Polish bank's the other party's
    (tx,) = _pl_parse(
        _pl_statement(
            (
                "2611021102C1000,00NTRFNONREF//2611020003",
                "020>00PRZELEW PRZYCHODZACY>20FV 2026/11/019>3010501764\n"
                ">3161105017640000001234567890>32ANNA NOWAK",
            )
        )
    )
    assert (tx.payer_name, tx.payer_account) == ("ANNA NOWAK", "61105017640000001234567890")
    assert tx.reference == "FV 2026/11/019"


# --------------------------------------------------------------------------------------------
# WoLpH/mt940 (Apache-2.0): ``mt940_tests/betterplace/with_binary_character.sta``, bytes
# unchanged, as ``mt940_wolph_betterplace_binary_character.sta``: Wirecard's batch orders
# give each fact a subfield of its own (?20Belegloser Zahlungsauftrag?21Erstellungsdatum...)


def test_short_purpose_subfields_before_a_capitalised_word_stay_apart() -> None:
    txs = read_sample("mt940_wolph_betterplace_binary_character.sta", "mt940").transactions
    assert len(txs) == 4
    third, fourth = txs[2], txs[3]
    assert third.reference.startswith("Belegloser Zahlungsauftrag Erstellungsdatum:19.03.2010")
    assert third.reference.endswith("Anzahl Posten : 94 Anw-Nr.: 69725563000")
    assert fourth.reference == (
        "Belegloser Zahlungsauftrag Überweisung:19.03.2010 Anzahl Posten :7 Anw-Nr.: 69725663086"
    )
    # all capitals tell nothing: PAYPAL's text stays as the subfields join
    assert txs[0].reference.startswith("QQW53T2245ZGY46J ABBUCHUNG")


def test_jd_bill() -> None:
    result = read_sample("cn_deg_jd_records.csv", "tabular")
    txs = result.transactions
    assert len(txs) == 10  # the two 不计收支 rows (a 白条 repayment, a 小金库 transfer) are none
    assert _money(txs[:3]) == [
        (D(2021, 12, 29), "credit", Decimal("0.01"), "CNY"),
        (D(2021, 12, 28), "credit", Decimal("0.01"), "CNY"),
        (D(2021, 12, 23), "debit", Decimal("91.42"), "CNY"),
    ]
    assert (txs[2].payee_name, txs[2].bank_ref) == ("京东平台商户", "234906303557")
    refund = txs[4]
    assert _money([refund]) == [(D(2021, 12, 16), "credit", Decimal("1.00"), "CNY")]
    assert (refund.payer_name, refund.reference) == (
        "京东平台商户",
        "退款-freeplus洁面乳150ml 1000000000000000000",  # with the merchant's order number
    )
    assert _money(txs[-1:]) == [(D(2021, 12, 15), "credit", Decimal("112.98"), "CNY")]


def test_meituan_bill_paid_amount_after_discounts() -> None:
    txs = read_sample("cn_deg_meituan_records_head.csv", "tabular").transactions
    assert _money(txs) == [
        (D(2025, 2, 28), "debit", Decimal("21.17"), "CNY"),  # 订单金额 ¥22.30
        (D(2025, 2, 27), "credit", Decimal("20.00"), "CNY"),  # a refund
        (D(2025, 2, 23), "debit", Decimal("19.90"), "CNY"),
        (D(2025, 2, 22), "debit", Decimal("11.90"), "CNY"),
        (D(2025, 2, 22), "debit", Decimal("15.90"), "CNY"),
    ]
    assert txs[0].reference == "喜茶（北京大兴万科广场店） 订单详情"
    assert txs[0].bank_ref == "25022811100401670006000394166443"  # the tab is no part of it


# --------------------------------------------------------------------------------------------
# Taiwan and Hong Kong: headers in traditional characters, Big5 bytes. The columns are those a
# public project documents for Cathay United Bank's (國泰世華) account export
# (howie/my-accounting-app ``docs/integration/import-bank/bank-statement/cathay.md``, which says
# a real file should confirm them); rows ours.


def test_traditional_headers_in_big5_read_as_their_simplified_names() -> None:
    text = (
        "交易日期,帳務日期,交易說明,提款金額,存款金額,餘額,對方帳號,備註\r\n"
        "2024/01/10,2024/01/10,超商繳費,500,,12345.00,,\r\n"
        "2024/01/12,2024/01/12,貨款 INV-2024-017,,50000,62345.00,0123456789012,大華貿易\r\n"
    )
    (result,) = parse_bytes(text.encode("big5"), "cathay.csv", ParseSettings())
    assert result.error is None
    paid, received = result.transactions
    assert (paid.booking_date, paid.direction, paid.amount) == (D(2024, 1, 10), "debit", 500)
    assert (received.direction, received.amount) == ("credit", Decimal("50000"))
    assert received.payer_account == "0123456789012"
    assert received.reference == "貨款 INV-2024-017 大華貿易"
    # no currency stated: the entries say so rather than guess
    assert "currency" in str(received.warnings[0])


def test_traditional_notes_above_the_table_give_account_and_currency() -> None:
    text = (
        "戶口結單\r\n帳號：012-345-678901-001\r\n幣別：港幣\r\n"
        "交易日期,交易說明,提款金額,存款金額,結餘\r\n"
        "2024/03/01,轉帳 ACME HK LTD INV-88,,1200.50,8200.50\r\n"
        "2024/03/02,自動櫃員機提款,500.00,,7700.50\r\n"
    )
    (result,) = parse_bytes(text.encode("big5hkscs"), "hk.csv", ParseSettings())
    received, paid = result.transactions
    assert (received.direction, received.amount, received.currency) == (
        "credit",
        Decimal("1200.50"),
        "HKD",
    )
    assert received.our_account == "012-345-678901-001"
    assert (paid.direction, paid.amount, paid.currency) == ("debit", Decimal("500.00"), "HKD")


# --------------------------------------------------------------------------------------------
# Alipay's statement without its totals in 元: the older mobile layout (收/支 first, 交易时间
# last, as jiegec/china_bean_importers' README shows its header) and the current one issued
# by 支付宝支付科技有限公司 with a quoted "5,000.00"; rows ours


def test_alipay_statements_that_name_their_issuer_are_in_yuan() -> None:
    older = (
        "------------------------支付宝（中国）网络技术有限公司  电子客户回单"
        "------------------------\n"
        "收/支                 ,交易对方                ,对方账号                ,商品说明"
        "                ,收/付款方式              ,金额                  ,交易状态"
        "                ,交易分类                ,交易订单号     ,商家订单号           ,"
        "交易时间            ,\n"
        "收入                  ,杭州远景科技有限公司    ,yj***@163.com          ,"
        "货款 INV-2023-0917     ,                    ,1280.50             ,交易成功"
        "                ,转账红包                ,2023091522001400001234\t,"
        "                    \t,2023-09-15 10:20:30 ,\n"
    )
    current = (
        "导出信息：\n支付宝账户：138****0000\n"
        "------------------------支付宝支付科技有限公司  电子客户回单------------------------\n"
        "交易时间,交易分类,交易对方,对方账号,商品说明,收/支,金额,收/付款方式,交易状态,"
        "交易订单号,商家订单号,备注,\n"
        "2026-06-28 11:19:26,转账红包,上海协和贸易有限公司,xh***@163.com,货款 FV-2026-0628,"
        '收入,"5,000.00",,交易成功,20260628200040011100680018462283\t,\t,,\n'
    )
    (old,) = parse_bytes(older.encode("gb18030"), "alipay.csv", ParseSettings())
    (new,) = parse_bytes(current.encode("gb18030"), "alipay.csv", ParseSettings())
    (first,), (second,) = old.transactions, new.transactions
    assert _money([first, second]) == [
        (D(2023, 9, 15), "credit", Decimal("1280.50"), "CNY"),
        (D(2026, 6, 28), "credit", Decimal("5000.00"), "CNY"),
    ]
    assert (first.payer_name, first.reference) == ("杭州远景科技有限公司", "货款 INV-2023-0917")
    assert (second.payer_name, second.bank_ref) == (
        "上海协和贸易有限公司",
        "20260628200040011100680018462283",
    )
    assert not first.warnings and not second.warnings
