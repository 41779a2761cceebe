"""The contract register: import contracts, check invoices against them, hold and confirm.

Services flush and never commit; the request or the CLI command commits once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session, selectinload

from portal.audit import PendingEvent, record, record_many
from portal.erp import parsing as p
from portal.erp.parsing import BadValue, ErpImportError, ImportSummary, Row, RowError, read_csv
from portal.models import (
    CheckStatus,
    Contract,
    ContractDocument,
    ContractScheduleLine,
    Customer,
    Invoice,
    InvoiceContractCheck,
    InvoiceStatus,
    User,
    utcnow,
)

from ..errors import ConcordError
from .checks import ContractBook, Difference, InvoiceFacts, ScheduleLine, no_contract

CONTRACT_COLUMNS = ("number", "customer", "currency", "total", "valid_from")


class ContractError(ConcordError):
    """A contract action was refused; the message says why."""


# --- import ----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ContractRow:
    """A validated contract row."""

    number: str
    customer: str
    currency: str
    total: Decimal
    payment_terms_days: int | None
    valid_from: dt.date
    valid_to: dt.date | None
    schedule: tuple[tuple[dt.date | None, str | None, Decimal], ...]


def _schedule_item(text: str) -> tuple[dt.date | None, str | None, Decimal]:
    when, sep, amount_text = text.rpartition("=")
    if not sep or not when.strip():
        raise BadValue(f"bad schedule line {text!r} (expected DATE=AMOUNT or MILESTONE=AMOUNT)")
    return _schedule_entry({"when": when.strip(), "amount": amount_text.strip()})


def _schedule_entry(item: Mapping[str, Any]) -> tuple[dt.date | None, str | None, Decimal]:
    amount = p.amount(item, "amount", required=True)
    assert amount is not None
    if amount == 0:
        raise BadValue("a schedule line's amount must be positive")
    if "when" in item:
        when = str(item["when"])
        try:
            return (
                (dt.date.fromisoformat(when), None, amount)
                if p._DATE.match(when)
                else (
                    None,
                    p.text(item, "when", required=True, max_len=200),
                    amount,
                )
            )
        except ValueError:
            raise BadValue(f"bad date in schedule: {when!r} (no such day)") from None
    due = p.date(item, "date", required=False)
    milestone = p.text(item, "milestone", required=False, max_len=200)
    if due is None and milestone is None:
        raise BadValue("a schedule line needs a date or a milestone")
    return (due, milestone, amount)


def parse_contract(row: Mapping[str, Any]) -> ContractRow:
    """Validate one contract row.

    :raises BadValue: with the reason.
    """
    number = p.text(row, "number", required=True, max_len=64, identifier=True)
    customer = p.text(row, "customer", required=True, max_len=40, identifier=True)
    currency = p.currency(row)
    total = p.amount(row, "total", required=True)
    assert number is not None and customer is not None and total is not None
    if total == 0:
        raise BadValue("total must be positive")
    terms = p.days(row, "payment_terms")
    valid_from = p.required_date(row, "valid_from")
    valid_to = p.date(row, "valid_to", required=False)
    if valid_to is not None and valid_to < valid_from:
        raise BadValue(f"valid_to {valid_to} is before valid_from {valid_from}")
    raw = row.get("schedule")
    lines: list[tuple[dt.date | None, str | None, Decimal]] = []
    if isinstance(raw, str):
        lines = [_schedule_item(part) for part in raw.split(";") if part.strip()]
    elif isinstance(raw, list):
        for position, item in enumerate(raw, start=1):
            if not isinstance(item, Mapping):
                raise BadValue(f"schedule[{position}] must be an object (date, milestone, amount)")
            try:
                lines.append(_schedule_entry(item))
            except BadValue as exc:
                raise BadValue(f"schedule[{position}]: {exc}") from None
    elif raw is not None:
        raise BadValue("schedule must be text (DATE=AMOUNT;...) or a list of lines")
    scheduled = sum((line[2] for line in lines), Decimal(0))
    if scheduled > total:
        raise BadValue(f"the schedule lines add up to {scheduled}, above the total {total}")
    return ContractRow(
        number=number,
        customer=customer,
        currency=currency,
        total=total,
        payment_terms_days=terms,
        valid_from=valid_from,
        valid_to=valid_to,
        schedule=tuple(lines),
    )


def import_contracts(
    session: Session, rows: Iterable[Row], *, actor: User | None = None, source: str = "api"
) -> ImportSummary:
    """Validate all rows, then create or update contracts by number (flushes, never commits).

    A row's schedule replaces the contract's schedule.

    :raises ErpImportError: any row is bad; nothing was changed.
    """
    parsed, errors = p.collect(rows, parse_contract)
    errors += p.duplicates(parsed, "number", "contract number")
    codes = sorted({item.customer for _, item in parsed})
    customers = {
        c.code: c for c in session.scalars(select(Customer).where(Customer.code.in_(codes)))
    }
    for line, item in parsed:
        if item.customer not in customers:
            errors.append(RowError(line, f"unknown customer: {item.customer}"))
    if errors:
        raise ErpImportError(errors)
    numbers = [item.number for _, item in parsed]
    stored = {
        c.number: c
        for c in session.scalars(
            select(Contract)
            .where(Contract.number.in_(numbers))
            .options(selectinload(Contract.schedule))
        )
    }
    summary = ImportSummary("contracts")
    events: list[PendingEvent] = []
    for _, item in parsed:
        wanted: dict[str, Any] = {
            "customer_id": customers[item.customer].id,
            "currency": item.currency,
            "total": item.total,
            "payment_terms_days": item.payment_terms_days,
            "valid_from": item.valid_from,
            "valid_to": item.valid_to,
        }
        contract = stored.get(item.number)
        if contract is None:
            contract = Contract(number=item.number, **wanted)
            _set_schedule(contract, item.schedule)
            session.add(contract)
            summary.created += 1
            action, changes = "contract.created", {**wanted, "schedule": item.schedule}
        else:
            changes = {k: v for k, v in wanted.items() if getattr(contract, k) != v}
            for key, value in changes.items():
                setattr(contract, key, value)
            if _schedule_of(contract) != list(item.schedule):
                changes["schedule"] = item.schedule
                _set_schedule(contract, item.schedule)
            if not changes:
                summary.unchanged += 1
                continue
            summary.updated += 1
            action = "contract.updated"
        changes.pop("customer_id", None)
        if action == "contract.created" or "customer_id" in wanted:
            changes["customer"] = item.customer
        events.append(
            PendingEvent(
                action=action,
                entity_type="contract",
                entity_id=item.number,
                data={"source": source, "fields": p.jsonable(changes)},
            )
        )
    session.flush()
    record_many(session, actor=actor, events=events)
    # invoices imported before their contract was registered (or changed) are checked now
    changed = [event.entity_id for event in events]
    if changed:
        billed = session.scalars(
            select(Invoice.number).where(Invoice.contract_number.in_(changed))
        ).all()
        summary.held = check_imported(session, list(billed), actor=actor, source=source)
    if summary.changed:
        record(
            session,
            actor=actor,
            action="erp.import_contracts",
            entity_type="erp_import",
            entity_id=source[:64],
            data=summary.as_dict(),
        )
    return summary


def _schedule_of(contract: Contract) -> list[tuple[dt.date | None, str | None, Decimal]]:
    return [(line.due_date, line.milestone, line.amount) for line in contract.schedule]


def _set_schedule(
    contract: Contract, lines: Sequence[tuple[dt.date | None, str | None, Decimal]]
) -> None:
    contract.schedule[:] = [
        ContractScheduleLine(position=n, due_date=due, milestone=milestone, amount=amount)
        for n, (due, milestone, amount) in enumerate(lines, start=1)
    ]


def import_contracts_csv(
    session: Session, data: bytes, *, actor: User | None = None, filename: str = "upload.csv"
) -> ImportSummary:
    """Import a contracts CSV file (see :func:`import_contracts`)."""
    rows = read_csv(data, CONTRACT_COLUMNS)
    return import_contracts(session, rows, actor=actor, source=f"csv:{filename}")


# --- checks ----------------------------------------------------------------------------------


def _books(session: Session, numbers: Iterable[str]) -> dict[str, ContractBook]:
    """Load the contracts with these numbers as books with nothing billed yet."""
    books: dict[str, ContractBook] = {}
    for chunk in p.chunks(sorted(set(numbers))):
        contracts = session.scalars(
            select(Contract)
            .where(Contract.number.in_(chunk))
            .options(selectinload(Contract.schedule), selectinload(Contract.customer))
        )
        for contract in contracts:
            books[contract.number] = ContractBook(
                number=contract.number,
                customer=contract.customer.code,
                currency=contract.currency,
                total=contract.total,
                payment_terms_days=contract.payment_terms_days,
                valid_from=contract.valid_from,
                valid_to=contract.valid_to,
                schedule=[
                    ScheduleLine(line.due_date, line.milestone, line.amount)
                    for line in contract.schedule
                ],
            )
    return books


def _billed_invoices(
    session: Session, numbers: Iterable[str]
) -> dict[str, list[tuple[int, InvoiceFacts]]]:
    """Return each contract's invoices (not cancelled) in billing order, with their ids."""
    billed: dict[str, list[tuple[int, InvoiceFacts]]] = defaultdict(list)
    for chunk in p.chunks(sorted(set(numbers))):
        rows = session.execute(
            select(
                Invoice.id,
                Invoice.number,
                Customer.code,
                Invoice.contract_number,
                Invoice.currency,
                Invoice.amount,
                Invoice.issue_date,
                Invoice.due_date,
            )
            .join(Customer, Customer.id == Invoice.customer_id)
            .where(Invoice.contract_number.in_(chunk), Invoice.status != InvoiceStatus.CANCELLED)
            .order_by(Invoice.issue_date, Invoice.number)
        )
        for row in rows:
            billed[row.contract_number].append(
                (
                    row.id,
                    InvoiceFacts(
                        number=row.number,
                        customer=row.code,
                        contract=row.contract_number,
                        currency=row.currency,
                        amount=row.amount,
                        issue_date=row.issue_date,
                        due_date=row.due_date,
                    ),
                )
            )
    return billed


