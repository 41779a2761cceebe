"""Company-name normalisation, near-namesake rules and a blocking index for fuzzy look-up.

Banks print payer names in many ways: with or without the legal form (有限公司, Co., Ltd.),
with a branch (北京分公司), full-width punctuation, spaces inside Chinese names, upper-case
ASCII without punctuation, or cut at 35 characters. ``name_key`` reduces all of these to one
comparable key; ``NameIndex`` finds the few customers whose key is close to a payer's without
comparing the payer against every customer.
"""

from __future__ import annotations

import functools
import heapq
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

# Banks cut payer names at 35 characters (SWIFT field width); a name this long may be truncated.
TRUNCATION_LENGTH = 35

_CJK_LEGAL_SUFFIXES = (
    "股份有限公司",
    "有限责任公司",
    "集团有限公司",
    "有限公司",
    "责任公司",
    "合伙企业",
    "有限合伙",
    "公司",
)
_ASCII_LEGAL_TOKENS = frozenset(
    {
        "CO",
        "COMPANY",
        "LTD",
        "LIMITED",
        "LLC",
        "INC",
        "INCORPORATED",
        "CORP",
        "CORPORATION",
        "GMBH",
        "AG",
        "KG",
        "PLC",
        "SA",
        "SAS",
        "SARL",
        "BV",
        "NV",
        "LLP",
        "LP",
        "PTE",
        "PVT",
        "PTY",
        "SRL",
        "SPA",
        "KK",
        "OY",
        "AB",
        "AS",
    }
)

LOCATIONS_CJK = (
    "北京", "上海", "天津", "重庆", "广州", "深圳", "苏州", "杭州", "南京", "宁波", "无锡",
    "常州", "南通", "嘉兴", "绍兴", "温州", "金华", "义乌", "台州", "合肥", "厦门", "福州",
    "泉州", "青岛", "济南", "烟台", "大连", "沈阳", "长春", "哈尔滨", "武汉", "长沙",
    "成都", "西安", "郑州", "昆明", "南宁", "东莞", "佛山", "珠海", "中山", "惠州", "汕头",
    "石家庄", "太原", "南昌", "贵阳", "兰州", "海口", "香港", "澳门", "台北", "江苏", "浙江",
    "广东", "山东", "福建", "河北", "河南", "湖北", "湖南", "四川", "安徽", "江西", "辽宁",
    "吉林", "黑龙江", "陕西", "山西", "云南", "贵州", "广西", "海南", "甘肃", "内蒙古",
    "新疆", "西藏", "宁夏", "青海", "昆山", "张家港", "江阴", "常熟", "扬州", "徐州",
)  # fmt: skip
LOCATIONS_ASCII = (
    "BEIJING", "SHANGHAI", "TIANJIN", "CHONGQING", "GUANGZHOU", "SHENZHEN", "SUZHOU",
    "HANGZHOU", "NANJING", "NINGBO", "WUXI", "CHANGZHOU", "NANTONG", "JIAXING", "SHAOXING",
    "WENZHOU", "JINHUA", "YIWU", "TAIZHOU", "HEFEI", "XIAMEN", "FUZHOU", "QUANZHOU", "QINGDAO",
    "JINAN", "YANTAI", "DALIAN", "SHENYANG", "CHANGCHUN", "HARBIN", "WUHAN", "CHANGSHA",
    "CHENGDU", "XIAN", "ZHENGZHOU", "KUNMING", "NANNING", "DONGGUAN", "FOSHAN", "ZHUHAI",
    "ZHONGSHAN", "HUIZHOU", "SHANTOU", "HONGKONG", "MACAU", "TAIPEI", "JIANGSU", "ZHEJIANG",
    "GUANGDONG", "SHANDONG", "FUJIAN", "KUNSHAN",
)  # fmt: skip
INDUSTRIES_CJK = (
    "电子科技", "网络科技", "信息技术", "信息科技", "生物科技", "新材料", "新能源", "科技",
    "电子", "贸易", "国际贸易", "进出口", "实业", "物流", "供应链", "机械", "机电", "化工",
    "医药", "食品", "纺织", "服饰", "服装", "建材", "汽车配件", "汽车", "包装", "印刷",
    "塑料", "塑胶", "五金", "电器", "光电", "能源", "环保", "工程", "设备", "制造", "咨询",
    "商贸", "投资", "控股", "家具", "精密", "模具", "照明", "通信", "软件", "半导体",
    "材料", "工业", "电气", "仪器", "农业", "餐饮", "酒店", "传媒", "文化", "教育", "健康",
)  # fmt: skip
INDUSTRIES_ASCII = (
    "ELECTRONICTECHNOLOGY", "ELECTRONICSTECHNOLOGY", "INFORMATIONTECHNOLOGY", "TECHNOLOGY",
    "TECHNOLOGIES", "TECH", "ELECTRONICS", "ELECTRONIC", "TRADING", "IMPORTEXPORT",
    "INDUSTRIAL", "INDUSTRY", "INDUSTRIES", "LOGISTICS", "SUPPLYCHAIN", "MACHINERY",
    "CHEMICAL", "CHEMICALS", "PHARMACEUTICAL", "PHARMA", "FOODS", "FOOD", "TEXTILE",
    "TEXTILES", "GARMENTS", "APPAREL", "MATERIALS", "AUTOPARTS", "PACKAGING", "PRINTING",
    "PLASTICS", "HARDWARE", "APPLIANCES", "OPTOELECTRONICS", "ENERGY", "ENGINEERING",
    "EQUIPMENT", "MANUFACTURING", "CONSULTING", "INVESTMENT", "HOLDINGS", "HOLDING",
    "FURNITURE", "PRECISION", "LIGHTING", "COMMUNICATIONS", "SOFTWARE", "SEMICONDUCTOR",
    "ELECTRIC", "INSTRUMENTS", "TRADE", "GROUP", "SERVICES",
)  # fmt: skip

