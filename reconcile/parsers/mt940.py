"""SWIFT MT940 statements and MT942 interim reports, read with the ``mt-940`` library.

The library parses the tags. :mod:`.mt940_text` first cleans up what real banks send around and
inside them (SWIFT ``{1:}{2:}{4:`` blocks, bank pseudo-headers, wrapped fields, DOS code pages,
statement-level ``:86:``, ``:61:`` lines beyond the textbook) and splits the file into statements
at every ``:20:`` (balances of different statements are never merged); :mod:`.mt940_details`
reads the structured ``:86:`` forms (German GVC ``?nn``, SWIFT/Dutch ``/CODE/`` subfields in any
order, Triodos ``>nn``); :mod:`.mt940_library` runs one statement through the library, leaving
out the entries it cannot read. This module turns the library's objects into Concord's model.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import mt940.models

from ..balances import EntryTotals, check_statements, entry_totals_problem, statement_place
from ..errors import LimitExceeded, ParseError
from ..iban import is_iban
from ..model import Balance, Direction, ParseSettings, StatementInfo, Transaction
from ..problems import Problem, line, problem
from ._common import LeftOut, set_counterparty
from .mt940_details import (
    amount_codes,
    counterparty_fields,
    entry_text,
    names_volksbank_party,
    return_reason_in_text,
    volksbank_party,
)
from .mt940_library import BALANCE_TAGS, parse_leaving_out
from .mt940_sepa import NONREF
from .mt940_text import (
    FULL_LINE,
    clean,
    decode,
    detach_outside_entries,
    detach_repeated_fields,
    detach_statement_information,
    detach_statement_number,
    detach_unreadable_balances,
    fragment_fields,
    normalise_statement_lines,
    outside_entry_lines,
    split_entries,
    split_statements,
    wrap_width,
)

FORMAT = "mt940"

_SNIFF_TAG = re.compile(
    rb"(?m)^:(?:20|21|25|28C?|60[FM]|61|62[FM]|64|65|86|NS|13D?|34F|90[CD]):|^:\r?\n86:"
)
_SNIFF_61 = re.compile(rb"(?m)^:61:\d{6}")
# a file whose first line is a SWIFT field is MT940 too (one cut out of a statement)
_SNIFF_FIRST = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*:(?:20|25|28C?|60[FM]|61|62[FM]|64|65|86):")
# one balance line in the SWIFT form is MT940 too (a fragment of a statement), never a CSV row
_SNIFF_BALANCE = re.compile(rb"(?m)^:6[0245][FM]?:[CD]\d{6}[A-Z]{3}\d")
# FinTS (HBCI) carries MT940/MT942 with "@@" in place of each line break
_AT_AT_BREAK = re.compile(rb"@@(?=:(?:\d{2}[A-Z]?|NS):|\?\d{2})")
# a Dutch domestic account number (Postbank ones start with "P")
_DOMESTIC_ACCOUNT = re.compile(r"P?\d{7,10}")
_CURRENCY_SUFFIX = re.compile(r"^(?P<account>.*?[0-9A-Z.])[ /]?(?P<ccy>[A-Z]{3})$")
_OPENING, _CLOSING = ("60F", "60M", "60"), ("62F", "62M", "62")
# ":25:BILLLULLXXX/LU540026121160200600": the bank's BIC, then the account's IBAN
_BIC_IBAN = re.compile(
    r"^(?P<bic>[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?)/(?P<iban>[A-Z]{2}\d{2}[A-Z0-9]+)$"
)


def sniff(data: bytes, filename: str) -> bool:
    """Return True when ``data`` looks like an MT940/MT942 file (two or more SWIFT tags)."""
    head = _AT_AT_BREAK.sub(b"\n", data[:65536])
    found = {m.group(0).strip() for m in _SNIFF_TAG.finditer(head)}
    if len(found) >= 2 or _SNIFF_FIRST.match(head):
        return True
    return bool(_SNIFF_61.search(head) or _SNIFF_BALANCE.search(head))


def parse(data: bytes, filename: str, settings: ParseSettings) -> list[Transaction]:
    """Return the transactions of every statement in an MT940/MT942 file.

    :raises ParseError: when the file is not readable MT940 (the message names the statement
        and entry).
    """
    return parse_with_statements(data, filename, settings)[0]


def parse_with_statements(
    data: bytes, filename: str, settings: ParseSettings
) -> tuple[list[Transaction], list[StatementInfo]]:
    """Like :func:`parse`, plus one :class:`StatementInfo` per statement (``:20:`` block).

    :raises ParseError: when the file is not readable MT940.
    """
    if len(data) > settings.max_bytes:
        raise LimitExceeded(problem("file_larger_than", limit=settings.max_bytes), file=filename)
    text, encoding = decode(data)
    # Rabobank's old format (leading ":940:" line) puts the other party's account in the :61:
    # customer reference and the name in its supplementary details
    rabobank = text.lstrip("\ufeff\r\n ").startswith(":940:")
    cleaned = clean(text)
    fragment = fragment_fields(cleaned)
    if fragment and fragment[0]:
        found, missing = fragment
        raise ParseError(
            problem("mt940_fragment", found=", ".join(found), missing=", ".join(missing)),
            file=filename,
        )
    blocks = split_statements(cleaned)
    if not blocks:
        raise ParseError(problem("mt940_empty"), file=filename)
    entries = sum(len(re.findall(r"(?m)^:61:", b)) for b in blocks)
    if entries > settings.max_entries:
        raise LimitExceeded(
            problem("too_many_entries", count=entries, limit=settings.max_entries), file=filename
        )
    reading = _Reading(filename, settings, wrap_width(cleaned), rabobank)
    reading.place_outside_entries(text, blocks)
    transactions: list[Transaction] = []
    statements: list[StatementInfo] = []
    parts: list[tuple[StatementInfo, list[Transaction], str]] = []
    for number, raw_block in enumerate(blocks, start=1):
        block, outside = detach_outside_entries(raw_block)
        info, parsed, kept = _statement(block, number, reading)
        info.raw["encoding"] = encoding
        statements.append(info)
        # the entry's place in the statement, also when an entry before it was left out
        sources = [f"{filename}#statement={number}/entry={index + 1}" for index in kept]
        txs = _entries(parsed, info, sources, reading)
        parts.append((info, txs, statement_place(number, info.statement_id, info.account)))
        info.transaction_count = len(parsed.transactions)
        transactions += txs
        if outside:
            transactions += _outside_entries(outside, block, number, info, reading)
    reading.left_out.check(transactions)
    # :62M: closes a part of a statement that the next part's :60M: opens with
    check_statements(parts, opening_codes=_OPENING, closing_codes=_CLOSING, carried=("62M", "60M"))
    for info, txs, where in parts:
        _check_entry_totals(info, txs, where)
    return transactions, statements


@dataclass
class _Reading:
    """What the statements of one file are read with, and what reading them has found so far."""

    filename: str
    settings: ParseSettings
    width: int
    """The width the file's writer cuts its lines at (:func:`.wrap_width`)."""
    rabobank: bool
    """Rabobank's old format (a leading ``:940:`` line): the other party's account is in the
    ``:61:`` customer reference, the name in its supplementary details."""
    left_out: LeftOut = field(default_factory=LeftOut)
    seen_refs: Counter[str] = field(default_factory=Counter)
    ordinals: Counter[str] = field(default_factory=Counter)
    outside_lines: list[int] = field(default_factory=list)
    """The line of each entry outside any statement, in order; empty when unknown."""

    def place_outside_entries(self, text: str, blocks: list[str]) -> None:
        """Find the lines of the entries outside any statement in the file's ``text``, kept
        when they are as many as the blocks hold (FinTS' ``@@`` text has no lines to name)."""
        lines = outside_entry_lines(text)
        count = sum(len(re.findall(r"(?m)^:61:", detach_outside_entries(b)[1])) for b in blocks)
        self.outside_lines = lines if len(lines) == count else []


