"""Text messages go to mobiles only (the QH002 report: an SMS reminder approved and sent to the
landline "0574-8888001"). An SMS step for a customer without a mobile goes by email to the
billing contacts, else becomes a call; statement notices and one-time codes ask the same rule."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.followups import ladders
from portal.followups.forms import COLLECTION_LABELS
from portal.models import (
    ActionStatus,
    CaseEvent,
    Customer,
    CustomerContact,
    FollowUp,
    FollowUpKind,
    User,
)
from portal.statements import loop
from tests.factories import make_customer, make_user
from tests.portal.customer_helpers import make_statement, outbox, read_mail
from tests.portal.finance_helpers import login
from tests.portal.test_followups import approve_all, overdue, proposals, run

LANDLINE = "0574-8888001"


@pytest.fixture(autouse=True)
def standard_ladder_only(session: Session) -> None:
    for ladder in ladders.ensure_default_ladders(session):
        ladder.active = ladder.is_default
    session.flush()


@pytest.fixture
def finance(session: Session) -> User:
    return make_user(session, "finance", name="Fiona Finance")


def sms_files(app: Flask) -> list[Path]:
    box = Path(app.instance_path) / "outbox"
    return sorted(box.glob("*.sms.txt")) if box.exists() else []


def qh002(session: Session, *contacts: CustomerContact, **kw: Any) -> Customer:
    """The customer of the report: a landline as its phone, billing contacts without a mobile."""
    customer = make_customer(session, code="QH002", phone=LANDLINE, language="en", **kw)
    customer.contacts.extend(contacts)
    session.flush()
    return customer


def test_an_sms_step_without_a_mobile_goes_by_email_to_the_billing_contacts(
    app: Flask, session: Session, finance: User
) -> None:
    customer = qh002(
        session,
        CustomerContact(name="Wu", email="ap@qh002.test", language="en", is_billing=True),
        CustomerContact(name="Xu", email="cfo@qh002.test", mobile=LANDLINE, is_billing=True),
        CustomerContact(name="Store", email="store@qh002.test", is_billing=False),
    )
    inv = overdue(session, customer, 3, amount="8800.00")
    run(session)
    (action,) = proposals(session)
    assert (action.channel, action.step.channel) == ("email", "sms")
    assert action.recipient == "ap@qh002.test, cfo@qh002.test"
    assert action.note == "no mobile number: by email instead"
    assert action.subject and inv.number in action.body  # an email's texts, not the SMS's
    approved, sent, _held, _cancelled = approve_all(session, finance)
    assert (approved, sent) == (1, 1)
    assert sms_files(app) == []
    (mail,) = outbox(app)
    assert read_mail(mail)["To"] == "ap@qh002.test, cfo@qh002.test"


def test_an_sms_step_without_a_mobile_or_an_email_becomes_a_call(
    app: Flask, session: Session, finance: User
) -> None:
    customer = qh002(session, email=None)
    overdue(session, customer, 3)
    run(session)
    (action,) = proposals(session)
    assert (action.channel, action.note) == ("call", "no mobile number: call instead")
    assert action.recipient == LANDLINE  # a landline is called, never texted
    approve_all(session, finance)
    assert sms_files(app) == []
    task = session.scalars(select(FollowUp).where(FollowUp.customer_id == customer.id)).one()
    assert task.kind is FollowUpKind.DUNNING_CALL


def test_a_mobile_of_a_billing_contact_is_texted_and_the_landline_never(
    app: Flask, session: Session, finance: User
) -> None:
    customer = qh002(
        session,
        CustomerContact(name="Xu", email="cfo@qh002.test", mobile=LANDLINE, is_billing=True),
        CustomerContact(name="Wu", mobile="+86 139-0000-0002", is_billing=True),
    )
    overdue(session, customer, 3)
    run(session)
    (action,) = proposals(session)
    assert (action.channel, action.recipient, action.note) == ("sms", "13900000002", None)
    approve_all(session, finance)
    (sms,) = sms_files(app)
    assert "To: 13900000002" in sms.read_text(encoding="utf-8")


def test_an_sms_proposed_to_a_landline_before_the_fix_is_not_sent_to_it(
    app: Flask, session: Session, finance: User
) -> None:
    customer = qh002(session, CustomerContact(name="Wu", mobile="13900000002", is_billing=True))
    overdue(session, customer, 3)
    run(session)
    (action,) = proposals(session)
    action.recipient = LANDLINE  # as the run wrote it before mobiles were told from landlines
    session.flush()
    approve_all(session, finance)
    assert sms_files(app) == []
    assert action.status is ActionStatus.SENT
    event = session.scalars(select(CaseEvent).where(CaseEvent.action_id == action.id)).one()
    assert event.kind == "no_contact"


def test_the_proposals_page_says_why_an_sms_step_goes_by_email(
    client: FlaskClient, session: Session, finance: User
) -> None:
    customer = qh002(session, CustomerContact(name="Wu", email="ap@qh002.test", is_billing=True))
    overdue(session, customer, 3)
    run(session)
    login(client, finance)
    page = client.get("/followups/proposals").get_data(as_text=True)
    assert "No mobile number: by email instead" in page and "ap@qh002.test" in page
    with client.application.test_request_context(), force_locale("zh"):
        assert str(COLLECTION_LABELS["no mobile number: by email instead"]) == (
            "没有手机号码：改为发送邮件"
        )


def test_a_statement_notice_is_texted_to_mobiles_only(app: Flask, session: Session) -> None:
    customer = make_customer(session, phone=LANDLINE)
    customer.contacts.extend(
        [
            CustomerContact(name="座机", mobile=LANDLINE, is_billing=True),
            CustomerContact(
                name="陈静", email="chen@qh.test", mobile="+86 138 0000 0017", is_billing=True
            ),
        ]
    )
    session.flush()
    statement = make_statement(session, customer)
    notice = loop.announce(session, statement, today=dt.date(2026, 11, 1))
    assert notice is not None and (notice.emails, notice.sms) == (1, 1)
    (sms,) = sms_files(app)
    assert "To: 13800000017" in sms.read_text(encoding="utf-8")
    assert LANDLINE not in notice.recipients