ASCII_LEGAL_TOKENS = _ASCII_LEGAL_TOKENS
"""The words of a Latin legal form (``CO``, ``LTD``, ``GMBH``)."""
_CONNECTORS = frozenset({"AND", "UND"})
_LOCATIONS = tuple(sorted(LOCATIONS_CJK + LOCATIONS_ASCII, key=len, reverse=True))
_LOCATION_SET = frozenset(_LOCATIONS)
_INDUSTRIES = tuple(sorted(INDUSTRIES_CJK + INDUSTRIES_ASCII, key=len, reverse=True))
_PUNCT_RE = re.compile(r"[^\w]+|_")
_CJK_RE = re.compile(r"[\u3400-\u9fff]")
_BRANCH_RE = re.compile(r"(?:[\u3400-\u9fff]{2,4}?)(?:市|省)?分(?:公司|厂|部)$")


def _is_cjk(text: str) -> bool:
    return bool(_CJK_RE.search(text))


def canonical(text: str) -> str:
    """Return ``text`` in NFKC form, upper-case, punctuation turned into single spaces."""
    text = unicodedata.normalize("NFKC", text).upper()
    return " ".join(_PUNCT_RE.sub(" ", text).split())


def _words(name: str) -> list[str]:
    # "&" and the word "and" join the same two names ("Johnson & Johnson", "Johnson and Johnson")
    return [t for i, t in enumerate(canonical(name).split()) if i == 0 or t not in _CONNECTORS]


