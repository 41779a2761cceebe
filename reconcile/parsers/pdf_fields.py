"""Turn the label/value pairs of one receipt into a ``Transaction``."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from ..errors import ParseError
from ..model import Direction, ParseSettings, Transaction
from ..normalize import (
    AmountError,
    DateError,
    infer_dayfirst,
    parse_amount,
    parse_chinese_amount,
    parse_date,
)
from ..problems import problem
from .pdf_labels import (
    currency_of,
    direction_from_amount_label,
    direction_from_kind,
    direction_from_value,
    direction_from_words,
    is_kind_label,
    is_payer_text_label,
    is_reversal,
)
from .pdf_layout import Region
from .pdf_vocabulary import OTHER

_DATE_FIELDS = ("booking_date", "value_date", "booking_time")
_CJK = re.compile(r"[\u3400-\u9fff]")
_CAPITALS = "零壹贰叁肆伍陆柒捌玖拾佰仟万亿元圆角分整正"
_WORDS_RUN = re.compile(rf"[{_CAPITALS}]{{2,}}")
_FIGURES = re.compile(
    r"[-+(]?\s*(?:[A-Z]{3}|US\$|[¥$€£])?\s*[-+]?\d[\d,.' ]*(?:\s*(?:CR|DR))?\)?", re.IGNORECASE
)


_PARTY_FIELDS = frozenset({"payer_name", "payer_account", "payee_name", "payee_account"})
# a single-account receipt names the other side (对方) instead of a payer and a payee
_COUNTER_FIELDS = frozenset({"counter_name", "counter_account"})
_OWN_FIELDS = frozenset({"own_name", "own_account"})
_AMOUNT_FIELDS = frozenset({"amount", "amount_words"})
# a full date printed without a label (宁波银行 prints only 2026年11月03日 in its header)
_DATE_IN_TEXT = re.compile(
    r"(?<!\d)\d{4}\s*(?:年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|(?P<sep>[-/.])\d{1,2}(?P=sep)\d{1,2}(?!\d))"
)


def is_receipt(region: Region) -> bool:
    """True when the region names a party and an amount: what every bank receipt has."""
    fields = region.fields()
    return bool(fields & (_PARTY_FIELDS | _COUNTER_FIELDS)) and bool(fields & _AMOUNT_FIELDS)


def has_party(region: Region) -> bool:
    """True when the region names a payer or payee (it should then be a receipt)."""
    return bool(region.fields() & (_PARTY_FIELDS | _COUNTER_FIELDS))


def file_dayfirst(regions: Iterable[Region], settings: ParseSettings) -> bool | None:
    """Return the day/month order for the file: the setting, else what its dates settle."""
    if settings.dayfirst is not None:
        return settings.dayfirst
    return infer_dayfirst(e.value for r in regions for e in r.entries if e.field in _DATE_FIELDS)


def to_transaction(
    region: Region,
    *,
    filename: str,
    source: str,
    settings: ParseSettings,
    dayfirst: bool | None,
) -> Transaction:
    """Return the transaction one receipt records.

    :raises ParseError: when the receipt lacks an amount or a date, or one is unreadable.
    """
    values: dict[str, str] = {}
    raw: dict[str, str] = {}
    payer_text: str | None = None
    for entry in region.entries:
        if entry.value:  # an empty 金额 cell whose figures follow (小写)：has nothing to give
            values.setdefault(entry.field, entry.value)
            if payer_text is None and entry.field == "reference":
                payer_text = entry.value if is_payer_text_label(entry.label) else None
        key, n = entry.label, 2
        while key in raw:
            key, n = f"{entry.label} ({n})", n + 1
        raw[key] = entry.value
    if payer_text is not None:
        values["reference"] = payer_text  # 用途 over a 摘要 printed before it
    warnings: list[str] = []

    def fail(message: str) -> ParseError:
        page, _, k = source.rpartition("#page=")[2].partition("/")
        return ParseError(
            message, file=filename, location=problem("at_receipt", page=page, receipt=k)
        )

    amount, signed_negative, figures_text, words_amount = _amount(values, warnings, fail)
    chinese = any(_CJK.search(e.label) for e in region.entries)
    currency = _currency(
        values, figures_text, words_amount is not None, chinese, settings, warnings
    )
    if currency is None:
        raise fail(problem("pdf_no_currency"))

    _sides_to_parties(values, region, signed_negative, warnings)
    booking_text = (
        values.get("booking_date")
        or values.get("value_date")
        or values.get("booking_time")
        or _unlabelled_date(region)
    )
    if not booking_text:
        raise fail(problem("pdf_no_date"))
    booking_date = _date(booking_text, dayfirst, warnings, fail)
    value_text = values.get("value_date")
    value_date = _date(value_text, dayfirst, warnings, fail) if value_text else booking_date

    parties = _Parties.of(values)
    direction = _direction(region, values, settings, signed_negative, parties, warnings)
    bank_ref = _clean(values.get("bank_ref") or values.get("receipt_no")) or ""
    if not bank_ref:
        warnings.append(problem("pdf_no_reference"))
    return Transaction(
        bank_ref=re.sub(r"\s+", "", bank_ref),
        booking_date=booking_date,
        value_date=value_date,
        amount=amount,
        direction=direction,
        currency=currency,
        payer_name=parties.payer_name,
        payer_account=parties.payer_account,
        payer_bank=parties.payer_bank,
        payee_name=parties.payee_name,
        payee_account=parties.payee_account,
        reference=_clean(values.get("reference")) or "",
        our_account=parties.our_account(direction),
        source=source,
        raw=raw,
        warnings=warnings,
        reversal=_reversal(region),
    )


def _unlabelled_date(region: Region) -> str | None:
    """The one full date printed in the receipt's unlabelled lines, if there is exactly one."""
    found = {m.group(0) for text in region.texts for m in _DATE_IN_TEXT.finditer(text)}
    return found.pop() if len(found) == 1 else None


