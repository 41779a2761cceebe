"""Small steps several parsers share: archive limits and hardened XML before reading, a test of
what a cell holds while reading, then steps once they have built their transactions."""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence, Sized
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from lxml import etree

from ..errors import LimitExceeded, ParseError
from ..model import ParseSettings, StatementInfo, Transaction
from ..normalize import AmountError, parse_amount
from ..problems import Problem, problem

_T = TypeVar("_T")
_DIGIT = re.compile(r"\d")
_ENTITY_LEFT = re.compile(r"&(?:lt|gt|amp|quot|apos|nbsp|#[0-9]+|#x[0-9a-f]+);", re.I)


def sgml_text(raw: str) -> str:
    """The text of an SGML leaf (OFX, OFC) with its character entities read.

    Some banks escape their texts twice, ``TPAY &amp;lt;DEFTPYMT&amp;gt;`` for ``TPAY <DEFTPYMT>``:
    an entity still standing after one pass is the bank's escaping, never the payer's words, so
    those (and only the named or numbered ones SGML and HTML define) are read once more.
    """
    once = html.unescape(raw)
    return _ENTITY_LEFT.sub(lambda m: html.unescape(m.group(0)), once)


def reads_as_amount(text: str) -> bool:
    """True when ``text`` holds a digit and reads as an amount (a column's cell, a PDF value)."""
    if not _DIGIT.search(text):
        return False
    try:
        parse_amount(text)
    except AmountError:
        return False
    return True


def check_archive_size(
    infos: Sequence[zipfile.ZipInfo],
    what: str,
    filename: str,
    *,
    max_members: int,
    max_bytes: int,
) -> None:
    """Refuse an archive of too many members or whose members declare too much data unpacked.

    :param infos: the members that will be read.
    :param what: how messages name the archive: ``ZIP archive`` or ``XLSX workbook`` (the
        portal names these two in the reader's language).
    :raises LimitExceeded: with more than ``max_members`` members or ``max_bytes`` unpacked.
    """
    if len(infos) > max_members:
        raise LimitExceeded(
            problem("archive_too_many", what=what, count=len(infos), limit=max_members),
            file=filename,
        )
    declared = sum(info.file_size for info in infos)
    if declared > max_bytes:
        raise LimitExceeded(
            problem("archive_too_large", what=what, size=declared, limit=max_bytes),
            file=filename,
        )


#: a ZIP's end-of-central-directory record: its signature, and how far from the end it may
#: stand (22 bytes and a comment of at most 64 KiB)
_ZIP_END = b"PK\x05\x06"
_ZIP_END_WINDOW = 22 + 0xFFFF


def open_archive(data: bytes, what: str, filename: str) -> zipfile.ZipFile:
    """Open a ZIP archive (an XLSX workbook is one).

    :param what: how messages name the archive: ``ZIP archive`` or ``XLSX workbook``.
    :raises ParseError: ``archive_truncated`` for an archive whose end is missing (an
        interrupted download or upload: the usual way one breaks), else ``zip_broken``.
    """
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        if _ZIP_END not in data[-_ZIP_END_WINDOW:]:
            raise ParseError(
                problem("archive_truncated", what=what, size=len(data)), file=filename
            ) from None
        raise ParseError(problem("zip_broken", detail=exc), file=filename) from None


def make_refs_unique(transactions: Iterable[Transaction]) -> None:
    """Suffix repeated bank references (``REF``, ``REF#2``...) so each is unique in the file.

    The reference as the bank wrote it is kept in ``raw["bank_ref_repeated"]``.

    :param transactions: the file's transactions, in file order; changed in place.
    """
    txs = list(transactions)
    taken = {tx.bank_ref for tx in txs}
    counts: Counter[str] = Counter()
    seen: set[str] = set()
    for tx in txs:
        ref = tx.bank_ref
        counts[ref] += 1
        if ref not in seen:
            seen.add(ref)
            continue
        # a file may hold REF, REF and a genuine REF#2: skip suffixes the bank used itself
        n = counts[ref]
        while f"{ref}#{n}" in taken:
            n += 1
        counts[ref] = n
        tx.raw["bank_ref_repeated"] = ref
        tx.bank_ref = f"{ref}#{n}"
        taken.add(tx.bank_ref)