def check_draft(session: Session, draft: InvoiceFacts) -> list[Difference]:
    """Check an invoice the ERP is about to issue against its contract and what was billed."""
    if not draft.contract:
        return [no_contract(None)]
    book = _books(session, [draft.contract]).get(draft.contract)
    if book is None:
        return [no_contract(draft.contract)]
    for _id, facts in _billed_invoices(session, [draft.contract]).get(draft.contract, []):
        if facts.number != draft.number:
            book.book(facts)
    return book.check(draft)


def parse_draft(row: Mapping[str, Any]) -> InvoiceFacts:
    """Validate the JSON body of ``POST /api/v1/invoices/check``.

    :raises BadValue: with the reason.
    """
    number = p.text(row, "number", required=False, max_len=64, identifier=True)
    customer = p.text(row, "customer", required=True, max_len=40, identifier=True)
    contract = p.text(row, "contract", required=False, max_len=64, identifier=True)
    currency = p.currency(row)
    amount = p.amount(row, "amount", required=True)
    issue_date = p.required_date(row, "issue_date")
    due_date = p.date(row, "due_date", required=False)
    assert customer is not None and amount is not None
    if amount == 0:
        raise BadValue("amount must be positive")
    if due_date is not None and due_date < issue_date:
        raise BadValue(f"due date {due_date} is before issue date {issue_date}")
    return InvoiceFacts(
        number=number,
        customer=customer,
        contract=contract,
        currency=currency,
        amount=amount,
        issue_date=issue_date,
        due_date=due_date,
        payment_terms_days=p.days(row, "payment_terms"),
        milestone=p.text(row, "milestone", required=False, max_len=200),
    )


