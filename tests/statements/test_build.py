"""Building statements: balances, activity, open items, aging; the balance identity always holds."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from statements.build import balance_at, build_statement, is_whole_month, month_period
from statements.errors import LedgerError, StatementError
from statements.labels import line_description
from statements.model import (
    AdjustmentEntry,
    AgingBucket,
    AllocationEntry,
    CreditNoteEntry,
    EntryKind,
    ErpReopenedEntry,
    ErpSettlementEntry,
    InvoiceEntry,
    LedgerEntry,
    PaymentEntry,
    WriteOffEntry,
)

from .helpers import (
    COMPANY,
    OCT_END,
    OCT_START,
    customer,
    october_ledger,
    period_statement,
    statement,
)

D = Decimal


def test_october_statement_balances_and_lines() -> None:
    data = statement(october_ledger())

    assert data.opening_balance == D("7000.00")
    assert data.total_charges == D("12345.67")
    assert data.total_payments == D("4990.00")
    assert data.total_credits == D("510.00")
    assert data.closing_balance == D("13845.67")
    assert [(line.kind, line.document) for line in data.lines] == [
        (EntryKind.INVOICE, "INV-2026-01001"),
        (EntryKind.PAYMENT, "BT-1012-07"),
        (EntryKind.ALLOCATION, "BT-1012-07"),
        (EntryKind.WRITE_OFF, "BT-1012-07"),
        (EntryKind.CREDIT_NOTE, "CN-2026-0001"),
    ]
    assert [line.balance for line in data.lines] == [
        D("19345.67"),
        D("14355.67"),
        D("14355.67"),
        D("14345.67"),
        D("13845.67"),
    ]
    allocation = data.lines[2]
    assert (allocation.debit, allocation.credit, allocation.applied) == (0, 0, D("4990.00"))
    assert allocation.reference == "INV-2026-00901"
    assert data.lines[0].due_date == dt.date(2026, 11, 4)


def test_open_items_aging_and_disputes_at_period_end() -> None:
    data = statement(october_ledger())

    items = {item.document: item for item in data.open_items}
    # INV-2026-00901 was paid (4,990.00) and the rest written off
    assert set(items) == {"INV-2026-00801", "INV-2026-01001"}
    old = items["INV-2026-00801"]
    assert (old.open_amount, old.days_overdue, old.bucket) == (
        D("2000.00"),
        42,
        AgingBucket.DAYS_31_60,
    )
    current = items["INV-2026-01001"]
    assert (current.open_amount, current.bucket) == (D("11845.67"), AgingBucket.CURRENT)
    assert current.disputed_amount == D("345.67")
    assert data.disputed_amount == D("345.67")
    assert data.aging.buckets[AgingBucket.DAYS_31_60] == D("2000.00")
    assert data.aging.buckets[AgingBucket.CURRENT] == D("11845.67")
    assert data.aging.unapplied == 0
    assert data.aging.total == data.closing_balance


@pytest.mark.parametrize(
    ("days_overdue", "bucket"),
    [
        (-5, AgingBucket.CURRENT),
        (0, AgingBucket.CURRENT),
        (1, AgingBucket.DAYS_1_30),
        (30, AgingBucket.DAYS_1_30),
        (31, AgingBucket.DAYS_31_60),
        (60, AgingBucket.DAYS_31_60),
        (61, AgingBucket.DAYS_61_90),
        (90, AgingBucket.DAYS_61_90),
        (91, AgingBucket.OVER_90),
        (400, AgingBucket.OVER_90),
    ],
)
def test_aging_bucket_boundaries(days_overdue: int, bucket: AgingBucket) -> None:
    due = OCT_END - dt.timedelta(days=days_overdue)
    entry = InvoiceEntry(
        date=min(due, OCT_END) - dt.timedelta(days=10), number="INV-1", amount=D("10"), due_date=due
    )
    (item,) = statement([entry]).open_items
    assert item.bucket is bucket
    assert item.days_overdue == max(0, days_overdue)


def test_unapplied_payment_shows_in_aging_so_it_still_adds_up() -> None:
    entries: list[LedgerEntry] = [
        InvoiceEntry(date=OCT_START, number="INV-1", amount=D("100.00"), due_date=OCT_END),
        PaymentEntry(date=OCT_START, reference="BT-1", amount=D("250.00")),
        AllocationEntry(date=OCT_START, payment="BT-1", invoice="INV-1", amount=D("100.00")),
    ]
    data = statement(entries)
    assert data.closing_balance == D("-150.00")
    assert data.open_items == ()
    assert data.aging.unapplied == D("150.00")
    assert data.aging.total == data.closing_balance


def test_a_reversed_write_off_is_a_charge_of_its_own_day_and_reopens_the_invoice() -> None:
    """The write-off keeps its line and date; taking it back later adds to the balance on the
    day it was taken back, so the earlier period's closing balance does not change."""
    entries: list[LedgerEntry] = [
        InvoiceEntry(date=OCT_START, number="INV-1", amount=D("100.00"), due_date=OCT_END),
        PaymentEntry(date=OCT_START, reference="BT-1", amount=D("90.00")),
        AllocationEntry(date=OCT_START, payment="BT-1", invoice="INV-1", amount=D("90.00")),
        WriteOffEntry(date=OCT_START, reference="BT-1", amount=D("10.00"), invoice="INV-1"),
        AdjustmentEntry(
            date=OCT_END + dt.timedelta(days=3),
            reference="BT-1",
            amount=D("10.00"),
            invoice="INV-1",
        ),
    ]
    assert statement(entries).closing_balance == D("0.00")
    november = period_statement(entries, OCT_END + dt.timedelta(days=1), dt.date(2026, 11, 30))
    assert (november.opening_balance, november.closing_balance) == (D("0.00"), D("10.00"))
    (line,) = november.lines
    assert (line.kind, line.debit, line.reference) == (EntryKind.ADJUSTMENT, D("10.00"), "INV-1")
    assert [(i.document, i.open_amount) for i in november.open_items] == [("INV-1", D("10.00"))]
    assert november.aging.total == november.closing_balance
    assert line_description(line, "en") == "Reversal of BT-1 for INV-1"
    assert line_description(line, "zh") == "冲回 BT-1（INV-1）"


