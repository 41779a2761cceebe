"""Dispute operations: open disputes on statement lines or open items, threads, triage and
resolution.

Every function flushes and never commits; each change is audited and the customer is emailed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import ledger
from ..audit.service import record
from ..followups.case_dispatch import refresh_pending
from ..models import (
    CreditNote,
    Customer,
    Dispute,
    DisputeMessage,
    DisputeReason,
    DisputeStatus,
    InvalidTransition,
    Invoice,
    InvoiceStatus,
    Role,
    Statement,
    StatementLine,
    StatementStatus,
    User,
    locked,
    utcnow,
)
from ..models.base import typed_amount_problem
from ..notifications import notify
from ..permissions import Action, can
from ..statements.tasks import close_statement_tasks
from .attachments import (
    MAX_ATTACHMENTS,
    MAX_ATTACHMENTS_PER_DISPUTE,
    Upload,
    attach,
    check_upload,
    check_uploads,
)
from .errors import AttachmentRejected, DisputeError, InvalidClaim, NotDisputable
from .numbering import insert_numbered


@dataclass(frozen=True)
class LineClaim:
    line: StatementLine
    reason: DisputeReason
    amount: Decimal
    comment: str = ""


def _language(user: User | None) -> str:
    if user is None:
        return "zh"
    if user.language:
        return user.language
    return user.customer.language if user.customer else "zh"


def dispute_link(dispute: Dispute) -> str:
    """The dispute's thread in the customer portal, as an absolute URL (``BASE_URL``)."""
    return f"{str(current_app.config['BASE_URL']).rstrip('/')}/disputes/{dispute.id}"


def _notify_customer(dispute: Dispute, template: str, **context: Any) -> None:
    user = dispute.created_by
    notify(
        user.email,
        template,
        _language(user),
        user=user,
        dispute=dispute,
        link=dispute_link(dispute),
        **context,
    )


def may_decide(user: User) -> bool:
    """Return whether ``user`` may own a dispute: accept, reject and issue its credit note."""
    return can(Action.DISPUTES_DECIDE, user)


def _file(
    db: Session,
    dispute: Dispute,
    user: User,
    customer: Customer,
    *,
    year: int,
    uploads: Sequence[Upload],
    max_bytes: int,
    audit: dict[str, Any],
) -> None:
    """File a new ``dispute`` by ``user``: open, given to ``customer``'s owner, numbered, its
    comment the thread's first message with the uploads attached, audited.

    :param audit: what the audit entry says of the disputed document.
    """
    dispute.status = DisputeStatus.OPEN
    dispute.created_by_id = user.id
    dispute.assigned_to_id = _owner_id(db, customer)
    insert_numbered(db, dispute, f"DSP-{year}-")
    message = None
    if dispute.comment:
        message = DisputeMessage(dispute_id=dispute.id, author_id=user.id, body=dispute.comment)
        db.add(message)
        db.flush()
    attach(db, dispute, uploads, user, message, max_bytes)
    record(
        db,
        user,
        "dispute.opened",
        dispute,
        data={
            "number": dispute.number,
            **audit,
            "reason": dispute.reason.value,
            "amount": str(dispute.amount),
            "attachments": len(uploads),
        },
    )


def _owner_id(db: Session, customer: Customer) -> int | None:
    """Who a new dispute goes to: the account manager if they may decide it, else finance."""
    manager = customer.account_manager
    if manager is not None and may_decide(manager):
        return manager.id
    for role in (Role.FINANCE, Role.ADMIN):
        owner = db.scalar(
            select(User).where(User.role == role, User.is_active.is_(True)).order_by(User.id)
        )
        if owner is not None:
            return owner.id
    return None


def _status(value: str) -> str:
    from ..ui.routes import label

    return str(label(value)).lower()


