"""Validate and upsert customers and invoices exported by the ERP (CSV files or JSON rows).

Every row of a batch is validated first; a batch with any bad row imports nothing and reports
every bad row with its line number and the reason. Rows are upserted by customer code and
invoice number; a row equal to what is stored changes nothing (no update, no audit event).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from portal.audit import record
from portal.models import Customer, CustomerBankAccount, Invoice, InvoiceStatus, User

CUSTOMER_COLUMNS = ("code", "name", "aliases", "bank_accounts", "currency")
CUSTOMER_OPTIONAL = ("credit_limit", "email", "phone", "language")
INVOICE_COLUMNS = (
    "number",
    "customer",
    "issue_date",
    "due_date",
    "currency",
    "amount",
    "open_amount",
    "po_number",
)

_AMOUNT = re.compile(r"^-?\d{1,16}(\.\d{1,2})?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_LOOKUP_CHUNK = 500


class ErpImportError(Exception):
    """A batch was refused; ``errors`` lists every bad row."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        super().__init__(f"{len(errors)} bad row(s); nothing was imported")
        self.errors = list(errors)


@dataclasses.dataclass(frozen=True)
class RowError:
    """One bad row: its line in the file (1 = header) or its 1-based position in a JSON list."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "reason": self.reason}


@dataclasses.dataclass
class ImportSummary:
    """What an import did."""

    kind: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }

    def __str__(self) -> str:
        return (
            f"{self.kind}: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged"
        )


#: a row to import with the line number to report its errors under
Row = tuple[int, Mapping[str, Any]]


# --- reading CSV -------------------------------------------------------------------------


def decode(data: bytes) -> str:
    """Decode an export: UTF-8 with or without BOM, else GB18030 (Chinese Windows Excel).

    :raises ErpImportError: the bytes are neither.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise ErpImportError(
            [RowError(1, f"the file is neither UTF-8 nor GB18030 (byte {exc.start})")]
        ) from exc


def read_csv(data: bytes, required: Sequence[str]) -> list[Row]:
    """Return the data rows of a CSV export keyed by (lower-case) header name.

    :raises ErpImportError: undecodable, empty, or a required column is missing from the header.
    """
    text = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        raise ErpImportError([RowError(1, "the file is empty (no header row)")]) from None
    missing = [name for name in required if name not in header]
    if missing:
        raise ErpImportError([RowError(1, f"missing column: {', '.join(missing)}")])
    rows: list[Row] = []
    for values in reader:
        if not any(value.strip() for value in values):
            continue
        # a short row lacks its last columns: they are absent, not empty
        row = {name: value for name, value in zip(header, values, strict=False)}
        rows.append((reader.line_num, row))
    return rows


# --- field parsing -------------------------------------------------------------------------


class _Bad(ValueError):
    """A field's value is not acceptable; the message is the reason shown to the user."""


def _text(row: Mapping[str, Any], name: str, *, required: bool, max_len: int) -> str | None:
    if name not in row or row[name] is None:
        if required:
            raise _Bad(f"missing column: {name}")
        return None
    value = row[name]
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise _Bad(f"{name} must be text")
    value = str(value).strip()
    if not value:
        if required:
            raise _Bad(f"missing value: {name}")
        return None
    if len(value) > max_len:
        raise _Bad(f"{name} is longer than {max_len} characters")
    return value


def _list(row: Mapping[str, Any], name: str, *, max_len: int) -> list[str]:
    if name not in row or row[name] is None:
        raise _Bad(f"missing column: {name}")
    value = row[name]
    if isinstance(value, str):
        items = value.split(";")
    elif isinstance(value, list) and all(isinstance(item, str) for item in value):
        items = value
    else:
        raise _Bad(f"{name} must be a ';'-separated text or a list of texts")
    result: list[str] = []
    for item in (part.strip() for part in items):
        if not item or item in result:
            continue
        if len(item) > max_len:
            raise _Bad(f"{name}: {item!r} is longer than {max_len} characters")
        result.append(item)
    return result


def _amount(row: Mapping[str, Any], name: str, *, required: bool) -> Decimal | None:
    if name not in row or row[name] is None:
        if required:
            raise _Bad(f"missing column: {name}")
        return None
    raw = row[name]
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        raise _Bad(f"bad amount in {name}: {raw!r}")
    text = str(raw).strip()
    if not text:
        if required:
            raise _Bad(f"missing value: {name}")
        return None
    if not _AMOUNT.match(text):
        raise _Bad(f"bad amount in {name}: {text!r} (expected e.g. 1234.56)")
    try:
        value = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern already excludes this
        raise _Bad(f"bad amount in {name}: {text!r}") from None
    if value < 0:
        raise _Bad(f"negative amount in {name}: {text}")
    return value.quantize(Decimal("0.01"))


