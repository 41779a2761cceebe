"""Ledgers and statements for the statements tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from statements.build import build_statement
from statements.model import (
    AllocationEntry,
    CompanyInfo,
    CreditNoteEntry,
    CustomerInfo,
    InvoiceEntry,
    Language,
    LedgerEntry,
    PaymentEntry,
    StatementData,
    WriteOffEntry,
)

OCT_START = dt.date(2026, 10, 1)
OCT_END = dt.date(2026, 10, 31)
COMPANY = CompanyInfo(
    name="康科德示范贸易有限公司",
    address="上海市浦东新区世纪大道88号\n88 Century Avenue, Shanghai 200120",
    portal_url="https://portal.concord.test/statements",
)


def customer(language: Language = "zh") -> CustomerInfo:
    return CustomerInfo(
        code="C00017",
        name="上海宏达电子有限公司" if language == "zh" else "Hongda Electronics (Shanghai) Ltd.",
        language=language,
        email="ap@hongda.test",
    )


def invoices(
    count: int, *, start: dt.date = OCT_START, amount: str = "1180.00"
) -> list[InvoiceEntry]:
    """``count`` invoices spread over the month, each due 30 days later."""
    out = []
    for i in range(count):
        day = start + dt.timedelta(days=i % 28)
        out.append(
            InvoiceEntry(
                date=day,
                number=f"INV-2026-{i + 1:05d}",
                amount=Decimal(amount) + i,
                due_date=day + dt.timedelta(days=30),
            )
        )
    return out


def october_ledger() -> list[LedgerEntry]:
    """A small realistic ledger: September opening items, October activity."""
    return [
        InvoiceEntry(
            date=dt.date(2026, 8, 20),
            number="INV-2026-00801",
            amount=Decimal("3000.00"),
            due_date=dt.date(2026, 9, 19),
        ),
        InvoiceEntry(
            date=dt.date(2026, 9, 10),
            number="INV-2026-00901",
            amount=Decimal("5000.00"),
            due_date=dt.date(2026, 10, 10),
        ),
        PaymentEntry(date=dt.date(2026, 9, 25), reference="BT-0925-01", amount=Decimal("1000.00")),
        AllocationEntry(
            date=dt.date(2026, 9, 25),
            payment="BT-0925-01",
            invoice="INV-2026-00801",
            amount=Decimal("1000.00"),
        ),
        InvoiceEntry(
            date=dt.date(2026, 10, 5),
            number="INV-2026-01001",
            amount=Decimal("12345.67"),
            due_date=dt.date(2026, 11, 4),
            disputed_amount=Decimal("345.67"),
        ),
        PaymentEntry(date=dt.date(2026, 10, 12), reference="BT-1012-07", amount=Decimal("4990.00")),
        AllocationEntry(
            date=dt.date(2026, 10, 12),
            payment="BT-1012-07",
            invoice="INV-2026-00901",
            amount=Decimal("4990.00"),
        ),
        WriteOffEntry(
            date=dt.date(2026, 10, 12),
            reference="BT-1012-07",
            amount=Decimal("10.00"),
            invoice="INV-2026-00901",
            reason="bank charge",
        ),
        CreditNoteEntry(
            date=dt.date(2026, 10, 20),
            number="CN-2026-0001",
            amount=Decimal("500.00"),
            invoice="INV-2026-01001",
        ),
        # after the period: must not show
        InvoiceEntry(
            date=dt.date(2026, 11, 2),
            number="INV-2026-01101",
            amount=Decimal("999.00"),
            due_date=dt.date(2026, 12, 2),
        ),
    ]


def period_statement(
    entries: list[LedgerEntry], period_start: dt.date, period_end: dt.date
) -> StatementData:
    """Statement ST-P of any period, issued and to be answered on its last day."""
    return build_statement(
        company=COMPANY,
        customer=customer(),
        entries=entries,
        period_start=period_start,
        period_end=period_end,
        number="ST-P",
        issued_on=period_end,
        respond_by=period_end,
    )


def statement(
    entries: list[LedgerEntry],
    *,
    language: Language = "zh",
    number: str = "ST-2026-10-C00017-v1",
    supersedes: str | None = None,
    logo: Path | None = None,
) -> StatementData:
    company = COMPANY
    if logo is not None:
        company = CompanyInfo(
            name=COMPANY.name,
            address=COMPANY.address,
            portal_url=COMPANY.portal_url,
            logo_path=logo,
        )
    return build_statement(
        company=company,
        customer=customer(language),
        entries=entries,
        period_start=OCT_START,
        period_end=OCT_END,
        number=number,
        issued_on=dt.date(2026, 11, 1),
        respond_by=dt.date(2026, 11, 15),
        supersedes=supersedes,
    )
