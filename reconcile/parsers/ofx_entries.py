"""What the OFX and OFC readers share about one entry (STMTTRN): where it is, the leaves it
must have, and the :class:`Transaction` its signed amount makes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..errors import ParseError
from ..model import Direction, Transaction
from ..problems import problem
from ._common import set_counterparty

if TYPE_CHECKING:
    from .ofx import Node


def transaction_label(trn: Node, where: str) -> str:
    """Where an entry is, for its problems: its position and, when it has one, its FITID."""
    fitid = trn.value("FITID")
    if fitid:
        return problem("at_transaction_id", transaction=where, fitid=fitid)
    return problem("at_transaction", transaction=where)


def required_leaf(trn: Node, path: str, code: str, filename: str, label: str) -> str:
    """The text of an entry's leaf at ``path``.

    :raises ParseError: with the problem ``code`` when the entry has no such leaf or it is empty.
    """
    text = trn.value(path)
    if text is None:
        raise ParseError(problem(code), file=filename, location=label)
    return text


def signed_transaction(
    fitid: str | None,
    where: str,
    account: str,
    filename: str,
    signed: Decimal,
    booking: dt.date,
    *,
    currency: str,
    counterparty: tuple[str | None, str | None],
    reference: str,
    raw: dict[str, Any],
    value_date: dt.date | None = None,
    warnings: list[str] | None = None,
) -> Transaction:
    """The OFX or OFC entry (the ``where``-th of the file) of a signed TRNAMT.

    The sign decides the direction, not TRNTYPE (real OFC files mark salary credits with
    TRNTYPE 1, debit), and as written: "-0" or "-0.00" (a zero debit, as some banks list a
    voided card payment) stays a debit. The bank reference is FITID or, without one, the
    account, the booking date and the entry's position. ``counterparty`` (the other party's
    name and account) is the payer of a credit, the payee of a debit.
    """
    direction: Direction = "debit" if signed.is_signed() else "credit"
    tx = Transaction(
        bank_ref=fitid or f"{account}/{booking.isoformat()}/{where}",
        booking_date=booking,
        value_date=value_date,
        amount=abs(signed),
        direction=direction,
        currency=currency,
        reference=reference,
        our_account=account,
        source=f"{filename}#transaction={where}",
        raw=raw,
        warnings=warnings or [],
    )
    set_counterparty(tx, *counterparty, None)
    return tx
