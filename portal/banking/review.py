"""What finance does with a transaction in the review queue; each action flushes, never commits.

Every action first bumps ``BankTransaction.version`` with ``UPDATE ... WHERE id = ? AND
version = ?`` (the version the clerk's page showed). When two clerks act on the same transaction
at once, the second UPDATE matches no row — on PostgreSQL it waits for the first transaction's
row lock, then sees the new version — and the action fails with :class:`ConcurrentChange`
instead of booking the money twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from reconcile.matching.behalf import paid_for_text

from .. import ledger
from ..audit.service import record
from ..errors import required_reason
from ..models import (
    Allocation,
    AllocationMethod,
    BankTransaction,
    Customer,
    CustomerBankAccount,
    Direction,
    Invoice,
    LearnedPayer,
    MatchStatus,
    User,
)
from ..models.base import typed_amount_problem
from . import context
from .errors import ActionRefused, ConcurrentChange
from .labels import flabel

ZERO = Decimal("0")


@dataclass(frozen=True)
class Split:
    """Money of a transaction to apply to one invoice (and an optional write-off on it)."""

    invoice: Invoice
    amount: Decimal
    write_off: Decimal = ZERO


def claim_version(session: Session, txn: BankTransaction, expected: int) -> None:
    """Bump the version if it is still ``expected``; otherwise someone else acted first.

    :raises ConcurrentChange: the transaction changed since the clerk loaded it.
    """
    res = session.execute(
        update(BankTransaction)
        .where(BankTransaction.id == txn.id, BankTransaction.version == expected)
        .values(version=BankTransaction.version + 1)
        .execution_options(synchronize_session=False)
    )
    if res.rowcount != 1:  # type: ignore[attr-defined]
        raise ConcurrentChange(
            _(
                "%(voucher)s was changed by someone else a moment ago; reload the page and check "
                "it again",
                voucher=txn.voucher_number,
            )
        )
    session.refresh(txn)


def _move(txn: BankTransaction, new: MatchStatus) -> None:
    if new is txn.match_status:
        return
    if new not in MatchStatus.transitions().get(txn.match_status, frozenset()):
        raise ActionRefused(
            _(
                "%(voucher)s is %(status)s; it cannot become %(new)s",
                voucher=txn.voucher_number,
                status=str(flabel(txn.match_status)).lower(),
                new=str(flabel(new)).lower(),
            )
        )
    txn.match_status = new


def _check_open(txn: BankTransaction) -> None:
    if txn.direction is not Direction.CREDIT:
        raise ActionRefused(
            _(
                "%(voucher_number)s is a debit; only receipts are applied",
                voucher_number=txn.voucher_number,
            )
        )
    if txn.match_status not in (MatchStatus.SUGGESTED, MatchStatus.UNMATCHED):
        raise ActionRefused(
            _(
                "%(voucher)s is %(status)s; reverse it before re-applying",
                voucher=txn.voucher_number,
                status=str(flabel(txn.match_status)).lower(),
            )
        )


def apply_splits(
    session: Session,
    txn: BankTransaction,
    splits: Sequence[Split],
    *,
    user: User,
    version: int,
    method: AllocationMethod = AllocationMethod.MANUAL,
    confidence: Decimal | None = None,
    note: str | None = None,
) -> list[Allocation]:
    """Apply the transaction to one or more invoices of one customer, with optional write-offs.

    The rest stays unapplied on the customer. Write-offs must be within the configured limit.
    :raises ActionRefused: amounts do not fit (more than received, more than open, over limit).
    :raises ConcurrentChange: someone else acted on the transaction first.
    """
    claim_version(session, txn, version)
    _check_open(txn)
    if not splits:
        raise ActionRefused(_("choose at least one invoice"))
    for split in splits:
        for amount in (split.amount, split.write_off):
            if problem := typed_amount_problem(amount, txn.currency):
                raise ActionRefused(problem)
    locked = {
        i.id: i
        for i in session.scalars(
            select(Invoice)
            .where(Invoice.id.in_([s.invoice.id for s in splits]))
            .order_by(Invoice.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    }
    customers = {inv.customer_id for inv in locked.values()}
    if len(customers) != 1:
        raise ActionRefused(_("all invoices of one payment must belong to one customer"))
    if len(locked) != len(splits):
        raise ActionRefused(_("each invoice may appear once"))
    total = sum((s.amount for s in splits), ZERO)
    if total > txn.amount:
        raise ActionRefused(
            _("%(total)s is more than the %(amount)s received", total=total, amount=txn.amount)
        )
    allocations: list[Allocation] = []
    actor: ledger.Actor = user
    try:
        for split in splits:
            invoice = locked[split.invoice.id]
            if split.amount < 0 or split.write_off < 0:
                raise ActionRefused(_("amounts must be positive"))
            if split.amount + split.write_off > invoice.open_amount:
                raise ActionRefused(
                    _(
                        "%(invoice)s has only %(open)s open (%(amount)s given)",
                        invoice=invoice.number,
                        open=invoice.open_amount,
                        amount=split.amount + split.write_off,
                    )
                )
            if split.amount > 0:
                allocations.append(
                    ledger.apply(
                        session,
                        txn,
                        invoice,
                        split.amount,
                        actor=actor,
                        method=method,
                        confidence=confidence,
                        explanation=txn.reasons if method is AllocationMethod.AUTO else [],
                        reason=note,
                    )
                )
            if split.write_off > 0:
                allocations.append(
                    ledger.write_off(
                        session,
                        invoice,
                        split.write_off,
                        kind="difference",
                        actor=actor,
                        receipt=txn,
                        reason=note or "small difference",
                        method=method,
                    )
                )
    except ledger.LedgerError as exc:
        raise ActionRefused(str(exc)) from exc
    customer_id = customers.pop()
    txn.customer_id = customer_id
    _move(txn, MatchStatus.MATCHED)
    session.flush()
    learn_payer(session, txn, customer_id, user=user)
    record(
        session,
        user,
        "bank_transaction.applied",
        txn,
        reason=note,
        data={
            "voucher": txn.voucher_number,
            "allocations": [
                {"invoice": a.invoice_id, "kind": a.kind.value, "amount": a.amount}
                for a in allocations
            ],
            "unapplied": txn.unapplied_amount,
        },
    )
    return allocations


def accept_suggestion(
    session: Session, txn: BankTransaction, index: int, *, user: User, version: int
) -> list[Allocation]:
    """Apply the engine's suggestion number ``index`` as it stands."""
    suggestions: list[dict[str, Any]] = list(txn.suggestions or [])
    if not 0 <= index < len(suggestions):
        raise ActionRefused(_("that suggestion is no longer offered"))
    suggestion = suggestions[index]
    numbers = [a["invoice"] for a in suggestion.get("allocations", [])]
    invoices = {
        i.number: i for i in session.scalars(select(Invoice).where(Invoice.number.in_(numbers)))
    }
    if len(invoices) != len(set(numbers)):
        raise ActionRefused(_("an invoice of that suggestion no longer exists"))
    splits = [
        Split(invoice=invoices[a["invoice"]], amount=Decimal(str(a["amount"])))
        for a in suggestion.get("allocations", [])
    ]
    confidence = Decimal(str(round(float(suggestion.get("confidence") or 0), 4)))
    return apply_splits(
        session,
        txn,
        splits,
        user=user,
        version=version,
        confidence=confidence,
        note=f"suggestion {index + 1} accepted",
    )


