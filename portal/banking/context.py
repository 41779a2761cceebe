"""What the matching engine needs from the database, and the settings finance can change."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from flask import current_app
from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session, selectinload

from reconcile.duplicates import DATE_WINDOW_DAYS, Sighting, pair_duplicates, sighting_kind
from reconcile.model import ParseSettings, Transaction

from ..ledger.service import (  # noqa: F401  (the limits live with the ledger)
    DEFAULT_WRITE_OFF_LIMITS,
    WRITE_OFF_LIMITS_KEY,
    write_off_limits,
)
from ..models import (
    AppSetting,
    BankTransaction,
    Customer,
    Invoice,
    InvoiceStatus,
    LearnedPayer,
)

if TYPE_CHECKING:
    from reconcile.matching.settings import MatchSettings

RecordT = TypeVar("RecordT")

#: AppSetting key holding keyword overrides for MatchSettings (e.g. same_amount_policy)
MATCH_SETTINGS_KEY = "banking.match_settings"


def parse_settings(session: Session | None = None) -> ParseSettings:
    """Parser settings from the app configuration (our accounts and names, size limit), with
    the column layouts finance saved when ``session`` is given."""
    cfg = current_app.config
    layouts: tuple[Any, ...] = ()
    if session is not None:
        from .layouts import saved_layouts

        layouts = saved_layouts(session)
    return ParseSettings(
        own_accounts=tuple(cfg.get("OWN_ACCOUNTS") or ()),
        own_names=tuple(cfg.get("OWN_NAMES") or ()),
        max_bytes=int(cfg.get("UPLOAD_MAX_BYTES") or 20 * 1024 * 1024),
        layouts=layouts,
        default_currency=(str(cfg.get("BANK_DEFAULT_CURRENCY") or "").strip().upper() or None),
    )


def match_settings(session: Session) -> MatchSettings:
    """Engine settings: our accounts from the configuration, policy knobs from AppSetting."""
    from reconcile.matching.settings import MatchSettings

    overrides: dict[str, Any] = {}
    row = session.get(AppSetting, MATCH_SETTINGS_KEY)
    if row is not None and row.value:
        overrides = dict(row.value)
        if "fee_tolerance" in overrides:
            overrides["fee_tolerance"] = {
                k: Decimal(str(v)) for k, v in overrides["fee_tolerance"].items()
            }
    overrides.setdefault("own_accounts", tuple(current_app.config.get("OWN_ACCOUNTS") or ()))
    overrides.setdefault("own_names", tuple(current_app.config.get("OWN_NAMES") or ()))
    return MatchSettings(**overrides)


def engine_record(
    record_type: type[RecordT], row: object, *, keep_default: Collection[str] = (), **given: Any
) -> RecordT:
    """The engine's ``record_type`` (a dataclass) of ``row`` (a stored row or another record).

    Each field is the row's attribute of the same name, except the fields ``given`` and those
    that ``keep_default``: a field added to both sides is carried without another line here.
    """
    copied = {
        f.name: getattr(row, f.name)
        for f in dataclasses.fields(record_type)  # type: ignore[arg-type]
        if f.name not in given and f.name not in keep_default
    }
    return record_type(**copied, **given)


def customer_records(session: Session) -> tuple[list[Any], dict[str, Customer]]:
    """Every customer as the engine's ``CustomerRecord``, and the ORM rows by code."""
    from reconcile.matching.records import CustomerRecord

    customers = session.scalars(
        select(Customer).options(selectinload(Customer.bank_accounts))
    ).all()
    records = [
        engine_record(
            CustomerRecord,
            c,
            aliases=tuple(c.aliases or ()),
            bank_accounts=tuple(a.account_number for a in c.bank_accounts),
        )
        for c in customers
    ]
    return records, {c.code: c for c in customers}


def open_invoice_records(session: Session) -> tuple[list[Any], dict[str, Invoice]]:
    """Every invoice with money still open, as ``InvoiceRecord``, and the ORM rows by number."""
    from reconcile.matching.records import InvoiceRecord

    invoices = session.scalars(
        select(Invoice)
        .where(
            Invoice.open_amount > 0,
            Invoice.status.in_((InvoiceStatus.OPEN, InvoiceStatus.PARTIALLY_PAID)),
        )
        .options(selectinload(Invoice.customer))
    ).all()
    records = [engine_record(InvoiceRecord, i, customer=i.customer.code) for i in invoices]
    return records, {i.number: i for i in invoices}


