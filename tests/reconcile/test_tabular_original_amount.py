"""Original (foreign) amounts of card exports: the figure and the currency written beside it.

SPDB's card export writes ``271.82(USD)`` in 原始交易金额&币种; other banks write ``USD 271.82``
or ``271.82 美元`` in 原币金额. An original amount that cannot be read is left out with a
warning naming its row; it never costs the entry or the file (it used to refuse the whole file).
"""

from __future__ import annotations

from decimal import Decimal

from reconcile.api import parse_bytes
from reconcile.model import ParseSettings


def _read(text: str) -> tuple[list[tuple[object, ...]], list[str]]:
    (result,) = parse_bytes(text.encode(), "card.csv", ParseSettings(default_currency="CNY"))
    assert result.error is None
    rows = [
        (t.amount, t.raw.get("original_amount"), t.raw.get("original_currency"))
        for t in result.transactions
    ]
    return rows, [str(w) for w in result.warnings]


# the card exports name no currency for their own amounts: read in the default one, said so
ASSUMED = "the file names no currency: its amounts are read as CNY, the default currency"


def test_the_currency_beside_an_original_amount_is_read_with_it() -> None:
    rows, warnings = _read(
        "交易日期,交易摘要,交易金额,原始交易金额&币种\n"
        "2026-11-02,AMAZON US,-1800.00,271.82(USD)\n"
        '2026-11-04,东京购物,-300.00,"6,000(JPY)"\n'
        "2026-11-05,ZALANDO,-90.00,EUR 11.50\n"
        "2026-11-06,香港购物,-50.00,55.00 港币\n"
    )
    assert rows == [
        (Decimal("1800.00"), Decimal("271.82"), "USD"),
        (Decimal("300.00"), Decimal("6000"), "JPY"),
        (Decimal("90.00"), Decimal("11.50"), "EUR"),
        (Decimal("50.00"), Decimal("55.00"), "HKD"),
    ]
    assert warnings == [ASSUMED]


def test_an_original_currency_column_wins_over_none_written_beside() -> None:
    rows, _ = _read("交易日期,摘要,交易金额,原币金额,原币种\n2026-11-02,消费,-1800.00,271.82,USD\n")
    assert rows == [(Decimal("1800.00"), Decimal("271.82"), "USD")]


def test_an_unreadable_original_amount_is_left_out_and_the_entry_kept() -> None:
    rows, warnings = _read(
        "交易日期,摘要,交易金额,原币金额\n"
        "2026-11-02,消费,-1800.00,271.82(USD)\n"
        "2026-11-03,还款,500.00,n/a\n"
    )
    assert rows == [
        (Decimal("1800.00"), Decimal("271.82"), "USD"),
        (Decimal("500.00"), None, None),
    ]
    assert warnings == [ASSUMED, "row 3: not an amount: 'n/a'; the original amount is left out"]
