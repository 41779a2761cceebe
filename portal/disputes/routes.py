"""Blueprint "disputes": customers raise and follow disputes; staff triage and resolve them."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response as BaseResponse
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # types-WTForms lacks 3.2\'s SelectChoice

from ..auth.decorators import customer_required, staff_required, writer_required
from ..auth.scope import owned_or_404
from ..downloads import content_disposition
from ..extensions import db
from ..fields import set_currency
from ..models import (
    Dispute,
    DisputeAttachment,
    DisputeMessage,
    DisputeReason,
    DisputeStatus,
    Invoice,
    Role,
    Statement,
    StatementStatus,
    User,
)
from ..views import list_page
from . import service
from .attachments import MAX_ATTACHMENTS, Upload
from .errors import AttachmentRejected, DisputeError, InvalidClaim, NotDisputable
from .forms import (
    AcceptForm,
    AssignForm,
    ItemDisputeForm,
    MessageForm,
    RejectForm,
    ReviewForm,
    StaffMessageForm,
    dispute_form_for,
)

bp = Blueprint("disputes", __name__)


def _uploads(field: str = "attachments") -> list[Upload]:
    """The files posted in form field ``field`` (a prefixed form names it ``<prefix>-...``)."""
    limit = int(current_app.config["ATTACHMENT_MAX_BYTES"])
    files = [s for s in request.files.getlist(field) if s and s.filename]
    if len(files) > MAX_ATTACHMENTS:
        # refused before reading any of them
        abort(
            413,
            description=_(
                "Attach at most %(n)d files to one message (%(mb)d MB each).",
                n=MAX_ATTACHMENTS,
                mb=limit // (1024 * 1024),
            ),
        )
    uploads = []
    for storage in files:
        # read one byte past the limit: enough to know it is too large, never the whole file
        uploads.append(Upload(storage.filename or "", storage.stream.read(limit + 1)))
    return uploads


def _add_message(
    dispute: Dispute, body: str | None, *, internal: bool = False, field: str = "attachments"
) -> None:
    """Post the signed-in user's message with the files of form field ``field`` to the thread."""
    service.add_message(
        db.session(),
        dispute,
        _user(),
        body or "",
        internal=internal,
        uploads=_uploads(field),
        max_bytes=int(current_app.config["ATTACHMENT_MAX_BYTES"]),
    )


def _user() -> User:
    user: User = current_user._get_current_object()
    return user


def _attachment_response(attachment: DisputeAttachment) -> Response:
    return Response(
        attachment.content,
        mimetype=attachment.content_type,
        headers={
            "Content-Disposition": content_disposition(attachment.filename),
            "Content-Security-Policy": "default-src 'none'; sandbox",
        },
    )


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")


# --- customer side ---------------------------------------------------------------------------


@bp.get("/disputes/")
@customer_required
def index() -> Any:
    """List the customer's disputes, newest first."""
    page = list_page(
        select(Dispute)
        .where(Dispute.customer_id == current_user.customer_id)
        .options(selectinload(Dispute.line), selectinload(Dispute.statement))
        .order_by(Dispute.id.desc()),
        20,
    )
    return render_template("disputes/index.html", page=page)


@bp.route("/statements/<int:statement_id>/dispute", methods=["GET", "POST"])
@customer_required
def new(statement_id: int) -> Any:
    """Select statement lines to dispute, each with a reason, amount and comment."""
    statement = owned_or_404(Statement, statement_id)
    if statement.status is not StatementStatus.ISSUED:
        flash(_("This statement can no longer be disputed."), "info")
        return redirect(url_for("statements.view", statement_id=statement.id))
    lines = [line for line in statement.lines if line.amount > 0]
    form = dispute_form_for(lines)
    if form.validate_on_submit():
        claims = []
        for line in form.selected():
            _sel, reason, amount, comment = form.line_fields(line)
            claims.append(
                service.LineClaim(line, DisputeReason(reason.data), amount.data, comment.data or "")
            )
        try:
            disputes = service.open_disputes(
                db.session(),
                statement,
                _user(),
                claims,
                _uploads(),
                max_bytes=int(current_app.config["ATTACHMENT_MAX_BYTES"]),
            )
        except AttachmentRejected:
            form.attachments.errors = [
                _(
                    "Attach PDF, PNG or JPEG files of at most %(mb)d MB each (up to 5 files).",
                    mb=current_app.config["ATTACHMENT_MAX_BYTES"] // (1024 * 1024),
                )
            ]
        except DisputeError:
            form.form_errors.append(_("The dispute could not be recorded. Check the lines."))
        else:
            flash(
                _(
                    "Your dispute has been recorded: %(numbers)s. We will answer in the thread.",
                    numbers=", ".join(d.number for d in disputes),
                ),
                "success",
            )
            return redirect(url_for("disputes.detail", dispute_id=disputes[0].id))
    return render_template("disputes/new.html", statement=statement, form=form, lines=lines)


