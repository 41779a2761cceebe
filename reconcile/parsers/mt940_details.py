"""The structured forms of the MT940 ``:86:`` field, read into payer, account and reference.

Banking groups write ``:86:`` in one of three families, each read here by its rules rather than
by one bank's example:

- **German GVC** (Deutsche Kreditwirtschaft, "Mehrzweckfeld"): a three-digit business code,
  then subfields ``?nn`` (the separator is the fourth character, usually ``?``; BRD in Romania
  writes ``+``, Polish banks ``^``, ``~``, ``<`` or ``>``): ``?00``
  posting text, ``?10`` prima nota, ``?20``-``?29`` and ``?60``-``?63`` purpose, ``?30`` bank
  code/BIC, ``?31`` account/IBAN, ``?32``-``?33`` name, ``?34`` text key extension (Polish
  banks: ``?20``-``?29`` the title, ``?38`` the IBAN, ``?62``-``?63`` the address). Physical
  lines break anywhere, even inside a value, so lines are joined without a gap; SEPA keywords
  (``EREF+``, ``SVWZ+``, ``ABWA+``...) inside the purpose are split out (:mod:`.mt940_sepa`).
- **SWIFT/Dutch subfields** ``/CODE/value`` (``/TRTP/``, ``/EREF/``, ``/NAME/``, ``/IBAN/``,
  ``/REMI/``, ``/CNTP/acct/bic/name/city/``, ``/ORDP//NAME/``...), in any order, starting with
  any of them, with values continued on the next line.
- **Triodos** ``>nn`` subfields (``>10``, ``>20``-``>29``, ``>31``-``>33``; never ``>00``).

Anything else is free text, from which a ``REK: <IBAN>/NAAM: <name>`` tail is still read.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from ..iban import is_iban
from .mt940_pl_address import split_address
from .mt940_sepa import GVC_START, NONREF, gvc, subfield_lines, subfield_mark
from .mt940_text import FULL_LINE, UNCUT_LINE, join_wrapped_lines

Fields = dict[str, str | None]

# SWIFT and Dutch structured codes (ING, Rabobank, ABN AMRO, SNS, Knab, Bunq, Belgian banks)
SWIFT_CODES = frozenset(
    (
        "TRTP EREF CNTP REMI NAME IBAN BIC ADDR MARF CSID PREF RTRN BENM ORDP ISDT TRCD SUM "
        "ULTC ULTD ULTB PURP ID BUSP OCMT CHGS EXCH ORIG SVCL CDTRREF CDTRREFTP CD TP ISSR "
        "ACCW RTYP IREF KREF MREF CREF INFO CTRY CITY BENE BY ORDR RREF TRID BBAN"
    ).split()
)
_SWIFT_SPLIT = re.compile(
    r"/(" + "|".join(sorted(SWIFT_CODES, key=len, reverse=True)) + r")/(?=.|$)", re.DOTALL
)
# codes short enough to occur inside a value by chance: they do not make a text structured
_WEAK_CODES = frozenset({"CD", "TP", "ID", "BY", "SUM", "INFO", "CITY", "CTRY"})
_IBAN = re.compile(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}")
_BIC = re.compile(r"[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?")
_TRIODOS_FIELD = re.compile(r">(\d{2})")


def counterparty_fields(details: str, *, width: int = FULL_LINE) -> Fields:
    """Read the other party and the remittance text from a ``:86:`` in any of its forms.

    :param details: the field as written, lines separated by ``\\n``.
    :param width: the width the file's writer cuts its lines at (:func:`.wrap_width`).
    :returns: ``reference`` (remittance text) and, when present, ``name``, ``account``,
        ``bank``, ``end_to_end_ref``, ``mandate_ref``, ``creditor_id``, ``payment_ref``,
        ``return_reason``, ``transaction_type``, ``gvc``, ``posting_text``.
    """
    lines = [line.strip("\r") for line in details.split("\n")]
    if len(lines) > 1 and re.fullmatch(r"\d{3}", code := lines[0].strip()):
        if lines[1].startswith(code):  # the code alone on a first :86:, then again with subfields
            lines = lines[1:]
    joined = "".join(lines)
    if m := GVC_START.match(joined):
        # Triodos writes ">nn" subfields with its own meanings (">31" is the own account, no
        # ">00"); a ">" form opening with the posting text ">00" is a Polish bank's GVC
        if m.group("sep") == ">" and joined[m.end() : m.end() + 2] != "00":
            return _triodos(joined)
        return gvc(subfield_lines(lines, subfield_mark(m)))
    if is_swift_structured(joined):
        return _swift_lines(lines, joined)
    if re.match(r"^\d{3}>\d{2}", joined) or joined.startswith(">"):
        return _triodos(joined)
    return _free_text(lines, width)


@dataclass(frozen=True, slots=True)
class _FreeText:
    """A ``:86:`` without subfields, as each layout reads it."""

    lines: list[str]
    details: str
    """The lines separated by ``\\n``."""
    joined: str
    """The lines joined without a gap (they were cut at the field's width, even inside a word)."""


# DK business code 999: "unstructured purpose"; after it, solarisBank-based banks (Penta) write
# "TYPE:purpose:name:IBAN[:note]"
_DK_UNSTRUCTURED = re.compile(r"^\s*999(?![\d?])")
_COLON_PARTY = re.compile(
    r":(?P<name>[^:]*[^:\s][^:]*):(?P<account>[A-Z]{2}\d{2}[A-Z0-9]{10,30})(?::[^:]*)?$"
)


def _dk_unstructured(text: _FreeText, out: Fields) -> None:
    """DK business code 999: the text follows the code directly (the lines are joined first:
    the code counts towards the first line's width), the party after a colon."""
    if not _DK_UNSTRUCTURED.match(text.joined):
        return
    out["gvc"] = "999"
    out["reference"] = _DK_UNSTRUCTURED.sub("", out["reference"] or "", count=1).strip()
    if party := _COLON_PARTY.search(text.joined):
        out["name"] = party.group("name").strip()
        # "XX" is no country: a card scheme's clearing account stands in for the merchant's
        out["account"] = None if party.group("account")[:2] == "XX" else party.group("account")


# mBank (Poland) writes "LABEL: value; " pairs: Z RACH./NA RACH. the other party's account
# (from/to), OD/DLA its name and address (two spaces or a line break after the name)
_PL_ACCOUNT = re.compile(
    r"(?:^|;\s*)(?:Z|NA) RACH\.:\s*(?P<account>[A-Z]{0,2}[0-9 \n]{16,40}?)\s*(?:;|$)"
)
_PL_NAME = re.compile(r"(?:^|;\s*)(?:OD|DLA):\s*(?P<name>[^;]*)")
_PL_TITLE = re.compile(r";\s*TYT\.:")


def _mbank(text: _FreeText, out: Fields) -> None:
    """mBank's ``LABEL: value;`` pairs: ``Z RACH.:``/``NA RACH.:`` the other party's account,
    ``OD:``/``DLA:`` its name and address. A cash deposit has a name but no account
    (``65 WPŁATA GOTÓWKI; OD: JAN KOWALSKI; TYT.: ...``): the title label then shows the form."""
    party = _PL_NAME.search(text.details)
    account = _PL_ACCOUNT.search(text.details)
    if party is None or (account is None and not _PL_TITLE.search(text.details)):
        return
    if account:
        number = "".join(account.group("account").split())
        out["account"] = number if number.strip("0") else None  # all zeros: not given
    out["name"], out["address"] = _mbank_party(party.group("name"))


def _mbank_party(value: str) -> tuple[str | None, str | None]:
    """Read mBank's ``OD:``/``DLA:`` value: the name, then (after a line break or a run of
    spaces) the address, or the two on one line (see :func:`.split_address`)."""
    parts = [" ".join(p.split()) for p in re.split(r"\n| {2,}", value.strip())]
    parts = [p for p in parts if p]
    if not parts:
        return None, None
    name, address = split_address(" ".join(parts))
    if address:
        return name, address
    # no clear address: the name ends at the break, as before
    return parts[0], None


# ABN AMRO's SEPA free text: labelled values, a run of spaces before the next label
_NL_IBAN = re.compile(r"(?:^|\s)IBAN:\s*(?P<account>[A-Z]{2}\d{2}[A-Z0-9]{10,30})(?=\s|$)")
_NL_NAME = re.compile(r"(?:^|\s)NAAM:\s*(?P<name>\S.*?)(?=\s{2,}|\n|$)")


def _abn_amro_sepa(text: _FreeText, out: Fields) -> None:
    """ABN AMRO's SEPA text: ``NAAM: x   ...  IBAN: y``."""
    if labelled := _NL_IBAN.search(text.details):
        out["account"] = labelled.group("account")
        if party := _NL_NAME.search(text.details):
            out["name"] = " ".join(party.group("name").split()) or None


# ING's pre-2014 Dutch layout of a SEPA direct debit: "Europese Incasso, doorlopend <IBAN> <BIC>
# <name> <creditor id> SEPA <mandate> <text>" (the creditor id: country, check digits, business
# code, national id); "SEPA" may be written with a space inside, as NOTPROVIDED below
_ING_INCASSO = re.compile(
    r"^Europese Incasso, \w+ (?P<account>[A-Z]{2}[0-9A-Z]{10,32})"
    r" [A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})? (?P<name>\S.*?) [A-Z]{2}\d{2}[A-Z0-9]{3,} S ?E ?P ?A "
)
# ING's Dutch free text of 2013-2014 (before the /CNTP/ subfields): "<IBAN> <BIC> <name>
# <end-to-end reference> <text>"; the name ends where the reference starts, which shows only
# when the payer gave none: NOTPROVIDED (written with spaces inside when a line was cut there).
# A returned or refused payment starts with the ISO 20022 reason code ("AC04 <IBAN> ...")
_ING_IBAN_BIC = re.compile(
    r"^(?:(?P<reason>[A-Z]{2}\d{2}) )?(?P<account>[A-Z]{2}\d{2}[A-Z0-9]{10,30})"
    r" (?P<bank>[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?)"
    r" (?P<rest>\S.*)$"
)
_ING_NOT_PROVIDED = re.compile(r"^(?P<name>\S.*?) N ?O ?T ?P ?R ?O ?V ?I ?D ?E ?D(?: |$)")


def _ing(text: _FreeText, out: Fields) -> None:
    """ING's Dutch free text: a SEPA direct debit, or ``<IBAN> <BIC> <name> ...``."""
    if incasso := _ING_INCASSO.match(text.joined):
        out["account"], out["name"] = incasso.group("account"), incasso.group("name")
    elif (ing := _ING_IBAN_BIC.match(out["reference"] or "")) and is_iban(ing.group("account")):
        out["account"], out["bank"] = ing.group("account"), ing.group("bank")
        if ing.group("reason"):
            out["return_reason"] = ing.group("reason")
        if party := _ING_NOT_PROVIDED.match(ing.group("rest")):
            out["name"] = party.group("name")


# ABN AMRO's layout before SEPA (32-character columns): the other party's account first, a
# Postbank giro number ("GIRO   428428") or a bank account written with dots ("52.89.39.882"),
# then its name, up to the column's padding (two spaces or more) or the line's end
_ABN_OLD_PARTY = re.compile(
    r"^(?:GIRO +(?P<giro>\d{1,7})|(?P<bank>\d{2}\.\d{2}\.\d{2}\.\d{3}))"
    r"(?: +(?P<name>\S(?:\S| (?! ))*))?"
)


def _abn_amro_old(text: _FreeText, out: Fields) -> None:
    """ABN AMRO's layout before SEPA: the party's account and name on the first line."""
    if old_abn := _ABN_OLD_PARTY.match(text.lines[0]):
        out["account"] = (old_abn.group("giro") or old_abn.group("bank")).replace(".", "")
        out["name"] = old_abn.group("name")


# Knab: "REK: <account>/NAAM: <name>", the account an IBAN or, before SEPA, a Dutch domestic
# account number (up to ten digits; a Postbank/giro number has one to seven)
_KNAB_PARTY = re.compile(
    r"REK:\s*(?P<account>[A-Z]{2}\d{2}[A-Z0-9]{8,30}|\d{1,10})\s*/NAAM:\s*(?P<name>.+)$"
)


def _knab(text: _FreeText, out: Fields) -> None:
    """Knab's free text ending ``REK: <account>/NAAM: <name>``, or a name alone (``NAAM: POS``)
    when no layout found one."""
    if m := _KNAB_PARTY.search(text.joined):
        out["account"], out["name"] = m.group("account"), " ".join(m.group("name").split())
        # the party's line is no remittance: the payer's words are what comes before it
        if tail := _KNAB_PARTY.search(out["reference"] or ""):
            out["reference"] = (out["reference"] or "")[: tail.start()].strip()
    elif not out.get("name") and (party := _NL_NAME.search(text.details)):
        out["name"] = " ".join(party.group("name").split()) or None


_FREE_TEXT_LAYOUTS: tuple[Callable[[_FreeText, Fields], None], ...] = (
    _dk_unstructured,
    _mbank,
    _abn_amro_sepa,
    _ing,
    _abn_amro_old,
    _knab,
)
"""The layouts of a ``:86:`` without subfields that name a party, read in this order: a later
one that finds the party overrides what an earlier one found."""


def _free_text(lines: list[str], width: int) -> Fields:
    """Read a ``:86:`` without subfields: the text, and a party where a known layout names one."""
    text = _FreeText(lines, "\n".join(lines), "".join(lines))
    out: Fields = {"reference": join_wrapped_lines(lines, width=width)}
    for read in _FREE_TEXT_LAYOUTS:
        read(text, out)
    return out


def _swift_lines(lines: list[str], joined: str) -> Fields:
    """Read a ``/CODE/value`` ``:86:`` whose lines were cut anywhere, even inside a code.

    A line well past the 65-character width (Bunq writes 72 and more) shows a writer that does not
    cut: its line break is the text's own, a space in the remittance text, as long as no code is
    split by it (then the lines were cut after all). Lines a little past 65 are still cut lines
    (ING's 66, ABN AMRO's 69 with the tag).
    """
    fields = swift(joined)
    if not any(len(line) > UNCUT_LINE for line in lines[:-1]):
        return fields
    spaced = lines[0]
    for previous, line in itertools.pairwise(lines):
        spaced += f" {line}" if len(previous) > UNCUT_LINE else line
    if _SWIFT_SPLIT.findall(spaced) == _SWIFT_SPLIT.findall(joined):
        fields["reference"] = swift(spaced)["reference"]
    return fields


# --------------------------------------------------------------------------------------------
# SWIFT / Dutch subfields


def is_swift_structured(text: str) -> bool:
    """True when ``text`` is made of ``/CODE/value`` subfields (in any order)."""
    stripped = text.lstrip()
    first = _SWIFT_SPLIT.match(stripped)
    if first and first.group(1) not in _WEAK_CODES:
        return True
    strong = {c for c in _SWIFT_SPLIT.findall(stripped) if c not in _WEAK_CODES}
    return len(strong) >= 2


def swift(text: str) -> Fields:
    """Read ``/TRTP/../IBAN/../BIC/../NAME/../REMI/../EREF/..`` in any order."""
    parts = _SWIFT_SPLIT.split(text.strip())
    values: dict[str, str] = {}
    for code, value in zip(parts[1::2], parts[2::2], strict=True):
        # the first value counts; an empty one gives way to a repeat (Rabobank's "/REMI//REMI/x")
        if not values.get(code, "").strip("/ "):
            values[code] = value
    trailing = _amount_subfields(values)
    out: Fields = {}
    if "CNTP" in values:
        cntp = values["CNTP"].split("/") + [""] * 4
        out["account"], out["bank"], out["name"] = cntp[0] or None, cntp[1] or None, cntp[2] or None
    party_text = _party_subfields(values, out)
    if values.get("NAME", "").strip("/ "):
        out["name"] = values["NAME"].strip("/ ")
    if values.get("IBAN"):
        out["account"] = values["IBAN"].strip("/ ").replace(" ", "")
    elif values.get("BBAN"):  # Knab: a domestic account number instead of the IBAN
        out["account"] = values["BBAN"].strip("/ ").replace(" ", "")
    elif values.get("ACCW"):
        out["account"] = values["ACCW"].split(",")[0].strip("/ ").replace(" ", "")
    if values.get("BIC"):
        out["bank"] = values["BIC"].strip("/ ")
    out["reference"] = _swift_reference(values, parts[0], party_text, trailing)
    for key, code in (
        ("end_to_end_ref", "EREF"),
        ("payment_ref", "PREF"),
        ("return_reason", "RTRN"),
        ("mandate_ref", "MARF"),
        ("creditor_id", "CSID"),
        ("transaction_type", "TRTP"),
        ("purpose_code", "PURP"),
        ("ultimate_party", "ULTD"),
    ):
        value = values.get(code, "").strip("/ ")
        out[key] = " ".join(value.split()) or None
    for key in ("name", "account", "bank"):
        if out.get(key):
            out[key] = " ".join(str(out[key]).split()) or None
    return out


def _swift_reference(
    values: dict[str, str], lead: str, party_text: str, trailing: list[str]
) -> str:
    """The remittance text: ``/REMI/``, else the structured creditor reference, else the text
    before the first code, after a party's name, or after an amount's closing slash."""
    if reference := _remittance(values.get("REMI", "")):
        return reference
    if values.get("CDTRREF", "").strip("/ "):
        # structured remittance (ISO 20022 CdtrRefInf): "/REMI//CDTRREFTP//CD/SCOR/ISSR/CUR
        # /CDTRREF/<ref>", the creditor's reference (a Dutch betalingskenmerk, an RF reference)
        return " ".join(values["CDTRREF"].strip("/ ").split())
    if lead.strip():
        return " ".join(lead.split())
    if party_text:
        return party_text
    return " ".join(" ".join(trailing).strip(" /").split())


# /BENM/<account>/<name>/<more text>: the party's account and name as lines of their own
_PARTY_LINES = re.compile(
    r"(?s)(?P<account>[A-Z]{2}\d{2}[A-Z0-9]{10,30}|\d{8,34})(?:/(?P<name>[^/]*)(?:/(?P<rest>.*))?)?"
)


def _party_subfields(values: dict[str, str], out: Fields) -> str:
    """Read ``/ORDP/`` (ordering party) and ``/BENM/`` (beneficiary) into ``out``.

    Rabobank and ING write ``/ORDP//NAME/x/ID/y/``: the party's own subfields follow an empty
    value. Komercijalna Banka (and banks like it) write the account, the name and the text as
    lines of their own: ``/BENM/300000000000133`` ``/KOMERCIJALNA BANKA AD`` ``/<text>``.

    :returns: the text after such a party's name (the remittance text when there is no REMI).
    """
    for party in ("ORDP", "BENM"):
        value = values.get(party, "").strip("/ ")
        if not value:
            continue
        if m := _PARTY_LINES.fullmatch(value):
            out.setdefault("account", m.group("account"))
            if (m.group("name") or "").strip():
                out.setdefault("name", m.group("name").strip())
            return " ".join((m.group("rest") or "").strip("/ ").split())
        out.setdefault("name", value)
    return ""


def _amount_subfields(values: dict[str, str]) -> list[str]:
    """Cut ``/OCMT/``, ``/CHGS/`` and ``/EXCH/`` to their one amount or rate (``USD2853,12``).

    :returns: the free text that followed the closing slash (HSBC writes the payment details
        there); ``values`` is changed in place.
    """
    trailing: list[str] = []
    for code in ("OCMT", "CHGS", "EXCH"):
        if m := re.fullmatch(r"(?s)([A-Z]{3}\d[\d.,]*|\d[\d.,]*)/(.*)", values.get(code, "")):
            values[code] = m.group(1)
            trailing.append(m.group(2))
    return trailing


# SWIFT's usage rules for :61: subfield 9 (and /CODE/ :86: fields): "/OCMT/EUR11,85/" is the
# original ordered amount, "/CHGS/EUR0,50/" the charges taken from it
_AMOUNT_CODE = re.compile(
    r"/(?P<code>OCMT|CHGS)/(?P<ccy>[A-Z]{3})(?P<amount>\d{1,15}(?:,\d*)?)(?=/|\s|$)"
)


def amount_codes(*texts: str) -> Fields:
    """Read ``/OCMT/`` and ``/CHGS/`` from the supplementary details and the ``:86:`` text.

    :returns: ``original_amount``/``original_currency`` and ``charges``/``charges_currency``
        (amounts as decimal strings), each pair only when written; the first one found wins.
    """
    out: Fields = {}
    for text in texts:
        for m in _AMOUNT_CODE.finditer("".join(text.split("\n"))):
            key = "original" if m.group("code") == "OCMT" else "charges"
            amount_key = "original_amount" if key == "original" else "charges"
            if amount_key in out:
                continue
            whole, _, fraction = m.group("amount").partition(",")
            out[amount_key] = str(Decimal(f"{whole}.{fraction or '0'}"))
            out[f"{key}_currency"] = m.group("ccy")
    return out


# a payment returned or reversed, then the ISO 20022 return reason (ExternalReturnReason1Code)
# the bank gives for it: Westpac's NPP "WITHDRAWAL-PAYMENT RETURN 2413480 07 Feb 2019 MD06
# Requested by payer", "DEPOSIT-PAYMENT RETURN ... BE05 Payee is not familiar"
_RETURN_REASON = re.compile(
    # the coded reasons only (two letters, two digits): TECH or NARR could be a payer's word
    r"\b(?:RETURN(?:ED)?|REVERSAL|REVERSED|REJECT(?:ED)?)\b.{0,80}?\b("
    r"AC0[1-9]|AC1[0-6]|AG0[1-3]|AM0[1-9]|AM1[0-9]|BE0[1-8]|ED05|FF0[1-5]|MD0[1-7]|MS0[23]|"
    r"RC0[1-9]|RR0[1-4]|SL0[12]"
    r")\b",
    re.IGNORECASE | re.DOTALL,
)


def return_reason_in_text(text: str) -> str | None:
    """The ISO 20022 return reason (``MD06``, ``AC04``...) a free ``:86:`` text gives after
    calling the entry a return, reversal or reject, else ``None``."""
    m = _RETURN_REASON.search(text)
    return m.group(1).upper() if m else None


def _remittance(remi: str) -> str:
    remi = remi.strip()
    for prefix in ("USTD//", "USTD/", "STRD/CUR/", "STRD/ISO/", "STRD/SCOR/", "STRD//"):
        if remi.startswith(prefix):
            remi = remi[len(prefix) :]
            break
    return " ".join(remi.strip("/").split())


# --------------------------------------------------------------------------------------------
# Triodos


def _triodos(text: str) -> Fields:
    """Read Triodos' ``000>10 account >20..>29 text >31 own account >32 name`` form.

    ``>10`` is the other party's account in the old form; ``>31`` is the statement's own
    account. The IBAN form puts the other party's BIC in ``>20`` and IBAN in ``>21``, the text
    in ``>22`` on.
    """
    parts = _TRIODOS_FIELD.split(text)
    fields: dict[str, str] = {}
    for code, value in zip(parts[1::2], parts[2::2], strict=True):
        fields[code] = fields.get(code, "") + value
    bic, iban = fields.get("20", "").strip(), fields.get("21", "").strip()
    account: str | None = None
    bank: str | None = None
    first_text = 20
    if _BIC.fullmatch(bic) and _IBAN.fullmatch(iban):
        account, bank, first_text = iban, bic, 22
    elif (own := fields.get("10", "").strip()).strip("0"):
        account = own
    remittance = "".join(fields.get(str(n), "") for n in range(first_text, 30))
    name = "".join(fields.get(str(n), "") for n in (32, 33))
    code = re.match(r"\s*(\d{3})", text)
    return {
        "gvc": code.group(1) if code else None,
        "reference": " ".join(remittance.split()),
        "account": account,
        "bank": bank,
        "name": " ".join(name.split()) or None,
    }


def is_nonref(value: str | None) -> bool:
    """True for an empty reference or a placeholder such as ``NOTPROVIDED``."""
    return (value or "").strip().upper() in NONREF


# a Dutch domestic account number, as banks wrote it before SEPA (Postbank's with a "P")
_NL_DOMESTIC = re.compile(r"P?\d{7,10}")


def names_volksbank_party(customer_ref: str, extra: str, details: str, own: str | None) -> bool:
    """True when a ``:61:`` names the other party the way ASN and SNS (de Volksbank) do.

    Their customer reference is the other party's account and the line after it the party's
    name: an IBAN since SEPA, before it the Dutch account number (``NIOB0987654321`` /
    ``marechal s``). A number is a reference of any kind at other banks, so it counts as the
    account only where the ``:86:`` starts by repeating it and that name, as these banks' does
    (``0987654321 marechal s``); an IBAN is the party's account wherever it stands (but the
    statement's own).
    """
    if not customer_ref or customer_ref == own:
        return False
    if is_iban(customer_ref):
        return True
    head = " ".join(f"{customer_ref} {extra}".split()).casefold()
    text = " ".join(details.split()).casefold()
    return (
        _NL_DOMESTIC.fullmatch(customer_ref) is not None
        and bool(extra.strip())
        and (text == head or text.startswith(f"{head} "))
    )


def volksbank_party(
    account: str, extra: str, name: str | None, reference: str
) -> tuple[str, str | None, str]:
    """The other party of an ASN or SNS (de Volksbank) entry and the remittance without it.

    These banks write the other party's account (see :func:`names_volksbank_party`) as the
    ``:61:`` customer reference and its name on the line after; the ``:86:`` starts by
    repeating both (``NL47INGB0001234567 hr j jansen``) before the payer's text, so that first
    line is no remittance.

    :returns: the account, the name and the reference.
    """
    name = name or " ".join(extra.split()) or None
    head = " ".join(f"{account} {name or ''}".split()).casefold()
    text = " ".join(reference.split())
    if text.casefold() == head or text.casefold().startswith(f"{head} "):
        reference = text[len(head) :].strip()
    return account, name, reference


def entry_text(non_swift: str | None, details: str, customer_ref: str, account: str | None) -> str:
    """The text of an entry whose ``:86:`` gives none: the bank's ``:NS:`` text, else, for an
    entry without ``:86:`` at all, its ``:61:`` reference for the account owner.

    SWIFT calls that reference the one "the account owner can use to identify the reason for
    the entry"; Danske Bank writes its whole text there when it sends no ``:86:``
    (``DBT.DB 70201234``). A placeholder (``NONREF``) or the other party's IBAN (ASN) is none.
    """
    if non_swift:
        return " ".join(non_swift.split())
    if details.strip() or is_nonref(customer_ref) or customer_ref == account:
        return ""
    return " ".join(customer_ref.split())
