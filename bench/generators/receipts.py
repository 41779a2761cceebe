"""Generate PDF bank receipts in every layout Concord reads, with the transactions they record.

Each generator returns the PDF bytes and the ``Transaction`` list a correct parser must produce
(``raw`` left empty: it holds whatever labels were printed). Chinese text uses reportlab's
built-in CID font STSong-Light, so no installed font is needed.

Layouts:
``label_lines``     one receipt per page, ``label：value`` lines (full-width or ASCII colons)
``multi_per_page``  two or three receipts on one A4 page, separated by dashed rules
``grid``            the classic table: 付款人 and 收款人 written vertically (or in one cell) on
                    the left of each half, 全称/账号/开户行 side by side; halves in either order
``cells``           labels and values in separate table cells, no colons
``english``         English credit and debit advices, ``Label: value`` lines
"""

from __future__ import annotations

import datetime as dt
import io
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from reconcile.model import ParseSettings, Transaction
from reconcile.normalize import format_chinese_amount

LAYOUTS = ("label_lines", "multi_per_page", "grid", "cells", "english")
CN_FONT = "STSong-Light"
EN_FONT = "Helvetica"
pdfmetrics.registerFont(UnicodeCIDFont(CN_FONT))

OWN_ACCOUNTS = ("31001234567890123456", "6222021001998877665")
OWN_NAME_CN = "上海协和贸易有限公司"
OWN_NAME_EN = "Concord Trading (Shanghai) Co., Ltd."
OWN_BANK_CN = "中国工商银行上海市分行营业部"
OWN_BANK_EN = "Bank of China Shanghai Branch"

COMPANIES_CN = (
    "北京华信科技有限公司",
    "深圳市宏达电子有限公司",
    "杭州云帆网络科技有限公司",
    "广州南方物流有限公司",
    "苏州工业园区精密机械有限公司",
    "成都天府软件股份有限公司",
)
COMPANIES_EN = (
    "Globex Industrial Supplies Ltd",
    "Northwind Traders GmbH",
    "Acme Components Inc.",
    "Initech Asia Pte Ltd",
)
BANKS_CN = (
    "中国建设银行北京朝阳支行",
    "招商银行深圳分行营业部",
    "中国银行杭州西湖支行",
    "交通银行广州天河支行",
)
BANKS_EN = ("HSBC Hong Kong", "Deutsche Bank AG Frankfurt", "Citibank N.A. Singapore")
REFERENCES_CN = (
    "货款 INV-2026-{n:04d}",
    "支付{m}月服务费 PO45000{n:05d}",
    "合同HT-2026-{n:03d}预付款",
    "发票号{n:08d}",
)
REFERENCES_EN = ("Invoice INV-2026-{n:04d}", "Payment PO 45000{n:05d}", "Settlement of INV{n:06d}")

CN_LABELS: dict[str, tuple[str, ...]] = {
    "payer_name": ("付款人名称", "付款人户名", "付款方", "汇款人", "付款人全称", "付款人"),
    "payer_account": ("付款人账号", "付款账号", "付款方账号", "汇款人账号"),
    "payer_bank": ("付款人开户行", "付款行", "付款人开户银行"),
    "payee_name": ("收款人名称", "收款人户名", "收款方", "收款人全称", "收款人"),
    "payee_account": ("收款人账号", "收款账号", "收款方账号"),
    "payee_bank": ("收款人开户行", "收款行", "收款人开户银行"),
    "amount": ("金额", "金　额", "小写金额", "金额（小写）", "交易金额"),
    "amount_words": ("大写金额", "金额（大写）", "大写"),
    "reference": ("用途", "附言", "摘要", "摘　要", "备注"),
    "bank_ref": ("交易流水号", "流水号", "凭证号", "回单编号", "电子回单号码"),
    "booking_date": ("日期", "交易日期", "记账日期"),
    "currency": ("币种",),
}
EN_LABELS: dict[str, tuple[str, ...]] = {
    "payer_name": ("Payer", "Remitter", "Ordering Customer"),
    "payer_account": ("Payer Account", "Remitter Account", "Ordering Account"),
    "payer_bank": ("Ordering Bank", "Remitting Bank"),
    "payee_name": ("Beneficiary", "Payee", "Beneficiary Name"),
    "payee_account": ("Beneficiary Account", "Payee Account"),
    "payee_bank": ("Beneficiary Bank", "Payee Bank"),
    "amount": ("Amount", "Transaction Amount"),
    "reference": ("Payment Details", "Remittance Information", "Remark"),
    "bank_ref": ("Reference", "Our Reference", "Transaction ID"),
    "booking_date": ("Booking Date", "Transaction Date", "Date"),
    "value_date": ("Value Date",),
    "currency": ("Currency",),
}
CN_DATE_STYLES = ("cn", "cn_short", "iso", "compact", "slash_ymd", "cn_time")
EN_DATE_STYLES = ("d_mon_y", "dmy", "mdy", "iso", "mon_d_y")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_CN_CURRENCY = {"CNY": "人民币", "USD": "美元", "EUR": "欧元"}


