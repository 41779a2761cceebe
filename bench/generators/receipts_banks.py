"""Receipts of banks the parser was not written against, drawn from how public parsers read them.

Each variant imitates one family of printed layouts, learned from the labels and quirks that
open-source receipt parsers (per-bank RPA scripts, pdfplumber regexes) look for; the drawing
code is our own and shares nothing with them, nor with ``receipts.py``:

``bocom_columns``   交通银行/上海银行: two receipts per page, payer and payee side by side in
                    ``label：value`` columns, the generic 开户行名称 under each party's account,
                    the currency run into the amount label (CNY金额：), 记账日期 as 20261103,
                    会计流水号, 回单类型 and 批次号; in some styles each value is set a
                    little above its label (the quirk a public 交通银行 parser works around)
``hxb_transfer``    华夏银行 转账业务: 转出户名/转出账号 and 转入户名/转入账号, 付款行名称, 发生额,
                    交易日期 with no colon (and no space), 回单编码
``cib_titles``      兴业银行 收款回单/付款回单: 付款名称/收款名称, 付款行/收款行, 金额（小写）,
                    业务流水号
``grid_payee_left`` 浦发/建设/广发/农业/渤海银行: the classic grid with the payee's half on the
                    left in some styles, sub-labels 账户名称/账号/开户银行 (or 账号 first), the
                    headings 付款方/收款方 vertical or across, 日期 and 凭证号 on one line, title
                    电子回执
``nbcb_remarks``    宁波银行: the account's own 账号/户名/开户银行 rows, the parties only
                    inside the 备注 cell (付款人户名：… 付款行行名：…), RMB before the
                    figures, the date printed without a label
``cmbc_marks``      民生/平安/工商银行 支付业务回单（收款）: letter-spaced labels, 帐号 for 账号,
                    （小写）/（大写） amount labels, 借贷标志 beside the date
``counterparty``    农商行/招商银行 single-account 交易回单: 本方账号/本方户名 and
                    对方账号/对方户名/对方开户行, the direction only in 借贷标志 (贷: the
                    other side paid us)
``psbc_grid``       邮储银行: the grid headed 转出方/转入方 (or 付款方/收款方), the payee's half
                    first in some styles, 收入金额（小写）/支出金额（小写）, 交易时间
``shbank_tight``    上海银行: receipts ended by 打印时间, payer and payee columns printed so
                    close that each row is one run of text (付款人名称：甲收款人名称：乙)
``fake_bold``       labels and title made bold by printing them twice, a fraction of a point
                    apart (pdfplumber issue #992: 解析文件会出现重复的文本), values on the line
                    under their labels, 付款人/收款人 blocks side by side
``fee_charge``      兴业/招商银行 收费回单 and 手续费回单: the bank charges our account, 缴费户名/
                    缴费账号, 收费机构, 扣收金额（小写）/（大写）, 业务流水号 (no payee account)

English advices (``en_remittance``, ``en_account``, ``en_hsbc_advice``) are drawn by
``receipts_banks_en``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

from reportlab.pdfbase.pdfmetrics import stringWidth

from reconcile.model import Transaction
from reconcile.normalize import format_chinese_amount

from .receipts_alt import (
    CASES,
    CN_FONT,
    EN_CASES,
    OWN_ACCOUNT,
    OWN_NAME_CN,
    AltPdf,
    Case,
    _parties,
    _Sheet,
    expected_transaction,
)
from .receipts_banks_en import DRAW_EN

VARIANTS = (
    "bocom_columns",
    "hxb_transfer",
    "cib_titles",
    "grid_payee_left",
    "nbcb_remarks",
    "cmbc_marks",
    "counterparty",
    "en_remittance",
    "psbc_grid",
    "en_account",
    "shbank_tight",
    "fake_bold",
    "en_hsbc_advice",
    "fee_charge",
)


def _figures(case: Case) -> str:
    return f"{case.amount:,.2f}"


def _size(text: str, normal: float = 9.0) -> float:
    """A smaller font for long values, so that two columns never run into each other."""
    return normal if len(text) <= 20 else 7.0


# --------------------------------------------------------------------------------------------
# 交通银行 / 上海银行


def _bocom_one(sheet: _Sheet, case: Case, style: int, top: float) -> None:
    sheet.text(230, top, "交通银行电子回单", 14)
    payer, payee = _parties(case)
    kind = "汇划收款" if case.incoming else "汇划付款"
    amount = (f"CNY金额：{_figures(case)}", f"人民币金额：{_figures(case)}")[style % 2]
    rows = (
        (f"回单编号：{case.bank_ref[::-1]}", f"回单类型：{kind}"),
        (f"付款人名称：{payer[0]}", f"收款人名称：{payee[0]}"),
        (f"付款人账号：{payer[1]}", f"收款人账号：{payee[1]}"),
        (f"开户行名称：{payer[2]}", f"开户行名称：{payee[2]}"),
        (amount, f"金额（大写）：{format_chinese_amount(case.amount)}"),
        (f"记账日期：{case.date:%Y%m%d}", f"会计流水号：{case.bank_ref}"),
        (f"摘要：{case.reference}", ""),
        (f"批次号：{case.date:%Y%m%d}0001", "打印次数：1"),
    )
    y = top + 26
    for left, right in rows:
        # every third style sets the values' baseline 6 points above their labels'
        raised = 6.0 if style % 3 == 2 else 0.0
        for x, text in ((50, left), (312, right)):
            if text:
                _raised(sheet, x, y, text, _size(text, 8.5), raised)
        y += 17
    sheet.stamp(500, y - 50, 30, bank="交通银行股份有限公司")


def _raised(sheet: _Sheet, x: float, top: float, text: str, size: float, by: float) -> None:
    """Draw ``label：value`` with the value ``by`` points higher than the label."""
    label, colon, value = text.partition("：")
    if not by or not colon:
        sheet.text(x, top, text, size)
        return
    sheet.text(x, top, label + colon, size)
    sheet.text(x + stringWidth(label + colon, CN_FONT, size) + 1, top - by, value, size)


def _draw_bocom_columns(case: Case, style: int) -> bytes:
    sheet = _Sheet()
    _bocom_one(sheet, case, style, 40)
    sheet.canvas.setDash(4, 3)
    sheet.hline(40, 555, 380)
    sheet.canvas.setDash()
    _bocom_one(sheet, _next(case), style + 1, 400)
    return sheet.done()


def _next(case: Case) -> Case:
    return CASES[(CASES.index(case) + 1) % len(CASES)]


# --------------------------------------------------------------------------------------------
# 华夏银行


def _draw_hxb_transfer(case: Case, style: int) -> bytes:
    sheet = _Sheet()
    sheet.header("华夏银行", "转账业务回单")
    payer, payee = _parties(case)
    sheet.box(45, 100, 550, 330)
    rows = (
        (f"回单编码：{case.bank_ref[::-1]}", f"流水号：{case.bank_ref}"),
        (f"转出户名：{payer[0]}", f"转入户名：{payee[0]}"),
        (f"转出账号：{payer[1]}", f"转入账号：{payee[1]}"),
        (f"付款行名称：{payer[2]}", f"收款行名称：{payee[2]}"),
        (f"发生额：¥{_figures(case)}", f"大写金额：人民币{format_chinese_amount(case.amount)}"),
        # no colon: a space before the date, or none at all
        (f"交易日期{' ' if style % 2 else ''}{case.date:%Y-%m-%d}", "交易渠道：网上银行"),
        (f"附言：{case.reference}", ""),
    )
    y = 112.0
    for left, right in rows:
        sheet.text(55, y, left, _size(left))
        if right:
            sheet.text(305, y, right, _size(right))
        y += 26
    sheet.stamp(470, 290, 32, bank="华夏银行股份有限公司")
    return sheet.done()


# --------------------------------------------------------------------------------------------
# 兴业银行


def _draw_cib_titles(case: Case, style: int) -> bytes:
    sheet = _Sheet()
    sheet.header("兴业银行", "收款回单" if case.incoming else "付款回单")
    payer, payee = _parties(case)
    sheet.text(60, 98, f"回单编号：{case.bank_ref[-8:]}", 9)
    sheet.text(330, 98, f"交易日期：{case.date.year}年{case.date.month}月{case.date.day}日", 9)
    rows = (
        (("付款名称", payer[0]), ("收款名称", payee[0])),
        (("付款账号", payer[1]), ("收款账号", payee[1])),
        (("付款行", payer[2]), ("收款行", payee[2])),
        (
            ("金额（小写）", f"{_figures(case)}"),
            ("金额（大写）", format_chinese_amount(case.amount)),
        ),
        (("币种", "人民币"), ("业务流水号", case.bank_ref)),
        (("用途", case.reference), ("渠道", "网上银行")),
    )
    y = 118.0
    for row in rows:
        for x0, (label, value) in zip((50, 297), row, strict=True):
            sheet.box(x0, y, x0 + 247.5, y + 24)
            text = f"{label}：{value}"
            sheet.text(x0 + 5, y + 8, text, 6.5 if len(text) > 26 else 8.5)
        y += 24
    sheet.stamp(480, y - 30, 32, bank="兴业银行股份有限公司")
    return sheet.done()


# --------------------------------------------------------------------------------------------
# 浦发 / 建设 / 广发 / 农业 / 渤海银行: the grid, payee's half possibly first


def _draw_grid_payee_left(case: Case, style: int) -> bytes:
    sheet = _Sheet()
    sheet.header("中国建设银行", "网上银行电子回执")
    booked = f"{case.date.year}年{case.date.month:02d}月{case.date.day:02d}日"
    sheet.text(60, 100, f"日期：{booked} 凭证号：{case.bank_ref}", 9)
    payer, payee = _parties(case)
    heading, rows = (
        ("人", (("账户名称", 0), ("账号", 1), ("开户银行", 2))),
        ("方", (("账号", 1), ("户名", 0), ("开户行", 2))),
        ("人", (("全称", 0), ("账号", 1), ("开户银行", 2))),
    )[style % 3]
    halves = [("收款" + heading, payee), ("付款" + heading, payer)]
    if style % 3 == 0:
        halves.reverse()  # the payer's half first in this style only
    top, h = 118.0, 24.0
    for half, (word, party) in enumerate(halves):
        x = 50 + half * 247.5
        sheet.box(x, top, x + 26, top + 3 * h)
        if style % 3 == 1:  # written top to bottom, one character per line
            for k, ch in enumerate(word):
                sheet.text(x + 8, top + 10 + k * 16, ch, 9)
        else:  # across, in the middle row of its cell
            sheet.text(x + 1, top + h + 8, word, 8)
        for r, (label, index) in enumerate(rows):
            y = top + r * h
            sheet.box(x + 26, y, x + 80, y + h)
            sheet.box(x + 80, y, x + 247.5, y + h)
            sheet.text(x + 29, y + 8, label, 8)
            value = party[index]
            sheet.text(x + 83, y + 8, value, 8 if len(value) < 19 else 6.5)
    y = top + 3 * h
    for label, value in (
        ("金额（大写）", "人民币" + format_chinese_amount(case.amount)),
        ("金额（小写）", f"¥{_figures(case)}"),
        ("用途", case.reference),
    ):
        sheet.box(50, y, 150, y + h)
        sheet.box(150, y, 545, y + h)
        sheet.text(55, y + 8, label, 9)
        sheet.text(155, y + 8, value, 9)
        y += h
    sheet.stamp(480, y - 20, 32, bank="中国建设银行股份有限公司")
    return sheet.done()


# --------------------------------------------------------------------------------------------
# 宁波银行: the parties only inside the 备注 cell


def _draw_nbcb_remarks(case: Case, style: int) -> bytes:
    sheet = _Sheet()
    sheet.header("宁波银行", "电子回单")
    sheet.text(420, 96, f"{case.date.year}年{case.date.month:02d}月{case.date.day:02d}日", 9)
    payer, payee = _parties(case)
    own = payee if case.incoming else payer
    rows = (
        (("账号", own[1]),),
        (("户名", own[0]),),
        (("开户银行", own[2]),),
        (("交易金额", f"RMB {_figures(case)}"),),
        (("回单种类", "收款回单" if case.incoming else "付款回单"),),
        (("业务种类", "跨行转账"), ("流水号", case.bank_ref)),
    )
    y, h = 114.0, 22.0
    for row in rows:
        for k, (label, value) in enumerate(row):
            x0 = 50 + k * 250
            sheet.box(x0, y, x0 + 80, y + h)
            sheet.box(x0 + 80, y, 545 if len(row) == 1 or k else x0 + 250, y + h)
            sheet.text(x0 + 5, y + 7, label, 9)
            sheet.text(x0 + 85, y + 7, value, 9)
        y += h
    remarks = (
        f"付款人户名：{payer[0]}",
        f"付款人账号：{payer[1]}",
        f"付款行行名：{payer[2]}",
        f"收款人户名：{payee[0]}",
        f"收款人账号：{payee[1]}",
        f"收款行行名：{payee[2]}",
        f"用途：{case.reference}",
    )
    sheet.box(50, y, 130, y + 15 * len(remarks) + 8)
    sheet.box(130, y, 545, y + 15 * len(remarks) + 8)
    sheet.text(55, y + 6, "备注", 9)
    for k, text in enumerate(remarks):
        sheet.text(135, y + 6 + 15 * k, text, 8.5)
    sheet.stamp(470, y + 40, 32, bank="宁波银行股份有限公司")
    return sheet.done()


# --------------------------------------------------------------------------------------------
# 民生 / 平安 / 工商银行 支付业务回单


def _draw_cmbc_marks(case: Case, style: int) -> bytes:
    sheet = _Sheet()
    sheet.header(
        "中国民生银行", "支付业务回单（收款）" if case.incoming else "支付业务回单（付款）"
    )
    payer, payee = _parties(case)
    sheet.text(60, 100, f"交易流水号：{case.bank_ref}", 9)
    rows = (
        (f"付 款 人 名 称：{payer[0]}", f"收 款 人 名 称：{payee[0]}"),
        (f"付 款 人 帐 号：{payer[1]}", f"收 款 人 帐 号：{payee[1]}"),
        (f"付款人开户行：{payer[2]}", f"收款人开户行：{payee[2]}"),
        (f"（大写）：人民币{format_chinese_amount(case.amount)}", f"（小写）：¥{_figures(case)}"),
        (f"交易日期：{case.date:%Y-%m-%d}", f"借贷标志：{'贷' if case.incoming else '借'}"),
        (f"用途：{case.reference}", "摘要：网银转账"),
    )
    y = 122.0
    for left, right in rows:
        sheet.text(55, y, left, _size(left, 8.5))
        sheet.text(305, y, right, _size(right, 8.5))
        y += 22
    sheet.hline(50, 545, 116)
    sheet.hline(50, 545, y + 4)
    sheet.stamp(480, y - 30, 32, bank="中国民生银行股份有限公司")
    return sheet.done()


# --------------------------------------------------------------------------------------------
# single-account 交易回单: 本方 and 对方, the direction in 借贷标志


def _draw_counterparty(case: Case, style: int) -> bytes:
    sheet = _Sheet()
    sheet.header("重庆农村商业银行", "交易回单")
    other = (case.other_name, case.other_account, case.other_bank)
    rows = (
        (("本方账号", OWN_ACCOUNT), ("本方户名", OWN_NAME_CN)),
        (("对方账号", other[1]), ("对方户名", other[0])),
        (("本方开户行", case.own_bank), ("对方开户行", other[2])),
        (("币种", "人民币"), ("凭证号", case.bank_ref[-6:])),
        (("交易金额", _figures(case)), ("借贷标志", "贷" if case.incoming else "借")),
        (("交易日期", f"{case.date:%Y/%m/%d}"), ("交易流水号", case.bank_ref)),
        (("摘要", case.reference), ("交易渠道", "网银")),
    )
    y, h = 110.0, 24.0
    for row in rows:
        for x0, (label, value) in zip((50, 297), row, strict=True):
            sheet.box(x0, y, x0 + 70, y + h)
            sheet.box(x0 + 70, y, x0 + 247.5, y + h)
            sheet.text(x0 + 4, y + 8, label, 8.5)
            sheet.text(x0 + 74, y + 8, value, 8 if len(value) < 19 else 6.5)
        y += h
    sheet.stamp(480, y - 30, 32, bank="重庆农村商业银行股份有限公司")
    return sheet.done()


# --------------------------------------------------------------------------------------------
# 邮储银行: 转出方/转入方 grid


def _draw_psbc_grid(case: Case, style: int) -> bytes:
    sheet = _Sheet()
    sheet.header("中国邮政储蓄银行", "网上银行电子回单")
    sheet.text(60, 98, f"回单编号：{case.bank_ref[::-1]}", 9)
    payer, payee = _parties(case)
    words = (("转出方", "转入方"), ("付款方", "收款方"), ("转出方", "转入方"))[style % 3]
    halves = [(words[0], payer), (words[1], payee)]
    if style % 3 == 1:
        halves.reverse()  # 收款方 first
    top, h = 116.0, 22.0
    for half, (word, party) in enumerate(halves):
        x = 50 + half * 247.5
        sheet.box(x, top, x + 24, top + 3 * h)
        for k, ch in enumerate(word):
            sheet.text(x + 7, top + 12 + k * 15, ch, 9)
        for r, (label, value) in enumerate(
            (("户名", party[0]), ("账号", party[1]), ("开户行", party[2]))
        ):
            y = top + r * h
            sheet.box(x + 24, y, x + 70, y + h)
            sheet.box(x + 70, y, x + 247.5, y + h)
            sheet.text(x + 28, y + 7, label, 8.5)
            sheet.text(x + 74, y + 7, value, 8 if len(value) < 19 else 6.5)
    side = "收入" if case.incoming else "支出"
    y = top + 3 * h
    for left, right in (
        ((f"{side}金额（小写）", f"{_figures(case)}"), ("币种", "人民币")),
        (
            (f"{side}金额（大写）", format_chinese_amount(case.amount)),
            ("交易流水号", case.bank_ref),
        ),
        (("交易时间", f"{case.date:%Y-%m-%d} 10:22:31"), ("附言", case.reference)),
    ):
        for x0, (label, value) in zip((50, 297), (left, right), strict=True):
            sheet.box(x0, y, x0 + 90, y + h)
            sheet.box(x0 + 90, y, x0 + 247.5, y + h)
            sheet.text(x0 + 4, y + 7, label, 8.5)
            sheet.text(x0 + 94, y + 7, value, 8 if len(value) < 17 else 6.5)
        y += h
    sheet.stamp(480, y - 24, 30, bank="中国邮政储蓄银行股份有限公司")
    return sheet.done()


# --------------------------------------------------------------------------------------------
# 上海银行: the two columns run together


def _shbank_one(sheet: _Sheet, case: Case, top: float) -> float:
    sheet.text(230, top, "上海银行 电子回单", 13)
    payer, payee = _parties(case)
    rows = (
        (f"记账日期：{printed(case)}", f"回单编号：{case.bank_ref}"),
        (f"付款人名称：{payer[0]}", f"收款人名称：{payee[0]}"),
        (f"付款人账号：{payer[1].replace(' ', '')}", f"收款人账号：{payee[1].replace(' ', '')}"),
        (f"付款人开户行：{payer[2]}", f"收款人开户行：{payee[2]}"),
        (f"金额（小写）：{_figures(case)}", f"金额（大写）：{format_chinese_amount(case.amount)}"),
        (f"用途：{case.reference}", ""),
    )
    y = top + 24
    for left, right in rows:
        size = 7.5
        sheet.text(50, y, left, size)
        if right:  # one point after the left column's text: the words touch
            sheet.text(50 + stringWidth(left, CN_FONT, size) + 1, y, right, size)
        y += 16
    sheet.text(50, y, f"打印时间：{case.date:%Y-%m-%d} 17:02:11", 7.5)
    return y + 30


def printed(case: Case) -> str:
    """The date in words, as 上海银行 prints it (2026年11月3日)."""
    return f"{case.date.year}年{case.date.month}月{case.date.day}日"


def _draw_shbank_tight(case: Case, style: int) -> bytes:
    sheet = _Sheet()
    y = _shbank_one(sheet, case, 40)
    _shbank_one(sheet, _next(case), y)
    return sheet.done()


# --------------------------------------------------------------------------------------------
# labels printed twice for a bold look


def _bold(sheet: _Sheet, x: float, top: float, text: str, size: float) -> None:
    sheet.text(x, top, text, size)
    sheet.text(x + 0.35, top, text, size)


def _draw_fake_bold(case: Case, style: int) -> bytes:
    sheet = _Sheet()
    sheet.text(60, 40, "中信银行", 14)
    _bold(sheet, 230, 66, "客户回单", 16)
    payer, payee = _parties(case)
    blocks = (
        (50, (("付款人名称", payer[0]), ("付款人账号", payer[1]), ("付款人开户行", payer[2]))),
        (300, (("收款人名称", payee[0]), ("收款人账号", payee[1]), ("收款人开户行", payee[2]))),
    )
    for x, rows in blocks:
        for k, (label, value) in enumerate(rows):
            _bold(sheet, x, 100 + 38 * k, label, 9)
            sheet.text(x, 114 + 38 * k, value, _size(value, 8.5))
    rows2 = (
        (("交易金额", f"￥{_figures(case)}元"), ("币种", "CNY")),
        (("大写金额", "人民币" + format_chinese_amount(case.amount)), ("交易日期", printed(case))),
        (("交易流水号", case.bank_ref), ("附言", case.reference)),
    )
    for k, row in enumerate(rows2):
        for x, (label, value) in zip((50, 300), row, strict=True):
            _bold(sheet, x, 220 + 38 * k, label, 9)
            sheet.text(x, 234 + 38 * k, value, _size(value, 8.5))
    sheet.stamp(480, 300, 30, bank="中信银行股份有限公司")
    return sheet.done()


# --------------------------------------------------------------------------------------------
# 收费回单: the bank charges a fee


_FEE_BANKS = ("兴业银行上海分行营业部", "招商银行上海分行", "兴业银行上海分行营业部")


def _draw_fee_charge(case: Case, style: int) -> bytes:
    sheet = _Sheet()
    sheet.header(
        ("兴业银行", "招商银行", "兴业银行")[style % 3], ("收费回单", "手续费回单")[style % 2]
    )
    rows = (
        (("回单编号", case.bank_ref[-8:]), ("交易日期", printed(case))),
        (("缴费户名", OWN_NAME_CN), ("缴费账号", OWN_ACCOUNT)),
        (("收费机构", _FEE_BANKS[style % 3]), ("业务流水号", case.bank_ref)),
        (
            ("扣收金额（小写）", _fee(case)),
            ("扣收金额（大写）", format_chinese_amount(_fee_amount(case))),
        ),
        (("摘要", "账户管理费"), ("币种", "人民币")),
    )
    y = 110.0
    for row in rows:
        for x0, (label, value) in zip((50, 297), row, strict=True):
            text = f"{label}：{value}"
            sheet.box(x0, y, x0 + 247.5, y + 24)
            sheet.text(x0 + 5, y + 8, text, 8 if len(text) < 26 else 6.5)
        y += 24
    sheet.stamp(480, y - 30, 30, bank="兴业银行股份有限公司")
    return sheet.done()


def _fee_amount(case: Case) -> Decimal:
    return (case.amount / 1000).quantize(Decimal("0.01")) + Decimal("5.00")


def _fee(case: Case) -> str:
    return f"{_fee_amount(case):,.2f}"


def _fee_expected(case: Case, style: int) -> Transaction:
    own = OWN_ACCOUNT.replace(" ", "")
    return Transaction(
        bank_ref=case.bank_ref,
        booking_date=case.date,
        value_date=case.date,
        amount=_fee_amount(case),
        direction="debit",
        currency="CNY",
        payer_name=OWN_NAME_CN,
        payer_account=own,
        payer_bank=None,
        payee_name=_FEE_BANKS[style % 3],
        payee_account=None,
        reference="账户管理费",
        our_account=own,
    )


_DRAW: dict[str, Callable[[Case, int], bytes]] = {
    **DRAW_EN,
    "bocom_columns": _draw_bocom_columns,
    "hxb_transfer": _draw_hxb_transfer,
    "cib_titles": _draw_cib_titles,
    "grid_payee_left": _draw_grid_payee_left,
    "nbcb_remarks": _draw_nbcb_remarks,
    "cmbc_marks": _draw_cmbc_marks,
    "counterparty": _draw_counterparty,
    "psbc_grid": _draw_psbc_grid,
    "shbank_tight": _draw_shbank_tight,
    "fake_bold": _draw_fake_bold,
    "fee_charge": _draw_fee_charge,
}


def generate(variant: str, case_index: int) -> AltPdf:
    """Return receipt ``case_index`` drawn as ``variant`` (one of ``VARIANTS``)."""
    english = variant.startswith("en_")
    cases = EN_CASES if english else CASES
    case = cases[case_index % len(cases)]
    data = _DRAW[variant](case, case_index)
    drawn = [case]
    if variant in ("bocom_columns", "shbank_tight"):
        drawn.append(_next(case))
    currency = "USD" if english else "CNY"
    expected = [expected_transaction(c, english=english, currency=currency) for c in drawn]
    if variant == "en_account" and not case.incoming:
        # a debit advice names our account, not the bank that holds it
        expected = [replace(t, payer_bank=None) for t in expected]
    if variant == "fee_charge":
        expected = [_fee_expected(case, case_index)]
    if variant == "en_hsbc_advice":
        # the payment advice names the remitter but not the account it paid from
        expected = [replace(t, payer_account=None, our_account=_ours(t)) for t in expected]
    return AltPdf(data, expected, variant)


def _ours(expected: Transaction) -> str:
    return (expected.payee_account if expected.direction == "credit" else None) or ""


def cases(variant: str) -> range:
    """Return the case indices to generate for ``variant``."""
    return range(len(EN_CASES if variant.startswith("en_") else CASES))