def finite_decimal(text: str, filename: str, where: str, *, written: str | None = None) -> Decimal:
    """The number in ``text`` (already cleaned of the format's separators).

    :param written: the amount as the file wrote it, for the error message (default ``text``).
    :raises ParseError: naming the file and ``where`` when ``text`` is not a finite number.
    """
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        shown = text if written is None else written
        raise ParseError(problem("amount_not_number", value=shown), file=filename, location=where)
    return value


def gather_statements(
    statements: Iterable[tuple[list[Transaction], StatementInfo]],
    settings: ParseSettings,
    filename: str,
) -> tuple[list[Transaction], list[StatementInfo]]:
    """Join a file's statements into one list of transactions with unique bank references.

    :param statements: each statement's transactions and summary, in file order; read lazily,
        so a file over the limit stops being parsed as soon as it passes it.
    :raises LimitExceeded: once the file holds more than ``settings.max_entries`` transactions.
    """
    transactions: list[Transaction] = []
    infos: list[StatementInfo] = []
    for txs, info in statements:
        infos.append(info)
        transactions.extend(txs)
        if len(transactions) > settings.max_entries:
            raise LimitExceeded(
                problem("too_many_transactions", limit=settings.max_entries), file=filename
            )
    make_refs_unique(transactions)
    return transactions, infos


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


def secure_xml_root(data: bytes, filename: str) -> etree._Element:
    """Parse untrusted XML with DTDs, entities and network access off; refuse any DOCTYPE.

    :raises ParseError: for a DOCTYPE or malformed XML.
    """
    if _has_doctype(data):
        raise ParseError(problem("xml_doctype"), file=filename)
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise ParseError(problem("xml_malformed", detail=exc), file=filename) from None
    except ValueError as exc:  # e.g. an encoding declaration lxml cannot honour
        raise ParseError(problem("xml_unreadable", detail=exc), file=filename) from None
    if root is None:
        raise ParseError(problem("xml_empty"), file=filename)
    docinfo: Any = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise ParseError(problem("xml_doctype"), file=filename)
    return root


def _has_doctype(data: bytes) -> bool:
    head = data.upper()
    # also catch UTF-16 documents, where every ASCII letter is followed (or preceded) by NUL
    return any(
        pattern in head
        for pattern in (
            b"<!DOCTYPE",
            b"<!ENTITY",
            "<!DOCTYPE".encode("utf-16-le"),
            "<!DOCTYPE".encode("utf-16-be"),
        )
    )


class LeftOut:
    """The entries, and single values, a parser could not read: each kept as a warning.

    One broken entry does not cost the file: it is left out, and its warning names the place
    and the reason (coded, so the portal shows it in the reader's language). A file of which
    no entry could be read is refused with the first reason (:meth:`check`): then the layout is
    wrong, not one entry.
    """

    def __init__(self) -> None:
        self.warnings: list[str] = []
        self.entries = 0
        """How many entries were left out."""
        self._first: ParseError | None = None

    def entry(self, exc: ParseError) -> None:
        """Leave out the entry ``exc`` was raised for (a broken limit is never an entry's)."""
        if isinstance(exc, LimitExceeded):
            raise exc
        if self._first is None:
            self._first = exc
        self.entries += 1
        self.warnings.append(_left_out("entry_left_out", exc))

    def value(self, code: str, exc: ParseError) -> None:
        """Note a value left out of an entry that is kept (``balance_left_out``...)."""
        self.warnings.append(_left_out(code, exc))

    def optional(
        self, code: str, read: Callable[[], _T], *, location: str | None = None
    ) -> _T | None:
        """Return ``read()``, or None with a warning ``code`` when the value cannot be read (a
        balance, a value date: the entry or statement does without it).

        :param location: where the value stands, when ``read`` raises without naming it.
        """
        try:
            return read()
        except LimitExceeded:
            raise
        except ParseError as exc:
            place = exc.location or location
            self.value(code, ParseError(exc.reason, file=exc.file, location=place))
            return None

    def check(self, transactions: Sized, *, most_read: bool = False) -> None:
        """Raise the first entry's error when nothing was read but entries were left out.

        :param most_read: also raise when more entries were left out than read (a reader that
            guesses its layout: then the guess is wrong, or the file is no bank file at all).
        """
        read = len(transactions)
        if self._first is not None and (not read or (most_read and self.entries > read)):
            raise self._first


def _left_out(code: str, exc: ParseError) -> Problem:
    reason = exc.problem or problem("parser_failed", detail=exc.reason)
    # like every warning it names only the place: the file is the result's
    return Problem(code, {"reason": reason}, None, exc.location)
