"""What many blueprints' views share: running a service call and telling the user how it went."""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Generic, TypeVar

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import Select
from sqlalchemy.orm.interfaces import ORMOption
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from . import permissions
from .auth.decorators import permission_required
from .auth.scope import PAGE_SIZES, Page, paginate
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


class ReasonForm(FlaskForm):
    """A decision that needs a reason (kept in the audit log)."""

    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])


def flash_form_errors(form: FlaskForm) -> None:
    """Flash each refused field of ``form`` as "label: reasons", in the reader's language.

    A value the field could not read (``1e999`` as an amount) gives that reason alone: the
    validators after it only saw no value, and would add "must be at least 0" to it.
    """
    for name, errors in form.errors.items():
        field = getattr(form, name, None)
        label = getattr(field, "label", None)
        reasons = list(dict.fromkeys(map(str, getattr(field, "process_errors", None) or errors)))
        flash(
            _(
                "%(label)s: %(reasons)s",
                label=label.text if label else name,
                reasons=_("; ").join(reasons),
            ),
            "error",
        )


def with_reason(
    action: Callable[[str], object],
    done_message: str,
    refusals: type[Exception] | tuple[type[Exception], ...],
) -> bool:
    """Run ``action(reason)`` with the posted :class:`ReasonForm`'s reason, as :func:`attempt`.

    Without a reason (or with one the form refuses, e.g. too long) nothing runs and the user
    is told why.
    :return: whether the action went through.
    """
    form = ReasonForm()
    if not form.validate_on_submit():
        if (form.reason.data or "").strip():
            flash_form_errors(form)
        else:
            flash(_("A reason is required."), "error")
        return False
    return attempt(lambda: action(form.reason.data or ""), done_message, refusals)


def get_or_404(model: type[RowT], ident: int, *options: ORMOption) -> RowT:
    """The ``model`` row with the id from the URL, loaded with ``options``; else answer 404."""
    return db.session.get(model, ident, options=options) or abort(404)


@dataclasses.dataclass(frozen=True)
class Findings(Generic[RowT]):
    """Findings that wait for a decision with a reason (held invoices, ERP conflicts): a page of
    those waiting, 50 a page (``?page=N``), and those closed, newest first (``?closed_page=N``),
    and a post that closes one with the reason given. :meth:`add_views` adds both views."""

    #: ``listing(status=)`` queries the findings, by default those that wait
    listing: Callable[..., Select[Any]]
    #: the status of a closed finding
    closed: enum.Enum
    #: the row of one finding
    model: type[RowT]
    #: the service call that closes one: ``close(session, row, actor=, reason=)``
    close: Callable[..., object]
    #: what the user is told once one is closed
    closed_message: Callable[[RowT], str]
    #: the errors by which the service refuses to close one
    refusals: type[Exception]
    #: more for the template
    context: Mapping[str, object] = dataclasses.field(default_factory=dict)

    def add_views(self, bp: Blueprint, rule: str, *, page: str, decide: str, id_arg: str) -> None:
        """Add the page at ``rule`` (endpoint ``page``) and the post that closes one at
        ``rule/<id_arg>/decide`` (endpoint ``decide``) to ``bp``.

        The page renders the template ``<blueprint>/<page>.html`` with the pages ``waiting`` and
        ``closed``, the :class:`ReasonForm` as ``form``, ``may_close``, ``section_url`` and
        :attr:`context`. Who may see and who may close is what :data:`permissions.ROUTES` says
        of the two endpoints.

        :raises permissions.UnlistedRoute: the table does not list an endpoint.
        """
        may_see = _action_of(f"{bp.name}.{page}", "GET")
        may_decide = _action_of(f"{bp.name}.{decide}", "POST")

        def show() -> ResponseReturnValue:
            """Show the findings that wait for a decision, and those closed."""
            return render_template(
                f"{bp.name}/{page}.html",
                waiting=page_of(self.listing(), "page"),
                closed=page_of(self.listing(status=self.closed), "closed_page"),
                form=ReasonForm(),
                may_close=permissions.can(may_decide),
                section_url=section_url(request.endpoint or "", ("page", "closed_page")),
                **self.context,
            )

        def close(**ids: int) -> ResponseReturnValue:
            """Close one finding with a reason (recorded in the audit log)."""
            row = get_or_404(self.model, ids[id_arg])
            with_reason(
                lambda reason: self.close(db.session(), row, actor=current_user, reason=reason),
                self.closed_message(row),
                self.refusals,
            )
            return redirect(url_for(f".{page}"))

        bp.add_url_rule(rule, page, permission_required(may_see)(show), methods=["GET"])
        bp.add_url_rule(
            f"{rule}/<int:{id_arg}>/{decide}",
            decide,
            permission_required(may_decide)(close),
            methods=["POST"],
        )


def _action_of(endpoint: str, method: str) -> permissions.Action:
    """The action :data:`permissions.ROUTES` asks of ``endpoint`` for ``method``."""
    rule = permissions.rule_for(endpoint, method)
    if not isinstance(rule, permissions.Action):
        raise TypeError(f"{endpoint} ({method}) needs an action in portal.permissions.ROUTES")
    return rule


def page_of(
    query: Select[Any], param: str = "page", per_page: int = 50, *, rows: bool = False
) -> Page[Any]:
    """Page ``?<param>=N`` of ``query``: a missing or unreadable number is page 1, a number
    out of range the nearest page."""
    return paginate(query, request.args.get(param, 1, type=int), per_page, rows=rows)


def per_page(default: int = 50) -> int:
    """The page size asked for with ``?per_page=``: one of :data:`PAGE_SIZES` or ``default``,
    else ``default``."""
    asked = request.args.get("per_page", type=int)
    return asked if asked in PAGE_SIZES or asked == default else default


def list_page(query: Select[Any], per_page_default: int = 50, *, rows: bool = False) -> Page[Any]:
    """Page ``?page=N`` of a page's main list, ``?per_page=`` rows (20, 50 or 100, or
    ``per_page_default`` when none is asked for); the list's pager keeps the size and offers
    the others (see the ``paged_table`` and ``page_sizes`` macros)."""
    number = request.args.get("page", 1, type=int)
    page = paginate(query, number, per_page(per_page_default), rows=rows)
    return dataclasses.replace(page, default_per_page=per_page_default)


def section_url(
    endpoint: str, params: Sequence[str], **values: Any
) -> Callable[[str, int, str], str]:
    """Links for a page with several paged lists: ``url(param, number, anchor)`` goes to page
    ``number`` of one list, the other lists (their ``params``) staying on their pages."""

    def url(param: str, number: int, anchor: str) -> str:
        args: dict[str, Any] = {k: v for k, v in request.args.items() if k in params}
        args[param] = number
        return url_for(endpoint, _anchor=anchor, **values, **args)

    return url
