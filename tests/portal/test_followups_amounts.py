"""Collections never tell a customer a wrong amount: what a waiting proposal sends once the
items changed (paid, credited, written off, changed by the ERP), the legal case file, promises
judged on money applied in time, and totals kept apart per currency."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import ledger
from portal.disputes import service as disputes
from portal.erp.service import import_invoices_csv
from portal.followups import documents, promises
from portal.localtime import local_today
from portal.models import (
    ActionStatus,
    Allocation,
    AuditEvent,
    CaseEvent,
    CaseStatus,
    CollectionCase,
    Customer,
    Dispute,
    DisputeReason,
    DisputeStatus,
    Invoice,
    Promise,
    PromiseStatus,
    User,
)
from tests.factories import make_customer, make_invoice, make_receipt, make_user
from tests.portal.customer_helpers import make_payment, make_statement
from tests.portal.finance_helpers import login
from tests.portal.test_followups import TODAY, approve_all, outbox, proposals, run
from tests.portal.test_followups_collections import (  # noqa: F401 (autouse)
    pdf_text,
    standard_ladder_only,
)


def day(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def due_on(
    session: Session, customer: Customer, due: dt.date, amount: str, **kw: object
) -> Invoice:
    return make_invoice(
        session,
        customer,
        issue_date=due - dt.timedelta(days=30),
        due_date=due,
        amount=amount,
        **kw,
    )


def the_case(session: Session, currency: str = "CNY") -> CollectionCase:
    return session.scalars(select(CollectionCase).where(CollectionCase.currency == currency)).one()


def sms_texts(app: Flask) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in outbox(app, ".sms.txt")]


# --- 1. a proposal approved later sends what is owed then ------------------------------------


def test_a_payment_before_approval_sends_the_rest_only(
    app: Flask, session: Session, buyer: Customer, finance: User
) -> None:
    first = due_on(session, buyer, day(-12), "300.00")
    second = due_on(session, buyer, day(-5), "200.00")
    run(session)
    (sms,) = proposals(session)
    assert sms.amount == Decimal("500.00") and "CNY 500.00" in sms.body
    make_payment(session, buyer, [(first, "300.00")], booking_date=TODAY)
    approve_all(session, finance, day(1))
    assert sms.status is ActionStatus.SENT
    (text,) = sms_texts(app)
    assert "CNY 200.00" in text and "CNY 500.00" not in text
    assert sms.amount == Decimal("200.00") and sms.invoice_ids  # named items kept
    sent = session.scalars(select(AuditEvent).where(AuditEvent.action == "collections.sent")).one()
    assert sent.data["items"] == [second.id]


def erp_export(
    session: Session,
    customer: Customer,
    rows: list[tuple[Invoice, str]],
    amount: str = "",
    due: dt.date | None = None,
) -> None:
    """The ERP's open-items export with these invoices at these open amounts (and ``amount``
    or ``due`` for an invoice the ERP corrected)."""
    lines = ["number,customer,issue_date,due_date,currency,amount,open_amount,po_number"]
    lines += [
        f"{i.number},{customer.code},{i.issue_date},{due or i.due_date},{i.currency},"
        f"{amount or i.amount},{o},"
        for i, o in rows
    ]
    import_invoices_csv(session, ("\n".join(lines) + "\n").encode(), filename="open-items.csv")


@pytest.mark.parametrize("change", ["credit_note", "write_off", "erp_part_paid", "erp_amount"])
def test_a_change_before_approval_is_what_the_message_says(
    app: Flask, session: Session, buyer: Customer, finance: User, change: str
) -> None:
    first = due_on(session, buyer, day(-12), "300.00")
    due_on(session, buyer, day(-5), "200.00")
    run(session)
    (sms,) = proposals(session)
    if change == "credit_note":
        ledger.credit_note(session, first, Decimal("120.00"), "goods returned", actor=finance)
    elif change == "write_off":
        ledger.write_off(session, first, Decimal("20.00"), kind="difference", actor=finance)
    elif change == "erp_part_paid":
        erp_export(session, buyer, [(first, "180.00")])
    else:  # the ERP corrects the invoice's amount down
        erp_export(session, buyer, [(first, "180.00")], amount="180.00")
    expected = {"credit_note": "380.00", "write_off": "480.00"}.get(change, "380.00")
    approve_all(session, finance, day(1))
    (text,) = sms_texts(app)
    assert f"CNY {expected}" in text and "CNY 500.00" not in text
    assert sms.status is ActionStatus.SENT and sms.amount == Decimal(expected)


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ("payment", "Settled before it was sent"),
        ("credit_note", "Settled before it was sent"),
        ("erp_closed", "Settled before it was sent"),
        ("erp_cancelled", "Settled before it was sent"),
        ("erp_due_later", "No longer due before it was sent"),
    ],
)
def test_nothing_owed_any_more_withdraws_the_proposal_with_its_reason(
    app: Flask,
    client: FlaskClient,
    session: Session,
    buyer: Customer,
    finance: User,
    change: str,
    why: str,
) -> None:
    paid = due_on(session, buyer, day(-12), "300.00")
    run(session)
    (sms,) = proposals(session)
    # something else falls overdue meanwhile: the case stays open, the proposal does not name it
    due_on(session, buyer, day(-1), "50.00")
    if change == "payment":
        make_payment(session, buyer, [(paid, "300.00")], booking_date=TODAY)
    elif change == "credit_note":
        ledger.credit_note(session, paid, Decimal("300.00"), "goods returned", actor=finance)
    elif change == "erp_closed":
        erp_export(session, buyer, [(paid, "0.00")])
    elif change == "erp_due_later":  # the ERP gave the customer more time
        erp_export(session, buyer, [(paid, "300.00")], due=day(30))
    else:
        from portal.models import InvoiceStatus

        paid.status = InvoiceStatus.CANCELLED  # the ERP cancelled it
        session.flush()
    assert approve_all(session, finance, day(1)) == (1, 0, 0, 1)
    assert sms_texts(app) == []
    assert sms.status is ActionStatus.CANCELLED and sms.note == why.lower()
    assert session.scalar(
        select(AuditEvent).where(
            AuditEvent.action == "collections.action_cancelled",
            AuditEvent.entity_id == str(sms.id),
            AuditEvent.reason == why.lower(),
        )
    )
    case = the_case(session)
    assert case.status is CaseStatus.OPEN
    login(client, finance)
    page = client.get(f"/followups/cases/{case.id}").get_data(as_text=True)
    assert why in page
    with client.session_transaction() as browser:
        browser["lang"] = "zh"
    page = client.get(f"/followups/cases/{case.id}").get_data(as_text=True)
    assert why not in page and ("发送前" in page)


def test_the_proposals_page_shows_the_figures_of_now_and_says_they_changed(
    client: FlaskClient, session: Session, buyer: Customer, finance: User
) -> None:
    first = due_on(session, buyer, day(-12), "300.00")
    due_on(session, buyer, day(-5), "200.00")
    other = make_customer(session, phone="13700000000", language="en", name="Paid Up Ltd")
    settled = due_on(session, other, day(-9), "80.00")
    steady = make_customer(session, phone="13600000000", language="en", name="Steady Ltd")
    due_on(session, steady, day(-9), "65.00")
    run(session)
    login(client, finance)
    page = client.get("/followups/proposals").get_data(as_text=True)
    assert "figures-changed" not in page  # nothing changed yet
    make_payment(session, buyer, [(first, "300.00")], booking_date=TODAY)
    make_payment(session, other, [(settled, "80.00")], booking_date=TODAY)
    page_now = client.get("/followups/proposals").get_data(as_text=True)
    table = page_now.split('id="proposals"')[1]
    rows = {
        a.case.customer.name: table.split(f'id="proposal-{a.id}"')[1].split("</tr>")[0]
        for a in proposals(session)
    }
    # what sending would say now, and that it is not what the run proposed
    assert "CN¥200.00" in rows[buyer.name] and "then CN¥500.00" in rows[buyer.name]
    assert "<td>1</td>" in rows[buyer.name]
    assert "CN¥0.00" in rows["Paid Up Ltd"]
    assert "Nothing is owed on its items any more" in rows["Paid Up Ltd"]
    assert "CN¥65.00" in rows["Steady Ltd"] and "figures-changed" not in rows["Steady Ltd"]
    assert "The totals are those the run proposed" in page_now
    # the sample messages were written when proposed: they say so
    samples = page_now.split('id="samples"')[1].split('id="approve-form"')[0]
    assert samples.count("Written when proposed: the figures changed since") == 2
    # in the reader's language
    with client.session_transaction() as browser:
        browser["lang"] = "zh"
    table = client.get("/followups/proposals").get_data(as_text=True).split('id="proposals"')[1]
    assert "Nothing is owed" not in table and "Changed since" not in table
    assert "已无欠款" in table and "当时为 ¥500.00" in table


def test_leaving_an_item_out_is_no_change_of_the_figures(
    client: FlaskClient, session: Session, buyer: Customer, finance: User
) -> None:
    kept = due_on(session, buyer, day(-12), "300.00")
    left_out = due_on(session, buyer, day(-5), "200.00")
    run(session)
    (sms,) = proposals(session)
    login(client, finance)
    resp = client.post(
        f"/followups/proposals/{sms.id}/exclude", data={"invoice_ids": [str(left_out.id)]}
    )
    assert resp.status_code == 302 and sms.excluded_invoice_ids == [left_out.id]
    row = client.get("/followups/proposals").get_data(as_text=True)
    row = row.split(f'id="proposal-{sms.id}"')[1].split("</tr>")[0]
    assert "CN¥300.00" in row and "<td>1</td>" in row and "Changed since" not in row
    # a payment afterwards is a change again
    make_payment(session, buyer, [(kept, "100.00")], booking_date=TODAY)
    row = client.get("/followups/proposals").get_data(as_text=True)
    row = row.split(f'id="proposal-{sms.id}"')[1].split("</tr>")[0]
    assert "CN¥200.00" in row and "Changed since" in row


# --- 2. the case file legal gets --------------------------------------------------------------


def open_item_dispute(
    session: Session, invoice: Invoice, by: User, amount: str, status: str = "open"
) -> Dispute:
    """A dispute of an open item (not of a statement line), as the customer raises it."""
    found = Dispute(
        number=f"D-{invoice.number[-6:]}-{amount[:-3]}",
        customer_id=invoice.customer_id,
        invoice_id=invoice.id,
        reason=DisputeReason.QUANTITY,
        amount=Decimal(amount),
        created_by_id=by.id,
        status=DisputeStatus(status),
    )
    session.add(found)
    session.flush()
    return found


def lines_with(text: str, needle: str) -> list[str]:
    return [line for line in text.splitlines() if needle in line]


def test_a_disputed_statement_line_belongs_to_the_case_of_its_own_currency(
    app: Flask, session: Session, buyer: Customer, finance: User
) -> None:
    # a CNY statement with a USD section: the dispute of a USD payment line (no invoice) is the
    # dollar case's, although the statement's main currency is yuan
    due_on(session, buyer, day(-70), "1000.00")
    due_on(session, buyer, day(-70), "90.00", currency="USD")
    statement = make_statement(session, buyer)
    line = statement.lines[1]
    line.kind, line.currency, line.invoice_id = "payment", "USD", None
    dispute = Dispute(
        number="D-USD-LINE",
        customer_id=buyer.id,
        statement_id=statement.id,
        statement_line_id=line.id,
        reason=DisputeReason.OTHER,
        amount=Decimal("55.00"),
        created_by_id=finance.id,
    )
    session.add(dispute)
    session.flush()
    run(session)
    with app.test_request_context():
        yuan, dollars = (
            pdf_text(
                documents.render_case_file(
                    session,
                    the_case(session, ccy),
                    today=local_today(),
                    approver=finance,
                    reason="x",
                )
            )
            for ccy in ("CNY", "USD")
        )
    assert "D-USD-LINE" not in yuan and "55.00" not in yuan
    (row,) = lines_with(dollars.split("Disputes")[-1], "D-USD-LINE")
    assert "USD 55.00" in row


def test_the_case_file_lists_open_disputed_and_undisputed_per_invoice_in_its_currency(
    app: Flask, client: FlaskClient, session: Session, buyer: Customer, finance: User
) -> None:
    whole = due_on(session, buyer, day(-70), "1000.00")
    part_paid = due_on(session, buyer, day(-65), "800.00")
    paid = due_on(session, buyer, day(-80), "400.00")
    dollars = due_on(session, buyer, day(-70), "90.00", currency="USD")
    make_payment(session, buyer, [(part_paid, "300.00"), (paid, "400.00")], booking_date=TODAY)
    on_part_paid = open_item_dispute(session, part_paid, finance, "200.00")
    rejected = open_item_dispute(session, whole, finance, "100.00", "rejected")
    on_dollars = open_item_dispute(session, dollars, finance, "50.00")
    run(session)
    login(client, finance)
    case = the_case(session)
    resp = client.post(
        f"/followups/cases/{case.id}/legal",
        data={"approver": str(finance.id), "reason": "No payment for two months"},
    )
    assert resp.status_code == 302 and case.status is CaseStatus.LEGAL
    event = session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.kind == "legal")
    ).one()
    text = pdf_text(client.get(f"/followups/files/{event.id}").data)
    section = text.split("Open invoices")[1].split("Contact history")[0]
    # per invoice: its amount, what was paid or credited, what is open, the disputed part and
    # the undisputed part, as they stand on the hand-over day
    assert f"on {local_today().isoformat()}" in text.split("Open invoices")[1].splitlines()[0]
    (row,) = lines_with(section, part_paid.number)
    assert row.split(part_paid.number)[1].split()[1:] == [
        "CNY", "800.00", "CNY", "300.00", "CNY", "500.00", "CNY", "200.00", "CNY", "300.00",
    ]  # fmt: skip
    (row,) = lines_with(section, whole.number)  # a rejected dispute holds nothing out
    assert row.split(whole.number)[1].split()[1:] == [
        "CNY", "1,000.00", "CNY", "0.00", "CNY", "1,000.00", "CNY", "0.00", "CNY", "1,000.00",
    ]  # fmt: skip
    assert paid.number not in section  # paid in full: in the statement of account only
    (total,) = lines_with(section, "Total")
    assert total.split()[1:] == [
        "CNY", "1,800.00", "CNY", "300.00", "CNY", "1,500.00", "CNY", "200.00", "CNY", "1,300.00",
    ]  # fmt: skip
    # the dollars are another case: neither their invoice nor their dispute is in this file,
    # and no dollar amount is ever shown as yuan
    assert dollars.number not in text and on_dollars.number not in text and "50.00" not in text
    disputes = text.split("Disputes")[-1]
    (row,) = lines_with(disputes, on_part_paid.number)
    assert part_paid.number in row and "CNY 200.00" in row
    assert rejected.number in disputes
    # no interest or fee is added to what the customer owes, and the file says so
    assert "No interest or fees are charged on these amounts." in text
    assert text.lower().count("interest") == 1 and "fee" not in text.lower().replace("fees", "")
    # the same file for legal reading Chinese
    buyer.language = "zh"
    with app.test_request_context():
        zh = pdf_text(
            documents.render_case_file(
                session, case, today=local_today(), approver=finance, reason="x"
            )
        )
    assert f"截至 {local_today().isoformat()} 的未结发票" in zh
    for word in ("发票金额", "已付款", "争议中", "无争议", "不含任何利息或费用"):
        assert word in zh, word
    (total,) = lines_with(zh.split("未结发票")[1], "合计")
    assert total.split()[1:] == [
        "CNY", "1,800.00", "CNY", "300.00", "CNY", "1,500.00", "CNY", "200.00", "CNY", "1,300.00",
    ]  # fmt: skip


# --- 3. promises to pay: judged on money applied in time ---------------------------------------


def promise(session: Session, finance: User, amount: str, *plan: tuple[int, str]) -> Promise:
    """A promise on the CNY case taken today: one date and amount, or instalments."""
    return promises.make_promise(
        session,
        the_case(session),
        instalments=[(day(n), Decimal(a)) for n, a in plan] or [(day(5), Decimal(amount))],
        source="call",
        user=finance,
        grace_days=3,
        today=TODAY,
    )


def judged(session: Session, promise_: Promise) -> CaseEvent:
    return session.scalars(
        select(CaseEvent).where(
            CaseEvent.case_id == promise_.case_id, CaseEvent.kind.like("promise_%")
        )
    ).one()


def test_a_partial_payment_in_time_breaks_the_promise_and_says_how_much_was_paid(
    client: FlaskClient, session: Session, buyer: Customer, finance: User
) -> None:
    invoice = due_on(session, buyer, day(-20), "1000.00")
    run(session)
    kept = promise(session, finance, "1000.00")
    make_payment(session, buyer, [(invoice, "400.00")], booking_date=day(2))
    run(session, day(8))  # the date plus grace: still open
    assert kept.status is PromiseStatus.OPEN
    assert run(session, day(9)).promises_broken == 1 and kept.status is PromiseStatus.BROKEN
    event = judged(session, kept)
    assert (event.kind, event.outcome) == ("promise_broken", "partly_kept")
    assert event.body == "CNY 400.00 / CNY 1,000.00"
    login(client, finance)
    page = client.get(f"/followups/cases/{the_case(session).id}").get_data(as_text=True)
    assert "Partly kept: paid in time / promised" in page and "CNY 400.00 / CNY 1,000.00" in page
    # the rest is what the ladder asks for now
    (action,) = proposals(session)
    assert action.amount == Decimal("600.00")


def test_the_rest_paid_in_time_keeps_the_promise(
    session: Session, buyer: Customer, finance: User
) -> None:
    invoice = due_on(session, buyer, day(-20), "1000.00")
    run(session)
    kept = promise(session, finance, "1000.00")
    make_payment(session, buyer, [(invoice, "400.00")], booking_date=day(2))
    run(session, day(3))
    assert kept.status is PromiseStatus.OPEN
    make_payment(session, buyer, [(invoice, "600.00")], booking_date=day(7))  # within grace
    assert run(session, day(8)).promises_kept == 1 and kept.status is PromiseStatus.KEPT


def test_money_that_came_after_the_date_and_grace_does_not_keep_the_promise(
    session: Session, buyer: Customer, finance: User
) -> None:
    invoice = due_on(session, buyer, day(-20), "1000.00")
    run(session)
    late = promise(session, finance, "1000.00")
    run(session, day(8))
    # no run on the days after the grace (a holiday); the customer paid on day 11
    make_payment(session, buyer, [(invoice, "1000.00")], booking_date=day(11))
    run(session, day(12))
    assert late.status is PromiseStatus.BROKEN
    assert judged(session, late).body == "CNY 0.00 / CNY 1,000.00"


def test_money_that_came_in_time_counts_though_applied_later(
    session: Session, buyer: Customer, finance: User
) -> None:
    invoice = due_on(session, buyer, day(-20), "1000.00")
    run(session)
    kept = promise(session, finance, "1000.00")
    run(session, day(6))
    # received on day 5, matched by finance on day 7: the customer kept their word
    make_payment(session, buyer, [(invoice, "1000.00")], booking_date=day(5))
    run(session, day(8))
    assert kept.status is PromiseStatus.KEPT


def test_a_credit_on_the_disputed_part_is_not_money_paid_on_the_promise(
    session: Session, buyer: Customer, finance: User
) -> None:
    invoice = due_on(session, buyer, day(-20), "1000.00")
    disputed = open_item_dispute(session, invoice, finance, "300.00")
    run(session)
    broken = promise(session, finance, "700.00")  # what is dunned: the undisputed part
    disputes.accept(session, disputed, finance, Decimal("300.00"), "short delivery", today=day(1))
    make_payment(session, buyer, [(invoice, "400.00")], booking_date=day(4))
    run(session, day(9))
    # 400.00 of the 700.00 promised was paid: the credit of 300.00 was never part of it
    assert broken.status is PromiseStatus.BROKEN
    assert judged(session, broken).body == "CNY 400.00 / CNY 700.00"


def test_a_bank_fee_written_off_beside_the_payment_keeps_the_promise(
    session: Session, buyer: Customer, finance: User
) -> None:
    invoice = due_on(session, buyer, day(-20), "1000.00")
    run(session)
    kept = promise(session, finance, "1000.00")
    make_payment(session, buyer, [(invoice, "985.00")], booking_date=day(3))
    ledger.write_off(session, invoice, Decimal("15.00"), kind="fee", actor=finance)
    assert run(session, day(4)).promises_kept == 1 and kept.status is PromiseStatus.KEPT


def test_a_reversed_payment_is_not_money_paid(
    session: Session, buyer: Customer, finance: User
) -> None:
    invoice = due_on(session, buyer, day(-20), "1000.00")
    run(session)
    broken = promise(session, finance, "1000.00")
    make_payment(session, buyer, [(invoice, "1000.00")], booking_date=day(3))
    # the bank recalls it the same day (before any run judged it)
    payment = session.scalars(select(Allocation).where(Allocation.invoice_id == invoice.id)).one()
    ledger.reverse(session, payment, "payment returned by the bank", actor=finance)
    run(session, day(9))
    assert broken.status is PromiseStatus.BROKEN


def test_only_money_in_the_promises_currency_counts(
    session: Session, buyer: Customer, finance: User
) -> None:
    due_on(session, buyer, day(-20), "500.00")
    dollars = due_on(session, buyer, day(-20), "500.00", currency="USD")
    run(session)
    broken = promise(session, finance, "500.00")  # on the CNY case
    receipt = make_receipt(session, "500.00", on=day(2), currency="USD")
    ledger.apply(session, receipt, dollars, Decimal("500.00"), actor=finance)
    run(session, day(9))
    assert broken.status is PromiseStatus.BROKEN
    assert judged(session, broken).body == "CNY 0.00 / CNY 500.00"


def test_a_promise_whose_items_were_credited_in_full_is_void_not_kept(
    session: Session, buyer: Customer, finance: User
) -> None:
    invoice = due_on(session, buyer, day(-20), "1000.00")
    run(session)
    void = promise(session, finance, "1000.00")
    ledger.credit_note(session, invoice, Decimal("1000.00"), "goods returned", actor=finance)
    result = run(session, day(1))
    assert void.status is PromiseStatus.CANCELLED
    assert (result.promises_kept, result.promises_broken) == (0, 0)
    assert judged(session, void).kind == "promise_cancelled"
    assert promises.stats(session).rate is None  # neither kept nor broken


def test_an_instalment_paid_short_breaks_the_plan_at_its_date(
    session: Session, buyer: Customer, finance: User
) -> None:
    invoice = due_on(session, buyer, day(-20), "1000.00")
    run(session)
    plan = promise(session, finance, "", (5, "500.00"), (20, "500.00"))
    make_payment(session, buyer, [(invoice, "300.00")], booking_date=day(5))
    run(session, day(8))
    assert plan.status is PromiseStatus.OPEN
    run(session, day(9))
    assert plan.status is PromiseStatus.BROKEN
    assert judged(session, plan).body == "CNY 300.00 / CNY 1,000.00"


# --- 4. currencies: one total per currency, never added together ------------------------------


def test_every_message_and_letter_of_a_customer_in_two_currencies_has_one_currency(
    app: Flask, client: FlaskClient, session: Session, buyer: Customer, finance: User
) -> None:
    due_on(session, buyer, day(-40), "300.00")
    due_on(session, buyer, day(-35), "200.00")
    due_on(session, buyer, day(-40), "70.00", currency="USD")
    letters: list[str] = []
    n = 0
    while len(letters) < 2 and n < 60:
        run(session, day(n))
        for action in proposals(session):
            assert action.channel != "legal", "the letter step was passed"
        approve_all(session, finance, day(n))
        letters = sorted(
            str(p) for p in (Path(app.instance_path) / "collections").glob("letter-*.pdf")
        )
        n += 1
    texts = [pdf_text(Path(p).read_bytes()) for p in letters]
    texts += sms_texts(app) + [p.read_text(encoding="utf-8") for p in outbox(app, ".eml")]
    assert len(letters) == 2 and len(sms_texts(app)) == 2
    for text in texts:
        # each message is about one case: yuan or dollars, never both, never their sum
        assert ("CNY" in text) != ("USD" in text), text
        assert "570.00" not in text and "CNY 70.00" not in text and "USD 500.00" not in text
    cny = next(t for t in texts if "Total" in t and "CNY" in t)
    usd = next(t for t in texts if "Total" in t and "USD" in t)
    assert lines_with(cny, "Total")[0].endswith("CNY 500.00")
    assert lines_with(usd, "Total")[0].endswith("USD 70.00")
    # the customer's own list: one line per currency
    login(client, make_user(session, customer=buyer, language="en"))
    page = client.get("/followups/my").get_data(as_text=True)
    assert 'CNY</a></td><td class="num">CN¥500.00' in page
    assert 'USD</a></td><td class="num">$70.00' in page and "570" not in page
