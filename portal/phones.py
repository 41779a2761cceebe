"""Which numbers a text message may go to: mobiles only, never a landline.

One rule for every SMS Concord sends (reminders, statement notices, one-time codes), read with
`phonenumbers` (libphonenumber's numbering plans of every country):

- a number without a country code is Chinese (``13800000000``, ``0574-8888001``); ``+86``,
  ``0086``, ``+44``, ``0044`` … name the country;
- it gets a text when the plan makes it a valid mobile (``1[3-9]…`` in China), or a number
  the plan cannot tell from a mobile (the United States' and Canada's); ``0574-8888001`` or
  ``+86 21 5555 0001`` (an area code and a landline) get none, nor does anything invalid.
"""

from __future__ import annotations

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

#: the country of a number written without one
HOME_REGION = "CN"
#: the types a text message can reach
_TEXTABLE = frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE})


def sms_number(raw: str | None) -> str | None:
    """The number a text message to ``raw`` is sent to, or ``None`` when it is no mobile.

    A Chinese mobile is returned as its 11 digits (``13800000000``), another country's number
    in E.164 (``+447400123456``).
    """
    if not raw or not raw.strip():
        return None
    try:
        number = phonenumbers.parse(raw, HOME_REGION)
    except NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    if phonenumbers.number_type(number) not in _TEXTABLE:
        return None
    if number.country_code == 86:
        return phonenumbers.national_significant_number(number)
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def is_mobile(raw: str | None) -> bool:
    """Whether a text message may go to ``raw``."""
    return sms_number(raw) is not None
