"""Blueprint "contracts": the register, signed PDFs, held invoices and the contract report."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from decimal import Decimal
from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload
from wtforms import DateField, IntegerField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from .. import permissions
from ..auth.decorators import permission_required
from ..auth.scope import Page
from ..extensions import db
from ..fields import amount_field, number_range
from ..models import (
    CheckStatus,
    Contract,
    ContractDocument,
    Invoice,
    InvoiceContractCheck,
)
from ..views import Findings, get_or_404, page_of, section_url
from . import documents, review, service
from .checks import describe
from .errors import ContractError

bp = Blueprint("contracts", __name__, url_prefix="/contracts")
#: contracts and invoices listed: 50 a page
PER_PAGE = 50

_IDENTIFIER = Regexp(r"^[^\x00-\x1f\x7f]+$", message=_l("No control characters."))


class UploadForm(FlaskForm):
    pdf = FileField(_l("Signed contract (PDF)"), validators=[FileRequired()])


class ProposalForm(FlaskForm):
    number = StringField(
        _l("Contract number"), validators=[DataRequired(), Length(max=64), _IDENTIFIER]
    )
    customer = StringField(
        _l("Customer code"), validators=[DataRequired(), Length(max=40), _IDENTIFIER]
    )
    currency = StringField(
        _l("Currency"), validators=[DataRequired(), Regexp(r"^[A-Za-z]{3}$")], default="CNY"
    )
    total = amount_field(
        _l("Total"), required=True, minimum=Decimal("0.01"), currency_field="currency"
    )
    payment_terms_days = IntegerField(
        _l("Payment terms (days)"), validators=[Optional(), number_range(min=0, max=3650)]
    )
    valid_from = DateField(_l("Valid from"), validators=[DataRequired()])
    valid_to = DateField(_l("Valid to"), validators=[Optional()])


def _standings(query: Select[Any], param: str) -> Page[service.ContractStanding]:
    """Page ``?<param>=N`` of contracts with what is billed against each."""
    page = page_of(query, param, PER_PAGE, rows=True)
    return dataclasses.replace(page, items=service.standings(page.items))


@bp.app_template_global()
def contract_difference(item: dict[str, object]) -> str:
    """Render a stored difference in the reader's language."""
    params = item.get("params")
    return describe(str(item.get("code")), params if isinstance(params, dict) else {})


@bp.get("/")
@permission_required(permissions.Action.CONTRACTS_VIEW)
def index() -> ResponseReturnValue:
    """The contract register with billed and remaining amounts."""
    return render_template(
        "contracts/index.html",
        page=_standings(service.standings_query(), "page"),
        form=UploadForm(),
        held=review.held_count(db.session()),
        can_manage=permissions.can(permissions.Action.CONTRACTS_MANAGE),
    )


@bp.get("/<int:contract_id>")
@permission_required(permissions.Action.CONTRACTS_VIEW)
def detail(contract_id: int) -> ResponseReturnValue:
    """One contract: schedule, the invoices billed against it (50 a page), signed PDFs."""
    contract = get_or_404(Contract, contract_id)
    invoices = page_of(
        select(Invoice)
        .where(Invoice.contract_number == contract.number)
        .options(selectinload(Invoice.customer))
        .order_by(Invoice.issue_date, Invoice.number, Invoice.id),
        per_page=PER_PAGE,
    )
    return render_template(
        "contracts/detail.html",
        contract=contract,
        invoices=invoices,
        billed=service.billed(db.session(), contract),
    )


@bp.post("/documents")
@permission_required(permissions.Action.CONTRACTS_MANAGE)
def upload() -> ResponseReturnValue:
    """Keep a signed contract PDF and show what its text proposes."""
    form = UploadForm()
    stream = form.pdf.data
    if not form.validate_on_submit() or stream is None:
        flash(_("Choose a PDF file."), "error")
        return redirect(url_for(".index"))
    try:
        document = documents.store_document(
            db.session(),
            filename=stream.filename or "contract.pdf",
            content=stream.read(documents.MAX_PDF_BYTES + 1),
            actor=current_user,
            own_names=current_app.config.get("OWN_NAMES") or [],
        )
    except ContractError as exc:
        flash(_("The file was refused: %(reason)s", reason=str(exc)), "error")
        return redirect(url_for(".index"))
    return redirect(url_for(".document", document_id=document.id))


@bp.route("/documents/<int:document_id>", methods=["GET", "POST"])
@permission_required(permissions.Action.CONTRACTS_VIEW)
def document(document_id: int) -> ResponseReturnValue:
    """The proposal read from a PDF; finance corrects and confirms it into the register."""
    document = get_or_404(ContractDocument, document_id)
    proposal = document.proposal or {}
    form = ProposalForm(
        data=None
        if request.method == "POST"
        else {
            "number": proposal.get("number"),
            "customer": proposal.get("customer"),
            "currency": proposal.get("currency", "CNY"),
            "total": _decimal(proposal.get("total")),
            "payment_terms_days": proposal.get("payment_terms_days"),
            "valid_from": _iso(proposal.get("valid_from")),
            "valid_to": _iso(proposal.get("valid_to")),
        }
    )
    total, valid_from = form.total.data, form.valid_from.data
    if form.validate_on_submit() and total is not None and valid_from is not None:
        values = documents.ConfirmedContract(
            number=(form.number.data or "").strip(),
            customer=(form.customer.data or "").strip(),
            currency=(form.currency.data or "").upper(),
            total=total,
            payment_terms_days=form.payment_terms_days.data,
            valid_from=valid_from,
            valid_to=form.valid_to.data,
        )
        try:
            contract = documents.confirm_document(
                db.session(), document, values, actor=current_user
            )
        except ContractError as exc:
            flash(str(exc), "error")
        else:
            flash(_("Contract %(number)s saved with its signed PDF.", number=contract.number))
            return redirect(url_for(".detail", contract_id=contract.id))
    elif request.method == "POST":
        flash(_("Please correct the marked fields."), "error")
    return render_template(
        "contracts/document.html",
        document=document,
        proposal=proposal,
        form=form,
        can_manage=permissions.can(permissions.Action.CONTRACTS_MANAGE),
    )


def _decimal(value: object) -> Decimal | None:
    try:
        return Decimal(str(value)) if value is not None else None
    except ArithmeticError:
        return None


def _iso(value: object) -> dt.date | None:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


@bp.get("/documents/<int:document_id>/pdf")
@permission_required(permissions.Action.CONTRACTS_VIEW)
def document_pdf(document_id: int) -> ResponseReturnValue:
    """Download the signed PDF as uploaded."""
    document = get_or_404(ContractDocument, document_id)
    return send_file(
        io.BytesIO(document.content),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"contract-{document.id}.pdf",
    )


#: imported invoices that differ from their contract, until finance confirms each
HELD = Findings(
    listing=review.held_checks,
    closed=CheckStatus.CONFIRMED,
    model=InvoiceContractCheck,
    close=review.confirm_check,
    closed_message=lambda check: _("Invoice %(number)s confirmed.", number=check.invoice.number),
    refusals=ContractError,
)
HELD.add_views(bp, "/held", page="held", decide="confirm", id_arg="check_id")


@bp.get("/report")
@permission_required(permissions.Action.CONTRACTS_VIEW)
def report() -> ResponseReturnValue:
    """Invoices without a contract, and contracts billed over their total."""
    return render_template(
        "contracts/report.html",
        without=page_of(service.without_contract_query(), "page", PER_PAGE),
        over=_standings(service.standings_query(over_only=True), "over_page"),
        section_url=section_url(".report", ("page", "over_page")),
    )
