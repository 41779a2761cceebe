"""Blueprint "statements": the customer's statements, PDF download and online confirmation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale, get_timezone
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import Row, bindparam, select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response as BaseResponse

from .. import filters
from ..auth import service as auth_service
from ..auth.decorators import customer_required
from ..auth.scope import load_by_id, owned_or_404
from ..downloads import content_disposition
from ..extensions import db
from ..lru import BoundedCache
from ..models import Customer, SignatureEvidence, Statement, StatementStatus, User
from ..notifications import notify, send_sms, sms_configured
from ..phones import sms_number
from ..views import list_page
from .forms import ConfirmCodeForm, ConfirmStartForm, ResendForm
from .loop import mark_viewed

bp = Blueprint("statements", __name__, url_prefix="/statements")

AUTH_METHOD_EMAIL = "password + email OTP"
AUTH_METHOD_EMAIL_SMS = "password + email/SMS OTP"


@bp.get("/")
@customer_required
def index() -> Any:
    """List the customer's statements by period, newest first, 20 a page."""
    query = (
        select(Statement)
        .where(Statement.customer_id == current_user.customer_id)
        .order_by(Statement.period_end.desc(), Statement.version.desc(), Statement.id.desc())
    )
    return render_template("statements/index.html", page=list_page(query, 20))


def _record_first_view(statement: Statement) -> None:
    """Record the customer's first look at ``statement`` (a GET that writes once)."""
    if statement.viewed_at is None and current_user.customer_id == statement.customer_id:
        db.begin_write()  # wait for the write lock instead of failing on it
        mark_viewed(db.session(), statement, current_user._get_current_object())


@bp.get("/<int:statement_id>")
@customer_required
def view(statement_id: int) -> Any:
    """Show a statement in HTML (the first view by the customer is recorded)."""
    user = current_user._get_current_object()
    head = db.session.connection().execute(_HEAD, {"statement_id": statement_id}).one_or_none()
    if head is None or head.customer_id != user.customer_id:
        abort(404)  # another customer's statement looks like a missing one
    if head.viewed_at is None:
        _record_first_view(owned_or_404(Statement, statement_id))
    return render_template("statements/view.html", page=_view_page(head, user.customer))


#: what the page needs of a statement on every view (one row; the rest is in the kept page)
_HEAD = select(
    Statement.id,
    Statement.customer_id,
    Statement.number,
    Statement.status,
    Statement.issued_sha256,
    Statement.viewed_at,
    Statement.supersedes_id,
    Statement.confirmed_at,
    Statement.confirmed_by_id,
).where(Statement.id == bindparam("statement_id"))


@dataclass(frozen=True)
class _Page:
    """The statement's part of its page: the page title and the HTML under the menu."""

    title: str
    body: Markup


#: rendered statement documents and pages (header, totals, lines)
_DOCUMENTS: BoundedCache[tuple[Any, ...], Any] = BoundedCache(256)


def _cached(key: tuple[Any, ...], render: Callable[[], Any]) -> Any:
    """``render()``, kept per process under ``key`` (the least recently used go first)."""
    found = _DOCUMENTS.get(key)
    if found is None:
        found = render()
        _DOCUMENTS.put(key, found)
    return found


def _document_key(statement_id: int, issued_sha256: str, customer: Customer) -> tuple[Any, ...]:
    """What the statement's document shows besides the signed statement itself.

    An issued statement never changes (a correction is a new version with its own id and
    hash); the customer's name and code are part of the key because the ERP may rename a
    customer, which the page shows.
    """
    return (
        statement_id,
        issued_sha256,
        customer.name,
        customer.code,
        str(get_locale()),
        str(get_timezone()),
    )


def _document_html(statement: Statement) -> Markup:
    """The statement's document part as HTML, rendered once per process, language and zone."""

    def render() -> Markup:
        from .service import open_items

        items = open_items(db.session(), statement)
        # render_template autoescapes: its output is HTML already
        return Markup(  # noqa: S704
            render_template("statements/_document.html", statement=statement, open_items=items)
        )

    key = _document_key(statement.id, statement.issued_sha256, statement.customer)
    html: Markup = _cached(("document", *key), render)
    return html


class _Versions(NamedTuple):
    """Who signed the statement and the versions its page points to (each may be none)."""

    #: the name on the signature of a confirmed statement ("—" when none is known)
    signer: str | None
    #: the newer version of a superseded statement
    replacement: Statement | None
    #: the version an issued correction replaces
    replaces: Statement | None