@bp.route("/invoices/<int:invoice_id>/dispute", methods=["GET", "POST"])
@customer_required
def new_item(invoice_id: int) -> Any:
    """Dispute one open item of the account, whether or not a statement shows it."""
    invoice = owned_or_404(Invoice, invoice_id)
    form = set_currency(ItemDisputeForm(data={"amount": invoice.open_amount}), invoice.currency)
    if form.validate_on_submit():
        try:
            dispute = service.open_item_dispute(
                db.session(),
                invoice,
                _user(),
                reason=DisputeReason(form.reason.data),
                amount=form.amount.data or Decimal("0"),
                comment=form.comment.data or "",
                uploads=_uploads(),
                max_bytes=int(current_app.config["ATTACHMENT_MAX_BYTES"]),
            )
        except AttachmentRejected:
            form.attachments.errors = [
                _(
                    "Attach PDF, PNG or JPEG files of at most %(mb)d MB each (up to 5 files).",
                    mb=current_app.config["ATTACHMENT_MAX_BYTES"] // (1024 * 1024),
                )
            ]
        except InvalidClaim as exc:
            form.amount.errors = [*form.amount.errors, str(exc)]
        except NotDisputable as exc:
            flash(str(exc), "info")
            return redirect(url_for("invoices.detail", invoice_id=invoice.id))
        else:
            flash(
                _(
                    "Your dispute has been recorded: %(numbers)s. We will answer in the thread.",
                    numbers=dispute.number,
                ),
                "success",
            )
            return redirect(url_for("disputes.detail", dispute_id=dispute.id))
    return render_template("disputes/new_item.html", invoice=invoice, form=form)


@bp.route("/disputes/<int:dispute_id>", methods=["GET", "POST"])
@customer_required
def detail(dispute_id: int) -> Any:
    """Show a dispute with its thread; post a message."""
    dispute = owned_or_404(Dispute, dispute_id)
    form = MessageForm()
    if form.validate_on_submit():
        try:
            _add_message(dispute, form.body.data)
        except AttachmentRejected:
            form.attachments.errors = [
                _("Attach PDF, PNG or JPEG files only, within the size limit.")
            ]
        else:
            flash(_("Message sent."), "success")
            return redirect(url_for("disputes.detail", dispute_id=dispute.id))
    messages = [m for m in dispute.messages if not m.internal]
    return render_template("disputes/detail.html", dispute=dispute, messages=messages, form=form)


@bp.get("/disputes/<int:dispute_id>/attachments/<int:attachment_id>")
@customer_required
def attachment(dispute_id: int, attachment_id: int) -> Response:
    """Download an attachment of one of the customer's disputes (never of an internal note)."""
    dispute = owned_or_404(Dispute, dispute_id)
    found = db.session.scalar(
        select(DisputeAttachment)
        .outerjoin(DisputeMessage, DisputeMessage.id == DisputeAttachment.message_id)
        .where(
            DisputeAttachment.id == attachment_id,
            DisputeAttachment.dispute_id == dispute.id,
            # staff-internal notes and their files stay with staff
            or_(DisputeAttachment.message_id.is_(None), DisputeMessage.internal.is_(False)),
        )
    )
    if found is None:
        abort(404)
    return _attachment_response(found)


# --- staff side ------------------------------------------------------------------------------

STAFF_FILTERS = ("active", "open", "under_review", "accepted", "rejected", "mine", "all")


@bp.get("/staff/disputes/")
@staff_required()
def staff_index() -> Any:
    """Triage list of disputes, filtered by status or assignment."""
    filter_ = request.args.get("filter", "active")
    if filter_ not in STAFF_FILTERS:
        filter_ = "active"
    q = select(Dispute).options(
        selectinload(Dispute.customer),
        selectinload(Dispute.assigned_to),
        selectinload(Dispute.line),
        selectinload(Dispute.statement),
    )
    if filter_ == "active":
        q = q.where(Dispute.status.in_([DisputeStatus.OPEN, DisputeStatus.UNDER_REVIEW]))
    elif filter_ == "mine":
        q = q.where(Dispute.assigned_to_id == current_user.id)
    elif filter_ != "all":
        q = q.where(Dispute.status == DisputeStatus(filter_))
    page = list_page(q.order_by(Dispute.id.desc()), 20)
    return render_template(
        "disputes/staff_index.html", page=page, filter=filter_, filters=STAFF_FILTERS
    )


def _staff_dispute(dispute_id: int) -> Dispute:
    dispute = db.session.get(Dispute, dispute_id)
    if dispute is None:
        abort(404)
    return dispute


def _staff_forms(dispute: Dispute) -> dict[str, Any]:
    staff = db.session.scalars(
        select(User)
        # only those who may decide a dispute can own one (sales cannot issue credit notes)
        .where(User.role.in_([Role.FINANCE, Role.ADMIN]), User.is_active.is_(True))
        .order_by(User.name)
    ).all()
    assign = AssignForm(prefix="assign", assignee=dispute.assigned_to_id or 0)
    assign.assignee.choices = [SelectChoice("0", _("Nobody"))] + [
        SelectChoice(str(u.id), u.name or u.email) for u in staff
    ]
    accept = set_currency(AcceptForm(prefix="accept", amount=dispute.amount), dispute.currency)
    accept.max_amount = dispute.amount
    return {
        "message_form": StaffMessageForm(prefix="msg"),
        "assign_form": assign,
        "review_form": ReviewForm(prefix="review"),
        "accept_form": accept,
        "reject_form": RejectForm(prefix="reject"),
    }


