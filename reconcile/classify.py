"""Credits that are not a customer paying: interest, refunds, own transfers, reversals.

The bank's own codes say so when the format has them (BAI2 type codes, camt/MT940 reversal
marks; see ``Transaction.category``); otherwise the remittance text does, in the usual languages.
Such a credit is kept (it is money on the account) but never waits for a customer match.
"""

from __future__ import annotations

import re

from .model import Transaction
from .own import OwnParty

__all__ = ["category_from_text", "non_customer_category", "says_advance", "says_partial"]

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