def _place(number: int) -> Problem:
    """The place of an entry after statement ``number`` whose line is not known: that
    statement, which the entry's warning says it is not part of."""
    return problem("at_statement", statement=number)


def _fragment(place: Problem) -> str:
    """A transaction's ``source`` fragment for ``place`` (``line=38``, ``statement=1``)."""
    return "/".join(f"{key}={value}" for key, value in place.params.items())


def _entries(
    parsed: mt940.models.Transactions, info: StatementInfo, sources: list[str], reading: _Reading
) -> list[Transaction]:
    """The library's entries of one statement as transactions, each from its ``source``."""
    txs: list[Transaction] = []
    for source, item in zip(sources, parsed.transactions, strict=False):
        tx = _transaction(
            item, info, reading.settings, source, rabobank=reading.rabobank, width=reading.width
        )
        _make_unique(tx, reading.seen_refs, reading.ordinals)
        txs.append(tx)
    return txs


def _outside_entries(
    outside: str, block: str, number: int, info: StatementInfo, reading: _Reading
) -> list[Transaction]:
    """Read the entries that follow the end of statement ``number`` (its closing balance and
    the end mark after it), outside any statement.

    They are money that moved, so they are read (wolph/mt940 reads them too) rather than
    dropped, with the account and currency of the statement before them: a warning names
    their line, and the statement's balance check leaves them out, as they are none of its.
    """
    first_left_out = len(reading.left_out.warnings)
    # read after the statement's head, whose opening balance states the currency
    _, parsed, kept = _statement(split_entries(block)[0] + outside, number, reading)
    count = len(re.findall(r"(?m)^:61:", outside))
    lines, reading.outside_lines = reading.outside_lines[:count], reading.outside_lines[count:]
    places = [line(lines[i]) if i < len(lines) else _place(number) for i in kept]
    txs = _entries(parsed, info, [f"{reading.filename}#{_fragment(p)}" for p in places], reading)
    warnings = info.raw.setdefault("warnings", [])
    warnings += reading.left_out.warnings[first_left_out:]
    for tx, place in zip(txs, places, strict=False):
        found = problem("mt940_outside_statement", statement=number)
        tx.warnings.append(found)
        warnings.append(found.at(location=place))
    return txs


