"""Load-and-authorise helpers: customer users only ever see their own customer's rows."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from flask import abort
from flask_login import current_user
from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session

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
    obj = load_by_id(db.session(), model, object_id)
    if obj is None or getattr(obj, "customer_id", None) != customer_id:
        abort(404)
    return obj


#: one prepared ``SELECT ... WHERE id = :id`` per model and loader options (its SQL and cache
#: key are worked out once, where ``Session.get`` builds both again on every call)
_BY_ID: dict[tuple[type[Any], tuple[Any, ...]], Select[Any]] = {}


def load_by_id(session: Session, model: type[M], object_id: int, *options: Any) -> M | None:
    """``session.get(model, object_id)``, cheaper: the row already in the session, else one
    prepared query (``options``: loader options such as ``joinedload``, fixed per call site)."""
    if session.identity_map:  # a request's first query finds an empty session
        known = session.identity_map.get(session.identity_key(model, object_id))
        if known is not None:
            return cast(M, known)
    stmt = _BY_ID.get((model, options))
    if stmt is None:
        stmt = select(model).where(model.id == bindparam("object_id")).options(*options)  # type: ignore[attr-defined]
        _BY_ID[(model, options)] = stmt
    result = session.execute(stmt, {"object_id": object_id})
    if options:
        result = result.unique()
    return cast(M | None, result.scalar_one_or_none())


#: the page sizes a long list offers its reader besides its own (``?per_page=``)
PAGE_SIZES = (20, 50, 100)


@dataclass
class Page(Generic[T]):
    items: list[T]
    number: int
    per_page: int
    total: int
    #: the size the list shows when the reader asks for none; ``None``: it offers no choice
    default_per_page: int | None = None

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def sizes(self) -> tuple[int, ...]:
        """The page sizes offered: :data:`PAGE_SIZES` and the list's own."""
        return tuple(sorted({*PAGE_SIZES, self.default_per_page or PAGE_SIZES[0]}))

    def keep(self, args: Mapping[str, Any]) -> dict[str, Any]:
        """``args`` and the page size the reader chose, for links to other pages of the list."""
        kept = {k: v for k, v in args.items() if k not in ("page", "per_page")}
        if self.default_per_page is not None and self.per_page != self.default_per_page:
            kept["per_page"] = self.per_page
        return kept

    def with_size(self, args: Mapping[str, Any], size: int) -> dict[str, Any]:
        """``args`` for the list's first page at ``size`` rows a page."""
        kept = {k: v for k, v in args.items() if k not in ("page", "per_page")}
        return {**kept, "per_page": size}


def paginate(query: Select[Any], page: int, per_page: int = 20, *, rows: bool = False) -> Page[Any]:
    """Run ``query`` for one page (1-based; out-of-range pages are clamped).

    The items are the first column's values, or whole rows with ``rows=True``."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    total = int(total or 0)
    pages = max(1, math.ceil(total / per_page))
    number = min(max(1, page), pages)
    limited = query.limit(per_page).offset((number - 1) * per_page)
    items = list(db.session.execute(limited) if rows else db.session.scalars(limited))
    return Page(items, number, per_page, total)
