"""Records that arrive after a statement was issued but are dated inside its period.

A bank file uploaded on 3 December with a receipt of 28 November, an invoice the ERP sends on
2 December dated 25 November, a credit note dated back, a payment applied or a write-off made
later on a November receipt, what the ERP settled in November reported in December: once
November's statement is issued, each counts on the first statement not yet issued (with its
own date, marked as booked late), so that

1. the issued statement, built again, has exactly the figures, lines and open items it was
   issued with;
2. the next statement opens at its closing balance;
3. the open items (true dates) and the invoices' open amounts agree with the latest closing.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal import ledger
from portal.disputes import service as disputes
from portal.erp.service import import_invoices_csv
from portal.models import (
    BankTransaction,
    Customer,
    ErpSettlement,
    Invoice,
    Statement,
    User,
)
from portal.statements import loop, routes
from portal.statements.service import build_for, issue_statement, open_items
from statements.labels import line_description
from statements.model import StatementData
from statements.render import render_statement
from tests.factories import make_customer, make_invoice, make_receipt, make_user
from tests.portal.customer_helpers import login

D = Decimal
OCT = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
NOV = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
DEC = (dt.date(2026, 12, 1), dt.date(2026, 12, 31))
JAN = (dt.date(2027, 1, 1), dt.date(2027, 1, 31))
HEADER = "number,customer,issue_date,due_date,currency,amount,open_amount,po_number"


@pytest.fixture(autouse=True)
def _instance_pki(app: Flask, pki_template: Path) -> None:
    shutil.copytree(pki_template, Path(app.instance_path) / "pki")
    routes._DOCUMENTS.clear()  # rendered documents are kept per process


@pytest.fixture
def customer(session: Session) -> Customer:
    """INV-LATE-1 of 1,000.00 issued 10 October, due 9 November."""
    c = make_customer(session, code="LATE1", name="上海迟到电子有限公司")
    make_invoice(
        session,
        c,
        number="INV-LATE-1",
        issue_date=dt.date(2026, 10, 10),
        due_date=dt.date(2026, 11, 9),
        amount="1000.00",
        erp_open_amount=D("1000.00"),
    )
    return c


@pytest.fixture
def clerk(session: Session) -> User:
    return make_user(session, "finance", email="clerk@late.test")


def _invoice(session: Session, number: str) -> Invoice:
    return session.scalars(select(Invoice).where(Invoice.number == number)).one()


def _rebuild(session: Session, statement: Statement) -> StatementData:
    """The statement built again from the ledger as it is now."""
    session.expire_all()
    replaced = session.get(Statement, statement.supersedes_id) if statement.supersedes_id else None
    data, _ledger = build_for(
        session,
        statement.customer,
        statement.period_start,
        statement.period_end,
        version=statement.version,
        supersedes=replaced.number if replaced is not None else None,
        issued_on=statement.issued_at.date(),
    )
    return data


def _figures(data: StatementData | Statement) -> tuple[Decimal, ...]:
    return (
        data.opening_balance,
        data.total_charges,
        data.total_payments,
        data.total_credits,
        data.closing_balance,
    )


def _lines(data: StatementData | Statement) -> list[tuple[object, ...]]:
    return [
        (line.line_no, line.date, line.value_date, str(line.kind), line.document, line.balance)
        for line in data.lines
    ]


def assert_stays_as_issued(session: Session, statement: Statement, *, pdf: bool = True) -> None:
    """Built again, the issued statement has its figures, lines and open items (and, with
    ``pdf``, re-rendered it reads word for word as the certified PDF that was issued)."""
    again = _rebuild(session, statement)
    assert _figures(again) == _figures(statement)
    assert _lines(again) == _lines(statement)
    assert [(line.debit, line.credit) for line in again.lines] == [
        (line.debit, line.credit) for line in statement.lines
    ]
    stored = {
        currency: [(i.document, i.open_amount) for i in items]
        for currency, items in open_items(session, statement).items()
    }
    rebuilt = {
        s.currency: [(i.document, i.open_amount) for i in s.open_items] for s in again.sections
    }
    assert rebuilt == stored
    if pdf:
        assert _pdf_text(render_statement(again).pdf) == _pdf_text(statement.issued_pdf)


def _open_total(session: Session, customer: Customer) -> Decimal:
    session.expire_all()
    return D(
        session.scalar(
            select(func.sum(Invoice.open_amount)).where(Invoice.customer_id == customer.id)
        )
        or 0
    )


def _erp_import(session: Session, rows: list[str], settled_on: str | None = None) -> None:
    header = HEADER + (",settled_on" if settled_on is not None else "")
    data = "\n".join([header, *rows]) + "\n"
    import_invoices_csv(session, data.encode(), filename="erp.csv")


# -- each kind of late record -------------------------------------------------------------------


def _late_receipt_on_account(session: Session, customer: Customer, clerk: User) -> str:
    """A bank file uploaded after November's statement: a receipt of 28 November, held on the
    customer's account."""
    receipt = make_receipt(session, "300.00", on=dt.date(2026, 11, 28), payer_name=customer.name)
    ledger.on_account(session, receipt, customer, D("300.00"), actor=clerk)
    return receipt.voucher_number


