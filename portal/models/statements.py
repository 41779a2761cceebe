"""Issued statements of account, their lines and the evidence of each signature."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from reconcile.currency import amount_text

from .base import Model, StatusEnum, StatusMachine, TimestampMixin, one_of, status_column

if TYPE_CHECKING:
    from .customers import Customer
    from .users import User


class StatementStatus(StatusEnum, entity="statement"):
    ISSUED = "issued", "confirmed", "disputed", "superseded"
    CONFIRMED = "confirmed"
    DISPUTED = "disputed", "superseded"
    SUPERSEDED = "superseded"


@dataclass(frozen=True)
class CurrencyBalance:
    """The totals of one currency section of a statement (never summed across currencies)."""

    currency: str
    opening_balance: Decimal
    total_charges: Decimal
    total_payments: Decimal
    total_credits: Decimal
    closing_balance: Decimal
    disputed_amount: Decimal

    @property
    def label(self) -> str:
        """``6,000.00 CNY`` (``6,000 JPY``): the closing balance with its currency's decimals."""
        return f"{amount_text(self.closing_balance, self.currency, grouped=True)} {self.currency}"

    def as_json(self) -> dict[str, str]:
        return {
            "currency": self.currency,
            "opening_balance": str(self.opening_balance),
            "total_charges": str(self.total_charges),
            "total_payments": str(self.total_payments),
            "total_credits": str(self.total_credits),
            "closing_balance": str(self.closing_balance),
            "disputed_amount": str(self.disputed_amount),
        }


@dataclass(frozen=True)
class OpenItemRow:
    """An invoice still (partly) open at the end of a statement's period, as issued."""

    document: str
    date: dt.date
    due_date: dt.date
    amount: Decimal
    open_amount: Decimal
    days_overdue: int
    disputed_amount: Decimal

    def as_json(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "date": self.date.isoformat(),
            "due_date": self.due_date.isoformat(),
            "amount": str(self.amount),
            "open_amount": str(self.open_amount),
            "days_overdue": self.days_overdue,
            "disputed_amount": str(self.disputed_amount),
        }

    @classmethod
    def from_json(cls, row: dict[str, Any]) -> OpenItemRow:
        return cls(
            document=str(row["document"]),
            date=dt.date.fromisoformat(str(row["date"])),
            due_date=dt.date.fromisoformat(str(row["due_date"])),
            amount=Decimal(str(row["amount"])),
            open_amount=Decimal(str(row["open_amount"])),
            days_overdue=int(row["days_overdue"]),
            disputed_amount=Decimal(str(row["disputed_amount"])),
        )


class Statement(TimestampMixin, StatusMachine[StatementStatus], Model):
    """A statement of account for one customer and period, frozen once issued."""

    __tablename__ = "statements"
    __table_args__ = (
        UniqueConstraint("customer_id", "period_start", "period_end", "version"),
        CheckConstraint("period_end >= period_start", name="period_ordered"),
        CheckConstraint("disputed_amount >= 0", name="disputed_not_negative"),
    )

    number: Mapped[str] = mapped_column(String(40), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    period_start: Mapped[dt.date]
    period_end: Mapped[dt.date]
    version: Mapped[int] = mapped_column(default=1)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("statements.id"))
    currency: Mapped[str] = mapped_column(String(3))
    language: Mapped[str] = mapped_column(String(2), default="zh")
    opening_balance: Mapped[Decimal]
    total_charges: Mapped[Decimal]
    total_payments: Mapped[Decimal]
    total_credits: Mapped[Decimal]
    closing_balance: Mapped[Decimal]
    disputed_amount: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    #: one entry per currency section (see :class:`CurrencyBalance`), the main one first; the
    #: columns above hold the main section. ``None`` on statements issued before sections.
    currency_sections: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    status: Mapped[StatementStatus] = status_column("statement_status", StatementStatus.ISSUED)
    issued_at: Mapped[dt.datetime]
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    respond_by: Mapped[dt.date | None]
    #: the certified PDF as issued, never changed
    issued_pdf: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    issued_sha256: Mapped[str] = mapped_column(String(64))
    #: the PDF with the customer's approval signature added (incremental update)
    signed_pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    signed_sha256: Mapped[str | None] = mapped_column(String(64))
    confirmed_at: Mapped[dt.datetime | None]
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: when a user of the customer first opened the statement (page or PDF), and who
    viewed_at: Mapped[dt.datetime | None]
    viewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    customer: Mapped[Customer] = relationship()
    lines: Mapped[list[StatementLine]] = relationship(
        back_populates="statement", order_by="StatementLine.line_no", cascade="all, delete-orphan"
    )
    confirmed_by: Mapped[User | None] = relationship(foreign_keys=[confirmed_by_id])
    viewed_by: Mapped[User | None] = relationship(foreign_keys=[viewed_by_id])
    supersedes: Mapped[Statement | None] = relationship(remote_side="Statement.id")

    @property
    def balances(self) -> list[CurrencyBalance]:
        """The totals of each currency section, the main one (the columns) first."""
        if not self.currency_sections:
            return [
                CurrencyBalance(
                    currency=self.currency,
                    opening_balance=self.opening_balance,
                    total_charges=self.total_charges,
                    total_payments=self.total_payments,
                    total_credits=self.total_credits,
                    closing_balance=self.closing_balance,
                    disputed_amount=self.disputed_amount,
                )
            ]
        return [
            CurrencyBalance(
                currency=str(row["currency"]),
                **{
                    key: Decimal(str(row[key]))
                    for key in (
                        "opening_balance",
                        "total_charges",
                        "total_payments",
                        "total_credits",
                        "closing_balance",
                        "disputed_amount",
                    )
                },
            )
            for row in self.currency_sections
        ]

    def stored_open_items(self) -> dict[str, list[OpenItemRow]] | None:
        """Each currency's open items at period end as issued (``None``: not kept at issue).

        Statements issued before the open items were kept with them have none stored.
        """
        sections = self.currency_sections or []
        if not sections or any("open_items" not in row for row in sections):
            return None
        return {
            str(row["currency"]): [OpenItemRow.from_json(item) for item in row["open_items"]]
            for row in sections
        }

    @property
    def is_multi_currency(self) -> bool:
        return len(self.balances) > 1

    def lines_in(self, currency: str) -> list[StatementLine]:
        """The lines of one currency section."""
        return [line for line in self.lines if line.line_currency == currency]


