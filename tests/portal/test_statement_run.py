"""The monthly statement run over all customers: one customer's failure, progress, one build.

A company issues statements for tens of thousands of customers at once (``statements issue``,
the scheduler's ``monthly-statements``); ``bench/statement_run_bench.py`` measures it at size.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.audit.service import verify_chain
from portal.models import AuditEvent, Customer, Statement, StatementNotice
from portal.statements import entries, loop, period, service
from portal.statements.period import issue_period
from statements.render import render_statement
from tests.factories import make_customer, make_invoice

OCT_START, OCT_END = dt.date(2026, 10, 1), dt.date(2026, 10, 31)


@pytest.fixture(autouse=True)
def _instance_pki(app: Flask, pki_template: Path) -> None:
    shutil.copytree(pki_template, Path(app.instance_path) / "pki")


def three_customers(session: Session) -> tuple[Customer, Customer, Customer]:
    """Three customers with October invoices; the middle one's invoice is in "人民币", which an
    old import let through as its currency: its statement cannot be built."""
    first = make_customer(session, code="C00101")
    broken = make_customer(session, code="C00102")
    last = make_customer(session, code="C00103")
    for customer in (first, broken, last):
        make_invoice(
            session, customer, issue_date=dt.date(2026, 10, 5), due_date=dt.date(2026, 11, 4)
        )
    make_invoice(
        session,
        broken,
        number="INV-RMB-1",
        currency="人民币",
        issue_date=dt.date(2026, 10, 9),
        due_date=dt.date(2026, 11, 8),
    )
    return first, broken, last


def statements_of(session: Session, customer: Customer) -> list[Statement]:
    return list(session.scalars(select(Statement).where(Statement.customer_id == customer.id)))


def test_one_customers_failure_is_reported_and_the_others_are_issued(session: Session) -> None:
    first, broken, last = three_customers(session)
    told = loop.Announcer(session, today=dt.date(2026, 11, 1))

    run = issue_period(session, OCT_START, OCT_END, after_issue=told)

    assert [s.customer for s in run.issued] == ["C00101", "C00103"]
    assert [(f.customer, f.reason) for f in run.failed] == [
        ("C00102", "INV-RMB-1: not a currency code: '人民币'")
    ]
    assert [s.number for s in statements_of(session, first)] == ["ST-2026-10-C00101-v1"]
    assert [s.number for s in statements_of(session, last)] == ["ST-2026-10-C00103-v1"]
    # nothing of the failed customer's is left: no statement, no notice, no audit event
    assert statements_of(session, broken) == []
    assert told.totals["announced"] == 2
    assert len(session.scalars(select(StatementNotice)).all()) == 2
    issued = session.scalars(
        select(AuditEvent.data).where(AuditEvent.action == "statement.issued")
    ).all()
    assert sorted(data["number"] for data in issued) == [
        "ST-2026-10-C00101-v1",
        "ST-2026-10-C00103-v1",
    ]
    assert verify_chain(session).ok

    # once the invoice is put right, running the period again issues the missing one only
    for invoice in broken.invoices:
        invoice.currency = "CNY"
    session.flush()
    again = issue_period(session, OCT_START, OCT_END)
    assert [s.number for s in again.issued] == ["ST-2026-10-C00102-v1"] and again.failed == []


def test_cli_names_the_failed_customers_and_shows_progress(
    runner: FlaskCliRunner, session: Session
) -> None:
    first, broken, last = three_customers(session)
    session.commit()

    result = runner.invoke(args=["statements", "issue", "--period", "2026-10"])

    assert result.exit_code == 1, result.output
    assert "issued 2 statement(s) for 2026-10-01 – 2026-10-31" in result.output
    assert "told 2 customer(s)" in result.output
    assert "failed for 1 customer(s)" in result.output
    assert "  C00102  INV-RMB-1: not a currency code: '人民币'" in result.output
    assert "3/3 customers (100%)" in result.output
    # the others are committed
    session.expire_all()
    assert len(statements_of(session, first)) == len(statements_of(session, last)) == 1
    assert statements_of(session, broken) == []


def test_monthly_statements_task_reports_the_failed_customers(session: Session) -> None:
    from portal.scheduler.tasks import monthly_statements

    three_customers(session)
    result = monthly_statements(session, dt.date(2026, 11, 1))
    assert result is not None
    assert result["issued"] == 2 and result["announced"] == 2
    assert result["failed"] == [
        {"customer": "C00102", "reason": "INV-RMB-1: not a currency code: '人民币'"}
    ]


def test_progress_is_told_after_each_customer(session: Session) -> None:
    for n in range(3):
        customer = make_customer(session, code=f"C0030{n}")
        make_invoice(session, customer, issue_date=dt.date(2026, 10, 5))
    make_customer(session, code="C00309")  # nothing to state: counted, not issued
    seen: list[tuple[int, int]] = []

    run = issue_period(session, OCT_START, OCT_END, progress=lambda *a: seen.append(a))

    assert len(run.issued) == 3
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_each_statement_is_built_once(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    """Deciding whether a customer gets a statement and issuing it use the same build."""
    customers = [make_customer(session, code=f"C0040{n}") for n in range(3)]
    for customer in customers:
        make_invoice(session, customer, issue_date=dt.date(2026, 10, 5))
    built: Counter[str] = Counter()
    load_ledger = entries.load_ledger

    def counting(session: Session, customer: Customer, *args: Any, **kw: Any) -> Any:
        built[customer.code] += 1
        return load_ledger(session, customer, *args, **kw)

    monkeypatch.setattr(service, "load_ledger", counting)
    run = issue_period(session, OCT_START, OCT_END)

    assert len(run.issued) == 3
    assert built == {c.code: 1 for c in customers}


def test_an_interrupted_cli_run_keeps_the_batches_it_finished(
    runner: FlaskCliRunner, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The command commits after each batch: stopped in the middle (Ctrl-C, the machine going
    down) it keeps what it issued, and running it again issues only the rest."""
    customers = [make_customer(session, code=f"C0050{n}") for n in range(3)]
    for customer in customers:
        make_invoice(session, customer, issue_date=dt.date(2026, 10, 5))
    session.commit()
    monkeypatch.setattr(period, "ISSUE_BATCH", 2)
    render = render_statement
    rendered: list[str] = []

    def stopped_at_the_third(data: Any) -> Any:
        rendered.append(data.number)
        if len(rendered) == 3:
            raise KeyboardInterrupt
        return render(data)

    monkeypatch.setattr(service, "render_statement", stopped_at_the_third)
    result = runner.invoke(args=["statements", "issue", "--period", "2026-10", "--no-notify"])
    assert result.exit_code == 1 and "Aborted!" in result.output
    session.rollback()
    kept = session.scalars(select(Statement.number).order_by(Statement.number)).all()
    assert kept == ["ST-2026-10-C00500-v1", "ST-2026-10-C00501-v1"]

    monkeypatch.setattr(service, "render_statement", render)
    again = runner.invoke(args=["statements", "issue", "--period", "2026-10", "--no-notify"])
    assert again.exit_code == 0, again.output
    assert "issued 1 statement(s)" in again.output and "ST-2026-10-C00502-v1" in again.output


