"""audit events are append-only: the database refuses UPDATE, DELETE (and TRUNCATE)

Also adds, on PostgreSQL, the three foreign keys that close reference cycles
(``use_alter=True`` in the models). ``op.create_table`` in 0001 leaves such keys out of
CREATE TABLE, expecting a later ALTER TABLE; SQLite already has them inline.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 11:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PG_UPGRADE = [
    """
    CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END
    $$
    """,
    """
    CREATE TRIGGER audit_events_append_only
    BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()
    """,
    """
    CREATE TRIGGER audit_events_no_truncate
    BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()
    """,
]
PG_DOWNGRADE = [
    "DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events",
    "DROP TRIGGER IF EXISTS audit_events_append_only ON audit_events",
    "DROP FUNCTION IF EXISTS audit_events_append_only()",
]
SQLITE_UPGRADE = [
    """
    CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
    BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: UPDATE is not allowed'); END
    """,
    """
    CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
    BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: DELETE is not allowed'); END
    """,
]
SQLITE_DOWNGRADE = [
    "DROP TRIGGER IF EXISTS audit_events_no_delete",
    "DROP TRIGGER IF EXISTS audit_events_no_update",
]


#: (name, source table, column, referred table) of the cycle-closing foreign keys
CYCLE_FOREIGN_KEYS = [
    ("fk_customers_account_manager_id_users", "customers", "account_manager_id", "users"),
    ("fk_credit_notes_dispute_id_disputes", "credit_notes", "dispute_id", "disputes"),
    ("fk_disputes_credit_note_id_credit_notes", "disputes", "credit_note_id", "credit_notes"),
]


def _run(statements: dict[str, list[str]]) -> None:
    for statement in statements.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def upgrade() -> None:
    _run({"postgresql": PG_UPGRADE, "sqlite": SQLITE_UPGRADE})
    if op.get_bind().dialect.name == "postgresql":
        for name, table, column, referred in CYCLE_FOREIGN_KEYS:
            op.create_foreign_key(name, table, referred, [column], ["id"])


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name, table, _column, _referred in reversed(CYCLE_FOREIGN_KEYS):
            op.drop_constraint(name, table, type_="foreignkey")
    _run({"postgresql": PG_DOWNGRADE, "sqlite": SQLITE_DOWNGRADE})