@functools.lru_cache(maxsize=200_000)
def name_key(name: str) -> str:
    """Return the comparable key of a company name.

    Legal forms (有限公司, 股份有限公司, Co., Ltd., GmbH, LLC, Inc., Corp.), branch suffixes
    (北京分公司, Beijing Branch), punctuation of either width and all spaces are removed;
    ASCII is upper-cased. Two spellings of one company give the same key.
    """
    tokens = _words(name)
    # English legal forms and "XXX BRANCH" come as trailing tokens
    while tokens:
        last = tokens[-1]
        if last in _ASCII_LEGAL_TOKENS:
            tokens.pop()
        elif last == "BRANCH":
            tokens.pop()
            if tokens and tokens[-1] in LOCATIONS_ASCII:
                tokens.pop()
        else:
            break
    key = "".join(tokens)
    for _ in range(3):
        before = key
        if key.endswith(("分公司", "分厂", "分部")):
            head = key[: key.rfind("分")]
            cut = head.rfind("公司")
            # "…有限公司北京分公司": everything after the parent's 公司 is the branch
            key = head[: cut + 2] if cut > 0 else _BRANCH_RE.sub("", key) or key
        else:
            cut = key.rfind("公司")
            tail = key[cut + 2 :] if cut > 0 else ""
            if tail and len(tail) <= 5 and ("分" in tail or tail in _LOCATION_SET):
                # a branch cut short by the bank: "…有限公司成都分公", "…有限公司北京"
                key = key[: cut + 2]
        for suffix in _CJK_LEGAL_SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix) + 1:
                key = key[: -len(suffix)]
                break
        if key == before:
            break
    return key


def raw_key(name: str) -> str:
    """Return ``name`` without punctuation and spaces, upper-cased, legal form kept.

    Used for names that a bank cut at 35 characters, where the legal form may be half there.
    """
    return "".join(_words(name))


@dataclass(frozen=True, slots=True)
class NameParts:
    """A name key split into location prefix, core words and industry suffix."""

    location: str
    core: str
    industry: str


_LOCATION_RE = re.compile("|".join(re.escape(x) for x in _LOCATIONS))
_INDUSTRY_RE = re.compile("(?:" + "|".join(re.escape(x) for x in _INDUSTRIES) + ")$")


@functools.lru_cache(maxsize=200_000)
def name_parts(key: str) -> NameParts:
    """Split a name key into (location, core, industry) using lists of places and trades."""
    location = ""
    rest = key
    m = _LOCATION_RE.match(rest)
    if m and len(rest) > m.end() + 1:
        location, rest = m.group(0), rest[m.end() :]
    else:
        # "(上海)" written after the trade name is a location too (NFKC made it plain text)
        m = _LOCATION_RE.search(rest, 2)
        if m and len(rest) - len(m.group(0)) >= 2:
            location, rest = m.group(0), rest[: m.start()] + rest[m.end() :]
    rest = rest.removeprefix("市").removeprefix("省")
    industry = ""
    # the longest trade word the name ends with
    for start in range(len(rest)):
        if start and _INDUSTRY_RE.fullmatch(rest, start):
            industry, rest = rest[start:], rest[:start]
            break
    return NameParts(location, rest, industry)


_LOCATION_ALIASES = {
    "BEIJING": "北京", "SHANGHAI": "上海", "TIANJIN": "天津", "CHONGQING": "重庆",
    "GUANGZHOU": "广州", "SHENZHEN": "深圳", "SUZHOU": "苏州", "HANGZHOU": "杭州",
    "NANJING": "南京", "NINGBO": "宁波", "WUXI": "无锡", "XIAMEN": "厦门", "QINGDAO": "青岛",
    "WUHAN": "武汉", "CHENGDU": "成都", "DONGGUAN": "东莞", "KUNSHAN": "昆山",
}  # fmt: skip


def _same_place(a: str, b: str) -> bool:
    return _LOCATION_ALIASES.get(a, a) == _LOCATION_ALIASES.get(b, b)


