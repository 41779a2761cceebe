"""Bank credits for the matcher's later rules, with what a careful person would do with each.

(a) No payer name from the bank: the customer's code (``Party: C00123``, or inside an ISO 11649
    creditor reference) or one of its bank account numbers in the remittance text names it.
(b) An invoice named by a creditor reference whose check digits verify, overpaid: applied, the
    rest left unapplied; left to a person when the customer owes the amount paid on another
    invoice (the payer may have quoted the wrong reference).
(c) A known customer paying another customer's named invoice while owing that very amount
    itself: left to a person (a sister company paying, or the wrong invoice quoted).
(d) An invoice issued more than a week after the credit was booked: offered, not applied, on
    the amount alone (an advance, or a payment of something else); named, it is applied.
(e) A payment on behalf of a customer (代…付款, 受…委托, "on behalf of", "im Auftrag von"):
    the customer named is the one paid for, even when the payer (a customer itself) owes the
    amount; quoting the payer's own invoice while saying so is left to a person.
(f) A payment on behalf of a customer named by a short name (代华联付款, "o/b/o Hualian"): the
    one customer of that short name is paid for; a short name near-namesakes share is left to
    a person, unless the invoice named settles whose it is.
(g) A known payer writes the invoice number short, without prefix or year (发票号123,
    "Rechnung 123"), or as a Czech variable symbol (VS 202600123): it names the payer's one
    open invoice of that number, even when another open invoice of the payer has the amount.

Each credit's :class:`~bench.generators.credits.Truth` says which invoice it pays and whether a
careful person applies it (``expect="auto"``) or leaves it for review (``expect="review"``).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict
from collections.abc import Callable
from decimal import Decimal

from bench.generators.ar import CustomerProfile, bank_account
from bench.generators.credits import (
    NOISE_REFS,
    Scenario,
    Truth,
    credit,
    invoice_spelling,
    payer_fields,
    person,
    unique_amount,
)
from reconcile.matching import InvoiceRecord
from reconcile.model import Transaction

Case = tuple[Transaction, Truth]
CENT = Decimal("0.01")


def creditor_reference(body: str, rng: random.Random) -> str:
    """Return the ISO 11649 creditor reference of ``body``, written whole or in groups of four."""
    digits = "".join(str(int(ch, 36)) for ch in body + "RF00")
    whole = f"RF{98 - int(digits) % 97:02d}{body}"
    if rng.random() < 0.35:
        return " ".join(whole[i : i + 4] for i in range(0, len(whole), 4))
    return whole


def _body(number: str) -> str:
    return "".join(ch for ch in number.upper() if ch.isalnum())


def _grouped(account: str) -> str:
    return " ".join(account[i : i + 4] for i in range(0, len(account), 4))


def sole(s: Scenario, code: str) -> list[InvoiceRecord]:
    """The customer's free invoices whose open amount none of its other open invoices shares
    (those another credit pays included: the matcher sees them open until it pays them)."""
    counts = Counter(i.open_amount for i in s.open_by_customer.get(code, ()))
    return [i for i in s.free(code) if counts[i.open_amount] == 1]


def _on(tx: Transaction, day: dt.date) -> Transaction:
    tx.booking_date = tx.value_date = day
    return tx


# ----------------------------------------------------------------------------- (a)


def case_payer_in_text(s: Scenario) -> Case:
    """No payer name; the customer's code or account in the text; one open invoice fits."""
    rng = s.rng
    r = rng.random()
    by_account = r >= 0.65
    c = s.pick(
        lambda c, f: (
            bool(unique_amount(f))
            and c.record.currency == "CNY"
            and (bool(c.record.bank_accounts) or not by_account)
        )
    )
    inv = rng.choice(unique_amount(s.free(c.record.code)))
    s.used.add(inv.number)
    code = c.record.code
    if r < 0.45:
        label = "9a payer from code in text"
        form = rng.choice(("Party: {}", "客户编号{} 货款", "{} 付款", "customer {} payment",
                           "客户代码：{}", "{}"))  # fmt: skip
        ref = form.format(code if rng.random() < 0.8 else code.lower())
    elif r < 0.65:
        label = "9a payer from code in RF reference"
        ref = rng.choice(("", "", "Ref: ", "付款参考 ")) + creditor_reference(_body(code), rng)
    else:
        label = "9a payer from account in text"
        acct = rng.choice(c.record.bank_accounts)
        written = _grouped(acct) if rng.random() < 0.4 else acct
        ref = rng.choice(("付款账号{}", "Account: {}", "{} 货款", "付款人账号：{} 付款")).format(
            written
        )
    # the bank gives no name; some give an account the ERP does not know (a new one)
    account = bank_account(rng) if rng.random() < 0.4 else None
    tx = credit(s, inv.open_amount, "CNY", None, account, ref)
    # nothing names the invoice: one issued over a week after the credit is (d)'s case, for a
    # person; here the customer pays an invoice it has received
    tx = _on(tx, max(tx.booking_date, inv.issue_date))
    return tx, Truth(label, "matchable", code, {inv.number: inv.open_amount}, expect="auto")