def check_imported(
    session: Session, numbers: Sequence[str], *, actor: User | None = None, source: str = "erp"
) -> int:
    """Check imported invoices against their contracts; hold those that differ.

    An invoice is checked when it names a registered contract, or when its customer has
    contracts in the register (then naming none, or an unknown one, is a difference). A
    re-check that finds no difference clears the hold. Flushes, never commits.

    :returns: the number of invoices held by this call.
    """
    if not numbers or not session.scalar(select(exists().where(Contract.id.is_not(None)))):
        return 0
    invoices: list[tuple[int, InvoiceFacts]] = []
    for chunk in p.chunks(list(numbers)):
        for row in session.execute(
            select(
                Invoice.id,
                Invoice.number,
                Customer.code,
                Invoice.contract_number,
                Invoice.currency,
                Invoice.amount,
                Invoice.issue_date,
                Invoice.due_date,
                Invoice.customer_id,
            )
            .join(Customer, Customer.id == Invoice.customer_id)
            .where(Invoice.number.in_(chunk), Invoice.status != InvoiceStatus.CANCELLED)
        ):
            invoices.append(
                (
                    row.id,
                    InvoiceFacts(
                        number=row.number,
                        customer=row.code,
                        contract=row.contract_number,
                        currency=row.currency,
                        amount=row.amount,
                        issue_date=row.issue_date,
                        due_date=row.due_date,
                    ),
                )
            )
    customer_codes = sorted({facts.customer for _, facts in invoices})
    with_contracts: set[str] = set()
    for chunk in p.chunks(customer_codes):
        with_contracts.update(
            session.scalars(
                select(Customer.code)
                .join(Contract, Contract.customer_id == Customer.id)
                .where(Customer.code.in_(chunk))
                .distinct()
            )
        )
    books = _books(session, [f.contract for _, f in invoices if f.contract])
    existing: dict[int, InvoiceContractCheck] = {}
    for chunk in p.chunks([invoice_id for invoice_id, _ in invoices]):
        existing.update(
            (check.invoice_id, check)
            for check in session.scalars(
                select(InvoiceContractCheck).where(InvoiceContractCheck.invoice_id.in_(chunk))
            )
        )
    found: dict[int, list[Difference]] = {}
    for invoice_id, facts in invoices:
        if facts.contract in books:
            continue
        if facts.customer in with_contracts:
            found[invoice_id] = [no_contract(facts.contract)]
        elif invoice_id in existing:
            found[invoice_id] = []  # no longer subject to a check: clear an old hold
    wanted = {invoice_id for invoice_id, f in invoices if f.contract in books}
    for contract_number, billed in _billed_invoices(session, books).items():
        book = books[contract_number]
        for invoice_id, facts in billed:
            if invoice_id in wanted:
                found[invoice_id] = book.check(facts)
            book.book(facts)
    invoice_numbers = {invoice_id: facts.number or "" for invoice_id, facts in invoices}
    return _store_checks(session, found, existing, invoice_numbers, actor=actor, source=source)


