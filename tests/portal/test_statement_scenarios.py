"""Statements of account: scenarios ported from ERPNext's statement tests and Odoo's partner
ledger and follow-up reports, built from Concord's ledger (``portal.statements.service``).

Concord's statement differs from the sources on purpose in two ways: opening and closing
balance are fields of each currency section (ERPNext prints them as rows of the statement),
and the aging of the open items is by due date with "not yet due" apart (ERPNext's first range
is 0-30 days from the posting date).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy.orm import Session

from portal import ledger
from portal.models import (
    BankTransaction,
    Customer,
    Invoice,
    User,
)
from portal.statements.service import build_for, issue_statement
from statements.model import AgingBucket, CurrencySection, EntryKind
from tests.factories import make_customer, make_invoice, make_receipt, make_user

D = Decimal
OCTOBER = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
NOVEMBER = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))


def invoice(
    session: Session, customer: Customer, issued: dt.date, amount: str, currency: str = ""
) -> Invoice:
    """An open invoice due 30 days after it was issued."""
    return make_invoice(
        session,
        customer,
        amount=amount,
        issue_date=issued,
        due_date=issued + dt.timedelta(days=30),
        erp_open_amount=D(amount),
        currency=currency or customer.currency,
    )


def bank_receipt(
    session: Session, amount: str, on: dt.date, currency: str = "CNY"
) -> BankTransaction:
    """A receipt from a bank file, not yet applied to anything."""
    return make_receipt(session, amount, on=on, currency=currency)


def clerk(session: Session) -> User:
    return make_user(session, "finance")


def section(
    session: Session, customer: Customer, period: tuple[dt.date, dt.date], currency: str = "CNY"
) -> CurrencySection:
    data, _ledger = build_for(session, customer, *period, issued_on=period[1])
    return next(s for s in data.sections if s.currency == currency)


def test_one_invoice_makes_the_statement_and_another_customer_stays_out(
    session: Session,
) -> None:
    """ERPNext ``process_statement_of_accounts/test_process_statement_of_accounts.py``,
    ``test_process_soa_for_gl`` and ``test_process_soa_for_ar``: the customer's statement has
    its one invoice of 100 (balance 100), not the other customer's; the open items list it with
    100 due and the aging holds 100 in its first range (Concord: not yet due, the invoice is due
    in 30 days; ERPNext's range1 is 0-30 days)."""
    customer = make_customer(session)
    other = make_customer(session)
    invoice(session, customer, dt.date(2026, 10, 10), "100.00")
    invoice(session, other, dt.date(2026, 10, 10), "100.00")

    s = section(session, customer, OCTOBER)

    assert [(line.kind, line.balance) for line in s.lines] == [(EntryKind.INVOICE, D("100.00"))]
    assert (s.opening_balance, s.closing_balance) == (D("0"), D("100.00"))
    assert [item.open_amount for item in s.open_items] == [D("100.00")]
    assert s.aging.buckets[AgingBucket.CURRENT] == D("100.00")
    assert s.aging.total == s.closing_balance


def test_closing_counts_money_held_and_the_aging_agrees(session: Session) -> None:
    """ERPNext ``test_accounts_receivable.py``, ``test_payment_againt_po_in_receivable_report``
    and ``test_credit_note_via_journal_entry_shows_negative_outstanding``, on a statement: an
    invoice of 500 partly paid (200), an advance payment of 300 held on account, and a credit
    note of 50 on the account. The closing balance is -50 (the customer is in credit), the open
    item is the invoice's 300 and the aging's unapplied credits are 350, so the aging's total
    is the closing balance."""
    customer = make_customer(session)
    user = clerk(session)
    inv = invoice(session, customer, dt.date(2026, 10, 2), "500.00")
    ledger.apply(
        session,
        bank_receipt(session, "200.00", dt.date(2026, 10, 12)),
        inv,
        D("200.00"),
        actor=user,
    )
    ledger.on_account(
        session,
        bank_receipt(session, "300.00", dt.date(2026, 10, 20)),
        customer,
        D("300.00"),
        actor=user,
    )
    ledger.credit_note(
        session, customer, D("50.00"), "rebate", actor=user, issue_date=dt.date(2026, 10, 25)
    )

    s = section(session, customer, OCTOBER)

    assert (s.total_charges, s.total_payments, s.total_credits) == (
        D("500.00"),
        D("500.00"),
        D("50.00"),
    )
    assert s.closing_balance == D("-50.00")
    assert [item.open_amount for item in s.open_items] == [D("300.00")]
    assert s.aging.unapplied == D("350.00")
    assert s.aging.total == s.closing_balance


def test_next_opening_is_the_previous_closing_after_a_write_off_is_reversed(
    session: Session,
) -> None:
    """Odoo ``account_reports`` partner ledger (the initial balance of a period is the balance
    at the end of the one before) and ERPNext's statement of accounts (opening row = closing
    row of the previous statement): October has an invoice of 1000 paid with 990 and a bank
    charge of 10 written off, closing 0. The write-off is reversed later (the bank refunded
    the charge): October must still close at 0, November open at 0, and the 10 come back as
    a charge on the day of the reversal, open again on the invoice."""
    customer = make_customer(session)
    user = clerk(session)
    inv = invoice(session, customer, dt.date(2026, 10, 5), "1000.00")
    receipt = bank_receipt(session, "990.00", dt.date(2026, 10, 20))
    ledger.apply(session, receipt, inv, D("990.00"), actor=user)
    fee = ledger.write_off(session, inv, D("10.00"), kind="fee", actor=user, receipt=receipt)
    october = section(session, customer, OCTOBER)
    assert october.closing_balance == D("0")
    issued = issue_statement(session, customer, *OCTOBER, issued_by=user)
    assert issued.closing_balance == D("0")

    ledger.reverse(session, fee, "bank refunded the charge", actor=user)
    today = dt.date.today()
    later = (NOVEMBER[0], max(today, NOVEMBER[1]))

    assert section(session, customer, OCTOBER).closing_balance == october.closing_balance
    after = section(session, customer, later)
    assert after.opening_balance == issued.closing_balance
    assert after.closing_balance == D("10.00")
    # the adjustment line is stored and printed with the next statement
    following = issue_statement(session, customer, *later, issued_by=user)
    assert [(line.kind, line.debit) for line in following.lines] == [("adjustment", D("10.00"))]
    assert following.opening_balance == issued.closing_balance
    assert [(line.kind, line.debit, line.date) for line in after.lines] == [
        (EntryKind.ADJUSTMENT, D("10.00"), today)
    ]
    assert [(item.document, item.open_amount) for item in after.open_items] == [
        (inv.number, D("10.00"))
    ]
    assert after.aging.total == after.closing_balance


def test_a_reversed_credit_note_owes_again(session: Session) -> None:
    """ERPNext ``test_accounts_receivable.py``, ``test_cr_note_flag_to_update_self`` (a credit
    note against an invoice, then cancelled restores the outstanding) on a statement: an
    invoice of 300 gets a credit note of 100 in October (closing 200); the credit note's record
    is reversed later: October still closes at 200, the later period opens at 200 and closes at
    300 with the invoice's 300 open, and nothing shows as an unapplied credit."""
    customer = make_customer(session)
    user = clerk(session)
    inv = invoice(session, customer, dt.date(2026, 10, 5), "300.00")
    note = ledger.credit_note(
        session, inv, D("100.00"), "price", actor=user, issue_date=dt.date(2026, 10, 15)
    )
    assert section(session, customer, OCTOBER).closing_balance == D("200.00")

    (record,) = [a for a in inv_records(session, inv) if a.credit_note_id == note.id]
    ledger.reverse(session, record, "credit note issued in error", actor=user)
    later = (NOVEMBER[0], max(dt.date.today(), NOVEMBER[1]))

    assert section(session, customer, OCTOBER).closing_balance == D("200.00")
    after = section(session, customer, later)
    assert (after.opening_balance, after.closing_balance) == (D("200.00"), D("300.00"))
    assert [item.open_amount for item in after.open_items] == [D("300.00")]
    assert after.aging.unapplied == D("0")


def test_a_credit_note_in_another_currency_has_its_own_section(session: Session) -> None:
    """ERPNext ``test_accounts_receivable.py``, ``test_party_account_filter``: receivables of
    one customer in two currencies stay apart. A USD credit note of 30 on a CNY customer with a
    CNY invoice of 100: the CNY section closes at 100, the USD section at -30."""
    customer = make_customer(session)
    invoice(session, customer, dt.date(2026, 10, 5), "100.00")
    ledger.credit_note(
        session,
        customer,
        D("30.00"),
        "rebate",
        actor=clerk(session),
        currency="USD",
        issue_date=dt.date(2026, 10, 8),
    )

    assert section(session, customer, OCTOBER).closing_balance == D("100.00")
    usd = section(session, customer, OCTOBER, "USD")
    assert (usd.closing_balance, usd.aging.unapplied, usd.aging.total) == (
        D("-30.00"),
        D("30.00"),
        D("-30.00"),
    )


def inv_records(session: Session, inv: Invoice) -> list:  # type: ignore[type-arg]
    from sqlalchemy import select

    from portal.models import Allocation

    return list(session.scalars(select(Allocation).where(Allocation.invoice_id == inv.id)))


def test_a_receipt_taken_back_from_the_customer_stays_in_the_period_it_was_shown(
    session: Session,
) -> None:
    """ERPNext ``test_accounts_receivable.py``, ``test_future_payments`` (``pe.cancel()`` gives
    the invoice its outstanding back) and Odoo's partner ledger (initial balance = previous
    closing): a receipt of 400 applied to an October invoice of 400 closes October at 0. Later
    the receipt is found to be another company's and every record on it is reversed.

    October must still close at 0 (it was issued so), the later period opens at 0, the receipt
    comes back as a charge of 400 on the day it was taken back and the invoice is open again.
    (ERPNext's cancellation rewrites the earlier period; a Concord statement once issued is a
    signed document, so the correction is dated when it was made.)
    """
    customer = make_customer(session)
    user = clerk(session)
    inv = invoice(session, customer, dt.date(2026, 10, 5), "400.00")
    receipt = bank_receipt(session, "400.00", dt.date(2026, 10, 25))
    payment = ledger.apply(session, receipt, inv, D("400.00"), actor=user)
    assert section(session, customer, OCTOBER).closing_balance == D("0")

    ledger.reverse(session, payment, "another company's payment", actor=user)
    today = dt.date.today()
    later = (NOVEMBER[0], max(today, NOVEMBER[1]))

    assert section(session, customer, OCTOBER).closing_balance == D("0")
    after = section(session, customer, later)
    assert (after.opening_balance, after.closing_balance) == (D("0"), D("400.00"))
    # the payment taken off the invoice is a line of its own (it moves no balance), so
    # October keeps the allocation it listed
    assert [(line.kind, line.debit, line.date) for line in after.lines] == [
        (EntryKind.ADJUSTMENT, D("400.00"), today),
        (EntryKind.UNALLOCATION, D("0"), today),
    ]
    assert EntryKind.ALLOCATION in {line.kind for line in section(session, customer, OCTOBER).lines}
    assert [item.open_amount for item in after.open_items] == [D("400.00")]
    assert after.aging.total == after.closing_balance
