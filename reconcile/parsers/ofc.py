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

from ..errors import ParseError
from ..model import Balance, ParseSettings, StatementInfo, Transaction
from ..problems import problem
from ._common import LeftOut, gather_statements
from .ofx import Dialect, Node, _decode, read_text_tree, statement_info
from .ofx_entries import required_leaf, signed_transaction, transaction_label
from .ofx_names import party
from .ofx_values import ofx_amount, ofx_date

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
            amount=ofx_amount(text, filename, where, currency),
            currency=currency,
            date=ofx_date(end, filename, where) if end else None,
        ),
    )


def _transaction(trn: Node, where: str, account: str, currency: str, filename: str) -> Transaction:
    label = transaction_label(trn, where)
    amount_text = required_leaf(trn, "TRNAMT", "ofx_no_amount", filename, label)
    posted = required_leaf(trn, "DTPOSTED", "ofx_no_posted", filename, label)
    other = trn.value("ACCTTO/ACCOUNT/ACCTID") or trn.value("ACCTTO/ACCTID")
    memos = [m.text.strip() for m in trn.children if m.tag == "MEMO" and m.text.strip()]
    # the OFX reader's rules: a cheque-only NAME, American Express's padded city, ACH fields
    name, cheque, reference = party(
        None,
        trn.value("NAME"),
        trn.value("PAYEE/NAME") or trn.value("PAYEE/ENTITY/NAME"),
        " ".join(memos),
    )
    raw = trn.leaves()
    raw["memo"] = " ".join(memos)
    if cheque:
        raw.setdefault("chknum", cheque)
    raw["statement_type"] = "OFC"
    raw["trntype_name"] = _TRNTYPES.get(raw.get("trntype", ""))
    return signed_transaction(
        trn.value("FITID"),
        where,
        account,
        filename,
        ofx_amount(amount_text, filename, label, currency),
        ofx_date(posted, filename, label),
        currency=currency,
        counterparty=(name, other),
        reference=reference,
        raw=raw,
    )
