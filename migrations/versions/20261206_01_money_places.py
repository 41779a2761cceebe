"""Amounts keep their currency's decimals: thousandths for the dinars (KWD, BHD, JOD, OMR, TND)

Every money column was ``NUMERIC(18, 2)``: a Kuwaiti dinar credit of 1.234 was stored as 1.23.
They become ``NUMERIC(20, 4)``: the same 16 digits before the point, up to 4 after. Widening
keeps every stored value; narrowing back refuses when an amount has more than two decimals.

Revision ID: i1_money_places
Revises: h5_file_problems
Create Date: 2026-12-06 05:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "i1_money_places"
down_revision: str | None = "h5_file_problems"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CENTS = sa.Numeric(precision=18, scale=2)
FINER = sa.Numeric(precision=20, scale=4)

#: every money column, by table (the models' ``Mapped[Decimal]`` columns)
MONEY_COLUMNS: dict[str, tuple[str, ...]] = {
    "customers": ("credit_limit",),
    "contracts": ("total",),
    "invoices": ("amount", "open_amount", "erp_open_amount"),
    "collection_cases": ("overdue_amount",),
    "contract_schedule_lines": ("amount",),
    "credit_limit_requests": ("amount",),
    "credit_notes": ("amount",),
    "statements": (
        "opening_balance",
        "total_charges",
        "total_payments",
        "total_credits",
        "closing_balance",
        "disputed_amount",
    ),
    "bank_transactions": ("amount", "unapplied_amount"),
    "collection_actions": ("amount",),
    "payment_promises": ("amount", "baseline_open"),
    "allocations": ("amount",),
    "payment_promise_instalments": ("amount",),
    "statement_lines": ("debit", "credit", "balance"),
    "disputes": ("amount",),
}
NULLABLE = {("customers", "credit_limit")}


def _retype(old: sa.Numeric, new: sa.Numeric) -> None:
    for table, columns in MONEY_COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.alter_column(
                    column,
                    existing_type=old,
                    type_=new,
                    existing_nullable=(table, column) in NULLABLE,
                )


def upgrade() -> None:
    _retype(CENTS, FINER)


def _finer_amounts() -> list[str]:
    bind = op.get_bind()
    found = []
    for table, columns in MONEY_COLUMNS.items():
        for column in columns:
            amount = sa.column(column)
            query = sa.select(sa.func.count()).select_from(sa.table(table, amount))
            count = bind.execute(query.where(sa.func.round(amount, 2) != amount)).scalar()
            if count:
                found.append(f"{table}.{column} ({count})")
    return found


def downgrade() -> None:
    finer = _finer_amounts()
    if finer:
        raise RuntimeError(
            "cannot go back to two-decimal money columns: these hold amounts with more "
            "decimals, which would be rounded: " + ", ".join(finer)
        )
    _retype(FINER, CENTS)
