"""Blueprint "home": the start page (customer overview; staff go to their workspace)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, current_app, redirect, render_template, url_for
from flask_login import current_user, login_required

from ..extensions import db
from ..models import Role
from ..permissions import may_open
from ..ui.routes import STAFF_NAV
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
        for endpoint in preferred.get(current_user.role, []) + [e for e, _label in STAFF_NAV]:
            if endpoint in current_app.view_functions and may_open(endpoint):
                return redirect(url_for(endpoint))
        return render_template("home/staff.html")
    data = service.overview(db.session(), current_user.customer, dt.date.today())
    return render_template("home/index.html", data=data, chart=aging_chart(data))
