"""Security: API tokens get a scope (read or write)

Revision ID: h7_security
Revises: h4_ledger
Create Date: 2026-12-04 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "h7_security"
down_revision: str | None = "h4_ledger"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("scope", sa.String(length=10), server_default="read", nullable=False)
        )
        batch_op.create_check_constraint(
            op.f("ck_api_tokens_scope_known"), "scope IN ('read', 'write')"
        )
    # tokens issued before scopes existed keep writing if their user may write (finance, admin)
    op.execute(
        "UPDATE api_tokens SET scope = 'write' WHERE user_id IN "
        "(SELECT id FROM users WHERE role IN ('finance', 'admin'))"
    )


def downgrade() -> None:
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_api_tokens_scope_known"), type_="check")
        batch_op.drop_column("scope")
