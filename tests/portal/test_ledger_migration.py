"""The ledger migration keeps existing allocations, reversals and credit notes meaningful."""

from __future__ import annotations

from decimal import Decimal

from alembic import command
from sqlalchemy import Engine, text

from tests.conftest import alembic_config
from tests.portal.test_migrations import _upgrade, empty_engine  # noqa: F401  (fixture)

NOW = "2026-11-20 08:00:00"

ROWS = [
    "INSERT INTO customers (id, code, name, aliases, currency, language, on_hold, updated_at, "
    "created_at) VALUES (1, 'M1', 'Mig Co', '[]', 'CNY', 'zh', false, :now, :now)",
    "INSERT INTO users (id, email, name, role, is_customer_admin, is_active, session_version, "
    "created_at) VALUES (1, 'fin@x.test', 'Fin', 'finance', false, true, 1, :now)",
    "INSERT INTO invoices (id, number, customer_id, issue_date, due_date, currency, amount, "
    "open_amount, status, updated_at, created_at) VALUES "
    "(1, 'INV-M1', 1, '2026-10-01', '2026-10-31', 'CNY', 1000, 0, 'paid', :now, :now), "
    "(2, 'INV-M2', 1, '2026-10-01', '2026-10-31', 'CNY', 500, 500, 'open', :now, :now), "
    "(3, 'INV-M3', 1, '2026-10-01', '2026-10-31', 'CNY', 300, 100, 'partially_paid', :now, :now)",
    "INSERT INTO bank_files (id, sha256, original_name, size, content, uploaded_at, status, "
    "transaction_count, created_at) VALUES (1, 'ab', 'f.csv', 1, 'x', :now, 'done', 3, :now)",
    "INSERT INTO bank_transactions (id, file_id, voucher_number, our_account, bank_ref, "
    "booking_date, amount, direction, currency, source, raw, warnings, match_status, reasons, "
    "suggestions, unapplied_amount, version, customer_id, created_at) VALUES "
    "(1, 1, 'RV-1', 'A', 'R1', '2026-11-02', 970, 'credit', 'CNY', '', '{}', '[]', 'matched', "
    "'[]', '[]', 0, 1, 1, :now), "
    "(2, 1, 'RV-2', 'A', 'R2', '2026-11-03', 500, 'credit', 'CNY', '', '{}', '[]', "
    "'unmatched', '[]', '[]', 500, 3, NULL, :now), "
    "(3, 1, 'RV-3', 'A', 'R3', '2026-11-04', 800, 'credit', 'CNY', '', '{}', '[]', 'advance', "
    "'[]', '[]', 0, 1, 1, :now)",
    # a payment with a bank charge; a payment reversed; an advance (its customer on the receipt)
    "INSERT INTO allocations (id, transaction_id, invoice_id, customer_id, kind, amount, method, "
    "explanation, reason, created_by_id, reverses_id, reversed_by_id, created_at) VALUES "
    "(1, 1, 1, 1, 'invoice', 970, 'auto', '[]', NULL, NULL, NULL, NULL, :now), "
    "(2, 1, 1, 1, 'write_off', 30, 'auto', '[]', 'bank charge', NULL, NULL, NULL, :now), "
    "(3, 2, 2, 1, 'invoice', 500, 'manual', '[]', NULL, 1, NULL, NULL, :now), "
    "(4, 2, 2, 1, 'invoice', 500, 'manual', '[]', 'wrong', 1, 3, NULL, :now), "
    "(5, 3, NULL, NULL, 'advance', 800, 'manual', '[]', 'advance payment', 1, NULL, NULL, :now)",
    "UPDATE allocations SET reversed_by_id = 4 WHERE id = 3",
    # an accepted dispute's credit note that lowered INV-M3 by 200
    "INSERT INTO credit_notes (id, number, customer_id, invoice_id, issue_date, currency, "
    "amount, reason, created_by_id, created_at) VALUES "
    "(1, 'CN-2026-000001', 1, 3, '2026-11-05', 'CNY', 200, 'price', 1, :now)",
]


def test_existing_records_become_ledger_records(empty_engine: Engine) -> None:  # noqa: F811
    _upgrade(empty_engine, "0003")
    with empty_engine.begin() as conn:
        for statement in ROWS:
            conn.execute(text(statement), {"now": NOW})
        if conn.dialect.name == "postgresql":
            # rows were inserted with their ids: move the sequence on, as real inserts do
            conn.execute(text("SELECT setval('allocations_id_seq', 5)"))
    with empty_engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            # as migrations/env.py does for `alembic upgrade`: SQLite's batch mode copies tables
            conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
        with conn.begin():
            command.upgrade(alembic_config(conn), "head")
    with empty_engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT id, kind, amount, currency, customer_id, actor_label, erp_status, "
                "credit_note_id FROM allocations ORDER BY id"
            )
        ).all()
        invoices = conn.execute(
            text("SELECT number, open_amount, erp_open_amount FROM invoices ORDER BY id")
        ).all()
    assert [(r.id, r.kind, Decimal(r.amount)) for r in rows] == [
        (1, "payment", Decimal("970.00")),
        (2, "fee_writeoff", Decimal("30.00")),
        (3, "payment", Decimal("500.00")),
        (4, "reversal", Decimal("-500.00")),
        (5, "on_account", Decimal("800.00")),
        (6, "credit_note", Decimal("200.00")),
    ]
    assert {(r.currency, r.customer_id, r.erp_status) for r in rows} == {("CNY", 1, "pending")}
    assert [r.actor_label for r in rows] == [
        "auto-match",
        "auto-match",
        "fin@x.test",
        "fin@x.test",
        "fin@x.test",
        "fin@x.test",
    ]
    assert rows[5].credit_note_id == 1
    # what the ERP last said: the open amount plus what Concord's pending records took off
    assert [(n, Decimal(o), Decimal(e)) for n, o, e in invoices] == [
        ("INV-M1", Decimal("0.00"), Decimal("1000.00")),
        ("INV-M2", Decimal("500.00"), Decimal("500.00")),
        ("INV-M3", Decimal("100.00"), Decimal("300.00")),
    ]