def _date(row: Mapping[str, Any], name: str) -> dt.date:
    text = _text(row, name, required=True, max_len=10)
    assert text is not None
    if not _DATE.match(text):
        raise _Bad(f"bad date in {name}: {text!r} (expected YYYY-MM-DD)")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise _Bad(f"bad date in {name}: {text!r} (no such day)") from None


def _currency(row: Mapping[str, Any]) -> str:
    text = _text(row, "currency", required=True, max_len=20)
    assert text is not None
    text = text.upper()
    if not _CURRENCY.match(text):
        raise _Bad(f"bad currency: {text!r} (expected a three-letter code such as CNY)")
    return text


def _collect(rows: Iterable[Row], parse: Any) -> tuple[list[tuple[int, Any]], list[RowError]]:
    parsed: list[tuple[int, Any]] = []
    errors: list[RowError] = []
    for line, row in rows:
        if not isinstance(row, Mapping):
            errors.append(RowError(line, "a row must be an object of column names and values"))
            continue
        try:
            parsed.append((line, parse(row)))
        except _Bad as exc:
            errors.append(RowError(line, str(exc)))
    return parsed, errors


def _chunks(values: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(values), _LOOKUP_CHUNK):
        yield values[start : start + _LOOKUP_CHUNK]


def _duplicates(parsed: list[tuple[int, Any]], key: str, label: str) -> list[RowError]:
    first_line: dict[str, int] = {}
    errors: list[RowError] = []
    for line, item in parsed:
        value = getattr(item, key)
        if value in first_line:
            errors.append(
                RowError(
                    line,
                    f"duplicate {label} {value} in the file (first on line {first_line[value]})",
                )
            )
        else:
            first_line[value] = line
    return errors


# --- customers -------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class CustomerRow:
    """A validated customer row; ``None`` in an optional field means the column was absent."""

    code: str
    name: str
    aliases: list[str]
    bank_accounts: list[str]
    currency: str
    present: frozenset[str]
    credit_limit: Decimal | None = None
    email: str | None = None
    phone: str | None = None
    language: str | None = None


def parse_customer(row: Mapping[str, Any]) -> CustomerRow:
    """Validate one customer row.

    :raises _Bad: with the reason.
    """
    code = _text(row, "code", required=True, max_len=40)
    name = _text(row, "name", required=True, max_len=200)
    aliases = _list(row, "aliases", max_len=200)
    accounts = [re.sub(r"[\s-]", "", a) for a in _list(row, "bank_accounts", max_len=64)]
    currency = _currency(row)
    credit_limit = _amount(row, "credit_limit", required=False)
    email = _text(row, "email", required=False, max_len=254)
    if email is not None and not _EMAIL.match(email):
        raise _Bad(f"bad email: {email!r}")
    phone = _text(row, "phone", required=False, max_len=40)
    language = _text(row, "language", required=False, max_len=5)
    if language is not None:
        language = language.lower()[:2]
        if language not in ("zh", "en"):
            raise _Bad(f"bad language: {row['language']!r} (zh or en)")
    assert code is not None and name is not None
    return CustomerRow(
        code=code,
        name=name,
        aliases=aliases,
        bank_accounts=list(dict.fromkeys(accounts)),
        currency=currency,
        present=frozenset(k for k in CUSTOMER_OPTIONAL if k in row and row[k] is not None),
        credit_limit=credit_limit,
        email=email,
        phone=phone,
        language=language,
    )


def _customer_changes(customer: Customer | None, row: CustomerRow) -> dict[str, Any]:
    """Return the fields that differ, as ``{field: new value}``."""
    wanted: dict[str, Any] = {
        "name": row.name,
        "aliases": row.aliases,
        "currency": row.currency,
    }
    for key in ("credit_limit", "email", "phone"):
        if key in row.present:
            wanted[key] = getattr(row, key)
    if row.language is not None:
        wanted["language"] = row.language
    if customer is None:
        return wanted
    return {k: v for k, v in wanted.items() if getattr(customer, k) != v}