def book_advance(
    session: Session, txn: BankTransaction, customer: Customer, *, user: User, version: int
) -> Allocation:
    """Hold the unapplied money as an advance payment of ``customer``."""
    claim_version(session, txn, version)
    _check_open(txn)
    try:
        # an advance is held in the currency the customer is billed in
        ledger.check_currency(customer, txn.currency)
        allocation = ledger.on_account(
            session, txn, customer, txn.unapplied_amount, actor=user, reason="advance payment"
        )
    except ledger.LedgerError as exc:
        raise ActionRefused(str(exc)) from exc
    _move(txn, MatchStatus.ADVANCE)
    session.flush()
    learn_payer(session, txn, customer.id, user=user)
    record(
        session,
        user,
        "bank_transaction.advance",
        txn,
        data={"voucher": txn.voucher_number, "customer": customer.code, "amount": txn.amount},
    )
    return allocation


def reverse(
    session: Session, txn: BankTransaction, *, reason: str, user: User, version: int
) -> list[Allocation]:
    """Undo every active allocation with a reversing row each; invoices get their money back.

    History is kept: the originals stay and point at their reversal (``reversed_by_id``).
    """
    reason = required_reason(reason, ActionRefused(_("give a reason for the reversal")))
    claim_version(session, txn, version)
    active = [a for a in txn.allocations if a.is_active]
    if not active:
        raise ActionRefused(
            _(
                "%(voucher_number)s has nothing applied to reverse",
                voucher_number=txn.voucher_number,
            )
        )
    try:
        reversals = [ledger.reverse(session, a, reason, actor=user) for a in active]
    except ledger.LedgerError as exc:
        raise ActionRefused(str(exc)) from exc
    _move(txn, MatchStatus.UNMATCHED)
    session.flush()
    record(
        session,
        user,
        "bank_transaction.reversed",
        txn,
        reason=reason,
        data={"voucher": txn.voucher_number, "reversed": [a.id for a in active]},
    )
    return reversals


