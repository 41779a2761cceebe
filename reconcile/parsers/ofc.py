"""OFC statements: Open Financial Connectivity, Microsoft Money's format before OFX.

Brazilian banks (Banco do Brasil, Bradesco, Banrisul...) still offer it for Microsoft Money.
The structure is the OFC DTD (version 2, 1996; libofx ships it as ``ofc.dtd``): an ``<OFC>``
root, then either account statements (``ACCTSTMT``: ``ACCTFROM`` and ``STMTRS``) or a server
session whose ``TRNRS`` hold a ``STMTRS`` without the account. ``STMTRS`` holds ``DTSTART``,
``DTEND``, ``LEDGER`` (the balance) and ``STMTTRN`` entries, each optionally wrapped in
``GENTRN``: ``TRNTYPE`` (a number: 0 credit, 1 debit, 2 interest...), ``DTPOSTED``, ``TRNAMT``
(signed, a comma or a point before the cents), ``FITID``, ``CHKNUM``, ``SIC``, ``PAYEEID``,
``NAME`` or a ``PAYEE`` aggregate, ``ACCTTO`` and any number of ``MEMO``. Leaves are SGML
(unclosed) or closed as XML, as in OFX. OFC names no currency: the statement is read in the
default currency, and without one the file is refused with that reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..errors import ParseError
from ..model import Balance, Direction, ParseSettings, StatementInfo, Transaction
from ..problems import problem
from ._common import LeftOut, gather_statements
from .ofx import Dialect, Node, _amount, _date, _decode, read_text_tree, statement_info
from .ofx_names import party

FORMAT = "ofc"

_OFC_START_BYTES = re.compile(rb"<OFC\s*>", re.I)
_DIALECT = Dialect(
    "OFC",
    frozenset(
        "OFC SONRS MAINTRS MAILRS TRNRS ACCTSTMT ACCTFROM ACCTTO ACCOUNT STMTRS STMTTRN GENTRN "
        "PAYEE ENTITY".split()
    ),
    "ofc_truncated",
)
# TRNTYPE's numbers in the OFC DTD, as OFX's TRNTYPE words
_TRNTYPES = {
    "0": "CREDIT",
    "1": "DEBIT",
    "2": "INT",
    "3": "DIV",
    "4": "SRVCHG",
    "5": "DEP",
    "6": "ATM",
    "7": "XFER",
    "8": "CHECK",
    "9": "PAYMENT",
    "10": "CASH",
    "11": "DIRECTDEP",
    "12": "OTHER",
}
_ACCTTYPES = {
    "0": "CHECKING",
    "1": "SAVINGS",
    "2": "CREDITCARD",
    "3": "MONEYMRKT",
    "4": "CREDITLINE",
    "5": "LOAN",
    "7": "OTHER",
}


def sniff(data: bytes, filename: str) -> bool:
    """True for an ``<OFC>`` root near the start of the file."""
    return _OFC_START_BYTES.search(data[:4096]) is not None


def parse(data: bytes, filename: str, settings: ParseSettings) -> list[Transaction]:
    """Return the transactions of every statement in an OFC file.

    :raises ParseError: for a file without statements, a truncated one, or no default currency.
    """
    return parse_with_statements(data, filename, settings)[0]


def parse_with_statements(
    data: bytes, filename: str, settings: ParseSettings
) -> tuple[list[Transaction], list[StatementInfo]]:
    """Like :func:`parse`, plus one :class:`StatementInfo` per ``STMTRS``."""
    root = read_text_tree(
        _decode(data), filename, max_nodes=settings.max_entries * 40, dialect=_DIALECT
    )
    statements = root.iter("STMTRS")
    if not statements:
        raise ParseError(problem("ofc_no_statement"), file=filename)
    currency = settings.default_currency
    if not currency:
        raise ParseError(problem("ofc_no_currency"), file=filename)
    accounts = {id(s.find("STMTRS")): s.find("ACCTFROM") for s in root.iter("ACCTSTMT")}
    left_out = LeftOut()

    def read() -> Iterator[tuple[list[Transaction], StatementInfo]]:
        for s_index, stmt in enumerate(statements, start=1):
            account = _account(accounts.get(id(stmt)))
            yield _statement(stmt, s_index, account, currency, filename, left_out)

    txs, infos = gather_statements(read(), settings, filename)
    left_out.check(txs)
    return txs, infos


def _account(node: Node | None) -> dict[str, str | None]:
    """ACCTFROM's fields, written directly in it or inside its ACCOUNT aggregate."""
    if node is not None and node.find("ACCOUNT") is not None:
        node = node.find("ACCOUNT")
    fields = ("BANKID", "BRANCHID", "ACCTID", "ACCTTYPE")
    return {f.lower(): node.value(f) if node is not None else None for f in fields}


