"""PDF account statements (tables of transactions) drawn with reportlab, with what they record.

Each layout imitates a family of real statements rather than one bank's template:

``cmb``       招商银行交易流水: a Chinese/English header on two lines (记账日期 over Date...), no
              rules, a signed 交易金额 and 联机余额, 对手信息 wrapped onto a second line without a
              date, a page footer ("第 1 页 / 共 3 页") and a verification note on every page
``icbc``      借记卡账户历史明细 in a ruled grid: one signed 收入/支出金额 column, 对方户名 wrapped
              inside its cell while the other cells are centred in the row, a title, account
              and currency above the table and the header repeated on every page
``wechat``    微信支付交易明细证明: a ruled grid with 交易单号, a 收/支/其他 column (其他 rows are
              moves between the holder's own balances) and 金额(元)
``uk``        a UK current account statement: Date, Payment type and details, Paid out, Paid in,
              Balance; the date printed only on a day's first entry, details over several
              lines with the amount on the last, the balance only at a day's end, BALANCE
              BROUGHT FORWARD / CARRIED FORWARD rows and "Page 1 of 3"
``crdr``      an English statement with one Amount column marked CR/DR, dates as 02/11/2026,
              thousands separators and the column header repeated on every page
``alipay``    支付宝交易流水证明: a ruled grid whose header is printed on the first page only,
              收/支 (不计收支 rows are no income nor expense), an unsigned 金额 and no currency
              printed (read as CNY, with one warning), 交易时间 as a date over a time
``dc``        Posting Date, Details, Debit, Credit, Balance with a rule under every row (none
              under the header), ISO dates and the currency only as a € in the summary above

``generate(layout, count)`` returns the PDF bytes and the transactions a correct reader finds,
with their ``source`` (``file#page=P/row=K``: the K-th row of the table on page P).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from reportlab.lib.pagesizes import A4, landscape

from reconcile.model import ParseSettings

from .statements_pdf_draw import CN, EN, Column, Sheet, Table, wrap

LAYOUTS = ("cmb", "icbc", "wechat", "uk", "crdr", "alipay", "dc")

OWN_ACCOUNT = "6214 8301 2345 6789"
OWN_NAME = "上海协和贸易有限公司"
SETTINGS = ParseSettings(own_accounts=(OWN_ACCOUNT,), own_names=(OWN_NAME, "Concord Trading Ltd"))

_CN_PARTIES = (
    ("北京华信科技有限公司", "110010203040506070"),
    ("深圳市宏达电子有限公司", "755912345610801"),
    ("杭州云帆网络科技有限公司股份合作分公司", "33050161123400001234"),
    ("支付宝（中国）网络技术有限公司", "215500690"),
)
_EN_PARTIES = (
    ("GLOBEX INDUSTRIAL SUPPLIES LTD", "40051512345678"),
    ("NORTHWIND TRADERS", "20000055554444"),
    ("ACME INSURANCE SERVICES LIMITED", "60161331926819"),
    ("TESCO STORES 3185", ""),
)
_CN_NOTES = ("货款 INV-2026-0042", "服务费", "合同HT-2026-007预付款", "快捷支付")
_EN_NOTES = ("INV 2026-0042", "DIRECT DEBIT 7781", "PO 4500012345 SETTLEMENT", "CARD 4455")


@dataclass(frozen=True, slots=True)
class Entry:
    """One transaction as the statement prints it."""

    date: dt.date
    amount: Decimal
    incoming: bool
    name: str
    account: str
    note: str
    balance: Decimal
    ref: str


@dataclass(slots=True)
class Expected:
    """What a correct reader makes of one entry (``None``: the statement does not say)."""

    booking_date: dt.date
    amount: Decimal
    direction: str
    currency: str
    counterparty_name: str | None
    counterparty_account: str | None
    reference: str
    balance: Decimal | None
    source: str
    bank_ref: str | None = None
    value_date: dt.date | None = None


@dataclass(slots=True)
class StatementPdf:
    """A generated statement, the transactions it records and the settings naming our side."""

    data: bytes
    layout: str
    filename: str
    expected: list[Expected]
    pages: int
    settings: ParseSettings = SETTINGS


def entries(count: int, *, english: bool, start: Decimal = Decimal("5000000.00")) -> list[Entry]:
    """``count`` entries, two or three a day, amounts from cents to millions, a running balance."""
    parties = _EN_PARTIES if english else _CN_PARTIES
    notes = _EN_NOTES if english else _CN_NOTES
    out: list[Entry] = []
    balance = start
    day = dt.date(2026, 10, 28)
    for k in range(count):
        if k % 3 != 1:
            day += dt.timedelta(days=1)
        incoming = k % 3 == 0
        amount = Decimal((k * 7919) % 250000 + 1) / 100
        if k % 11 == 5:
            amount += Decimal("1234567")  # thousands separators, twice
        balance += amount if incoming else -amount
        name, account = parties[k % len(parties)]
        out.append(
            Entry(day, amount, incoming, name, account, notes[k % 4], balance, f"42000{k:05d}")
        )
    return out


def _expect(
    e: Entry,
    currency: str,
    source: str,
    name: str | None,
    account: str | None,
    reference: str,
    balance: Decimal | None,
    bank_ref: str | None = None,
) -> Expected:
    direction = "credit" if e.incoming else "debit"
    return Expected(
        e.date, e.amount, direction, currency, name, account, reference, balance, source, bank_ref
    )


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"


# --------------------------------------------------------------------------------------------
# the layouts


def _paginate(items: Sequence[Entry], per_page: int) -> list[list[Entry]]:
    return [list(items[k : k + per_page]) for k in range(0, len(items), per_page)] or [[]]


def _draw_cmb(items: Sequence[Entry], filename: str) -> tuple[bytes, list[Expected], int]:
    sheet = Sheet(A4)
    columns = [
        Column(("记账日期", "Date"), 62),
        Column(("货币", "Currency"), 44),
        Column(("交易金额", "Transaction Amount"), 78, "right"),
        Column(("联机余额", "Balance"), 78, "right"),
        Column(("交易摘要", "Transaction Type"), 80),
        Column(("对手信息", "Counter Party"), 160),
    ]
    table = Table(sheet, columns, 36, ruled=False)
    pages = _paginate(items, 22)
    expected: list[Expected] = []
    for number, page in enumerate(pages, start=1):
        sheet.text(200, 30, "招商银行交易流水", 14)
        sheet.text(236, 50, "Transaction Statement of China Merchants Bank", 8, EN)
        if number == 1:
            sheet.text(36, 78, f"户    名：{OWN_NAME}")
            sheet.text(300, 78, f"账号：{OWN_ACCOUNT}")
            sheet.text(36, 92, "账户类型：单位结算账户")
            sheet.text(300, 92, "开 户 行：招商银行上海分行营业部")
            sheet.text(36, 106, "申请时间：2026-12-01 09:30:12")
            sheet.text(300, 106, "验 证 码：X7K2PQ9M")
        top = table.header(130)
        for k, e in enumerate(page, start=1):
            party = wrap(f"{e.name} {e.account}", 160, CN, 8)
            signed = e.amount if e.incoming else -e.amount
            top = table.row(
                top,
                [
                    [e.date.isoformat()],
                    ["人民币"],
                    [_money(signed)],
                    [_money(e.balance)],
                    wrap(e.note, 80, CN, 8),
                    party,
                ],
            )
            expected.append(
                _expect(
                    e,
                    "CNY",
                    f"{filename}#page={number}/row={k}",
                    e.name,
                    e.account,
                    e.note,
                    e.balance,
                )
            )
        sheet.text(36, 800, "温馨提示：可通过招商银行App扫描二维码进行交易流水验真", 7)
        sheet.text(470, 815, f"第 {number} 页 / 共 {len(pages)} 页", 7)
        if number < len(pages):
            sheet.page_break()
    return sheet.done(), expected, len(pages)


def _draw_icbc(items: Sequence[Entry], filename: str) -> tuple[bytes, list[Expected], int]:
    sheet = Sheet(landscape(A4))
    columns = [
        Column(("交易日期",), 86, "center"),
        Column(("摘要",), 70, "center"),
        Column(("币种",), 44, "center"),
        Column(("收入/支出金额",), 92, "right"),
        Column(("余额",), 92, "right"),
        Column(("对方户名",), 130),
        Column(("对方帐号",), 130),
        Column(("渠道",), 60, "center"),
    ]
    table = Table(sheet, columns, 46, ruled=True)
    pages = _paginate(items, 14)
    expected: list[Expected] = []
    for number, page in enumerate(pages, start=1):
        sheet.text(250, 30, "中国工商银行借记账户历史明细（电子版）", 14)
        sheet.text(46, 60, f"卡号：{OWN_ACCOUNT.replace(' ', '')}")
        sheet.text(300, 60, f"户名：{OWN_NAME}")
        sheet.text(46, 74, "币种：人民币")
        sheet.text(300, 74, "起止日期：2026-10-01 — 2026-11-30")
        top = table.header(96)
        for k, e in enumerate(page, start=1):
            signed = f"+{_money(e.amount)}" if e.incoming else f"-{_money(e.amount)}"
            top = table.row(
                top,
                [
                    [f"{e.date.isoformat()}"],
                    [e.note[:4]],
                    ["人民币"],
                    [signed],
                    [_money(e.balance)],
                    wrap(e.name, 130, CN, 8),
                    [e.account],
                    ["网上银行"],
                ],
            )
            expected.append(
                _expect(
                    e,
                    "CNY",
                    f"{filename}#page={number}/row={k}",
                    e.name,
                    e.account,
                    e.note[:4],
                    e.balance,
                )
            )
        sheet.text(700, 560, f"第 {number} 页 共 {len(pages)} 页", 7)
        if number < len(pages):
            sheet.page_break()
    return sheet.done(), expected, len(pages)


def _draw_wechat(items: Sequence[Entry], filename: str) -> tuple[bytes, list[Expected], int]:
    sheet = Sheet(landscape(A4))
    columns = [
        Column(("交易单号",), 110),
        Column(("交易时间",), 92, "center"),
        Column(("交易类型",), 70, "center"),
        Column(("收/支/其他",), 56, "center"),
        Column(("交易方式",), 70, "center"),
        Column(("金额(元)",), 70, "right"),
        Column(("交易对方",), 150),
        Column(("商户单号",), 110),
    ]
    table = Table(sheet, columns, 40, ruled=True)
    pages = _paginate(items, 15)
    expected: list[Expected] = []
    for number, page in enumerate(pages, start=1):
        if number == 1:
            sheet.text(300, 30, "微信支付交易明细证明", 14)
            sheet.text(
                40,
                56,
                "兹证明：上海协和贸易有限公司（微信号：concord_sh）在其微信支付账户中的交易明细如下：",
            )
            sheet.text(40, 70, "证件号码：91310000MA1XXXXXXX    编号：20261201-0042")
            top = table.header(90)
        else:
            top = table.header(40)
        for k, e in enumerate(page, start=1):
            other = k % 7 == 3  # a move between the holder's own balances: 其他
            side = "其他" if other else ("收入" if e.incoming else "支出")
            kind = "零钱提现" if other else ("转账" if e.incoming else "商户消费")
            top = table.row(
                top,
                [
                    [f"1000050{e.ref}"],
                    [e.date.isoformat(), "10:15:02"],
                    [kind],
                    [side],
                    ["零钱"],
                    [_money(e.amount)],
                    wrap(e.name, 150, CN, 8),
                    [f"M{e.ref}"],
                ],
            )
            if not other:
                expected.append(
                    _expect(
                        e,
                        "CNY",
                        f"{filename}#page={number}/row={k}",
                        e.name,
                        None,
                        f"M{e.ref}",  # the merchant's order number: the entry's text
                        None,
                        bank_ref=f"1000050{e.ref}",
                    )
                )
        sheet.text(380, 560, f"第 {number} 页 共 {len(pages)} 页", 7)
        if number < len(pages):
            sheet.page_break()
    return sheet.done(), expected, len(pages)


def _draw_uk(items: Sequence[Entry], filename: str) -> tuple[bytes, list[Expected], int]:
    sheet = Sheet(A4)
    columns = [
        Column(("Date",), 62, font=EN),
        Column(("Payment type and details",), 220, font=EN),
        Column(("Paid out",), 80, "right", EN, "bottom"),
        Column(("Paid in",), 80, "right", EN, "bottom"),
        Column(("Balance",), 80, "right", EN, "bottom"),
    ]
    table = Table(sheet, columns, 36, ruled=False, size=8.5, leading=11)
    pages = _paginate(items, 16)
    expected: list[Expected] = []
    opening = items[0].balance - (items[0].amount if items[0].incoming else -items[0].amount)
    last_date: dt.date | None = None
    for number, page in enumerate(pages, start=1):
        sheet.text(36, 30, "Your Statement", 14, EN)
        if number == 1:
            sheet.text(36, 56, "Concord Trading Ltd", 9, EN)
            sheet.text(300, 56, "Sortcode 40-11-22   Account Number 31926819", 9, EN)
            sheet.text(300, 70, "Currency: GBP", 9, EN)
        top = table.header(96)
        k = 1
        first = page[0]
        brought = opening if number == 1 else _balance_before(items, first)
        top = table.row(
            top,
            [[_uk_date(first.date)], ["BALANCE BROUGHT FORWARD"], [""], [""], [_money(brought)]],
        )
        last_date = first.date
        for index, e in enumerate(page):
            k += 1
            day_end = index + 1 == len(page) or page[index + 1].date != e.date
            date_text = _uk_date(e.date) if e.date != last_date or index == 0 else ""
            if index == 0:
                date_text = ""  # printed on the brought-forward row above
            last_date = e.date
            kind = "CR" if e.incoming else ("DD" if index % 2 else "VIS")
            details = wrap(f"{kind} {e.name} {e.note}", 220, EN, 8.5)
            top = table.row(
                top,
                [
                    [date_text],
                    details,
                    ["" if e.incoming else _money(e.amount)],
                    [_money(e.amount) if e.incoming else ""],
                    [_money(e.balance) if day_end else ""],
                ],
            )
            expected.append(
                _expect(
                    e,
                    "GBP",
                    f"{filename}#page={number}/row={k}",
                    None,
                    None,
                    " ".join(details),
                    e.balance if day_end else None,
                )
            )
        table.row(top, [[""], ["BALANCE CARRIED FORWARD"], [""], [""], [_money(page[-1].balance)]])
        sheet.text(36, 790, "HSBC UK Bank plc. Registered in England number 9928412.", 7, EN)
        sheet.text(500, 805, f"Page {number} of {len(pages)}", 7, EN)
        if number < len(pages):
            sheet.page_break()
    return sheet.done(), expected, len(pages)


def _balance_before(items: Sequence[Entry], entry: Entry) -> Decimal:
    index = items.index(entry)
    previous = items[index - 1] if index else None
    if previous is not None:
        return previous.balance
    return entry.balance - (entry.amount if entry.incoming else -entry.amount)


def _uk_date(date: dt.date) -> str:
    return date.strftime("%d %b %y")


def _draw_crdr(items: Sequence[Entry], filename: str) -> tuple[bytes, list[Expected], int]:
    sheet = Sheet(A4)
    columns = [
        Column(("Value Date",), 70, font=EN),
        Column(("Transaction Date",), 70, font=EN),
        Column(("Description",), 190, font=EN),
        Column(("Amount",), 90, "right", EN),
        Column(("Balance",), 90, "right", EN),
    ]
    table = Table(sheet, columns, 40, ruled=False, size=8.5)
    pages = _paginate(items, 25)
    expected: list[Expected] = []
    for number, page in enumerate(pages, start=1):
        sheet.text(40, 30, "STATEMENT OF ACCOUNT", 13, EN)
        if number == 1:
            sheet.text(40, 52, "Account Number: 0012-345678-001", 9, EN)
            sheet.text(320, 52, "Currency: USD", 9, EN)
            sheet.text(40, 66, "Statement period: 29/10/2026 to 30/11/2026", 9, EN)
        top = table.header(90)
        for k, e in enumerate(page, start=1):
            mark = "CR" if e.incoming else "DR"
            description = wrap(f"{e.name} {e.note}", 190, EN, 8.5)
            date = e.date.strftime("%d/%m/%Y")
            top = table.row(
                top,
                [
                    [date],
                    [date],
                    description,
                    [f"{_money(e.amount)} {mark}"],
                    [f"{_money(e.balance)} CR"],
                ],
            )
            expected.append(
                _expect(
                    e,
                    "USD",
                    f"{filename}#page={number}/row={k}",
                    None,
                    None,
                    " ".join(description),
                    e.balance,
                )
            )
        sheet.text(40, 800, f"Page {number} of {len(pages)}", 7, EN)
        if number < len(pages):
            sheet.page_break()
    return sheet.done(), expected, len(pages)


def _draw_alipay(items: Sequence[Entry], filename: str) -> tuple[bytes, list[Expected], int]:
    sheet = Sheet(A4)
    columns = [
        Column(("收/支",), 44, "center"),
        Column(("交易对方",), 118),
        Column(("商品说明",), 100),
        Column(("收/付款方式",), 62, "center"),
        Column(("金额",), 66, "right"),
        Column(("交易订单号",), 84),
        Column(("交易时间",), 60, "center"),
    ]
    table = Table(sheet, columns, 30, ruled=True)
    pages = _paginate(items, 18)
    expected: list[Expected] = []
    for number, page in enumerate(pages, start=1):
        if number == 1:
            sheet.text(220, 30, "支付宝交易流水证明", 14)
            sheet.text(
                30, 56, f"兹证明：{OWN_NAME}（支付宝账户：concord@example.cn）的交易明细如下："
            )
            top = table.header(80)
        else:
            top = 40.0  # the header is not repeated
        for k, e in enumerate(page, start=1):
            neutral = k % 5 == 4
            side = "不计收支" if neutral else ("收入" if e.incoming else "支出")
            ref = f"2026{e.ref}88"
            top = table.row(
                top,
                [
                    [side],
                    wrap(e.name, 118, CN, 8),
                    wrap(e.note, 100, CN, 8),
                    ["余额"],
                    [_money(e.amount)],
                    wrap(ref, 84, CN, 8),
                    [e.date.isoformat(), "09:41:07"],
                ],
            )
            if not neutral:
                source = f"{filename}#page={number}/row={k}"
                expected.append(_expect(e, "CNY", source, e.name, None, e.note, None, ref))
        sheet.text(270, 815, f"第 {number} 页 共 {len(pages)} 页", 7)
        if number < len(pages):
            sheet.page_break()
    return sheet.done(), expected, len(pages)


def _draw_dc(items: Sequence[Entry], filename: str) -> tuple[bytes, list[Expected], int]:
    sheet = Sheet(A4)
    columns = [
        Column(("Posting Date",), 70, font=EN),
        Column(("Details",), 200, font=EN),
        Column(("Debit",), 85, "right", EN),
        Column(("Credit",), 85, "right", EN),
        Column(("Balance",), 85, "right", EN),
    ]
    table = Table(sheet, columns, 40, ruled=False, size=8.5)
    pages = _paginate(items, 30)
    expected: list[Expected] = []
    opening = items[0].balance - (items[0].amount if items[0].incoming else -items[0].amount)
    for number, page in enumerate(pages, start=1):
        sheet.text(40, 30, "Account statement", 13, EN)
        if number == 1:
            sheet.text(40, 52, "Concord Trading GmbH   IBAN DE89370400440532013000", 9, EN)
            sheet.text(40, 66, f"Opening balance \u20ac {_money(opening)}", 9, EN)
        top = table.header(90)
        for k, e in enumerate(page, start=1):
            details = wrap(f"SEPA {e.name} {e.note}", 200, EN, 8.5)
            amount = _money(e.amount)
            top = table.row(
                top,
                [
                    [e.date.isoformat()],
                    details,
                    ["" if e.incoming else amount],
                    [amount if e.incoming else ""],
                    [_money(e.balance)],
                ],
            )
            sheet.hline(table.x, table.right, top)
            source = f"{filename}#page={number}/row={k}"
            expected.append(_expect(e, "EUR", source, None, None, " ".join(details), e.balance))
        sheet.text(40, 800, f"Page {number} of {len(pages)}", 7, EN)
        if number < len(pages):
            sheet.page_break()
    return sheet.done(), expected, len(pages)


_DRAW: dict[str, Callable[[Sequence[Entry], str], tuple[bytes, list[Expected], int]]] = {
    "cmb": _draw_cmb,
    "icbc": _draw_icbc,
    "wechat": _draw_wechat,
    "uk": _draw_uk,
    "crdr": _draw_crdr,
    "alipay": _draw_alipay,
    "dc": _draw_dc,
}


def generate(layout: str, count: int = 40) -> StatementPdf:
    """Draw a statement of ``count`` entries in ``layout`` (one of :data:`LAYOUTS`)."""
    english = layout in ("uk", "crdr", "dc")
    filename = f"{layout}.pdf"
    data, expected, pages = _DRAW[layout](entries(count, english=english), filename)
    return StatementPdf(data, layout, filename, expected, pages)
