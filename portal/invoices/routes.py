"""Blueprint "invoices": the customer's invoice list and invoice detail."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, render_template, request
from flask_login import current_user

from ..auth.decorators import customer_required
from ..auth.scope import owned_or_404
from ..extensions import db
from ..models import Invoice
from ..views import list_page
from . import service

bp = Blueprint("invoices", __name__, url_prefix="/invoices")


@bp.get("/")
@customer_required
def index() -> Any:
    """List the customer's invoices, filtered and paginated."""
    filter_ = request.args.get("filter", "all")
    if filter_ not in service.FILTERS:
        filter_ = "all"
    today = dt.date.today()
    page = list_page(service.invoice_query(current_user.customer_id, filter_, today), 20)
    return render_template(
        "invoices/index.html",
        page=page,
        filter=filter_,
        filters=service.FILTERS,
        today=today,
        disputed=service.disputed_set(db.session(), current_user.customer_id),
    )


@bp.get("/<int:invoice_id>")
@customer_required
def detail(invoice_id: int) -> Any:
    """Show one invoice with the payments applied to it."""
    invoice = owned_or_404(Invoice, invoice_id)
    return render_template(
        "invoices/detail.html",
        invoice=invoice,
        today=dt.date.today(),
        allocations=service.allocations_for(db.session(), invoice),
        credit_notes=service.credit_notes_for(db.session(), invoice),
        disputes=service.disputes_for(db.session(), invoice),
    )
