"""Customer view: notes with @mentions (read or unread); disputes of open items without a statement

Revision ID: h9_customer360
Revises: h12_currency
Create Date: 2026-12-04 19:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import portal.models.base

revision: str = "h9_customer360"
down_revision: str | None = "h12_currency"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "customer_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", portal.models.base.UTCDateTime(), nullable=False),
        sa.CheckConstraint("length(body) > 0", name=op.f("ck_customer_notes_body_not_empty")),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_customer_notes_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_customer_notes_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_notes")),
    )
    with op.batch_alter_table("customer_notes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_customer_notes_customer_id"), ["customer_id"], unique=False
        )
    op.create_table(
        "customer_note_mentions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("read_at", portal.models.base.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["note_id"],
            ["customer_notes.id"],
            name=op.f("fk_customer_note_mentions_note_id_customer_notes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_customer_note_mentions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_note_mentions")),
        sa.UniqueConstraint(
            "note_id", "user_id", name=op.f("uq_customer_note_mentions_note_id_user_id")
        ),
    )
    with op.batch_alter_table("customer_note_mentions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_customer_note_mentions_note_id"), ["note_id"], unique=False
        )
        batch_op.create_index(
            "ix_customer_note_mentions_user_read", ["user_id", "read_at"], unique=False
        )

    with op.batch_alter_table("disputes", schema=None) as batch_op:
        batch_op.alter_column("statement_id", existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column("statement_line_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_check_constraint(
            op.f("ck_disputes_line_or_open_item"),
            "(statement_line_id IS NOT NULL AND statement_id IS NOT NULL) "
            "OR (statement_line_id IS NULL AND statement_id IS NULL AND invoice_id IS NOT NULL)",
        )


def downgrade() -> None:
    # disputes of open items have no statement line: the NOT NULL below refuses them (decide or
    # delete them first), rather than this downgrade dropping customers' disputes silently
    with op.batch_alter_table("disputes", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_disputes_line_or_open_item"), type_="check")
        batch_op.alter_column("statement_line_id", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("statement_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("customer_note_mentions", schema=None) as batch_op:
        batch_op.drop_index("ix_customer_note_mentions_user_read")
        batch_op.drop_index(batch_op.f("ix_customer_note_mentions_note_id"))
    op.drop_table("customer_note_mentions")
    with op.batch_alter_table("customer_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customer_notes_customer_id"))
    op.drop_table("customer_notes")