def _late_receipt_applied(session: Session, customer: Customer, clerk: User) -> str:
    """A receipt of 28 November uploaded late and applied to the October invoice."""
    receipt = make_receipt(session, "400.00", on=dt.date(2026, 11, 28))
    ledger.apply(session, receipt, _invoice(session, "INV-LATE-1"), D("400.00"), actor=clerk)
    return receipt.voucher_number


def _late_erp_invoice(session: Session, customer: Customer, clerk: User) -> str:
    """The ERP sends on 2 December an invoice it issued on 25 November."""
    _erp_import(
        session,
        [
            "INV-LATE-1,LATE1,2026-10-10,2026-11-09,CNY,1000.00,1000.00,",
            "INV-LATE-2,LATE1,2026-11-25,2026-12-25,CNY,250.00,250.00,",
        ],
    )
    return "INV-LATE-2"


def _late_credit_note(session: Session, customer: Customer, clerk: User) -> str:
    """A credit note issued now and dated 20 November."""
    note = ledger.credit_note(
        session,
        _invoice(session, "INV-LATE-1"),
        D("80.00"),
        "rebate agreed in November",
        actor=clerk,
        issue_date=dt.date(2026, 11, 20),
    )
    return note.number


def _late_write_off(session: Session, customer: Customer, clerk: User) -> str:
    """A bank charge written off now against the customer's receipt of 16 November."""
    receipt = session.scalars(
        select(BankTransaction).where(BankTransaction.voucher_number == "RV-EARLY")
    ).one()
    record = ledger.write_off(
        session,
        _invoice(session, "INV-LATE-1"),
        D("15.00"),
        kind="fee",
        actor=clerk,
        receipt=receipt,
    )
    return f"{receipt.voucher_number}:{record.id}"


def _late_allocation(session: Session, customer: Customer, clerk: User) -> str:
    """The November receipt held on account is applied to the invoice only now."""
    receipt = session.scalars(
        select(BankTransaction).where(BankTransaction.voucher_number == "RV-EARLY")
    ).one()
    (held,) = [a for a in receipt.allocations if a.is_active]
    ledger.reverse(session, held, "apply it to the invoice", actor=clerk)
    ledger.apply(session, receipt, _invoice(session, "INV-LATE-1"), D("500.00"), actor=clerk)
    return receipt.voucher_number


def _late_erp_settlement(session: Session, customer: Customer, clerk: User) -> str:
    """The ERP's file of 2 December: a cheque booked there on 20 November paid 600.00."""
    _erp_import(
        session,
        ["INV-LATE-1,LATE1,2026-10-10,2026-11-09,CNY,1000.00,400.00,,2026-11-20"],
        settled_on="",
    )
    return "INV-LATE-1"


LATE: dict[str, Callable[[Session, Customer, User], str]] = {
    "receipt_on_account": _late_receipt_on_account,
    "receipt_applied": _late_receipt_applied,
    "erp_invoice": _late_erp_invoice,
    "credit_note": _late_credit_note,
    "write_off": _late_write_off,
    "erp_settlement": _late_erp_settlement,
}


def _november_with_a_receipt(session: Session, customer: Customer, clerk: User) -> Statement:
    """November's statement, issued, with a receipt of 16 November of 500.00 held on account."""
    early = make_receipt(session, "500.00", on=dt.date(2026, 11, 16), voucher_number="RV-EARLY")
    ledger.on_account(session, early, customer, D("500.00"), actor=clerk)
    return issue_statement(session, customer, *NOV, issued_by=clerk)


