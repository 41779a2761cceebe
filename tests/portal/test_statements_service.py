"""The statements service: issue, issue a period (idempotent), supersede, confirm."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import shutil
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest
from asn1crypto import keys as asn1_keys
from cryptography.hazmat.primitives import serialization
from flask import Flask
from flask.testing import FlaskCliRunner
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import ledger
from portal.audit.service import verify_chain
from portal.models import (
    AuditEvent,
    BankFile,
    BankTransaction,
    CreditNote,
    Customer,
    Direction,
    Dispute,
    DisputeReason,
    InvalidTransition,
    MatchStatus,
    SignatureEvidence,
    Statement,
    StatementStatus,
    User,
)
from portal.statements.period import issue_period
from portal.statements.service import (
    TIMESTAMPER_KEY,
    StatementAlreadyIssued,
    StatementNotConfirmable,
    StatementServiceError,
    confirm_statement,
    issue_statement,
    pki_for_app,
    statement_pdf,
    verify_pdf,
)
from statements.pki import ConcordPKI
from statements.sign import to_asn1
from tests.factories import make_customer, make_invoice, make_user

OCT_START, OCT_END = dt.date(2026, 10, 1), dt.date(2026, 10, 31)
D = Decimal


@pytest.fixture(autouse=True)
def _instance_pki(app: Flask, pki_template: Path) -> None:
    shutil.copytree(pki_template, Path(app.instance_path) / "pki")


def text_of(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages)


def receipt(
    session: Session, customer: Customer, day: dt.date, amount: str, applied: dict[str, str]
) -> BankTransaction:
    """A matched bank receipt of ``customer`` applied to invoices (number -> amount)."""
    tag = f"{customer.code}-{day:%m%d}-{amount}"
    bank_file = BankFile(
        sha256=hashlib.sha256(tag.encode()).hexdigest(),
        original_name="bank.csv",
        size=1,
        content=b"x",
    )
    session.add(bank_file)
    session.flush()
    txn = BankTransaction(
        file_id=bank_file.id,
        voucher_number=f"RV-{tag}",
        our_account="31050161373600000001",
        bank_ref=f"REF-{tag}",
        booking_date=day,
        amount=D(amount),
        direction=Direction.CREDIT,
        currency="CNY",
        payer_name=customer.name,
        match_status=MatchStatus.MATCHED,
        customer_id=customer.id,
    )
    session.add(txn)
    session.flush()
    for number, part in applied.items():
        invoice = next(i for i in customer.invoices if i.number == number)
        ledger.apply(session, txn, invoice, D(part), actor="test")
    session.flush()
    return txn


@pytest.fixture
def customer(session: Session) -> Customer:
    """A customer with a September invoice partly paid in October and October invoices."""
    c = make_customer(session, code="C00017", name="上海宏达电子有限公司")
    make_invoice(
        session,
        c,
        number="INV-0901",
        issue_date=dt.date(2026, 9, 5),
        due_date=dt.date(2026, 10, 5),
        amount="5000.00",
    )
    make_invoice(
        session,
        c,
        number="INV-1003",
        issue_date=dt.date(2026, 10, 3),
        due_date=dt.date(2026, 11, 2),
        amount="2400.50",
    )
    make_invoice(
        session,
        c,
        number="INV-1020",
        issue_date=dt.date(2026, 10, 20),
        due_date=dt.date(2026, 11, 19),
        amount="800.00",
    )
    # November: not part of October's statement
    make_invoice(
        session,
        c,
        number="INV-1105",
        issue_date=dt.date(2026, 11, 5),
        due_date=dt.date(2026, 12, 5),
        amount="99.00",
    )
    receipt(session, c, dt.date(2026, 10, 15), "3000.00", {"INV-0901": "3000.00"})
    session.add(
        CreditNote(
            number="CN-1025",
            customer_id=c.id,
            invoice_id=None,
            issue_date=dt.date(2026, 10, 25),
            currency="CNY",
            amount=D("100.00"),
            reason="rebate",
        )
    )
    session.flush()
    session.refresh(c)
    return c


@pytest.fixture
def buyer(session: Session, customer: Customer) -> User:
    return make_user(session, customer=customer, name="张伟", email="zhang.wei@hongda.test")


def confirm(session: Session, statement: Statement, user: User) -> Statement:
    return confirm_statement(
        session,
        statement,
        user,
        full_name="张伟",
        ip="203.0.113.7",
        user_agent="Mozilla/5.0 (test)",
        auth_method="password + email OTP",
        consent_text="I confirm the balance.",
    )


def test_issue_statement(session: Session, customer: Customer) -> None:
    statement = issue_statement(session, customer, OCT_START, OCT_END)

    assert statement.number == "ST-2026-10-C00017-v1"
    assert statement.status is StatementStatus.ISSUED
    assert statement.opening_balance == D("5000.00")
    assert statement.total_charges == D("3200.50")
    assert statement.total_payments == D("3000.00")
    assert statement.total_credits == D("100.00")
    assert statement.closing_balance == D("5100.50")
    assert [(line.kind, line.document) for line in statement.lines] == [
        ("invoice", "INV-1003"),
        ("payment", "RV-C00017-1015-3000.00"),
        ("allocation", "RV-C00017-1015-3000.00"),
        ("invoice", "INV-1020"),
        ("credit_note", "CN-1025"),
    ]
    assert statement.lines[2].invoice_id is not None
    assert statement.respond_by is not None and statement.respond_by > statement.issued_at.date()

    assert statement.issued_sha256 == hashlib.sha256(statement.issued_pdf).hexdigest()
    report = verify_pdf(statement.issued_pdf)
    assert report.ok, report.all_problems
    assert report.signatures[0].kind == "certification"
    text = text_of(statement.issued_pdf)
    for expected in ("5,100.50", "INV-0901", "INV-1003", "INV-1020", "ST-2026-10-C00017-v1"):
        assert expected in text
    assert "INV-1105" not in text
    assert "http://localhost/statements" in text

    evidence = session.scalars(
        select(SignatureEvidence).where(SignatureEvidence.statement_id == statement.id)
    ).one()
    assert evidence.kind == "certification"
    assert evidence.hash_after == statement.issued_sha256
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "statement.issued")).one()
    assert event.entity_id == str(statement.id)
    assert verify_chain(session).ok

    with pytest.raises(StatementAlreadyIssued):
        issue_statement(session, customer, OCT_START, OCT_END)


def test_disputed_amount_is_carried(session: Session, customer: Customer, buyer: User) -> None:
    first = issue_statement(session, customer, OCT_START, OCT_END)
    line = next(line for line in first.lines if line.document == "INV-1003")
    session.add(
        Dispute(
            number="D-1",
            customer_id=customer.id,
            statement_id=first.id,
            statement_line_id=line.id,
            invoice_id=line.invoice_id,
            reason=DisputeReason.PRICE,
            amount=D("400.50"),
            created_by_id=buyer.id,
        )
    )
    first.move_to(StatementStatus.DISPUTED)
    session.flush()
    second = issue_statement(session, customer, OCT_START, OCT_END, supersedes=first)
    assert second.disputed_amount == D("400.50")


def test_issue_period_is_idempotent(session: Session, customer: Customer) -> None:
    quiet = make_customer(session, code="C00099")  # nothing at all: no statement
    settled = make_customer(session, code="C00050")
    make_invoice(
        session,
        settled,
        number="INV-S-1",
        issue_date=dt.date(2026, 8, 1),
        due_date=dt.date(2026, 8, 31),
        amount="10.00",
    )  # open balance, no October activity: still gets a statement

    first = issue_period(session, OCT_START, OCT_END)
    assert sorted(s.number for s in first.issued) == [
        "ST-2026-10-C00017-v1",
        "ST-2026-10-C00050-v1",
    ]
    assert issue_period(session, OCT_START, OCT_END).issued == []
    count = session.scalars(select(Statement).where(Statement.customer_id == quiet.id)).all()
    assert count == []


def test_a_statement_issued_twice_at_once_is_refused_cleanly(
    session: Session, customer: Customer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two clerks both see no statement yet: the second insert must not become a 500."""
    first = issue_statement(session, customer, OCT_START, OCT_END)
    # the second clerk checked before the first one's statement existed
    monkeypatch.setattr("portal.statements.service.current_statement", lambda *a, **k: None)
    with pytest.raises(StatementAlreadyIssued, match="issued by someone else"):
        issue_statement(session, customer, OCT_START, OCT_END)
    # the session is still usable and holds exactly the first statement
    rows = session.scalars(select(Statement).where(Statement.customer_id == customer.id)).all()
    assert [r.number for r in rows] == [first.number]


