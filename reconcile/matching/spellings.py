"""Other spellings of one payer: pinyin for Chinese names, person names in another order.

Foreign banks print a Chinese customer in pinyin (宁波泰丰纺织有限公司 paying as ``NINGBO TAIFENG
TEXTILE CO LTD``, 张伟 as ``ZHANG WEI`` or ``WEI ZHANG``); people write their names with
initials, a middle name or the surname first (``Smith, John A.`` for ``John Smith``). These
rules find the customer such a name stands for; they are consulted only when the usual name
look-up found nobody, and only a single customer found counts.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from .names import name_key

__all__ = ["SpellingIndex", "latin_tokens", "pinyin_syllables", "same_person"]

_CJK = re.compile(r"[\u3400-\u9fff]")
_LEGAL = frozenset(
    "CO COMPANY CORP CORPORATION LTD LIMITED INC LLC GMBH AG BV SA PLC PTE HK HONG KONG "
    "GROUP HOLDINGS".split()
)
# words a pinyin trade name is often followed by in its English form (宁波泰丰纺织 → TEXTILE)
_TRADE = frozenset(
    "TRADING TRADE TEXTILE TEXTILES TECHNOLOGY TECH ELECTRONIC ELECTRONICS LOGISTICS CHEMICAL "
    "CHEMICALS MACHINERY FOOD FOODS INDUSTRIAL INDUSTRY IMPORT EXPORT IMP EXP DEVELOPMENT "
    "INTERNATIONAL INTL ENTERPRISE MANUFACTURING PACKAGING MATERIAL MATERIALS GARMENT GARMENTS "
    "APPAREL FURNITURE PLASTIC PLASTICS METAL METALS AND &".split()
)
_MIN_CHARS = 4  # a company's pinyin must cover at least its city and trade name
# the English of a trade word, to tell 宁波泰丰纺织 from 宁波泰丰化工 when both spell NINGBO TAIFENG
_TRADE_CN = {
    "TRADING": "贸易", "TRADE": "贸易", "TEXTILE": "纺织", "TEXTILES": "纺织", "TECHNOLOGY": "科技",
    "TECH": "科技", "ELECTRONIC": "电子", "ELECTRONICS": "电子", "LOGISTICS": "物流",
    "CHEMICAL": "化工", "CHEMICALS": "化工", "MACHINERY": "机械", "FOOD": "食品", "FOODS": "食品",
    "GARMENT": "服装", "GARMENTS": "服装", "APPAREL": "服装", "FURNITURE": "家具",
    "PLASTIC": "塑料", "PLASTICS": "塑料", "METAL": "金属", "METALS": "金属", "PACKAGING": "包装",
    "INDUSTRIAL": "实业", "DEVELOPMENT": "发展", "INTERNATIONAL": "国际", "IMPORT": "进出口",
    "EXPORT": "进出口", "HARDWARE": "五金", "APPLIANCES": "电器", "APPLIANCE": "电器",
    "ELECTRIC": "电气", "PHARMACEUTICAL": "医药", "MEDICAL": "医疗", "PRECISION": "精密",
    "MATERIALS": "材料", "MATERIAL": "材料", "SUPPLY": "供应链", "CONSTRUCTION": "建设",
    "ENGINEERING": "工程", "AUTO": "汽车", "AUTOMOTIVE": "汽车", "STEEL": "钢铁",
    "BIOTECH": "生物", "BIOLOGICAL": "生物", "ENERGY": "能源", "GLASS": "玻璃", "PAPER": "纸业",
    "TOYS": "玩具", "SHOES": "鞋业", "OPTICAL": "光学", "CERAMICS": "陶瓷", "PHARMA": "医药",
}  # fmt: skip


def latin_tokens(name: str) -> list[str]:
    """Upper-case ASCII words of ``name`` (NFKC, accents and punctuation dropped)."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", name))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.findall(r"[A-Z0-9]+", text.upper().replace("'", ""))


@functools.lru_cache(maxsize=65536)
def pinyin_syllables(name: str) -> tuple[str, ...]:
    """The toneless pinyin of the Chinese characters of ``name``'s key, upper case."""
    from pypinyin import Style, lazy_pinyin  # imported here: only Chinese names need it

    key = "".join(_CJK.findall(name_key(name)))
    if not key:
        return ()
    return tuple(s.upper().replace("Ü", "V") for s in lazy_pinyin(key, style=Style.NORMAL))