def _sides_to_parties(
    values: dict[str, str], region: Region, printed_negative: bool, warnings: list[str]
) -> None:
    """Turn 本方 (the account's own side) and 对方 (the other side) into payer and payee.

    When the receipt names one party outright (an advice's Ordering Party), the account's own
    side is the other one. Otherwise the other side paid when the money came in: 借贷标志 贷,
    the receipt's title, else a figure printed negative says it went out; with none of these a
    credit is assumed.
    """
    if not values.keys() & (_COUNTER_FIELDS | _OWN_FIELDS):
        return
    payer_named = bool(values.keys() & {"payer_name", "payer_account"})
    payee_named = bool(values.keys() & {"payee_name", "payee_account"})
    if payer_named and payee_named:
        return
    if payer_named or payee_named:
        own, other = ("payee", "payer") if payer_named else ("payer", "payee")
    else:
        words = _words_direction(region, values, printed_negative)
        if words is None:
            warnings.append(problem("pdf_sides_no_direction"))
        own, other = ("payer", "payee") if words == "debit" else ("payee", "payer")
    for part in ("name", "account", "bank"):
        if value := values.get(f"own_{part}"):
            values.setdefault(f"{own}_{part}", value)
        if value := values.get(f"counter_{part}"):
            values.setdefault(f"{other}_{part}", value)


def _reversal(region: Region) -> bool:
    # titles and 业务类型-style cells only: a payer's own words in 用途 prove nothing
    kinds = [e.value for e in region.entries if e.field == OTHER]
    return is_reversal(" ".join([*region.texts, *kinds]))


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", value)).strip()
    return value or None


def _account(value: str | None) -> str | None:
    value = _clean(value)
    return re.sub(r"\s+", "", value) if value else None


@dataclass(frozen=True, slots=True)
class _Parties:
    """The payer and the payee as the receipt names them: names and banks with their spacing
    folded, accounts without blanks."""

    payer_name: str | None
    payer_account: str | None
    payer_bank: str | None
    payee_name: str | None
    payee_account: str | None

    @classmethod
    def of(cls, values: dict[str, str]) -> _Parties:
        """Read both sides from a receipt's values by canonical field."""
        return cls(
            payer_name=_clean(values.get("payer_name")),
            payer_account=_account(values.get("payer_account")),
            payer_bank=_clean(values.get("payer_bank")),
            payee_name=_clean(values.get("payee_name")),
            payee_account=_account(values.get("payee_account")),
        )

    def our_account(self, direction: Direction) -> str:
        """Our side's account: the payee's of a credit, the payer's of a debit ("": none)."""
        return (self.payee_account if direction == "credit" else self.payer_account) or ""


