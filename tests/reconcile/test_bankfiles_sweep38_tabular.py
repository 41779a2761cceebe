"""Bank and card exports from public importers' test suites that were refused or misread (sweep 38).

Each file in ``data/bankfiles`` is the text its project keeps (saved as UTF-8; the index this
was taken from gives text, not bytes), except ``ru_vtb_cp1251.csv``, the same text in
Windows-1251 as Russian banks send it. They are test data only; the attribution stays here:

- ``ru_alfabank.csv``, ``ru_vtb.csv``: gerasiov/ofxstatement-russian,
  ``src/ofxstatement/plugins/tests/samples/{alfabank,vtb}.csv``. Alfa-Bank's ``Приход;Расход``
  export; VTB's card statement with the amount in the purchase's currency and in the account's
  (RUR, the ruble's code before 1998). That project's tests expect +33123.56, -50, -1500 and
  -336.15, -283.48, -300.00, -600.00 (in the account's currency).
- ``it_bancoposta.csv``: lorenzogiudici5/ofxstatement-bancoposta, ``tests/samples/bancoposta.csv``:
  ``Addebiti``/``Accrediti`` and dated ``SALDO INIZIALE``/``|SALDO FINALE`` rows; four entries.
- ``ee_seb_english_excerpt.csv``: rsi2m/ofxstatement-ee-seb, ``tests/sample-statement.csv``,
  the header and its first nine rows: ``Beneficiary's name``/``Beneficiary's account``.
- ``uk_amex.csv``, ``uk_hsbc_headerless.csv``: ChrisMott97/budget-tracker, ``sample-data/``:
  Amex's card export (purchases positive, ``PAYMENT RECEIVED - THANKYOU`` negative; 23 rows)
  and HSBC UK's export without a header row (25 rows), the counts its tests assert.
- ``jp_rakuten_card.csv``: yy7613/agentblume, ``samples/journal/card-rakuten.csv``:
  利用店名・商品名.
- ``tw_ctbc_creditcard.csv``, ``tw_cathay_creditcard.csv``: howie/my-accounting-app,
  ``backend/tests/fixtures/csv/creditcard_{ctbc,cathay}.csv``: 交易日,商店,消費金額; Cathay's
  ``2026/02信用卡對帳單`` with dates without a year (12/25 is a purchase of December 2025), the
  last statement's total as its first row, 新臺幣金額 beside 消費國家/幣別.
- ``at_easybank_headerless.csv``, ``at_raiffeisen_elba_headerless.csv``:
  nblock/ofxstatement-austrian, ``src/ofxstatement/plugins/tests/samples/`` (no header row,
  ``-0,42``/``+1,23``).
- ``in_icici.csv``: asmitsharp/cashlens, ``cashlens-api/testdata/icici_sample.csv``:
  ``Withdrawal Amount (INR)``.
- ``lt_swedbank_quotes.csv``: kedder/ofxstatement-lithuanian,
  ``src/ofxstatement/plugins/tests/samples/swedbank.csv``: ``"UAB "Naktida""``; its test
  expects the payee ``UAB "Naktida"``.
- ``de_n26_quotes_excerpt.csv``: c-vigo/beancount-importers, ``tests/data/N26_Sample.csv``, some
  rows: ``"QUOTES \\"COMPANY\\""``.
- ``ca_deg_bmo_credit.csv``: deb-sig/double-entry-generator,
  ``example/bmo/credit/example-bmo-records.csv``: BMO's card export (a ``Card #`` column).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from reconcile.api import ParseResult

from .samples import read_sample


def _entries(result: ParseResult) -> list[tuple[dt.date, str, Decimal, str]]:
    return [(t.booking_date, t.direction, t.amount, t.currency) for t in result.transactions]


def test_alfa_bank_export_in_russian() -> None:
    result = read_sample("ru_alfabank.csv", "tabular")
    assert _entries(result) == [
        (dt.date(2017, 5, 31), "credit", Decimal("33123.56"), "RUB"),
        (dt.date(2017, 5, 3), "debit", Decimal("50.00"), "RUB"),
        (dt.date(2017, 5, 3), "debit", Decimal("1500.00"), "RUB"),
    ]
    assert result.transactions[0].bank_ref == "ABCDEF11111111111"
    assert "зарплата за май 2017" in result.transactions[0].reference


def test_vtb_card_statement_in_the_accounts_currency_in_utf8_and_windows_1251() -> None:
    expected = [
        (dt.date(2019, 7, 6), "debit", Decimal("336.15"), "RUB"),
        (dt.date(2019, 7, 6), "debit", Decimal("283.48"), "RUB"),
        (dt.date(2019, 7, 5), "debit", Decimal("300.00"), "RUB"),
        (dt.date(2019, 7, 13), "debit", Decimal("600.00"), "RUB"),
    ]
    utf8 = read_sample("ru_vtb.csv", "tabular")
    cp1251 = read_sample("ru_vtb_cp1251.csv", "tabular")
    assert _entries(utf8) == _entries(cp1251) == expected
    assert [t.reference for t in cp1251.transactions] == [t.reference for t in utf8.transactions]
    assert cp1251.transactions[0].reference == "Карта *1234 payee1"


def test_bancoposta_leaves_out_its_dated_balance_rows() -> None:
    result = read_sample("it_bancoposta.csv", "tabular")
    assert [(t.direction, t.amount) for t in result.transactions] == [
        ("debit", Decimal("2.90")),
        ("debit", Decimal("250.00")),
        ("debit", Decimal("1.00")),
        ("credit", Decimal("250.00")),
    ]
    assert result.transactions[0].reference == "IMPOSTA DI BOLLO"


def test_seb_estonia_names_the_other_party_and_its_reference_once() -> None:
    result = read_sample("ee_seb_english_excerpt.csv", "tabular")
    by_ref = {t.bank_ref: t for t in result.transactions}
    twilio = by_ref["RMI15681171"]
    assert (twilio.direction, twilio.amount) == ("credit", Decimal("5973.58"))
    assert twilio.payer_name == "TWILIO ESTONIA OU"
    assert twilio.payer_account == "LU290670006550193173"
    elisa = by_ref["RO3176680932"]
    assert (elisa.payee_name, elisa.payee_account) == ("Elisa Eesti AS", "EE421010220003768012")
    assert elisa.reference == "88476148"


def test_card_exports_count_purchases_as_money_out() -> None:
    amex = read_sample("uk_amex.csv", "tabular")
    assert len(amex.transactions) == 23
    credits = [t for t in amex.transactions if t.direction == "credit"]
    assert [(t.amount, t.reference) for t in credits] == [
        (Decimal("412.68"), "PAYMENT RECEIVED - THANKYOU")
    ]
    for name in ("jp_rakuten_card.csv", "tw_ctbc_creditcard.csv", "ca_deg_bmo_credit.csv"):
        result = read_sample(name, "tabular")
        assert result.transactions, name
        assert {t.direction for t in result.transactions} == {"debit"}, name
    rakuten = read_sample("jp_rakuten_card.csv", "tabular").transactions[1]
    assert (rakuten.amount, rakuten.payee_name) == (Decimal("9780.00"), "AMAZON.CO.JP")
    ctbc = read_sample("tw_ctbc_creditcard.csv", "tabular").transactions[0]
    assert (ctbc.booking_date, ctbc.amount, ctbc.payee_name) == (
        dt.date(2024, 1, 10),
        Decimal("280.00"),
        "台北101美食街",
    )


def test_cathay_card_statement_dates_without_a_year_and_its_amounts_in_twd() -> None:
    result = read_sample("tw_cathay_creditcard.csv", "tabular")
    assert _entries(result) == [
        (dt.date(2026, 2, 3), "credit", Decimal("112297.00"), "TWD"),
        (dt.date(2026, 1, 15), "debit", Decimal("150.00"), "TWD"),
        (dt.date(2026, 1, 16), "debit", Decimal("520.00"), "TWD"),
        (dt.date(2025, 12, 25), "debit", Decimal("300.00"), "TWD"),
    ]
    # 上期帳單總額, the last statement's total, is no entry
    assert not result.warnings


def test_headerless_exports_with_one_signed_money_column() -> None:
    hsbc = read_sample("uk_hsbc_headerless.csv", "tabular")
    assert len(hsbc.transactions) == 25
    assert _entries(hsbc)[:2] == [
        (dt.date(2026, 7, 30), "credit", Decimal("3980.44"), ""),
        (dt.date(2026, 7, 30), "debit", Decimal("24.50"), ""),
    ]
    easybank = read_sample("at_easybank_headerless.csv", "tabular")
    assert len(easybank.transactions) == 10
    assert _entries(easybank)[:2] == [
        (dt.date(2014, 1, 1), "debit", Decimal("0.42"), "EUR"),
        (dt.date(2014, 1, 1), "credit", Decimal("1.23"), "EUR"),
    ]
    raiffeisen = read_sample("at_raiffeisen_elba_headerless.csv", "tabular")
    assert [(t.direction, t.amount) for t in raiffeisen.transactions[:4]] == [
        ("credit", Decimal("0.58")),
        ("debit", Decimal("0.15")),
        ("debit", Decimal("0.11")),
        ("debit", Decimal("6.65")),
    ]


def test_a_currency_in_the_amount_header_of_any_iso_code() -> None:
    result = read_sample("in_icici.csv", "tabular")
    assert {t.currency for t in result.transactions} == {"INR"}
    assert _entries(result)[:2] == [
        (dt.date(2024, 1, 15), "debit", Decimal("3500.00"), "INR"),
        (dt.date(2024, 1, 16), "credit", Decimal("50000.00"), "INR"),
    ]


def test_quotes_left_unescaped_inside_a_quoted_cell() -> None:
    swedbank = read_sample("lt_swedbank_quotes.csv", "tabular")
    assert len(swedbank.transactions) == 5
    assert 'UAB "Naktida"' in [t.payee_name for t in swedbank.transactions]
    n26 = read_sample("de_n26_quotes_excerpt.csv", "tabular")
    names = [t.payee_name for t in n26.transactions]
    assert 'QUOTES "COMPANY"' in names
    assert "COMMA, INC" in names
    assert "SEMICOLON; CORP" in names