def open_disputes(
    db: Session,
    statement: Statement,
    user: User,
    claims: Sequence[LineClaim],
    uploads: Sequence[Upload] = (),
    *,
    max_bytes: int,
    today: dt.date | None = None,
) -> list[Dispute]:
    """Dispute lines of an issued statement: one dispute per line; the statement is disputed.

    :raises NotDisputable: the statement is not waiting for an answer.
    :raises InvalidClaim: no lines, a line twice or of another statement, amount out of range.
    :raises AttachmentRejected: an upload is not acceptable (nothing is stored then).
    """
    if statement.status is not StatementStatus.ISSUED:
        raise NotDisputable(
            _(
                "statement %(number)s is %(status)s",
                number=statement.number,
                status=_status(statement.status.value),
            )
        )
    if user.customer_id != statement.customer_id:
        raise NotDisputable(_("statement of another customer"))
    if not claims:
        raise InvalidClaim(_("select at least one line"))
    if len({c.line.id for c in claims}) != len(claims):
        raise InvalidClaim(_("a line is selected twice"))
    check_uploads(uploads, max_bytes)
    for claim in claims:
        if claim.line.statement_id != statement.id:
            raise InvalidClaim(
                _(
                    "line %(id)s is not on statement %(number)s",
                    id=claim.line.id,
                    number=statement.number,
                )
            )
        if not Decimal("0") < claim.amount <= claim.line.amount:
            raise InvalidClaim(
                _(
                    "line %(line)s: amount must be between 0 and the line's amount",
                    line=claim.line.line_no,
                )
            )
        currency = claim.line.currency or statement.currency
        if problem := typed_amount_problem(claim.amount, currency):
            raise InvalidClaim(
                _("line %(line)s: %(problem)s", line=claim.line.line_no, problem=problem)
            )
    _lock_invoices(db, (c.line.invoice_id for c in claims if c.line.invoice_id is not None))
    year = (today or dt.date.today()).year
    disputes = []
    for claim in claims:
        dispute = Dispute(
            customer_id=statement.customer_id,
            statement_id=statement.id,
            statement_line_id=claim.line.id,
            invoice_id=claim.line.invoice_id,
            reason=claim.reason,
            amount=claim.amount,
            comment=claim.comment.strip(),
        )
        _file(
            db,
            dispute,
            user,
            statement.customer,
            year=year,
            uploads=uploads,
            max_bytes=max_bytes,
            audit={
                "statement": statement.number,
                "line_no": claim.line.line_no,
                "document": claim.line.document,
            },
        )
        disputes.append(dispute)
    statement.move_to(StatementStatus.DISPUTED)
    statement.disputed_amount = sum((c.amount for c in claims), Decimal("0"))
    record(
        db,
        user,
        "statement.disputed",
        statement,
        data={"disputes": [d.number for d in disputes], "amount": str(statement.disputed_amount)},
    )
    close_statement_tasks(db, statement, actor=user, why="disputed")
    db.flush()
    _refresh_reminders(db, disputes, today)
    for dispute in disputes:
        db.refresh(dispute)
        _notify_customer(dispute, "dispute_opened")
    return disputes


def _lock_invoices(db: Session, ids: Iterable[int]) -> None:
    """Lock the disputed invoices (PostgreSQL, in id order): a reminder being sent on one
    finishes first, or waits and holds the disputed part out (``followups.lock_invoices``)."""
    wanted = sorted(set(ids))
    if wanted:
        db.execute(
            select(Invoice.id)
            .where(Invoice.id.in_(wanted))
            .order_by(Invoice.id)
            .with_for_update(key_share=True)
        ).all()


def _refresh_reminders(db: Session, disputes: Sequence[Dispute], today: dt.date | None) -> None:
    """Reminders waiting to be approved or sent that name the disputed invoices say what they
    dun now: the disputed part held out while the dispute is open, due again once decided."""
    ids = [d.invoice_id for d in disputes if d.invoice_id is not None]
    if ids:
        refresh_pending(db, disputes[0].customer_id, ids, today=today or dt.date.today())


#: an invoice with one of these disputes is being looked at already
UNDECIDED = (DisputeStatus.OPEN, DisputeStatus.UNDER_REVIEW)
OPEN_INVOICE = (InvoiceStatus.OPEN, InvoiceStatus.PARTIALLY_PAID)


