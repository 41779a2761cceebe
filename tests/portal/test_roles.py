"""Issue 14, items 1 and 2: dispute attachments, and what sales and auditors may do."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.disputes import attachments, errors, service
from portal.followups import service as followups
from portal.models import Dispute, DisputeAttachment, DisputeStatus, FollowUp, FollowUpKind
from tests.factories import make_customer, make_user
from tests.portal.customer_helpers import PNG, login, make_statement


@pytest.fixture
def dispute(session: Session) -> Dispute:
    customer = make_customer(session, language="en")
    user = make_user(session, customer=customer, language="en")
    statement = make_statement(session, customer)
    claim = service.LineClaim(
        statement.lines[0], service.DisputeReason.QUANTITY, Decimal("300.00"), "Only 3 boxes"
    )
    return service.open_disputes(session, statement, user, [claim], max_bytes=10_000)[0]


def test_staff_attachments_are_kept_and_internal_ones_hidden_from_the_customer(
    client: FlaskClient, session: Session, dispute: Dispute
) -> None:
    finance = make_user(session, role="finance", language="en")
    login(client, finance)
    for internal, name in (("y", "note.png"), ("", "reply.png")):
        resp = client.post(
            f"/staff/disputes/{dispute.id}/message",
            data={
                "msg-body": f"file {name}",
                "msg-internal": internal,
                "msg-attachments": [(io.BytesIO(PNG), name)],
            },
            content_type="multipart/form-data",
        )
        assert resp.status_code == 302
    files = {
        a.filename: a
        for a in session.scalars(
            select(DisputeAttachment).where(DisputeAttachment.dispute_id == dispute.id)
        )
    }
    # the staff form's file field is "msg-attachments": both files were stored
    assert set(files) == {"note.png", "reply.png"}
    staff_url = f"/staff/disputes/{dispute.id}/attachments/{files['note.png'].id}"
    assert client.get(staff_url).data == PNG
    client.post("/logout")
    login(client, dispute.created_by)
    internal_url = f"/disputes/{dispute.id}/attachments/{files['note.png'].id}"
    assert client.get(internal_url).status_code == 404
    public = client.get(f"/disputes/{dispute.id}/attachments/{files['reply.png'].id}")
    assert public.status_code == 200 and public.data == PNG
    html = client.get(f"/disputes/{dispute.id}").get_data(as_text=True)
    assert "reply.png" in html and "note.png" not in html


def test_sales_cannot_decide_disputes(
    client: FlaskClient, session: Session, dispute: Dispute
) -> None:
    sales = make_user(session, role="sales", language="en")
    login(client, sales)
    page = client.get(f"/staff/disputes/{dispute.id}").get_data(as_text=True)
    assert "Accept and issue credit note" not in page
    for action, data in (
        ("accept", {"accept-amount": "300.00", "accept-resolution": "ok"}),
        ("reject", {"reject-reason": "no"}),
        ("review", {}),
        ("assign", {"assign-assignee": sales.id}),
    ):
        assert client.post(f"/staff/disputes/{dispute.id}/{action}", data=data).status_code == 403
    session.refresh(dispute)
    assert dispute.status is DisputeStatus.OPEN and dispute.credit_note_id is None
    # sales still talk to the customer about it
    resp = client.post(f"/staff/disputes/{dispute.id}/message", data={"msg-body": "On it"})
    assert resp.status_code == 302


def test_disputes_go_to_finance_not_to_a_sales_account_manager(session: Session) -> None:
    sales = make_user(session, role="sales")
    finance = make_user(session, role="finance")
    customer = make_customer(session, account_manager_id=sales.id)
    user = make_user(session, customer=customer)
    statement = make_statement(session, customer)
    claim = service.LineClaim(
        statement.lines[0], service.DisputeReason.PRICE, Decimal("10.00"), "price"
    )
    dispute = service.open_disputes(session, statement, user, [claim], max_bytes=10)[0]
    assert dispute.assigned_to_id is not None and dispute.assigned_to_id != sales.id
    assert dispute.assigned_to is not None and dispute.assigned_to.role.value in (
        "finance",
        "admin",
    )
    with pytest.raises(errors.DisputeError):
        service.assign(session, dispute, finance, sales)
    # a finance account manager gets it
    customer.account_manager_id = finance.id
    session.flush()
    statement2 = make_statement(session, customer, version=2)
    claim2 = service.LineClaim(
        statement2.lines[0], service.DisputeReason.PRICE, Decimal("10.00"), "price"
    )
    again = service.open_disputes(session, statement2, user, [claim2], max_bytes=10)[0]
    assert again.assigned_to_id == finance.id


def test_auditors_never_own_tasks(client: FlaskClient, session: Session) -> None:
    auditor = make_user(session, role="auditor", name="Ann Auditor", language="en")
    finance = make_user(session, role="finance", name="Fay Finance", language="en")
    customer = make_customer(session, account_manager_id=auditor.id)
    task = FollowUp(
        kind=FollowUpKind.DUNNING_CALL,
        title="Call",
        due_date=make_statement(session, customer).period_end,
        customer_id=customer.id,
        owner_id=finance.id,
    )
    session.add(task)
    session.flush()
    with pytest.raises(followups.FollowUpError):
        followups.assign(session, task, auditor, user=finance)
    login(client, finance)
    page = client.get(f"/followups/{task.id}").get_data(as_text=True)
    assert "Fay Finance" in page and "Ann Auditor" not in page


def test_sales_land_on_their_work_with_their_role_shown(
    client: FlaskClient, session: Session
) -> None:
    sales = make_user(session, role="sales", language="en")
    login(client, sales)
    landing = client.get("/")
    assert landing.headers["Location"].endswith("/followups/")
    html = client.get("/followups/").get_data(as_text=True)
    assert '<span class="brand-tag">Sales</span>' in html
    assert "Bank uploads" not in html
    assert client.get("/banking/uploads").status_code == 403


def test_attachments_per_message_are_capped(
    client: FlaskClient, session: Session, dispute: Dispute
) -> None:
    """Issue 14, item 8: at most MAX_ATTACHMENTS files per message, a clear 413 otherwise."""
    login(client, dispute.created_by)
    files = [(io.BytesIO(PNG), f"p{n}.png") for n in range(attachments.MAX_ATTACHMENTS + 1)]
    resp = client.post(
        f"/disputes/{dispute.id}",
        data={"body": "many photos", "attachments": files},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 413
    assert "at most 5 files" in resp.get_data(as_text=True)
    assert not session.scalars(
        select(DisputeAttachment).where(DisputeAttachment.dispute_id == dispute.id)
    ).all()
    with pytest.raises(errors.AttachmentRejected):
        service.add_message(
            session,
            dispute,
            dispute.created_by,
            "x",
            uploads=[attachments.Upload("p.png", PNG)] * (attachments.MAX_ATTACHMENTS + 1),
            max_bytes=10_000,
        )
    five = [(io.BytesIO(PNG), f"p{n}.png") for n in range(attachments.MAX_ATTACHMENTS)]
    ok = client.post(
        f"/disputes/{dispute.id}",
        data={"body": "five photos", "attachments": five},
        content_type="multipart/form-data",
    )
    assert ok.status_code == 302