def _check_entry_totals(info: StatementInfo, txs: list[Transaction], where: str) -> None:
    """Warn when a report's ``:90D:`` or ``:90C:`` (MT942: the number and the sum of its debit
    and credit entries) does not count and sum the entries read.

    A reversal counts on the side its money moves (``RC`` with the debits), as in the balance.
    """
    found = []
    for key, tag, direction in (
        ("sum_debit_entries", "90D", "debit"),
        ("sum_credit_entries", "90C", "credit"),
    ):
        written = info.raw.get(key)
        if not isinstance(written, dict) or written.get("count") is None:
            continue
        stated = EntryTotals(tag, written["count"], abs(written["amount"]), info.currency or "")
        amounts = [tx.amount for tx in txs if tx.direction == direction]
        found.append(entry_totals_problem(stated, amounts, where))
    warnings = [p for p in found if p is not None]
    if warnings:
        info.raw["warnings"] = [*info.raw.get("warnings", []), *warnings]


def _statement(
    raw_block: str, number: int, reading: _Reading
) -> tuple[StatementInfo, mt940.models.Transactions, list[int]]:
    """Read one ``:20:`` block: its facts, its entries, and the places of the entries kept."""
    filename, settings, left_out = reading.filename, reading.settings, reading.left_out
    block, information = detach_statement_information(raw_block, width=reading.width)
    block, repeated = detach_repeated_fields(block)
    block, unread_number = detach_statement_number(block)
    block, unread_balances = detach_unreadable_balances(block)
    block, refs = normalise_statement_lines(block)
    where = problem("at_statement", statement=number)
    warnings: list[str] = [
        problem("mt940_bad_field", tag=tag, value=value[:120]).at(location=where)
        for tag, value in (*repeated, *unread_balances)
    ]
    first_left_out = len(left_out.warnings)
    parsed, kept = parse_leaving_out(block, number, filename, warnings, left_out)
    if len(kept) < len(refs):
        refs = [refs[i] for i in kept]
    if len(refs) == len(parsed.transactions):
        for item, entry_refs in zip(parsed.transactions, refs, strict=True):
            # the library reads 16 and 23 characters; banks write longer references
            if entry_refs.customer_ref is not None:
                item.data["customer_reference"] = entry_refs.customer_ref
            if entry_refs.bank_ref is not None:
                item.data["bank_reference"] = entry_refs.bank_ref
            if entry_refs.no_type_code:
                item.data["id"] = None
    if len(kept) != len(parsed.transactions):  # the library read the lines another way
        kept = list(range(len(parsed.transactions)))
    info = _statement_info(parsed, settings)
    # the library keeps 16 characters of :20:; banks write longer ones
    if full_id := re.match(r":20:(.*)", block):
        info.statement_id = full_id.group(1).strip() or info.statement_id
    if unread_number:
        info.raw["statement_number_unread"] = unread_number
    warnings += left_out.warnings[first_left_out:]
    if warnings:
        info.raw["warnings"] = warnings
    if information:
        info.raw["information"] = information
    return info, parsed, kept


