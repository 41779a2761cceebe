"""Bank files keep their parse problems as codes with parameters, for readers in any language

Revision ID: h5_file_problems
Revises: h13_loop
Create Date: 2026-12-05 07:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "h5_file_problems"
down_revision: str | None = "h13_loop"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("bank_files") as batch:
        batch.add_column(sa.Column("problems", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("bank_files") as batch:
        batch.drop_column("problems")
