"""Normalise the amounts, dates and Chinese capital-numeral (大写) amounts banks print.

Every parser reads money and dates through this module so that ``¥12,345.60``,
``12.345,60 EUR``, ``(1,234.00)``, ``壹万贰仟叁佰肆拾伍元陆角整``, ``2026年11月03日`` and
``03 Nov 2026`` all come out the same way everywhere.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from .errors import ParseError
from .problems import problem

__all__ = [
    "AmountError",
    "DateError",
    "format_chinese_amount",
    "infer_dayfirst",
    "parse_amount",
    "parse_chinese_amount",
    "parse_date",
]


class AmountError(ParseError, ValueError):
    """Text that should be an amount is not one."""


class DateError(ParseError, ValueError):
    """Text that should be a date is not one."""


# --------------------------------------------------------------------------------------------
# amounts in figures

# Longest first so that "CNY" is stripped before a stray "Y" could be considered.
_CURRENCY_WORDS = (
    "人民币",
    "RMB",
    "CNY",
    "USD",
    "EUR",
    "GBP",
    "HKD",
    "JPY",
    "CHF",
    # Central European exports: mBank's "-1 234,56 PLN", "zł", Czech "Kč", Hungarian "Ft"
    "PLN",
    "CZK",
    "HUF",
    "ZŁ",
    "KČ",
    "FT",
    "US$",
    "HK$",
    "元",
)
_CURRENCY_SIGNS = "¥$€£"  # ￥ becomes ¥ under NFKC
_SPACES = re.compile(r"[\s\u00a0\u2007\u2009\u202f]+")
# "1.00 DR", and as Chinese statements print the side after the figure: "1,000.00贷", "35.00 借"
_SIGN_SUFFIX = re.compile(r"(?i)(?<![A-Z])\s*(CR|DR|贷|借)\.?$")
_NUMBER = re.compile(r"^[0-9.,' ]+$")


def parse_amount(text: str, *, decimal_comma: bool | None = None) -> Decimal:
    """Return the signed amount written in ``text``.

    Currency signs and codes (¥ ￥ $ € CNY RMB USD EUR 人民币 元...) may stand before or after the
    figures; thousands may be grouped with ``,`` ``.`` spaces or apostrophes. A negative amount
    is written ``-1.00``, ``1.00-``, ``(1.00)``, ``1.00 DR`` or ``1.00借`` (``CR`` and ``贷`` are
    positive).

    :param decimal_comma: True when ``,`` is the decimal separator, False when ``.`` is; None
        decides from the text (the last separator followed by one or two digits is decimal,
        a single separator followed by exactly three digits groups thousands).
    :raises AmountError: when ``text`` is not an amount.
    """
    original = text
    s = unicodedata.normalize("NFKC", text).strip()
    if not s:
        raise AmountError(problem("amount_empty"))
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1].strip()
    m = _SIGN_SUFFIX.search(s)
    if m and re.search(r"\d", s[: m.start()]):
        negative = negative or m.group(1).upper() in ("DR", "借")
        s = s[: m.start()].strip()
    s = _strip_currency(s)
    if s.startswith(("-", "+")):
        negative = negative or s[0] == "-"
        s = _strip_currency(s[1:])
    elif s.endswith(("-", "+")):
        negative = negative or s[-1] == "-"
        s = _strip_currency(s[:-1])
    s = _SPACES.sub(" ", s.replace("\u2019", "'"))
    if not s or not _NUMBER.match(s) or not any(ch.isdigit() for ch in s):
        raise AmountError(problem("not_amount", value=original))
    digits = _canonical_digits(s, decimal_comma, original)
    try:
        value = Decimal(digits)
    except InvalidOperation as exc:  # pragma: no cover - _canonical_digits only builds valid text
        raise AmountError(problem("not_amount", value=original)) from exc
    return -value if negative else value


def _strip_currency(s: str) -> str:
    changed = True
    while changed:
        changed = False
        s = s.strip()
        upper = s.upper()
        for word in _CURRENCY_WORDS:
            if upper.startswith(word):
                s, changed = s[len(word) :], True
                break
            if upper.endswith(word):
                s, changed = s[: -len(word)], True
                break
        if s[:1] in _CURRENCY_SIGNS and s:
            s, changed = s[1:], True
        elif s[-1:] in _CURRENCY_SIGNS and s:
            s, changed = s[:-1], True
        s = s.strip().lstrip(":：").strip()
    return s


def _canonical_digits(s: str, decimal_comma: bool | None, original: str) -> str:
    """Turn grouped figures such as ``1 234,56`` into ``1234.56``."""
    if decimal_comma is None:
        decimal_sep = _guess_decimal_separator(s)
    else:
        decimal_sep = "," if decimal_comma else "."
    if decimal_sep and s.count(decimal_sep) > 1:
        raise AmountError(problem("amount_two_separators", value=original))
    if decimal_sep and decimal_sep in s:
        int_part, frac = s.rsplit(decimal_sep, 1)
        if not frac.isdigit():
            raise AmountError(problem("not_amount", value=original))
    else:
        int_part, frac = s, ""
    groups = re.split(r"[,.' ]", int_part)
    if len(groups) > 1:
        # grouped thousands: a leading group of 1-3 digits, then groups of exactly three; or
        # Indian lakh/crore grouping, two-digit groups before the last three (1,50,000.00)
        western = 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])
        indian = (
            len(groups) >= 3
            and 1 <= len(groups[0]) <= 2
            and all(len(g) == 2 for g in groups[1:-1])
            and len(groups[-1]) == 3
        )
        if not (western or indian):
            raise AmountError(problem("amount_bad_grouping", value=original))
        if len({sep for sep in re.findall(r"[,.' ]", int_part)}) > 1:
            raise AmountError(problem("amount_mixed_grouping", value=original))
    whole = "".join(groups)
    if not whole.isdigit() and not (whole == "" and frac):
        raise AmountError(problem("not_amount", value=original))
    return f"{whole or '0'}.{frac}" if frac else whole


def _guess_decimal_separator(s: str) -> str | None:
    last = max(s.rfind(","), s.rfind("."))
    if last < 0:
        return None
    sep = s[last]
    other = "." if sep == "," else ","
    tail = s[last + 1 :]
    if other in s[:last]:
        return sep  # both kinds present: the last one is the decimal separator
    if s.count(sep) > 1:
        return None  # "1,234,567" or "1.234.567": only grouping
    if sep == ",":
        # "1,234" groups thousands (the common reading on Chinese and English documents);
        # "1,5" and "12,34" can only be decimal commas
        return "." if len(tail) == 3 else ","
    # a single dot is a decimal point: "1.234" is read as 1.234, not 1234
    return "."


# --------------------------------------------------------------------------------------------
# dates

# the month names of the languages our users' banks write, abbreviated and in full (Polish,
# Czech, Russian and Ukrainian also in the genitive a date takes: 24 lipca, 24 července,
# 24 июля), twelve groups per language in calendar order
_MONTH_NAMES = {
    "en": "jan/january feb/february mar/march apr/april may jun/june jul/july aug/august "
    "sep/sept/september oct/october nov/november dec/december",
    "de": "jan/januar/jän/jänner feb/februar mär/märz/maerz apr/april mai jun/juni jul/juli "
    "aug/august sep/sept/september okt/oktober nov/november dez/dezember",
    "nl": "jan/januari feb/februari mrt/maart apr/april mei jun/juni jul/juli aug/augustus "
    "sep/sept/september okt/oktober nov/november dec/december",
    "fr": "janv/janvier févr/fév/février mars avr/avril mai juin juil/juillet août "
    "sept/septembre oct/octobre nov/novembre déc/décembre",
    "it": "gen/gennaio feb/febbraio mar/marzo apr/aprile mag/maggio giu/giugno lug/luglio "
    "ago/agosto set/sett/settembre ott/ottobre nov/novembre dic/dicembre",
    "es": "ene/enero feb/febrero mar/marzo abr/abril may/mayo jun/junio jul/julio ago/agosto "
    "sep/sept/set/septiembre/setiembre oct/octubre nov/noviembre dic/diciembre",
    "pt": "jan/janeiro fev/fevereiro mar/março abr/abril mai/maio jun/junho jul/julho "
    "ago/agosto set/setembro out/outubro nov/novembro dez/dezembro",
    "pl": "sty/styczeń/stycznia lut/luty/lutego mar/marzec/marca kwi/kwiecień/kwietnia "
    "maj/maja cze/czerwiec/czerwca lip/lipiec/lipca sie/sierpień/sierpnia "
    "wrz/wrzesień/września paź/październik/października lis/listopad/listopada "
    "gru/grudzień/grudnia",
    "cs": "led/leden/ledna úno/únor/února bře/březen/března dub/duben/dubna kvě/květen/května "
    "čvn/červen/června čvc/červenec/července srp/srpen/srpna zář/září říj/říjen/října "
    "lis/listopad/listopadu pro/prosinec/prosince",
    "ru": "янв/январь/января фев/февр/февраль/февраля мар/март/марта апр/апрель/апреля "
    "май/мая июн/июнь/июня июл/июль/июля авг/август/августа сен/сент/сентябрь/сентября "
    "окт/октябрь/октября ноя/нояб/ноябрь/ноября дек/декабрь/декабря",
    "uk": "січ/січень/січня лют/лютий/лютого бер/березень/березня кві/квіт/квітень/квітня "
    "тра/трав/травень/травня чер/черв/червень/червня лип/липень/липня сер/серп/серпень/серпня "
    "вер/вересень/вересня жов/жовт/жовтень/жовтня лис/листопад/листопада гру/груд/грудень/грудня",
}


def _plain(name: str) -> str:
    """``name`` in lower case without its accents: ``Févr`` and ``fevr`` name one month."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _month_table() -> dict[str, int]:
    table: dict[str, int] = {}
    for language, groups in _MONTH_NAMES.items():
        months = groups.split()
        assert len(months) == 12, language
        for number, names in enumerate(months, start=1):
            for name in names.split("/"):
                for key in (name, _plain(name)):
                    # a name two languages give to different months would read a wrong date
                    assert table.setdefault(key, number) == number, key
    return table