@bp.get("/staff/disputes/<int:dispute_id>")
@staff_required()
def staff_detail(dispute_id: int) -> Any:
    """A dispute with its full thread (internal notes included) and the staff actions."""
    dispute = _staff_dispute(dispute_id)
    return render_template("disputes/staff_detail.html", dispute=dispute, **_staff_forms(dispute))


def _render_staff(dispute: Dispute, forms: dict[str, Any]) -> tuple[str, int]:
    return render_template("disputes/staff_detail.html", dispute=dispute, **forms), 400


def _staff_post(dispute_id: int, name: str) -> tuple[Dispute, dict[str, Any], Any]:
    """Load the dispute and validate the posted staff form ``name``; if invalid, answer 400."""
    dispute = _staff_dispute(dispute_id)
    forms = _staff_forms(dispute)
    if not forms[name].validate_on_submit():
        abort(make_response(_render_staff(dispute, forms)))
    return dispute, forms, forms[name]


def _change_status(dispute: Dispute, change: Callable[[], str | None]) -> BaseResponse:
    """Run a status change; flash its message, or why the dispute cannot change."""
    try:
        done = change()
    except DisputeError as exc:
        # e.g. a colleague decided it a moment earlier: say so, with the status it has now
        flash(exc.user_message() or _("This dispute cannot change to that status."), "error")
    else:
        if done is not None:
            flash(done, "success")
    return redirect(url_for("disputes.staff_detail", dispute_id=dispute.id))


@bp.post("/staff/disputes/<int:dispute_id>/message")
@writer_required
def staff_message(dispute_id: int) -> Any:
    """Reply to the customer or add an internal note."""
    dispute, forms, form = _staff_post(dispute_id, "message_form")
    try:
        _add_message(
            dispute, form.body.data, internal=form.internal.data, field=form.attachments.name
        )
    except DisputeError:
        form.attachments.errors = [_("Attach PDF, PNG or JPEG files only, within the size limit.")]
        return _render_staff(dispute, forms)
    flash(
        _("Internal note saved.") if form.internal.data else _("Message sent to the customer."),
        "success",
    )
    return redirect(url_for("disputes.staff_detail", dispute_id=dispute.id))


@bp.post("/staff/disputes/<int:dispute_id>/assign")
@writer_required
def staff_assign(dispute_id: int) -> Any:
    """Assign the dispute to a member of staff."""
    dispute, _forms, form = _staff_post(dispute_id, "assign_form")
    assignee = db.session.get(User, form.assignee.data) if form.assignee.data else None
    try:
        service.assign(db.session(), dispute, _user(), assignee)
    except DisputeError:
        abort(400)
    flash(_("Dispute assigned."), "success")
    return redirect(url_for("disputes.staff_detail", dispute_id=dispute.id))


@bp.post("/staff/disputes/<int:dispute_id>/review")
@writer_required
def staff_review(dispute_id: int) -> Any:
    """Move the dispute under review."""
    dispute, _forms, _form = _staff_post(dispute_id, "review_form")
    return _change_status(dispute, lambda: service.start_review(db.session(), dispute, _user()))


@bp.post("/staff/disputes/<int:dispute_id>/accept")
@writer_required
def staff_accept(dispute_id: int) -> Any:
    """Accept the dispute and issue a credit note."""
    dispute, _forms, form = _staff_post(dispute_id, "accept_form")

    def accept() -> str:
        note = service.accept(
            db.session(), dispute, _user(), form.amount.data, form.resolution.data or ""
        )
        return _("Dispute accepted; credit note %(number)s issued.", number=note.number)

    return _change_status(dispute, accept)


@bp.post("/staff/disputes/<int:dispute_id>/reject")
@writer_required
def staff_reject(dispute_id: int) -> Any:
    """Reject the dispute with a reason."""
    dispute, _forms, form = _staff_post(dispute_id, "reject_form")

    def reject() -> str:
        service.reject(db.session(), dispute, _user(), form.reason.data or "")
        return _("Dispute rejected.")

    return _change_status(dispute, reject)


@bp.get("/staff/disputes/<int:dispute_id>/attachments/<int:attachment_id>")
@staff_required()
def staff_attachment(dispute_id: int, attachment_id: int) -> BaseResponse:
    """Download an attachment (staff)."""
    found = db.session.scalar(
        select(DisputeAttachment).where(
            DisputeAttachment.id == attachment_id, DisputeAttachment.dispute_id == dispute_id
        )
    )
    if found is None:
        abort(404)
    return _attachment_response(found)