def open_item_dispute(
    db: Session,
    invoice: Invoice,
    user: User,
    *,
    reason: DisputeReason,
    amount: Decimal,
    comment: str = "",
    uploads: Sequence[Upload] = (),
    max_bytes: int,
    today: dt.date | None = None,
) -> Dispute:
    """Dispute an open item of the customer's account, whether or not a statement shows it.

    The dispute has no statement: it is about the invoice, and follows the same thread,
    triage and resolution as a statement line's (an accepted one credits the invoice).

    :raises NotDisputable: the invoice is another customer's, settled, or disputed already.
    :raises InvalidClaim: the amount is not above zero and at most the open amount.
    :raises AttachmentRejected: an upload is not acceptable (nothing is stored then).
    """
    if user.customer_id != invoice.customer_id:
        raise NotDisputable(_("invoice of another customer"))
    _lock_invoices(db, [invoice.id])
    db.refresh(invoice)
    if invoice.status not in OPEN_INVOICE or invoice.open_amount <= 0:
        raise NotDisputable(_("invoice %(number)s has nothing open", number=invoice.number))
    pending = db.scalar(
        select(Dispute.number).where(
            Dispute.invoice_id == invoice.id, Dispute.status.in_(UNDECIDED)
        )
    )
    if pending is not None:
        raise NotDisputable(
            _(
                "invoice %(number)s is disputed already (%(dispute)s)",
                number=invoice.number,
                dispute=pending,
            )
        )
    if not Decimal("0") < amount <= invoice.open_amount:
        raise InvalidClaim(_("the amount must be above zero and at most the open amount"))
    if problem := typed_amount_problem(amount, invoice.currency):
        raise InvalidClaim(problem)
    check_uploads(uploads, max_bytes)
    dispute = Dispute(
        customer_id=invoice.customer_id,
        invoice_id=invoice.id,
        reason=reason,
        amount=amount,
        comment=comment.strip(),
    )
    _file(
        db,
        dispute,
        user,
        invoice.customer,
        year=(today or dt.date.today()).year,
        uploads=uploads,
        max_bytes=max_bytes,
        audit={"invoice": invoice.number, "document": invoice.number, "currency": invoice.currency},
    )
    db.flush()
    _refresh_reminders(db, [dispute], today)
    db.refresh(dispute)
    _notify_customer(dispute, "dispute_opened")
    return dispute


def add_message(
    db: Session,
    dispute: Dispute,
    author: User,
    body: str,
    *,
    internal: bool = False,
    uploads: Sequence[Upload] = (),
    max_bytes: int,
) -> DisputeMessage:
    """Add a message to the thread; staff replies (not internal notes) email the customer.

    :raises DisputeError: a customer writing an internal note or into another customer's dispute.
    """
    if not author.is_staff:
        if internal:
            raise DisputeError(_("customers cannot write internal notes"))
        if author.customer_id != dispute.customer_id:
            raise DisputeError(_("dispute of another customer"))
    if not body.strip():
        raise DisputeError(_("empty message"))
    if len(uploads) > MAX_ATTACHMENTS:
        raise AttachmentRejected(
            _("at most %(max_attachments)s files per message", max_attachments=MAX_ATTACHMENTS)
        )
    if uploads and len(dispute.attachments) + len(uploads) > MAX_ATTACHMENTS_PER_DISPUTE:
        raise AttachmentRejected(
            _(
                "at most %(max_attachments_per_dispute)s files per dispute",
                max_attachments_per_dispute=MAX_ATTACHMENTS_PER_DISPUTE,
            )
        )
    for upload in uploads:
        check_upload(upload, max_bytes)
    message = DisputeMessage(
        dispute_id=dispute.id, author_id=author.id, body=body.strip(), internal=internal
    )
    db.add(message)
    db.flush()
    attach(db, dispute, uploads, author, message, max_bytes)
    record(
        db,
        author,
        "dispute.note" if internal else "dispute.message",
        dispute,
        data={"message_id": message.id, "attachments": len(uploads)},
    )
    if author.is_staff and not internal:
        _notify_customer(dispute, "dispute_message", message=message)
    return message


