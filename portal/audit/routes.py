"""Blueprint "audit": the auditors' statement search and the evidence package of a statement."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import joinedload
from wtforms import DateField, SelectField, StringField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # types-WTForms lacks 3.2\'s SelectChoice
from wtforms.validators import Length, Optional

from ..auth.decorators import staff_required
from ..downloads import content_disposition
from ..extensions import db
from ..models import Customer, Statement, StatementStatus
from ..ui.routes import LABELS
from ..views import get_or_404, list_page
from .evidence import build_evidence_package

bp = Blueprint("audit", __name__, url_prefix="/audit")


class StatementSearch(FlaskForm):
    class Meta:
        csrf = False

    customer = StringField(_l("Customer"), validators=[Optional(), Length(max=200)])
    period_from = DateField(_l("Period from"), validators=[Optional()])
    period_to = DateField(_l("Period to"), validators=[Optional()])
    status = SelectField(
        _l("Status"),
        choices=[SelectChoice("", "—")]
        + [SelectChoice(s.value, LABELS.get(s.value, s.value)) for s in StatementStatus],
        validators=[Optional()],
    )


def _search(form: StatementSearch) -> Select[Statement]:
    """The statements the search asks for; a field that cannot be read is left out."""
    form.validate()
    for field in (form.period_from, form.period_to, form.status):
        if field.errors:
            field.data = None
    query = select(Statement).options(joinedload(Statement.customer))
    if form.customer.data:
        pattern = f"%{form.customer.data.strip()}%"
        query = query.join(Customer, Customer.id == Statement.customer_id).where(
            or_(Customer.code.ilike(pattern), Customer.name.ilike(pattern))
        )
    if form.period_from.data:
        query = query.where(Statement.period_end >= form.period_from.data)
    if form.period_to.data:
        query = query.where(Statement.period_start <= form.period_to.data)
    if form.status.data:
        query = query.where(Statement.status == StatementStatus(form.status.data))
    return query.order_by(Statement.period_end.desc(), Statement.id.desc())


@bp.get("/statements")
@staff_required()
def statements() -> ResponseReturnValue:
    """Search issued statements by customer, period and status."""
    form = StatementSearch(request.args)
    page = list_page(_search(form), 50)
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("audit/statements.html", form=form, page=page, args=args)


@bp.get("/statements/<int:statement_id>/evidence.zip")
@staff_required()
def evidence(statement_id: int) -> ResponseReturnValue:
    """A ZIP with the statement PDF, its verification report, the signature evidence and the
    statement's audit-log extract with the chain checked."""
    statement = get_or_404(Statement, statement_id, joinedload(Statement.customer))
    data = build_evidence_package(db.session(), statement)
    response = current_app.response_class(data, mimetype="application/zip")
    response.headers["Content-Disposition"] = content_disposition(
        f"evidence-{statement.number}.zip"
    )
    return response
