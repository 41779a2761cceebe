"""What a statement says in each language: its labels, aging buckets, amounts and dates.

Shared by the PDF (:mod:`.render`) and the portal's HTML statement, so both read the same.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from .model import AgingBucket, EntryKind, Language, StatementLine

LABELS: dict[Language, dict[str, str]] = {
    "en": {
        "title": "STATEMENT OF ACCOUNT",
        "number": "Statement no.",
        "issued": "Issued on",
        "period": "Period",
        "currency": "Currency",
        "customer": "Customer",
        "account": "Account no.",
        "summary": "Summary",
        "opening": "Opening balance",
        "charges": "Invoices (charges)",
        "payments": "Payments received",
        "credits": "Credit notes and write-offs",
        "closing": "Closing balance",
        "disputed": "Of which disputed",
        "activity": "Account activity",
        "date": "Date",
        "document": "Document",
        "description": "Description",
        "due": "Due date",
        "debit": "Charges",
        "credit": "Credits",
        "balance": "Balance",
        "brought_forward": "Balance brought forward",
        "carried_forward": "Closing balance",
        "no_activity": "No activity in this period.",
        "open_items": "Open items at period end",
        "invoice_amount": "Amount",
        "open_amount": "Open",
        "days_overdue": "Days overdue",
        "disputed_col": "Disputed",
        "no_open_items": "No open items.",
        "aging": "Aging summary",
        "unapplied": "Unapplied credits",
        "total": "Total",
        "notice": "Please confirm or dispute this statement by {date} at {link}.",
        "supersedes": "This statement replaces statement {number}, which is withdrawn.",
        "confirmation": "Customer confirmation",
        "confirmation_help": "Signed electronically when confirmed in the portal.",
        "page": "Page {page} of {pages}",
        "invoice": "Invoice",
        "credit_note": "Credit note",
        "payment": "Payment received",
        "allocation": "Applied {amount} to {invoice}",
        "unallocation": "Took {amount} off {invoice} again",
        "write_off": "Written off",
        "adjustment": "Reversal of {reference}",
        "erp_settlement": "Settled in the ERP",
        "erp_reopened": "Reopened in the ERP",
        "for": "for {invoice}",
        "booked_late": "booked after the statement was issued",
        "section": "{currency} account",
        "sections_note": "Each currency is a separate account with its own balance; "
        "amounts in different currencies are not added together.",
    },
    "zh": {
        "title": "对账单",
        "number": "对账单编号",
        "issued": "出具日期",
        "period": "对账期间",
        "currency": "币种",
        "customer": "客户",
        "account": "客户编号",
        "summary": "汇总",
        "opening": "期初余额",
        "charges": "本期发票",
        "payments": "本期收款",
        "credits": "贷项通知单及减免",
        "closing": "期末余额",
        "disputed": "其中有异议金额",
        "activity": "往来明细",
        "date": "日期",
        "document": "单据号",
        "description": "摘要",
        "due": "到期日",
        "debit": "借方",
        "credit": "贷方",
        "balance": "余额",
        "brought_forward": "上期结转",
        "carried_forward": "期末余额",
        "no_activity": "本期无往来。",
        "open_items": "期末未清项",
        "invoice_amount": "金额",
        "open_amount": "未清金额",
        "days_overdue": "逾期天数",
        "disputed_col": "异议金额",
        "no_open_items": "无未清项。",
        "aging": "账龄分析",
        "unapplied": "未核销贷项",
        "total": "合计",
        "notice": "请于{date}前登录{link}确认或提出异议。",
        "supersedes": "本对账单取代对账单{number}，原对账单作废。",
        "confirmation": "客户确认",
        "confirmation_help": "在客户门户确认后以电子签名签署。",
        "page": "第 {page} 页，共 {pages} 页",
        "invoice": "发票",
        "credit_note": "贷项通知单",
        "payment": "收款",
        "allocation": "核销 {amount} 至 {invoice}",
        "unallocation": "撤销核销 {amount}（{invoice}）",
        "write_off": "减免",
        "adjustment": "冲回 {reference}",
        "erp_settlement": "已在 ERP 中结清",
        "erp_reopened": "ERP 中重新挂账",
        "for": "（{invoice}）",
        "booked_late": "入账晚于对账单",
        "section": "{currency} 账户",
        "sections_note": "每种币种单独列示、单独结算余额，不同币种的金额不相加。",
    },
}

BUCKET_LABELS: dict[Language, dict[AgingBucket, str]] = {
    "en": {
        AgingBucket.CURRENT: "Not yet due",
        AgingBucket.DAYS_1_30: "1-30 days",
        AgingBucket.DAYS_31_60: "31-60 days",
        AgingBucket.DAYS_61_90: "61-90 days",
        AgingBucket.OVER_90: "Over 90 days",
    },
    "zh": {
        AgingBucket.CURRENT: "未到期",
        AgingBucket.DAYS_1_30: "1-30天",
        AgingBucket.DAYS_31_60: "31-60天",
        AgingBucket.DAYS_61_90: "61-90天",
        AgingBucket.OVER_90: "90天以上",
    },
}


def money(value: Decimal) -> str:
    """Format an amount with thousands separators and two decimals (``-1,234.50``), or the
    three or four it has (a Kuwaiti dinar's ``1,234.567``): a figure is never rounded away."""
    places = min(4, max(2, -int(value.normalize().as_tuple().exponent)))
    return f"{value:,.{places}f}"


def long_date(value: dt.date, language: Language) -> str:
    """Format a date for running text: ``2026年11月14日`` or ``14 November 2026``."""
    if language == "zh":
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.day} {value:%B %Y}"


def line_description(line: StatementLine, language: Language, *, late_sep: str = " · ") -> str:
    """Describe a statement line in the customer's language ("Applied 500.00 to INV-1").

    A line booked after the statement covering its own date was issued says so after
    ``late_sep`` ("Payment received · booked after the statement was issued").
    """
    t = LABELS[language]
    if line.kind in (EntryKind.ALLOCATION, EntryKind.UNALLOCATION):
        text = t[line.kind.value].format(amount=money(line.applied), invoice=line.reference or "")
    else:
        text = t[line.kind.value].format(reference=line.document)
    if line.reference and line.kind in (
        EntryKind.CREDIT_NOTE,
        EntryKind.WRITE_OFF,
        EntryKind.ADJUSTMENT,
    ):
        sep = "" if language == "zh" else " "
        text += sep + t["for"].format(invoice=line.reference)
    if line.booked_late:
        text += late_sep + t["booked_late"]
    return text
