"""Bank credits for the matching benchmark: the company's accounts, the ways payers and banks
write names and invoice numbers, and the known answer (:class:`Truth`) each credit carries.

Shared by the benchmark's case generators (``bench/match_bench.py``) and the cases of the
matcher's later rules (``bench/generators/rule_cases.py``).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from bench.generators.ar import CustomerProfile, Ledger, bank_account
from reconcile.matching import InvoiceRecord
from reconcile.model import Transaction

OUR_ACCOUNTS = {
    "CNY": ("31050161393600000123", "1001234509000456789"),
    "USD": ("31050161393600099001",),
    "EUR": ("31050161393600099002",),
}
BANKS = ("中国工商银行上海分行", "招商银行苏州分行", "中国建设银行深圳分行", "交通银行杭州分行", "")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英"
NOISE_REFS = (
    "货款", "往来款", "付款", "转账", "payment", "11月货款", "结算款", "合同款", "", "",
    "合同HT2026-088货款", "2026-10 货款", "第3批货款", "订单 1102 货款", "TT PAYMENT",
)  # fmt: skip


@dataclass(slots=True)
class Truth:
    """What a clerk would post for one entry."""

    case: str
    status: str  # "matchable", "unmatchable", "ignored", "duplicate"
    customer: str | None = None
    allocations: dict[str, Decimal] = field(default_factory=dict)
    write_off: Decimal | None = None
    expect: str | None = None
    """``"auto"``: a careful person applies it unseen; ``"review"``: leaves it to a person;
    ``None``: either, judged by the figures as they always were."""
    rule: str | None = None
    """The matcher's later rule the credit exercises (see ``bench/generators/rule_cases.py``)."""


@dataclass(slots=True)
class Scenario:
    ledger: Ledger
    rng: random.Random
    today: dt.date
    used: set[str] = field(default_factory=set)
    open_by_customer: dict[str, list[InvoiceRecord]] = field(default_factory=dict)
    counter: int = 0
    profiles: dict[str, CustomerProfile] = field(default_factory=dict)
    codes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        by: dict[str, list[InvoiceRecord]] = defaultdict(list)
        for inv in self.ledger.invoices:
            by[inv.customer].append(inv)
        for items in by.values():
            items.sort(key=lambda i: (i.issue_date, i.number))
        self.open_by_customer = dict(by)
        self.profiles = self.ledger.by_code()
        self.codes = list(self.profiles)

    def ref(self) -> str:
        self.counter += 1
        return f"{self.today:%Y%m%d}{self.counter:08d}"

    def free(self, code: str) -> list[InvoiceRecord]:
        return [i for i in self.open_by_customer.get(code, ()) if i.number not in self.used]

    def pick(self, pred: Callable[[CustomerProfile, list[InvoiceRecord]], bool]) -> CustomerProfile:
        for _ in range(500):
            c = self.profiles[self.rng.choice(self.codes)]
            if pred(c, self.free(c.record.code)):
                return c
        raise RuntimeError("generator could not find a suitable customer")


# ----------------------------------------------------------------------------- payer spellings


TYPO_PAIRS = dict(
    pair
    for a, b in (("华", "化"), ("美", "每"), ("鑫", "新"), ("达", "大"), ("盛", "胜"), ("泰", "太"),
                 ("恒", "衡"), ("源", "元"), ("德", "得"), ("隆", "龙"), ("福", "富"), ("瑞", "锐"),
                 ("宏", "红"), ("远", "圆"), ("金", "今"), ("安", "岸"), ("博", "搏"), ("辉", "晖"))
    for pair in ((a, b), (b, a))
)  # fmt: skip


def mistype(text: str, rng: random.Random) -> str:
    """Return ``text`` with one character of its trade name replaced by a similar one."""
    positions = [i for i, ch in enumerate(text) if ch in TYPO_PAIRS]
    if not positions:
        return text
    i = rng.choice(positions)
    return text[:i] + TYPO_PAIRS[text[i]] + text[i + 1 :]


