"""Wording by which a payer says it pays for someone else: 代付, 代…付款, 代为支付, 受…委托,
…委托付款, "on behalf of", "for account of", "o/b/o", "im Auftrag von".

:func:`paid_for_text` returns the words after (or, for 委托, before) the wording, where the
customer paid for is named; :class:`~reconcile.matching.payers.PayerMixin` looks the customer
up in them as it does in a whole remittance text.
"""

from __future__ import annotations

import re
import unicodedata

_STOP = r"[^,，;；。|]"
"""A beneficiary's name runs to the next comma, semicolon or full stop."""

_PATTERNS = (
    # 受上海康达贸易有限公司委托付款: the payer acts on the customer's instruction
    re.compile(rf"受(?P<whom>{_STOP}+?)委托"),
    # 上海康达贸易有限公司委托付款, 委托代付: the customer instructs the payer
    re.compile(rf"(?P<whom>{_STOP}+?)委托(?:代为支付|代付|付款|支付|汇款)"),
    # 代为支付上海康达贸易有限公司货款, 代付上海康达贸易有限公司货款
    re.compile(rf"代为?(?:支付|付款|付)(?P<whom>{_STOP}+)"),
    # 代上海康达贸易有限公司付款 (not 代码, 代理, 代发工资, 代收, 代扣, 代垫)
    re.compile(rf"代(?![为付码理发收扣垫])(?P<whom>{_STOP}+?)(?:付款|支付|付|缴|还款)"),
    re.compile(
        # a statement line wrapped inside the wording loses its space: "foraccount of"
        rf"(?<![A-Z0-9])(?:ON\s*BEHALF\s*OF|O/B/O|OBO|F/A/O|FOR\s*(?:THE\s*)?ACCOUNT\s*OF)"
        rf"(?![A-Z0-9])[\s:.]*(?P<whom>{_STOP}+)"
    ),
    re.compile(rf"(?<![A-Z])IM\s+AUFTRAG\s+(?:VON\s+|DER\s+|DES\s+)?(?P<whom>{_STOP}+)"),
)


_AND_RE = re.compile(r"\s*(?:及|和|与|以及|、|&|\+|;|；|(?<![A-Z])(?:AND|UND|ET)(?![A-Z]))\s*")
"""What joins the names of several customers paid for: 及, 和, 、, "and", "und", "&"."""


def parties(whom: str) -> list[str]:
    """Return the names ``whom`` joins with "and" (华联贸易有限公司及美达商行, "ACME Ltd and
    Beta GmbH"), each stripped; one name when it joins none."""
    upper = unicodedata.normalize("NFKC", whom).upper()
    return [part.strip(" .:") for part in _AND_RE.split(upper) if part.strip(" .:")]


def paid_for_text(text: str) -> str:
    """Return the part of ``text`` that names whom the payer pays for, ``""`` when the text
    says nothing of paying for someone else (or names nobody after saying it)."""
    upper = unicodedata.normalize("NFKC", text).upper()
    for pattern in _PATTERNS:
        found = pattern.search(upper)
        if found is not None and found.group("whom").strip():
            return found.group("whom").strip()
    return ""
