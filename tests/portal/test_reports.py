"""Reports: aging, DSO, cash application, disputes, backlog; SVG charts; CSV/XLSX exports."""

from __future__ import annotations

import datetime as dt
import io
import re
import uuid
from decimal import Decimal

from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from portal import ledger
from portal.models import (
    AllocationMethod,
    BankFile,
    BankTransaction,
    Direction,
    Dispute,
    DisputeReason,
    FollowUp,
    FollowUpKind,
    MatchStatus,
    utcnow,
)
from portal.reports import charts, service
from tests.factories import make_customer, make_invoice, make_user
from tests.portal.customer_helpers import make_statement
from tests.portal.finance_helpers import login

TODAY = dt.date(2026, 11, 26)
_n = iter(range(1, 10**6))


def due_ago(session: Session, customer: object, days: int, amount: str, **kw: object):  # type: ignore[no-untyped-def]
    due = TODAY - dt.timedelta(days=days)
    return make_invoice(
        session, customer, amount=amount, issue_date=due - dt.timedelta(days=30), due_date=due, **kw
    )


def receipt(
    session: Session, invoice: object, amount: str, on: dt.date, method: AllocationMethod
) -> None:
    bank_file = BankFile(sha256=uuid.uuid4().hex * 2, original_name="r.csv", size=1, content=b"x")
    session.add(bank_file)
    session.flush()
    n = next(_n)
    t = BankTransaction(
        file_id=bank_file.id,
        voucher_number=f"RV-2096-{n:06d}",
        bank_ref=f"RP{n}",
        booking_date=on,
        amount=Decimal(amount),
        direction=Direction.CREDIT,
        currency="CNY",
        match_status=MatchStatus.MATCHED,
        unapplied_amount=Decimal("0"),
    )
    session.add(t)
    session.flush()
    ledger.apply(session, t, invoice, Decimal(amount), actor="test", method=method)  # type: ignore[arg-type]
    session.flush()


def test_aging_by_customer_and_total(session: Session) -> None:
    a = make_customer(session, code="AG-A")
    b = make_customer(session, code="AG-B")
    due_ago(session, a, -5, "100.00")  # not due yet
    due_ago(session, a, 10, "200.00")
    due_ago(session, a, 45, "300.00", open_amount="120.00")
    due_ago(session, b, 75, "400.00")
    due_ago(session, b, 200, "500.00")
    due_ago(session, b, 20, "50.00", open_amount="0")  # paid: not in the aging
    table = service.aging(session, today=TODAY)
    rows = {r[0]: r for r in table.rows}
    assert rows["AG-A"][3:] == (
        Decimal("100.00"),
        Decimal("200.00"),
        Decimal("120.00"),
        Decimal("0"),
        Decimal("0"),
        Decimal("0"),
        Decimal("420.00"),
    )
    assert rows["AG-B"][-1] == Decimal("900.00")
    assert rows["TOTAL"][-1] == Decimal("1320.00")
    assert dict(table.chart)["90+"] == 500.0


def test_dso_from_receivables_and_sales(session: Session) -> None:
    c = make_customer(session)
    inv = make_invoice(
        session,
        c,
        amount="900.00",
        issue_date=TODAY - dt.timedelta(days=10),
        due_date=TODAY + dt.timedelta(days=20),
    )
    receipt(session, inv, "300.00", TODAY - dt.timedelta(days=1), AllocationMethod.MANUAL)
    # another currency is never added in (issue 14, item 5): it has rows of its own
    usd = make_customer(session, currency="USD")
    make_invoice(session, usd, amount="50.00", issue_date=TODAY - dt.timedelta(days=5))
    table = service.dso(session, today=TODAY, months=3)
    last = {row[1]: row for row in table.rows if row[0] == TODAY.isoformat()}
    # receivables 600 of sales 900 in the last 90 days → 600 / 900 × 90 = 60 days
    assert last["CNY"] == (TODAY.isoformat(), "CNY", Decimal("600.00"), Decimal("900.00"), 60.0)
    assert last["USD"] == (TODAY.isoformat(), "USD", Decimal("50.00"), Decimal("50.00"), 90.0)
    assert len(table.rows) == 6 and table.rows[0][0] == "2026-09-30"
    assert [value for _m, value in table.chart][-1] == 60.0  # the chart follows CNY
    # months before the first sale have no DSO: a gap in the chart, not a fall to 0 days
    assert table.chart[0] == ("2026-09", None)


