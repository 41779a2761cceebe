"""The values inside a camt message: dates in the bank's zone, amounts, currencies, references.

Pure functions of text (no XML): :mod:`.camt` reads the elements and hands their text here.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from ..balances import Ends, ends_problem, pick_balance, signed
from ..currency import amount_text
from ..errors import ParseError
from ..model import Balance, Transaction
from ..problems import Problem, problem
from ..returns import CAMT_RETURNS
from ._common import finite_decimal

# references banks fill in when they have none: never a unique id
_PLACEHOLDER_REFS = {"", "NOTPROVIDED", "NONREF", "NOT PROVIDED", "NONE"}
OPENING_CODES = ("OPBD", "PRCD", "ITBD", "OPAV")
CLOSING_CODES = ("CLBD", "ITBD", "CLAV")
# A bank's DtTm in UTC is converted to the bank's local calendar day: OCA's own test expects the
# booking date 2014-01-05 for a Dutch bank's ``2014-01-04T23:00:00Z`` (midnight in Amsterdam).
# The account's IBAN country (or the servicer BIC's) tells which zone the bank books in.
_COUNTRY_ZONES = {
    "AT": "Europe/Vienna", "BE": "Europe/Brussels", "BG": "Europe/Sofia", "CH": "Europe/Zurich",
    "CY": "Asia/Nicosia", "CZ": "Europe/Prague", "DE": "Europe/Berlin", "DK": "Europe/Copenhagen",
    "EE": "Europe/Tallinn", "ES": "Europe/Madrid", "FI": "Europe/Helsinki", "FR": "Europe/Paris",
    "GB": "Europe/London", "GR": "Europe/Athens", "HR": "Europe/Zagreb", "HU": "Europe/Budapest",
    "IE": "Europe/Dublin", "IS": "Atlantic/Reykjavik", "IT": "Europe/Rome", "LI": "Europe/Vaduz",
    "LT": "Europe/Vilnius", "LU": "Europe/Luxembourg", "LV": "Europe/Riga", "MC": "Europe/Monaco",
    "MT": "Europe/Malta", "NL": "Europe/Amsterdam", "NO": "Europe/Oslo", "PL": "Europe/Warsaw",
    "PT": "Europe/Lisbon", "RO": "Europe/Bucharest", "SE": "Europe/Stockholm",
    "SI": "Europe/Ljubljana", "SK": "Europe/Bratislava", "CN": "Asia/Shanghai",
    "HK": "Asia/Hong_Kong", "SG": "Asia/Singapore", "JP": "Asia/Tokyo",
}  # fmt: skip
_DATE_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})"
    r"(?:T(\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?"
    r"(Z|[+-]\d{2}:?\d{2})?$"
)

# a date-time at the very start of its day, as written
_MIDNIGHT = re.compile(r"T00:00(?::00(?:[.,]0+)?)?(?:Z|[+-]\d{2}:?\d{2})?$")


def bank_zone(account: str, bic: str | None) -> zoneinfo.ZoneInfo | None:
    """The zone the bank books in: the account's IBAN country, else the servicer BIC's."""
    country = account[:2] if account[:2].isalpha() else None
    if country not in _COUNTRY_ZONES and bic and len(bic) >= 6:
        country = bic[4:6]
    return zoneinfo.ZoneInfo(_COUNTRY_ZONES[country]) if country in _COUNTRY_ZONES else None


def parse_amount(text: str, filename: str, where: str) -> Decimal:
    """A non-negative amount as camt writes it (``1234.56``; the sign is in ``CdtDbtInd``).

    :raises ParseError: when ``text`` is not a finite, non-negative number.
    """
    value = finite_decimal(text, filename, where)
    if value < 0:
        raise ParseError(problem("amount_not_positive", value=text), file=filename, location=where)
    return value


def charge_amount(text: str | None) -> Decimal | None:
    """A charge as written (``0.31``), or ``None`` for an empty or non-numeric one."""
    try:
        value = Decimal((text or "").strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() and value >= 0 else None


def parse_date(text: str, zone: zoneinfo.ZoneInfo | None, filename: str, where: str) -> dt.date:
    """The calendar day of an ISO date or date-time; a UTC moment is moved into ``zone``.

    :raises ParseError: when ``text`` is not an ISO date or names a day that does not exist.
    """
    match = _DATE_RE.match(text.strip())
    if not match:
        raise ParseError(problem("camt_bad_date", value=text), file=filename, location=where)
    y, m, d, hh, mm, ss, tz = match.groups()
    try:
        if hh is None or tz is None:
            # a plain date (possibly with an offset) or a local time: the day as written
            return dt.date(int(y), int(m), int(d))
        offset = dt.timedelta(0) if tz == "Z" else _offset(tz)
        moment = dt.datetime(
            int(y), int(m), int(d), int(hh), int(mm), int(ss or 0), tzinfo=dt.timezone(offset)
        )
    except ValueError:
        raise ParseError(
            problem("date_does_not_exist", value=text), file=filename, location=where
        ) from None
    if offset == dt.timedelta(0) and zone is not None:
        return moment.astimezone(zone).date()
    return moment.date()


def period_last_day(
    start: str | None, end: str | None, zone: zoneinfo.ZoneInfo | None
) -> dt.date | None:
    """The last day of a statement's period (``FrToDt``), or None when it names no readable end.

    A period that ends at midnight (``ToDtTm`` ``2021-11-23T00:00:00`` after a ``FrDtTm`` on the
    22nd) ends before the 23rd begins: its last day is the 22nd.
    """
    if not end:
        return None
    try:
        last = parse_date(end, zone, "", "")
        first = parse_date(start, zone, "", "") if start else None
    except ParseError:
        return None  # only a stand-in for an entry's missing date: an unreadable one is no help
    if first is not None and first < last and _MIDNIGHT.search(end.strip()):
        return last - dt.timedelta(days=1)
    return last


def _offset(tz: str) -> dt.timedelta:
    sign = -1 if tz[0] == "-" else 1
    digits = tz[1:].replace(":", "")
    return sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))


def currency_or_none(code: str | None) -> str | None:
    # ISO 4217 "XXX" means "no currency": PostFinance writes it when the account has none
    code = (code or "").strip().upper()
    return code if len(code) == 3 and code.isalpha() and code != "XXX" else None


#: the balances a statement's booked entries lead from (the first found) and to. Available
#: balances (OPAV, CLAV, ITAV, FWAV) move by value date, not by booking; an interim booked
#: balance (ITBD) of a camt.052 report is taken at a time of the bank's choosing, after
#: entries the report may not list (it may list only those since the previous report): no
#: entries are defined to lead to either, so neither is checked.
_BOOKED_OPENING = ("OPBD", "PRCD")
_BOOKED_CLOSING = ("CLBD",)


def unbalanced(balances: list[Balance], txs: list[Transaction], where: str) -> list[Problem]:
    """Per currency, a warning when the opening booked balance plus the booked entries is not
    the closing booked balance (pending, information-only and future entries do not count)."""
    found: list[Problem] = []
    for currency in dict.fromkeys(b.currency for b in balances):
        same = [b for b in balances if b.currency == currency]
        opening = pick_balance(same, _BOOKED_OPENING)
        closing = pick_balance(same, _BOOKED_CLOSING)
        if opening is None or closing is None:
            continue
        ends = Ends(opening.amount, closing.amount, opening.type, closing.type, currency)
        booked = (
            signed(tx)
            for tx in txs
            if tx.currency == currency and tx.raw.get("status") in (None, "BOOK")
        )
        if (mismatch := ends_problem(ends, booked, where)) is not None:
            found.append(mismatch)
    return found + _unchecked_currencies(balances, txs, where)


def _unchecked_currencies(
    balances: list[Balance], txs: list[Transaction], where: str
) -> list[Problem]:
    """One warning per currency of entries that no balance of the statement is in: their
    amounts are in no balance check (Goldman Sachs's sample books a 29.06 EUR wire on a USD
    account, its instructed 25.00 USD only in the details)."""
    known = {b.currency for b in balances}
    others: dict[str, list[Decimal]] = {}
    for tx in txs:
        if known and tx.currency not in known:
            others.setdefault(tx.currency, []).append(tx.amount)
    return [
        problem(
            "camt_entries_other_currency",
            count=len(amounts),
            total=amount_text(sum(amounts, Decimal(0)), currency),
            currency=currency,
            balances="/".join(sorted(known)),
        ).at(location=where)
        for currency, amounts in others.items()
    ]


def first_real(*refs: str | None) -> str | None:
    for ref in refs:
        if ref and ref.strip().upper() not in _PLACEHOLDER_REFS:
            return ref.strip()
    return None


def batch_ref(ref: str | None, index: int | None) -> str | None:
    if not ref or ref.strip().upper() in _PLACEHOLDER_REFS:
        return None
    return ref if index is None else f"{ref}/{index}"


def entry_reference(
    refs: Mapping[str, str | None], entry_raw: Mapping[str, Any], batch_index: int | None
) -> str | None:
    """Return the unique id of an entry, or of part ``batch_index`` of a batch entry.

    The bank's own id comes first (the part's AcctSvcrRef, else the entry's), then the
    payer's end-to-end id, the transaction id, the UETR and the entry's reference; a
    proprietary id (Sparkasse's FI-UMSATZ-ID) last, still better than a made-up one. An id of
    the whole batch entry is numbered by the part (``REF/2``); placeholders (``NOTPROVIDED``)
    never count. None when there is no id at all.
    """
    return first_real(
        refs["acct_svcr_ref"],
        batch_ref(entry_raw["entry_acct_svcr_ref"], batch_index),
        refs["end_to_end_id"],
        refs["tx_id"],
        refs["uetr"],
        batch_ref(entry_raw["entry_ref"], batch_index),
        refs["proprietary_ref"],
    )


def dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def returns_payment(raw: Mapping[str, Any]) -> bool:
    """True when a transaction's return information or bank code says it undoes a payment."""
    sub_family = str(raw["bank_tx_code"] or "").rpartition("-")[2]
    return bool(raw["return_reason"] or raw["return_info"]) or sub_family in CAMT_RETURNS


def transaction_text(raw: Mapping[str, Any], *, partial: bool, split: bool) -> str:
    """The remittance text of a transaction: what the payer wrote, else the bank's text.

    The entry's own text (AddtlNtryInf) speaks for the whole entry: it is the reference of an
    entry that is not split, never of one part of a batch ("SAMMELGUTSCHRIFT ..." of a
    collective credit; it stays in ``additional_entry_info``), and the only one of a batch the
    file lists only in part.
    """
    entry_text = raw["additional_entry_info"] or ""
    if partial:
        return str(entry_text)
    written = dedupe(raw["remittance_unstructured"] + raw["creditor_references"])
    return " ".join(written) or raw["additional_info"] or ("" if split else str(entry_text))


# ISO 20022 bank transaction sub-families (External Code Sets, BankTransactionSubFamily) that
# undo an earlier payment: a payment of ours returned or unpaid, and reversals
_RETURN_SUBFAMILIES = frozenset({"RRTN", "UPDD", "UPCQ"})
_REVERSAL_SUBFAMILIES = frozenset({"PRDD", "RPCR"})
# interest the bank paid (ACMT-MCOP-INTR, PMNT-MCOP-INTR...)
_INTEREST_SUBFAMILIES = frozenset({"INTR"})


def credit_category(bank_tx_code: str | None, return_reason: str | None) -> str:
    """What a credit is when the bank's codes say it is no customer paying, else ``""``.

    A credit with return information (RtrInf: ``MD06``) or a returned or unpaid payment's code
    (``PMNT-RDDT-UPDD``) is our own money coming back, a ``refund``; a reversal's code
    (``PRDD``, ``RPCR``) is a ``reversal``; interest the bank paid (``ACMT-MCOP-INTR``) is
    ``interest``.
    """
    sub_family = (bank_tx_code or "").rpartition("-")[2]
    if sub_family in _REVERSAL_SUBFAMILIES:
        return "reversal"
    if sub_family in _INTEREST_SUBFAMILIES:
        return "interest"
    if return_reason or sub_family in _RETURN_SUBFAMILIES:
        return "refund"
    return ""
