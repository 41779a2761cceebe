"""OFX and QFX statements: OFX 1.x (SGML, unclosed leaf tags) and OFX 2.x (XML).

A small tolerant reader is used instead of ofxtools: on the real-world files in the conformance
corpus ofxtools rejects five of thirteen (a 10-digit BANKID, a missing LEDGERBAL, blank lines before
the header, bank transactions inside an investment statement hit a RecursionError) and it turns
posting times into UTC, which moves a late-evening entry to the next day. Here the bank's own
calendar day is kept, and every quirk the corpus shows is read (CDATA, empty tags, ``[-3:GMT]``
and ``:014`` time suffixes, decimal commas, several statements, a body on one line).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..errors import LimitExceeded, ParseError
from ..model import Balance, ParseSettings, StatementInfo, Transaction
from ..problems import Problem, problem
from ._common import LeftOut, gather_statements, sgml_text
from .ofx_entries import required_leaf, signed_transaction, transaction_label
from .ofx_names import bank_entry, party
from .ofx_values import currency_code, ofx_amount, ofx_date

FORMAT = "ofx"

_MAX_DEPTH = 64
# <TAG>, </TAG> and the XML empty element <TAG/> (ofxstatement writes <DTSTART/>, <BALAMT/>)
_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9._]*)\s*(/?)>")
_CDATA_RE = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.S)
_COMMENT_RE = re.compile(r"<!--.*?-->", re.S)
# some banks write the root tag with a space: <OFX > (seen in QFX downloads)
_OFX_START = re.compile(r"<OFX\s*>", re.I)
_OFX_START_BYTES = re.compile(rb"<OFX\s*>")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_STATEMENTS = {"STMTRS": "BANKACCTFROM", "CCSTMTRS": "CCACCTFROM", "INVSTMTRS": "INVACCTFROM"}
_RESPONSES = ("STMTTRNRS", "CCSTMTTRNRS", "INVSTMTTRNRS", "SONRS")
# Aggregates that hold elements even when a bank forgets to close them (Nubank never closes
# BANKTRANLIST); any other tag without a closing tag anywhere in the file is an SGML leaf.
_AGGREGATES = frozenset(
    "OFX SIGNONMSGSRSV1 SONRS STATUS FI BANKMSGSRSV1 STMTTRNRS STMTRS BANKACCTFROM BANKACCTTO "
    "BANKTRANLIST STMTTRN PAYEE LEDGERBAL AVAILBAL BALLIST BAL CURRENCY ORIGCURRENCY "
    "CREDITCARDMSGSRSV1 CCSTMTTRNRS CCSTMTRS CCACCTFROM CCACCTTO INVSTMTMSGSRSV1 INVSTMTTRNRS "
    "INVSTMTRS INVACCTFROM INVTRANLIST INVBANKTRAN INVPOSLIST INVBAL SECLISTMSGSRSV1 "
    "SECLIST".split()
)


def sniff(data: bytes, filename: str) -> bool:
    """True for an OFX 1.x header, an OFX 2.x processing instruction or a bare ``<OFX>`` body."""
    if data[:2] in _UTF16_BOMS:
        head = data[:8192].decode("utf-16", errors="replace").upper().encode()
    else:
        head = data[:4096].upper()
    return b"OFXHEADER" in head or _OFX_START_BYTES.search(head) is not None


@dataclass
class Node:
    """One OFX element: an aggregate (children) or a leaf (text)."""

    tag: str
    text: str = ""
    children: list[Node] = field(default_factory=list)

    def find(self, path: str) -> Node | None:
        """The first descendant along ``A/B/C`` (direct children at each step)."""
        node: Node | None = self
        for part in path.split("/"):
            if node is None:
                return None
            node = next((c for c in node.children if c.tag == part), None)
        return node

    def value(self, path: str) -> str | None:
        """The stripped text of the leaf at ``path``; ``None`` when absent or empty."""
        node = self.find(path)
        text = node.text.strip() if node is not None else ""
        return text or None

    def leaves(self) -> dict[str, Any]:
        """The stripped text of each leaf child by its tag in lower case (an entry's ``raw``)."""
        return {c.tag.lower(): c.text.strip() for c in self.children if not c.children}

    def iter(self, tag: str) -> list[Node]:
        """Every descendant (any depth) with ``tag``, in document order."""
        found: list[Node] = []
        stack = list(reversed(self.children))
        while stack:
            node = stack.pop()
            if node.tag == tag:
                found.append(node)
            stack.extend(reversed(node.children))
        return found


def parse(data: bytes, filename: str, settings: ParseSettings) -> list[Transaction]:
    """Return the bank transactions of every statement in an OFX/QFX file.

    :raises ParseError: for a file that is not OFX, a server error status without statements,
        a transaction without a valid date or amount, or no currency.
    """
    return parse_with_statements(data, filename, settings)[0]


def parse_with_statements(
    data: bytes, filename: str, settings: ParseSettings
) -> tuple[list[Transaction], list[StatementInfo]]:
    """Like :func:`parse`, plus one :class:`StatementInfo` per statement aggregate."""
    text = _decode(data)
    root = _tree(text, filename, max_nodes=settings.max_entries * 40)
    header = _header(text)
    statements = [s for tag in _STATEMENTS for s in root.iter(tag)]
    if not statements:
        for response in (r for tag in _RESPONSES for r in root.iter(tag)):
            if (response.value("STATUS/SEVERITY") or "").upper() == "ERROR":
                code = response.value("STATUS/CODE") or "?"
                message = response.value("STATUS/MESSAGE") or "no message"
                raise ParseError(
                    problem("ofx_server_error", code=code, message=message), file=filename
                )
        raise ParseError(problem("ofx_no_statement"), file=filename)

    left_out = LeftOut()

    def read() -> Iterator[tuple[list[Transaction], StatementInfo]]:
        for s_index, stmt in enumerate(statements, start=1):
            txs, info = _statement(stmt, s_index, filename, settings, left_out)
            info.raw.update(header)
            yield txs, info

    txs, infos = gather_statements(read(), settings, filename)
    left_out.check(txs)
    if not txs and all(info.raw["statement_type"] == "INVSTMTRS" for info in infos):
        # an investment (brokerage, 401k) download without one cash movement: nothing in it is
        # a bank entry, and answering "0 transactions" would hide that the wrong file was given
        count = sum(int(info.raw["security_transactions"]) for info in infos)
        raise ParseError(problem("ofx_investment_only", count=count), file=filename)
    return txs, infos


def read_tree(data: bytes, filename: str, *, max_nodes: int = 10_000_000) -> Node:
    """Read the OFX body (SGML or XML) into a tree of :class:`Node`.

    :param data: the file's bytes (UTF-8, else CP1252 as OFX 1.x files declare).
    :param filename: used in error messages.
    :param max_nodes: most elements read before giving up.
    :raises ParseError: when there is no ``<OFX>`` element, for a DOCTYPE, or nesting too deep.
    :raises LimitExceeded: for more than ``max_nodes`` elements.
    """
    return _tree(_decode(data), filename, max_nodes=max_nodes)


@dataclass(frozen=True)
class Dialect:
    """What tells one SGML money format from another: its root and its aggregates."""

    root: str
    """The root element's tag (``OFX``; ``OFC`` for Microsoft Money's older format)."""
    aggregates: frozenset[str]
    """Aggregates read as such even where a file never closes them."""
    truncated: str
    """The problem code for a file whose root is never closed."""


OFX_DIALECT = Dialect("OFX", _AGGREGATES, "ofx_truncated")


def _body(text: str, filename: str, dialect: Dialect) -> str:
    """The text from the first root tag on, without comments, CDATA turned into text."""
    upper = text.upper()
    if "<!DOCTYPE" in upper or "<!ENTITY" in upper:
        raise ParseError(problem("ofx_doctype"), file=filename)
    start_re = re.compile(rf"<{dialect.root}\s*>", re.I)
    opening = start_re.search(text)
    if opening is None:
        raise ParseError(problem("ofx_no_root"), file=filename)
    start = opening.start()
    # every real OFX file, SGML or XML, closes its OFX aggregate (each of them, in a file of
    # several downloads written one after the other); without it transactions may be missing
    end_re = re.compile(rf"</{dialect.root}\s*>", re.I)
    if len(end_re.findall(text, start)) < len(start_re.findall(text, start)):
        raise ParseError(problem(dialect.truncated), file=filename)
    body = _COMMENT_RE.sub("", text[start:])
    return _CDATA_RE.sub(lambda m: html.escape(m.group(1), quote=False), body)


def read_text_tree(text: str, filename: str, *, max_nodes: int, dialect: Dialect) -> Node:
    """Read a decoded SGML or XML body of ``dialect`` into a tree of :class:`Node`.

    :raises ParseError: when there is no root element, for a DOCTYPE, or nesting too deep.
    :raises LimitExceeded: for more than ``max_nodes`` elements.
    """
    return _tree(text, filename, max_nodes=max_nodes, dialect=dialect)


def _tree(text: str, filename: str, *, max_nodes: int, dialect: Dialect = OFX_DIALECT) -> Node:
    body = _body(text, filename, dialect)
    closed = {m.group(2).upper() for m in _TAG_RE.finditer(body) if m.group(1)}
    aggregates = closed | dialect.aggregates
    root = Node("#root")
    stack = [root]
    count = 0
    pos = 0
    for match in _TAG_RE.finditer(body):
        between = body[pos : match.start()]
        pos = match.end()
        if between.strip() and len(stack) > 1 and not stack[-1].children:
            stack[-1].text += sgml_text(between)
        closing, tag = match.group(1) == "/", match.group(2).upper()
        if closing:
            if any(n.tag == tag for n in stack[1:]):
                while stack[-1].tag != tag:
                    stack.pop()
                stack.pop()
            continue
        top = stack[-1]
        # an SGML leaf is never closed: it ends where the next tag starts
        if len(stack) > 1 and not top.children and (top.text.strip() or top.tag not in aggregates):
            stack.pop()
        node = Node(tag)
        stack[-1].children.append(node)
        if not match.group(3):  # an empty element <TAG/> holds nothing and needs no closing
            stack.append(node)
        count += 1
        if len(stack) > _MAX_DEPTH:
            raise ParseError(problem("ofx_too_deep", limit=_MAX_DEPTH), file=filename)
        if count > max_nodes:
            raise LimitExceeded(problem("ofx_too_many_elements", limit=max_nodes), file=filename)
    tail = body[pos:]
    if tail.strip() and len(stack) > 1 and not stack[-1].children:
        stack[-1].text += sgml_text(tail)
    return _joined(root, filename, dialect.root)


def _joined(root: Node, filename: str, tag: str) -> Node:
    """The one OFX aggregate, or several (one per download in the file) joined into the first."""
    documents = [c for c in root.children if c.tag == tag]
    if not documents:
        raise ParseError(problem("ofx_no_root"), file=filename)
    # banks' sites collate several months' downloads into one file, each with its own header
    # and OFX aggregate: the statements of all of them are read, in file order
    ofx = documents[0]
    for later in documents[1:]:
        ofx.children.extend(later.children)
    return ofx


def read_header(data: bytes) -> dict[str, Any]:
    """The header before ``<OFX>``: ``{"header_style": "sgml"|"xml"|"none", "header": {...}}``.

    OFX 1.x writes ``KEY:VALUE`` lines, OFX 2.x an ``<?OFX KEY="VALUE"...?>`` instruction.

    :param data: the file's bytes.
    """
    return _header(_decode(data))


def _header(text: str) -> dict[str, Any]:
    start = _OFX_START.search(text)
    head = text[: start.start() if start else 0]
    pi = re.search(r"<\?OFX\s+([^?]*)\?>", head, re.I)
    if pi:
        fields = dict(re.findall(r'([A-Z]+)="([^"]*)"', pi.group(1), re.I))
        return {"header_style": "xml", "header": {k.upper(): v for k, v in fields.items()}}
    lines = dict(re.findall(r"^\s*([A-Z]+):(.*?)\s*$", head, re.M))
    if lines:
        return {"header_style": "sgml", "header": lines}
    return {"header_style": "none", "header": {}}


def _decode(data: bytes) -> str:
    if data[:2] in _UTF16_BOMS:
        return data.decode("utf-16", errors="replace")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # OFX 1.x declares CHARSET:1252 (Windows Latin-1) in nearly every real file
        return data.decode("cp1252", errors="replace")


def _statement(
    stmt: Node, s_index: int, filename: str, settings: ParseSettings, left_out: LeftOut
) -> tuple[list[Transaction], StatementInfo]:
    first_left_out = len(left_out.warnings)
    account_node = stmt.find(_STATEMENTS[stmt.tag])
    account = account_node.value("ACCTID") if account_node else None
    currency = (stmt.value("CURDEF") or "").upper() or settings.default_currency
    # iter, not find: after an unclosed BANKTRANLIST the balances end up inside it
    ledger, avail = (
        _balance(next(iter(stmt.iter(tag)), None), kind, currency, filename, left_out)
        for tag, kind in (("LEDGERBAL", "LEDGER"), ("AVAILBAL", "AVAIL"))
    )
    # every list, not only the first: some exports (OCA's test files, Odoo's own OFX writer)
    # give each transaction its own BANKTRANLIST inside one statement
    securities: list[str] = []
    if stmt.tag == "INVSTMTRS":
        tran_lists = [c for c in stmt.children if c.tag == "INVTRANLIST"]
        trns = [
            t
            for tran_list in tran_lists
            for b in tran_list.iter("INVBANKTRAN")
            for t in b.children
            if t.tag == "STMTTRN"
        ]
        # buys, sells, reinvestments...: security trades, not money on a bank account
        securities = [
            c.tag
            for tran_list in tran_lists
            for c in tran_list.children
            if c.children and c.tag != "INVBANKTRAN"
        ]
    else:
        tran_lists = [c for c in stmt.children if c.tag == "BANKTRANLIST"]
        # every STMTTRN of the statement, also one a bank (or a broken list) puts outside a
        # BANKTRANLIST: a transaction is never dropped for where it stands
        trns = _own_transactions(stmt)
    if trns and not currency:
        raise ParseError(
            problem("ofx_no_currency"),
            file=filename,
            location=problem("at_statement", statement=s_index),
        )
    warnings: list[str] = []
    txs: list[Transaction] = []
    for t_index, trn in enumerate(trns, start=1):
        where = f"{s_index}.{t_index}"
        if (trn.value("TRNAMT") or "").lstrip("+-").lower() == "null":
            # some banks list an interest-rate change as an entry whose amount is "null"
            warnings.append(problem("ofx_null_amount").at(location=transaction_label(trn, where)))
            continue
        try:
            txs.append(
                _transaction(trn, where, account or "", currency or "", stmt, filename, left_out)
            )
        except ParseError as exc:
            left_out.entry(exc)
    warnings += left_out.warnings[first_left_out:]
    txs, corrected = _apply_corrections(txs)
    warnings += [w.at(location=problem("at_statement", statement=s_index)) for w in corrected]
    start = tran_lists[0].value("DTSTART") if tran_lists else None
    warnings += _missing_parts(stmt, account, has_entries=bool(tran_lists or trns), index=s_index)
    if securities:
        warnings.append(
            problem(
                "ofx_securities_left_out",
                count=len(securities),
                kinds=", ".join(sorted(set(securities))),
            ).at(location=problem("at_statement", statement=s_index))
        )
    info = statement_info(
        account,
        currency,
        txs,
        ledger,
        [b for b in (ledger, avail) if b is not None],
        start,
        filename,
        {
            "statement_type": stmt.tag,
            "bank_id": account_node.value("BANKID") if account_node else None,
            "branch_id": account_node.value("BRANCHID") if account_node else None,
            "account_type": account_node.value("ACCTTYPE") if account_node else None,
            "broker_id": account_node.value("BROKERID") if account_node else None,
            "start": start,
            "end": tran_lists[-1].value("DTEND") if tran_lists else None,
            "curdef": stmt.value("CURDEF"),
            "security_transactions": len(securities),
            "warnings": warnings,
        },
    )
    return txs, info


def statement_info(
    account: str | None,
    currency: str | None,
    txs: list[Transaction],
    ledger: Balance | None,
    balances: list[Balance],
    start: str | None,
    filename: str,
    raw: dict[str, Any],
) -> StatementInfo:
    """A statement of an OFX (or OFC) file: closing at its ledger balance, opening at DTSTART."""
    # No balance check (reconcile.balances) here: OFX states no opening balance, only LEDGERBAL
    # (and AVAILBAL) as of its DTASOF, which may lie after DTEND; and the transaction list may
    # be any window the client asked for. Nothing defines an opening to add the entries to.
    return StatementInfo(
        statement_id=None,
        account=account,
        currency=currency,
        closing_balance=ledger.amount if ledger else None,
        closing_date=ledger.date if ledger else None,
        opening_date=ofx_date(start, filename, "DTSTART") if start else None,
        balances=balances,
        transaction_count=len(txs),
        raw=raw,
    )


def _missing_parts(stmt: Node, account: str | None, *, has_entries: bool, index: int) -> list[str]:
    """Warnings for what a statement lacks that the user relies on: the account it is of
    (``STMTRS`` without ``BANKACCTFROM``, or one without ACCTID), whose entries would be read
    as nobody's; and the transaction list, without which it reads as a day with no entries.

    OFX makes the list optional (a client may ask for balances only), so a statement without
    one is read, but never as silently as one whose list is empty.
    """
    where = problem("at_statement", statement=index)
    found: list[str] = []
    if not account:
        found.append(problem("ofx_no_account", element=_STATEMENTS[stmt.tag]).at(location=where))
    if not has_entries:
        element = "INVTRANLIST" if stmt.tag == "INVSTMTRS" else "BANKTRANLIST"
        found.append(problem("ofx_no_transaction_list", element=element).at(location=where))
    return found


def _own_transactions(stmt: Node) -> list[Node]:
    """The STMTTRN aggregates below ``stmt``, not those of a statement nested in it."""
    found: list[Node] = []
    stack = list(reversed(stmt.children))
    while stack:
        node = stack.pop()
        if node.tag == "STMTTRN":
            found.append(node)
        elif node.tag not in _STATEMENTS:
            stack.extend(reversed(node.children))
    return found


def _apply_corrections(txs: list[Transaction]) -> tuple[list[Transaction], list[Problem]]:
    """Apply the bank's corrections: a STMTTRN with CORRECTFITID and CORRECTACTION.

    REPLACE stands in for the transaction it names, DELETE withdraws it and moves no money
    itself (OFX 2.2, the STMTTRN aggregate). One named but not in the file came in an earlier
    download, so the user is told to check it there.
    """
    by_fitid = {t.raw["fitid"]: t for t in txs if t.raw.get("fitid")}
    dropped: set[int] = set()
    warnings: list[Problem] = []
    for tx in txs:
        action = (tx.raw.get("correctaction") or "").upper()
        target, own = tx.raw.get("correctfitid"), tx.raw.get("fitid") or tx.bank_ref
        if (
            action not in ("REPLACE", "DELETE")
            or not target
            or (target, action) == (own, "REPLACE")
        ):
            continue
        original = by_fitid.get(target)
        if original is not None and original is not tx:
            dropped.add(id(original))
            code = "ofx_replaced" if action == "REPLACE" else "ofx_deleted"
            warnings.append(problem(code, fitid=target, by=own))
        else:
            warnings.append(problem("ofx_corrects_earlier", fitid=target, by=own))
        if action == "DELETE":
            dropped.add(id(tx))
    return [t for t in txs if id(t) not in dropped], warnings


def _balance(
    node: Node | None, kind: str, currency: str | None, filename: str, left_out: LeftOut
) -> Balance | None:
    if node is None:
        return None
    text = node.value("BALAMT")
    if text is None:  # empty BALAMT: the bank gave no balance, which is no reason to refuse
        return None
    as_of = node.value("DTASOF")
    where = problem("at_ofx_balance", kind=kind)
    # a balance is no reason to lose the statement's entries
    return left_out.optional(
        "balance_left_out",
        lambda: Balance(
            type=kind,
            amount=ofx_amount(text, filename, where, currency),
            currency=currency or "",
            date=ofx_date(as_of, filename, where) if as_of else None,
        ),
    )


def _transaction(
    trn: Node,
    where: str,
    account: str,
    currency: str,
    stmt: Node,
    filename: str,
    left_out: LeftOut,
) -> Transaction:
    label = transaction_label(trn, where)
    amount_text = required_leaf(trn, "TRNAMT", "ofx_no_amount", filename, label)
    trn_currency = currency_code(trn.value("CURRENCY/CURSYM"))
    signed = ofx_amount(amount_text, filename, label, trn_currency or currency)
    posted = required_leaf(trn, "DTPOSTED", "ofx_no_posted", filename, label)
    booking = ofx_date(posted, filename, label)
    avail = trn.value("DTAVAIL")
    value_date = (
        left_out.optional("value_date_left_out", lambda: ofx_date(avail, filename, label))
        if avail
        else None
    )
    name, cheque, reference = party(
        trn.value("EXTDNAME"), trn.value("NAME"), trn.value("PAYEE/NAME"), trn.value("MEMO") or ""
    )
    own_entry = bank_entry(stmt.tag, signed > 0, trn.value("TRNTYPE"), trn.value("NAME"))
    if own_entry:
        name, reference = None, reference or (trn.value("NAME") or "").strip()
    other_account = (
        trn.value("BANKACCTTO/ACCTID")
        or trn.value("CCACCTTO/ACCTID")
        or trn.value("BANKACCTFROM/ACCTID")
    )
    # CURRENCY: the amount is in that currency, not CURDEF (OFX 2.2, STMTTRN); ORIGCURRENCY (and
    # ofxstatement's ORIG_CURRENCY): the amount was converted into CURDEF from that currency
    original = trn.find("ORIGCURRENCY") or trn.find("ORIG_CURRENCY")
    raw = trn.leaves()
    for node, key in ((trn.find("CURRENCY"), "currency"), (original, "original_currency")):
        if node is not None and node.value("CURSYM"):
            raw[key] = node.value("CURSYM")
            raw[f"{key}_rate"] = node.value("CURRATE")
    raw["statement_type"] = stmt.tag
    if cheque:
        raw.setdefault("checknum", cheque)
    raw["bank_id"] = stmt.value(f"{_STATEMENTS[stmt.tag]}/BANKID") or stmt.value(
        f"{_STATEMENTS[stmt.tag]}/BROKERID"
    )
    warnings: list[str] = []
    if trn_currency and trn_currency != currency:
        warnings.append(problem("ofx_other_currency", currency=trn_currency, statement=currency))
    tx = signed_transaction(
        trn.value("FITID"),
        where,
        account,
        filename,
        signed,
        booking,
        currency=trn_currency or currency,
        counterparty=(name, other_account),
        reference=reference,
        raw=raw,
        value_date=value_date,
        warnings=warnings,
    )
    tx.category = own_entry
    return tx