def test_a_line_chart_leaves_a_gap_where_a_month_has_no_value() -> None:
    svg = str(
        charts.line_chart([("07", None), ("08", None), ("09", 90.0), ("10", 60.0)], title="DSO")
    )
    wide = svg.split("</svg>")[0]
    # one line through the two months with a value, two dots, every month labelled
    assert wide.count("<polyline") == 1 and wide.count("<circle") == 2
    assert all(f">{m}<" in wide for m in ("07", "08", "09", "10"))
    broken = str(charts.line_chart([("a", 1.0), ("b", None), ("c", 2.0), ("d", 3.0)], title="t"))
    assert broken.split("</svg>")[0].count("<polyline") == 2
    assert charts.line_chart([("a", None)], title="nothing") == ""


def test_cash_application_disputes_and_backlog(session: Session) -> None:
    c = make_customer(session)
    invs = [due_ago(session, c, 5, "100.00") for _ in range(4)]
    for inv, method in zip(
        invs,
        (
            AllocationMethod.AUTO,
            AllocationMethod.AUTO,
            AllocationMethod.AUTO,
            AllocationMethod.MANUAL,
        ),
        strict=True,
    ):
        receipt(session, inv, "100.00", TODAY, method)
    month = utcnow().strftime("%Y-%m")
    (row,) = [r for r in service.cash_application(session).rows if r[0] == month]
    assert row == (month, 3, 1, 0.75)

    statement = make_statement(session, c, [invs[0]])
    finance = make_user(session, "finance")
    opened = utcnow() - dt.timedelta(days=4)
    for i, resolved in enumerate((opened + dt.timedelta(days=2), None)):
        session.add(
            Dispute(
                number=f"DR-{uuid.uuid4().hex[:6]}-{i}",
                customer_id=c.id,
                statement_id=statement.id,
                statement_line_id=statement.lines[0].id,
                reason=DisputeReason.QUANTITY,
                amount=Decimal("10.00"),
                created_by_id=finance.id,
                created_at=opened,
                resolved_at=resolved,
            )
        )
    session.flush()
    (drow,) = [r for r in service.disputes(session).rows if r[0] == opened.strftime("%Y-%m")]
    assert drow[1:] == (2, 1, 2.0)

    for due in (TODAY - dt.timedelta(days=1), TODAY + dt.timedelta(days=3)):
        session.add(
            FollowUp(
                kind=FollowUpKind.DUNNING_CALL, title="call", owner_id=finance.id, due_date=due
            )
        )
    session.flush()
    backlog = service.followup_backlog(session, today=TODAY)
    assert backlog.rows == [("dunning_call", finance.email, 2, 1)]


def test_charts_escape_and_use_no_inline_css() -> None:
    svg = str(charts.bar_chart([("<b>x</b>", 3.0), ("y", 1.0)], title='t"itle'))
    assert "<b>" not in svg and "&lt;b&gt;" in svg and "style=" not in svg
    # drawn twice, for a wide screen and for a phone
    assert svg.count("<svg") == 2 and svg.count("<rect") == 4
    line = str(charts.line_chart([("a", 1.0), ("b", 2.0), ("c", 0.5)], title="DSO"))
    assert "<polyline" in line and line.count("<circle") == 6 and "style=" not in line
    assert charts.bar_chart([], title="empty") == ""


