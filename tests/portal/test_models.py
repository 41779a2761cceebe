"""Model constraints (every check and unique constraint, on both databases) and transitions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import (
    CheckConstraint,
    Connection,
    Enum,
    Index,
    Table,
    UniqueConstraint,
    select,
    text,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.audit import record
from portal.models import (
    ActionStatus,
    Allocation,
    AllocationKind,
    AllocationMethod,
    ApiToken,
    AppSetting,
    AuditEvent,
    BankFile,
    BankLayout,
    BankTransaction,
    Base,
    CaseEvent,
    CaseStatus,
    CheckStatus,
    CollectionAction,
    CollectionCase,
    CollectionRun,
    ConflictKind,
    ConflictStatus,
    Contract,
    ContractDocument,
    ContractScheduleLine,
    CreditLimitRequest,
    CreditNote,
    CustomerContact,
    CustomerNote,
    CustomerNoteMention,
    Direction,
    Dispute,
    DisputeAttachment,
    DisputeMessage,
    DisputeReason,
    DisputeStatus,
    ErpSettlement,
    FollowUp,
    FollowUpComment,
    FollowUpKind,
    FollowUpStatus,
    ImportConflict,
    InvalidTransition,
    InvoiceContractCheck,
    InvoiceStatus,
    Job,
    JobStatus,
    Ladder,
    LadderStep,
    LearnedPayer,
    LimitRequestStatus,
    LoginAttempt,
    MatchStatus,
    OutboxChannel,
    OutboxMessage,
    OutboxStatus,
    Promise,
    PromiseInstalment,
    PromiseStatus,
    ScheduledRun,
    SignatureEvidence,
    Statement,
    StatementLine,
    StatementNotice,
    StatementStatus,
    TokenPurpose,
    UserToken,
    WorkerProcess,
    utcnow,
)
from portal.models.base import StatusEnum
from portal.models.invoices import status_for_open_amount
from tests.factories import make_customer, make_invoice, make_user

TODAY = dt.date(2026, 11, 26)


def build_world(session: Session, tag: str) -> dict[str, int]:
    """Create one valid row in every table; return ``{table name: id}`` (customer user apart)."""
    customer = make_customer(session, code=f"W{tag}", bank_accounts=[f"6222{tag}"])
    staff = make_user(session, role="finance", email=f"staff{tag}@example.test")
    customer_user = make_user(session, customer=customer, email=f"cust{tag}@example.test")
    invoice = make_invoice(session, customer, number=f"INV-W-{tag}", amount="1000.00")
    now = utcnow()
    bank_file = BankFile(sha256=tag.rjust(64, "a"), original_name="bank.csv", size=1, content=b"x")
    txn = BankTransaction(
        file=bank_file,
        voucher_number=f"RV-W-{tag}",
        our_account="31050161373600000001",
        bank_ref=f"REF{tag}",
        booking_date=TODAY,
        amount=Decimal("100.00"),
        direction=Direction.CREDIT,
        currency="CNY",
        unapplied_amount=Decimal("50.00"),
    )
    allocation = Allocation(
        transaction=txn,
        invoice=invoice,
        customer=customer,
        kind=AllocationKind.PAYMENT,
        amount=Decimal("50.00"),
        currency="CNY",
        method=AllocationMethod.MANUAL,
        actor_label="world",
    )
    statement = Statement(
        number=f"ST-W-{tag}",
        customer=customer,
        period_start=dt.date(2026, 10, 1),
        period_end=dt.date(2026, 10, 31),
        currency="CNY",
        opening_balance=Decimal(0),
        total_charges=Decimal(0),
        total_payments=Decimal(0),
        total_credits=Decimal(0),
        closing_balance=Decimal(0),
        issued_at=now,
        viewed_at=now,
        viewed_by=customer_user,
        issued_pdf=b"%PDF-1.7",
        issued_sha256="0" * 64,
    )
    line = StatementLine(
        statement=statement,
        line_no=1,
        date=TODAY,
        kind="invoice",
        document=invoice.number,
        debit=Decimal("1000.00"),
        balance=Decimal("1000.00"),
    )
    session.add_all([bank_file, txn, allocation, statement, line])
    session.flush()
    evidence = SignatureEvidence(
        statement_id=statement.id,
        kind="certification",
        signer_name="Concord",
        signer_company="Concord",
        signed_at=now,
        statement_version=1,
        hash_before="0" * 64,
        hash_after="1" * 64,
    )
    credit_note = CreditNote(
        number=f"CN-W-{tag}",
        customer=customer,
        issue_date=TODAY,
        currency="CNY",
        amount=Decimal("10.00"),
    )
    session.add_all([evidence, credit_note])
    session.flush()
    dispute = Dispute(
        number=f"D-W-{tag}",
        customer=customer,
        statement=statement,
        line=line,
        reason=DisputeReason.PRICE,
        amount=Decimal("5.00"),
        created_by=customer_user,
    )
    message = DisputeMessage(dispute=dispute, body="too expensive")
    attachment = DisputeAttachment(
        dispute=dispute,
        filename="a.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
        content=b"x",
    )
    followup = FollowUp(
        kind=FollowUpKind.MANUAL, title="call", due_date=TODAY, dedupe_key=f"dedupe-{tag}"
    )
    comment = FollowUpComment(followup=followup, body="done")
    rows: list[Any] = [
        dispute,
        message,
        attachment,
        followup,
        comment,
        LearnedPayer(customer_id=customer.id, payer_name="Payer", payer_account=tag),
        ApiToken(name="erp", token_hash=tag.rjust(64, "b"), user_id=staff.id, scope="write"),
        UserToken(
            user_id=staff.id,
            purpose=TokenPurpose.PASSWORD_RESET,
            token_hash="c" * 64,
            expires_at=now,
        ),
        Job(kind="demo"),
        WorkerProcess(name=f"worker-{tag}", hostname="host", pid=1, kind="process"),
        OutboxMessage(channel=OutboxChannel.SMS, recipient="13800000000", body="hi"),
        ScheduledRun(task=f"task-{tag}", day=dt.date(2026, 12, 1)),
        LoginAttempt(email="x@example.test", ip="127.0.0.1", at=now),
        AppSetting(key=f"setting-{tag}", value={}),
        CreditLimitRequest(
            customer=customer,
            currency="CNY",
            amount=Decimal("500000.00"),
            valid_until=TODAY,
            reason="big order",
            requested_by=staff,
        ),
        CustomerContact(
            customer=customer, name="Li", email=f"billing{tag}@example.test", is_billing=True
        ),
        CustomerNote(
            customer_id=customer.id,
            author_id=staff.id,
            body="@li please call",
            mentions=[CustomerNoteMention(user_id=staff.id)],
        ),
    ]
    contract = Contract(
        number=f"CT-W-{tag}",
        customer=customer,
        currency="CNY",
        total=Decimal("1000.00"),
        payment_terms_days=30,
        valid_from=TODAY,
    )
    rows += [
        contract,
        ContractScheduleLine(contract=contract, due_date=TODAY, amount=Decimal("500.00")),
        ContractDocument(
            contract=contract, filename="c.pdf", size=1, sha256="0" * 64, content=b"x"
        ),
        InvoiceContractCheck(invoice=invoice, differences=[{"code": "no_contract"}]),
        ImportConflict(invoice=invoice, kind=ConflictKind.AMOUNT_CHANGED),
        BankLayout(
            our_account=f"6222{tag}",
            name="headerless export",
            definition={"name": "x", "has_header": False, "columns": {"booking_date": 0}},
            created_by=staff,
        ),
    ]
    session.add_all(rows)
    session.flush()
    ladder = Ladder(name=f"Ladder {tag}")
    step = LadderStep(ladder=ladder, position=1, name="SMS", channel="sms")
    case = CollectionCase(customer=customer, currency="CNY", opened_on=TODAY)
    run = CollectionRun(run_on=TODAY)
    session.add_all([ladder, step, case, run])
    session.flush()
    action = CollectionAction(
        run_id=run.id, case_id=case.id, cycle=1, step_id=step.id, channel="sms", proposed_on=TODAY
    )
    promise = Promise(
        case_id=case.id,
        customer_id=customer.id,
        currency="CNY",
        source="call",
        amount=Decimal("10.00"),
        baseline_open=Decimal("50.00"),
    )
    session.add_all([action, promise])
    session.flush()
    rows += [
        ladder,
        step,
        case,
        run,
        action,
        promise,
        PromiseInstalment(promise=promise, due_date=TODAY, amount=Decimal("10.00")),
        CaseEvent(case_id=case.id, channel="sms", kind="sent", action_id=action.id),
        ErpSettlement(
            invoice_id=invoice.id,
            customer_id=customer.id,
            currency="CNY",
            amount=Decimal("10.00"),
            day=TODAY,
            source="world",
        ),
        StatementNotice(
            statement_id=statement.id,
            kind="issued",
            seq=0,
            sent_on=TODAY,
            emails=1,
            sms=0,
            recipients=["ap@customer.test"],
            actor_id=staff.id,
        ),
    ]
    session.add_all(rows)
    session.flush()
    record(session, actor=staff, action="world.built", entity_type="world", entity_id=tag)
    ids = {type(obj).__table__.name: obj.id for obj in rows if hasattr(obj, "id")}
    ids.update(
        customers=customer.id,
        customer_bank_accounts=customer.bank_accounts[0].id,
        users=staff.id,
        invoices=invoice.id,
        bank_files=bank_file.id,
        bank_transactions=txn.id,
        allocations=allocation.id,
        statements=statement.id,
        statement_lines=line.id,
        signature_evidence=evidence.id,
        credit_notes=credit_note.id,
    )
    ids["customer_user"] = customer_user.id
    note = next(obj for obj in rows if isinstance(obj, CustomerNote))
    ids["customer_note_mentions"] = note.mentions[0].id
    return ids


@pytest.fixture
def world(session: Session) -> dict[str, int]:
    return build_world(session, "1")


def _violates(session: Session, connection: Connection, sql: str, params: dict[str, Any]) -> str:
    """Run ``sql`` in a savepoint; return the database's error message (fail if none)."""
    session.flush()
    nested = connection.begin_nested()
    try:
        connection.execute(text(sql), params)
    except IntegrityError as exc:
        return str(exc.orig)
    finally:
        nested.rollback()
    pytest.fail(f"accepted: {sql} {params}")