def similarity(payer_name: str, candidate_name: str) -> float:
    """Return how alike two company names are, in ``[0, 1]``, near-namesakes kept apart.

    The keys are compared with rapidfuzz; when both names state a location (上海 vs 苏州) or a
    trade (贸易 vs 电子科技) and these differ, the names belong to different companies and the
    similarity is capped at 0.5. A payer name of 35 or more characters may have been cut by the
    bank and is compared with the same-length start of the candidate.
    """
    a = name_key(payer_name)
    b = name_key(candidate_name)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    score = fuzz.ratio(a, b, processor=None) / 100.0
    ra, rb = raw_key(payer_name), raw_key(candidate_name)
    if len(ra) >= 8 and len(rb) > len(ra) and rb.startswith(ra):
        # cut by the bank (35 characters, or 35 bytes of a Chinese name): the start is all there is
        return 1.0
    if len(payer_name) >= TRUNCATION_LENGTH - 2 and len(rb) > len(ra):
        score = max(score, fuzz.ratio(ra, rb[: len(ra)], processor=None) / 100.0)
    if score < _LEADING_NAME and _leads_with(payer_name, candidate_name):
        score = _LEADING_NAME
    if score < 1.0:
        pa, pb = name_parts(a), name_parts(b)
        if (
            pa.core
            and pa.core == pb.core
            and pa.industry == pb.industry
            and pa.location
            and (_same_place(pa.location, pb.location))
        ):
            # the same words in another order: 华美贸易（上海） is 上海华美贸易
            return 1.0
        if pa.location and pb.location and not _same_place(pa.location, pb.location):
            score = min(score, 0.5)
        if (
            pa.industry
            and pb.industry
            and not pa.industry.endswith(pb.industry)
            and not pb.industry.endswith(pa.industry)
        ):
            # 贸易 vs 电子科技 are two companies; 新材料 vs 材料 may be one with a typo
            score = min(score, 0.5)
    return score


_LEADING_NAME = 0.80  # a hint for a person, never a payer for sure


def _leads_with(payer_name: str, candidate_name: str) -> bool:
    """True when the Latin payer name is the candidate's whole name (legal form aside) and one
    or two words more: "microsoft payments" for "Microsoft", "ACME TRADING HAMBURG"."""
    if _is_cjk(payer_name) or _is_cjk(candidate_name):
        return False
    words = [t for t in _words(candidate_name) if t not in _ASCII_LEGAL_TOKENS]
    payer = _words(payer_name)
    return (
        len("".join(words)) >= 5
        and 0 < len(payer) - len(words) <= 2
        and payer[: len(words)] == words
    )


def one_character_off(payer_name: str, candidate_name: str) -> bool:
    """True when the two names differ by one mistyped, missing or extra character of the trade
    name alone: the same place, the same trade, a core of at least two characters.

    华每贸易（上海） for 上海华美贸易 qualifies, as does 苏州隆中华工 for 苏州隆中化工 (the trade
    word mistyped); 苏州华美贸易 (another place) or 上海华美电子 (another trade) do not, nor do
    names too short for one character to be a small part.
    """
    a, b = name_key(payer_name), name_key(candidate_name)
    if a == b or min(len(a), len(b)) < (5 if _is_cjk(a + b) else 10):
        return False
    if Levenshtein.distance(a, b, processor=None, score_cutoff=1) > 1:
        return False
    pa, pb = name_parts(a), name_parts(b)
    return (
        _same_place(pa.location, pb.location)
        and _same_trade(pa, pb)
        and min(len(pa.core), len(pb.core)) >= 2
    )


def _same_trade(pa: NameParts, pb: NameParts) -> bool:
    """True when two names one character apart state the same trade, or the mistyped character
    is in the trade word, which then no longer reads as one (隆中华工 for 隆中化工: the core of
    the one name runs on where the other's trade begins)."""
    if pa.industry == pb.industry:
        return True
    if not pa.industry:
        return pa.core.startswith(pb.core)
    if not pb.industry:
        return pb.core.startswith(pa.core)
    return False


def _grams(key: str) -> set[str]:
    if _is_cjk(key):
        if len(key) < 2:
            return {key}
        return {key[i : i + 2] for i in range(len(key) - 1)}
    if len(key) < 3:
        return {key}
    return {key[i : i + 3] for i in range(len(key) - 2)}


_MAX_WINDOW = 6  # words of a company name, legal form included
_CJK_RUN_RE = re.compile(r"[\u3400-\u9fff（）()]{4,}")


