"""The "followups" blueprint object and what its task, collection and ladder views share."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Protocol, TypeVar

from flask import Blueprint, abort, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..auth.decorators import writer_required
from ..extensions import db
from ..models import User
from ..views import attempt as attempt  # the followups views import it from here
from .forms import AssignForm
from .service import may_own_tasks

bp = Blueprint("followups", __name__, url_prefix="/followups")

RowT = TypeVar("RowT")
RowC = TypeVar("RowC", contravariant=True)
View = Callable[..., ResponseReturnValue]


class Assign(Protocol[RowC]):
    """A service call that gives a task or a case to ``owner`` (as ``service.assign``)."""

    def __call__(self, session: Session, row: RowC, owner: User, /, *, user: User) -> object: ...


def acts_on(
    rule: str,
    load: Callable[[int], RowT],
    page: str,
    access: Callable[[View], View] = writer_required,
) -> Callable[[Callable[[RowT], str | None]], View]:
    """Register ``act(row)`` as the view of a POST to ``rule``, let in by ``access``.

    ``rule``'s one URL value is the id of the row acted on, ``load(id)`` (which answers 404
    when there is none); ``act`` says where on the row's page (the ``page`` endpoint, with the
    same URL value) the answer goes back to: an anchor, or None for its top.
    """

    def register(act: Callable[[RowT], str | None]) -> View:
        @bp.post(rule, endpoint=act.__name__)
        @access
        @wraps(act)
        def view(**ids: Any) -> ResponseReturnValue:
            (ident,) = ids.values()
            return redirect(url_for(page, **ids) + (act(load(ident)) or ""))

        return view

    return register


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
    assign: Assign[RowT],
    row: RowT,
    done_message: str,
    refusals: type[Exception] | tuple[type[Exception], ...],
) -> None:
    """Give a task or a case (``row``) to the colleague named on the submitted assign form.

    ``assign(session, row, owner, user=)`` runs as :func:`attempt` runs it; nothing runs when
    the form does not validate.
    """
    form = AssignForm()
    form.owner.choices = staff_choices()
    if form.validate_on_submit():
        owner = db.session.get(User, form.owner.data) or abort(400)
        attempt(lambda: assign(db.session(), row, owner, user=current_user), done_message, refusals)
