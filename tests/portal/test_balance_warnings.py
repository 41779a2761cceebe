"""A bank file whose balances do not add up is imported, and the upload page says so in the
reader's language, naming the statement, the figures and the difference."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale
from sqlalchemy.orm import Session

from portal.banking import service
from portal.banking.problems import problem_text
from portal.models import BankFileStatus
from reconcile.api import parse_bytes
from tests.factories import make_user
from tests.portal.finance_helpers import login

#: an MT940 statement that lost its 20.00 debit: 100.00 + 50.00 is not the 130.00 it closes at
CUT_MT940 = (
    b":20:STMT1\n:25:NL77ABNA0574908765\n:28C:00042/1\n:60F:C261102EUR100,00\n"
    b":61:2611031103C50,00NTRFNONREF//B1\n:86:PAYMENT ONE\n:62F:C261103EUR130,00\n-\n"
)
#: a CSV export whose running balance skips a row between 150.00 and 160.00
CUT_CSV = (
    b"Date,Description,Amount,Currency,Balance\n2026-11-01,Deposit,100.00,EUR,100.00\n"
    b"2026-11-02,ACME payment,50.00,EUR,150.00\n2026-11-04,Globex payment,30.00,EUR,160.00\n"
)


def test_balance_warnings_read_in_chinese(app: Flask) -> None:
    (statement,) = parse_bytes(CUT_MT940, "nov.sta")
    (export,) = parse_bytes(CUT_CSV, "nov.csv")
    with app.test_request_context("/"), force_locale("zh"):
        assert [problem_text(w) for w in statement.warnings] == [
            "第 1 份对账单（STMT1，账号 NL77ABNA0574908765）：余额对不上：期初余额 60F 100.00 "
            "加上各笔交易（+50.00）应为 150.00，但期末余额 62F 为 130.00 EUR（差额 -20.00）："
            "有交易缺失、重复或借贷方向读反"
        ]
        assert [problem_text(w) for w in export.warnings] == [
            "第 4 行：余额在此行对不上：上一余额 150.00 加上本笔金额（+30.00）应为 180.00，"
            "但此行余额为 160.00 EUR（差额 -20.00）：有行缺失、重复或借贷方向读反"
        ]
    with app.test_request_context("/"), force_locale("en"):
        assert problem_text(statement.warnings[0]) == str(statement.warnings[0])


def test_the_upload_page_shows_a_statement_that_does_not_add_up_in_chinese(
    session: Session, client: FlaskClient
) -> None:
    user = make_user(session, "finance")
    login(client, user)
    with client.session_transaction() as sess:
        sess["lang"] = "zh"
    bank_file, _ = service.store_upload(session, "nov.sta", CUT_MT940, user=user)
    service.start_import(session, [bank_file], user=user)
    # the file is read all the same: its entry is booked, the warning stands beside it
    assert bank_file.status is BankFileStatus.DONE, bank_file.error
    assert bank_file.transaction_count == 1
    assert bank_file.problems is not None
    assert [p["code"] for p in bank_file.problems] == ["balance_mismatch"]
    page = client.get("/banking/uploads").get_data(as_text=True)
    assert "nov.sta，第 1 份对账单（STMT1，账号 NL77ABNA0574908765）：余额对不上" in page
    assert "但期末余额 62F 为 130.00 EUR（差额 -20.00）" in page
    assert "do not add up" not in page
