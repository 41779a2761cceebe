"""Reading the header cells of CSV/XLSX exports: which role each column plays.

The names come from :mod:`.tabular_layouts_cn_en` (Chinese and English),
:mod:`.tabular_layouts_world` (Europe, the Americas, Japan, India and Brazil),
:mod:`.tabular_layouts_pl` (Poland), :mod:`.tabular_layouts_cz_sk_hu` (Czechia, Slovakia and
Hungary), :mod:`.tabular_layouts_nordic` (Finland, Sweden, Estonia), :mod:`.tabular_layouts_be`
(Belgium), :mod:`.tabular_layouts_latin` (France, Spain, Italy, Switzerland) and
:mod:`.tabular_layouts_cyrillic` (Russian-language exports), appended to each role in that order.

Each role lists its names in order of preference: when two columns could hold a role (交易日期
and 交易时间), the earlier name wins. A name belongs to one role only.
"""

from __future__ import annotations

import re
import unicodedata

from .tabular_layouts_be import BE_SYNONYMS
from .tabular_layouts_cn_en import CN_EN_SYNONYMS
from .tabular_layouts_cyrillic import CYRILLIC_SYNONYMS
from .tabular_layouts_cz_sk_hu import CZ_SK_HU_SYNONYMS
from .tabular_layouts_latin import LATIN_SYNONYMS
from .tabular_layouts_nordic import NORDIC_SYNONYMS
from .tabular_layouts_pl import PL_SYNONYMS
from .tabular_layouts_world import WORLD_SYNONYMS
from .tabular_words import (
    CREDIT_MARKS,
    CURRENCY_NAMES,
    DEBIT_MARKS,
    KNOWN_CURRENCIES,
    names_both_sides,
)

#: each region's names by role, appended to every role in this order (the earlier, the preferred)
_REGIONS = (
    CN_EN_SYNONYMS,
    WORLD_SYNONYMS,
    PL_SYNONYMS,
    CZ_SK_HU_SYNONYMS,
    NORDIC_SYNONYMS,
    BE_SYNONYMS,
    LATIN_SYNONYMS,
    CYRILLIC_SYNONYMS,
)
#: every role's names: Chinese and English first, then the rest of the world's
_SYNONYMS: dict[str, tuple[str, ...]] = {
    role: tuple(name for region in _REGIONS for name in region.get(role, ()))
    for role in dict.fromkeys(role for region in _REGIONS for role in region)
}


_TRAILING_UNIT = re.compile(r"\([^()]*\)$")
_SEPARATORS = re.compile(r"[\s_:*'\"]+")


def normalise_header(cell: str) -> str:
    """Return a header cell reduced for comparison: NFKC, lower case, no spaces, no unit suffix.

    ``收入金额（元）`` and ``收入金额`` compare equal, so do ``Paid in`` and ``PAID_IN``.
    """
    text = unicodedata.normalize("NFKC", cell).strip().strip("\ufeff").lower()
    # mBank marks its header cells with "#" (#Data operacji)
    text = _TRAILING_UNIT.sub("", text.lstrip("#")).strip()
    # CMB's corporate export brackets the other side: 收(付)方名称 is 收/付方名称
    text = _BRACKETED_SIDE.sub(r"\1/\2", text)
    return _latin_unaccented(_SEPARATORS.sub("", text).translate(_TRADITIONAL).translate(_YO))


def _latin_unaccented(text: str) -> str:
    """Drop the accents of Latin letters: a bank writes Détail or Detail, Opération or
    Operation, as its software allows. Other scripts keep their marks (Japanese ガ is not カ)."""
    # the reader checks every row's cells against the header: most (Chinese) cells hold no
    # letter that decomposes, and are returned as they are
    if text.isascii() or unicodedata.is_normalized("NFD", text):
        return text
    kept: list[str] = []
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.combining(char) and kept and kept[-1].isascii():
            continue
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


# Russian writes ё or е in the same word (Счёт, Счет): read both as е
_YO = str.maketrans("ё", "е")


# Hong Kong and Taiwan banks head their columns in traditional characters (存款金額, 提款金額,
# 交易說明, 帳務日期, 餘額, 對方帳號): read as the simplified names of the same words (帳 and
# the mainland variant 帐 as 账). Only
# characters that bank headers use and that never stand for another word in simplified
# script are mapped (Japanese headers share some: 金額 and 金额 are the same amount).
_TRADITIONAL = str.maketrans(
    "額帳賬帐說餘貸戶號幣別對記間轉匯費種類結備註碼細項資過貨錢務稱據證單時狀態處銀櫃臺營業機構來憑傳與筆數總計實應",
    "额账账账说余贷户号币别对记间转汇费种类结备注码细项资过货钱务称据证单时状态处银柜台营业机构来凭传与笔数总计实应",
)


_BRACKETED_SIDE = re.compile(r"([\u4e00-\u9fff])\(([\u4e00-\u9fff]{1,2})\)(?=[\u4e00-\u9fff])")


# BOC's corporate export brackets the English: 交易日期[ Transaction Date ]
_BILINGUAL_SPLIT = re.compile(
    r"\s*[/|\n\[\]【】]+\s*|(?<=[\u4e00-\u9fff)])\s*(?=[a-z])|(?<=[a-z.)])\s*(?=[\u4e00-\u9fff])"
)