# ----------------------------------------------------------------------------- (b)


def _overpaid(inv: InvoiceRecord, others: list[InvoiceRecord], rng: random.Random) -> Decimal:
    """An amount above ``inv``'s that no other open invoice, alone or added to it, explains."""
    taken = {o.open_amount for o in others} | {inv.open_amount + o.open_amount for o in others}
    for _ in range(50):
        if rng.random() < 0.5:
            step = Decimal(rng.choice((1000, 5000, 10000)))
            paid = (inv.open_amount / step).to_integral_value(rounding="ROUND_CEILING") * step
            paid += step if paid == inv.open_amount else 0
        else:
            share = Decimal(rng.randint(5, 100)) / 100
            paid = (inv.open_amount * (1 + share)).quantize(CENT)
        if paid not in taken:
            return paid
    return inv.open_amount * 2 + CENT


def case_rf_overpayment(s: Scenario) -> Case:
    """An invoice named by its verified creditor reference, paid more than it is open."""
    rng = s.rng
    if rng.random() < 0.2:
        return _rf_overpayment_of_own_amount(s)
    c = s.pick(lambda c, f: bool(f) and c.record.currency == "CNY")
    inv = rng.choice(s.free(c.record.code))
    s.used.add(inv.number)
    others = [o for o in s.open_by_customer[c.record.code] if o is not inv]
    paid = _overpaid(inv, others, rng)
    name, acct = payer_fields(s, c)
    ref = rng.choice(("", "", "Ref: ", "付款参考 ")) + creditor_reference(_body(inv.number), rng)
    tx = credit(s, paid, "CNY", name, acct, ref)
    truth = Truth("9b overpaid, verified RF reference", "matchable", c.record.code,
                  {inv.number: inv.open_amount}, expect="auto")  # fmt: skip
    return tx, truth


def _rf_overpayment_of_own_amount(s: Scenario) -> Case:
    """The verified reference names one invoice; the amount is exactly another one's."""

    def fits(c: CustomerProfile, f: list[InvoiceRecord]) -> bool:
        return c.record.currency == "CNY" and len(sole(s, c.record.code)) >= 2

    c = s.pick(fits)
    a, b = sorted(s.rng.sample(sole(s, c.record.code), 2), key=_open)
    s.used.update((a.number, b.number))
    name, acct = payer_fields(s, c)
    tx = credit(s, b.open_amount, "CNY", name, acct, creditor_reference(_body(a.number), s.rng))
    truth = Truth("9b overpaid RF, another invoice is the amount", "matchable", c.record.code,
                  {a.number: a.open_amount}, expect="review")  # fmt: skip
    return tx, truth


def _open(inv: InvoiceRecord) -> Decimal:
    return inv.open_amount


# ----------------------------------------------------------------------------- (c)


def _shared_amounts(s: Scenario) -> list[tuple[InvoiceRecord, InvoiceRecord]]:
    """Pairs of free CNY invoices of two customers with one open amount, each amount unique
    among its customer's open invoices."""
    by_amount: dict[Decimal, list[InvoiceRecord]] = defaultdict(list)
    for code in s.codes:
        c = s.profiles[code]
        if c.record.currency == "CNY":
            for inv in sole(s, code):
                by_amount[inv.open_amount].append(inv)
    pairs = []
    for items in by_amount.values():
        for x, y in zip(items[::2], items[1::2], strict=False):
            pairs.append((x, y))
    s.rng.shuffle(pairs)
    return pairs


