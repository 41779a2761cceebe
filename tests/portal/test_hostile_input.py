"""Issue 14, items 9 and 10: hostile input is a 4xx with a message, never a 500; no banner."""

from __future__ import annotations

import html
import io
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.serving import WSGIRequestHandler

from portal.hardening import full_width_number, strict_int
from portal.models import Customer
from tests.factories import make_customer, make_user
from tests.portal.customer_helpers import login, make_payment

HUGE = "9" * 25


@pytest.fixture
def finance_client(client: FlaskClient, session: Session) -> FlaskClient:
    login(client, make_user(session, role="finance", language="en"))
    return client


def test_huge_ids_are_not_found(finance_client: FlaskClient) -> None:
    for path in (
        f"/banking/transactions/{HUGE}",
        f"/followups/{HUGE}",
        f"/banking/files/{HUGE}",
        f"/staff/disputes/{HUGE}",
        "/banking/transactions/2147483648",
    ):
        assert finance_client.get(path).status_code == 404, path
    # a huge id in the query is ignored like any id that does not exist
    assert finance_client.get(f"/banking/uploads?job={HUGE}").status_code == 200
    # a search form's integer field too (WTForms IntegerField)
    assert finance_client.get(f"/banking/archive?file={HUGE}").status_code == 200
    assert finance_client.get("/banking/archive?file=2147483648").status_code == 200


def test_customers_huge_ids(client: FlaskClient, session: Session) -> None:
    login(client, make_user(session, language="en"))
    assert client.get(f"/invoices/{HUGE}").status_code == 404
    assert client.get(f"/statements/{HUGE}/pdf").status_code == 404


def test_full_width_digits_are_not_numbers(finance_client: FlaskClient) -> None:
    resp = finance_client.get("/banking/queue?page=%EF%BC%92")  # "２"
    assert resp.status_code == 400
    assert "ASCII digits" in resp.get_data(as_text=True)
    # text with full-width digits among letters is still text (a search, a name)
    assert finance_client.get("/banking/archive?q=%E7%AC%AC%EF%BC%92%E6%89%B9").status_code == 200
    assert strict_int("12") == 12
    for bad in ("１２", "1" * 11, "", "1.5", "٣"):
        with pytest.raises(ValueError):
            strict_int(bad)
    assert full_width_number("１２３.４５") and full_width_number("٣")
    assert not full_width_number("12.5") and not full_width_number("第１批")


def test_nul_and_surrogates_in_forms_and_queries_are_400(
    client: FlaskClient, finance_client: FlaskClient
) -> None:
    assert finance_client.get("/banking/archive?q=a%00b").status_code == 400
    resp = finance_client.post(
        "/followups/run",
        data=b"x=a%00b",
        content_type="application/x-www-form-urlencoded",
    )
    assert resp.status_code == 400 and "NUL" in resp.get_data(as_text=True)
    finance_client.post("/logout")
    # bytes that are not UTF-8 (a lone surrogate's CESU-8 form) never reach a 500
    resp = client.post(
        "/password/forgot",
        data=b"email=x%ED%B2%80%40example.test",
        content_type="application/x-www-form-urlencoded",
    )
    assert resp.status_code < 500


def test_bad_characters_are_explained_in_the_readers_language(
    client: FlaskClient, session: Session
) -> None:
    login(client, make_user(session, role="finance", language="zh"))
    nul = client.get("/reports/forecast?currency=%00")
    assert nul.status_code == 400
    assert "查询参数 'currency' 含有 NUL 字符" in html.unescape(nul.get_data(as_text=True))
    wide = client.get("/banking/archive?page=%EF%BC%92")
    assert wide.status_code == 400
    assert "请用 ASCII 数字" in wide.get_data(as_text=True)