def header_role(cell: str) -> tuple[str, int] | None:
    """Return the (role, preference) a header cell names, bilingual headers included.

    ``交易日期 Transaction Date``, ``借方发生额/Debit`` and ``Deposit 存入`` name their role in
    either language: the whole cell is looked up first, then each language's half.
    """
    key = normalise_header(cell)
    if (flag := _flag_header(key)) is not None:
        return flag
    sided = _amount_by_side(cell)
    if sided is not None:
        return sided
    if key in HEADER_ROLES:
        return HEADER_ROLES[key]
    if (money := _currency_first(key)) is not None:
        return money[1]
    if (money := currency_last(cell)) is not None:
        return money[1]
    text = unicodedata.normalize("NFKC", cell).strip().lower()
    found = [HEADER_ROLES.get(normalise_header(p)) for p in _BILINGUAL_SPLIT.split(text) if p]
    named = [f for f in found if f is not None]
    roles = {role for role, _ in named}
    if len(roles) == 1:
        return min(named)
    if roles == {"currency", "amount"}:
        # BOCOM's 交易币种/金额 and 入账币种/金额 hold "CNY 123.18": an amount with its code;
        # the booked one (入账币种, ranked before 交易币种) is preferred
        return "amount", sum(rank for _, rank in named)
    return None


def _flag_header(key: str) -> tuple[str, int] | None:
    """Return the direction role for a normalised header naming both sides of a flag
    (借贷标记, 收付方向, ``Debit/Credit Flag``); listed headers keep their role."""
    if key in HEADER_ROLES or not names_both_sides(key):
        return None
    return "direction", len(_SYNONYMS["direction"])


def _currency_first(key: str) -> tuple[str, tuple[str, int]] | None:
    """Split a normalised header that names its currency before a money role.

    CMB's card statements head the amount ``人民币金额`` (beside ``交易地金额``, the amount in
    the place of purchase's currency); ``美元金额`` and ``港币支出`` are read the same way.
    """
    for name, code in CURRENCY_NAMES.items():
        if len(name) > 1 and key.startswith(name):
            role = HEADER_ROLES.get(key[len(name) :])
            if role is not None and role[0] in ("amount", "credit", "debit"):
                return code, role
    return None


def currency_last(cell: str) -> tuple[str, tuple[str, int]] | None:
    """Split a header that names its currency after a money role: ZKB's ``Debit CHF``,
    ``Credit CHF`` and ``Balance CHF``, ``Betrag EUR``, Crédit Agricole's ``Débit euros``;
    PostFinance's ``Gutschrift in CHF``, ``Crédit en CHF`` and ``Saldo in CHF`` put "in"
    (French "en") before the code."""
    m = _CODE_AFTER.match(unicodedata.normalize("NFKC", cell).strip())
    code = _CURRENCY_WORDS.get(m.group(2).lower(), m.group(2).upper()) if m else None
    if m is None or code not in KNOWN_CURRENCIES:
        return None
    role = HEADER_ROLES.get(normalise_header(m.group(1)))
    if role is None or role[0] not in ("amount", "credit", "debit", "balance"):
        return None
    return code, role


_CODE_AFTER = re.compile(r"^(.+?)[\s_]+(?:(?:in|en)\s+)?([A-Za-z]{3}|euros?)$")
# Crédit Agricole heads its columns "Débit euros" and "Crédit euros"
_CURRENCY_WORDS = {"euro": "EUR", "euros": "EUR"}


def currency_prefix(key: str) -> str | None:
    """Return the currency a normalised header names before its amount (``人民币金额``: CNY)."""
    found = _currency_first(key)
    return found[0] if found else None


def _amount_by_side(cell: str) -> tuple[str, int] | None:
    """Return credit or debit for an amount column whose unit names the side.

    ICBC heads its columns ``交易金额(收入)`` and ``记账金额(支出)``: without the suffix (which
    :func:`normalise_header` drops as a unit like ``(元)``) both would be the amount.
    """
    text = unicodedata.normalize("NFKC", cell).strip().lower()
    unit = _TRAILING_UNIT.search(text)
    if unit is None:
        return None
    base = HEADER_ROLES.get(normalise_header(text[: unit.start()]))
    side = _SEPARATORS.sub("", unit.group()[1:-1])
    if base is None or base[0] != "amount":
        return None
    if side in CREDIT_MARKS:
        return "credit", base[1]
    if side in DEBIT_MARKS:
        return "debit", base[1]
    return None


HEADER_ROLES: dict[str, tuple[str, int]] = {}
"""Normalised header name to (role, preference: lower is better)."""
for _role, _names in _SYNONYMS.items():
    for _rank, _name in enumerate(_names):
        _key = normalise_header(_name)
        if _key in HEADER_ROLES:
            # a traditional spelling listed beside its simplified one reads the same
            if HEADER_ROLES[_key][0] == _role:
                continue
            raise RuntimeError(f"header {_name!r} listed for two roles")  # pragma: no cover
        HEADER_ROLES[_key] = (_role, _rank)
