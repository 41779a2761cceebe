"""Bank layouts: column mappings finance saved for exports Concord cannot read by itself

Revision ID: h8_bankfiles
Revises: h6_collections
Create Date: 2026-12-04 18:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "h8_bankfiles"
down_revision: str | None = "h6_collections"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "bank_layouts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("our_account", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_bank_layouts_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_layouts")),
        sa.UniqueConstraint("our_account", "name", name=op.f("uq_bank_layouts_our_account_name")),
    )


def downgrade() -> None:
    op.drop_table("bank_layouts")
