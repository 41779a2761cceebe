"""A customer with invoices in several currencies: one section and one balance per currency."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal as D

import pdfplumber
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from statements.model import (
    AllocationEntry,
    CreditNoteEntry,
    InvoiceEntry,
    Language,
    LedgerEntry,
    PaymentEntry,
    StatementData,
    WriteOffEntry,
)
from statements.render import render_statement

from .helpers import period_statement, statement


def two_currency_ledger() -> list[LedgerEntry]:
    """CNY closes at 6,000.00 and USD at 2,400.00; their (meaningless) sum would be 8,400.00."""
    return [
        InvoiceEntry(
            date=dt.date(2026, 9, 15),
            number="INV-CNY-1",
            amount=D("10000.00"),
            due_date=dt.date(2026, 10, 15),
        ),
        PaymentEntry(date=dt.date(2026, 10, 8), reference="BT-CNY-1", amount=D("4000.00")),
        AllocationEntry(
            date=dt.date(2026, 10, 8), payment="BT-CNY-1", invoice="INV-CNY-1", amount=D("4000.00")
        ),
        InvoiceEntry(
            date=dt.date(2026, 10, 3),
            number="INV-USD-1",
            amount=D("2500.00"),
            due_date=dt.date(2026, 11, 2),
            currency="USD",
        ),
        CreditNoteEntry(
            date=dt.date(2026, 10, 20),
            number="CN-USD-1",
            amount=D("100.00"),
            invoice="INV-USD-1",
            currency="USD",
        ),
    ]


def test_each_currency_gets_its_own_section_and_balance() -> None:
    data = statement(two_currency_ledger())

    assert data.currencies == ("CNY", "USD")
    cny, usd = data.sections
    assert (cny.opening_balance, cny.total_charges, cny.total_payments) == (
        D("10000.00"),
        D("0"),
        D("4000.00"),
    )
    assert cny.closing_balance == D("6000.00")
    assert [line.document for line in cny.lines] == ["BT-CNY-1", "BT-CNY-1"]
    assert (usd.opening_balance, usd.total_charges, usd.total_credits) == (
        D("0"),
        D("2500.00"),
        D("100.00"),
    )
    assert usd.closing_balance == D("2400.00")
    assert [line.document for line in usd.lines] == ["INV-USD-1", "CN-USD-1"]
    assert [item.open_amount for item in usd.open_items] == [D("2400.00")]
    assert usd.aging.total == D("2400.00")
    # line numbers run on across sections (one numbering per statement)
    assert [line.line_no for s in data.sections for line in s.lines] == [1, 2, 3, 4]
    # the statement-level figures are the main (customer's) currency's, not a sum
    assert data.currency == "CNY"
    assert data.closing_balance == D("6000.00")
    assert data.lines == cny.lines


def test_main_section_is_the_first_currency_when_the_customer_has_none_in_its_own() -> None:
    entries = [e for e in two_currency_ledger() if e.currency == "USD"]
    data = statement(entries)
    assert data.currencies == ("USD",)
    assert data.currency == "USD"
    assert data.closing_balance == D("2400.00")


def pdf_text(data: StatementData) -> str:
    with pdfplumber.open(io.BytesIO(render_statement(data).pdf)) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages)


@pytest.mark.parametrize(
    ("language", "heading"), [("zh", "{currency} 账户"), ("en", "{currency} account")]
)
def test_pdf_shows_a_section_and_a_closing_balance_per_currency(
    language: Language, heading: str
) -> None:
    text = pdf_text(statement(two_currency_ledger(), language=language))

    cny_at = text.index(heading.format(currency="CNY"))
    usd_at = text.index(heading.format(currency="USD"))
    assert cny_at < usd_at
    cny_part, usd_part = text[cny_at:usd_at], text[usd_at:]
    closing = "期末余额" if language == "zh" else "Closing balance"
    assert re.search(rf"{closing} .*6,000\.00", cny_part)
    assert re.search(rf"{closing} .*2,400\.00", usd_part)
    assert "INV-USD-1" in usd_part and "INV-USD-1" not in cny_part
    assert "BT-CNY-1" in cny_part and "BT-CNY-1" not in usd_part
    # the summary lists both currencies side by side, and nothing adds them up
    assert re.search(rf"{closing} 6,000\.00 2,400\.00", text)
    assert "8,400.00" not in text
    assert "CNY / USD" in text


def test_single_currency_pdf_has_no_section_headings() -> None:
    entries = [e for e in two_currency_ledger() if not e.currency]
    text = pdf_text(statement(entries, language="en"))
    assert "CNY account" not in text
    assert "6,000.00" in text


def test_bad_currency_code_is_refused() -> None:
    from statements.errors import LedgerError

    entry = PaymentEntry(date=dt.date(2026, 10, 1), reference="BT-X", amount=D("1"), currency="$")
    with pytest.raises(LedgerError, match="BT-X"):
        statement([entry])


# -- the property, per currency ------------------------------------------------------------

DAY0 = dt.date(2026, 7, 1)
amounts = st.decimals(min_value=D("0.01"), max_value=D("99999.99"), places=2)
days = st.integers(min_value=0, max_value=120)
currencies = st.sampled_from(["", "CNY", "USD", "EUR"])


@st.composite
def mixed_ledgers(draw: st.DrawFn) -> list[LedgerEntry]:
    entries: list[LedgerEntry] = []
    invoices: list[tuple[str, str]] = []
    for i in range(draw(st.integers(min_value=0, max_value=8))):
        day = DAY0 + dt.timedelta(days=draw(days))
        currency = draw(currencies)
        invoices.append((f"INV-{i}", currency))
        entries.append(
            InvoiceEntry(
                date=day,
                number=f"INV-{i}",
                amount=draw(amounts),
                due_date=day + dt.timedelta(days=draw(st.integers(0, 60))),
                currency=currency,
            )
        )
    for i in range(draw(st.integers(min_value=0, max_value=8))):
        day = DAY0 + dt.timedelta(days=draw(days))
        kind = draw(st.sampled_from(["payment", "credit", "write_off", "allocation"]))
        amount = draw(amounts)
        if kind == "payment":
            entries.append(
                PaymentEntry(
                    date=day, reference=f"BT-{i}", amount=amount, currency=draw(currencies)
                )
            )
        elif kind == "credit":
            entries.append(
                CreditNoteEntry(
                    date=day, number=f"CN-{i}", amount=amount, currency=draw(currencies)
                )
            )
        elif kind == "write_off":
            entries.append(
                WriteOffEntry(
                    date=day, reference=f"WO-{i}", amount=amount, currency=draw(currencies)
                )
            )
        elif invoices:
            number, currency = draw(st.sampled_from(invoices))
            entries.append(
                AllocationEntry(
                    date=day, payment=f"BT-{i}", invoice=number, amount=amount, currency=currency
                )
            )
    return entries


@settings(max_examples=100, deadline=None)
@given(entries=mixed_ledgers(), start=days, length=st.integers(min_value=0, max_value=60))
def test_every_section_balances_on_its_own(
    entries: list[LedgerEntry], start: int, length: int
) -> None:
    period_start = DAY0 + dt.timedelta(days=start)
    period_end = period_start + dt.timedelta(days=length)
    data = period_statement(entries, period_start, period_end)
    assert len(set(data.currencies)) == len(data.currencies)
    for section in data.sections:
        assert (
            section.opening_balance
            + section.total_charges
            - section.total_payments
            - (section.total_credits)
            == section.closing_balance
        )
        own = [e for e in entries if (e.currency or "CNY") == section.currency]
        # independently: the signed sum of this currency's entries up to the period end only
        expected = sum(
            (
                e.amount
                if isinstance(e, InvoiceEntry)
                else D(0)
                if isinstance(e, AllocationEntry)
                else -e.amount
                for e in own
                if e.date <= period_end
            ),
            D(0),
        )
        assert section.closing_balance == expected
        if section.lines:
            assert section.lines[-1].balance == section.closing_balance
        documents = {e.document for e in own}
        assert {line.document for line in section.lines} <= documents
        assert section.aging.total == section.closing_balance
