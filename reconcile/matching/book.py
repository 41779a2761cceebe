"""The ledger as the engine sees it: customers and open invoices indexed for O(1) look-ups.

``Book`` also keeps what is still open on every invoice during one run, so that automatic
matches never give an invoice more than its open amount.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from decimal import Decimal

from ..currency import amount_text
from ..errors import MatchError
from ..iban import is_iban
from ..own import account_key
from .identifiers import code_key, is_distinctive_code
from .names import NameIndex, name_key
from .records import CustomerRecord, InvoiceRecord, LearnedPayer
from .references import InvoiceIndex


def account_keys(account: str | None) -> tuple[str, ...]:
    """Return the keys ``account`` is known by: its own, and for an IBAN also its domestic
    number (the BBAN after country and check digits), which an ERP often keeps instead."""
    key = account_key(account)
    if not key:
        return ()
    if is_iban(key):
        return key, key[4:]
    return (key,)


def mask(account: str) -> str:
    return f"{account[:4]}…{account[-4:]}" if len(account) > 10 else account


#: amounts are compared and added as whole numbers of this fraction of the currency unit: a
#: dinar's fils (0.001) and the units of account (0.0001) stay exact, not only cents
UNIT = Decimal("0.0001")
UNITS_PER_CENT = 100


def fmt(value: Decimal) -> str:
    """An amount for a reason's text: ``1,234.50``, or ``40.125`` when it has a third decimal."""
    return amount_text(value, None, grouped=True)


def units(value: Decimal) -> int:
    """``value`` as a whole number of :data:`UNIT` (exact for amounts of up to 4 decimals)."""
    return int((value / UNIT).to_integral_value())


class Book:
    """The customers and open invoices, indexed for O(1) look-ups, plus the run's open amounts."""

    def __init__(
        self,
        customers: Sequence[CustomerRecord],
        invoices: Sequence[InvoiceRecord],
        learned: Sequence[LearnedPayer],
    ) -> None:
        self.customers = {c.code: c for c in customers}
        self.invoices = {inv.number: inv for inv in invoices}
        self.remaining: dict[str, Decimal] = {}
        self.claimed: set[str] = set()
        """Invoices some credit of the run names in its reference."""
        self.by_customer: dict[str, list[InvoiceRecord]] = defaultdict(list)
        self.by_amount: dict[tuple[str, int], list[InvoiceRecord]] = defaultdict(list)
        for inv in invoices:
            if inv.customer not in self.customers:
                raise MatchError(f"invoice {inv.number} belongs to unknown customer {inv.customer}")
            self.remaining[inv.number] = inv.open_amount
            if inv.open_amount > 0:
                self.by_customer[inv.customer].append(inv)
                self.by_amount[(inv.currency, units(inv.open_amount))].append(inv)
        for items in self.by_customer.values():
            items.sort(key=lambda i: (i.issue_date, i.due_date, i.number))
        self.numbers = InvoiceIndex([inv for inv in invoices if inv.open_amount > 0])
        self.closed_numbers = InvoiceIndex([inv for inv in invoices if inv.open_amount <= 0])
        self.accounts: dict[str, set[str]] = defaultdict(set)
        self.learned_accounts: dict[str, set[str]] = defaultdict(set)
        self.names = NameIndex()
        self.name_kinds: dict[tuple[str, str], tuple[str, str]] = {}
        self.learned_names: dict[str, set[str]] = defaultdict(set)
        self.codes = _code_index(customers)
        """Customers by the key of a distinctive code (see ``identifiers.code_key``)."""
        for c in customers:
            for acct in c.bank_accounts:
                for key in account_keys(acct):
                    self.accounts[key].add(c.code)
            self.names.add(c.code, c.name)
            self.name_kinds.setdefault((c.code, name_key(c.name)), ("name", c.name))
            for alias in c.aliases:
                self.names.add(c.code, alias)
                self.name_kinds.setdefault((c.code, name_key(alias)), ("alias", alias))
        for lp in learned:
            if lp.customer not in self.customers:
                continue
            if account_key(lp.payer_account):
                self.learned_accounts[account_key(lp.payer_account)].add(lp.customer)
            if lp.payer_name and name_key(lp.payer_name):
                self.learned_names[name_key(lp.payer_name)].add(lp.customer)
                self.names.add(lp.customer, lp.payer_name)

    def customer_names(self) -> Iterator[tuple[str, str]]:
        """Every customer's code with its name, then with each of its aliases."""
        for c in self.customers.values():
            for name in (c.name, *c.aliases):
                yield c.code, name

    def open_amount(self, inv: InvoiceRecord) -> Decimal:
        """Return what is still open on ``inv`` in this run."""
        return self.remaining[inv.number]

    def open_items(self, customer: str, currency: str) -> list[InvoiceRecord]:
        """Return the customer's invoices in ``currency`` still open in this run, oldest first."""
        return [
            inv
            for inv in self.by_customer.get(customer, ())
            if inv.currency == currency and self.remaining[inv.number] > 0
        ]


def _code_index(customers: Sequence[CustomerRecord]) -> dict[str, str]:
    """Index the customers whose codes are distinctive enough to be told in a text; a key two
    customers share names neither."""
    index: dict[str, str] = {}
    shared: set[str] = set()
    for c in customers:
        key = code_key(c.code)
        if not is_distinctive_code(key):
            continue
        if key in index and index[key] != c.code:
            shared.add(key)
        index[key] = c.code
    return {key: code for key, code in index.items() if key not in shared}