def case_payer_owes_it(s: Scenario, pairs: list[tuple[InvoiceRecord, InvoiceRecord]]) -> Case:
    """A known customer pays another's named invoice and owes that very amount itself."""
    rng = s.rng
    while True:
        named, own = pairs.pop()
        if not {named.number, own.number} & s.used:
            break
    s.used.update((named.number, own.number))
    payer = s.profiles[own.customer]
    name, acct = payer_fields(s, payer)
    ref = invoice_spelling(named.number, rng)
    tx = credit(s, named.open_amount, "CNY", name, acct, ref)
    truth = Truth("9c payer owes the amount itself", "matchable", named.customer,
                  {named.number: named.open_amount}, expect="review")  # fmt: skip
    return tx, truth


# ----------------------------------------------------------------------------- (d)


def case_future_invoice(s: Scenario) -> Case:
    """A credit booked more than a week before the invoice it pays was issued."""
    rng = s.rng
    since = s.today - dt.timedelta(days=45)

    def late(c: CustomerProfile) -> list[InvoiceRecord]:
        return [i for i in sole(s, c.record.code) if i.issue_date >= since]

    c = s.pick(lambda c, f: c.record.currency == "CNY" and bool(late(c)))
    inv = rng.choice(late(c))
    s.used.add(inv.number)
    day = inv.issue_date - dt.timedelta(days=rng.randint(8, 30))
    name, acct = payer_fields(s, c)
    if rng.random() < 0.4:
        named = inv.po_number if inv.po_number and rng.random() < 0.3 else inv.number
        ref = invoice_spelling(named, rng) if named == inv.number else f"PO {named}"
        label, expect = "9d invoice issued after the credit, named", "auto"
    else:
        ref = rng.choice(NOISE_REFS)
        label, expect = "9d invoice issued after the credit, not named", "review"
    tx = _on(credit(s, inv.open_amount, "CNY", name, acct, ref), day)
    truth = Truth(label, "matchable", c.record.code, {inv.number: inv.open_amount}, expect=expect)
    return tx, truth


# ----------------------------------------------------------------------------- (e)

_FOR_ZH = ("代{}付款", "代为支付{}货款", "代付{}货款", "受{}委托付款", "{}委托付款")
_FOR_EN = ("on behalf of {}", "PAYMENT O/B/O {}", "for account of {}", "Zahlung im Auftrag von {}")
_FACTORS = ("中信保理有限公司", "平安商业保理有限公司", "远东国际融资租赁有限公司")


def paid_for_wording(c: CustomerProfile, rng: random.Random) -> str:
    """The text of a payment made on behalf of ``c``: Chinese wording with its full name, or
    English or German wording with its English name (or its customer code)."""
    english = [a for a in c.record.aliases if a.isascii()]
    if rng.random() < 0.6 or not (english or c.record.code):
        return rng.choice(_FOR_ZH).format(c.record.name)
    whom = english[0] if english and rng.random() < 0.7 else c.record.code
    return rng.choice(_FOR_EN).format(whom)


def case_paid_for(s: Scenario, pairs: list[tuple[InvoiceRecord, InvoiceRecord]]) -> Case:
    """A payment on behalf of a customer: by a known customer owing the amount itself, by a
    payer unknown to the ERP, or quoting the payer's own invoice (which the text contradicts)."""
    r = s.rng.random()
    if r < 0.45:
        return _paid_for_by_a_customer_owing_it(s, pairs)
    if r < 0.8:
        return _paid_for_by_a_stranger(s)
    return _paid_for_quoting_own_invoice(s)


def _with_number(ref: str, inv: InvoiceRecord, rng: random.Random) -> str:
    return f"{ref} {invoice_spelling(inv.number, rng)}" if rng.random() < 0.4 else ref


def _paid_for_by_a_customer_owing_it(
    s: Scenario, pairs: list[tuple[InvoiceRecord, InvoiceRecord]]
) -> Case:
    """A known customer pays for another, owing the very amount itself: the text says whom."""
    rng = s.rng
    while True:
        named, own = pairs.pop()
        if not {named.number, own.number} & s.used:
            break
    s.used.update((named.number, own.number))
    name, acct = payer_fields(s, s.profiles[own.customer])
    ref = _with_number(paid_for_wording(s.profiles[named.customer], rng), named, rng)
    tx = credit(s, named.open_amount, "CNY", name, acct, ref)
    truth = Truth("9e on behalf of, payer owes the amount itself", "matchable", named.customer,
                  {named.number: named.open_amount}, expect="auto")  # fmt: skip
    return tx, truth