def _store_checks(
    session: Session,
    found: Mapping[int, list[Difference]],
    existing: Mapping[int, InvoiceContractCheck],
    numbers: Mapping[int, str],
    *,
    actor: User | None,
    source: str,
) -> int:
    held = 0
    events: list[PendingEvent] = []
    for invoice_id, differences in found.items():
        check = existing.get(invoice_id)
        stored = [d.as_dict() for d in differences]
        if differences:
            if check is None:
                check = InvoiceContractCheck(
                    invoice_id=invoice_id, status=CheckStatus.HELD, differences=stored
                )
                session.add(check)
            elif check.status is CheckStatus.HELD and check.differences == stored:
                continue
            elif check.status is CheckStatus.CONFIRMED and check.differences == stored:
                continue  # finance already accepted exactly these differences
            else:
                check.move_to(CheckStatus.HELD)
                check.differences = stored
                check.reason = None
                check.decided_by_id = None
                check.decided_at = None
            held += 1
            action = "invoice.contract_held"
        elif check is not None and check.status is not CheckStatus.CLEARED:
            check.move_to(CheckStatus.CLEARED)
            check.differences = []
            action = "invoice.contract_cleared"
        else:
            continue
        events.append(
            PendingEvent(
                action=action,
                entity_type="invoice",
                entity_id=numbers[invoice_id],
                data={"source": source, "differences": stored},
            )
        )
    session.flush()
    record_many(session, actor=actor, events=events)
    return held


