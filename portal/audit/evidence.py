"""The evidence package of a statement: PDF, verification report, signature evidence, audit log,
and the statement's disputes (the whole thread, attachments included) and credit notes.

The package is for auditors (staff only download it), so a dispute's thread is complete:
messages finance marked internal are in it too, each marked ``"internal": true`` (the customer
never saw them). Every attachment is stored under ``disputes/<dispute number>/`` with its
SHA-256 checked against the one recorded at upload.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, undefer

from ..downloads import safe_filename
from ..models import (
    AuditEvent,
    CreditNote,
    Dispute,
    DisputeAttachment,
    SignatureEvidence,
    Statement,
    StatementLine,
    User,
)
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


class _People:
    """Who a user id is, for the package (each user read once)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def __call__(self, user_id: int | None) -> dict[str, Any] | None:
        user = self.session.get(User, user_id) if user_id is not None else None
        if user is None:
            return None
        return {"id": user.id, "name": user.name, "email": user.email, "role": user.role.value}


def _attachment_path(dispute: Dispute, attachment: DisputeAttachment) -> str:
    folder = safe_filename(dispute.number, f"dispute-{dispute.id}")
    name = safe_filename(attachment.filename, "attachment")
    return f"disputes/{folder}/{attachment.id}-{name}"


def _dispute_json(dispute: Dispute, who: _People) -> dict[str, Any]:
    by_message: dict[int | None, list[DisputeAttachment]] = {}
    for attachment in dispute.attachments:
        by_message.setdefault(attachment.message_id, []).append(attachment)

    def files(items: list[DisputeAttachment]) -> list[dict[str, Any]]:
        return [
            {
                "id": a.id,
                "filename": a.filename,
                "content_type": a.content_type,
                "size": a.size,
                "sha256": a.sha256,
                "sha256_matches_content": hashlib.sha256(a.content).hexdigest() == a.sha256,
                "uploaded_at": a.created_at.isoformat(),
                "uploaded_by": who(a.uploaded_by_id),
                "member": _attachment_path(dispute, a),
            }
            for a in items
        ]

    return {
        "number": dispute.number,
        "status": dispute.status.value,
        "reason": dispute.reason.value,
        "amount": str(dispute.amount),
        # a statement's disputes are about its lines; an open item's dispute has none
        "line": (
            {
                "document": line.document,
                "date": line.date.isoformat(),
                "value_date": line.value_date.isoformat() if line.value_date else None,
                "debit": str(line.debit),
                "credit": str(line.credit),
                "currency": line.line_currency,
            }
            if (line := dispute.line) is not None
            else None
        ),
        "invoice": dispute.invoice.number if dispute.invoice is not None else None,
        "comment": dispute.comment,
        "opened_at": dispute.created_at.isoformat(),
        "opened_by": who(dispute.created_by_id),
        "assigned_to": who(dispute.assigned_to_id),
        "resolution": dispute.resolution,
        "resolved_at": dispute.resolved_at.isoformat() if dispute.resolved_at else None,
        "resolved_by": who(dispute.resolved_by_id),
        "credit_note": dispute.credit_note.number if dispute.credit_note is not None else None,
        # files sent with the dispute itself (not with a later message)
        "attachments": files(by_message.get(None, [])),
        "messages": [
            {
                "id": m.id,
                "at": m.created_at.isoformat(),
                "author": who(m.author_id),
                # internal: finance's note, never shown to the customer
                "internal": m.internal,
                "body": m.body,
                "attachments": files(by_message.get(m.id, [])),
            }
            for m in sorted(dispute.messages, key=lambda m: m.id)
        ],
    }


def _credit_note_json(note: CreditNote, disputes: dict[int, str], who: _People) -> dict[str, Any]:
    return {
        "number": note.number,
        "issue_date": note.issue_date.isoformat(),
        "customer": note.customer.code,
        "invoice": note.invoice.number if note.invoice is not None else None,
        "dispute": disputes.get(note.dispute_id) if note.dispute_id is not None else None,
        "currency": note.currency,
        "amount": str(note.amount),
        "reason": note.reason,
        "created_at": note.created_at.isoformat(),
        "created_by": who(note.created_by_id),
    }


def _disputes(session: Session, statement: Statement) -> list[Dispute]:
    return list(
        session.scalars(
            select(Dispute)
            .where(Dispute.statement_id == statement.id)
            .order_by(Dispute.id)
            .options(
                selectinload(Dispute.messages),
                selectinload(Dispute.attachments).options(undefer(DisputeAttachment.content)),
            )
        )
    )


def _credit_notes(session: Session, statement: Statement, disputes: list[Dispute]) -> list[Any]:
    """The credit notes on the statement's lines and those its disputes led to."""
    on_lines = select(StatementLine.credit_note_id).where(
        StatementLine.statement_id == statement.id, StatementLine.credit_note_id.is_not(None)
    )
    ids = {d.credit_note_id for d in disputes if d.credit_note_id is not None}
    ids |= {cid for cid in session.scalars(on_lines) if cid is not None}
    dispute_ids = [d.id for d in disputes]
    query = select(CreditNote).where(
        CreditNote.id.in_(ids) | CreditNote.dispute_id.in_(dispute_ids)
    )
    return list(session.scalars(query.order_by(CreditNote.issue_date, CreditNote.id)))


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
    disputes = _disputes(session, statement)
    credit_notes = _credit_notes(session, statement, disputes)
    numbers = {d.id: d.number for d in disputes}
    who = _People(session)
    events = session.scalars(
        select(AuditEvent)
        .where(
            ((AuditEvent.entity_type == "statement") & (AuditEvent.entity_id == str(statement.id)))
            | (
                (AuditEvent.entity_type == "dispute")
                & AuditEvent.entity_id.in_([str(d.id) for d in disputes])
            )
        )
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
        "disputes.json": _dump(
            {"statement": statement.number, "disputes": [_dispute_json(d, who) for d in disputes]}
        ),
        "credit-notes.json": _dump(
            {
                "statement": statement.number,
                "credit_notes": [_credit_note_json(n, numbers, who) for n in credit_notes],
            }
        ),
    }
    for dispute in disputes:
        for attachment in dispute.attachments:
            files[_attachment_path(dispute, attachment)] = attachment.content
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
