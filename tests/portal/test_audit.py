"""The audit chain: appends link up, tampering is detected and named, the table is append-only."""

from __future__ import annotations

import os
import threading
from decimal import Decimal
from typing import cast

import pytest
from flask.testing import FlaskCliRunner
from sqlalchemy import Connection, Engine, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.local import LocalProxy

from portal import models
from portal.audit import GENESIS_HASH, entity_ref, record, verify_chain
from portal.audit.service import compute_hash
from portal.models import AuditEvent, Base, Role, User
from tests.factories import make_user

PG_URL = os.environ.get("CONCORD_TEST_DATABASE_URL")


def _append_three(session: Session) -> list[AuditEvent]:
    user = make_user(session, role="finance")
    return [
        record(session, actor=None, action="import.customers", entity_type="import", entity_id=1),
        record(
            session,
            actor=user,
            action="invoice.update",
            entity_type="invoice",
            entity_id="INV-1",
            reason="ERP correction",
            data={"open_amount": Decimal("12.50"), "名称": "上海华美"},
            ip="10.0.0.1",
        ),
        record(session, actor=user, action="user.login", entity_type="user", entity_id=user.id),
    ]


# every model the portal audits, with the entity_type and entity_id stored for it since the
# trail began: a model's audit name must not drift, or the trail of one row splits in two
AUDITED: list[tuple[Base, str, str]] = [
    (models.User(id=1), "user", "1"),
    (models.ApiToken(id=2), "api_token", "2"),
    (models.AppSetting(key="write_off_limits"), "setting", "write_off_limits"),
    (models.Customer(id=3), "customer", "3"),
    (models.Invoice(id=4, number="INV-4"), "invoice", "INV-4"),
    (models.Contract(id=5, number="K-5"), "contract", "K-5"),
    (models.ContractDocument(id=6), "contract_document", "6"),
    (models.Allocation(id=7), "allocation", "7"),
    (models.BankFile(id=8), "bank_file", "8"),
    (models.BankLayout(id=9), "bank_layout", "9"),
    (models.BankTransaction(id=10), "bank_transaction", "10"),
    (models.Statement(id=11), "statement", "11"),
    (models.Dispute(id=12), "dispute", "12"),
    (models.FollowUp(id=13), "followup", "13"),
    (models.CollectionCase(id=14), "collection_case", "14"),
    (models.CollectionAction(id=15), "collection_action", "15"),
    (models.Promise(id=16), "promise", "16"),
    (models.Ladder(id=17), "ladder", "17"),
]


@pytest.mark.parametrize(("row", "entity_type", "entity_id"), AUDITED)
def test_entity_ref_keeps_the_recorded_names(row: Base, entity_type: str, entity_id: str) -> None:
    assert entity_ref(row) == (entity_type, entity_id)


def test_record_about_a_row_takes_its_id_after_the_flush(session: Session) -> None:
    actor = make_user(session, role="finance")
    new = User(email="new@example.test", name="New", role=Role.FINANCE)
    session.add(new)  # not flushed: no id yet
    event = record(session, actor, "auth.user_invited", new, data={"email": new.email})
    assert new.id is not None
    assert (event.entity_type, event.entity_id) == ("user", str(new.id))
    assert event.actor_id == actor.id
    assert event.data == {"email": "new@example.test"}


def test_entity_ref_sees_through_a_proxy(session: Session) -> None:
    """Views pass flask_login's ``current_user``, a proxy of the signed-in user."""
    user = make_user(session, role="finance")
    assert entity_ref(cast(User, LocalProxy(lambda: user))) == ("user", str(user.id))


def test_record_needs_one_way_to_name_the_entity(session: Session) -> None:
    user = make_user(session, role="finance")
    with pytest.raises(TypeError):
        record(session, user, "auth.login", user, entity_type="user", entity_id=user.id)
    with pytest.raises(TypeError):
        record(session, user, "auth.login")
    with pytest.raises(TypeError):
        record(session, user, "auth.login", entity_type="user")
    assert session.scalar(select(AuditEvent.id)) is None


