"""Typed amounts keep their currency's decimals: refused with a message, never rounded."""

from __future__ import annotations

import datetime as dt
import html
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict
from wtforms import Form, StringField

from portal.banking import review
from portal.banking.errors import ActionRefused
from portal.credit import limits, service
from portal.disputes import service as disputes
from portal.fields import amount_field, set_currency
from portal.models import CreditLimitRequest
from tests.factories import make_customer, make_invoice, make_user
from tests.portal.customer_helpers import make_statement
from tests.portal.finance_helpers import login
from tests.portal.test_banking_review import make_txn


class OneAmount(Form):
    amount = amount_field("Amount")


class AmountAndCurrency(Form):
    currency = StringField("Currency")
    amount = amount_field("Amount", currency_field="currency")


def _check(currency: str | None, typed: str) -> OneAmount:
    form = set_currency(OneAmount(MultiDict({"amount": typed})), currency)
    form.validate()
    return form


@pytest.mark.parametrize(
    ("currency", "typed"),
    [("EUR", "12.34"), ("EUR", "12.30"), ("JPY", "1000"), ("JPY", "1000.00"),
     ("KWD", "1.234"), ("BHD", "0.5"), (None, "1.2345")],
)  # fmt: skip
def test_amounts_with_the_currencys_decimals_are_read_as_typed(
    app: Flask, currency: str | None, typed: str
) -> None:
    with app.test_request_context(), force_locale("en"):
        form = _check(currency, typed)
    assert form.amount.errors == [] and form.amount.data == Decimal(typed)


@pytest.mark.parametrize(
    ("currency", "typed", "message"),
    [
        ("EUR", "12.345", "EUR amounts have at most 2 decimals."),
        ("CNY", "0.001", "CNY amounts have at most 2 decimals."),
        ("JPY", "1000.5", "JPY amounts have no decimals."),
        ("KWD", "1.2345", "KWD amounts have at most 3 decimals."),
        ("BHD", "1.0001", "BHD amounts have at most 3 decimals."),
        (None, "1.23456", "An amount has at most 4 decimals."),
    ],
)
def test_more_decimals_than_the_currency_has_are_refused(
    app: Flask, currency: str | None, typed: str, message: str
) -> None:
    with app.test_request_context(), force_locale("en"):
        form = _check(currency, typed)
        assert form.amount.errors == [message]


def test_the_message_is_chinese_for_a_chinese_reader(app: Flask) -> None:
    with app.test_request_context(), force_locale("zh"):
        assert _check("EUR", "12.345").amount.errors == ["EUR 金额最多 2 位小数。"]
        assert _check("JPY", "5.5").amount.errors == ["JPY 金额不带小数。"]


def test_the_currency_may_come_from_another_field(app: Flask) -> None:
    with app.test_request_context(), force_locale("en"):
        form = AmountAndCurrency(MultiDict({"currency": "jpy", "amount": "100.5"}))
        assert not form.validate() and form.amount.errors == ["JPY amounts have no decimals."]
        form = AmountAndCurrency(MultiDict({"currency": "KWD", "amount": "100.125"}))
        assert form.validate()


def test_the_hostile_input_bounds_still_hold(app: Flask) -> None:
    """What every DecimalField refuses (portal.hardening) is refused by the amount field too."""
    with app.test_request_context(), force_locale("en"):
        for typed in ("1e999", "NaN", "Infinity", "12345678901234567"):
            form = _check("EUR", typed)
            assert form.amount.data is None and form.amount.errors, typed
            assert "digits before the point" in form.amount.errors[0]


def test_a_credit_limit_with_too_many_decimals_is_refused_not_rounded(
    client: FlaskClient, session: Session
) -> None:
    eur = make_customer(session, code="EUR1", currency="EUR")
    yen = make_customer(session, code="YEN1", currency="JPY")
    login(client, make_user(session, "finance", language="en"))
    resp = client.post(f"/credit/customers/{eur.id}/limit", data={"limit": "12.345"})
    assert resp.status_code == 302 and eur.credit_limit is None
    page = html.unescape(client.get("/credit/").get_data(as_text=True))
    assert "EUR amounts have at most 2 decimals." in page
    client.post(f"/credit/customers/{yen.id}/limit", data={"limit": "1000.5"})
    assert yen.credit_limit is None
    assert "JPY amounts have no decimals." in html.unescape(
        client.get("/credit/").get_data(as_text=True)
    )
    client.post(f"/credit/customers/{yen.id}/limit", data={"limit": "1000"})
    assert yen.credit_limit == Decimal("1000")
    client.post(f"/credit/customers/{eur.id}/limit", data={"limit": "12.34"})
    assert eur.credit_limit == Decimal("12.34")


