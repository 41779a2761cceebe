"""One ledger: every change to what a customer owes goes through this package.

:mod:`.service` holds the operations one at a time (apply, write off, on account, credit note,
reverse), :mod:`.batch` a bank import's many at once, :mod:`.booking` the ERP's side (exported,
booked, the ERP's open amount), all on the records of :mod:`.records`.
"""

from .batch import ImportBatch
from .booking import mark_booked, mark_exported, set_erp_open, settle_in_erp
from .errors import (
    AlreadyReversed,
    CurrencyMismatch,
    ExceedsOpen,
    InvalidAmount,
    LedgerError,
    OverApplied,
    OverLimit,
    WrongCustomer,
)
from .records import Actor, check_currency, pending_total, recompute_open, recompute_unapplied
from .service import (
    apply,
    credit_note,
    on_account,
    reverse,
    write_off,
    write_off_limits,
)

__all__ = [
    "Actor",
    "AlreadyReversed",
    "CurrencyMismatch",
    "ExceedsOpen",
    "ImportBatch",
    "InvalidAmount",
    "LedgerError",
    "OverApplied",
    "OverLimit",
    "WrongCustomer",
    "apply",
    "check_currency",
    "credit_note",
    "mark_booked",
    "mark_exported",
    "on_account",
    "pending_total",
    "recompute_open",
    "recompute_unapplied",
    "reverse",
    "set_erp_open",
    "settle_in_erp",
    "write_off",
    "write_off_limits",
]