def learn_payer(session: Session, txn: BankTransaction, customer_id: int, *, user: User) -> None:
    """Remember the payer's name and account for the customer (the matcher's next run uses it).

    A payer that pays for someone else (the text says so: 代付, on behalf of…, or the matcher
    read it as a third party) is not learned: its account is its own, and its own payments
    would read as the customer's ever after.
    """
    name = (txn.payer_name or "").strip()[:200]
    account = (txn.payer_account or "").strip()[:64]
    if (not name and not account) or pays_for_another(txn):
        return
    _add_unless_known(
        session,
        LearnedPayer,
        {"customer_id": customer_id, "payer_name": name, "payer_account": account},
        learned_from_transaction_id=txn.id,
        created_by_id=user.id,
    )
    if account:
        _add_unless_known(
            session,
            CustomerBankAccount,
            {"customer_id": customer_id, "account_number": account},
            holder_name=name or None,
            bank_name=(txn.payer_bank or None) and txn.payer_bank[:200],
            source="learned",
        )
    session.flush()


#: reason parts saying the bank's payer is not the customer whose invoices it pays
THIRD_PARTY_CODES = frozenset({"third_party", "payer_on_behalf"})


def pays_for_another(txn: BankTransaction) -> bool:
    """Whether the payment says, or the matcher read, that its payer pays for another party."""
    if paid_for_text(txn.reference or ""):
        return True
    return any(
        isinstance(part, dict) and part.get("code") in THIRD_PARTY_CODES
        for reason in txn.reasons or []
        if isinstance(reason, dict)
        for part in reason.get("parts", [])
    )


def _add_unless_known(
    session: Session,
    model: type[LearnedPayer | CustomerBankAccount],
    key: dict[str, Any],
    **rest: Any,
) -> None:
    """Add a ``model`` row with the ``key`` values and ``rest``, unless one has those values."""
    if session.scalar(select(model.id).filter_by(**key)) is None:
        session.add(model(**key, **rest))


def stale_suggestions(suggestions: Sequence[dict[str, Any]], invoices: dict[str, Any]) -> set[int]:
    """Indexes of suggestions naming an invoice settled (or reduced) since they were made."""
    stale: set[int] = set()
    for index, suggestion in enumerate(suggestions):
        for alloc in suggestion.get("allocations", []):
            invoice = invoices.get(alloc["invoice"])
            if invoice is None or invoice.open_amount < Decimal(str(alloc["amount"])):
                stale.add(index)
    return stale


def refresh_suggestions(session: Session, txn: BankTransaction) -> bool:
    """Recompute the suggestions of ``txn`` when one names an invoice settled meanwhile.

    The engine runs again on today's open invoices; what it would apply is offered, never
    applied from here. Returns True when the suggestions changed.
    """
    from .queries import transaction_invoices
    from .service import default_matcher

    if txn.match_status not in (MatchStatus.SUGGESTED, MatchStatus.UNMATCHED):
        return False
    suggested, _ = transaction_invoices(session, txn)
    if not stale_suggestions(txn.suggestions or [], suggested):
        return False
    t = context.transaction_of(txn)
    customers, _ = context.customer_records(session)
    invoices, _ = context.open_invoice_records(session)
    (decision,) = default_matcher()(
        [t],
        customers,
        invoices,
        settings=context.match_settings(session),
        learned=context.learned_payers(session),
    )
    fresh = [s.to_json(structured=True) for s in decision.suggestions]
    if decision.status == "matched":  # offered for a person to accept, not applied from a view
        fresh.insert(
            0,
            {
                "customer": decision.customer,
                "allocations": [a.to_json() for a in decision.allocations],
                "confidence": round(decision.confidence, 3),
                "reasons": [r.to_json(structured=True) for r in decision.reasons],
            },
        )
    txn.suggestions = fresh
    txn.reasons = [r.to_json(structured=True) for r in decision.reasons]
    _move(txn, MatchStatus.SUGGESTED if fresh else MatchStatus.UNMATCHED)
    txn.version += 1
    session.flush()
    record(
        session,
        None,
        "bank_transaction.suggestions_recomputed",
        txn,
        reason="an invoice it suggested was settled meanwhile",
        data={"suggestions": len(fresh)},
    )
    return True