_MONTHS = _month_table()
# a time of day after the date: "14:22:05", "T14:22:05+08:00", or ICBC's "-14.22.05.695730"
_TIME_TAIL = re.compile(
    # "2026-11-03 14:22", "…T14:22:05", ICBC's "2026-11-0314:22:05" (no space), DB2's
    # "2026-11-03-14.22.05.000000"
    r"(?:(?:[ T]+|(?<=\d{4}[-/.]\d{2}[-/.]\d{2}))\d{1,2}[:：]\d{2}(?:[:：]\d{2}(?:\.\d+)?)?.*"
    r"|-\d{2}\.\d{2}\.\d{2}(?:\.\d+)?"
    # the time in Chinese words: "2026年9月2日 15时00分", "2026年09月02日15时00分05秒"
    r"|(?:\s+|(?<=[日号]))\d{1,2}\s*[时時点點](?:\s*\d{1,2}\s*分(?:\s*\d{1,2}\s*秒)?)?)$"
)
_YEAR_DOT = re.compile(r"(?<=\d{4})\.$")
# a compact timestamp (20261103142205, 202611031422): the date and a valid time of day
_COMPACT_STAMP = re.compile(r"^(\d{8})(?:[01]\d|2[0-3])[0-5]\d(?:[0-5]\d)?$")
_NUMERIC_DMY = re.compile(r"^(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})$")
# the other written forms of a date, each naming its parts: y (year, two or four digits), d (day)
# and m (month number) or mon (month name)
_DATE_FORMS = tuple(
    re.compile(pattern)
    for pattern in (
        r"^(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]?$",
        r"^(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})$",
        r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$",
        # Hungarian: 2026.11.05. and 2026. 11. 05. (a dot after each part)
        r"^(?P<y>\d{4})\.\s?(?P<m>\d{1,2})\.\s?(?P<d>\d{1,2})\.$",
        # 03 Nov 2026, 24 lug 2024, 3 de marzo de 2024, 24 июля 2024 г., 3 marca 2024 r.
        r"^(?P<d>\d{1,2})(?:st|nd|rd|th)?[\s\-/.]*(?:de\s+)?(?P<mon>[^\W\d_]{3,12})\.?"
        r"[\s\-/.,]*(?:de\s+)?(?P<y>\d{4}|\d{2})(?:\s*[гr]\.?)?$",
        r"^(?P<mon>[^\W\d_]{3,12})\.?[\s\-/.]*(?P<d>\d{1,2})(?:st|nd|rd|th)?[\s,\-/.]+(?P<y>\d{4})$",
        r"^(?P<y>\d{4})[\s\-/.]*(?P<mon>[^\W\d_]{3,12})\.?[\s\-/.]*(?P<d>\d{1,2})$",
    )
)