def test_empty_period_carries_the_balance_forward() -> None:
    entries: list[LedgerEntry] = [
        InvoiceEntry(
            date=dt.date(2026, 6, 1),
            number="INV-OLD",
            amount=D("80.00"),
            due_date=dt.date(2026, 7, 1),
        )
    ]
    data = statement(entries)
    assert data.lines == ()
    assert data.opening_balance == data.closing_balance == D("80.00")
    assert data.open_items[0].bucket is AgingBucket.OVER_90


def test_invalid_input_is_refused() -> None:
    with pytest.raises(LedgerError):
        InvoiceEntry(date=OCT_START, number="X", amount=D("-1"), due_date=OCT_END)
    with pytest.raises(LedgerError):
        InvoiceEntry(date=OCT_END, number="X", amount=D("1"), due_date=OCT_START)
    with pytest.raises(LedgerError):
        InvoiceEntry(
            date=OCT_START, number="X", amount=D("1"), due_date=OCT_END, disputed_amount=D("2")
        )
    with pytest.raises(StatementError):
        PaymentEntry(date=OCT_START, reference="BT", amount=1.5)  # type: ignore[arg-type]
    with pytest.raises(LedgerError, match="before it starts"):
        build_statement(
            company=COMPANY,
            customer=customer(),
            entries=[],
            period_start=OCT_END,
            period_end=OCT_START,
            number="ST",
            issued_on=OCT_END,
            respond_by=OCT_END,
        )
    twice = [
        InvoiceEntry(date=OCT_START, number="INV-1", amount=D("1"), due_date=OCT_END),
        InvoiceEntry(date=OCT_START, number="INV-1", amount=D("2"), due_date=OCT_END),
    ]
    with pytest.raises(LedgerError, match="twice"):
        statement(twice)


