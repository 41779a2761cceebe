"""Disputes: customers dispute statement lines; staff triage, message, accept or reject."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.audit.service import verify_chain
from portal.disputes import attachments, errors, service
from portal.models import (
    AuditEvent,
    CreditNote,
    Dispute,
    DisputeAttachment,
    DisputeMessage,
    DisputeStatus,
    StatementStatus,
)
from tests.factories import make_customer, make_user
from tests.portal.customer_helpers import PNG, login, mail_body, make_statement, outbox

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _dispute_form(statement, picks, **extra):  # type: ignore[no-untyped-def]
    data = {}
    for line, reason, amount, comment in picks:
        data[f"sel_{line.id}"] = "y"
        data[f"reason_{line.id}"] = reason
        data[f"amount_{line.id}"] = amount
        data[f"comment_{line.id}"] = comment
    data.update(extra)
    return data


@pytest.fixture
def setup(session: Session):  # type: ignore[no-untyped-def]
    customer = make_customer(session, language="en")
    user = make_user(session, customer=customer, language="en", name="Alice Buyer")
    statement = make_statement(session, customer)
    return customer, user, statement


def test_customer_disputes_two_lines_with_an_attachment(
    client: FlaskClient, session: Session, app: Flask, setup
):  # type: ignore[no-untyped-def]
    _customer, user, statement = setup
    l1, l2 = statement.lines
    login(client, user)
    data = _dispute_form(
        statement,
        [
            (l1, "price", "200.00", "Agreed price was lower"),
            (l2, "not_received", "800.50", "Pallet 3 never arrived"),
        ],
    )
    data["attachments"] = [
        (io.BytesIO(PDF_BYTES), "delivery note.pdf"),
        (io.BytesIO(PNG), "photo.png"),
    ]
    resp = client.post(
        f"/statements/{statement.id}/dispute", data=data, content_type="multipart/form-data"
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)
    disputes = session.scalars(
        select(Dispute).where(Dispute.statement_id == statement.id).order_by(Dispute.id)
    ).all()
    assert [d.amount for d in disputes] == [Decimal("200.00"), Decimal("800.50")]
    assert [d.reason.value for d in disputes] == ["price", "not_received"]
    assert all(re.fullmatch(r"DSP-\d{4}-\d{6}", d.number) for d in disputes)
    assert disputes[0].number != disputes[1].number
    assert disputes[0].invoice_id == l1.invoice_id
    session.refresh(statement)
    assert statement.status is StatementStatus.DISPUTED
    assert statement.disputed_amount == Decimal("1000.50")
    atts = session.scalars(
        select(DisputeAttachment).where(DisputeAttachment.dispute_id == disputes[0].id)
    ).all()
    assert sorted((a.filename, a.content_type) for a in atts) == [
        ("delivery note.pdf", "application/pdf"),
        ("photo.png", "image/png"),
    ]
    # the thread shows the comment and the attachment; the customer got an email per dispute
    html = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Agreed price was lower" in html and "delivery note.pdf" in html
    bodies = [mail_body(p) for p in outbox(app)]
    assert sum(d.number in b for d in disputes for b in bodies) == 2
    # each email links to its own thread in the portal
    for d in disputes:
        assert sum(f"http://localhost/disputes/{d.id}\n" in b for b in bodies) == 1
    actions = session.scalars(select(AuditEvent.action)).all()
    assert actions.count("dispute.opened") == 2 and "statement.disputed" in actions
    assert verify_chain(session).ok
    # a disputed statement cannot be disputed or confirmed again
    again = client.get(f"/statements/{statement.id}/dispute")
    assert again.status_code == 302
    assert client.get(f"/statements/{statement.id}/confirm").status_code == 302


@pytest.mark.parametrize("amount", ["0", "-5", "1200.01"])
def test_amount_must_be_positive_and_at_most_the_line(
    client: FlaskClient, session: Session, setup, amount
):  # type: ignore[no-untyped-def]
    _c, user, statement = setup
    line = statement.lines[0]
    login(client, user)
    resp = client.post(
        f"/statements/{statement.id}/dispute",
        data=_dispute_form(statement, [(line, "price", amount, "")]),
    )
    assert resp.status_code == 200
    assert session.scalar(select(Dispute).where(Dispute.statement_id == statement.id)) is None
    assert "has-error" in resp.get_data(as_text=True)


def test_a_line_and_a_reason_are_required(client: FlaskClient, session: Session, setup):  # type: ignore[no-untyped-def]
    _c, user, statement = setup
    login(client, user)
    assert "Select at least one line" in client.post(
        f"/statements/{statement.id}/dispute", data={}
    ).get_data(as_text=True)
    line = statement.lines[0]
    resp = client.post(
        f"/statements/{statement.id}/dispute", data=_dispute_form(statement, [(line, "", "10", "")])
    )
    assert "Choose a reason." in resp.get_data(as_text=True)
    assert session.scalar(select(Dispute)) is None


def test_attachment_type_comes_from_content_not_name(client: FlaskClient, session: Session, setup):  # type: ignore[no-untyped-def]
    _c, user, statement = setup
    line = statement.lines[0]
    login(client, user)
    data = _dispute_form(statement, [(line, "price", "10.00", "")])
    data["attachments"] = [(io.BytesIO(b"MZ\x90\x00 this is an exe"), "invoice.pdf")]
    resp = client.post(
        f"/statements/{statement.id}/dispute", data=data, content_type="multipart/form-data"
    )
    assert resp.status_code == 200
    assert "PDF, PNG or JPEG" in resp.get_data(as_text=True)
    assert session.scalar(select(Dispute)) is None
    session.refresh(statement)
    assert statement.status is StatementStatus.ISSUED


def test_attachment_size_limit(app: Flask, session: Session, setup):  # type: ignore[no-untyped-def]
    _c, user, statement = setup
    big = attachments.Upload("big.png", PNG + b"\x00" * 100)
    with pytest.raises(errors.AttachmentRejected):
        service.open_disputes(
            session,
            statement,
            user,
            [service.LineClaim(statement.lines[0], service.DisputeReason.PRICE, Decimal("1"))],
            [big],
            max_bytes=100,
        )
    assert attachments.sniff_type(b"\xff\xd8\xff\xe0JFIF") == ("image/jpeg", ".jpg")
    assert attachments.safe_filename("../../etc/pass\x00wd.exe", ".png") == "passwd.png"


def test_confirmed_statement_cannot_be_disputed(session: Session, setup):  # type: ignore[no-untyped-def]
    customer, user, _st = setup
    confirmed = make_statement(session, customer, status=StatementStatus.CONFIRMED, version=2)
    claim = service.LineClaim(confirmed.lines[0], service.DisputeReason.PRICE, Decimal("1"))
    with pytest.raises(errors.NotDisputable):
        service.open_disputes(session, confirmed, user, [claim], max_bytes=1000)


def _open_one(session: Session, user, statement) -> Dispute:  # type: ignore[no-untyped-def]
    claim = service.LineClaim(
        statement.lines[0], service.DisputeReason.QUANTITY, Decimal("300.00"), "Only 3 boxes"
    )
    return service.open_disputes(session, statement, user, [claim], max_bytes=10_000)[0]


def test_an_accepted_dispute_credits_the_invoice_it_names(session: Session, setup):  # type: ignore[no-untyped-def]
    """Balances, dunning and aging use the open amount: it must drop with the credit note."""
    _customer, user, statement = setup
    dispute = _open_one(session, user, statement)
    invoice = dispute.invoice
    assert invoice is not None
    before = invoice.open_amount
    finance = make_user(session, role="finance", name="Fay Finance")
    note = service.accept(session, dispute, finance, Decimal("250.00"), "Credit for 1 box")
    assert note.invoice_id == invoice.id
    assert invoice.open_amount == before - Decimal("250.00")
    event = session.scalar(
        select(AuditEvent)
        .where(AuditEvent.action == "dispute.accepted")
        .order_by(AuditEvent.id.desc())
    )
    assert event is not None and event.data["invoice_credited"] == "250.00"


def test_staff_triage_message_and_accept_with_credit_note(
    client: FlaskClient, session: Session, app: Flask, setup
):  # type: ignore[no-untyped-def]
    _customer, user, statement = setup
    dispute = _open_one(session, user, statement)
    finance = make_user(session, role="finance", name="Fay Finance")
    login(client, finance)
    assert dispute.number in client.get("/staff/disputes/").get_data(as_text=True)
    assert (
        client.post(
            f"/staff/disputes/{dispute.id}/assign", data={"assign-assignee": finance.id}
        ).status_code
        == 302
    )
    assert client.post(f"/staff/disputes/{dispute.id}/review", data={}).status_code == 302
    client.post(
        f"/staff/disputes/{dispute.id}/message",
        data={"msg-body": "Checking with the warehouse", "msg-internal": ""},
    )
    client.post(
        f"/staff/disputes/{dispute.id}/message",
        data={"msg-body": "Warehouse says 4 boxes", "msg-internal": "y"},
    )
    too_much = client.post(f"/staff/disputes/{dispute.id}/accept", data={"accept-amount": "300.01"})
    assert too_much.status_code == 400
    resp = client.post(
        f"/staff/disputes/{dispute.id}/accept",
        data={"accept-amount": "250.00", "accept-resolution": "Credit for 1 box"},
    )
    assert resp.status_code == 302
    session.refresh(dispute)
    assert dispute.status is DisputeStatus.ACCEPTED and dispute.assigned_to_id == finance.id
    note = session.scalar(select(CreditNote).where(CreditNote.dispute_id == dispute.id))
    assert note is not None and note.amount == Decimal("250.00")
    assert note.invoice_id == dispute.invoice_id and dispute.credit_note_id == note.id
    # a second decision (a colleague's page was older) is refused with why, and credits nothing
    again = client.post(
        f"/staff/disputes/{dispute.id}/reject",
        data={"reject-reason": "no"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "无法从“已接受”变为“已驳回”：可能已被他人更改" in again  # finance reads Chinese
    assert session.scalar(select(func.count()).select_from(CreditNote)) == 1
    internal = session.scalar(select(DisputeMessage).where(DisputeMessage.internal.is_(True)))
    assert internal is not None and internal.body == "Warehouse says 4 boxes"
    # the customer sees the reply and the credit note, never the internal note
    client.post("/logout")
    login(client, user)
    html = client.get(f"/disputes/{dispute.id}").get_data(as_text=True)
    assert "Checking with the warehouse" in html and "Warehouse says 4 boxes" not in html
    assert note.number in html and "Accepted" in html
    mails = [mail_body(p) for p in outbox(app)]
    assert any("Under review" in b for b in mails)
    assert any("Checking with the warehouse" in b for b in mails)
    link = f"http://localhost/disputes/{dispute.id}\n"
    about = [b for b in mails if "Checking with the warehouse" in b or "Under review" in b]
    assert about and all(link in b for b in about)
    assert not any("Warehouse says 4 boxes" in b for b in mails)
    assert any(note.number in b for b in mails)
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.entity_type == "dispute")
    ).all()
    for action in (
        "dispute.opened",
        "dispute.assigned",
        "dispute.under_review",
        "dispute.message",
        "dispute.note",
        "dispute.accepted",
    ):
        assert action in actions
    # resolved disputes cannot be resolved again
    client.post("/logout")
    login(client, finance)
    client.post(f"/staff/disputes/{dispute.id}/reject", data={"reject-reason": "changed my mind"})
    session.refresh(dispute)
    assert dispute.status is DisputeStatus.ACCEPTED


def test_reject_needs_a_reason_and_tells_the_customer(
    client: FlaskClient, session: Session, app: Flask, setup
):  # type: ignore[no-untyped-def]
    _c, user, statement = setup
    dispute = _open_one(session, user, statement)
    finance = make_user(session, role="finance")
    login(client, finance)
    assert (
        client.post(f"/staff/disputes/{dispute.id}/reject", data={"reject-reason": ""}).status_code
        == 400
    )
    client.post(
        f"/staff/disputes/{dispute.id}/reject",
        data={"reject-reason": "Delivery signed for in full"},
    )
    session.refresh(dispute)
    assert dispute.status is DisputeStatus.REJECTED
    assert dispute.resolution == "Delivery signed for in full"
    assert any("Delivery signed for in full" in mail_body(p) for p in outbox(app))


def test_auditors_read_but_cannot_act(client: FlaskClient, session: Session, setup):  # type: ignore[no-untyped-def]
    _c, user, statement = setup
    dispute = _open_one(session, user, statement)
    auditor = make_user(session, role="auditor")
    login(client, auditor)
    assert client.get(f"/staff/disputes/{dispute.id}").status_code == 200
    assert client.post(f"/staff/disputes/{dispute.id}/review", data={}).status_code == 403
    assert (
        client.post(f"/staff/disputes/{dispute.id}/message", data={"msg-body": "x"}).status_code
        == 403
    )


def test_customer_replies_in_the_thread(client: FlaskClient, session: Session, setup):  # type: ignore[no-untyped-def]
    _c, user, statement = setup
    dispute = _open_one(session, user, statement)
    login(client, user)
    resp = client.post(
        f"/disputes/{dispute.id}",
        data={"body": "Photos attached", "attachments": [(io.BytesIO(PNG), "p.png")]},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 302
    msgs = session.scalars(
        select(DisputeMessage).where(DisputeMessage.dispute_id == dispute.id)
    ).all()
    assert [m.body for m in msgs] == ["Only 3 boxes", "Photos attached"]
    att = session.scalar(
        select(DisputeAttachment).where(DisputeAttachment.dispute_id == dispute.id)
    )
    assert att is not None and att.message_id == msgs[1].id
    download = client.get(f"/disputes/{dispute.id}/attachments/{att.id}")
    assert download.status_code == 200 and download.data == PNG
    assert download.headers["Content-Type"] == "image/png"
    assert download.headers["Content-Disposition"].startswith("attachment")
    with pytest.raises(errors.DisputeError):
        service.add_message(session, dispute, user, "sneaky", internal=True, max_bytes=100)


def test_dispute_numbers_are_sequential_per_year(session: Session):
    from portal.disputes.numbering import next_dispute_number

    first = next_dispute_number(session, 2031)
    assert first == "DSP-2031-000001"
