"""The receipt archive: search, original file download, CSV/XLSX export without formulas."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from portal.banking import service
from portal.reports.export import neutralise
from tests.factories import make_customer, make_invoice, make_user
from tests.portal.finance_helpers import login, parser_for, simple_matcher, txn


@pytest.fixture
def archive(session: Session, client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> Any:
    customer = make_customer(session, code="CARCH", name="归档测试有限公司")
    make_invoice(session, customer, number="INV-ARC-1", amount="250.00")
    monkeypatch.setattr(service, "default_matcher", lambda: simple_matcher)
    parse = parser_for(
        [
            txn("ARC-1", "250.00", "INV-ARC-1", booking_date=dt.date(2026, 11, 2)),
            txn("ARC-2", "99.00", '=HYPERLINK("http://evil")', payer_name="@SUM(A1)"),
            txn("ARC-3", "1234.56", "+cmd|' /C calc'!A0", booking_date=dt.date(2026, 10, 1)),
        ]
    )
    monkeypatch.setattr(service, "default_parser", lambda: parse)
    user = make_user(session, "finance")
    bank_file, _ = service.store_upload(session, "oct-nov.csv", b"original,bytes\n", user=user)
    service.start_import(session, [bank_file], user=user)
    login(client, make_user(session, "auditor"))
    return bank_file


def test_neutralise() -> None:
    assert [neutralise(v) for v in ("=1+1", "+1", "-2", "@x", "ok", "")] == [
        "'=1+1",
        "'+1",
        "'-2",
        "'@x",
        "ok",
        "",
    ]
    assert neutralise(-5) == -5


def test_search_by_customer_date_amount_ref(client: FlaskClient, archive: Any) -> None:
    def vouchers(query: str) -> int:
        return (
            client.get(f"/banking/archive?{query}")
            .get_data(as_text=True)
            .count("/banking/transactions/")
        )

    assert vouchers("") == 3
    assert vouchers("customer=CARCH") == 1
    assert vouchers("customer=归档") == 1
    assert vouchers("date_from=2026-11-01&date_to=2026-11-30") == 2
    assert vouchers("amount_min=1000") == 1
    assert vouchers("bank_ref=ARC-2") == 1
    assert vouchers("q=HYPERLINK") == 1


def test_original_file_download(client: FlaskClient, archive: Any) -> None:
    resp = client.get(f"/banking/files/{archive.id}")
    assert resp.status_code == 200 and resp.data == b"original,bytes\n"
    assert "oct-nov.csv" in resp.headers["Content-Disposition"]


def test_csv_export_neutralises_formulas(client: FlaskClient, archive: Any) -> None:
    resp = client.get("/banking/archive.csv")
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    # one charset parameter, not "text/csv; charset=utf-8; charset=utf-8"
    assert resp.headers["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(resp.data.decode("utf-8-sig"))))
    assert len(rows) == 3
    by_ref = {r["bank_ref"]: r for r in rows}
    assert by_ref["ARC-2"]["reference"].startswith("'=HYPERLINK")
    assert by_ref["ARC-2"]["payer_name"] == "'@SUM(A1)"
    assert by_ref["ARC-3"]["reference"].startswith("'+cmd")
    assert by_ref["ARC-1"]["customer"] == "CARCH" and by_ref["ARC-1"]["amount"] == "250.00"
    assert all(r["voucher"].startswith("RV-") for r in rows)


def test_xlsx_export_keeps_numbers_and_neutralises_text(client: FlaskClient, archive: Any) -> None:
    resp = client.get("/banking/archive.xlsx?date_from=2026-11-01")
    assert resp.status_code == 200
    ws = load_workbook(io.BytesIO(resp.data)).active
    header, *rows = list(ws.iter_rows(values_only=True))
    assert header[0] == "Voucher" and len(rows) == 2  # the reader's words, not the CSV's keys
    col = {name: i for i, name in enumerate(header)}
    values = {r[col["Bank reference"]]: r for r in rows}
    assert values["ARC-2"][col["Reference"]].startswith("'=")
    assert float(values["ARC-1"][col["Amount"]]) == 250.0
    assert not any(isinstance(v, str) and v.startswith(("=", "+", "@")) for r in rows for v in r)