@dataclass(slots=True)
class GeneratedPdf:
    """A generated PDF and the transactions a correct parser reads from it."""

    data: bytes
    transactions: list[Transaction]
    layout: str
    filename: str
    settings: ParseSettings = field(default_factory=ParseSettings)


def own_settings(**overrides: object) -> ParseSettings:
    """Return the ``ParseSettings`` that make the generated receipts' own side recognisable."""
    base = ParseSettings(own_accounts=OWN_ACCOUNTS, own_names=(OWN_NAME_CN, OWN_NAME_EN))
    return replace(base, **overrides)  # type: ignore[arg-type]


def format_date(date: dt.date, style: str) -> str:
    """Return ``date`` written the way receipts print it (one of the ``*_DATE_STYLES``)."""
    formats: dict[str, Callable[[dt.date], str]] = {
        "cn": lambda d: f"{d.year}年{d.month:02d}月{d.day:02d}日",
        "cn_short": lambda d: f"{d.year}年{d.month}月{d.day}日",
        "cn_time": lambda d: f"{d.year}-{d.month:02d}-{d.day:02d} 14:22:05",
        "iso": lambda d: d.isoformat(),
        "compact": lambda d: f"{d:%Y%m%d}",
        "slash_ymd": lambda d: f"{d.year}/{d.month:02d}/{d.day:02d}",
        "d_mon_y": lambda d: f"{d.day:02d} {_MONTHS[d.month - 1]} {d.year}",
        "mon_d_y": lambda d: f"{_MONTHS[d.month - 1]} {d.day}, {d.year}",
        "dmy": lambda d: f"{d.day:02d}/{d.month:02d}/{d.year}",
        "mdy": lambda d: f"{d.month:02d}/{d.day:02d}/{d.year}",
    }
    return formats[style](date)


def format_amount(amount: Decimal, currency: str, style: int, *, ascii_only: bool = False) -> str:
    """Return ``amount`` with thousands separators and a currency sign or code."""
    figures = f"{amount:,.2f}"
    if currency == "EUR" and style % 2:
        figures = figures.replace(",", "_").replace(".", ",").replace("_", ".")
    if currency == "CNY" and ascii_only:
        return ("CNY {}", "RMB {}", "{} CNY")[style % 3].format(figures)
    if currency == "CNY":
        return ("¥{}", "￥{}", "CNY {}", "RMB{}", "{}")[style % 5].format(figures)
    return f"{currency} {figures}" if style % 3 else f"{figures} {currency}"


# --------------------------------------------------------------------------------------------
# random transactions


@dataclass(slots=True)
class Spec:
    """How one receipt is printed: the transaction plus the printing choices."""

    tx: Transaction
    labels: dict[str, str]
    date_style: str
    amount_style: int
    print_words: bool
    print_currency: bool
    spaced_accounts: bool
    title: str
    payee_bank: str
    value_date_printed: bool = False
    payee_first: bool = False
    """Grid layout: print the payee's half on the left (the parties must still come out right)."""
    vertical: bool = True
    """Grid layout: 付款人/收款人 written top to bottom (else across, in one cell)."""
    rotated: bool = False
    """Grid layout, vertical headings: rotated text instead of one character per line."""
    wrap_reference: bool = False
    """Label lines: continue a long reference on the next line, aligned with its value."""


