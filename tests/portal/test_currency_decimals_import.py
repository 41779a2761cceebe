"""The ERP import and the ledger keep each currency's decimals: 1000.50 JPY is refused.

Yen have no decimals, dinars three: an ERP export with ``1000.50`` JPY or ``1.2345`` KWD is a
wrong file, not an amount to store; the row is listed with its file, line and reason (in the
reader's language) and the other rows are still checked, as for every bad row. Trailing zeros
are not decimals: ``1000.00`` JPY is a thousand yen.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from flask_babel import force_locale
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal import ledger
from portal.erp.service import ErpImportError, import_customers_csv, import_invoices_csv
from portal.models import Customer, Invoice
from tests.factories import make_customer, make_invoice, make_user
from tests.portal.test_ledger import receipt

CUSTOMERS = (
    "code,name,aliases,bank_accounts,currency,credit_limit\n"
    "JP01,Tokyo Trading KK,,,JPY,5000000\n"
    "KW01,Kuwait Supplies,,,KWD,1000.500\n"
)
HEADER = "number,customer,issue_date,due_date,currency,amount,open_amount,po_number\n"


def _errors(excinfo: pytest.ExceptionInfo[ErpImportError]) -> dict[int, str]:
    """The first reason of each bad line (a row lists each of its problems)."""
    found: dict[int, str] = {}
    for error in excinfo.value.errors:
        found.setdefault(error.line, error.reason)
    return found


@pytest.fixture
def customers(session: Session) -> None:
    import_customers_csv(session, CUSTOMERS.encode())


def test_an_erp_invoice_with_decimals_its_currency_has_not_is_a_bad_row(
    session: Session, customers: None
) -> None:
    rows = [
        "Y-1,JP01,2026-09-01,2026-10-01,JPY,1000.50,1000.50,",  # line 2: yen with sen
        "Y-2,JP01,2026-09-01,2026-10-01,JPY,1000.00,1000,",  # a thousand yen: fine
        "Y-3,JP01,2026-09-01,2026-10-01,JPY,2000,1999.9,",  # line 4: the open amount
        "K-1,KW01,2026-09-01,2026-10-01,KWD,1.2345,1.2345,",  # line 5: four decimals
        "K-2,KW01,2026-09-01,2026-10-01,KWD,1.234,1.234,",  # dinars have three: fine
        "C-1,NOPE,2026-09-01,2026-10-01,CNY,100,100,",  # line 7: another bad row, still listed
    ]
    with pytest.raises(ErpImportError) as excinfo:
        import_invoices_csv(session, (HEADER + "\n".join(rows) + "\n").encode(), filename="x")
    errors = _errors(excinfo)
    assert sorted(errors) == [2, 4, 5, 7]
    assert errors[2] == "bad amount in amount: 1000.50; JPY amounts have no decimals"
    assert errors[4] == "bad amount in open_amount: 1999.9; JPY amounts have no decimals"
    assert errors[5] == "bad amount in amount: 1.2345 has more than 3 decimals (KWD)"
    assert "unknown customer: NOPE" in errors[7]
    assert session.scalar(select(func.count()).select_from(Invoice)) == 0


def test_the_reason_reads_in_chinese(session: Session, customers: None) -> None:
    row = "Y-1,JP01,2026-09-01,2026-10-01,JPY,1000.50,1000.50,\n"
    with force_locale("zh"), pytest.raises(ErpImportError) as excinfo:
        import_invoices_csv(session, (HEADER + row).encode())
    assert _errors(excinfo)[2] == "amount 金额有误：1000.50；JPY 金额不带小数"


def test_a_customer_credit_limit_in_yen_with_decimals_is_a_bad_row(session: Session) -> None:
    text = "code,name,aliases,bank_accounts,currency,credit_limit\nJP02,Osaka KK,,,JPY,100.5\n"
    with pytest.raises(ErpImportError) as excinfo:
        import_customers_csv(session, text.encode())
    reason = "bad amount in credit_limit: 100.5; JPY amounts have no decimals"
    assert _errors(excinfo) == {2: reason}
    assert session.scalar(select(func.count()).select_from(Customer)) == 0


def test_the_command_names_the_file_and_the_row(
    runner: FlaskCliRunner, session: Session, customers: None, tmp_path: Path
) -> None:
    path = tmp_path / "invoices-2026-11.csv"
    path.write_text(
        HEADER
        + "Y-1,JP01,2026-09-01,2026-10-01,JPY,1000,1000,\n"
        + "Y-2,JP01,2026-09-01,2026-10-01,JPY,1000.50,1000.50,\n"
    )
    result = runner.invoke(args=["import", "invoices", str(path)])
    assert result.exit_code == 1
    assert (
        "invoices-2026-11.csv: line 3: bad amount in amount: 1000.50; JPY amounts have no decimals"
        in result.output
    )
    assert session.scalar(select(func.count()).select_from(Invoice)) == 0


# --- the ledger ------------------------------------------------------------------------------


def test_the_ledger_refuses_yen_with_decimals_and_takes_whole_yen(
    app: Flask, session: Session
) -> None:
    clerk = make_user(session, "finance")
    yen = make_customer(session, currency="JPY")
    invoice = make_invoice(session, yen, amount="5000", currency="JPY")
    txn = receipt(session, "3000", "JPY")
    message = "the amount has decimals, but JPY amounts have none (1000.50 given)"
    with pytest.raises(ledger.InvalidAmount, match=message.replace("(", r"\(").replace(")", r"\)")):
        ledger.apply(session, txn, invoice, Decimal("1000.50"), actor=clerk)
    with pytest.raises(ledger.InvalidAmount, match="JPY amounts have none"):
        ledger.write_off(session, invoice, Decimal("0.5"), kind="difference", actor=clerk)
    with pytest.raises(ledger.InvalidAmount, match="JPY amounts have none"):
        ledger.credit_note(session, invoice, Decimal("10.25"), "returned", actor=clerk)
    with pytest.raises(ledger.InvalidAmount, match="JPY amounts have none"):
        ledger.on_account(session, txn, yen, Decimal("0.10"), actor=clerk)
    with force_locale("zh"), pytest.raises(ledger.InvalidAmount, match="JPY 金额不带小数"):
        ledger.apply(session, txn, invoice, Decimal("1000.50"), actor=clerk)
    ledger.apply(session, txn, invoice, Decimal("1000.00"), actor=clerk)
    assert invoice.open_amount == Decimal("4000")
    # dinars keep their three decimals, and no more
    dinar = make_customer(session, currency="KWD")
    kwd = make_invoice(session, dinar, amount="10.000", currency="KWD")
    with pytest.raises(ledger.InvalidAmount, match="more than 3 decimals"):
        ledger.credit_note(session, kwd, Decimal("1.2345"), "returned", actor=clerk)
    ledger.credit_note(session, kwd, Decimal("1.234"), "returned", actor=clerk)
    assert kwd.open_amount == Decimal("8.766")
