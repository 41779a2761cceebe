"""Blueprint "admin": the write-off limits and the staff users (ladders: under follow-ups)."""

from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response as BaseResponse

from ..auth.decorators import permission_required, staff_required
from ..extensions import db
from ..ledger.service import write_off_limits
from ..models import Role, User
from ..permissions import Action
from ..users import actions as user_actions
from ..users import service as accounts
from . import service
from .forms import LimitsForm, ReasonForm, RoleForm, StaffInviteForm

bp = Blueprint("admin", __name__, url_prefix="/admin")

settings_writer = staff_required(Role.FINANCE, Role.ADMIN)


@bp.get("/dunning")
@staff_required()
def dunning() -> ResponseReturnValue:
    """The write-off limits (and a link to the collection ladders), editable by finance."""
    limits = write_off_limits(db.session())
    limits_form = LimitsForm(
        formdata=None,
        data={k.lower(): limits.get(k) for k in ("CNY", "USD", "EUR")},
    )
    return render_template("admin/dunning.html", limits_form=limits_form)


@bp.post("/write-off-limits")
@settings_writer
def save_limits() -> ResponseReturnValue:
    """Save the write-off limits per currency."""
    form = LimitsForm()
    if not form.validate_on_submit():
        abort(400)
    limits = {
        code: getattr(form, code.lower()).data
        for code in ("CNY", "USD", "EUR")
        if getattr(form, code.lower()).data is not None
    }
    service.save_write_off_limits(
        db.session(), {k: Decimal(v) for k, v in limits.items()}, user=current_user
    )
    flash(_("Write-off limits saved."), "success")
    return redirect(url_for(".dunning"))


# --- staff users (admins only) -----------------------------------------------------------------

admin_only = permission_required(Action.USERS_MANAGE)


def _staff_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or not user.is_staff:
        abort(404)
    return user


def _users_page(form: StaffInviteForm) -> str:
    return render_template(
        "admin/users.html",
        users=accounts.list_users(db.session(), staff_only=True),
        form=form,
        row_form=ReasonForm(formdata=None),
        role_labels=accounts.ROLE_LABELS,
        status_of=accounts.user_status,
    )


@bp.get("/users")
@admin_only
def users() -> ResponseReturnValue:
    """Staff users: invite, change role, disable or enable, resend an invitation."""
    return _users_page(StaffInviteForm(formdata=None))


@bp.post("/users")
@admin_only
def invite_staff() -> ResponseReturnValue:
    """Create a member of staff and email them a link to choose a password."""
    form = StaffInviteForm()
    if not form.validate_on_submit():
        return _users_page(form), 400
    try:
        user, invitation = accounts.create_staff_user(
            db.session(),
            form.email.data or "",
            form.role.data or "",
            name=form.name.data or "",
            actor=current_user,
        )
    except accounts.AccountError as exc:
        form.email.errors = [accounts.error_message(exc)]
        return _users_page(form), 400
    assert invitation is not None  # no password given: always invited
    accounts.send_invitation(invitation, inviter=current_user)
    flash(_("Invitation sent to %(email)s.", email=user.email), "success")
    return redirect(url_for(".users"))


def _user_action(
    user_id: int, action: user_actions.UserAction, form: FlaskForm | None = None
) -> BaseResponse:
    """Run ``action`` on a member of staff with the row's form (a reason form unless given)."""
    user = _staff_or_404(user_id)
    form = form if form is not None else ReasonForm()
    return user_actions.run(action, user, form, back=url_for(".users"))


@bp.post("/users/<int:user_id>/role")
@admin_only
def change_role(user_id: int) -> ResponseReturnValue:
    """Give a member of staff another role."""
    form = RoleForm()

    def act(user: User, reason: str | None) -> str:
        accounts.set_role(
            db.session(), user, form.role.data or "", actor=current_user, reason=reason
        )
        return _(
            "%(email)s is now %(role)s.", email=user.email, role=accounts.ROLE_LABELS[user.role]
        )

    return _user_action(user_id, act, form)


@bp.post("/users/<int:user_id>/disable")
@admin_only
def disable_user(user_id: int) -> ResponseReturnValue:
    """Disable a member of staff; their sessions end at once."""
    return _user_action(user_id, user_actions.disable)


@bp.post("/users/<int:user_id>/enable")
@admin_only
def enable_user(user_id: int) -> ResponseReturnValue:
    """Enable a disabled member of staff again."""
    return _user_action(user_id, user_actions.enable)


@bp.post("/users/<int:user_id>/resend")
@admin_only
def resend_invitation(user_id: int) -> ResponseReturnValue:
    """Email a fresh invitation link (the previous one stops working)."""
    return _user_action(user_id, user_actions.resend_invitation)