def random_transaction(
    rng: random.Random, *, english: bool = False, ours: bool = True, day: int | None = None
) -> Transaction:
    """Return a random receipt transaction; ``ours=False`` makes neither side our account."""
    direction = rng.choice(("credit", "debit"))
    cents = int(10 ** rng.uniform(0, 10))  # 0.01 .. 99,999,999.99, log-uniform
    amount = Decimal(max(cents, 1)).scaleb(-2)
    date = dt.date(2026, rng.randint(1, 12), day or rng.randint(1, 28))
    companies = COMPANIES_EN if english else COMPANIES_CN
    banks = BANKS_EN if english else BANKS_CN
    other_name = rng.choice(companies)
    other_account = "".join(rng.choice("0123456789") for _ in range(rng.choice((16, 19))))
    other_bank = rng.choice(banks)
    if ours:
        me = (OWN_NAME_EN if english else OWN_NAME_CN, rng.choice(OWN_ACCOUNTS))
        my_bank = OWN_BANK_EN if english else OWN_BANK_CN
    else:
        third = rng.choice([c for c in companies if c != other_name])
        me = (third, "".join(rng.choice("0123456789") for _ in range(17)))
        my_bank = rng.choice(banks)
    if direction == "credit":
        payer, payer_bank, payee = (other_name, other_account), other_bank, me
    else:
        payer, payer_bank, payee = me, my_bank, (other_name, other_account)
    references = REFERENCES_EN if english else REFERENCES_CN
    reference = rng.choice(references).format(n=rng.randint(1, 99999), m=date.month)
    currency = rng.choice(("USD", "EUR", "CNY")) if english else rng.choice(("CNY",) * 5 + ("USD",))
    bank_ref = (
        f"FT26{rng.randint(100, 365)}{rng.randint(10**6, 10**7 - 1)}"
        if english
        else f"{date:%Y%m%d}{rng.randint(10**11, 10**12 - 1)}"
    )
    return Transaction(
        bank_ref=bank_ref,
        booking_date=date,
        value_date=date,
        amount=amount,
        direction="credit" if direction == "credit" else "debit",
        currency=currency,
        payer_name=payer[0],
        payer_account=payer[1],
        payer_bank=payer_bank,
        payee_name=payee[0],
        payee_account=payee[1],
        reference=reference,
        our_account=(payee[1] if direction == "credit" else payer[1]) if ours else "",
    )


def make_spec(rng: random.Random, tx: Transaction, *, english: bool, date_style: str) -> Spec:
    """Return random printing choices (labels, formats, title...) for ``tx``."""
    vocabulary = EN_LABELS if english else CN_LABELS
    labels = {name: rng.choice(options) for name, options in vocabulary.items()}
    if english:
        title = "CREDIT ADVICE" if tx.direction == "credit" else "DEBIT ADVICE"
    else:
        word = "收款回单" if tx.direction == "credit" else "付款回单"
        # without our account on it, only the title can tell which way the money went
        title = (
            rng.choice(("电子回单", "业务回单", "客户专用回单", word)) if tx.our_account else word
        )
    banks = BANKS_EN if english else BANKS_CN
    payee_bank = (
        (OWN_BANK_EN if english else OWN_BANK_CN)
        if tx.our_account == tx.payee_account
        else rng.choice(banks)
    )
    return Spec(
        tx=tx,
        labels=labels,
        date_style=date_style,
        amount_style=rng.randrange(15),
        print_words=not english and tx.currency == "CNY" and rng.random() < 0.8,
        print_currency=tx.currency != "CNY" or rng.random() < 0.5,
        spaced_accounts=rng.random() < 0.3,
        title=title,
        payee_bank=payee_bank,
        payee_first=rng.random() < 0.3,
        vertical=rng.random() < 0.7,
        rotated=rng.random() < 0.4,
        wrap_reference=not english and rng.random() < 0.3,
    )