# (table, SET clause, constraint name); ":id" is the world's row of that table
CHECK_CASES: list[tuple[str, str, str]] = [
    ("customers", "credit_limit = -1", "ck_customers_credit_limit_not_negative"),
    ("customers", "language = 'fr'", "ck_customers_language_known"),
    ("customer_bank_accounts", "source = 'guess'", "ck_customer_bank_accounts_source_known"),
    ("customer_contacts", "language = 'fr'", "ck_customer_contacts_language_known"),
    ("customer_notes", "body = ''", "ck_customer_notes_body_not_empty"),
    ("users", "customer_id = :customer", "ck_users_customer_users_belong_to_a_customer"),
    ("api_tokens", "scope = 'admin'", "ck_api_tokens_scope_known"),
    ("invoices", "amount = 0, open_amount = 0, erp_open_amount = 0", "ck_invoices_amount_positive"),
    ("invoices", "open_amount = -1", "ck_invoices_open_amount_in_range"),
    ("invoices", "open_amount = amount + 0.01", "ck_invoices_open_amount_in_range"),
    (
        "invoices",
        "issue_date = '2026-02-01', due_date = '2026-01-31'",
        "ck_invoices_due_after_issue",
    ),
    ("credit_notes", "amount = 0", "ck_credit_notes_amount_positive"),
    (
        "bank_transactions",
        "amount = 0, unapplied_amount = 0",
        "ck_bank_transactions_amount_positive",
    ),
    ("bank_transactions", "unapplied_amount = -1", "ck_bank_transactions_unapplied_in_range"),
    (
        "bank_transactions",
        "unapplied_amount = amount + 1",
        "ck_bank_transactions_unapplied_in_range",
    ),
    ("invoices", "erp_open_amount = -1", "ck_invoices_erp_open_amount_in_range"),
    ("invoices", "erp_open_amount = amount + 0.01", "ck_invoices_erp_open_amount_in_range"),
    ("allocations", "amount = 0", "ck_allocations_amount_sign"),
    ("allocations", "kind = 'reversal'", "ck_allocations_amount_sign"),
    ("allocations", "invoice_id = NULL", "ck_allocations_invoice_entry_has_invoice"),
    ("allocations", "transaction_id = NULL", "ck_allocations_receipt_entry_has_receipt"),
    ("allocations", "kind = 'credit_note'", "ck_allocations_credit_entry_has_note"),
    ("credit_limit_requests", "amount = 0", "ck_credit_limit_requests_amount_positive"),
    (
        "credit_limit_requests",
        "decided_by_id = requested_by_id",
        "ck_credit_limit_requests_four_eyes",
    ),
    ("statements", "period_end = '2026-09-30'", "ck_statements_period_ordered"),
    ("statements", "disputed_amount = -1", "ck_statements_disputed_not_negative"),
    ("statement_lines", "credit = -1", "ck_statement_lines_amounts_not_negative"),
    ("statement_notices", "kind = 'fax'", "ck_statement_notices_kind_known"),
    ("statement_notices", "seq = -1", "ck_statement_notices_seq_not_negative"),
    ("statement_notices", "sms = -1", "ck_statement_notices_counts_not_negative"),
    ("statement_lines", "kind = 'gift'", "ck_statement_lines_kind_known"),
    ("erp_settlements", "amount = 0", "ck_erp_settlements_amount_not_zero"),
    ("signature_evidence", "kind = 'witness'", "ck_signature_evidence_kind_known"),
    ("disputes", "amount = 0", "ck_disputes_amount_positive"),
    ("disputes", "statement_line_id = NULL", "ck_disputes_line_or_open_item"),
    (
        "disputes",
        "statement_id = NULL, statement_line_id = NULL, invoice_id = NULL",
        "ck_disputes_line_or_open_item",
    ),
    ("dispute_attachments", "size = 0", "ck_dispute_attachments_size_positive"),
    ("contracts", "total = 0", "ck_contracts_total_positive"),
    ("contracts", "payment_terms_days = -1", "ck_contracts_terms_not_negative"),
    ("contracts", "valid_to = '2000-01-01'", "ck_contracts_valid_range"),
    ("contract_schedule_lines", "amount = 0", "ck_contract_schedule_lines_amount_positive"),
    (
        "contract_schedule_lines",
        "due_date = NULL, milestone = NULL",
        "ck_contract_schedule_lines_date_or_milestone",
    ),
    ("contract_documents", "size = 0", "ck_contract_documents_size_positive"),
    ("collection_ladder_steps", "channel = 'fax'", "ck_collection_ladder_steps_channel_known"),
    (
        "collection_ladder_steps",
        "min_gap_days = -1",
        "ck_collection_ladder_steps_min_gap_not_negative",
    ),
    ("collection_cases", "overdue_amount = -1", "ck_collection_cases_overdue_not_negative"),
    (
        "collection_cases",
        "broken_promises = -1",
        "ck_collection_cases_broken_promises_not_negative",
    ),
    ("collection_case_events", "channel = 'fax'", "ck_collection_case_events_channel_known"),
    ("collection_actions", "channel = 'fax'", "ck_collection_actions_channel_known"),
    ("collection_actions", "amount = -1", "ck_collection_actions_amount_not_negative"),
    ("payment_promises", "amount = 0", "ck_payment_promises_amount_positive"),
    ("payment_promises", "baseline_open = -1", "ck_payment_promises_baseline_not_negative"),
    ("payment_promises", "grace_days = -1", "ck_payment_promises_grace_not_negative"),
    ("payment_promises", "source = 'fax'", "ck_payment_promises_source_known"),
    ("payment_promise_instalments", "amount = 0", "ck_payment_promise_instalments_amount_positive"),
]


