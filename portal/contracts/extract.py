"""Propose a contract's number, parties, total and payment terms from a signed PDF's text.

Only a proposal: finance confirms or corrects every field before it reaches the register.
Works on text PDFs (pdfplumber); a scanned PDF without text yields an empty proposal.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

import pdfplumber

log = logging.getLogger(__name__)

_SEP = r"[\s:：]*"
#: "(买方)", "(Buyer)" after a party label
_ROLE = r"(?:\s*[（(][^)）\n]{0,20}[)）])?"
_NUMBER = re.compile(
    r"(?:合同编号|合同号|合同编码|Contract\s*(?:No\.?|Number|#))"
    + _SEP
    + r"([A-Za-z0-9][\w\-/.]*)",
    re.IGNORECASE,
)
_PARTY_A = re.compile(
    r"(?:甲\s*方|买\s*方|需\s*方|Party\s*A|Buyer|Purchaser)" + _ROLE + _SEP + r"([^\n]+)",
    re.IGNORECASE,
)
_PARTY_B = re.compile(
    r"(?:乙\s*方|卖\s*方|供\s*方|Party\s*B|Seller|Supplier|Vendor)" + _ROLE + _SEP + r"([^\n]+)",
    re.IGNORECASE,
)
_TOTAL = re.compile(
    r"(?:合同总金额|合同总价|合同金额|总金额|总价|价款合计|Total\s*(?:Contract\s*)?(?:Amount|Price|Value)"
    r"|Contract\s*(?:Price|Value|Amount))"
    r"[^\d\n]{0,20}?([\d][\d,，]*(?:\.\d{1,2})?)",
    re.IGNORECASE,
)
_CURRENCY = (
    (re.compile(r"人民币|RMB|CNY|¥|￥|元"), "CNY"),
    (re.compile(r"USD|US\$|美元|\$"), "USD"),
    (re.compile(r"EUR|€|欧元"), "EUR"),
    (re.compile(r"HKD|港币|港元"), "HKD"),
)
_TERMS = re.compile(
    r"(?:付款方式|付款条件|结算方式|支付方式|Payment\s*Terms?)" + _SEP + r"([^\n]+)", re.IGNORECASE
)
_DAYS = re.compile(r"(\d{1,3})\s*(?:个)?(?:天|日|days?\b)", re.IGNORECASE)
_NET = re.compile(r"\bnet\s*(\d{1,3})\b", re.IGNORECASE)
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_VALIDITY = re.compile(
    r"(?:有效期|合同期限|Term\s*of\s*(?:the\s*)?Contract|Valid(?:ity)?)[^\n]{0,80}", re.IGNORECASE
)


def pdf_text(content: bytes, *, max_pages: int = 20) -> str:
    """Return the text of the first pages of a PDF ('' when it has none or cannot be read)."""
    try:
        with pdfplumber.open(io.BytesIO(content)) as pdf:
            return "\n".join((page.extract_text() or "") for page in pdf.pages[:max_pages])
    except Exception as exc:
        log.info("contract PDF unreadable: %s", exc)
        return ""


def _clean_party(value: str) -> str:
    value = re.split(r"\s{2,}|（盖章）|\(盖章\)|\(Seal\)|地址|Address", value)[0]
    return value.strip(" ,，;；:：")[:200]


def _date(match: re.Match[str]) -> str | None:
    year, month, day = (int(g) for g in match.groups())
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def propose(content: bytes, *, own_names: Sequence[str] = ()) -> dict[str, Any]:
    """Return the fields the PDF's text suggests; keys are absent when nothing was found.

    Keys: ``number``, ``party_a``, ``party_b``, ``customer_name`` (the party that is not one
    of ``own_names``), ``total``, ``currency``, ``payment_terms`` (the clause),
    ``payment_terms_days``, ``valid_from``, ``valid_to``.
    """
    text = pdf_text(content)
    proposal: dict[str, Any] = {}
    if not text.strip():
        return proposal
    if match := _NUMBER.search(text):
        proposal["number"] = match.group(1).strip()[:64]
    parties = []
    for key, pattern in (("party_a", _PARTY_A), ("party_b", _PARTY_B)):
        if match := pattern.search(text):
            party = _clean_party(match.group(1))
            if party:
                proposal[key] = party
                parties.append(party)
    own = [name for name in own_names if name]
    others = [party for party in parties if not any(o in party or party in o for o in own)]
    if others:
        proposal["customer_name"] = others[0]
    proposal.update(_total_and_currency(text))
    if match := _TERMS.search(text):
        clause = match.group(1).strip()[:300]
        proposal["payment_terms"] = clause
        days = _DAYS.search(clause) or _NET.search(clause)
        if days:
            proposal["payment_terms_days"] = int(days.group(1))
    proposal.update(_validity(text))
    return proposal


def _total_and_currency(text: str) -> dict[str, Any]:
    """``total`` (two decimals) and the ``currency`` named next to it, when the text has one."""
    found: dict[str, Any] = {}
    match = _TOTAL.search(text)
    if match is None:
        return found
    digits = match.group(1).replace(",", "").replace("，", "")
    try:
        found["total"] = str(Decimal(digits).quantize(Decimal("0.01")))
    except InvalidOperation:
        pass
    window = text[max(0, match.start() - 10) : match.end() + 12]
    for pattern, code in _CURRENCY:
        if pattern.search(window):
            found["currency"] = code
            break
    return found


def _validity(text: str) -> dict[str, Any]:
    """``valid_from``/``valid_to`` from the validity clause, else the first (signing) date."""
    found: dict[str, Any] = {}
    if match := _VALIDITY.search(text):
        dates = [d for d in (_date(m) for m in _DATE.finditer(match.group(0))) if d]
        if dates:
            found["valid_from"] = dates[0]
        if len(dates) > 1:
            found["valid_to"] = dates[1]
    if "valid_from" not in found and (match := _DATE.search(text)):
        # the signing date is the usual start of validity
        if signed := _date(match):
            found["valid_from"] = signed
    return found
