"""Generate a receivables ledger: customers (Chinese and English names, aliases, near-namesakes,
bank accounts) and their invoices (``INV-YYYY-NNNNN``, PO numbers, realistic amounts).

Everything is drawn from a ``random.Random`` the caller seeds, so a run is reproducible.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from reconcile.matching import CustomerRecord, InvoiceRecord

# trade-name characters with their pinyin, for English aliases
SYLLABLES = (
    ("华", "Hua"), ("美", "Mei"), ("鑫", "Xin"), ("达", "Da"), ("盛", "Sheng"), ("泰", "Tai"),
    ("恒", "Heng"), ("源", "Yuan"), ("德", "De"), ("隆", "Long"), ("福", "Fu"), ("瑞", "Rui"),
    ("宏", "Hong"), ("远", "Yuan"), ("金", "Jin"), ("安", "An"), ("博", "Bo"), ("联", "Lian"),
    ("创", "Chuang"), ("信", "Xin"), ("晨", "Chen"), ("光", "Guang"), ("天", "Tian"),
    ("海", "Hai"), ("通", "Tong"), ("永", "Yong"), ("康", "Kang"), ("佳", "Jia"), ("明", "Ming"),
    ("星", "Xing"), ("辉", "Hui"), ("万", "Wan"), ("正", "Zheng"), ("和", "He"), ("中", "Zhong"),
    ("兴", "Xing"), ("凯", "Kai"), ("力", "Li"), ("嘉", "Jia"), ("峰", "Feng"), ("润", "Run"),
    ("诚", "Cheng"), ("丰", "Feng"), ("腾", "Teng"), ("耀", "Yao"), ("启", "Qi"), ("航", "Hang"),
    ("锦", "Jin"), ("智", "Zhi"), ("优", "You"), ("立", "Li"), ("昌", "Chang"), ("豪", "Hao"),
    ("宇", "Yu"), ("蓝", "Lan"), ("益", "Yi"), ("科", "Ke"), ("顺", "Shun"), ("银", "Yin"),
)  # fmt: skip
LOCATIONS = (
    ("上海", "Shanghai"), ("北京", "Beijing"), ("苏州", "Suzhou"), ("深圳", "Shenzhen"),
    ("广州", "Guangzhou"), ("杭州", "Hangzhou"), ("南京", "Nanjing"), ("宁波", "Ningbo"),
    ("无锡", "Wuxi"), ("厦门", "Xiamen"), ("青岛", "Qingdao"), ("武汉", "Wuhan"),
    ("成都", "Chengdu"), ("东莞", "Dongguan"), ("天津", "Tianjin"), ("昆山", "Kunshan"),
)  # fmt: skip
INDUSTRIES = (
    ("贸易", "Trading"), ("电子科技", "Electronic Technology"), ("科技", "Technology"),
    ("实业", "Industrial"), ("物流", "Logistics"), ("机械", "Machinery"), ("化工", "Chemical"),
    ("食品", "Foods"), ("纺织", "Textile"), ("包装", "Packaging"), ("五金", "Hardware"),
    ("电器", "Appliances"), ("新材料", "New Materials"), ("医药", "Pharmaceutical"),
    ("精密", "Precision"), ("供应链", "Supply Chain"),
)  # fmt: skip
LEGAL_FORMS = ("有限公司", "有限公司", "有限公司", "股份有限公司", "有限责任公司")
FOREIGN = (
    ("Müller Maschinenbau GmbH", "EUR"), ("Brightstar Components Inc.", "USD"),
    ("Acme Industrial Supply LLC", "USD"), ("Pacific Rim Traders Corp.", "USD"),
    ("Nordic Precision Tools AB", "EUR"), ("Sunrise Electronics Pte. Ltd.", "USD"),
    ("Keller & Söhne KG", "EUR"), ("Atlas Logistics Ltd.", "USD"),
)  # fmt: skip


@dataclass(slots=True)
class CustomerProfile:
    """A generated customer with what the bank-side generator needs to impersonate it."""

    record: CustomerRecord
    english: str | None
    location: str
    core: str
    industry: str
    namesakes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Ledger:
    """Customers and invoices, with quick access by code."""

    customers: list[CustomerProfile]
    invoices: list[InvoiceRecord]

    @property
    def customer_records(self) -> list[CustomerRecord]:
        """The ERP's customer list."""
        return [c.record for c in self.customers]

    def by_code(self) -> dict[str, CustomerProfile]:
        """Customers by code."""
        return {c.record.code: c for c in self.customers}


def bank_account(rng: random.Random) -> str:
    """Return a plausible Chinese bank account or card number."""
    head = rng.choice(("6222", "6228", "6217", "3100", "1001", "4420", "3205", "1210"))
    return head + "".join(rng.choice("0123456789") for _ in range(rng.choice((12, 14, 15))))


