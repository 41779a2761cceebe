"""Document numbers under concurrency: disputes, credit notes and bank vouchers never clash."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from decimal import Decimal

import pytest
from flask import Flask
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.banking.service import next_voucher_numbers
from portal.disputes import errors, numbering, service
from portal.models import (
    BankFile,
    BankTransaction,
    CreditNote,
    Direction,
    Dispute,
    DisputeReason,
    MatchStatus,
)
from tests.factories import make_customer, make_user
from tests.portal.customer_helpers import make_statement

TODAY = dt.date(2031, 3, 4)


def _open_one(db: Session, statement_id: int, user_id: int) -> Dispute:
    from portal.models import Statement, User

    statement = db.get(Statement, statement_id)
    user = db.get(User, user_id)
    assert statement is not None and user is not None
    claim = service.LineClaim(
        statement.lines[0], DisputeReason.PRICE, Decimal("10.00"), "price differs"
    )
    return service.open_disputes(db, statement, user, [claim], max_bytes=1000, today=TODAY)[0]


def _credit_note(db: Session, customer_id: int, number: str | None = None) -> CreditNote:
    return CreditNote(
        number=number or "",
        customer_id=customer_id,
        issue_date=TODAY,
        currency="CNY",
        amount=Decimal("5.00"),
        reason="test",
    )


# --- the retry path, on every backend -------------------------------------------------------


def test_a_number_taken_meanwhile_is_skipped(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    customer = make_customer(session)
    session.add(_credit_note(session, customer.id, "CN-2031-000001"))
    session.flush()
    real = numbering._last_number
    seen: list[int] = []

    def stale_then_real(db: Session, column: object, prefix: str) -> int:
        # the first read misses the row another transaction committed meanwhile
        value = 0 if not seen else real(db, column, prefix)
        seen.append(value)
        return value

    monkeypatch.setattr(numbering, "_last_number", stale_then_real)
    note = _credit_note(session, customer.id)
    numbering.insert_numbered(session, note, "CN-2031-")
    assert note.number == "CN-2031-000002" and note.id is not None
    assert seen == [0, 1]
    numbers = session.scalars(
        select(CreditNote.number).where(CreditNote.number.like("CN-2031-%"))
    ).all()
    assert sorted(numbers) == ["CN-2031-000001", "CN-2031-000002"]


def test_gives_up_after_repeated_clashes(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    customer = make_customer(session)
    for n in range(1, numbering.NUMBER_ATTEMPTS + 1):
        session.add(_credit_note(session, customer.id, f"CN-2031-{n:06d}"))
    session.flush()
    monkeypatch.setattr(numbering, "_last_number", lambda db, column, prefix: 0)
    with pytest.raises(errors.NumberUnavailable):
        numbering.insert_numbered(session, _credit_note(session, customer.id), "CN-2031-")
    # the session is still usable and holds exactly the rows inserted before
    count = select(func.count()).where(CreditNote.number.like("CN-2031-%"))
    assert session.scalar(count) == numbering.NUMBER_ATTEMPTS


def test_other_constraint_failures_are_not_retried(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    customer = make_customer(session)
    calls: list[str] = []
    real = numbering._last_number

    def counting(db: Session, column: object, prefix: str) -> int:
        calls.append(prefix)
        return real(db, column, prefix)

    monkeypatch.setattr(numbering, "_last_number", counting)
    bad = _credit_note(session, customer.id)
    bad.amount = Decimal("-1.00")  # breaks the amount check constraint, not the number
    with pytest.raises(IntegrityError):
        numbering.insert_numbered(session, bad, "CN-2031-")
    assert calls == ["CN-2031-"]


# --- two real connections on PostgreSQL -------------------------------------------------------


def test_two_disputes_at_the_same_instant_get_two_numbers(app: Flask, scratch_pg: Engine) -> None:
    with Session(scratch_pg) as setup:
        ids = []
        for code in ("NUMA", "NUMB"):
            customer = make_customer(setup, code=code, language="en")
            user = make_user(setup, customer=customer, language="en")
            statement = make_statement(setup, customer)
            ids.append((statement.id, user.id))
        setup.commit()

    first, second = Session(scratch_pg), Session(scratch_pg)
    outcome: dict[str, object] = {}
    try:
        with app.test_request_context():
            mine = _open_one(first, *ids[0])
            assert mine.number == "DSP-2031-000001"

            def other_customer() -> None:
                with app.test_request_context():
                    try:
                        outcome["number"] = _open_one(second, *ids[1]).number
                        second.commit()
                    except Exception as exc:  # reported to the main thread and asserted there
                        second.rollback()
                        outcome["error"] = exc

            thread = threading.Thread(target=other_customer)
            thread.start()
            thread.join(1.0)
            # the same "next" number was computed: its insert waits for the first transaction
            assert thread.is_alive(), outcome
            first.commit()
            thread.join(30)
            assert not thread.is_alive()
    finally:
        first.close()
        second.close()

    assert "error" not in outcome, outcome.get("error")
    assert outcome["number"] == "DSP-2031-000002"
    with Session(scratch_pg) as check:
        rows = check.execute(select(Dispute.number, Dispute.statement_id).order_by(Dispute.id))
        assert [tuple(r) for r in rows] == [
            ("DSP-2031-000001", ids[0][0]),
            ("DSP-2031-000002", ids[1][0]),
        ]


def test_two_imports_at_once_get_consecutive_vouchers(scratch_pg: Engine) -> None:
    with Session(scratch_pg) as setup:
        files = [
            BankFile(sha256=uuid.uuid4().hex * 2, original_name=f"{i}.csv", size=1, content=b"x")
            for i in (1, 2)
        ]
        setup.add_all(files)
        setup.commit()
        file_ids = [f.id for f in files]

    def store(db: Session, file_id: int, numbers: list[str]) -> None:
        for i, number in enumerate(numbers):
            db.add(
                BankTransaction(
                    file_id=file_id,
                    voucher_number=number,
                    our_account="A1",
                    bank_ref=f"F{file_id}-{i}",
                    booking_date=TODAY,
                    amount=Decimal("1.00"),
                    direction=Direction.CREDIT,
                    currency="CNY",
                    match_status=MatchStatus.UNMATCHED,
                    unapplied_amount=Decimal("1.00"),
                )
            )
        db.flush()

    first, second = Session(scratch_pg), Session(scratch_pg)
    outcome: dict[str, object] = {}
    try:
        mine = next_voucher_numbers(first, 3, year=2031)
        assert mine == ["RV-2031-000001", "RV-2031-000002", "RV-2031-000003"]
        store(first, file_ids[0], mine)

        def other_import() -> None:
            try:
                numbers = next_voucher_numbers(second, 2, year=2031)
                store(second, file_ids[1], numbers)
                second.commit()
                outcome["numbers"] = numbers
            except Exception as exc:  # reported to the main thread and asserted there
                second.rollback()
                outcome["error"] = exc

        thread = threading.Thread(target=other_import)
        thread.start()
        thread.join(1.0)
        assert thread.is_alive(), "the second import should wait for the first one's numbers"
        first.commit()
        thread.join(30)
        assert not thread.is_alive()
    finally:
        first.close()
        second.close()

    assert "error" not in outcome, outcome.get("error")
    assert outcome["numbers"] == ["RV-2031-000004", "RV-2031-000005"]
