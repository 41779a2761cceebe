"""How a line of a bank receipt is cut into labels and values, and what its words say.

Fields are found by the words banks print in front of them (``pdf_vocabulary``), never by a
per-bank template; this module matches those labels in printed text, and reads titles,
direction marks and currencies.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from .pdf_vocabulary import KIND_LABELS, OTHER, VOCABULARY

# remittance labels that carry the payer's own words; 摘要 and 备注 often hold only the bank's
# summary ("转账", "汇款") when printed beside one of these
_PAYER_TEXT_LABELS = frozenset(
    (
        "用途",
        "附言",
        "汇款用途",
        "交易用途",
        "用途/附言",
        "remittanceinformation",
        "paymentdetails",
        "remittertobeneficiaryinformation",
    )
)


def is_payer_text_label(label: str) -> bool:
    """True when a remittance label holds the payer's own words (用途, 附言), not a summary."""
    return _key(label) in _PAYER_TEXT_LABELS


def normalise(text: str) -> str:
    """Return ``text`` in NFKC form (full-width colons, digits and brackets become ASCII)."""
    return unicodedata.normalize("NFKC", text)


def _key(label: str) -> str:
    # 帐 is the older form of 账 that some banks still print (付款人帐号)
    return re.sub(r"\s+", "", normalise(label)).casefold().rstrip(":").replace("帐", "账")


_FIELD_BY_KEY: dict[str, str] = {}
for _field, _labels in VOCABULARY.items():
    for _label in _labels:
        _FIELD_BY_KEY.setdefault(_key(_label), _field)


def _label_pattern(label: str) -> str:
    parts = normalise(label).split()
    return r"\s+".join(
        r"\s*".join(_char_pattern(ch) for ch in p) if _is_cjk(p) else re.escape(p) for p in parts
    )


def _char_pattern(ch: str) -> str:
    return "[账帐]" if ch == "账" else re.escape(ch)


