"""Aged receivables and money held: scenarios ported from Odoo's and ERPNext's own tests.

Each test names its source in the docstring and says where Concord's semantics differ on
purpose. Shared semantics of Concord, deliberately not those of the sources:

* Concord ages an invoice by its due date only (ERPNext can age by posting date; Odoo by the
  expected date). An invoice due today is not yet due (as Odoo's "Not Due On" column; ERPNext's
  0-30 range holds it with the overdue ones).
* The buckets are not yet due, 1-30, 31-60, 61-90 and over 90 days (ERPNext's "30, 60, 90, 120"
  and Odoo's 91-120 / older both fall into Concord's "90+").
* Money received or credited but not set against an invoice (a receipt's unapplied rest, an
  advance payment held on account, a credit note on the account) is one negative column,
  "unapplied", beside the buckets, as on a Concord statement; Odoo and ERPNext age such
  money as a negative line in the bucket of its own date.
* Amounts are per customer and currency; currencies are never converted (the sources show a
  company-currency figure as well).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import ledger
from portal.customers import view
from portal.home import service as home
from portal.models import (
    Allocation,
    BankTransaction,
    Customer,
    Invoice,
    User,
)
from portal.reports import service
from tests.factories import make_customer, make_invoice, make_receipt, make_user

D = Decimal
#: Odoo's "as of" date, shifted to Concord's dates
AS_OF = dt.date(2026, 11, 26)


def invoice_due(
    session: Session, customer: Customer, due: dt.date, amount: str, currency: str | None = None
) -> Invoice:
    """An open invoice issued 30 days before ``due``."""
    return make_invoice(
        session,
        customer,
        amount=amount,
        issue_date=due - dt.timedelta(days=30),
        due_date=due,
        erp_open_amount=D(amount),
        currency=currency or customer.currency,
    )


def days_ago(days: int) -> dt.date:
    return AS_OF - dt.timedelta(days=days)


def bank_receipt(
    session: Session, amount: str, on: dt.date = AS_OF, currency: str = "CNY"
) -> BankTransaction:
    """A receipt from a bank file, not yet applied to anything."""
    return make_receipt(session, amount, on=on, currency=currency)


def clerk(session: Session) -> User:
    return make_user(session, "finance")


def aging_rows(session: Session) -> dict[tuple[str, str], dict[str, Decimal]]:
    """The aging report as ``{(customer code, currency): {column: amount}}``."""
    table = service.aging(session, today=AS_OF)
    keys = table.header[3:]
    return {(row[0], row[2]): dict(zip(keys, row[3:], strict=True)) for row in table.rows}


def test_buckets_at_their_boundaries(session: Session) -> None:
    """Odoo ``account_reports/tests/test_aged_receivable_report.py``,
    ``test_aged_receivable_unfold_1_whole_report`` (the "100.0 in all dates" lines and the two
    partly reconciled ones): one invoice of 100 due on each boundary day, one of 1000 due 90
    days ago with 500 paid and one of 1000 due 120 days ago with 800 credited.

    Odoo: 100 not due (due on the report date), 100 in 1-30, 100 in 31-60, 600 in 61-90, 300 in
    91-120 and 100 older; Concord's "90+" holds Odoo's 91-120 and older (400).
    """
    customer = make_customer(session, code="ODOO-A")
    for days in (0, 30, 60, 90, 120, 330):
        invoice_due(session, customer, days_ago(days), "100.00")
    paid = invoice_due(session, customer, days_ago(90), "1000.00")
    credited = invoice_due(session, customer, days_ago(120), "1000.00")
    user = clerk(session)
    ledger.apply(session, bank_receipt(session, "500.00"), paid, D("500.00"), actor=user)
    ledger.credit_note(session, credited, D("800.00"), "returned goods", actor=user)

    row = aging_rows(session)[("ODOO-A", "CNY")]

    assert row == {
        "current": D("100.00"),
        "1-30": D("100.00"),
        "31-60": D("100.00"),
        "61-90": D("600.00"),
        "90+": D("400.00"),
        "unapplied": D("0"),
        "total": D("1300.00"),
    }


def test_a_day_overdue_leaves_not_yet_due(session: Session) -> None:
    """ERPNext ``erpnext/accounts/report/accounts_receivable/test_accounts_receivable.py``,
    the ranges "30, 60, 90, 120": 0-30, 31-60, 61-90, 91-120, 121+ days by due date. The
    report, the customer page and the customer's own overview put each invoice in the same
    bucket.

    Concord keeps an invoice due today apart as not yet due (ERPNext counts it in 0-30, with
    the overdue ones): a customer is not late on the day payment is due.
    """
    customer = make_customer(session, code="ERPN-R")
    for days in (-1, 0, 1, 31, 61, 91, 121):
        invoice_due(session, customer, days_ago(days), "10.00")

    row = aging_rows(session)[("ERPN-R", "CNY")]

    assert [row[k] for k in service.BUCKETS] == [
        D("20.00"),
        D("10.00"),
        *[D("10.00")] * 2,
        D("20.00"),
    ]
    buckets = [row[k] for k in service.BUCKETS]
    position = view.positions(session, customer.id, AS_OF)[0]
    assert [b.amount for b in position.aging] == buckets
    overview = home.overview(session, customer, AS_OF)
    assert [b.amount for b in overview.aging] == buckets


def test_a_partial_payment_leaves_the_rest_aged_by_the_invoice_due_date(session: Session) -> None:
    """ERPNext ``test_accounts_receivable.py``, ``test_invoice_partially_paid_via_journal_entry``
    and ``test_invoice_fully_paid_via_journal_entry``: 40 paid of 100 leaves 60 outstanding;
    paid in full, the invoice drops out of the report.

    The rest stays in the bucket of the invoice's due date (45 days ago), not of the payment's
    date (today).
    """
    customer = make_customer(session, code="ERPN-P")
    partly = invoice_due(session, customer, days_ago(45), "100.00")
    fully = invoice_due(session, customer, days_ago(10), "100.00")
    user = clerk(session)
    ledger.apply(session, bank_receipt(session, "40.00"), partly, D("40.00"), actor=user)
    ledger.apply(session, bank_receipt(session, "100.00"), fully, D("100.00"), actor=user)

    row = aging_rows(session)[("ERPN-P", "CNY")]

    assert (row["31-60"], row["1-30"], row["total"]) == (D("60.00"), D("0"), D("60.00"))


def test_a_minor_outstanding_of_one_cent_stays_in_the_aging(session: Session) -> None:
    """ERPNext ``test_accounts_receivable.py``,
    ``test_accounts_receivable_output_for_minor_outstanding``: 99.99 paid of 100 leaves 0.01."""
    customer = make_customer(session, code="ERPN-M")
    invoice = invoice_due(session, customer, days_ago(5), "100.00")
    ledger.apply(session, bank_receipt(session, "99.99"), invoice, D("99.99"), actor=clerk(session))

    assert aging_rows(session)[("ERPN-M", "CNY")]["total"] == D("0.01")


def test_an_advance_payment_shows_as_money_owed_to_the_customer(session: Session) -> None:
    """ERPNext ``test_accounts_receivable.py``, ``test_payment_againt_po_in_receivable_report``:
    a payment of 1000 against a sales order (no invoice yet) shows as outstanding -1000.

    In Concord the receipt is held on the customer's account (``ledger.on_account``); the
    aging shows it in the "unapplied" column and the total is -1000.
    """
    customer = make_customer(session, code="ERPN-A")
    ledger.on_account(
        session, bank_receipt(session, "1000.00"), customer, D("1000.00"), actor=clerk(session)
    )

    row = aging_rows(session)[("ERPN-A", "CNY")]

    assert (row["unapplied"], row["total"]) == (D("-1000.00"), D("-1000.00"))


def test_a_credit_note_on_the_account_shows_negative(session: Session) -> None:
    """ERPNext ``test_accounts_receivable.py``,
    ``test_credit_note_via_journal_entry_shows_negative_outstanding``: a credit note of 100 on
    the customer (no invoice) shows as outstanding -100."""
    customer = make_customer(session, code="ERPN-C")
    ledger.credit_note(session, customer, D("100.00"), "rebate", actor=clerk(session))

    row = aging_rows(session)[("ERPN-C", "CNY")]

    assert (row["unapplied"], row["total"]) == (D("-100.00"), D("-100.00"))


def test_a_credit_note_over_what_is_open_leaves_a_credit(session: Session) -> None:
    """ERPNext ``test_accounts_receivable.py``, ``test_accounts_receivable_with_payment``: an
    invoice of 100, 40 paid, then a credit note for the whole 100: the invoice is closed and
    the customer has 40 in credit (outstanding -100 on the credit note's own row there, less
    the invoice's 60; Concord nets the credit note on the invoice and keeps the rest, 40, on
    the account)."""
    customer = make_customer(session, code="ERPN-W")
    invoice = invoice_due(session, customer, AS_OF + dt.timedelta(days=30), "100.00")
    user = clerk(session)
    ledger.apply(session, bank_receipt(session, "40.00"), invoice, D("40.00"), actor=user)
    ledger.credit_note(session, invoice, D("100.00"), "goods returned", actor=user)

    row = aging_rows(session)[("ERPN-W", "CNY")]

    assert (row["current"], row["unapplied"], row["total"]) == (D("0"), D("-40.00"), D("-40.00"))


def test_a_receipt_not_yet_applied_in_full_counts_for_the_customer(session: Session) -> None:
    """Odoo ``account_reports`` aged receivable: a payment not reconciled with an invoice is a
    negative amount of the partner (``account`` tests of ``amount_residual`` with partial
    payments). Here 150 received, 100 applied to an invoice of 300: 200 open and 50 of the
    receipt not applied, so the customer owes 150."""
    customer = make_customer(session, code="ODOO-U")
    invoice = invoice_due(session, customer, days_ago(5), "300.00")
    ledger.apply(
        session, bank_receipt(session, "150.00"), invoice, D("100.00"), actor=clerk(session)
    )

    row = aging_rows(session)[("ODOO-U", "CNY")]

    assert (row["1-30"], row["unapplied"], row["total"]) == (D("200.00"), D("-50.00"), D("150.00"))


def test_a_reversed_payment_reopens_the_invoice_in_its_bucket(session: Session) -> None:
    """ERPNext ``test_accounts_receivable.py``, ``test_future_payments`` (``pe.cancel()``
    restores the outstanding) and Odoo's unreconcile: the payment of 100 on an invoice due 70
    days ago is reversed; the invoice is back in 61-90 with its 100.

    Odoo keeps the unreconciled payment as the partner's negative line; in Concord a reversed
    receipt with nothing left on it goes back to the bank queue (it may not be this customer's
    money at all), so it is not counted for the customer until it is matched again.
    """
    customer = make_customer(session, code="ODOO-R")
    invoice = invoice_due(session, customer, days_ago(70), "100.00")
    user = clerk(session)
    payment = ledger.apply(
        session, bank_receipt(session, "100.00"), invoice, D("100.00"), actor=user
    )
    assert ("ODOO-R", "CNY") not in aging_rows(session)

    ledger.reverse(session, payment, "applied to the wrong invoice", actor=user)

    row = aging_rows(session)[("ODOO-R", "CNY")]
    assert (row["61-90"], row["unapplied"], row["total"]) == (D("100.00"), D("0"), D("100.00"))


def test_a_credit_note_in_one_currency_is_not_netted_against_another(session: Session) -> None:
    """ERPNext ``test_accounts_receivable.py``, ``test_party_account_filter`` and
    ``test_usd_customer_filter``: a customer with a CNY and a USD receivable gets one row per
    account currency. Here a USD credit note of 30 on a CNY customer stays a USD credit; the
    CNY invoice of 100 stays 100 (ERPNext would also show both in the company currency;
    Concord never converts)."""
    customer = make_customer(session, code="ERPN-X")
    invoice_due(session, customer, days_ago(3), "100.00")
    ledger.credit_note(
        session, customer, D("30.00"), "rebate", actor=clerk(session), currency="USD"
    )

    rows = aging_rows(session)

    assert rows[("ERPN-X", "CNY")]["total"] == D("100.00")
    assert (rows[("ERPN-X", "USD")]["unapplied"], rows[("ERPN-X", "USD")]["total"]) == (
        D("-30.00"),
        D("-30.00"),
    )
    totals = {currency: r["total"] for (code, currency), r in rows.items() if code == "TOTAL"}
    assert totals == {"CNY": D("100.00"), "USD": D("-30.00")}


def test_an_advance_in_the_invoice_currency_nets_in_that_currency(session: Session) -> None:
    """ERPNext ``test_accounts_receivable.py``,
    ``test_payment_terms_with_advance_on_foreign_currency``: a USD customer pays 50 USD in
    advance, then is invoiced 100 USD; 50 USD remain due. (ERPNext allocates the advance to the
    invoice automatically; in Concord a clerk does, so until then the aging shows the invoice
    and the advance side by side and the total is the same 50.)"""
    customer = make_customer(session, code="ERPN-F", currency="USD")
    user = clerk(session)
    ledger.on_account(
        session, bank_receipt(session, "50.00", currency="USD"), customer, D("50.00"), actor=user
    )
    invoice_due(session, customer, AS_OF, "100.00")

    row = aging_rows(session)[("ERPN-F", "USD")]

    assert (row["current"], row["unapplied"], row["total"]) == (
        D("100.00"),
        D("-50.00"),
        D("50.00"),
    )
    assert ("ERPN-F", "CNY") not in aging_rows(session)


def test_the_aging_total_is_the_customer_balance(session: Session) -> None:
    """ERPNext ``test_accounts_receivable.py``, ``test_group_by_party``: the party total is the
    sum of its rows (100 + 85 = 185). Concord's report total per customer and currency must be
    what the customer page shows as the balance after money held (``net``), in every currency.
    """
    customer = make_customer(session, code="ERPN-G")
    user = clerk(session)
    first = invoice_due(session, customer, days_ago(1), "100.00")
    invoice_due(session, customer, AS_OF, "85.00")
    invoice_due(session, customer, days_ago(40), "20.00", currency="USD")
    ledger.apply(session, bank_receipt(session, "60.00"), first, D("50.00"), actor=user)
    ledger.on_account(session, bank_receipt(session, "7.00"), customer, D("7.00"), actor=user)
    ledger.credit_note(session, customer, D("2.50"), "rebate", actor=user, currency="USD")

    rows = aging_rows(session)
    positions = view.positions(session, customer.id, AS_OF)

    assert {p.currency: p.net for p in positions} == {
        currency: r["total"] for (code, currency), r in rows.items() if code == "ERPN-G"
    }
    assert rows[("ERPN-G", "CNY")]["total"] == D("118.00")
    assert rows[("ERPN-G", "USD")]["total"] == D("17.50")


def test_dso_counts_a_reversed_credit_note_as_owed_again(session: Session) -> None:
    """ERPNext ``test_accounts_receivable.py``, ``test_cr_note_flag_to_update_self`` (a
    credit note reduces the outstanding; cancelled, it no longer does), read through DSO: an
    invoice of 1000 issued 10 days ago with a credit note of 200 on it leaves 800 receivable;
    once the credit note's record is reversed, 1000 are receivable again, as the aging says."""
    customer = make_customer(session, code="DSO-CN", currency="EUR")
    invoice = make_invoice(
        session,
        customer,
        amount="1000.00",
        issue_date=days_ago(10),
        due_date=AS_OF + dt.timedelta(days=20),
        erp_open_amount=D("1000.00"),
    )
    user = clerk(session)
    note = ledger.credit_note(
        session, invoice, D("200.00"), "price", actor=user, issue_date=days_ago(5)
    )

    def receivable() -> Decimal:
        table = service.dso(session, today=AS_OF, months=1)
        (row,) = [r for r in table.rows if r[1] == "EUR"]
        return Decimal(row[2])

    assert receivable() == D("800.00")
    (record,) = session.scalars(select(Allocation).where(Allocation.credit_note_id == note.id))
    ledger.reverse(session, record, "issued in error", actor=user)

    assert receivable() == D("1000.00") == aging_rows(session)[("DSO-CN", "EUR")]["total"]