def _versions(session: Session, head: Row[*tuple[Any, ...]]) -> _Versions:
    """What the page of the statement ``head`` (a :data:`_HEAD` row) says of its signer and of
    its other versions, as its status asks."""
    signer = None
    if head.status is StatementStatus.CONFIRMED:  # only a confirmed one shows its signer
        approval = session.scalar(
            select(SignatureEvidence)
            .where(
                SignatureEvidence.statement_id == head.id,
                SignatureEvidence.kind == "approval",
            )
            .order_by(SignatureEvidence.id.desc())
            .limit(1)
        )
        confirmed_by = (
            load_by_id(session, User, head.confirmed_by_id) if head.confirmed_by_id else None
        )
        signer = approval.signer_name if approval else (confirmed_by.name if confirmed_by else "—")
    replacement = None
    if head.status is StatementStatus.SUPERSEDED:
        replacement = session.scalar(select(Statement).where(Statement.supersedes_id == head.id))
    replaces = None
    if head.status is StatementStatus.ISSUED and head.supersedes_id is not None:
        replaces = load_by_id(session, Statement, head.supersedes_id)
    return _Versions(signer, replacement, replaces)


def _view_page(head: Row[*tuple[Any, ...]], customer: Customer) -> _Page:
    """The statement's page content in its current state, rendered once per state and language.

    ``head`` is the statement's :data:`_HEAD` row, ``customer`` its customer. What changes on
    the page is part of the key: the status (an answer or a replacement shows at once), who
    signed and when, the newer or older version, where the app is mounted.
    """
    session = db.session()
    versions = _versions(session, head)
    replacement = versions.replacement
    key = (
        "page",
        *_document_key(head.id, head.issued_sha256, customer),
        head.number,
        head.status,
        versions.signer,
        head.confirmed_at,
        (replacement.id, replacement.version, replacement.number) if replacement else None,
        versions.replaces.number if versions.replaces else None,
        request.script_root,
    )

    def render() -> _Page:
        statement = load_by_id(session, Statement, head.id)
        assert statement is not None  # its row was just read in this transaction
        body = render_template(
            "statements/_view_body.html",
            statement=statement,
            document=_document_html(statement),
            **versions._asdict(),
        )
        return _Page(
            title=_("Statement %(number)s", number=statement.number),
            body=Markup(body),  # noqa: S704  (rendered with autoescape: HTML already)
        )

    page: _Page = _cached(key, render)
    return page


@bp.get("/<int:statement_id>/pdf")
@customer_required
def pdf(statement_id: int) -> Response:
    """Download the statement's PDF (the signed version once confirmed)."""
    from .service import statement_pdf

    statement = owned_or_404(Statement, statement_id)
    _record_first_view(statement)
    signed = statement.signed_sha256 is not None
    name = f"{statement.number}{'-signed' if signed else ''}.pdf"
    return Response(
        statement_pdf(statement),
        mimetype="application/pdf",
        headers={"Content-Disposition": content_disposition(name)},
    )


def _answerable(statement: Statement) -> BaseResponse | None:
    """Redirect with a message when the statement can no longer be confirmed."""
    if statement.status is StatementStatus.ISSUED:
        return None
    messages = {
        StatementStatus.CONFIRMED: _("This statement has already been confirmed."),
        StatementStatus.SUPERSEDED: _(
            "This statement has been replaced by a newer version and cannot be confirmed."
        ),
        StatementStatus.DISPUTED: _("This statement is disputed and cannot be confirmed."),
    }
    flash(messages[statement.status], "info")
    return redirect(url_for("statements.view", statement_id=statement.id))


def _answerable_or_abort(statement_id: int) -> Statement:
    """The customer's own statement that can still be confirmed (404, or redirect if not)."""
    statement = owned_or_404(Statement, statement_id)
    if (blocked := _answerable(statement)) is not None:
        abort(blocked)
    return statement


def consent_text(statement: Statement) -> str:
    """The exact consent statement the user ticks (stored with the signature).

    A statement with several currencies names every currency's closing balance.
    """
    values = {
        "company": statement.customer.name,
        "number": statement.number,
        "start": statement.period_start.isoformat(),
        "end": statement.period_end.isoformat(),
    }
    if statement.is_multi_currency:
        return _(
            "On behalf of %(company)s, I have reviewed statement %(number)s for the period "
            "%(start)s to %(end)s and confirm that its closing balances of %(balances)s, "
            "each in its own currency, are correct.",
            balances="; ".join(b.label for b in statement.balances),
            **values,
        )
    return _(
        "On behalf of %(company)s, I have reviewed statement %(number)s for the period "
        "%(start)s to %(end)s and confirm that the closing balance of %(balance)s "
        "%(currency)s is correct.",
        balance=format(statement.closing_balance, ",.2f"),
        currency=statement.currency,
        **values,
    )


def _pending(statement: Statement) -> dict[str, Any] | None:
    pending = session.get("confirm")
    if not pending or pending.get("statement_id") != statement.id:
        return None
    return dict(pending)


def _send_code(statement: Statement, full_name: str) -> None:
    code = auth_service.issue_code(db.session(), current_user, f"statement:{statement.id}")
    language = current_user.language or statement.language
    notify(
        current_user.email,
        "confirm_code",
        language,
        user=current_user,
        statement=statement,
        code=code,
        minutes=auth_service.CODE_MINUTES,
    )
    mobile = sms_number(current_user.phone)  # a code is never texted to a landline
    sms = mobile is not None and sms_configured()
    if mobile is not None and sms:
        send_sms(
            mobile,
            _(
                "Concord code %(code)s confirms statement %(number)s. Valid 10 minutes.",
                code=code,
                number=statement.number,
            ),
        )
    session["confirm"] = {"statement_id": statement.id, "full_name": full_name, "sms": sms}


