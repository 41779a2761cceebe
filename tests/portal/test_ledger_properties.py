"""The ledger's invariants hold after any sequence of operations (Hypothesis, real DB session).

Each example builds a customer with CNY and USD invoices and receipts inside a savepoint, runs
a random sequence of ledger operations (some of which the ledger must refuse) and checks after
every step: allocations of a receipt never exceed it, an invoice's open amount is its ERP open
amount less the records not yet booked and never negative, currencies never mix, a refused
operation changes nothing, and a reversal restores the state before the operation it undoes.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal import ledger
from portal.models import (
    RECEIPT_KINDS,
    Allocation,
    BankFile,
    BankTransaction,
    Direction,
    ErpStatus,
    Invoice,
    MatchStatus,
)
from tests.factories import make_customer

_seq = itertools.count(1)

CENTS = st.integers(min_value=1, max_value=150_00).map(lambda c: Decimal(c) / 100)
INVOICE = st.integers(min_value=0, max_value=2)  # 0, 1: CNY; 2: USD
RECEIPT = st.integers(min_value=0, max_value=2)  # 0, 1: CNY; 2: USD
PICK = st.integers(min_value=0, max_value=50)

OPS = st.one_of(
    st.tuples(st.just("apply"), RECEIPT, INVOICE, CENTS),
    st.tuples(st.just("write_off"), INVOICE, st.sampled_from(["fee", "difference"]), CENTS),
    st.tuples(st.just("on_account"), RECEIPT, CENTS),
    st.tuples(st.just("credit"), INVOICE, CENTS),
    st.tuples(st.just("reverse"), PICK),
    st.tuples(st.just("book"), PICK),
    st.tuples(st.just("erp_open"), INVOICE, st.integers(min_value=0, max_value=100)),
    st.tuples(st.just("undo"), RECEIPT, INVOICE, CENTS),
)


def _world(session: Session) -> tuple[list[Invoice], list[BankTransaction]]:
    n = next(_seq)
    customer = make_customer(session, code=f"LP{n}")
    invoices = []
    for i, (currency, amount) in enumerate((("CNY", "120.00"), ("CNY", "80.50"), ("USD", "60.00"))):
        inv = Invoice(
            number=f"LP{n}-{i}",
            customer_id=customer.id,
            issue_date=dt.date(2026, 10, 1),
            due_date=dt.date(2026, 10, 31),
            currency=currency,
            amount=Decimal(amount),
            open_amount=Decimal(amount),
        )
        session.add(inv)
        invoices.append(inv)
    bank_file = BankFile(sha256=f"{n:064d}", original_name="p.csv", size=1, content=b"x")
    session.add(bank_file)
    session.flush()
    receipts = []
    for i, (currency, amount) in enumerate((("CNY", "100.00"), ("CNY", "50.00"), ("USD", "70.00"))):
        txn = BankTransaction(
            file_id=bank_file.id,
            voucher_number=f"RV-LP{n}-{i}",
            bank_ref=f"LP{n}-{i}",
            booking_date=dt.date(2026, 11, 2),
            amount=Decimal(amount),
            direction=Direction.CREDIT,
            currency=currency,
            match_status=MatchStatus.UNMATCHED,
            unapplied_amount=Decimal(amount),
        )
        session.add(txn)
        receipts.append(txn)
    session.flush()
    return invoices, receipts


def _snapshot(
    invoices: list[Invoice], receipts: list[BankTransaction]
) -> tuple[tuple[Any, ...], ...]:
    return tuple((i.open_amount, i.status, i.erp_open_amount) for i in invoices) + tuple(
        (r.unapplied_amount,) for r in receipts
    )


def _check_invariants(
    session: Session, invoices: list[Invoice], receipts: list[BankTransaction]
) -> None:
    session.flush()
    for receipt in receipts:
        used = session.scalar(
            select(func.coalesce(func.sum(Allocation.amount), 0)).where(
                Allocation.transaction_id == receipt.id,
                Allocation.kind.in_(RECEIPT_KINDS),
                Allocation.reversed_by_id.is_(None),
            )
        )
        assert Decimal(used) <= receipt.amount
        assert receipt.unapplied_amount == receipt.amount - Decimal(used)
        assert receipt.unapplied_amount >= 0
    for invoice in invoices:
        pending = session.scalar(
            select(func.coalesce(func.sum(Allocation.amount), 0)).where(
                Allocation.invoice_id == invoice.id, Allocation.erp_status != ErpStatus.BOOKED
            )
        )
        expected = max(invoice.erp_open_amount - Decimal(pending), Decimal(0))
        assert invoice.open_amount == min(expected, invoice.amount)
        assert 0 <= invoice.open_amount <= invoice.amount
    for entry in session.scalars(select(Allocation)):
        if entry.invoice is not None:
            assert entry.currency == entry.invoice.currency
        if entry.transaction is not None:
            assert entry.currency == entry.transaction.currency


def _run(
    session: Session,
    op: tuple[Any, ...],
    invoices: list[Invoice],
    receipts: list[BankTransaction],
    entries: list[Allocation],
) -> Allocation | None:
    kind = op[0]
    if kind == "apply":
        _, r, i, amount = op
        return ledger.apply(session, receipts[r], invoices[i], amount, actor="prop")
    if kind == "write_off":
        _, i, which, amount = op
        return ledger.write_off(session, invoices[i], amount, kind=which, actor="prop")
    if kind == "on_account":
        _, r, amount = op
        customer = invoices[0].customer
        return ledger.on_account(session, receipts[r], customer, amount, actor="prop")
    if kind == "credit":
        _, i, amount = op
        ledger.credit_note(session, invoices[i], amount, "goods damaged", actor="prop")
        return None
    if kind == "reverse":
        live = [e for e in entries if e.reversed_by_id is None and e.kind.value != "reversal"]
        if live:
            return ledger.reverse(session, live[op[1] % len(live)], "property test", actor="prop")
        return None
    if kind == "book":
        open_entries = [e for e in entries if e.erp_status is not ErpStatus.BOOKED]
        if open_entries:
            ledger.mark_booked(session, [open_entries[op[1] % len(open_entries)]], actor="erp")
        return None
    if kind == "erp_open":
        _, i, percent = op
        invoice = invoices[i]
        value = (invoice.amount * percent / 100).quantize(Decimal("0.01"))
        ledger.set_erp_open(session, invoice, value)
        return None
    raise AssertionError(kind)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(OPS, min_size=1, max_size=8))
def test_invariants_hold_after_any_sequence(session: Session, ops: list[tuple[Any, ...]]) -> None:
    savepoint = session.begin_nested()
    try:
        invoices, receipts = _world(session)
        _check_invariants(session, invoices, receipts)
        for op in ops:
            before = _snapshot(invoices, receipts)
            entries = list(
                session.scalars(
                    select(Allocation)
                    .where(Allocation.customer_id == invoices[0].customer_id)
                    .order_by(Allocation.id)
                )
            )
            if op[0] == "undo":
                # a payment followed by its reversal leaves everything as it was
                try:
                    entry = ledger.apply(
                        session, receipts[op[1]], invoices[op[2]], op[3], actor="prop"
                    )
                except ledger.LedgerError:
                    assert _snapshot(invoices, receipts) == before
                    continue
                ledger.reverse(session, entry, "undo", actor="prop")
                assert _snapshot(invoices, receipts) == before
                _check_invariants(session, invoices, receipts)
                continue
            try:
                _run(session, op, invoices, receipts, entries)
            except ledger.CurrencyMismatch:
                assert op[0] == "apply" and receipts[op[1]].currency != invoices[op[2]].currency
                assert _snapshot(invoices, receipts) == before
            except ledger.LedgerError:
                # refused: nothing changed
                assert _snapshot(invoices, receipts) == before
            else:
                if op[0] == "apply":
                    assert receipts[op[1]].currency == invoices[op[2]].currency
            _check_invariants(session, invoices, receipts)
    finally:
        savepoint.rollback()
