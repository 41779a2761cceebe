"""Build a statement of account from a customer's ledger: balances, activity, open items, aging."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from .errors import LedgerError
from .model import (
    KIND_ORDER,
    ZERO,
    AdjustmentEntry,
    Aging,
    AgingBucket,
    AllocationEntry,
    CompanyInfo,
    CreditNoteEntry,
    CurrencySection,
    CustomerInfo,
    ErpReopenedEntry,
    ErpSettlementEntry,
    InvoiceEntry,
    LedgerEntry,
    OpenItem,
    PaymentEntry,
    StatementData,
    StatementLine,
    UnallocationEntry,
    WriteOffEntry,
)


def effect(entry: LedgerEntry) -> tuple[Decimal, Decimal]:
    """Return ``(debit, credit)`` of an entry on the customer's balance."""
    if isinstance(entry, InvoiceEntry | AdjustmentEntry | ErpReopenedEntry):
        return entry.amount, ZERO
    if isinstance(entry, AllocationEntry | UnallocationEntry):
        # applying a payment to an invoice (or taking it off again) moves nothing: the
        # payment already reduced the balance
        return ZERO, ZERO
    return ZERO, entry.amount


def balance_at(entries: Iterable[LedgerEntry], day: dt.date) -> Decimal:
    """Return the customer's balance at the end of ``day`` (positive: the customer owes us)."""
    total = ZERO
    for entry in entries:
        if entry.date <= day:
            debit, credit = effect(entry)
            total += debit - credit
    return total


def _sort_key(entry: LedgerEntry) -> tuple[dt.date, dt.date, int, str]:
    # on the day they count, records booked late come first, by their own dates
    return entry.date, entry.own_date, KIND_ORDER[entry.kind], entry.document


def _reference(entry: LedgerEntry) -> str | None:
    if isinstance(
        entry,
        AllocationEntry
        | UnallocationEntry
        | CreditNoteEntry
        | WriteOffEntry
        | AdjustmentEntry
        | ErpSettlementEntry
        | ErpReopenedEntry,
    ):
        return entry.invoice
    return None


def open_items_at(entries: Iterable[LedgerEntry], day: dt.date) -> list[OpenItem]:
    """Return the invoices still open at the end of ``day``, oldest due first.

    An invoice's open amount is its amount less the allocations, write-offs and credit notes
    that name it and what the ERP settled on it, plus the adjustments that take some of them
    back and what the ERP reopened, dated up to ``day`` (never below zero).
    """
    invoices: dict[str, InvoiceEntry] = {}
    reduced: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for entry in entries:
        if entry.date > day:
            continue
        if isinstance(entry, InvoiceEntry):
            if entry.number in invoices:
                raise LedgerError(f"invoice {entry.number} appears twice in the ledger")
            invoices[entry.number] = entry
        elif isinstance(
            entry, AllocationEntry | CreditNoteEntry | WriteOffEntry | ErpSettlementEntry
        ):
            if entry.invoice is not None:
                reduced[entry.invoice] += entry.amount
        elif (
            isinstance(entry, AdjustmentEntry | ErpReopenedEntry | UnallocationEntry)
            and entry.invoice is not None
        ):
            reduced[entry.invoice] -= entry.amount
    items = []
    for invoice in invoices.values():
        open_amount = max(ZERO, invoice.amount - reduced[invoice.number])
        if open_amount == 0:
            continue
        days = (day - invoice.due_date).days
        items.append(
            OpenItem(
                document=invoice.number,
                # an invoice booked late is listed with its own date (aging is by due date)
                date=invoice.own_date,
                due_date=invoice.due_date,
                amount=invoice.amount,
                open_amount=open_amount,
                days_overdue=max(0, days),
                bucket=AgingBucket.for_days(days),
                # a dispute can only hold back what is still open
                disputed_amount=min(invoice.disputed_amount, open_amount),
            )
        )
    items.sort(key=lambda item: (item.due_date, item.date, item.document))
    return items