@bp.route("/<int:statement_id>/confirm", methods=["GET", "POST"])
@customer_required
def confirm(statement_id: int) -> Any:
    """Step 1: review, consent and full name; a one-time code is then sent."""
    statement = _answerable_or_abort(statement_id)
    form = ConfirmStartForm(full_name=current_user.name)
    status = 200
    if form.validate_on_submit():
        try:
            _send_code(statement, (form.full_name.data or "").strip())
        except auth_service.CodeLimited as exc:
            flash(_limited_message(exc), "error")
            status = 429
        else:
            flash(_("We have sent a 6-digit code to %(email)s.", email=current_user.email), "info")
            return redirect(url_for("statements.confirm_code", statement_id=statement.id))
    return render_template(
        "statements/confirm.html",
        statement=statement,
        form=form,
        consent=consent_text(statement),
        document=_document_html(statement),
    ), status


@bp.route("/<int:statement_id>/confirm/code", methods=["GET", "POST"])
@customer_required
def confirm_code(statement_id: int) -> Any:
    """Step 2: enter the one-time code; the statement is then signed and confirmed."""
    from .service import StatementNotConfirmable, confirm_statement

    statement = _answerable_or_abort(statement_id)
    pending = _pending(statement)
    if pending is None:
        return redirect(url_for("statements.confirm", statement_id=statement.id))
    form = ConfirmCodeForm()
    status = 200
    if form.validate_on_submit():
        subject = f"statement:{statement.id}"
        check = auth_service.check_code(db.session(), current_user, subject, form.code.data or "")
        if check.ok:
            try:
                confirm_statement(
                    db.session(),
                    statement,
                    current_user,
                    full_name=pending["full_name"],
                    ip=request.remote_addr,
                    user_agent=(request.user_agent.string or "")[:500] or None,
                    auth_method=AUTH_METHOD_EMAIL_SMS if pending.get("sms") else AUTH_METHOD_EMAIL,
                    consent_text=consent_text(statement),
                )
            except StatementNotConfirmable:
                # another user of the customer answered it a moment earlier (the service
                # re-read the locked row, so ``statement`` shows its new status)
                session.pop("confirm", None)
                return _answerable(statement) or redirect(
                    url_for("statements.view", statement_id=statement.id)
                )
            session.pop("confirm", None)
            flash(
                _(
                    "Thank you. Statement %(number)s is confirmed and signed.",
                    number=statement.number,
                ),
                "success",
            )
            return redirect(url_for("statements.view", statement_id=statement.id))
        form.code.errors = [_code_message(check)]
        if check.reason == "locked_out":
            status = 429
    return _render_code_step(statement, form, pending, status)


def _render_code_step(
    statement: Statement, form: ConfirmCodeForm, pending: dict[str, Any], status: int
) -> tuple[str, int]:
    return render_template(
        "statements/confirm_code.html",
        statement=statement,
        form=form,
        resend=ResendForm(),
        pending=pending,
    ), status


def _limited_message(exc: auth_service.CodeLimited) -> str:
    until = filters.datetime(exc.until, "short")
    if exc.reason == "wrong":
        return _(
            "Too many wrong codes: confirming this statement is locked until %(time)s. "
            "Contact us if you need help.",
            time=until,
        )
    return _(
        "Too many codes were sent in the last hour. You can ask for a new code after %(time)s.",
        time=until,
    )


def _code_message(check: auth_service.CodeCheck) -> str:
    if check.reason == "locked_out" and check.until is not None:
        return _limited_message(auth_service.CodeLimited("wrong", check.until))
    if check.reason == "wrong":
        return _("The code is not correct. %(left)d attempts left.", left=check.attempts_left)
    if check.reason == "expired":
        return _("The code has expired. Ask for a new one.")
    if check.reason == "locked":
        return _("Too many wrong codes. Ask for a new one.")
    return _("No valid code. Ask for a new one.")


@bp.post("/<int:statement_id>/confirm/resend")
@customer_required
def resend_code(statement_id: int) -> BaseResponse:
    """Send a fresh one-time code (the previous one stops working)."""
    statement = _answerable_or_abort(statement_id)
    pending = _pending(statement)
    if pending is None or not ResendForm().validate_on_submit():
        abort(400)
    try:
        _send_code(statement, pending["full_name"])
    except auth_service.CodeLimited as exc:
        form = ConfirmCodeForm(formdata=None)
        form.code.errors = [_limited_message(exc)]
        return make_response(_render_code_step(statement, form, pending, 429))
    flash(_("We have sent a new code to %(email)s.", email=current_user.email), "info")
    return redirect(url_for("statements.confirm_code", statement_id=statement.id))
