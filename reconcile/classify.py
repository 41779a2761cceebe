"""Credits that are not a customer paying: interest, refunds, own transfers, reversals.

The bank's own codes say so when the format has them (BAI2 type codes, camt/MT940 reversal
marks; see ``Transaction.category``); otherwise the remittance text does, in the usual languages.
Such a credit is kept (it is money on the account) but never waits for a customer match.
"""

from __future__ import annotations

import re

from .model import Transaction
from .own import OwnParty, account_key

__all__ = [
    "category_from_text",
    "mark_own_transfers",
    "non_customer_category",
    "says_advance",
    "says_partial",
]

#: the payer calls the money an advance or a deposit: no open invoice is what it pays
_ADVANCE = re.compile(
    r"预付|预收|订金|定金|押金|\bADVANCE\b|\bDEPOSIT\b|\bPRE-?PAYMENT\b|\bANZAHLUNG\b|"
    r"\bVORAUSZAHLUNG\b|\bVORKASSE\b|\bACOMPTE\b|\bAANBETALING\b|\bVOORUITBETALING\b|"
    r"\bANTICIPO\b",
    re.IGNORECASE,
)

#: the payer says the money pays part of an invoice (部分付款, Teilzahlung...)
_PARTIAL = re.compile(
    r"部分(?:付|支付|货|还)?款|部分支付|\bPARTIAL(?:LY)?\b|\bPART[\s-]*(?:PAYMENT|PAID|PMT)\b|"
    r"\bTEILZAHLUNG\b|\bABSCHLAGSZAHLUNG\b|\bACOMPTE\b|"
    r"\bPAIEMENT\s+PARTIEL\b|\bPAGO\s+PARCIAL\b|\bDEELBETALING\b",
    re.IGNORECASE,
)

_TEXT_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "interest",
        re.compile(
            r"利息|结息|存款息|计息|\bINTEREST\b|\bINT(?:EREST)?\s+(?:PAID|CREDIT)\b|\bZINSEN\b|"
            r"\bHABENZINS|\bRENTE\b|\bCREDITRENTE|\bINT[ÉE]R[ÊE]TS?\b|\bINTERESES\b",
            re.IGNORECASE,
        ),
    ),
    (
        "reversal",
        re.compile(r"冲正|冲账|冲销|\bREVERSAL\b|\bREVERSED\b|\bSTORNO\b|\bANNULATION\b", re.I),
    ),
    (
        "refund",
        re.compile(
            r"退款|退汇|退回|退票|\bREFUND(?:ED)?\b|\bRETURN(?:ED)?\s+(?:PAYMENT|TRANSFER|ITEM)\b|"
            r"R[ÜU]CK(?:[ÜU]BERWEISUNG|LASTSCHRIFT|BUCHUNG)|\bTERUGBOEKING\b|\bRETOUR\b|"
            r"\bREMBOURSEMENT\b|\bDEVOLUCI[ÓO]N\b",
            re.IGNORECASE,
        ),
    ),
)


def category_from_text(text: str | None) -> str:
    """Return ``interest``, ``reversal`` or ``refund`` when the text says so, else ``""``."""
    if not text:
        return ""
    for category, pattern in _TEXT_RULES:
        if pattern.search(text):
            return category
    return ""


def says_advance(text: str | None) -> bool:
    """True when the remittance text calls the payment an advance or a deposit (预付款, 订金,
    Anzahlung...)."""
    return bool(text and _ADVANCE.search(text))


def says_partial(text: str | None) -> bool:
    """True when the remittance text calls the payment a part of what is owed (部分付款,
    部分款, partial payment, part payment, Teilzahlung, acompte...)."""
    return bool(text and _PARTIAL.search(text))


def non_customer_category(tx: Transaction, own: OwnParty) -> str:
    """Return why the credit ``tx`` is no customer payment by the bank's own marks, else ``""``.

    The text alone is not enough here (a customer may write "refund" in a payment); the matcher
    uses :func:`category_from_text` only for credits that match no invoice.
    """
    if tx.category:
        return tx.category
    if tx.reversal:
        return "reversal"
    if own.is_own_account(tx.payer_account) or own.is_own_name(tx.payer_name):
        return "own_transfer"
    return ""


def mark_own_transfers(transactions: list[Transaction], own: OwnParty) -> None:
    """Mark the entries of one file that move money between our own accounts (``own_transfer``).

    The accounts the file reports on are ours as much as ``own``'s: a credit from, or a debit
    to, any of them is money moved between our accounts. A leg whose other party the bank left
    blank is marked too when the other leg in the file names its account: the same amount and
    currency, the other way, booked within :data:`_TRANSFER_DAYS` days. Each leg found names
    the other's ``source`` in ``raw["own_transfer_leg"]``.
    """
    ours = OwnParty.of([*own.accounts, *(t.our_account for t in transactions)], ())
    named = [
        tx
        for tx in transactions
        if tx.category in ("", "own_transfer")
        and ours.is_own_account(tx.counterparty_account)
        and account_key(tx.counterparty_account) != account_key(tx.our_account)
    ]
    paired: set[int] = set()
    for tx in named:
        tx.category = "own_transfer"
        other = None if id(tx) in paired else _other_leg(tx, transactions, paired)
        if other is not None:
            other.category = "own_transfer"
            other.raw["own_transfer_leg"] = tx.source
            tx.raw["own_transfer_leg"] = other.source
            paired.update((id(tx), id(other)))


#: a transfer between two of our accounts is booked on both within this many days
_TRANSFER_DAYS = 3


def _other_leg(
    leg: Transaction, transactions: list[Transaction], paired: set[int]
) -> Transaction | None:
    """The entry on the account ``leg`` names that books the same money the other way (its
    own other party blank or ``leg``'s account)."""
    account = account_key(leg.counterparty_account)
    for tx in transactions:
        if (
            tx.direction != leg.direction
            and id(tx) not in paired
            and tx.category in ("", "own_transfer")
            and account_key(tx.counterparty_account) in ("", account_key(leg.our_account))
            and account_key(tx.our_account) == account
            and (tx.amount, tx.currency) == (leg.amount, leg.currency)
            and abs((tx.booking_date - leg.booking_date).days) <= _TRANSFER_DAYS
        ):
            return tx
    return None