def assign(db: Session, dispute: Dispute, actor: User, assignee: User | None) -> None:
    """Give the dispute to a member of staff (or nobody)."""
    if assignee is not None and not may_decide(assignee):
        raise DisputeError(
            _("disputes are assigned to finance or admin users, who can decide them")
        )
    dispute.assigned_to_id = assignee.id if assignee is not None else None
    record(
        db,
        actor,
        "dispute.assigned",
        dispute,
        data={"assigned_to": assignee.email if assignee is not None else None},
    )
    db.flush()


def _move(db: Session, dispute: Dispute, new: DisputeStatus) -> None:
    """Change the status with the dispute's row locked and read again: of two people deciding
    it at the same moment, the second waits and is then told it has been decided."""
    locked(db, dispute)
    try:
        dispute.move_to(new)
    except InvalidTransition as exc:
        raise DisputeError(exc.user_message()) from exc


def start_review(db: Session, dispute: Dispute, actor: User) -> None:
    """Move an open dispute under review (the customer is told)."""
    _move(db, dispute, DisputeStatus.UNDER_REVIEW)
    if dispute.assigned_to_id is None:
        dispute.assigned_to_id = actor.id
    record(db, actor, "dispute.under_review", dispute)
    db.flush()
    _notify_customer(dispute, "dispute_status")


def _resolve(
    db: Session,
    dispute: Dispute,
    actor: User,
    resolution: str,
    action: str,
    *,
    data: dict[str, object] | None = None,
) -> None:
    """Record who resolved the dispute, when and why (audited, flushed)."""
    dispute.resolution = resolution.strip()
    dispute.resolved_at = utcnow()
    dispute.resolved_by_id = actor.id
    record(db, actor, action, dispute, reason=dispute.resolution or None, data=data)
    db.flush()


def accept(
    db: Session,
    dispute: Dispute,
    actor: User,
    amount: Decimal,
    resolution: str,
    *,
    today: dt.date | None = None,
) -> CreditNote:
    """Accept the dispute for ``amount`` (at most the disputed amount): a credit note is issued.

    :raises DisputeError: resolved already, or amount out of range.
    """
    if not Decimal("0") < amount <= dispute.amount:
        raise DisputeError(_("the accepted amount must be between 0 and the disputed amount"))
    if problem := typed_amount_problem(amount, dispute.currency):
        raise DisputeError(problem)
    _move(db, dispute, DisputeStatus.ACCEPTED)
    day = today or dt.date.today()
    open_before = dispute.invoice.open_amount if dispute.invoice is not None else Decimal("0")
    target: Invoice | Customer = dispute.invoice or dispute.customer
    try:
        note = ledger.credit_note(
            db,
            target,
            amount,
            (resolution.strip() or dispute.number)[:500],
            actor=actor,
            dispute=dispute,
            currency=dispute.currency,
            issue_date=day,
        )
    except ledger.LedgerError as exc:
        raise DisputeError(str(exc)) from exc
    dispute.credit_note_id = note.id
    credited = min(amount, open_before)
    _resolve(
        db,
        dispute,
        actor,
        resolution,
        "dispute.accepted",
        data={"credit_note": note.number, "amount": str(amount), "invoice_credited": str(credited)},
    )
    _refresh_reminders(db, [dispute], today)
    db.refresh(dispute)
    _notify_customer(dispute, "dispute_status")
    return note


def reject(db: Session, dispute: Dispute, actor: User, reason: str) -> None:
    """Reject the dispute with a reason shown to the customer.

    :raises DisputeError: no reason, or resolved already.
    """
    if not reason.strip():
        raise DisputeError(_("a rejection needs a reason"))
    _move(db, dispute, DisputeStatus.REJECTED)
    _resolve(db, dispute, actor, reason, "dispute.rejected")
    _refresh_reminders(db, [dispute], None)
    _notify_customer(dispute, "dispute_status")
