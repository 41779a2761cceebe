"""Layouts found in other projects' real sample exports, checked against what those projects book.

The files are written here after the samples of double-entry-generator (CMB's and CGB's card
statements, Meituan's and JD's bills), ofxstatement-sparkasse-freiburg (a savings bank's
CSV-CAMT export) and ofxstatement-dutch (ASN Bank's headerless export): same columns, same
quirks, invented names and figures, kept small.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from reconcile.model import ParseSettings, Transaction
from reconcile.parsers import tabular

from .test_tabular_banks import _parse

D = dt.date
SETTINGS = ParseSettings()


def _money(txs: list[Transaction]) -> list[tuple[object, ...]]:
    return [(t.booking_date, t.direction, t.amount, t.currency) for t in txs]


def _codes(tx: Transaction) -> list[str]:
    return [str(getattr(w, "code", w)) for w in tx.warnings]


# --------------------------------------------------------------------------------------------
# card statements: charges positive, repayments and refunds negative

CMB_CARD = (
    "招商银行信用卡对账单（个人消费卡账户 2024年01月）（补）\n"
    "交易日,记账日,交易摘要,人民币金额,卡号末四位,交易地金额\n"
    ",12/29,掌上生活还款,-1.23,1234,-1.23\n"
    ",01/01,银联转账还款,-30.00,1234,-30.00\n"
    "01/02,01/03,掌上生活影票-电影票,56.78,1234,56.78\n"
    "01/03,01/04,手机银行饭票,-3.90,1234,-3.90(CN)\n"
    '01/05,01/07,中国移动,"8,000.00",1234,"8,000.00(CN)"\n'
)


def test_cmb_card_statement_dates_currency_and_signs() -> None:
    # double-entry-generator books: 2023-12-29 repayment 1.23 and 2024-01-01 30.00 into the
    # card, 56.78 and 8000.00 spent, 3.90 back; 人民币金额 names the amount and its currency,
    # the dates print no year (the title's 2024年01月 gives it), repayments leave 交易日 blank
    txs, info = _parse(CMB_CARD.encode(), "cmb.csv", SETTINGS)
    assert _money(txs) == [
        (D(2023, 12, 29), "credit", Decimal("1.23"), "CNY"),
        (D(2024, 1, 1), "credit", Decimal("30.00"), "CNY"),
        (D(2024, 1, 2), "debit", Decimal("56.78"), "CNY"),
        (D(2024, 1, 3), "credit", Decimal("3.90"), "CNY"),
        (D(2024, 1, 5), "debit", Decimal("8000.00"), "CNY"),
    ]
    assert [t.reference for t in txs][2] == "掌上生活影票-电影票"
    assert all("sign_inverted_charges" in _codes(t) for t in txs)
    assert info.currency == "CNY"


CGB_CARD = (
    "交易日期,入账日期,交易摘要,交易金额,交易货币,入账金额,入账货币\n"
    "2025/01/05,2025/01/06,（消费）示例商户A,15.90,人民币,15.90,人民币\n"
    "2025/01/04,2025/01/04,（退款）示例商户B,-97.20,人民币,-97.20,人民币\n"
    "2025/01/03,2025/01/03,（分期）银联分期00000000000/10/12期,387.42,人民币,387.42,人民币\n"
    "2024/12/25,2024/12/26,（还款）云闪付 银联入账-张三,-1130.68,人民币,-1130.68,人民币\n"
)


def test_card_export_signs_read_from_refunds_and_purchases() -> None:
    # CGB's export says nowhere that it is a card's: a refund printed negative and a purchase
    # positive show that charges count positive (double-entry-generator books it so)
    # a purchase abroad is booked as 入账金额 in 入账货币, not as paid (交易金额/交易货币)
    abroad = "2024/12/20,2024/12/21,（消费）APPLE.COM/BILL,9.99,美元,72.50,人民币\n"
    txs, _ = _parse((CGB_CARD + abroad).encode(), "cgb.csv", SETTINGS)
    assert _money(txs) == [
        (D(2025, 1, 5), "debit", Decimal("15.90"), "CNY"),
        (D(2025, 1, 4), "credit", Decimal("97.20"), "CNY"),
        (D(2025, 1, 3), "debit", Decimal("387.42"), "CNY"),
        (D(2024, 12, 25), "credit", Decimal("1130.68"), "CNY"),
        (D(2024, 12, 20), "debit", Decimal("72.50"), "CNY"),
    ]


def test_account_with_purchases_out_and_refunds_in_is_left_as_read() -> None:
    data = CGB_CARD.replace(",15.90,", ",-15.90,").replace(",-97.20,", ",97.20,")
    data = data.replace(",387.42,", ",-387.42,").replace(",-1130.68,", ",1130.68,")
    txs, _ = _parse(data.encode(), "account.csv", SETTINGS)
    assert [t.direction for t in txs] == ["debit", "credit", "debit", "credit"]
    assert not any("sign_inverted_charges" in _codes(t) for t in txs)


def test_one_sign_only_proves_nothing() -> None:
    # all amounts positive, no repayment and no title naming a card: a card's charges or a
    # merchant's takings and refunds, the texts cannot say
    data = CGB_CARD.replace(",-97.20,", ",97.20,").split("\n")[:-2]
    txs, _ = _parse("\n".join(data).encode(), "cgb.csv", SETTINGS)
    assert [t.direction for t in txs] == ["credit", "credit", "credit"]


# --------------------------------------------------------------------------------------------
# payment bills: Meituan's paid amount, JD's merchant, totals counted in 元

MEITUAN = (
    "美团交易账单明细\n"
    "美团用户名：[SJT000000000]\n"
    "起始时间：[2025-02-01] 终止时间：[2025-02-28]\n"
    '""\n'
    "共：3笔记录\n"
    "支出：2笔 69.05元\n"
    "收入：1笔 20.00元\n"
    '""\n'
    "【美团交易账单明细列表】\n"
    "交易创建时间,交易成功时间,交易类型,订单标题,收/支,支付方式,订单金额,实付金额,交易单号,"
    "商家单号,备注\n"
    "2025-02-28 20:35:13,2025-02-28 20:35:25,支付,喜茶（示例店） 订单详情,支出,美团月付,"
    '¥22.30,¥21.17,"25022811100401670006000394166443\t","0_2204430449361044\t",/\n'
    "2025-02-27 07:04:17,2025-02-27 07:04:18,退款,葡式蛋挞6只,收入,银行信用卡(1875),"
    '¥20.00,¥20.00,"2502270181541103443\t","4981008581243837847AL7R600WKKG\t",/\n'
    "2025-02-12 20:59:12,2025-02-12 20:59:20,还款,【美团月付】主动还款2025年3月账单,支出,"
    '银行储蓄卡(3147),¥48.14,¥47.88,"25021211100401670003883284995443\t",'
    '"2502122059126546010530289443_1087639443\t",/\n'
)


def test_meituan_bill_books_the_amount_paid() -> None:
    txs, info = _parse(MEITUAN.encode(), "meituan.csv", SETTINGS)
    assert [(t.bank_ref, t.direction, t.amount, t.currency, t.reference) for t in txs] == [
        (
            "25022811100401670006000394166443",
            "debit",
            Decimal("21.17"),
            "CNY",
            "喜茶（示例店） 订单详情",
        ),
        ("2502270181541103443", "credit", Decimal("20.00"), "CNY", "葡式蛋挞6只"),
        (
            "25021211100401670003883284995443",
            "debit",
            Decimal("47.88"),
            "CNY",
            "【美团月付】主动还款2025年3月账单",
        ),
    ]
    assert txs[0].booking_date == D(2025, 2, 28)
    assert info.raw["header_row"] == 10


JD = (
    "导出信息：\n"
    "京东账号名：jd_example\n"
    "起始时间：2021-01-01\t终止时间：2021-12-30\n"
    "共：3笔记录\n"
    "收入：1笔，0.01元\n"
    "支出：1笔，91.42元\n"
    "不计收支：1笔，1125.43元\n"
    "\n"
    "交易时间,交易分类,商户名称,交易说明,收/支,金额,收/付款方式,交易状态,交易订单号,"
    "商家订单号,备注\n"
    "2021-12-29 06:37:20\t,小金库,京东小金库,京东小金库收益,收入,0.01,小金库零用钱,交易成功,"
    "20000000000000000022\t,20000000000000000002\t,\n"
    "2021-12-23 12:04:37\t,食品酒饮,京东平台商户,椰子水 1L*6支,支出,91.42,京东白条,交易成功,"
    "234906303557\t,110000000000000000000044\t,\n"
    "2021-12-15 12:09:23\t,白条,京东金融,白条主动还款,不计收支,1125.43,小金库零用钱,交易成功,"
    "2000000000000000000\t,107500000000000000000058\t,\n"
)


def test_jd_bill_names_the_merchant_and_counts_in_yuan() -> None:
    txs, _ = _parse(JD.encode(), "jd.csv", SETTINGS)
    assert _money(txs) == [
        (D(2021, 12, 29), "credit", Decimal("0.01"), "CNY"),
        (D(2021, 12, 23), "debit", Decimal("91.42"), "CNY"),
    ]
    assert (txs[0].payer_name, txs[1].payee_name) == ("京东小金库", "京东平台商户")
    assert txs[1].reference == "椰子水 1L*6支 110000000000000000000044"
    assert not any(t.warnings for t in txs)


# --------------------------------------------------------------------------------------------
# European exports

SPARKASSE = (
    '"Auftragskonto";"Buchungstag";"Valutadatum";"Buchungstext";"Verwendungszweck";'
    '"Glaeubiger ID";"Mandatsreferenz";"Kundenreferenz (End-to-End)";"Sammlerreferenz";'
    '"Lastschrift Ursprungsbetrag";"Auslagenersatz Ruecklastschrift";'
    '"Beguenstigter/Zahlungspflichtiger";"Kontonummer/IBAN";"BIC (SWIFT-Code)";"Betrag";'
    '"Waehrung";"Info"\n'
    '"12345678";"28.03.18";"03.04.18";"FOLGELASTSCHRIFT";"MIETE04/18 ";"DE12ZZZ00000123412";'
    '"1234-12";"";"";"";"";"Muster Immobilien GmbH";"DE02120300000000202051";"BYLADEM1001";'
    '"-1234,56";"EUR";"Umsatz vorgemerkt"\n'
    '"12345678";"28.03.18";"28.03.18";"GUTSCHRIFT";"Geschenk";"";"";"";"";"";"";'
    '"Sabrina Beispiel";"DE02500105170137075030";"INGDDEFFXXX";"123,00";"EUR";"Umsatz gebucht"\n'
)


def test_savings_bank_entries_not_yet_booked_are_left_out() -> None:
    # "Umsatz vorgemerkt": the bank lists an entry it has not booked; it comes back booked in
    # a later export, so reading it now would count it twice
    txs, info = _parse(SPARKASSE.encode("cp1252"), "sparkasse.csv", SETTINGS)
    assert _money(txs) == [(D(2018, 3, 28), "credit", Decimal("123.00"), "EUR")]
    assert txs[0].payer_name == "Sabrina Beispiel"
    assert any("Umsatz vorgemerkt" in s for s in info.raw["skipped"])


ASN = (
    "17-06-2022,NL00ASNB0000000001,NL99ASNB0000000002,J DE VRIES,,,,EUR,130.44,EUR,223.77,"
    "17-06-2022,17-06-2022,2754,NGM,51392971,,,26\n"
    "17-06-2022,NL00ASNB0000000001,NL11ABNA0000000003,International Card Services B V,,,,EUR,"
    "354.21,EUR,-200.00,17-06-2022,17-06-2022,9856,IDM,51402299,,'Betaling aan ICS 99999',26\n"
    "25-06-2022,NL00ASNB0000000001,,,,,,EUR,154.21,EUR,-2.20,25-06-2022,25-06-2022,7241,MSC,"
    "50951652,,'Kosten gebruik betaalrekening',26\n"
    "27-06-2022,NL00ASNB0000000001,NL25INGB0000000004,Optimal BV,,,,EUR,152.01,EUR,503.15,"
    "27-06-2022,27-06-2022,8809,OVS,00000000,,'DIVIDEND 27/06/2022',28\n"
    "28-06-2022,NL00ASNB0000000001,NL24ABNA0000000005,DE KRANT B V,,,,EUR,655.16,EUR,-22.95,"
    "28-06-2022,28-06-2022,9714,EIC,00000000,,'ABONNEMENT',28\n"
)


def test_headerless_export_with_the_balance_before_each_entry() -> None:
    # ASN Bank prints the balance before the entry beside the amount: read as a balance after
    # it, it would chain only backwards in time with every sign turned (ofxstatement-dutch
    # books 223.77 in, 200.00 out)
    txs, info = _parse(ASN.encode(), "transactie-historie.csv", SETTINGS)
    assert info.raw["layout"] == "guessed"
    assert _money(txs) == [
        (D(2022, 6, 17), "credit", Decimal("223.77"), "EUR"),
        (D(2022, 6, 17), "debit", Decimal("200.00"), "EUR"),
        (D(2022, 6, 25), "debit", Decimal("2.20"), "EUR"),
        (D(2022, 6, 27), "credit", Decimal("503.15"), "EUR"),
        (D(2022, 6, 28), "debit", Decimal("22.95"), "EUR"),
    ]
    assert not any(t.warnings for t in txs)
    assert (info.opening_balance, info.closing_balance) == (Decimal("130.44"), Decimal("632.21"))
    assert [t.our_account for t in txs] == ["NL00ASNB0000000001"] * 5
    assert (txs[0].payer_account, txs[1].payee_account) == (
        "NL99ASNB0000000002",
        "NL11ABNA0000000003",
    )


def test_balance_after_each_entry_running_against_the_dates_stays_as_read() -> None:
    # TD Canada's sample lists a day's entries newest first under dates that rise: the
    # balance after each entry, amounts as printed (not a balance before with turned signs)
    data = (
        "05/01/2023,DOLLARAMA # 845,1.96,,13.04\n"
        "05/01/2023,T T SUPERMARKET,12.10,,15.00\n"
        "05/02/2023,SEND E-TFR,239.13,,27.10\n"
        "05/03/2023,DEVELOPM MSP,,266.23,266.23\n"
    )
    txs = tabular.parse(data.encode(), "td.csv", ParseSettings(default_currency="CAD"))
    assert [(t.direction, t.amount) for t in txs] == [
        ("debit", Decimal("1.96")),
        ("debit", Decimal("12.10")),
        ("debit", Decimal("239.13")),
        ("credit", Decimal("266.23")),
    ]


# --------------------------------------------------------------------------------------------
# corporate online-banking exports and accounting packages' templates

CMB_CORPORATE = (
    "账号：755900000010101,,,,\n"
    "币种：人民币,,,,\n"
    "交易日,交易时间,起息日,交易类型,借方金额,贷方金额,余额,摘要,流水号,流程实例号,业务名称,用途,"
    "业务参考号,业务摘要,其它摘要,收/付方分行名,收/付方名称,收/付方帐号,收/付方开户行行号,"
    "收/付方开户行名,收/付方开户行地址,母/子公司帐号分行名,母/子公司帐号,母/子公司名称,信息标志,"
    "有否附件信息,冲帐标志,扩展摘要,交易分析码,票据号,商务支付订单号,内部编号\n"
    '20261103,10:15:02,20261103,汇入汇款,,"12,800.00","112,800.00",货款,K3400100000001,,,'
    "INV-2026-0917,,,,杭州,杭州远景科技有限公司,571900000010202,308331012345,招商银行杭州分行,"
    ",,,,,N,,,,,,\n"
    '20261104,09:00:00,20261104,网银付款,"2,000.00",,"110,800.00",运费,K3400100000002,,,,,,,'
    "宁波,宁波海港物流有限公司,3901000000123,102332012345,工商银行宁波分行,,,,,,N,,,,,,\n"
)


def test_cmb_corporate_export_names_the_other_bank_in_full() -> None:
    # 收/付方分行名 holds only the city; 收/付方开户行名 the bank's full name
    txs, _ = _parse(CMB_CORPORATE.encode("gb18030"), "cmb_corp.csv", SETTINGS)
    first, second = txs
    assert (first.bank_ref, first.direction, first.amount, first.currency) == (
        "K3400100000001",
        "credit",
        Decimal("12800.00"),
        "CNY",
    )
    assert (first.payer_name, first.payer_account, first.payer_bank) == (
        "杭州远景科技有限公司",
        "571900000010202",
        "招商银行杭州分行",
    )
    assert first.reference == "货款 INV-2026-0917"
    assert first.our_account == "755900000010101"
    assert (second.payee_name, second.raw.get("payee_bank")) == (
        "宁波海港物流有限公司",
        "工商银行宁波分行",
    )


def test_statement_templates_of_accounting_packages() -> None:
    # Kingdee's and Yonyou's bank-statement import templates date rows by 业务日期; JD
    # Finance's bill by 完成时间, with 收入金额/支出金额 and 款项说明
    kingdee = (
        "业务日期,摘要,结算号,借方发生额,贷方发生额,余额\n"
        "2026-01-06,收到货款,SN001,0.00,1000.00,101000.00\n"
    )
    jd_finance = (
        "完成时间,款项说明,收入金额,支出金额,账户\n2024-09-07 10:00,理财赎回,88.88,0.00,银行卡\n"
    )
    settings = ParseSettings(default_currency="CNY")
    (k,), _ = _parse(kingdee.encode(), "kingdee.csv", settings)
    (j,), _ = _parse(jd_finance.encode(), "jd_finance.csv", settings)
    assert (k.booking_date, k.direction, k.amount, k.reference) == (
        D(2026, 1, 6),
        "credit",
        Decimal("1000.00"),
        "收到货款",
    )
    assert (j.booking_date, j.direction, j.amount, j.reference) == (
        D(2024, 9, 7),
        "credit",
        Decimal("88.88"),
        "理财赎回",
    )


def test_bocom_card_books_the_amount_in_the_account_currency() -> None:
    # BOCOM's card export: 交易币种/金额 as paid, 入账币种/金额 as booked, each "CODE amount"
    data = (
        "交易日期,记账日期,交易说明,交易币种/金额,入账币种/金额\n"
        "2025-01-13,2025-01-13,消费 APPLE.COM/BILL,USD 9.99,CNY 72.50\n"
    )
    (tx,), _ = _parse(data.encode(), "bocom.csv", SETTINGS)
    assert (tx.amount, tx.currency, tx.reference) == (
        Decimal("72.50"),
        "CNY",
        "消费 APPLE.COM/BILL",
    )


# --------------------------------------------------------------------------------------------
# payment processors: gross, fee and net (hledger's PayPal and Stripe samples)

PAYPAL = (
    '"Date","Time","TimeZone","Name","Type","Status","Currency","Gross","Fee","Net",'
    '"From Email Address","To Email Address","Transaction ID","Item Title","Item ID",'
    '"Reference Txn ID","Receipt ID","Balance","Note"\n'
    '"10/01/2026","03:46:20","PDT","Example Radio","Subscription Payment","Completed","USD",'
    '"-6.99","0.00","-6.99","ar@example.com","billing@radio.example","06P57143A2806728E",'
    '"MONTHLY plan","","I-RY8LY904FJRY","","-6.99",""\n'
    '"10/01/2026","03:46:20","PDT","","Bank Deposit to PP Account ","Pending","USD","6.99",'
    '"0.00","6.99","","ar@example.com","0UT1454T080467333","","","06P57143A2806728E","","0.00",""\n'
    '"10/22/2026","05:07:06","PDT","Noble Customer Ltd","Subscription Payment","Completed","USD",'
    '"10.00","-0.59","9.41","noble@customer.example","ar@example.com","68LL1662YP3134303",'
    '"INV-2026-0042","","I-KCV9BG2YGDWB","","9.41",""\n'
)


def test_paypal_activity_books_the_net_and_skips_pending_funding() -> None:
    txs, _ = _parse(PAYPAL.encode(), "Download.CSV", SETTINGS)
    assert [(t.bank_ref, t.booking_date, t.direction, t.amount, t.currency) for t in txs] == [
        ("06P57143A2806728E", D(2026, 10, 1), "debit", Decimal("6.99"), "USD"),
        ("68LL1662YP3134303", D(2026, 10, 22), "credit", Decimal("9.41"), "USD"),
    ]
    assert (txs[1].payer_name, txs[1].reference) == ("Noble Customer Ltd", "INV-2026-0042")
    assert txs[1].raw["Gross"] == "10.00"


STRIPE = (
    '"balance_transaction_id","created_utc","available_on_utc","currency","gross","fee","net",'
    '"reporting_category","description"\n'
    '"txn_1A","2026-01-23 08:26:29","2026-01-27 00:00:00","usd","12.00","0.65","11.35",'
    '"charge","Invoice INV-7"\n'
    '"txn_1B","2026-01-23 08:26:31","2026-01-27 00:00:00","usd","-0.77","0.00","-0.77",'
    '"refund","REFUND FOR PAYMENT"\n'
)


def test_stripe_balance_report_books_the_net_when_available() -> None:
    txs, _ = _parse(STRIPE.encode(), "balance.csv", SETTINGS)
    assert [(t.bank_ref, t.booking_date, t.value_date, t.direction, t.amount) for t in txs] == [
        ("txn_1A", D(2026, 1, 23), D(2026, 1, 27), "credit", Decimal("11.35")),
        ("txn_1B", D(2026, 1, 23), D(2026, 1, 27), "debit", Decimal("0.77")),
    ]
    assert {t.currency for t in txs} == {"USD"}
    assert txs[0].reference == "Invoice INV-7"


def test_gross_and_fee_without_a_net_column_book_the_amount_less_the_fee() -> None:
    # Stripe's payments export: Amount is the gross, Fee what Stripe keeps
    data = (
        "id,Description,Created (UTC),Amount,Currency,Fee,Status\n"
        "ch_1,Invoice INV-8,2026-02-01 10:00,50.00,eur,1.75,Paid\n"
        "ch_2,Invoice INV-9,2026-02-02 10:00,20.00,eur,0.00,Failed\n"
    )
    (tx,), _ = _parse(data.encode(), "unified_payments.csv", SETTINGS)
    assert (tx.bank_ref, tx.amount, tx.currency, tx.direction) == (
        "ch_1",
        Decimal("48.25"),
        "EUR",
        "credit",
    )


# --------------------------------------------------------------------------------------------
# Swiss exports (c-vigo/beancount-importers' samples)

ZKB = (
    '"Date";"Booking text";"Curr";"Amount details";"ZKB reference";"Reference number";'
    '"Debit CHF";"Credit CHF";"Value date";"Balance CHF";"Payment purpose";"Details"\n'
    '"01.11.2026";"Credit: Example Customer AG, Zürich";"";"";"Z001";"";"";"5000.00";'
    '"02.11.2026";"5000.00";"INV-2026-0117";""\n'
    '"05.11.2026";"Debit TWINT: Example Merchant";"";"";"L001";"";"25.50";"";"05.11.2026";'
    '"4974.50";"";""\n'
)


def test_zkb_names_the_currency_after_each_money_column() -> None:
    # "Debit CHF", "Credit CHF", "Balance CHF": the roles with their currency
    txs, info = _parse(ZKB.encode(), "zkb.csv", SETTINGS)
    assert [(t.booking_date, t.value_date, t.direction, t.amount, t.currency) for t in txs] == [
        (D(2026, 11, 1), D(2026, 11, 2), "credit", Decimal("5000.00"), "CHF"),
        (D(2026, 11, 5), D(2026, 11, 5), "debit", Decimal("25.50"), "CHF"),
    ]
    assert txs[0].reference == "Credit: Example Customer AG, Zürich INV-2026-0117"
    assert (info.opening_balance, info.closing_balance) == (Decimal("0.00"), Decimal("4974.50"))


def test_card_export_opening_with_a_dated_balance_row() -> None:
    # Cornèr's Certo! One card export starts with "2025-10-24;540.15;BALANCE": no entry
    data = (
        "Date;Amount;Description\n"
        "2026-10-24;540.15;BALANCE\n"
        "2026-10-07;206.85;Ihre Zahlung\n"
        "2026-09-24;-121.58;Example AG Zürich CHE\n"
    )
    txs, info = _parse(data.encode(), "certo.csv", ParseSettings(default_currency="CHF"))
    assert [(t.direction, t.amount, t.reference) for t in txs] == [
        ("credit", Decimal("206.85"), "Ihre Zahlung"),
        ("debit", Decimal("121.58"), "Example AG Zürich CHE"),
    ]
    assert any("BALANCE" in s for s in info.raw["skipped"])


VENMO = (
    '" ID","Datetime","Type","Status","Note","From","To","Amount (total)","Amount (fee)",'
    '"Funding Source","Destination"\n'
    '"2394198259925614643","2026-04-25T03:15:53","Payment","Complete","Tutoring","Ann Holder",'
    '"Tom Payee","- $220.00","","Visa Debit *1559",""\n'
    '"0454063333607815882","2026-09-06T05:10:45","Payment","Complete","Rent","Sally Payer",'
    '"Ann Holder","+ $1,150.00","","","Venmo balance"\n'
    '"355418184","2026-09-06T05:13:03","Standard Transfer","Issued","","","","- $1,150.00","",'
    '"","Visa Debit *8967"\n'
    '"3641977597632667950","2026-10-05T18:22:13","Charge","Complete","Utilities","Maria Asker",'
    '"Ann Holder","- $120.00","","Visa Debit *1559",""\n'
)


def test_venmo_names_the_other_party_even_on_a_charge() -> None:
    # beancount-import's Venmo sample: From and To name both parties; on a charge From is
    # who asked for the money, so the holder (on most rows) is told apart by name
    txs, _ = _parse(VENMO.encode(), "venmo.csv", ParseSettings(default_currency="USD"))
    got = [(t.bank_ref, t.booking_date, t.direction, t.amount, t.reference) for t in txs]
    assert got == [
        ("2394198259925614643", D(2026, 4, 25), "debit", Decimal("220.00"), "Tutoring"),
        ("0454063333607815882", D(2026, 9, 6), "credit", Decimal("1150.00"), "Rent"),
        ("355418184", D(2026, 9, 6), "debit", Decimal("1150.00"), ""),
        ("3641977597632667950", D(2026, 10, 5), "debit", Decimal("120.00"), "Utilities"),
    ]
    assert [t.payer_name or t.payee_name for t in txs] == [
        "Tom Payee",
        "Sally Payer",
        None,
        "Maria Asker",
    ]
