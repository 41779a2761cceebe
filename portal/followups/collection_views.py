"""Collection views: cases, proposals to approve, ladders and settings; the customer's side."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..auth.decorators import customer_required, staff_required
from ..downloads import content_disposition
from ..extensions import db
from ..fields import set_currency
from ..localtime import local_today
from ..models import (
    CaseEvent,
    CaseStatus,
    CollectionCase,
    Role,
    User,
)
from ..views import list_page
from . import cases, documents, ladders, promises
from .blueprint import acts_on, assign_chosen, assign_form, attempt, bp
from .forms import (
    CHANNEL_LABELS,
    COLLECTION_LABELS,
    OUTCOME_CHOICES,
    ContactForm,
    LegalForm,
    PromiseForm,
    RunForm,
    SettingsForm,
)

finance_required = staff_required(Role.FINANCE, Role.ADMIN)


@bp.app_context_processor
def _labels() -> dict[str, object]:
    return {
        "channel_label": lambda c: CHANNEL_LABELS.get(c, c),
        "outcome_label": lambda o: {c.value: c.label for c in OUTCOME_CHOICES}.get(
            o, COLLECTION_LABELS.get(o, o)
        ),
        "clabel": lambda v: COLLECTION_LABELS.get(str(getattr(v, "value", v)), v),
        "lname": ladders.shown_name,
    }


def _today() -> dt.date:
    return local_today()


def _case_or_404(case_id: int) -> CollectionCase:
    case = db.session.get(
        CollectionCase,
        case_id,
        options=[joinedload(CollectionCase.customer), joinedload(CollectionCase.owner)],
    )
    if case is None:
        abort(404)
    return case


def _approvers() -> list[tuple[int, str]]:
    users = db.session.scalars(
        select(User)
        .where(User.is_active.is_(True), User.role.in_((Role.FINANCE, Role.ADMIN)))
        .order_by(User.name, User.email)
    )
    return [(u.id, u.name or u.email) for u in users]


# --- cases -----------------------------------------------------------------------------------


@bp.get("/cases")
@staff_required()
def case_list() -> ResponseReturnValue:
    """Open cases: mine (as account manager or collector) or the team's, oldest debt first."""
    view = request.args.get("view", "mine" if current_user.role is Role.SALES else "team")
    status = request.args.get("status", "open")
    query = select(CollectionCase).options(
        joinedload(CollectionCase.customer),
        joinedload(CollectionCase.owner),
        joinedload(CollectionCase.step),
    )
    if view == "mine":
        query = query.where(CollectionCase.owner_id == current_user.id)
    if status in {s.value for s in CaseStatus}:
        query = query.where(CollectionCase.status == CaseStatus(status))
    query = query.order_by(
        CollectionCase.oldest_due_date.is_(None), CollectionCase.oldest_due_date, CollectionCase.id
    )
    page = list_page(query, 50)
    totals = db.session.execute(
        select(CollectionCase.currency, func.count(), func.sum(CollectionCase.overdue_amount))
        .where(CollectionCase.status != CaseStatus.CLOSED)
        .group_by(CollectionCase.currency)
        .order_by(CollectionCase.currency)
    ).all()
    return render_template(
        "followups/cases.html",
        page=page,
        args={"view": view, "status": status},
        totals=totals,
        today=_today(),
        promise_stats=promises.stats(db.session()),
        run_form=RunForm(),
    )


@bp.get("/cases/<int:case_id>")
@staff_required()
def case(case_id: int) -> ResponseReturnValue:
    """One case: its items, history, proposals, promises, and what staff can do."""
    c = _case_or_404(case_id)
    view = cases.case_view(db.session(), c, today=_today())
    legal_form = LegalForm(formdata=None)
    legal_form.approver.choices = _approvers()
    return render_template(
        "followups/case.html",
        v=view,
        c=c,
        contact_form=ContactForm(formdata=None),
        promise_form=PromiseForm(formdata=None),
        legal_form=legal_form,
        assign_form=assign_form(c.owner_id),
        today=_today(),
    )


def _refused(form: FlaskForm) -> bool:
    """Whether the posted ``form`` does not validate; if so, flash what it refused."""
    if form.validate_on_submit():
        return False
    flash(_("Check the form: %(errors)s", errors=form.errors), "error")
    return True


@acts_on("/cases/<int:case_id>/contact", _case_or_404, ".case")
def log_contact(c: CollectionCase) -> str:
    """Log a call or another contact; a date and amount given on it become a promise."""
    form = set_currency(ContactForm(), c.currency)
    if _refused(form):
        return "#contact"

    def log() -> None:
        cases.log_contact(
            db.session(),
            c,
            channel=form.channel.data or "call",
            outcome=form.outcome.data or "",
            note=form.note.data or "",
            user=current_user,
        )
        if form.promise_date.data and form.promise_amount.data:
            _promise(c, form, [(form.promise_date.data, Decimal(form.promise_amount.data))], "call")

    attempt(log, _("Contact logged."), (cases.CollectionError, promises.PromiseError))
    return "#history"


def _instalments(form: PromiseForm) -> list[tuple[dt.date, Decimal]]:
    rows = [entry.form for entry in form.instalments]
    return [
        (row.due_date.data, Decimal(row.amount.data))
        for row in rows
        if row.due_date.data and row.amount.data
    ]


