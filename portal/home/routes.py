"""Blueprint "home": the start page (customer overview; staff go to their workspace)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..auth.scope import paginate
from ..customers import view as account
from ..extensions import db
from ..followups.case_views import customer_cases
from ..models import CaseStatus, Role
from ..permissions import may_open
from ..ui.routes import STAFF, nav_entries
from . import service
from .charts import aging_chart

bp = Blueprint("home", __name__)


@bp.get("/")
@login_required
def index() -> Any:
    """Show the customer's overview; send staff to the first workspace page they have."""
    if current_user.is_staff:
        # each role starts at its own work: auditors at the statement search, sales at the
        # follow-ups of their customers; then the first workspace page the role may open
        preferred = {Role.AUDITOR: ["audit.statements"], Role.SALES: ["followups.index"]}
        for endpoint in preferred.get(current_user.role, []) + [
            e for e, _label in nav_entries(STAFF)
        ]:
            if endpoint in current_app.view_functions and may_open(endpoint):
                return redirect(url_for(endpoint))
        return render_template("home/staff.html")
    return _customer_home()


def _customer_home() -> Any:
    """The customer's overview: per currency what is open, received but not applied, credited."""
    customer = current_user.customer
    today = dt.date.today()
    data = service.overview(db.session(), customer, today)
    items = paginate(
        account.open_items_query(customer.id), request.args.get("items", 1, type=int), 10
    )
    open_cases = [
        c for c in customer_cases(db.session(), customer.id) if c.status is not CaseStatus.CLOSED
    ]
    return render_template(
        "home/index.html",
        data=data,
        chart=aging_chart(data),
        today=today,
        positions=account.positions(db.session(), customer.id, today),
        items=items,
        disputed=account.disputed_invoice_ids(db.session(), [i.id for i in items.items]),
        held=account.held_page(
            db.session(),
            paginate(
                account.held_query(customer.id),
                request.args.get("held", 1, type=int),
                10,
                rows=True,
            ),
        ),
        cases={c.currency: c for c in open_cases},
    )
