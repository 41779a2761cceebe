"""Blueprint "auth": sign in and out, forgotten password, invitations, the customer's team."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.blueprints import BlueprintSetupState
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import refresh as refresh_babel
from flask_login import current_user, logout_user
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from ..extensions import db, login_manager
from ..jobs import JobContext, enqueue, handler
from ..models import Role, TokenPurpose, User
from ..notifications import notify
from ..ratelimit import account_key, limit_of, limiter
from ..ui.routes import safe_local_path
from ..users.service import (
    FIRST_ADMIN_COMMAND,
    absolute_url,
    reinvite_by_email,
    send_invitation,
    staff_user_count,
)
from . import service
from .decorators import customer_required
from .forms import AcceptInvitationForm, ForgotForm, InviteForm, LoginForm, ResetForm
from .passwords import MIN_LENGTH

bp = Blueprint("auth", __name__)


@bp.record_once
def _setup(state: BlueprintSetupState) -> None:
    app = state.app
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to continue.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = None  # we rotate and version sessions ourselves
    # the cookie never outlives the absolute timeout (checked server-side as well)
    app.permanent_session_lifetime = dt.timedelta(hours=int(app.config["SESSION_ABSOLUTE_HOURS"]))
    login_manager.user_loader(lambda user_id: service.load_user(db.session(), user_id))
    # first of all hooks: the user is loaded afresh from this request's session cookie
    app.before_request_funcs.setdefault(None, []).insert(0, _forget_cached_user)
    app.before_request(_enforce_timeouts)


def _forget_cached_user() -> None:
    """Drop the user and locale cached on ``g`` by an earlier request sharing the app context.

    Only tests and CLI runs share an app context between requests; in the server each request
    has its own, so this is a no-op there.
    """
    g.pop("_login_user", None)
    refresh_babel()


def _enforce_timeouts() -> BaseResponse | None:
    """End sessions that were idle or open too long; refresh the idle clock otherwise."""
    if request.endpoint in (None, "static") or not current_user.is_authenticated:
        return None
    if service.session_expired():
        lang = session.get("lang")
        logout_user()
        session.clear()
        if lang:
            session["lang"] = lang
        flash(_("Your session has expired. Please sign in again."), "info")
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    service.touch_session()
    return None


def _client_ip() -> str:
    return request.remote_addr or "unknown"


def landing_url(user: User) -> str:
    """Where a user lands after signing in."""
    return url_for("home.index")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: limit_of("RATELIMIT_LOGIN"), methods=["POST"])
def login() -> Any:
    """Show the sign-in form; sign in with email and password."""
    if current_user.is_authenticated:
        return redirect(landing_url(current_user))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        try:
            user = service.authenticate(
                db.session(), form.email.data or "", form.password.data or "", _client_ip()
            )
        except service.Throttled as exc:
            flash(
                _(
                    "Too many failed sign-ins. Please wait %(seconds)d seconds and try again.",
                    seconds=exc.retry_after,
                ),
                "error",
            )
            return _login_page(form), 429, {"Retry-After": str(exc.retry_after)}
        if user is None:
            flash(_("The email or password is not correct."), "error")
            return _login_page(form), 200
        service.start_session(db.session(), user, _client_ip())
        return redirect(safe_local_path(form.next.data) or landing_url(user))
    return _login_page(form)


def _login_page(form: LoginForm) -> str:
    """Render the sign-in page; on a fresh installation it says how to create the first admin."""
    first_admin = FIRST_ADMIN_COMMAND if staff_user_count(db.session()) == 0 else None
    return render_template("auth/login.html", form=form, first_admin_command=first_admin)


@bp.post("/logout")
def logout() -> BaseResponse:
    """Sign out and invalidate every copy of this session."""
    user = current_user if current_user.is_authenticated else None
    service.end_session(db.session(), user, _client_ip())
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(lambda: limit_of("RATELIMIT_FORGOT"), methods=["POST"])
@limiter.limit(lambda: limit_of("RATELIMIT_FORGOT_ACCOUNT"), key_func=account_key, methods=["POST"])
def forgot() -> Any:
    """Ask for a reset link; the answer is the same whether the email is known or not.

    Known and unknown addresses take the same path and time: the request only queues a job
    (one row either way); the worker looks the address up and sends the link if it is known.
    """
    form = ForgotForm()
    if form.validate_on_submit():
        enqueue(db.session(), PASSWORD_RESET_JOB, {"email": form.email.data or ""})
        sent = _(
            "If that address belongs to an account, we have sent it a link to reset the password."
        )
        flash(
            sent,
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset(token: str) -> Any:
    """Set a new password with a single-use reset link."""
    found = service.find_valid_token(db.session(), token, TokenPurpose.PASSWORD_RESET)
    if found is None:
        return render_template("auth/link_invalid.html"), 404
    form = ResetForm()
    form.account_email = found.user.email
    if form.validate_on_submit():
        service.reset_password(db.session(), token, form.password.data or "")
        flash(_("Your password has been changed. Please sign in."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form, min_password_length=MIN_LENGTH)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str) -> Any:
    """Accept an invitation: choose a name and a password, then sign in."""
    found = service.find_valid_token(db.session(), token, TokenPurpose.INVITATION)
    if found is None:
        return render_template("auth/link_invalid.html", invitation=True), 404
    form = AcceptInvitationForm(name=found.user.name)
    form.account_email = found.user.email
    if form.validate_on_submit():
        user = service.accept_invitation(
            db.session(), token, form.name.data or "", form.password.data or ""
        )
        if user is None:
            abort(404)
        service.start_session(db.session(), user, _client_ip())
        flash(_("Welcome! Your account is ready."), "success")
        return redirect(landing_url(user))
    return render_template(
        "auth/accept.html", form=form, invited=found.user, min_password_length=MIN_LENGTH
    )


@bp.route("/team", methods=["GET", "POST"])
@customer_required
def team() -> Any:
    """List the customer's users; a customer admin invites colleagues."""
    if not current_user.is_customer_admin:
        abort(403)
    form = InviteForm()
    if form.validate_on_submit():
        try:
            user, secret = service.invite_user(
                db.session(), current_user, form.email.data or "", form.name.data or ""
            )
        except service.AuthError:
            form.email.errors = [_("This email address already has an account.")]
        else:
            notify(
                user.email,
                "invitation",
                _user_language(user),
                user=user,
                inviter=current_user,
                link=_absolute("auth.accept_invitation", token=secret),
                days=service.INVITATION_DAYS,
            )
            flash(_("Invitation sent to %(email)s.", email=user.email), "success")
            return redirect(url_for("auth.team"))
    members = db.session.scalars(
        select(User)
        .where(User.customer_id == current_user.customer_id, User.role == Role.CUSTOMER)
        .order_by(User.name, User.email)
    ).all()
    return render_template("auth/team.html", form=form, members=members)


PASSWORD_RESET_JOB = "auth.password_reset"  # noqa: S105 - a job kind


@handler(PASSWORD_RESET_JOB)
def _send_reset_link(ctx: JobContext) -> dict[str, Any]:
    """Email a reset link if the address belongs to an active account (else nothing)."""
    email = str(ctx.job.payload.get("email", ""))
    found = service.request_password_reset(ctx.session, email)
    if found is not None:
        user, secret = found
        notify(
            user.email,
            "password_reset",
            _user_language(user),
            user=user,
            link=absolute_url("auth.reset", token=secret),
            minutes=service.RESET_MINUTES,
        )
    else:
        # invited but never accepted: the way back in is a fresh invitation
        invitation = reinvite_by_email(ctx.session, email)
        if invitation is not None:
            send_invitation(invitation)
    # the result says nothing about whether the address is known
    return {}


def _user_language(user: User) -> str:
    if user.language:
        return user.language
    return user.customer.language if user.customer else "zh"


def _absolute(endpoint: str, **values: Any) -> str:
    # from BASE_URL alone: behind a proxy at a sub-path the request's script root would repeat it
    return absolute_url(endpoint, **values)