def test_the_scheduler_retries_a_partial_month_on_the_following_days(
    app: Flask, session: Session
) -> None:
    """A month's run that left customers out is due again each day until none fails, though
    the monthly rule alone would wait for next month."""
    from portal.scheduler import run_due

    app.config["STATEMENT_DAY"] = 1
    _, broken, _ = three_customers(session)
    session.commit()

    def run(day: int) -> tuple[str, dict[str, Any] | None]:
        (outcome,) = run_due(session, today=dt.date(2026, 11, day), only=("monthly-statements",))
        return outcome.state, outcome.result

    state, result = run(1)
    assert state == "partly done" and result is not None and result["issued"] == 2
    assert result["failed"] == [
        {"customer": "C00102", "reason": "INV-RMB-1: not a currency code: '人民币'"}
    ]
    state, result = run(2)  # nothing fixed yet: tried, still failing
    assert state == "partly done" and result is not None and result["issued"] == 0
    for invoice in broken.invoices:
        invoice.currency = "CNY"
    session.commit()
    state, result = run(3)
    assert state == "done" and result is not None and result["issued"] == 1
    assert "failed" not in result
    assert [s.number for s in statements_of(session, broken)] == ["ST-2026-10-C00102-v1"]
    assert run(4)[0] == "not due"


def test_the_scheduled_run_keeps_each_committed_batch_when_it_is_interrupted(
    app: Flask, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The monthly task commits after each batch: a crash in the third customer keeps the
    first batch's two statements, and the retry issues the rest."""
    from portal.scheduler import run_due

    app.config["STATEMENT_DAY"] = 1
    for n in range(4):
        customer = make_customer(session, code=f"C0040{n}")
        make_invoice(session, customer, issue_date=dt.date(2026, 10, 5))
    session.commit()
    monkeypatch.setattr(period, "ISSUE_BATCH", 2)
    issue_one = period._issue_one
    seen: list[str] = []

    def crash_on_the_third(session: Session, customer: Customer, *args: Any) -> None:
        seen.append(customer.code)
        if len(seen) == 3:
            raise RuntimeError("the database went away")
        issue_one(session, customer, *args)

    monkeypatch.setattr(period, "_issue_one", crash_on_the_third)
    (first,) = run_due(session, today=dt.date(2026, 11, 1), only=("monthly-statements",))
    assert first.state == "failed" and "the database went away" in (first.error or "")
    session.expire_all()
    issued = session.scalars(select(Statement.number).order_by(Statement.number)).all()
    assert issued == ["ST-2026-10-C00400-v1", "ST-2026-10-C00401-v1"]

    (again,) = run_due(session, today=dt.date(2026, 11, 1), only=("monthly-statements",))
    assert again.state == "done" and again.result is not None and again.result["issued"] == 2
    assert len(session.scalars(select(Statement)).all()) == 4
