"""Cell and header conventions of bank exports found in other projects' sample files.

Each test writes its own small export (invented names and figures) showing one convention:
ICBC's amount columns split by a side in brackets, Windows-1252 text from German and Dutch
banks, CMB's name glued to the account, dash placeholders, a currency named in a header's
unit, a Dutch credit/debit column and dates whose order only the statement period decides.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from reconcile.model import ParseSettings, StatementInfo, Transaction
from reconcile.parsers import tabular

SETTINGS = ParseSettings()


def _parse(data: bytes, filename: str = "export.csv") -> tuple[list[Transaction], StatementInfo]:
    assert tabular.sniff(data, filename)
    txs, (info,) = tabular.parse_with_statements(data, filename, SETTINGS)
    return txs, info


def test_amount_columns_named_by_side_in_brackets() -> None:
    # ICBC: 交易金额 (payment currency) and 记账金额 (account currency), each split by (收入)/(支出)
    data = (
        "明细查询文件下载\n\n卡号: 6222****0001\n\n"
        "交易日期,摘要,交易金额(收入),交易金额(支出),交易币种,记账金额(收入),记账金额(支出),"
        "记账币种,余额,对方户名\n"
        '2025-03-04\t,货款\t,-\t,-\t,-\t,"2,400.00\t",\t,人民币\t,"5,400.00\t",杭州云帆商贸\t\n'
        '2025-03-02\t,付房租\t,-\t,-\t,-\t,\t,"1,000.00\t",人民币\t,"3,000.00\t",林晓\t\n'
        ' \n人民币合计,,,,,"2,400.00","1,000.00",\n'
    ).encode("gb18030")
    txs, info = _parse(data)
    assert [(t.direction, t.amount, t.currency) for t in txs] == [
        ("credit", Decimal("2400.00"), "CNY"),
        ("debit", Decimal("1000.00"), "CNY"),
    ]
    assert txs[0].payer_name == "杭州云帆商贸"
    assert txs[1].payee_name == "林晓"
    assert info.raw["columns"]["credit"] == [5]
    assert info.raw["columns"]["debit"] == [6]
    assert info.closing_balance == Decimal("5400.00")


def test_windows_1252_export_is_not_read_as_gb18030() -> None:
    # German and Dutch banks write Windows-1252: "Ü" before "b" also decodes as GB18030
    data = (
        "Buchung;Valuta;Auftraggeber/Empfänger;Buchungstext;Verwendungszweck;Betrag;Währung\n"
        "03.02.2025;04.02.2025;Jürgen Groß;Überweisung;Miete März;-812,50;EUR\n"
        "05.02.2025;05.02.2025;Bäckerei Möller;Gutschrift;Rückzahlung;23,10;EUR\n"
    ).encode("cp1252")
    txs, info = _parse(data)
    assert info.raw["encoding"] == "cp1252"
    assert [(t.booking_date, t.value_date) for t in txs] == [
        (dt.date(2025, 2, 3), dt.date(2025, 2, 4)),
        (dt.date(2025, 2, 5), dt.date(2025, 2, 5)),
    ]
    assert txs[0].payee_name == "Jürgen Groß"
    assert txs[0].reference == "Miete März"
    assert (txs[0].direction, txs[0].amount, txs[0].currency) == (
        "debit",
        Decimal("812.50"),
        "EUR",
    )
    assert txs[1].payer_name == "Bäckerei Möller"


def test_gb18030_export_stays_gb18030() -> None:
    data = (
        "交易日期,摘要,收入,支出,余额,对方户名\n"
        "2025-01-06,货款,300.00,,1300.00,南京启明电子科技有限公司\n"
    ).encode("gb18030")
    txs, info = _parse(data)
    assert info.raw["encoding"] == "gb18030"
    assert txs[0].payer_name == "南京启明电子科技有限公司"


def test_counterparty_cell_with_account_glued_to_name() -> None:
    data = (
        "记账日期,货币,交易金额,联机余额,交易摘要,对手信息,客户摘要\n"
        '2025-04-01,CNY,"3,150.00","8,150.00",转账汇款,苏州恒远机械有限公司6214830012345678,4月货款\n'
        '2025-04-02,CNY,-50.00,"8,100.00",快捷支付,物业公司 6214830087654321,物业费\n'
    ).encode()
    txs, _ = _parse(data)
    assert (txs[0].payer_name, txs[0].payer_account) == ("苏州恒远机械有限公司", "6214830012345678")
    assert txs[0].reference == "转账汇款 4月货款"
    assert (txs[1].payee_name, txs[1].payee_account) == ("物业公司", "6214830087654321")


def test_dash_placeholders_in_text_cells_are_empty() -> None:
    data = (
        "记账日期,币别,金额,余额,交易名称,附言,对方账户名,对方卡号/账号,对方开户行\n"
        "2025-05-06,人民币,-88.00,912.00,无卡支付,----------,周宁,6217****1122,"
        "-------------------\n"
        '2025-05-07,人民币,"1,200.00","2,112.00",工资,--,---,--,--\n'
    ).encode()
    txs, _ = _parse(data)
    # a masked card number is no account of the other party's; the row keeps it
    assert (txs[0].payee_name, txs[0].payee_account, txs[0].reference) == ("周宁", None, "")
    assert txs[0].raw["对方卡号/账号"] == "6217****1122"
    assert txs[0].raw.get("payee_bank") is None
    assert (txs[1].payer_name, txs[1].payer_account, txs[1].reference) == (None, None, "")


def test_currency_named_as_the_amount_headers_unit() -> None:
    dutch = (
        b'"Datum","Naam / Omschrijving","Tegenrekening","Af Bij","Bedrag (EUR)","Mededelingen"\n'
        b'"20250310","Van Dijk","NL12BANK0123456789","Bij","45,00","factuur 77"\n'
        b'"20250311","Huur","","Af","1.250,00","maart"\n'
    )
    txs, info = _parse(dutch)
    assert [(t.direction, t.amount, t.currency) for t in txs] == [
        ("credit", Decimal("45.00"), "EUR"),
        ("debit", Decimal("1250.00"), "EUR"),
    ]
    assert info.currency == "EUR"
    chinese = "交易日期,摘要,金额(元)\n2025-01-02,利息,3.21\n".encode()
    txs, _ = _parse(chinese)
    assert txs[0].currency == "CNY"


def test_dutch_credit_debet_column_and_counterparty_headers() -> None:
    data = (
        b"KNAB EXPORT;;;;;;;;\n"
        b"Rekeningnummer;Transactiedatum;Valutacode;CreditDebet;Bedrag;Tegenrekeningnummer;"
        b"Tegenrekeninghouder;Omschrijving;Referentie;Boekdatum;\n"
        b'"NL00KNAB0000000001";"02-06-2025";"EUR";"D";"99,95";"NL00ASNB0000000002";'
        b'"P de Vries";"abonnement";"REF0001A";"03-06-2025";\n'
        b'"NL00KNAB0000000001";"04-06-2025";"EUR";"C";"1500";"12345678";"Werkgever BV";'
        b'"salaris";"REF0002B";"04-06-2025";\n'
    )
    txs, _ = _parse(data)
    assert [(t.booking_date, t.direction, t.amount, t.bank_ref) for t in txs] == [
        (dt.date(2025, 6, 3), "debit", Decimal("99.95"), "REF0001A"),
        (dt.date(2025, 6, 4), "credit", Decimal("1500"), "REF0002B"),
    ]
    assert (txs[0].payee_name, txs[0].payee_account) == ("P de Vries", "NL00ASNB0000000002")
    assert txs[0].our_account == "NL00KNAB0000000001"


def test_ambiguous_dates_take_the_order_with_the_shorter_period() -> None:
    # no day above 12: 04/01..04/03 are three days in April, not three months
    data = (
        b"Date,Description,Debit,Credit,Balance\n"
        b"04/01/2025,GROCERY,12.40,,87.60\n"
        b"04/02/2025,PAYROLL,,500.00,587.60\n"
        b"04/03/2025,PHARMACY,7.60,,580.00\n"
    )
    txs, _ = _parse(data)
    assert [t.booking_date for t in txs] == [
        dt.date(2025, 4, 1),
        dt.date(2025, 4, 2),
        dt.date(2025, 4, 3),
    ]
    day_first = b"Date,Description,Amount\n01/04/2025,GROCERY,-12.40\n03/04/2025,PAYROLL,500.00\n"
    txs, _ = _parse(day_first)
    assert [t.booking_date for t in txs] == [dt.date(2025, 4, 1), dt.date(2025, 4, 3)]


def test_posted_date_and_billing_amount_headers() -> None:
    data = (
        b"Date Posted, Transaction Amount,Description\n"
        b"20250501,0.01,INTEREST\n"
        b"20250518,-68.32,PHONE BILL\n"
    )
    txs, _ = _parse(data)
    assert [(t.booking_date, t.direction, t.amount) for t in txs] == [
        (dt.date(2025, 5, 1), "credit", Decimal("0.01")),
        (dt.date(2025, 5, 18), "debit", Decimal("68.32")),
    ]
    hk = (
        b"Date,Description,Billing amount,Billing currency,Balance,Balance currency\n"
        b'24/03/2025,OCTOPUS TOPUP,"-200.00"\t,HKD,"1,800.00"\t,HKD\n'
    )
    txs, _ = _parse(hk)
    assert (txs[0].amount, txs[0].currency, txs[0].booking_date) == (
        Decimal("200.00"),
        "HKD",
        dt.date(2025, 3, 24),
    )


def test_currency_code_written_beside_the_amount() -> None:
    # BOCOM's 入账币种/金额 (booked currency/amount) column holds "CNY 123.18"
    data = "交易日期,交易说明,入账币种/金额\n2025-02-03,退货 示例商户,CNY 45.60\n".encode()
    txs, _ = _parse(data)
    assert (txs[0].amount, txs[0].currency, txs[0].reference) == (
        Decimal("45.60"),
        "CNY",
        "退货 示例商户",
    )


def test_text_past_the_last_header_column_belongs_to_it() -> None:
    # Livebank writes a long Umsatztext over several cells beyond the header's width
    data = (
        "Kontonummer;Buchungsdatum;Waehrung;Betrag;Umsatztext\n"
        '87654321;2025-07-03;EUR;150,00;"Anna Berger";"Miete Juli";"REF: 0001"\n'
        "87654321;2025-07-04;EUR;-20,00;Kartenzahlung\n"
    ).encode("cp1252")
    txs, _ = _parse(data)
    assert txs[0].reference == "Anna Berger Miete Juli REF: 0001"
    assert txs[1].reference == "Kartenzahlung"
    assert txs[0].our_account == "87654321"


def test_payer_and_payee_columns_in_german() -> None:
    data = (
        "Buchungsdatum;Wertstellung;Betrag;Währung;Auftraggebername;Auftraggeber IBAN/Kto.Nr.;"
        "Empfängername;Empfänger IBAN/Kto.Nr.;Text\n"
        "02.05.2025;02.05.2025;75,00;EUR;Karin Huber;AT611904300234573201;Wir GmbH;"
        "AT483200000012345864;Rechnung 4411\n"
        "03.05.2025;03.05.2025;-12,00;EUR;Wir GmbH;AT483200000012345864;Stadtwerke;"
        "AT021100000012345678;Strom\n"
    ).encode("cp1252")
    txs, _ = _parse(data)
    assert (txs[0].direction, txs[0].payer_name, txs[0].payer_account) == (
        "credit",
        "Karin Huber",
        "AT611904300234573201",
    )
    assert txs[0].our_account == "AT483200000012345864"
    assert (txs[1].direction, txs[1].payee_name, txs[1].payee_account) == (
        "debit",
        "Stadtwerke",
        "AT021100000012345678",
    )
    assert txs[1].our_account == "AT483200000012345864"


def test_dated_balance_and_turnover_rows_are_not_entries() -> None:
    # Swedbank (Lithuania): opening balance, turnover and closing balance rows carry a date
    data = (
        '"Sąskaitos Nr.","Data","Gavėjas","Paaiškinimai","Suma","Valiuta","D/K","Įrašo Nr."\n'
        '"LT000000000000000001","2025-03-01","","Likutis pradžiai","500.00","EUR","K",""\n'
        '"LT000000000000000001","2025-03-02","UAB Vaistinė","Pirkinys","18.40","EUR","D","A1"\n'
        '"LT000000000000000001","2025-03-05","UAB Darbdavys","Alga","900.00","EUR","K","A2"\n'
        '"LT000000000000000001","2025-03-31","","Apyvarta","18.40","EUR","D",""\n'
        '"LT000000000000000001","2025-03-31","","Likutis pabaigai","1381.60","EUR","K",""\n'
    ).encode()
    txs, info = _parse(data)
    assert [(t.bank_ref, t.direction, t.amount) for t in txs] == [
        ("A1", "debit", Decimal("18.40")),
        ("A2", "credit", Decimal("900.00")),
    ]
    assert txs[0].payee_name == "UAB Vaistinė"
    assert len(info.raw["skipped"]) == 3


def test_pending_section_is_not_read_as_booked_entries() -> None:
    data = (
        b'"Transactions for Checking account ...321 as of 06/02/2025"\n'
        b'"Date","Type","Description","Withdrawal (-)","Deposit (+)","RunningBalance"\n'
        b'"Pending Transactions"\n'
        b'"06/01/2025","","COFFEE SHOP","$4.50","",""\n'
        b'"Posted Transactions"\n'
        b'"05/30/2025","ACH","PAYROLL","","$1,200.00","$1,450.00"\n'
        b'"05/28/2025","VISA","BOOKS","$30.00","","$250.00"\n'
    )
    txs, info = _parse(data)
    assert [(t.booking_date, t.direction, t.amount) for t in txs] == [
        (dt.date(2025, 5, 30), "credit", Decimal("1200.00")),
        (dt.date(2025, 5, 28), "debit", Decimal("30.00")),
    ]
    assert "row 4: pending" in info.raw["skipped"]


def test_nordic_headers_with_in_and_out_columns_and_both_accounts() -> None:
    # SpareBank 1: Inn/Ut columns (Ut signed negative), Til konto / Fra konto for both sides
    data = (
        b"Dato;Beskrivelse;Rentedato;Inn;Ut;Til konto;Fra konto;\n"
        b'"03.02.2025";"Husleie";"";"";"-9500,00";"15061234567";"98760012345";""\n'
        b'"05.02.2025";"Lonn Nordlys AS";"";"41200,00";"";"98760012345";"15069876543";""\n'
    )
    txs, _ = _parse(data)
    assert [(t.direction, t.amount) for t in txs] == [
        ("debit", Decimal("9500.00")),
        ("credit", Decimal("41200.00")),
    ]
    assert (txs[0].payee_account, txs[0].our_account) == ("15061234567", "98760012345")
    assert (txs[1].payer_account, txs[1].our_account) == ("15069876543", "98760012345")
    assert txs[1].reference == "Lonn Nordlys AS"


def test_payment_bill_with_long_notes_and_neutral_rows() -> None:
    # Alipay / WeChat Pay bills: many note lines above the table, "/" for empty cells, and
    # rows marked neither income nor expense (top-ups, withdrawals) that say no direction
    notes = "".join(f"{i}. 本明细仅供个人对账使用，第{i}条说明\n" for i in range(1, 25))
    data = (
        "微信支付账单明细\n"
        + notes
        + "交易时间,交易类型,交易对方,商品,收/支,金额(元),支付方式,当前状态,交易单号,备注\n"
        "2025-03-01 09:12:00,二维码收款,杭州启航文具店,/,收入,¥860.00,零钱,已收钱,T0001,/\n"
        "2025-03-02 10:00:00,零钱提现,工商银行(1234),/,/,¥500.00,零钱,提现已到账,T0002,/\n"
        "2025-03-03 11:30:00,商户消费,物业公司,3月物业费,支出,¥120.50,零钱,支付成功,T0003,/\n"
    ).encode()
    txs, info = _parse(data)
    assert [(t.bank_ref, t.direction, t.amount, t.currency) for t in txs] == [
        ("T0001", "credit", Decimal("860.00"), "CNY"),
        ("T0003", "debit", Decimal("120.50"), "CNY"),
    ]
    assert (txs[0].payer_name, txs[0].reference) == ("杭州启航文具店", "")
    assert txs[1].reference == "3月物业费"
    assert any("neither income nor expense" in s for s in info.raw["skipped"])
