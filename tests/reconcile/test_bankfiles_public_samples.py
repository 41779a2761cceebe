"""Bank files from other open-source projects' test suites, with the values those projects assert.

Each file is the source project's test file byte for byte (its licence allows it), named after
the project:

- ``ofx_actual_html_vals.qfx``: actualbudget/actual,
  ``packages/loot-core/src/mocks/files/html-vals.qfx`` (MIT). A Canadian bank's QFX whose texts
  are escaped twice (``TPAY &amp;lt;DEFTPYMT&amp;gt;``) and whose pre-authorised debits carry a
  NAME of zeros; Actual's test "handles html escaped plaintext" reads them as the bank's words.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from reconcile.api import parse_bytes
from reconcile.model import ParseResult, ParseSettings

DATA = Path(__file__).parent / "data" / "bankfiles"


def _parse(name: str) -> ParseResult:
    (result,) = parse_bytes((DATA / name).read_bytes(), name, ParseSettings())
    assert result.error is None, result.error
    return result


def test_texts_escaped_twice_by_the_bank_are_read_as_written() -> None:
    result = _parse("ofx_actual_html_vals.qfx")
    hydro, rent = result.transactions
    assert (rent.booking_date, rent.amount, rent.direction, rent.currency) == (
        dt.date(2023, 3, 1),
        Decimal("1.00"),
        "debit",
        "CAD",
    )
    assert rent.payee_name == "TPAY <DEFTPYMT>"
    assert rent.reference == (
        "PREAUTHORIZED DEBIT;LUXMORE REALTY PPTY MGMT;Electronic Funds Transfer"
    )
    # a single escape is read once: "&amp;" is "&", not a second entity
    assert hydro.reference == (
        "PREAUTHORIZED DEBIT;B.C. HYDRO & POWER AUTHORITY;Electronic Funds Transfer"
    )
    assert hydro.bank_ref == "23129130032333396279270000"


def test_a_name_of_zeros_is_no_name() -> None:
    hydro, _ = _parse("ofx_actual_html_vals.qfx").transactions
    assert hydro.payee_name is None
    assert hydro.raw["name"] == "000000000000000"
    (info,) = _parse("ofx_actual_html_vals.qfx").statements
    assert (info.account, info.closing_balance) == ("00000 00-00000", Decimal("1111.11"))