def _enum_cases() -> Iterator[tuple[str, str, str]]:
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, Enum) and column.type.name:
                name = f"ck_{table.name}_{column.type.name}"
                yield table.name, f"{column.name} = 'no-such-value'", name


ALL_CHECK_CASES = CHECK_CASES + list(_enum_cases())


def test_every_check_constraint_has_a_case() -> None:
    names = {
        str(c.name)
        for table in Base.metadata.tables.values()
        for c in table.constraints
        if isinstance(c, CheckConstraint)
    }
    assert names == {name for _t, _s, name in ALL_CHECK_CASES}


@pytest.mark.parametrize(("table", "assignment", "constraint"), ALL_CHECK_CASES)
def test_check_constraint(
    session: Session,
    connection: Connection,
    world: dict[str, int],
    table: str,
    assignment: str,
    constraint: str,
) -> None:
    params = {"id": world[table], "customer": world["customers"]}
    message = _violates(
        session,
        connection,
        f"UPDATE {table} SET {assignment} WHERE id = :id",  # noqa: S608 (our own names)
        params,
    )
    assert constraint in message


def test_customer_user_needs_a_customer(
    session: Session, connection: Connection, world: dict[str, int]
) -> None:
    message = _violates(
        session,
        connection,
        "UPDATE users SET customer_id = NULL WHERE id = :id",
        {"id": world["customer_user"]},
    )
    assert "ck_users_customer_users_belong_to_a_customer" in message


