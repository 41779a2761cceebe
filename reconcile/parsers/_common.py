"""Small steps several parsers share once they have built their transactions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from ..model import Transaction


def make_refs_unique(transactions: Iterable[Transaction]) -> None:
    """Suffix repeated bank references (``REF``, ``REF#2``...) so each is unique in the file.

    The reference as the bank wrote it is kept in ``raw["bank_ref_repeated"]``.

    :param transactions: the file's transactions, in file order; changed in place.
    """
    counts: Counter[str] = Counter()
    for tx in transactions:
        counts[tx.bank_ref] += 1
        n = counts[tx.bank_ref]
        if n > 1:
            tx.raw["bank_ref_repeated"] = tx.bank_ref
            tx.bank_ref = f"{tx.bank_ref}#{n}"


def set_counterparty(
    tx: Transaction, name: str | None, account: str | None, bank: str | None
) -> None:
    """Record the other party on the side ``tx.direction`` puts it: the payer of a credit.

    :class:`Transaction` has no ``payee_bank`` field, so a debit's counterparty bank goes to
    ``raw["payee_bank"]``.

    :param tx: the transaction, changed in place.
    :param name: the other party's name.
    :param account: the other party's account number.
    :param bank: the other party's bank (name or BIC).
    """
    if tx.direction == "credit":
        tx.payer_name, tx.payer_account, tx.payer_bank = name, account, bank
    else:
        tx.payee_name, tx.payee_account = name, account
        if bank:
            tx.raw["payee_bank"] = bank