def parse_date(text: str, *, dayfirst: bool | None = None) -> dt.date:
    """Return the date written in ``text``.

    Reads ``2026年11月03日``, ``2026-11-03`` (also with ``/`` or ``.``), ``20261103``,
    ``2026.11.03.`` (Hungarian), ``03 Nov 2026``, ``Nov 3, 2026``, ``03-NOV-26``,
    ``03/11/2026`` and ``03.11.2026``; month names also in German, Dutch, French, Italian,
    Spanish, Portuguese, Polish, Czech, Russian and Ukrainian (``24 lug 2024``,
    ``3 de marzo de 2024``, ``24 июля 2024 г.``). A time of day after the date is ignored, also
    one run into it (``2026-11-0314:22:05``, ``20261103142205``), after a dot
    (``24 lug 2024. 02:59:45``) or written in Chinese words (``2026年9月2日 15时00分``).

    :param dayfirst: how to read ``03/11/2026`` when both numbers could be the month: True =
        3 November, False = 11 March, None = day-first (the convention of most banks outside
        North America) unless one of the numbers is above 12.
    :raises DateError: when ``text`` is not a valid date.
    """
    s = unicodedata.normalize("NFKC", text).strip()
    # Satispay writes a dot after the year, before the time: "24 lug 2024. 02:59:45"
    s = _YEAR_DOT.sub("", _TIME_TAIL.sub("", s).strip())
    if stamp := _COMPACT_STAMP.match(s):
        s = stamp.group(1)
    try:
        return _parse_date(s, dayfirst)
    except ValueError as exc:  # datetime.date's own range checks
        if isinstance(exc, DateError):
            raise
        raise DateError(problem("not_date_because", value=text, detail=exc)) from exc


