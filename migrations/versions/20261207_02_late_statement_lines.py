"""A statement line keeps the own date of a record booked after its period was issued

A record dated inside a period whose statement was already issued (a late bank file, an
invoice the ERP sends dated back, a credit note dated back, a later allocation or write-off)
counts on the first statement not yet issued. Its line's ``date`` is the day it counts on;
``value_date`` keeps the record's own date (``NULL``: the line counts on its own date).

Revision ID: k1_late_statement_lines
Revises: j1_erp_settlements
Create Date: 2026-12-07 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "k1_late_statement_lines"
down_revision: str | None = "j1_erp_settlements"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("statement_lines") as batch:
        batch.add_column(sa.Column("value_date", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("statement_lines") as batch:
        batch.drop_column("value_date")