def _tamper(connection: Connection, sql: str, **params: object) -> None:
    """Change audit rows behind the application's back, as a DBA could."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
    else:
        connection.execute(text("DROP TRIGGER audit_events_no_update"))
        connection.execute(text("DROP TRIGGER audit_events_no_delete"))
    connection.execute(text(sql), params)


def test_record_chains_rows(session: Session) -> None:
    first, second, third = _append_three(session)
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert second.actor_label.startswith("finance")
    assert second.data == {"open_amount": "12.50", "名称": "上海华美"}
    assert second.ip_address == "10.0.0.1"
    session.expire_all()
    stored = session.get(AuditEvent, second.id)
    assert stored is not None
    assert compute_hash(stored) == stored.hash


def test_verify_chain_ok(session: Session) -> None:
    events = _append_three(session)
    report = verify_chain(session)
    assert report.ok
    assert report.checked == len(events)
    assert report.first_broken_id is None


def test_changed_row_is_named(session: Session, connection: Connection) -> None:
    _first, second, _third = _append_three(session)
    _tamper(
        connection, "UPDATE audit_events SET reason = 'nothing to see' WHERE id = :id", id=second.id
    )
    report = verify_chain(session)
    assert not report.ok
    assert report.first_broken_id == second.id
    assert "changed" in (report.reason or "")


def test_deleted_row_breaks_the_next_link(session: Session, connection: Connection) -> None:
    _first, second, third = _append_three(session)
    _tamper(connection, "DELETE FROM audit_events WHERE id = :id", id=second.id)
    report = verify_chain(session)
    assert not report.ok
    assert report.first_broken_id == third.id


def test_rehashed_row_still_breaks_the_chain(session: Session, connection: Connection) -> None:
    """A forger who recomputes the changed row's hash still breaks the following link."""
    _first, second, third = _append_three(session)
    forged = session.get(AuditEvent, second.id)
    assert forged is not None
    forged.reason = "forged"
    new_hash = compute_hash(forged)
    session.expunge(forged)
    _tamper(
        connection,
        "UPDATE audit_events SET reason = 'forged', hash = :h WHERE id = :id",
        h=new_hash,
        id=second.id,
    )
    report = verify_chain(session)
    assert report.first_broken_id == third.id


def test_updates_and_deletes_are_refused(session: Session) -> None:
    event = _append_three(session)[0]
    session.commit()
    for sql in (
        "UPDATE audit_events SET reason = 'x' WHERE id = :id",
        "DELETE FROM audit_events WHERE id = :id",
    ):
        nested = session.begin_nested()
        with pytest.raises(DBAPIError, match="append-only"):
            session.execute(text(sql), {"id": event.id})
        nested.rollback()
    assert session.scalar(select(AuditEvent.reason).where(AuditEvent.id == event.id)) is None


def test_the_chain_cannot_fork(session: Session) -> None:
    """Two rows can never follow the same predecessor (unique prev_hash)."""
    first = record(session, actor=None, action="a", entity_type="x", entity_id=1)
    fork = AuditEvent(
        action="b",
        entity_type="x",
        entity_id="2",
        prev_hash=first.prev_hash,
        hash="f" * 64,
    )
    session.add(fork)
    with pytest.raises(IntegrityError):
        session.flush()


def test_cli_verify(runner: FlaskCliRunner, session: Session, connection: Connection) -> None:
    _first, second, _third = _append_three(session)
    session.commit()
    ok = runner.invoke(args=["audit", "verify"])
    assert ok.exit_code == 0, ok.output
    assert "3 events verified" in ok.output
    _tamper(connection, "UPDATE audit_events SET action = 'x' WHERE id = :id", id=second.id)
    broken = runner.invoke(args=["audit", "verify"])
    assert broken.exit_code == 1
    assert f"event id {second.id}" in broken.output


def test_concurrent_appends_keep_one_chain(scratch_pg: Engine) -> None:
    """Writers in parallel transactions queue on the advisory lock instead of forking."""
    factory = sessionmaker(bind=scratch_pg)
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            barrier.wait()
            for i in range(10):
                with factory() as session, session.begin():
                    session.execute(select(AuditEvent.id).limit(1)).all()  # take a snapshot
                    record(session, actor=None, action="t", entity_type="w", entity_id=f"{n}-{i}")
        except BaseException as exc:  # reported below: a thread's error must fail the test
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with factory() as session:
        report = verify_chain(session)
    assert report.ok
    assert report.checked == 40