def same_person(a: str, b: str, *, surname_first: bool = False) -> bool:
    """True when two Latin person names agree: same surname, given names equal or initials.

    ``John A. Smith``, ``Smith, John``, ``J. Smith`` and ``JOHN ALBERT SMITH`` are one person;
    ``Jane Smith`` is not ``John Smith``. With ``surname_first``, ``a`` is read with its
    surname first even without a comma (``SMITH JOHN``, as many banks print a name).
    """
    pa, pb = _person(a, surname_first=surname_first), _person(b)
    if pa is None or pb is None:
        return False
    (sa, ga), (sb, gb) = pa, pb
    if sa != sb or not ga or not gb:
        return False
    first_a, first_b = ga[0], gb[0]
    if len(first_a) > 1 and len(first_b) > 1:
        return first_a == first_b
    return first_a[0] == first_b[0]


def _person(name: str, *, surname_first: bool = False) -> tuple[str, list[str]] | None:
    if _CJK.search(name):
        return None
    tokens = [t for t in latin_tokens(name) if t not in _LEGAL]
    if not 2 <= len(tokens) <= 4 or any(t.isdigit() for t in tokens):
        return None
    if surname_first or "," in name:  # "Smith, John A.", "SMITH JOHN"
        return tokens[0], tokens[1:]
    if len(tokens) >= 3 and len(tokens[-1]) == 1 and all(len(t) > 1 for t in tokens[:2]):
        # a trailing initial is no surname: "Jackson Ella W." is kept surname first
        return tokens[0], tokens[1:]
    return tokens[-1], tokens[:-1]


class SpellingIndex:
    """Customers by the pinyin of their Chinese names and by their Latin person names."""

    def __init__(self, names: Iterable[tuple[str, str]]) -> None:
        self._pinyin: dict[str, set[str]] = defaultdict(set)
        self._chars: dict[tuple[str, str], int] = {}
        self._persons: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self._names: dict[str, list[str]] = defaultdict(list)
        for code, name in names:
            self._names[code].append(name)
            self._add(code, name)

    def _add(self, code: str, name: str) -> None:
        syllables = pinyin_syllables(name)
        if syllables:
            person = len(syllables) <= 3
            # every prefix of the name's pinyin from its city and trade name on (or the whole
            # of a person's name, also given name first: 张伟 → ZHANGWEI, WEIZHANG)
            start = len(syllables) if person else min(_MIN_CHARS, len(syllables))
            for n in range(start, len(syllables) + 1):
                key = "".join(syllables[:n])
                self._pinyin[key].add(code)
                self._chars[(key, code)] = n
            if person and len(syllables) >= 2:
                self._pinyin["".join(syllables[1:] + syllables[:1])].add(code)
            return
        parsed = _person(name)
        if parsed is not None:
            self._persons[parsed[0]].append((code, name))

    def lookup(self, payer: str) -> set[str]:
        """Return the customers ``payer`` spells another way (empty when none or unsure)."""
        if _CJK.search(payer):
            return set()
        tokens = [t for t in latin_tokens(payer) if t not in _LEGAL]
        found = self._by_pinyin(tokens)
        if found:
            return found
        parsed = _person(payer)
        if parsed is None:
            return set()
        found = {
            code for code, name in self._persons.get(parsed[0], ()) if same_person(payer, name)
        }
        if found or "," in payer:
            return found
        # the surname first without a comma (``HADDOCK ARCHIBALD``, ``MUELLER HANS``), as banks
        # and SEPA files often print a person; only a whole given name counts, not an initial
        surname, given = tokens[0], tokens[1:]
        if not given or len(given[0]) < 2:
            return set()
        return {
            code
            for code, name in self._persons.get(surname, ())
            if same_person(payer, name, surname_first=True)
        }

    def _by_pinyin(self, tokens: list[str]) -> set[str]:
        # the longest run of leading words that spells a customer's pinyin (city and trade
        # name at least); what follows is the English of the trade (TEXTILE, HARDWARE...)
        for n in range(len(tokens), 0, -1):
            rest = tokens[n:]
            if len([t for t in rest if t not in _TRADE]) > 3:
                continue
            codes = self._pinyin.get("".join(tokens[:n]))
            if not codes:
                continue
            if len(codes) > 1 and rest:
                trades = {_TRADE_CN[t] for t in rest if t in _TRADE_CN}
                fitting = {
                    c for c in codes if any(all(w in n for w in trades) for n in self._names[c])
                }
                return fitting if trades and fitting else set(codes)
            return set(codes)
        return set()
