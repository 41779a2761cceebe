"""Online confirmation: consent, full name, one-time code, signature, signed PDF."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.auth.service import CODE_MAX_ATTEMPTS
from portal.models import SignatureEvidence, Statement, StatementStatus, TokenPurpose, UserToken
from portal.statements.service import issue_statement, verify_pdf
from tests.factories import make_customer, make_invoice, make_user
from tests.portal.customer_helpers import last_code, login, make_statement, outbox

pytestmark = pytest.mark.slow


@pytest.fixture
def issued(session: Session):  # type: ignore[no-untyped-def]
    customer = make_customer(session, language="en", name="Acme Trading Ltd")
    user = make_user(
        session, customer=customer, language="en", name="Alice Buyer", email="alice@acme.test"
    )
    make_invoice(session, customer=customer, amount="1500.00", issue_date=dt.date(2026, 10, 3))
    make_invoice(session, customer=customer, amount="250.75", issue_date=dt.date(2026, 10, 20))
    statement = issue_statement(session, customer, dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    return user, statement


def _start(client: FlaskClient, statement: Statement, name: str = "Alice Buyer"):  # type: ignore[no-untyped-def]
    return client.post(
        f"/statements/{statement.id}/confirm", data={"consent": "y", "full_name": name}
    )


def test_confirm_with_emailed_code_signs_the_statement(
    client: FlaskClient, session: Session, app: Flask, issued
):  # type: ignore[no-untyped-def]
    user, statement = issued
    login(client, user)
    page = client.get(f"/statements/{statement.id}/confirm").get_data(as_text=True)
    assert "confirm that the closing balance of 1,750.75 CNY is correct" in page
    resp = _start(client, statement)
    assert resp.headers["Location"].endswith(f"/statements/{statement.id}/confirm/code")
    code = last_code(app)
    token = session.scalar(select(UserToken).where(UserToken.purpose == TokenPurpose.CONFIRM_CODE))
    assert token is not None and code not in token.token_hash
    assert (
        dt.timedelta(minutes=9)
        < token.expires_at - dt.datetime.now(dt.UTC)
        <= dt.timedelta(minutes=10)
    )

    resp = client.post(
        f"/statements/{statement.id}/confirm/code",
        data={"code": code},
        headers={"User-Agent": "ConcordTest/1.0"},
    )
    assert resp.status_code == 302
    session.refresh(statement)
    assert statement.status is StatementStatus.CONFIRMED
    evidence = session.scalar(
        select(SignatureEvidence).where(
            SignatureEvidence.statement_id == statement.id, SignatureEvidence.kind == "approval"
        )
    )
    assert evidence is not None
    assert evidence.signer_name == "Alice Buyer" and evidence.auth_method == "password + email OTP"
    assert evidence.user_agent == "ConcordTest/1.0"
    assert evidence.consent_text and "1,750.75" in evidence.consent_text

    view = client.get(f"/statements/{statement.id}").get_data(as_text=True)
    assert "Download signed PDF" in view
    pdf = client.get(f"/statements/{statement.id}/pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert "-signed.pdf" in pdf.headers["Content-Disposition"]
    report = verify_pdf(pdf.data, require_approval=True)
    assert report.ok, report.all_problems

    # single use, and a confirmed statement cannot be confirmed or disputed again
    again = client.post(f"/statements/{statement.id}/confirm/code", data={"code": code})
    assert again.status_code == 302 and again.headers["Location"].endswith(
        f"/statements/{statement.id}"
    )
    assert client.get(f"/statements/{statement.id}/dispute").status_code == 302
    assert client.get(f"/statements/{statement.id}/confirm").status_code == 302


def test_wrong_codes_are_limited(client: FlaskClient, session: Session, app: Flask, issued):  # type: ignore[no-untyped-def]
    user, statement = issued
    login(client, user)
    _start(client, statement)
    code = last_code(app)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _attempt in range(1, CODE_MAX_ATTEMPTS + 1):
        resp = client.post(f"/statements/{statement.id}/confirm/code", data={"code": wrong})
        assert resp.status_code == 200
    assert "Too many wrong codes" in resp.get_data(as_text=True)
    # even the right code no longer works
    client.post(f"/statements/{statement.id}/confirm/code", data={"code": code})
    session.refresh(statement)
    assert statement.status is StatementStatus.ISSUED
    # a new code can be requested and works
    client.post(f"/statements/{statement.id}/confirm/resend")
    new_code = last_code(app)
    client.post(f"/statements/{statement.id}/confirm/code", data={"code": new_code})
    session.refresh(statement)
    assert statement.status is StatementStatus.CONFIRMED


def test_expired_code_is_refused(client: FlaskClient, session: Session, app: Flask, issued):  # type: ignore[no-untyped-def]
    user, statement = issued
    login(client, user)
    _start(client, statement)
    token = session.scalar(select(UserToken).where(UserToken.purpose == TokenPurpose.CONFIRM_CODE))
    assert token is not None
    token.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    session.flush()
    resp = client.post(f"/statements/{statement.id}/confirm/code", data={"code": last_code(app)})
    assert "expired" in resp.get_data(as_text=True)
    session.refresh(statement)
    assert statement.status is StatementStatus.ISSUED


def test_consent_and_name_are_required(client: FlaskClient, session: Session, app: Flask, issued):  # type: ignore[no-untyped-def]
    user, statement = issued
    login(client, user)
    resp = client.post(f"/statements/{statement.id}/confirm", data={"full_name": "Alice Buyer"})
    assert resp.status_code == 200 and "Tick the box" in resp.get_data(as_text=True)
    resp = client.post(
        f"/statements/{statement.id}/confirm", data={"consent": "y", "full_name": " "}
    )
    assert "Type your full name" in resp.get_data(as_text=True)
    assert outbox(app) == []
    # the code step is not reachable without the first step
    assert client.get(f"/statements/{statement.id}/confirm/code").status_code == 302


def test_sms_code_when_the_user_has_a_phone(
    client: FlaskClient, session: Session, app: Flask, issued
):  # type: ignore[no-untyped-def]
    user, statement = issued
    user.phone = "+8613800000000"
    session.flush()
    login(client, user)
    _start(client, statement)
    sms = sorted((Path(app.instance_path) / "outbox").glob("*.sms.txt"))
    assert len(sms) == 1
    text = sms[0].read_text()
    assert "To: 13800000000" in text and last_code(app) in text  # as sms_number writes it
    code_page = client.get(f"/statements/{statement.id}/confirm/code").get_data(as_text=True)
    assert "text message" in code_page
    client.post(f"/statements/{statement.id}/confirm/code", data={"code": last_code(app)})
    evidence = session.scalar(select(SignatureEvidence).where(SignatureEvidence.kind == "approval"))
    assert evidence is not None and evidence.auth_method == "password + email/SMS OTP"


def test_superseded_statement_cannot_be_confirmed(client: FlaskClient, session: Session):
    customer = make_customer(session, language="en")
    user = make_user(session, customer=customer, language="en")
    old = make_statement(session, customer, status=StatementStatus.SUPERSEDED)
    login(client, user)
    resp = client.get(f"/statements/{old.id}/confirm")
    assert resp.status_code == 302
    assert (
        client.post(
            f"/statements/{old.id}/confirm", data={"consent": "y", "full_name": "X"}
        ).status_code
        == 302
    )
    session.refresh(old)
    assert old.status is StatementStatus.SUPERSEDED
    assert old.closing_balance == Decimal("2000.50")
