"""The short names a payer writes for a customer it pays on behalf of: 华联 for
上海华联贸易有限公司, ``ACME`` or ``Hualian`` for "ACME Trading Ltd" / "Shanghai Hualian Trading".

A Chinese name's short name is its trade name (the name without place, trade and legal form);
a Latin name's are its distinctive words (not a legal form, place, trade or common word). The
customers' names and the aliases the ERP gives are indexed, not learned payer names (a payer's
name is not a customer's). :meth:`ShortNames.lookup` returns every customer a text's short name
fits best: one is an answer, several are a question for a person.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from .names import (
    ASCII_LEGAL_TOKENS,
    INDUSTRIES_ASCII,
    LOCATIONS_ASCII,
    canonical,
    name_key,
    name_parts,
)

_CJK = re.compile(r"[\u3400-\u9fff]")
_COMMON = frozenset(
    {
        "THE", "AND", "UND", "FOR", "PAYMENT", "PAYMENTS", "INVOICE", "INVOICES", "INV", "REF",
        "ACCOUNT", "OF", "ON", "BEHALF", "ZAHLUNG", "RECHNUNG", "INTERNATIONAL", "GLOBAL",
        "CHINA", "ASIA", "NEW", "GENERAL", "FIRST", "UNITED", "OUR", "YOUR", "CUSTOMER",
        "CLIENT", "CLIENTS", "PAY", "PAID", "TRANSFER",
    }
)  # fmt: skip
"""Latin words too common to tell one customer by."""
_NOT_A_NAME_CJK = re.compile(
    r"货款|款项|费用|付款|支付|汇款|发票|合同|订单|预付|尾款|运费|租金|工资|社保|税|费|款|货|的|之|等"
)
"""Chinese words of a payment's purpose, not of whom it is paid for."""
_SKIP = frozenset(ASCII_LEGAL_TOKENS) | frozenset(LOCATIONS_ASCII) | frozenset(INDUSTRIES_ASCII)


def _latin_words(name: str) -> set[str]:
    """The distinctive Latin words of a name: three letters or more, not a legal form, place,
    trade or common word."""
    return {
        w
        for w in canonical(name).split()
        if len(w) >= 3 and w.isascii() and w.isalpha() and w not in _SKIP and w not in _COMMON
    }


def names_somebody(text: str) -> bool:
    """True when ``text`` (the words after "on behalf of") holds what may be a name: two
    Chinese characters besides the words of a payment's purpose, or a distinctive Latin word."""
    chinese = _NOT_A_NAME_CJK.sub("", "".join(_CJK.findall(text)))
    return len(chinese) >= 2 or bool(_latin_words(text))


class ShortNames:
    """Customers by the short names of their names and aliases."""

    def __init__(self, names: Iterable[tuple[str, str]]) -> None:
        self._cores: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)
        self._words: dict[str, set[str]] = defaultdict(set)
        self._longest = 2
        for code, name in names:
            parts = name_parts(name_key(name))
            if len(parts.core) >= 2 and _CJK.search(parts.core):
                self._cores[parts.core][code] = (parts.location, parts.industry)
                self._longest = max(self._longest, len(parts.core))
            for word in _latin_words(name):
                self._words[word].add(code)

    def lookup(self, text: str) -> set[str]:
        """Return the customers whose short name ``text`` holds, those whose place or trade it
        also holds (上海华联 of 上海华联贸易 and 北京华联电子) or whose words it holds more of
        preferred; ``set()`` when it holds none."""
        scores: dict[str, int] = defaultdict(int)
        squeezed = "".join(canonical(text).split())
        for size in range(self._longest, 1, -1):
            for start in range(len(squeezed) - size + 1):
                for code, (place, trade) in self._cores.get(
                    squeezed[start : start + size], {}
                ).items():
                    extra = int(bool(place) and place in squeezed)
                    extra += int(bool(trade) and trade in squeezed)
                    scores[code] = max(scores[code], 10 * size + extra)
        for word in _latin_words(text):
            for code in self._words.get(word, ()):
                scores[code] += 10
        if not scores:
            return set()
        best = max(scores.values())
        return {code for code, score in scores.items() if score == best}
