"""Cell values of bank exports: dates, amounts with placeholders, debit/credit marks, the other
party, and the facts a preamble states (our account, the currency)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..errors import ParseError
from ..model import Direction, ParseSettings
from ..normalize import parse_amount, parse_date
from ..problems import problem
from .tabular_io import Row
from .tabular_masked import own_account, stated_value
from .tabular_words import (
    CREDIT_MARKS,
    CURRENCY_NAMES,
    DEBIT_MARKS,
    KNOWN_CURRENCIES,
    LETTER_MARKS,
    SUMMARY_LABELS,
    TOTAL_WORDS,
)


def _spaced(*labels: str) -> str:
    """A regex alternation of Chinese labels that may be stretched with spaces (``账　　号``)."""
    return "|".join(r"\s*".join(re.escape(ch) for ch in label) for label in labels)


# CMBC's personal statement names ours 客户账号, corporate statements 单位账号
_ACCOUNT_WORDS = tuple("本方账号 银行卡号 账户账号 客户账号 单位账号 账号 帐号 账户 卡号".split())
# Hong Kong's and Taiwan's spellings in traditional characters
_ACCOUNT_WORDS_TRADITIONAL = tuple("帳號 賬號 帳戶 賬戶 卡號".split())
_ACCOUNT_LABEL = (
    rf"(?:{_spaced(*_ACCOUNT_WORDS, *_ACCOUNT_WORDS_TRADITIONAL)}|account\s*(?:number|no\.?)?|iban|"
    r"(?:credit\s*)?card\s*(?:number|no\.?)|conta|kontonummer|konto|"
    # DKB since 2023 states its account by kind: "Girokonto";"DE12 1203 0000 ..."
    r"girokonto|"
    # Polish banks: mBank's "#Numer rachunku;" over the number, ING's "Nr rachunku: 12 1050 ..."
    r"(?:numer|nr)\s*rachunku|"
    # Czech and Hungarian banks: Komerční banka's "Číslo účtu;123-4567890217/0100"
    r"číslo\s*účtu|számlaszám|"
    # Caisse d'Épargne: "Numéro de compte : 01234567890"
    r"num[ée]ro\s*de\s*compte)"
)
_CURRENCY_LABEL = (
    rf"(?:{_spaced('币种', '货币', '币别', '幣種', '貨幣', '幣別')}|currency|ccy|währung|waehrung|"
    r"waluta|"
    # Czech, Slovak and Hungarian banks: "Měna účtu;CZK", "Mena:EUR", "Pénznem: HUF"
    r"m[ěe]na(?:\s*[úu][čc]tu)?|pénznem|deviza(?:nem)?|"
    # Caisse d'Épargne's "Devise : EUR", Spanish "Divisa", Italian "Valuta", Dutch "Munt"
    r"devise|divisa|munt|валюта)"
)

# "账号：6222…", "账　　号：[6222…]" (CCB), "…账单明细 卡号: 6217…" (BOC: the label after a title),
# "卡号/账号:6222…" (CCB), "账号：6230****6666" (Ping An: masked),
# "银行卡号：6222 8888 8888 8888 888 姓名：…" (BOCOM: another label follows on the line),
# "账    号: [一卡通:6214********4567   招商银行]" (CMB: the card's kind before the number and
# the bank's name after it, inside the brackets)
_PREAMBLE_ACCOUNT = re.compile(
    rf"^(?:.*\s)?{_ACCOUNT_LABEL}(?:\s*/\s*{_ACCOUNT_LABEL})?"
    r"\s*[:：]\s*\[?\s*(?:[\u4e00-\u9fff]{1,6}\s*[:：]\s*)?(?P<v>[\w\-*＊ ]{4,}?)"
    r"(?:\s+[\u4e00-\u9fff]{2,12})?\s*\]?(?:\s+[^\s:：\d]{1,8}\s*[:：].*)?$",
    re.IGNORECASE,
)


# "币种：CNY", "币　　种：[人民币]" (CCB), "币    种: [        人民币]" (CMB)
_PREAMBLE_CURRENCY = re.compile(
    rf"^{_CURRENCY_LABEL}?\s*[:：]\s*\[?\s*(?P<v>[^\s\[\]]+)\s*\]?$", re.IGNORECASE
)


_PREAMBLE_ACCOUNT_LABEL = re.compile(rf"^{_ACCOUNT_LABEL}\s*[:：]?$", re.IGNORECASE)


_PREAMBLE_CURRENCY_LABEL = re.compile(rf"^{_CURRENCY_LABEL}\s*[:：]?$", re.IGNORECASE)


_GLUED_ACCOUNT = re.compile(r"^(?P<name>.*[\u4e00-\u9fff）)])(?P<account>\d{8,})$")


_ACCOUNT_TOKEN = re.compile(r"^(?:\d[\d-]{5,}|[A-Z]{2}\d{2}[A-Z0-9]{8,30})$")
# a card or account number with its middle hidden: 6222****1234, Z200******010N, Z******0014
_MASKED_ACCOUNT = re.compile(r"^[0-9A-Z]{1,8}[*＊]{3,}[0-9A-Z]*\d[0-9A-Z]*$")


def read_date(text: str, dayfirst: bool | None, date_format: str | None) -> dt.date:
    if not text:
        raise ParseError(problem("no_date"))
    if date_format:
        try:
            return dt.datetime.strptime(text.strip(), date_format).date()
        except ValueError as exc:
            raise ParseError(
                problem("date_format_mismatch", value=text, format=date_format)
            ) from exc
    return parse_date(text, dayfirst=dayfirst)


def dayfirst_by_span(samples: Sequence[str]) -> bool | None:
    """Decide an export's date order when no date has a day above 12 (``05/01/2023``).

    A statement covers a short period: of the two readings the one whose dates lie closer
    together is taken (TD's ``05/01/2023``..``05/03/2023`` are three days in May, not three
    months). None when a reading fails or both spans are equal (a single date). A text that is
    no date either way (a summary row's label under the table: HDFC's ``Opening Balance``)
    does not count.
    """
    readable = [s for s in samples if s.strip() and _readable_date(s)]
    spans: dict[bool, int] = {}
    for dayfirst in (True, False):
        try:
            dates = [parse_date(s, dayfirst=dayfirst) for s in readable]
        except ParseError:
            return None
        if not dates:
            return None
        spans[dayfirst] = (max(dates) - min(dates)).days
    if spans[True] == spans[False]:
        return None
    return spans[True] < spans[False]


def _readable_date(text: str) -> bool:
    try:
        parse_date(text)
    except ParseError:
        return False
    return True


def has_amount(fields: dict[str, str]) -> bool:
    return bool(
        unless_placeholder(fields.get("amount", ""), zero=False)
        or unless_placeholder(fields.get("credit", ""))
        or unless_placeholder(fields.get("debit", ""))
    )


def is_note(cells: Row) -> bool:
    """True for a note under the table that a bank signs its export with: the first cell a
    label and its value ("打印日期：2026-12-01", "制表人：张三", "说明：本明细仅供参考")."""
    first = unicodedata.normalize("NFKC", next((c for c in cells if c.strip()), "")).strip()
    return bool(_NOTE_LABEL.match(first))


_NOTE_LABEL = re.compile(r"^[\u4e00-\u9fff]{2,8}\s*:")


_PLACEHOLDERS = frozenset({"-", "--", "---", "—", "——", "–", "/", "\\", "n/a", "na", "无", "空"})


_ZERO = re.compile(r"^[+-]?[¥￥$€£]?\s*0+(?:[.,]0+)?$")


def unless_placeholder(text: str, *, zero: bool = True) -> str:
    """Return ``text``, or ``""`` for a placeholder (and, with ``zero``, a zero: in a credit or
    debit column it stands for "none"; a single amount column may hold a real zero entry)."""
    stripped = unicodedata.normalize("NFKC", text).strip()
    if stripped.lower() in _PLACEHOLDERS or (zero and _ZERO.match(stripped)):
        return ""
    return stripped


_MARK_SPLIT = re.compile(
    r"[\s/|()（）.,:;\-_]+|(?<=[\u4e00-\u9fff])(?=[A-Za-z])|(?<=[A-Za-z])(?=[\u4e00-\u9fff])"
)


_NEUTRAL_MARKS = frozenset({"/", "不计收支", "中性交易", "其他"})


def settle_side(fields: dict[str, str]) -> None:
    """Give a row marked neither income nor expense (or not marked) the side the bill names
    elsewhere: Alipay's older bill writes 其他 under 收/支 but 已收入 or 已支出 under 资金状态
    (余额宝's earnings paid out). A refund it books 不计收支 stays neutral: it goes back the
    way the payment came, often to a bank card, not to the wallet."""
    mark = fields.get("direction", "").strip()
    if mark and mark not in _NEUTRAL_MARKS:
        return
    fund = _FUND_SIDES.get(fields.get("fund_state", "").strip())
    if fund is not None:
        fields["direction"] = fund


_FUND_SIDES = {"已收入": "收入", "已支出": "支出"}


def is_neutral(fields: dict[str, str]) -> bool:
    """Return True when the direction column says the row is neither income nor expense.

    Alipay's 不计收支 and WeChat Pay's ``/`` (其他 in its PDF) mark moves between the holder's
    own balances (top-ups, withdrawals to a bank card, fund purchases): the bill itself does not
    say which way the money went for the account being reconciled.
    """
    return fields.get("direction", "").strip() in _NEUTRAL_MARKS


def unmarked_side(marks: Iterable[str]) -> Direction | None:
    """Return the side of rows left unmarked when a direction column marks only the other side.

    UK card exports write ``CR`` on credits and nothing on charges: with only credit marks in
    the column, an empty cell is a debit (and the other way round).
    """
    sides = {direction_of_mark(m) for m in marks if m.strip()}
    if sides == {"credit"}:
        return "debit"
    if sides == {"debit"}:
        return "credit"
    return None


def direction_of_mark(mark: str) -> Direction | None:
    """Read a debit/credit indicator in any of the usual forms and languages.

    ``贷``, ``C``, ``CR``, ``Credit``, ``收入``, ``贷/Cr``, ``收入 Income``, ``DEBIT``, ``借 Dr.``,
    ``+``/``-``: each word of the mark is looked up; None when they disagree or none is known.
    """
    text = unicodedata.normalize("NFKC", mark).strip().lower()
    if text in CREDIT_MARKS or text == "+":
        return "credit"
    if text in DEBIT_MARKS or text == "-":
        return "debit"
    words = {w for w in _MARK_SPLIT.split(text) if w}
    credit = bool(words & CREDIT_MARKS)
    debit = bool(words & DEBIT_MARKS)
    if credit != debit:
        return "credit" if credit else "debit"
    return None


def _marked(amount: Decimal, written: str, mark: str, warnings: list[str] | None) -> Decimal:
    """Give ``amount`` the side its direction ``mark`` says (a mark read in a column named for
    the direction, so Erste Hungary's single letters T and J count too).

    A sign printed on the amount (``-3 630,00``, ``+100``) that agrees with the mark is kept; one
    that contradicts it is kept as well, never flipped without a word: the row is warned about,
    as a reversal or a mislabelled row both need a look.
    """
    text = unicodedata.normalize("NFKC", mark).strip().lower()
    side = LETTER_MARKS.get(text) or direction_of_mark(mark)
    if side is None:
        raise ParseError(problem("bad_direction_mark", value=mark))
    printed = written.strip()
    negative = amount < 0
    positive = printed.startswith("+") or printed.endswith("+")
    if (negative and side == "credit") or (positive and side == "debit"):
        if warnings is not None:
            warnings.append(problem("direction_mark_conflict", amount=printed, mark=mark.strip()))
        return amount
    return abs(amount) if side == "credit" else -abs(amount)


def is_footer(cells: Row) -> bool:
    first = next((c for c in cells if c), "").lower()
    return any(word in first for word in TOTAL_WORDS)


def is_summary(fields: dict[str, str]) -> bool:
    """Return True for a dated row whose whole description names a balance or turnover.

    Chinese statements printed as a ledger date their totals and page carries like entries:
    本日合计, 本月合计, 本年累计, 本页小计, 过次页 and 承前页 move no money.
    """
    text = " ".join(unicodedata.normalize("NFKC", fields.get("description", "")).lower().split())
    # BancoPosta marks its closing row "|SALDO FINALE"
    text = _FRAME.sub("", text)
    return text in SUMMARY_LABELS or bool(_LEDGER_TOTAL.match(text))


_FRAME = re.compile(r"^[\W_]+|[\W_]+$")
_LEDGER_TOTAL = re.compile(
    r"^(?:(?:本|当|上)?(?:日|月|年|期|页|季)?(?:发生额)?(?:合计|小计|总计|累计)"
    r"|过次页|转次页|转下页|承前页|承上页|接上页)$"
)


def decimal_comma_of(samples: Any) -> bool | None:
    comma = dot = False
    for sample in samples:
        s = str(sample).strip().rstrip("-+ ")
        if re.search(r"\d,\d{1,2}$", s) or re.search(r"\.\d{3},", s):
            comma = True
        elif re.search(r"\d\.\d{1,2}$", s) or re.search(r",\d{3}\.", s):
            dot = True
    if comma == dot:
        return None
    return comma


def signed_amount(
    fields: dict[str, str], decimal_comma: bool | None, warnings: list[str] | None = None
) -> Decimal | None:
    """Return the signed amount (positive = money in) of one row, or None when it has none.

    A direction column's mark gives an unsigned amount its side; an amount printed with a sign
    that contradicts the mark keeps its sign, with a warning added to ``warnings``.

    Placeholders in an amount column (``-``, ``--``, ``—``, ``/``, ``0.00`` beside a real
    amount) count as empty: Chinese exports fill the unused one of 收入/支出 with them.
    """
    amount: Decimal | None = None
    credit_text = unless_placeholder(fields.get("credit", ""))
    debit_text = unless_placeholder(fields.get("debit", ""))
    if credit_text or debit_text:
        # Separate columns say the direction; the signs inside them are not consistent between
        # banks (OCA's fixtures write "-13.50" in a credit column), so they are ignored.
        credit = debit = Decimal(0)
        if credit_text:
            credit = abs(parse_amount(credit_text, decimal_comma=decimal_comma))
        if debit_text:
            debit = abs(parse_amount(debit_text, decimal_comma=decimal_comma))
        amount = credit - debit
    elif unless_placeholder(fields.get("amount", ""), zero=False):
        amount = parse_amount(fields["amount"], decimal_comma=decimal_comma)
        if fields.get("direction", "").strip():
            amount = _marked(amount, fields["amount"], fields["direction"], warnings)
    if amount is not None and fields.get("fee"):
        fee = parse_amount(fields["fee"], decimal_comma=decimal_comma)
        # WeChat Pay writes each order's fee to the 0.00001 yuan (0.00020 on 0.01) and charges
        # the day's fees in whole fen: a fee finer than the amount it is charged on is rounded
        # to the amount's smallest unit (the cent at least, as written: 1.250 KWD keeps mils)
        unit = min(_exponent(amount), -2)
        if _exponent(fee) < unit:
            fee = fee.quantize(Decimal(1).scaleb(unit), rounding=ROUND_HALF_UP)
        # a fee written negative on money going out is a fee given back with a refund
        # (WeChat Pay's merchant bill: 0.60 on the payment, -0.60 on its refund)
        amount -= fee if fee < 0 and amount < 0 else abs(fee)
    return amount


def _exponent(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return exponent if isinstance(exponent, int) else 0


def preamble_facts(preamble: Sequence[Row]) -> tuple[str | None, str | None]:
    account = currency = None
    for number, row in enumerate(preamble):
        # CMB writes its notes as comments: "# 币    种: [    人民币]"
        cells = [unicodedata.normalize("NFKC", cell).strip().lstrip("#").strip() for cell in row]
        for index, value in enumerate(cells):
            written = next((c for c in cells[index + 1 :] if c), "")
            following = stated_value(written)
            if m := _PREAMBLE_ACCOUNT.match(value):
                account = account or m.group("v").replace(" ", "")
            elif m := _PREAMBLE_CURRENCY.match(value):
                currency = currency or currency_of(m.group("v"))
            elif any(ch.isdigit() for ch in following) and _PREAMBLE_ACCOUNT_LABEL.match(value):
                # the account's currency may follow it: "Číslo účtu;123-4567890217/0100;CZK"
                head, _, code = following.rpartition(" ")
                after = [*cells[cells.index(written) + 1 :], code if head else ""]
                currency = currency or next(filter(None, map(currency_of, after)), None)
                account = account or (head if head and currency_of(code) else following)
                account = account.replace(" ", "")
            elif following and _PREAMBLE_CURRENCY_LABEL.match(value):
                currency = currency or currency_of(following)
        below = _facts_below(cells, preamble[number + 1] if number + 1 < len(preamble) else [])
        account, currency = account or below[0], currency or below[1]
    currency = currency or _inline_currency(preamble) or _sub_account_currency(preamble)
    if currency is None and any(
        _YUAN_TOTAL.search(cell) or _MAINLAND_WALLET.search(unicodedata.normalize("NFKC", cell))
        for row in preamble
        for cell in row
    ):
        # Alipay's, JD's and Meituan's bills state no currency but count their totals in 元
        # above the table ("收入：31笔，15595.04元"): the bill is in yuan; so is one that names
        # its issuer, the mainland wallets that hold yuan alone (支付宝（中国）网络技术有限公司,
        # 支付宝支付科技有限公司 电子客户回单, 微信支付账单明细; AlipayHK and WeChat Pay HK
        # name themselves otherwise)
        currency = "CNY"
    return account, currency


_YUAN_TOTAL = re.compile(r"\d\s*元")
_MAINLAND_WALLET = re.compile(r"支付宝\(中国\)|支付宝支付科技有限公司|微信支付账单明细")
# a sub-account described with its currency and whether it holds cash or transfers: CIB's
# "卡内账户 | 002 活期储蓄存款 港币 现汇" ("美元现钞"), or its currency last:
# "001 活期储蓄存款 人民币"
_CJK_CURRENCY = "|".join(
    sorted((re.escape(n) for n in CURRENCY_NAMES if "\u4e00" <= n[0] <= "\u9fff"), key=len)[::-1]
)
_CASH_OR_SPOT = re.compile(
    rf"(?P<c>{_CJK_CURRENCY})\s*(?:现汇|现钞)|(?:存款|储蓄|活期|定期)\s*(?P<d>{_CJK_CURRENCY})\s*$"
)


# ABC's corporate export states all on one line: "账号：380001… 户名：… 币种：人民币"
_INLINE_CURRENCY = re.compile(
    rf"(?:^|\s){_CURRENCY_LABEL}\s*[:：]\s*\[?\s*(?P<v>[^\s\[\]]+)", re.IGNORECASE
)


def _inline_currency(preamble: Sequence[Row]) -> str | None:
    """The currency a line above the table names after other facts (账号：… 币种：人民币)."""
    for row in preamble:
        for cell in row:
            m = _INLINE_CURRENCY.search(unicodedata.normalize("NFKC", cell))
            if m and (code := currency_of(m.group("v"))):
                return code
    return None


def _sub_account_currency(preamble: Sequence[Row]) -> str | None:
    """The one currency the lines above the table name as a sub-account's (港币 现汇)."""
    found = {
        code
        for row in preamble
        for cell in row
        for m in _CASH_OR_SPOT.finditer(unicodedata.normalize("NFKC", cell))
        if (code := currency_of(m.group("c") or m.group("d")))
    }
    return found.pop() if len(found) == 1 else None


def is_card_statement(preamble: Sequence[Row], filename: str) -> bool:
    """True when the title above the table, the header or the file's name says it is a credit
    card's statement (招商银行信用卡对账单, "Credit Card Statement", a 卡号末四位 column)."""
    texts = [filename] + [cell for row in preamble for cell in row]
    return any(_CARD_STATEMENT.search(unicodedata.normalize("NFKC", t)) for t in texts)


# card exports head a column with the card's last four digits (SPDB's 卡号末四位, BOCOM's 卡末四位,
# CMB's 卡号后四位, Cathay's 卡號/行動末四碼) or the card's number (BMO's "Card #"): one
# account's debit card export has no need of one. Japanese card statements name the shop the
# card was used at (利用店名, ご利用店名); American Express issues cards only, and its exports
# name their columns "Card Member" (a file name joins words with "_" or "-": amex_2024.csv)
_CARD_STATEMENT = re.compile(
    r"信用卡|credit[\s_-]*card|卡号?[末后]四位|末四[码碼]|card\s*(?:no\.?\s*)?last\s*(?:4|four)"
    r"|^card\s*(?:#|no\.?)$|card\s*member|card\s*used|利用店名|(?<![a-z])amex(?![a-z])|american\s*express",
    re.IGNORECASE,
)


def _facts_below(labels: Sequence[str], values: Sequence[str]) -> tuple[str | None, str | None]:
    """Our account and currency from a row of labels over a row of values (Sparda-Bank's
    "Umsätze ab;Enddatum;Kontonummer;Saldo;Währung" and the line under it)."""
    account = currency = None
    for index, label in enumerate(labels):
        value = stated_value(values[index]) if index < len(values) else ""
        if not value or _PREAMBLE_ACCOUNT.match(value):
            continue  # a value that names itself ("IBAN: DE12 ...") is read on its own row
        if any(ch.isdigit() for ch in value) and _PREAMBLE_ACCOUNT_LABEL.match(label):
            account = account or value.replace(" ", "")
        elif _PREAMBLE_CURRENCY_LABEL.match(label):
            currency = currency or currency_of(value)
    return account, currency


def currency_of(text: str) -> str | None:
    value = unicodedata.normalize("NFKC", text).strip()
    if value.lower() in CURRENCY_NAMES:
        return CURRENCY_NAMES[value.lower()]
    upper = value.upper()
    return upper if upper in KNOWN_CURRENCIES else None


def our_side(
    f: dict[str, str], settings: ParseSettings, statement: str | None = None
) -> Direction | None:
    """Return credit when the payee column holds one of our accounts, debit for the payer.

    :param statement: the statement's own account: a masked number (``6230****6666``) that
        agrees with it is ours too.
    """
    payer = own_account(f.get("payer_account"), statement, settings)
    payee = own_account(f.get("payee_account"), statement, settings)
    if payer == payee:  # neither, or a transfer between two of our accounts
        return None
    return "credit" if payee else "debit"


def holder_name(rows: Sequence[Mapping[str, str]]) -> str | None:
    """Return the name on one side of nearly every row of a per-party export, or None.

    One export covers one holder: where the payer and payee columns carry names only (Venmo's
    From and To), the name found on most rows is the holder's. Venmo swaps the two on a
    charge (From is who asked for the money), so the direction alone cannot tell the sides.
    """
    named = [r for r in rows if r.get("payer_name") and r.get("payee_name")]
    if len(named) < 3:
        return None
    counts: dict[str, int] = {}
    for r in named:
        for name in {r["payer_name"], r["payee_name"]}:
            counts[name] = counts.get(name, 0) + 1
    name, seen = max(counts.items(), key=lambda item: item[1])
    return name if seen * 2 > len(named) else None


def counterparty(
    f: dict[str, str], direction: Direction, holder: str | None = None
) -> tuple[str | None, str | None, str | None, str | None]:
    """Return the other party's name, account and bank, and our account when the row names it.

    Three shapes: counterparty columns (对方户名...); one combined cell (CMB's 对手信息, "name
    account [bank]"); or a column per party (BOC's 付款人…/收款人…), where the row's direction
    says which party is the other one and the remaining one is us.
    """
    name = f.get("counterparty_name") or None
    acct = (f.get("counterparty_account") or "").replace(" ", "") or None
    bank = f.get("counterparty_bank") or None
    if acct and (named := _NAMED_ACCOUNT.match(f["counterparty_account"].strip())):
        # Alipay's 账务明细 writes "name(account)": 张三(zha***@163.com)
        name = name or named.group("name").strip()
        acct = named.group("account").replace(" ", "")
    if f.get("counterparty") and not (name or acct):
        name, acct, combined_bank = split_counterparty(f["counterparty"])
        bank = bank or combined_bank
    ours: str | None = None
    other, us = ("payer", "payee") if direction == "credit" else ("payee", "payer")
    if any(f.get(f"{side}_{part}") for side in (other, us) for part in ("name", "account")):
        if holder and f.get(f"{other}_name") == holder:
            other, us = us, other  # the holder is named on the other side (Venmo's charges)
        name = name or f.get(f"{other}_name") or None
        acct = acct or (f.get(f"{other}_account") or "").replace(" ", "") or None
        bank = bank or f.get(f"{other}_bank") or None
        ours = (f.get(f"{us}_account") or "").replace(" ", "") or None
    return name, acct, bank, ours


# "支付宝(中国)网络技术有限公司(zfbfwf@alipay.com)", "本公司(6222****1234)": a name that is no
# number, then an account (digits, masked, or an e-mail address) in brackets
_NAMED_ACCOUNT = re.compile(
    r"^(?P<name>.*[^\d\s*()（）-].*?)\s*[(（](?P<account>[\w.*@+-]*[\d@][\w.*@+-]*)[)）]$"
)


def split_counterparty(text: str) -> tuple[str | None, str | None, str | None]:
    """Split "上海华美贸易有限公司 6222021001122334455 [bank]" into name, account and bank."""
    tokens = text.split()
    for index, token in enumerate(tokens):
        if _ACCOUNT_TOKEN.match(token):
            return (
                " ".join(tokens[:index]) or None,
                token,
                " ".join(tokens[index + 1 :]) or None,
            )
    # CMB's newer exports glue the account to the name: "北京住房公积金管理中心1111111111"
    if len(tokens) == 1 and (glued := _GLUED_ACCOUNT.match(tokens[0])):
        return glued.group("name"), glued.group("account"), None
    # CCB's 对方账号与户名 joins them with a slash: "6222020000000001111/张三", masked in its
    # newer exports ("Z******0014/*动漫": the name is masked too)
    parts = text.strip().split("/")
    if len(parts) == 2 and all(p.strip() for p in parts):
        first, second = (p.strip() for p in parts)
        if _ACCOUNT_TOKEN.match(first.replace(" ", "")) or _MASKED_ACCOUNT.match(first):
            return second, first.replace(" ", ""), None
        if _ACCOUNT_TOKEN.match(second.replace(" ", "")) or _MASKED_ACCOUNT.match(second):
            return first, second.replace(" ", ""), None
    return " ".join(tokens) or None, None, None


def own_form(account: str, settings: ParseSettings) -> str:
    """Return ``account`` without spaces, or as listed in the settings when it is one of ours."""
    compact = account.replace(" ", "")
    if settings.is_own_account(compact):
        return "".join(ch for ch in compact if ch != "-").upper()
    return compact
