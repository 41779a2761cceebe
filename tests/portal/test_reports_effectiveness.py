"""CEI, promise-kept and statement confirmation rates, and the cash forecast, worked out by hand.

The receivables are those of ``test_reports_dimensions.world`` (its docstring has the table);
over September and October 2026 they give:

=========  =======  ========  =====  ==========  ==============================
month      opening  invoiced  end    end, due    CEI
=========  =======  ========  =====  ==========  ==============================
September  2050     2800      4600   2800        (2050+2800-4600)/2050  = 12.2 %
October    4600     800       2900   500         (4600+800-2900)/4900   = 51.0 %
both       2050     3600      2900   500         (2050+3600-2900)/5150  = 53.4 %
=========  =======  ========  =====  ==========  ==============================
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import (
    CaseStatus,
    CollectionCase,
    Customer,
    Dispute,
    DisputeReason,
    DisputeStatus,
    Invoice,
    Promise,
    PromiseInstalment,
    PromiseStatus,
    StatementStatus,
)
from portal.reports import effectiveness, forecast
from portal.reports.dimensions import Period, Scope
from tests.factories import make_customer, make_invoice, make_user
from tests.portal.customer_helpers import make_payment, make_statement
from tests.portal.finance_helpers import login
from tests.portal.test_reports_dimensions import world  # noqa: F401 - the shared fixture

D = dt.date
SEP_OCT = Period(D(2026, 9, 1), D(2026, 10, 31))


def promise(
    session: Session,
    customer: Customer,
    status: PromiseStatus,
    instalments: list[tuple[dt.date, str]],
    *,
    invoices: list[Invoice] = (),  # type: ignore[assignment]
    baseline: str | None = None,
    currency: str = "CNY",
) -> Promise:
    case = session.scalars(
        select(CollectionCase).filter_by(customer_id=customer.id, currency=currency)
    ).first()
    if case is None:
        case = CollectionCase(
            customer_id=customer.id,
            currency=currency,
            opened_on=D(2026, 9, 1),
            status=CaseStatus.OPEN,
        )
        session.add(case)
        session.flush()
    total = sum((Decimal(a) for _d, a in instalments), Decimal("0"))
    made = Promise(
        case_id=case.id,
        customer_id=customer.id,
        currency=currency,
        status=status,
        source="call",
        amount=total,
        invoice_ids=[i.id for i in invoices],
        baseline_open=Decimal(baseline) if baseline else total,
        grace_days=3,
        instalments=[PromiseInstalment(due_date=d, amount=Decimal(a)) for d, a in instalments],
    )
    session.add(made)
    session.flush()
    return made


def test_cei_per_month_and_period(session: Session, world: dict[str, Any]) -> None:  # noqa: F811
    report = effectiveness.effectiveness(session, currency="CNY", period=SEP_OCT)
    sep, oct_ = report.months
    assert (sep.opening, sep.sales, sep.ending, sep.ending_current) == (
        Decimal("2050.00"),
        Decimal("2800.00"),
        Decimal("4600.00"),
        Decimal("2800.00"),
    )
    assert (sep.cei, sep.collected) == (Decimal("12.2"), Decimal("250.00"))
    assert (oct_.opening, oct_.sales, oct_.ending, oct_.ending_current) == (
        Decimal("4600.00"),
        Decimal("800.00"),
        Decimal("2900.00"),
        Decimal("500.00"),
    )
    assert (oct_.cei, oct_.collected) == (Decimal("51.0"), Decimal("2450.00"))
    total = report.total
    assert (total.opening, total.sales, total.ending, total.cei, total.collected) == (
        Decimal("2050.00"),
        Decimal("3600.00"),
        Decimal("2900.00"),
        Decimal("53.4"),
        Decimal("2700.00"),
    )
    own = effectiveness.effectiveness(
        session, currency="CNY", period=SEP_OCT, scope=Scope(manager_id=world["m1"].id)
    )
    # customer A alone (Mia's): 1000 + 250 open on 31 August, 400 collected in October (the
    # reversed 100 does not count)
    assert (own.months[0].opening, own.months[1].collected) == (
        Decimal("1250.00"),
        Decimal("400.00"),
    )


def test_promise_kept_and_confirmation_rates(
    session: Session,
    world: dict[str, Any],  # noqa: F811
) -> None:
    a, b, c, d = world["a"], world["b"], world["c"], world["d"]
    promise(session, a, PromiseStatus.KEPT, [(D(2026, 10, 15), "100")])
    promise(session, a, PromiseStatus.BROKEN, [(D(2026, 10, 1), "50"), (D(2026, 10, 20), "50")])
    promise(session, b, PromiseStatus.KEPT, [(D(2026, 9, 10), "100")])
    promise(session, b, PromiseStatus.OPEN, [(D(2026, 10, 25), "100")])  # not judged yet
    promise(session, c, PromiseStatus.CANCELLED, [(D(2026, 10, 5), "100")])
    promise(session, c, PromiseStatus.BROKEN, [(D(2026, 9, 28), "10"), (D(2026, 11, 2), "10")])
    promise(session, d, PromiseStatus.BROKEN, [(D(2026, 10, 5), "100")], currency="USD")
    october = (D(2026, 10, 1), D(2026, 10, 31))
    september = (D(2026, 9, 1), D(2026, 9, 30))
    make_statement(session, a, [], status=StatementStatus.CONFIRMED, period=october)
    make_statement(session, b, [], status=StatementStatus.SUPERSEDED, period=october)
    make_statement(session, b, [], status=StatementStatus.ISSUED, period=october, version=2)
    make_statement(session, c, [], status=StatementStatus.DISPUTED, period=october)
    make_statement(session, a, [], status=StatementStatus.CONFIRMED, period=september)
    report = effectiveness.effectiveness(session, currency="CNY", period=SEP_OCT)
    sep, oct_ = report.months
    assert (oct_.promises_kept, oct_.promises_broken, oct_.promise_kept_rate) == (
        1,
        1,
        Decimal("50.0"),
    )
    assert (sep.promises_kept, sep.promises_broken, sep.promise_kept_rate) == (
        1,
        0,
        Decimal("100.0"),
    )
    assert report.total.promise_kept_rate == Decimal("66.7")
    assert (oct_.statements_issued, oct_.statements_confirmed, oct_.confirmation_rate) == (
        3,
        1,
        Decimal("33.3"),
    )
    assert (sep.statements_issued, sep.confirmation_rate) == (1, Decimal("100.0"))
    assert report.total.confirmation_rate == Decimal("50.0")
    usd = effectiveness.effectiveness(session, currency="USD", period=SEP_OCT)
    assert (usd.total.promises_broken, usd.total.promise_kept_rate) == (1, Decimal("0.0"))


def test_effectiveness_page_and_export(
    session: Session,
    client: FlaskClient,
    world: dict[str, Any],  # noqa: F811
) -> None:
    login(client, make_user(session, "auditor", language="en"))
    q = "currency=CNY&from=2026-09-01&to=2026-10-31"
    html = client.get(f"/reports/effectiveness?{q}").get_data(as_text=True)
    assert 'id="kpi-cei">53.4 %<' in html and "12.2" in html and "51.0" in html
    csv = client.get(f"/reports/effectiveness.csv?{q}").get_data(as_text=True)
    lines = csv.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("period,currency,opening,sales,ending,ending_current,cei")
    assert lines[1].startswith("2026-09,CNY,2050.00,2800.00,4600.00,2800.00,12.2,250.00")
    assert lines[3].startswith("2026-09-01 – 2026-10-31,CNY,2050.00,3600.00")
    sheet = load_workbook(io.BytesIO(client.get(f"/reports/effectiveness.xlsx?{q}").data)).active
    assert sheet is not None and sheet.freeze_panes == "A2"
    assert sheet["C1"].value == "Open at period start"
    assert sheet["C2"].value == 2050 and sheet["C2"].number_format == "#,##0.00"


# --- the cash forecast: today is Wednesday 2 December 2026; week 1 starts Monday 30 Nov -------

TODAY = D(2026, 12, 2)


def forecast_world(session: Session) -> dict[str, Any]:
    """P pays 13 days late on average; Q has no history and two open promises.

    P: history H1 300 paid 10 days late, H2 100 paid 20 days late: (3000+2000)/400 = 12.5 -> 13.
       P1 1000 due 1 Dec -> 14 Dec (week 3), 300 of it under open dispute (apart);
       P2 500 due 1 Nov -> 14 Nov: late;
       P3 700 due 15 Mar 2027 -> after week 13: later.
    Q: Q1 400 due 5 Dec (week 1); Q2 600 due 20 Dec, promised 200 on 10 Dec and 300 on 24 Dec:
       200 in week 2, 300 in week 4, the 100 not promised stays on 20 Dec (week 3);
       Q3 600 (500 open, 100 paid since the promise) promised 250 on 28 Nov and 250 on 30 Dec:
       150 left of the first (due, within grace: this week), 250 in week 5, 100 not promised
       and due 1 Oct: late.
    U (USD): 999 due 3 Dec, never in CNY.
    """
    p = make_customer(session, code="FC-P", name="Pay Late")
    q = make_customer(session, code="FC-Q", name="Promiser")
    u = make_customer(session, code="FC-U", name="Dollar", currency="USD")
    h1 = make_invoice(
        session, p, amount="300.00", issue_date=D(2026, 10, 1), due_date=D(2026, 11, 1)
    )
    h2 = make_invoice(
        session, p, amount="100.00", issue_date=D(2026, 10, 5), due_date=D(2026, 11, 5)
    )
    make_payment(session, p, [(h1, "300.00")], booking_date=D(2026, 11, 11))
    make_payment(session, p, [(h2, "100.00")], booking_date=D(2026, 11, 25))
    p1 = make_invoice(
        session, p, amount="1000.00", issue_date=D(2026, 11, 1), due_date=D(2026, 12, 1)
    )
    make_invoice(session, p, amount="500.00", issue_date=D(2026, 10, 1), due_date=D(2026, 11, 1))
    make_invoice(session, p, amount="700.00", issue_date=D(2026, 11, 15), due_date=D(2027, 3, 15))
    make_invoice(session, q, amount="400.00", issue_date=D(2026, 11, 5), due_date=D(2026, 12, 5))
    q2 = make_invoice(
        session, q, amount="600.00", issue_date=D(2026, 11, 20), due_date=D(2026, 12, 20)
    )
    q3 = make_invoice(
        session,
        q,
        amount="600.00",
        open_amount="500.00",
        issue_date=D(2026, 9, 1),
        due_date=D(2026, 10, 1),
    )
    promise(
        session,
        q,
        PromiseStatus.OPEN,
        [(D(2026, 12, 10), "200"), (D(2026, 12, 24), "300")],
        invoices=[q2],
        baseline="600",
    )
    promise(
        session,
        q,
        PromiseStatus.OPEN,
        [(D(2026, 11, 28), "250"), (D(2026, 12, 30), "250")],
        invoices=[q3],
        baseline="600",
    )
    make_invoice(session, u, amount="999.00", issue_date=D(2026, 11, 3), due_date=D(2026, 12, 3))
    dispute(session, p, p1, "300.00", DisputeStatus.UNDER_REVIEW)
    dispute(session, p, p1, "200.00", DisputeStatus.REJECTED, 2)  # resolved: expected again
    dispute(session, q, q2, "50.00", DisputeStatus.OPEN)  # promised: the promise decides
    return {"p": p, "q": q}


def dispute(
    session: Session,
    customer: Customer,
    invoice: Invoice,
    amount: str,
    status: DisputeStatus,
    version: int = 1,
) -> None:
    november = (D(2026, 11, 1), D(2026, 11, 30))
    statement = make_statement(session, customer, [invoice], period=november, version=version)
    session.add(
        Dispute(
            number=f"D-FC-{statement.id}",
            customer_id=customer.id,
            statement_id=statement.id,
            statement_line_id=statement.lines[0].id,
            invoice_id=invoice.id,
            reason=DisputeReason.PRICE,
            amount=Decimal(amount),
            status=status,
            created_by_id=make_user(session, "customer", customer=customer).id,
        )
    )
    session.flush()


def test_cash_forecast_by_week(session: Session) -> None:
    forecast_world(session)
    report = forecast.cash_forecast(session, currency="CNY", today=TODAY)
    weeks = [(w.start, w.from_due_dates, w.from_promises) for w in report.weeks[:6]]
    assert weeks == [
        (D(2026, 11, 30), Decimal("400.00"), Decimal("150.00")),
        (D(2026, 12, 7), Decimal("0"), Decimal("200.00")),
        (D(2026, 12, 14), Decimal("800.00"), Decimal("0")),
        (D(2026, 12, 21), Decimal("0"), Decimal("300.00")),
        (D(2026, 12, 28), Decimal("0"), Decimal("250.00")),
        (D(2027, 1, 4), Decimal("0"), Decimal("0")),
    ]
    assert len(report.weeks) == 13 and report.weeks[-1].start == D(2027, 2, 22)
    assert all(w.total == 0 for w in report.weeks[5:])
    assert (report.late, report.later, report.disputed) == (
        Decimal("600.00"),
        Decimal("700.00"),
        Decimal("300.00"),
    )
    # every open CNY item is somewhere, once: 1000 + 500 + 700 + 400 + 600 + 500
    assert report.total == Decimal("3700.00")
    assert (report.customers_with_history, report.promises) == (1, 2)
    usd = forecast.cash_forecast(session, currency="USD", today=TODAY)
    assert usd.weeks[0].from_due_dates == Decimal("999.00") and usd.total == Decimal("999.00")


def test_forecast_page_shows_the_method_and_exports(session: Session, client: FlaskClient) -> None:
    forecast_world(session)
    login(client, make_user(session, "finance", language="en"))
    html = client.get("/reports/forecast?currency=CNY").get_data(as_text=True)
    assert 'id="forecast-method"' in html and "usual delay" in html
    assert "<svg" in html
    csv = client.get("/reports/forecast.csv?currency=CNY").get_data(as_text=True)
    lines = csv.lstrip("\ufeff").splitlines()
    assert lines[0] == "week,week_end,currency,from_due_dates,from_promises,total"
    assert len(lines) == 1 + 1 + 13 + 1 + 1
    assert lines[-1] == "Under open dispute,,CNY,300.00,0.00,300.00"
    assert lines[1].startswith("Late beyond the usual delay,,CNY,")
    assert lines[-2].startswith("Later,,CNY,")
    sheet = load_workbook(io.BytesIO(client.get("/reports/forecast.xlsx?currency=CNY").data)).active
    assert sheet is not None and sheet.freeze_panes == "A2" and sheet["D1"].value
