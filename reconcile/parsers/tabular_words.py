"""Words of bank exports' cells and rows: debit/credit marks, currency names, the labels of
balance, total and summary rows, and the states of payment-bill rows where no money moved."""

from __future__ import annotations

import re

from babel.core import get_global

from ..model import Direction

CREDIT_MARKS = frozenset(
    "贷 贷方 贷记 收 收入 入 入账 转入 存入 来账 收款 进 进账 汇入 来 c cr crdt credit credits "
    "income incoming deposit in bij h haben k 入金".split()
)
DEBIT_MARKS = frozenset(
    "借 借方 借记 支 支出 出 出账 转出 支取 往账 付款 付 付出 汇出 往 d dr dbit debit debits "
    "expense expenditure outgoing withdrawal out af s soll 出金".split()
)
"""Words of a debit/credit flag column's cells (借/贷, 收入/支出, 来账/往账, D/C, Dr/Cr...);
a flag column's header pairs one of each (借贷, 收付, 来往, Debit/Credit)."""

CE_CREDIT_MARKS = frozenset(
    "příchozí bejövő jóváírás kredit príjem prijaté prichádzajúca uznanie "
    "uznania wpływ wpływy przychód bevétel inflow кредит".split()
)
CE_DEBIT_MARKS = frozenset(
    "odchozí kimenő terhelés debet výdaj odoslané odchádzajúca obciążenie "
    "obciążenia wydatek wydatki rozchód kiadás outflow дебет".split()
)
"""Central European direction words, each meaning incoming (credit) or outgoing (debit) money:
Air Bank's ``Směr platby`` (Příchozí/Odchozí), OTP's ``Bejövő/Kimenő``, Erste Hungary's
``Terhelés vagy jóváírás`` (Terhelés/Jóváírás), the Slovak banks' ``Typ pohybu``/``Smer``
(Kredit/Debet, Príjem/Výdaj) and the Polish ``Typ transakcji``/``Rodzaj`` (Uznanie/Obciążenie,
Wpływ/Wydatek). Their amounts may be unsigned: the word alone says the side."""

CREDIT_MARKS = CREDIT_MARKS | CE_CREDIT_MARKS
DEBIT_MARKS = DEBIT_MARKS | CE_DEBIT_MARKS

LETTER_MARKS: dict[str, Direction] = {"j": "credit", "t": "debit"}
"""Single letters read as a side only in a column whose header names the direction: Erste
Hungary's ``Terhelés vagy jóváírás`` writes T (terhelés, debit) or J (jóváírás, credit); as
letters in any other column they would mean nothing of the kind."""

_FLAG_WORDS = re.compile(
    r"(?:标志|标识|标记|方向|类型|类别|属性|flag|indicator|ind|mark|sign|code|type)$"
)