def test_chart_labels_turn_thin_out_and_legends_wrap_on_a_phone() -> None:
    weeks = [(f"12-{d:02d}", float(d)) for d in range(1, 14)]
    names = [("Due dates from the invoices", [1.0] * 13), ("Promises to pay", [2.0] * 13)]
    wide, narrow = str(charts.bar_chart(weeks, title="t", series=names)).split("</svg>")[:2]
    # 13 weeks fit level on a wide screen; on a phone they are turned
    labels = re.compile(r">12-\d\d</text>")
    assert "rotate(" not in wide and len(labels.findall(wide)) == 13
    assert "rotate(" in narrow and len(labels.findall(narrow)) == 13
    assert 'class="report-chart chart-narrow" viewBox="0 0 320 ' in narrow
    # the phone's legend takes two rows: its second entry starts at the left again
    assert narrow.count('<rect x="40.0"') == 2
    # 24 months on a phone: turned, and every second one named
    months = [(f"{2024 + m // 12}-{m % 12 + 1:02d}", 80.0) for m in range(24)]
    narrow = str(charts.line_chart(months, title="CEI")).split("</svg>")[1]
    assert len(re.findall(r">202\d-\d\d</text>", narrow)) == 12
    long = [("上海华美贸易有限公司上海分公司", 5.0), ("B", 1.0)]
    # one bar is a bar, not a wall across the chart
    one = str(charts.bar_chart([("only", 5.0)], title="t"))
    widths = [float(w) for w in re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)"', one)]
    assert [round(w) for w in widths] == [53, 27]
    wide, narrow = str(charts.bar_chart(long, title="t")).split("</svg>")[:2]
    # whole where it fits its bar's room (the wide screen's), shortened where not (the phone's)
    assert ">上海华美贸易有限公司上海分公司</text>" in wide
    assert re.search(r">上海华美贸易[^<]*…</text>", narrow)
    assert ">上海华美贸易有限公司上海分公司</text>" not in narrow


def test_pages_and_exports(client: FlaskClient, session: Session) -> None:
    c = make_customer(session, code="=EVIL")
    due_ago(session, c, 40, "250.00")
    login(client, make_user(session, "auditor"))
    page = client.get("/reports/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and html.count("<svg") >= 2
    for name in ("aging", "dso", "cash-application", "disputes", "followup-backlog"):
        assert f'id="report-{name}"' in html
        assert client.get(f"/reports/{name}.csv").status_code == 200
    aging_csv = client.get("/reports/aging.csv").data.decode("utf-8-sig")
    assert "'=EVIL" in aging_csv and "\n=EVIL" not in aging_csv
    ws = load_workbook(io.BytesIO(client.get("/reports/aging.xlsx").data)).active
    values = [row for row in ws.iter_rows(values_only=True)]
    assert values[0][0] == "Customer" and values[1][0] == "'=EVIL"
    assert client.get("/reports/nope.csv").status_code == 404
    # the page's total row is in the reader's words; the export keeps its TOTAL key
    assert "<td>Total</td>" in html and "<td>TOTAL</td>" not in html
    assert "\nTOTAL," in aging_csv
    client.post("/language", data={"lang": "zh", "next": "/reports/"})
    assert "<td>合计</td>" in client.get("/reports/").get_data(as_text=True)


def test_receivables_by_master_data_dimension(client: FlaskClient, session: Session) -> None:
    today = dt.date(2026, 12, 4)
    manager = make_user(session, "sales", email="am@concord.test")
    east = make_customer(session, region="华东", segment="KA", account_manager_id=manager.id)
    west = make_customer(session, region="West", segment="SMB")
    make_invoice(
        session, east, amount="1000.00", product_line="pumps", due_date=today - dt.timedelta(days=5)
    )
    make_invoice(session, east, amount="500.00", product_line="valves", due_date=today)
    make_invoice(session, west, amount="70.00", currency="USD", due_date=today)
    table = service.by_dimension(session, today=today)
    rows = {(r[0], r[1], r[2]): r[3:] for r in table.rows}
    assert rows[("region", "华东", "CNY")] == (2, Decimal("1500.00"), Decimal("1000.00"))
    assert rows[("region", "West", "USD")] == (1, Decimal("70.00"), Decimal("0"))
    assert rows[("segment", "KA", "CNY")][1] == Decimal("1500.00")
    assert rows[("product_line", "pumps", "CNY")][2] == Decimal("1000.00")
    assert rows[("product_line", "-", "USD")][1] == Decimal("70.00")
    assert rows[("account_manager", "am@concord.test", "CNY")][1] == Decimal("1500.00")
    assert rows[("account_manager", "-", "USD")][1] == Decimal("70.00")
    login(client, make_user(session, "finance"))
    page = client.get("/reports/").get_data(as_text=True)
    assert 'id="report-dimensions"' in page and "am@concord.test" in page
    export = client.get("/reports/dimensions.csv").get_data(as_text=True)
    assert (
        export.lstrip("\ufeff").splitlines()[0] == "dimension,value,currency,invoices,open,overdue"
    )