def _parse_date(s: str, dayfirst: bool | None) -> dt.date:
    if m := _NUMERIC_DMY.match(s):
        first, second, year = int(m[1]), int(m[3]), _year(m[4])
        if first > 12 or (dayfirst is not False and second <= 12):
            return dt.date(year, second, first)
        return dt.date(year, first, second)
    for form in _DATE_FORMS:
        if m := form.match(s):
            part = m.groupdict()
            month = _month(part["mon"], s) if "mon" in part else int(part["m"])
            return dt.date(_year(part["y"]), month, int(part["d"]))
    raise DateError(problem("not_date", value=s))


def _year(text: str) -> int:
    # two-digit years on bank documents are always this century
    return int(text) + 2000 if len(text) == 2 else int(text)


def month_number(name: str) -> int | None:
    """The month ``name`` gives in any of the languages of :data:`_MONTH_NAMES` (``lug``,
    ``Févr``, ``июля``), or None."""
    return _MONTHS.get(name.casefold()) or _MONTHS.get(_plain(name))


def _month(name: str, whole: str) -> int:
    month = month_number(name)
    if month is None:
        raise DateError(problem("not_date_month", month=name, value=whole))
    return month


def infer_dayfirst(samples: Iterable[str]) -> bool | None:
    """Decide from a file's dates whether ``03/11/2026`` means 3 November (True) or 11 March.

    Only numeric day/month/year dates count; one with a number above 12 settles its order.
    Returns None when no sample settles it or the samples contradict each other.
    """
    dayfirst_seen = monthfirst_seen = False
    for sample in samples:
        s = _TIME_TAIL.sub("", unicodedata.normalize("NFKC", sample).strip()).strip()
        m = _NUMERIC_DMY.match(s)
        if not m:
            continue
        first, second = int(m[1]), int(m[3])
        if first > 12 and second <= 12:
            dayfirst_seen = True
        elif second > 12 and first <= 12:
            monthfirst_seen = True
    if dayfirst_seen == monthfirst_seen:
        return None
    return dayfirst_seen


