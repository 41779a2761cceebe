"""Summaries packed as ``|label:value|label:value|`` read as the text a person would write.

Bank of Communications (交通银行) writes the details of online payments into its 摘要 column as
pipe-separated labelled values: ``|交易类型:快捷支付|交易说明:生活服务消费|交易商户:某商户|
订单编号:0226b825…|流水号:0226b825…|交易渠道:支付宝|``. The remittance text is the describing
values (交易说明, 附言, 用途...); the bank's serial number (流水号) is the entry's bank reference
when no column gives one; the type, merchant, channel and order number are kept in the row's
raw cells. Without a describing label, every value that is no number or channel stands for the
text (``|交易类型:转账|流水号:ABC123|`` reads ``转账``).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["packed_serial", "unpack_summary"]

_PAIR = re.compile(r"\s*(?P<label>[^|:：\d][^|:：]{0,11}?)\s*[:：]\s*(?P<value>[^|]*?)\s*")
# labels whose value is what the payer or the bank wrote about the payment
_DESCRIBING = frozenset(
    {
        "交易说明",
        "说明",
        "附言",
        "交易附言",
        "汇款附言",
        "用途",
        "交易用途",
        "备注",
        "摘要",
        "交易摘要",
    }
    | {"留言", "转账附言", "memo", "remark", "remarks", "purpose", "description"}
)
# labels of identifiers and of the route the money took: no text of the payment
_NOT_TEXT = re.compile(r"(?:号|编号|号码|id|no\.?|渠道|channel)$", re.IGNORECASE)


# labels of the bank's own serial number of the entry (not the merchant's 订单编号)
_SERIAL = frozenset({"流水号", "交易流水号", "银行流水号"})


def _pairs(text: str) -> list[tuple[str, str]]:
    """The ``label:value`` pairs of a pipe-packed summary, or ``[]`` when it is none.

    A summary is packed when it holds at least two ``|`` and every piece between them is a
    ``label:value`` pair (colon ASCII or full-width).
    """
    stripped = text.strip()
    if stripped.count("|") < 2:
        return []
    pairs: list[tuple[str, str]] = []
    for piece in (p for p in stripped.split("|") if p.strip()):
        m = _PAIR.fullmatch(piece)
        if m is None:
            return []
        pairs.append((unicodedata.normalize("NFKC", m.group("label")).lower(), m.group("value")))
    return pairs


def packed_serial(text: str) -> str:
    """Return the bank's serial number (``流水号:…``) a pipe-packed summary gives, or ``""``."""
    return next((value for label, value in _pairs(text) if label in _SERIAL and value), "")


def unpack_summary(text: str) -> str:
    """Return the readable text of a pipe-packed summary, or ``text`` itself when it is none."""
    pairs = _pairs(text)
    if not pairs:
        return text
    described = [value for label, value in pairs if label in _DESCRIBING and value]
    if not described:
        described = [value for label, value in pairs if value and not _NOT_TEXT.search(label)]
    return " ".join(dict.fromkeys(described))
