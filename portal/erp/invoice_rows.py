"""The ERP's invoice rows: the columns of the file and the checks of one row."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from flask_babel import gettext

from . import parsing as p
from .parsing import BadValue

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
#: optional invoice columns and the invoice attribute each fills
INVOICE_OPTIONAL = {
    "sales_order": "sales_order_number",
    "contract": "contract_number",
    "product_line": "product_line",
}


@dataclasses.dataclass(frozen=True)
class InvoiceRow:
    """A validated invoice row; ``optional`` holds the optional columns the row carries."""

    number: str
    customer: str
    issue_date: dt.date
    due_date: dt.date
    currency: str
    amount: Decimal
    open_amount: Decimal
    po_number: str | None
    optional: tuple[tuple[str, str | None], ...] = ()
    #: the ERP's date of what it settled on the invoice (optional column ``settled_on``)
    settled_on: dt.date | None = None


def parse_invoice(row: Mapping[str, Any]) -> InvoiceRow:
    """Validate one invoice row (without the database: the customer is checked later).

    :raises BadValue: with the reason (:class:`~.parsing.BadValues`: every problem of the row).
    """
    check = p.Checks()
    number = check(p.text, row, "number", required=True, max_len=64, identifier=True)
    customer = check(p.text, row, "customer", required=True, max_len=40, identifier=True)
    issue_date = check(p.required_date, row, "issue_date")
    due_date = check(p.required_date, row, "due_date")
    if issue_date is not None and due_date is not None:
        check(p.check_due_date, issue_date, due_date)
    currency = check(p.currency, row)
    amount = check(p.amount, row, "amount", required=True, currency=currency)
    open_amount = check(p.amount, row, "open_amount", required=True, currency=currency)
    if amount is not None and open_amount is not None:
        check(_check_amounts, amount, open_amount)
    if "po_number" not in row:
        check.reasons.append(gettext("missing column: %(name)s", name="po_number"))
    po_number = check(p.text, row, "po_number", required=False, max_len=64, identifier=True)
    optional = _optional_columns(check, row)
    settled_on = check(p.date, row, "settled_on", required=False)
    check.done()
    assert number is not None and customer is not None and currency is not None
    assert issue_date is not None and due_date is not None
    assert amount is not None and open_amount is not None
    return InvoiceRow(
        number=number,
        customer=customer,
        issue_date=issue_date,
        due_date=due_date,
        currency=currency,
        amount=amount,
        open_amount=open_amount,
        po_number=po_number,
        optional=optional,
        settled_on=settled_on,
    )


def _optional_columns(
    check: p.Checks, row: Mapping[str, Any]
) -> tuple[tuple[str, str | None], ...]:
    """The optional columns ``row`` fills, each as (the invoice attribute, its checked text);
    a product line may be longer and is free text, the others are identifiers."""
    return tuple(
        (
            attribute,
            check(
                p.text,
                row,
                column,
                required=False,
                max_len=80 if column == "product_line" else 64,
                identifier=column != "product_line",
            ),
        )
        for column, attribute in INVOICE_OPTIONAL.items()
        if row.get(column) is not None
    )


def _check_amounts(amount: Decimal, open_amount: Decimal) -> None:
    """Refuse a zero amount and an open amount above the amount."""
    if amount == 0:
        raise BadValue(gettext("amount must be positive (use a credit note for reductions)"))
    if open_amount > amount:
        raise BadValue(
            gettext(
                "open amount %(open_amount)s is above the amount %(amount)s",
                open_amount=open_amount,
                amount=amount,
            )
        )


def plain_fields(row: InvoiceRow, customer_id: int) -> dict[str, Any]:
    """The stored fields a row sets, apart from the open amount."""
    wanted: dict[str, Any] = {
        "customer_id": customer_id,
        "issue_date": row.issue_date,
        "due_date": row.due_date,
        "currency": row.currency,
        "amount": row.amount,
        "po_number": row.po_number,
    }
    wanted.update(row.optional)
    return wanted
