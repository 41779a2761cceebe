"""One ledger: allocations become the ledger's records; ERP open amount; credit limit requests

Revision ID: h4_ledger
Revises: 0003
Create Date: 2026-12-04 17:40:00

Existing allocations keep their meaning: ``invoice`` becomes ``payment``, ``write_off`` becomes
``fee_writeoff`` (when it was booked as a bank charge) or ``difference_writeoff``, ``advance``
becomes ``on_account``, and every reversal row becomes a ``reversal`` with the negative amount.
All of them are ``pending`` for the ERP (none was ever exported). An invoice's ERP open amount is
its open amount plus what those pending records took off it, i.e. what the ERP last said.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import portal.models.base

revision: str = "h4_ledger"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_KINDS = (
    "payment",
    "fee_writeoff",
    "difference_writeoff",
    "on_account",
    "credit_note",
    "reversal",
)
OLD_KINDS = ("invoice", "write_off", "advance")


def _in(values: Sequence[str]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def upgrade() -> None:
    op.create_table(
        "credit_limit_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "requested",
                "approved",
                "rejected",
                "withdrawn",
                name="limit_request_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", portal.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.String(length=500), nullable=True),
        sa.Column("created_at", portal.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_credit_limit_requests_amount_positive")),
        sa.CheckConstraint(
            "decided_by_id IS NULL OR decided_by_id != requested_by_id",
            name=op.f("ck_credit_limit_requests_four_eyes"),
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_credit_limit_requests_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_credit_limit_requests_decided_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["users.id"],
            name=op.f("fk_credit_limit_requests_requested_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_limit_requests")),
    )
    with op.batch_alter_table("credit_limit_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_credit_limit_requests_customer_id"), ["customer_id"], unique=False
        )

    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hold_reason", sa.String(length=500), nullable=True))

    # --- allocations become the ledger -------------------------------------------------------
    with op.batch_alter_table("allocations", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_allocations_amount_positive"), type_="check")
        batch_op.drop_constraint(
            op.f("ck_allocations_invoice_allocation_has_invoice"), type_="check"
        )
        batch_op.drop_constraint(op.f("ck_allocations_allocation_kind"), type_="check")
        batch_op.add_column(sa.Column("credit_note_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("currency", sa.String(length=3), nullable=True))
        batch_op.add_column(sa.Column("actor_label", sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column("erp_status", sa.String(length=32), nullable=True))
        batch_op.add_column(
            sa.Column("exported_at", portal.models.base.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("booked_at", portal.models.base.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.alter_column("transaction_id", existing_type=sa.INTEGER(), nullable=True)

    op.execute(
        "UPDATE allocations SET kind = CASE "
        "WHEN kind = 'invoice' THEN 'payment' "
        "WHEN kind = 'advance' THEN 'on_account' "
        "WHEN kind = 'write_off' AND reason = 'bank charge' THEN 'fee_writeoff' "
        "ELSE 'difference_writeoff' END"
    )
    op.execute(
        "UPDATE allocations SET kind = 'reversal', amount = -amount WHERE reverses_id IS NOT NULL"
    )
    op.execute(
        "UPDATE allocations SET currency = COALESCE("
        "(SELECT t.currency FROM bank_transactions t WHERE t.id = allocations.transaction_id), "
        "(SELECT i.currency FROM invoices i WHERE i.id = allocations.invoice_id), 'CNY')"
    )
    op.execute(
        "UPDATE allocations SET customer_id = COALESCE("
        "(SELECT i.customer_id FROM invoices i WHERE i.id = allocations.invoice_id), "
        "(SELECT t.customer_id FROM bank_transactions t WHERE t.id = allocations.transaction_id)"
        ") WHERE customer_id IS NULL"
    )
    op.execute(
        "UPDATE allocations SET actor_label = COALESCE("
        "(SELECT u.email FROM users u WHERE u.id = allocations.created_by_id), "
        "CASE WHEN method = 'auto' THEN 'auto-match' ELSE 'system' END)"
    )
    op.execute("UPDATE allocations SET erp_status = 'pending'")
    # credit notes issued so far lowered their invoice directly: they become ledger records
    op.execute(
        "INSERT INTO allocations (customer_id, invoice_id, credit_note_id, kind, amount, currency, "
        "method, explanation, reason, created_by_id, actor_label, erp_status, created_at) "
        "SELECT c.customer_id, c.invoice_id, c.id, 'credit_note', c.amount, c.currency, 'manual', "
        "'[]', c.reason, c.created_by_id, "
        "COALESCE((SELECT u.email FROM users u WHERE u.id = c.created_by_id), 'system'), "
        "'pending', c.created_at FROM credit_notes c ORDER BY c.id"
    )

    with op.batch_alter_table("allocations", schema=None) as batch_op:
        batch_op.alter_column("currency", existing_type=sa.String(length=3), nullable=False)
        batch_op.alter_column("actor_label", existing_type=sa.String(length=254), nullable=False)
        batch_op.alter_column("erp_status", existing_type=sa.String(length=32), nullable=False)
        batch_op.alter_column("customer_id", existing_type=sa.INTEGER(), nullable=False)
        batch_op.create_check_constraint(
            op.f("ck_allocations_allocation_kind"), f"kind IN ({_in(NEW_KINDS)})"
        )
        batch_op.create_check_constraint(
            op.f("ck_allocations_erp_status"), "erp_status IN ('pending', 'exported', 'booked')"
        )
        batch_op.create_check_constraint(
            op.f("ck_allocations_amount_sign"),
            "(kind = 'reversal' AND amount < 0 AND reverses_id IS NOT NULL) OR "
            "(kind != 'reversal' AND amount > 0 AND reverses_id IS NULL)",
        )
        batch_op.create_check_constraint(
            op.f("ck_allocations_invoice_entry_has_invoice"),
            "kind NOT IN ('payment', 'fee_writeoff', 'difference_writeoff') "
            "OR invoice_id IS NOT NULL",
        )
        batch_op.create_check_constraint(
            op.f("ck_allocations_receipt_entry_has_receipt"),
            "kind NOT IN ('payment', 'on_account') OR transaction_id IS NOT NULL",
        )
        batch_op.create_check_constraint(
            op.f("ck_allocations_credit_entry_has_note"),
            "kind != 'credit_note' OR credit_note_id IS NOT NULL",
        )
        batch_op.create_index(
            batch_op.f("ix_allocations_credit_note_id"), ["credit_note_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_allocations_erp_status"), ["erp_status"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_allocations_credit_note_id_credit_notes"),
            "credit_notes",
            ["credit_note_id"],
            ["id"],
        )

    # --- invoices: what the ERP last said ----------------------------------------------------
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("erp_open_amount", sa.Numeric(precision=18, scale=2), nullable=True)
        )
        batch_op.add_column(
            sa.Column("settled_in_erp", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.execute(
        "UPDATE invoices SET erp_open_amount = open_amount + COALESCE("
        "(SELECT SUM(a.amount) FROM allocations a WHERE a.invoice_id = invoices.id), 0)"
    )
    op.execute("UPDATE invoices SET erp_open_amount = amount WHERE erp_open_amount > amount")
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.alter_column(
            "erp_open_amount", existing_type=sa.Numeric(precision=18, scale=2), nullable=False
        )
        batch_op.alter_column("settled_in_erp", existing_type=sa.Boolean(), server_default=None)
        batch_op.create_check_constraint(
            op.f("ck_invoices_erp_open_amount_in_range"),
            "erp_open_amount >= 0 AND erp_open_amount <= amount",
        )


def downgrade() -> None:
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_invoices_erp_open_amount_in_range"), type_="check")
        batch_op.drop_column("settled_in_erp")
        batch_op.drop_column("erp_open_amount")

    with op.batch_alter_table("allocations", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_allocations_credit_note_id_credit_notes"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_allocations_erp_status"))
        batch_op.drop_index(batch_op.f("ix_allocations_credit_note_id"))
        for name in (
            "ck_allocations_allocation_kind",
            "ck_allocations_erp_status",
            "ck_allocations_amount_sign",
            "ck_allocations_invoice_entry_has_invoice",
            "ck_allocations_receipt_entry_has_receipt",
            "ck_allocations_credit_entry_has_note",
        ):
            batch_op.drop_constraint(op.f(name), type_="check")
        batch_op.alter_column("customer_id", existing_type=sa.INTEGER(), nullable=True)
    # credit-note records have no place in the old schema (the credit notes themselves stay)
    op.execute("DELETE FROM allocations WHERE kind = 'credit_note' AND reverses_id IS NULL")
    op.execute(
        "UPDATE allocations SET reversed_by_id = NULL WHERE reversed_by_id IN "
        "(SELECT id FROM allocations WHERE kind = 'reversal' AND transaction_id IS NULL)"
    )
    op.execute("DELETE FROM allocations WHERE transaction_id IS NULL")
    op.execute(
        "UPDATE allocations SET amount = -amount, kind = COALESCE("
        "(SELECT o.kind FROM allocations o WHERE o.id = allocations.reverses_id), 'payment') "
        "WHERE kind = 'reversal'"
    )
    op.execute(
        "UPDATE allocations SET kind = CASE "
        "WHEN kind = 'payment' THEN 'invoice' "
        "WHEN kind = 'on_account' THEN 'advance' "
        "ELSE 'write_off' END"
    )
    with op.batch_alter_table("allocations", schema=None) as batch_op:
        batch_op.alter_column("transaction_id", existing_type=sa.INTEGER(), nullable=False)
        batch_op.drop_column("booked_at")
        batch_op.drop_column("exported_at")
        batch_op.drop_column("erp_status")
        batch_op.drop_column("actor_label")
        batch_op.drop_column("currency")
        batch_op.drop_column("credit_note_id")
        batch_op.create_check_constraint(
            op.f("ck_allocations_allocation_kind"), f"kind IN ({_in(OLD_KINDS)})"
        )
        batch_op.create_check_constraint(op.f("ck_allocations_amount_positive"), "amount > 0")
        batch_op.create_check_constraint(
            op.f("ck_allocations_invoice_allocation_has_invoice"),
            "kind != 'invoice' OR invoice_id IS NOT NULL OR reverses_id IS NOT NULL",
        )

    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.drop_column("hold_reason")

    with op.batch_alter_table("credit_limit_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_credit_limit_requests_customer_id"))

    op.drop_table("credit_limit_requests")