# --------------------------------------------------------------------------------------------
# library objects to Concord's model


def _signed(balance: Any) -> tuple[Decimal, Any, str | None] | None:
    if balance is None or not isinstance(balance, mt940.models.Balance):
        return None
    amount = balance.amount
    if not isinstance(amount, mt940.models.Amount):
        return None
    return amount.amount, balance.date, amount.currency


def _statement_info(parsed: mt940.models.Transactions, settings: ParseSettings) -> StatementInfo:
    data = parsed.data
    currency = parsed.currency or settings.default_currency
    account_raw = (data.get("account_identification") or "").strip()
    info = StatementInfo(
        statement_id=(data.get("transaction_reference") or "").strip() or None,
        account=_clean_account(account_raw, currency) or None,
        currency=currency,
        raw={"account_identification": account_raw},
    )
    if (m := _BIC_IBAN.match(info.account or "")) and is_iban(m.group("iban")):
        info.account, info.raw["account_bic"] = m.group("iban"), m.group("bic")
    number, seq = data.get("statement_number"), data.get("sequence_number")
    if number:
        info.sequence = f"{number}/{seq}" if seq else str(number)
        info.raw["statement_number"] = number
        info.raw["sequence_number"] = seq
    for key, code in BALANCE_TAGS:
        signed = _signed(data.get(key))
        if signed is None:
            continue
        amount, date, ccy = signed
        info.balances.append(
            Balance(type=code, amount=amount, currency=ccy or currency or "", date=date)
        )
        if code.startswith("60") and info.opening_balance is None:
            info.opening_balance, info.opening_date = amount, date
        if code.startswith("62") and info.closing_balance is None:
            info.closing_balance, info.closing_date = amount, date
    for key in ("sum_debit_entries", "sum_credit_entries"):
        total = data.get(key)
        if isinstance(total, mt940.models.SumAmount):
            count = str(total.number)
            info.raw[key] = {
                "count": int(count) if count.isdigit() else None,
                "amount": total.amount,
            }
    for key in ("d_floor_limit", "c_floor_limit"):
        # MT942 :34F: the smallest amount of a debit (credit) entry the report lists
        if isinstance(limit := data.get(key), mt940.models.Amount):
            info.raw[key] = abs(limit.amount)
    return info


def _clean_account(account: str, currency: str | None) -> str:
    """Drop the currency code ING and Rabobank append to ``:25:`` (``NL77INGB0574908765EUR``)
    and the slashes some banks put before the number (``/PL61...``, ``//AT39364/...``)."""
    m = _CURRENCY_SUFFIX.match(account)
    if m and currency and m.group("ccy") == currency:
        account = m.group("account")
    # the option "/" (and Raiffeisen's "//") before the account number is no part of it
    return account.replace(" ", "").lstrip("/")


