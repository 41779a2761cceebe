"""Receipts drawn differently from ``receipts.py``: an independent check of the PDF parser.

The drawing code here shares nothing with ``bench.generators.receipts``; it imitates what
real Chinese electronic receipts (工商银行/建设银行/招商银行/农业银行 电子回单, 客户专用回单,
业务回单) and English credit advices look like:

``boxed_rows``     a bordered table drawn with lines, label and value in separate boxes,
                   letter-spaced labels (金　　额, 用  途), a 电子回单专用章 stamp over the
                   fields, bank name in the header and 打印时间 in the footer
``value_below``    each label with its value on the line below it
``stacked``        付款人 and 收款人 blocks one above the other, each a heading over
                   户名/账号/开户行 rows
``spaced_grid``    the classic grid with 付款人/收款人 vertical and letter-spaced sub-labels
                   (全　称, 账　号, 开 户 行); the halves side by side, or stacked
``icbc_grid``      付款人 | 户名 | value | 收款人 | 户名 | value rows with the party words
                   written across in the middle row, 大写 and 小写 in one 金额 row, an ICBC
                   时间戳, 记账日期 at the foot next to the 打印时间
``english``        an English credit advice (Ordering Customer, Beneficiary, Value Date...)
``english_boxed``  the same facts in label and value boxes, no colons
``english_columns`` an advice whose reference, date, currency and amount are a header row of a
                   table with the values in the row below
``two_per_page``   two compact boxed 业务回单 on one A4 page, each with its title and seal
``colon_columns``  landscape page, ``label：value`` in two columns, letter-spaced labels with a
                   colon (金　　额：), 打印时间 on the same line as the 交易日期

Chinese text is drawn with an embedded TrueType font (WenQuanYi Zen Hei) when installed, else
with reportlab's built-in STSong-Light.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from reconcile.model import ParseSettings, Transaction
from reconcile.normalize import format_chinese_amount

VARIANTS = (
    "boxed_rows",
    "value_below",
    "stacked",
    "spaced_grid",
    "icbc_grid",
    "english",
    "english_boxed",
    "two_per_page",
    "colon_columns",
    "english_columns",
)

_TTF_PATH = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
EN_FONT = "Helvetica"


def _register_cn_font() -> str:
    if os.path.exists(_TTF_PATH):
        pdfmetrics.registerFont(TTFont("WQYZenHei", _TTF_PATH, subfontIndex=0))
        return "WQYZenHei"
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


CN_FONT = _register_cn_font()

OWN_ACCOUNT = "1001 2345 6789 0123 456"
OWN_NAME_CN = "上海协和贸易有限公司"
OWN_NAME_EN = "Concord Trading (Shanghai) Co., Ltd."
SETTINGS = ParseSettings(own_accounts=(OWN_ACCOUNT,), own_names=(OWN_NAME_CN, OWN_NAME_EN))


@dataclass(frozen=True, slots=True)
class Case:
    """The facts one generated receipt prints."""

    amount: Decimal
    date: dt.date
    incoming: bool
    """True: the other side pays us (a credit); False: we pay them (a debit)."""
    other_name: str
    other_account: str
    other_bank: str
    own_bank: str
    reference: str
    bank_ref: str


CASES: tuple[Case, ...] = (
    Case(
        Decimal("12345.60"),
        dt.date(2026, 11, 3),
        True,
        "北京华信科技有限公司",
        "1100 1020 3040 5060 7",
        "中国建设银行北京朝阳支行",
        "中国工商银行上海市分行营业部",
        "货款 INV-2026-0042",
        "HQ20261103000123",
    ),
    Case(
        Decimal("8.05"),
        dt.date(2026, 2, 9),
        False,
        "深圳市宏达电子有限公司",
        "755912345610801",
        "招商银行深圳分行营业部",
        "中国农业银行股份有限公司上海浦东分行营业部",
        "支付10月服务费",
        "CMB0209778812",
    ),
    Case(
        Decimal("3000000.00"),
        dt.date(2026, 12, 31),
        True,
        "杭州云帆网络科技有限公司",
        "33050161123400001234",
        "中国银行股份有限公司杭州市西湖支行",
        "招商银行上海分行",
        "合同HT-2026-007预付款",
        "20261231ABC0099",
    ),
)

EN_CASES: tuple[Case, ...] = (
    Case(
        Decimal("2475.00"),
        dt.date(2026, 11, 3),
        True,
        "Globex Industrial Supplies Ltd",
        "DE89370400440532013000",
        "Deutsche Bank AG Frankfurt",
        "Bank of China Shanghai Branch",
        "Invoice INV-2026-0042",
        "FT26307ABC123",
    ),
    Case(
        Decimal("120000.50"),
        dt.date(2026, 6, 1),
        False,
        "Northwind Traders GmbH",
        "GB29NWBK60161331926819",
        "HSBC Hong Kong",
        "Bank of China Shanghai Branch",
        "Settlement of PO 4500012345",
        "OUT2606010007",
    ),
)


@dataclass(slots=True)
class AltPdf:
    """A generated PDF, the transaction it records, and the settings that identify our side."""

    data: bytes
    expected: list[Transaction]
    """The transactions in page order, ``source`` left empty."""
    variant: str
    settings: ParseSettings = SETTINGS


def expected_transaction(case: Case, *, english: bool, currency: str = "CNY") -> Transaction:
    """Return the transaction a correct parser reads from a receipt of ``case``."""
    own_name = OWN_NAME_EN if english else OWN_NAME_CN
    own_account = OWN_ACCOUNT.replace(" ", "")
    other_account = case.other_account.replace(" ", "")
    if case.incoming:
        payer = (case.other_name, other_account, case.other_bank)
        payee = (own_name, own_account)
    else:
        payer = (own_name, own_account, case.own_bank)
        payee = (case.other_name, other_account)
    return Transaction(
        bank_ref=case.bank_ref,
        booking_date=case.date,
        value_date=case.date,
        amount=case.amount,
        direction="credit" if case.incoming else "debit",
        currency=currency,
        payer_name=payer[0],
        payer_account=payer[1],
        payer_bank=payer[2],
        payee_name=payee[0],
        payee_account=payee[1],
        reference=case.reference,
        our_account=own_account,
    )


def _parties(case: Case, *, english: bool = False) -> tuple[tuple[str, str, str], ...]:
    own = (OWN_NAME_EN if english else OWN_NAME_CN, OWN_ACCOUNT, case.own_bank)
    other = (case.other_name, case.other_account, case.other_bank)
    return (other, own) if case.incoming else (own, other)


# --------------------------------------------------------------------------------------------
# drawing


class _Sheet:
    """A canvas addressed from the top of the page, in points."""

    def __init__(self) -> None:
        self.buffer = io.BytesIO()
        self.canvas = Canvas(self.buffer, pagesize=A4, invariant=True)
        self.height = A4[1]

    def text(self, x: float, top: float, text: str, size: float = 10.5, font: str = "") -> None:
        self.canvas.setFont(font or CN_FONT, size)
        self.canvas.drawString(x, self.height - top - size, text)

    def box(self, x0: float, top: float, x1: float, bottom: float) -> None:
        self.canvas.rect(x0, self.height - bottom, x1 - x0, bottom - top, stroke=1, fill=0)

    def hline(self, x0: float, x1: float, top: float) -> None:
        self.canvas.line(x0, self.height - top, x1, self.height - top)

    def stamp(self, cx: float, cy_top: float, radius: float = 42, bank: str = "") -> None:
        """A red seal drawn over the fields: a circle, the bank's name set along its rim one
        rotated character at a time, a star and 电子回单专用章 across the middle."""
        c = self.canvas
        c.saveState()
        c.setStrokeColorRGB(0.85, 0.1, 0.1)
        c.setFillColorRGB(0.85, 0.1, 0.1)
        c.setLineWidth(2)
        cy = self.height - cy_top
        c.circle(cx, cy, radius, stroke=1, fill=0)
        c.setFont(CN_FONT, 8)
        c.drawCentredString(cx, cy - 3, "电子回单专用章")
        c.drawCentredString(cx, cy + 14, "★")
        for k, ch in enumerate(bank):
            angle = 200 - k * (220 / max(len(bank) - 1, 1))
            c.saveState()
            c.translate(cx, cy)
            c.rotate(angle - 90)
            c.drawCentredString(0, radius - 11, ch)
            c.restoreState()
        c.restoreState()

    def header(self, bank: str, title: str) -> None:
        self.text(60, 40, bank, 14)
        self.text(230, 70, title, 16)

    def footer(self, printed: str) -> None:
        self.text(60, 780, f"打印时间：{printed}", 8)
        self.text(400, 780, "本回单不作为收款方发货依据", 8)

    def done(self) -> bytes:
        self.canvas.showPage()
        self.canvas.save()
        return self.buffer.getvalue()


def _amount_text(case: Case, style: int) -> str:
    figures = f"{case.amount:,.2f}"
    return (
        f"￥{figures}",
        f"CNY{case.amount:.2f}",
        f"人民币 {figures}元",
        f"RMB {figures}",
        f"¥{figures}元",
        figures,  # no sign at all: the 大写 beside it is in 元
    )[style % 6]


def _date_text(date: dt.date, style: int) -> str:
    return (
        f"{date.year}年{date.month}月{date.day}日",
        f"{date:%Y/%m/%d}",
        f"{date:%Y.%m.%d}",
    )[style % 3]


def _printed_at(case: Case) -> str:
    # printed a few weeks after booking: must never be read as the booking date
    later = case.date + dt.timedelta(days=17)
    return f"{later:%Y-%m-%d} 09:41:07"


def _draw_boxed_rows(case: Case, style: int) -> bytes:
    sheet = _Sheet()
    sheet.header("中国工商银行", "电子回单")
    sheet.text(60, 100, f"电子回单号码：{case.bank_ref[::-1]}", 9)
    payer, payee = _parties(case)
    rows = [
        ("付款人户名", payer[0]),
        ("付款人账号", payer[1]),
        ("付款人开户行", payer[2]),
        ("收款人户名", payee[0]),
        ("收款人账号", payee[1]),
        ("收款人开户行", payee[2]),
        ("金　　额", _amount_text(case, style)),
        ("大　　写", "人民币" + format_chinese_amount(case.amount)),
        ("用  途", case.reference),
        ("交易流水号", case.bank_ref),
        ("记账日期", _date_text(case.date, style)),
        ("业务种类", "跨行转账"),
    ]
    top, height = 120.0, 26.0
    y = top
    for label, value in rows:
        # long Chinese names wrap inside their box (figures and references are kept whole:
        # where a Latin word was cut cannot be told from the page)
        two_lines = len(value) > 14 and all("\u3400" <= ch <= "\u9fff" for ch in value)
        h = height * (1.6 if two_lines else 1)
        sheet.box(50, y, 160, y + h)
        sheet.box(160, y, 545, y + h)
        sheet.text(58, y + 8, label)
        if two_lines:
            sheet.text(168, y + 5, value[:14])
            sheet.text(168, y + 19, value[14:])
        else:
            sheet.text(168, y + 8, value)
        y += h
    sheet.stamp(450, top + 8.5 * height, bank="中国工商银行股份有限公司")
    sheet.footer(_printed_at(case))
    return sheet.done()


def _draw_value_below(case: Case, style: int) -> bytes:
    sheet = _Sheet()
    sheet.header("中国建设银行", "客户专用回单")
    sheet.text(400, 95, f"打印时间：{_printed_at(case)}", 8)
    payer, payee = _parties(case)
    pairs = [
        ("凭证号", case.bank_ref),
        ("交易日期", _date_text(case.date, style + 1)),
        ("付款人名称", payer[0]),
        ("付款人账号", payer[1]),
        ("付款人开户行", payer[2]),
        ("收款人名称", payee[0]),
        ("收款人账号", payee[1]),
        ("收款人开户行", payee[2]),
        ("金额（小写）", _amount_text(case, style + 1)),
        ("金额（大写）", "人民币" + format_chinese_amount(case.amount)),
        ("摘要", case.reference),
    ]
    # two columns of label-over-value pairs
    for i, (label, value) in enumerate(pairs):
        column, row = divmod(i, 6)
        x, y = 60 + column * 250, 120 + row * 48
        sheet.text(x, y, label, 9)
        sheet.text(x, y + 16, value, 10.5)
    sheet.hline(50, 545, 112)
    sheet.hline(50, 545, 410)
    sheet.stamp(460, 360, bank="中国建设银行股份有限公司")
    return sheet.done()


def _draw_stacked(case: Case, style: int) -> bytes:
    sheet = _Sheet()
    sheet.header("招商银行", "业务回单")
    payer, payee = _parties(case)
    y = 110.0
    sheet.text(60, y, f"交易流水号：{case.bank_ref}", 9)
    sheet.text(330, y, f"回单编号：{case.bank_ref[-6:]}X", 9)
    y += 24
    blocks = [("付款人", payer), ("收款人", payee)]
    if style % 2:
        blocks.reverse()  # some banks print the payee's block first
    for heading, party in blocks:
        sheet.box(50, y, 545, y + 22)
        sheet.text(58, y + 6, heading, 11)
        y += 22
        for label, value in (
            ("户　　名", party[0]),
            ("账　　号", party[1]),
            ("开 户 行", party[2]),
        ):
            sheet.box(50, y, 150, y + 22)
            sheet.box(150, y, 545, y + 22)
            sheet.text(70, y + 6, label)
            sheet.text(158, y + 6, value)
            y += 22
        y += 8
    for label, value in (
        ("交易金额", _amount_text(case, style + 2)),
        ("大写金额", "人民币" + format_chinese_amount(case.amount)),
        ("交易日期", _date_text(case.date, style + 2)),
        ("附　　言", case.reference),
    ):
        sheet.box(50, y, 150, y + 22)
        sheet.box(150, y, 545, y + 22)
        sheet.text(70, y + 6, label)
        sheet.text(158, y + 6, value)
        y += 22
    sheet.stamp(470, y - 40, bank="招商银行股份有限公司")
    sheet.footer(_printed_at(case))
    return sheet.done()


def _draw_spaced_grid(case: Case, style: int) -> bytes:
    sheet = _Sheet()
    sheet.header("中国农业银行", "网上银行电子回单")
    sheet.text(60, 100, f"回单编号：{case.bank_ref}", 9)
    sheet.text(330, 100, f"记账日期：{_date_text(case.date, style)}", 9)
    payer, payee = _parties(case)
    top, h = 120.0, 24.0
    # odd styles stack the two halves, full width, the payer's on top
    stacked = style % 2 == 1
    width = 495.0 if stacked else 247.5
    for half, (word, party) in enumerate((("付款人", payer), ("收款人", payee))):
        x = 50 if stacked else 50 + half * width
        block = top + half * 3 * h if stacked else top
        sheet.box(x, block, x + 22, block + 3 * h)
        for k, ch in enumerate(word):
            sheet.text(x + 6, block + 14 + k * 16, ch)
        for r, (label, value) in enumerate(
            (("全　　称", party[0]), ("账　　号", party[1]), ("开 户 行", party[2]))
        ):
            y = block + r * h
            sheet.box(x + 22, y, x + 80, y + h)
            sheet.box(x + 80, y, x + width, y + h)
            sheet.text(x + 26, y + 7, label, 9)
            sheet.text(x + 84, y + 7, value, 8)
    y = top + (6 if stacked else 3) * h
    for label, value in (
        ("金额（大写）", "人民币" + format_chinese_amount(case.amount)),
        ("金额（小写）", _amount_text(case, style)),
        ("用　　途", case.reference),
    ):
        sheet.box(50, y, 150, y + h)
        sheet.box(150, y, 545, y + h)
        sheet.text(58, y + 7, label, 9)
        sheet.text(158, y + 7, value)
        y += h
    sheet.stamp(480, y - 20)
    sheet.footer(_printed_at(case))
    return sheet.done()


def _draw_icbc_grid(case: Case, style: int) -> bytes:
    sheet = _Sheet()
    sheet.header("中国工商银行", "网上银行电子回单")
    sheet.text(60, 100, f"电子回单号码：{case.bank_ref[::-1]}", 9)
    payer, payee = _parties(case)
    top, h = 118.0, 22.0
    # odd styles print 付款人 in a narrow cell, a few points from 账号 (the parser reads word
    # positions, not ruled lines: the two run together as 付款人账号)
    w = 30 if style % 2 else 36
    columns = ((50, 50 + w, 100 + w, 297), (297, 297 + w, 347 + w, 545))
    for (x0, x1, x2, x3), word, party in zip(
        columns, ("付款人", "收款人"), (payer, payee), strict=True
    ):
        sheet.box(x0, top, x1, top + 3 * h)
        sheet.text(x0 + 4.5, top + h + 6, word, 9)  # across, in the middle row of its cell
        for r, (label, value) in enumerate(
            (("户名", party[0]), ("账号", party[1]), ("开户银行", party[2]))
        ):
            y = top + r * h
            sheet.box(x1, y, x2, y + h)
            sheet.box(x2, y, x3, y + h)
            sheet.text(x1 + 4, y + 6, label, 9)
            sheet.text(x2 + 4, y + 6, value, 8 if len(value) < 16 else 6.5)
    y = top + 3 * h
    sheet.box(50, y, 80, y + h)
    sheet.box(80, y, 545, y + h)
    sheet.text(54, y + 6, "金额", 9)
    sheet.text(84, y + 6, "人民币（大写）：" + format_chinese_amount(case.amount), 9)
    sheet.text(380, y + 6, "（小写）：" + _amount_text(case, style), 9)
    y += h
    for left, right in (
        (("摘要", "转账"), ("业务（产品）种类", "跨行汇款")),
        (("用途", case.reference), ("币种", "人民币")),
        (("交易流水号", case.bank_ref), ("时间戳", f"{case.date:%Y-%m-%d}-14.22.05.695730")),
    ):
        for x0, (label, value) in zip((50, 297), (left, right), strict=True):
            sheet.box(x0, y, x0 + 80, y + h)
            sheet.box(x0 + 80, y, x0 + 247.5, y + h)
            sheet.text(x0 + 4, y + 6, label, 9)
            sheet.text(x0 + 84, y + 6, value, 9)
        y += h
    sheet.text(60, y + 10, "备注：", 9)
    sheet.text(60, y + 30, "验证码：A1B2C3D4E5F6", 9)
    sheet.text(60, y + 50, "记账网点：00123", 9)
    sheet.text(200, y + 50, "记账柜员：30055", 9)
    booked = f"{case.date.year}年{case.date.month:02d}月{case.date.day:02d}日"
    sheet.text(340, y + 50, f"记账日期：{booked}", 9)
    sheet.text(340, y + 66, f"打印时间：{_printed_at(case)}", 8)
    sheet.stamp(470, y + 10, bank="中国工商银行股份有限公司")
    return sheet.done()


_ONES = (
    "ZERO ONE TWO THREE FOUR FIVE SIX SEVEN EIGHT NINE TEN ELEVEN TWELVE THIRTEEN FOURTEEN "
    "FIFTEEN SIXTEEN SEVENTEEN EIGHTEEN NINETEEN"
).split()
_TENS = "_ _ TWENTY THIRTY FORTY FIFTY SIXTY SEVENTY EIGHTY NINETY".split()


def _below_thousand(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    words = [f"{_ONES[hundreds]} HUNDRED"] if hundreds else []
    if rest >= 20:
        words.append(_TENS[rest // 10] + (f"-{_ONES[rest % 10]}" if rest % 10 else ""))
    elif rest or not words:
        words.append(_ONES[rest])
    return " ".join(words)


def _english_words(amount: Decimal) -> str:
    """The amount in words as advices print it (``TWO THOUSAND ... AND CENTS FIFTY ONLY``)."""
    whole, cents = divmod(int(amount * 100), 100)
    parts: list[str] = []
    for scale, name in ((10**6, " MILLION"), (10**3, " THOUSAND"), (1, "")):
        chunk, whole = divmod(whole, scale)
        if chunk or (scale == 1 and not parts):
            parts.append(_below_thousand(chunk) + name)
    return " ".join(parts) + (f" AND CENTS {_below_thousand(cents)}" if cents else "") + " ONLY"


def _draw_english(case: Case, style: int) -> bytes:
    sheet = _Sheet()
    f = EN_FONT
    sheet.text(60, 40, "BANK OF CHINA LIMITED SHANGHAI BRANCH", 13, f)
    sheet.text(60, 62, "CREDIT ADVICE" if case.incoming else "DEBIT ADVICE", 15, f)
    sheet.text(380, 62, f"Printed: {case.date + dt.timedelta(days=5):%d/%m/%Y}", 8, f)
    payer, payee = _parties(case, english=True)
    rows = [
        ("Our Reference:", case.bank_ref),
        ("Value Date:", f"{case.date:%d} {case.date:%b}".upper() + f" {case.date.year}"),
        ("Amount:", f"USD {case.amount:,.2f}"),
        ("Amount in Words:", "US DOLLARS " + _english_words(case.amount)),
        ("Ordering Customer:", payer[0]),
        ("Ordering Account:", payer[1]),
        ("Ordering Bank:", payer[2]),
        ("Beneficiary:", payee[0]),
        ("Beneficiary Account:", payee[1]),
        ("Remittance Information:", case.reference),
    ]
    for i, (label, value) in enumerate(rows):
        y = 100 + i * 20
        sheet.text(60, y, label, 10, f)
        sheet.text(200, y, value, 10, f)
    sheet.text(60, 300, "This advice is computer generated and requires no signature.", 8, f)
    return sheet.done()


def _draw_english_boxed(case: Case, style: int) -> bytes:
    sheet = _Sheet()
    f = EN_FONT
    sheet.text(60, 40, "HSBC", 16, f)
    sheet.text(60, 64, "Payment Advice - Customer Copy", 12, f)
    payer, payee = _parties(case, english=True)
    rows = [
        ("Transaction Reference", case.bank_ref),
        ("Value Date", f"{case.date:%d %b %Y}".upper()),
        ("Transaction Amount", f"USD{case.amount:,.2f}"),
        ("Ordering Customer", payer[0]),
        ("Ordering Account", payer[1]),
        ("Ordering Bank", payer[2]),
        ("Beneficiary Name", payee[0]),
        ("Beneficiary Account", payee[1]),
        ("Payment Details", case.reference),
        ("Print Date", f"{case.date + dt.timedelta(days=3):%d %b %Y}"),
    ]
    for i, (label, value) in enumerate(rows):
        y = 100 + i * 22
        sheet.box(50, y, 200, y + 22)
        sheet.box(200, y, 545, y + 22)
        sheet.text(56, y + 6, label, 10, f)
        sheet.text(206, y + 6, value, 10, f)
    return sheet.done()


def _draw_compact(sheet: _Sheet, case: Case, style: int, top: float) -> None:
    """One 业务回单 in the upper or lower half of a page, fields two to a row."""
    sheet.text(230, top, "业务回单（收款）" if case.incoming else "业务回单（付款）", 14)
    sheet.text(60, top + 24, f"日期：{_date_text(case.date, style)}", 9)
    sheet.text(330, top + 24, f"流水号：{case.bank_ref}", 9)
    payer, payee = _parties(case)
    rows = (
        (("付款人", payer[0]), ("收款人", payee[0])),
        (("付款账号", payer[1]), ("收款账号", payee[1])),
        (("付款行", payer[2]), ("收款行", payee[2])),
        (("金额", _amount_text(case, style)), ("币种", "人民币")),
        (("大写金额", "人民币" + format_chinese_amount(case.amount)), ("用途", case.reference)),
    )
    y = top + 42
    for row in rows:
        for x0, (label, value) in zip((50, 297), row, strict=True):
            sheet.box(x0, y, x0 + 62, y + 22)
            sheet.box(x0 + 62, y, x0 + 247.5, y + 22)
            sheet.text(x0 + 4, y + 7, label, 9)
            sheet.text(x0 + 66, y + 7, value, 8 if len(value) < 18 else 6.5)
        y += 22
    sheet.stamp(480, y - 30, 34, bank="招商银行股份有限公司")


def _draw_two_per_page(case: Case, style: int) -> bytes:
    sheet = _Sheet()
    sheet.text(60, 30, "招商银行 网上企业银行", 9)
    _draw_compact(sheet, case, style, 60)
    sheet.canvas.setDash(4, 3)
    sheet.hline(40, 555, 400)
    sheet.canvas.setDash()
    other = CASES[(CASES.index(case) + 1) % len(CASES)]
    _draw_compact(sheet, other, style + 1, 430)
    sheet.footer(_printed_at(case))
    return sheet.done()


def _draw_colon_columns(case: Case, style: int) -> bytes:
    sheet = _Sheet()
    sheet.canvas.setPageSize((A4[1], A4[0]))  # landscape, as many receipt printers use
    sheet.height = A4[0]
    sheet.text(300, 30, "中国工商银行 电子回单", 15)
    payer, payee = _parties(case)
    lines = [
        (f"付款人户名：{payer[0]}", f"收款人户名：{payee[0]}"),
        (f"付款人账号：{payer[1]}", f"收款人账号：{payee[1]}"),
        (f"付款人开户行：{payer[2]}", f"收款人开户行：{payee[2]}"),
        (f"金　　额：{_amount_text(case, style + 4)}", f"币　　种：{'人民币'}"),
        (f"大　　写：人民币{format_chinese_amount(case.amount)}", ""),
        (f"用　　途：{case.reference}", ""),
        (f"交易流水号：{case.bank_ref}", f"凭 证 号：{case.bank_ref[-8:]}"),
        (f"交易日期：{_date_text(case.date, style + 1)}", f"打印时间：{_printed_at(case)}"),
    ]
    for i, (left, right) in enumerate(lines):
        sheet.text(60, 70 + i * 24, left, 10.5)
        sheet.text(440, 70 + i * 24, right, 10.5)
    sheet.stamp(700, 200, bank="中国工商银行股份有限公司")
    return sheet.done()


def _draw_english_columns(case: Case, style: int) -> bytes:
    sheet = _Sheet()
    f = EN_FONT
    sheet.text(60, 40, "Citibank N.A.", 15, f)
    sheet.text(60, 62, "Advice of Credit" if case.incoming else "Advice of Debit", 12, f)
    payer, payee = _parties(case, english=True)
    for i, (label, value) in enumerate(
        (
            ("Remitter:", payer[0]),
            ("Remitter Account:", payer[1]),
            ("Remitting Bank:", payer[2]),
            ("Beneficiary Name:", payee[0]),
            ("Beneficiary Account:", payee[1]),
        )
    ):
        sheet.text(60, 100 + i * 18, label, 10, f)
        sheet.text(190, 100 + i * 18, value, 10, f)
    xs = (50, 190, 300, 380, 545)
    header = ("Transaction Reference", "Value Date", "Currency", "Amount")
    values = (case.bank_ref, f"{case.date:%d-%b-%Y}", "USD", f"{case.amount:,.2f}")
    for row, cells in enumerate((header, values)):
        y = 210 + row * 20
        for k, text in enumerate(cells):
            sheet.box(xs[k], y, xs[k + 1], y + 20)
            sheet.text(xs[k] + 4, y + 5, text, 9.5, f)
    sheet.text(60, 270, "Payment Details:", 10, f)
    sheet.text(60, 286, case.reference, 10, f)
    return sheet.done()


_DRAW: dict[str, Callable[[Case, int], bytes]] = {
    "boxed_rows": _draw_boxed_rows,
    "value_below": _draw_value_below,
    "stacked": _draw_stacked,
    "spaced_grid": _draw_spaced_grid,
    "icbc_grid": _draw_icbc_grid,
    "english": _draw_english,
    "english_boxed": _draw_english_boxed,
    "two_per_page": _draw_two_per_page,
    "colon_columns": _draw_colon_columns,
    "english_columns": _draw_english_columns,
}


def generate(variant: str, case_index: int) -> AltPdf:
    """Return receipt ``case_index`` drawn as ``variant`` (one of ``VARIANTS``)."""
    english = variant.startswith("english")
    cases = EN_CASES if english else CASES
    case = cases[case_index % len(cases)]
    data = _DRAW[variant](case, case_index)
    printed = [case]
    if variant == "two_per_page":
        printed.append(CASES[(case_index + 1) % len(CASES)])
    currency = "USD" if english else "CNY"
    expected = [expected_transaction(c, english=english, currency=currency) for c in printed]
    return AltPdf(data, expected, variant)


def cases(variant: str) -> range:
    """Return the case indices to generate for ``variant``."""
    return range(len(EN_CASES if variant.startswith("english") else CASES))