def payer_name(c: CustomerProfile, rng: random.Random, *, allow_typo: bool = True) -> str:
    """Return the customer's name as a bank might print it."""
    name = c.record.name
    if not c.location:  # foreign customers
        r = rng.random()
        if r < 0.5:
            return name
        return "".join(ch for ch in name.upper() if ch.isalnum() or ch == " ")[:35].strip()
    english = [a for a in c.record.aliases if a.isascii()]
    r = rng.random()
    if r < 0.36:
        return name
    if r < 0.50:
        base = c.location + c.core + c.industry
        return base + rng.choice(("", "有限公司", "股份有限公司", "有限责任公司", "公司"))
    if r < 0.58:
        branch = name + rng.choice(("北京", "上海", "广州", "深圳", "成都")) + "分公司"
        # some banks cut the name at 35 bytes of GBK (17 Chinese characters)
        return branch[:17] if rng.random() < 0.3 else branch
    if r < 0.66:
        return " ".join(
            (c.location, c.core + c.industry, name[len(c.location + c.core + c.industry) :])
        )
    if r < 0.72:
        return (
            f"{c.core}{c.industry}（{c.location}）{name[len(c.location + c.core + c.industry) :]}"
        )
    if r < 0.86 and english:
        upper = "".join(ch for ch in english[0].upper() if ch.isalnum() or ch == " ")
        return upper[:35].strip() if rng.random() < 0.7 else english[0]
    if r < 0.93 and allow_typo:
        return mistype(name, rng)
    return name


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def invoice_spelling(number: str, rng: random.Random) -> str:
    """Return ``INV-2026-00123`` spelt one of the ways payers write it."""
    _, year, seq = number.split("-")
    n = str(int(seq))
    forms = (
        number,
        number,
        f"INV{year}-{seq}",
        f"inv {year} {n}",
        f"发票号{number}",
        f"支付{number}货款",
        f"INV-{year}-{n}",
        f"付{number}",
        f"{number} payment",
        f"发票号：{n}",
        "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in number),
    )
    return rng.choice(forms)


def typo(number: str, rng: random.Random) -> str:
    """Return ``number`` with two adjacent digits of its sequence swapped or one digit wrong."""
    prefix, year, seq = number.split("-")
    digits = list(seq)
    for _ in range(20):
        d = digits[:]
        if rng.random() < 0.5:
            i = rng.randrange(len(d) - 1)
            d[i], d[i + 1] = d[i + 1], d[i]
        else:
            i = rng.randrange(len(d))
            d[i] = rng.choice([x for x in "0123456789" if x != d[i]])
        if d != digits:
            return f"{prefix}-{year}-{''.join(d)}"
    return number


# ----------------------------------------------------------------------------- credits


def payer_fields(s: Scenario, c: CustomerProfile) -> tuple[str | None, str | None]:
    """Return the payer name and account a bank might give for a payment by ``c``."""
    rng = s.rng
    accounts = c.record.bank_accounts
    if accounts and rng.random() < 0.6:
        return (payer_name(c, rng) if rng.random() < 0.8 else None), rng.choice(accounts)
    return payer_name(c, rng), bank_account(rng)


def credit(s: Scenario, amount: Decimal, currency: str, name: str | None, account: str | None,
        reference: str) -> Transaction:  # fmt: skip
    """Return a credit booked in the last three weeks on one of our accounts."""
    day = s.today - dt.timedelta(days=s.rng.randint(0, 20))
    return Transaction(
        bank_ref=s.ref(),
        booking_date=day,
        value_date=day,
        amount=amount,
        direction="credit",
        currency=currency,
        payer_name=name,
        payer_account=account,
        payer_bank=s.rng.choice(BANKS) or None,
        reference=reference,
        our_account=s.rng.choice(OUR_ACCOUNTS[currency if currency in OUR_ACCOUNTS else "USD"]),
    )


def unique_amount(items: list[InvoiceRecord]) -> list[InvoiceRecord]:
    """Return the invoices whose open amount no other of ``items`` shares."""
    counts = Counter(i.open_amount for i in items)
    return [i for i in items if counts[i.open_amount] == 1]
