"""The one transaction model every parser produces."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from .currency import amount_text
from .own import OwnParty, account_key

if TYPE_CHECKING:
    from .layouts import TabularLayout

Direction = Literal["credit", "debit"]

CATEGORIES: tuple[str, ...] = ("interest", "refund", "own_transfer", "reversal")
"""Kinds of entry that are not a customer paying (``Transaction.category``)."""


@dataclass(slots=True)
class Transaction:
    """One bank entry, normalised.

    ``amount`` is always positive; ``direction`` says whether money came in (``credit``) or went
    out (``debit``) of ``our_account``.
    """

    bank_ref: str
    """The bank's unique id for the entry (交易流水号, AcctSvcrRef, MT940 ``//`` ref, FITID...)."""
    booking_date: dt.date
    amount: Decimal
    direction: Direction
    currency: str
    value_date: dt.date | None = None
    payer_name: str | None = None
    payer_account: str | None = None
    payer_bank: str | None = None
    payee_name: str | None = None
    payee_account: str | None = None
    reference: str = ""
    """Remittance text: 用途, 附言, 摘要, Ustrd, structured references, ``:86:`` text."""
    our_account: str = ""
    source: str = ""
    """File name plus page or entry number, e.g. ``receipts.pdf#page=2/1``."""
    raw: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    reversal: bool = False
    """The bank flagged this entry as a reversal (camt ``RvslInd``, MT940 ``RC``/``RD``)."""
    category: str = ""
    """What the entry is when the bank's own codes say it is no customer payment: one of
    :data:`CATEGORIES` (``interest``, ``refund``, ``own_transfer``, ``reversal``), else ``""``."""

    def __post_init__(self) -> None:
        if self.amount < 0:
            raise ValueError(f"amount must be positive, got {self.amount} ({self.source})")
        if self.direction not in ("credit", "debit"):
            raise ValueError(f"direction must be credit or debit, got {self.direction!r}")

    @property
    def counterparty_name(self) -> str | None:
        """The other side: the payer of a credit, the payee of a debit."""
        return self.payer_name if self.direction == "credit" else self.payee_name

    @property
    def counterparty_account(self) -> str | None:
        """The other side's account: the payer's of a credit, the payee's of a debit."""
        return self.payer_account if self.direction == "credit" else self.payee_account

    def to_json(self) -> dict[str, Any]:
        """Return a JSON-ready dict: dates as ISO strings, amounts as strings with the
        currency's decimals ("1234.50" EUR, "1234" JPY, "1.234" KWD)."""
        data = asdict(self)
        data["booking_date"] = self.booking_date.isoformat()
        data["value_date"] = self.value_date.isoformat() if self.value_date else None
        data["amount"] = amount_text(self.amount, self.currency)
        data["raw"] = _jsonable(self.raw)
        return data


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


@dataclass(frozen=True, slots=True)
class ParseSettings:
    """What a parser needs to know beyond the file: who we are, and how to read ambiguous dates."""

    own_accounts: tuple[str, ...] = ()
    """Our bank account numbers: decides which side of a receipt is us."""
    own_names: tuple[str, ...] = ()
    """Our company names as banks print them."""
    dayfirst: bool | None = None
    """``03/11/2026``: True = 3 November, False = 11 March, None = settle from the file."""
    default_currency: str | None = None
    """Currency to assume when a file states none (e.g. camt without ``Ccy``)."""
    max_bytes: int = 50 * 1024 * 1024
    max_pages: int = 500
    max_entries: int = 200_000
    timeout_seconds: float = 60.0
    memory_limit_bytes: int = 1024 * 1024 * 1024
    layouts: tuple[TabularLayout, ...] = ()
    """Bank CSV/XLSX layouts to try before the built-in ones (see ``reconcile.layouts``)."""
    max_uncompressed_bytes: int = 200 * 1024 * 1024
    """XLSX: most bytes the archive's members may declare when unpacked (zip-bomb guard)."""
    max_compression_ratio: int = 200
    """XLSX: highest unpacked/packed size ratio accepted for one archive member."""

    def __post_init__(self) -> None:
        if self.max_bytes <= 0 or self.max_pages <= 0 or self.max_entries <= 0:
            raise ValueError("limits must be positive")
        if self.timeout_seconds <= 0:
            raise ValueError("timeout_seconds must be positive")
        if self.max_uncompressed_bytes <= 0 or self.max_compression_ratio <= 0:
            raise ValueError("limits must be positive")
        object.__setattr__(
            self, "own_accounts", tuple(account_key(a) for a in self.own_accounts if a)
        )
        object.__setattr__(self, "_own", OwnParty.of(self.own_accounts, self.own_names))

    _own: OwnParty = field(
        default=OwnParty(frozenset(), frozenset()), init=False, repr=False, compare=False
    )

    @property
    def own(self) -> OwnParty:
        """Our accounts and names, compared the one way parsers and matcher share."""
        return self._own

    def is_own_account(self, account: str | None) -> bool:
        """True when ``account`` is one of ours (see :func:`reconcile.own.account_key`)."""
        return self.own.is_own_account(account)

    def is_own_name(self, name: str | None) -> bool:
        """True when ``name`` is our company (see :class:`reconcile.own.OwnParty`)."""
        return self.own.is_own_name(name)


@dataclass(frozen=True, slots=True)
class Balance:
    """One balance a statement reports (camt ``Bal``, OFX ``LEDGERBAL``), signed."""

    type: str
    """The bank's balance code: ``OPBD``, ``CLBD``, ``PRCD``, ``CLAV``, ``LEDGER``, ``AVAIL``..."""
    amount: Decimal
    """Negative for a debit balance."""
    currency: str
    date: dt.date | None = None


@dataclass(slots=True)
class StatementInfo:
    """Statement-level facts of one statement inside a file (a file may hold several)."""

    statement_id: str | None = None
    """The bank's id of the statement (camt ``Stmt/Id``, MT940 ``:20:``), where it gives one."""
    sequence: str | None = None
    """Statement and sequence number as written (MT940 ``:28C:``), e.g. ``00004/00001``."""
    account: str | None = None
    """Our account the statement is of, as its entries' ``our_account`` carries it."""
    currency: str | None = None
    balances: list[Balance] = field(default_factory=list)
    """Every balance the statement reports, as it reports them."""
    opening_balance: Decimal | None = None
    """Signed, like :attr:`Balance.amount`; ``None`` when the file gives none."""
    closing_balance: Decimal | None = None
    opening_date: dt.date | None = None
    """The date of the opening balance, else the first day the statement covers."""
    closing_date: dt.date | None = None
    """The date of the closing balance, else the last day the statement covers."""
    transaction_count: int = 0
    """The entries read from this statement (not a count its trailer states)."""
    raw: dict[str, Any] = field(default_factory=dict)
    """Format-specific extras (the account field exactly as written, message id, bank id,
    header and trailer fields...)."""


@dataclass(slots=True)
class ParseResult:
    """What parsing one file gave: its transactions, or the error that stopped it."""

    file: str
    format: str | None
    transactions: list[Transaction] = field(default_factory=list)
    error: str | None = None
    statements: list[StatementInfo] = field(default_factory=list)
    """Statement-level facts (balances, account, id) when the format carries them."""
    warnings: list[str] = field(default_factory=list)
    """Problems that cost an entry or a value but not the file, each naming its line."""