def _amount(rng: random.Random) -> Decimal:
    r = rng.random()
    if r < 0.25:
        # round amounts: services, deposits, fixed fees
        return Decimal(rng.choice((500, 800, 1000, 1200, 1500, 2000, 2500, 3000, 5000, 8000,
                                   10000, 12000, 15000, 20000, 30000, 50000)))  # fmt: skip
    if r < 0.85:
        return Decimal(rng.randint(20000, 8000000)) / 100
    return Decimal(rng.randint(8000000, 120000000)) / 100


def make_customers(n: int, rng: random.Random) -> list[CustomerProfile]:
    """Return ``n`` customers; about one in six shares its trade name with another (namesakes)."""
    used: set[str] = set()
    out: list[CustomerProfile] = []
    cores: list[tuple[str, str]] = []
    code_no = 1
    n_foreign = max(1, n // 40)
    while len(out) < n - n_foreign:
        if cores and rng.random() < 0.18:
            # a near-namesake: same trade name, another city or trade
            zh_core, en_core = rng.choice(cores)
        else:
            a, b = rng.sample(SYLLABLES, 2)
            zh_core, en_core = a[0] + b[0], a[1] + b[1].lower()
            cores.append((zh_core, en_core))
        loc_zh, loc_en = rng.choice(LOCATIONS)
        ind_zh, ind_en = rng.choice(INDUSTRIES)
        key = loc_zh + zh_core + ind_zh
        if key in used:
            continue
        used.add(key)
        name = key + rng.choice(LEGAL_FORMS)
        english = f"{loc_en} {en_core} {ind_en} Co., Ltd."
        aliases: list[str] = []
        if rng.random() < 0.45:
            aliases.append(english)
        if rng.random() < 0.1:
            aliases.append(zh_core + ind_zh)  # the short name people use
        accounts = [bank_account(rng) for _ in range(rng.choice((0, 1, 1, 1, 2, 2, 3)))]
        currency = "USD" if rng.random() < 0.04 else "CNY"
        record = CustomerRecord(f"C{code_no:05d}", name, tuple(aliases), tuple(accounts), currency)
        out.append(CustomerProfile(record, english, loc_zh, zh_core, ind_zh))
        code_no += 1
    for i in range(n_foreign):
        base, currency = FOREIGN[i % len(FOREIGN)]
        name = base if i < len(FOREIGN) else base.replace(" ", f" {i // len(FOREIGN) + 1} ", 1)
        iban = (f"DE{rng.randint(10, 99)}{rng.randint(10**17, 10**18 - 1)}",)
        record = CustomerRecord(f"C{code_no:05d}", name, (), iban, currency)
        out.append(CustomerProfile(record, name, "", name, ""))
        code_no += 1
    by_core: dict[str, list[CustomerProfile]] = {}
    for c in out:
        by_core.setdefault(c.core, []).append(c)
    for group in by_core.values():
        for c in group:
            c.namesakes = [o.record.code for o in group if o is not c]
    return out


def make_invoices(
    customers: list[CustomerProfile],
    per_customer: float,
    rng: random.Random,
    *,
    today: dt.date = dt.date(2026, 11, 20),
) -> list[InvoiceRecord]:
    """Return about ``per_customer`` open invoices per customer, numbered ``INV-YYYY-NNNNN``.

    Some customers are billed a fixed monthly amount (several open invoices of equal amount).
    """
    seq = {2025: 1, 2026: 1}
    out: list[InvoiceRecord] = []
    for c in customers:
        count = max(1, round(rng.expovariate(1 / per_customer)))
        fixed = _amount(rng) if rng.random() < 0.08 else None
        for _ in range(count):
            issue = today - dt.timedelta(days=rng.randint(5, 330))
            year = issue.year if seq[issue.year] < 99999 else 2025 + 2026 - issue.year
            number = f"INV-{year}-{seq[year]:05d}"
            seq[year] += 1
            amount = fixed if fixed is not None else _amount(rng)
            po = None
            if rng.random() < 0.5:
                po = rng.choice(
                    (f"PO-{rng.randint(10000, 999999)}", f"4500{rng.randint(100000, 999999)}")
                )
            out.append(
                InvoiceRecord(
                    number,
                    c.record.code,
                    issue,
                    issue + dt.timedelta(days=rng.choice((30, 45, 60, 90))),
                    c.record.currency,
                    amount,
                    amount,
                    po,
                )
            )
    return out


def make_ledger(n_customers: int, per_customer: float, seed: int) -> Ledger:
    """Return a reproducible ledger of ``n_customers`` customers."""
    rng = random.Random(seed)
    customers = make_customers(n_customers, rng)
    return Ledger(customers, make_invoices(customers, per_customer, rng))
