"""Blueprint "home": the start page (customer overview; staff go to their workspace)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, current_app, redirect, render_template, url_for
from flask_login import current_user, login_required

from ..extensions import db
from ..models import Role
from ..ui.routes import STAFF_NAV
from . import service
from .charts import aging_chart

bp = Blueprint("home", __name__)


@bp.get("/")
@login_required
def index() -> Any:
    """Show the customer's overview; send staff to the first workspace page they have."""
    if current_user.is_staff:
        # auditors are read-only: their work starts at the statement search
        preferred = ["audit.statements"] if current_user.role is Role.AUDITOR else []
        for endpoint in preferred + [endpoint for endpoint, _label in STAFF_NAV]:
            if endpoint in current_app.view_functions:
                return redirect(url_for(endpoint))
        return render_template("home/staff.html")
    data = service.overview(db.session(), current_user.customer, dt.date.today())
    return render_template("home/index.html", data=data, chart=aging_chart(data))
