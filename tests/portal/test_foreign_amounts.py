"""An entry booked in one currency but sent or spent in another shows that original amount on
its page: a card export's 原币金额 (``271.82(USD)``) or a CAMT entry's instructed amount."""

from __future__ import annotations

import io
import re
from decimal import Decimal

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import BankTransaction
from tests.factories import make_user
from tests.portal.finance_helpers import login

CARD_EXPORT = (
    "交易日期,交易摘要,交易金额,币种,原始交易金额&币种\n"
    "2026-11-02,AMAZON US 退款,1800.00,CNY,271.82(USD)\n"
    "2026-11-03,还款,500.00,CNY,\n"
).encode("gb18030")


def _language(client: FlaskClient, language: str) -> None:
    with client.session_transaction() as sess:
        sess["lang"] = language


def _page(client: FlaskClient, txn: BankTransaction) -> str:
    return client.get(f"/banking/transactions/{txn.id}").get_data(as_text=True)


def _foreign(page: str) -> str | None:
    found = re.search(r'<dd id="foreign-amount">(.*?)</dd>', page, re.S)
    return found.group(1) if found else None


def test_the_original_amount_of_a_card_entry_is_shown_in_both_languages(
    session: Session, client: FlaskClient
) -> None:
    login(client, make_user(session, "finance"))
    resp = client.post(
        "/banking/uploads",
        data={"files": [(io.BytesIO(CARD_EXPORT), "card.csv")]},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 302
    refund, repayment = session.scalars(
        select(BankTransaction).order_by(BankTransaction.booking_date)
    ).all()
    foreign = refund.foreign_amount
    assert foreign is not None and (foreign.amount, foreign.currency) == (
        Decimal("271.82"),
        "USD",
    )
    assert repayment.foreign_amount is None

    _language(client, "en")
    page = _page(client, refund)
    assert "Original amount" in page and "271.82" in (_foreign(page) or "")
    assert _foreign(_page(client, repayment)) is None
    _language(client, "zh")
    page = _page(client, refund)
    assert "原币金额" in page and "US$271.82" in (_foreign(page) or "")


def test_an_instructed_amount_in_another_currency_and_its_rate() -> None:
    txn = BankTransaction(
        currency="CNY",
        raw={"foreign_amount": "1250.00", "foreign_currency": "EUR", "exchange_rate": "7.8123"},
    )
    foreign = txn.foreign_amount
    assert foreign is not None
    assert (str(foreign.amount), foreign.currency, foreign.rate) == ("1250.00", "EUR", "7.8123")
    # the same currency as the account is no original amount; OFX gives a rate only
    assert BankTransaction(currency="EUR", raw=txn.raw).foreign_amount is None
    ofx = BankTransaction(
        currency="USD", raw={"original_currency": "EUR", "original_currency_rate": "1.08"}
    )
    assert ofx.foreign_amount is not None and ofx.foreign_amount.amount is None
