"""What the ERP settled by itself on an invoice, dated, for statements (``erp_settlements``)

Existing invoices get one row with what the ERP has settled on them by now (amount less the
ERP's open amount less Concord's records the ERP booked), dated the day (in ``TIMEZONE``) the
invoice was created in Concord, but never inside a period a statement was already issued for:
then the day after it, so the next statement opens at the issued closing balance and shows the
settlement as a line. Statement lines may be of the two new kinds.

Revision ID: j1_erp_settlements
Revises: i1_money_places
Create Date: 2026-12-07 00:00:00
"""

import datetime as dt
import os
from collections.abc import Sequence
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

import portal.models.base

revision: str = "j1_erp_settlements"
down_revision: str | None = "i1_money_places"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MONEY = sa.Numeric(precision=20, scale=4)
OLD_KINDS = ("invoice", "credit_note", "payment", "allocation", "write_off", "adjustment")
NEW_KINDS = (*OLD_KINDS, "erp_settlement", "erp_reopened")


def _kinds_check(kinds: tuple[str, ...]) -> None:
    listed = ", ".join(f"'{kind}'" for kind in kinds)
    with op.batch_alter_table("statement_lines") as batch:
        batch.drop_constraint(batch.f("ck_statement_lines_kind_known"), type_="check")
        batch.create_check_constraint(
            batch.f("ck_statement_lines_kind_known"), f"kind IN ({listed})"
        )


def _zone() -> ZoneInfo:
    """The company's time zone: the app's when migrating from it, else the environment's."""
    try:
        from flask import current_app

        return ZoneInfo(current_app.config["TIMEZONE"])
    except (RuntimeError, KeyError):
        from portal.config import DEFAULTS

        return ZoneInfo(os.environ.get("CONCORD_TIMEZONE") or str(DEFAULTS["TIMEZONE"]))


def _backfill() -> None:
    bind = op.get_bind()
    invoices = sa.table(
        "invoices",
        sa.column("id", sa.Integer()),
        sa.column("customer_id", sa.Integer()),
        sa.column("currency", sa.String()),
        sa.column("amount", MONEY),
        sa.column("erp_open_amount", MONEY),
        sa.column("created_at", portal.models.base.UTCDateTime(timezone=True)),
    )
    allocations = sa.table(
        "allocations",
        sa.column("invoice_id", sa.Integer()),
        sa.column("amount", MONEY),
        sa.column("erp_status", sa.String()),
    )
    booked = dict(
        bind.execute(
            sa.select(allocations.c.invoice_id, sa.func.sum(allocations.c.amount))
            .where(allocations.c.invoice_id.is_not(None), allocations.c.erp_status == "booked")
            .group_by(allocations.c.invoice_id)
        ).all()
    )
    statements = sa.table(
        "statements", sa.column("customer_id", sa.Integer()), sa.column("period_end", sa.Date())
    )
    first_open = {
        customer_id: period_end + dt.timedelta(days=1)
        for customer_id, period_end in bind.execute(
            sa.select(statements.c.customer_id, sa.func.max(statements.c.period_end)).group_by(
                statements.c.customer_id
            )
        )
    }
    zone = _zone()
    now = dt.datetime.now(dt.UTC)
    rows: list[dict[str, Any]] = []
    for row in bind.execute(sa.select(invoices).order_by(invoices.c.id)):
        settled = Decimal(row.amount) - Decimal(row.erp_open_amount)
        settled -= Decimal(booked.get(row.id) or 0)
        if settled == 0:
            continue
        created = row.created_at
        if created.tzinfo is None:
            created = created.replace(tzinfo=dt.UTC)
        day = created.astimezone(zone).date()
        rows.append(
            {
                "invoice_id": row.id,
                "customer_id": row.customer_id,
                "currency": row.currency,
                "amount": settled,
                "day": max(day, first_open.get(row.customer_id, day)),
                "source": "migration",
                "created_at": now,
            }
        )
    if rows:
        table = sa.table(
            "erp_settlements",
            sa.column("invoice_id", sa.Integer()),
            sa.column("customer_id", sa.Integer()),
            sa.column("currency", sa.String()),
            sa.column("amount", MONEY),
            sa.column("day", sa.Date()),
            sa.column("source", sa.String()),
            sa.column("created_at", portal.models.base.UTCDateTime(timezone=True)),
        )
        for start in range(0, len(rows), 2000):
            bind.execute(table.insert(), rows[start : start + 2000])


def upgrade() -> None:
    op.create_table(
        "erp_settlements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("created_at", portal.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount != 0", name=op.f("ck_erp_settlements_amount_not_zero")),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_erp_settlements_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoices.id"], name=op.f("fk_erp_settlements_invoice_id_invoices")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_erp_settlements")),
    )
    op.create_index(
        op.f("ix_erp_settlements_customer_id"), "erp_settlements", ["customer_id"], unique=False
    )
    op.create_index(
        op.f("ix_erp_settlements_invoice_id"), "erp_settlements", ["invoice_id"], unique=False
    )
    _kinds_check(NEW_KINDS)
    _backfill()


def downgrade() -> None:
    lines = (
        op.get_bind()
        .execute(
            sa.text(
                "SELECT count(*) FROM statement_lines WHERE kind IN ('erp_settlement', 'erp_reopened')"
            )
        )
        .scalar()
    )
    if lines:
        # issued statements are documents: their lines are not rewritten to fit an older schema
        raise RuntimeError(
            f"{lines} lines of issued statements show what the ERP settled: cannot downgrade"
        )
    _kinds_check(OLD_KINDS)
    op.drop_index(op.f("ix_erp_settlements_invoice_id"), table_name="erp_settlements")
    op.drop_index(op.f("ix_erp_settlements_customer_id"), table_name="erp_settlements")
    op.drop_table("erp_settlements")
