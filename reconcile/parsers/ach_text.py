"""The other party in a US bank's texts: an ACH entry's company, as banks print it.

A BAI2 ``16`` record has no field for the payer, and an OFX NAME holds 32 characters; US banks
write the ACH entry's NACHA fields into the text (Chase's QFX: ``<NAME>ORIG CO NAME:QUILL
CORPORATIO`` and ``<MEMO>ORIG ID:3629529041 DESC DATE:112``). Two layouts cover the big banks'
files:

- labelled, ``ORIG CO NAME:ACME CORP ORIG ID:1234567890 DESC DATE:230101 CO ENTRY
  DESCR:PAYMENT SEC:CCD TRACE#:... EED:... IND ID:... IND NAME:OUR CO`` (``=`` instead of ``:``
  at some banks), where ``ORIG CO NAME`` is the NACHA batch header's Company Name;
- name first, ``ACME CORP DES:PAYMENT ID:12345 INDN:OUR CO CO ID:1234567890 CCD``, where the
  text before ``DES:`` (the Company Entry Description) is the Company Name.

The originating company is the other side either way: the customer who paid a credit, the
biller who collected a debit. ``IND NAME``/``INDN`` is the receiver, our own name, never it.

A wire's Fedwire fields come labelled the same way (Bank of America, Wells Fargo): ``WIRE
TYPE:WIRE IN DATE: 260813 TIME:1621 ET TRN:... ORIG:FARO FACTORING LLC ID:... SND BK:... PMT
DET:...``, the originator (``ORIG:``, ``1/`` before a structured name's first line) paying us;
``WIRE TYPE:WIRE OUT ... BNF:ACME LLC ID:... BNF BK:...``, the beneficiary we paid. Silicon
Valley Bank writes one Fedwire field per 88 record as ``LABEL:=value``: ``ORG:=OPTIONS LINK
WIRE CLEARING`` (the originator), ``BNF NAME:=YOUR NAME HERE INC`` (the beneficiary).
"""

from __future__ import annotations

import re

# the labels banks print the NACHA fields under, longest first so "CO ENTRY DESCR" beats "CO"
_LABELS = (
    "ORIG CO NAME",
    "CO ENTRY DESCR",
    "DESC DATE",
    "ORIG ID",
    "IND NAME",
    "IND ID",
    "PMT INFO",
    "TRACE#",
    "TRACE",
    "CO ID",
    "INDN",
    "DES",
    "SEC",
    "EED",
    "TRN",
    "ID",
)
_LABEL = "|".join(re.escape(label) for label in _LABELS)
_ORIG_CO_NAME = re.compile(
    rf"\bORIG CO NAME\s*[:=]\s*(.*?)(?=\s*\b(?:{_LABEL})\s*[:=]|\s{{2,}}|$)", re.IGNORECASE
)
# "ACME CORP DES:PAYMENT ID:..." : the name, then the entry description and the ids
_NAME_BEFORE_DES = re.compile(r"^(.*?\S)\s+DES\s*:\s*\S.*?\bID\s*:", re.IGNORECASE)


_WIRE_LABELS = (
    "SERVICE REF",
    "PMT DET",
    "SND BK",
    "ORIG BK",
    "BNF BK",
    "ACCT",
    "ORIG",
    "IMAD",
    "OMAD",
    "TIME",
    "DATE",
    "BNF",
    "OBI",
    "RFB",
    "SEQ",
    "TRN",
    "ID",
)
_WIRE_LABEL = "|".join(re.escape(label) for label in _WIRE_LABELS)
_WIRE = re.compile(r"\bWIRE TYPE\s*:", re.IGNORECASE)


# "LABEL:=value" fields, one per 88 record, which the reader joins with commas
_ASSIGNED = re.compile(r"(?:^|,)\s*([A-Z][A-Z .#]*?)\s*:=\s*", re.IGNORECASE)


def counterparty(text: str, *, credit: bool) -> str | None:
    """The other party a US bank's text names: an ACH entry's company, or a wire's originator
    (a credit) or beneficiary (a debit)."""
    if _WIRE.search(text):
        return _wire_party(text, "ORIG" if credit else "BNF")
    if ":=" in text:
        return _assigned(text).get("ORG" if credit else "BNF NAME")
    return ach_company(text)


def _assigned(text: str) -> dict[str, str]:
    """The ``LABEL:=value`` fields of ``text``, by upper-case label."""
    marks = list(_ASSIGNED.finditer(text))
    fields: dict[str, str] = {}
    for mark, after in zip(marks, [*marks[1:], None], strict=True):
        value = text[mark.end() : after.start() if after else len(text)]
        name = _name(value.strip().rstrip(","))
        if name:
            fields.setdefault(" ".join(mark.group(1).upper().split()), name)
    return fields


def _wire_party(text: str, label: str) -> str | None:
    found = re.search(
        rf"\b{label}\s*:\s*(?:\d/)?(.*?)(?=\s*\b(?:{_WIRE_LABEL})\s*:|\s{{2,}}|$)",
        text,
        re.IGNORECASE,
    )
    return _name(found.group(1)) if found else None


def ach_company(text: str) -> str | None:
    """The originating company an ACH entry's text names, or ``None`` when it names none."""
    labelled = _ORIG_CO_NAME.search(text)
    if labelled:
        return _name(labelled.group(1))
    first = _NAME_BEFORE_DES.match(text.strip())
    return _name(first.group(1)) if first else None


def _name(value: str) -> str | None:
    name = " ".join(value.split())
    # a label with nothing after it, or only digits (an id where a name should be)
    return name if name and not name.replace(" ", "").isdigit() else None
