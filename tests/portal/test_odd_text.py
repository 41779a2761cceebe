"""Issue 14, item 4: any stored text (CR, LF, NUL, quotes) never breaks a download or export."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from portal.downloads import content_disposition, identifier_problem, safe_filename
from portal.statements.service import issue_statement
from tests.factories import make_customer, make_invoice, make_user
from tests.portal.customer_helpers import login

ODD = 'ODD\r\n"1";\x07<&>'


def test_content_disposition_of_any_name() -> None:
    for name in (ODD, "报表\x00.pdf", '"', "", "../../etc/passwd", "a" * 500):
        value = content_disposition(name)
        assert not any(ch in value for ch in "\r\n\x00\x07")
        assert value.startswith('attachment; filename="') and "filename*=UTF-8''" in value
    assert "/" not in safe_filename("../../etc/passwd")
    assert content_disposition("报表.xlsx").endswith("%E6%8A%A5%E8%A1%A8.xlsx")


def test_identifier_validator() -> None:
    assert identifier_problem("INV-2026-001") is None
    for bad in ("INV\r1", "INV\x001", " INV1", "", "A" * 65, "INV\t1"):
        assert identifier_problem(bad) is not None, bad


@pytest.fixture
def odd_statement(session: Session, backend: str):  # type: ignore[no-untyped-def]
    nul = "" if backend == "postgresql" else "\x00"  # PostgreSQL cannot store NUL at all
    customer = make_customer(session, language="en", name=f'Odd "Co"\r\n{nul}<&> Ltd')
    user = make_user(session, customer=customer, language="en")
    make_invoice(
        session, customer=customer, number=f"INV\r\n1{nul}", issue_date=dt.date(2026, 10, 3)
    )
    make_invoice(session, customer=customer, number='INV"2;', issue_date=dt.date(2026, 10, 9))
    statement = issue_statement(session, customer, dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    statement.number = f'ST\r\n{nul}"x'
    session.flush()
    return user, statement


def test_statement_pdf_and_evidence_of_odd_text(
    client: FlaskClient, session: Session, app: Flask, odd_statement
):  # type: ignore[no-untyped-def]
    user, statement = odd_statement
    login(client, user)
    pdf = client.get(f"/statements/{statement.id}/pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert "\r" not in pdf.headers["Content-Disposition"]
    client.post("/logout")
    login(client, make_user(session, role="auditor", language="en"))
    evidence = client.get(f"/audit/statements/{statement.id}/evidence.zip")
    assert evidence.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(evidence.data)).namelist()
    assert names and not any(ch in "".join(names) for ch in "\r\n\x00")


def test_reports_xlsx_of_odd_text(client: FlaskClient, session: Session, odd_statement):  # type: ignore[no-untyped-def]
    login(client, make_user(session, role="finance", language="en"))
    for name in ("aging", "dso", "disputes", "followup-backlog", "cash-application"):
        for fmt in ("xlsx", "csv"):
            resp = client.get(f"/reports/{name}.{fmt}")
            assert resp.status_code == 200, (name, fmt)
            assert "\r" not in resp.headers["Content-Disposition"]
            if fmt == "xlsx":
                load_workbook(io.BytesIO(resp.data))
    archive = client.get("/banking/archive.xlsx")
    assert archive.status_code == 200
    load_workbook(io.BytesIO(archive.data))