def _transactions(
    rng: random.Random, count: int, *, english: bool, ours: bool, date_style: str
) -> list[Transaction]:
    txs = [random_transaction(rng, english=english, ours=ours) for _ in range(count)]
    if date_style in ("dmy", "mdy") and txs:
        # the file must settle day/month order: one date with a day above 12
        first = txs[0]
        date = first.booking_date.replace(day=rng.randint(13, 28))
        txs[0] = replace(first, booking_date=date, value_date=date)
    return txs


def _account_text(account: str | None, spec: Spec) -> str:
    account = account or ""
    if spec.spaced_accounts:
        return " ".join(account[i : i + 4] for i in range(0, len(account), 4))
    return account


def _values(spec: Spec) -> dict[str, str]:
    """The printed value of every field of one receipt."""
    tx = spec.tx
    english = spec.title.isascii()
    values = {
        "payer_name": tx.payer_name or "",
        "payer_account": _account_text(tx.payer_account, spec),
        "payer_bank": tx.payer_bank or "",
        "payee_name": tx.payee_name or "",
        "payee_account": _account_text(tx.payee_account, spec),
        "payee_bank": spec.payee_bank,
        "amount": format_amount(tx.amount, tx.currency, spec.amount_style, ascii_only=english),
        "reference": tx.reference,
        "bank_ref": tx.bank_ref,
        "booking_date": format_date(tx.booking_date, spec.date_style),
    }
    if tx.currency == "CNY" and not spec.print_currency and values["amount"][0].isdigit():
        values["amount"] = "¥" + values["amount"]  # the currency must be stated somewhere
    if spec.print_words:
        values["amount_words"] = format_chinese_amount(tx.amount)
    if spec.print_currency:
        values["currency"] = tx.currency if english else _CN_CURRENCY[tx.currency]
    if spec.value_date_printed and tx.value_date:
        values["value_date"] = format_date(tx.value_date, spec.date_style)
    return values


# --------------------------------------------------------------------------------------------
# drawing


class _Pdf:
    def __init__(self) -> None:
        self.buffer = io.BytesIO()
        self.canvas = Canvas(self.buffer, pagesize=A4, invariant=True)
        self.width, self.height = A4

    def text(self, x: float, y: float, text: str, *, size: float = 10, font: str = CN_FONT) -> None:
        self.canvas.setFont(font, size)
        self.canvas.drawString(x, y, text)

    def width_of(self, text: str, *, size: float = 10, font: str = CN_FONT) -> float:
        return float(pdfmetrics.stringWidth(text, font, size))

    def finish(self) -> bytes:
        self.canvas.save()
        return self.buffer.getvalue()


def _colon(rng: random.Random, english: bool = False) -> str:
    return rng.choice((":", ": ")) if english else rng.choice(("：", ":", "： "))


def _draw_label_lines(
    pdf: _Pdf, rng: random.Random, spec: Spec, top: float, *, compact: bool = False
) -> float:
    """Draw one receipt as ``label：value`` lines from ``top``; return the y below it."""
    english = spec.title.isascii()
    font = EN_FONT if english else CN_FONT
    values = _values(spec)
    y = top
    pdf.text(60, y, ("Bank of China" if english else "中国工商银行") + "  " + spec.title, size=14)
    y -= 26
    order = ["bank_ref", "booking_date", "value_date", "payer_name", "payer_account", "payer_bank"]
    order += ["payee_name", "payee_account", "payee_bank", "currency", "amount", "amount_words"]
    order += ["reference"]
    present = [name for name in order if name in values]
    step = 15 if compact else 18
    i = 0
    while i < len(present):
        name = present[i]
        text = f"{spec.labels[name]}{_colon(rng, english)}{values[name]}"
        pair = compact and i + 1 < len(present) and name.startswith(("payer", "booking"))
        if pair and present[i + 1] != "reference":
            # two fields on one line, as many banks print them
            other = present[i + 1]
            pdf.text(60, y, text, font=font)
            pdf.text(
                320, y, f"{spec.labels[other]}{_colon(rng, english)}{values[other]}", font=font
            )
            i += 2
        elif name == "reference" and spec.wrap_reference and not compact:
            head = f"{spec.labels[name]}{_colon(rng, english)}"
            cut = _wrap_point(values[name])
            pdf.text(60, y, head + values[name][:cut], font=font)
            y -= step
            pdf.text(60 + pdf.width_of(head, font=font), y, values[name][cut:], font=font)
            i += 1
        else:
            pdf.text(60, y, text, font=font)
            i += 1
        y -= step
    return y


