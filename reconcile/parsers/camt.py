"""ISO 20022 cash management: camt.053 statements, camt.052 reports, camt.054 notifications.

Every schema version from ``001.02`` to ``001.14`` is read with one code path: the element names
this parser needs did not change between them (where they moved, e.g. ``Dbtr/Pty/Nm`` in
``001.08`` or ``BICFI`` from ``001.05``, both spellings are tried). National variants that keep
the ISO element names under their own namespace (Austria's Stuzza
``ISO:camt.053.001.02:APC:STUZZA:payments:003``) are read like the ISO version they name. A file
of several camt documents written one after the other (each with its own ``<?xml`` declaration,
as some banks and tools merge a day's statements) is read document by document. A ``Document``
without any namespace (written without the schema) is read by its message element, with a
warning that the file names no version.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from lxml import etree

from ..balances import pick_balance, statement_place
from ..errors import LimitExceeded, ParseError
from ..model import Balance, Direction, ParseSettings, StatementInfo, Transaction
from ..own import OwnParty
from ..problems import Problem, problem
from ._common import LeftOut, gather_statements, secure_xml_root
from .camt_details import DetailReader, Part, Party, return_sides
from .camt_summary import summary_problems
from .camt_values import (
    CLOSING_CODES,
    OPENING_CODES,
    bank_zone,
    credit_category,
    currency_or_none,
    entry_reference,
    parse_amount,
    parse_date,
    period_last_day,
    returns_payment,
    transaction_text,
    unbalanced,
)
from .camt_xml import MESSAGES, RECORDS, find_document, repair_encoding, split_documents

FORMAT = "camt"


def sniff(data: bytes, filename: str) -> bool:
    """True when the bytes look like an ISO 20022 camt message (any namespace, even a wrong one)."""
    head = data[:4096]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 XML, which lxml reads from its BOM
        head = head.decode("utf-16", errors="ignore").encode()
    head = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"<"):
        return False
    return any(m.encode() in head for m in MESSAGES.values()) or b"camt.05" in head


def parse(data: bytes, filename: str, settings: ParseSettings) -> list[Transaction]:
    """Return the transactions of a camt.052/053/054 message.

    :raises ParseError: for a DOCTYPE, malformed XML, a namespace that is not camt.052/053/054
        001.02-001.14, a message without statements, or an entry that lacks a date or currency.
    """
    return parse_with_statements(data, filename, settings)[0]


def parse_with_statements(
    data: bytes, filename: str, settings: ParseSettings
) -> tuple[list[Transaction], list[StatementInfo]]:
    """Like :func:`parse`, plus one :class:`StatementInfo` per ``Stmt``/``Rpt``/``Ntfctn``."""
    reader_records: list[tuple[_Reader, etree._Element, str | None, dict[str, Any]]] = []
    for part in split_documents(data):
        reader_records.extend(_records(part, filename, settings))

    left_out = LeftOut()

    def read() -> Iterator[tuple[list[Transaction], StatementInfo]]:
        # statements are numbered through the whole file, so "entry 2.1" is unambiguous
        for s_index, (reader, record, group_created, message_raw) in enumerate(
            reader_records, start=1
        ):
            info, txs = reader.record(record, s_index, group_created, left_out)
            own = info.raw.get("warnings", [])
            info.raw = {**message_raw, **info.raw}
            if message_raw.get("warnings"):  # the document's, then the statement's own
                info.raw["warnings"] = [*message_raw["warnings"], *own]
            yield txs, info

    txs, infos = gather_statements(read(), settings, filename)
    left_out.check(txs)
    return txs, infos


def _records(
    data: bytes, filename: str, settings: ParseSettings
) -> list[tuple[_Reader, etree._Element, str | None, dict[str, Any]]]:
    """Each ``Stmt``/``Rpt``/``Ntfctn`` of one document, with its reader and message facts."""
    data, repaired = repair_encoding(data)
    root = secure_xml_root(data, filename)
    doc, ns, kind = find_document(root, filename)
    warnings = [problem("camt_not_utf8")] if repaired else []
    if not ns:
        warnings.append(problem("camt_no_namespace", kind=kind, element=MESSAGES[kind]))
    reader = _Reader(ns, filename, settings)
    message = doc.find(f"{{{ns}}}{MESSAGES[kind]}")
    if message is None:
        raise ParseError(
            problem("camt_no_message", kind=kind, element=MESSAGES[kind]), file=filename
        )
    records = message.findall(f"{{{ns}}}{RECORDS[kind]}")
    if not records:
        raise ParseError(
            problem("camt_no_records", kind=kind, element=RECORDS[kind]), file=filename
        )
    group_created = reader.text(message, "GrpHdr/CreDtTm")
    message_raw: dict[str, Any] = {
        "namespace": ns,
        "message_element": MESSAGES[kind],
        "message_id": reader.text(message, "GrpHdr/MsgId"),
        "group_created": group_created,
        "page_number": reader.text(message, "GrpHdr/MsgPgntn/PgNb"),
        "last_page": reader.text(message, "GrpHdr/MsgPgntn/LastPgInd"),
        "original_business_query_message_id": reader.text(message, "GrpHdr/OrgnlBizQry/MsgId"),
    }
    if warnings:
        message_raw["warnings"] = warnings
    return [(reader, record, group_created, message_raw) for record in records]


def _closing(balances: list[Balance]) -> Balance | None:
    """The closing balance: the booked one (CLBD), else an interim or available one."""
    return pick_balance(balances, CLOSING_CODES[:1]) or pick_balance(balances, CLOSING_CODES[1:])


@dataclass
class _Record:
    """What one ``Stmt``/``Rpt``/``Ntfctn`` says about its account."""

    stmt_id: str
    account: str
    account_currency: str | None
    zone: zoneinfo.ZoneInfo | None
    created: str | None
    ours: OwnParty
    """The statement's account and owner besides the settings' own accounts and names."""
    undated: tuple[dt.date, Problem] | None = None
    """The day an entry without dates is booked on, and the warning that says which it is."""
    warnings: list[str] = field(default_factory=list)


class _Reader(DetailReader):
    """Maps one camt message's records, entries and transaction details onto the model."""

    def __init__(self, ns: str, filename: str, settings: ParseSettings) -> None:
        super().__init__(ns)
        self.filename = filename
        self.settings = settings

    # -- records ---------------------------------------------------------------------------
    def record(
        self, rec: etree._Element, s_index: int, group_created: str | None, left_out: LeftOut
    ) -> tuple[StatementInfo, list[Transaction]]:
        """Read one statement; an entry that cannot be read is left out, noted in ``left_out``."""
        first_left_out = len(left_out.warnings)
        acct = self.find(rec, "Acct")
        account = self.text(acct, "Id/IBAN", "Id/Othr/Id") or ""
        bic = self.text(acct, "Svcr/FinInstnId/BIC", "Svcr/FinInstnId/BICFI")
        zone = bank_zone(account, bic)
        owner = self.text(acct, "Ownr/Nm")
        own = self.settings.own
        info = _Record(
            stmt_id=self.text(rec, "Id") or f"#{s_index}",
            account=account,
            account_currency=currency_or_none(self.text(acct, "Ccy")),
            zone=zone,
            created=self.text(rec, "CreDtTm") or group_created,
            ours=OwnParty.of([*own.accounts, account], [*own.names, owner or ""]),
        )
        balances = [
            balance
            for b in self.findall(rec, "Bal")
            if (balance := self._balance(b, info, left_out)) is not None
        ]
        closing = _closing(balances)
        info.undated = self._undated_day(rec, closing, info)
        txs: list[Transaction] = []
        entries = self.findall(rec, "Ntry")
        entry_count = len(entries)
        for e_index, entry in enumerate(entries, start=1):
            try:
                txs.extend(self._entry(entry, info, f"{s_index}.{e_index}"))
            except ParseError as exc:
                left_out.entry(exc)
            if len(txs) > self.settings.max_entries:
                raise LimitExceeded(
                    problem("too_many_transactions", limit=self.settings.max_entries),
                    file=self.filename,
                )
        opening = pick_balance(balances, OPENING_CODES)
        currency = info.account_currency or (
            opening.currency if opening else (txs[0].currency if txs else None)
        )
        if currency is None and self.settings.default_currency:
            currency = self.settings.default_currency
        stmt = StatementInfo(
            statement_id=info.stmt_id,
            account=account or None,
            currency=currency,
            opening_balance=opening.amount if opening else None,
            closing_balance=closing.amount if closing else None,
            opening_date=opening.date if opening else None,
            closing_date=closing.date if closing else None,
            balances=balances,
            transaction_count=len(txs),
            raw={
                "created": info.created,
                "electronic_sequence_number": self.text(rec, "ElctrncSeqNb"),
                "legal_sequence_number": self.text(rec, "LglSeqNb"),
                "copy_duplicate_indicator": self.text(rec, "CpyDplctInd"),
                "page_number": self.text(
                    rec, "StmtPgntn/PgNb", "RptPgntn/PgNb", "NtfctnPgntn/PgNb"
                ),
                "last_page": self.text(
                    rec, "StmtPgntn/LastPgInd", "RptPgntn/LastPgInd", "NtfctnPgntn/LastPgInd"
                ),
                "from": self.text(rec, "FrToDt/FrDtTm"),
                "to": self.text(rec, "FrToDt/ToDtTm"),
                "account_currency": info.account_currency,
                "account_owner": owner,
                "bank_bic": bic,
                "bank_name": self.text(acct, "Svcr/FinInstnId/Nm"),
                "entry_count": entry_count,
            },
        )
        where = statement_place(s_index, info.stmt_id, account)
        warnings = [*left_out.warnings[first_left_out:], *unbalanced(balances, txs, where)]
        warnings += summary_problems(self, rec, entries, currency, where)
        if warnings:
            stmt.raw["warnings"] = warnings
        return stmt, txs

    def _undated_day(
        self, rec: etree._Element, closing: Balance | None, info: _Record
    ) -> tuple[dt.date, Problem] | None:
        """The day of the statement that an entry without any date is booked on, and the warning
        saying which: the last day of its period (``FrToDt``), else its closing balance's day.

        Both name the day the statement reports; the creation date (left to the caller when
        there is neither) is often the next morning (Bank of Montreal's statement for 22
        November is made on the 23rd).
        """
        last = period_last_day(
            self.text(rec, "FrToDt/FrDtTm"), self.text(rec, "FrToDt/ToDtTm"), info.zone
        )
        if last is not None:
            return last, problem("camt_period_end_used", date=last.isoformat())
        if closing is not None and closing.date is not None:
            return closing.date, problem("camt_closing_date_used", date=closing.date.isoformat())
        return None

    def _balance(self, bal: etree._Element, info: _Record, left_out: LeftOut) -> Balance | None:
        code = self.text(bal, "Tp/CdOrPrtry/Cd", "Tp/CdOrPrtry/Prtry") or "?"
        amt_el = self.find(bal, "Amt")
        date_text = self.text(bal, "Dt/Dt", "Dt/DtTm")
        where = problem("at_balance", kind=code)
        # a balance is no reason to lose the statement's entries
        read = left_out.optional(
            "balance_left_out",
            lambda: (
                self._amount(amt_el, where),
                self._date(date_text, info, where) if date_text else None,
            ),
        )
        if read is None:
            return None
        amount, date = read
        if self.text(bal, "CdtDbtInd") == "DBIT":
            amount = -amount
        # a balance without a currency is still worth showing; the entries insist on one
        currency = (
            currency_or_none(amt_el.get("Ccy") if amt_el is not None else None)
            or info.account_currency
            or self.settings.default_currency
            or ""
        )
        return Balance(type=code, amount=amount, currency=currency, date=date)

    def _entry(self, entry: etree._Element, info: _Record, where: str) -> list[Transaction]:
        at = problem("at_entry", entry=where)
        entry_amt_el = self.find(entry, "Amt")
        entry_amount = self._amount(entry_amt_el, at)
        entry_dir = self._direction(entry, at)
        warnings: list[str] = []
        booking, value_date = self._dates(entry, info, where, warnings)
        status = self.text(entry, "Sts/Cd", "Sts/Prtry", "Sts")
        if status and status != "BOOK":
            warnings.append(problem("camt_not_booked", status=status))
        reversal = (self.text(entry, "RvslInd") or "").lower() in ("true", "1")
        details = self.findall(entry, "NtryDtls/TxDtls")
        entry_raw: dict[str, Any] = {
            "statement_id": info.stmt_id,
            "entry": where,
            "entry_ref": self.text(entry, "NtryRef"),
            "entry_acct_svcr_ref": self.text(entry, "AcctSvcrRef"),
            "status": status,
            "entry_bank_tx_code": self.tx_code(entry),
            "proprietary_tx_code": self.text(entry, "BkTxCd/Prtry/Cd"),
            "additional_entry_info": self.text(entry, "AddtlNtryInf"),
            "entry_amount": str(entry_amount),
            "tx_details_count": len(details),
            # a collective booking names its batch (the payment order a company sent) and how
            # many payments it holds, even when the bank lists none of them
            "batch_payment_info_id": self.text(entry, "NtryDtls/Btch/PmtInfId"),
            "batch_count": self.text(entry, "NtryDtls/Btch/NbOfTxs"),
            # what the bank charged for the whole entry (PostFinance's 5.20 for a collective
            # credit of ten payments), beside each part as the entry's fact like entry_amount;
            # "charges" is each transaction's own, so nothing is counted twice
            **{f"entry_{key}": value for key, value in self.charges(entry).items()},
        }
        parts = self._parts(details, entry_amount, entry_amt_el, entry_raw, warnings)
        out: list[Transaction] = []
        for t_index, part in enumerate(parts, start=1):
            split = len(parts) > 1
            out.append(
                self._transaction(
                    entry=entry,
                    part=part,
                    direction=(
                        self._direction(part.details[0], at, entry_dir) if split else entry_dir
                    ),
                    booking=booking,
                    value_date=value_date,
                    reversal=reversal,
                    info=info,
                    where=f"{where}.{t_index}" if split else where,
                    batch_index=t_index if split else None,
                    warnings=list(warnings),
                    entry_raw=entry_raw,
                )
            )
        return out

    def _dates(
        self, entry: etree._Element, info: _Record, where: str, warnings: list[str]
    ) -> tuple[dt.date, dt.date | None]:
        """The booking and value day of an entry; a stand-in for a missing one is warned of.

        :raises ParseError: for a date that is no date, or an entry without any date in a
            statement that names no day of its own either.
        """
        at = problem("at_entry", entry=where)
        booking_text = self.text(entry, "BookgDt/Dt", "BookgDt/DtTm")
        value_text = self.text(entry, "ValDt/Dt", "ValDt/DtTm")
        value_date = None
        if value_text:
            try:
                value_date = self._date(value_text, info, at)
            except ParseError as exc:
                if not booking_text or exc.problem is None:
                    raise
                warnings.append(problem("value_date_left_out", reason=exc.problem))
        if booking_text:
            return self._date(booking_text, info, at), value_date
        if value_date:
            warnings.append(problem("camt_value_date_used"))
            return value_date, value_date
        if info.undated is not None:
            day, used = info.undated
            warnings.append(used)
            return day, None
        if info.created:
            warnings.append(problem("camt_creation_date_used"))
            return self._date(info.created, info, at), None
        raise ParseError(problem("camt_no_date"), file=self.filename, location=at)

    def _parts(
        self,
        details: list[etree._Element],
        amount: Decimal,
        amt_el: etree._Element | None,
        entry_raw: dict[str, Any],
        warnings: list[str],
    ) -> list[Part]:
        """The transactions an entry is told as: one per TxDtls when their amounts add up to
        what was booked, else the entry whole (and a warning when it has several details)."""
        stated = [self._detail_amount(d) for d in details]
        entry_ccy = amt_el.get("Ccy") if amt_el is not None else None
        adds_up = (
            all(a is not None and el is not None and el.get("Ccy") == entry_ccy for a, el in stated)
            and sum((a for a, _ in stated if a is not None), Decimal(0)) == amount
        )
        if len(details) > 1 and adds_up:
            return [
                Part([d], a, el)
                for d, (a, el) in zip(details, stated, strict=True)
                if a is not None
            ]
        count = entry_raw["batch_count"] or ""
        # A batch of more payments than the file details (genkgo's camt.052: NbOfTxs 20, one
        # TxDtls without an amount): what is listed does not account for the booked total, so
        # none of it is told as the entry's (the listed parts stay in raw)
        partial = bool(details) and count.isdigit() and int(count) > len(details) and not adds_up
        if partial:
            warnings.append(
                problem("camt_batch_incomplete", count=count, listed=len(details), amount=amount)
            )
        elif len(details) > 1:
            # The parts do not add up to what was booked (no individual amounts, another
            # currency, fees netted): splitting would invent figures, so keep the booked
            # total as one transaction with every part's references, and say so.
            warnings.append(problem("camt_batch_kept", count=len(details), amount=amount))
        return [Part(details, amount, amt_el, partial=partial)]

    def _detail_amount(
        self, detail: etree._Element
    ) -> tuple[Decimal | None, etree._Element | None]:
        for path in ("Amt", "AmtDtls/TxAmt/Amt", "AmtDtls/CntrValAmt/Amt", "AmtDtls/InstdAmt/Amt"):
            el = self.find(detail, path)
            if el is not None and el.text and el.text.strip():
                return self._amount(el, problem("at_details")), el
        return None, None

    def _transaction(
        self,
        *,
        entry: etree._Element,
        part: Part,
        direction: Direction,
        booking: dt.date,
        value_date: dt.date | None,
        reversal: bool,
        info: _Record,
        where: str,
        batch_index: int | None,
        warnings: list[str],
        entry_raw: dict[str, Any],
    ) -> Transaction:
        details = part.details
        first = details[0] if details else None
        # the part that speaks for the transaction: none for a batch listed only in part
        lead = None if part.partial else first
        debtor = self.party(first, "Dbtr", "DbtrAcct", "DbtrAgt")
        creditor = self.party(first, "Cdtr", "CdtrAcct", "CdtrAgt")
        refs: dict[str, str | None] = {
            "acct_svcr_ref": self.text(first, "Refs/AcctSvcrRef"),
            "end_to_end_id": self.text(first, "Refs/EndToEndId"),
            "instr_id": self.text(first, "Refs/InstrId"),
            "tx_id": self.text(first, "Refs/TxId"),
            "msg_id": self.text(first, "Refs/MsgId"),
            "pmt_inf_id": self.text(first, "Refs/PmtInfId"),
            "uetr": self.text(first, "Refs/UETR"),
            "proprietary_ref": self.text(first, "Refs/Prtry/Ref"),
            "proprietary_ref_type": self.text(first, "Refs/Prtry/Tp"),
            # a direct debit's mandate and a cheque's number: what the payment was collected
            # under, or the cheque it paid
            "mandate_id": self.text(first, "Refs/MndtId"),
            "cheque_number": self.text(first, "Refs/ChqNb"),
        }
        unstructured: list[str] = []
        structured: list[str] = []
        for d in details:
            unstructured.extend(self.remittance_lines(d))
            structured.extend(self.texts(d, "RmtInf/Strd/CdtrRefInf/Ref"))
            structured.extend(self.texts(d, "RmtInf/Strd/RfrdDocInf/Nb"))
        additional_tx = self.text(first, "AddtlTxInf")
        currency = self._currency(part.amt_el, info, problem("at_entry", entry=where))
        raw: dict[str, Any] = dict(entry_raw)
        raw.update(refs)
        raw.update(
            {
                "bank_tx_code": self.tx_code(first) or entry_raw["entry_bank_tx_code"],
                # German banks put the DK code (NTRF+020: SEPA credit transfer) on the part
                "proprietary_tx_code": self.text(first, "BkTxCd/Prtry/Cd")
                or entry_raw["proprietary_tx_code"],
                # a SEPA direct debit's creditor identifier (DE98ZZZ09999999999)
                "creditor_id": creditor.creditor_id,
                "remittance_unstructured": unstructured,
                "creditor_references": structured,
                "additional_info": additional_tx,
                "debtor_name": debtor.name,
                "debtor_account": debtor.account,
                "debtor_agent": debtor.agent,
                "debtor_country": debtor.country,
                "creditor_name": creditor.name,
                "creditor_account": creditor.account,
                "creditor_agent": creditor.agent,
                "creditor_country": creditor.country,
                "ultimate_debtor": debtor.ultimate,
                "ultimate_creditor": creditor.ultimate,
                "creditor_reference_type": self.text(
                    first,
                    "RmtInf/Strd/CdtrRefInf/Tp/CdOrPrtry/Cd",
                    "RmtInf/Strd/CdtrRefInf/Tp/CdOrPrtry/Prtry",
                ),
                # a returned or rejected payment names why (AC04 account closed...)
                "return_reason": self.text(first, "RtrInf/Rsn/Cd", "RtrInf/Rsn/Prtry"),
                "return_info": " ".join(self.texts(first, "RtrInf/AddtlInf")) or None,
                # a QR-bill's message, or a bank's own codes: kept, but not the reference
                "remittance_additional": [
                    t for d in details for t in self.texts(d, "RmtInf/Strd/AddtlRmtInf")
                ],
                # fees the bank took, on the part or else on the entry: what a fee tolerance
                # compares with; a part split off a batch never gets the whole entry's fees
                **self.charges(
                    first
                    if batch_index is not None or (lead is not None and self.has_charges(lead))
                    else entry
                ),
                # what the payer sent in another currency (an invoice in EUR, booked in SEK)
                **self.foreign_amount(lead, entry, currency, whole=batch_index is None),
            }
        )
        returned = reversal or returns_payment(raw)
        payer, payee = self._sides(lead, debtor, creditor, direction, returned, info)
        return Transaction(
            bank_ref=entry_reference(
                refs if lead is not None else dict.fromkeys(refs), entry_raw, batch_index
            )
            or f"{info.stmt_id}/{where}",
            booking_date=booking,
            value_date=value_date,
            amount=part.amount,
            direction=direction,
            currency=currency,
            reference=transaction_text(raw, partial=part.partial, split=batch_index is not None),
            our_account=info.account,
            # without the party itself, the one it paid or was paid for (UltmtDbtr/UltmtCdtr)
            payer_name=payer.display_name,
            payer_account=payer.account,
            payer_bank=payer.agent,
            payee_name=payee.display_name,
            payee_account=payee.account,
            source=f"{self.filename}#entry={where}",
            raw=raw,
            warnings=warnings,
            reversal=reversal,
            category=credit_category(
                raw["bank_tx_code"], raw["return_reason"] or raw["return_info"]
            )
            if direction == "credit"
            else "",
        )

    def _sides(
        self,
        lead: etree._Element | None,
        debtor: Party,
        creditor: Party,
        direction: Direction,
        returned: bool,
        info: _Record,
    ) -> tuple[Party, Party]:
        """The payer and the payee of a transaction, as the money of this entry moves.

        The parties of a return or reversal may be named as in the payment it undoes: the
        customer it goes back to is then whichever is not us (see :func:`return_sides`).
        """
        if lead is None:
            return Party(), Party()
        if not returned:
            return debtor, creditor
        customer, us = return_sides(debtor, creditor, debit=direction == "debit", ours=info.ours)
        return (us, customer) if direction == "debit" else (customer, us)

    # -- values ----------------------------------------------------------------------------
    def _direction(
        self, el: etree._Element, where: str, default: Direction | None = None
    ) -> Direction:
        ind = self.text(el, "CdtDbtInd")
        if ind == "CRDT":
            return "credit"
        if ind == "DBIT":
            return "debit"
        if ind is None and default is not None:
            return default
        raise ParseError(
            problem("camt_bad_indicator", value=repr(ind)), file=self.filename, location=where
        )

    def _currency(self, amt_el: etree._Element | None, info: _Record, where: str) -> str:
        currency = currency_or_none(amt_el.get("Ccy") if amt_el is not None else None)
        currency = currency or info.account_currency or self.settings.default_currency
        if not currency:
            raise ParseError(problem("camt_no_currency"), file=self.filename, location=where)
        return currency

    def _amount(self, el: etree._Element | None, where: str) -> Decimal:
        text = (el.text or "").strip() if el is not None else ""
        return parse_amount(text, self.filename, where)

    def _date(self, text: str, info: _Record, where: str) -> dt.date:
        return parse_date(text, info.zone, self.filename, where)
