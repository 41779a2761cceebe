"""What many blueprints' views share: running a service call and telling the user how it went."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import abort, flash
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from sqlalchemy.orm.interfaces import ORMOption

from .extensions import db

RowT = TypeVar("RowT")


def attempt(
    action: Callable[[], object],
    done_message: str | None,
    refusals: type[Exception] | tuple[type[Exception], ...],
) -> bool:
    """Run a view's service call in a savepoint; flash ``done_message`` or the refusal's message.

    :param refusals: the errors that refuse the call; their message is the user's, and what
        the call changed before it is undone.
    :return: whether the call went through.
    """
    try:
        with db.session.begin_nested():
            action()
    except refusals as exc:
        flash(str(exc), "error")
        return False
    if done_message is not None:
        flash(done_message, "success")
    return True


def reason_given(form: FlaskForm) -> bool:
    """Whether the posted form with a required reason validates; if not, flash that it is needed."""
    if form.validate_on_submit():
        return True
    flash(_("A reason is required."), "error")
    return False


def get_or_404(model: type[RowT], ident: int, *options: ORMOption) -> RowT:
    """The ``model`` row with the id from the URL, loaded with ``options``; else answer 404."""
    return db.session.get(model, ident, options=options) or abort(404)