def _erp_accounts(customer: Customer) -> list[str]:
    return [a.account_number for a in customer.bank_accounts if a.source == "erp"]


def _apply_accounts(customer: Customer, accounts: list[str]) -> bool:
    """Make the customer's ERP accounts exactly ``accounts``; learned accounts stay."""
    changed = False
    by_number = {a.account_number: a for a in customer.bank_accounts}
    for account in list(customer.bank_accounts):
        if account.source == "erp" and account.account_number not in accounts:
            customer.bank_accounts.remove(account)
            changed = True
    for number in accounts:
        existing = by_number.get(number)
        if existing is None:
            customer.bank_accounts.append(CustomerBankAccount(account_number=number, source="erp"))
            changed = True
        elif existing.source != "erp":
            # the ERP now knows an account we had learned: it becomes master data
            existing.source = "erp"
            changed = True
    return changed


def import_customers(
    session: Session, rows: Iterable[Row], *, actor: User | None = None, source: str = "api"
) -> ImportSummary:
    """Validate all rows, then create or update customers by code (flushes, never commits).

    :raises ErpImportError: any row is bad; nothing was changed.
    """
    parsed, errors = _collect(rows, parse_customer)
    errors += _duplicates(parsed, "code", "code")
    if errors:
        raise ErpImportError(sorted(errors, key=lambda e: e.line))

    codes = [item.code for _, item in parsed]
    existing: dict[str, Customer] = {}
    for chunk in _chunks(codes):
        existing.update(
            (found.code, found)
            for found in session.scalars(
                select(Customer)
                .where(Customer.code.in_(chunk))
                .options(selectinload(Customer.bank_accounts))
            )
        )

    summary = ImportSummary("customers")
    for _line, item in parsed:
        customer = existing.get(item.code)
        changes = _customer_changes(customer, item)
        if customer is None:
            customer = Customer(code=item.code, **changes)
            session.add(customer)
            _apply_accounts(customer, item.bank_accounts)
            session.flush()
            changes["bank_accounts"] = item.bank_accounts
            summary.created += 1
            action = "customer.created"
        else:
            old_accounts = _erp_accounts(customer)
            for key, value in changes.items():
                setattr(customer, key, value)
            if _apply_accounts(customer, item.bank_accounts):
                changes["bank_accounts"] = item.bank_accounts
                changes["previous_bank_accounts"] = old_accounts
            if not changes:
                summary.unchanged += 1
                continue
            summary.updated += 1
            action = "customer.updated"
        record(
            session,
            actor=actor,
            action=action,
            entity_type="customer",
            entity_id=customer.code,
            data={"source": source, "fields": changes},
        )
    _record_summary(session, summary, actor=actor, source=source)
    session.flush()
    return summary


# --- invoices --------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class InvoiceRow:
    """A validated invoice row."""

    number: str
    customer: str
    issue_date: dt.date
    due_date: dt.date
    currency: str
    amount: Decimal
    open_amount: Decimal
    po_number: str | None


def parse_invoice(row: Mapping[str, Any]) -> InvoiceRow:
    """Validate one invoice row (without the database: the customer is checked later).

    :raises _Bad: with the reason.
    """
    number = _text(row, "number", required=True, max_len=64)
    customer = _text(row, "customer", required=True, max_len=40)
    issue_date = _date(row, "issue_date")
    due_date = _date(row, "due_date")
    if due_date < issue_date:
        raise _Bad(f"due date {due_date} is before issue date {issue_date}")
    currency = _currency(row)
    amount = _amount(row, "amount", required=True)
    open_amount = _amount(row, "open_amount", required=True)
    assert amount is not None and open_amount is not None
    if amount == 0:
        raise _Bad("amount must be positive (use a credit note for reductions)")
    if open_amount > amount:
        raise _Bad(f"open amount {open_amount} is above the amount {amount}")
    if "po_number" not in row:
        raise _Bad("missing column: po_number")
    po_number = _text(row, "po_number", required=False, max_len=64)
    assert number is not None and customer is not None
    return InvoiceRow(
        number=number,
        customer=customer,
        issue_date=issue_date,
        due_date=due_date,
        currency=currency,
        amount=amount,
        open_amount=open_amount,
        po_number=po_number,
    )


