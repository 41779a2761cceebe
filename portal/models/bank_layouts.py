"""Saved column mappings for bank exports Concord cannot read by itself."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Model, TimestampMixin

if TYPE_CHECKING:
    from .users import User


class BankLayout(TimestampMixin, Model):
    """A CSV/XLS layout a person mapped for one of our bank accounts, used on every upload."""

    __tablename__ = "bank_layouts"
    __table_args__ = (UniqueConstraint("our_account", "name"),)

    our_account: Mapped[str] = mapped_column(String(64), default="")
    """The bank account the layout belongs to (as finance typed it; "" for any account)."""
    name: Mapped[str] = mapped_column(String(120))
    definition: Mapped[dict[str, Any]] = mapped_column(default=dict)
    """The layout in :func:`reconcile.layouts.layout_from_dict` form."""
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    created_by: Mapped[User | None] = relationship()
