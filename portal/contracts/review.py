"""Checking invoices against the contract register: drafts, imported invoices, held invoices.

An imported invoice that differs from its contract is held until finance confirms the check;
a draft is checked without storing anything (the API's ``/contracts/check``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from flask_babel import gettext, lazy_gettext
from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import Session

from portal.audit import PendingEvent, record_many
from portal.erp import parsing as p
from portal.erp.bulk import rows_in, scalars_in
from portal.erp.parsing import BadValue
from portal.findings import Closing, listed
from portal.models import (
    CheckStatus,
    Contract,
    ContractScheduleLine,
    Customer,
    Invoice,
    InvoiceContractCheck,
    InvoiceStatus,
    User,
)

from .checks import ContractBook, Difference, InvoiceFacts, ScheduleLine, no_contract
from .errors import ContractError

#: where each of a :class:`ContractBook`'s terms comes from (its schedule is read apart)
_BOOK_COLUMNS = {
    "number": Contract.number,
    "customer": Customer.code,
    "currency": Contract.currency,
    "total": Contract.total,
    "payment_terms_days": Contract.payment_terms_days,
    "valid_from": Contract.valid_from,
    "valid_to": Contract.valid_to,
}


def _books(session: Session, numbers: Iterable[str]) -> dict[str, ContractBook]:
    """Load the contracts with these numbers as books with nothing billed yet."""
    query = select(
        Contract.id, *(column.label(field) for field, column in _BOOK_COLUMNS.items())
    ).join(Customer, Customer.id == Contract.customer_id)
    contracts = list(rows_in(session, query, Contract.number, sorted(set(numbers))))
    schedules = _schedules(session, [contract.id for contract in contracts])
    return {
        contract.number: ContractBook(
            **{field: contract._mapping[field] for field in _BOOK_COLUMNS},
            schedule=schedules[contract.id],
        )
        for contract in contracts
    }


def _schedules(session: Session, contract_ids: list[int]) -> dict[int, list[ScheduleLine]]:
    """Return each contract's billing schedule, in the contract's order."""
    line = ContractScheduleLine
    query = select(line.contract_id, line.due_date, line.milestone, line.amount).order_by(
        line.position, line.id
    )
    schedules: dict[int, list[ScheduleLine]] = defaultdict(list)
    for found in rows_in(session, query, line.contract_id, contract_ids):
        schedules[found.contract_id].append(
            ScheduleLine(found.due_date, found.milestone, found.amount)
        )
    return schedules


#: where each field of an imported invoice's :class:`InvoiceFacts` comes from
_FACT_COLUMNS = {
    "number": Invoice.number,
    "customer": Customer.code,
    "contract": Invoice.contract_number,
    "currency": Invoice.currency,
    "amount": Invoice.amount,
    "issue_date": Invoice.issue_date,
    "due_date": Invoice.due_date,
}


def _facts_query(*extra: Any) -> Any:
    """Select what :class:`InvoiceFacts` needs of invoices (and ``extra`` columns)."""
    return select(
        Invoice.id, *(column.label(field) for field, column in _FACT_COLUMNS.items()), *extra
    ).join(Customer, Customer.id == Invoice.customer_id)


def _facts(row: Any) -> InvoiceFacts:
    """An invoice's facts from a row of :func:`_facts_query`."""
    return InvoiceFacts(**{field: row._mapping[field] for field in _FACT_COLUMNS})


def _billed_invoices(
    session: Session, numbers: Iterable[str]
) -> dict[str, list[tuple[int, InvoiceFacts]]]:
    """Return each contract's invoices (not cancelled) in billing order, with their ids."""
    query = (
        _facts_query()
        .where(Invoice.status != InvoiceStatus.CANCELLED)
        .order_by(Invoice.issue_date, Invoice.number)
    )
    billed: dict[str, list[tuple[int, InvoiceFacts]]] = defaultdict(list)
    for row in rows_in(session, query, Invoice.contract_number, sorted(set(numbers))):
        billed[row.contract].append((row.id, _facts(row)))
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
    amount = p.amount(row, "amount", required=True, currency=currency)
    issue_date = p.required_date(row, "issue_date")
    due_date = p.date(row, "due_date", required=False)
    assert customer is not None and amount is not None
    if amount == 0:
        raise BadValue(gettext("amount must be positive"))
    p.check_due_date(issue_date, due_date)
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
    query = _facts_query(Invoice.customer_id).where(Invoice.status != InvoiceStatus.CANCELLED)
    invoices = [(row.id, _facts(row)) for row in rows_in(session, query, Invoice.number, numbers)]
    customer_codes = sorted({facts.customer for _, facts in invoices})
    holders = select(Customer.code).join(Contract, Contract.customer_id == Customer.id).distinct()
    with_contracts = set(scalars_in(session, holders, Customer.code, customer_codes))
    books = _books(session, [f.contract for _, f in invoices if f.contract])
    invoice_ids = [invoice_id for invoice_id, _ in invoices]
    checks = scalars_in(
        session, select(InvoiceContractCheck), InvoiceContractCheck.invoice_id, invoice_ids
    )
    existing = {check.invoice_id: check for check in checks}
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


#: finance releases a held invoice, accepting its differences
_RELEASE = Closing(CheckStatus.CONFIRMED, ContractError, lazy_gettext("this invoice is not held"))


def confirm_check(
    session: Session, check: InvoiceContractCheck, *, actor: User, reason: str
) -> None:
    """Release a held invoice: finance accepts its differences, for the given reason.

    :raises ContractError: the invoice is not held, or the reason is empty.
    """
    data = {"differences": check.differences}
    _RELEASE.close(
        session, check, "invoice.contract_confirmed", actor=actor, reason=reason, data=data
    )


def held_checks(*, status: CheckStatus = CheckStatus.HELD) -> Select[Any]:
    """The invoices held (or decided) after a contract check, newest first (paginate it)."""
    newest = (InvoiceContractCheck.updated_at.desc(), InvoiceContractCheck.id.desc())
    return listed(status, InvoiceContractCheck.decided_by, newest)


def held_count(session: Session) -> int:
    """How many invoices are held after a contract check."""
    query = select(func.count()).select_from(InvoiceContractCheck)
    query = query.where(InvoiceContractCheck.status == CheckStatus.HELD)
    return int(session.scalar(query) or 0)