def names_both_sides(key: str) -> bool:
    """True when a normalised header names both sides of a debit/credit flag.

    Banks name their flag column in many ways: 借贷标记, 收付方向, 出入账标志, 来往账标识,
    ``Debit/Credit Flag``, ``Dr/Cr Indicator``. Each pairs a debit word with a credit word
    (either way round, with a slash or, in Chinese, without), then maybe a word for "flag".
    """
    stem = _FLAG_WORDS.sub("", key).replace("账", "")
    if "/" in stem:
        parts = stem.split("/")
    elif len(stem) in (2, 4) and all("\u4e00" <= ch <= "\u9fff" for ch in stem):
        parts = [stem[: len(stem) // 2], stem[len(stem) // 2 :]]
    else:
        return False
    if len(parts) != 2:
        return False
    credit = [p in CREDIT_MARKS for p in parts]
    debit = [p in DEBIT_MARKS for p in parts]
    return credit in ([True, False], [False, True]) and debit == [not c for c in credit]


CURRENCY_NAMES = {
    "人民币": "CNY",
    "人民币元": "CNY",
    "元": "CNY",
    "rmb": "CNY",
    "美元": "USD",
    "欧元": "EUR",
    "港币": "HKD",
    "港元": "HKD",
    "日元": "JPY",
    "英镑": "GBP",
    "澳元": "AUD",
    "澳大利亚元": "AUD",
    "加元": "CAD",
    "加拿大元": "CAD",
    "新加坡元": "SGD",
    "瑞士法郎": "CHF",
    "新西兰元": "NZD",
    "韩元": "KRW",
    "澳门元": "MOP",
    "澳门币": "MOP",
    "新台币": "TWD",
    # Hong Kong's and Taiwan's names, in traditional characters
    "人民幣": "CNY",
    "港幣": "HKD",
    "美金": "USD",
    "歐元": "EUR",
    "日圓": "JPY",
    "英鎊": "GBP",
    "澳門元": "MOP",
    "澳門幣": "MOP",
    "新台幣": "TWD",
    "新臺幣": "TWD",
    "台幣": "TWD",
    "臺幣": "TWD",
    "円": "JPY",
    # Central European abbreviations written in a currency cell or after an amount
    "kč": "CZK",
    "ft": "HUF",
    "zł": "PLN",
    # Russian banks still write the ruble's code of before 1998, and its name
    "rur": "RUB",
    "руб": "RUB",
    "руб.": "RUB",
    "рубль": "RUB",
    # signs that name one currency only ($ and ¥ name several)
    "£": "GBP",
    "€": "EUR",
}


def _currencies_in_use() -> frozenset[str]:
    """The ISO 4217 codes that some country pays in today: CLDR's territory currencies (as
    Babel ships them) that are legal tender and have no end date."""
    return frozenset(
        code
        for entries in get_global("territory_currencies").values()
        for code, _start, end, tender in entries
        if end is None and tender
    )


KNOWN_CURRENCIES = _currencies_in_use()
"""Codes read as a currency where a cell or a header's unit names one (``RUB``, ``(INR)``)."""

SUMMARY_LABELS = frozenset(
    {
        "期初余额",
        "期末余额",
        "上日余额",
        "本日余额",
        "opening balance",
        "closing balance",
        "anfangssaldo",
        "endsaldo",
        # Swedbank (Lithuania) dates its opening, turnover and closing rows like entries
        "likutis pradžiai",
        "likutis pabaigai",
        "apyvarta",
        # Swedbank (Estonia): opening balance, turnover, closing balance rows
        "algsaldo",
        "käive",
        "lõppsaldo",
        # Swiss card exports (Cornèr's Certo! One) open with a dated "BALANCE" row
        "balance",
        "saldo",
        # card statements carry the last statement's total as their first row (Cathay's
        # 上期帳單總額)
        "上期账单总额",
        "上期帳單總額",
        "上期账单金额",
        "上期帳單金額",
        # Italian banks (BancoPosta) open and close the table with dated balance rows
        "saldo iniziale",
        "saldo finale",
        "saldo contabile",
        "saldo disponibile",
    }
)
"""Whole description texts of rows that state a balance or a turnover, not an entry."""

DEFAULT_SKIP_STATES = (
    "PENDING",
    "DECLINED",
    "FAILED",
    "CANCELLED",
    "CANCELED",
    "REVERTED",
    # Satispay's state of a payment the payer did not approve (beside APPROVED): nothing moved
    "NOT APPROVED",
    "REJECTED",
    # German savings banks mark entries not yet booked (their CSV-CAMT "Info" column); the
    # booked entry follows in a later export, so reading this one would count it twice
    "UMSATZ VORGEMERKT",
)
"""States of rows that are no booked entries, when no layout names its own."""


NOT_PAID_STATES = frozenset(
    {
        "交易关闭",
        "已关闭",
        "交易失败",
        "支付失败",
        "失败",
        "已撤销",
        "交易撤销",
        "撤销",
        "待支付",
        "待付款",
        "等待付款",
        "未支付",
        "解冻成功",
    }
)
"""States of payment-bill rows (Alipay, WeChat Pay, Meituan, JD) where no money moved: a closed
or failed order, a cancelled one, one still waiting for payment, a released freeze. Rows in
them are skipped like a layout's ``skip_states``. A refunded payment (退款成功, 已全额退款) did
move money and stays; a reversed one is told apart (:data:`REVERSED_STATES`)."""

REVERSED_STATES = frozenset({"已冲正", "已冲账", "已冲销", "已被冲正"})
"""States of an entry the bank took back (冲正): it moved no money in the end. Where the export
lists the entry that reverses it too (摘要 冲正), both stay and cancel each other; where it
does not, the reversed entry is left out like a failed one."""

TOTAL_WORDS = (
    "合计",
    "总计",
    "小计",
    "本页",
    "共",
    "笔数",
    "汇总",
    "期初",
    "期末",
    "total",
    "sum",
    "balance",
    "opening",
    "closing",
    "summe",
    "saldo",
    "totaal",
    # German and French statements' opening and closing rows (alter/neuer Kontostand, Solde
    # précédent, Nouveau solde), printed without a date
    "kontostand",
    "solde",
)
