"""Bank files as banks write them, through the real parser and engine: the same payment in two
files is one payment; credits that are no customer payment stay out of the queue."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.banking import layouts
from portal.models import (
    BankFile,
    BankFileStatus,
    BankLayout,
    BankTransaction,
    Invoice,
    InvoiceStatus,
    MatchStatus,
)
from tests.factories import make_customer, make_invoice, make_user
from tests.portal.finance_helpers import import_bank_file, login

DATA = Path(__file__).resolve().parents[1] / "reconcile" / "data" / "bankfiles"
OUR = "456789012345"
STATEMENT = (
    "交易日期,交易流水号,对方户名,对方账号,贷方金额,借方金额,币种,摘要,本方账号\n"
    "2026-11-12,S-{n},杭州远景1号贸易有限公司,33050161234500001,5001.00,,CNY,INV-2026-0110 货款,"
    f"{OUR}\n"
    "2026-11-12,S-I{n},中国银行,,12.34,,CNY,结息,"
    f"{OUR}\n"
)


@pytest.mark.parametrize("receipt_first", [True, False])
def test_receipt_and_statement_of_one_payment_apply_once(
    session: Session, receipt_first: bool
) -> None:
    customer = make_customer(session, code="C00301", name="杭州远景1号贸易有限公司")
    invoice = make_invoice(session, customer, number="INV-2026-0110", amount="5001.00")
    receipt = (DATA / "pdf_slash_labels_three_per_page.pdf").read_bytes()
    statement = STATEMENT.format(n=int(receipt_first)).encode()
    order = [("receipt.pdf", receipt), ("statement.csv", statement)]
    if not receipt_first:
        order.reverse()
    first = import_bank_file(session, *order[0])
    second = import_bank_file(session, *order[1])
    assert (invoice.open_amount, invoice.status) == (Decimal("0.00"), InvoiceStatus.PAID)
    paid = [t for t in first + second if t.amount == Decimal("5001.00")]
    assert len(paid) == 2
    original, copy = paid
    assert original.match_status is MatchStatus.MATCHED
    assert copy.match_status is MatchStatus.DUPLICATE
    assert copy.duplicate_of_id == original.id
    assert copy.allocations == []
    # the bank references differ: the reason names the entry it repeats, not a bank reference
    (reason,) = copy.reasons
    assert reason["parts"] == [
        {
            "code": "same_payment",
            "params": {"voucher": original.voucher_number, "date": str(original.booking_date)},
        }
    ]


def test_interest_is_classified_and_kept_out_of_the_queue(session: Session) -> None:
    rows = import_bank_file(session, "interest.csv", STATEMENT.format(n=7).encode())
    interest = next(t for t in rows if t.amount == Decimal("12.34"))
    assert interest.match_status is MatchStatus.IGNORED
    assert interest.raw["category"] == "interest"


# a headerless export whose columns cannot be told apart by their values alone
# no header, and two columns of figures (the amount and a count of items) that the values alone
# cannot tell apart: only a mapping reads it
ODD = (
    "07/11/2026;杭州远景1号贸易有限公司;INV-2026-0110;5001,00;12\n"
    "08/11/2026;北京顺达物流有限公司;运费;-1100,00;3\n"
)
ODD_LATER = "09/11/2026;广州恒信电子有限公司;INV-2026-0121;2345,00;7\n"


def test_unknown_layout_is_mapped_once_then_used_by_itself(
    session: Session, client: FlaskClient
) -> None:
    login(client, make_user(session, "finance", email="mapper@example.com"))
    rows = import_bank_file(session, "odd.csv", ODD.encode())
    assert rows == []
    bank_file = session.scalar(select(BankFile).where(BankFile.original_name == "odd.csv"))
    assert bank_file is not None and layouts.needs_layout(bank_file)
    page = client.get("/banking/uploads")
    assert f"/banking/files/{bank_file.id}/layout".encode() in page.data
    form = client.get(f"/banking/files/{bank_file.id}/layout")
    assert form.status_code == 200
    assert "杭州远景1号贸易有限公司".encode() in form.data  # the preview
    incomplete = client.post(
        f"/banking/files/{bank_file.id}/layout",
        data={"name": "odd", "first_row": "1", "date_order": "dmy", "sign": "auto"},
    )
    assert incomplete.status_code == 200 and bank_file.status is not BankFileStatus.DONE
    saved = client.post(
        f"/banking/files/{bank_file.id}/layout",
        data={
            "name": "Odd bank export",
            "our_account": OUR,
            "first_row": "1",
            "date_order": "dmy",
            "sign": "normal",
            "currency": "CNY",
            "booking_date": "0",
            "counterparty_name": "1",
            "description": "2",
            "amount": "3",
        },
    )
    assert saved.status_code == 302
    session.refresh(bank_file)
    assert bank_file.status is BankFileStatus.DONE
    imported = session.scalars(
        select(BankTransaction).where(BankTransaction.file_id == bank_file.id)
    ).all()
    assert sorted((t.direction.value, t.amount, t.our_account) for t in imported) == [
        ("credit", Decimal("5001.00"), OUR),
        ("debit", Decimal("1100.00"), OUR),
    ]
    assert session.scalar(select(BankLayout.name)) == "Odd bank export"
    later = import_bank_file(session, "odd-later.csv", ODD_LATER.encode())
    assert [(t.amount, t.payer_name, t.booking_date.day) for t in later] == [
        (Decimal("2345.00"), "广州恒信电子有限公司", 9)
    ]


def test_suggestion_of_an_invoice_settled_meanwhile_is_recomputed(
    session: Session, client: FlaskClient
) -> None:
    login(client, make_user(session, "finance", email="reviewer@example.com"))
    one = make_customer(session, code="C00401", name="广州恒信电子有限公司")
    two = make_customer(session, code="C00402", name="成都金诚机械有限公司")
    make_invoice(session, one, number="INV-2026-0401", amount="2345.67")
    make_invoice(session, two, number="INV-2026-0402", amount="2345.67")
    csv = (
        "交易日期,交易流水号,对方户名,对方账号,贷方金额,借方金额,币种,摘要,本方账号\n"
        f"2026-11-12,S-SET,张三,6222000033334444,2345.67,,CNY,货款,{OUR}\n"
    )
    (row,) = import_bank_file(session, "same-amount.csv", csv.encode())
    assert row.match_status is MatchStatus.SUGGESTED, row.reasons
    named = [a["invoice"] for s in row.suggestions for a in s["allocations"]]
    assert "INV-2026-0401" in named
    settled = session.scalar(select(Invoice).where(Invoice.number == "INV-2026-0401"))
    assert settled is not None
    settled.open_amount = Decimal("0.00")  # paid by another receipt meanwhile
    session.flush()
    page = client.get(f"/banking/transactions/{row.id}")
    assert page.status_code == 200
    session.refresh(row)
    named = [a["invoice"] for s in row.suggestions for a in s["allocations"]]
    assert "INV-2026-0401" not in named and "INV-2026-0402" in named
    assert row.match_status is MatchStatus.SUGGESTED


def test_an_export_without_a_currency_column_is_in_the_default_currency(
    session: Session,
) -> None:
    # many Chinese bank exports state no currency: the account's is implied (BANK_DEFAULT_CURRENCY)
    customer = make_customer(session, code="C00401", name="上海华美贸易有限公司")
    invoice = make_invoice(session, customer, number="INV-2026-0401", amount="12000.00")
    data = (
        "交易日期 Date,金额 Amount,借贷 Dr/Cr,对方户名 Counterparty,摘要 Remarks,流水号 Ref No.\n"
        '2026/11/28,"12,000.00",贷 Cr,上海华美贸易有限公司,货款 INV-2026-0401,B001\n'
    ).encode()
    (txn,) = import_bank_file(session, "nocurrency.csv", data)
    assert txn.currency == "CNY"
    assert txn.match_status is MatchStatus.MATCHED
    assert (invoice.open_amount, invoice.status) == (Decimal("0.00"), InvoiceStatus.PAID)


def test_a_transfer_between_the_files_own_accounts_stays_out_of_the_queue(
    session: Session,
) -> None:
    """SNS Bank's camt.053 for two accounts of one owner (newinnovations/camt053, MIT): 500.00
    moved from one to the other, while a customer of the owner's name has 500.00 open."""
    from portal.banking.context import transaction_of

    customer = make_customer(session, code="C00309", name="GreatExample BV", currency="EUR")
    invoice = make_invoice(session, customer, number="INV-2026-0500", amount="500.00")
    data = (DATA / "camt053_sns_interest_own_transfer.xml").read_bytes()
    rows = import_bank_file(session, "sns.xml", data)
    credit = next(
        t for t in rows if t.amount == Decimal("500.00") and t.direction.value == "credit"
    )
    assert credit.match_status is MatchStatus.IGNORED
    assert credit.raw["category"] == "own_transfer"
    assert invoice.open_amount == Decimal("500.00")
    # read back for the engine (a suggestion refreshed, a file matched again): still ours
    assert transaction_of(credit).category == "own_transfer"