def test_amount_residual_after_partial_payment_and_credit_note(session: Session) -> None:
    """Odoo ``account/tests`` (``amount_residual`` of an invoice partly reconciled with a
    payment and with a credit note, then fully): an invoice of 1000, 300 paid, a credit note of
    200 on it: 500 left, partly paid; the credit note's record reversed: 700 left; then 700
    paid: nothing left and the invoice is paid and out of the aging."""
    customer = make_customer(session, code="ODOO-RES")
    invoice = invoice_due(session, customer, days_ago(20), "1000.00")
    user = clerk(session)
    ledger.apply(session, bank_receipt(session, "300.00"), invoice, D("300.00"), actor=user)
    note = ledger.credit_note(session, invoice, D("200.00"), "damaged", actor=user)
    assert (invoice.open_amount, invoice.status.value) == (D("500.00"), "partially_paid")
    assert aging_rows(session)[("ODOO-RES", "CNY")]["1-30"] == D("500.00")

    (record,) = session.scalars(select(Allocation).where(Allocation.credit_note_id == note.id))
    ledger.reverse(session, record, "not damaged after all", actor=user)
    assert invoice.open_amount == D("700.00")
    assert aging_rows(session)[("ODOO-RES", "CNY")]["total"] == D("700.00")

    ledger.apply(session, bank_receipt(session, "700.00"), invoice, D("700.00"), actor=user)
    assert (invoice.open_amount, invoice.status.value) == (D("0.00"), "paid")
    assert ("ODOO-RES", "CNY") not in aging_rows(session)
