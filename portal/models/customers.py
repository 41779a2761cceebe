"""Customers, their bank accounts and the payer identities learned from confirmed matches."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..i18n import LANGUAGES
from .base import Model, TimestampMixin, one_of, utcnow

if TYPE_CHECKING:
    from .invoices import Invoice
    from .users import User

#: the customer a contact, note or bank account belongs to; deleted with the customer
CustomerPart = Annotated[
    int, mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
]


class Customer(TimestampMixin, Model):
    """A customer company, as the ERP knows it (the ERP stays the system of record)."""

    __tablename__ = "customers"
    __table_args__ = (
        CheckConstraint(
            "credit_limit IS NULL OR credit_limit >= 0", name="credit_limit_not_negative"
        ),
        one_of("language", LANGUAGES),
    )

    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    aliases: Mapped[list[str]] = mapped_column(default=list)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    credit_limit: Mapped[Decimal | None]
    language: Mapped[str] = mapped_column(String(2), default="zh")
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    account_manager_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", use_alter=True))
    on_hold: Mapped[bool] = mapped_column(default=False)
    #: why the customer is on hold (history in the audit log)
    hold_reason: Mapped[str | None] = mapped_column(String(500))
    #: dimensions of reports and of follow-up ownership (from the ERP's master data)
    region: Mapped[str | None] = mapped_column(String(80), index=True)
    segment: Mapped[str | None] = mapped_column(String(80), index=True)
    payment_terms_days: Mapped[int | None]
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    bank_accounts: Mapped[list[CustomerBankAccount]] = relationship(
        back_populates="customer", cascade="all, delete-orphan", order_by="CustomerBankAccount.id"
    )
    invoices: Mapped[list[Invoice]] = relationship(back_populates="customer")
    account_manager: Mapped[User | None] = relationship(foreign_keys=[account_manager_id])
    contacts: Mapped[list[CustomerContact]] = relationship(
        back_populates="customer", cascade="all, delete-orphan", order_by="CustomerContact.id"
    )

    def __repr__(self) -> str:
        return f"<Customer {self.code} {self.name}>"


class CustomerContact(TimestampMixin, Model):
    """A person at a customer: who receives statements and reminders, and in which language."""

    __tablename__ = "customer_contacts"
    __table_args__ = (
        UniqueConstraint("customer_id", "email"),
        one_of("language", LANGUAGES),
    )

    customer_id: Mapped[CustomerPart]
    name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str | None] = mapped_column(String(254))
    mobile: Mapped[str | None] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(2), default="zh")
    #: billing contacts get statements, reminders and invitations
    is_billing: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    customer: Mapped[Customer] = relationship(back_populates="contacts")

    def __repr__(self) -> str:
        return f"<CustomerContact {self.name} {self.email}>"


class CustomerNote(TimestampMixin, Model):
    """A note on a customer's page by a member of staff; ``@email`` mentions notify colleagues.

    Notes are the shared record of sales, finance and customer service (sales feeding back,
    customer service explaining a line); they are appended, never edited.
    """

    __tablename__ = "customer_notes"
    __table_args__ = (CheckConstraint("length(body) > 0", name="body_not_empty"),)

    customer_id: Mapped[CustomerPart]
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)

    author: Mapped[User | None] = relationship()
    customer: Mapped[Customer] = relationship()
    #: the colleagues the note mentioned (and notified), in the order they were mentioned
    mentions: Mapped[list[CustomerNoteMention]] = relationship(
        back_populates="note", order_by="CustomerNoteMention.id"
    )

    @property
    def mentioned(self) -> list[int]:
        """Ids of the colleagues the note mentioned."""
        return [m.user_id for m in self.mentions]


class CustomerNoteMention(Model):
    """A colleague mentioned in a note: what their in-app list of mentions shows, read or not."""

    __tablename__ = "customer_note_mentions"
    __table_args__ = (
        UniqueConstraint("note_id", "user_id"),
        Index("ix_customer_note_mentions_user_read", "user_id", "read_at"),
    )

    note_id: Mapped[int] = mapped_column(
        ForeignKey("customer_notes.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    #: when the colleague opened the customer's page or marked it read; None: unread
    read_at: Mapped[dt.datetime | None]

    note: Mapped[CustomerNote] = relationship(back_populates="mentions")
    user: Mapped[User] = relationship()


class CustomerBankAccount(TimestampMixin, Model):
    """A bank account a customer pays from (from the ERP export, or learned from matches)."""

    __tablename__ = "customer_bank_accounts"
    __table_args__ = (
        UniqueConstraint("customer_id", "account_number"),
        one_of("source", ("erp", "learned")),
    )

    customer_id: Mapped[CustomerPart]
    account_number: Mapped[str] = mapped_column(String(64), index=True)
    bank_name: Mapped[str | None] = mapped_column(String(200))
    holder_name: Mapped[str | None] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(16), default="erp")

    customer: Mapped[Customer] = relationship(back_populates="bank_accounts")


class LearnedPayer(TimestampMixin, Model):
    """A payer name (and account) that finance confirmed as paying for a customer."""

    __tablename__ = "learned_payers"
    __table_args__ = (UniqueConstraint("customer_id", "payer_name", "payer_account"),)

    customer_id: Mapped[CustomerPart]
    payer_name: Mapped[str] = mapped_column(String(200), default="")
    payer_account: Mapped[str] = mapped_column(String(64), default="")
    learned_from_transaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("bank_transactions.id")
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