def _unique_keys() -> list[tuple[str, tuple[str, ...]]]:
    keys = []
    # audit rows cannot be updated at all: test_audit_hashes_are_unique and test_audit cover them
    for table in (t for t in Base.metadata.sorted_tables if t.name != "audit_events"):
        for constraint in table.constraints:
            if isinstance(constraint, UniqueConstraint):
                keys.append((table.name, tuple(c.name for c in constraint.columns)))
        for index in table.indexes:
            if isinstance(index, Index) and index.unique:
                keys.append((table.name, tuple(c.name for c in index.columns)))
    return keys


@pytest.mark.parametrize(("table", "columns"), _unique_keys())
def test_unique_constraint(
    session: Session,
    connection: Connection,
    world: dict[str, int],
    table: str,
    columns: tuple[str, ...],
) -> None:
    second = build_world(session, "2")
    tbl: Table = Base.metadata.tables[table]
    first = connection.execute(tbl.select().where(tbl.c.id == world[table])).mappings().one()
    assignment = ", ".join(f"{c} = :v_{c}" for c in columns)
    params = {f"v_{c}": first[c] for c in columns} | {"id": second[table]}
    message = _violates(
        session,
        connection,
        f"UPDATE {table} SET {assignment} WHERE id = :id",  # noqa: S608 (our own names)
        params,
    )
    assert "UNIQUE" in message.upper() or "duplicate key" in message