#: what a statement line can be (``statements.model.EntryKind``)
LINE_KINDS = (
    "invoice",
    "credit_note",
    "payment",
    "allocation",
    "write_off",
    "adjustment",
    "erp_settlement",
    "erp_reopened",
    "unallocation",
)


class StatementLine(Model):
    """One row of a statement: an invoice, credit note, payment or allocation."""

    __tablename__ = "statement_lines"
    __table_args__ = (
        UniqueConstraint("statement_id", "line_no"),
        CheckConstraint("debit >= 0 AND credit >= 0", name="amounts_not_negative"),
        one_of("kind", LINE_KINDS),
    )

    statement_id: Mapped[int] = mapped_column(
        ForeignKey("statements.id", ondelete="CASCADE"), index=True
    )
    line_no: Mapped[int]
    #: the day the line counts on (inside the statement's period)
    date: Mapped[dt.date]
    #: the record's own date when it was booked after the statement covering that date had
    #: been issued (it then counts on ``date``, in the first period not yet issued)
    value_date: Mapped[dt.date | None]
    kind: Mapped[str] = mapped_column(String(16))
    document: Mapped[str] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(String(500), default="")
    due_date: Mapped[dt.date | None]
    debit: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    credit: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    balance: Mapped[Decimal]
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"))
    credit_note_id: Mapped[int | None] = mapped_column(ForeignKey("credit_notes.id"))
    transaction_id: Mapped[int | None] = mapped_column(ForeignKey("bank_transactions.id"))
    #: the line's currency section; ``None`` on lines issued before sections (the statement's)
    currency: Mapped[str | None] = mapped_column(String(3))

    statement: Mapped[Statement] = relationship(back_populates="lines")

    @property
    def line_currency(self) -> str:
        """The currency of the line's amounts."""
        return self.currency or self.statement.currency

    @property
    def amount(self) -> Decimal:
        return self.debit if self.debit else self.credit

    @property
    def own_date(self) -> dt.date:
        """The date shown: the record's own date, also when it was booked late."""
        return self.value_date or self.date


class SignatureEvidence(TimestampMixin, Model):
    """What was signed, by whom, when and how: kept beside each PDF signature."""

    __tablename__ = "signature_evidence"
    __table_args__ = (one_of("kind", ("certification", "approval")),)

    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    signer_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    signer_name: Mapped[str] = mapped_column(String(200))
    signer_email: Mapped[str | None] = mapped_column(String(254))
    signer_company: Mapped[str] = mapped_column(String(200))
    certificate_subject: Mapped[str] = mapped_column(String(500), default="")
    signed_at: Mapped[dt.datetime]
    ip_address: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(500))
    auth_method: Mapped[str | None] = mapped_column(String(200))
    consent_text: Mapped[str | None] = mapped_column(Text)
    statement_version: Mapped[int]
    hash_before: Mapped[str] = mapped_column(String(64))
    hash_after: Mapped[str] = mapped_column(String(64))


class StatementNotice(TimestampMixin, Model):
    """A message telling the customer's billing contacts about a statement.

    ``seq`` 0 announces the statement (``issued``, or ``reissued`` for a corrected version);
    reminders count 1, 2... Unique per statement and ``seq``: each is sent once, whatever how
    often the scheduler runs.
    """

    __tablename__ = "statement_notices"
    __table_args__ = (
        UniqueConstraint("statement_id", "seq"),
        one_of("kind", ("issued", "reissued", "reminder")),
        CheckConstraint("seq >= 0", name="seq_not_negative"),
        CheckConstraint("emails >= 0 AND sms >= 0", name="counts_not_negative"),
    )

    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    seq: Mapped[int]
    sent_on: Mapped[dt.date]
    emails: Mapped[int] = mapped_column(default=0)
    sms: Mapped[int] = mapped_column(default=0)
    #: the addresses and numbers written to the outbox
    recipients: Mapped[list[Any]] = mapped_column(JSON, default=list)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
