"""The contract register: import contracts, and what has been billed against each.

Checking invoices against the register lives in :mod:`.review`, signed PDFs in
:mod:`.documents`.

Services flush and never commit; the request or the CLI command commits once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from flask_babel import gettext
from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session, selectinload

from portal.audit import PendingEvent, record, record_many
from portal.erp import parsing as p
from portal.erp.bulk import change_event
from portal.erp.parsing import BadValue, ErpImportError, ImportSummary, Row, RowError, read_csv
from portal.models import (
    Contract,
    ContractScheduleLine,
    Customer,
    Invoice,
    InvoiceStatus,
    User,
)
from portal.models.base import exact_amount
from reconcile.matching.erp_values import ErpValueError, read_erp_date

from .errors import ContractError as ContractError  # callers catch it from here
from .review import check_imported

CONTRACT_COLUMNS = ("number", "customer", "currency", "total", "valid_from")


# --- import ----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ContractTerms:
    """A contract's terms: its number, customer, currency, total, payment terms and validity."""

    number: str
    customer: str
    currency: str
    total: Decimal
    payment_terms_days: int | None
    valid_from: dt.date
    valid_to: dt.date | None


@dataclasses.dataclass(frozen=True)
class ContractRow(ContractTerms):
    """A validated contract row: the terms and the billing schedule."""

    schedule: tuple[tuple[dt.date | None, str | None, Decimal], ...]


#: the separators of a ``schedule`` cell, full-width ones too (a Chinese keyboard's ；＝)
_LINE_SEPARATOR = re.compile("[;\uff1b]")
_AMOUNT_SEPARATOR = re.compile("[=\uff1d]")

ScheduleLine = tuple[dt.date | None, str | None, Decimal]


def _schedule_item(text: str, currency: str | None) -> ScheduleLine:
    """One ``DATE=AMOUNT`` or ``MILESTONE=AMOUNT`` line of a schedule cell."""
    parts = _AMOUNT_SEPARATOR.split(text)
    when, amount_text = "=".join(parts[:-1]).strip(), parts[-1].strip()
    if len(parts) < 2 or not when:
        raise BadValue(
            gettext(
                "bad schedule line %(text)s (expected DATE=AMOUNT or MILESTONE=AMOUNT)",
                text=repr(text),
            )
        )
    return _schedule_entry({"when": when, "amount": amount_text}, currency)


def _when(when: str) -> tuple[dt.date | None, str | None]:
    """A schedule line's date (written as ERPs write dates) or else its milestone's text.

    :raises BadValue: a date that is none (``2026-02-30``) or is day first (``03/11/2026``).
    """
    try:
        return read_erp_date(when), None
    except ErpValueError as exc:
        if exc.code == "no_such_day":
            raise BadValue(
                gettext("bad date in schedule: %(when)s (no such day)", when=repr(when))
            ) from None
        if exc.code == "day_month_order":
            raise BadValue(
                gettext(
                    "bad date in schedule: %(when)s (write the year first, e.g. 2026-11-20)",
                    when=repr(when),
                )
            ) from None
    return None, p.text({"when": when}, "when", required=True, max_len=200)


def _schedule_entry(item: Mapping[str, Any], currency: str | None) -> ScheduleLine:
    """One schedule line: ``when`` (a cell's line) or ``date``/``milestone`` (JSON), ``amount``.

    :raises BadValue: with the reason (:class:`~portal.erp.parsing.BadValues`: all of them).
    """
    check = p.Checks()
    amount = check(p.amount, item, "amount", required=True, currency=currency)
    if amount is not None and amount == 0:
        check.reasons.append(gettext("a schedule line's amount must be positive"))
    if "when" in item:
        due, milestone = check(_when, str(item["when"])) or (None, None)
    else:
        due = check(p.date, item, "date", required=False)
        milestone = check(p.text, item, "milestone", required=False, max_len=200)
        if check.ok and due is None and milestone is None:
            check.reasons.append(gettext("a schedule line needs a date or a milestone"))
    check.done()
    assert amount is not None
    return (due, milestone, amount)


def _schedule(raw: Any, currency: str | None) -> list[ScheduleLine]:
    """A row's ``schedule``: a ``;``-separated cell or a JSON list of lines.

    :raises BadValue: with the reason (:class:`~portal.erp.parsing.BadValues`: every line's).
    """
    check = p.Checks()
    lines: list[ScheduleLine] = []
    if isinstance(raw, str):
        for part in _LINE_SEPARATOR.split(raw):
            if part.strip():
                lines.append(check(_schedule_item, part.strip(), currency) or _NO_LINE)
    elif isinstance(raw, list):
        for position, item in enumerate(raw, start=1):
            lines.append(_listed_line(check, position, item, currency))
    elif raw is not None:
        check.reasons.append(gettext("schedule must be text (DATE=AMOUNT;...) or a list of lines"))
    check.done()
    return lines


