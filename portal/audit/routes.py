"""Blueprint "audit": the auditors' statement search and the evidence package of a statement."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from typing import Any

from flask import Blueprint, abort, current_app, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import joinedload
from wtforms import DateField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from ..auth.decorators import staff_required
from ..auth.scope import paginate
from ..extensions import db
from ..models import AuditEvent, Customer, SignatureEvidence, Statement, StatementStatus
from .service import compute_hash, verify_chain

bp = Blueprint("audit", __name__, url_prefix="/audit")


class StatementSearch(FlaskForm):
    class Meta:
        csrf = False

    customer = StringField("Customer", validators=[Optional(), Length(max=200)])
    period_from = DateField("Period from", validators=[Optional()])
    period_to = DateField("Period to", validators=[Optional()])
    status = SelectField(
        "Status",
        choices=[SelectChoice("", "—")] + [SelectChoice(s.value, s.value) for s in StatementStatus],
        validators=[Optional()],
    )


def _search(form: StatementSearch) -> Select[tuple[Statement]]:
    query = select(Statement).options(joinedload(Statement.customer))
    if form.customer.data:
        pattern = f"%{form.customer.data.strip()}%"
        query = query.join(Customer, Customer.id == Statement.customer_id).where(
            or_(Customer.code.ilike(pattern), Customer.name.ilike(pattern))
        )
    if form.period_from.data:
        query = query.where(Statement.period_end >= form.period_from.data)
    if form.period_to.data:
        query = query.where(Statement.period_start <= form.period_to.data)
    if form.status.data:
        query = query.where(Statement.status == StatementStatus(form.status.data))
    return query.order_by(Statement.period_end.desc(), Statement.id.desc())


@bp.get("/statements")
@staff_required()
def statements() -> ResponseReturnValue:
    """Search issued statements by customer, period and status."""
    form = StatementSearch(request.args)
    form.validate()
    page = paginate(_search(form), request.args.get("page", 1, type=int), 50)
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("audit/statements.html", form=form, page=page, args=args)


def _statement_or_404(statement_id: int) -> Statement:
    statement = db.session.get(Statement, statement_id, options=[joinedload(Statement.customer)])
    if statement is None:
        abort(404)
    return statement


@bp.get("/statements/<int:statement_id>/evidence.zip")
@staff_required()
def evidence(statement_id: int) -> ResponseReturnValue:
    """A ZIP with the statement PDF, its verification report, the signature evidence and the
    statement's audit-log extract with the chain checked."""
    statement = _statement_or_404(statement_id)
    data = build_evidence_package(statement)
    response = current_app.response_class(data, mimetype="application/zip")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="evidence-{statement.number}.zip"'
    )
    return response


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


def build_evidence_package(statement: Statement) -> bytes:
    """Assemble the evidence ZIP of ``statement`` (with a manifest of SHA-256 digests)."""
    from ..statements.service import statement_pdf, verify_pdf

    session = db.session
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
        f"{statement.number}-{kind}.pdf": pdf,
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
