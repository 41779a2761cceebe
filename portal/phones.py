"""Which numbers a text message may go to: mobiles only, never a landline.

One rule for every SMS Concord sends (reminders, statement notices, one-time codes):

- a Chinese number (``+86``, ``0086`` or ``86`` in front, or no country code at all) is a
  mobile when its 11 digits match ``1[3-9]xxxxxxxxx``; ``0574-8888001`` or ``+86 21 5555 0001``
  (an area code and a landline) are not, and get no SMS;
- a number of another country (``+<code>`` or ``00<code>``) is taken as E.164 (8 to 15 digits,
  no leading 0): without a numbering-plan library we cannot tell its mobiles from its landlines,
  and the provider refuses a landline rather than delivering it.

Spaces, dashes, dots and brackets are allowed between the digits.
"""

from __future__ import annotations

import re

#: what people type between the digits of a number
_SEPARATORS = re.compile(r"[\s\-.()\u3000]+")
_CHINA_MOBILE = re.compile(r"1[3-9]\d{9}")
_INTERNATIONAL = re.compile(r"[1-9]\d{7,14}")


def sms_number(raw: str | None) -> str | None:
    """The number a text message to ``raw`` is sent to, or ``None`` when it is no mobile.

    A Chinese mobile is returned as its 11 digits (``13800000000``), another country's number
    in E.164 (``+447700900123``).
    """
    text = _SEPARATORS.sub("", raw or "")
    if text.startswith("+"):
        digits = text[1:]
    elif text.startswith("00"):
        digits = text[2:]
    elif _CHINA_MOBILE.fullmatch(text):
        return text
    elif text.startswith("86") and _CHINA_MOBILE.fullmatch(text[2:]):
        return text[2:]
    else:
        return None  # a landline with its area code, or not a number
    if not digits.isdigit():
        return None
    if digits.startswith("86"):
        national = digits[2:]
        return national if _CHINA_MOBILE.fullmatch(national) else None
    return f"+{digits}" if _INTERNATIONAL.fullmatch(digits) else None


def is_mobile(raw: str | None) -> bool:
    """Whether a text message may go to ``raw``."""
    return sms_number(raw) is not None