def test_supersede(session: Session, customer: Customer) -> None:
    old = issue_statement(session, customer, OCT_START, OCT_END)
    old_pdf = old.issued_pdf
    make_invoice(
        session,
        customer,
        number="INV-1030",
        issue_date=dt.date(2026, 10, 30),
        due_date=dt.date(2026, 11, 29),
        amount="70.00",
    )

    new = issue_statement(session, customer, OCT_START, OCT_END, supersedes=old)

    assert old.status is StatementStatus.SUPERSEDED
    assert old.issued_pdf == old_pdf  # an issued statement never changes
    assert new.number == "ST-2026-10-C00017-v2"
    assert new.version == 2 and new.supersedes_id == old.id
    assert new.closing_balance == old.closing_balance + D("70.00")
    text = text_of(new.issued_pdf)
    assert "本对账单取代对账单ST-2026-10-C00017-v1" in text
    assert "INV-1030" in text
    assert verify_pdf(new.issued_pdf).ok
    actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-2:] == ["statement.superseded", "statement.issued"]
    # issuing the period again leaves the corrected statement alone
    assert issue_period(session, OCT_START, OCT_END).issued == []


def test_confirm_signs_and_stores_evidence(
    session: Session, customer: Customer, buyer: User
) -> None:
    statement = issue_statement(session, customer, OCT_START, OCT_END)

    confirmed = confirm(session, statement, buyer)

    assert confirmed.status is StatementStatus.CONFIRMED
    assert confirmed.confirmed_by_id == buyer.id and confirmed.confirmed_at is not None
    assert confirmed.signed_pdf is not None
    assert confirmed.signed_pdf.startswith(confirmed.issued_pdf)
    assert statement_pdf(confirmed) == confirmed.signed_pdf
    report = verify_pdf(confirmed.signed_pdf, require_approval=True)
    assert report.ok, report.all_problems
    approval = report.approval
    assert approval is not None
    assert (approval.signer, approval.signer_email) == ("张伟", "zhang.wei@hongda.test")

    evidence = session.scalars(
        select(SignatureEvidence).where(
            SignatureEvidence.statement_id == statement.id, SignatureEvidence.kind == "approval"
        )
    ).one()
    assert evidence.signer_user_id == buyer.id
    assert evidence.signer_company == "上海宏达电子有限公司"
    assert evidence.ip_address == "203.0.113.7"
    assert evidence.user_agent == "Mozilla/5.0 (test)"
    assert evidence.auth_method == "password + email OTP"
    assert evidence.consent_text == "I confirm the balance."
    assert evidence.hash_before == statement.issued_sha256
    assert evidence.hash_after == confirmed.signed_sha256
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "statement.confirmed")
    ).one()
    assert event.ip_address == "203.0.113.7"
    assert event.data["hash_after"] == confirmed.signed_sha256
    assert verify_chain(session).ok
    # the per-user certificate was issued on demand, under the instance's PKI
    assert list((pki_for_app().directory / "users").glob(f"user-{buyer.id}-*.cert.pem"))


