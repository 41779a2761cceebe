"""Text messages go to mobiles only: the one rule every SMS of Concord asks."""

from __future__ import annotations

import pytest

from portal.phones import sms_number


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13800000000", "13800000000"),
        ("138 0000 0000", "13800000000"),
        ("138-0000-0000", "13800000000"),
        ("+86 139 0000 0000", "13900000000"),
        ("+86-19912345678", "19912345678"),
        ("0086 13800000000", "13800000000"),
        ("8613800000000", "13800000000"),
        ("+44 7400 123456", "+447400123456"),
        ("0044 7400 123456", "+447400123456"),
        ("+1 (415) 555-0100", "+14155550100"),
    ],
)
def test_a_mobile_is_texted_at_its_normal_form(raw: str, expected: str) -> None:
    assert sms_number(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "0574-8888001",  # Ningbo landline: the QH002 report
        "021 5555 0001",
        "+86 21 5555 0001",  # the demo customers' phones
        "0086 574 8888001",
        "12800000000",  # 1 then 2: no Chinese mobile starts so
        "1380000000",  # 10 digits
        "138000000001",  # 12 digits
        "+0 123456789",
        "+12345",
        "+44 20 7946 0958",  # a London landline
        "+44 7700 900123",  # a number the UK keeps for drama: no phone has it
        "call Li",
        "",
        None,
    ],
)
def test_a_landline_or_no_number_gets_no_text(raw: str | None) -> None:
    assert sms_number(raw) is None
