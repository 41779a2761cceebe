"""A follow-up task's title in the viewer's language, built when the page is rendered.

The scheduler runs without a viewer, so the title it stores is plain English. Pages instead show
a title made from the task's kind and the rows it links to (invoice, dispute, receipt,
statement), translated for whoever is looking. Manual tasks, and tasks whose linked row is
missing, show the stored title.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from typing import Any

from flask import g, has_app_context
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..extensions import db
from ..filters import date, money
from ..models import (
    BankTransaction,
    CollectionCase,
    Customer,
    Dispute,
    FollowUp,
    FollowUpKind,
    Invoice,
    Statement,
)
from ..ui.routes import label

#: appended (in English) to the stored title when a reminder could not be sent automatically
NO_CONTACT_NOTE = " — no phone or email on file: remind by hand"

_DUNNING = (
    FollowUpKind.DUNNING_SMS,
    FollowUpKind.DUNNING_CALL,
    FollowUpKind.DUNNING_LETTER,
    FollowUpKind.DUNNING_LEGAL,
)


def task_title(task: FollowUp, session: Session | None = None) -> str:
    """Return the task's title in the current locale (the stored title for manual tasks)."""
    session = session or db.session()
    title = _built_title(session, task)
    if title is None:
        return task.title
    if task.kind is FollowUpKind.DUNNING_SMS and task.title.endswith(NO_CONTACT_NOTE):
        return _("%(title)s — no phone or email on file: remind by hand", title=title)
    return title


def _built_title(session: Session, task: FollowUp) -> str | None:
    if task.kind is FollowUpKind.UNMATCHED_CREDIT and task.transaction_id is not None:
        t = session.get(BankTransaction, task.transaction_id)
        if t is None:
            return None
        return _(
            "Unmatched receipt %(voucher)s: %(amount)s from %(payer)s",
            voucher=t.voucher_number,
            amount=money(t.amount, t.currency),
            payer=t.payer_name or _("unknown payer"),
        )
    # the first row of the table whose kind matches and whose link is set makes the title
    for kinds, link, model, title in _LINKED_TITLES:
        row_id = getattr(task, link)
        if task.kind in kinds and row_id is not None:
            row = session.get(model, row_id)
            if row is None:
                return None
            customer = (
                task.customer
                if task.customer is not None
                else session.get(Customer, row.customer_id)
            )
            return None if customer is None else title(task, row, customer)
    return None


def _dispute_title(task: FollowUp, d: Dispute, customer: Customer) -> str:
    return _(
        "Dispute %(number)s (%(reason)s, %(amount)s) from %(customer)s",
        number=d.number,
        reason=label(d.reason),
        amount=money(d.amount, customer.currency),
        customer=customer.name,
    )


def _dunning_title(task: FollowUp, inv: Invoice, customer: Customer) -> str:
    """The title of a reminder (e-mail, text, call, letter, legal) about one invoice."""
    # "overdue since" stays true however long after the scheduler run the task is read
    values = {"invoice": inv.number, "date": date(inv.due_date), "customer": customer.name}
    if task.kind is FollowUpKind.DUNNING_SMS:
        return _("Payment reminder: invoice %(invoice)s overdue since %(date)s", **values)
    if task.kind is FollowUpKind.DUNNING_CALL:
        return _("Call %(customer)s about invoice %(invoice)s (overdue since %(date)s)", **values)
    if task.kind is FollowUpKind.DUNNING_LETTER:
        return _(
            "Formal reminder letter for invoice %(invoice)s (overdue since %(date)s)", **values
        )
    return _("Hand invoice %(invoice)s of %(customer)s to legal (overdue since %(date)s)", **values)


def _case_title(task: FollowUp, case: CollectionCase, customer: Customer) -> str:
    if task.dedupe_key and task.dedupe_key.startswith("promise:"):
        return _("%(customer)s broke a promise to pay: call again", customer=customer.name)
    return _(
        "Call %(customer)s about %(amount)s overdue",
        customer=customer.name,
        amount=money(case.overdue_amount, case.currency),
    )


def _statement_title(task: FollowUp, st: Statement, customer: Customer) -> str:
    return _(
        "Statement %(number)s of %(customer)s not confirmed since %(date)s",
        number=st.number,
        customer=customer.name,
        date=date(st.issued_at),
    )


#: (task kinds, the task's link column, the linked model, its title given the row and customer);
#: a call task linked to an invoice gets the invoice's title, one linked only to a case the case's
_LINKED_TITLES: tuple[
    tuple[Collection[FollowUpKind], str, type[Any], Callable[[FollowUp, Any, Customer], str]],
    ...,
] = (
    ((FollowUpKind.DISPUTE,), "dispute_id", Dispute, _dispute_title),
    (_DUNNING, "invoice_id", Invoice, _dunning_title),
    ((FollowUpKind.DUNNING_CALL,), "case_id", CollectionCase, _case_title),
    ((FollowUpKind.STATEMENT_UNCONFIRMED,), "statement_id", Statement, _statement_title),
)


def preload(session: Session, tasks: Iterable[FollowUp]) -> list[object]:
    """Load the rows the tasks' titles need in one query per table (no query per task).

    The identity map holds rows only weakly, so the loaded rows are also kept on ``flask.g``
    until the request ends (and returned); ``session.get`` then finds them without SQL.
    """
    tasks = list(tasks)
    links = [("transaction_id", BankTransaction)] + [(k, m) for _k, k, m, _t in _LINKED_TITLES]
    rows: list[object] = []
    for link, model in links:
        ids = {getattr(t, link) for t in tasks} - {None}
        if ids:
            rows.extend(session.scalars(select(model).where(model.id.in_(sorted(ids)))))
    if has_app_context():
        g.setdefault("followup_title_rows", []).extend(rows)
    return rows
