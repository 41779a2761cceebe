"""Load-and-authorise helpers: customer users only ever see their own customer's rows."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from flask import abort
from flask_login import current_user
from sqlalchemy import Select, func, select

from ..extensions import db
from ..models.base import Base

T = TypeVar("T")
M = TypeVar("M", bound=Base)


def owned_or_404(model: type[M], object_id: int) -> M:
    """Return ``model`` row ``object_id`` if it belongs to the signed-in customer, else 404.

    Another customer's id and a missing id give the same answer, so ids reveal nothing.
    """
    customer_id = getattr(current_user, "customer_id", None)
    if customer_id is None:
        abort(404)
    obj = db.session().get(model, object_id)
    if obj is None or getattr(obj, "customer_id", None) != customer_id:
        abort(404)
    return obj


@dataclass
class Page(Generic[T]):
    items: list[T]
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def paginate(query: Select[Any], page: int, per_page: int = 20) -> Page[Any]:
    """Run ``query`` for one page (1-based; out-of-range pages are clamped)."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    total = int(total or 0)
    pages = max(1, math.ceil(total / per_page))
    number = min(max(1, page), pages)
    items = list(db.session.scalars(query.limit(per_page).offset((number - 1) * per_page)))
    return Page(items, number, per_page, total)
