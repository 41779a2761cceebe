"""Auditors: statement search, evidence package (signed PDF, report, evidence, audit chain),
and read-only access everywhere."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from portal.models import AuditEvent, Statement, StatementStatus
from portal.statements.service import confirm_statement, issue_statement, pki_for_app
from statements.verify import verify_pdf as library_verify
from tests.factories import make_customer, make_invoice, make_user
from tests.portal.finance_helpers import login

OCT = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))


@pytest.fixture
def signed(session: Session) -> Statement:
    customer = make_customer(session, code="AUD01", name="审计测试有限公司")
    make_invoice(session, customer, amount="1500.00", issue_date=dt.date(2026, 10, 8))
    statement = issue_statement(session, customer, *OCT)
    user = make_user(session, "customer", customer=customer, name="王五")
    return confirm_statement(
        session,
        statement,
        user,
        full_name="王五",
        ip="203.0.113.9",
        user_agent="pytest",
        auth_method="password + email code",
        consent_text="I confirm the balance.",
    )


def _package(client: FlaskClient, statement: Statement) -> dict[str, bytes]:
    resp = client.get(f"/audit/statements/{statement.id}/evidence.zip")
    assert resp.status_code == 200 and resp.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(resp.data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def test_evidence_package(client: FlaskClient, session: Session, signed: Statement) -> None:
    login(client, make_user(session, "auditor"))
    files = _package(client, signed)
    pdf_name = f"{signed.number}-signed.pdf"
    assert set(files) == {
        pdf_name,
        "verification-report.json",
        "signature-evidence.json",
        "audit-log.json",
        "manifest.json",
    }
    assert files[pdf_name] == signed.signed_pdf
    report = json.loads(files["verification-report.json"])
    assert report["ok"] is True and len(report["signatures"]) == 2
    evidence = json.loads(files["signature-evidence.json"])
    assert sorted(e["kind"] for e in evidence) == ["approval", "certification"]
    approval = next(e for e in evidence if e["kind"] == "approval")
    assert approval["signer_name"] == "王五" and approval["ip_address"] == "203.0.113.9"
    audit = json.loads(files["audit-log.json"])
    actions = [e["action"] for e in audit["events"]]
    assert "statement.issued" in actions and "statement.confirmed" in actions
    assert audit["chain"]["ok"] is True
    assert all(e["hash_matches_content"] for e in audit["events"])
    manifest = json.loads(files["manifest.json"])
    import hashlib

    for name, digest in manifest["files"].items():
        assert hashlib.sha256(files[name]).hexdigest() == digest
    # the PDF in the package verifies with the statements library on its own, too
    root = pki_for_app().root_certificate()
    assert library_verify(files[pdf_name], trust_roots=[root]).ok


def test_tampered_audit_log_shows_in_the_package(
    client: FlaskClient, session: Session, signed: Statement
) -> None:
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "statement.issued")).one()
    # a DBA edits the row behind the application's back (inside the test's transaction)
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        conn.execute(text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
    else:
        conn.execute(text("DROP TRIGGER audit_events_no_update"))
    conn.execute(text("UPDATE audit_events SET reason = 'edited' WHERE id = :id"), {"id": event.id})
    session.expire_all()
    login(client, make_user(session, "auditor"))
    audit = json.loads(_package(client, signed)["audit-log.json"])
    assert audit["chain"]["ok"] is False and audit["chain"]["first_broken_id"] == event.id
    tampered = next(e for e in audit["events"] if e["id"] == event.id)
    assert tampered["hash_matches_content"] is False


def test_statement_search(client: FlaskClient, session: Session, signed: Statement) -> None:
    other = make_customer(session, code="AUD02")
    make_invoice(session, other, amount="99.00", issue_date=dt.date(2026, 9, 8))
    issue_statement(session, other, dt.date(2026, 9, 1), dt.date(2026, 9, 30))
    login(client, make_user(session, "auditor"))

    def found(query: str) -> int:
        page = client.get(f"/audit/statements?{query}").get_data(as_text=True)
        return page.count("/evidence.zip")

    assert found("") == 2
    assert found("customer=AUD01") == 1
    assert found("customer=审计") == 1
    assert found("status=confirmed") == 1
    assert found(f"status={StatementStatus.ISSUED.value}") == 1
    assert found("period_from=2026-10-01&period_to=2026-10-31") == 1


#: endpoints anyone signed in may POST to (sign-in flow, language switch), and the ERP API,
#: which takes bearer tokens instead of sessions (401 without one)
OPEN_POSTS = ("auth.", "ui.", "api.")


def _post_endpoints(app: Flask) -> list[tuple[str, str]]:
    out = []
    for rule in app.url_map.iter_rules():
        if "POST" not in (rule.methods or ()) or rule.endpoint.startswith(OPEN_POSTS):
            continue
        if rule.rule.startswith("/api/"):
            continue  # token-authenticated, whatever blueprint serves it
        values: dict[str, Any] = {arg: 1 for arg in rule.arguments}
        with app.test_request_context():
            from flask import url_for

            out.append((rule.endpoint, url_for(rule.endpoint, **values)))
    return out


def test_auditor_gets_403_on_every_post(app: Flask, client: FlaskClient, session: Session) -> None:
    login(client, make_user(session, "auditor"))
    posts = _post_endpoints(app)
    assert any(e.startswith("banking.") for e, _ in posts)
    refused = {endpoint: client.post(url, data={}).status_code for endpoint, url in posts}
    assert {e: code for e, code in refused.items() if code != 403} == {}


def test_auditor_reads_the_finance_pages(client: FlaskClient, session: Session) -> None:
    login(client, make_user(session, "auditor"))
    for path in (
        "/banking/uploads",
        "/banking/queue",
        "/banking/archive",
        "/followups/?view=team",
        "/credit/",
        "/reports/",
        "/audit/statements",
        "/admin/dunning",
    ):
        assert client.get(path).status_code == 200, path