def _transaction(
    item: mt940.models.Transaction,
    info: StatementInfo,
    settings: ParseSettings,
    source: str,
    *,
    rabobank: bool = False,
    width: int = FULL_LINE,
) -> Transaction:
    d = item.data
    mark = str(d.get("status") or "").upper()
    amount_obj = d.get("amount")
    if not isinstance(amount_obj, mt940.models.Amount):
        raise ParseError(problem("mt940_no_amount"), location=source)
    reversal = mark.startswith("R")
    # C = credit, D = debit; RC reverses a credit (money leaves), RD reverses a debit
    direction: Direction = "credit" if mark in ("C", "RD") else "debit"
    currency = amount_obj.currency or info.currency or settings.default_currency or ""
    warnings = list(d.get("date_warnings") or [])
    if not currency:
        warnings.append(problem("mt940_no_currency"))
    value_date = d.get("date")
    if not isinstance(value_date, dt.date):
        raise ParseError(problem("mt940_no_value_date"), location=source)
    booking_date = d.get("entry_date") or value_date
    details_raw = str(d.get("details_raw") or "")
    bank_ref = str(d.get("bank_reference") or "").strip()
    extra = str(d.get("extra_details") or "").strip()
    fields = counterparty_fields(str(d.get("details_spaced") or details_raw), width=width)
    reference = fields.pop("reference", None) or ""
    eref = fields.get("end_to_end_ref")
    if eref and eref.upper() not in NONREF and eref not in reference:
        reference = f"{reference} | EREF {eref}" if reference else eref
    pref = fields.get("payment_ref")  # a batch's payment information id (Rabobank, ING)
    if not reference and pref and pref.upper() not in NONREF:
        reference = pref
    name, account, bank = fields.get("name"), fields.get("account"), fields.get("bank")
    customer_ref = str(d.get("customer_reference") or "").strip()
    if not account and extra and is_iban(extra.replace(" ", "")):
        account = extra.replace(" ", "")  # Rabobank puts the counterparty IBAN on :61: line 2
    elif not account and names_volksbank_party(customer_ref, extra, reference, info.account):
        # ASN and SNS put the other party's account in the customer reference, its name on line 2
        account, name, reference = volksbank_party(customer_ref, extra, name, reference)
    elif rabobank:
        name, account = _rabobank_party(extra, customer_ref, name, account)
    reference = reference or entry_text(d.get("non_swift_text"), details_raw, customer_ref, account)
    raw: dict[str, Any] = {
        "statement": info.statement_id,
        "mark": mark,
        "funds_code": d.get("funds_code"),
        "type_code": d.get("id"),
        "customer_reference": d.get("customer_reference"),
        "bank_reference": d.get("bank_reference"),
        "extra_details": d.get("extra_details"),
        "details": details_raw,
        "signed_amount": amount_obj.amount,
    }
    for key in ("posting_text", "prima_nota", "transaction_code", "non_swift_text"):
        if d.get(key) is not None:
            raw[key] = d[key]
    raw.update({k: v for k, v in fields.items() if v})
    raw.update(amount_codes(str(d.get("extra_details") or ""), details_raw))
    if not raw.get("return_reason") and (reason := return_reason_in_text(details_raw)):
        raw["return_reason"] = reason
    tx = Transaction(
        bank_ref=bank_ref if bank_ref.upper() not in NONREF else "",
        booking_date=booking_date,
        value_date=value_date,
        amount=abs(amount_obj.amount),
        direction=direction,
        currency=currency,
        reference=reference,
        our_account=info.account or "",
        source=source,
        raw=raw,
        warnings=warnings,
        reversal=reversal,
        # a credit the bank gives a return reason for is our own payment coming back
        category="refund" if direction == "credit" and raw.get("return_reason") else "",
    )
    set_counterparty(tx, name, account, bank)
    return tx


def _rabobank_party(
    extra: str, customer_ref: str, name: str | None, account: str | None
) -> tuple[str | None, str | None]:
    """Read the other party from a Rabobank ``:61:`` (files that start with ``:940:``).

    The SEPA-era layout puts the other party's domestic account on line 2 (all zeros: none);
    the older one puts the account in the customer reference and the name after it.
    """
    if extra and _DOMESTIC_ACCOUNT.fullmatch(extra):
        return name, account or (extra if extra.strip("0P") else None)
    if extra and not name:
        name = " ".join(extra.split())
    if not account and _DOMESTIC_ACCOUNT.fullmatch(customer_ref):
        account = customer_ref
    return name, account


def _make_unique(tx: Transaction, seen: Counter[str], ordinals: Counter[str]) -> None:
    """Give ``tx`` a bank reference unique in the file and stable across re-uploads.

    Entries without a bank reference get their customer reference (not unique on its own:
    PostFinance repeats ``01916``) plus a digest of what identifies them (account, dates, mark,
    amount, references, text) and their ordinal among identical entries.
    """
    if not tx.bank_ref:
        key = "|".join(
            str(x)
            for x in (
                tx.our_account,
                tx.value_date,
                tx.booking_date,
                tx.raw.get("mark"),
                tx.raw.get("signed_amount"),
                tx.currency,
                tx.raw.get("customer_reference"),
                tx.raw.get("type_code"),
                tx.raw.get("extra_details"),
                tx.raw.get("details"),
            )
        )
        ordinals[key] += 1
        digest = hashlib.sha256(f"{key}|{ordinals[key]}".encode()).hexdigest()[:16]
        customer_ref = str(tx.raw.get("customer_reference") or "").strip()
        if customer_ref.upper() not in NONREF:
            tx.bank_ref = f"{customer_ref}-{digest[:10]}"
            tx.raw["ref_from"] = "customer_reference"
        else:
            tx.bank_ref = f"MT940-{digest}"
            tx.raw["ref_from"] = "synthetic"
    seen[tx.bank_ref] += 1
    if seen[tx.bank_ref] > 1:
        tx.bank_ref = f"{tx.bank_ref}/{seen[tx.bank_ref]}"