def test_confirming_twice_is_refused(session: Session, customer: Customer, buyer: User) -> None:
    statement = issue_statement(session, customer, OCT_START, OCT_END)
    confirm(session, statement, buyer)
    signed = statement.signed_pdf
    with pytest.raises(StatementNotConfirmable, match="confirmed"):
        confirm(session, statement, buyer)
    assert statement.signed_pdf == signed
    # a confirmed statement cannot be corrected either
    with pytest.raises(StatementServiceError):
        issue_statement(session, customer, OCT_START, OCT_END, supersedes=statement)


def test_superseded_statement_cannot_be_confirmed(
    session: Session, customer: Customer, buyer: User
) -> None:
    old = issue_statement(session, customer, OCT_START, OCT_END)
    issue_statement(session, customer, OCT_START, OCT_END, supersedes=old)
    with pytest.raises(StatementNotConfirmable, match="superseded"):
        confirm(session, old, buyer)
    with pytest.raises(InvalidTransition):
        old.move_to(StatementStatus.CONFIRMED)


def test_only_the_customers_users_confirm(session: Session, customer: Customer) -> None:
    statement = issue_statement(session, customer, OCT_START, OCT_END)
    stranger = make_user(session)  # a user of another customer
    staff = make_user(session, role="finance")
    for user in (stranger, staff):
        with pytest.raises(StatementNotConfirmable):
            confirm(session, statement, user)
    assert statement.status is StatementStatus.ISSUED