def _wrap_point(text: str) -> int:
    """Where to break ``text`` so that a reader joining the two lines gets it back exactly.

    A break right after a Chinese character joins without a space.
    """
    for i in range(min(len(text) - 1, 4), 0, -1):
        if not text[i - 1].isascii() and not text[i].isspace():
            return i
    return len(text)


def _draw_grid(pdf: _Pdf, rng: random.Random, spec: Spec, top: float) -> float:
    """Draw the classic grid receipt with the parties side by side; return the y below it."""
    values = _values(spec)
    c = pdf.canvas
    pdf.text(200, top, "中国工商银行  " + spec.title, size=14)
    c.saveState()
    c.translate(30, top - 150)
    c.rotate(90)  # "第一联 回单联" printed up the page edge, as on carbon-copy forms
    c.setFont(CN_FONT, 9)
    c.drawString(0, 0, "第一联 回单联")
    c.restoreState()
    date_label = spec.labels["booking_date"]
    pdf.text(60, top - 22, f"{date_label}：{values['booking_date']}")
    pdf.text(330, top - 22, f"{spec.labels['bank_ref']}：{values['bank_ref']}")
    x0, x1, row = 50.0, 545.0, 22.0
    y = top - 32
    halves = [("付款人", "payer"), ("收款人", "payee")]
    if spec.payee_first:
        halves.reverse()  # some banks print the payee on the left: position must not matter
    vertical = spec.vertical
    sub_labels = [
        rng.choice(("全称", "户名", "户　名")),
        rng.choice(("账号", "帐号", "账　号")),
        rng.choice(("开户行", "开户银行")),
    ]
    mid = (x0 + x1) / 2
    c.rect(x0, y - 3 * row, x1 - x0, 3 * row)
    for k, (word, party) in enumerate(halves):
        left = x0 + k * (mid - x0)
        head = 22.0 if vertical else 48.0
        c.line(left + head, y, left + head, y - 3 * row)
        c.line(left + head + 50, y, left + head + 50, y - 3 * row)
        if k:
            c.line(left, y, left, y - 3 * row)
        if vertical and spec.rotated:
            c.saveState()
            c.translate(left + 6, y - 1.5 * row + pdf.width_of(word) / 2)  # centred
            c.rotate(-90)  # reads top to bottom
            c.setFont(CN_FONT, 10)
            c.drawString(0, -10, word)
            c.restoreState()
        elif vertical:
            for j, ch in enumerate(word):
                pdf.text(left + 6, y - 20 - j * 16, ch)
        else:
            pdf.text(left + 6, y - 1.5 * row - 4, word)
        party_values = [
            values[f"{party}_name"],
            values[f"{party}_account"],
            values[f"{party}_bank"],
        ]
        for j, (label, value) in enumerate(zip(sub_labels, party_values, strict=True)):
            base = y - (j + 1) * row + 7
            if j:
                c.line(left + head, y - j * row, left + mid - x0, y - j * row)
            pdf.text(left + head + 5, base, label)
            pdf.text(left + head + 55, base, value, size=9 if len(value) > 14 else 10)
    y -= 3 * row
    rows: list[list[tuple[str, str]]] = []
    amount_row = [(spec.labels["amount"], values["amount"])]
    if "amount_words" in values:
        words = ("人民币（大写）", values["amount_words"])
        if len(words[1]) <= 12:
            amount_row.insert(0, words)
        else:
            rows.append([words])  # a long 大写 amount gets a row of its own
    rows.append(amount_row)
    rows.append([(spec.labels["reference"], values["reference"])])
    if "currency" in values:
        rows.append([(spec.labels["currency"], values["currency"])])
    for cells in rows:
        c.rect(x0, y - row, x1 - x0, row)
        x = x0
        width = (x1 - x0) / len(cells)
        for label, value in cells:
            c.line(x + 70, y, x + 70, y - row)
            pdf.text(x + 5, y - row + 7, label)
            pdf.text(x + 75, y - row + 7, value)
            x += width
            if x < x1:
                c.line(x, y, x, y - row)
        y -= row
    return y - 10


