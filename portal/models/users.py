"""Users, roles, API tokens and the short-lived secrets of the sign-in flows."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Model, TimestampMixin, enum_type, one_of

if TYPE_CHECKING:
    from .customers import Customer


class Role(enum.StrEnum):
    CUSTOMER = "customer"
    FINANCE = "finance"
    SALES = "sales"
    AUDITOR = "auditor"
    ADMIN = "admin"

    @property
    def is_staff(self) -> bool:
        return self is not Role.CUSTOMER


class User(TimestampMixin, Model):
    """Someone who signs in: a customer's user (bound to one customer) or a member of staff."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "(role = 'customer' AND customer_id IS NOT NULL) "
            "OR (role != 'customer' AND customer_id IS NULL)",
            name="customer_users_belong_to_a_customer",
        ),
    )

    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_type(Role, "user_role"))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    is_customer_admin: Mapped[bool] = mapped_column(default=False)
    is_active: Mapped[bool] = mapped_column(default=True)
    language: Mapped[str | None] = mapped_column(String(2))
    phone: Mapped[str | None] = mapped_column(String(40))
    last_login_at: Mapped[dt.datetime | None]
    #: bumped on password change and logout-everywhere; part of the session so old sessions die
    session_version: Mapped[int] = mapped_column(default=1)

    customer: Mapped[Customer | None] = relationship(foreign_keys=[customer_id])

    @property
    def is_staff(self) -> bool:
        return self.role.is_staff

    # Flask-Login protocol: the session carries "<id>:<session_version>" so that bumping the
    # version (logout, password change) invalidates every session issued before.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role.value}>"


class TokenScope(enum.StrEnum):
    """What an API token may do: read, or read and write (write also needs finance or admin)."""

    READ = "read"
    WRITE = "write"


class ApiToken(TimestampMixin, Model):
    """A bearer token an ERP uses to push customers and invoices; only its hash is stored."""

    __tablename__ = "api_tokens"
    __table_args__ = (one_of("scope", ("read", "write")),)

    name: Mapped[str] = mapped_column(String(100))
    scope: Mapped[str] = mapped_column(String(10), default="read", server_default="read")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    revoked_at: Mapped[dt.datetime | None]
    last_used_at: Mapped[dt.datetime | None]

    user: Mapped[User] = relationship()


class TokenPurpose(enum.StrEnum):
    PASSWORD_RESET = "password_reset"  # noqa: S105 - a purpose name, not a secret
    INVITATION = "invitation"
    CONFIRM_CODE = "confirm_code"


class UserToken(TimestampMixin, Model):
    """A single-use secret (reset link, invitation, one-time code); only its hash is stored."""

    __tablename__ = "user_tokens"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[TokenPurpose] = mapped_column(enum_type(TokenPurpose, "token_purpose"))
    token_hash: Mapped[str] = mapped_column(String(128), index=True)
    #: what the secret is for, e.g. the statement id of a confirmation code
    subject: Mapped[str | None] = mapped_column(String(64))
    expires_at: Mapped[dt.datetime]
    used_at: Mapped[dt.datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)

    user: Mapped[User] = relationship()


class LoginAttempt(Model):
    """One sign-in attempt, kept for throttling per account and per address."""

    __tablename__ = "login_attempts"

    email: Mapped[str] = mapped_column(String(254), index=True)
    ip: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[dt.datetime] = mapped_column(index=True)
    success: Mapped[bool] = mapped_column(default=False)
