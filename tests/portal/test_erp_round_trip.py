"""The ERP loop end to end: import, bank file, review, export, ERP re-export, re-import.

Nothing Concord settled is reopened, no follow-up comes back, and there are no conflicts:
neither while the ERP has not booked Concord's export yet, nor after it has.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import (
    Allocation,
    BankTransaction,
    CollectionCase,
    ErpStatus,
    FollowUp,
    Invoice,
    InvoiceStatus,
    MatchStatus,
)
from tests.factories import make_user
from tests.portal.finance_helpers import login, txn
from tests.portal.test_banking import _upload, fake_engine  # noqa: F401  (fixture)

D = Decimal
TODAY = dt.date.today()
ISSUED = (TODAY - dt.timedelta(days=60)).isoformat()
DUE = (TODAY - dt.timedelta(days=30)).isoformat()
INVOICE_HEADER = "number,customer,issue_date,due_date,currency,amount,open_amount,po_number\n"


def _open_items(opens: dict[str, str]) -> str:
    amounts = {"INV-RT-1": "1000.00", "INV-RT-2": "2000.00", "INV-RT-3": "500.00"}
    rows = [f"{n},RT1,{ISSUED},{DUE},CNY,{amounts[n]},{o}," for n, o in opens.items()]
    return INVOICE_HEADER + "\n".join(rows) + "\n"


def _import(runner: FlaskCliRunner, tmp_path: Path, name: str, text: str) -> dict[str, int]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(args=["import", "invoices", str(path)])
    assert result.exit_code == 0, result.output
    counts = {k: int(v) for v, k in re.findall(r"(\d+) (\w+)", result.output)}
    return counts


def _chased(session: Session, runner: FlaskCliRunner) -> tuple[Decimal, int, set[str]]:
    """Run the daily collections run; return the customer's overdue amount and item count as
    its collection case has them, and the invoices of open follow-up tasks."""
    result = runner.invoke(args=["followups", "run"])
    assert result.exit_code == 0, result.output
    session.expire_all()
    case = session.scalars(select(CollectionCase)).one()
    tasks = session.execute(
        select(Invoice.number)
        .join(FollowUp, FollowUp.invoice_id == Invoice.id)
        .where(FollowUp.status.in_(("open", "in_progress")))
    ).all()
    return case.overdue_amount, case.item_count, {n for (n,) in tasks}


def _state(session: Session) -> dict[str, tuple[Decimal, InvoiceStatus]]:
    session.expire_all()
    return {i.number: (i.open_amount, i.status) for i in session.scalars(select(Invoice))}


@pytest.mark.slow
def test_round_trip_reopens_nothing_and_leaves_no_conflict(
    session: Session,
    client: FlaskClient,
    runner: FlaskCliRunner,
    fake_engine: Any,  # noqa: F811
    tmp_path: Path,
) -> None:
    # 1. the ERP's customers and open items
    customers = tmp_path / "customers.csv"
    customers.write_text(
        "code,name,aliases,bank_accounts,currency\nRT1,往返贸易有限公司,,6222000011112222,CNY\n",
        encoding="utf-8",
    )
    assert runner.invoke(args=["import", "customers", str(customers)]).exit_code == 0
    first = _open_items({"INV-RT-1": "1000.00", "INV-RT-2": "2000.00", "INV-RT-3": "500.00"})
    assert _import(runner, tmp_path, "open-1.csv", first)["created"] == 3
    assert _chased(session, runner) == (D("3500.00"), 3, set())

    # 2. the bank file: one receipt matched at once (30 short: bank fee), one only suggested
    fake_engine(
        [
            txn("RT-R1", "1970.00", "INV-RT-2"),
            txn("RT-R2", "600.00", "INV-RT-1"),
            txn("RT-R3", "400.00", "balance INV-RT-1"),
        ]
    )
    _bank_file, _created, job = _upload(session, "bank.csv", b"round trip bank file")
    assert job is not None and job.error is None
    suggested = session.scalars(
        select(BankTransaction).where(BankTransaction.match_status == MatchStatus.SUGGESTED)
    ).all()
    assert len(suggested) == 2

    # 3. finance reviews: accepts the engine's suggestions in the review queue
    clerk = make_user(session, "finance")
    session.commit()
    login(client, clerk)
    for receipt in suggested:
        resp = client.post(
            f"/banking/transactions/{receipt.id}/accept",
            data={"index": "0", "version": str(receipt.version)},
        )
        assert resp.status_code == 302, resp.get_data(as_text=True)[:300]
    settled = _state(session)
    assert settled["INV-RT-1"] == (D("0.00"), InvoiceStatus.PAID)
    assert settled["INV-RT-2"] == (D("0.00"), InvoiceStatus.PAID)
    assert settled["INV-RT-3"] == (D("500.00"), InvoiceStatus.OPEN)

    # 4. the cash application goes to the ERP
    out = tmp_path / "allocations.csv"
    result = runner.invoke(args=["export", "allocations", "--format", "csv", "--output", str(out)])
    assert result.exit_code == 0, result.output
    exported = list(csv.DictReader(io.StringIO(out.read_text("utf-8"))))
    assert sorted((r["invoice"], r["kind"], r["amount"]) for r in exported) == [
        ("INV-RT-1", "payment", "400.00"),
        ("INV-RT-1", "payment", "600.00"),
        ("INV-RT-2", "fee_writeoff", "30.00"),
        ("INV-RT-2", "payment", "1970.00"),
    ]

    # 5a. the ERP exports its open items before booking the file: still all open there
    counts = _import(runner, tmp_path, "open-2.csv", first)
    assert counts.get("conflicts", 0) == 0
    assert _state(session) == settled, "a re-import must not reopen what Concord settled"
    assert _chased(session, runner) == (D("500.00"), 1, set()), "no follow-up comes back"

    # 5b. the ERP books the file (as an ERPNext or Odoo import would) and exports again
    applied: dict[str, Decimal] = defaultdict(Decimal)
    for row in exported:
        applied[row["invoice"]] += D(row["amount"])
    opens = {"INV-RT-1": D("1000.00"), "INV-RT-2": D("2000.00"), "INV-RT-3": D("500.00")}
    second = _open_items({n: f"{o - applied[n]:.2f}" for n, o in opens.items()})
    counts = _import(runner, tmp_path, "open-3.csv", second)
    assert counts.get("conflicts", 0) == 0
    assert _state(session) == settled
    assert _chased(session, runner) == (D("500.00"), 1, set()), "no follow-up comes back"
    invoices = {i.number: i for i in session.scalars(select(Invoice))}
    assert invoices["INV-RT-1"].erp_open_amount == 0 and invoices["INV-RT-2"].erp_open_amount == 0
    # what the ERP booked is no longer pending, and the next export has nothing new
    assert {a.erp_status for a in session.scalars(select(Allocation))} == {ErpStatus.BOOKED}
    cursor = re.search(r"cursor: (\d+)", result.output)
    assert cursor is not None
    nothing = ["--output", str(tmp_path / "n.json"), "--since", cursor.group(1)]
    again = runner.invoke(args=["export", "allocations", "--format", "json", *nothing])
    assert "0 records" in again.output
