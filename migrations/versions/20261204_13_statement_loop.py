"""The statement confirmation loop: when a statement was first viewed, and its notices

Revision ID: h13_loop
Revises: h9_customer360
Create Date: 2026-12-04 20:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import portal.models.base

revision: str = "h13_loop"
down_revision: str | None = "h9_customer360"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("statements") as batch:
        batch.add_column(
            sa.Column("viewed_at", portal.models.base.UTCDateTime(timezone=True), nullable=True)
        )
        batch.add_column(sa.Column("viewed_by_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_statements_viewed_by_id_users"), "users", ["viewed_by_id"], ["id"]
        )
    op.create_table(
        "statement_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("emails", sa.Integer(), nullable=False),
        sa.Column("sms", sa.Integer(), nullable=False),
        sa.Column("recipients", sa.JSON(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("created_at", portal.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('issued', 'reissued', 'reminder')",
            name=op.f("ck_statement_notices_kind_known"),
        ),
        sa.CheckConstraint("seq >= 0", name=op.f("ck_statement_notices_seq_not_negative")),
        sa.CheckConstraint(
            "emails >= 0 AND sms >= 0", name=op.f("ck_statement_notices_counts_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_statement_notices_actor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["statements.id"],
            name=op.f("fk_statement_notices_statement_id_statements"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statement_notices")),
        sa.UniqueConstraint(
            "statement_id", "seq", name=op.f("uq_statement_notices_statement_id_seq")
        ),
    )
    op.create_index(
        op.f("ix_statement_notices_statement_id"),
        "statement_notices",
        ["statement_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_statement_notices_statement_id"), table_name="statement_notices")
    op.drop_table("statement_notices")
    with op.batch_alter_table("statements") as batch:
        batch.drop_constraint(batch.f("fk_statements_viewed_by_id_users"), type_="foreignkey")
        batch.drop_column("viewed_by_id")
        batch.drop_column("viewed_at")