def _statement(
    stmt: Node,
    s_index: int,
    account: dict[str, str | None],
    currency: str,
    filename: str,
    left_out: LeftOut,
) -> tuple[list[Transaction], StatementInfo]:
    first_left_out = len(left_out.warnings)
    acctid = account["acctid"]
    txs: list[Transaction] = []
    for t_index, trn in enumerate(stmt.iter("STMTTRN"), start=1):
        # GENTRN's tags may be left out (the DTD marks them omissible): its fields then stand
        # in STMTTRN itself
        fields = trn.find("GENTRN") or trn
        try:
            txs.append(
                _transaction(fields, f"{s_index}.{t_index}", acctid or "", currency, filename)
            )
        except ParseError as exc:
            left_out.entry(exc)
    end = stmt.value("DTEND")
    where = problem("at_statement", statement=s_index)
    closing = _ledger(stmt.value("LEDGER"), end, currency, filename, where, left_out)
    start = stmt.value("DTSTART")
    info = statement_info(
        acctid,
        currency,
        txs,
        closing,
        [closing] if closing else [],
        start,
        filename,
        {
            "statement_type": "OFC",
            "bank_id": account["bankid"],
            "branch_id": account["branchid"],
            "account_type": _ACCTTYPES.get(account["accttype"] or "", account["accttype"]),
            "start": start,
            "end": end,
            # the file names no currency: the reader is told which one was assumed
            "warnings": [
                problem("ofc_currency_assumed", currency=currency).at(location=where),
                *left_out.warnings[first_left_out:],
            ],
        },
    )
    return txs, info


def _ledger(
    text: str | None,
    end: str | None,
    currency: str,
    filename: str,
    where: str,
    left_out: LeftOut,
) -> Balance | None:
    """LEDGER, the balance at DTEND; an empty LEDGER (Banco do Brasil writes one) gives none."""
    if text is None:
        return None
    return left_out.optional(
        "balance_left_out",
        lambda: Balance(
            type="LEDGER",
            amount=_amount(text, filename, where, currency),
            currency=currency,
            date=_date(end, filename, where) if end else None,
        ),
    )


def _transaction(trn: Node, where: str, account: str, currency: str, filename: str) -> Transaction:
    fitid = trn.value("FITID")
    label = (
        problem("at_transaction_id", transaction=where, fitid=fitid)
        if fitid
        else problem("at_transaction", transaction=where)
    )
    amount_text, posted = trn.value("TRNAMT"), trn.value("DTPOSTED")
    if amount_text is None:
        raise ParseError(problem("ofx_no_amount"), file=filename, location=label)
    if posted is None:
        raise ParseError(problem("ofx_no_posted"), file=filename, location=label)
    signed = _amount(amount_text, filename, label, currency)
    booking = _date(posted, filename, label)
    # the sign decides, not TRNTYPE: real files mark salary credits with TRNTYPE 1 (debit)
    direction: Direction = "debit" if signed.is_signed() else "credit"
    other = trn.value("ACCTTO/ACCOUNT/ACCTID") or trn.value("ACCTTO/ACCTID")
    memos = [m.text.strip() for m in trn.children if m.tag == "MEMO" and m.text.strip()]
    # the OFX reader's rules: a cheque-only NAME, American Express's padded city, ACH fields
    name, cheque, reference = party(
        None,
        trn.value("NAME"),
        trn.value("PAYEE/NAME") or trn.value("PAYEE/ENTITY/NAME"),
        " ".join(memos),
    )
    raw: dict[str, Any] = {
        leaf.tag.lower(): leaf.text.strip() for leaf in trn.children if not leaf.children
    }
    raw["memo"] = " ".join(memos)
    if cheque:
        raw.setdefault("chknum", cheque)
    raw["statement_type"] = "OFC"
    raw["trntype_name"] = _TRNTYPES.get(raw.get("trntype", ""))
    return Transaction(
        bank_ref=fitid or f"{account}/{booking.isoformat()}/{where}",
        booking_date=booking,
        value_date=None,
        amount=abs(signed),
        direction=direction,
        currency=currency,
        payer_name=name if direction == "credit" else None,
        payer_account=other if direction == "credit" else None,
        payee_name=name if direction == "debit" else None,
        payee_account=other if direction == "debit" else None,
        reference=reference,
        our_account=account,
        source=f"{filename}#transaction={where}",
        raw=raw,
    )
