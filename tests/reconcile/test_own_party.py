"""One definition of "our own account/company", shared by the parsers and the matcher."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from reconcile.matching import MatchSettings, match_transactions
from reconcile.matching.records import CustomerRecord, InvoiceRecord
from reconcile.model import ParseSettings, Transaction
from reconcile.own import OwnParty, account_key


def test_account_key_ignores_every_separator() -> None:
    assert account_key("BE68 5390.0754-7034") == "BE68539007547034"
    assert account_key("6222.0212/3456") == account_key("6222 0212-3456")
    assert account_key(None) == ""


def test_parsers_and_matcher_agree_on_a_dotted_account() -> None:
    settings = ParseSettings(own_accounts=("001.234.5678",))
    assert settings.is_own_account("0012345678")
    assert settings.is_own_account("001-234 5678")
    assert not settings.is_own_account("0012345679")
    tx = Transaction(
        bank_ref="T1",
        booking_date=dt.date(2026, 11, 3),
        amount=Decimal("500.00"),
        direction="credit",
        currency="CNY",
        payer_name="Someone",
        payer_account="0012345678",
    )
    customer = CustomerRecord(code="C1", name="Someone")
    invoice = InvoiceRecord(
        number="INV-1",
        customer="C1",
        currency="CNY",
        amount=Decimal("500.00"),
        open_amount=Decimal("500.00"),
        issue_date=dt.date(2026, 10, 1),
        due_date=dt.date(2026, 10, 31),
    )
    (decision,) = match_transactions(
        [tx], [customer], [invoice], settings=MatchSettings(own_accounts=("001.234.5678",))
    )
    assert decision.status == "ignored"
    assert decision.reasons[0].criterion == "own_account"


def test_own_name_contains_and_equals() -> None:
    own = OwnParty.of(names=("上海协和贸易有限公司", "Concord Trading Ltd"))
    assert own.is_own_name("上海协和贸易有限公司（浦东支行）")
    assert own.is_own_name("CONCORD TRADING LTD.")
    assert not own.is_own_name("Concord")
    assert own.is_own("x", "concord trading ltd")