def reference_windows(text: str, *, latin_only: bool = False) -> Iterator[str]:
    """The stretches of a remittance text that may be a customer's full name: runs of two to
    six words, and in Chinese each stretch that ends with 公司 (a name without its legal form
    is too short to tell from other words)."""
    tokens = canonical(text).split()
    for size in range(min(_MAX_WINDOW, len(tokens)), 1, -1):
        for start in range(len(tokens) - size + 1):
            window = tokens[start : start + size]
            if latin_only and not all(t.isascii() and t.isalpha() for t in window):
                continue
            if window[0].isdigit() or window[-1].isdigit():
                continue
            yield " ".join(window)
    if latin_only:
        return
    for run in _CJK_RUN_RE.findall(unicodedata.normalize("NFKC", text)):
        end = run.find("公司")
        while end >= 0:
            for start in range(0, end - 1):
                yield run[start : end + 2]
            end = run.find("公司", end + 2)


class NameIndex:
    """Inverted n-gram index over customer names and aliases for fuzzy look-up.

    Exact keys resolve through a dictionary; otherwise the rarest n-grams of the payer's key
    gather a short list of candidates, and only those are scored with rapidfuzz.
    """

    def __init__(self, *, posting_budget: int = 2400, shortlist: int = 16) -> None:
        self._names: list[tuple[str, str]] = []  # (customer code, original name)
        self._keys: list[str] = []
        self._exact: dict[str, set[str]] = defaultdict(set)
        self._exact_names: dict[tuple[str, str], str] = {}
        self._postings: dict[str, list[int]] = defaultdict(list)
        self._posting_budget = posting_budget
        self._shortlist = shortlist

    def add(self, customer: str, name: str) -> None:
        """Index ``name`` (a legal name, alias or learned payer name) of ``customer``."""
        key = name_key(name)
        if not key:
            return
        idx = len(self._names)
        self._names.append((customer, name))
        self._keys.append(key)
        self._exact[key].add(customer)
        self._exact_names.setdefault((customer, key), name)
        for gram in _grams(key):
            self._postings[gram].append(idx)

    def exact(self, name: str) -> set[str]:
        """Return the customers one of whose names has exactly the key of ``name``."""
        return set(self._exact.get(name_key(name), ()))

    def name_of(self, customer: str, key: str) -> str:
        """Return the indexed name of ``customer`` whose key is ``key``."""
        return self._exact_names.get((customer, key), key)

    def lookup(self, name: str, *, min_similarity: float) -> dict[str, tuple[float, str]]:
        """Return ``{customer: (similarity, matched name)}`` for names close to ``name``.

        :param min_similarity: candidates scoring below this are left out.
        """
        key = name_key(name)
        if not key:
            return {}
        grams = sorted(_grams(key), key=lambda g: len(self._postings.get(g, ())))
        grams = [g for g in grams if g in self._postings]
        if not grams:
            return {}
        # rare n-grams (the trade name) gather the candidates; common ones (上海, 贸易) only
        # rank them, by a membership test instead of walking their long posting lists
        rare = [g for g in grams if len(self._postings[g]) <= self._posting_budget // 8]
        rare = rare or grams[:1]
        common = [g for g in grams if g not in rare]
        counts: dict[int, int] = defaultdict(int)
        used = 0
        for gram in rare:
            posting = self._postings[gram]
            if used and used + len(posting) > self._posting_budget:
                break
            used += len(posting)
            for idx in posting:
                counts[idx] += 1
        if common:
            keys = self._keys
            for idx in counts:
                counts[idx] += sum(1 for g in common if g in keys[idx])
        best = heapq.nlargest(self._shortlist, counts.items(), key=lambda kv: kv[1])
        result: dict[str, tuple[float, str]] = {}
        for idx, _ in best:
            customer, original = self._names[idx]
            score = similarity(name, original)
            if score >= min_similarity and score > result.get(customer, (0.0, ""))[0]:
                result[customer] = (score, original)
        return result


def index_names(entries: Iterable[tuple[str, str]]) -> NameIndex:
    """Build a ``NameIndex`` from ``(customer code, name)`` pairs."""
    index = NameIndex()
    for customer, name in entries:
        index.add(customer, name)
    return index
