"""Cash application export: ``flask export allocations`` and ``/api/v1/allocations`` (+ ack)."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient, FlaskCliRunner
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import ledger
from portal.api.auth import create_token
from portal.ledger import export
from portal.models import Allocation, ErpStatus, Invoice, User
from tests.factories import make_customer, make_invoice, make_user
from tests.portal.test_ledger import receipt

D = Decimal
CONFIG_TOKEN = "configured-token-for-the-erp-0123456789"
# the documented ten columns, then our receiving account and its bank (added after them)
HEADER = (
    "id,voucher,bank_ref,value_date,customer,invoice,amount,currency,kind,by,our_account,our_bank"
)


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"API_TOKENS": [CONFIG_TOKEN]}


def _auth(token: str = CONFIG_TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def clerk(session: Session) -> User:
    return make_user(session, "finance", email="clerk@concord.test")


@pytest.fixture
def booked(session: Session, clerk: User) -> dict[str, Any]:
    """A payment with a bank fee, money on account, a credit note and a reversal."""
    customer = make_customer(session, code="EXP1")
    invoice = make_invoice(session, customer, number="INV-EXP-1", amount="1000.00")
    other = make_invoice(session, customer, number="INV-EXP-2", amount="500.00")
    txn = receipt(session, "1200.00")
    pay = ledger.apply(session, txn, invoice, D("980.00"), actor="auto-match")
    fee = ledger.write_off(
        session, invoice, D("20.00"), kind="fee", actor="auto-match", receipt=txn
    )
    advance = ledger.on_account(session, txn, customer, D("220.00"), actor=clerk)
    ledger.credit_note(session, other, D("50.00"), "damaged goods", actor=clerk)
    reversal = ledger.reverse(session, advance, "was for another order", actor=clerk)
    session.commit()
    return {"txn": txn, "pay": pay, "fee": fee, "advance": advance, "reversal": reversal}


def test_csv_export_has_every_record_once_in_order(
    runner: FlaskCliRunner, session: Session, booked: dict[str, Any], tmp_path: Path
) -> None:
    out = tmp_path / "alloc.csv"
    result = runner.invoke(args=["export", "allocations", "--format", "csv", "--output", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8"))))
    assert out.read_text("utf-8").splitlines()[0] == HEADER
    txn = booked["txn"]
    assert [(r["kind"], r["invoice"], r["amount"], r["by"]) for r in rows] == [
        ("payment", "INV-EXP-1", "980.00", "auto-match"),
        ("fee_writeoff", "INV-EXP-1", "20.00", "auto-match"),
        ("on_account", "", "220.00", "clerk@concord.test"),
        ("credit_note", "INV-EXP-2", "50.00", "clerk@concord.test"),
        ("reversal", "", "-220.00", "clerk@concord.test"),
    ]
    first = rows[0]
    assert (first["voucher"], first["bank_ref"], first["value_date"], first["customer"]) == (
        txn.voucher_number,
        txn.bank_ref,
        "2026-11-21",
        "EXP1",
    )
    assert rows[3]["voucher"].startswith("CN-") and rows[3]["bank_ref"] == ""
    ids = [int(r["id"]) for r in rows]
    assert ids == sorted(ids)
    assert f"cursor: {ids[-1]}" in result.output and "5 records" in result.output
    session.expire_all()
    assert {a.erp_status for a in session.scalars(select(Allocation))} == {ErpStatus.EXPORTED}

    # next time, with the cursor: nothing new, then only what was added since
    again = tmp_path / "again.json"
    args = ["export", "allocations", "--format", "json", "--output", str(again)]
    result = runner.invoke(args=[*args, "--since", str(ids[-1])])
    assert result.exit_code == 0, result.output
    assert json.loads(again.read_text("utf-8")) == {"records": [], "cursor": str(ids[-1])}
    invoice = session.get(Invoice, booked["pay"].invoice_id)
    assert invoice is not None
    late = ledger.reverse(session, booked["pay"], "bounced", actor="bank-return")
    session.commit()
    result = runner.invoke(args=[*args, "--since", str(ids[-1])])
    doc = json.loads(again.read_text("utf-8"))
    assert [(r["id"], r["kind"], r["amount"]) for r in doc["records"]] == [
        (late.id, "reversal", "-980.00")
    ]
    assert doc["cursor"] == str(late.id) and f"cursor: {late.id}" in result.output


def test_xlsx_export_keeps_amounts_numeric(
    runner: FlaskCliRunner, booked: dict[str, Any], tmp_path: Path
) -> None:
    out = tmp_path / "alloc.xlsx"
    result = runner.invoke(args=["export", "allocations", "--format", "xlsx", "--output", str(out)])
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert ",".join(str(v) for v in values[0]) == HEADER
    assert values[-1][8] == "reversal" and Decimal(str(values[-1][6])) == D("-220.00")


def test_bad_cursor_or_format_is_refused(runner: FlaskCliRunner, tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    base = ["export", "allocations", "--output", str(out)]
    result = runner.invoke(args=[*base, "--format", "csv", "--since", "abc"])
    assert result.exit_code == 2 and "not a cursor" in result.output
    result = runner.invoke(args=[*base, "--format", "pdf"])
    assert result.exit_code == 2 and "pdf" in result.output
    assert not out.exists()


def test_a_record_committed_late_below_the_cursor_is_not_lost(
    session: Session, booked: dict[str, Any]
) -> None:
    batch = export.take(session, after=0)
    assert len(batch.records) == 5
    # as if a transaction that drew a lower id committed after the export
    booked["pay"].erp_status = ErpStatus.PENDING
    session.flush()
    later = export.take(session, after=int(batch.cursor))
    assert [r["id"] for r in later.records] == [booked["pay"].id]
    assert later.cursor == batch.cursor


def test_api_pages_through_the_records_and_marks_them_exported(
    client: FlaskClient, session: Session, booked: dict[str, Any]
) -> None:
    seen: list[int] = []
    cursor = ""
    for _ in range(5):
        resp = client.get(f"/api/v1/allocations?after={cursor}&limit=2", headers=_auth())
        assert resp.status_code == 200, resp.json
        body = resp.json
        assert body is not None and set(body) == {"records", "cursor", "has_more"}
        seen += [r["id"] for r in body["records"]]
        cursor = body["cursor"]
        if not body["has_more"]:
            break
    assert len(seen) == 5 and seen == sorted(seen)
    assert list(client.get("/api/v1/allocations?after=0", headers=_auth()).json["records"]) != []
    assert client.get(f"/api/v1/allocations?after={cursor}", headers=_auth()).json == {
        "records": [],
        "cursor": cursor,
        "has_more": False,
    }


@pytest.mark.parametrize(
    "query",
    ["after=abc", "after=-1", "after=1.5", "limit=0", "limit=x", "after=" + "9" * 30],
)
def test_api_bad_parameters_are_400(client: FlaskClient, query: str) -> None:
    resp = client.get(f"/api/v1/allocations?{query}", headers=_auth())
    assert resp.status_code == 400 and resp.json is not None and resp.json["error"]


def test_api_needs_a_token_and_acks_need_write(client: FlaskClient, session: Session) -> None:
    assert client.get("/api/v1/allocations").status_code == 401
    assert client.get("/api/v1/allocations", headers=_auth("nope")).status_code == 401
    _row, sales_secret = create_token(session, "crm", make_user(session, "sales"))
    session.commit()
    assert client.get("/api/v1/allocations", headers=_auth(sales_secret)).status_code == 200
    resp = client.post("/api/v1/allocations/ack", json={"ids": [1]}, headers=_auth(sales_secret))
    assert resp.status_code == 403


def test_ack_marks_records_booked_and_keeps_open_amounts(
    client: FlaskClient, session: Session, booked: dict[str, Any]
) -> None:
    pay, fee = booked["pay"], booked["fee"]
    invoice = session.get(Invoice, pay.invoice_id)
    assert invoice is not None and invoice.open_amount == 0
    resp = client.post("/api/v1/allocations/ack", json={"ids": [pay.id, fee.id]}, headers=_auth())
    assert resp.status_code == 200 and resp.json == {"booked": 2, "already_booked": 0}
    session.expire_all()
    invoice = session.get(Invoice, pay.invoice_id)
    assert invoice is not None
    assert (invoice.erp_open_amount, invoice.open_amount) == (D("0.00"), D("0.00"))
    assert session.get(Allocation, pay.id).erp_status is ErpStatus.BOOKED  # type: ignore[union-attr]
    again = client.post("/api/v1/allocations/ack", json={"ids": [pay.id]}, headers=_auth())
    assert again.json == {"booked": 0, "already_booked": 1}
    unknown = client.post("/api/v1/allocations/ack", json={"ids": [999999]}, headers=_auth())
    assert unknown.status_code == 422 and unknown.json["unknown"] == [999999]  # type: ignore[index]
    for bad in ({"ids": []}, {"ids": ["1"]}, [1, 2], {"ids": [True]}, None):
        resp = client.post("/api/v1/allocations/ack", json=bad, headers=_auth())
        assert resp.status_code == 400, bad


def test_a_read_only_token_reads_the_records_without_taking_them_from_the_erp(
    client: FlaskClient, session: Session, booked: dict[str, Any]
) -> None:
    """Issue 14: auditors never change anything; issue 12: the ERP gets every record once.

    A reporting tool with an auditor's read token pages through the records; that neither
    marks them handed to the ERP nor hides a late record from the ERP connector's next page.
    """
    _row, reader = create_token(session, "bi", make_user(session, "auditor"), scope="read")
    session.commit()
    first = client.get("/api/v1/allocations?after=0", headers=_auth())
    cursor = first.json["cursor"]  # type: ignore[index]
    # as if a transaction that drew a lower id committed after the connector's page
    booked["pay"].erp_status = ErpStatus.PENDING
    session.commit()

    seen: list[int] = []
    after = ""
    for _ in range(5):
        resp = client.get(f"/api/v1/allocations?after={after}&limit=2", headers=_auth(reader))
        assert resp.status_code == 200, resp.json
        body = resp.json
        assert body is not None and set(body) == {"records", "cursor", "has_more"}
        seen += [r["id"] for r in body["records"]]
        after = body["cursor"]
        if not body["has_more"]:
            break
    assert seen == sorted(set(seen)) and len(seen) == 5  # each record once, in order
    session.expire_all()
    assert session.get(Allocation, booked["pay"].id).erp_status is ErpStatus.PENDING  # type: ignore[union-attr]

    # the connector's next page still hands the late record to the ERP
    later = client.get(f"/api/v1/allocations?after={cursor}", headers=_auth())
    assert [r["id"] for r in later.json["records"]] == [booked["pay"].id]  # type: ignore[index]
