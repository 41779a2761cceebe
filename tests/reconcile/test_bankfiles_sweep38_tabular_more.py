"""Bank CSV exports from public importers' test suites (sweep 38, more tabular files).

The files in ``data/bankfiles`` are the projects' own samples, as those projects keep them:

- ``it_satispay_statement.csv``: bennesp/ofxstatement-satispay, ``tests/satispay-statement.csv``
  (commit 1a06efd0). Satispay's statement: Italian month abbreviations with a dot after the
  year before the time (``24 lug 2024. 02:59:45``), ``"30,40 "`` amounts and a ``state``
  column in which one payment is ``NOT APPROVED``.
- ``fr_caisse_epargne_balance_line_decimal_comma.csv``: OCA/bank-statement-import,
  ``account_statement_import_caisse_epargne/tests/samples/test_statement_import_version_C.csv``
  (commit d98b3ffc). Caisse d'Épargne's export with ``;`` between cells and ``,`` as the
  decimal mark, a short one: its three rows and two balance lines (``Solde en fin de
  période;;;;-15,00``) split at the decimal comma into two cells each.
- ``us_paypal_pending_bank_deposits.csv``: simonmichael/hledger,
  ``examples/csv/other/paypal-custom.csv`` (commit f986e216). PayPal's activity download in
  English: after each payment a ``Pending`` ``Bank Deposit to PP Account`` that the
  ``Balance`` column counts (-6.99, then 0.00, then -7.00).
- ``cn_tinysnow_ccb_states.csv`` and ``cn_tinysnow_icbc_states_gb18030.csv``:
  TinySnow/beancount-importer-rust, ``testsets/建设银行交易明细测试数据集.csv`` and
  ``testsets/工商银行交易明细测试数据集.csv`` (commit dfaee57c), that project's white-box sets
  in CCB's and ICBC's layout (the ICBC one saved in GB18030, as the bank sends it): one entry
  in each 交易状态 (交易成功, 交易失败, 已撤销, 已冲正), and no row that reverses the
  已冲正 ones.
- ``us_payoneer_dates_either_way.csv``: reubano/csv2ofx, ``data/test/payoneer.csv`` (commit
  23f7f0cc). Payoneer's activity export: both rows dated ``05/03/2024``, which that project's
  mapping reads month first (3 May); nothing in the file says so.

The expected values are what the files say and what their projects book from them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from reconcile.api import parse_bytes
from reconcile.model import ParseSettings, Transaction
from reconcile.normalize import parse_date
from reconcile.parsers.tabular_io import detect_delimiter
from reconcile.problems import Problem

from .samples import DATA, read_sample

D = dt.date


def _money(txs: list[Transaction]) -> list[tuple[object, ...]]:
    return [(t.booking_date, t.direction, t.amount, t.currency) for t in txs]


# --------------------------------------------------------------------------------------------
# A. month names of other languages


def test_satispay_italian_months_and_the_unapproved_payment() -> None:
    result = read_sample("it_satispay_statement.csv", "tabular")
    assert _money(result.transactions) == [
        (D(2024, 7, 24), "credit", Decimal("30.40"), "EUR"),
        (D(2024, 6, 22), "debit", Decimal("17.00"), "EUR"),
        (D(2024, 5, 20), "debit", Decimal("2.00"), "EUR"),
        (D(2022, 3, 1), "debit", Decimal("2.40"), "EUR"),
    ]
    first = result.transactions[0]
    assert (first.payer_name, first.bank_ref) == (
        "Ricarica Satispay",
        "17f08d62-7e44-4400-b849-6b1f4bb1d546",
    )
    (info,) = result.statements
    assert info.raw["skipped"] == ["row 5: state NOT APPROVED"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24 lug 2024. 02:59:45", D(2024, 7, 24)),
        ("1 gennaio 2025", D(2025, 1, 1)),
        ("7 Dic 2024", D(2024, 12, 7)),
        ("3 de marzo de 2024", D(2024, 3, 3)),
        ("15 ene 2024", D(2024, 1, 15)),
        ("5 out 2024", D(2024, 10, 5)),
        ("17 dez 2024", D(2024, 12, 17)),
        ("12 févr. 2024", D(2024, 2, 12)),
        ("1 aout 2024", D(2024, 8, 1)),
        ("5 März 2024", D(2024, 3, 5)),
        ("5 mrt 2024", D(2024, 3, 5)),
        ("3 marca 2024 r.", D(2024, 3, 3)),
        ("5 paź 2024", D(2024, 10, 5)),
        ("10 října 2024", D(2024, 10, 10)),
        ("24 июля 2024 г.", D(2024, 7, 24)),
        ("2 трав 2024", D(2024, 5, 2)),
        ("03-NOV-26", D(2026, 11, 3)),
        ("24.07.2024.", D(2024, 7, 24)),
        ("2026.11.05.", D(2026, 11, 5)),
    ],
)
def test_month_names_of_our_users_banks(text: str, expected: dt.date) -> None:
    assert parse_date(text) == expected


# --------------------------------------------------------------------------------------------
# B. decimal commas are no delimiter


def test_caisse_epargne_decimal_commas_do_not_split_a_semicolon_export() -> None:
    result = read_sample("fr_caisse_epargne_balance_line_decimal_comma.csv", "tabular")
    assert [(t.booking_date, t.direction, t.amount, t.reference) for t in result.transactions] == [
        (D(2024, 3, 5), "debit", Decimal("800.00"), "VIREMENT EMIS LOYER Loyer Mars"),
        (D(2024, 3, 10), "debit", Decimal("25.00"), "PAIEMENT CB LIBRAIRIE Livre"),
        (D(2024, 3, 20), "credit", Decimal("10.00"), "VIREMENT RECU AMIS Remboursement"),
    ]
    (info,) = result.statements
    assert info.raw["delimiter"] == ";"


def test_a_comma_export_of_figures_keeps_its_comma() -> None:
    # commas between digits are delimiters where nothing else splits the line
    assert detect_delimiter(["20240105,100,200", "20240106,300,400"]) == ","
    assert detect_delimiter(["Date,Amount,Text", "2024-01-05,100.00,a;b", "2024-01-06,1,c"]) == ","
    assert detect_delimiter(["Date;Amount", "05/03/24;-800,00", "Solde;;-15,00"]) == ";"


# --------------------------------------------------------------------------------------------
# F. a running balance across a row left out on purpose


def test_paypal_pending_deposits_left_out_without_blaming_the_next_row() -> None:
    result = read_sample("us_paypal_pending_bank_deposits.csv", "tabular")
    assert _money(result.transactions) == [
        (D(2019, 10, 1), "debit", Decimal("6.99"), "USD"),
        (D(2019, 10, 1), "debit", Decimal("7.00"), "USD"),
        (D(2019, 10, 19), "debit", Decimal("2.00"), "USD"),
        (D(2019, 10, 22), "credit", Decimal("9.41"), "USD"),
    ]
    (info,) = result.statements
    assert info.raw["skipped"] == [
        "row 3: state Pending",
        "row 5: state Pending",
        "row 7: state Pending",
    ]
    # the rows left out are said once, and the balance check does not blame the row after each
    assert [str(w) for w in result.warnings] == [
        "3 row(s) left out because their state books nothing ('Pending'); "
        "their row numbers: 3, 5, 7"
    ]


def test_a_balance_that_breaks_between_rows_read_is_still_warned() -> None:
    data = (
        b"Date,Name,Status,Currency,Amount,Balance\n"
        b"10/01/2019,A,Completed,USD,-6.99,-6.99\n"
        b"10/01/2019,B,Pending,USD,6.99,0.00\n"
        b"10/02/2019,C,Completed,USD,-7.00,-7.00\n"
        b"10/03/2019,D,Completed,USD,-2.00,-8.00\n"
    )
    (result,) = parse_bytes(data, "paypal.csv", ParseSettings())
    assert result.error is None
    assert [str(w) for w in result.warnings] == [
        "1 row(s) left out because their state books nothing ('Pending'); their row numbers: 3",
        "row 5: the running balance does not add up at this row: the balance before, -7.00, "
        "and the amount (-2.00) make -9.00, but the row shows -8.00 USD (difference +1.00): "
        "a row is missing, duplicated or read with the wrong sign",
    ]


# The shape of a German savings bank's CSV-CAMT export (omarkohl/ofxstatement-sparkasse-freiburg,
# tests/data/simple2.csv, GPL: written here, not copied): the newest row is still
# "Umsatz vorgemerkt" (pending) beside the booked ones.
SPARKASSE_CAMT = (
    '"Auftragskonto";"Buchungstag";"Valutadatum";"Buchungstext";"Verwendungszweck";'
    '"Beguenstigter/Zahlungspflichtiger";"Kontonummer/IBAN";"BIC (SWIFT-Code)";"Betrag";'
    '"Waehrung";"Info"\n'
    '"12345678";"03.04.18";"04.04.18";"FOLGELASTSCHRIFT";"KD-Nr. 1234 RG-Nr. 5678";'
    '"1u1 Telecom GmbH";"DE02120300000000202051";"BYLADEM1001";"-22,59";"EUR";"Umsatz vorgemerkt"\n'
    '"12345678";"03.04.18";"03.04.18";"ONLINE-UEBERWEISUNG";"Geschenk";"Harald Schmidt";'
    '"DE02500105170137075030";"INGDDEFFXXX";"-100,00";"EUR";"Umsatz gebucht"\n'
    '"12345678";"27.03.18";"27.03.18";"LOHN / GEHALT";"LOHN / GEHALT 03/18";"FIRMA GMBH";'
    '"DE02100100100006820101";"PBNKDEFFXXX";"1060,22";"EUR";"Umsatz gebucht"\n'
)


def test_a_pending_row_is_left_out_and_said() -> None:
    (result,) = parse_bytes(SPARKASSE_CAMT.encode("cp1252"), "umsaetze.csv", ParseSettings())
    assert [(t.amount, t.direction) for t in result.transactions] == [
        (Decimal("100.00"), "debit"),
        (Decimal("1060.22"), "credit"),
    ]
    (warning,) = result.warnings
    assert warning.code == "tabular_not_booked"
    assert warning.params == {"count": "1", "states": "'Umsatz vorgemerkt'", "rows": "2"}


def test_many_rows_left_out_by_state_are_counted_and_the_first_ten_listed() -> None:
    rows = [f"2026-03-{day:02d} 10:00:00,Shop {day},支出,5.00,交易关闭\n" for day in range(1, 13)]
    rows.insert(5, "2026-03-05 11:00:00,Shop X,支出,7.00,交易失败\n")
    rows.append("2026-03-20 09:00:00,Client,收入,88.00,交易成功\n")
    data = ("交易时间,交易对方,收/支,金额,交易状态\n" + "".join(rows)).encode()
    (result,) = parse_bytes(data, "bill.csv", ParseSettings(default_currency="CNY"))
    assert [(t.amount, t.direction) for t in result.transactions] == [(Decimal("88.00"), "credit")]
    assumed, warning = result.warnings
    assert assumed.code == "currency_assumed"
    assert warning.params == {
        "count": "13",
        "states": "'交易关闭', '交易失败'",
        "rows": "2, 3, 4, 5, 6, 7, 8, 9, 10, 11, …",
    }


# --------------------------------------------------------------------------------------------
# C. entries the bank reversed (已冲正)


@pytest.mark.parametrize(
    ("name", "amount", "kept"),
    [
        ("cn_tinysnow_ccb_states.csv", "520.00", [2, 6, 7, 8, 9, *range(10, 20), 21, 23, 24]),
        ("cn_tinysnow_icbc_states_gb18030.csv", "320.00", [2, *range(6, 20), 21, 23, 24]),
    ],
)
def test_an_entry_marked_reversed_without_its_reversal_moved_no_money(
    name: str, amount: str, kept: list[int]
) -> None:
    result = read_sample(name, "tabular")
    txs = result.transactions
    assert [t.raw["row"] for t in txs] == kept
    assert (txs[0].direction, txs[0].amount, txs[0].currency) == ("debit", Decimal(amount), "CNY")
    (info,) = result.statements
    assert "row 5: state 已冲正, no entry reverses it" in info.raw["skipped"]
    assert "row 3: state 交易失败" in info.raw["skipped"]


def test_an_entry_and_the_row_reversing_it_both_stay() -> None:
    data = (
        "交易时间,交易对方,摘要,收/支,交易金额,交易状态,交易流水号\n"
        "2026-03-01 10:00:00,甲公司,货款,支出,520.00,已冲正,SN001\n"
        "2026-03-01 15:00:00,甲公司,冲正 SN001,收入,520.00,交易成功,SN002\n"
        "2026-03-02 09:00:00,乙公司,货款,收入,88.00,交易成功,SN003\n"
        "2026-03-03 09:00:00,丙公司,服务费,支出,30.00,已冲正,SN004\n"
    ).encode()
    (result,) = parse_bytes(data, "ccb.csv", ParseSettings())
    assert result.error is None
    assert [(t.bank_ref, t.direction, t.amount) for t in result.transactions] == [
        ("SN001", "debit", Decimal("520.00")),
        ("SN002", "credit", Decimal("520.00")),
        ("SN003", "credit", Decimal("88.00")),
    ]
    (info,) = result.statements
    assert info.raw["skipped"] == ["row 5: state 已冲正, no entry reverses it"]


# --------------------------------------------------------------------------------------------
# E. a date order nothing in the file settles is said


def test_payoneer_dates_read_either_way_say_which_order_was_taken() -> None:
    result = read_sample("us_payoneer_dates_either_way.csv", "tabular")
    assert _money(result.transactions) == [
        (D(2024, 3, 5), "debit", Decimal("100"), "USD"),
        (D(2024, 3, 5), "credit", Decimal("120"), "USD"),
    ]
    (warning,) = result.warnings
    assert isinstance(warning, Problem)
    assert (warning.code, warning.params) == (
        "date_order_assumed",
        {"value": "05/03/2024", "read": "2024-03-05"},
    )
    # told the order (--monthfirst, a layout's date order), the reader says nothing more
    data = (DATA / "us_payoneer_dates_either_way.csv").read_bytes()
    (told,) = parse_bytes(data, "payoneer.csv", ParseSettings(dayfirst=False))
    assert [t.booking_date for t in told.transactions] == [D(2024, 5, 3), D(2024, 5, 3)]
    assert told.warnings == []


def test_dates_that_settle_their_order_are_not_warned() -> None:
    # 13/03 settles it; 05/01..05/03 lie three days apart read month first (the span)
    # (a dotted 02.03.2018 is German, Swiss, Russian...: day first)
    for rows in (
        "13/03/2024,1.00\n05/03/2024,2.00\n",
        "05/01/2024,1.00\n05/03/2024,2.00\n",
        "02.03.2018,1.00\n02.03.2018,2.00\n",
    ):
        data = f"Date,Amount,Currency\n{rows}".replace(",1.00", ",1.00,USD").replace(
            ",2.00", ",2.00,USD"
        )
        (result,) = parse_bytes(data.encode(), "x.csv", ParseSettings())
        assert result.error is None and result.warnings == [], rows
