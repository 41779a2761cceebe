"""Auditors: statement search, evidence package (signed PDF, report, evidence, audit chain),
and read-only access everywhere."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from portal.disputes import service as disputes
from portal.models import AuditEvent, DisputeReason, Statement, StatementStatus
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
        "disputes.json",
        "credit-notes.json",
        "manifest.json",
    }
    assert json.loads(files["disputes.json"])["disputes"] == []
    assert json.loads(files["credit-notes.json"])["credit_notes"] == []
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


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
PDF = b"%PDF-1.4\n% delivery note\n"


def test_evidence_holds_the_dispute_thread_and_credit_notes(
    client: FlaskClient, session: Session
) -> None:
    customer = make_customer(session, code="AUD02", name="争议测试有限公司")
    make_invoice(
        session, customer, number="INV-AUD-2", amount="1000.00", issue_date=dt.date(2026, 10, 8)
    )
    statement = issue_statement(session, customer, *OCT)
    buyer = make_user(session, "customer", customer=customer, name="李四")
    claim = disputes.LineClaim(
        statement.lines[0], DisputeReason.QUANTITY, Decimal("300.00"), "Only 7 boxes arrived"
    )
    photo = disputes.Upload("photo.png", PNG)
    dispute = disputes.open_disputes(session, statement, buyer, [claim], [photo], max_bytes=10_000)[
        0
    ]
    finance = make_user(session, "finance", name="Fay Finance")
    disputes.add_message(
        session, dispute, finance, "Warehouse counted 7", internal=True, max_bytes=10_000
    )
    disputes.add_message(
        session,
        dispute,
        buyer,
        "Delivery note attached",
        uploads=[disputes.Upload("delivery note.pdf", PDF)],
        max_bytes=10_000,
    )
    note = disputes.accept(session, dispute, finance, Decimal("300.00"), "Credit for 3 boxes")
    session.commit()

    login(client, make_user(session, "auditor"))
    files = _package(client, statement)

    thread = json.loads(files["disputes.json"])
    assert thread["statement"] == statement.number
    (entry,) = thread["disputes"]
    assert entry["number"] == dispute.number and entry["status"] == "accepted"
    assert entry["amount"] == "300.00" and entry["invoice"] == "INV-AUD-2"
    assert entry["credit_note"] == note.number and entry["opened_by"]["name"] == "李四"
    opening = entry["messages"][0]  # the customer's comment, with the photo sent along
    assert opening["body"] == "Only 7 boxes arrived" and not opening["internal"]
    (photo_entry,) = opening["attachments"]
    assert files[photo_entry["member"]] == PNG
    bodies = [(m["body"], m["internal"], m["author"]["role"]) for m in entry["messages"]]
    # the auditor gets the whole thread: finance's internal note too, marked as such
    assert ("Warehouse counted 7", True, "finance") in bodies
    assert ("Delivery note attached", False, "customer") in bodies
    with_file = next(m for m in entry["messages"] if m["body"] == "Delivery note attached")
    (delivery,) = with_file["attachments"]
    assert delivery["filename"] == "delivery note.pdf" and delivery["sha256_matches_content"]
    assert delivery["member"].startswith(f"disputes/{dispute.number}/")
    assert files[delivery["member"]] == PDF

    notes = json.loads(files["credit-notes.json"])["credit_notes"]
    assert [(n["number"], n["amount"], n["invoice"], n["dispute"]) for n in notes] == [
        (note.number, "300.00", "INV-AUD-2", dispute.number)
    ]

    audit = json.loads(files["audit-log.json"])
    actions = {e["action"] for e in audit["events"]}
    assert {"statement.issued", "dispute.opened", "dispute.accepted"} <= actions
    manifest = json.loads(files["manifest.json"])
    assert delivery["member"] in manifest["files"]
    assert set(manifest["files"]) == set(files) - {"manifest.json"}