def test_audit_hashes_are_unique(session: Session, world: dict[str, int]) -> None:
    event = session.scalars(select(AuditEvent)).one()
    copy = AuditEvent(
        action="x", entity_type="x", entity_id="x", prev_hash="f" * 64, hash=event.hash
    )
    session.add(copy)
    with pytest.raises(IntegrityError):
        session.flush()


def test_a_duplicate_sighting_may_repeat_the_bank_reference(
    session: Session, world: dict[str, int]
) -> None:
    original = session.get(BankTransaction, world["bank_transactions"])
    assert original is not None
    copy = BankTransaction(
        file_id=original.file_id,
        voucher_number="RV-W-DUP",
        our_account=original.our_account,
        bank_ref=original.bank_ref,
        booking_date=original.booking_date,
        amount=original.amount,
        direction=Direction.CREDIT,
        currency="CNY",
        duplicate_of_id=original.id,
        match_status=MatchStatus.DUPLICATE,
    )
    session.add(copy)
    session.flush()
    assert copy.id != original.id


# --- status transitions ----------------------------------------------------------------------

TRANSITION_TABLES: list[tuple[str, type[StatusEnum]]] = [
    ("invoice", InvoiceStatus),
    ("bank transaction", MatchStatus),
    ("statement", StatementStatus),
    ("dispute", DisputeStatus),
    ("follow-up", FollowUpStatus),
    ("credit limit request", LimitRequestStatus),
    ("invoice_contract_check", CheckStatus),
    ("import_conflict", ConflictStatus),
    ("collection case", CaseStatus),
    ("collection action", ActionStatus),
    ("promise", PromiseStatus),
    ("job", JobStatus),
    ("outbox message", OutboxStatus),
]