#: stands for a bad line while the others are checked (never returned: the schedule is bad)
_NO_LINE: ScheduleLine = (None, None, Decimal(0))


def _listed_line(check: p.Checks, position: int, item: Any, currency: str | None) -> ScheduleLine:
    """Check a JSON schedule's line ``position``; its problems go to ``check``."""
    if not isinstance(item, Mapping):
        check.reasons.append(
            gettext(
                "schedule[%(position)s] must be an object (date, milestone, amount)",
                position=position,
            )
        )
        return _NO_LINE
    inner = p.Checks()
    line = inner(_schedule_entry, item, currency)
    check.reasons.extend(
        gettext("schedule[%(position)s]: %(exc)s", position=position, exc=reason)
        for reason in inner.reasons
    )
    return line or _NO_LINE


def parse_contract(row: Mapping[str, Any]) -> ContractRow:
    """Validate one contract row.

    :raises BadValue: with the reason (:class:`~portal.erp.parsing.BadValues`: every problem of
        the row).
    """
    check = p.Checks()
    number = check(p.text, row, "number", required=True, max_len=64, identifier=True)
    customer = check(p.text, row, "customer", required=True, max_len=40, identifier=True)
    currency = check(p.currency, row)
    total = check(p.amount, row, "total", required=True, currency=currency)
    if total is not None and total == 0:
        check.reasons.append(gettext("total must be positive"))
    terms = check(p.days, row, "payment_terms")
    valid_from = check(p.required_date, row, "valid_from")
    valid_to = check(p.date, row, "valid_to", required=False)
    if valid_from is not None and valid_to is not None and valid_to < valid_from:
        check.reasons.append(
            gettext(
                "valid_to %(valid_to)s is before valid_from %(valid_from)s",
                valid_to=valid_to,
                valid_from=valid_from,
            )
        )
    lines = check(_schedule, row.get("schedule"), currency)
    scheduled = sum((line[2] for line in lines or ()), Decimal(0))
    if total is not None and lines is not None and scheduled > total:
        check.reasons.append(
            gettext(
                "the schedule lines add up to %(scheduled)s, above the total %(total)s",
                scheduled=scheduled,
                total=total,
            )
        )
    check.done()
    assert number is not None and customer is not None and currency is not None
    assert total is not None and valid_from is not None and lines is not None
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
    errors += p.duplicates(parsed, "number", gettext("contract number"))
    codes = sorted({item.customer for _, item in parsed})
    customers = {
        c.code: c for c in session.scalars(select(Customer).where(Customer.code.in_(codes)))
    }
    for line, item in parsed:
        if item.customer not in customers:
            errors.append(RowError(line, gettext("unknown customer: %(code)s", code=item.customer)))
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
        events.append(change_event(action, "contract", item.number, source=source, fields=changes))
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
            actor,
            "erp.import_contracts",
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
    rows = read_csv(data, CONTRACT_COLUMNS, vocabulary="contracts")
    return import_contracts(session, rows, actor=actor, source=f"csv:{filename}")


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


def billed(session: Session, contract: Contract) -> Decimal:
    """What the invoices naming ``contract`` bill (cancelled ones left out)."""
    total = session.scalar(
        select(func.coalesce(func.sum(Invoice.amount), 0)).where(
            Invoice.contract_number == contract.number, Invoice.status != InvoiceStatus.CANCELLED
        )
    )
    return exact_amount(total or 0)


def standings_query(*, over_only: bool = False) -> Select[Any]:
    """Every contract (or only those billed over their total) with what is billed against it,
    by number: rows of (contract, billed, invoices) for :func:`standings` (paginate it)."""
    billed = _billed_select()
    query = (
        select(Contract, billed.c.billed, billed.c.invoices)
        .outerjoin(billed, billed.c.contract_number == Contract.number)
        .options(selectinload(Contract.customer), selectinload(Contract.documents))
        .order_by(Contract.number, Contract.id)
    )
    if over_only:
        query = query.where(billed.c.billed > Contract.total)
    return query


def standings(rows: Iterable[Any]) -> list[ContractStanding]:
    """The rows of :func:`standings_query` as contracts with billed and remaining."""
    return [
        ContractStanding(contract, exact_amount(amount or 0), count or 0)
        for contract, amount, count in rows
    ]


def without_contract_query() -> Select[Any]:
    """Invoices (not cancelled) that name no contract or one the register lacks, newest first
    (paginate it)."""
    condition = and_(
        Invoice.status != InvoiceStatus.CANCELLED,
        or_(
            Invoice.contract_number.is_(None),
            ~exists().where(Contract.number == Invoice.contract_number),
        ),
    )
    return (
        select(Invoice)
        .where(condition)
        .options(selectinload(Invoice.customer))
        .order_by(Invoice.issue_date.desc(), Invoice.number, Invoice.id)
    )
