"""Row actions on a user, shared by the staff-user page and a customer's portal-user list.

Each action acts for the signed-in member of staff on one user, with the row form's optional
reason, and returns the message to flash; :func:`run` checks the form and flashes the outcome.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response as BaseResponse

from ..extensions import db
from ..models import User
from . import service as accounts

#: ``action(user, reason)``: change the user, return what to tell the member of staff
UserAction = Callable[[User, str | None], str]


def run(action: UserAction, user: User, form: FlaskForm, *, back: str) -> BaseResponse:
    """Run ``action`` with the form's reason (400 if the form fails), flash, go to ``back``."""
    if not form.validate_on_submit():
        abort(400)
    try:
        flash(action(user, form.data.get("reason")), "success")
    except accounts.AccountError as exc:
        flash(accounts.error_message(exc), "error")
    return redirect(back)


def disable(user: User, reason: str | None) -> str:
    """Disable the user; their sessions end at once."""
    accounts.disable_user(db.session(), user, actor=current_user, reason=reason)
    return _("%(email)s is disabled; their sessions have ended.", email=user.email)


def enable(user: User, reason: str | None) -> str:
    """Enable a disabled user again."""
    accounts.enable_user(db.session(), user, actor=current_user, reason=reason)
    return _("%(email)s is enabled again.", email=user.email)


def resend_invitation(user: User, _reason: str | None) -> str:
    """Email a fresh invitation link (the previous one stops working)."""
    invitation = accounts.resend_invitation(db.session(), user, actor=current_user)
    accounts.send_invitation(invitation, inviter=current_user)
    return _("A new invitation was sent to %(email)s.", email=user.email)
