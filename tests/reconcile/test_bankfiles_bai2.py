"""BAI2 driven by the type-code table: unknown codes and funds types are warnings.

``data/bankfiles/bai2_type_codes.bai`` was written from the BAI2 specification's record layouts
(01/02/03/16/88/49/98/99, funds types Z/0/V/S/D); the amounts were checked by hand (USD, two
implied decimals). ``bai2_fixed_length_records.bai`` is our own file sent as the specification's
fixed-length physical records: every record padded with blanks to the 80 characters its 01
header declares, and no line breaks at all; one detail's text runs to the end of its record
without a closing slash, as the specification allows.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from reconcile.api import parse_bytes
from reconcile.model import ParseSettings
from reconcile.parsers import bai2_codes

DATA = Path(__file__).parent / "data" / "bankfiles"


def test_type_code_table_ranges() -> None:
    assert bai2_codes.kind("195") == "credit" and bai2_codes.kind("699") == "debit"
    assert bai2_codes.kind("015") == "status" and bai2_codes.kind("720") == "loan"
    assert bai2_codes.kind("890") == "non_monetary" and bai2_codes.kind("935") == "custom"
    assert bai2_codes.kind("19A") == "invalid"
    assert bai2_codes.name("475") == "Check Paid"
    assert bai2_codes.category("354") == "interest"


def test_file_with_unknown_codes_and_funds_types_reads_with_warnings() -> None:
    data = (DATA / "bai2_type_codes.bai").read_bytes()
    (result,) = parse_bytes(data, "bai2_type_codes.bai", ParseSettings())
    assert result.error is None
    txs = result.transactions
    assert [(t.direction, t.amount) for t in txs] == [
        ("credit", Decimal("2500.00")),  # distributed availability: 2 day/amount pairs
        ("credit", Decimal("0.50")),
        ("credit", Decimal("800.00")),
        ("debit", Decimal("325.00")),
        ("credit", Decimal("123.45")),  # bank-defined 921, direction from its text
        ("credit", Decimal("10.00")),
    ]
    first = txs[0]
    assert first.bank_ref == "FW2611030001"
    # the 16 stops inside its text without "/", so the 88 continues that text (specification)
    assert first.reference == "ZHANG WEI TRADING CO LTD REF INV-2026-0042 AND INV-2026-0043"
    assert first.raw["customer_reference"] == "INV-2026-0042"
    assert txs[1].category == "interest"
    assert txs[2].value_date == dt.date(2026, 11, 2)
    assert txs[5].category == "reversal" and txs[5].reversal
    assert result.warnings == [
        "line 10: type code 890 (non-monetary information): left out",
        "line 11: bank-defined type code 921: credit taken from the text",
        "line 12: type code 935 (custom code) is neither a credit (100-399) nor a debit "
        "(400-699): entry left out",
        "line 13: unknown funds type 'Q': read as immediate availability",
        # a hand-made file: its trailers' totals and its 015 leave out the bank-defined 921
        # and the 252 reversal (the 03 summaries count 3 credits of 3300.50)
        "line 14: the 49 record's control total 6346432 is not the sum of the amounts it covers,"
        " 4286822 (difference +2059610, in minor units): records are missing or damaged",
        "line 3, account 4159823067: the balances do not add up: opening balance 010 15000.00"
        " and the entries (+3108.95) make 18108.95, but the closing balance 015 is 17975.50 USD"
        " (difference -133.45): entries are missing, duplicated or read with the wrong sign",
    ]
    (info,) = result.statements
    assert info.opening_balance == Decimal("15000.00")
    assert info.closing_balance == Decimal("17975.50")


def test_fixed_length_records_without_line_breaks() -> None:
    data = (DATA / "bai2_fixed_length_records.bai").read_bytes()
    assert b"\n" not in data and len(data) == 8 * 80
    (result,) = parse_bytes(data, "bai2_fixed_length_records.bai", ParseSettings())
    assert result.error is None and result.warnings == []
    credit, debit = result.transactions
    assert (credit.bank_ref, credit.direction, credit.amount) == (
        "WT2611030007",
        "credit",
        Decimal("5123.00"),
    )
    # the padding after an unterminated text is not part of it
    assert credit.reference == "INV-2026-0311 HARBOUR FREIGHT LTD"
    assert (debit.bank_ref, debit.direction) == ("CHK0451", "debit")
    assert debit.amount == Decimal("692.50")
    assert credit.booking_date == dt.date(2026, 11, 3)
    (info,) = result.statements
    assert info.opening_balance == Decimal("24000.00")
    assert info.closing_balance == Decimal("28430.50")
