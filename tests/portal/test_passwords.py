"""Issue 14, item 7: the password policy (ASVS 5.0: length and a blocklist, no composition)."""

from __future__ import annotations

import pytest
from flask import Flask

from portal.auth.passwords import common_passwords, is_common, password_problems


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery staple",
        "Zebra-lamp-orchid-91",
        "長城上的三只小猫在晒太阳",  # any script; length counts characters
        "a" * 11 + "b",
        "all lowercase words only here",  # no composition rules
    ],
)
def test_good_passwords_pass(app: Flask, password: str) -> None:
    assert password_problems(password) == []


@pytest.mark.parametrize(
    ("password", "needle"),
    [
        ("short1!", "at least 12"),
        ("x" * 129, "at most 128"),
        ("password1234", "too common"),
        ("Password2024!", "too common"),
        ("qwertyuiop123", "too common"),
        ("123456789012", "too common"),
        ("abcabcabcabc", "too common"),
        ("aaaaaaaaaaaaaaaa", "too common"),
        ("iloveyou!!!!!!", "too common"),
        ("baseball baseball", "too common"),
    ],
)
def test_weak_passwords_fail(app: Flask, password: str, needle: str) -> None:
    problems = password_problems(password)
    assert any(needle in p for p in problems), problems


def test_email_in_password(app: Flask) -> None:
    assert password_problems("my name is alice.wong ok", email="Alice.Wong@example.com")
    assert password_problems("Zebra-lamp-orchid-91", email="alice@example.com") == []


def test_the_name_of_the_email_address_is_named_as_such(app: Flask) -> None:
    """``admin`` of admin@example.cn in the password: saying "your email address" misleads."""
    whole = password_problems("x admin@qinghe.example.cn 2026", email="admin@qinghe.example.cn")
    assert whole == ["Do not use your email address in the password."]
    part = password_problems("Qinghe-Admin-2026!x", email="admin@qinghe.example.cn")
    assert part == ["Do not use the name of your email address (“admin”) in the password."]


def test_the_list_is_shipped_and_large() -> None:
    words = common_passwords()
    assert len(words) > 30_000
    assert {"123456", "password", "qwerty", "iloveyou"} <= words
    assert is_common("PASSWORD") and not is_common("Zebra-lamp-orchid-91")