def _invoice_changes(invoice: Invoice, row: InvoiceRow, customer: Customer) -> dict[str, Any]:
    wanted: dict[str, Any] = {
        "customer_id": customer.id,
        "issue_date": row.issue_date,
        "due_date": row.due_date,
        "currency": row.currency,
        "amount": row.amount,
        "open_amount": row.open_amount,
        "po_number": row.po_number,
    }
    return {k: v for k, v in wanted.items() if getattr(invoice, k) != v}


def import_invoices(
    session: Session, rows: Iterable[Row], *, actor: User | None = None, source: str = "api"
) -> ImportSummary:
    """Validate all rows, then create or update invoices by number (flushes, never commits).

    The status follows the open amount (open, partially paid, paid).

    :raises ErpImportError: any row is bad; nothing was changed.
    """
    parsed, errors = _collect(rows, parse_invoice)
    errors += _duplicates(parsed, "number", "invoice number")

    codes = sorted({item.customer for _, item in parsed})
    customers: dict[str, Customer] = {}
    for chunk in _chunks(codes):
        for customer in session.scalars(select(Customer).where(Customer.code.in_(chunk))):
            customers[customer.code] = customer
    numbers = [item.number for _, item in parsed]
    existing: dict[str, Invoice] = {}
    for chunk in _chunks(numbers):
        existing.update(
            (found.number, found)
            for found in session.scalars(select(Invoice).where(Invoice.number.in_(chunk)))
        )

    for line, item in parsed:
        if item.customer not in customers:
            errors.append(RowError(line, f"unknown customer: {item.customer}"))
            continue
        stored = existing.get(item.number)
        if (
            stored is not None
            and stored.status is InvoiceStatus.CANCELLED
            and _invoice_changes(stored, item, customers[item.customer])
        ):
            errors.append(RowError(line, f"invoice {item.number} is cancelled in Concord"))
    if errors:
        raise ErpImportError(sorted(errors, key=lambda e: e.line))

    summary = ImportSummary("invoices")
    for _line, item in parsed:
        customer = customers[item.customer]
        invoice = existing.get(item.number)
        if invoice is None:
            invoice = Invoice(
                number=item.number,
                customer=customer,
                issue_date=item.issue_date,
                due_date=item.due_date,
                currency=item.currency,
                amount=item.amount,
                open_amount=item.amount,
                po_number=item.po_number,
                status=InvoiceStatus.OPEN,
            )
            invoice.set_open_amount(item.open_amount)
            session.add(invoice)
            summary.created += 1
            action = "invoice.created"
            changes = _jsonable(dataclasses.asdict(item))
        else:
            diff = _invoice_changes(invoice, item, customer)
            if not diff:
                summary.unchanged += 1
                continue
            changes = {k: [_jsonable(getattr(invoice, k)), _jsonable(v)] for k, v in diff.items()}
            open_amount = diff.pop("open_amount", invoice.open_amount)
            if "amount" in diff:
                # lower the open amount first so the range check holds at every step
                invoice.open_amount = min(invoice.open_amount, item.amount)
            for key, value in diff.items():
                setattr(invoice, key, value)
            invoice.set_open_amount(open_amount)
            summary.updated += 1
            action = "invoice.updated"
        session.flush()
        record(
            session,
            actor=actor,
            action=action,
            entity_type="invoice",
            entity_id=invoice.number,
            data={"source": source, "fields": changes},
        )
    _record_summary(session, summary, actor=actor, source=source)
    session.flush()
    return summary


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _record_summary(
    session: Session, summary: ImportSummary, *, actor: User | None, source: str
) -> None:
    # an import that changed nothing leaves no trace: re-imports must not add audit noise
    if summary.changed:
        record(
            session,
            actor=actor,
            action=f"erp.import_{summary.kind}",
            entity_type="erp_import",
            entity_id=source[:64],
            data=summary.as_dict(),
        )


# --- entry points for files ----------------------------------------------------------------


def import_customers_csv(
    session: Session, data: bytes, *, actor: User | None = None, filename: str = "upload.csv"
) -> ImportSummary:
    """Import a customers CSV export (see :func:`import_customers`)."""
    rows = read_csv(data, CUSTOMER_COLUMNS)
    return import_customers(session, rows, actor=actor, source=f"csv:{filename}")


def import_invoices_csv(
    session: Session, data: bytes, *, actor: User | None = None, filename: str = "upload.csv"
) -> ImportSummary:
    """Import an invoices CSV export (see :func:`import_invoices`)."""
    rows = read_csv(data, INVOICE_COLUMNS)
    return import_invoices(session, rows, actor=actor, source=f"csv:{filename}")
