"""SWIFT MT940 statements and MT942 interim reports, read with the ``mt-940`` library.

The library parses the tags; this module first cleans up what real banks send around and inside
them (SWIFT ``{1:}{2:}{4:`` blocks, ING and ABN AMRO pseudo-headers, Rabobank's ``:940:`` line,
SOH/ETX wrappers, soft hyphens, wrapped fields, CP852 files), splits the file into statements at
every ``:20:`` (balances of different statements are never merged) and then reads the
structured ``:86:`` forms: German ``?20``..``?33`` (with SEPA ``EREF+``/``SVWZ+``), Dutch
``/EREF/``, ``/CNTP/``, ``/NAME/``, ``/REMI/`` and Triodos ``>20``; anything else is free text.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import mt940
import mt940.models
import mt940.processors
import mt940.tags

from ..errors import LimitExceeded, ParseError
from ..model import Balance, Direction, ParseSettings, StatementInfo, Transaction
from ._common import set_counterparty

FORMAT = "mt940"

_TAG_LINE = re.compile(r"^:(?P<tag>\d{2}[A-Z]?|NS):")
_SNIFF_TAG = re.compile(
    rb"(?m)^:(?:20|21|25|28C?|60[FM]|61|62[FM]|64|65|86|NS|13D?|34F|90[CD]):|^:\r?\n86:"
)
_SNIFF_61 = re.compile(rb"(?m)^:61:\d{6}")
# tags whose value is one line: a line after them that is not a tag is a wrapped part of it
_ONE_LINE_TAGS = frozenset(
    {"20", "21", "25", "28", "28C", "60F", "60M", "60", "62F", "62M", "62", "64", "65"}
    | {"90C", "90D", "34F", "13", "13D"}
)
_END_MARK = re.compile(r"^(?:-(?:XXX)?\}?|\})\s*$")
_SWIFT_BLOCK = re.compile(r"\{[1235]:(?:[^{}]|\{[^{}]*\})*\}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NONREF = {"", "NONREF", "NOTPROVIDED", "NONE"}
_IBAN = re.compile(r"^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$")
_CURRENCY_SUFFIX = re.compile(r"^(?P<account>.*?[0-9A-Z.])[ /]?(?P<ccy>[A-Z]{3})$")
# Dutch structured :86: codes (ING, Rabobank, ABN AMRO SEPA), longest first for the regex
_NL_CODES = sorted(
    (
        "EREF CNTP REMI NAME IBAN BIC ADDR MARF CSID PREF RTRN BENM ORDP ISDT TRCD SUM ULTC "
        "ULTD ULTB PURP ID BUSP OCMT CHGS EXCH ORIG SVCL CDTRREF CDTRREFTP CD TP ISSR"
    ).split(),
    key=len,
    reverse=True,
)
_NL_SPLIT = re.compile(r"/(" + "|".join(_NL_CODES) + r")/")
_TRIODOS_FIELD = re.compile(r">(\d{2})")
_KNAB_PARTY = re.compile(
    r"REK:\s*(?P<account>[A-Z]{2}\d{2}[A-Z0-9]{8,30})\s*/NAAM:\s*(?P<name>.+)$"
)


def sniff(data: bytes, filename: str) -> bool:
    """Return True when ``data`` looks like an MT940/MT942 file (two or more SWIFT tags)."""
    head = data[:65536]
    found = {m.group(0).strip() for m in _SNIFF_TAG.finditer(head)}
    return len(found) >= 2 or bool(_SNIFF_61.search(head))


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
        raise LimitExceeded(f"file larger than {settings.max_bytes} bytes", file=filename)
    text, encoding = decode(data)
    # Rabobank's old format (leading ":940:" line) puts the other party's account in the :61:
    # customer reference and the name in its supplementary details
    rabobank = text.lstrip("\ufeff\r\n ").startswith(":940:")
    blocks = split_statements(clean(text))
    if not blocks:
        raise ParseError("no MT940 statement lines (:61:) or balances found", file=filename)
    entries = sum(len(re.findall(r"(?m)^:61:", b)) for b in blocks)
    if entries > settings.max_entries:
        raise LimitExceeded(
            f"{entries} entries, more than the limit of {settings.max_entries}", file=filename
        )
    transactions: list[Transaction] = []
    statements: list[StatementInfo] = []
    seen_refs: Counter[str] = Counter()
    ordinals: Counter[str] = Counter()
    for number, block in enumerate(blocks, start=1):
        parsed = _parse_block(block, number, filename)
        info = _statement_info(parsed, settings)
        info.raw["encoding"] = encoding
        statements.append(info)
        for index, item in enumerate(parsed.transactions, start=1):
            source = f"{filename}#statement={number}/entry={index}"
            tx = _transaction(item, info, settings, source, rabobank=rabobank)
            _make_unique(tx, seen_refs, ordinals)
            transactions.append(tx)
        info.transaction_count = len(parsed.transactions)
    return transactions, statements


# --------------------------------------------------------------------------------------------
# bytes to clean text


def decode(data: bytes) -> tuple[str, str]:
    """Return the text of ``data`` and the encoding chosen.

    UTF-8 when the bytes are valid UTF-8; otherwise whichever of CP1252, CP852 (Central
    European DOS, used by Raiffeisen Hungary) and Latin-1 makes the non-ASCII characters read
    as letters that fit the words around them.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best: tuple[int, str, str] | None = None
    for encoding in ("cp1252", "cp852", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = _plausibility(text)
        if best is None or score > best[0]:
            best = (score, encoding, text)
    assert best is not None  # latin-1 decodes every byte
    return best[2], best[1]


def _plausibility(text: str) -> int:
    """Score how much the non-ASCII characters of ``text`` look like real letters.

    A non-ASCII letter next to an ASCII letter of the same case scores, a symbol, box-drawing
    or control character costs: CP852's ``á`` in ``átutalás`` beats Latin-1's no-break space,
    Latin-1's ``ß`` in ``Straße`` beats CP852's ``▀``.
    """
    score = 0
    for i, ch in enumerate(text):
        if ord(ch) < 128:
            continue
        if not ch.isalpha():
            score -= 1
            continue
        neighbours = [text[j] for j in (i - 1, i + 1) if 0 <= j < len(text)]
        if any(n.isascii() and n.isalpha() and n.islower() == ch.islower() for n in neighbours):
            score += 1
    return score


def clean(text: str) -> str:
    """Return MT940 text with the wrappers and oddities real files carry normalised away."""
    text = text.replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n")
    # ING writes dates as 10<SHY>06<SHY>2010: a soft hyphen the bank meant as a visible one
    text = text.replace("\u00ad", "-")
    text = _SWIFT_BLOCK.sub("\n", text)
    text = re.sub(r"\{4:", "\n", text)
    text = _CONTROL.sub("", text).replace("\t", " ")
    lines = [line.rstrip() for line in text.split("\n")]
    # Sparkasse splits a tag as ":" + newline + "86:..."
    joined: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if (
            line.strip() == ":"
            and i + 1 < len(lines)
            and re.match(r"^(\d{2}[A-Z]?|NS):", lines[i + 1])
        ):
            joined.append(":" + lines[i + 1])
            i += 2
            continue
        joined.append(line)
        i += 1
    return "\n".join(_drop_headers(joined))


def _drop_headers(lines: list[str]) -> list[str]:
    """Drop header lines outside tags and fold wrapped one-line tags back together."""
    # the tag on or after each line, to tell a message's end mark from a "-" in a value
    next_tag: list[str | None] = [None] * (len(lines) + 1)
    for i in range(len(lines) - 1, -1, -1):
        m = _TAG_LINE.match(lines[i])
        next_tag[i] = m.group("tag") if m else next_tag[i + 1]
    groups: list[list[str]] = []  # one list of lines per tag
    current: str | None = None  # the tag whose value the next line continues; None = skipping
    for i, line in enumerate(lines):
        m = _TAG_LINE.match(line)
        if m:
            current = m.group("tag")
            groups.append([line])
            continue
        if current is None or not line.strip():
            continue  # header lines (0000 01INGBNL2A..., ABNANL2A, 940, :940:) and blank lines
        if _END_MARK.match(line.strip()):
            if next_tag[i + 1] in (None, "20"):
                current = None  # end of a message: whatever follows up to :20: is a header
                continue
            if line.strip() != "}":
                groups[-1][-1] += "-"  # a "-" inside a wrapped :86: (ING mandate ids: MND-EV01)
            continue
        if current in _ONE_LINE_TAGS:
            groups[-1][-1] += line.strip()  # ING wraps ":28C:0000" + "0"
            continue
        groups[-1].append(line)
    out: list[str] = []
    for group in groups:
        if group[0].startswith(":61:") and len(group) > 2:
            group = _join_statement_line(group)
        out.extend(group)
    return out


def _join_statement_line(group: list[str]) -> list[str]:
    """Fold a ``:61:`` spread over several lines into the statement line plus one detail line.

    ING wraps the bank reference (``EREF//00000000001`` + ``005``) and the ``/TRCD/`` code
    (``/TRCD/010`` + ``16`` + ``/``); the library reads one supplementary line only.
    """
    first, rest = group[0], [line.strip() for line in group[1:]]
    if "//" in first and re.fullmatch(r"[0-9A-Za-z]+", rest[0]):
        first, rest = first + rest[0], rest[1:]
    return [first, "".join(rest)] if rest else [first]


def split_statements(text: str) -> list[str]:
    """Split clean MT940 text into one block per statement (each ``:20:`` starts one).

    A fragment before the first ``:20:`` that holds entries or balances is a statement too.
    """
    blocks = [b for b in re.split(r"(?m)^(?=:20:)", text) if b.strip()]
    return [b for b in blocks if re.search(r"(?m)^:(?:20|61|60[FM]?|62[FM]?):", b)]


# --------------------------------------------------------------------------------------------
# one statement through the library


def _parse_block(block: str, number: int, filename: str) -> mt940.models.Transactions:
    ref_match = re.match(r":20:(.*)", block)
    where = f"statement {number}" + (f" (:20: {ref_match.group(1).strip()})" if ref_match else "")
    processors: dict[str, list[Callable[..., dict[str, Any]]]] = {
        "pre_statement": [_date_check(where), mt940.processors.date_fixup_pre_processor],
        "post_transaction_details": [
            _keep_details,
            mt940.processors.transaction_details_post_processor,
        ],
    }
    parsed = mt940.models.Transactions(processors=processors, options=mt940.Options.all())
    try:
        parsed.parse(block)
    except ParseError as exc:
        raise ParseError(exc.reason, file=filename, location=exc.location) from exc
    except (RuntimeError, ValueError, ArithmeticError) as exc:
        if len(exc.args) == 3 and isinstance(exc.args[1], mt940.tags.Tag):
            # the library's "Unable to parse <Tag object> from value"
            detail = f":{exc.args[1].id}: {str(exc.args[2])[:120]!r}"
        elif isinstance(exc, ArithmeticError):
            detail = "(an amount that is not a number)"
        else:
            detail = f"({exc})"
        raise ParseError(f"unreadable MT940 field {detail}", file=filename, location=where) from exc
    return parsed


def _date_check(where: str) -> Callable[..., dict[str, Any]]:
    """Return a ``:61:`` pre-processor that names the entry whose date is not a calendar date.

    30 February (seen in real files) is kept the way the mt940 library reads it, the last day
    of February, with a warning on the transaction; any other impossible date is an error.
    """

    def check(
        transactions: mt940.models.Transactions, tag: object, tag_dict: dict[str, Any], *args: Any
    ) -> dict[str, Any]:
        entry = len(transactions.transactions) + (
            0
            if transactions.transactions and not transactions.transactions[-1].data.get("id")
            else 1
        )
        yy, mm, dd = tag_dict["year"], tag_dict["month"], tag_dict["day"]
        year, month, day = 2000 + int(yy), int(mm), int(dd)
        warnings: list[str] = []
        if not 1 <= month <= 12:
            raise ParseError(
                f"entry {entry}: value date {yy}{mm}{dd} has no month {mm}", location=where
            )
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            if month != 2 or day > 31:
                raise ParseError(
                    f"entry {entry}: value date {yy}{mm}{dd} is not a calendar date",
                    location=where,
                )
            warnings.append(
                f"value date {yy}{mm}{dd} is not a calendar date; read as {year}-02-{last}"
            )
        em, ed = tag_dict.get("entry_month"), tag_dict.get("entry_day")
        if em and ed and em.strip() and ed.strip():
            if not 1 <= int(em) <= 12 or not 1 <= int(ed) <= calendar.monthrange(year, int(em))[1]:
                if not (int(em) == 2 and int(ed) == 29):  # 29 Feb of a neighbouring leap year
                    raise ParseError(
                        f"entry {entry}: entry date {em}{ed} is not a calendar date",
                        location=where,
                    )
        tag_dict["date_warnings"] = warnings
        return tag_dict

    return check


def _keep_details(
    transactions: object, tag: object, tag_dict: dict[str, Any], result: dict[str, Any]
) -> dict[str, Any]:
    """Keep every ``:86:`` text as written (the library drops it once it has split it)."""
    result["details_raw"] = tag_dict.get("transaction_details") or ""
    return result


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
    number, seq = data.get("statement_number"), data.get("sequence_number")
    if number:
        info.sequence = f"{number}/{seq}" if seq else str(number)
        info.raw["statement_number"] = number
        info.raw["sequence_number"] = seq
    for key, code in (
        ("final_opening_balance", "60F"),
        ("intermediate_opening_balance", "60M"),
        ("opening_balance", "60"),
        ("final_closing_balance", "62F"),
        ("intermediate_closing_balance", "62M"),
        ("closing_balance", "62"),
        ("available_balance", "64"),
        ("forward_available_balance", "65"),
    ):
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
    return info


def _clean_account(account: str, currency: str | None) -> str:
    """Drop the currency code ING and Rabobank append to ``:25:`` (``NL77INGB0574908765EUR``)."""
    m = _CURRENCY_SUFFIX.match(account)
    if m and currency and m.group("ccy") == currency:
        account = m.group("account")
    return account.replace(" ", "")


def _transaction(
    item: mt940.models.Transaction,
    info: StatementInfo,
    settings: ParseSettings,
    source: str,
    *,
    rabobank: bool = False,
) -> Transaction:
    d = item.data
    mark = str(d.get("status") or "").upper()
    amount_obj = d.get("amount")
    if not isinstance(amount_obj, mt940.models.Amount):
        raise ParseError("entry without an amount", location=source)
    reversal = mark.startswith("R")
    # C = credit, D = debit; RC reverses a credit (money leaves), RD reverses a debit
    direction: Direction = "credit" if mark in ("C", "RD") else "debit"
    currency = amount_obj.currency or info.currency or settings.default_currency or ""
    warnings = list(d.get("date_warnings") or [])
    if not currency:
        warnings.append("the statement states no currency (no :60F: balance)")
    value_date = d.get("date")
    if not isinstance(value_date, dt.date):
        raise ParseError("entry without a value date", location=source)
    booking_date = d.get("entry_date") or value_date
    details_raw = str(d.get("details_raw") or "")
    bank_ref = str(d.get("bank_reference") or "").strip()
    extra = str(d.get("extra_details") or "").strip()
    fields = _counterparty_fields(d, details_raw)
    reference = fields.pop("reference", None) or ""
    eref = fields.get("end_to_end_ref")
    if eref and eref.upper() not in _NONREF and eref not in reference:
        reference = f"{reference} | EREF {eref}" if reference else eref
    if not reference and d.get("non_swift_text"):
        reference = " ".join(str(d["non_swift_text"]).split())
    name, account, bank = fields.get("name"), fields.get("account"), fields.get("bank")
    if not account and extra and _IBAN.match(extra.replace(" ", "")):
        account = extra.replace(" ", "")  # Rabobank puts the counterparty IBAN on :61: line 2
    elif rabobank and extra and not name:
        name = " ".join(extra.split())
        customer_ref = str(d.get("customer_reference") or "").strip()
        if not account and re.fullmatch(r"P?\d{7,10}", customer_ref):
            account = customer_ref
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
    tx = Transaction(
        bank_ref=bank_ref if bank_ref.upper() not in _NONREF else "",
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
    )
    set_counterparty(tx, name, account, bank)
    return tx


def _counterparty_fields(d: dict[str, Any], details: str) -> dict[str, str | None]:
    """Read the other party and the remittance text from a ``:86:`` in any of its forms."""
    joined = "".join(line.strip("\r") for line in details.split("\n"))
    if d.get("purpose") is not None or d.get("applicant_name") or d.get("posting_text"):
        # German ?20..?33: split by the library (purpose = ?20-?29 less the SEPA keywords)
        return {
            "reference": " ".join(str(d.get("purpose") or "").split()),
            "name": _squash(d.get("applicant_name")),
            "account": _squash(d.get("applicant_iban"), spaces=False),
            "bank": _squash(d.get("applicant_bin"), spaces=False),
            "end_to_end_ref": _squash(d.get("end_to_end_reference")),
            "mandate_ref": _squash(d.get("additional_position_reference")),
            "creditor_id": _squash(d.get("applicant_creditor_id")),
        }
    if _NL_SPLIT.match(joined):
        return _dutch(joined)
    if re.match(r"^\d{3}>\d{2}", joined) or joined.startswith(">"):
        return _triodos(joined)
    out: dict[str, str | None] = {"reference": " ".join(details.split())}
    if m := _KNAB_PARTY.search(joined):  # free text ending "REK: <IBAN>/NAAM: <name>"
        out["account"], out["name"] = m.group("account"), " ".join(m.group("name").split())
    return out


def _squash(value: Any, *, spaces: bool = True) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split()) if spaces else "".join(str(value).split())
    return text or None