def test_a_limit_request_in_the_typed_currency(client: FlaskClient, session: Session) -> None:
    c = make_customer(session, code="REQ1")
    login(client, make_user(session, "finance", language="en"))
    until = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    form = {"currency": "JPY", "amount": "50000.5", "valid_until": until, "reason": "Season"}
    client.post(f"/credit/customers/{c.id}/requests", data=form)
    assert session.scalar(select(func.count()).select_from(CreditLimitRequest)) == 0
    page = html.unescape(client.get(f"/credit/customers/{c.id}").get_data(as_text=True))
    assert "JPY amounts have no decimals." in page


def test_the_services_refuse_a_bad_amount_too(session: Session) -> None:
    """Whatever calls them (a form, the API, a command), the services check the decimals."""
    eur = make_customer(session, currency="EUR")
    finance = make_user(session, "finance")
    with pytest.raises(ValueError, match="EUR amounts have at most 2 decimals"):
        service.set_credit_limit(session, eur, Decimal("12.345"), user=finance)
    assert eur.credit_limit is None
    with pytest.raises(limits.CreditError, match="JPY amounts have no decimals"):
        limits.request_limit(
            session,
            eur,
            currency="JPY",
            amount=Decimal("100.5"),
            valid_until=dt.date.today() + dt.timedelta(days=5),
            reason="Season",
            user=finance,
        )


def test_a_dispute_amount_with_too_many_decimals_is_refused(session: Session) -> None:
    customer = make_customer(session, language="en")
    user = make_user(session, customer=customer, language="en")
    statement = make_statement(session, customer)
    line = statement.lines[0]
    currency = line.currency or statement.currency
    claim = disputes.LineClaim(line, disputes.DisputeReason.PRICE, Decimal("10.005"), "")
    with pytest.raises(disputes.InvalidClaim, match=f"{currency} amounts have at most"):
        disputes.open_disputes(session, statement, user, [claim], max_bytes=10_000)
    claim = disputes.LineClaim(line, disputes.DisputeReason.PRICE, Decimal("10.00"), "")
    dispute = disputes.open_disputes(session, statement, user, [claim], max_bytes=10_000)[0]
    finance = make_user(session, role="finance")
    with pytest.raises(disputes.DisputeError, match="amounts have at most 2 decimals"):
        disputes.accept(session, dispute, finance, Decimal("5.001"), "")


@pytest.mark.parametrize(
    ("currency", "amount", "write_off", "message"),
    [
        ("CNY", "100.005", "0", "CNY amounts have at most 2 decimals"),
        ("CNY", "100.00", "0.001", "CNY amounts have at most 2 decimals"),
        ("JPY", "100.5", "0", "JPY amounts have no decimals"),
    ],
)
def test_a_receipt_split_or_write_off_with_too_many_decimals_is_refused(
    session: Session, currency: str, amount: str, write_off: str, message: str
) -> None:
    customer = make_customer(session, currency=currency)
    invoice = make_invoice(session, customer, amount="1000.00", currency=currency)
    txn = make_txn(session, "1000.00", currency=currency)
    clerk = make_user(session, "finance")
    split = review.Split(invoice, Decimal(amount), Decimal(write_off))
    with pytest.raises(ActionRefused, match=message), session.begin_nested():
        review.apply_splits(session, txn, [split], user=clerk, version=txn.version)
    session.refresh(invoice)
    assert invoice.open_amount == Decimal("1000.00")


def test_the_split_form_names_the_currencys_decimals(client: FlaskClient, session: Session) -> None:
    customer = make_customer(session, currency="JPY")
    invoice = make_invoice(session, customer, amount="1000", currency="JPY")
    txn = make_txn(session, "1000", currency="JPY")
    login(client, make_user(session, "finance", language="en"))
    data = {"version": str(txn.version), "rows-0-invoice": invoice.number, "rows-0-amount": "999.5"}
    resp = client.post(f"/banking/transactions/{txn.id}/apply", data=data, follow_redirects=True)
    assert "JPY amounts have no decimals." in html.unescape(resp.get_data(as_text=True))
    assert invoice.open_amount == Decimal("1000")


def test_a_refused_limit_reads_right_in_chinese(client: FlaskClient, session: Session) -> None:
    """WTForms' Chinese said a limit of -5 must be "greater than 0" (0 is a valid limit), and
    1e999 got that message after its own; the reasons were joined with an English "; "."""
    cny = make_customer(session, code="CNY1", currency="CNY")
    login(client, make_user(session, "finance", language="zh"))

    def refusal(typed: str) -> str:
        client.post(f"/credit/customers/{cny.id}/limit", data={"limit": typed})
        page = html.unescape(client.get("/credit/").get_data(as_text=True))
        start = page.index("信用额度：")
        return page[start : page.index("<", start)].strip()

    assert refusal("-5") == "信用额度：数值不能小于 0。"
    assert refusal("1e999") == "信用额度：金额的整数部分最多 16 位。"
    assert refusal("12.345") == "信用额度：CNY 金额最多 2 位小数。"
    client.post(f"/credit/customers/{cny.id}/limit", data={"limit": "0"})
    assert cny.credit_limit == Decimal("0")
