"""The allocations export names our account that received the money (and its bank when known),
so the ERP posts the receipt to the right bank account (CLI CSV/JSON/XLSX and the API)."""

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
from sqlalchemy.orm import Session

from portal import ledger
from portal.api.openapi import openapi_document
from tests.factories import make_customer, make_invoice, make_receipt, make_user

D = Decimal
CONFIG_TOKEN = "configured-token-for-the-erp-0123456789"
OLD_COLUMNS = ["id", "voucher", "bank_ref", "value_date", "customer", "invoice", "amount"]
OLD_COLUMNS += ["currency", "kind", "by"]


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {
        "API_TOKENS": [CONFIG_TOKEN],
        "OWN_ACCOUNTS": ["31050161373600000001", "1001 2345 6789", "NL91ABNA0417164300"],
        "OWN_ACCOUNT_BANKS": {"1001-2345-6789": "中国工商银行上海分行"},
        "COMPANY_BANK_NAME": "中国建设银行上海浦东分行",
        "COMPANY_BANK_ACCOUNT": "3105 0161 3736 0000 0001",
    }


@pytest.fixture
def booked(session: Session) -> dict[str, Any]:
    clerk = make_user(session, "finance", email="clerk@concord.test")
    customer = make_customer(session, code="ACC1")
    first = make_invoice(session, customer, number="INV-ACC-1", amount="1000.00")
    second = make_invoice(session, customer, number="INV-ACC-2", amount="600.00")
    ccb = make_receipt(session, "1000.00", our_account="31050161373600000001")
    icbc = make_receipt(session, "600.00", our_account="100123456789")
    abn = make_receipt(session, "50.00", our_account="NL91ABNA0417164300")
    unknown = make_receipt(session, "10.00")
    ledger.apply(session, ccb, first, D("1000.00"), actor=clerk)
    ledger.apply(session, icbc, second, D("500.00"), actor=clerk)
    ledger.on_account(session, icbc, customer, D("100.00"), actor=clerk)
    ledger.on_account(session, abn, customer, D("50.00"), actor=clerk)
    ledger.on_account(session, unknown, customer, D("10.00"), actor=clerk)
    ledger.credit_note(session, second, D("1.00"), "goodwill", actor=clerk)
    session.commit()
    return {}


EXPECTED = [
    ("INV-ACC-1", "31050161373600000001", "中国建设银行上海浦东分行"),
    ("INV-ACC-2", "100123456789", "中国工商银行上海分行"),
    ("", "100123456789", "中国工商银行上海分行"),
    ("", "NL91ABNA0417164300", ""),
    ("", "", ""),
    ("INV-ACC-2", "", ""),
]


def test_csv_and_json_name_our_receiving_account_and_bank(
    runner: FlaskCliRunner, session: Session, booked: dict[str, Any], tmp_path: Path
) -> None:
    out = tmp_path / "a.csv"
    args = ["export", "allocations", "--format", "csv", "--output", str(out)]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    text = out.read_text("utf-8")
    # the documented columns stay first and unchanged; the new ones come after them
    assert text.splitlines()[0].split(",") == [*OLD_COLUMNS, "our_account", "our_bank"]
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["invoice"], r["our_account"], r["our_bank"]) for r in rows] == EXPECTED

    out_json = tmp_path / "a.json"
    args = ["export", "allocations", "--format", "json", "--output", str(out_json)]
    result = runner.invoke(args=[*args, "--since", "0"])
    assert result.exit_code == 0, result.output
    records = json.loads(out_json.read_text("utf-8"))["records"]
    assert [(r["invoice"], r["our_account"], r["our_bank"]) for r in records] == EXPECTED
    assert list(records[0]) == [*OLD_COLUMNS, "our_account", "our_bank"]


def test_xlsx_has_the_new_columns(
    runner: FlaskCliRunner, session: Session, booked: dict[str, Any], tmp_path: Path
) -> None:
    out = tmp_path / "a.xlsx"
    result = runner.invoke(args=["export", "allocations", "--format", "xlsx", "--output", str(out)])
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out).active
    assert sheet is not None
    table = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert table[0] == [*OLD_COLUMNS, "our_account", "our_bank"]
    assert [(r[5] or "", r[10] or "", r[11] or "") for r in table[1:]] == EXPECTED


def test_api_records_carry_our_account_and_bank(
    client: FlaskClient, session: Session, booked: dict[str, Any]
) -> None:
    response = client.get(
        "/api/v1/allocations", headers={"Authorization": f"Bearer {CONFIG_TOKEN}"}
    )
    assert response.status_code == 200
    records = response.json["records"]
    assert [(r["invoice"], r["our_account"], r["our_bank"]) for r in records] == EXPECTED
    assert set(records[0]) == {*OLD_COLUMNS, "our_account", "our_bank"}


def test_banks_from_the_environments_list_form() -> None:
    """``CONCORD_OWN_ACCOUNT_BANKS="6222 0001=ICBC;NL91ABNA0417164300=ABN AMRO"``."""
    from portal.config import _from_env
    from portal.ledger.export import own_account_banks

    listed = _from_env(
        "OWN_ACCOUNT_BANKS", "6222 0001=中国工商银行;NL91ABNA0417164300=ABN AMRO;bad"
    )
    assert own_account_banks({"OWN_ACCOUNT_BANKS": listed}) == {
        "62220001": "中国工商银行",
        "NL91ABNA0417164300": "ABN AMRO",
    }
    # the reminder letters' bank belongs to their account, by default the first of ours
    assert own_account_banks({"COMPANY_BANK_NAME": "BOC", "OWN_ACCOUNTS": ["1-2", "3"]}) == {
        "12": "BOC"
    }


def test_openapi_describes_the_new_fields(app: Any) -> None:
    with app.app_context():
        record = openapi_document()["components"]["schemas"]["LedgerRecord"]
    for name in ("our_account", "our_bank"):
        assert name in record["required"]
        assert record["properties"][name]["type"] == "string"
        assert record["properties"][name]["description"]