def _amount(
    values: dict[str, str], warnings: list[str], fail: Callable[[str], ParseError]
) -> tuple[Decimal, bool, str | None, Decimal | None]:
    """Return (amount, printed negative, the figures as printed, the 大写 amount)."""
    figures_text: str | None = None
    words_text: str | None = None
    for key in ("amount", "amount_words"):
        text = unicodedata.normalize("NFKC", values.get(key, ""))
        words = _WORDS_RUN.search(text)
        if words and words.group(0) not in ("元整", "整"):
            words_text = words_text or words.group(0)
            text = text[: words.start()] + " " + text[words.end() :]
        figures = _FIGURES.search(text)
        if figures and figures_text is None:
            figures_text = text.strip()
    words_amount: Decimal | None = None
    if words_text:
        try:
            words_amount = parse_chinese_amount(words_text)
        except AmountError:
            warnings.append(problem("pdf_words_unreadable", value=words_text))
    if figures_text is None:
        if words_amount is None:
            raise fail(problem("pdf_receipt_no_amount"))
        warnings.append(problem("pdf_words_only"))
        return words_amount, False, None, words_amount
    try:
        signed = parse_amount(figures_text)
    except AmountError:
        match = _FIGURES.search(figures_text)
        try:
            signed = parse_amount(match.group(0) if match else figures_text)
        except AmountError as exc:
            raise fail(problem("pdf_bad_amount", value=figures_text)) from exc
    amount = abs(signed)
    if words_amount is not None and words_amount != amount:
        warnings.append(
            problem(
                "pdf_words_disagree",
                words=words_text,
                amount=f"{words_amount:.2f}",
                figures=f"{amount:.2f}",
            )
        )
    return amount, signed < 0, figures_text, words_amount


def _currency(
    values: dict[str, str],
    figures_text: str | None,
    has_words: bool,
    chinese: bool,
    settings: ParseSettings,
    warnings: list[str],
) -> str | None:
    stated = currency_of(values["currency"]) if values.get("currency") else None
    on_amount = currency_of(figures_text) if figures_text else None
    if stated and on_amount and stated != on_amount:
        warnings.append(problem("pdf_currency_disagrees", stated=stated, on_amount=on_amount))
    if stated or on_amount:
        return stated or on_amount
    if settings.default_currency:
        return settings.default_currency
    if has_words:
        return "CNY"  # a 大写 amount is written in 元
    if chinese:
        warnings.append(problem("pdf_assumed_cny"))
        return "CNY"
    return None


def _date(
    text: str, dayfirst: bool | None, warnings: list[str], fail: Callable[[str], ParseError]
) -> dt.date:
    try:
        first = parse_date(text, dayfirst=dayfirst)
        if dayfirst is None and first != parse_date(text, dayfirst=False):
            warnings.append(problem("pdf_ambiguous_date", value=text))
        return first
    except DateError as exc:
        raise fail(problem("pdf_bad_date", value=text)) from exc


def _is_ours(name: str | None, account: str | None, settings: ParseSettings) -> bool:
    return settings.is_own_account(account) or settings.is_own_name(name)


def _direction(
    region: Region,
    values: dict[str, str],
    settings: ParseSettings,
    printed_negative: bool,
    parties: _Parties,
    warnings: list[str],
) -> Direction:
    we_pay = _is_ours(parties.payer_name, parties.payer_account, settings)
    we_receive = _is_ours(parties.payee_name, parties.payee_account, settings)
    if we_receive != we_pay:
        return "credit" if we_receive else "debit"
    words = _words_direction(region, values, printed_negative)
    why = "pdf_both_own" if we_pay else "pdf_neither_own"
    if words is not None:
        warnings.append(problem(f"{why}_words", direction=words))
        return "credit" if words == "credit" else "debit"
    warnings.append(problem(f"{why}_assumed"))
    return "credit"


def _words_direction(region: Region, values: dict[str, str], printed_negative: bool) -> str | None:
    """The direction the receipt itself states: its 借贷标志, its title, its kind of business
    or amount label (回单类型：汇划收款, 支出金额), else a figure printed negative."""
    stated = direction_from_value(values["direction"]) if values.get("direction") else None
    words = stated or direction_from_words(" ".join(region.texts))
    if words is None:
        kinds = {
            direction_from_kind(e.value)
            for e in region.entries
            if e.field == OTHER and is_kind_label(e.label)
        } | {direction_from_amount_label(e.label) for e in region.entries if e.field == "amount"}
        kinds.discard(None)
        words = kinds.pop() if len(kinds) == 1 else None
    if words is None and printed_negative:
        words = "debit"
    return words
