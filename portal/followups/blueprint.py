"""The "followups" blueprint object and what its task, collection and ladder views share."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort
from sqlalchemy import select

from ..extensions import db
from ..models import User
from ..views import attempt as attempt  # the followups views import it from here
from .forms import AssignForm
from .service import may_own_tasks

bp = Blueprint("followups", __name__, url_prefix="/followups")


def staff_choices() -> list[tuple[int, str]]:
    """Who may own a task or a case: active staff who work on follow-ups (never an auditor)."""
    users = db.session.scalars(
        select(User).where(User.is_active.is_(True), User.customer_id.is_(None)).order_by(User.name)
    )
    return [(u.id, f"{u.name or u.email} ({u.role.value})") for u in users if may_own_tasks(u)]


def assign_form(owner_id: int | None) -> AssignForm:
    """The form that gives a task or a case to a colleague, showing its owner now."""
    form = AssignForm(formdata=None, owner=owner_id)
    form.owner.choices = staff_choices()
    return form


def assign_chosen(
    assign: Callable[[User], object],
    done_message: str,
    refusals: type[Exception] | tuple[type[Exception], ...],
) -> None:
    """Give a task or a case to the colleague named on the submitted assign form.

    ``assign(owner)`` runs as :func:`attempt` runs it; nothing runs when the form does not
    validate.
    """
    form = AssignForm()
    form.owner.choices = staff_choices()
    if form.validate_on_submit():
        owner = db.session.get(User, form.owner.data) or abort(400)
        attempt(lambda: assign(owner), done_message, refusals)