def test_month_period() -> None:
    assert month_period("2026-10") == (OCT_START, OCT_END)
    assert month_period("2028-02") == (dt.date(2028, 2, 1), dt.date(2028, 2, 29))
    assert month_period("2026-12") == (dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    assert is_whole_month(OCT_START, OCT_END)
    assert not is_whole_month(OCT_START, dt.date(2026, 10, 15))
    for bad in ("2026-13", "October", "2026/10"):
        with pytest.raises(LedgerError):
            month_period(bad)


# -- the property: opening + charges - payments - credits = closing, for any ledger ----------

DAY0 = dt.date(2026, 7, 1)
amounts = st.decimals(min_value=D("0.01"), max_value=D("99999.99"), places=2)
days = st.integers(min_value=0, max_value=180)


@st.composite
def ledgers(draw: st.DrawFn) -> list[LedgerEntry]:
    invoice_count = draw(st.integers(min_value=0, max_value=12))
    entries: list[LedgerEntry] = []
    numbers = []
    for i in range(invoice_count):
        day = DAY0 + dt.timedelta(days=draw(days))
        numbers.append(f"INV-{i}")
        entries.append(
            InvoiceEntry(
                date=day,
                number=f"INV-{i}",
                amount=draw(amounts),
                due_date=day + dt.timedelta(days=draw(st.integers(0, 90))),
            )
        )
    invoice_ref = st.sampled_from(numbers) if numbers else st.none()
    for i in range(draw(st.integers(min_value=0, max_value=12))):
        day = DAY0 + dt.timedelta(days=draw(days))
        kind = draw(
            st.sampled_from(
                ["payment", "credit", "write_off", "allocation", "erp_settled", "erp_reopened"]
            )
        )
        amount = draw(amounts)
        if kind == "payment":
            entries.append(PaymentEntry(date=day, reference=f"BT-{i}", amount=amount))
        elif kind == "credit":
            entries.append(
                CreditNoteEntry(
                    date=day,
                    number=f"CN-{i}",
                    amount=amount,
                    invoice=draw(st.one_of(st.none(), invoice_ref)),
                )
            )
        elif kind == "write_off":
            entries.append(
                WriteOffEntry(
                    date=day, reference=f"WO-{i}", amount=amount, invoice=draw(invoice_ref)
                )
            )
        elif kind == "erp_settled" and numbers:
            entries.append(
                ErpSettlementEntry(date=day, invoice=draw(st.sampled_from(numbers)), amount=amount)
            )
        elif kind == "erp_reopened" and numbers:
            entries.append(
                ErpReopenedEntry(date=day, invoice=draw(st.sampled_from(numbers)), amount=amount)
            )
        elif numbers:
            entries.append(
                AllocationEntry(
                    date=day,
                    payment=f"BT-{i}",
                    invoice=draw(st.sampled_from(numbers)),
                    amount=amount,
                )
            )
    return entries


@settings(max_examples=150, deadline=None)
@given(entries=ledgers(), start=days, length=st.integers(min_value=0, max_value=90))
def test_balance_identity_holds_for_any_ledger(
    entries: list[LedgerEntry], start: int, length: int
) -> None:
    period_start = DAY0 + dt.timedelta(days=start)
    period_end = period_start + dt.timedelta(days=length)
    data = period_statement(entries, period_start, period_end)

    assert data.opening_balance + data.total_charges - data.total_payments - data.total_credits == (
        data.closing_balance
    )

    # the same balances computed independently, straight from the entries
    def signed(entry: LedgerEntry) -> Decimal:
        if isinstance(entry, InvoiceEntry | ErpReopenedEntry):
            return entry.amount
        if isinstance(entry, AllocationEntry):
            return D("0")
        return -entry.amount

    assert data.opening_balance == sum(
        (signed(e) for e in entries if e.date < period_start), D("0")
    )
    assert data.closing_balance == sum((signed(e) for e in entries if e.date <= period_end), D("0"))
    assert data.closing_balance == balance_at(entries, period_end)
    # every entry of the period is a line, in date order, with a running balance
    in_period = [e for e in entries if period_start <= e.date <= period_end]
    assert len(data.lines) == len(in_period)
    assert [line.date for line in data.lines] == sorted(line.date for line in data.lines)
    running = data.opening_balance
    for line in data.lines:
        running += line.debit - line.credit
        assert line.balance == running
    assert running == data.closing_balance
    # the aging explains the closing balance
    assert data.aging.total == data.closing_balance
    assert all(item.open_amount > 0 for item in data.open_items)
    assert sum((i.open_amount for i in data.open_items), D("0")) == sum(
        data.aging.buckets.values(), D("0")
    )


def test_what_the_erp_settled_is_a_payment_on_the_invoice_and_a_reopening_a_charge() -> None:
    day = OCT_START + dt.timedelta(days=4)
    entries: list[LedgerEntry] = [
        InvoiceEntry(date=OCT_START, number="INV-1", amount=D("1000.00"), due_date=OCT_END),
        ErpSettlementEntry(date=day, invoice="INV-1", amount=D("1000.00")),
        ErpReopenedEntry(date=day + dt.timedelta(days=1), invoice="INV-1", amount=D("300.00")),
    ]
    data = period_statement(entries, OCT_START, OCT_END)
    assert [(line.kind, line.document, line.reference) for line in data.lines] == [
        (EntryKind.INVOICE, "INV-1", None),
        (EntryKind.ERP_SETTLEMENT, "INV-1", "INV-1"),
        (EntryKind.ERP_REOPENED, "INV-1", "INV-1"),
    ]
    assert (data.total_charges, data.total_payments, data.total_credits) == (
        D("1300.00"),
        D("1000.00"),
        D("0.00"),
    )
    assert data.closing_balance == D("300.00")
    assert [(item.document, item.open_amount) for item in data.open_items] == [
        ("INV-1", D("300.00"))
    ]
    assert [line_description(line, "zh") for line in data.lines[1:]] == [
        "已在 ERP 中结清",
        "ERP 中重新挂账",
    ]
