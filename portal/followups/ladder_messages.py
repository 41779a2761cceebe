"""What collection messages say: the built-in templates per channel and language, filled in.

A step's message is a template per language with ``{placeholders}``; :data:`PLACEHOLDERS`
lists the ones a template may use. A step without a template of its own in a language uses
the built-in one of its channel (:data:`DEFAULT_TEMPLATES`).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from reconcile.currency import amount_text

from ..models import LadderStep

LANGUAGES = ("zh", "en")

#: what a template may use, with the sample value the preview shows
PLACEHOLDERS: dict[str, str] = {
    "customer": "Shanghai Example Co., Ltd.",
    "amount": "CNY 128,450.00",
    "items": "3",
    "invoices": "INV-2026-0101, INV-2026-0107, INV-2026-0112",
    "oldest_due": "2026-10-31",
    "days": "34",
    "link": "https://portal.example.com/followups/my/12",
    "company": "Concord Demo Trading Co., Ltd.",
    "manager": "Sam Sales",
}

DEFAULT_TEMPLATES: dict[str, dict[str, dict[str, str]]] = {
    "email": {
        "en": {
            "subject": "{company}: payment reminder, {amount}",
            "body": (
                "Dear {customer},\n\n"
                "According to our records {amount} on {items} invoice(s) ({invoices}) is open; "
                "the oldest was due on {oldest_due}.\n"
                "You can see every item, confirm your statement or tell us when you will pay "
                "here:\n{link}\n\n"
                "If you have paid already, please ignore this message.\n\n"
                "Kind regards,\n{manager}\n{company}"
            ),
        },
        "zh": {
            "subject": "{company}：付款提醒，{amount}",
            "body": (
                "尊敬的{customer}：\n\n"
                "根据我司记录，贵司{items}张发票（{invoices}）共计{amount}尚未结清，"
                "最早一张于{oldest_due}到期。\n"
                "您可以在以下链接查看明细、确认对账单或告知付款日期：\n{link}\n\n"
                "如已付款，请忽略本通知。\n\n"
                "此致\n{manager}\n{company}"
            ),
        },
    },
    "sms": {
        "en": {
            "subject": "",
            "body": (
                "{company}: {amount} on invoice(s) {invoices} is open since {oldest_due}. "
                "Details and payment date: {link}"
            ),
        },
        "zh": {
            "subject": "",
            "body": "【{company}】贵司发票{invoices}共{amount}已于{oldest_due}到期，"
            "明细及付款承诺请见：{link}",
        },
    },
    "call": {
        "en": {
            "subject": "Call {customer}",
            "body": (
                "Call {customer} about {amount} ({items} invoice(s), oldest due {oldest_due}). "
                "Ask for a payment date and record the promise."
            ),
        },
        "zh": {
            "subject": "致电{customer}",
            "body": "致电{customer}，催收{amount}（{items}张发票，最早于{oldest_due}到期），"
            "询问付款日期并记录付款承诺。",
        },
    },
    "letter": {
        "en": {
            "subject": "Formal payment reminder",
            "body": (
                "Dear {customer},\n\n"
                "Despite our earlier reminders, {amount} on the invoices listed below is still "
                "unpaid; the oldest was due on {oldest_due}, {days} days ago.\n"
                "Please pay within 7 days into the bank account below. If you have paid "
                "already, please send us the bank receipt.\n"
                "Should the amount remain unpaid, we will pass the matter to our legal "
                "department."
            ),
        },
        "zh": {
            "subject": "催款函",
            "body": (
                "{customer}：\n\n"
                "经我司多次提醒，贵司下列发票共计{amount}仍未支付，最早一张已于{oldest_due}到期，"
                "逾期{days}天。\n"
                "请于七日内将款项汇入下列银行账户；如已付款，请将银行回单发送给我们。\n"
                "逾期仍未付款的，我司将移交法务部门处理。"
            ),
        },
    },
    "legal": {
        "en": {
            "subject": "Hand {customer} over to legal",
            "body": "{amount} overdue since {oldest_due} ({days} days): prepare the case file.",
        },
        "zh": {
            "subject": "将{customer}移交法务",
            "body": "{amount}自{oldest_due}起逾期（{days}天）：准备案卷。",
        },
    },
}


def template_for(step: LadderStep, language: str, channel: str | None = None) -> dict[str, str]:
    """The step's subject and body in ``language`` (the channel's built-in one if it has none).

    :param channel: the channel the step goes by when it is not its own (an SMS step for a
        customer without a mobile goes by email): the step's texts are written for its own
        channel, so that channel's built-in texts are used.
    """
    channel = channel or step.channel
    own = (step.templates or {}).get(language) or {} if channel == step.channel else {}
    builtin = DEFAULT_TEMPLATES[channel].get(language) or DEFAULT_TEMPLATES[channel]["en"]
    return {
        "subject": own.get("subject") or builtin["subject"],
        "body": own.get("body") or builtin["body"],
    }


def render(text: str, values: Mapping[str, str]) -> str:
    """Fill a template's placeholders (an unknown one is left as written)."""

    class _Keep(dict[str, str]):
        def __missing__(self, key: str) -> str:
            return "{" + key + "}"

    return text.format_map(_Keep(values))


def money_text(amount: Decimal, currency: str) -> str:
    """``CNY 128,450.00``, ``JPY 128,450``: grouped, the currency's decimals, the code in front."""
    return f"{currency} {amount_text(amount, currency, grouped=True)}"


def preview(step: LadderStep, language: str) -> dict[str, str]:
    """The step's message in ``language`` filled with sample values."""
    tpl = template_for(step, language)
    return {
        "subject": render(tpl["subject"], PLACEHOLDERS),
        "body": render(tpl["body"], PLACEHOLDERS),
    }