def _paid_for_by_a_stranger(s: Scenario) -> Case:
    """A person or a factoring company pays for a customer, saying whom."""
    rng = s.rng
    c = s.pick(lambda c, f: c.record.currency == "CNY" and bool(sole(s, c.record.code)))
    inv = rng.choice(sole(s, c.record.code))
    s.used.add(inv.number)
    name = rng.choice(_FACTORS) if rng.random() < 0.4 else person(rng)
    ref = _with_number(paid_for_wording(c, rng), inv, rng)
    tx = credit(s, inv.open_amount, "CNY", name, bank_account(rng), ref)
    truth = Truth("9e on behalf of, payer unknown", "matchable", c.record.code,
                  {inv.number: inv.open_amount}, expect="auto")  # fmt: skip
    return tx, truth


def _paid_for_quoting_own_invoice(s: Scenario) -> Case:
    """A known customer says it pays for another but quotes its own invoice: a person looks."""
    rng = s.rng
    payer = s.pick(lambda c, f: c.record.currency == "CNY" and bool(sole(s, c.record.code)))
    inv = rng.choice(sole(s, payer.record.code))
    s.used.add(inv.number)
    other = s.pick(lambda c, f: c is not payer and c.record.currency == "CNY")
    name, acct = payer_fields(s, payer)
    ref = f"{paid_for_wording(other, rng)} {invoice_spelling(inv.number, rng)}"
    tx = credit(s, inv.open_amount, "CNY", name, acct, ref)
    truth = Truth("9e on behalf of another, own invoice quoted", "matchable", payer.record.code,
                  {inv.number: inv.open_amount}, expect="review")  # fmt: skip
    return tx, truth


# ----------------------------------------------------------------------------- (f)

_SHORT_ZH = ("代{}付款", "代 {} 付", "代付{}货款", "受{}委托付款", "代{}还款")
_SHORT_EN = ("on behalf of {}", "O/B/O {}", "PAYMENT OBO {}", "for account of {}")


def _english_core(c: CustomerProfile) -> str:
    """The trade name of ``c``'s English alias (``Hualian`` of "Shanghai Hualian Trading")."""
    return (c.english or "").split()[1] if c.english in c.record.aliases else ""


def _short_wording(s: Scenario, c: CustomerProfile, english_unique: bool) -> str:
    """A text paying on behalf of ``c`` by its Chinese trade name, or its English one when the
    ERP has it and no other customer's English name has it."""
    rng = s.rng
    if english_unique and rng.random() < 0.35:
        core = _english_core(c)
        return rng.choice(_SHORT_EN).format(core.upper() if rng.random() < 0.5 else core)
    return rng.choice(_SHORT_ZH).format(c.core)


def case_short_name(s: Scenario, pairs: list[tuple[InvoiceRecord, InvoiceRecord]]) -> Case:
    """A payment on behalf of a customer written by its short name: the short name of one
    customer (paid by a stranger, or by a customer owing the amount itself), or one that
    near-namesakes share (left to a person unless an invoice is named)."""
    rng = s.rng
    english = Counter(_english_core(p) for p in s.profiles.values() if _english_core(p))

    def unique(c: CustomerProfile) -> bool:
        return c.record.currency == "CNY" and bool(c.location) and not c.namesakes

    r = rng.random()
    if r < 0.55:
        owing = _pair_for(s, pairs, unique) if rng.random() < 0.4 else None
        if owing is not None:
            named, own = owing
            c = s.profiles[named.customer]
            name, acct = payer_fields(s, s.profiles[own.customer])
        else:
            c = s.pick(lambda c, f: unique(c) and bool(sole(s, c.record.code)))
            named = rng.choice(sole(s, c.record.code))
            s.used.add(named.number)
            name = rng.choice(_FACTORS) if rng.random() < 0.4 else person(rng)
            acct = bank_account(rng)
        text = _short_wording(s, c, english[_english_core(c)] == 1)
        tx = credit(s, named.open_amount, "CNY", name, acct, _with_number(text, named, rng))
        truth = Truth("9f short name of one customer", "matchable", c.record.code,
                      {named.number: named.open_amount}, expect="auto")  # fmt: skip
        return tx, truth
    c = s.pick(
        lambda c, f: (
            c.record.currency == "CNY"
            and bool(c.location)
            and 1 <= len(c.namesakes) <= 3
            and bool(sole(s, c.record.code))
        )
    )
    inv = rng.choice(sole(s, c.record.code))
    s.used.add(inv.number)
    name = rng.choice(_FACTORS) if rng.random() < 0.4 else person(rng)
    text = rng.choice(_SHORT_ZH).format(c.core)
    if r < 0.85:
        label, expect = "9f short name several customers share", "review"
    else:
        text = f"{text} {invoice_spelling(inv.number, rng)}"
        label, expect = "9f short name several share, invoice named", "auto"
    tx = credit(s, inv.open_amount, "CNY", name, bank_account(rng), text)
    truth = Truth(label, "matchable", c.record.code, {inv.number: inv.open_amount}, expect=expect)
    return tx, truth