def _is_cjk(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


_ALTERNATION = "|".join(
    _label_pattern(label)
    for label in sorted(
        {lab for labels in VOCABULARY.values() for lab in labels}, key=len, reverse=True
    )
)
# one label, or several joined by slashes ("付款人/汇款人", "Payer/Remitter", "Amount/金额",
# "Reference No./流水号"): bilingual receipts and banks that print two names for one field
_COMBINED = rf"(?:{_ALTERNATION})\.?(?:\s*/\s*(?:{_ALTERNATION})\.?)*"
# a label followed by a colon, at the start of a cell or after a space; before a colon the
# second name of a combined label may be one the vocabulary lacks ("付款账号/转出账号:")
_COLON_LABEL = re.compile(
    rf"(?:^|(?<=\s))(?P<label>{_COMBINED}(?:\s*/\s*[\u4e00-\u9fff]{{2,6}})?)\s*:",
    re.IGNORECASE,
)
# a Chinese label of four characters or more run into the value before it, as when two
# columns are printed with no gap between them (上海银行: 付款人名称：甲公司收款人名称：乙公司);
# shorter labels (名称, 金额) are too likely to be part of a value
_GLUED_LABEL = re.compile(
    r"(?<=[\u3400-\u9fff\d])(?P<label>"
    + "|".join(
        _label_pattern(label)
        for label in sorted(
            {
                lab
                for labels in VOCABULARY.values()
                for lab in labels
                if _is_cjk(lab) and len(re.sub(r"\s+", "", lab)) >= 4
            },
            key=len,
            reverse=True,
        )
    )
    + r")\s*:"
)
# a whole cell that is only a label (a table cell, no colon)
_WHOLE_LABEL = re.compile(rf"^\s*(?P<label>{_COMBINED})\s*:?\s*$", re.IGNORECASE)
# a label opening a cell, followed by a space and its value, or a Chinese label run straight
# into figures (华夏银行: 交易日期2026-11-03, 发生额12,345.60)
_LEADING_LABEL = re.compile(
    rf"^\s*(?P<label>{_COMBINED})(?:\s+(?=\S)|(?<=[\u3400-\u9fff])(?=[\d¥$€£]))",
    re.IGNORECASE,
)


# every leading part of a Chinese label, spacing removed: lets letter-spaced labels printed
# with wide gaps (金　　额, 开  户  行) be rejoined one character at a time
_CJK_LABEL_PREFIXES = frozenset(
    key[:n] for key in _FIELD_BY_KEY if _is_cjk(key) for n in range(1, len(key) + 1)
)


def is_label_prefix(text: str) -> bool:
    """True when ``text`` (spacing ignored) is the start of a Chinese label, or one whole."""
    return _key(text) in _CJK_LABEL_PREFIXES


def field_of(label: str) -> str | None:
    """Return the canonical field a printed label stands for, or None.

    A combined label (``付款人/汇款人``, ``Payer A/C/付款账号``) stands for the field of its
    first part; the parts are found longest first, since a label may hold a slash (``A/C``).
    """
    key = _key(label)
    found = _FIELD_BY_KEY.get(key) or _FIELD_BY_KEY.get(key.rstrip("."))
    if found is not None or "/" not in key:
        return found
    parts = [p.rstrip(".") for p in key.split("/")]
    i = 0
    while i < len(parts):
        for j in range(len(parts), i, -1):
            field = _FIELD_BY_KEY.get("/".join(parts[i:j]))
            if field is not None:
                return field if i == 0 else None
        i += 1
    return None


@dataclass(slots=True)
class Token:
    """A piece of one printed line: a label or a run of value text, with its left edge."""

    text: str
    x0: float
    field: str | None = None
    """The canonical field when this token is a label."""

    @property
    def is_label(self) -> bool:
        """True when the token is a label (it has a canonical field)."""
        return self.field is not None


def tokenise_cell(words: Sequence[tuple[str, float, float]]) -> list[Token]:
    """Cut one cell of a line, given as its words ``(text, x0, x1)``, into label and value tokens.

    Each token gets the left edge of where it starts on the page (exact at word boundaries,
    interpolated inside a word such as ``用途：货款``): the grid assigns labels to a party by
    position and wrapped values are recognised by their alignment.
    """
    pieces = [(_currency_last(normalise(text)), _advances(text), x0, x1) for text, x0, x1 in words]
    text = " ".join(p[0] for p in pieces)
    if not text.strip():
        return []
    where = _Positions(text, pieces)
    if m := _WHOLE_LABEL.match(text):
        return [_label_token(m.group("label"), where.x_at(m.start("label")))]
    tokens: list[Token] = []
    pos = 0
    matches = _colon_labels(text)
    if not matches or matches[0].start() > 0:
        if m := _LEADING_LABEL.match(text):
            tokens.append(_label_token(m.group("label"), where.x_at(m.start("label"))))
            pos = m.end()
    for m in matches:
        if m.start() < pos:
            continue
        before = text[pos : m.start()].strip()
        if before:
            tokens.append(Token(before, where.x_at(where.skip_spaces(pos))))
        tokens.append(_label_token(m.group("label"), where.x_at(m.start("label"))))
        pos = m.end()
    rest = text[pos:].strip()
    if rest:
        tokens.append(Token(rest, where.x_at(where.skip_spaces(pos))))
    return tokens


def _colon_labels(text: str) -> list[re.Match[str]]:
    """The labels followed by a colon in ``text``, left to right, glued ones included."""
    matches = list(_COLON_LABEL.finditer(text))
    for m in _GLUED_LABEL.finditer(text):
        if not any(o.start() < m.end() and m.start() < o.end() for o in matches):
            matches.append(m)
    return sorted(matches, key=lambda m: m.start())


# the currency run into the amount label in one word (交通银行's "CNY金额：", "人民币金额：")
_CURRENCY_FIRST = re.compile(
    r"^(?P<currency>[A-Z]{3}|人民币|美元|欧元|港币|港元|英镑|日元)"
    r"(?P<label>(?:交易|汇款|入账)?金额|发生额)(?P<colon>\s*:)?",
)


def _currency_last(word: str) -> str:
    """Move a currency printed before an amount label to the value: ``金额:CNY 12.00``."""
    m = _CURRENCY_FIRST.match(word)
    if m is None or m.group("currency").upper() not in _ISO_CODES | _CURRENCY_WORDS:
        return word
    colon = ":" if m.group("colon") else ""
    return f"{m.group('label')}{colon} {m.group('currency')} {word[m.end() :].strip()}".rstrip()


class _Positions:
    """Page x positions of the characters of one cell's text (its words joined by spaces)."""

    def __init__(self, text: str, pieces: Sequence[tuple[str, list[int], float, float]]) -> None:
        self.text = text
        self.starts: list[tuple[int, str, list[int], float, float]] = []
        offset = 0
        for piece, advances, x0, x1 in pieces:
            self.starts.append((offset, piece, advances, x0, x1))
            offset += len(piece) + 1

    def x_at(self, pos: int) -> float:
        """The left edge of character ``pos``, interpolated inside its word."""
        for start, piece, advances, x0, x1 in reversed(self.starts):
            if pos >= start:
                if len(advances) != len(piece):  # NFKC changed the length: spread evenly
                    advances = [1] * len(piece)
                inside = sum(advances[: pos - start])
                return x0 + (x1 - x0) * inside / max(sum(advances), 1)
        return self.starts[0][3]

    def skip_spaces(self, pos: int) -> int:
        """The first non-space position at or after ``pos``."""
        while pos < len(self.text) and self.text[pos].isspace():
            pos += 1
        return pos


def _advances(text: str) -> list[int]:
    """Relative widths of the characters: full-width (CJK, ：) count two, the rest one."""
    return [2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text]


def _label_token(label: str, x0: float) -> Token:
    clean = re.sub(r"\s+", " ", label).strip()
    # letter-spaced Chinese labels (金　额) are recorded as printed without the spacing
    clean = re.sub(r"(?<=[\u3400-\u9fff)]) (?=[\u3400-\u9fff(])", "", clean)
    return Token(clean, x0, field_of(clean) or OTHER)


# --------------------------------------------------------------------------------------------
# words that say which way the money went, when our own accounts do not

_CREDIT_WORDS = re.compile(
    r"收款回单|收款通知|贷方回单|贷记|贷方|入账|来账|收入|回单\s*\(\s*收款\s*\)|"
    r"credit\s+advice|credit\s+note|credit\s+confirmation|incoming\s+payment|"
    r"inward\s+remittance",
    re.IGNORECASE,
)
_DEBIT_WORDS = re.compile(
    r"付款回单|付款通知|借方回单|借记|借方|出账|往账|支出|回单\s*\(\s*付款\s*\)|扣款回单|"
    r"收费回单|debit\s+advice|debit\s+note|debit\s+confirmation|outgoing\s+payment|"
    r"outward\s+remittance",
    re.IGNORECASE,
)
_DIRECTION_VALUES = {
    "贷": "credit",
    "收": "credit",
    "c": "credit",
    "cr": "credit",
    "credit": "credit",
    "借": "debit",
    "付": "debit",
    "d": "debit",
    "dr": "debit",
    "debit": "debit",
}


def direction_from_words(text: str) -> str | None:
    """Return "credit" or "debit" when the receipt's own words say so unambiguously."""
    credit = bool(_CREDIT_WORDS.search(text))
    debit = bool(_DEBIT_WORDS.search(text))
    if credit == debit:
        return None
    return "credit" if credit else "debit"


_REVERSAL = re.compile(r"冲正|冲账|冲销|退汇|reversal|reversed|return(?:ed)?\s+payment", re.I)


def is_reversal(text: str) -> bool:
    """True when a receipt's title or type says it reverses an earlier entry."""
    return bool(_REVERSAL.search(text))


_KIND_KEYS = frozenset(_key(label) for label in KIND_LABELS)
# inside a kind-of-business cell a bare 收款/付款 is the receipt's own side, unlike in the
# footers ("本回单不作为收款方发货依据") where those words may appear on any receipt
_KIND_CREDIT = re.compile(r"收付?款|收入|来账|入账|贷")
_KIND_DEBIT = re.compile(r"付款|支出|往账|出账|借")


def is_kind_label(label: str) -> bool:
    """True when a label names the kind of business (回单类型, 业务种类...)."""
    return _key(label) in _KIND_KEYS


def direction_from_kind(value: str) -> str | None:
    """Return the direction a kind-of-business cell (汇划收款, 付款回单) states, if any."""
    words = direction_from_words(value)
    if words is not None:
        return words
    credit, debit = bool(_KIND_CREDIT.search(value)), bool(_KIND_DEBIT.search(value))
    if credit == debit:
        return None
    return "credit" if credit else "debit"


# only words from the account holder's side: an HSBC payment advice sent to the beneficiary
# prints the remitter's "Debit amount"
_AMOUNT_CREDIT = re.compile(r"^(?:收入|贷方|amountcredited)")
_AMOUNT_DEBIT = re.compile(r"^(?:支出|借方|amountdebited)")


def direction_from_amount_label(label: str) -> str | None:
    """Return the direction an amount's own label names (收入金额, 支出金额, Amount Credited)."""
    key = _key(label)
    if _AMOUNT_CREDIT.match(key):
        return "credit"
    if _AMOUNT_DEBIT.match(key):
        return "debit"
    return None


def direction_from_value(value: str) -> str | None:
    """Return the direction a 借贷标志 / Dr/Cr cell states, if any."""
    key = normalise(value).strip().casefold()
    if key in _DIRECTION_VALUES:
        return _DIRECTION_VALUES[key]
    return direction_from_words(value)


# --------------------------------------------------------------------------------------------
# titles and currencies

TITLE = re.compile(
    r"回单|回执|凭证|通知书|advice|receipt|confirmation|remittance\s+slip", re.IGNORECASE
)

_CURRENCY_NAMES = {
    "人民币": "CNY",
    "rmb": "CNY",
    "cny": "CNY",
    "¥": "CNY",
    "元": "CNY",
    "美元": "USD",
    "usd": "USD",
    "us$": "USD",
    "$": "USD",
    "欧元": "EUR",
    "eur": "EUR",
    "€": "EUR",
    "港币": "HKD",
    "港元": "HKD",
    "hkd": "HKD",
    "英镑": "GBP",
    "gbp": "GBP",
    "£": "GBP",
    "日元": "JPY",
    "jpy": "JPY",
}
_CURRENCY_IN_TEXT = re.compile(
    r"人民币|美元|欧元|港币|港元|英镑|日元|US\$|[¥$€£]|(?<![A-Za-z])[A-Z]{3}(?![A-Za-z])"
)
_CURRENCY_WORDS = frozenset(("人民币", "美元", "欧元", "港币", "港元", "英镑", "日元"))
_ISO_CODES = frozenset(
    "CNY USD EUR HKD GBP JPY CHF AUD CAD SGD NZD SEK NOK DKK KRW TWD MOP RUB INR THB MYR".split()
)


def currency_of(text: str) -> str | None:
    """Return the ISO code a currency cell or an amount's sign or code names, if any."""
    s = normalise(text).strip()
    for m in _CURRENCY_IN_TEXT.finditer(s):
        token = m.group(0)
        code = _CURRENCY_NAMES.get(token.casefold())
        if code:
            return code
        if token.upper() in _ISO_CODES:
            return token.upper()
    if "元" in s and not re.search(r"[零壹贰叁肆伍陆柒捌玖]", s):
        return "CNY"
    return None
