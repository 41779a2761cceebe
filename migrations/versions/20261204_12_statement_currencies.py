"""Statements keep each currency apart: per-currency section totals and the line's currency

Revision ID: h12_currency
Revises: h2_jobs
Create Date: 2026-12-04 19:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "h12_currency"
down_revision: str | None = "h2_jobs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("statements") as batch:
        batch.add_column(sa.Column("currency_sections", sa.JSON(), nullable=True))
    with op.batch_alter_table("statement_lines") as batch:
        batch.add_column(sa.Column("currency", sa.String(length=3), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("statement_lines") as batch:
        batch.drop_column("currency")
    with op.batch_alter_table("statements") as batch:
        batch.drop_column("currency_sections")
