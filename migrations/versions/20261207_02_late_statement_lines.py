"""Statement lines booked late keep their own date; a payment taken off an invoice is a line

A record dated inside a period whose statement was already issued (a late bank file, an
invoice the ERP sends dated back, a credit note dated back, a later allocation or write-off)
counts on the first statement not yet issued. Its line's ``date`` is the day it counts on;
``value_date`` keeps the record's own date (``NULL``: the line counts on its own date).
A payment's application to an invoice reversed later is a line of its own (``unallocation``),
so an earlier statement keeps the allocation it listed.

Revision ID: k1_late_statement_lines
Revises: j1_erp_settlements
Create Date: 2026-12-07 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from alembic.operations import BatchOperations

revision: str = "k1_late_statement_lines"
down_revision: str | None = "j1_erp_settlements"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_KINDS = (
    "invoice",
    "credit_note",
    "payment",
    "allocation",
    "write_off",
    "adjustment",
    "erp_settlement",
    "erp_reopened",
)
NEW_KINDS = (*OLD_KINDS, "unallocation")


def _kinds_check(batch: BatchOperations, kinds: tuple[str, ...]) -> None:
    listed = ", ".join(f"'{kind}'" for kind in kinds)
    batch.drop_constraint(batch.f("ck_statement_lines_kind_known"), type_="check")
    batch.create_check_constraint(batch.f("ck_statement_lines_kind_known"), f"kind IN ({listed})")


def upgrade() -> None:
    with op.batch_alter_table("statement_lines") as batch:
        batch.add_column(sa.Column("value_date", sa.Date(), nullable=True))
        _kinds_check(batch, NEW_KINDS)


def downgrade() -> None:
    bind = op.get_bind()
    late = bind.execute(
        sa.text(
            "SELECT count(*) FROM statement_lines "
            "WHERE value_date IS NOT NULL OR kind = 'unallocation'"
        )
    ).scalar()
    if late:
        # issued statements are documents: their lines are not rewritten to fit an older schema
        raise RuntimeError(
            f"{late} lines of issued statements were booked late or take a payment off an "
            "invoice: cannot downgrade"
        )
    with op.batch_alter_table("statement_lines") as batch:
        _kinds_check(batch, OLD_KINDS)
        batch.drop_column("value_date")