def test_timestamps_when_a_tsa_is_configured(
    app: Flask, session: Session, customer: Customer, buyer: User, pki_template: Path
) -> None:
    tsa = ConcordPKI(pki_template, "test-passphrase").issue_tsa()
    key = tsa.key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    app.extensions[TIMESTAMPER_KEY] = DummyTimeStamper(
        tsa_cert=to_asn1(tsa.certificate),
        tsa_key=asn1_keys.PrivateKeyInfo.load(key),
        certs_to_embed=[to_asn1(c) for c in tsa.chain],
    )
    statement = confirm(session, issue_statement(session, customer, OCT_START, OCT_END), buyer)

    assert statement.signed_pdf is not None
    report = verify_pdf(statement.signed_pdf, require_approval=True)
    assert report.ok, report.all_problems
    assert all(sig.timestamp is not None and sig.timestamp_trusted for sig in report.signatures)


def test_cli_issues_once_and_exports(
    app: Flask, runner: FlaskCliRunner, session: Session, customer: Customer, tmp_path: Path
) -> None:
    out = tmp_path / "export"
    result = runner.invoke(
        args=["statements", "issue", "--period", "2026-10", "--export", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "issued 1 statement(s)" in result.output
    exported = out / "ST-2026-10-C00017-v1.pdf"
    assert verify_pdf(exported.read_bytes()).ok

    assert "exported 1 statement PDF(s)" in result.output

    again = runner.invoke(args=["statements", "issue", "--period", "2026-10"])
    assert again.exit_code == 0 and "issued 0 statement(s)" in again.output
    assert "exported" not in again.output
    assert len(session.scalars(select(Statement)).all()) == 1

    # run twice with --export: nothing issued twice, the same issued PDF written again
    out_again = tmp_path / "export-again"
    again = runner.invoke(
        args=["statements", "issue", "--period", "2026-10", "--export", str(out_again)]
    )
    assert again.exit_code == 0, again.output
    assert "issued 0 statement(s)" in again.output
    assert f"exported 1 statement PDF(s) to {out_again}" in again.output
    assert (out_again / exported.name).read_bytes() == exported.read_bytes()
    assert len(session.scalars(select(Statement)).all()) == 1

    bad = runner.invoke(args=["statements", "issue", "--period", "2026-13"])
    assert bad.exit_code != 0 and "YYYY-MM" in bad.output