def _build_section(
    currency: str,
    ledger: list[LedgerEntry],
    period_start: dt.date,
    period_end: dt.date,
    first_line_no: int,
) -> CurrencySection:
    """Build the section of one currency from that currency's (sorted) ledger entries."""
    opening = balance_at(ledger, period_start - dt.timedelta(days=1))

    lines: list[StatementLine] = []
    balance = opening
    charges = payments = credits = ZERO
    for entry in ledger:
        if not period_start <= entry.date <= period_end:
            continue
        debit, credit = effect(entry)
        balance += debit - credit
        charges += debit
        if isinstance(entry, PaymentEntry | ErpSettlementEntry):
            # what the ERP settled is money received as far as the customer is concerned
            payments += credit
        else:
            credits += credit
        lines.append(
            StatementLine(
                line_no=first_line_no + len(lines),
                date=entry.date,
                kind=entry.kind,
                document=entry.document,
                reference=_reference(entry),
                due_date=entry.due_date if isinstance(entry, InvoiceEntry) else None,
                debit=debit,
                credit=credit,
                balance=balance,
                applied=(
                    entry.amount if isinstance(entry, AllocationEntry | UnallocationEntry) else ZERO
                ),
                source_id=entry.source_id,
                value_date=entry.value_date,
            )
        )
    closing = opening + charges - payments - credits

    items = open_items_at(ledger, period_end)
    buckets = dict.fromkeys(AgingBucket, ZERO)
    for item in items:
        buckets[item.bucket] += item.open_amount
    open_total = sum(buckets.values(), ZERO)
    return CurrencySection(
        currency=currency,
        opening_balance=opening,
        lines=tuple(lines),
        total_charges=charges,
        total_payments=payments,
        total_credits=credits,
        closing_balance=closing,
        open_items=tuple(items),
        aging=Aging(buckets=buckets, unapplied=open_total - closing),
        disputed_amount=sum((item.disputed_amount for item in items), ZERO),
    )


def build_statement(
    *,
    company: CompanyInfo,
    customer: CustomerInfo,
    entries: Iterable[LedgerEntry],
    period_start: dt.date,
    period_end: dt.date,
    number: str,
    issued_on: dt.date,
    respond_by: dt.date,
    version: int = 1,
    supersedes: str | None = None,
) -> StatementData:
    """Build the statement of ``customer`` for ``period_start``..``period_end`` (inclusive).

    Entries are grouped by currency (an entry without one is in the customer's currency) and
    each currency gets its own section with its own balances; amounts of different currencies
    are never added. The customer's currency comes first when the ledger has it, then the
    others alphabetically; a ledger with no entry up to ``period_end`` gives one empty section
    in the customer's currency.

    :param entries: the customer's whole ledger up to at least ``period_end`` (earlier entries
        make the opening balance; later ones are ignored).
    :raises LedgerError: when the period is reversed or the ledger is inconsistent.
    """
    if period_end < period_start:
        raise LedgerError(f"period ends ({period_end}) before it starts ({period_start})")
    if version < 1:
        raise LedgerError("statement version starts at 1")
    ledger = sorted((entry for entry in entries if entry.date <= period_end), key=_sort_key)
    by_currency: dict[str, list[LedgerEntry]] = defaultdict(list)
    for entry in ledger:
        code = (entry.currency or customer.currency).strip().upper()
        if len(code) != 3 or not code.isascii() or not code.isalpha():
            raise LedgerError(f"{entry.document}: not a currency code: {entry.currency!r}")
        by_currency[code].append(entry)
    main = customer.currency.strip().upper()
    order = sorted(by_currency, key=lambda code: (code != main, code)) or [main]

    sections: list[CurrencySection] = []
    next_line = 1
    for code in order:
        section = _build_section(
            code, by_currency.get(code, []), period_start, period_end, next_line
        )
        next_line += len(section.lines)
        sections.append(section)

    return StatementData(
        number=number,
        version=version,
        company=company,
        customer=customer,
        period_start=period_start,
        period_end=period_end,
        issued_on=issued_on,
        respond_by=respond_by,
        supersedes=supersedes,
        sections=tuple(sections),
    )


def month_period(text: str) -> tuple[dt.date, dt.date]:
    """Return the first and last day of a month given as ``YYYY-MM``.

    :raises LedgerError: when ``text`` is not a month.
    """
    try:
        year_s, month_s = text.strip().split("-")
        start = dt.date(int(year_s), int(month_s), 1)
    except ValueError as exc:
        raise LedgerError(f"not a month (YYYY-MM): {text!r}") from exc
    following = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return start, following - dt.timedelta(days=1)


def is_whole_month(start: dt.date, end: dt.date) -> bool:
    """Tell whether ``start``..``end`` is exactly one calendar month."""
    return start.day == 1 and month_period(f"{start.year}-{start.month:02d}")[1] == end