def _promise(
    c: CollectionCase,
    form: ContactForm | PromiseForm,
    instalments: list[tuple[dt.date, Decimal]],
    source: str,
) -> None:
    """Record a promise to pay taken on ``form`` (its note goes with the promise)."""
    promises.make_promise(
        db.session(),
        c,
        instalments=instalments,
        source=source,
        user=current_user,
        grace_days=ladders.load_settings(db.session()).promise_grace_days,
        today=_today(),
        note=form.note.data or "",
    )


def _posted_promise(c: CollectionCase, source: str, done_message: str) -> bool:
    """Record the promise posted on a :class:`PromiseForm` for case ``c``, taken from
    ``source`` (``staff``, ``portal``); whether the form was valid (if not, it is said)."""
    form = set_currency(PromiseForm(), c.currency)
    if _refused(form):
        return False
    attempt(
        lambda: _promise(c, form, _instalments(form), source), done_message, promises.PromiseError
    )
    return True


@acts_on("/cases/<int:case_id>/promise", _case_or_404, ".case")
def promise(c: CollectionCase) -> str:
    """Record a promise to pay (one date or instalments) taken by staff."""
    done = _("Promise recorded: the ladder is paused until the date plus the grace days.")
    return "#promises" if _posted_promise(c, "staff", done) else "#promise"


@acts_on("/cases/<int:case_id>/legal", _case_or_404, ".case", finance_required)
def legal(c: CollectionCase) -> str:
    """Hand the case to legal, approved by a named finance user; makes the case file."""
    form = LegalForm()
    form.approver.choices = _approvers()
    if not form.validate_on_submit():
        flash(_("Name the approver and say why."), "error")
        return "#legal"
    approver = db.session.get(User, form.approver.data) or abort(400)
    attempt(
        lambda: cases.hand_over_to_legal(
            db.session(),
            c,
            approver=approver,
            reason=form.reason.data or "",
            user=current_user,
            today=_today(),
        ),
        _("Handed over to legal; the case file is in the history."),
        cases.CollectionError,
    )
    return "#history"


@acts_on("/cases/<int:case_id>/assign", _case_or_404, ".case")
def assign_case(c: CollectionCase) -> None:
    """Give the case to a colleague."""
    assign_chosen(cases.assign_case, c, _("Case assigned."), cases.CollectionError)


@bp.get("/files/<int:event_id>")
@staff_required()
def event_file(event_id: int) -> ResponseReturnValue:
    """Download a letter or case file named in a case's history."""
    event = db.session.get(CaseEvent, event_id)
    if event is None or not event.file_name:
        abort(404)
    data = documents.stored(event.file_name)
    if data is None:
        abort(404)
    response = current_app.response_class(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = content_disposition(event.file_name)
    return response


# --- ladders and settings --------------------------------------------------------------------


@bp.get("/ladders")
@staff_required()
def ladder_list() -> ResponseReturnValue:
    """The ladders (which customers each is for) and the run's settings."""
    all_ = ladders.ensure_default_ladders(db.session())
    settings = ladders.load_settings(db.session())
    return render_template(
        "followups/ladders.html",
        ladders=all_,
        settings_form=SettingsForm(formdata=None, data=settings.__dict__),
        placeholders=ladders.PLACEHOLDERS,
    )


@bp.post("/settings")
@finance_required
def save_settings() -> ResponseReturnValue:
    """Save quiet hours, the weekly cap and the promise grace days."""
    form = SettingsForm()
    if not form.validate_on_submit():
        flash(_("Check the settings: %(errors)s", errors=form.errors), "error")
        return redirect(url_for(".ladder_list"))
    attempt(
        lambda: ladders.save_settings(
            db.session(),
            {
                k: getattr(form, k).data
                for k in SettingsForm.__dict__
                if k in ladders.CollectionSettings.__dataclass_fields__
                and getattr(form, k).data is not None  # a field left out keeps its value
            },
            user=current_user,
        ),
        _("Settings saved."),
        ladders.SettingsError,
    )
    return redirect(url_for(".ladder_list"))


# --- the customer's side ---------------------------------------------------------------------


def _own_case_or_404(case_id: int) -> CollectionCase:
    c = db.session.get(CollectionCase, case_id, options=[joinedload(CollectionCase.customer)])
    if c is None or c.customer_id != current_user.customer_id:
        abort(404)
    return c


@bp.get("/my")
@customer_required
def my_cases() -> ResponseReturnValue:
    """What we are asking the customer to pay, per currency."""
    own = [
        c
        for c in cases.customer_cases(db.session(), current_user.customer_id)
        if c.status is not CaseStatus.CLOSED
    ]
    if len(own) == 1:
        return redirect(url_for(".my_case", case_id=own[0].id))
    return render_template("followups/my_cases.html", cases=own)


@bp.get("/my/<int:case_id>")
@customer_required
def my_case(case_id: int) -> ResponseReturnValue:
    """The items a reminder is about, and a form to say when they will be paid."""
    c = _own_case_or_404(case_id)
    view = cases.case_view(db.session(), c, today=_today())
    return render_template(
        "followups/my_case.html", v=view, c=c, form=PromiseForm(formdata=None), today=_today()
    )


@acts_on("/my/<int:case_id>/promise", _own_case_or_404, ".my_case", customer_required)
def my_promise(c: CollectionCase) -> None:
    """The customer promises to pay (a date and amount, or instalments)."""
    _posted_promise(
        c,
        "portal",
        _("Thank you: we noted your payment plan and will not send reminders until then."),
    )
