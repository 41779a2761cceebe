"""Bank files from other open-source projects' test suites, with the values those projects assert.

Each file is the source project's test file byte for byte (its licence allows it), named after
the project:

- ``ofx_actual_html_vals.qfx``: actualbudget/actual,
  ``packages/loot-core/src/mocks/files/html-vals.qfx`` (MIT). A Canadian bank's QFX whose texts
  are escaped twice (``TPAY &amp;lt;DEFTPYMT&amp;gt;``) and whose pre-authorised debits carry a
  NAME of zeros; Actual's test "handles html escaped plaintext" reads them as the bank's words.
- ``camt053_actual_v04_batch_returns.xml``: actualbudget/actual,
  ``packages/loot-core/src/mocks/files/camt/camt.053.xml`` (MIT), a German cooperative bank's
  camt.053.001.04 (VR-Bank Rottal-Inn test accounts): a returned direct debit whose text the bank
  cut at Ustrd's 140 characters in the middle of its EREF, a batch of two direct debits with
  their amounts only in AmtDtls/TxAmt, a Swiss QR reference, a card payment named only in
  AddtlNtryInf. Actual asserts a snapshot only; the values here are the file's.
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


def _actual_camt() -> ParseResult:
    result = _parse("camt053_actual_v04_batch_returns.xml")
    assert result.format == "camt"
    return result


def test_a_remittance_text_cut_at_140_characters_is_joined_again() -> None:
    returned = _actual_camt().transactions[3]
    assert (returned.booking_date, returned.value_date, returned.amount) == (
        dt.date(2014, 1, 7),
        dt.date(2014, 1, 5),
        Decimal("1.20"),
    )
    # the first Ustrd holds exactly 140 characters and ends in the middle of the EREF
    assert "EREF: STZV-EtE27122013-11:05-2 CRED: DE79ZZZ00000000584" in returned.reference
    assert returned.reference.startswith("Retoure SEPA Lastschrift vom 03.01.2014")
    assert returned.raw["end_to_end_id"] == "STZV-EtE27122013-11:05-2"


def test_a_credit_with_return_information_is_no_customer_payment() -> None:
    txs = _actual_camt().transactions
    returned = txs[3]
    assert returned.direction == "credit" and returned.raw["return_reason"] == "MD06"
    assert returned.category == "refund"
    # the ordinary credits and debits of the same file stay customer payments
    assert [t.category for t in txs] == ["", "", "", "refund", "", "", ""]


def test_a_batch_with_amounts_only_in_amount_details_is_split() -> None:
    txs = _actual_camt().transactions
    first, second = txs[5], txs[6]
    assert [(t.amount, t.direction, t.bank_ref) for t in (first, second)] == [
        (Decimal("2.25"), "credit", "2014010303263400000/1"),
        (Decimal("1.20"), "credit", "2014010303263400000/2"),
    ]
    assert (first.payer_name, first.payer_account) == (
        "Testkonto Nummer 2",
        "DE58740618130100033626",
    )
    assert first.reference == "Lastschrift 2. Zahlung TAN:747216"
    assert second.reference == "Lastschrift 1. Zahlung TAN:747216"
    assert second.raw["mandate_id"] == "Mandat20131227"


def test_the_rest_of_the_actual_camt_file() -> None:
    result = _actual_camt()
    txs = result.transactions
    assert [(t.amount, t.direction) for t in txs] == [
        (Decimal("0.60"), "credit"),
        (Decimal("0.50"), "credit"),
        (Decimal("89.85"), "debit"),
        (Decimal("1.20"), "credit"),
        (Decimal("80"), "debit"),
        (Decimal("2.25"), "credit"),
        (Decimal("1.20"), "credit"),
    ]
    card, rega = txs[2], txs[4]
    assert (card.booking_date, card.value_date, card.reference) == (
        dt.date(2024, 3, 12),
        dt.date(2024, 3, 11),
        "Supermarkt A",
    )
    assert (rega.payee_name, rega.payee_account, rega.reference) == (
        "Rega",
        "CH803000000",
        "002462",
    )
    assert txs[0].reference.startswith("Sammler aus Testknto 2 Zweite Ueberweisung EREF:")
    (info,) = result.statements
    assert (info.account, info.opening_balance, info.closing_balance) == (
        "DE14740618130000033626",
        Decimal("24.16"),
        Decimal("27.61"),
    )
