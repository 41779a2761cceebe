"""Receivables by dimension: a small world whose figures are worked out by hand.

Period: October 2026 (31 days); the opening balance is what was open on 30 September.

====  ========  ===========  ======  =============================================  =========
inv   customer  product      amount  what happened                                  at 31 Oct
====  ========  ===========  ======  =============================================  =========
A1    A         Pumps        1000    issued 1 Aug, due 31 Aug; 400 paid 10 Oct      600 61-90
A2    A         Valves        500    issued 5 Oct, due 4 Nov                        500 current
A3    A         -             250    paid in full 15 Sep (before the period)          0
A4    A         -             100    due 1 Oct; 100 paid 5 Oct, then reversed       100 1-30
B1    B         Pumps        2000    issued 10 Sep; paid in full 20 Oct               0
B2    B         Pumps         300    issued 15 Oct, due 20 Oct; credit note 100     200 1-30
C1    C         -             800    due 1 Jul                                      800 90+
C3    C         -             700    due 1 Oct; paid 3 Nov (after the period)       700 1-30
C2    C         -             999    issued 5 Nov (after the period)                  -
D1    D (USD)   -            1234    never in the CNY figures                         -
====  ========  ===========  ======  =============================================  =========

C also had 50 held on account on 12 Oct (collected, no invoice).
A: opening 1100, invoiced 500, end 1200 (current 500), collected 400:
   DSO 1200/500*31 = 74.4, CEI (1100+500-1200)/(1100+500-500) = 36.4 %.
B: opening 2000, invoiced 300, end 200, collected 2000: DSO 20.7, CEI 2100/2300 = 91.3 %.
C: opening 1500, invoiced 0, end 1500, collected 50: DSO none, CEI 0.0 %.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from portal import ledger
from portal.models import Allocation, Customer, Invoice, User
from portal.reports import dimensions
from portal.reports.dimensions import Period, Scope
from tests.factories import make_customer, make_invoice, make_user
from tests.portal.customer_helpers import make_payment
from tests.portal.finance_helpers import login

D = dt.date
OCTOBER = Period(D(2026, 10, 1), D(2026, 10, 31))
Q = "currency=CNY&from=2026-10-01&to=2026-10-31"


def _inv(
    session: Session,
    customer: Customer,
    amount: str,
    issued: dt.date,
    due: dt.date,
    product: str | None = None,
) -> Invoice:
    return make_invoice(
        session,
        customer,
        amount=amount,
        issue_date=issued,
        due_date=due,
        product_line=product,
    )


@pytest.fixture
def world(session: Session) -> dict[str, Any]:
    m1 = make_user(session, "sales", language="en", name="Mia Sales")
    m2 = make_user(session, "sales", language="en", name="Max Sales")
    a = make_customer(session, code="DIM-A", name="Alpha", region="East", segment="Key")
    a.account_manager_id = m1.id
    b = make_customer(session, code="DIM-B", name="Beta", region="East", segment="SME")
    b.account_manager_id = m2.id
    c = make_customer(session, code="DIM-C", name="Gamma", region="West")
    d = make_customer(session, code="DIM-D", name="Delta", region="West", currency="USD")
    a1 = _inv(session, a, "1000.00", D(2026, 8, 1), D(2026, 8, 31), "Pumps")
    _inv(session, a, "500.00", D(2026, 10, 5), D(2026, 11, 4), "Valves")
    a3 = _inv(session, a, "250.00", D(2026, 7, 1), D(2026, 7, 31))
    a4 = _inv(session, a, "100.00", D(2026, 9, 1), D(2026, 10, 1))
    b1 = _inv(session, b, "2000.00", D(2026, 9, 10), D(2026, 10, 10), "Pumps")
    b2 = _inv(session, b, "300.00", D(2026, 10, 15), D(2026, 10, 20), "Pumps")
    _inv(session, c, "800.00", D(2026, 6, 1), D(2026, 7, 1))
    c3 = _inv(session, c, "700.00", D(2026, 9, 1), D(2026, 10, 1))
    _inv(session, c, "999.00", D(2026, 11, 5), D(2026, 12, 5))
    _inv(session, d, "1234.00", D(2026, 10, 1), D(2026, 10, 31))
    make_payment(session, a, [(a1, "400.00")], booking_date=D(2026, 10, 10))
    make_payment(session, a, [(a3, "250.00")], booking_date=D(2026, 9, 15))
    make_payment(session, a, [(a4, "100.00")], booking_date=D(2026, 10, 5))
    entry = session.query(Allocation).filter_by(invoice_id=a4.id).one()
    ledger.reverse(session, entry, "applied to the wrong invoice", actor="test")
    make_payment(session, b, [(b1, "2000.00")], booking_date=D(2026, 10, 20))
    ledger.credit_note(
        session, b2, Decimal("100.00"), "price difference", actor="test", issue_date=D(2026, 10, 25)
    )
    make_payment(session, c, [(c3, "700.00")], booking_date=D(2026, 11, 3))
    held = make_payment(session, c, [], amount="50.00", booking_date=D(2026, 10, 12))
    ledger.on_account(session, held, c, Decimal("50.00"), actor="test")
    session.flush()
    return {"a": a, "b": b, "c": c, "d": d, "m1": m1, "m2": m2}


def money(*values: str) -> tuple[Decimal, ...]:
    return tuple(Decimal(v) for v in values)


def figures(row: dimensions.DimensionRow) -> tuple[Decimal, ...]:
    """current, 1-30, 31-60, 61-90, 90+, total, overdue, opening, invoiced, collected."""
    return (
        *(row.buckets[b] for b in dimensions.BUCKETS),
        row.total,
        row.overdue,
        row.opening,
        row.sales,
        row.collected,
    )


def test_by_customer_with_known_figures(session: Session, world: dict[str, Any]) -> None:
    report = dimensions.dimension_report(
        session, dimension="customer", currency="CNY", period=OCTOBER
    )
    rows = {r.label.split()[0]: r for r in report.rows}
    assert set(rows) == {"DIM-A", "DIM-B", "DIM-C"}  # D invoices in USD only
    a, b, c = rows["DIM-A"], rows["DIM-B"], rows["DIM-C"]
    assert figures(a) == money("500", "100", "0", "600", "0", "1200", "700", "1100", "500", "400")
    assert (a.dso(31), a.cei) == (Decimal("74.4"), Decimal("36.4"))
    assert figures(b) == money("0", "200", "0", "0", "0", "200", "200", "2000", "300", "2000")
    assert (b.dso(31), b.cei) == (Decimal("20.7"), Decimal("91.3"))
    assert figures(c) == money("0", "700", "0", "0", "800", "1500", "1500", "1500", "0", "50")
    assert (c.dso(31), c.cei) == (None, Decimal("0.0"))
    assert a.customer_id == world["a"].id
    # largest balance first, then the totals
    assert [r.label.split()[0] for r in report.rows] == ["DIM-C", "DIM-A", "DIM-B"]
    t = report.totals
    assert figures(t) == money(
        "500", "1000", "0", "600", "800", "2900", "2400", "4600", "800", "2450"
    )
    assert (t.dso(31), t.cei, t.customers) == (Decimal("112.4"), Decimal("51.0"), 3)


def test_by_region_and_product_line(session: Session, world: dict[str, Any]) -> None:
    region = dimensions.dimension_report(
        session, dimension="region", currency="CNY", period=OCTOBER
    )
    east = next(r for r in region.rows if r.key == "East")
    assert figures(east) == money(
        "500", "300", "0", "600", "0", "1400", "900", "3100", "800", "2400"
    )
    # 1400 / 800 * 31 = 54.25: halves round up
    assert (east.dso(31), east.cei, east.customers) == (Decimal("54.3"), Decimal("73.5"), 2)
    assert {r.key for r in region.rows} == {"East", "West"}
    product = dimensions.dimension_report(
        session, dimension="product_line", currency="CNY", period=OCTOBER
    )
    rows = {r.key: r for r in product.rows}
    assert set(rows) == {"Pumps", "Valves", ""}
    assert figures(rows["Pumps"]) == money(
        "0", "200", "0", "600", "0", "800", "800", "3000", "300", "2400"
    )
    assert rows["Pumps"].cei == Decimal("75.8")
    assert rows["Valves"].cei is None  # nothing was collectible: 0 + 500 - 500
    assert figures(rows[""]) == money(
        "0", "800", "0", "0", "800", "1600", "1600", "1600", "0", "50"
    )
    # A and C both have items without a product line; the total counts each customer once
    assert rows[""].customers == 2
    assert product.totals.customers == 3
    assert product.totals.total == Decimal("2900")


def test_drill_down_to_the_customers_of_a_product_line(
    session: Session, world: dict[str, Any]
) -> None:
    report = dimensions.dimension_report(
        session, dimension="product_line", currency="CNY", period=OCTOBER, value="Pumps"
    )
    rows = {r.label.split()[0]: r for r in report.rows}
    assert set(rows) == {"DIM-A", "DIM-B"}
    # only the Pumps invoices of each customer
    assert figures(rows["DIM-A"]) == money(
        "0", "0", "0", "600", "0", "600", "600", "1000", "0", "400"
    )
    assert rows["DIM-B"].collected == Decimal("2000")
    none = dimensions.dimension_report(
        session, dimension="segment", currency="CNY", period=OCTOBER, value=""
    )
    assert [r.label.split()[0] for r in none.rows] == ["DIM-C"]


def test_account_manager_and_scope(session: Session, world: dict[str, Any]) -> None:
    report = dimensions.dimension_report(
        session, dimension="account_manager", currency="CNY", period=OCTOBER
    )
    labels = {r.label: r.total for r in report.rows}
    assert labels == {
        "Mia Sales": Decimal("1200"),
        "Max Sales": Decimal("200"),
        "": Decimal("1500"),
    }
    own = dimensions.dimension_report(
        session,
        dimension="region",
        currency="CNY",
        period=OCTOBER,
        scope=Scope(manager_id=world["m1"].id),
    )
    assert [(r.key, r.total) for r in own.rows] == [("East", Decimal("1200"))]


def test_usd_is_reported_on_its_own(session: Session, world: dict[str, Any]) -> None:
    report = dimensions.dimension_report(
        session, dimension="region", currency="USD", period=OCTOBER
    )
    assert [(r.key, r.buckets["current"], r.sales) for r in report.rows] == [
        ("West", Decimal("1234.00"), Decimal("1234.00"))
    ]


def test_period_must_make_sense() -> None:
    with pytest.raises(dimensions.ReportError):
        Period(D(2026, 10, 31), D(2026, 10, 1))


def test_page_drill_down_and_exports(
    session: Session, client: FlaskClient, world: dict[str, Any]
) -> None:
    login(client, make_user(session, "finance", language="en"))
    html = client.get(f"/reports/by-dimension?dimension=region&{Q}").get_data(as_text=True)
    assert "East" in html and "1,400.00" in html and "73.5" in html
    assert "value=East" in html
    drilled = client.get(f"/reports/by-dimension?dimension=region&value=East&{Q}")
    text = drilled.get_data(as_text=True)
    assert f"/staff/customers/{world['a'].id}" in text and "Alpha" in text
    assert "Gamma" not in text
    csv = client.get(f"/reports/by-dimension.csv?dimension=region&value=East&{Q}")
    lines = csv.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0].startswith("customer,currency,customers,current,1-30")
    assert lines[1].startswith("DIM-A Alpha,CNY,1,500.00,100.00,0.00,600.00,0.00,1200.00,700.00")
    assert lines[-1].startswith("Total,CNY,2,")
    assert len(lines) == 4
    xlsx = client.get(f"/reports/by-dimension.xlsx?dimension=region&{Q}")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert sheet is not None
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]][:3] == ["Region", "Currency", "Customers with open items"]
    east = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "East")
    assert east[8].value == 1400 and east[8].number_format == "#,##0.00"


def test_sales_see_their_own_customers(
    session: Session, client: FlaskClient, world: dict[str, Any]
) -> None:
    m1: User = world["m1"]
    login(client, m1)
    html = client.get(f"/reports/by-dimension?dimension=customer&{Q}").get_data(as_text=True)
    assert "Alpha" in html and "Beta" not in html and "Gamma" not in html
    csv = client.get(f"/reports/by-dimension.csv?dimension=customer&{Q}").get_data(as_text=True)
    assert "Beta" not in csv


@pytest.mark.parametrize(
    "query",
    [
        "dimension=colour",
        "from=2026-13-01",
        "from=2026-10-31&to=2026-10-01",
        "currency=EURO",
        "dimension=account_manager&value=someone",
    ],
)
def test_bad_parameters_are_a_400(
    session: Session, client: FlaskClient, world: dict[str, Any], query: str
) -> None:
    login(client, make_user(session, "finance", language="en"))
    response = client.get(f"/reports/by-dimension?{query}")
    assert response.status_code == 400


def test_customers_cannot_open_reports(session: Session, client: FlaskClient) -> None:
    login(client, make_user(session, "customer", language="en"))
    assert client.get("/reports/by-dimension").status_code == 403


def test_pages_of_fifty_and_the_export_has_every_row(session: Session, client: FlaskClient) -> None:
    for i in range(55):
        customer = make_customer(session, code=f"PG-{i:03d}", name=f"Paged {i:03d}")
        # distinct balances: PG-054 is the largest, so it comes first
        make_invoice(
            session,
            customer,
            amount=f"{100 + i}.00",
            issue_date=D(2026, 10, 1),
            due_date=D(2026, 10, 31),
        )
    login(client, make_user(session, "finance", language="en"))
    first = client.get(f"/reports/by-dimension?dimension=customer&{Q}").get_data(as_text=True)
    assert "PG-054" in first and "PG-005" in first and "PG-004" not in first
    assert "Page 1 of 2" in first
    second = client.get(f"/reports/by-dimension?dimension=customer&page=2&{Q}")
    text = second.get_data(as_text=True)
    assert [f"PG-{i:03d}" in text for i in range(6)] == [True] * 5 + [False]
    csv = client.get(f"/reports/by-dimension.csv?dimension=customer&page=2&{Q}")
    lines = csv.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert len(lines) == 1 + 55 + 1  # header, every customer, the total
    # all not yet due on 31 October; invoiced 6985, nothing collected; DSO 31 days, no CEI
    assert lines[-1] == (
        "Total,CNY,55,6985.00,0.00,0.00,0.00,0.00,6985.00,0.00,0.00,6985.00,0.00,31.0,"
    )
