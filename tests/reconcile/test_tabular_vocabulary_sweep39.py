"""Columns of real exports whose text was lost (sweep 39): the payer's own reference.

Shapes written after public importers' test files (not copied):

- Sparkasse's CSV-CAMT export (omarkohl/ofxstatement-sparkasse-freiburg, ``tests/data``) and
  DKB's giro export (dkb2hb): ``Kundenreferenz (End-to-End)`` / ``Kundenreferenz``, the SEPA
  end-to-end reference the payer gave, or ``NOTPROVIDED``;
- Monzo (budgettracker): ``Notes and #tags``;
- ICICI (cashlens): ``Cheque Number``;
- WeChat's personal bill (dhr2333, einverne): ``商户单号`` beside ``交易单号``.
"""

from __future__ import annotations

from decimal import Decimal

from reconcile.model import ParseSettings, Transaction
from reconcile.parsers import tabular


def _read(text: str, name: str = "export.csv") -> list[Transaction]:
    return tabular.parse(text.encode(), name, ParseSettings())


def test_the_payers_end_to_end_reference_joins_the_text_and_a_placeholder_does_not() -> None:
    txs = _read(
        '"Auftragskonto";"Buchungstag";"Valutadatum";"Buchungstext";"Verwendungszweck";'
        '"Kundenreferenz (End-to-End)";"Beguenstigter/Zahlungspflichtiger";'
        '"Kontonummer/IBAN";"Betrag";"Waehrung"\n'
        '"DE44500105175407324931";"03.11.26";"03.11.26";"GUTSCHR. UEBERWEISUNG";"Zahlung";'
        '"RE-2026-0815";"Muster GmbH";"DE02120300000000202051";"1190,00";"EUR"\n'
        '"DE44500105175407324931";"04.11.26";"04.11.26";"GUTSCHR. UEBERWEISUNG";'
        '"RE-2026-0816";"NOTPROVIDED";"Beispiel AG";"DE02500105170137075030";"50,00";"EUR"\n'
    )
    assert [t.reference for t in txs] == ["Zahlung RE-2026-0815", "RE-2026-0816"]
    assert [t.payer_name for t in txs] == ["Muster GmbH", "Beispiel AG"]


def test_monzo_notes_and_icici_cheque_numbers_are_read() -> None:
    monzo = _read(
        "Transaction ID,Date,Time,Type,Name,Emoji,Category,Amount,Currency,Notes and #tags,"
        "Description\n"
        "tx_0001,03/11/2026,09:12:44,Faster payment,Acme Ltd,,Income,420.00,GBP,"
        "invoice INV-3301,ACME LTD\n"
    )
    assert "invoice INV-3301" in monzo[0].reference
    icici = _read(
        "Value Date,Transaction Date,Cheque Number,Transaction Remarks,Withdrawal Amount (INR),"
        "Deposit Amount (INR),Balance (INR)\n"
        "15/11/2026,15/11/2026,004512,CHQ DEP ACME TRADERS,,25000.00,475000.00\n"
    )
    assert icici[0].bank_ref == "004512"


def test_wechats_merchant_order_number_joins_the_text() -> None:
    txs = _read(
        "交易时间,交易类型,交易对方,商品,收/支,金额(元),支付方式,当前状态,交易单号,商户单号,备注\n"
        "2026-11-03 10:15:02,商户消费,某商户,货款,收入,¥300.00,零钱,已收钱,"
        "4200001234202611031234567890,INV20261103001,/\n"
        "2026-11-04 11:00:00,转账,张三,/,收入,¥20.00,零钱,已收钱,1000050001202611040001,/,/\n"
    )
    assert [t.reference for t in txs] == ["货款 INV20261103001", ""]


def test_a_card_statement_dated_by_its_booking_day_alone() -> None:
    txs = _read("入账日,入账币种,入账金额,交易描述\n20261103,人民币,-300.00,年费\n")
    assert [(t.booking_date.isoformat(), t.amount) for t in txs] == [
        ("2026-11-03", Decimal("300.00"))
    ]