def test_surrogates_and_nul_in_multipart_file_names(finance_client: FlaskClient) -> None:
    resp = finance_client.post(
        "/banking/uploads",
        data={"files": [(io.BytesIO(b"x"), "a\x00b.csv")]},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 400


def test_bad_filter_values_never_500(finance_client: FlaskClient) -> None:
    for path in (
        "/banking/queue?status=%27",
        "/followups/?status=%27&kind=%27&view=%27",
        "/staff/disputes/?filter=%27&page=99999999999999999999",
        "/audit/statements?number=%27&date_from=2026-13-45",
        "/credit/?warnings=%27",
        "/reports/?currency=%27&as_of=%27",
        "/banking/transactions/1?amount=%27",
    ):
        assert finance_client.get(path).status_code < 500, path


def test_json_with_lone_surrogates_is_a_400(app: Flask) -> None:
    with app.test_request_context(
        "/", method="POST", data='["\\ud800"]', content_type="application/json"
    ):
        from flask import request

        with pytest.raises(Exception) as exc:
            request.get_json()
        assert getattr(exc.value, "code", None) == 400


def test_the_development_server_sends_no_version_banner(app: Flask) -> None:
    assert WSGIRequestHandler.version_string(None) == "Concord"  # type: ignore[arg-type]


def test_other_scripts_digits_in_erp_rows_are_bad_rows(
    client: FlaskClient, session: Session
) -> None:
    """Full-width digits (１２.00, as Chinese ERPs and Excel write them) are read as the digits
    they are (NFKC); other scripts' digits, which Python's int() and Decimal() would take too,
    are bad rows. JSON bodies and CSV files escape the form/query check: the ERP parser itself
    refuses them."""
    from portal.api.auth import create_token
    from portal.erp.service import ErpImportError, import_invoices_csv
    from portal.models import Customer, Invoice
    from tests.factories import make_customer

    def headers() -> dict[str, str]:
        # a refused import rolls the test's transaction back (customer and token): anew each time
        if session.scalar(select(Customer).where(Customer.code == "FW01")) is None:
            make_customer(session, code="FW01")
        _row, secret = create_token(session, "erp", make_user(session, role="finance"))
        return {"Authorization": f"Bearer {secret}", "Accept-Language": "en"}

    row = {
        "number": "FW-1",
        "customer": "FW01",
        "issue_date": "2026-11-01",
        "due_date": "2026-12-01",
        "currency": "CNY",
        "amount": "١٢.00",
        "open_amount": "12.00",
        "po_number": None,
    }
    resp = client.post("/api/v1/invoices", json=[row], headers=headers())
    assert resp.status_code == 422
    assert resp.json["errors"][0]["line"] == 1 and "amount" in resp.json["errors"][0]["reason"]
    for field, value in (("issue_date", "٢٠٢٦-11-01"), ("due_date", "2026-١٢-01")):
        resp = client.post(
            "/api/v1/invoices", json=[{**row, "amount": "12.00", field: value}], headers=headers()
        )
        assert resp.status_code == 422, (field, resp.json)
        assert field in resp.json["errors"][0]["reason"], resp.json
    draft = {"customer": "FW01", "currency": "CNY", "amount": "١٢.00", "issue_date": "2026-12-01"}
    assert client.post("/api/v1/invoices/check", json=draft, headers=headers()).status_code == 422
    draft = {**draft, "amount": "12.00", "payment_terms": "３０"}
    resp = client.post("/api/v1/invoices/check", json=draft, headers=headers())
    assert resp.status_code == 422 and "payment_terms" in resp.json["error"]
    csv_text = (
        "number,customer,issue_date,due_date,currency,amount,open_amount,po_number\n"
        "FW-2,FW01,2026-11-01,2026-12-01,CNY,12.00,١٢.00,\n"
    )
    with pytest.raises(ErpImportError) as exc:
        import_invoices_csv(session, csv_text.encode())
    [error] = exc.value.errors
    assert error.line == 2 and "open_amount" in error.reason
    headers()
    full_width = csv_text.replace("١٢.00", "１２.00").replace("2026-11-01", "２０２６-１１-０１")
    assert import_invoices_csv(session, full_width.encode()).created == 1
    invoice = session.scalars(select(Invoice).where(Invoice.number == "FW-2")).one()
    assert (invoice.open_amount, invoice.issue_date.isoformat()) == (Decimal("12.00"), "2026-11-01")


def test_amounts_no_column_can_hold_are_refused_with_a_message(
    finance_client: FlaskClient, session: Session
) -> None:
    """Found by crawling ``make serve`` on PostgreSQL: a credit limit of ``1e999`` or 23 digits
    passed the form and overflowed ``NUMERIC(20,4)`` (500). Every amount field now refuses it."""
    customer = make_customer(session, credit_limit=Decimal("5000.00"))
    session.commit()
    for typed in (HUGE, "1e999", "Infinity", "NaN", "-1e17", "10000000000000000"):
        resp = finance_client.post(f"/credit/customers/{customer.id}/limit", data={"limit": typed})
        assert resp.status_code < 500, typed
        session.expire_all()
        assert session.get(Customer, customer.id).credit_limit == Decimal("5000.00"), typed  # type: ignore[union-attr]
    # the largest amount the column holds is still an amount (SQLite keeps numbers as floats:
    # 15 significant digits)
    on_postgres = session.bind.dialect.name == "postgresql"  # type: ignore[union-attr]
    largest = "9999999999999999.99" if on_postgres else "1" * 13 + ".99"
    resp = finance_client.post(f"/credit/customers/{customer.id}/limit", data={"limit": largest})
    assert resp.status_code < 500
    session.expire_all()
    assert session.get(Customer, customer.id).credit_limit == Decimal(largest)  # type: ignore[union-attr]


def test_the_amount_bound_explains_itself(app: Flask) -> None:
    from flask_wtf import FlaskForm

    from portal.fields import amount_field

    class Form(FlaskForm):
        class Meta:
            csrf = False

        amount = amount_field("Amount")

    with app.test_request_context("/", method="POST", data={"amount": "1" * 17}):
        form = Form()
        assert not form.validate()
        assert form.amount.errors == ["金额的整数部分最多 16 位。"]  # the default language
    with app.test_request_context("/", method="POST", data={"amount": "1" * 16 + ".5"}):
        form = Form()
        assert form.validate() and form.amount.data == Decimal("1" * 16 + ".5")


def test_a_search_ignores_the_fields_it_cannot_read(
    finance_client: FlaskClient, session: Session
) -> None:
    """``/audit/statements?status=bogus`` was a 500 (the invalid choice reached the query)."""
    for query in (
        "status=bogus",
        "status=bogus&period_from=%25&period_to=2026-02-30&customer=" + HUGE,
        "period_from=x&status=",
    ):
        resp = finance_client.get(f"/audit/statements?{query}")
        assert resp.status_code == 200, query


def test_a_choice_of_spaces_is_the_empty_choice(
    finance_client: FlaskClient, session: Session
) -> None:
    """``/banking/queue?status=+`` was a 500: ``Optional()`` let the status ``" "`` through."""
    customer = make_customer(session)
    receipt = make_payment(session, customer, [], amount="123.45")
    session.commit()
    for query in ("status=+", "status=%20%20", "status=+&q=&amount_min="):
        resp = finance_client.get(f"/banking/queue?{query}")
        assert resp.status_code == 200, query
        # the empty choice is "All": the matched receipt is listed, not only those to review
        assert receipt.voucher_number in resp.get_data(as_text=True), query
    # a choice with spaces around it is that choice
    resp = finance_client.get("/banking/queue?status=+matched+")
    assert resp.status_code == 200 and receipt.voucher_number in resp.get_data(as_text=True)
    resp = finance_client.get("/banking/queue?status=+unmatched+")
    assert resp.status_code == 200 and receipt.voucher_number not in resp.get_data(as_text=True)