# --------------------------------------------------------------------------------------------
# 大写 (Chinese capital numerals)

_CN_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_DIGIT_VALUES = {ch: i for i, ch in enumerate(_CN_DIGITS)}
# variants seen on receipts: traditional forms, 〇, and everyday numerals
_DIGIT_VALUES.update(
    {
        "〇": 0,
        "貳": 2,
        "參": 3,
        "陸": 6,
        "一": 1,
        "二": 2,
        "两": 2,
        "三": 3,
        "四": 4,
        "五": 5,
        "六": 6,
        "七": 7,
        "八": 8,
        "九": 9,
    }
)
_SMALL_UNITS = {"拾": 10, "十": 10, "佰": 100, "百": 100, "仟": 1000, "千": 1000}
_BIG_UNITS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
_YUAN = "元圆圓"
_WHOLE = "整正"
_CN_PREFIX = re.compile(r"^(?:人民币|人民幣|RMB|CNY)?\s*(?:\(?(?:大写|大寫)\)?)?\s*[:：]?\s*")


def parse_chinese_amount(text: str) -> Decimal:
    """Return the amount written in Chinese capital numerals (大写).

    ``壹万贰仟叁佰肆拾伍元陆角整`` is 12345.60; ``人民币`` before it, ``圆`` for ``元`` and
    ``正`` for ``整`` are accepted, as are amounts below one yuan (``伍角``, ``零元伍分``).

    :raises AmountError: when ``text`` is not a well-formed 大写 amount.
    """
    original = text
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    s = _CN_PREFIX.sub("", s)
    if not s:
        raise AmountError("empty 大写 amount")
    if s[-1] in _WHOLE:
        s = s[:-1]
    yuan_at = max(s.rfind(ch) for ch in _YUAN)
    if yuan_at >= 0:
        integer_text, fraction_text = s[:yuan_at], s[yuan_at + 1 :]
    elif "角" in s or "分" in s:
        integer_text, fraction_text = "", s
    else:
        raise AmountError(f"not a 大写 amount (no 元, 角 or 分): {original!r}")
    if yuan_at >= 0 and not integer_text:
        raise AmountError(f"not a 大写 amount (nothing before 元): {original!r}")
    integer = _chinese_integer(integer_text, original)
    cents = _chinese_fraction(fraction_text, original)
    if yuan_at < 0 and cents == 0:
        raise AmountError(f"not a 大写 amount: {original!r}")
    return Decimal(integer) + Decimal(cents).scaleb(-2)