def _pair_for(
    s: Scenario,
    pairs: list[tuple[InvoiceRecord, InvoiceRecord]],
    fits: Callable[[CustomerProfile], bool],
) -> tuple[InvoiceRecord, InvoiceRecord] | None:
    """A pair of invoices of one amount (see :func:`_shared_amounts`) whose first customer
    ``fits``, both unused, taken from ``pairs``; ``None`` when there is none."""
    for i, (a, b) in enumerate(pairs):
        if not {a.number, b.number} & s.used:
            for named, own in ((a, b), (b, a)):
                if fits(s.profiles[named.customer]):
                    del pairs[i]
                    s.used.update((a.number, b.number))
                    return named, own
    return None


# ----------------------------------------------------------------------------- (g)

_SHORT_NUMBER = (
    "发票号{n}",
    "付发票号：{n}货款",
    "INV {n}",
    "Rechnung {n}",
    "VS {year}{seq}",
    "VS:{year}{seq}",
)


def case_short_number(s: Scenario) -> Case:
    """A known customer pays one invoice quoting its number short; half the time an older open
    invoice of the customer has the same amount, so that only the number tells which."""
    rng = s.rng

    def older(inv: InvoiceRecord) -> list[InvoiceRecord]:
        # free older invoices of the amount: the same-amount policy would pick one of those
        return [
            j
            for j in s.free(inv.customer)
            if j.open_amount == inv.open_amount and j.issue_date < inv.issue_date
        ]

    def twins(code: str) -> list[InvoiceRecord]:
        return [i for i in s.free(code) if older(i)]

    shared = rng.random() < 0.5
    c = s.pick(
        lambda c, f: (
            c.record.currency == "CNY"
            and bool(c.record.bank_accounts)
            and bool(twins(c.record.code) if shared else sole(s, c.record.code))
        )
    )
    code = c.record.code
    inv = rng.choice(twins(code) if shared else sole(s, code))
    # no other credit pays the older invoices of the amount: they stay open beside this one
    s.used.update([inv.number, *(j.number for j in older(inv))])
    _, year, seq = inv.number.split("-")
    text = rng.choice(_SHORT_NUMBER).format(n=int(seq), year=year, seq=seq)
    tx = credit(s, inv.open_amount, "CNY", None, rng.choice(c.record.bank_accounts), text)
    label = "9g short number, same amount twice" if shared else "9g short number of one invoice"
    truth = Truth(label, "matchable", code, {inv.number: inv.open_amount}, expect="auto")
    return tx, truth


# ----------------------------------------------------------------------------- the mix

RULE_MIX: tuple[tuple[str, float], ...] = (
    ("a", 0.020),
    ("b", 0.010),
    ("c", 0.006),
    ("d", 0.014),
    ("e", 0.012),
    ("f", 0.012),
    ("g", 0.010),
)
"""Share of each rule's credits, of the benchmark's other entries: a bank that gives no payer
name is the exception; overpaid references, payers owing the amount themselves and credits
weeks before their invoice rarer still."""


def generate_rule_cases(s: Scenario, n: int, rng: random.Random) -> list[Case]:
    """Return the credits of the later rules for a benchmark of ``n`` other entries, drawn
    with ``rng`` (the other entries' draws stay as they were)."""
    s.rng = rng
    pairs = _shared_amounts(s)
    makers: dict[str, Callable[[], Case]] = {
        "a": lambda: case_payer_in_text(s),
        "b": lambda: case_rf_overpayment(s),
        "c": lambda: case_payer_owes_it(s, pairs),
        "d": lambda: case_future_invoice(s),
        "e": lambda: case_paid_for(s, pairs),
        "f": lambda: case_short_name(s, pairs),
        "g": lambda: case_short_number(s),
    }
    out: list[Case] = []
    for rule, share in RULE_MIX:
        for _ in range(round(n * share)):
            tx, truth = makers[rule]()
            truth.rule = rule
            out.append((tx, truth))
    return out