@pytest.mark.parametrize("kind", sorted(LATE))
def test_a_late_record_leaves_the_issued_statement_and_counts_on_the_next(
    session: Session, customer: Customer, clerk: User, kind: str
) -> None:
    november = _november_with_a_receipt(session, customer, clerk)
    assert november.closing_balance == D("500.00")

    document = LATE[kind](session, customer, clerk)

    assert_stays_as_issued(session, november)
    december, _ledger = build_for(session, customer, *DEC)
    assert december.opening_balance == november.closing_balance
    late = [line for line in december.lines if line.value_date is not None]
    assert late, "the late record is on December's statement"
    assert all(line.value_date < DEC[0] <= line.date for line in late)
    assert document.split(":")[0] in {line.document for line in late}
    # the open items, with their true dates, agree with the latest closing balance
    assert december.aging.total == december.closing_balance
    held = december.aging.unapplied
    assert december.closing_balance == _open_total(session, customer) - held
    issued = issue_statement(session, customer, *DEC, issued_by=clerk)
    assert issued.opening_balance == november.closing_balance
    assert_stays_as_issued(session, issued)


def test_a_late_allocation_keeps_novembers_open_items(
    session: Session, customer: Customer, clerk: User
) -> None:
    november = _november_with_a_receipt(session, customer, clerk)
    assert [(i.document, i.open_amount) for i in open_items(session, november)["CNY"]] == [
        ("INV-LATE-1", D("1000.00"))
    ]
    _late_allocation(session, customer, clerk)
    assert_stays_as_issued(session, november)
    december, _ledger = build_for(session, customer, *DEC)
    assert december.opening_balance == november.closing_balance
    assert [(i.document, i.open_amount) for i in december.open_items] == [
        ("INV-LATE-1", D("500.00"))
    ]
    assert december.closing_balance == D("500.00") == _open_total(session, customer)


def test_a_record_reversed_inside_an_issued_period_counts_after_it(
    session: Session, customer: Customer, clerk: User
) -> None:
    """A statement for the running month, issued today; a write-off reversed afterwards, on
    the same day, counts on the next month's statement."""
    today = dt.date.today()
    start = today.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    receipt = make_receipt(session, "990.00", on=start)
    invoice = _invoice(session, "INV-LATE-1")
    ledger.apply(session, receipt, invoice, D("990.00"), actor=clerk)
    fee = ledger.write_off(session, invoice, D("10.00"), kind="fee", actor=clerk, receipt=receipt)
    current = issue_statement(session, customer, start, end, issued_by=clerk)
    assert current.closing_balance == D("0.00")

    ledger.reverse(session, fee, "the bank refunded the charge", actor=clerk)

    assert_stays_as_issued(session, current)
    following = end + dt.timedelta(days=1)
    after, _ledger = build_for(session, customer, following, following + dt.timedelta(days=27))
    assert after.opening_balance == D("0.00")
    ((line),) = after.lines
    assert (str(line.kind), line.debit, line.value_date, line.date) == (
        "adjustment",
        D("10.00"),
        today,
        following,
    )
    assert after.closing_balance == D("10.00") == _open_total(session, customer)


def test_a_manual_write_off_after_the_running_months_statement_counts_after_it(
    session: Session, customer: Customer, clerk: User
) -> None:
    """A manual adjustment: a small difference written off on the invoice (no receipt, dated
    the day it is recorded) just after the running month's statement was issued."""
    today = dt.date.today()
    start = today.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    current = issue_statement(session, customer, start, end, issued_by=clerk)

    ledger.write_off(
        session,
        _invoice(session, "INV-LATE-1"),
        D("5.00"),
        kind="difference",
        actor=clerk,
        reason="rounding agreed with the customer",
    )

    assert_stays_as_issued(session, current)
    following = end + dt.timedelta(days=1)
    after, _ledger = build_for(session, customer, following, following + dt.timedelta(days=27))
    assert after.opening_balance == current.closing_balance
    (line,) = after.lines
    assert (str(line.kind), line.credit, line.value_date, line.date) == (
        "write_off",
        D("5.00"),
        today,
        following,
    )
    assert after.closing_balance == D("995.00") == _open_total(session, customer)


