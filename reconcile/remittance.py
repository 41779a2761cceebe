"""The payer's name when a bank writes it only inside the remittance text.

Two families: a label followed by the name (``付款人：上海华美贸易有限公司``, ``Payer: ACME Ltd``,
``Auftraggeber: Muster GmbH``, ``Remitter/汇款人 Wong Ltd``...), and the fixed narratives of Hong
Kong and UK bank exports (``FPS CREDIT CHAN TAI MAN``, ``TT CREDIT GLOBAL SOURCING LIMITED``,
``TRANSFER FROM ...``). The name ends at the next label, a separator or a reference.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["PAYER_LABELS", "payer_from_text"]

PAYER_LABELS: tuple[str, ...] = (
    # Chinese
    "付款人名称",
    "付款人户名",
    "付款人",
    "付款方名称",
    "付款方",
    "付款单位",
    "付款户名",
    "汇款人",
    "汇款方",
    "打款人",
    "交款人",
    "缴款人",
    "转账人",
    "来款单位",
    "来款人",
    # English
    "ordering customer",
    "ordering party",
    "by order of",
    "b/o",  # by order of: UK, Hong Kong and African banks' narratives ("TRF B/O ACME LTD")
    "remitter",
    "payer",
    "originator",
    # German, Dutch, French, Spanish, Italian
    "auftraggeber",
    "zahlungspflichtiger",
    "zahler",
    "absender",
    "opdrachtgever",
    "betaler",
    "donneur d'ordre",
    "emetteur",
    "émetteur",
    "ordenante",
    "remitente",
    "ordinante",
)
# everyday words that are a label only with a colon ("From: Jane Doe", not "credit from lockbox")
_COLON_ONLY = ("from", "sender", "von", "van", "de")
_STOP_LABELS = (
    "用途|附言|摘要|备注|事由|收款人|收款方|账号|帐号|开户行|金额|发票|"
    r"ref(?:erence)?|invoice|inv\b|purpose|memo|details|remarks|account|iban|bic|a/c|acct|"
    r"payee|beneficiary|verwendungszweck|zweck|buchungstext|kenmerk|omschrijving|référence|motif|motivo|causale|"
    r"eref|svwz|remi|for|re|regarding|betreft|für|pour|para|"
    # in favour of, in respect of: what follows a B/O name in the same narratives
    r"ifo|iro"
)
_LABEL = re.compile(
    r"(?:(?<=^)|(?<=[\s,;，；|(（/]))(?:"
    + "|".join(re.escape(label) for label in sorted(PAYER_LABELS, key=len, reverse=True))
    + r")(?:\s*/\s*[\u4e00-\u9fff]{2,5}|\s*/\s*[A-Za-z]{3,12})?\s*(?:[:：=]\s*|\s+(?=\S))",
    re.IGNORECASE,
)
_COLON_LABEL = re.compile(
    r"(?:(?<=^)|(?<=[\s,;，；|(（/]))(?:" + "|".join(_COLON_ONLY) + r")\s*[:：]\s*",
    re.IGNORECASE,
)
_NARRATIVE = re.compile(
    r"^(?:FPS|TT|IBT|CHATS|RTGS|FAST|GIRO|INWARD(?: TT| REMITTANCE)?|CREDIT TRANSFER|"
    r"TELEGRAPHIC TRANSFER|TRANSFER|DEPOSIT|REMITTANCE)"
    r"(?:\s+(?:CREDIT|CR|IN|INWARD|RECEIVED|DEP))?(?:\s+(?:FROM|BY))?\s+(?!TO\b)(?P<name>.+)$",
    re.IGNORECASE,
)
_END = re.compile(
    r"\s*(?:[;|,，；。:：()（）\n]|(?:\s|^)(?:" + _STOP_LABELS + r")(?:\s*[:：.#/]|\s+\S)"
    r"|\s+\S*\d{3,}\S*|$)",
    re.IGNORECASE,
)
# a narrative's own qualifier is no name: Revolut's "Transfer In" names nobody
_NOT_A_NAME = re.compile(
    r"^(?:n/?a|none|unknown|-+|\d+|in|out|cr|credit|inward|received|dep|from|by)$", re.IGNORECASE
)


def payer_from_text(text: str | None) -> str | None:
    """Return the payer's name written inside ``text``, or None when it names none.

    :param text: remittance or description text as the bank wrote it.
    """
    if not text:
        return None
    clean = " ".join(unicodedata.normalize("NFKC", text).split())
    m = _LABEL.search(clean) or _COLON_LABEL.search(clean)
    if m is not None:
        name = _until_end(clean[m.end() :])
        if name:
            return name
    m = _NARRATIVE.match(clean)
    if m is not None:
        return _until_end(m.group("name"))
    return None


def _until_end(rest: str) -> str | None:
    end = _END.search(rest)
    name = (rest[: end.start()] if end else rest).strip(" -/.")
    if len(name) < 2 or _NOT_A_NAME.match(name) or not any(ch.isalpha() for ch in name):
        return None
    return name
