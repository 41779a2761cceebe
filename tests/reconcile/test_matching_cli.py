"""``python -m reconcile match``: the JSON contract of issue 4, run as a real subprocess."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from bench.generators.bankfiles import write_camt053, write_csv
from reconcile.matching.erp_csv import (
    ErpFileError,
    read_customers,
    read_invoices,
    write_customers,
    write_invoices,
)
from reconcile.matching.records import CustomerRecord, InvoiceRecord
from reconcile.model import Transaction

ROOT = Path(__file__).resolve().parents[2]
OUR = "31050161393600000123"
CUSTOMERS_CSV = (
    "code,name,aliases,bank_accounts,currency,credit_limit\n"
    "C00017,上海华美贸易有限公司,Shanghai Huamei Trading Co. Ltd.;华美贸易,"
    "6222020200112233445,CNY,1000\n"
    "C00019,苏州华美贸易有限公司,,,CNY,\n"
)
INVOICES_CSV = (
    "number,customer,issue_date,due_date,currency,amount,open_amount,po_number\n"
    "INV-2026-00123,C00017,2026-09-01,2026-10-01,CNY,5000.00,5000.00,PO-88123\n"
    "INV-2026-00124,C00017,2026-09-05,2026-10-05,CNY,1200.00,1200.00,\n"
    "INV-2026-00140,C00019,2026-09-01,2026-10-01,CNY,6400.00,6400.00,\n"
)


def _tx(ref: str, amount: str, reference: str, **kw: Any) -> Transaction:
    return Transaction(
        bank_ref=ref,
        booking_date=dt.date(2026, 11, 3),
        amount=Decimal(amount),
        direction=kw.pop("direction", "credit"),
        currency="CNY",
        reference=reference,
        our_account=OUR,
        **kw,
    )


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    customers = tmp_path / "customers.csv"
    customers.write_bytes(CUSTOMERS_CSV.encode("gb18030"))
    invoices = tmp_path / "invoices.csv"
    invoices.write_bytes(INVOICES_CSV.encode("utf-8-sig"))
    paid = _tx("B1", "4980.00", "支付INV-2026-00123货款", payer_name="上海华美贸易有限公司")
    camt = tmp_path / "statement.xml"
    camt.write_bytes(
        write_camt053(
            [
                paid,
                _tx("B2", "1200.00", "货款", payer_account="6222020200112233445"),
                _tx("B3", "88.00", "结息", payer_name="中国工商银行"),
                _tx("B4", "300.00", "电费", direction="debit", payee_name="上海电力"),
            ],
            account=OUR,
            currency="CNY",
        )
    )
    export = tmp_path / "export.csv"
    export.write_bytes(write_csv([paid], account=OUR))  # the same entry, exported again
    return {"customers": customers, "invoices": invoices, "camt": camt, "csv": export}


def _run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reconcile", "match", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


MONEY = re.compile(r"^\d+\.\d{2}$")


def test_match_writes_the_contract_json(files: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    proc = _run(
        "--customers", files["customers"], "--invoices", files["invoices"],
        "--own-account", OUR, "--output", out, files["camt"], files["csv"],
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data) == {"transactions", "summary", "errors"}
    assert data["errors"] == []
    by_ref: dict[str, list[dict[str, Any]]] = {}
    for t in data["transactions"]:
        assert set(t) >= {
            "bank_ref", "date", "amount", "currency", "direction", "payer_name", "payer_account",
            "reference", "source", "status", "customer", "allocations", "write_off",
            "confidence", "reasons", "suggestions",
        }  # fmt: skip
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", t["date"])
        assert MONEY.match(t["amount"])
        assert t["direction"] in ("credit", "debit")
        assert t["status"] in ("matched", "suggested", "unmatched", "ignored", "duplicate")
        assert isinstance(t["confidence"], int | float) and 0 <= t["confidence"] <= 1
        assert all(MONEY.match(a["amount"]) for a in t["allocations"])
        assert t["write_off"] is None or MONEY.match(t["write_off"])
        assert all(isinstance(r["text"], str) and r["text"] for r in t["reasons"])
        for s in t["suggestions"]:
            assert set(s) == {"customer", "allocations", "confidence", "reasons"}
        by_ref.setdefault(t["bank_ref"], []).append(t)
    fee = by_ref["B1"]
    assert [t["status"] for t in fee] == ["matched", "duplicate"]
    assert fee[0]["customer"] == "C00017"
    assert fee[0]["allocations"] == [{"invoice": "INV-2026-00123", "amount": "4980.00"}]
    assert fee[0]["write_off"] == "20.00"
    assert by_ref["B2"][0]["allocations"] == [{"invoice": "INV-2026-00124", "amount": "1200.00"}]
    # interest (结息) is money on the account but no customer payment: kept out of the queue
    assert by_ref["B3"][0]["status"] == "ignored"
    assert by_ref["B3"][0]["reasons"][0]["criterion"] == "category"
    assert by_ref["B4"][0]["status"] == "ignored"
    summary = data["summary"]
    assert summary["matched"] == 2
    assert summary["duplicate"] == 1
    assert summary["transactions"] == 5


def test_match_prints_to_stdout_and_reports_bad_files(
    files: dict[str, Path], tmp_path: Path
) -> None:
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x00\x01\x02 not a bank file")
    proc = _run(
        "--customers", files["customers"], "--invoices", files["invoices"], files["camt"], junk
    )
    assert proc.returncode == 1
    data = json.loads(proc.stdout)
    assert len(data["errors"]) == 1
    assert data["errors"][0]["file"].endswith("junk.bin")
    assert any(t["status"] == "matched" for t in data["transactions"])


def test_match_refuses_a_bad_erp_file(files: dict[str, Path], tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("number,customer,issue_date\nX,C1,2026-01-01\n", encoding="utf-8")
    proc = _run("--customers", files["customers"], "--invoices", bad, files["camt"])
    assert proc.returncode == 2
    assert "missing column" in proc.stderr


def test_match_output_that_cannot_be_written_is_one_line(
    files: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "no-such-folder" / "result.json"
    proc = _run(
        "--customers", files["customers"], "--invoices", files["invoices"], "--output", out,
        files["camt"],
    )  # fmt: skip
    assert proc.returncode == 2
    assert proc.stderr == f"error: --output: cannot write {out}: No such file or directory\n"
    assert proc.stdout == ""


def test_erp_files_round_trip_and_list_bad_rows() -> None:
    customers = read_customers(CUSTOMERS_CSV.encode("gb18030"))
    assert customers[0] == CustomerRecord(
        "C00017",
        "上海华美贸易有限公司",
        ("Shanghai Huamei Trading Co. Ltd.", "华美贸易"),
        ("6222020200112233445",),
        "CNY",
    )
    invoices = read_invoices(INVOICES_CSV.encode("utf-8"), customers={"C00017", "C00019"})
    assert invoices[0] == InvoiceRecord(
        "INV-2026-00123",
        "C00017",
        dt.date(2026, 9, 1),
        dt.date(2026, 10, 1),
        "CNY",
        Decimal("5000.00"),
        Decimal("5000.00"),
        "PO-88123",
    )
    assert invoices[1].po_number is None
    assert read_customers(write_customers(customers)) == customers
    assert read_invoices(write_invoices(invoices)) == invoices
    bad = INVOICES_CSV + (
        "INV-2026-00123,C00017,2026-09-01,2026-10-01,CNY,1.00,1.00,\n"
        "INV-9,C00099,2026-09-01,2026-10-01,CNY,1.00,1.00,\n"
        "INV-10,C00017,2026-13-01,2026-10-01,CNY,1.00,1.00,\n"
        "INV-11,C00017,2026-09-01,2026-10-01,CNY,1.00,2.00,\n"
    )
    with pytest.raises(ErpFileError) as err:
        read_invoices(bad.encode(), customers={"C00017", "C00019"})
    assert [p.split(":")[0] for p in err.value.problems] == [
        "line 5",
        "line 6",
        "line 7",
        "line 8",
    ]


def test_match_reads_like_parse_and_never_adds_currencies(
    files: dict[str, Path], tmp_path: Path
) -> None:
    """``match`` takes ``parse``'s reading options: a CSV naming no currency is read in
    ``--default-currency`` (and says so on standard error); the summary's totals are kept
    per currency, and the top-level totals are null when the files hold several."""
    plain = tmp_path / "no_currency.csv"
    plain.write_text(
        "交易日期,贷方发生额,借方发生额,对方户名,对方账号,用途\n"
        "2026-11-03,1200.00,,上海华美贸易有限公司,6222020200112233445,INV-2026-00124\n",
        encoding="gb18030",
    )
    erp = ("--customers", files["customers"], "--invoices", files["invoices"])

    unknown = _run(*erp, plain)
    (tx,) = json.loads(unknown.stdout)["transactions"]
    assert (tx["currency"], tx["status"]) == ("", "unmatched")

    read = _run(*erp, "--default-currency", "cny", plain)
    assert read.returncode == 0, read.stderr
    data = json.loads(read.stdout)
    (tx,) = data["transactions"]
    assert (tx["currency"], tx["status"]) == ("CNY", "matched")
    assert f"WARNING {plain}, the file names no currency: its amounts are read as CNY" in (
        read.stderr
    )
    summary = data["summary"]
    assert (summary["allocated"], summary["by_currency"]) == (
        "1200.00",
        {"CNY": {"allocated": "1200.00", "written_off": "0.00", "unapplied": "0.00"}},
    )

    usd = tmp_path / "usd.csv"
    usd.write_text(
        "date,currency,credit,debit,payer,reference\n2026-11-04,USD,250.00,,ACME LLC,order 7\n",
        encoding="utf-8",
    )
    mixed = json.loads(_run(*erp, "--default-currency", "CNY", plain, usd).stdout)["summary"]
    assert mixed["allocated"] is None and mixed["unapplied"] is None
    assert mixed["by_currency"] == {
        "CNY": {"allocated": "1200.00", "written_off": "0.00", "unapplied": "0.00"},
        "USD": {"allocated": "0.00", "written_off": "0.00", "unapplied": "0.00"},
    }