def test_a_late_record_skips_every_issued_period(
    session: Session, customer: Customer, clerk: User
) -> None:
    """November and December issued; a receipt of 28 November recorded after both counts on
    January's statement."""
    november = _november_with_a_receipt(session, customer, clerk)
    december = issue_statement(session, customer, *DEC, issued_by=clerk)
    _late_receipt_applied(session, customer, clerk)
    assert_stays_as_issued(session, november)
    assert_stays_as_issued(session, december)
    january, _ledger = build_for(session, customer, *JAN)
    assert january.opening_balance == december.closing_balance == november.closing_balance
    (line,) = [line for line in january.lines if str(line.kind) == "payment"]
    assert (line.date, line.value_date) == (JAN[0], dt.date(2026, 11, 28))


def test_what_the_erp_settled_keeps_its_own_date(
    session: Session, customer: Customer, clerk: User
) -> None:
    """The ERP settlement is stored with the ERP's own day; the statement moves it."""
    november = _november_with_a_receipt(session, customer, clerk)
    _late_erp_settlement(session, customer, clerk)
    settlement = session.scalars(select(ErpSettlement)).one()
    assert settlement.day == dt.date(2026, 11, 20)
    assert_stays_as_issued(session, november)
    december, _ledger = build_for(session, customer, *DEC)
    (line,) = december.lines
    assert (line.date, line.value_date, line.credit) == (DEC[0], dt.date(2026, 11, 20), D("600.00"))


# -- corrections ------------------------------------------------------------------------------


def _reissue(session: Session, statement: Statement, clerk: User, why: str) -> Statement:
    return loop.reissue(session, statement, clerk, why, today=dt.date(2026, 12, 10))


def test_a_correction_before_the_next_statement_takes_in_what_came_late(
    session: Session, customer: Customer, clerk: User
) -> None:
    """November is corrected before December is issued: the new version reopens November for
    what was booked since the first one, on its own date, not marked late."""
    november = _november_with_a_receipt(session, customer, clerk)
    voucher = _late_receipt_applied(session, customer, clerk)
    corrected = _reissue(session, november, clerk, "receipt of 28 November was missing")
    assert corrected.closing_balance == D("100.00")
    (line,) = [
        line for line in corrected.lines if (line.kind, line.document) == ("payment", voucher)
    ]
    assert (line.date, line.value_date) == (dt.date(2026, 11, 28), None)
    assert_stays_as_issued(session, corrected)
    december, _ledger = build_for(session, customer, *DEC)
    assert december.opening_balance == corrected.closing_balance
    assert not [line for line in december.lines if line.value_date is not None]


def test_a_dispute_settled_after_the_next_statement_counts_on_the_one_after(
    session: Session, customer: Customer, clerk: User
) -> None:
    """November is disputed and December issued before the dispute is accepted: the credit
    note no longer corrects November (December opened at its closing); it counts on January,
    marked late. Reissuing November then changes none of its figures."""
    buyer = make_user(session, customer=customer, email="buyer@late.test")
    invoice = make_invoice(
        session,
        customer,
        number="INV-LATE-N",
        issue_date=dt.date(2026, 11, 5),
        due_date=dt.date(2026, 12, 5),
        amount="600.00",
    )
    november = issue_statement(session, customer, *NOV, issued_by=clerk)
    (line,) = [line for line in november.lines if line.invoice_id == invoice.id]
    (dispute,) = disputes.open_disputes(
        session,
        november,
        buyer,
        [disputes.LineClaim(line, disputes.DisputeReason.PRICE, D("100.00"))],
        max_bytes=1000,
    )
    december = issue_statement(session, customer, *DEC, issued_by=clerk)
    note = disputes.accept(
        session, dispute, clerk, D("100.00"), "Agreed price", today=dt.date(2026, 12, 20)
    )

    # the dispute was open when December was issued and is settled now: the disputed amount
    # printed is what was disputed then (a status, not a record), so only the figures compare
    assert_stays_as_issued(session, december, pdf=False)
    assert december.opening_balance == november.closing_balance
    january, _ledger = build_for(session, customer, *JAN)
    (late,) = [line for line in january.lines if line.document == note.number]
    assert (late.date, late.value_date, late.credit) == (JAN[0], dt.date(2026, 12, 20), D("100.00"))
    corrected = _reissue(session, november, clerk, "price of INV-LATE-N agreed")
    assert _figures(corrected) == _figures(november)
    assert note.number not in [line.document for line in corrected.lines]
    assert december.opening_balance == corrected.closing_balance