def learned_payers(session: Session) -> list[Any]:
    """Payer names and accounts finance confirmed, as the engine's ``LearnedPayer``."""
    from reconcile.matching.records import LearnedPayer as EnginePayer

    rows = session.execute(
        select(Customer.code, LearnedPayer.payer_name, LearnedPayer.payer_account).join(
            Customer, Customer.id == LearnedPayer.customer_id
        )
    ).all()
    return [
        EnginePayer(customer=code, payer_name=name or "", payer_account=account or "")
        for code, name, account in rows
    ]


def seen_refs(session: Session, transactions: Iterable[Transaction]) -> dict[tuple[str, str], int]:
    """(our_account, bank_ref) pairs of ``transactions`` already stored, with the stored id."""
    wanted = list({(t.our_account or "", t.bank_ref) for t in transactions})
    found: dict[tuple[str, str], int] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        rows = session.execute(
            select(BankTransaction.our_account, BankTransaction.bank_ref, BankTransaction.id).where(
                tuple_(BankTransaction.our_account, BankTransaction.bank_ref).in_(chunk),
                BankTransaction.duplicate_of_id.is_(None),
            )
        ).all()
        found.update({(acct, ref): tid for acct, ref, tid in rows})
    return found


@dataclasses.dataclass(frozen=True, slots=True)
class Original:
    """The stored entry a new bank entry repeats: ``id``, and for the same payment seen in
    another file (not by its bank reference) that entry's voucher and date, which the reader
    is shown instead of a bank reference that differs."""

    id: int
    voucher: str | None = None
    booking_date: dt.date | None = None


def known_payments(
    session: Session, transactions: Sequence[Transaction]
) -> dict[tuple[str, str], Original]:
    """Stored originals of ``transactions``: by bank reference, else the same payment seen in
    another file (a receipt and the statement; see :mod:`reconcile.duplicates`)."""
    found = {key: Original(tid) for key, tid in seen_refs(session, transactions).items()}
    rest = [t for t in transactions if (t.our_account or "", t.bank_ref) not in found]
    if not rest:
        return found
    window = dt.timedelta(days=DATE_WINDOW_DAYS)
    dates = [t.booking_date for t in rest]
    amounts = sorted({t.amount for t in rest})
    candidates: list[BankTransaction] = []
    for start in range(0, len(amounts), 500):
        candidates += session.scalars(
            select(BankTransaction).where(
                BankTransaction.amount.in_(amounts[start : start + 500]),
                BankTransaction.booking_date.between(min(dates) - window, max(dates) + window),
                BankTransaction.duplicate_of_id.is_(None),
            )
        ).all()
    if not candidates:
        return found
    pairs = pair_duplicates(
        [_sighting_of_transaction(t) for t in rest],
        [_sighting_of_transaction(transaction_of(row)) for row in candidates],
    )
    for i, j in pairs.items():
        row = candidates[j]
        found[(rest[i].our_account or "", rest[i].bank_ref)] = Original(
            row.id, row.voucher_number, row.booking_date
        )
    return found


def _sighting_of_transaction(t: Transaction) -> Sighting:
    return engine_record(
        Sighting,
        t,
        party_account=t.counterparty_account,
        party_name=t.counterparty_name,
        reference=t.reference,
        kind=sighting_kind(t.source),
        bank_ref=None if t.raw.get("ref_from") == "synthetic" else t.bank_ref,
    )


def transaction_of(row: BankTransaction) -> Transaction:
    """The engine's view of a stored bank transaction (to match it again, or compare it)."""
    return engine_record(
        Transaction,
        row,
        # what the engine finds while parsing, not stored in these columns
        keep_default=("warnings", "reversal"),
        direction=row.direction.value,
        # what the reader said the entry is (an own transfer, a returned payment): a stored
        # entry matched again stays what it was
        category=str((row.raw or {}).get("category") or ""),
        reference=row.reference or "",
        # a copy: the engine notes its category in ``raw``, which is not to change the row
        raw=dict(row.raw or {}),
    )