@pytest.mark.parametrize(("entity", "states"), TRANSITION_TABLES)
def test_transition_tables(entity: str, states: type[StatusEnum]) -> None:
    table = states.transitions()
    assert set(table) == set(states), "every state needs a row, even a final one"
    assert states.__entity__ == entity, "the enum names its row in the refusal"
    for current in states:
        assert current not in table[current], f"{current} -> itself is not a transition"
        for new in states:
            if new in table[current]:
                current.check_move(new)
            else:
                with pytest.raises(InvalidTransition, match=entity):
                    current.check_move(new)


def test_final_states() -> None:
    assert StatementStatus.transitions()[StatementStatus.CONFIRMED] == frozenset()
    assert DisputeStatus.transitions()[DisputeStatus.ACCEPTED] == frozenset()
    assert MatchStatus.transitions()[MatchStatus.DUPLICATE] == frozenset()


def test_move_to_methods(session: Session, world: dict[str, int]) -> None:
    statement = session.get(Statement, world["statements"])
    dispute = session.get(Dispute, world["disputes"])
    followup = session.get(FollowUp, world["followups"])
    assert statement is not None and dispute is not None and followup is not None
    statement.move_to(StatementStatus.CONFIRMED)
    with pytest.raises(InvalidTransition):
        statement.move_to(StatementStatus.SUPERSEDED)
    dispute.move_to(DisputeStatus.UNDER_REVIEW)
    dispute.move_to(DisputeStatus.REJECTED)
    assert dispute.is_resolved
    with pytest.raises(InvalidTransition):
        dispute.move_to(DisputeStatus.OPEN)
    followup.move_to(FollowUpStatus.DONE)
    followup.move_to(FollowUpStatus.OPEN)
    session.flush()


@pytest.mark.parametrize(
    ("open_amount", "status"),
    [
        ("1000", InvoiceStatus.OPEN),
        ("0.01", InvoiceStatus.PARTIALLY_PAID),
        ("0", InvoiceStatus.PAID),
    ],
)
def test_status_for_open_amount(open_amount: str, status: InvoiceStatus) -> None:
    assert status_for_open_amount(Decimal("1000"), Decimal(open_amount)) is status


def test_invoice_status_follows_open_amount(session: Session) -> None:
    invoice = make_invoice(session, amount="300.00")
    assert invoice.status is InvoiceStatus.OPEN
    invoice.set_open_amount(Decimal("100.00"))
    assert invoice.status is InvoiceStatus.PARTIALLY_PAID
    invoice.set_open_amount(Decimal("0"))
    assert invoice.status is InvoiceStatus.PAID
    invoice.set_open_amount(Decimal("300.00"))  # a reversed payment re-opens it
    assert invoice.status is InvoiceStatus.OPEN
    for bad in ("-0.01", "300.01"):
        with pytest.raises(ValueError, match="outside"):
            invoice.set_open_amount(Decimal(bad))
    invoice.status = InvoiceStatus.CANCELLED
    with pytest.raises(InvalidTransition):
        invoice.set_open_amount(Decimal("0"))
    session.flush()


def test_days_overdue() -> None:
    from portal.models import Invoice

    invoice = Invoice(due_date=dt.date(2026, 11, 20))
    assert invoice.days_overdue(dt.date(2026, 11, 19)) == 0
    assert invoice.days_overdue(dt.date(2026, 11, 26)) == 6


def test_naive_datetimes_are_refused(session: Session) -> None:
    session.add(Job(kind="x", started_at=dt.datetime(2026, 1, 1)))
    with pytest.raises(Exception, match="naive datetime"):
        session.flush()


def test_datetimes_come_back_aware(session: Session, world: dict[str, int]) -> None:
    session.expire_all()
    statement = session.get(Statement, world["statements"])
    assert statement is not None
    assert statement.issued_at.tzinfo is not None
    assert statement.issued_at.utcoffset() == dt.timedelta(0)