def confirm_check(
    session: Session, check: InvoiceContractCheck, *, actor: User, reason: str
) -> None:
    """Release a held invoice: finance accepts its differences, for the given reason.

    :raises ContractError: the invoice is not held, or the reason is empty.
    """
    reason = reason.strip()
    if not reason:
        raise ContractError("a reason is required")
    if check.status is not CheckStatus.HELD:
        raise ContractError("this invoice is not held")
    check.move_to(CheckStatus.CONFIRMED)
    check.reason = reason
    check.decided_by_id = actor.id
    check.decided_at = utcnow()
    session.flush()
    record(
        session,
        actor=actor,
        action="invoice.contract_confirmed",
        entity_type="invoice",
        entity_id=check.invoice.number,
        reason=reason,
        data={"differences": check.differences},
    )


def held_checks(
    session: Session, *, status: CheckStatus = CheckStatus.HELD, limit: int = 200
) -> list[InvoiceContractCheck]:
    """The invoices held (or decided) after a contract check, newest first."""
    return list(
        session.scalars(
            select(InvoiceContractCheck)
            .where(InvoiceContractCheck.status == status)
            .options(
                selectinload(InvoiceContractCheck.invoice).selectinload(Invoice.customer),
                selectinload(InvoiceContractCheck.decided_by),
            )
            .order_by(InvoiceContractCheck.updated_at.desc(), InvoiceContractCheck.id.desc())
            .limit(limit)
        )
    )


# --- register and report ---------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ContractStanding:
    """A contract with what has been invoiced against it."""

    contract: Contract
    billed: Decimal
    invoices: int

    @property
    def remaining(self) -> Decimal:
        return self.contract.total - self.billed

    @property
    def over(self) -> bool:
        return self.billed > self.contract.total

    @property
    def over_by(self) -> Decimal:
        return max(self.billed - self.contract.total, Decimal("0.00"))


def _billed_select() -> Any:
    return (
        select(
            Invoice.contract_number,
            func.coalesce(func.sum(Invoice.amount), 0).label("billed"),
            func.count(Invoice.id).label("invoices"),
        )
        .where(Invoice.status != InvoiceStatus.CANCELLED, Invoice.contract_number.is_not(None))
        .group_by(Invoice.contract_number)
        .subquery()
    )


def standings(
    session: Session, *, over_only: bool = False, limit: int = 500
) -> list[ContractStanding]:
    """Every contract (or only those billed over their total) with billed and remaining."""
    billed = _billed_select()
    query = (
        select(Contract, billed.c.billed, billed.c.invoices)
        .outerjoin(billed, billed.c.contract_number == Contract.number)
        .options(selectinload(Contract.customer), selectinload(Contract.documents))
        .order_by(Contract.number)
        .limit(limit)
    )
    if over_only:
        query = query.where(billed.c.billed > Contract.total)
    return [
        ContractStanding(contract, Decimal(amount or 0).quantize(Decimal("0.01")), count or 0)
        for contract, amount, count in session.execute(query)
    ]


def invoices_without_contract(session: Session, *, limit: int = 500) -> tuple[list[Invoice], int]:
    """Invoices (not cancelled) that name no contract or one the register lacks; and their count."""
    condition = and_(
        Invoice.status != InvoiceStatus.CANCELLED,
        or_(
            Invoice.contract_number.is_(None),
            ~exists().where(Contract.number == Invoice.contract_number),
        ),
    )
    total = session.scalar(select(func.count()).select_from(Invoice).where(condition)) or 0
    rows = list(
        session.scalars(
            select(Invoice)
            .where(condition)
            .options(selectinload(Invoice.customer))
            .order_by(Invoice.issue_date.desc(), Invoice.number)
            .limit(limit)
        )
    )
    return rows, total


