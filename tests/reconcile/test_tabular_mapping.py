"""Finding the header and first entry of an unknown export, suggesting roles from the header
words the parser knows, and checking a mapping row by row (the portal's mapping page)."""

from __future__ import annotations

import pytest

from reconcile.model import ParseSettings
from reconcile.parsers.tabular import read_rows
from reconcile.parsers.tabular_mapping import (
    CellProblem,
    check_mapping,
    first_entry_index,
    header_index,
    suggested_columns,
)

HZB = (
    "杭州银行对公账户交易明细（2026-12-01至2026-12-05）\r\n"
    "记账日,摘要,入账,出账,余额,对方户名,对方账号,流水号\r\n"
    '2026-12-01,INV-2026-0110 货款,"5,001.00",,"105,001.00",杭州远景1号贸易有限公司,'
    "33050161234500001,S1\r\n"
    '2026-12-02,运费,,"1,100.00","103,901.00",北京顺达物流有限公司,11001234567890,S2\r\n'
).encode("gb18030")
# account facts above the header (labels with numbers), a unit in the header cells
PREAMBLE = (
    "账号：3301040160001234567,户名：杭州某某科技有限公司\n"
    "币种：人民币,,\n"
    "\n"
    "交易日,借贷,发生额(元),余额(元),附言\n"
    "2026/12/01,贷,500.00,1500.00,货款\n"
).encode()
# no header at all: the first row is an entry
HEADERLESS = b"07/11/2026;ACME;INV-2026-0110;5001,00\n08/11/2026;Lieferant;Fracht;-1100,00\n"


def _rows(data: bytes) -> list[list[str]]:
    return read_rows(data, "x.csv", ParseSettings())


@pytest.mark.parametrize(
    ("data", "header", "first"),
    [(HZB, 1, 2), (PREAMBLE, 3, 4), (HEADERLESS, None, 0)],
)
def test_header_and_first_entry(data: bytes, header: int | None, first: int) -> None:
    rows = _rows(data)
    assert header_index(rows) == header
    assert first_entry_index(rows) == first


def test_roles_suggested_from_known_header_words_only() -> None:
    rows = _rows(HZB)
    assert suggested_columns(rows[1]) == {
        "booking_date": 0,
        "description": 1,
        "balance": 4,
        "counterparty_name": 5,
        "counterparty_account": 6,
        "bank_ref": 7,
    }


def test_check_names_the_first_cell_that_does_not_read() -> None:
    rows = _rows(HZB)
    columns = {"booking_date": 0, "credit": 2, "debit": 3}
    assert check_mapping(rows, columns, 3) is None
    assert check_mapping(rows, columns, 2) == CellProblem(2, 0, "记账日", "not_a_date")
    assert check_mapping(rows, {**columns, "credit": 5}, 3) == CellProblem(
        3, 5, "杭州远景1号贸易有限公司", "not_an_amount"
    )
    assert check_mapping(rows, {**columns, "debit": 9}, 3) == CellProblem(3, 9, "", "no_cell")
    assert check_mapping(rows, {"booking_date": 0, "debit": 3}, 3) == CellProblem(
        3, 3, "", "no_amount"
    )