def _dutch(text: str) -> dict[str, str | None]:
    """Read ``/EREF/../CNTP/acct/bic/name/city/../REMI/USTD//text/`` (ING, Rabobank, ABN)."""
    values: dict[str, str] = {}
    parts = _NL_SPLIT.split(text)
    for code, value in zip(parts[1::2], parts[2::2], strict=True):
        values.setdefault(code, value)
    out: dict[str, str | None] = {}
    if "CNTP" in values:
        cntp = values["CNTP"].split("/")
        cntp += [""] * (4 - len(cntp))
        out["account"], out["bank"], out["name"] = cntp[0] or None, cntp[1] or None, cntp[2] or None
    if values.get("NAME"):
        out["name"] = values["NAME"].strip("/ ") or out.get("name")
    if values.get("IBAN"):
        out["account"] = values["IBAN"].strip("/ ")
    if values.get("BIC"):
        out["bank"] = values["BIC"].strip("/ ")
    remi = values.get("REMI", "")
    for prefix in ("USTD//", "USTD/", "STRD/CUR/", "STRD/ISO/", "STRD//"):
        if remi.startswith(prefix):
            remi = remi[len(prefix) :]
            break
    out["reference"] = " ".join(remi.strip("/").split())
    out["end_to_end_ref"] = values.get("EREF", "").strip("/ ") or None
    out["payment_ref"] = values.get("PREF", "").strip("/ ") or None
    out["return_reason"] = values.get("RTRN", "").strip("/ ") or None
    out["mandate_ref"] = values.get("MARF", "").strip("/ ") or None
    out["creditor_id"] = values.get("CSID", "").strip("/ ") or None
    return out


def _triodos(text: str) -> dict[str, str | None]:
    """Read Triodos' ``000>10...>20..>29 text >31 account >32 name`` form."""
    parts = _TRIODOS_FIELD.split(text)
    fields: dict[str, str] = {}
    for code, value in zip(parts[1::2], parts[2::2], strict=True):
        fields[code] = fields.get(code, "") + value
    remittance = "".join(fields.get(str(n), "") for n in range(20, 30))
    name = "".join(fields.get(str(n), "") for n in (32, 33))
    return {
        "reference": " ".join(remittance.split()),
        "account": fields.get("31", "").strip() or None,
        "name": " ".join(name.split()) or None,
        "payment_ref": fields.get("10", "").strip() or None,
    }


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
        if customer_ref.upper() not in _NONREF:
            tx.bank_ref = f"{customer_ref}-{digest[:10]}"
            tx.raw["ref_from"] = "customer_reference"
        else:
            tx.bank_ref = f"MT940-{digest}"
            tx.raw["ref_from"] = "synthetic"
    seen[tx.bank_ref] += 1
    if seen[tx.bank_ref] > 1:
        tx.bank_ref = f"{tx.bank_ref}/{seen[tx.bank_ref]}"