def _chinese_integer(text: str, original: str) -> int:
    total = 0  # everything above the current 亿 section
    wan_part = 0  # the 万 section inside the current 亿 section
    section = 0  # below 万
    digit: int | None = None
    last_small = 10_000  # small units must descend inside a section
    last_big = 10**12
    for ch in text:
        if ch in _DIGIT_VALUES:
            value = _DIGIT_VALUES[ch]
            if value == 0:
                if digit:
                    raise AmountError(f"not a 大写 amount (零 after a bare digit): {original!r}")
                digit = 0
                continue
            if digit:
                raise AmountError(f"not a 大写 amount (two digits in a row): {original!r}")
            digit = value
        elif ch in _SMALL_UNITS:
            unit = _SMALL_UNITS[ch]
            if unit >= last_small:
                raise AmountError(f"not a 大写 amount (units out of order): {original!r}")
            if not digit:
                # a bare 拾 means ten (拾元, 壹万拾元 is sloppy but seen); 佰/仟 need a digit
                if unit != 10 or digit == 0:
                    raise AmountError(f"not a 大写 amount ({ch} without a digit): {original!r}")
                digit = 1
            section += digit * unit
            digit, last_small = None, unit
        elif ch in _BIG_UNITS:
            unit = _BIG_UNITS[ch]
            value = section + (digit or 0)
            if unit >= last_big or value == 0:
                raise AmountError(f"not a 大写 amount (misplaced {ch}): {original!r}")
            if unit == 10_000:
                wan_part = value * unit
            else:
                total = (total + wan_part + value) * unit
                wan_part = 0
            section, digit, last_small, last_big = 0, None, 10_000, unit
        else:
            raise AmountError(f"not a 大写 amount (unexpected {ch!r}): {original!r}")
    return total + wan_part + section + (digit or 0)


def _chinese_fraction(text: str, original: str) -> int:
    cents = 0
    digit: int | None = None
    seen: set[str] = set()
    for ch in text:
        if ch in _DIGIT_VALUES:
            value = _DIGIT_VALUES[ch]
            if digit:
                raise AmountError(f"not a 大写 amount (two digits in a row): {original!r}")
            digit = value
        elif ch in "角分":
            # "伍角零分" is written out by some banks: a zero digit before a unit is allowed
            if digit is None or ch in seen or (ch == "角" and "分" in seen):
                raise AmountError(f"not a 大写 amount (misplaced {ch}): {original!r}")
            cents += digit * (10 if ch == "角" else 1)
            seen.add(ch)
            digit = None
        else:
            raise AmountError(f"not a 大写 amount (unexpected {ch!r}): {original!r}")
    if digit:
        raise AmountError(f"not a 大写 amount (digit without 角 or 分): {original!r}")
    return cents


def format_chinese_amount(amount: Decimal) -> str:
    """Return ``amount`` in 大写 as Chinese banks print it: 12345.60 → 壹万贰仟叁佰肆拾伍元陆角整.

    :raises AmountError: for negative amounts, more than two decimals, or 1 万亿 and above.
    """
    if not amount.is_finite() or amount < 0:
        raise AmountError(f"cannot write {amount} in 大写")
    cents_total = amount * 100
    if cents_total != cents_total.to_integral_value():
        raise AmountError(f"cannot write {amount} in 大写 (more than two decimals)")
    cents_int = int(cents_total)
    integer, cents = divmod(cents_int, 100)
    if integer >= 10**12:
        raise AmountError(f"cannot write {amount} in 大写 (too large)")
    jiao, fen = divmod(cents, 10)
    head = _format_integer(integer) + "元" if integer else ""
    if cents == 0:
        return (head or "零元") + "整"
    if fen == 0:
        return f"{head}{_CN_DIGITS[jiao]}角整"
    if jiao == 0:
        return f"{head}{'零' if head else ''}{_CN_DIGITS[fen]}分"
    return f"{head}{_CN_DIGITS[jiao]}角{_CN_DIGITS[fen]}分"


def _format_integer(value: int) -> str:
    sections = []  # 4-digit sections from the lowest: units, 万, 亿
    while value:
        value, section = divmod(value, 10_000)
        sections.append(section)
    out = ""
    pending_zero = False
    for index in range(len(sections) - 1, -1, -1):
        section = sections[index]
        if section == 0:
            pending_zero = bool(out)
            continue
        if out and (pending_zero or section < 1000):
            out += "零"
        out += _format_section(section) + ("", "万", "亿")[index]
        pending_zero = False
    return out


def _format_section(section: int) -> str:
    out = ""
    zero = False
    for unit, name in ((1000, "仟"), (100, "佰"), (10, "拾"), (1, "")):
        digit = section // unit % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += _CN_DIGITS[digit] + name
    return out
