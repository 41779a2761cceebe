"""Write ``reconcile.model.Transaction`` lists as bank files: CAMT.053, a Chinese CSV export, MT940.

The writers produce what real banks send (namespaces, balances, preamble and totals lines,
structured ``:86:`` fields) so the benchmarks exercise the parsers, not a toy format. Each writer
returns bytes; the transactions' ``bank_ref``, dates, amount, direction, currency, counterparty
and ``reference`` survive a round trip through a correct parser.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from decimal import Decimal

from lxml import etree
from lxml.builder import ElementMaker

from reconcile.model import Transaction

CAMT053_NS = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"
OPENING_BALANCE = Decimal("1000000.00")


def _statement_bounds(transactions: Sequence[Transaction]) -> tuple[dt.date, dt.date]:
    if not transactions:
        today = dt.date(2026, 11, 1)
        return today, today
    dates = [t.booking_date for t in transactions]
    return min(dates), max(dates)


def _closing(transactions: Sequence[Transaction], opening: Decimal) -> Decimal:
    total = opening
    for t in transactions:
        total += t.amount if t.direction == "credit" else -t.amount
    return total


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def _chunks(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


# --------------------------------------------------------------------------- CAMT.053


def write_camt053(
    transactions: Sequence[Transaction],
    *,
    account: str | None = None,
    currency: str | None = None,
    statement_id: str = "STMT-0001",
    created: dt.datetime | None = None,
    batch_size: int = 1,
) -> bytes:
    """Return a CAMT.053.001.02 statement holding ``transactions`` (one ``Ntry`` each).

    :param account: our account (``Acct/Id/Othr/Id``); defaults to the first transaction's.
    :param currency: the account currency; defaults to the first transaction's.
    :param batch_size: when above 1, consecutive credits of the same day are grouped into one
        batched entry with several ``TxDtls`` (how banks book collective credits).
    """
    account = account or (transactions[0].our_account if transactions else "") or "0000"
    currency = currency or (transactions[0].currency if transactions else "CNY")
    created = created or dt.datetime(2026, 11, 30, 18, 0, 0)
    first, last = _statement_bounds(transactions)

    E = ElementMaker(namespace=CAMT053_NS, nsmap={None: CAMT053_NS})
    entries = []
    groups: list[list[Transaction]] = []
    for t in transactions:
        tail = groups[-1] if groups else None
        if (
            batch_size > 1
            and tail is not None
            and len(tail) < batch_size
            and t.direction == "credit"
            and tail[0].direction == "credit"
            and tail[0].booking_date == t.booking_date
            and tail[0].currency == t.currency
        ):
            tail.append(t)
        else:
            groups.append([t])

    for n, group in enumerate(groups, start=1):
        head = group[0]
        total = sum((t.amount for t in group), Decimal("0"))
        cd = "CRDT" if head.direction == "credit" else "DBIT"
        details = [_camt_tx_details(E, t, batched=len(group) > 1) for t in group]
        entry_ref = head.bank_ref if len(group) == 1 else f"BATCH{n:06d}"
        entry_children = [
            E.NtryRef(str(n)),
            E.Amt(_money(total), Ccy=head.currency),
            E.CdtDbtInd(cd),
        ]
        if head.reversal:
            entry_children.append(E.RvslInd("true"))
        entry_children += [
            E.Sts("BOOK"),
            E.BookgDt(E.Dt(head.booking_date.isoformat())),
            E.ValDt(E.Dt((head.value_date or head.booking_date).isoformat())),
            E.AcctSvcrRef(entry_ref),
            E.BkTxCd(
                E.Domn(
                    E.Cd("PMNT"),
                    E.Fmly(E.Cd("RCDT" if cd == "CRDT" else "ICDT"), E.SubFmlyCd("ESCT")),
                )
            ),
            E.NtryDtls(
                *(([E.Btch(E.NbOfTxs(str(len(group))))] if len(group) > 1 else []) + details)
            ),
        ]
        entries.append(E.Ntry(*entry_children))

    closing = _closing(transactions, OPENING_BALANCE)
    doc = E.Document(
        E.BkToCstmrStmt(
            E.GrpHdr(E.MsgId(f"MSG-{statement_id}"), E.CreDtTm(created.isoformat())),
            E.Stmt(
                E.Id(statement_id),
                E.ElctrncSeqNb("1"),
                E.CreDtTm(created.isoformat()),
                E.FrToDt(
                    E.FrDtTm(f"{first.isoformat()}T00:00:00"),
                    E.ToDtTm(f"{last.isoformat()}T23:59:59"),
                ),
                E.Acct(E.Id(E.Othr(E.Id(account))), E.Ccy(currency)),
                _camt_balance(E, "OPBD", OPENING_BALANCE, currency, first),
                _camt_balance(E, "CLBD", closing, currency, last),
                *entries,
            ),
        )
    )
    return bytes(etree.tostring(doc, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _camt_balance(
    E: ElementMaker,
    code: str,
    amount: Decimal,
    currency: str,
    day: dt.date,
) -> etree._Element:
    return E.Bal(
        E.Tp(E.CdOrPrtry(E.Cd(code))),
        E.Amt(_money(abs(amount)), Ccy=currency),
        E.CdtDbtInd("CRDT" if amount >= 0 else "DBIT"),
        E.Dt(E.Dt(day.isoformat())),
    )


def _camt_tx_details(
    E: ElementMaker,
    t: Transaction,
    *,
    batched: bool,
) -> etree._Element:
    children = [E.Refs(E.AcctSvcrRef(t.bank_ref), E.EndToEndId("NOTPROVIDED"))]
    if batched:
        children.append(E.AmtDtls(E.TxAmt(E.Amt(_money(t.amount), Ccy=t.currency))))
    party_name = t.payer_name if t.direction == "credit" else t.payee_name
    party_acct = t.payer_account if t.direction == "credit" else t.payee_account
    party = []
    if party_name:
        tag = "Dbtr" if t.direction == "credit" else "Cdtr"
        party.append(E(tag, E.Nm(party_name)))
    if party_acct:
        tag = "DbtrAcct" if t.direction == "credit" else "CdtrAcct"
        party.append(E(tag, E.Id(E.Othr(E.Id(party_acct)))))
    if party:
        children.append(E.RltdPties(*party))
    if t.direction == "credit" and t.payer_bank:
        children.append(E.RltdAgts(E.DbtrAgt(E.FinInstnId(E.Nm(t.payer_bank)))))
    if t.reference:
        children.append(E.RmtInf(*(E.Ustrd(c) for c in _chunks(t.reference, 140))))
    return E.TxDtls(*children)


# --------------------------------------------------------------------------- CSV

CSV_HEADER = (
    "交易日期",
    "交易时间",
    "交易流水号",
    "借方发生额",
    "贷方发生额",
    "余额",
    "币种",
    "对方户名",
    "对方账号",
    "对方开户行",
    "摘要",
    "用途",
)


def write_csv(
    transactions: Sequence[Transaction],
    *,
    account: str | None = None,
    account_name: str = "康科德贸易（上海）有限公司",
    encoding: str = "gb18030",
    thousands: bool = True,
) -> bytes:
    """Return a Chinese bank-style CSV export (账户明细查询) of ``transactions``.

    Preamble lines (账号, 户名, 查询区间) precede the header and a 合计 line follows the rows,
    as in the exports of the big Chinese banks. Separate debit (借方) and credit (贷方) columns.

    :param encoding: ``gb18030`` (what most Chinese bank portals produce), ``utf-8`` or
        ``utf-8-sig``.
    :param thousands: write amounts with thousands separators ("12,345.60").
    """
    account = account or (transactions[0].our_account if transactions else "") or "0000"
    first, last = _statement_bounds(transactions)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([f"账号：{account}"])
    w.writerow([f"户名：{account_name}"])
    w.writerow([f"查询区间：{first:%Y-%m-%d} 至 {last:%Y-%m-%d}"])
    w.writerow([])
    w.writerow(CSV_HEADER)
    balance = OPENING_BALANCE
    fmt = "{:,.2f}" if thousands else "{:.2f}"
    total_debit = total_credit = Decimal("0")
    for n, t in enumerate(transactions):
        credit = t.direction == "credit"
        balance += t.amount if credit else -t.amount
        if credit:
            total_credit += t.amount
        else:
            total_debit += t.amount
        seconds = (n * 37) % 86400
        w.writerow(
            [
                t.booking_date.strftime("%Y%m%d"),
                f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}",
                t.bank_ref,
                "" if credit else fmt.format(t.amount),
                fmt.format(t.amount) if credit else "",
                fmt.format(balance),
                {"CNY": "人民币"}.get(t.currency, t.currency),
                (t.payer_name if credit else t.payee_name) or "",
                (t.payer_account if credit else t.payee_account) or "",
                (t.payer_bank if credit else "") or "",
                "汇入汇款" if credit else "转账支出",
                t.reference,
            ]
        )
    w.writerow(
        ["合计", "", f"{len(transactions)}笔", fmt.format(total_debit), fmt.format(total_credit)]
    )
    return buf.getvalue().encode(encoding)


# --------------------------------------------------------------------------- MT940


def write_mt940(
    transactions: Sequence[Transaction],
    *,
    account: str | None = None,
    currency: str | None = None,
    style: str = "structured",
    statement_number: int = 1,
) -> bytes:
    """Return an MT940 file (UTF-8), one statement per (our account, currency) of ``transactions``.

    :param account: force one account for every statement (otherwise each transaction's
        ``our_account`` groups them).
    :param style: ``structured`` writes German-style ``:86:`` subfields (``?20``-``?29``
        remittance, ``?31`` account, ``?32``/``?33`` name); ``swift`` writes the ING/Rabobank
        ``/EREF/``, ``/CNTP/`` and ``/REMI/`` form.
    """
    if style not in ("structured", "swift"):
        raise ValueError(f"unknown MT940 style {style!r}")
    groups: dict[tuple[str, str], list[Transaction]] = {}
    for t in transactions:
        key = (account or t.our_account or "0000", currency or t.currency)
        groups.setdefault(key, []).append(t)
    lines: list[str] = []
    for seq, ((acct, ccy), txs) in enumerate(groups.items(), start=statement_number):
        first, last = _statement_bounds(txs)
        lines += [
            f":20:STMT{seq:06d}",
            f":25:{acct}",
            f":28C:{seq:05d}/1",
            f":60F:C{first:%y%m%d}{ccy}{_mt_amount(OPENING_BALANCE)}",
        ]
        for t in txs:
            vdate = t.value_date or t.booking_date
            mark = "C" if t.direction == "credit" else "D"
            if t.reversal:
                mark = "R" + mark
            lines.append(
                f":61:{vdate:%y%m%d}{t.booking_date:%m%d}{mark}{_mt_amount(t.amount)}"
                f"NTRFNONREF//{t.bank_ref}"
            )
            lines += _mt_86(t, style)
        closing = _closing(txs, OPENING_BALANCE)
        lines.append(
            f":62F:{'C' if closing >= 0 else 'D'}{last:%y%m%d}{ccy}{_mt_amount(abs(closing))}"
        )
        lines.append("-")
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def _mt_amount(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")


def _mt_clean(text: str) -> str:
    # "?" opens a subfield and a line starting with ":" would open a tag: keep both out of values
    return text.replace("?", " ").replace("\r", " ").replace("\n", " ")


def _mt_86(t: Transaction, style: str) -> list[str]:
    name = _mt_clean((t.payer_name if t.direction == "credit" else t.payee_name) or "")
    acct = _mt_clean((t.payer_account if t.direction == "credit" else t.payee_account) or "")
    ref = _mt_clean(t.reference)
    if style == "structured":
        code = "166" if t.direction == "credit" else "177"
        parts = [f"{code}?00{'GUTSCHRIFT' if t.direction == 'credit' else 'UEBERWEISUNG'}"]
        for i, chunk in enumerate(_chunks(ref, 27)[:10] if ref else []):
            parts.append(f"?2{i}{chunk}")
        if acct:
            parts.append(f"?31{acct}")
        if name:
            name_chunks = _chunks(name, 27)
            parts.append(f"?32{name_chunks[0]}")
            if len(name_chunks) > 1:
                parts.append(f"?33{''.join(name_chunks[1:])}")
        body = "".join(parts)
    else:
        # ING/Rabobank form: /CNTP/account/bic/name/city/ and /REMI/USTD//text/
        name = name.replace("/", " ")
        acct = acct.replace("/", " ")
        body = f"/EREF/NOTPROVIDED/CNTP/{acct}//{name}//REMI/USTD//{ref}/"
    return _mt_wrap(body, structured=style == "structured")


def _mt_wrap(body: str, *, structured: bool) -> list[str]:
    """Wrap a ``:86:`` body into lines of at most 65 characters (61 on the first, after ``:86:``).

    Structured bodies break only between ``?nn`` subfields so that no value (an account number,
    an invoice number) is cut by a line break; a continuation line never starts with ``:`` or
    ``-``, which would read as a new tag or the end of the statement.
    """
    if structured:
        pieces = ["?" + p for p in body.split("?")[1:]]
        pieces = [body.split("?")[0], *pieces] if body.split("?")[0] else pieces
    else:
        pieces = list(body)
    lines: list[str] = []
    current = ""
    width = 61
    for piece in pieces:
        if current and len(current) + len(piece) > width:
            lines.append(current)
            current = ""
            width = 65
        current += piece
        while len(current) > width:
            take = width
            while current[take : take + 1] in (":", "-") and take > 1:
                take -= 1
            lines.append(current[:take])
            current = current[take:]
            width = 65
    if current or not lines:
        lines.append(current)
    lines[0] = ":86:" + lines[0]
    return lines