# --- signed PDFs -----------------------------------------------------------------------------

MAX_PDF_BYTES = 20 * 1024 * 1024


def store_document(
    session: Session, *, filename: str, content: bytes, actor: User, own_names: Sequence[str]
) -> ContractDocument:
    """Keep an uploaded signed contract and what its text proposes (flushes, never commits).

    :raises ContractError: not a PDF, empty or too large.
    """
    from .extract import propose

    if not content:
        raise ContractError("the file is empty")
    if len(content) > MAX_PDF_BYTES:
        raise ContractError("the file is larger than 20 MB")
    if not content.lstrip()[:5] == b"%PDF-":
        raise ContractError("the file is not a PDF")
    proposal = propose(content, own_names=own_names)
    proposal = _match_customer(session, proposal)
    document = ContractDocument(
        filename=filename[:255] or "contract.pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        proposal=proposal,
        uploaded_by_id=actor.id,
    )
    session.add(document)
    session.flush()
    record(
        session,
        actor=actor,
        action="contract_document.uploaded",
        entity_type="contract_document",
        entity_id=document.id,
        data={"filename": document.filename, "sha256": document.sha256, "proposal": proposal},
    )
    return document


def _match_customer(session: Session, proposal: dict[str, Any]) -> dict[str, Any]:
    """Add the code of the customer whose name or alias is the proposed counterparty."""
    name = proposal.get("customer_name")
    if not name:
        return proposal
    found = session.scalar(select(Customer.code).where(Customer.name == name))
    if found is None:
        for code, aliases in session.execute(select(Customer.code, Customer.aliases)):
            if name in (aliases or []):
                found = code
                break
    return {**proposal, "customer": found} if found else proposal


@dataclasses.dataclass(frozen=True)
class ConfirmedContract:
    """What finance confirmed on the proposal page."""

    number: str
    customer: str
    currency: str
    total: Decimal
    payment_terms_days: int | None
    valid_from: dt.date
    valid_to: dt.date | None


def confirm_document(
    session: Session, document: ContractDocument, values: ConfirmedContract, *, actor: User
) -> Contract:
    """Create or update the contract finance confirmed from a PDF, and attach the PDF.

    :raises ContractError: unknown customer, bad dates, or the document is already filed.
    """
    if document.contract_id is not None:
        raise ContractError("this document is already attached to a contract")
    customer = session.scalar(select(Customer).where(Customer.code == values.customer))
    if customer is None:
        raise ContractError(f"unknown customer: {values.customer}")
    if values.valid_to is not None and values.valid_to < values.valid_from:
        raise ContractError("the end of validity is before its start")
    contract = session.scalar(select(Contract).where(Contract.number == values.number))
    fields = {
        "customer_id": customer.id,
        "currency": values.currency,
        "total": values.total,
        "payment_terms_days": values.payment_terms_days,
        "valid_from": values.valid_from,
        "valid_to": values.valid_to,
    }
    if contract is None:
        contract = Contract(number=values.number, **fields)
        session.add(contract)
        action = "contract.created"
        changes = fields
    else:
        changes = {k: v for k, v in fields.items() if getattr(contract, k) != v}
        for key, value in changes.items():
            setattr(contract, key, value)
        action = "contract.updated"
    document.contract = contract
    document.confirmed_by_id = actor.id
    document.confirmed_at = utcnow()
    session.flush()
    record(
        session,
        actor=actor,
        action=action,
        entity_type="contract",
        entity_id=contract.number,
        data={
            "source": f"pdf:{document.filename}",
            "document": document.id,
            "fields": p.jsonable({k: v for k, v in changes.items() if k != "customer_id"}),
            "customer": values.customer,
            "proposal": document.proposal,
        },
    )
    return contract