def _draw_cells(pdf: _Pdf, rng: random.Random, spec: Spec, top: float) -> float:
    """Draw a receipt as a table of label cells and value cells, no colons."""
    values = _values(spec)
    c = pdf.canvas
    pdf.text(220, top, "招商银行  " + spec.title, size=14)
    beside_amount = next((n for n in ("amount_words", "currency") if n in values), None)
    pairs = [
        ("payer_name", "payee_name"),
        ("payer_account", "payee_account"),
        ("payer_bank", "payee_bank"),
        ("amount", beside_amount),
        ("booking_date", "bank_ref"),
        ("reference", None),
    ]
    if "amount_words" in values and "currency" in values:
        pairs.insert(4, ("currency", None))
    x0, row = 40.0, 22.0
    widths = (72.0, 190.0, 72.0, 181.0)
    y = top - 14
    for left_name, right_name in pairs:
        c.rect(x0, y - row, sum(widths), row)
        cells = [left_name, right_name]
        x = x0
        for k, name in enumerate(cells):
            label_w, value_w = widths[2 * k], widths[2 * k + 1]
            if name is None:
                break
            label = spec.labels.get(name, "人民币（大写）")
            value = values[name]
            c.line(x + label_w, y, x + label_w, y - row)
            pdf.text(x + 4, y - row + 7, label, size=9)
            pdf.text(x + label_w + 4, y - row + 7, value, size=9)
            x += label_w + value_w
            if k == 0 and right_name is not None:
                c.line(x, y, x, y - row)
        y -= row
    return y - 10


def _dashed_rule(pdf: _Pdf, y: float) -> None:
    pdf.canvas.setDash(4, 3)
    pdf.canvas.line(30, y, pdf.width - 30, y)
    pdf.canvas.setDash()


# --------------------------------------------------------------------------------------------
# public generators


def generate(
    layout: str,
    count: int = 6,
    *,
    seed: int = 0,
    filename: str | None = None,
    ours: bool = True,
) -> GeneratedPdf:
    """Return a PDF of ``count`` random receipts in ``layout`` and their transactions.

    :param ours: False prints receipts where neither side is our account (the parser must
        then go by the receipt's words and warn).
    """
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; choose from {', '.join(LAYOUTS)}")
    rng = random.Random(f"{layout}-{seed}")
    filename = filename or f"{layout}-{seed}.pdf"
    english = layout == "english"
    date_style = rng.choice(EN_DATE_STYLES if english else CN_DATE_STYLES)
    txs = _transactions(rng, count, english=english, ours=ours, date_style=date_style)
    specs = [make_spec(rng, tx, english=english, date_style=date_style) for tx in txs]
    if english:
        for spec in specs:
            if rng.random() < 0.5:
                shift = dt.timedelta(days=rng.randint(1, 3))
                spec.value_date_printed = True
                spec.tx = replace(spec.tx, value_date=spec.tx.booking_date + shift)
    return render(layout, specs, filename=filename, rng=rng)


