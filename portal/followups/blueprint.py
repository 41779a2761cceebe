"""The "followups" blueprint object, shared by the task views and the collection views."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("followups", __name__, url_prefix="/followups")