def test_a_returned_direct_debit_is_reported_with_the_file_and_on_the_entry(
    session: Session, app: Flask
) -> None:
    """Commerzbank's returned SEPA direct debit (jejik/mt940's ``commerzbank.sta``, MIT): GVC
    109 on the debit side, 12.35 EUR to the customer TESTER EL."""
    from portal.banking.problems import problem_text
    from portal.banking.reasons import match_reason

    data = (DATA / "mt940_jejik_commerzbank.sta").read_bytes()
    (returned,) = import_bank_file(session, "commerzbank.sta", data)
    assert (returned.direction.value, returned.match_status) == ("debit", MatchStatus.IGNORED)
    assert (returned.raw["category"], returned.raw["returned_payment"]) == ("reversal", "GVC 109")
    bank_file = session.get(BankFile, returned.file_id)
    assert bank_file is not None
    (notice,) = [p for p in bank_file.problems or [] if p.get("code") == "payment_returned"]
    with app.test_request_context("/"), force_locale("zh"):
        assert problem_text(notice).endswith(
            "12.35 EUR 已退回给 TESTER EL（GVC 109）：客户的付款被退回（直接借记退回、拒付、"
            "汇款或支票退回）；其所付发票可能重新变为未付"
        )
        # on the entry's page too, without the file's name
        (warning,) = returned.warnings
        assert problem_text(warning).startswith("12.35 EUR 已退回给 TESTER EL（GVC 109）")
        assert match_reason(returned.reasons[0]) == (
            "客户的付款被退回（GVC 109）：其所付发票可能重新变为未付"
        )