def render(
    layout: str, specs: Sequence[Spec], *, filename: str, rng: random.Random
) -> GeneratedPdf:
    """Draw ``specs`` in ``layout``; return the PDF with each transaction's expected source."""
    pdf = _Pdf()
    expected: list[Transaction] = []
    page = 1
    if layout == "multi_per_page":
        i = 0
        while i < len(specs):
            per_page = rng.choice((2, 3))
            y = pdf.height - 50
            for k, spec in enumerate(specs[i : i + per_page], start=1):
                if k > 1:
                    _dashed_rule(pdf, y + 12)
                    y -= 14
                y = _draw_label_lines(pdf, rng, spec, y, compact=True) - 6
                expected.append(_with_source(spec, filename, page, k))
            pdf.canvas.showPage()
            i += per_page
            page += 1
    else:
        draw = {
            "label_lines": _draw_label_lines,
            "english": _draw_label_lines,
            "grid": _draw_grid,
            "cells": _draw_cells,
        }[layout]
        for spec in specs:
            draw(pdf, rng, spec, pdf.height - 60)
            expected.append(_with_source(spec, filename, page, 1))
            pdf.canvas.showPage()
            page += 1
    return GeneratedPdf(pdf.finish(), expected, layout, filename, own_settings())


def _with_source(spec: Spec, filename: str, page: int, k: int) -> Transaction:
    return replace(spec.tx, source=f"{filename}#page={page}/{k}", raw={}, warnings=[])


def lines_pdf(pages: Sequence[Sequence[str]], *, font: str = CN_FONT) -> bytes:
    """Return a PDF with the given text lines on each page (for hand-written test receipts)."""
    pdf = _Pdf()
    for lines in pages:
        for i, line in enumerate(lines):
            pdf.text(60, pdf.height - 60 - i * 18, line, font=font)
        pdf.canvas.showPage()
    return pdf.finish()


def scanned_pdf(text_pages: Sequence[Sequence[str]] = (), *, font: str = CN_FONT) -> bytes:
    """Return a PDF whose last page's only content is an image (a scanned receipt), after
    ``text_pages`` written as :func:`lines_pdf` writes them."""
    from reportlab.lib.utils import ImageReader

    png = _tiny_png()
    pdf = _Pdf()
    for lines in text_pages:
        for i, line in enumerate(lines):
            pdf.text(60, pdf.height - 60 - i * 18, line, font=font)
        pdf.canvas.showPage()
    pdf.canvas.drawImage(ImageReader(io.BytesIO(png)), 50, 500, width=400, height=250)
    pdf.canvas.showPage()
    return pdf.finish()


def _tiny_png() -> bytes:
    import struct
    import zlib

    width, height = 8, 8
    raw = b"".join(b"\x00" + bytes([200, 200, 200] * width) for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def encrypted_pdf(user_password: str = "secret") -> bytes:  # noqa: S107 (test data)
    """Return a credit advice PDF encrypted with ``user_password`` (empty = owner password only).

    English with a standard font: pdfminer cannot map reportlab's encrypted CID fonts back to
    Unicode, which the parser reports as an undecodable text layer instead.
    """
    from reportlab.lib.pdfencrypt import StandardEncryption

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, encrypt=StandardEncryption(user_password, "owner"))
    canvas.setFont(EN_FONT, 10)
    lines = [
        "CREDIT ADVICE",
        "Transaction ID: 2026110300001",
        "Value Date: 2026-11-03",
        f"Remitter: {COMPANIES_EN[0]}",
        "Remitter Account: 6222000011112222",
        f"Beneficiary: {OWN_NAME_EN}",
        f"Beneficiary Account: {OWN_ACCOUNTS[0]}",
        "Amount: CNY 1,000.00",
        "Remark: INV-2026-0001",
    ]
    for i, line in enumerate(lines):
        canvas.drawString(60, 780 - i * 18, line)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def undecodable_pdf() -> bytes:
    """Return a receipt whose text pdfminer cannot map to Unicode (encrypted CID font)."""
    from reportlab.lib.pdfencrypt import StandardEncryption

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, encrypt=StandardEncryption("", "owner"))
    canvas.setFont(CN_FONT, 10)
    for i, line in enumerate(("电子回单", "付款人名称：北京华信科技有限公司", "金额：¥1,000.00")):
        canvas.drawString(60, 780 - i * 18, line)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
