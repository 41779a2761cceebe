"""The evidence package of a statement: PDF, verification report, signature evidence, audit log."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..downloads import safe_filename
from ..models import AuditEvent, SignatureEvidence, Statement
from .service import compute_hash, verify_chain


def _event_json(event: AuditEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "occurred_at": event.occurred_at.isoformat(),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "entity_type": event.entity_type,
        "entity_id": event.entity_id,
        "reason": event.reason,
        "data": event.data,
        "ip_address": event.ip_address,
        "prev_hash": event.prev_hash,
        "hash": event.hash,
        "hash_matches_content": compute_hash(event) == event.hash,
    }


def _evidence_json(ev: SignatureEvidence) -> dict[str, Any]:
    return {
        "id": ev.id,
        "kind": ev.kind,
        "signer_user_id": ev.signer_user_id,
        "signer_name": ev.signer_name,
        "signer_email": ev.signer_email,
        "signer_company": ev.signer_company,
        "certificate_subject": ev.certificate_subject,
        "signed_at": ev.signed_at.isoformat(),
        "ip_address": ev.ip_address,
        "user_agent": ev.user_agent,
        "auth_method": ev.auth_method,
        "consent_text": ev.consent_text,
        "statement_version": ev.statement_version,
        "hash_before": ev.hash_before,
        "hash_after": ev.hash_after,
    }


def build_evidence_package(session: Session, statement: Statement) -> bytes:
    """Assemble the evidence ZIP of ``statement`` (with a manifest of SHA-256 digests)."""
    from ..statements.service import statement_pdf, verify_pdf

    pdf = statement_pdf(statement)
    signed = statement.signed_pdf is not None
    try:
        report: dict[str, Any] = verify_pdf(pdf, require_approval=signed).to_json()
    except Exception as exc:  # a PDF the verifier cannot read is itself evidence: report it
        report = {"ok": False, "problems": [f"verification failed: {exc}"], "signatures": []}
    evidence = session.scalars(
        select(SignatureEvidence)
        .where(SignatureEvidence.statement_id == statement.id)
        .order_by(SignatureEvidence.id)
    ).all()
    events = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.entity_type == "statement", AuditEvent.entity_id == str(statement.id))
        .order_by(AuditEvent.id)
    ).all()
    chain = verify_chain(session)
    audit_extract = {
        "statement": statement.number,
        "chain": {
            "ok": chain.ok,
            "rows_checked": chain.checked,
            "first_broken_id": chain.first_broken_id,
            "reason": chain.reason,
        },
        "events": [_event_json(e) for e in events],
    }
    kind = "signed" if signed else "issued"
    files: dict[str, bytes] = {
        # the number may hold any stored text; a name inside a ZIP must be a plain file name
        safe_filename(f"{statement.number}-{kind}.pdf", "statement.pdf"): pdf,
        "verification-report.json": _dump(report),
        "signature-evidence.json": _dump([_evidence_json(e) for e in evidence]),
        "audit-log.json": _dump(audit_extract),
    }
    manifest = {
        "statement": {
            "id": statement.id,
            "number": statement.number,
            "customer": statement.customer.code,
            "period": [statement.period_start.isoformat(), statement.period_end.isoformat()],
            "status": statement.status.value,
            "issued_sha256": statement.issued_sha256,
            "signed_sha256": statement.signed_sha256,
        },
        "generated_at": dt.datetime.now(dt.UTC).isoformat(),
        "verification_ok": bool(report.get("ok")),
        "audit_chain_ok": chain.ok,
        "files": {name: hashlib.sha256(body).hexdigest() for name, body in files.items()},
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in files.items():
            zf.writestr(name, body)
        zf.writestr("manifest.json", _dump(manifest))
    return out.getvalue()


def _dump(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str).encode("utf-8")
