"""Currencies that count thousandths (the Kuwaiti and Bahraini dinars, the Omani rial…) keep
their third decimal everywhere: the ERP's invoice, the bank's credit, the ledger's records, the
export back to the ERP and the signed statement. Before, a KWD 12.345 credit was stored as 12.35
and the ledger refused to apply it to a KWD 12.345 invoice."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pdfplumber
import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import ledger
from portal.config import DEFAULTS
from portal.erp.service import ErpImportError, import_customers_csv, import_invoices_csv
from portal.models import Customer, Invoice, InvoiceStatus, MatchStatus
from portal.statements.service import issue_statement, verify_pdf
from statements.pki import ConcordPKI
from tests.portal.finance_helpers import import_bank_file

CUSTOMERS = (
    "code,name,aliases,bank_accounts,currency,credit_limit,email,phone,language,segment\n"
    "KW01,Gulf Pipes Trading Co,,,KWD,25000.500,ap@gulfpipes.test,,en,A\n"
    "CN01,上海华美贸易有限公司,,,CNY,,,,zh,A\n"
)
HEADER = "number,customer,issue_date,due_date,currency,amount,open_amount,po_number\n"
INVOICES = HEADER + (
    "KW-2026-0007,KW01,2026-10-05,2026-11-04,KWD,1250.375,1250.375,\n"
    "KW-2026-0008,KW01,2026-10-12,2026-11-11,KWD,80.5,80.5,\n"
)
BANK = (
    b"Booking date,Amount,Currency,Counterparty,Remittance information,Reference\n"
    b"2026-11-03,1250.375,KWD,Gulf Pipes Trading Co,Payment KW-2026-0007,NBK-88123\n"
    b"2026-11-04,40.125,KWD,Gulf Pipes Trading Co,Part payment KW-2026-0008,NBK-88124\n"
)


@pytest.fixture
def gulf(session: Session) -> Customer:
    import_customers_csv(session, CUSTOMERS.encode())
    import_invoices_csv(session, INVOICES.encode())
    customer = session.scalars(select(Customer).where(Customer.code == "KW01")).one()
    return customer


def _invoice(session: Session, number: str) -> Invoice:
    return session.scalars(select(Invoice).where(Invoice.number == number)).one()


def test_the_erp_s_thousandths_are_kept_and_other_currencies_still_refuse_them(
    session: Session, gulf: Customer
) -> None:
    session.expire_all()
    assert _invoice(session, "KW-2026-0007").amount == D("1250.375")
    assert _invoice(session, "KW-2026-0008").amount == D("80.50")
    assert gulf.credit_limit == D("25000.500")

    too_fine = HEADER + (
        "CN-2026-0001,CN01,2026-10-05,2026-11-04,CNY,100.125,100.125,\n"
        "KW-2026-0009,KW01,2026-10-05,2026-11-04,KWD,1.2345,1.2345,\n"
    )
    with pytest.raises(ErpImportError) as excinfo:
        import_invoices_csv(session, too_fine.encode())
    reasons = {e.line: e.reason for e in excinfo.value.errors}
    assert "100.125 has more than 2 decimals (CNY)" in reasons[2]
    assert "1.2345 has more than 3 decimals (KWD)" in reasons[3]


def test_a_dinar_credit_is_stored_matched_and_applied_to_the_fils(
    session: Session, gulf: Customer
) -> None:
    full, part = import_bank_file(session, "nbk.csv", BANK)
    session.expire_all()
    assert (full.amount, full.currency) == (D("1250.375"), "KWD")
    assert part.amount == D("40.125")
    assert full.match_status is MatchStatus.MATCHED
    first = _invoice(session, "KW-2026-0007")
    assert (first.open_amount, first.status) == (D("0.00"), InvoiceStatus.PAID)
    assert [a.amount for a in full.allocations] == [D("1250.375")]
    assert full.unapplied_amount == D("0.00")

    # the part payment names its invoice: applied, and what stays open is exact
    assert part.match_status is MatchStatus.MATCHED
    assert [a.amount for a in part.allocations] == [D("40.125")]
    assert _invoice(session, "KW-2026-0008").open_amount == D("40.375")


def test_the_ledger_takes_a_currency_s_decimals_and_no_more(
    session: Session, gulf: Customer
) -> None:
    full, _part = import_bank_file(session, "nbk.csv", BANK)
    second = _invoice(session, "KW-2026-0008")
    ledger.reverse(session, full.allocations[0], "applied to the wrong invoice", actor="kw@x.test")
    with pytest.raises(ledger.InvalidAmount, match="more than 3 decimals, as KWD amounts have"):
        ledger.apply(session, full, second, D("10.0005"), actor="kw-finance@example.com")
    applied = ledger.apply(session, full, second, D("10.001"), actor="kw-finance@example.com")
    assert applied.amount == D("10.001")
    note = ledger.credit_note(session, second, D("0.375"), "rounding", actor="kw@example.com")
    assert note.amount == D("0.375")
    session.flush()
    session.expire_all()
    assert _invoice(session, "KW-2026-0008").open_amount == D(
        "29.999"
    )  # 80.500 - 40.125 - 10.001 - 0.375


def test_the_export_to_the_erp_and_the_statement_keep_the_fils(
    session: Session,
    gulf: Customer,
    runner: FlaskCliRunner,
    app: Flask,
    tmp_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    import_bank_file(session, "nbk.csv", BANK)
    session.commit()
    out = tmp_path / "alloc.csv"
    result = runner.invoke(args=["export", "allocations", "--format", "csv", "--output", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8"))))
    assert ("KW-2026-0007", "1250.375", "KWD") in [
        (r["invoice"], r["amount"], r["currency"]) for r in rows
    ]

    workbook = tmp_path / "alloc.xlsx"
    args = ["export", "allocations", "--format", "xlsx", "--output", str(workbook)]
    assert runner.invoke(args=args).exit_code == 0
    sheet = openpyxl.load_workbook(workbook).active
    assert sheet is not None
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row if c.value == D("1250.375")]
    assert cells and cells[0].number_format == "#,##0.000"  # Excel shows the fils too

    pki = tmp_path_factory.mktemp("kwd-pki") / "pki"
    ConcordPKI(pki, "test-passphrase", company_name=DEFAULTS["COMPANY_NAME"]).ensure()
    shutil.copytree(pki, Path(app.instance_path) / "pki")
    statement = issue_statement(session, gulf, dt.date(2026, 10, 1), dt.date(2026, 11, 30))
    with pdfplumber.open(io.BytesIO(statement.issued_pdf)) as doc:
        text = "\n".join(page.extract_text() or "" for page in doc.pages)
    assert "1,250.375" in text  # the invoice and the payment, to the fils
    assert "1,250.38" not in text
    assert statement.balances[0].total_charges == D("1330.875")
    assert verify_pdf(statement.issued_pdf).ok