# -- what the customer sees -------------------------------------------------------------------


def _pdf_text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages)


def _row_cells(page: str, needle: str) -> list[str]:
    for row in re.findall(r"<tr>(.*?)</tr>", page, re.S):
        cells = [
            " ".join(re.sub(r"<[^>]+>", " ", c).split())
            for c in re.findall(r"<td[^>]*>.*?</td>", row, re.S)
        ]
        if needle in cells:
            return cells
    raise AssertionError(f"no row with {needle!r}")


@pytest.mark.parametrize(
    ("language", "note", "dates"),
    [
        ("zh", "入账晚于对账单", "2026年11月28日 计入 2026年12月1日"),
        ("en", "booked after the statement was issued", "Nov 28, 2026 counted on Dec 1, 2026"),
    ],
)
def test_the_page_and_the_pdf_show_the_late_record_with_its_own_date(
    client: FlaskClient,
    session: Session,
    customer: Customer,
    clerk: User,
    language: str,
    note: str,
    dates: str,
) -> None:
    customer.language = language
    buyer = make_user(session, customer=customer, language=language, email="ap@late.test")
    _november_with_a_receipt(session, customer, clerk)
    voucher = _late_receipt_on_account(session, customer, clerk)
    december = issue_statement(session, customer, *DEC, issued_by=clerk)
    session.commit()

    (line,) = [line for line in december.lines if line.document == voucher]
    assert (line.date, line.value_date) == (DEC[0], dt.date(2026, 11, 28))
    assert line.description.endswith(note)
    text = _pdf_text(december.issued_pdf)
    assert note.replace(" ", "") in text.replace(" ", "")
    (pdf_row,) = [row for row in text.splitlines() if voucher in row]
    assert pdf_row.startswith("2026-11-28")

    login(client, buyer)
    with client.session_transaction() as sess:
        sess["lang"] = language
    page = client.get(f"/statements/{december.id}").get_data(as_text=True)
    cells = _row_cells(page, voucher)
    # date (own date, then the day it counts on), type, document, description, ...
    assert cells[0] == dates
    assert note in cells[3]


def test_a_payment_taken_off_an_invoice_later_keeps_novembers_lines_and_open_items(
    session: Session, customer: Customer, clerk: User
) -> None:
    """A receipt of 16 November applied to the invoice in November; in December the
    application is reversed (the money held on account instead): November keeps its lines and
    open items, December lists the reversal and the invoice open again."""
    receipt = make_receipt(session, "500.00", on=dt.date(2026, 11, 16), voucher_number="RV-UN")
    invoice = _invoice(session, "INV-LATE-1")
    applied = ledger.apply(session, receipt, invoice, D("500.00"), actor=clerk)
    november = issue_statement(session, customer, *NOV, issued_by=clerk)
    assert [(i.document, i.open_amount) for i in open_items(session, november)["CNY"]] == [
        ("INV-LATE-1", D("500.00"))
    ]

    ledger.reverse(session, applied, "applied to the wrong invoice", actor=clerk)
    ledger.on_account(session, receipt, customer, D("500.00"), actor=clerk)

    assert_stays_as_issued(session, november)
    december, _ledger = build_for(session, customer, *DEC)
    assert december.opening_balance == november.closing_balance == december.closing_balance
    assert [(i.document, i.open_amount) for i in december.open_items] == [
        ("INV-LATE-1", D("1000.00"))
    ]
    assert december.aging.total == december.closing_balance
    (taken_off,) = [line for line in december.lines if str(line.kind) == "unallocation"]
    assert (taken_off.debit, taken_off.credit, taken_off.applied) == (D("0"), D("0"), D("500.00"))
    assert line_description(taken_off, "zh") == "撤销核销 500.00（INV-LATE-1）"
    assert line_description(taken_off, "en") == "Took 500.00 off INV-LATE-1 again"


def test_a_statement_being_issued_is_dated_the_day_it_is_issued(
    session: Session, customer: Customer
) -> None:
    """``issuing_at`` alone dates the statement (issuing passes the time once, not twice)."""
    issuing = dt.datetime(2026, 11, 3, 9, 30, tzinfo=dt.UTC)
    data, _ledger = build_for(session, customer, *OCT, issuing_at=issuing)
    assert data.issued_on == dt.date(2026, 11, 3)
    assert data.respond_by > data.issued_on
