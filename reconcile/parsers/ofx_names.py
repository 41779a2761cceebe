"""What an OFX NAME says when it is no counterparty name: a cheque marker, or a fixed-width
name with the city run into it.

- Banks write a paid cheque's NAME as the cheque itself: ``CHECK 4196`` (Chase, Wells Fargo),
  ``CHEQUE 123`` (Canadian and British banks), ``CHK #1001``, ``SCHECK 12`` (German). OFX has a
  field of its own for the number (CHECKNUM, OFX 2.2 section 11.4.4.1); the word and number are
  no payee, so the name is left empty and the number kept as the cheque number.
- American Express's OFX pads the merchant's name to 20 characters and writes the city after
  it, cut where NAME's 32 characters end: ``PRUNE               NEW YORK``,
  ``DELTA AIR LINES     ATLANTA``, ``SQUARE              SAN FRANCIS``. A gap of blanks that
  ends exactly there, before a place (words without digits), ends the name. Other gaps are
  the name's own: Fidelity pads the entry's kind to 21 characters and goes on with its detail
  (``DIRECT               DEPOSIT FIA``, ``BILL PAYMENT         CITICORP CH``), and a name with
  single or double spaces (``ACME  CORP``) is left as written.
- A card issuer writes the holder's repayment of the card as a thank-you in NAME: ``PAYMENT
  RECEIVED - THANK YOU`` (BMO), ``PAYMENT - THANK YOU`` (Chase), ``AUTOPAY PAYMENT - THANK
  YOU``. That credit is the holder's own money from another account, and the text no payer;
  so is the NAME of an interest credit (TRNTYPE INT, Ally's ``Interest Paid``).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .ach_text import ach_company

_CHEQUE = re.compile(
    r"^(?:CHECK|CHEQUE|CHEQ|CHQ|CHK|SCHECK)\.?\s*(?:(?:NO|NR|NUMBER)\.?\s*)?#?\s*(?P<number>\d*)$",
    re.IGNORECASE,
)
#: American Express's merchant column: the name padded to 20 characters, the city after it
_MERCHANT_WIDTH = 20
_CARD_REPAYMENT = re.compile(
    r"\b(?:PAYMENT|PYMT|PMT)\b.*\bTHANK\s*YOU\b|\bTHANK\s*YOU\s+FOR\s+YOUR\s+PAYMENT\b|"
    r"^\W*PAYMENT\s+RECEIVED\b",
    re.IGNORECASE,
)


def bank_entry(statement: str, credit: bool, trntype: str | None, name: str | None) -> str:
    """What a credit is when its NAME is the bank's own label, not someone who paid, else ``""``.

    - ``interest``: TRNTYPE ``INT`` ("interest earned or paid", OFX 2.2 section 11.4.4.3), whose
      NAME is the bank's label (Ally: ``Interest Paid``);
    - ``own_transfer``: on a credit card statement (CCSTMTRS), the issuer thanking the holder
      for paying the card (``PAYMENT RECEIVED - THANK YOU``).
    """
    if not credit:
        return ""
    if (trntype or "").strip().upper() == "INT":
        return "interest"
    if statement == "CCSTMTRS" and name and _CARD_REPAYMENT.search(name):
        return "own_transfer"
    return ""


def cheque_number(name: str) -> str | None:
    """Return the number a NAME that is only a cheque marker names (``""`` for a bare
    ``CHECK``), or None when the NAME is something else."""
    match = _CHEQUE.match(name.strip())
    return match["number"] if match else None


def without_padded_city(name: str) -> str:
    """Return a card merchant NAME without its city: ``PRUNE               NEW YORK`` is
    ``PRUNE``.

    The city starts at the 21st character, after a gap of blanks padding the name to 20, and
    is written without digits; any other NAME stays whole: Fidelity's
    ``DIRECT               DEBIT WELLS`` goes on at the 22nd, its
    ``TRANSFERRED FROM     VS X10-08144`` names the other account.
    """
    text = name.strip()
    merchant, place = text[:_MERCHANT_WIDTH], text[_MERCHANT_WIDTH:]
    padded = merchant.endswith("  ") and merchant.strip() != ""
    if padded and place[:1].strip() and not any(ch.isdigit() for ch in place):
        return merchant.rstrip()
    return text


def counterparty_name(extdname: str | None, name: str | None, payee: str | None) -> str | None:
    """The payer's or payee's name: EXTDNAME before NAME, then the PAYEE aggregate's NAME.

    NAME holds at most 32 characters (OFX 2.2, STMTTRN), so banks cut long names there or write
    a generic word ("PIX", "TRANSFER") and put the full name in EXTDNAME (up to 100 characters,
    OFX 2.x). NAME stays in the transaction's raw fields. A NAME of only zeros is a bank's
    filler for "no name" (RBC's pre-authorised debits: ``<NAME>000000000000000``), not a name.
    """
    found = next((n for n in (extdname, name, payee) if n and n.strip("0 ")), None)
    if found is None:
        return None
    found = without_padded_city(found)
    # Chase writes an ACH entry's fields into NAME: "ORIG CO NAME:QUILL CORPORATIO"
    return ach_company(found) or found


def cheque_reference(memo: str, marker: str, number: str) -> str:
    """The MEMO with the cheque marker (``CHECK 4196``) after it, unless it names the number."""
    if not number or re.search(rf"(?<!\d){number}(?!\d)", memo):
        return memo
    return f"{memo} {marker.strip()}".strip()


class Party(NamedTuple):
    """What an OFX or OFC entry says about its other party."""

    name: str | None
    """The payer's or payee's name; None when there is none or NAME is only a cheque."""
    cheque: str | None
    """The cheque number a NAME of only a cheque names (``""`` for a bare ``CHECK``)."""
    reference: str
    """The MEMO, with the cheque marker after it unless the MEMO names the number."""


def party(extdname: str | None, name: str | None, payee: str | None, memo: str) -> Party:
    """Read the other party of an OFX ``STMTTRN`` or an OFC ``GENTRN`` the one way for both:
    EXTDNAME before NAME before PAYEE's NAME (:func:`counterparty_name`: zeros, a padded
    American Express city and an ACH company's fields handled), a NAME that is only a cheque
    (``CHECK 4196``) no name but the cheque number."""
    found = counterparty_name(extdname, name, payee)
    cheque = cheque_number(found) if found else None
    if found is None or cheque is None:
        return Party(found, None, memo)
    return Party(None, cheque, cheque_reference(memo, found, cheque))
