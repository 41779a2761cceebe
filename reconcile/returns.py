"""Debits that take back a customer's payment: returned direct debits, chargebacks, bounced
cheques (SEPA R-transactions and their kin).

A company collecting by direct debit is credited when the collection is made; when the payer's
bank returns it (no funds, account closed, the payer objects) the money leaves again as a debit,
and the invoice the collection paid is owed again. Banks mark such a debit by a code: ISO 20022
bank transaction sub-families (``PMNT-IDDT-UPDD``, ``PRDD``, ``RRTN``, ``UPCQ``) and return
reasons (``RtrInf``), German business codes (GVC 108/109 Lastschrift Rückbelastung, 159/160
Überweisung Rückbuchung, 110/199 card clearing, 111 Scheckrückrechnung, 193 Reversal), the SWIFT
type ``RTI`` (returned item), BAI2 555 to 558, the MT940 mark ``RC`` (reversal of a credit), a
Chinese bank's 退汇 or 退票. :func:`return_mark` reads the mark from what each reader keeps in
``raw``; :func:`mark_returned` records it the one way: ``reversal`` set, ``category``
``reversal``, the mark in ``raw["returned_payment"]`` and a warning (``payment_returned``) that
finance sees beside the entry and the file.
"""

from __future__ import annotations

import re

from .currency import amount_text
from .model import Transaction
from .problems import Problem, problem, source_place

__all__ = ["flag_returned_debits", "mark_returned", "return_mark", "return_words"]

#: German business codes (DK "Geschäftsvorfallcode") of a payment taken back
GVC_RETURNS = frozenset({"108", "109", "110", "111", "159", "160", "193", "199"})
#: ISO 20022 sub-families: unpaid direct debit or cheque, returned transfer, reversals
CAMT_RETURNS = frozenset({"UPDD", "UPCQ", "RRTN", "PRDD", "RPCR", "RCDD"})
#: BAI2 debits: deposited item returned, ACH return items (the reversal codes are flagged already)
BAI2_RETURNS = frozenset({"555", "556", "557"})
# the bank's own booking text (MT940 ?00, a Chinese 摘要 or 交易类型), never the payer's words
_RETURN_WORDS = re.compile(
    r"R(?:UE|Ü)CKLASTSCHRIFT|LASTSCHR(?:IFT|\.)?\s*RETOURE|R(?:UE|Ü)CKBELASTUNG|"
    r"R(?:UE|Ü)CK(?:BUCHUNG|GABE)\s+(?:SEPA|LASTSCHRIFT)|\bRETURNED\s+(?:ITEM|CHEQUE|CHECK)\b|"
    r"\bCHARGEBACK\b|"
    r"退汇|退票",
    re.IGNORECASE,
)
# a charge for handling a return is a fee, not the returned money
_FEE_WORDS = re.compile(r"ENTGELT|GEB(?:UE|Ü)HR|\bFEE\b|手续费|工本费", re.IGNORECASE)


def return_words(text: str | None) -> str | None:
    """The words of a bank's booking text that call the entry a returned payment, else None."""
    if not text or _FEE_WORDS.search(text):
        return None
    m = _RETURN_WORDS.search(text)
    return m.group(0) if m else None


def return_mark(tx: Transaction) -> str:
    """What says the debit ``tx`` takes a payment back (``GVC 109``, ``PMNT-IDDT-UPDD``,
    ``BAI2 557``, ``退汇``...), read from the facts its reader kept in ``raw``, else ``""``."""
    raw = tx.raw
    code = str(raw.get("bank_tx_code") or "")  # camt
    if code.rpartition("-")[2] in CAMT_RETURNS or raw.get("return_reason"):
        return " ".join(str(v) for v in (code, raw.get("return_reason")) if v) or "RtrInf"
    gvc, type_code = str(raw.get("gvc") or ""), str(raw.get("type_code") or "")
    if gvc in GVC_RETURNS:  # MT940, German business code
        return f"GVC {gvc}"
    if type_code[1:4] == "RTI" or type_code in BAI2_RETURNS:  # SWIFT :61: type, BAI2 type
        return f"{'BAI2' if type_code.isdigit() else 'SWIFT'} {type_code}"
    if tx.reversal:  # MT940 RC, camt RvslInd, a receipt titled 退汇 or 冲正
        return str(raw.get("mark") or "") or "reversal"
    # the bank's booking text: MT940 ?00, a BAI2 detail's text ("RETURNED CHEQUE")
    booking_text = raw.get("posting_text") or (raw.get("text") if "type_name" in raw else None)
    words = return_words(str(booking_text or ""))
    if words:
        return words
    # a Chinese statement's 摘要 (in the reference); elsewhere the text may be the payer's
    words = return_words(tx.reference)
    return words if words in ("退汇", "退票") else ""


def mark_returned(tx: Transaction, mark: str) -> None:
    """Record that the debit ``tx`` takes back an earlier customer payment, as ``mark`` says."""
    tx.reversal = True
    tx.category = "reversal"
    tx.raw["returned_payment"] = mark
    tx.warnings.append(_notice(tx, mark))


def flag_returned_debits(transactions: list[Transaction]) -> list[Problem]:
    """Flag the returned payments of one file (:func:`return_mark`) and return the warnings for
    the file, each naming its entry's place (not the file: like every warning of a
    :class:`ParseResult`, whoever prints it names the file once)."""
    found: list[Problem] = []
    for tx in transactions:
        mark = return_mark(tx) if tx.direction == "debit" else ""
        if mark:
            mark_returned(tx, mark)
            found.append(_notice(tx, mark).at(location=source_place(tx.source)))
    return found


def _notice(tx: Transaction, mark: str) -> Problem:
    amount = amount_text(tx.amount, tx.currency)
    if not tx.counterparty_name:
        return problem("payment_returned_unnamed", amount=amount, currency=tx.currency, mark=mark)
    return problem(
        "payment_returned",
        amount=amount,
        currency=tx.currency,
        party=tx.counterparty_name,
        mark=mark,
    )
